"""Retry policies, defined once as data (tenacity) and used by the runner.

Only system errors are retried (``rpa.runtime.boundary.is_retryable``); business outcomes never are.
A rate-limit refusal waits the seconds the site named; everything else backs off
exponentially with jitter. Each attempt starts from a fresh browser context, and every step
of a request is idempotent (journal + reconciliation), so retrying a whole request is safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from rpa.errors import RateLimited
from rpa.runtime.boundary import is_retryable


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    initial: float = 1.0   # seconds before the 2nd attempt (then doubled, with jitter)
    maximum: float = 30.0
    jitter: float = 1.0


class wait_rate_limit_or_backoff:
    """Wait what a RateLimited error asks for (plus 0.5 s), else exponential backoff with jitter."""

    def __init__(self, policy: RetryPolicy) -> None:
        self._backoff = wait_exponential_jitter(initial=policy.initial, max=policy.maximum, jitter=policy.jitter)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RateLimited):
            return float(exc.retry_after) + 0.5
        return self._backoff(state)


def request_retrying(policy: RetryPolicy, before_sleep: Callable[[RetryCallState], None] | None = None,
                     sleep: Callable[[float], None] | None = None) -> Retrying:
    """The policy for one request: attempts, which errors, how long to wait, what to do between."""
    kwargs: dict[str, Any] = {}
    if sleep is not None:
        kwargs["sleep"] = sleep
    return Retrying(
        stop=stop_after_attempt(policy.attempts),
        wait=wait_rate_limit_or_backoff(policy),
        retry=retry_if_exception(is_retryable),
        before_sleep=before_sleep,
        reraise=True,
        **kwargs,
    )
