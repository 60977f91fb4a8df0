"""The sample spreadsheet through the real bot, real Chromium, fake sites over HTTP.

One run (2 workers) and one rerun for the whole module; every assertion is on the sites'
recorded state (``/_fake/state``) or on the workbook the operator gets, never on bot logs.
"""

from __future__ import annotations

import email
import re
from pathlib import Path

import pytest

from rpa.procedure import cnpj
from tests.e2e.harness import fresh_bot, read_results

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("sample")]

EXPECTED = {
    "SODEXO: troca de endereço autorizada no mesmo estado": "OK",
    "SODEXO sem Número Referência (R14)": "DADOS_INVALIDOS",
    "NEXTEL sem ticket: o robô cria": "OK",
    "Viação com endereço em outro estado (R7b)": "DADOS_INVALIDOS",
    "Viação, mesmo endereço": "OK",
    "Cliente não autorizado com endereço diferente (R8)": "CADASTRO_PENDENTE",
    "3 equipamentos no mesmo ticket": "OK",
    "Mais de 5 equipamentos (R13)": "ESCALADO_GESTOR",
    "Orçamento dentro da garantia (R9)": "OK",
    "Orçamento com garantia expirada (R9)": "GARANTIA_EXPIRADA",
    "Cortesia (R10)": "OK",
    "CNPJ alfanumérico": "OK",
    "Dígito verificador errado": "DADOS_INVALIDOS",
    "E-mail inválido e defeito vazio": "DADOS_INVALIDOS",
}
LABEL = "Observação interna do time"
# What the bot may set on an O.S. (the customer's contact data is pre-filled by the site).
OS_FIELDS = {"customer_document", "serial", "group", "service", "pedido_de_venda", "numero_referencia",
             "observacoes_atendimento", "notes", "contato", "email", "telefone", "address"}
TICKET_FIELDS = {"subject", "requester", "brand", "form", "type", "status", "comment", "custom_fields.1001",
                 "custom_fields.1002", "custom_fields.1003", "custom_fields.1004"}


@pytest.fixture(scope="module")
def run(fake_sites, tmp_path_factory):
    """Reset the sites, run the sample once, snapshot the state, rerun, snapshot again."""
    bot = fresh_bot(fake_sites, tmp_path_factory.mktemp("sample"))
    fake = bot.fake
    seed = fake.state()
    book = bot.sample()
    code, summary, report = bot.run(book, workers=2, record="always")
    first = fake.state()
    rows = read_results(book)
    code2, summary2, _ = bot.run(book, workers=2)
    second = fake.state()
    return dict(bot=bot, book=book, seed=seed, first=first, second=second, rows=rows, code=code, code2=code2,
                summary=summary, summary2=summary2, report=report)


def new_orders(run) -> list[dict]:
    before = {o["number"] for o in run["seed"]["workfinity"]["service_orders"]}
    return [o for o in run["first"]["workfinity"]["service_orders"] if o["number"] not in before]


def touched_tickets(run) -> list[dict]:
    ids = {int(r["Ticket"]) for r in run["rows"] if r["Status RPA"] in ("OK", "CADASTRO_PENDENTE")}
    return [t for t in run["first"]["zendesk"]["tickets"] if t["id"] in ids]


