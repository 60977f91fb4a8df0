"""The operator's morning after a real run of the sample (every business outcome): the report's
"Precisa de você" and ``rpa historico`` agree with the workbook the bot wrote."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from rpa.io.history import load_runs, summarize
from rpa.outcomes import Outcome
from rpa.runtime.browser import launch_kwargs, resolve_browser
from rpa.settings import Settings
from tests.e2e.harness import fresh_bot, read_results

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("morning")]


@pytest.fixture(scope="module")
def night(fake_sites, tmp_path_factory):
    bot = fresh_bot(fake_sites, tmp_path_factory.mktemp("morning"))
    book = bot.sample()
    code, summary, report = bot.run(book, workers=2, record="on-failure")
    return dict(bot=bot, rows=read_results(book), report=report, code=code, state=bot.fake.state(), summary=summary)


@pytest.fixture(scope="module")
def page(night) -> Iterator[Page]:
    """A Chromium page of this module's own Playwright, stopped with the module: pytest-playwright's
    session one would keep this thread's loop busy for the e2e bot runs of the modules after it."""
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_kwargs(resolve_browser(Settings().browser_path), headless=True))
        yield browser.new_page()
        browser.close()


def test_needs_you_lists_exactly_the_rows_the_workbook_says_need_a_person(night, page: Page):
    expected: dict[str, list[int]] = {}
    for row in night["rows"]:
        outcome = Outcome(row["Status RPA"])
        if outcome.needs_person:
            expected.setdefault(outcome.value, []).append(int(row["_row"]))
    assert set(expected) == {o.value for o in Outcome if o.needs_person} - {Outcome.ERRO_SISTEMA.value}
    page.goto(night["report"].as_uri() + "#precisa-de-voce")
    got: dict[str, list[int]] = {}
    for group in page.locator("#precisa-de-voce .grupo").all():
        rows = group.locator("li").evaluate_all("els => els.flatMap(e => e.dataset.rows.split(' '))")
        got[group.get_attribute("data-outcome") or ""] = sorted(int(n) for n in rows)
    assert got == expected


def test_search_by_an_os_number_the_site_created(night, page: Page):
    numbers = [r["Nº O.S."].split(",")[0].strip() for r in night["rows"] if r["Status RPA"] == "OK"]
    created = {o["number"] for o in night["state"]["workfinity"]["service_orders"]}
    number = next(n for n in numbers if n in created)
    page.goto(night["report"].as_uri())
    page.locator("#busca").fill(number)
    visible = page.locator("tbody.item:visible")
    expect(visible).to_have_count(1)
    expect(visible.locator("tr.req")).to_contain_text(number)


def test_history_counts_the_night_as_the_workbook(night):
    history = summarize(load_runs(night["bot"].workdir / "runs"), days=30)
    (only,) = history.nights
    for outcome in Outcome:
        assert only.counts[outcome] == sum(r["Status RPA"] == outcome for r in night["rows"]), outcome
    # The sample's 14 requests: 10 with a Solicitação, 4 by Ticket alone (41001, 41002, 41007, 41004).
    assert only.requests == len(night["summary"].records) == 14
    assert only.seconds == pytest.approx(night["summary"].seconds, abs=0.01)
