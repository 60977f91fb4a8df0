"""Grouping rows into requests and the rules that need no site (R3, R7, R9, R13, R14, R15)."""

from __future__ import annotations

import datetime as dt

import pytest

from rpa.outcomes import Outcome
from rpa.procedure import rules
from rpa.procedure.requests import group_requests
from rpa.procedure.rows import Address, Row, parse_row
from rpa.procedure.rules import RuleConfig, plan_request
from rpa.procedure.sheet import SheetRow
from tests.corpus.builders import CATALOGS, NEXTEL_CNPJ, PADARIA_CNPJ, SODEXO_CNPJ, VIACAO_CNPJ, good_row, sheet_of

SODEXO = "SODEXO DO BRASIL COMERCIAL S.A."


def row(**fields: object) -> Row:
    result = parse_row(SheetRow(row_number=int(fields.pop("_n", 2)),
                                values={k: str(v) for k, v in good_row(**fields).items()}, extra={}), CATALOGS)
    assert isinstance(result, Row), result
    return result


def plans(*rows: dict[str, object], config: RuleConfig | None = None):
    config = config or RuleConfig(catalogs=CATALOGS)
    return [plan_request(r, config) for r in group_requests(sheet_of(*rows), config.catalogs)]


def serial(n: int) -> dict[str, str]:
    return {"Número de Série": f"BE4200TH{n:06d}"}


class TestGrouping:
    """Ticket -> Solicitação -> own row."""

    def test_keys(self):
        """Rows with the same ticket, the same solicitação, or alone."""
        reqs = group_requests(sheet_of(
            good_row(Ticket="41001", **serial(1)), good_row(Ticket="#41001", **serial(2)),
            good_row(**{"Solicitação": "S-9"}, **serial(3)), good_row(**{"Solicitação": "S-9"}, **serial(4)),
            good_row(**serial(5)),
        ), CATALOGS)
        assert [(r.key, r.row_numbers) for r in reqs] == [
            ("ticket:41001", [2, 3]), ("sol:S-9", [4, 5]), ("row:6", [6])]
        assert reqs[0].ticket == "41001" and reqs[1].ticket is None

    def test_solicitacao_with_one_ticket_joins_it(self):
        """A row of solicitação S-1 without ticket joins the ticket another S-1 row has: never two tickets."""
        reqs = group_requests(sheet_of(
            good_row(Ticket="41001", **{"Solicitação": "S-1"}, **serial(1)),
            good_row(**{"Solicitação": "S-1"}, **serial(2)),
        ), CATALOGS)
        assert len(reqs) == 1 and reqs[0].key == "ticket:41001"
        assert [r.ticket for r in reqs[0].rows] == ["41001", "41001"]

    def test_invalid_rows_stay_in_their_request(self):
        """An invalid row keeps its errors and is counted in the request's rows."""
        reqs = group_requests(sheet_of(good_row(Ticket="41001"), good_row(Ticket="41001", CNPJ="1")), CATALOGS)
        assert reqs[0].row_numbers == [2, 3] and list(reqs[0].errors) == [3]