class TestOutcomes:
    """Every row gets the outcome the procedure prescribes, written back into the workbook."""

    def test_every_row_has_its_outcome(self, run):
        assert run["code"] == 0
        got = [(r[LABEL], r["Status RPA"]) for r in run["rows"]]
        assert got == [(label, EXPECTED[label]) for label, _ in got]
        assert {label for label, _ in got} == set(EXPECTED)

    def test_messages_name_what_to_fix(self, run):
        by_label = {r[LABEL]: r for r in run["rows"]}
        assert "CNPJ" in by_label["Dígito verificador errado"]["Mensagem RPA"]
        assert "Número Referência" in by_label["SODEXO sem Número Referência (R14)"]["Mensagem RPA"]
        assert re.search(r"MG.*SP|SP.*MG", by_label["Viação com endereço em outro estado (R7b)"]["Mensagem RPA"])
        assert all(r["Processado em"] for r in run["rows"])

    def test_os_numbers_in_workbook_are_the_sites(self, run):
        orders = {o["number"]: o for o in run["first"]["workfinity"]["service_orders"]}
        ok_rows = [r for r in run["rows"] if r["Status RPA"] == "OK"]
        assert len(ok_rows) == 9
        for r in ok_rows:
            order = orders[r["Nº O.S."]]
            assert order["serial"] == r["Número de Série"]
            assert order["pedido_de_venda"] == r["Ticket"]
            assert r["Status Ticket"] == "Em espera"


class TestWorkfinity:
    """One O.S. per equipment, exactly the procedure's fields, Prestador/Técnico left to the site."""

    def test_one_order_per_ok_equipment(self, run):
        orders = new_orders(run)
        assert len(orders) == 9
        assert len({(o["pedido_de_venda"], o["serial"]) for o in orders}) == 9

    def test_only_procedure_fields_are_set(self, run):
        created = [e for e in run["first"]["audit"] if e["entity"] == "service_order" and e["action"] == "create"]
        assert len(created) == 9
        for event in created:
            assert event["actor"] != "system"
            assert set(event["changes"]) <= OS_FIELDS, set(event["changes"]) - OS_FIELDS

    def test_provider_and_technician_come_from_the_site(self, run):
        for order in new_orders(run):
            assert order["provider"] and order["technician"]
        assignments = [e for e in run["first"]["audit"] if "provider" in e["changes"]]
        assert assignments and all(e["actor"] == "system" for e in assignments)
        assert not [e for e in run["first"]["audit"] if e["action"] == "user_set_provider"]

    def test_rules_applied_to_fields(self, run):
        by_label = {r[LABEL]: r for r in run["rows"]}
        orders = {o["number"]: o for o in new_orders(run)}
        sodexo = orders[by_label["SODEXO: troca de endereço autorizada no mesmo estado"]["Nº O.S."]]
        assert sodexo["numero_referencia"] == "SDX-2026-0042"                       # R14
        assert sodexo["notes"] == "Impressora fiscal com LED piscando"               # R5
        assert (sodexo["group"], sodexo["service"]) == ("Manutenção on site", "Corretiva")  # R3
        assert orders[by_label["Cortesia (R10)"]["Nº O.S."]]["observacoes_atendimento"] == "Cortesia"
        assert "Em garantia até" in orders[by_label["Orçamento dentro da garantia (R9)"]["Nº O.S."]][
            "observacoes_atendimento"]

    def test_authorized_address_change_is_saved(self, run):
        row = next(r for r in run["rows"] if r[LABEL].startswith("SODEXO: troca"))
        customer = next(c for c in run["first"]["workfinity"]["customers"] if c["document"] == row["CNPJ"])
        assert customer["address"]["cep"] == row["CEP"]
        assert customer["address"]["numero"] == row["Número"]


