"""Helpers every page object shares."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import unquote_plus

from playwright.sync_api import Dialog, Locator, Page, Response, expect
from playwright.sync_api import Error as PlaywrightError

# In-page condition polls (wait_for_function): every 20 ms rather than every animation frame,
# so that a page waiting for a server answer costs no rendering.
POLL_MS = 20


# Playwright polls an ``expect`` ever more slowly, up to every 500 ms once a wait passes
# ~0.3 s: a page answering a server request in 260 ms would be noticed at 770 ms. Waiting in
# slices of 400 ms keeps the polls at most 50 ms apart for the whole timeout.
SLICE_MS = 400.0


def soon(assertion: Callable[[float], Any], timeout_ms: float) -> None:
    """Run ``assertion(timeout)`` (an ``expect(...)`` call) in short slices until it passes or
    ``timeout_ms`` is over; the last slice's AssertionError is raised."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        left = (deadline - time.monotonic()) * 1000
        try:
            assertion(max(1.0, min(SLICE_MS, left)))
            return
        except AssertionError:
            if left <= SLICE_MS:
                raise


def soon_visible(locator: Locator, timeout_ms: float) -> None:
    """``soon`` waiting for ``locator`` to be visible."""
    soon(lambda t: expect(locator).to_be_visible(timeout=t), timeout_ms)


def evaluate_first(locator: Locator, expression: str, arg: Any = None) -> Any:
    """``locator.evaluate`` on an element known to be there, in one round trip instead of three
    (wait for it, evaluate, release the handle); waits like ``evaluate`` if it is not there yet."""
    found, value = locator.evaluate_all(
        f"(els, arg) => els.length ? [true, ({expression})(els[0], arg)] : [false, null]", arg)
    return value if found else locator.evaluate(expression, arg)


# Where to click an element, if it can be clicked right now: visible, enabled, inside the
# viewport of the top window, and the topmost element at its centre (nothing covers it).
CLICK_POINT_JS = """el => {
  if (window !== window.top || !el.checkVisibility() || el.matches(':disabled')
      || el.closest('[aria-disabled="true"]')) return null;
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (!r.width || !r.height || x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return null;
  const hit = document.elementFromPoint(x, y);
  return hit && (hit === el || el.contains(hit)) ? [x, y] : null;
}"""


# Playwright's "visible" (a box of some size, not visibility:hidden), for in-page reads that
# must agree with ``filter(visible=True)`` and ``is_visible()``.
VISIBLE_JS = """el => {
  if (!el.checkVisibility({visibilityProperty: true})) return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
}"""

# What ``probe`` reads of an element besides the caller's own expression (composed here, not
# eval'd in the page: a site's Content-Security-Policy may forbid eval).
def _probe_js(expression: str) -> str:
    return (f"(els, arg) => els.length ? {{value: ({expression})(els[0], arg), visible: ({VISIBLE_JS})(els[0]), "
            f"click: ({CLICK_POINT_JS})(els[0])}} : null")


@dataclass(frozen=True)
class Probe:
    """One element's state read in one round trip: ``value`` (the caller's expression),
    ``visible`` (as Playwright means it) and ``click`` (where to click it now, or None)."""

    locator: Locator
    value: Any
    visible: bool
    click: list[float] | None

    def activate(self) -> None:
        """``activate`` with the click point read by the probe (no second reading)."""
        click_at(self.locator, self.click)


def probe(locator: Locator, expression: str = "el => null", arg: Any = None) -> Probe | None:
    """The first element of ``locator`` as it is now (None when nothing matches), without
    waiting: callers fall back to their waiting path when the probe does not settle the step."""
    found = locator.evaluate_all(_probe_js(expression), arg)
    return None if found is None else Probe(locator.first, found["value"], found["visible"], found["click"])


def click_at(locator: Locator, point: list[float] | None) -> None:
    """Click ``point`` with the mouse when the element was found ready there, else
    ``locator.click()`` with every actionability check."""
    if point:
        locator.page.mouse.click(point[0], point[1])
    else:
        locator.click()


def activate(locator: Locator) -> None:
    """Click an element with the mouse. When it is ready now (the checks of ``CLICK_POINT_JS``,
    Playwright's own actionability checks done in one round trip) the mouse clicks its centre
    at once; otherwise ``locator.click()`` waits for it with every check. What the first path
    leaves out is Playwright's wait for two animation frames of stability, which makes a click
    take 41 ms instead of ~8 on these pages; every step checks its own result afterwards."""
    click_at(locator, evaluate_first(locator, CLICK_POINT_JS))


def wait_true(locator: Locator, predicate: str, arg: Any, timeout_ms: float) -> bool:
    """Wait until ``predicate(element, arg)`` holds for the first element of ``locator``,
    polled in the page every ``POLL_MS``, in one round trip (instead of taking a handle and
    waiting on it); False when the time is over or the element went away."""
    poll = f"""(el, [arg, timeout, poll]) => new Promise(resolve => {{
      const test = ({predicate}), until = Date.now() + timeout;
      const tick = () => {{
        let ok = false;
        try {{ ok = el.isConnected && !!test(el, arg); }} catch (e) {{ ok = false; }}
        if (ok) return resolve(true);
        if (!el.isConnected || Date.now() > until) return resolve(false);
        setTimeout(tick, poll);
      }};
      tick();
    }})"""
    args = [arg, timeout_ms, POLL_MS]
    answer = locator.evaluate_all(f"(els, args) => els.length ? ({poll})(els[0], args) : null", args)
    if answer is None:  # not there yet: Playwright waits for it, then the page polls
        first = locator.first
        first.wait_for(state="attached", timeout=timeout_ms)
        answer = first.evaluate(poll, args)
    return bool(answer)


