"""The drift breaker's counting (no browser): per hook, consecutive, through wrapped errors."""

from __future__ import annotations

from rpa.errors import HookMissing, ServerError
from rpa.runtime.drift import DriftBreaker, hook_missing


def missing(hook: str = "zendesk.composer.channel_switcher") -> HookMissing:
    return HookMissing("sumiu", hook=hook, screen="novo ticket")


def wrapped(error: Exception) -> Exception:
    try:
        try:
            raise error
        except Exception as inner:
            raise ServerError("depois das tentativas") from inner
    except ServerError as outer:
        return outer


def test_trips_on_the_nth_failure_of_one_hook_and_names_it():
    breaker = DriftBreaker(3)
    assert breaker.record(missing(), completed=False) is None
    assert breaker.record(wrapped(missing()), completed=False) is None
    assert breaker.record(missing("workfinity.form.notes"), completed=False) is None  # another hook: its own count
    assert breaker.record(ServerError("500"), completed=False) is None  # proves nothing either way
    tripped = breaker.record(missing(), completed=False)
    assert tripped is not None and tripped.hook == "zendesk.composer.channel_switcher"
    assert "zendesk.composer.channel_switcher" in breaker.message()
    assert "novo ticket" in breaker.message() and "rpa doctor" in breaker.message()
    assert breaker.record(missing(), completed=False) is None  # trips once


def test_a_request_that_went_through_resets_every_count():
    breaker = DriftBreaker(2)
    breaker.record(missing(), completed=False)
    breaker.record(None, completed=True)
    assert breaker.record(missing(), completed=False) is None
    assert breaker.message() == ""


def test_hook_missing_is_found_behind_causes():
    assert hook_missing(wrapped(missing())) is not None
    assert hook_missing(ServerError("x")) is None
    assert hook_missing(None) is None
