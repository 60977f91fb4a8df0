"""Settings layer defaults, rpa.toml, environment and options; toml never holds secrets."""

from __future__ import annotations

from rpa.settings import Settings


class TestSettings:
    """Settings layer defaults, rpa.toml, environment and options; toml never holds secrets."""

    def test_layers_and_secret_ignored_in_toml(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        (tmp_path / "rpa.toml").write_text('workers = 3\nattempts = 5\nworkfinity_password = "leak"\n')
        monkeypatch.setenv("RPA_ATTEMPTS", "4")
        s = Settings(record="off")
        assert (s.workers, s.attempts, s.record) == (3, 4, "off")
        assert s.workfinity_password.get_secret_value() == ""

    def test_password_from_env_is_hidden_in_repr(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("RPA_ZENDESK_PASSWORD", "s3cr3t-zd")
        s = Settings()
        assert s.secret("zendesk_password") == "s3cr3t-zd"
        assert "s3cr3t-zd" not in repr(s)

    def test_browser_path_and_crash_point_come_from_the_environment(self, tmp_path, monkeypatch):
        """The only RPA_* reader: the browser check and the kill/resume tests rely on these two."""
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("RPA_BROWSER_PATH", "/opt/chromium/chrome")
        monkeypatch.setenv("RPA_CRASH_AT", "after:done:ticket#1")
        s = Settings()
        assert (s.browser_path, s.crash_at) == ("/opt/chromium/chrome", "after:done:ticket#1")
