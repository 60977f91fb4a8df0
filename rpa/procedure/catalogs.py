"""The business data of the procedure, loaded from ``input/catalog/`` (editable by an analyst).

    defects.csv             palavra_chave;grupo_servico;servico     R3 (first matching line wins)
    services.csv            grupo_servico;servico                   Workfinity catalogue names
    authorized_clients.csv  nome;regra;exige_numero_referencia       R7 list, R14 flag
    outcome_fields.csv      status;categoria;motivo                  R15 Categoria/Motivo per outcome
    templates.toml          texts (Jinja2)                           R1, R8, R10, R11, R15, R17

The folder is ``$RPA_CATALOG_DIR`` when set, else ``input/catalog`` in the working directory
when it exists, else the one shipped beside the package. CSVs may be saved by Excel
(``;`` or ``,``, UTF-8 or Windows-1252).
"""

from __future__ import annotations

import csv
import io
import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rpa.errors import InputError
from rpa.procedure.normalize import clean_spaces, fold, parse_yes_no, words

CATALOG_ENV = "RPA_CATALOG_DIR"
SHIPPED_DIR = Path(__file__).resolve().parents[2] / "input" / "catalog"
CLIENT_RULES = {"palavra": "word", "contem": "contains", "exato": "exact", "inicio": "prefix"}


@dataclass(frozen=True)
class DefectRule:
    keyword: str
    group: str
    service: str
    key: tuple[str, ...]          # folded words of the keyword

    def matches(self, defect_words: list[str]) -> bool:
        n = len(self.key)
        return any(tuple(defect_words[i:i + n]) == self.key for i in range(len(defect_words) - n + 1))


@dataclass(frozen=True)
class ClientRule:
    name: str
    rule: str                     # word | contains | exact | prefix
    requires_reference: bool      # R14 (SODEXO)

    def matches(self, razao_social: str) -> bool:
        if self.rule == "word":
            key, text = tuple(words(self.name)), words(razao_social)
            return any(tuple(text[i:i + len(key)]) == key for i in range(len(text) - len(key) + 1))
        name, text = fold(self.name), fold(razao_social)
        if self.rule == "contains":
            return name in text
        if self.rule == "prefix":
            return text.startswith(name)
        return text == name


@dataclass
class Catalogs:
    directory: Path
    defects: list[DefectRule]
    services: dict[str, list[str]]               # group -> services, as Workfinity names them
    clients: list[ClientRule]
    outcome_fields: dict[str, tuple[str, str]]   # code -> (categoria, motivo)
    templates: dict[str, dict[str, str]] = field(default_factory=dict)

    _memo: dict[tuple[str, str], object] = field(default_factory=dict, repr=False)

    def defect_rule(self, defect: str) -> DefectRule | None:
        """The first catalogue line whose keyword appears (as whole words) in the defect text."""
        key = ("defect", defect)
        if key not in self._memo:  # sheets repeat the same few defect texts
            w = words(defect)
            self._memo[key] = next((r for r in self.defects if r.matches(w)), None)
        return self._memo[key]  # type: ignore[return-value]

    def client_rule(self, razao_social: str) -> ClientRule | None:
        key = ("client", razao_social)
        if key not in self._memo:
            self._memo[key] = next((c for c in self.clients if c.matches(razao_social)), None)
        return self._memo[key]  # type: ignore[return-value]

    def canonical_group(self, group: str) -> str:
        """The catalogue spelling of a group typed in any case/accents; unknown names unchanged."""
        key = fold(group)
        return next((g for g in self.services if fold(g) == key), clean_spaces(group))

    def canonical_service(self, group: str, service: str) -> str:
        key = fold(service)
        names = self.services.get(group) or [s for ss in self.services.values() for s in ss]
        return next((s for s in names if fold(s) == key), clean_spaces(service))


def catalog_dir() -> Path:
    env = os.environ.get(CATALOG_ENV)
    if env:
        return Path(env)
    local = Path.cwd() / "input" / "catalog"
    if (local / "defects.csv").exists():
        return local
    return SHIPPED_DIR


def _read_table(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a small ``;``/``,`` CSV keyed by folded header; ``(line, row)``."""
    from rpa.io.spreadsheet_in import decode_text

    try:
        text, _ = decode_text(path.read_bytes())
    except OSError as exc:
        raise InputError(f"Catálogo não encontrado: {path} ({exc.strerror or exc}).") from exc
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
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


_default: dict[tuple[str | None, str], Catalogs] = {}


def load(directory: Path | None = None) -> Catalogs:
    """The catalogues of ``directory`` (default ``catalog_dir()``); cached per folder."""
    if directory is not None:
        return _load(Path(directory).resolve())
    key = (os.environ.get(CATALOG_ENV), os.getcwd())  # cheap: called for every row
    if key not in _default:
        _default[key] = _load(catalog_dir().resolve())
    return _default[key]


def reload() -> None:
    """Forget cached catalogues (after an analyst edited the files, or in tests)."""
    _load.cache_clear()
    _default.clear()
