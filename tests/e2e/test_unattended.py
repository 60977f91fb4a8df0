"""Unattended operation: faults, browser crash, graceful stop, --until, workers, circuit
breaker, and no secret in anything the run produces."""

from __future__ import annotations

import datetime as dt
import json
import signal
import threading
import time
import zipfile
from pathlib import Path

import psutil
import pytest

from fakesite.sample import bulk_rows, write_xlsx
from fakesite.seed import default_seed
from fakesite.server import FakeSites
from tests.e2e.harness import read_results
from tests.e2e.subprocess_bot import new_ticket_book, pending_book, run_bot, start_bot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def mixed_book(path: Path) -> Path:
    """A request that creates its ticket (2 O.S., one courtesy), a pending registration on an
    existing ticket, and two plain requests."""
    rows_a = new_ticket_book(path.with_name("a.xlsx"))
    rows_b = pending_book(path.with_name("b.xlsx"))
    rows = read_results(rows_a) + read_results(rows_b) + bulk_rows(default_seed(), 2)
    return write_xlsx([{k: v for k, v in r.items() if k != "_row"} for r in rows], path)


def assert_mixed_done(seed: dict, state: dict, book: Path) -> None:
    rows = read_results(book)
    assert [r["Status RPA"] for r in rows] == ["OK", "OK", "CADASTRO_PENDENTE", "OK", "OK"]
    before = {o["number"] for o in seed["workfinity"]["service_orders"]}
    orders = [o for o in state["workfinity"]["service_orders"] if o["number"] not in before]
    assert len(orders) == 4 and len({(o["pedido_de_venda"], o["serial"]) for o in orders}) == 4
    assert {r["Nº O.S."] for r in rows if r["Nº O.S."]} == {o["number"] for o in orders}
    seed_ids = {t["id"] for t in seed["zendesk"]["tickets"]}
    created = [t for t in state["zendesk"]["tickets"] if t["id"] not in seed_ids]
    assert len(created) == 3
    seed_comments = {t["id"]: len(t["comments"]) for t in seed["zendesk"]["tickets"]}
    for t in created + [t for t in state["zendesk"]["tickets"] if t["id"] == 41007]:
        assert t["status_history"][-2:] == ["open", "hold"]
        added = t["comments"][seed_comments.get(t["id"], 0):]
        assert [c["public"] for c in added].count(True) == 1  # one reply, never twice


class TestFaults:
    """Flaky sites: every row still ends with its correct outcome, nothing twice."""

    @pytest.mark.parametrize("knobs", [
        {"fail_rate": 0.2, "seed": 11},
        {"modal_rate": 0.2, "seed": 12},
        {"rate_limit_per_minute": 5, "rate_limit_seconds": 2},
        {"latency_ms": 60, "jitter_ms": 50, "seed": 13},
    ], ids=["fail-rate", "modal-rate", "rate-limit", "latency-jitter"])
    def test_run_ends_correct(self, bot, fake, knobs):
        seed = fake.state()
        fake.faults(**knobs)
        book = mixed_book(bot.workdir / "mixed.xlsx")
        code, summary, _ = bot.run(book, attempts=8)
        assert code == 0, [(r.key, r.message) for r in summary.records if r.outcome == "ERRO_SISTEMA"]
        assert_mixed_done(seed, fake.state(), book)
        kind = {"fail_rate": "injected_failure", "modal_rate": "modal_shown", "rate_limit_per_minute": "rate_limited"}
        for knob, action in kind.items():
            if knob in knobs:  # the fault really happened during the run
                assert fake.audit(action=action)

    def test_sessions_expiring_mid_run(self, bot, fake):
        """The sites' session lifetime drops to almost nothing for a moment mid-run: every
        session expires; the bot logs in again (untraced) and finishes everything."""
        seed = fake.state()
        book = mixed_book(bot.workdir / "mixed.xlsx")
        done = threading.Event()

        def squeeze() -> None:
            while not done.is_set() and len(fake.state()["workfinity"]["service_orders"]) == len(
                    seed["workfinity"]["service_orders"]):
                time.sleep(0.1)
            fake.faults(session_ttl=0.05)
            done.wait(1.5)
            fake.faults(session_ttl=600)

        squeezer = threading.Thread(target=squeeze)
        squeezer.start()
        try:
            code, summary, _ = bot.run(book, attempts=8)
        finally:
            done.set()
            squeezer.join()
        assert code == 0, [(r.key, r.message) for r in summary.records if r.outcome == "ERRO_SISTEMA"]
        assert_mixed_done(seed, fake.state(), book)
        assert fake.audit(entity="session", action="expired")
        logins = [e for e in fake.audit(action="login") if e["site"] == "workfinity"]
        assert len(logins) >= 2  # the first login, and at least one after the expiry


