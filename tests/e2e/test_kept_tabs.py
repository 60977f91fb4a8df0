"""A worker keeps its two tabs open across requests (``rpa.runtime.kept_tabs``), and each
request's trace still holds only that request's network traffic (playwright#30591 leaks
earlier chunks' entries into later traces with ``start_chunk``; the bot uses start/stop).

One bot run of three requests that each create their ticket, tabs recycled every 2 requests,
every trace kept, on the slow-client profile of the fakes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from fakesite.sample import bulk_rows
from fakesite.seed import default_seed
from tests.e2e.harness import read_results

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def network(trace: Path) -> list[dict]:
    """The network entries (HAR-like snapshots) of a trace zip."""
    with zipfile.ZipFile(trace) as z:
        lines = [line for name in z.namelist() if name.endswith(".network")
                 for line in z.read(name).decode("utf-8").splitlines() if line.strip()]
    return [e["snapshot"] for e in map(json.loads, lines) if e.get("type") == "resource-snapshot"]


def serials_asked(entries: list[dict]) -> set[str]:
    return {s for e in entries for s in parse_qs(urlparse(e["request"]["url"]).query).get("serial", [])}


def workspace_loads(entries: list[dict], zendesk_url: str) -> int:
    """Documents of the Zendesk Agent Workspace loaded (the single-page application from nothing)."""
    return sum(1 for e in entries if e["request"]["url"].startswith(zendesk_url + "/agent")
               and e["response"]["content"].get("mimeType", "").startswith("text/html"))


def test_tabs_kept_recycled_and_each_trace_holds_only_its_request(bot, fake):
    fake.faults(client_delay_ms=150)
    rows = bulk_rows(default_seed(), 3)
    book = bot.workbook(rows)
    code, summary, _ = bot.run(book, record="always", keep_tabs_for=2)
    assert code == 0 and summary is not None

    results = read_results(book)
    assert [r["Status RPA"] for r in results] == ["OK"] * 3, [r["Mensagem RPA"] for r in results]
    state = fake.state()
    seed = default_seed()
    new_tickets = {t["id"] for t in state["zendesk"]["tickets"]} - {t["id"] for t in seed["zendesk"]["tickets"]}
    assert len(new_tickets) == 3
    new_orders = {o["number"] for o in state["workfinity"]["service_orders"]} - \
        {o["number"] for o in seed["workfinity"]["service_orders"]}
    assert {r["Nº O.S."] for r in results} == new_orders and len(new_orders) == 3

    by_request = {rec.key: rec for rec in summary.records}
    traces = []
    for row in rows:
        record = by_request[f"sol:{row['Solicitação']}"]
        assert record.attempts == 1
        traces.append(network(Path(record.recording) / "trace-1.zip"))
    # Each trace asks Workfinity for its own equipment and for no other request's.
    for row, entries in zip(rows, traces, strict=True):
        assert serials_asked(entries) == {row["Número de Série"]}
    # Request 1 opened the workspace, request 2 found it open (the kept tab: no reload, and
    # no earlier entry leaked into its trace), request 3 opened it again (recycled after 2).
    assert [workspace_loads(entries, fake.zendesk_url) for entries in traces] == [1, 0, 1]
