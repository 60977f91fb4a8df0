"""``rpa validate FILE [--json]``: read, group and apply the rules that need no site.

Per row: the planned outcome ("PRONTO" = goes on to the sites) or the outcome already
decided (``DADOS_INVALIDOS``, ``ESCALADO_GESTOR``) with the message saying what to fix
(``rpa.procedure.validation``). Exit 0 whenever the file could be read; 2 with a pt-BR message
when it could not.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rpa.errors import InputError
from rpa.io.catalog_files import load_catalogs, rule_config
from rpa.io.spreadsheet_in import read_spreadsheet
from rpa.outcomes import Outcome
from rpa.procedure.rules import RuleConfig
from rpa.procedure.sheet import Sheet
from rpa.procedure.validation import READY, ValidationItem, summary, validation_rows

STYLES = {READY: "green", Outcome.DADOS_INVALIDOS: "red", Outcome.ESCALADO_GESTOR: "yellow"}


def _rule_config() -> RuleConfig:
    try:
        from rpa.settings import Settings

        settings = Settings()
    except Exception:  # a bad rpa.toml must not stop a dry validation: use the defaults
        return RuleConfig(catalogs=load_catalogs())
    return rule_config(settings)


def _print_table(sheet: Sheet, items: list[ValidationItem]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    # Cell text and file names are the operator's: "[/x]" or "[link=...]" in them is text, not markup.
    console = Console()
    where = f" (aba {escape(sheet.sheet_name)})" if sheet.sheet_name else ""
    table = Table(title=f"{escape(sheet.path.name)}{where} — cabeçalho na linha {sheet.header_row}",
                  show_lines=False)
    table.add_column("Linha", justify="right", no_wrap=True)
    table.add_column("Solicitação", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Mensagem")
    for item in items:
        status = str(item["status"])
        table.add_row(str(item["row"]), escape(str(item["request"])),
                      f"[{STYLES.get(status, 'white')}]{escape(status)}[/]", escape(str(item["message"])))
    console.print(table)
    console.print(escape(summary(items)))


def validate_command(file: Path, *, json_out: bool, sheet: str | None) -> int:
    try:
        data = read_spreadsheet(Path(file), sheet)
        items = validation_rows(data, _rule_config())
    except InputError as exc:
        print(f"Erro: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a file no check foresaw: a message for the operator, never a traceback
        print(f"Erro: não foi possível ler {Path(file).name} ({type(exc).__name__}: {str(exc)[:300]}). "
              "Abra o arquivo no Excel e salve-o de novo como .xlsx.", file=sys.stderr)
        return 2
    if json_out:
        sys.stdout.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_table(data, items)
    return 0
