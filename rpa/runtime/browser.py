"""Find a Chromium that Playwright can drive, launch it with the flags this network needs, and
open the browser contexts the bot works in (pt-BR, the configured timeouts).

Order: Playwright's bundled Chromium -> the ``browser_path`` setting (``RPA_BROWSER_PATH``)
-> system Chromium paths.
Headless runs prefer the system's ``chromium-headless-shell`` when it is installed next to
the full browser (Debian: ``apt-get install chromium-headless-shell``), as Playwright does
with its own builds: the shell spends about a third of the CPU of full Chromium per context
and page (measured: 0.38 vs 1.23 CPU-s for a context with both sites loaded).
Run ``python -m rpa.runtime.browser --check`` to see which one is used.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rpa.errors import BrowserNotFound
from rpa.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright

# Closed network: without these Chromium keeps trying to reach Google's hosts.
LAUNCH_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]

HEADLESS_SHELL_CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/bin/chromium-headless-shell",
)

SYSTEM_CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/lib/chromium/chromium",
    "/snap/bin/chromium",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
)


@dataclass(frozen=True)
class BrowserChoice:
    executable_path: str | None  # None -> Playwright's bundled build
    source: str
    headless_shell: str | None = None  # used instead of executable_path for headless launches

    def path_for(self, headless: bool) -> str | None:
        return self.headless_shell if headless and self.headless_shell else self.executable_path

    def describe(self, headless: bool = True) -> str:
        return f"[{self.source}] {self.path_for(headless) or ''}".rstrip()


def bundled_chromium(playwright: Playwright) -> str | None:
    """Path of this Playwright's own Chromium if it has been downloaded, else None."""
    path = playwright.chromium.executable_path
    return path if path and Path(path).exists() else None


def _bundled_chromium() -> str | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a hard dependency
        return None
    try:
        with sync_playwright() as p:
            return bundled_chromium(p)
    except Exception:
        return None


def resolve_browser(configured: str | None = None, *, bundled: str | None | bool = True) -> BrowserChoice:
    """Pick the Chromium to launch; ``configured`` is the ``browser_path`` setting.
    ``bundled``: the bundled build's path, True to look it up, False/None to skip it."""
    if bundled is True:
        bundled = _bundled_chromium()
    if bundled:
        return BrowserChoice(None, f"Playwright ({bundled})")
    if configured:
        if Path(configured).exists():
            return BrowserChoice(configured, "RPA_BROWSER_PATH")
        raise BrowserNotFound(
            f"RPA_BROWSER_PATH aponta para {configured!r}, que não existe. "
            "Corrija o caminho ou remova a variável."
        )
    shell = next((c for c in HEADLESS_SHELL_CANDIDATES if Path(c).exists()), None)
    for candidate in SYSTEM_CANDIDATES:
        if Path(candidate).exists():
            return BrowserChoice(candidate, "sistema", shell)
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return BrowserChoice(found, "sistema (PATH)", shell)
    if shell:
        return BrowserChoice(shell, "sistema (somente headless)", shell)
    raise BrowserNotFound(
        "Nenhum Chromium encontrado. Instale um: 'apt-get install chromium' (Debian/Ubuntu), "
        "ou 'python -m playwright install chromium', ou defina RPA_BROWSER_PATH."
    )


def launch_kwargs(choice: BrowserChoice, *, headless: bool = True) -> dict[str, Any]:
    """Keyword arguments for ``playwright.chromium.launch``."""
    kwargs: dict[str, Any] = {
        "headless": headless,
        "args": list(LAUNCH_ARGS),
        # The runner handles signals itself (graceful stop); the browser must not die first.
        "handle_sigint": False,
        "handle_sigterm": False,
        "handle_sighup": False,
    }
    path = choice.path_for(headless)
    if path:
        kwargs["executable_path"] = path
    return kwargs


def new_context(browser: Browser, settings: Settings, *, storage_state: Path | None = None,
                **options: Any) -> BrowserContext:
    """A context as the operator's browser would be: pt-BR, with the configured timeouts.
    ``storage_state``: a logged-in session to start from; ``options`` go to Playwright."""
    if storage_state is not None:
        options["storage_state"] = str(storage_state)
    context = browser.new_context(locale="pt-BR", **options)
    context.set_default_timeout(settings.action_timeout_ms)
    context.set_default_navigation_timeout(settings.navigation_timeout_ms)
    return context


def main(argv: list[str]) -> int:
    try:
        choice = resolve_browser(Settings().browser_path)
    except BrowserNotFound as exc:
        print(exc, file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_kwargs(choice))
        print(f"Chromium {browser.version} {choice.describe()}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
