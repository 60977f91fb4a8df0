"""When a worker's kept tabs are reused and when they are recycled (one real Chromium)."""

from __future__ import annotations

from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

from rpa.runtime.browser import launch_kwargs, resolve_browser
from rpa.runtime.kept_tabs import KeptTabs
from rpa.runtime.session import Authenticator
from rpa.settings import Settings
from tests.e2e.harness import in_thread


def _scenario(tmp_path: Path) -> list[tuple[str, bool]]:
    settings = Settings(keep_tabs_for=2, runs_dir=tmp_path)
    state = tmp_path / "state.json"
    state.write_text('{"cookies": [], "origins": []}')
    auth = Authenticator(settings, state)
    tabs = KeptTabs(settings)
    seen: list[tuple[str, bool]] = []
    with sync_playwright() as pw:
        launch = launch_kwargs(resolve_browser(settings.browser_path))
        before = {p.pid for p in psutil.Process().children(recursive=True)}
        browser = pw.chromium.launch(**launch)
        # This browser's own process (another test's browser may share this worker process).
        main = next(p for p in psutil.Process().children(recursive=True)
                    if p.pid not in before and "--type=" not in " ".join(p.cmdline()) and "chrom" in p.name())
        context = None

        def step(label: str, **release) -> None:
            nonlocal context
            current, _ = tabs.open(browser, auth)
            seen.append((label, current is not context))  # (what happened before, a new context?)
            context = current
            tabs.release(**release)

        step("first", failed=False)
        step("after 1 request", failed=False)
        step("after 2 requests (keep_tabs_for)", failed=True)
        assert tabs.context is None  # a failed attempt closes it at once
        step("after a failure", failed=False)
        auth.generation += 1
        step("after the session was renewed", failed=False)
        assert tabs.pages is not None
        page = tabs.pages[0]
        page.goto("data:text/html,<p>x</p>")
        with page.expect_event("crash", timeout=10_000):  # its renderer dies
            for proc in main.children(recursive=True):
                if "--type=renderer" in " ".join(proc.cmdline()):
                    proc.kill()
        step("after a page crashed", failed=False)
        other = pw.chromium.launch(**launch)
        browser.close()
        browser = other
        step("after the browser was relaunched", failed=False)
        tabs.close()
        browser.close()
    return seen


def test_reused_until_due_then_recycled(tmp_path):
    seen = in_thread(_scenario, tmp_path)
    assert seen == [("first", True), ("after 1 request", False), ("after 2 requests (keep_tabs_for)", True),
                    ("after a failure", True), ("after the session was renewed", True),
                    ("after a page crashed", True), ("after the browser was relaunched", True)]
