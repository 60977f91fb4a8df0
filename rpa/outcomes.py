"""The outcome of a row (column ``Status RPA``), with everything the bot decides from it.

One enum, so that "is it final", "did it touch a site", its pt-BR label and its colour in the
report are decided here and nowhere else (procedure.md, "Outcomes"). Imports nothing.

    code                 business  touched a site   label (pt-BR)
    OK                   yes       yes              O.S. aberta
    CADASTRO_PENDENTE    yes       yes              Cadastro pendente
    ESCALADO_GESTOR      yes       no               Escalado ao gestor
    GARANTIA_EXPIRADA    yes       no               Garantia expirada
    DADOS_INVALIDOS      yes       no               Dados inválidos
    ERRO_SISTEMA         no        maybe            Erro de sistema  (the only retryable one)
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """A row's outcome code, as written in the spreadsheet."""

    OK = "OK"
    CADASTRO_PENDENTE = "CADASTRO_PENDENTE"
    ESCALADO_GESTOR = "ESCALADO_GESTOR"
    GARANTIA_EXPIRADA = "GARANTIA_EXPIRADA"
    DADOS_INVALIDOS = "DADOS_INVALIDOS"
    ERRO_SISTEMA = "ERRO_SISTEMA"

    @property
    def is_business(self) -> bool:
        """Final: never retried, and a rerun leaves the row alone."""
        return self is not Outcome.ERRO_SISTEMA

    @property
    def retryable(self) -> bool:
        """A rerun continues the row from where it stopped."""
        return self is Outcome.ERRO_SISTEMA

    @property
    def touched_site(self) -> bool:
        """Something was changed on a site: such a row is never redone, even if edited."""
        return self in (Outcome.OK, Outcome.CADASTRO_PENDENTE)

    @property
    def label(self) -> str:
        """pt-BR label for the operator."""
        return _LABELS[self]

    @property
    def action(self) -> str:
        """pt-BR: what a person has to do about such a row ("" when nothing: the report's
        "Precisa de você" groups rows by it)."""
        return _ACTIONS.get(self, "")

    @property
    def needs_person(self) -> bool:
        return bool(self.action)

    @property
    def color(self) -> str:
        """Badge colour in the report."""
        return _COLORS.get(self, "#555")

    @classmethod
    def parse(cls, text: str) -> Outcome | None:
        """The outcome a cell holds (surrounding spaces ignored), else None."""
        try:
            return cls(text.strip())
        except ValueError:
            return None


BUSINESS_OUTCOMES = frozenset(o for o in Outcome if o.is_business)

_LABELS = {
    Outcome.OK: "O.S. aberta",
    Outcome.CADASTRO_PENDENTE: "Cadastro pendente",
    Outcome.ESCALADO_GESTOR: "Escalado ao gestor",
    Outcome.GARANTIA_EXPIRADA: "Garantia expirada",
    Outcome.DADOS_INVALIDOS: "Dados inválidos",
    Outcome.ERRO_SISTEMA: "Erro de sistema",
}
# In the order the report lists them: fixing the sheet first, rerunning last.
_ACTIONS = {
    Outcome.DADOS_INVALIDOS: "Corrigir a planilha",
    Outcome.ESCALADO_GESTOR: "Avisar o gestor",
    Outcome.GARANTIA_EXPIRADA: "Seguir o processo \"Garantias Expiradas\"",
    Outcome.CADASTRO_PENDENTE: "Acompanhar o Cadastro até o prazo de retorno",
    Outcome.ERRO_SISTEMA: "Rodar de novo (o robô continua de onde parou)",
}
NEEDS_PERSON = tuple(_ACTIONS)  # the outcomes that need a person, in the report's order
_COLORS = {Outcome.OK: "#1f7a3a", Outcome.ERRO_SISTEMA: "#b3261e", Outcome.DADOS_INVALIDOS: "#a35c00",
           Outcome.CADASTRO_PENDENTE: "#1b5e9e", Outcome.ESCALADO_GESTOR: "#6a3d9a",
           Outcome.GARANTIA_EXPIRADA: "#6b5a00"}
