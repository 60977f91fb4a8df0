"""QA replay of recorded flows (issue 7).

One small run (two requests, ``--har``, traces always) is recorded on fake sites of this
module's own; they are stopped once the run ends. Every replay then goes to fresh fake sites
started by the replay itself, or to no site at all (offline, from the HAR files).
"""

from __future__ import annotations

import dataclasses
import json
import shutil

import httpx
import pytest
from typer.testing import CliRunner

from fakesite.sample import sample_rows
from fakesite.seed import default_seed
from fakesite.server import FakeSites
from pages.workfinity.order_form import OrderFormPage
from rpa.cli import app
from rpa.cli.replay import exit_code, find_trace, replay_command, start_viewer, stop_viewer
from rpa.qa.replay import replay_paths
from rpa.runtime.recording import request_slug
from tests.e2e.harness import Bot
from tests.fakeserver import FakeClient

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("replay")]

LABEL = "Observação interna do time"
NEW_TICKET = "NEXTEL sem ticket: o robô cria"          # the bot creates the ticket (SOL-2002)
IN_WARRANTY = "Orçamento dentro da garantia (R9)"      # an existing ticket, warranty note (R9)
NEXTEL = request_slug("sol:SOL-2002")
TIM = request_slug("ticket:41007")
NEXTEL_FLOW = f"flows/{NEXTEL}.json"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """Record the two requests with HAR and traces, then stop the sites they ran on."""
    sites = FakeSites().start()
    try:
        fake = FakeClient(sites)
        bot = Bot(fake, tmp_path_factory.mktemp("replay"))
        rows = sample_rows(default_seed())
        picked = [next(r for r in rows if r[LABEL] == label) for label in (NEW_TICKET, IN_WARRANTY)]
        code, summary, _ = bot.run(bot.workbook(picked), workers=2, record="always", har=True)
        creds = fake.credentials
        settings = bot.settings()  # the recorded sites' addresses: read while they still serve
        tokens = [t for store in sites.world.sessions.values() for t in store._sessions]
        origins = [sites.workfinity_origin, sites.zendesk_url]
    finally:
        sites.stop()
    return dict(bot=bot, settings=settings, code=code, summary=summary,
                run_dir=bot.workdir / "recordings" / summary.run_id,
                passwords=[creds["workfinity"]["password"], creds["zendesk"]["password"]], tokens=tokens,
                origins=origins)


def paths(reports) -> list[str]:
    return [d.path for r in reports for d in r.differences]


class TestRecording:
    """``rpa run --har`` leaves a flow and a scrubbed HAR per request, and nothing secret."""

    def test_every_request_leaves_a_flow_and_a_har(self, recorded):
        run_dir = recorded["run_dir"]
        assert recorded["code"] == 0
        assert sorted(p.name for p in (run_dir / "flows").glob("*.json")) == [f"{NEXTEL}.json", f"{TIM}.json"]
        assert sorted(p.name for p in (run_dir / "har").glob("*.har")) == [f"{NEXTEL}-1.har", f"{TIM}-1.har"]
        flow = json.loads((run_dir / NEXTEL_FLOW).read_text(encoding="utf-8"))
        calls = [f"{s['po']}.{s['call']}" for s in flow["steps"]]
        assert {"workfinity.form.pick_customer", "workfinity.form.save", "zendesk.ticket.submit_as"} <= set(calls)
        assert flow["results"]["2"]["status"] == "OK"

    def test_no_secret_in_any_flow_or_har(self, recorded):
        files = [*recorded["run_dir"].rglob("*.json"), *recorded["run_dir"].rglob("*.har")]
        assert len(files) == 4
        assert recorded["tokens"]  # the run did log in: there were session cookies to leak
        for path in files:
            text = path.read_text(encoding="utf-8")
            for secret in recorded["passwords"] + recorded["tokens"]:
                assert secret not in text, path.name
        for path in recorded["run_dir"].rglob("*.har"):
            for entry in json.loads(path.read_text(encoding="utf-8"))["log"]["entries"]:
                for part in (entry["request"], entry["response"]):
                    names = {h["name"].lower() for h in part["headers"]}
                    assert not names & {"cookie", "set-cookie", "authorization"}, path.name
                    assert part["cookies"] == []


