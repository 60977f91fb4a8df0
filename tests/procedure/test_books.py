"""Book e-mails (R8, R10): exactly the fields the procedure lists, in UTF-8."""

from __future__ import annotations

import email
import email.policy

from rpa.procedure.books import book_cadastro, book_cortesia
from tests.corpus.builders import CATALOGS
from tests.corpus.builders import INFORMED_ADDRESS as INFORMED
from tests.corpus.builders import REGISTERED_ADDRESS as REGISTERED
from tests.corpus.builders import valid_row as row


def field_lines(body: str) -> dict[str, str]:
    """'Label: value' lines of a Book body."""
    out = {}
    for line in body.splitlines():
        label, sep, value = line.partition(": ")
        if sep and label and not label.endswith("."):
            out[label] = value
    return out


class TestBookContent:
    """Exactly the fields the procedure lists."""

    def test_cadastro_fields(self):
        """R8: Razão Social, CNPJ, Nome do Cliente, Endereço (informed and registered), E-mail, Telefone, Série."""
        msg = book_cadastro(row(**INFORMED), REGISTERED, to="cadastro@bematech.com.br", sender="robo@bematech.com.br",
                            catalogs=CATALOGS)
        assert msg["To"] == "cadastro@bematech.com.br" and msg["From"] == "robo@bematech.com.br"
        assert "PADARIA PÃO QUENTE LTDA" in msg["Subject"]
        fields = field_lines(msg.get_content())
        assert fields == {
            "Razão Social": "PADARIA PÃO QUENTE LTDA",
            "CNPJ": "11.222.333/0001-81",
            "Nome do Cliente": "João Silva",
            "Endereço informado": "Av. Brigadeiro Faria Lima, 3477 – Itaim Bibi – São Paulo/SP – CEP 04538-133",
            "Endereço cadastrado": "Avenida Paulista, 1000 – Bela Vista – São Paulo/SP – CEP 01310-100",
            "E-mail": "joao@paoquente.com.br",
            "Telefone": "(11) 3333-4444",
            "Número de Série": "BE4200TH000123",
        }

    def test_cortesia_fields(self):
        """R10: the client data, the address, the serial and the O.S. (número do chamado), plus the ticket."""
        msg = book_cortesia(row(**INFORMED), "2026000300", "41001", to="cortesia@bematech.com.br",
                            sender="robo@bematech.com.br", catalogs=CATALOGS)
        fields = field_lines(msg.get_content())
        assert set(fields) == {"Razão Social", "CNPJ", "Nome do Cliente", "Endereço", "E-mail", "Telefone",
                               "Número de Série", "Número do chamado (O.S.)", "Ticket Zendesk"}
        assert fields["Número do chamado (O.S.)"] == "2026000300" and fields["Ticket Zendesk"] == "41001"
        assert "2026000300" in msg["Subject"]

    def test_utf8_body(self):
        """Accents travel intact."""
        msg = book_cadastro(row(**INFORMED), REGISTERED, to="a@b.com", sender="c@d.com", catalogs=CATALOGS)
        parsed = email.message_from_bytes(bytes(msg), policy=email.policy.default)
        assert "Razão Social: PADARIA PÃO QUENTE LTDA" in parsed.get_content()