class TestPlan:
    """Outcomes decided without a site; the rest planned with group/service."""

    def test_ready_row_gets_group_and_service_from_catalogue(self):
        """R3: 'ECF inoperante' -> Manutenção on site / Corretiva."""
        (plan,) = plans(good_row(Defeito="ECF inoperante"))
        assert not plan.outcomes
        (p,) = plan.rows
        assert (p.group, p.service, p.observacoes_atendimento) == ("Manutenção on site", "Corretiva", "")

    def test_r13_more_than_max_distinct_serials_escalates_every_row(self):
        """Six equipment (one of them invalid) in one request: all six ESCALADO_GESTOR."""
        rows = [good_row(Ticket="41001", **serial(i)) for i in range(5)] + [good_row(Ticket="41001", CNPJ="x",
                                                                                     **serial(9))]
        (plan,) = plans(*rows)
        assert not plan.rows
        assert {code for code, _ in plan.outcomes.values()} == {Outcome.ESCALADO_GESTOR}
        assert len(plan.outcomes) == 6
        assert "Mais de 5 equipamentos" in plan.outcomes[2][1] and "gestor responsável" in plan.outcomes[2][1]

    def test_r13_counts_distinct_serials_and_limit_is_data(self):
        """Five distinct serials are fine; a limit of 2 escalates three."""
        (plan,) = plans(*[good_row(Ticket="1", **serial(i)) for i in range(5)])
        assert len(plan.rows) == 5
        limit_two = RuleConfig(catalogs=CATALOGS, max_equipment=2)
        (plan,) = plans(*[good_row(Ticket="1", **serial(i)) for i in range(3)], config=limit_two)
        assert {c for c, _ in plan.outcomes.values()} == {Outcome.ESCALADO_GESTOR}

    def test_duplicate_serial_in_request(self):
        """The same equipment twice: first goes on, the repeat is DADOS_INVALIDOS naming the first row."""
        (plan,) = plans(good_row(Ticket="1"), good_row(Ticket="1"))
        assert [p.row.row_number for p in plan.rows] == [2]
        code, msg = plan.outcomes[3]
        assert code == Outcome.DADOS_INVALIDOS and "já está na linha 2" in msg

    def test_different_cnpjs_in_one_request(self):
        """One request, two establishments: every row DADOS_INVALIDOS."""
        (plan,) = plans(good_row(Ticket="1", **serial(1)),
                        good_row(Ticket="1", CNPJ=NEXTEL_CNPJ, **serial(2)))
        assert not plan.rows
        assert all(code == Outcome.DADOS_INVALIDOS and "CNPJs diferentes" in msg
                   for code, msg in plan.outcomes.values())

    def test_invalid_row_does_not_stop_valid_ones(self):
        """Row 3 invalid, row 2 goes on."""
        (plan,) = plans(good_row(Ticket="1", **serial(1)), good_row(Ticket="1", Telefone="1", **serial(2)))
        assert [p.row.row_number for p in plan.rows] == [2]
        assert plan.outcomes[3][0] == Outcome.DADOS_INVALIDOS and "coluna Telefone" in plan.outcomes[3][1]

    def test_r14_sodexo_requires_numero_referencia(self):
        """SODEXO without Número Referência is DADOS_INVALIDOS; with it, it goes on carrying the value."""
        (plan,) = plans(good_row(CNPJ=SODEXO_CNPJ, **{"Razão Social": SODEXO}))
        code, msg = plan.outcomes[2]
        assert code == Outcome.DADOS_INVALIDOS and "Número Referência" in msg and "SODEXO" in msg
        (plan,) = plans(good_row(CNPJ=SODEXO_CNPJ, **{"Razão Social": SODEXO, "Número Referência": "CH-77"}))
        assert plan.rows[0].numero_referencia == "CH-77"

    def test_r14_other_clients_carry_reference_when_present(self):
        """Non-SODEXO: optional, typed when present."""
        (plan,) = plans(good_row(**{"Número Referência": "REF-1"}))
        assert plan.rows[0].numero_referencia == "REF-1"

    def test_r3_no_mapping_is_invalid(self):
        """A defect no keyword matches, and no explicit group/service."""
        (plan,) = plans(good_row(Defeito="Cliente pediu bobinas de papel"))
        code, msg = plan.outcomes[2]
        assert code == Outcome.DADOS_INVALIDOS and "coluna Defeito" in msg and "defects.csv" in msg

    def test_r3_explicit_values_win(self):
        """Explicit Grupo Serviço/Serviço are used even when the catalogue would say otherwise."""
        explicit = {"Grupo Serviço": "Instalação", "Serviço": "Instalação Venda"}
        (plan,) = plans(good_row(Defeito="LED piscando", **explicit))
        assert (plan.rows[0].group, plan.rows[0].service) == ("Instalação", "Instalação Venda")

    def test_r3_group_only_completed(self):
        """Group given: the service comes from the catalogue line of that group, or the group's only service."""
        (plan,) = plans(good_row(Defeito="limpeza geral", **{"Grupo Serviço": "Manutenção on site"}))
        assert plan.rows[0].service == "Preventiva"
        (plan,) = plans(good_row(Defeito="instalar impressora nova", **{"Grupo Serviço": "instalacao"}))
        assert (plan.rows[0].group, plan.rows[0].service) == ("Instalação", "Instalação Venda")
        (plan,) = plans(good_row(Defeito="qualquer coisa", **{"Grupo Serviço": "Treinamento"}))
        assert plan.rows[0].service == "Treinamento Operacional"
        (plan,) = plans(good_row(Defeito="qualquer coisa", **{"Grupo Serviço": "Instalação"}))
        assert "Instalação Venda, Instalação Locação" in plan.outcomes[2][1]
        (plan,) = plans(good_row(Defeito="qualquer coisa", **{"Grupo Serviço": "Manutenção on site"}))
        assert "coluna Serviço" in plan.outcomes[2][1]

    def test_r10_cortesia_observation(self):
        """Cortesia = Sim -> Observações Atendimento 'Cortesia'."""
        (plan,) = plans(good_row(Cortesia="Sim"))
        assert plan.rows[0].observacoes_atendimento == "Cortesia"


