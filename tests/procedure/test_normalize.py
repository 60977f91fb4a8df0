"""Text normalisation and header aliases."""

from __future__ import annotations

import datetime as dt

import pytest

from rpa.procedure.columns import assign_columns, canonical
from rpa.procedure.normalize import UFS, cell_text, fold, parse_yes_no, uf_from_cep


class TestFold:
    """One comparison key for headers, keywords and names."""

    @pytest.mark.parametrize("a,b", [
        ("Razão Social", "RAZAO  SOCIAL"), ("Nº Ticket", "N° ticket"), ("E-mail", "email"),
        ("Número de Série", "numero_de_serie"), ("CNPJ/CPF", "cnpj cpf"),
    ])
    def test_equal(self, a, b):
        """Case, accents, spaces, punctuation and ordinal marks ignored."""
        assert fold(a) == fold(b)


class TestHeaders:
    """Aliases of interfaces.md."""

    @pytest.mark.parametrize("header,expected", [
        ("Ticket Zendesk", "Ticket"), ("Chamado Zendesk", "Ticket"), ("ID Solicitação", "Solicitação"),
        ("Pedido Cliente", "Solicitação"), ("CNPJ/CPF", "CNPJ"), ("Cliente", "Nome do Cliente"),
        ("Contato", "Nome do Cliente"), ("Email", "E-mail"), ("Fone", "Telefone"), ("Celular", "Telefone"),
        ("Endereço", "Logradouro"), ("Serial", "Número de Série"), ("NS", "Número de Série"),
        ("Motivo do Erro", "Defeito"), ("Problema", "Defeito"), ("Tipo Ticket", "Tipo"),
        ("Chamado Interno", "Número Referência"), ("Nº Referência", "Número Referência"),
        ("Orçamento", "Gera Orçamento"), ("Motivo", "Motivo"), ("Nº O.S.", "Nº O.S."),
        ("status rpa", "Status RPA"), ("Observações", None), ("", None),
    ])
    def test_aliases(self, header, expected):
        """Each alias names its canonical column; unknown headers name none."""
        assert canonical(header) == expected

    def test_duplicates_keep_the_canonical_and_the_rest_as_extra(self):
        """'Cliente' and 'Nome do Cliente' both present: the canonical spelling wins."""
        known, extra = assign_columns(["Cliente", "CNPJ", "Nome do Cliente", "Obs", "Obs"])
        assert known == {"Nome do Cliente": 2, "CNPJ": 1}
        assert extra == {"Cliente": 0, "Obs": 3, "Obs (2)": 4}


class TestCellText:
    """Cells as the operator sees them."""

    @pytest.mark.parametrize("value,expected", [
        (None, ""), ("  a  b ", "a b"), (41001.0, "41001"), (123456789012.0, "123456789012"), (12.5, "12.5"),
        (True, "Sim"), (dt.datetime(2026, 11, 27), "27/11/2026"), (dt.date(2026, 1, 2), "02/01/2026"),
        (dt.datetime(2026, 11, 27, 9, 5), "27/11/2026 09:05"), ("linha1\nlinha2", "linha1 linha2"),
    ])
    def test_values(self, value, expected):
        """Numbers without .0, dates dd/mm/aaaa, spaces collapsed."""
        assert cell_text(value) == expected

    def test_yes_no_unknown(self):
        """Neither yes nor no."""
        assert parse_yes_no("talvez") is None

    @pytest.mark.parametrize("cep,uf", [("01310-100", "SP"), ("20040020", "RJ"), ("70040-010", "DF"),
                                        ("90010-000", "RS"), ("69900-000", "AC"), ("123", "")])
    def test_uf_from_cep(self, cep, uf):
        """Correios' ranges."""
        assert uf_from_cep(cep) == uf


class TestUfs:
    """The UFs come from the holidays package, not a list typed here."""

    def test_the_27_ufs(self):
        """26 states and the Distrito Federal, two letters each (the city of São Paulo is not one)."""
        assert len(UFS) == len(set(UFS)) == 27 and all(len(uf) == 2 and uf.isupper() for uf in UFS)
        assert {"SP", "RJ", "DF", "AC", "TO"} <= set(UFS)