class TestReplayOnFreshFakes:
    """A replay on fresh fake sites: no diff when nothing changed, the exact field otherwise."""

    def test_unchanged_bot_and_sites_replay_without_difference(self, recorded, capsys):
        assert replay_command(recorded["run_dir"], settings=recorded["settings"]) == 0
        out = capsys.readouterr().out
        assert f"sol:SOL-2002 ({NEXTEL}.json): sem diferenças" in out
        assert f"ticket:41007 ({TIM}.json): sem diferenças" in out
        assert "2 fluxo(s) idênticos" in out

    def test_changed_seed_field_is_the_only_difference(self, recorded):
        seed = default_seed()
        flow = json.loads((recorded["run_dir"] / NEXTEL_FLOW).read_text(encoding="utf-8"))
        customer = next(c for c in seed["workfinity"]["customers"] if c["document"] == flow["rows"][0]["cnpj_masked"])
        before = customer["address"]["numero"]
        customer["address"]["numero"] = before + "9"
        reports = replay_paths(recorded["run_dir"] / NEXTEL_FLOW, recorded["settings"], data=seed)
        assert paths(reports) == ["workfinity.form.pick_customer → result.address.numero"]
        difference = reports[0].differences[0]
        assert (difference.recorded, difference.replayed) == (before, before + "9")
        assert exit_code(reports) == 1

    def test_changed_page_object_value_is_the_only_difference(self, recorded, monkeypatch):
        original = OrderFormPage.lookup_equipment

        def reads_another_model(self, serial):
            info = original(self, serial)
            return dataclasses.replace(info, model=info.model + " rev2")

        monkeypatch.setattr(OrderFormPage, "lookup_equipment", reads_another_model)
        reports = replay_paths(recorded["run_dir"] / NEXTEL_FLOW, recorded["settings"])
        assert paths(reports) == ["workfinity.form.lookup_equipment → result.model"]
        assert str(reports[0].differences[0]).endswith(" rev2'")
        assert exit_code(reports) == 1


class TestOfflineReplay:
    """``--offline``: the page objects run on the recorded answers, with no site at all."""

    def test_har_replay_passes_with_the_sites_stopped(self, recorded):
        for origin in recorded["origins"]:
            with pytest.raises(httpx.ConnectError):
                httpx.get(origin + "/_fake/state", timeout=5)
        reports = replay_paths(recorded["run_dir"], recorded["settings"], offline=recorded["run_dir"])
        assert [r.flow.key for r in reports] == ["sol:SOL-2002", "ticket:41007"]
        assert paths(reports) == []
        assert all(not r.error and not r.notes for r in reports)

    def test_missing_har_is_an_unreadable_flow(self, recorded, tmp_path):
        shutil.copy2(recorded["run_dir"] / NEXTEL_FLOW, tmp_path / f"{NEXTEL}.json")
        code = replay_command(tmp_path / f"{NEXTEL}.json", offline=tmp_path, settings=recorded["settings"])
        assert code == 2


class TestShowTrace:
    """``rpa replay show`` serves a recorded trace in the offline trace viewer."""

    def test_viewer_serves_the_trace(self, recorded):
        trace = find_trace(recorded["run_dir"] / NEXTEL)
        assert trace.name == "trace-1.zip"
        proc, url = start_viewer(trace)
        try:
            assert url.startswith("http://127.0.0.1:")
            response = httpx.get(url, follow_redirects=True, timeout=20)
            assert response.status_code == 200
            assert "trace" in str(response.url)
        finally:
            stop_viewer(proc)
        with pytest.raises(httpx.ConnectError):  # the viewer's node child stopped with it
            httpx.get(url, timeout=5)


class TestCommandLine:
    """Exit code 2 when the flow cannot be read."""

    def test_unreadable_flow_exits_2(self, tmp_path):
        broken = tmp_path / "broken.json"
        broken.write_text("{ not json", encoding="utf-8")
        result = CliRunner().invoke(app, ["replay", "run", str(broken)])
        assert result.exit_code == 2

    def test_folder_without_flows_exits_2(self, tmp_path):
        result = CliRunner().invoke(app, ["replay", "run", str(tmp_path)])
        assert result.exit_code == 2
