"""Defences of the spreadsheet reader against what real files hold: sizes, encodings, invisible
and control characters, broken quotes, numbers Excel rounded.

Each check either refuses the file at once with a pt-BR ``SpreadsheetError`` (the file as a
whole cannot be read safely) or returns a problem of one cell, which becomes that row's error
(the other rows are still read).
"""

from __future__ import annotations

import csv
import re
import stat
import zipfile
from pathlib import Path

from rpa.errors import SpreadsheetError

MAX_FILE_BYTES = 32 * 1024 * 1024           # an operator's request sheet is a few MB at most
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024   # checked before openpyxl inflates anything (zip bombs)
MAX_ROWS = 50_000
MAX_CELL_CHARS = 32_767                     # Excel's own limit for a cell
MAX_SIGNIFICANT_DIGITS = 15                 # what a number in Excel keeps; beyond it digits are lost
# Columns that hold identifiers: a number there with more digits was rounded by Excel.
IDENTIFIER_COLUMNS = ("CNPJ", "Número de Série", "Ticket")

# The csv module refuses fields over 128 KB by raising; the file size limit bounds them instead
# and MAX_CELL_CHARS makes an oversized cell that row's error.
csv.field_size_limit(MAX_FILE_BYTES)

# Invisible characters pasted from web pages and PDFs: never part of a value.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# C0 and C1 control characters, NUL included, but tab and line breaks (multi-line cells).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_regular_file(path: Path) -> None:
    """Anything but a regular file (a FIFO, a device) is refused before it is opened: opening
    a FIFO would block forever. So is a file too large to be a request sheet."""
    try:
        st = path.stat()
    except OSError as exc:
        raise SpreadsheetError(f"Não foi possível abrir {path.name}: {exc.strerror or exc}.", path=str(path)) from exc
    if not stat.S_ISREG(st.st_mode):
        raise SpreadsheetError(f"{path.name} não é um arquivo comum (é um pipe, dispositivo ou socket). Informe o "
                               "caminho de uma planilha .xlsx, .csv ou .xls.", path=str(path))
    if st.st_size > MAX_FILE_BYTES:
        raise SpreadsheetError(f"A planilha {path.name} tem {st.st_size // (1024 * 1024)} MB; o máximo é "
                               f"{MAX_FILE_BYTES // (1024 * 1024)} MB. Divida-a em arquivos menores.",
                               path=str(path))


def check_xlsx_size(path: Path) -> None:
    """The declared uncompressed size of every member, summed, before anything is inflated."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SpreadsheetError(f"A planilha {path.name} está corrompida ou não pôde ser lida ({exc}). "
                               "Abra no Excel e salve de novo como .xlsx.", path=str(path)) from exc
    if total > MAX_XLSX_UNCOMPRESSED:
        raise SpreadsheetError(
            f"A planilha {path.name} ocupa {total // (1024 * 1024)} MB descompactada (o máximo é "
            f"{MAX_XLSX_UNCOMPRESSED // (1024 * 1024)} MB): provavelmente tem milhões de células vazias "
            "formatadas. Copie só as linhas de dados para uma planilha nova.", path=str(path))


MAX_CSV_CELLS = 5_000_000


def check_csv_shape(path: Path, text: str) -> None:
    """Upper bounds on rows and cells, counted on the text before the csv module builds them."""
    if text.count("\n") > MAX_ROWS * 2 or text.count("\r") > MAX_ROWS * 2:
        raise too_many_rows(path)
    if max(text.count(d) for d in (";", ",", "\t", "|")) > MAX_CSV_CELLS:
        raise SpreadsheetError(f"O CSV {path.name} tem mais de {MAX_CSV_CELLS} células. Deixe nele só as linhas e "
                               "colunas das solicitações.", path=str(path))


def too_many_rows(path: Path) -> SpreadsheetError:
    return SpreadsheetError(f"A planilha {path.name} tem mais de {MAX_ROWS} linhas. Divida-a em arquivos menores.",
                            path=str(path))


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    One stray byte does not re-decode the whole file: a file that is mostly valid UTF-8 stays
    UTF-8, and a Windows-1252 file keeps Windows-1252. A byte that is valid in neither becomes
    U+FFFD, which the reader reports as the error of that row and column."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    as_utf8 = data.decode("utf-8", errors="replace")
    bad = as_utf8.count("\ufffd")
    good = sum(1 for ch in as_utf8 if ord(ch) > 127 and ch != "\ufffd")
    if good > bad:
        return as_utf8, "utf-8"
    return data.decode("cp1252", errors="replace"), "cp1252"


def clean_cell(text: str) -> tuple[str, str | None]:
    """The cell without invisible and control characters, and what to tell the operator when
    something other than invisible formatting had to be removed."""
    text = _INVISIBLE.sub("", text)
    problems = []
    controls = sorted(set(_CONTROL.findall(text)))
    if controls:
        codes = ", ".join(f"U+{ord(c):04X}" for c in controls[:3])
        problems.append(f"contém caracteres de controle invisíveis ({codes}), que não podem ser enviados aos "
                        "sites. Apague o conteúdo da célula e digite-o de novo")
        text = _CONTROL.sub("", text)
    if "\ufffd" in text:
        problems.append("contém um caractere que não pôde ser lido (byte inválido para a codificação do arquivo). "
                        "Corrija o texto da célula ou salve o arquivo como CSV UTF-8")
    if len(text) > MAX_CELL_CHARS:
        problems.append(f"tem {len(text)} caracteres; o máximo é {MAX_CELL_CHARS}. Deixe na célula só o dado "
                        "pedido")
        text = ""
    return text, ("; ".join(problems) + ".") if problems else None


def rounded_number(value: object) -> str | None:
    """The problem of a numeric identifier Excel rounded (more than 15 significant digits)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    digits = str(int(value)) if isinstance(value, int) or value.is_integer() else repr(value).replace(".", "")
    if len(digits.lstrip("-0")) > MAX_SIGNIFICANT_DIGITS:
        return ("o Excel arredondou o número: formate a coluna como Texto e digite o valor de novo "
                f"(o Excel guardou {digits}).")
    return None


def unterminated_quote(record: list[str], delimiter: str) -> bool:
    """A field holding line breaks and a row's worth of delimiters: a quote that was never closed
    made the csv reader swallow the rest of its line and the rows below it."""
    for field in record:
        if ("\n" in field or "\r" in field) and any(line.count(delimiter) >= 3 for line in field.splitlines()):
            return True
    return False
