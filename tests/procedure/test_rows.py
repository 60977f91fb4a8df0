"""The row model: each field normalised, or a pt-BR error naming row and column."""

from __future__ import annotations

import pytest

from rpa.procedure.rows import Address, Row, RowError, parse_row
from rpa.procedure.sheet import SheetRow
from tests.corpus.builders import ALNUM_CNPJ, CATALOGS, PADARIA_CNPJ, good_row


def parse(number: int = 7, **fields: object) -> Row | list[RowError]:
    values = {k: str(v) for k, v in good_row(**fields).items()}
    return parse_row(SheetRow(row_number=number, values=values, extra={}), CATALOGS)


def parse_with(fields: dict[str, object], number: int = 7) -> Row | list[RowError]:
    return parse(number, **fields)


def errors_of(result) -> dict[str, str]:
    assert isinstance(result, list), f"expected errors, got {result!r}"
    return {e.column: e.message for e in result}


class TestValidRow:
    """A good row comes out normalised."""

    def test_good_row(self):
        """Canonical CNPJ and mask, masked phone, defaults."""
        row = parse()
        assert isinstance(row, Row)
        assert row.cnpj == "11222333000181" and row.cnpj_masked == PADARIA_CNPJ
        assert row.telefone == "(11) 3333-4444"
        assert row.tipo == "Incidente" and row.ticket is None and row.solicitacao is None
        assert row.address.is_empty() and not row.gera_orcamento and not row.cortesia

    def test_alphanumeric_cnpj_any_case_and_mask(self):
        """'12abc34501de35' is the official alphanumeric example."""
        row = parse(CNPJ="12abc34501de35")
        assert row.cnpj == "12ABC34501DE35" and row.cnpj_masked == ALNUM_CNPJ

    def test_ticket_digits_only(self):
        """'#41001' and ' 41001 ' are ticket 41001."""
        assert parse(Ticket="#41001").ticket == "41001"
        assert parse(Ticket=" 41001 ").ticket == "41001"
        assert parse(Ticket="41001.0").ticket == "41001"  # exported as a decimal number

    def test_serial_upper_case_without_spaces(self):
        """Serials are compared and typed upper-case, without stray spaces."""
        assert parse_with({"Número de Série": " be4200th 000123 "}).serial == "BE4200TH000123"

    def test_address_normalised(self):
        """CEP masked (leading zero restored), UF upper-case."""
        row = parse(CEP="1310100", Logradouro="Av. Paulista", **{"Número": "1000"}, UF="sp",
                    Bairro="Bela Vista", Cidade="São Paulo")
        assert row.address == Address(cep="01310-100", logradouro="Av. Paulista", numero="1000",
                                      bairro="Bela Vista", cidade="São Paulo", uf="SP")

    def test_uf_filled_from_cep_when_blank(self):
        """A blank UF comes from the CEP range (Correios)."""
        row = parse(CEP="20040-020", Logradouro="Rua da Assembleia", **{"Número": "10"})
        assert row.address.uf == "RJ"

    @pytest.mark.parametrize("text,expected", [
        ("Sim", True), ("S", True), ("x", True), ("TRUE", True), ("1", True), ("verdadeiro", True),
        ("Não", False), ("nao", False), ("N", False), ("false", False), ("0", False), ("", False),
    ])
    def test_yes_no(self, text, expected):
        """Sim/Não in all the ways people write it."""
        assert parse(**{"Gera Orçamento": text}).gera_orcamento is expected
        assert parse(Cortesia=text).cortesia is expected

    @pytest.mark.parametrize("text,expected", [
        ("11 3333-4444", "(11) 3333-4444"), ("11988887777", "(11) 98888-7777"),
        ("+55 (11) 98888-7777", "(11) 98888-7777"), ("5511988887777", "(11) 98888-7777"),
        ("011 3333 4444", "(11) 3333-4444"), ("0800 123 4567", "0800 123 4567"),
        ("(21) 2222-3333 ramal 12", "(21) 2222-3333 ramal 12"),
    ])
    def test_phones(self, text, expected):
        """Brazilian numbers with DDD, mobile and fixed, 0800, extension."""
        assert parse(Telefone=text).telefone == expected

    def test_tipo_canonical(self):
        """Tipo matches the Zendesk options whatever the case."""
        assert parse(Tipo="problema").tipo == "Problema"

    def test_group_and_service_take_catalogue_spelling(self):
        """'manutencao on site' / 'corretiva' typed loosely become the Workfinity names."""
        row = parse(**{"Grupo Serviço": "MANUTENCAO ON SITE", "Serviço": "corretiva"})
        assert (row.grupo_servico, row.servico) == ("Manutenção on site", "Corretiva")


