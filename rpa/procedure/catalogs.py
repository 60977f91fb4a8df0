"""The business data of the procedure (defects, services, authorized clients, outcome fields,
texts) and the lookups the rules make in it.

An analyst edits these as files in ``input/catalog/``; ``rpa.io.catalog_files`` reads them
into a ``Catalogs`` that is passed to every rule needing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from rpa.procedure.normalize import clean_spaces, fold, words


class ClientMatch(StrEnum):
    """How a client name of the R7 list matches a Razão Social."""

    WORD = "word"            # the name's words, in order, among the Razão Social's words
    CONTAINS = "contains"    # the folded name anywhere in the folded Razão Social
    EXACT = "exact"          # folded, equal
    PREFIX = "prefix"        # folded, at the start


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
    rule: ClientMatch
    requires_reference: bool      # R14 (SODEXO)

    def matches(self, razao_social: str) -> bool:
        if self.rule is ClientMatch.WORD:
            key, razao_words = tuple(words(self.name)), words(razao_social)
            return any(tuple(razao_words[i:i + len(key)]) == key for i in range(len(razao_words) - len(key) + 1))
        name, text = fold(self.name), fold(razao_social)
        if self.rule is ClientMatch.CONTAINS:
            return name in text
        if self.rule is ClientMatch.PREFIX:
            return text.startswith(name)
        return text == name


@dataclass
class Catalogs:
    directory: Path
    defects: list[DefectRule]
    services: dict[str, list[str]]               # group -> services, as Workfinity names them
    clients: list[ClientRule]
    outcome_fields: dict[str, tuple[str, str]]   # code -> (categoria, motivo)
    templates: dict[str, dict[str, str]] = field(default_factory=dict)  # section -> key -> Jinja2 source

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
