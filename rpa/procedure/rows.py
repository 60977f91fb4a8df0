"""One spreadsheet row as the bot needs it: validated, normalised, or a list of what to fix.

Every error names the row, the column and what to do ("Linha 7, coluna CNPJ: dígitos
verificadores não conferem (…). Corrija o CNPJ."), in pt-BR, for the operator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from pydantic import BaseModel

from rpa.procedure import cnpj as cnpj_mod
from rpa.procedure.catalogs import Catalogs
from rpa.procedure.normalize import UFS, clean_spaces, digits, fold, parse_yes_no, uf_from_cep
from rpa.procedure.sheet import SheetRow

TICKET_TYPES = ("Pergunta", "Incidente", "Problema", "Tarefa")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE][+-]?\d+$")
_PHONE_EXTENSION = re.compile(r"\s*(?:ramal|ram\.?|r\.|ext\.?|x)\s*(\d{1,6})\s*$", re.IGNORECASE)
_PHONE_SEPARATORS = re.compile(r"/|;|\bou\b", re.IGNORECASE)


class Address(BaseModel):
    cep: str = ""
    logradouro: str = ""
    numero: str = ""
    complemento: str = ""
    bairro: str = ""
    cidade: str = ""
    uf: str = ""

    def is_empty(self) -> bool:
        return not any((self.cep, self.logradouro, self.numero, self.complemento, self.bairro, self.cidade,
                        self.uf))

    def one_line(self) -> str:
        """"Avenida Paulista, 1000, sala 2 – Bela Vista – São Paulo/SP – CEP 01310-100"."""
        street = ", ".join(p for p in (self.logradouro, self.numero, self.complemento) if p)
        city = "/".join(p for p in (self.cidade, self.uf) if p)
        parts = [street, self.bairro, city, f"CEP {self.cep}" if self.cep else ""]
        return " – ".join(p for p in parts if p)


class Row(BaseModel):
    row_number: int
    ticket: str | None = None            # digits only
    solicitacao: str | None = None
    cnpj: str                            # canonical 14 chars, upper-case, check digits verified
    cnpj_masked: str                     # 12.345.678/0001-95
    razao_social: str
    nome_cliente: str
    email: str
    telefone: str                        # masked "(11) 3333-4444" / "(11) 98888-7777"
    address: Address = Address()         # CEP masked 01310-100, UF upper-case; may be empty
    serial: str                          # stripped, upper-case, never scientific notation
    defeito: str
    grupo_servico: str | None = None
    servico: str | None = None
    tipo: str = "Incidente"
    categoria: str | None = None
    motivo: str | None = None
    assunto: str | None = None
    numero_referencia: str | None = None
    gera_orcamento: bool = False
    cortesia: bool = False


@dataclass
class RowError:
    row_number: int
    column: str
    message: str    # pt-BR, naming row, column and what to fix

    def __str__(self) -> str:
        return self.message


class _Errors:
    def __init__(self, row_number: int) -> None:
        self.row_number = row_number
        self.items: list[RowError] = []

    def add(self, column: str, problem: str) -> None:
        self.items.append(RowError(self.row_number, column,
                                   f"Linha {self.row_number}, coluna {column}: {problem}"))

    def add_many(self, columns: list[str], problem: str) -> None:
        """One problem that involves several columns: one message naming them all."""
        if len(columns) == 1:
            self.add(columns[0], problem)
            return
        names = ", ".join(columns[:-1]) + " e " + columns[-1]
        self.items.append(RowError(self.row_number, ", ".join(columns),
                                   f"Linha {self.row_number}, colunas {names}: {problem}"))


# -- field parsers: each returns the clean value or adds an error ----------------------------


def parse_ticket(text: str) -> str | None:
    """Digits of a ticket ("#41001", "41001", "41.001"); ``None`` when it is not a number."""
    value = text.strip().lstrip("#").strip()
    decimal = re.fullmatch(r"(\d+)[.,]0+", value)  # "41001.0": a number typed or exported as decimal
    if decimal:
        return decimal.group(1)
    compact = re.sub(r"[\s.]", "", value)
    return compact if compact.isdigit() else None


def _cpf_valid(d: str) -> bool:
    if len(d) != 11 or len(set(d)) == 1:
        return False
    for n in (9, 10):
        total = sum(int(d[i]) * (n + 1 - i) for i in range(n))
        if (total * 10 % 11) % 10 != int(d[n]):
            return False
    return True


def parse_cnpj(text: str, err: _Errors) -> str | None:
    column = "CNPJ"
    if not text:
        err.add(column, "vazio. Informe o CNPJ do estabelecimento.")
        return None
    value = cnpj_mod.clean(text)
    if value.isdigit() and len(value) == 11 and _cpf_valid(value):
        err.add(column, f"\"{text}\" é um CPF. O procedimento é para clientes corporativos: informe o CNPJ.")
        return None
    if value.isdigit() and 10 <= len(value) < 14:
        value = value.zfill(14)  # Excel drops the leading zeros of a numeric CNPJ
    if len(value) != 14 or not re.fullmatch(r"[0-9A-Z]{12}[0-9]{2}", value):
        err.add(column, f"\"{text}\" não é um CNPJ: são 14 caracteres (12 letras ou dígitos e 2 dígitos "
                        "verificadores). Corrija o CNPJ.")
        return None
    if not cnpj_mod.is_valid(value):
        err.add(column, f"dígitos verificadores não conferem ({cnpj_mod.mask(value)}). Corrija o CNPJ.")
        return None
    return value


def parse_email(text: str, err: _Errors) -> str:
    value = text.strip().strip("<>").strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if not value:
        err.add("E-mail", "vazio. Informe o e-mail do contato.")
    elif value.count("@") > 1:
        err.add("E-mail", f"\"{text}\" tem mais de um e-mail. Informe um só.")
    elif not _EMAIL.match(value):
        err.add("E-mail", f"\"{text}\" não é um e-mail válido. Corrija o e-mail.")
    else:
        local, _, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}"
    return ""


def parse_phone(text: str, err: _Errors) -> str:
    column = "Telefone"
    value = clean_spaces(text)
    if not value:
        err.add(column, "vazio. Informe o telefone com DDD, por exemplo (11) 3333-4444.")
        return ""
    if sum(1 for p in _PHONE_SEPARATORS.split(value) if len(digits(p)) >= 8) > 1:
        err.add(column, f"\"{text}\" tem mais de um telefone. Informe um só, com DDD.")
        return ""
    extension = ""
    m = _PHONE_EXTENSION.search(value)
    if m:
        extension, value = m.group(1), value[:m.start()]
    d = digits(value)
    masked = _fast_phone(value, d)
    if masked:
        return f"{masked} ramal {extension}" if extension else masked
    candidates = [value]
    if d.startswith("55") and len(d) in (12, 13):
        candidates.append("+" + d)
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, "BR")
        except phonenumbers.NumberParseException:
            continue
        if number.country_code == 55 and phonenumbers.is_valid_number(number):
            masked = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
            return f"{masked} ramal {extension}" if extension else masked
    if len(d) in (8, 9) and "(" not in value and not value.startswith("+"):
        err.add(column, f"\"{text}\" está sem DDD. Informe o telefone com DDD, por exemplo (11) 3333-4444.")
    else:
        err.add(column, f"\"{text}\" não é um telefone brasileiro válido. Informe com DDD, por exemplo "
                        "(11) 3333-4444 ou (11) 98888-7777.")
    return ""


_PHONE_CHARS = re.compile(r"^[\d\s()+\-.]+$")


def _fast_phone(value: str, d: str) -> str:
    """Common case without a full parse: a DDD + 8/9-digit number (optionally +55). "" = use the slow path."""
    if not _PHONE_CHARS.match(value):
        return ""
    if len(d) in (12, 13) and d.startswith("55") and value.lstrip().startswith(("+", "55")):
        d = d[2:]
    if len(d) not in (10, 11) or d[0] == "0":
        return ""
    if not phonenumbers.is_valid_number(phonenumbers.PhoneNumber(country_code=55, national_number=int(d))):
        return ""
    return f"({d[:2]}) {d[2:6]}-{d[6:]}" if len(d) == 10 else f"({d[:2]}) {d[2:7]}-{d[7:]}"


_ADDRESS_KEYS = ("CEP", "Logradouro", "Número")


def parse_address(values: dict[str, str], err: _Errors) -> Address:
    raw = {k: clean_spaces(values.get(k, "")) for k in ("CEP", "Logradouro", "Número", "Complemento", "Bairro",
                                                         "Cidade", "UF")}
    # The comparison with the registered address (R7) needs CEP, Logradouro and Número: a row
    # with none of them (only Cidade / UF, say) has no address to compare, and the registered one stands.
    if not any(raw[k] for k in _ADDRESS_KEYS):
        return Address()
    cep = ""
    d = digits(raw["CEP"])
    if raw["CEP"] and re.fullmatch(r"[\d.\-\s]+", raw["CEP"]) and 7 <= len(d) <= 8:
        d = d.zfill(8)  # Excel drops the leading zero of CEPs in São Paulo
        cep = f"{d[:5]}-{d[5:]}"
    elif raw["CEP"]:
        err.add("CEP", f"\"{raw['CEP']}\" não é um CEP. Use 8 dígitos, por exemplo 01310-100.")
    uf = raw["UF"].upper()
    if uf and uf not in UFS:
        err.add("UF", f"\"{raw['UF']}\" não é uma UF. Use a sigla do estado, por exemplo SP.")
        uf = ""
    if not uf and cep:
        uf = uf_from_cep(cep)
    missing = [k for k in _ADDRESS_KEYS if not raw[k]]
    if missing:
        given = ", ".join(k for k in _ADDRESS_KEYS if raw[k])
        err.add_many(missing, f"{'vazia' if len(missing) == 1 else 'vazias'}, mas o endereço foi informado em "
                              f"{given}. Complete CEP, Logradouro e Número, ou deixe os três vazios para manter o "
                              "endereço cadastrado.")
    return Address(cep=cep, logradouro=raw["Logradouro"], numero=raw["Número"], complemento=raw["Complemento"],
                   bairro=raw["Bairro"], cidade=raw["Cidade"], uf=uf)


def parse_serial(text: str, err: _Errors) -> str:
    value = re.sub(r"\s+", "", text).upper()
    if not value:
        err.add("Número de Série", "vazio. Informe o número de série do equipamento.")
    elif _SCIENTIFIC.match(value):
        err.add("Número de Série", f"\"{text}\" está em notação científica: o Excel converteu o número e perdeu "
                                   "dígitos. Formate a coluna como Texto e digite o número de série de novo.")
        return ""
    return value


def parse_yes_no_column(text: str, column: str, err: _Errors) -> bool:
    flag = parse_yes_no(text)
    if flag is None:
        err.add(column, f"\"{text}\" não é Sim ou Não. Use Sim ou Não (ou S/N, X, 1/0).")
        return False
    return flag


def parse_tipo(text: str, err: _Errors) -> str:
    if not text:
        return "Incidente"
    for t in TICKET_TYPES:
        if fold(t) == fold(text):
            return t
    err.add("Tipo", f"\"{text}\" não é um tipo de ticket. Use {', '.join(TICKET_TYPES)} ou deixe vazio "
                    "(Incidente).")
    return "Incidente"


def _required_text(values: dict[str, str], column: str, err: _Errors, what: str) -> str:
    value = clean_spaces(values.get(column, ""))
    if not value:
        err.add(column, f"vazio. Informe {what}.")
    return value


def parse_row(sheet_row: SheetRow, catalogs: Catalogs) -> Row | list[RowError]:
    """The validated row, or every problem found in it (one per column); ``catalogs`` give
    the spelling of Grupo Serviço and Serviço."""
    v = sheet_row.values
    err = _Errors(sheet_row.row_number)
    for column, problem in sheet_row.problems:
        err.add(column, problem)
    read_problems = list(err.items)

    ticket_text = v.get("Ticket", "")
    ticket = parse_ticket(ticket_text) if ticket_text else None
    if ticket_text and ticket is None:
        err.add("Ticket", f"\"{ticket_text}\" não é um número de ticket do Zendesk. Use só os dígitos "
                          "(por exemplo 41001) ou deixe vazio para o robô criar o ticket.")
    cnpj = parse_cnpj(v.get("CNPJ", ""), err)
    razao = _required_text(v, "Razão Social", err, "a razão social do cliente")
    nome = _required_text(v, "Nome do Cliente", err, "o nome do contato")
    email = parse_email(v.get("E-mail", ""), err)
    telefone = parse_phone(v.get("Telefone", ""), err)
    address = parse_address(v, err)
    serial = parse_serial(v.get("Número de Série", ""), err)
    defeito = _required_text(v, "Defeito", err, "o defeito apontado pelo cliente")
    tipo = parse_tipo(clean_spaces(v.get("Tipo", "")), err)
    gera = parse_yes_no_column(v.get("Gera Orçamento", ""), "Gera Orçamento", err)
    cortesia = parse_yes_no_column(v.get("Cortesia", ""), "Cortesia", err)

    group = clean_spaces(v.get("Grupo Serviço", "")) or None
    service = clean_spaces(v.get("Serviço", "")) or None
    if group or service:  # the catalogue's spelling of what the operator typed
        group = catalogs.canonical_group(group) if group else None
        service = catalogs.canonical_service(group or "", service) if service else None

    if err.items or cnpj is None:  # no CNPJ only with its error listed
        # A cell the reader already reported ("o Excel arredondou...") is not reported again as "vazio".
        spoiled = {e.column for e in read_problems}
        return read_problems + [e for e in err.items[len(read_problems):] if e.column not in spoiled]
    opt = lambda name: clean_spaces(v.get(name, "")) or None  # noqa: E731
    return Row(
        row_number=sheet_row.row_number, ticket=ticket, solicitacao=opt("Solicitação"),
        cnpj=cnpj, cnpj_masked=cnpj_mod.mask(cnpj), razao_social=razao, nome_cliente=nome, email=email,
        telefone=telefone, address=address, serial=serial, defeito=defeito, grupo_servico=group,
        servico=service, tipo=tipo, categoria=opt("Categoria"), motivo=opt("Motivo"), assunto=opt("Assunto"),
        numero_referencia=opt("Número Referência"), gera_orcamento=gera, cortesia=cortesia,
    )
