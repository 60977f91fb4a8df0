"""The run report in a real Chromium: what needs a person first, filters, search, steps, images."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from rpa.io.report import render
from rpa.outcomes import NEEDS_PERSON, Outcome
from tests.io.report_data import CNPJ, FAILED_KEY, NEEDS, OS_NUMBER, SECRET, every_outcome_run, scrub

pytestmark = pytest.mark.e2e


@pytest.fixture()
def report(tmp_path: Path, browser: Browser) -> Path:
    run_dir = tmp_path / "20261203-020000-1"
    return render(every_outcome_run(run_dir, browser), run_dir / "relatorio.html", scrub=scrub)


def visible_keys(page: Page) -> list[str]:
    return page.locator("tbody.item:visible").evaluate_all("els => els.map(e => e.dataset.solicitacao)")


class TestNeedsYou:
    def test_lists_exactly_the_rows_that_need_a_person_grouped_by_action(self, report: Path, page: Page):
        page.goto(report.as_uri() + "#precisa-de-voce")
        section = page.locator("#precisa-de-voce")
        groups = section.locator(".grupo")
        assert groups.evaluate_all("els => els.map(e => e.dataset.outcome)") == [o.value for o in NEEDS]
        for outcome, rows in NEEDS.items():
            group = section.locator(f".grupo[data-outcome='{outcome}']")
            expect(group.locator("h3")).to_contain_text(outcome.action)
            listed = group.locator("li").evaluate_all("els => els.flatMap(e => e.dataset.rows.split(' '))")
            assert sorted(int(n) for n in listed) == rows
        assert "linha 3" not in section.inner_text().lower()  # the OK row needs nobody

    def test_each_item_says_what_to_do(self, report: Path, page: Page):
        page.goto(report.as_uri())
        section = page.locator("#precisa-de-voce")
        expect(section.locator(".grupo[data-outcome='DADOS_INVALIDOS'] li")).to_contain_text(
            "Linha 6, coluna CNPJ: dígitos verificadores não conferem. Corrija o CNPJ.")
        expect(section.locator(".grupo[data-outcome='CADASTRO_PENDENTE'] li")).to_contain_text("até 07/12")
        expect(section.locator(".grupo[data-outcome='ERRO_SISTEMA'] li")).to_contain_text(
            "parou em workfinity.form.save")

    def test_a_run_where_all_went_well_says_so(self, tmp_path: Path, page: Page):
        from rpa.io.run_summary import RunSummary

        path = render(RunSummary("r", [], {}, []), tmp_path / "relatorio.html")
        page.goto(path.as_uri())
        expect(page.locator("#precisa-de-voce")).to_contain_text("Nenhuma linha precisa de ação")


class TestRunFacts:
    def test_totals_and_facts(self, report: Path, page: Page):
        page.goto(report.as_uri())
        facts = page.locator("#totais")
        expect(facts).to_contain_text("Escalado ao gestor: 2 linha(s)")
        expect(facts).to_contain_text("2 min 05 s")
        expect(facts).to_contain_text("6 (2.9 por minuto)")
        expect(facts).to_contain_text("horário limite (--until) atingido; 2 solicitação(ões)")


class TestRequests:
    def test_a_filter_chip_hides_the_other_outcomes(self, report: Path, page: Page):
        page.goto(report.as_uri())
        assert len(visible_keys(page)) == 6
        page.locator(".chip[data-outcome='ESCALADO_GESTOR']").click()
        assert visible_keys(page) == ["sol:SOL-2006"]
        page.locator(".chip[data-outcome='']").click()
        assert len(visible_keys(page)) == 6

    @pytest.mark.parametrize("query", [CNPJ, "11222333000181", OS_NUMBER, "alfa comércio"])
    def test_search_finds_a_request_by_cnpj_os_and_name(self, report: Path, page: Page, query: str):
        page.goto(report.as_uri())
        page.locator("#busca").fill(query)
        assert visible_keys(page) == ["ticket:41001"]

    def test_sorting_by_duration(self, report: Path, page: Page):
        page.goto(report.as_uri())
        page.locator("th[data-sort='duracao']").click()
        assert visible_keys(page)[-1] == FAILED_KEY
        page.locator("th[data-sort='duracao']").click()
        assert visible_keys(page)[0] == FAILED_KEY

    def test_a_request_expands_to_its_steps_with_the_failing_one_marked(self, report: Path, page: Page):
        page.goto(report.as_uri())
        item = page.locator(f"tbody.item[data-solicitacao='{FAILED_KEY}']")
        expect(item.locator("tr.detalhe")).to_be_hidden()
        item.locator("tr.req").click()
        steps = item.locator("tr.passo")
        expect(steps).to_have_count(3)
        expect(steps.nth(1)).to_contain_text("workfinity.form.pick_customer")
        expect(steps.nth(1)).not_to_have_class("passo falhou")
        expect(steps.nth(2)).to_have_class("passo falhou")
        expect(steps.nth(2)).to_contain_text("falhou: VerificationFailed")
        expect(steps.nth(2)).to_contain_text("15.00 s")

    def test_the_inline_screenshot_loads(self, report: Path, page: Page):
        page.goto(report.as_uri())
        item = page.locator(f"tbody.item[data-solicitacao='{FAILED_KEY}']")
        item.locator("tr.req").click()
        image = item.locator("img")
        expect(image).to_be_visible()
        assert image.get_attribute("src").startswith("data:image/png;base64,")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")


class TestSelfContainedAndScrubbed:
    def test_no_external_resource_and_no_secret_in_any_escaping(self, report: Path):
        text = report.read_text(encoding="utf-8")
        assert "***" in text
        for spelling in (SECRET, html.escape(SECRET), html.escape(SECRET, quote=False)):
            assert spelling not in text
        assert "<script src" not in text and "<link" not in text and "http://" not in text

    def test_action_labels_belong_to_the_outcomes(self):
        assert {o for o in Outcome if o.needs_person} == set(NEEDS) == set(NEEDS_PERSON)
        assert list(NEEDS_PERSON) == list(NEEDS)  # the report's order: fix the sheet first, rerun last
        assert not Outcome.OK.needs_person