class TestZendesk:
    """Tickets: one per request, fields per R15, internal note with CNPJ/Razão Social, Aberto -> Em espera."""

    def test_tickets_created_only_where_needed(self, run):
        before = {t["id"] for t in run["seed"]["zendesk"]["tickets"]}
        created = [t for t in run["first"]["zendesk"]["tickets"] if t["id"] not in before]
        needing = {r["Solicitação"] for r in run["rows"]
                   if not r["Solicitação"] == "" and r["Status RPA"] in ("OK", "CADASTRO_PENDENTE")}
        assert len(created) == len(needing) == 4
        for r in run["rows"]:
            if r["Solicitação"] in needing:
                assert int(r["Ticket"]) in {t["id"] for t in created}

    def test_fields_note_and_status(self, run):
        tickets = touched_tickets(run)
        assert len(tickets) == 8
        for t in tickets:
            assert t["status_history"][-2:] == ["open", "hold"]
            assert (t["brand"], t["form"], t["custom_fields"]["1001"]) == ("Bematech Hardware", "0800", "hardware")
            assert "1005" not in t["custom_fields"] or not t["custom_fields"]["1005"]
            rows = [r for r in run["rows"] if r["Ticket"] == str(t["id"])]
            notes = [c["body"] for c in t["comments"] if not c["public"]]
            assert any(cnpj.mask(rows[0]["CNPJ"]) in n and rows[0]["Razão Social"] in n for n in notes)
            oss = [r["Nº O.S."] for r in rows if r["Nº O.S."]]
            assert all(n in t["custom_fields"]["1004"] for n in oss)
            assert any(c["public"] for c in t["comments"])

    def test_bot_touches_only_procedure_fields(self, run):
        agent = run["bot"].fake.credentials["zendesk"]["email"]
        for e in run["first"]["audit"]:
            if e["entity"] == "ticket" and e["actor"] == agent:
                assert set(e["changes"]) <= TICKET_FIELDS, set(e["changes"]) - TICKET_FIELDS

    def test_categories_follow_the_outcome(self, run):
        pending = next(r for r in run["rows"] if r["Status RPA"] == "CADASTRO_PENDENTE")
        ticket = next(t for t in run["first"]["zendesk"]["tickets"] if str(t["id"]) == pending["Ticket"])
        assert (ticket["custom_fields"]["1002"], ticket["custom_fields"]["1003"]) == ("Cadastro", "Alteração cadastral")
        reply = [c["body"] for c in ticket["comments"] if c["public"]][-1]
        assert pending["Prazo Retorno"] in reply


class TestBooks:
    """Book e-mails go out where the procedure asks, with the fields it lists."""

    def test_cadastro_and_cortesia_books(self, run):
        outbox = sorted(Path(run["bot"].workdir, "outbox").glob("*.eml"))
        assert len(outbox) == 2
        messages = [email.message_from_bytes(p.read_bytes()) for p in outbox]
        bodies = {m["To"]: m.get_payload(decode=True).decode() for m in messages}
        pending = next(r for r in run["rows"] if r["Status RPA"] == "CADASTRO_PENDENTE")
        cad = bodies["cadastro@bematech.com.br"]
        for value in (pending["Razão Social"], cnpj.mask(pending["CNPJ"]), pending["Nome do Cliente"],
                      pending["E-mail"], pending["Telefone"], pending["Número de Série"]):
            assert value in cad
        courtesy = next(r for r in run["rows"] if r[LABEL] == "Cortesia (R10)")
        assert courtesy["Nº O.S."] in bodies["cortesia@bematech.com.br"]


class TestRerun:
    """Rerunning a finished file changes nothing on the sites and nothing in the outcomes."""

    def test_rerun_changes_nothing(self, run):
        assert run["code2"] == 0
        assert run["second"]["workfinity"]["service_orders"] == run["first"]["workfinity"]["service_orders"]
        assert run["second"]["zendesk"]["tickets"] == run["first"]["zendesk"]["tickets"]
        assert read_results(run["book"]) == run["rows"]
        assert run["summary2"].records == []


class TestReport:
    """The run leaves a self-contained HTML report and traces for every request."""

    def test_report_lists_every_request(self, run):
        html = run["report"].read_text(encoding="utf-8")
        for r in run["summary"].records:
            assert r.key in html
        run_dir = run["report"].parent
        assert f"rpa relatorio {run_dir}" in html  # how to open the traces in the served viewer
        links = re.findall(r'<a class="trace" href="([^"]+)"', html)
        assert links and all((run_dir / link).is_file() for link in links)
        traced = [r for r in run["summary"].records if r.recording]
        assert traced and all(list(Path(r.recording).glob("trace-*.zip")) for r in traced)
