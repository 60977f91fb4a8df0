"""Configuration errors in pt-BR: which setting, what was given, what form it must take.

pydantic reports in English and by field name; the operator sets ``RPA_*`` variables,
``rpa.toml`` keys or command-line options, so each error names the variable (and the key)
and says what is expected. A secret's value is never quoted.
"""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from rpa.settings import SECRET_FIELDS

# pydantic error type -> what the value must be (ctx values are filled in).
_EXPECTED = {
    "int_parsing": "um número inteiro (ex.: 4)",
    "int_type": "um número inteiro (ex.: 4)",
    "float_parsing": "um número (ex.: 2.5)",
    "bool_parsing": "sim ou não: true/false, 1/0, yes/no, on/off",
    "bool_type": "sim ou não: true/false, 1/0, yes/no, on/off",
    "greater_than_equal": "um número maior ou igual a {ge}",
    "greater_than": "um número maior que {gt}",
    "less_than_equal": "um número menor ou igual a {le}",
    "less_than": "um número menor que {lt}",
    "literal_error": "um destes valores: {expected}",
    "path_type": "um caminho de pasta ou arquivo",
    "string_type": "um texto",
    "missing": "um valor (está faltando)",
}


def _expected(error: ErrorDetails) -> str:
    ctx = {k: str(v).replace(" or ", " ou ") for k, v in (error.get("ctx") or {}).items()}
    template = _EXPECTED.get(error["type"], "um valor no formato documentado em interfaces.md")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def describe(exc: ValidationError) -> str:
    """One pt-BR line per invalid setting."""
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error.get("loc") else ""
        shown = "" if field in SECRET_FIELDS else f" (recebido: {error.get('input')!r})"
        lines.append(f"RPA_{field.upper()} (chave \"{field}\" no rpa.toml){shown}: deve ser {_expected(error)}.")
    return "\n".join(lines)


def config_error_message(exc: Exception) -> str:
    """The pt-BR message for any error met while reading the settings."""
    if isinstance(exc, ValidationError):
        return describe(exc)
    # rpa.toml or .env that cannot be parsed: say which, without echoing values.
    return ("Não foi possível ler a configuração (rpa.toml ou .env): verifique a sintaxe do arquivo "
            f"({type(exc).__name__}).")