class TestErrors:
    """Every problem names the row and the column and says what to do."""

    def test_wrong_check_digits(self):
        """The brief's example message."""
        errs = errors_of(parse(CNPJ="11.222.333/0001-80"))
        assert errs["CNPJ"] == ("Linha 7, coluna CNPJ: dígitos verificadores não conferem "
                                "(11.222.333/0001-80). Corrija o CNPJ.")

    @pytest.mark.parametrize("value,fragment", [
        ("", "vazio"), ("123", "não é um CNPJ"), ("12.345.678/0001-9X", "não é um CNPJ"),
        ("529.982.247-25", "é um CPF"),
    ])
    def test_cnpj_problems(self, value, fragment):
        """Empty, too short, letters in the check digits, a CPF."""
        assert fragment in errors_of(parse(CNPJ=value))["CNPJ"]

    @pytest.mark.parametrize("column", ["Razão Social", "Nome do Cliente", "Defeito"])
    def test_required_text(self, column):
        """Required text columns left empty."""
        assert errors_of(parse(**{column: "  "}))[column].startswith(f"Linha 7, coluna {column}: vazio.")

    @pytest.mark.parametrize("value,fragment", [
        ("joao@", "não é um e-mail válido"), ("joao.com.br", "não é um e-mail válido"),
        ("a@x.com; b@x.com", "mais de um e-mail"), ("joao silva@x.com", "não é um e-mail válido"), ("", "vazio"),
    ])
    def test_email(self, value, fragment):
        """Malformed, several, empty."""
        assert fragment in errors_of(parse(**{"E-mail": value}))["E-mail"]

    @pytest.mark.parametrize("value,fragment", [
        ("3333-4444", "sem DDD"), ("(11) 8888-777", "não é um telefone brasileiro"),
        ("(11) 3333-4444 / (11) 98888-7777", "mais de um telefone"), ("", "vazio"),
    ])
    def test_phone(self, value, fragment):
        """Without DDD, invalid, several, empty."""
        assert fragment in errors_of(parse(Telefone=value))["Telefone"]

    def test_scientific_serial(self):
        """A serial Excel turned into 1,23457E+11 cannot be recovered: the operator must retype it."""
        msg = errors_of(parse_with({"Número de Série": "1,23457E+11"}))["Número de Série"]
        assert "notação científica" in msg and "Texto" in msg

    @pytest.mark.parametrize("fields", [{"Cidade": "Campinas"}, {"UF": "SP"}, {"Cidade": "Campinas", "UF": "SP"},
                                        {"Cidade": "Campinas", "UF": "XX", "Bairro": "Centro"}])
    def test_city_or_uf_alone_is_no_address(self, fields):
        """A sheet whose only address columns are Cidade/UF: nothing to compare, no error,
        the registered address stands."""
        row = parse(**fields)
        assert isinstance(row, Row) and row.address.is_empty()

    def test_partial_address_one_message_naming_the_missing_columns(self):
        errs = parse(Cidade="Campinas", Logradouro="Rua A")
        assert [(e.column, e.message) for e in errs] == [(
            "CEP, Número", "Linha 7, colunas CEP e Número: vazias, mas o endereço foi informado em Logradouro. "
            "Complete CEP, Logradouro e Número, ou deixe os três vazios para manter o endereço cadastrado.")]
        (only,) = parse(CEP="01310-100", Logradouro="Av. Paulista")
        assert only.column == "Número" and only.message.startswith("Linha 7, coluna Número: vazia, mas o endereço "
                                                                   "foi informado em CEP, Logradouro.")

    def test_bad_cep_and_uf(self):
        """CEP with letters, UF that does not exist."""
        errs = errors_of(parse(CEP="0131O-100", Logradouro="Rua A", **{"Número": "1"}, UF="XX"))
        assert "não é um CEP" in errs["CEP"] and "não é uma UF" in errs["UF"]

    def test_bad_yes_no_and_tipo_and_ticket(self):
        """'talvez' is not Sim/Não; 'Urgente' is not a ticket type; 'abc' is not a ticket."""
        errs = errors_of(parse(Cortesia="talvez", Tipo="Urgente", Ticket="abc"))
        assert "não é Sim ou Não" in errs["Cortesia"]
        assert "não é um tipo de ticket" in errs["Tipo"]
        assert "não é um número de ticket" in errs["Ticket"]

    def test_all_errors_of_a_row_are_reported_at_once(self):
        """The operator fixes everything in one pass."""
        errs = parse(CNPJ="1", **{"E-mail": "x", "Telefone": "1"})
        assert [e.column for e in errs] == ["CNPJ", "E-mail", "Telefone"]
        assert all(e.row_number == 7 for e in errs)
