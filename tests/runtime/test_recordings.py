"""What a run leaves behind besides results: recordings kept by mode, the flow log of
page-object intentions, JSON log lines without secrets."""

from __future__ import annotations

import json

import pytest

from rpa.errors import ServerError
from rpa.runtime import logs
from rpa.runtime.flowlog import FlowLog
from rpa.runtime.recording import Recorder


class TestRecordings:
    """Recordings are kept by mode (retention: tests/runtime/test_retention.py)."""

    def test_on_failure_keeps_only_failures(self, tmp_path):
        rec = Recorder(tmp_path, "run1", "on-failure")
        rec.folder("ticket:1").joinpath("trace-1.zip").write_text("x")
        rec.folder("ticket:2").joinpath("trace-1.zip").write_text("x")
        assert rec.settle("ticket:1", ok=True) is None
        assert rec.settle("ticket:2", ok=False) is not None
        assert not (tmp_path / "run1" / "ticket_1").exists()


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
        assert flow.last_call() == "início"
        po.pick_customer("12.345.678/0001-95")
        with pytest.raises(ServerError):
            po.save()
        assert [s["call"] for s in flow.steps] == ["pick_customer", "save"]
        assert flow.steps[1]["error"] == "ServerError"
        assert flow.last_call() == "wf.save"

    def test_json_lines_without_secrets(self, tmp_path):
        log = tmp_path / "run.jsonl"
        logs.configure(secrets=["hunter2"], log_file=log, to_stderr=False, run="r1")
        logs.event("request_end", request="ticket:1", message="senha hunter2 vazou?")
        line = json.loads(log.read_text().splitlines()[-1])
        assert line["run"] == "r1" and line["event"] == "request_end"
        assert "hunter2" not in log.read_text()


class TestTraceArchive:
    def test_secret_echoed_in_a_trace_member_is_replaced(self, tmp_path):
        import stat
        import zipfile

        from rpa.runtime.recording import scrub_archive
        from rpa.runtime.scrubbing import Scrubber

        trace = tmp_path / "trace-1.zip"
        with zipfile.ZipFile(trace, "w") as z:
            z.writestr("trace.network", json.dumps({"postData": 'senha=Wf "S3cr3t"'}))
            z.writestr("resources/page.png", b"\x89PNG\x00\xffWf \"S3cr3t\"")
            z.writestr("trace.trace", "nada aqui")
        assert scrub_archive(trace, Scrubber(['Wf "S3cr3t"']))
        with zipfile.ZipFile(trace) as z:
            assert json.loads(z.read("trace.network")) == {"postData": "senha=***"}
            assert z.read("resources/page.png") == b"\x89PNG\x00\xff***"
            assert z.read("trace.trace") == b"nada aqui"
        assert stat.S_IMODE(trace.stat().st_mode) == 0o600
        assert not scrub_archive(trace, Scrubber(['Wf "S3cr3t"']))