class TestDefectCatalogue:
    """Keywords matched as whole words, accent- and case-insensitively; file order decides."""

    @pytest.mark.parametrize("defect,expected", [
        ("ECF INOPERANTE desde ontem", ("Manutenção on site", "Corretiva")),
        ("led piscando vermelho", ("Manutenção on site", "Corretiva")),
        ("Impressora nao imprime", ("Manutenção on site", "Corretiva")),
        ("Solicita manutenção preventiva", ("Manutenção on site", "Preventiva")),
        ("instalação de nova impressora", ("Instalação", "Instalação Venda")),
        ("após a instalação, não liga", ("Manutenção on site", "Corretiva")),
    ])
    def test_mapping(self, defect, expected):
        """Accents and case ignored; a fault keyword listed first beats 'instalação'."""
        rule = CATALOGS.defect_rule(defect)
        assert rule is not None and (rule.group, rule.service) == expected

    def test_whole_words_only(self):
        """'ledger' does not contain the keyword 'LED piscando'."""
        assert CATALOGS.defect_rule("ledger piscando") is None


class TestAuthorizedClients:
    """R7 list: SODEXO, NEXTEL, contains VIAÇÃO."""

    @pytest.mark.parametrize("name,expected", [
        (SODEXO, True), ("Sodexo Pass do Brasil", True), ("NEXTEL TELECOMUNICAÇÕES LTDA", True),
        ("VIAÇÃO COMETA S.A.", True), ("Empresa de Viacao Novo Horizonte", True),
        ("PADARIA PÃO QUENTE LTDA", False), ("SODEXOPASS LTDA", False),
    ])
    def test_match(self, name, expected):
        """Word match, accent-insensitive."""
        assert rules.is_authorized_client(name, CATALOGS) is expected


class TestAddress:
    """R7 comparison and decision."""

    REGISTERED = Address(cep="01310-100", logradouro="Avenida Paulista", numero="1000", bairro="Bela Vista",
                         cidade="São Paulo", uf="SP")

    @pytest.mark.parametrize("logradouro,numero,cep", [
        ("Av. Paulista", "1000", "01310100"), ("AVENIDA PAULISTA", "1.000", "01310-100"),
        ("Paulista", "nº 1000", "01310-100"), ("av paulista", "01000", "01310-100"),
    ])
    def test_equal_despite_spelling(self, logradouro, numero, cep):
        """Abbreviations, case, accents, number formatting."""
        assert rules.addresses_equal(Address(cep=cep, logradouro=logradouro, numero=numero), self.REGISTERED)

    @pytest.mark.parametrize("logradouro,numero,cep", [
        ("Avenida Paulista", "1001", "01310-100"), ("Rua Paulista", "1000", "01310-100"),
        ("Avenida Paulista", "1000", "01311-000"),
    ])
    def test_different(self, logradouro, numero, cep):
        """Another number, another street type, another CEP."""
        assert not rules.addresses_equal(Address(cep=cep, logradouro=logradouro, numero=numero), self.REGISTERED)

    def test_decisions(self):
        """same / edit (authorized, same UF) / other_uf / book (not authorized); no address -> same."""
        moved_sp = dict(CEP="04538-133", Logradouro="Av. Brigadeiro Faria Lima", **{"Número": "3477"}, UF="SP")
        moved_rj = dict(CEP="20040-020", Logradouro="Rua da Assembleia", **{"Número": "10"}, UF="RJ")
        same = dict(CEP="01310-100", Logradouro="Av. Paulista", **{"Número": "1000"}, UF="SP")
        sodexo = {"CNPJ": SODEXO_CNPJ, "Razão Social": SODEXO}
        assert rules.address_decision(row(), self.REGISTERED, CATALOGS) == "same"
        assert rules.address_decision(row(**same), self.REGISTERED, CATALOGS) == "same"
        assert rules.address_decision(row(**sodexo, **moved_sp), self.REGISTERED, CATALOGS) == "edit"
        assert rules.address_decision(row(**sodexo, **moved_rj), self.REGISTERED, CATALOGS) == "other_uf"
        assert rules.address_decision(row(**moved_sp), self.REGISTERED, CATALOGS) == "book"
        viacao = {"CNPJ": VIACAO_CNPJ, "Razão Social": "VIAÇÃO COMETA S.A."}
        assert rules.address_decision(row(**viacao, **moved_sp), self.REGISTERED, CATALOGS) == "edit"

    def test_other_uf_message(self):
        """The text of R7(b)."""
        assert rules.other_uf_message("SP", "rj") == ("CNPJ registrado em SP; endereço informado em RJ: use o CNPJ "
                                                      "do estabelecimento desse estado")


