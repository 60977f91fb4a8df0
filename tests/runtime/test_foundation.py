"""Runner building blocks that need no browser: journal, retry policy, settings, browser
resolution, recordings, flow log, logs."""

from __future__ import annotations

import json
import os
import time

import pytest

from rpa.runtime import logs
from rpa.errors import BrowserNotFound
from rpa.runtime.browser import launch_kwargs, resolve_browser
from rpa.errors import (BusinessOutcome, InvalidData, LoginRefused, RateLimited, ServerError,
                        SessionExpired)
from rpa.runtime.boundary import is_retryable
from rpa.runtime.flowlog import FlowLog
from rpa.io.journal import Journal
from rpa.runtime.recording import Recorder
from rpa.runtime.retry import RetryPolicy, request_retrying
from rpa.settings import Settings


class TestJournal:
    """The journal records intents and results durably and answers resume questions."""

    def test_intent_then_done_survives_reopen(self, tmp_path):
        j = Journal(tmp_path / "j.sqlite")
        j.intent("sol:1", "ticket", "RPA-X")
        assert j.effect("sol:1", "ticket") == ("intent", "RPA-X")
        assert j.done_value("sol:1", "ticket") is None
        j.done("sol:1", "ticket", "41050")
        j.close()
        again = Journal(tmp_path / "j.sqlite")
        assert again.done_value("sol:1", "ticket") == "41050"

    def test_intent_never_downgrades_a_done_effect(self, tmp_path):
        j = Journal(tmp_path / "j.sqlite")
        j.done("k", "os:S1", "2026000001")
        j.intent("k", "os:S1", {"pedido": "1"})
        assert j.effect("k", "os:S1") == ("done", "2026000001")

    def test_final_rows_exclude_system_errors(self, tmp_path):
        j = Journal(tmp_path / "j.sqlite")
        j.begin_request("k", [2, 3], "run1")
        j.finish_request("k", {2: {"status": "OK"}, 3: {"status": "ERRO_SISTEMA"}}, final=False,
                         fingerprints={2: "a", 3: "b"})
        assert j.final_rows() == {2: ("OK", "a")}
        assert set(j.results()) == {2, 3}

    def test_attempts_count_up(self, tmp_path):
        j = Journal(tmp_path / "j.sqlite")
        assert j.begin_request("k", [2], "r") == 1
        assert j.begin_request("k", [2], "r") == 2


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


class TestBrowserResolution:
    """Bundled Chromium first, then RPA_BROWSER_PATH, then system paths; clear error otherwise."""

    def test_env_path_used_when_no_bundled(self, tmp_path):
        fake = tmp_path / "chrome"
        fake.write_text("")
        choice = resolve_browser({"RPA_BROWSER_PATH": str(fake)}, bundled=False)
        assert choice.executable_path == str(fake)

    def test_bad_env_path_is_a_clear_error(self):
        with pytest.raises(BrowserNotFound, match="RPA_BROWSER_PATH"):
            resolve_browser({"RPA_BROWSER_PATH": "/nope/chrome"}, bundled=False)

    def test_headless_prefers_the_system_headless_shell(self, tmp_path, monkeypatch):
        """Headless launches use chromium-headless-shell when installed; headed ones the full browser."""
        full, shell = tmp_path / "chromium", tmp_path / "chromium-headless-shell"
        full.write_text("")
        shell.write_text("")
        monkeypatch.setattr("rpa.runtime.browser.SYSTEM_CANDIDATES", (str(full),))
        monkeypatch.setattr("rpa.runtime.browser.HEADLESS_SHELL_CANDIDATES", (str(shell),))
        choice = resolve_browser({}, bundled=False)
        assert launch_kwargs(choice, headless=True)["executable_path"] == str(shell)
        assert launch_kwargs(choice, headless=False)["executable_path"] == str(full)
        monkeypatch.setattr("rpa.runtime.browser.HEADLESS_SHELL_CANDIDATES", ())
        assert launch_kwargs(resolve_browser({}, bundled=False), headless=True)["executable_path"] == str(full)

    def test_no_browser_anywhere(self, monkeypatch):
        monkeypatch.setattr("rpa.runtime.browser.SYSTEM_CANDIDATES", ())
        monkeypatch.setattr("rpa.runtime.browser.HEADLESS_SHELL_CANDIDATES", ())
        monkeypatch.setattr("shutil.which", lambda name: None)
        with pytest.raises(BrowserNotFound, match="apt-get install chromium"):
            resolve_browser({}, bundled=False)


class TestRecordings:
    """Recordings are kept by mode and old runs pruned by retention."""

    def test_on_failure_keeps_only_failures(self, tmp_path):
        rec = Recorder(tmp_path, "run1", "on-failure")
        rec.folder("ticket:1").joinpath("trace-1.zip").write_text("x")
        rec.folder("ticket:2").joinpath("trace-1.zip").write_text("x")
        assert rec.settle("ticket:1", ok=True) is None
        assert rec.settle("ticket:2", ok=False) is not None
        assert not (tmp_path / "run1" / "ticket_1").exists()

    def test_prune_by_age(self, tmp_path):
        old = tmp_path / "old-run"
        old.mkdir()
        past = time.time() - 30 * 86400
        os.utime(old, (past, past))
        rec = Recorder(tmp_path, "new-run", "always")
        rec.folder("k")
        assert rec.prune(14) == [old]
        assert (tmp_path / "new-run").exists()


class TestFlowLogAndLogs:
    """The flow log records intentions; logs are JSON lines with secrets scrubbed."""

    def test_flow_records_calls_and_errors(self):
        class PO:
            def pick_customer(self, cnpj):
                return {"ok": cnpj}

            def save(self):
                raise ServerError("500")

        flow = FlowLog()
        po = flow.wrap("wf", PO())
        po.pick_customer("12.345.678/0001-95")
        with pytest.raises(ServerError):
            po.save()
        assert [s["call"] for s in flow.steps] == ["pick_customer", "save"]
        assert flow.steps[1]["error"] == "ServerError"

    def test_json_lines_without_secrets(self, tmp_path):
        log = tmp_path / "run.jsonl"
        logs.configure(secrets=["hunter2"], log_file=log, to_stderr=False, run="r1")
        logs.event("request_end", request="ticket:1", message="senha hunter2 vazou?")
        line = json.loads(log.read_text().splitlines()[-1])
        assert line["run"] == "r1" and line["event"] == "request_end"
        assert "hunter2" not in log.read_text()
