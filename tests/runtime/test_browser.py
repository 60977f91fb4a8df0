"""Bundled Chromium first, then the configured browser_path, then system paths; clear error otherwise."""

from __future__ import annotations

import pytest

from rpa.errors import BrowserNotFound
from rpa.runtime.browser import launch_kwargs, resolve_browser


class TestBrowserResolution:
    """Bundled Chromium first, then RPA_BROWSER_PATH, then system paths; clear error otherwise."""

    def test_env_path_used_when_no_bundled(self, tmp_path):
        fake = tmp_path / "chrome"
        fake.write_text("")
        choice = resolve_browser(str(fake), bundled=False)
        assert choice.executable_path == str(fake)

    def test_bad_env_path_is_a_clear_error(self):
        with pytest.raises(BrowserNotFound, match="RPA_BROWSER_PATH"):
            resolve_browser("/nope/chrome", bundled=False)

    def test_headless_prefers_the_system_headless_shell(self, tmp_path, monkeypatch):
        """Headless launches use chromium-headless-shell when installed; headed ones the full browser."""
        full, shell = tmp_path / "chromium", tmp_path / "chromium-headless-shell"
        full.write_text("")
        shell.write_text("")
        monkeypatch.setattr("rpa.runtime.browser.SYSTEM_CANDIDATES", (str(full),))
        monkeypatch.setattr("rpa.runtime.browser.HEADLESS_SHELL_CANDIDATES", (str(shell),))
        choice = resolve_browser(None, bundled=False)
        assert launch_kwargs(choice, headless=True)["executable_path"] == str(shell)
        assert launch_kwargs(choice, headless=False)["executable_path"] == str(full)
        monkeypatch.setattr("rpa.runtime.browser.HEADLESS_SHELL_CANDIDATES", ())
        assert launch_kwargs(resolve_browser(None, bundled=False), headless=True)["executable_path"] == str(full)

    def test_no_browser_anywhere(self, monkeypatch):
        monkeypatch.setattr("rpa.runtime.browser.SYSTEM_CANDIDATES", ())
        monkeypatch.setattr("rpa.runtime.browser.HEADLESS_SHELL_CANDIDATES", ())
        monkeypatch.setattr("shutil.which", lambda name: None)
        with pytest.raises(BrowserNotFound, match="apt-get install chromium"):
            resolve_browser(None, bundled=False)