class TestWarranty:
    """R9."""

    TODAY = dt.date(2026, 11, 28)

    def test_no_quote_no_check(self):
        """Gera Orçamento = Não: nothing to check."""
        assert rules.warranty_check(row(), dt.date(2020, 1, 1), self.TODAY) is None

    def test_in_warranty_goes_on_with_note(self):
        """Warranty until today included."""
        r = row(**{"Gera Orçamento": "Sim"})
        assert rules.warranty_check(r, self.TODAY, self.TODAY) is None
        assert rules.warranty_note(dt.date(2027, 3, 31)) == "Em garantia até 31/03/2027"

    def test_expired(self):
        """Expired and not a courtesy: GARANTIA_EXPIRADA with the date."""
        r = row(**{"Gera Orçamento": "Sim"})
        assert rules.warranty_check(r, dt.date(2026, 11, 27), self.TODAY) == (
            Outcome.GARANTIA_EXPIRADA, "Garantia expirada em 27/11/2026: seguir o processo Garantias Expiradas")

    def test_courtesy_skips_the_check(self):
        """A courtesy decided by a person is opened even out of warranty."""
        r = row(**{"Gera Orçamento": "Sim", "Cortesia": "Sim"})
        assert rules.warranty_check(r, dt.date(2020, 1, 1), self.TODAY) is None

    def test_unknown_warranty_needs_a_person(self):
        """No warranty date in Workfinity: DADOS_INVALIDOS, not a guess."""
        code, msg = rules.warranty_check(row(**{"Gera Orçamento": "Sim"}), None, self.TODAY)
        assert code == Outcome.DADOS_INVALIDOS and "Garantias Expiradas" in msg


class TestZendeskFields:
    """R15."""

    def test_fixed_fields_and_outcome_defaults(self):
        """Marca, Formulário, Família fixed; Categoria/Motivo by outcome; subject from template."""
        r = row(**{"Razão Social": "PADARIA PÃO QUENTE LTDA", "Defeito": "ECF inoperante"})
        assert rules.zendesk_fields(Outcome.OK, r, CATALOGS) == {
            "subject": "Abertura de O.S. – PADARIA PÃO QUENTE LTDA – ECF inoperante", "brand": "Bematech Hardware",
            "form": "0800", "type": "Incidente", "familia": "hardware", "categoria": "Ordem de Serviço",
            "motivo": "Abertura de O.S."}
        pending = rules.zendesk_fields(Outcome.CADASTRO_PENDENTE, r, CATALOGS)
        assert (pending["categoria"], pending["motivo"]) == ("Cadastro", "Alteração cadastral")

    def test_row_overrides(self):
        """Assunto, Tipo, Categoria, Motivo from the row win."""
        r = row(Assunto="Impressora parada", Tipo="Problema", Categoria="Cadastro", Motivo="Outro")
        f = rules.zendesk_fields(Outcome.OK, r, CATALOGS)
        assert (f["subject"], f["type"], f["categoria"], f["motivo"]) == ("Impressora parada", "Problema", "Cadastro",
                                                                           "Outro")

    def test_padaria_cnpj_fixture_is_valid(self):
        """Guard: the corpus CNPJs are real-valid ones."""
        assert row(CNPJ=PADARIA_CNPJ).cnpj_masked == PADARIA_CNPJ
