"""Texts written to Zendesk (R1, R8, R11, R12, R17)."""

from __future__ import annotations

import datetime as dt

from rpa.outcomes import Outcome
from rpa.procedure import templates
from rpa.procedure.rows import Row, parse_row
from rpa.procedure.sheet import SheetRow
from tests.corpus.builders import CATALOGS, good_row


def row(n: int = 2, **fields: object) -> Row:
    result = parse_row(SheetRow(row_number=n, values={k: str(v) for k, v in good_row(**fields).items()}, extra={}),
                       CATALOGS)
    assert isinstance(result, Row), result
    return result


ADDRESS = {"CEP": "04538-133", "Logradouro": "Av. Brigadeiro Faria Lima", "Número": "3477", "Bairro": "Itaim Bibi",
           "Cidade": "São Paulo", "UF": "SP"}


class TestInternalNote:
    """R1: CNPJ masked and Razão Social in every note, plus what was done."""

    def test_ok_note(self):
        """O.S. numbers (R12), serials, books, status change, marker."""
        rows = [row(2, **{"Número de Série": "S1"}), row(3, **{"Número de Série": "S2", "Defeito": "LED piscando"})]
        note = templates.internal_note(rows, code=Outcome.OK, os_numbers=["2026000200", "2026000201"], deadline=None,
                                       books=["Book de cortesia enviado (O.S. 2026000201)"], catalogs=CATALOGS,
                                       marker="RPA-ABC")
        assert "CNPJ: 11.222.333/0001-81" in note and "Razão Social: PADARIA PÃO QUENTE LTDA" in note
        assert "Ordens de Serviço abertas no Workfinity: 2026000200, 2026000201." in note
        assert "- Série S2: LED piscando" in note
        assert "Book de cortesia enviado (O.S. 2026000201)." in note
        assert "Aberto" in note and "Em espera" in note
        assert note.endswith("[RPA-ABC]")
        assert "\n\n\n" not in note and not any(line != line.rstrip() for line in note.splitlines())

    def test_single_os_wording(self):
        """One O.S.: singular."""
        note = templates.internal_note([row()], code=Outcome.OK, os_numbers=["2026000200"], deadline=None, books=[],
                                       catalogs=CATALOGS)
        assert "Ordem de Serviço aberta no Workfinity: 2026000200." in note and "[" not in note

    def test_pending_note(self):
        """CADASTRO_PENDENTE: informed address, book, deadline dd/mm/aaaa."""
        note = templates.internal_note([row(**ADDRESS)], code=Outcome.CADASTRO_PENDENTE, os_numbers=[],
                                       deadline=dt.date(2026, 12, 1), books=["Book enviado ao Cadastro"],
                                       catalogs=CATALOGS)
        assert "CNPJ: 11.222.333/0001-81" in note and "PADARIA PÃO QUENTE LTDA" in note
        assert "Av. Brigadeiro Faria Lima, 3477 – Itaim Bibi – São Paulo/SP – CEP 04538-133" in note
        assert "até 01/12/2026" in note and "Book enviado ao Cadastro." in note

    def test_deterministic(self):
        """Same input, same text: the runner recognises a note it already wrote."""
        args = dict(code=Outcome.OK, os_numbers=["1"], deadline=None, books=[], catalogs=CATALOGS, marker="M")
        assert templates.internal_note([row()], **args) == templates.internal_note([row()], **args)


class TestPublicReply:
    """R11 / R8, closing in the name of Bematech (R17)."""

    def test_ok_reply(self):
        """Greets the contact, gives the O.S. number, closes as Bematech."""
        reply = templates.public_reply([row()], code=Outcome.OK, os_numbers=["2026000200"], deadline=None,
                                       catalogs=CATALOGS)
        assert reply.startswith("Olá, João Silva!")
        assert "Ordem de Serviço nº 2026000200" in reply and "BE4200TH000123" in reply
        assert reply.rstrip().endswith("Equipe de Suporte Bematech")

    def test_pending_reply(self):
        """Tells the client to wait for the registration department until the date."""
        reply = templates.public_reply([row()], code=Outcome.CADASTRO_PENDENTE, os_numbers=[],
                                       deadline=dt.date(2026, 12, 1), catalogs=CATALOGS)
        assert "aguarde o contato do departamento até 01/12/2026" in reply
        assert "Bematech" in reply

    def test_several_equipment(self):
        """Lists the serials in Portuguese ('a, b e c')."""
        rows = [row(2, **{"Número de Série": "S1"}), row(3, **{"Número de Série": "S2"}),
                row(4, **{"Número de Série": "S3"})]
        reply = templates.public_reply(rows, code=Outcome.OK, os_numbers=["1", "2", "3"], deadline=None,
                                       catalogs=CATALOGS)
        assert "os equipamentos de números de série S1, S2 e S3" in reply
        assert "Ordens de Serviço nº 1, 2, 3" in reply


class TestCreationNote:
    """First note of a ticket the bot creates."""

    def test_creation_note(self):
        """CNPJ, Razão Social, marker."""
        note = templates.creation_note(row(), "RPA-0123", CATALOGS)
        assert "CNPJ: 11.222.333/0001-81" in note and "Razão Social: PADARIA PÃO QUENTE LTDA" in note
        assert "[RPA-0123]" in note
