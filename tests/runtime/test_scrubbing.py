"""Secrets replaced at the source, before any encoding: in log lines (before ``json.dumps``),
in system-error messages (before they reach the workbook, journal and flow), in the report
(before ``html.escape``), in every encoded form."""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import stat
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpa.runtime import logs, scrubbing
from rpa.runtime.scrubbing import MASK, Scrubber, forms

WF = 'Wf-S3cr3t"q\\x'
ZD = "Zd<p&ss>'9"
ODD = "a b%c+d/e\\f\"g<h>i&j'k"


def encodings(secret: str) -> list[str]:
    """The forms a reader would search the outputs for."""
    return [secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1], html.escape(secret),
            quote(secret, safe=""), quote_plus(secret), base64.b64encode(secret.encode()).decode()]


class TestScrubber:
    @pytest.mark.parametrize("secret", [WF, ZD, ODD])
    def test_every_encoding_is_replaced(self, secret):
        scrubber = Scrubber([secret])
        for form in encodings(secret):
            assert scrubber.text(f"antes {form} depois") == f"antes {MASK} depois"
        assert set(encodings(secret)) <= set(forms(secret))

    def test_nested_values_and_bytes(self):
        scrubber = Scrubber([WF])
        cleaned = scrubber.values({"a": [WF, {"b": (1, f"x{WF}")}], WF: 2})
        assert cleaned == {"a": [MASK, {"b": [1, f"x{MASK}"]}], MASK: 2}
        assert scrubber.data(f"é {WF}".encode()) == f"é {MASK}".encode()
        assert scrubber.data(b"\xff" + WF.encode()) == b"\xff" + MASK.encode()

    def test_no_secret_changes_nothing(self):
        assert Scrubber(["", ""]).text("nada a esconder") == "nada a esconder"


class TestLogLines:
    def test_json_escaped_password_is_not_written(self, tmp_path):
        log = tmp_path / "logs" / "run.jsonl"
        logs.configure(secrets=[WF, ZD], log_file=log, to_stderr=False, run="r1")
        logs.event("retry", message=f"falhou com {WF} e {ZD}", nested={"x": [WF]}, error=ValueError(WF))
        text = log.read_text(encoding="utf-8")
        line = json.loads(text)
        assert line["message"] == f"falhou com {MASK} e {MASK}" and line["nested"] == {"x": [MASK]}
        for secret in (WF, ZD):
            for form in encodings(secret):
                assert form not in text
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
        assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
        logs.configure(secrets=[], to_stderr=False)


class TestSystemErrorMessage:
    def test_exception_text_is_scrubbed_before_it_becomes_the_message(self):
        from rpa.procedure.rules import Plan
        from rpa.runtime.row_results import system_error_results

        scrubbing.use([WF])
        try:
            request = type("R", (), {"row_numbers": [2, 3]})()  # all system_error_results reads of it
            plan = Plan(request=request, catalogs=None)  # type: ignore[arg-type]
            results = system_error_results(plan, where="wf.login", attempts=3, error=f"SiteError: senha {WF} recusada",
                                           stamp=dt.datetime(2026, 12, 1, 8, 0))
        finally:
            scrubbing.use([])
        assert {n for n in results} == {2, 3}
        for r in results.values():
            assert WF not in r.message and MASK in r.message


class TestReport:
    def test_secret_is_scrubbed_before_html_escaping(self, tmp_path):
        from rpa.io.report import render
        from rpa.io.run_summary import RequestRecord, RunSummary
        from rpa.outcomes import Outcome

        record = RequestRecord("p.xlsx", "ticket:1", [2], Outcome.ERRO_SISTEMA, f"falha: {ZD}", 1.0, "", 1, [])
        summary = RunSummary("r1", [record], {Outcome.ERRO_SISTEMA: 1}, [], None, 1.0, 0)
        report = render(summary, tmp_path / "relatorio.html", scrub=Scrubber([ZD]).text)
        text = report.read_text(encoding="utf-8")
        for form in encodings(ZD):
            assert form not in text
        assert f"falha: {MASK}" in text


class TestBookEmail:
    def test_subject_and_text_parts_are_scrubbed_before_encoding(self):
        from email import message_from_bytes, policy
        from email.message import EmailMessage

        msg = EmailMessage()
        msg["Subject"] = f"Book {WF}"
        msg.set_content(f"Olá, {WF} é\n" * 3, cte="quoted-printable")
        msg.add_alternative(f"<p>{html.escape(ZD)}</p>", subtype="html", cte="base64")
        scrubbing.use([WF, ZD])
        try:
            scrubbing.scrub_email(msg)
        finally:
            scrubbing.use([])
        raw = bytes(msg)
        parsed = message_from_bytes(raw, policy=policy.default)
        assert parsed["Subject"] == f"Book {MASK}"
        texts = [p.get_content() for p in parsed.walk() if not p.is_multipart()]
        assert texts[0] == f"Olá, {MASK} é\n" * 3 and texts[1] == f"<p>{MASK}</p>\n"
        for secret in (WF, ZD):
            for form in encodings(secret):
                assert form.encode() not in raw


_SECRETS = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="*xyz"),
                   min_size=4, max_size=24)
_PADDING = st.text(alphabet="xyz \n", max_size=8)


@settings(max_examples=300, deadline=None)
@given(_SECRETS, _PADDING, _PADDING)
def test_no_encoded_form_of_any_secret_survives(secret, before, after):
    """Whatever the secret, none of its encoded forms survives, wherever it sits in a text."""
    scrubber = Scrubber([secret])
    for form in encodings(secret):
        out = scrubber.text(before + form + after)
        assert form not in out and MASK in out
