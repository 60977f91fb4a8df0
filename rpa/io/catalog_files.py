"""Read the procedure's catalogues from their folder (editable by an analyst).

    defects.csv             palavra_chave;grupo_servico;servico     R3 (first matching line wins)
    services.csv            grupo_servico;servico                   Workfinity catalogue names
    authorized_clients.csv  nome;regra;exige_numero_referencia       R7 list, R14 flag
    outcome_fields.csv      status;categoria;motivo                  R15 Categoria/Motivo per outcome
    templates.toml          texts (Jinja2)                           R1, R8, R10, R11, R15, R17

The folder is the setting ``catalog_dir`` (``RPA_CATALOG_DIR``) when set, else ``input/catalog``
in the working directory when it exists, else the one shipped beside the package. CSVs may be
saved by Excel (``;`` or ``,``, UTF-8 or Windows-1252).
"""

from __future__ import annotations

import csv
import io
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rpa.errors import InputError
from rpa.io.input_guards import decode_text
from rpa.io.spreadsheet_in import detect_delimiter
from rpa.procedure.catalogs import Catalogs, ClientMatch, ClientRule, DefectRule
from rpa.procedure.normalize import clean_spaces, fold, parse_yes_no, words
from rpa.procedure.rules import RuleConfig

if TYPE_CHECKING:
    from rpa.settings import Settings

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "input" / "catalog"
# The rule names an analyst writes in authorized_clients.csv (folded).
CLIENT_RULES = {"palavra": ClientMatch.WORD, "contem": ClientMatch.CONTAINS, "exato": ClientMatch.EXACT,
                "inicio": ClientMatch.PREFIX}
# Catalogues are ";" or "," files: the more frequent on the header line wins, ";" on a tie.
_CATALOG_DELIMITERS = (";", ",")


def default_catalog_dir() -> Path:
    """``input/catalog`` of the working directory when it holds one, else the shipped folder."""
    local = Path.cwd() / "input" / "catalog"
    if (local / "defects.csv").exists():
        return local
    return SHIPPED_DIR


def catalog_dir(settings: Settings | None = None) -> Path:
    """The folder the settings name (``catalog_dir``), else ``default_catalog_dir()``."""
    configured = getattr(settings, "catalog_dir", None)
    return Path(configured) if configured else default_catalog_dir()


def load_catalogs(source: Settings | Path | str | None = None) -> Catalogs:
    """The catalogues of a folder, or of the folder the settings name (``None``: the default
    folder); cached per folder."""
    directory = Path(source) if isinstance(source, (str, Path)) else catalog_dir(source)
    return _load(directory.resolve())


def rule_config(settings: Settings) -> RuleConfig:
    """The planning configuration of a run: the settings' limits and their catalogues."""
    return RuleConfig(catalogs=load_catalogs(settings), max_equipment=int(getattr(settings, "max_equipment", 5)))


def reload() -> None:
    """Forget cached catalogues (after an analyst edited the files, or in tests)."""
    _load.cache_clear()


@lru_cache(maxsize=8)
def _load(directory: Path) -> Catalogs:
    defects = _load_defects(directory / "defects.csv")
    return Catalogs(
        directory=directory,
        defects=defects,
        services=_load_services(directory / "services.csv", defects),
        clients=_load_clients(directory / "authorized_clients.csv"),
        outcome_fields=_load_outcomes(directory / "outcome_fields.csv"),
        templates=_load_templates(directory / "templates.toml"),
    )


def _read_table(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a small ``;``/``,`` CSV keyed by folded header; ``(line, row)``."""
    try:
        text, _ = decode_text(path.read_bytes())
    except OSError as exc:
        raise InputError(f"Catálogo não encontrado: {path} ({exc.strerror or exc}).") from exc
    delimiter = detect_delimiter(text, candidates=_CATALOG_DELIMITERS, scan_rows=1, header_score=None)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [fold(h) for h in next(reader, [])]
    missing = [c for c in columns if fold(c) not in header]
    if missing:
        raise InputError(f"Catálogo {path.name}: faltam as colunas {', '.join(missing)} na primeira linha.")
    out = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        row = {h: clean_spaces(cells[i]) if i < len(cells) else "" for i, h in enumerate(header)}
        out.append((line, row))
    return out


def _load_defects(path: Path) -> list[DefectRule]:
    rules = []
    for line, row in _read_table(path, ("palavra_chave", "grupo_servico", "servico")):
        keyword, group, service = row["palavrachave"], row["gruposervico"], row["servico"]
        if not (keyword and group and service):
            raise InputError(f"Catálogo {path.name}, linha {line}: preencha palavra_chave, grupo_servico e servico.")
        rules.append(DefectRule(keyword, group, service, tuple(words(keyword))))
    return rules


def _load_services(path: Path, defects: list[DefectRule]) -> dict[str, list[str]]:
    services: dict[str, list[str]] = {}
    rows = _read_table(path, ("grupo_servico", "servico")) if path.exists() else []
    pairs = [(r["gruposervico"], r["servico"]) for _, r in rows] + [(d.group, d.service) for d in defects]
    for group, service in pairs:
        if group and service and service not in services.setdefault(group, []):
            services[group].append(service)
    return services


def _load_clients(path: Path) -> list[ClientRule]:
    clients = []
    for line, row in _read_table(path, ("nome", "regra", "exige_numero_referencia")):
        rule = CLIENT_RULES.get(fold(row["regra"]) or "palavra")
        if not row["nome"] or rule is None:
            raise InputError(f"Catálogo {path.name}, linha {line}: regra deve ser palavra, contém, exato ou início.")
        flag = parse_yes_no(row["exigenumeroreferencia"])
        clients.append(ClientRule(row["nome"], rule, bool(flag)))
    return clients


def _load_outcomes(path: Path) -> dict[str, tuple[str, str]]:
    return {row["status"].upper(): (row["categoria"], row["motivo"])
            for _, row in _read_table(path, ("status", "categoria", "motivo"))}


def _load_templates(path: Path) -> dict[str, dict[str, str]]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise InputError(f"Catálogo não encontrado: {path} ({exc.strerror or exc}).") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"Catálogo {path.name} inválido: {exc}.") from exc
    sections = {k: v for k, v in data.items() if isinstance(v, dict)}
    import jinja2

    env = jinja2.Environment()
    for section, texts in sections.items():
        for key, source in texts.items():
            try:
                env.parse(str(source))
            except jinja2.TemplateSyntaxError as exc:  # a typo must stop the run before any site is touched
                raise InputError(f"Catálogo {path.name}, texto [{section}] {key}, linha {exc.lineno}: {exc.message}.") \
                    from exc
    return sections
