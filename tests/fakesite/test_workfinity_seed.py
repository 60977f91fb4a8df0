"""The built-in Workfinity seed: realistic, valid, deterministic and in the contract's format."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from fakesite import seed_workfinity
from fakesite.workfinity import store
from rpa.procedure import cnpj

REFERENCE_DAY = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def seed():
    return seed_workfinity.build()


class TestCustomers:
    """Customers cover the procedure's cases with valid, masked documents."""

    def test_at_least_30_customers_in_6_ufs(self, seed):
        customers = seed["customers"]
        assert len(customers) >= 30
        assert len({c["address"]["uf"] for c in customers}) >= 6

    def test_documents_are_masked_valid_and_unique(self, seed):
        docs = [c["document"] for c in seed["customers"]]
        assert all(cnpj.is_valid(d) and cnpj.mask(d) == d for d in docs)
        assert len(set(docs)) == len(docs)

    def test_alphanumeric_documents_include_the_official_example(self, seed):
        alnum = [c["document"] for c in seed["customers"] if not cnpj.clean(c["document"]).isdigit()]
        assert len(alnum) >= 3
        assert "12.ABC.345/01DE-35" in alnum

    def test_sodexo_in_sp_with_a_second_establishment_elsewhere(self, seed):
        sodexo = [c for c in seed["customers"] if c["razao_social"] == "SODEXO DO BRASIL COMERCIAL S.A."]
        ufs = {c["address"]["uf"] for c in sodexo}
        assert "SP" in ufs and len(ufs) >= 2
        assert len({cnpj.clean(c["document"])[:8] for c in sodexo}) == 1  # same company root

    def test_nextel_and_a_viacao_exist(self, seed):
        names = [c["razao_social"] for c in seed["customers"]]
        assert "NEXTEL TELECOMUNICAÇÕES LTDA" in names
        assert any(n.startswith("VIAÇÃO ") for n in names)

    def test_every_customer_has_contact_data_and_a_full_address(self, seed):
        for c in seed["customers"]:
            assert c["contato"] and "@" in c["email"] and re.fullmatch(r"\(\d\d\) \d{4,5}-\d{4}", c["telefone"])
            a = c["address"]
            assert re.fullmatch(r"\d{5}-\d{3}", a["cep"])
            assert all(a[k] for k in ("logradouro", "numero", "bairro", "cidade", "uf")), c["razao_social"]


class TestEquipmentAndCatalogue:
    """Equipment, catalogue, providers and CEPs support every screen and rule."""

    def test_two_or_more_pieces_per_customer_with_unique_serials(self, seed):
        per_customer = Counter(e["customer_document"] for e in seed["equipment"])
        assert {c["document"] for c in seed["customers"]} == set(per_customer)
        assert min(per_customer.values()) >= 2
        serials = [e["serial"] for e in seed["equipment"]]
        assert len(set(serials)) == len(serials)
        assert "BE4200TH000123" in serials

    def test_warranties_are_fixed_dates_on_both_sides_of_the_reference_day(self, seed):
        ends = [dt.date.fromisoformat(e["warranty_end"]) for e in seed["equipment"]]
        assert all(2025 <= d.year <= 2028 for d in ends)
        assert any(d >= REFERENCE_DAY for d in ends) and any(d < REFERENCE_DAY for d in ends)

    def test_catalogue_has_the_procedure_groups(self, seed):
        catalog = seed["catalog"]
        assert catalog["Manutenção on site"] == ["Corretiva", "Preventiva"]
        assert catalog["Instalação"] and catalog["Remoção"] and len(catalog) >= 4

    def test_every_customer_uf_has_a_provider_with_technicians(self, seed):
        for uf in {c["address"]["uf"] for c in seed["customers"]}:
            assert any(uf in p["ufs"] and p["technicians"] for p in seed["providers"]), uf

    def test_ceps_cover_customers_plus_spares_in_several_ufs(self, seed):
        ceps = seed["ceps"]
        used = {c["address"]["cep"] for c in seed["customers"]}
        assert used <= set(ceps)
        spare = set(ceps) - used
        assert len(spare) >= 10 and len({ceps[c]["uf"] for c in spare}) >= 5

    def test_users_and_service_orders(self, seed):
        assert seed["users"] == [{"username": "robo", "password": ""}]
        keys = {"number", "customer_document", "serial", "group", "service", "provider", "technician",
                "pedido_de_venda", "numero_referencia", "observacoes_atendimento", "notes", "status",
                "created_at"}
        serials = {e["serial"]: e["customer_document"] for e in seed["equipment"]}
        for order in seed["service_orders"]:
            assert keys <= set(order)
            assert serials[order["serial"]] == order["customer_document"]

    def test_build_is_deterministic_and_returns_fresh_copies(self, seed):
        again = seed_workfinity.build()
        assert again == seed
        again["catalog"]["Instalação"].append("x")
        assert seed_workfinity.build()["catalog"] == seed["catalog"]


def test_uf_select_lists_the_27_ufs_in_the_order_of_the_state_names():
    """The UF options come from holidays' Brazil subdivisions, ordered as the real site lists them."""
    assert store.UFS == ["AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA",
                         "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO"]
