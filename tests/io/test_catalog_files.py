"""The catalogue files an analyst edits: read, checked, and chosen by the settings."""

from __future__ import annotations

import pytest

from rpa.errors import InputError
from rpa.io.catalog_files import SHIPPED_DIR, load_catalogs, rule_config
from rpa.outcomes import Outcome
from rpa.procedure.requests import group_requests
from rpa.procedure.rules import RuleConfig, plan_request
from rpa.settings import Settings
from tests.corpus.builders import good_row, sheet_of


def plans(*rows: dict[str, object], config: RuleConfig):
    return [plan_request(r, config) for r in group_requests(sheet_of(*rows), config.catalogs)]


class TestCatalogFiles:
    """The data files an analyst edits."""

    def test_shipped_catalogue(self):
        """The shipped files load: two groups, three clients, two outcome mappings, every template."""
        data = load_catalogs(SHIPPED_DIR)
        assert data.services["Manutenção on site"] == ["Corretiva", "Preventiva"]
        assert data.services["Instalação"] == ["Instalação Venda", "Instalação Locação"]
        assert [c.name for c in data.clients] == ["SODEXO", "NEXTEL", "VIAÇÃO"]
        assert data.outcome_fields[Outcome.OK] == ("Ordem de Serviço", "Abertura de O.S.")
        assert data.outcome_fields[Outcome.CADASTRO_PENDENTE] == ("Cadastro", "Alteração cadastral")
        assert {"zendesk", "internal_note", "public_reply", "creation_note", "book_cadastro",
                "book_cortesia"} <= set(data.templates)

    def test_broken_file_says_which_line(self, tmp_path):
        """A defect line without a service: InputError naming file and line."""
        for name in ("services.csv", "authorized_clients.csv", "outcome_fields.csv", "templates.toml"):
            (tmp_path / name).write_bytes((SHIPPED_DIR / name).read_bytes())
        (tmp_path / "defects.csv").write_text("palavra_chave;grupo_servico;servico\nLED;Manutenção on site;\n")
        with pytest.raises(InputError, match="defects.csv, linha 2"):
            load_catalogs(tmp_path)

    def test_missing_column(self, tmp_path):
        """A header without the expected column names it."""
        (tmp_path / "defects.csv").write_text("palavra;grupo\n")
        with pytest.raises(InputError, match="palavra_chave"):
            load_catalogs(tmp_path)

    def test_template_syntax_error_is_caught_at_load(self, tmp_path):
        """A broken Jinja2 tag in templates.toml fails when the catalogue loads, naming the text."""
        for name in ("defects.csv", "services.csv", "authorized_clients.csv", "outcome_fields.csv"):
            (tmp_path / name).write_bytes((SHIPPED_DIR / name).read_bytes())
        (tmp_path / "templates.toml").write_text('[public_reply]\nOK = "Olá {{ nome }"\n', encoding="utf-8")
        with pytest.raises(InputError, match=r"\[public_reply\] OK"):
            load_catalogs(tmp_path)

    def test_analyst_can_change_the_data(self, tmp_path, monkeypatch):
        """A catalogue folder of one's own (RPA_CATALOG_DIR) changes the mapping without code."""
        for name in ("services.csv", "authorized_clients.csv", "outcome_fields.csv", "templates.toml"):
            (tmp_path / name).write_bytes((SHIPPED_DIR / name).read_bytes())
        (tmp_path / "defects.csv").write_bytes(
            "palavra_chave;grupo_servico;servico\nbobina;Instalação;Instalação Venda\n".encode("cp1252"))
        monkeypatch.setenv("RPA_CATALOG_DIR", str(tmp_path))
        (plan,) = plans(good_row(Defeito="troca de bobina"), config=rule_config(Settings()))
        assert (plan.rows[0].group, plan.rows[0].service) == ("Instalação", "Instalação Venda")

    def test_comma_separated_file(self, tmp_path):
        """Excel may save a catalogue with ',' (and in Windows-1252): read the same."""
        for name in ("defects.csv", "services.csv", "outcome_fields.csv", "templates.toml"):
            (tmp_path / name).write_bytes((SHIPPED_DIR / name).read_bytes())
        (tmp_path / "authorized_clients.csv").write_bytes(
            "nome,regra,exige_numero_referencia\nVIAÇÃO,contém,não\n".encode("cp1252"))
        (client,) = load_catalogs(tmp_path).clients
        assert (client.name, client.rule, client.requires_reference) == ("VIAÇÃO", "contains", False)