# What a page showed before an action is marked with this attribute; the answer is what comes
# without it: a new document after a submit, new elements after a search.
STALE = "data-rpa-stale"


def mark_stale(page: Page, *also: str) -> None:
    """Mark the current document, and the elements matching the CSS selectors ``also``."""
    page.evaluate("""([attr, selectors]) => {
        document.documentElement.setAttribute(attr, '1');
        selectors.forEach(s => document.querySelectorAll(s).forEach(e => e.setAttribute(attr, '1')));
    }""", [STALE, list(also)])


def mark_stale_elements(locator: Locator) -> None:
    """Mark every element ``locator`` matches now."""
    locator.evaluate_all("(els, attr) => els.forEach(e => e.setAttribute(attr, '1'))", STALE)


def unmarked(locator: Locator) -> Locator:
    """The elements of ``locator`` that carry no stale mark (they came after the marking)."""
    return locator.and_(locator.page.locator(f":not([{STALE}])"))


def wait_unmarked_document(page: Page, timeout_ms: float, or_shown: Locator | None = None) -> None:
    """Wait until the document marked by ``mark_stale`` has been replaced (or, when given, until
    ``or_shown`` is visible); AssertionError when neither happens within ``timeout_ms``."""
    fresh = page.locator(f"html:not([{STALE}])")
    answer = fresh if or_shown is None else fresh.or_(or_shown.filter(visible=True)).first
    soon(lambda t: expect(answer).to_be_attached(timeout=t), timeout_ms)


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    def __repr__(self) -> str:  # never print the password
        return f"Credentials(user={self.user!r}, password='***')"


def test_id(root: Page | Locator, value: str) -> Locator:
    """``[data-test-id=value]``: Zendesk's hook (Playwright's get_by_test_id reads data-testid)."""
    return root.locator(f'[data-test-id="{value}"]')


# A cookie-consent banner (not in the contract: tenants add them) and its "accept" button.
COOKIE_BANNER = re.compile(r"cookie", re.I)
COOKIE_ACCEPT = re.compile(r"^\s*(aceitar|aceito|concordo|entendi|ok|accept)", re.I)


def install_modal_handler(page: Page) -> None:
    """Close the sites' surprise blocking modal ("Aviso" / "Fechar") whenever it shows up, and
    accept a cookie-consent banner: not modal, but a bar over the page that can cover a button."""
    modal = page.get_by_role("dialog", name="Aviso")
    page.add_locator_handler(modal, lambda m: m.get_by_role("button", name="Fechar").click(), no_wait_after=False)
    banner = (page.get_by_role("region", name=COOKIE_BANNER).or_(page.get_by_role("dialog", name=COOKIE_BANNER))
              .filter(has=page.get_by_role("button", name=COOKIE_ACCEPT)))
    page.add_locator_handler(banner, lambda b: b.get_by_role("button", name=COOKIE_ACCEPT).first.click())
    page.on("dialog", answer_dialog)


def answer_dialog(dialog: Dialog) -> None:
    """A "leave this page?" prompt (``beforeunload``) is accepted: the bot leaves a page on
    purpose — a tab kept across requests may hold a form a business outcome left unsaved (a
    customer not found), and a real Workfinity may warn before leaving a filled form. Any
    other JavaScript dialog is dismissed, as Playwright does when nobody listens."""
    if dialog.type == "beforeunload":
        dialog.accept()
    else:
        dialog.dismiss()


def carries(response: Response, text: str) -> bool:
    """Whether the request of ``response`` carried ``text`` (URL or body): the answer to a lookup of it."""
    request = response.request
    needle = text.strip().lower()
    return needle in unquote_plus(request.url).lower() or needle in (request.post_data or "").lower()


class LookupAnswer(Enum):
    """What a site's lookup request answered, as far as its response tells."""

    FOUND = "found"
    NOTHING = "nothing"   # a well-formed answer without results: the site's own "not found"
    REFUSED = "refused"   # 401/403: the session is gone
    FAILED = "failed"     # 5xx: the lookup failed, it did not answer
    UNKNOWN = "unknown"   # no request seen, or an answer in a form not understood


def lookup_answer(response: Response | None, results: Callable[[Any], Any] = lambda body: body) -> LookupAnswer:
    """Classify a lookup's response: ``results(body)`` picks the results out of its JSON body
    (the body itself by default). Only JSON counts as an answer: the HTML 404 of a moved
    endpoint says nothing about the thing looked up."""
    if response is None:
        return LookupAnswer.UNKNOWN
    if response.status in (401, 403):
        return LookupAnswer.REFUSED
    if response.status >= 500:
        return LookupAnswer.FAILED
    try:
        found = results(response.json())
    except (PlaywrightError, ValueError, TypeError, KeyError, AttributeError):
        return LookupAnswer.UNKNOWN
    if response.status == 404 or (response.ok and found in (None, [], {}, 0)):
        return LookupAnswer.NOTHING
    return LookupAnswer.FOUND if response.ok else LookupAnswer.UNKNOWN
