"""The pt-BR messages the operator reads about a row once the sites have answered.

Messages decided without a site (invalid cells, R3, R13, R14...) are written where those rules
are; these are the ones the request flow needs after reading Workfinity and Zendesk. Each
names the row and the column when the operator has something to fix.
"""

from __future__ import annotations

import datetime as dt

from rpa.procedure.rows import Row


def cnpj_not_registered(row: Row) -> str:
    return (f"Linha {row.row_number}, coluna CNPJ: o CNPJ {row.cnpj_masked} não está cadastrado no "
            "Workfinity. Confira o CNPJ do estabelecimento.")


def equipment_not_found(row: Row) -> str:
    return (f"Linha {row.row_number}, coluna Número de Série: o equipamento {row.serial} não foi "
            "encontrado no Workfinity. Confira o número de série.")


def ticket_not_found(row_numbers: list[int], ticket: str) -> str:
    rows = (f"Linha {row_numbers[0]}" if len(row_numbers) == 1
            else f"Linhas {', '.join(str(n) for n in row_numbers)}")
    return (f"{rows}, coluna Ticket: o ticket #{ticket} não existe no Zendesk. Confira o número "
            "do ticket ou deixe a coluna vazia para o robô abrir um novo.")


def pending_registration(deadline: dt.date) -> str:
    return ("Endereço informado difere do cadastrado e o cliente não tem alteração "
            "autorizada: Book enviado ao Cadastro; cliente orientado a aguardar contato até "
            f"{deadline:%d/%m/%Y}.")


def order_opened(os_number: str, *, reused: bool, address_changed: bool, cortesia: bool, status_label: str) -> str:
    parts = [f"O.S. {os_number} {'já existente (reaproveitada)' if reused else 'aberta'}"]
    if address_changed:
        parts.append("endereço atualizado no Workfinity")
    if cortesia:
        parts.append("Book de cortesia enviado")
    parts.append(f"ticket atualizado ({status_label})")
    return "; ".join(parts) + "."


def system_failure(where: str, attempts: int, error: str) -> str:
    return (f"Falha de sistema em {where} após {attempts} tentativa(s): {error}. "
            "Uma nova execução continua de onde parou.")
