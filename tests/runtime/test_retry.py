"""System errors are retried with backoff; business outcomes and refused logins never."""

from __future__ import annotations

import pytest

from rpa.errors import BusinessOutcome, InvalidData, LoginRefused, RateLimited, ServerError, SessionExpired
from rpa.runtime.boundary import is_retryable
from rpa.runtime.retry import RetryPolicy, request_retrying


class TestRetryPolicy:
    """System errors are retried with backoff; business outcomes and refused logins never."""

    def test_classification(self):
        assert is_retryable(ServerError("500"))
        assert is_retryable(SessionExpired("x"))
        assert not is_retryable(LoginRefused("x"))
        assert not is_retryable(InvalidData("x"))
        assert not is_retryable(ValueError("bug"))

    def test_retries_system_errors_until_attempts_run_out(self):
        calls, waits = [], []
        retrying = request_retrying(RetryPolicy(attempts=3), sleep=waits.append)
        with pytest.raises(ServerError):
            for attempt in retrying:
                with attempt:
                    calls.append(1)
                    raise ServerError("Erro interno do servidor")
        assert len(calls) == 3 and len(waits) == 2

    def test_business_outcome_is_not_retried(self):
        calls = []
        with pytest.raises(BusinessOutcome):
            for attempt in request_retrying(RetryPolicy(attempts=3), sleep=lambda s: None):
                with attempt:
                    calls.append(1)
                    raise InvalidData("CNPJ")
        assert calls == [1]

    def test_rate_limit_waits_what_the_site_says(self):
        waits = []
        for attempt in request_retrying(RetryPolicy(attempts=2), sleep=waits.append):
            with attempt:
                if not waits:
                    raise RateLimited("Limite", retry_after=7)
        assert waits == [7.5]
