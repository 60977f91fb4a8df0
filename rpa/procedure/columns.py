"""The columns of the input spreadsheet: canonical names, aliases, which are required.

Headers are matched through ``normalize.fold`` (case, accents, spaces and punctuation
ignored), so "RAZAO SOCIAL", "Razão  Social" and "razao_social" all name "Razão Social".
"""

from __future__ import annotations

from rpa.procedure.normalize import fold

# canonical name -> aliases (interfaces.md, plus a few spellings seen in real sheets)
INPUT_COLUMNS: dict[str, tuple[str, ...]] = {
    "Ticket": ("Nº Ticket", "Nº do Ticket", "Número do Ticket", "Ticket Zendesk", "Chamado Zendesk",
               "ID Ticket"),
    "Solicitação": ("ID Solicitação", "Pedido Cliente", "Nº Solicitação", "Número da Solicitação"),
    "CNPJ": ("CNPJ/CPF", "CNPJ do Cliente", "CNPJ Cliente"),
    "Razão Social": ("Razão Social do Cliente",),
    "Nome do Cliente": ("Cliente", "Contato", "Nome", "Nome do Contato", "Nome Contato", "Solicitante"),
    "E-mail": ("Email", "E-mail do Cliente", "E-mail Contato", "Email Contato"),
    "Telefone": ("Fone", "Celular", "Tel", "Telefone Contato", "Telefone do Cliente"),
    "CEP": (),
    "Logradouro": ("Endereço", "Rua"),
    "Número": ("Nº", "Num", "Número Endereço"),
    "Complemento": ("Compl",),
    "Bairro": (),
    "Cidade": ("Município",),
    "UF": ("Estado",),
    "Número de Série": ("Série", "Serial", "NS", "Nº Série", "Nº de Série", "Número Série", "Serial Number"),
    "Defeito": ("Motivo do Erro", "Problema", "Descrição do Problema", "Descrição", "Defeito Relatado",
                "Defeito Informado"),
    "Grupo Serviço": ("Grupo de Serviço", "Grupo"),
    "Serviço": (),
    "Tipo": ("Tipo Ticket", "Tipo do Ticket"),
    "Categoria": (),
    "Motivo": (),
    "Assunto": (),
    "Número Referência": ("Chamado Interno", "Nº Referência", "Número de Referência", "Referência"),
    "Gera Orçamento": ("Orçamento",),
    "Cortesia": (),
}

# Written by the bot (interfaces.md, "Output"); read back on reruns. "Ticket" is an input column.
RESULT_COLUMNS: tuple[str, ...] = (
    "Status RPA", "Nº O.S.", "Ticket", "Status Ticket", "Mensagem RPA", "Prazo Retorno",
    "Processado em", "Gravação",
)
RESULT_ALIASES: dict[str, tuple[str, ...]] = {
    "Status RPA": (),
    "Nº O.S.": ("Número O.S.", "Número da O.S.", "Nº OS", "O.S."),
    "Status Ticket": (),
    "Mensagem RPA": (),
    "Prazo Retorno": ("Prazo de Retorno",),
    "Processado em": (),
    "Gravação": (),
}

REQUIRED: tuple[str, ...] = ("CNPJ", "Razão Social", "Nome do Cliente", "E-mail", "Telefone",
                             "Número de Série", "Defeito")
ADDRESS_COLUMNS: tuple[str, ...] = ("CEP", "Logradouro", "Número", "Complemento", "Bairro", "Cidade", "UF")

ALL_COLUMNS: tuple[str, ...] = tuple(INPUT_COLUMNS) + tuple(c for c in RESULT_COLUMNS if c not in INPUT_COLUMNS)

# folded text -> (canonical, is_alias)
_LOOKUP: dict[str, tuple[str, bool]] = {}
for _name, _aliases in {**INPUT_COLUMNS, **RESULT_ALIASES}.items():
    for _alias in _aliases:
        _LOOKUP.setdefault(fold(_alias), (_name, True))
for _name in ALL_COLUMNS:
    _LOOKUP[fold(_name)] = (_name, False)  # a canonical name always beats an alias


def canonical(header: object) -> str | None:
    """The canonical column a header names, or ``None`` for an unknown column."""
    if header is None:
        return None
    hit = _LOOKUP.get(fold(str(header)))
    return hit[0] if hit else None


def is_exact(header: str) -> bool:
    """True when the header is the canonical name itself (not an alias)."""
    hit = _LOOKUP.get(fold(header))
    return hit is not None and not hit[1]


def known_count(cells: list[str]) -> int:
    """How many distinct known columns a row of cells names (header detection)."""
    return len({c for c in map(canonical, cells) if c})


def assign_columns(headers: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Map header cells to columns: ``(canonical -> index, extra header -> index)``.

    When two headers name the same column, the one spelled canonically wins, else the first;
    the other is kept as an unknown column so that nothing is lost.
    """
    known: dict[str, int] = {}
    for i, text in enumerate(headers):
        name = canonical(text)
        if name is None:
            continue
        if name not in known or (is_exact(text) and not is_exact(headers[known[name]])):
            known[name] = i
    taken = set(known.values())
    extra: dict[str, int] = {}
    for i, text in enumerate(headers):
        if i in taken or not text:
            continue
        key, n = text, 2
        while key in extra or key in known:
            key, n = f"{text} ({n})", n + 1
        extra[key] = i
    return known, extra
