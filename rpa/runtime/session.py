"""Logging in, outside any traced context, and reusing the session through ``storage_state``.

The password is typed only here, in a context that is never traced or recorded. The
resulting cookies go to a file private to the run and the worker (mode 0600), deleted when
the run ends; every request context of that worker is created from it. Each worker has its
own session, as each person has their own browser: a server that keeps per-session state
between pages (Workfinity's flash messages) must not see two workers as one. When a site
sends a request to its login page (session expired), the attempt calls ``refresh`` and
the retry policy tries the request again (``rpa.runtime.attempt``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from playwright.sync_api import Browser

from pages.common import Credentials
from pages.workfinity.login import WorkfinityLogin
from pages.zendesk.login import ZendeskLogin
from rpa.runtime.browser import new_context
from rpa.settings import Settings


class Authenticator:
    """Holds one worker's logged-in ``storage_state`` and renews it once per expiry."""

    def __init__(self, settings: Settings, state_path: Path) -> None:
        self.settings = settings
        self.path = Path(state_path)
        self._lock = threading.Lock()
        self.generation = 0

    def _credentials(self) -> tuple[Credentials, Credentials]:
        s = self.settings
        return (Credentials(s.workfinity_user, s.secret("workfinity_password")),
                Credentials(s.zendesk_email, s.secret("zendesk_password")))

    def refresh(self, browser: Browser, seen_generation: int | None = None) -> int:
        """Log in to both sites and save the state; skipped if another worker already did."""
        with self._lock:
            if seen_generation is not None and seen_generation != self.generation:
                return self.generation
            wf, zd = self._credentials()
            context = new_context(browser, self.settings)
            try:
                page = context.new_page()
                for login, creds in ((WorkfinityLogin(page, self.settings.workfinity_url), wf),
                                      (ZendeskLogin(page, self.settings.zendesk_url), zd)):
                    login.open()
                    login.login(creds)
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.close(fd)
                context.storage_state(path=str(self.path))
                os.chmod(self.path, 0o600)
            finally:
                context.close()
            self.generation += 1
            return self.generation

    def discard(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