class TestCrashAndStop:
    """A browser crash costs one attempt; a stop finishes in-flight work and resumes later."""

    def test_killing_chromium_mid_request(self, tmp_path):
        with FakeSites() as sites:
            seed = sites.world.state()
            book = mixed_book(tmp_path / "mixed.xlsx")
            proc = start_bot(sites, tmp_path, book)
            bot = psutil.Process(proc.pid)
            deadline = time.monotonic() + 120
            killed = 0
            while time.monotonic() < deadline and not killed:
                if sites.world.state()["workfinity"]["service_orders"] != seed["workfinity"]["service_orders"]:
                    for child in bot.children(recursive=True):
                        if "chrom" in child.name().lower():
                            child.kill()
                            killed += 1
                time.sleep(0.05)
            assert killed, "no Chromium to kill"
            _, err = proc.communicate(timeout=240)
            assert proc.returncode == 0, err[-3000:]
            assert_mixed_done(seed, sites.world.state(), book)

    def test_sigterm_finishes_in_flight_then_resume(self, tmp_path):
        with FakeSites() as sites:
            book = write_xlsx(bulk_rows(default_seed(), 6), tmp_path / "bulk.xlsx")
            proc = start_bot(sites, tmp_path, book)
            lines = []
            for line in proc.stderr:
                lines.append(line)
                if '"request_start"' in line:
                    proc.send_signal(signal.SIGTERM)
                    break
            _, err = proc.communicate(timeout=180)
            events = [json.loads(x) for x in lines + err.splitlines() if x.startswith("{")]
            assert proc.returncode == 1  # rows left for the next run
            started = [e["request"] for e in events if e["event"] == "request_start"]
            ended = [e["request"] for e in events if e["event"] == "request_end"]
            assert started == ended == ["sol:B000000"]
            rows = read_results(book)
            assert [r["Status RPA"] for r in rows] == ["OK"] + [""] * 5
            code, _, err = run_bot(sites, tmp_path, book)
            assert code == 0, err[-2000:]
            rows = read_results(book)
            assert [r["Status RPA"] for r in rows] == ["OK"] * 6
            assert len(sites.world.state()["workfinity"]["service_orders"]) == len(
                default_seed()["workfinity"]["service_orders"]) + 6

    def test_until_stops_starting_new_requests(self, bot, fake):
        from rpa.runtime.jobs import load_job
        from rpa.runtime.runner import Runner

        book = write_xlsx(bulk_rows(default_seed(), 3), bot.workdir / "bulk.xlsx")
        settings = bot.settings()
        job = load_job(settings, book, None, None)
        start = dt.datetime.now()
        ticks = iter(range(10_000))
        clock = lambda: start + dt.timedelta(minutes=next(ticks))  # noqa: E731 - a minute per look
        summary = Runner(settings, [job], "until-test", until=start + dt.timedelta(minutes=1, seconds=30),
                         now=clock).run()
        assert summary.stopped == "until"
        assert len(summary.records) == 1
        assert [r["Status RPA"] for r in read_results(book)] == ["OK", "", ""]
        assert summary.exit_code == 1


class TestWorkersAndBreaker:
    """Four workers give the same outcomes and site state as one; a dead site trips the breaker."""

    @staticmethod
    def _normalized(seed: dict, state: dict, rows: list[dict]) -> dict:
        seed_ids = {t["id"] for t in seed["zendesk"]["tickets"]}
        sol_of = {r["Ticket"]: r["Solicitação"] or r["Ticket"] for r in rows}
        before = {o["number"] for o in seed["workfinity"]["service_orders"]}
        # Prestador is routed by the site in turns, so it depends on the order requests arrive in.
        orders = sorted((sol_of.get(o["pedido_de_venda"]), o["serial"], o["group"], o["service"], bool(o["provider"]))
                        for o in state["workfinity"]["service_orders"] if o["number"] not in before)
        # Ticket ids the bot creates depend on which worker got there first: name them by request.
        tickets = sorted((sol_of[str(t["id"])], t["id"] in seed_ids, tuple(t["status_history"]),
                          len(t["comments"]), t["custom_fields"].get("1002", ""))
                         for t in state["zendesk"]["tickets"] if str(t["id"]) in sol_of)
        return {"outcomes": [(r["Solicitação"], r["Status RPA"]) for r in rows], "orders": orders,
                "tickets": tickets}

    def test_four_workers_equal_one(self, bot, fake):
        results = []
        for workers in (1, 4):
            fake.reset()
            seed = fake.state()
            book = mixed_book(bot.workdir / f"mixed-{workers}.xlsx")
            code, _, _ = bot.run(book, workers=workers)
            assert code == 0
            results.append(self._normalized(seed, fake.state(), read_results(book)))
        assert results[0] == results[1]

    def test_each_worker_has_its_own_session(self, bot, fake):
        """Two workers log in twice, as two people would: Workfinity keeps its "criada com
        sucesso" flash in the session, and workers sharing one consumed each other's."""
        book = write_xlsx(bulk_rows(default_seed(), 4), bot.workdir / "bulk.xlsx")
        code, _, _ = bot.run(book, workers=2)
        assert code == 0
        assert [r["Status RPA"] for r in read_results(book)] == ["OK"] * 4
        workfinity = fake.audit(site="workfinity", entity="session", action="login")
        zendesk = fake.audit(site="zendesk", entity="session", action="login")
        assert len({e["id"] for e in workfinity}) == 2 and len(zendesk) == 2

    def test_circuit_breaker_stops_the_run(self, bot, fake):
        fake.faults(fail_rate=1.0)
        book = write_xlsx(bulk_rows(default_seed(), 5), bot.workdir / "bulk.xlsx")
        code, summary, _ = bot.run(book, attempts=1, circuit_breaker=2)
        assert code == 1 and summary.stopped == "circuit-breaker"
        statuses = [r["Status RPA"] for r in read_results(book)]
        assert statuses[:2] == ["ERRO_SISTEMA"] * 2 and statuses[2:] == [""] * 3
        assert "Uma nova execução continua" in read_results(book)[0]["Mensagem RPA"]


# Passwords full of what encodings change: quotes, < > &, %, +, backslash and spaces.
WF_PASSWORD = 'Wf "S3<cr>&t\' %41+x\\ y'
ZD_PASSWORD = 'Zd <p&ss>\'9 "q" %2F+\\z'
SMTP_PASSWORD = 'Sm "tp<&>\' %+\\ w/@:'


def secret_forms(secret: str) -> list[str]:
    """The secret as a reader would search for it: raw, JSON-escaped, HTML-escaped, URL-encoded, base64."""
    import base64
    import html
    from urllib.parse import quote, quote_plus

    return [secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1], html.escape(secret),
            html.escape(secret, quote=False), quote(secret, safe=""), quote(secret), quote_plus(secret),
            base64.b64encode(secret.encode()).decode()]


@pytest.fixture()
def odd_password_sites():
    """Fake sites whose passwords are full of characters that encodings change."""
    seed = default_seed()
    for user in seed["workfinity"]["users"]:
        user["password"] = WF_PASSWORD
    for agent in seed["zendesk"]["agents"]:
        agent["password"] = ZD_PASSWORD
    sites = FakeSites(seed).start()
    yield sites
    sites.stop()


@pytest.fixture()
def smtp_with_auth():
    """A real SMTP server (aiosmtpd) that wants AUTH with ``SMTP_PASSWORD``."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    from fakesite.server import free_port

    class Inbox:
        messages: list[bytes] = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            self.messages.append(envelope.original_content or envelope.content)
            return "250 OK"

    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password.decode() == SMTP_PASSWORD
        return AuthResult(success=ok, handled=False)

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=30, authenticator=check,
                            auth_require_tls=False)
    controller.start()
    yield inbox, port
    controller.stop()


class TestSecrets:
    """No secret in any file the run produces (logs, journal, workbook, report, flows, HARs, traces,
    e-mails), in any encoding; every file and folder the bot keeps is private."""

    def test_no_secret_in_any_form_and_nothing_readable_by_others(self, odd_password_sites, smtp_with_auth,
                                                                     tmp_path):
        from urllib.parse import quote

        from tests.fakeserver import FakeClient

        inbox, smtp_port = smtp_with_auth
        FakeClient(odd_password_sites).faults(fail_rate=0.25, seed=3)  # failures: screenshots, kept traces
        book = mixed_book(tmp_path / "mixed.xlsx")
        smtp_url = f"smtp://robo:{quote(SMTP_PASSWORD, safe='')}@127.0.0.1:{smtp_port}"
        code, out, err = run_bot(odd_password_sites, tmp_path, book, "--har", "--record", "always",
                                 RPA_ATTEMPTS="10", RPA_SMTP_URL=smtp_url, timeout=400)
        assert code == 0, err[-3000:]
        state = FakeClient(odd_password_sites).state()
        assert_mixed_done(default_seed(), state, book)
        assert inbox.messages, "the Books went through the SMTP server (AUTH passed)"

        produced = [p for p in tmp_path.rglob("*") if p.is_file() and p.name not in ("a.xlsx", "b.xlsx")]
        names = {p.suffix for p in produced}
        assert {".zip", ".har", ".jsonl", ".sqlite", ".html", ".json"} <= names, names
        assert not list((tmp_path / "runs").glob(".state-*")), "storage_state left behind"
        forms = {f for secret in (WF_PASSWORD, ZD_PASSWORD, SMTP_PASSWORD, smtp_url) for f in secret_forms(secret)}
        for path in produced:
            blobs = [(str(path), path.read_bytes())]
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as z:
                    blobs += [(f"{path}!{n}", z.read(n)) for n in z.namelist()]
            for where, blob in blobs:
                for form in forms:
                    assert form.encode() not in blob, f"secret {form!r} found in {where}"
        for folder in ("runs", "recordings", "outbox"):
            kept = [tmp_path / folder, *(tmp_path / folder).rglob("*")]
            readable = [p for p in kept if p.stat().st_mode & 0o077]
            assert not readable, f"readable by others: {readable[:5]}"
