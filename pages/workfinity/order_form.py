"""Workfinity "new O.S." form (``/serviceOrder/create``) and its save.

Every selector of the screen is in ``_Selectors``: contract ids first, then role + accessible
name, then label. The tenant custom fields (Pedido de Venda, Número Referência, Observações
Atendimento) have no contract id: they are found by name, so a tenant with other names needs a
change in one place.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import NoReturn

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Response, expect

from pages.common import (
    POLL_MS,
    Credentials,
    LookupAnswer,
    activate,
    carries,
    evaluate_first,
    lookup_answer,
    probe,
    soon,
)
from pages.hooks import DEFAULT_HOOKS, HOOKS, HookSelectors
from pages.workfinity.base import (
    FieldKey,
    WorkfinityScreen,
    cnpj_key,
    hook_key,
    is_ajax,
    mark_document,
    masked_cnpj,
    named_field,
    new_alerts,
    os_number,
    read_at_once,
    selected_texts,
    value_of,
    wait_filled,
    wait_new_document,
)
from pages.workfinity.models import CustomerInfo, EquipmentInfo, SiteAddress
from rpa.errors import (
    HookMissing,
    NotFoundOnSite,
    ServerError,
    SessionExpired,
    SiteError,
    UnexpectedPage,
    ValidationRejected,
    VerificationFailed,
)

PATH = "/serviceOrder/create"
# The page's own answer to a lookup of an unknown serial (spacing and case are not fixed).
EQUIPMENT_NOT_FOUND = re.compile(r"equipamento\s+não\s+encontrado|nenhum\s+equipamento", re.I)
SERVER_ERROR = "Erro interno do servidor"


_TAB_HOOKS = {"Geral": "workfinity.form.tab_geral", "Atendimento": "workfinity.form.tab_atendimento",
              "Observações": "workfinity.form.tab_observacoes"}
# What the widget's live region (or the site's own text) says when the search found nothing.
NO_RESULTS = re.compile(r"no search results|nenhum (resultado|registro|cliente)|não encontrad", re.I)


# The customer's and the address's fields found by their labels (``named_field``): attribute -> label.
_CUSTOMER_LABELS = {"nome_fantasia": "Nome Fantasia", "contato": "Contato", "email": "E-mail", "telefone": "Telefone"}
_ADDRESS_LABELS = {"logradouro": "Logradouro", "numero": "Número", "complemento": "Complemento", "bairro": "Bairro",
                   "cidade": "Cidade", "uf": "UF"}
_ARIA_SELECTED = "el => el.getAttribute('aria-selected')"
# The text of the option whose whole text is ``label``, when the select is enabled and has it.
_OPTION_TEXT_JS = """(s, label) => {
  const norm = t => (t || '').replace(/\\s+/g, ' ').trim();
  if (s.matches(':disabled')) return null;
  const option = [...s.querySelectorAll('option')].find(o => norm(o.textContent) === norm(label));
  return option ? option.innerText : null;
}"""


def _exact(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


class _Selectors:
    """All locators of the create form (and of the edit page, which shares ids and labels)."""

    def __init__(self, page: Page, hooks: HookSelectors) -> None:
        field = lambda name: named_field(page, name)  # noqa: E731
        self.tab = lambda name: page.locator(hooks(_TAB_HOOKS[name]))  # noqa: E731
        self.document_type = hooks.locate(page, "workfinity.form.document_type")
        self.document = hooks.locate(page, "workfinity.form.document")
        # The stock jQuery UI menu (no roles); items hidden by a closing menu are not suggestions.
        self.suggestions = hooks.locate(page, "workfinity.form.suggestion").filter(visible=True)
        self.suggestion_status = hooks.locate(page, "workfinity.form.suggestion_status")
        self.razao_social = hooks.locate(page, "workfinity.form.razao_social")
        self.nome_fantasia = field(_CUSTOMER_LABELS["nome_fantasia"])
        self.contato = field(_CUSTOMER_LABELS["contato"])
        self.email = field(_CUSTOMER_LABELS["email"])
        self.telefone = field(_CUSTOMER_LABELS["telefone"])
        self.change_address = page.get_by_role("button", name="Alterar endereço", exact=True)
        self.cep = hooks.locate(page, "workfinity.form.cep")
        self.logradouro = field(_ADDRESS_LABELS["logradouro"])
        self.numero = field(_ADDRESS_LABELS["numero"])
        self.complemento = field(_ADDRESS_LABELS["complemento"])
        self.bairro = field(_ADDRESS_LABELS["bairro"])
        self.cidade = field(_ADDRESS_LABELS["cidade"])
        self.uf = named_field(page, _ADDRESS_LABELS["uf"], role="combobox")
        self.serial = hooks.locate(page, "workfinity.form.serial")
        self.find_equipment = hooks.locate(page, "workfinity.form.find_equipment")
        self.model = hooks.locate(page, "workfinity.form.model")
        self.warranty_end = field("Fim da garantia")
        self.group = hooks.locate(page, "workfinity.form.group")
        self.service = hooks.locate(page, "workfinity.form.service")
        self.provider = page.locator("#serviceProvider")
        self.technician = page.locator("#serviceProviderTechnician")
        self.pedido_de_venda = field("Pedido de Venda")
        self.numero_referencia = field("Número Referência")
        self.observacoes_atendimento = field("Observações Atendimento")
        self.notes = hooks.locate(page, "workfinity.form.notes")
        self.save = page.get_by_role("button", name="Salvar", exact=True).and_(
            hooks.locate(page, "workfinity.form.save"))
        self.number = page.locator("#tabServiceOrderId")
        self.alerts = page.get_by_role("alert")
        self.server_error = page.get_by_text(SERVER_ERROR)
        self.invalid = page.locator("[aria-invalid=true]")


class OrderFormPage(WorkfinityScreen):
    def __init__(self, page: Page, base_url: str, creds: Credentials, hooks: HookSelectors = DEFAULT_HOOKS) -> None:
        super().__init__(page, base_url, creds, hooks)
        self.s = _Selectors(page, self.hooks)

    # -- navigation ---------------------------------------------------------------------------

    def open_new_order(self) -> None:
        self.goto(self.url(PATH))
        self.expect_visible(self.s.document, "o formulário de nova O.S.")

    def _show_tab(self, name: str) -> None:
        """Select the tab unless it is already selected: its state and click point in one read."""
        hook = _TAB_HOOKS[name]
        tab = probe(self.hooks.locate(self.page, hook), _ARIA_SELECTED) or probe(
            self.hooks.require(self.page, hook, self.settle_ms), _ARIA_SELECTED)
        if tab is None:  # went away right after it came: Playwright's waiting calls decide
            tab_now = self.hooks.require(self.page, hook, self.settle_ms)
            if tab_now.get_attribute("aria-selected", timeout=self.timeout_ms) != "true":
                activate(tab_now)
        elif tab.value != "true":
            tab.activate()

    # -- customer -----------------------------------------------------------------------------

    def pick_customer(self, cnpj: str) -> CustomerInfo:
        """Type the CNPJ in "Documento", pick its suggestion and return what the site filled in.

        "Not found" needs a positive sign that the site answered "nothing": the lookup request
        answered without this customer, or the widget's live region (or the page) saying no
        results. A menu that never shows, with no such sign, is a changed page (``HookMissing``).
        """
        masked = masked_cnpj(cnpj)
        self._show_tab("Geral")
        document = self.hooks.require(self.page, "workfinity.form.document", self.timeout_ms)
        document_type = probe(self.s.document_type, "el => !el.matches(':disabled')")
        if document_type and document_type.visible and document_type.value:
            self.s.document_type.select_option("CNPJ")
        document.fill(masked[:-1])
        response = None
        try:  # the last key by hand (keyboard events, as a person types); then the suggestions' request
            with self.page.expect_response(is_ajax, timeout=self.timeout_ms) as answer:
                document.press_sequentially(masked[-1])
            response = answer.value
        except PlaywrightError:
            pass  # no observable request (suggestions computed in the page): the page signals decide
        answer_kind = lookup_answer(response)
        if answer_kind is LookupAnswer.REFUSED:
            self._absent("", response)
        if answer_kind is LookupAnswer.FAILED:  # the lookup failed: it said nothing about the customer
            raise SiteError(f"A busca do cliente {masked} falhou no Workfinity "
                              f"(HTTP {response.status if response else '?'}).")
        item = self.s.suggestions.filter(has_text=masked).first
        try:
            soon(lambda t: expect(item).to_be_visible(timeout=t), self.settle_ms)
        except AssertionError as exc:
            if self._answered_nothing(response, masked):
                self._absent(f"Cliente com CNPJ {masked} não encontrado no Workfinity.", response, exc)
            hook = HOOKS["workfinity.form.suggestion"]
            raise HookMissing(f"Workfinity: nenhuma sugestão apareceu para o CNPJ {masked}, sem o site dizer que "
                              f"não há resultados ({self.hooks(hook.name)}).", hook=hook.name,
                              screen=hook.screen) from exc
        activate(item)
        if not wait_filled(self.s.razao_social, self.timeout_ms):
            raise UnexpectedPage(f"Workfinity não carregou os dados do cliente {masked}.")
        info = self.read_customer()
        if cnpj_key(info.document) != cnpj_key(masked):
            raise VerificationFailed(f"Workfinity selecionou o cliente {info.document}, esperado {masked}.")
        return info

    def _answered_nothing(self, response: Response | None, masked: str) -> bool:
        """Whether the site said that no customer has this CNPJ: its lookup answered (2xx) with
        a list without it, or its live region / page says there are no results."""
        if response is not None and response.ok:
            try:
                found = response.json()
            except (PlaywrightError, ValueError):
                found = None
            if isinstance(found, list):
                return not any(cnpj_key(masked) in cnpj_key(str(entry)) for entry in found)
        if response is not None and not response.ok:
            return False  # an error page of the lookup is no answer
        status = " ".join(self.s.suggestion_status.all_text_contents())
        return bool(NO_RESULTS.search(status)) or self.page.get_by_text(NO_RESULTS).filter(visible=True).count() > 0

    def _absent(self, message: str, response: Response | None = None, cause: Exception | None = None) -> NoReturn:
        """"Not found" is a business answer only if the site really answered: a lookup refused
        for lack of a session (401/403, or the login page) is ``SessionExpired``, never that."""
        if (response is not None and response.status in (401, 403)) or self._login_page().is_current():
            raise SessionExpired("Sessão do Workfinity expirada durante uma consulta.") from cause
        raise NotFoundOnSite(message) from cause

    def read_customer(self) -> CustomerInfo:
        self._show_tab("Geral")
        s = self.s
        read = read_at_once(self._customer_keys())  # one trip when the fields are told apart
        if read is not None:
            v = {name: value for name, (value, _) in read.items()}
            return CustomerInfo(
                document=_document_in(v["document"]), razao_social=v["razao_social"],
                nome_fantasia=v["nome_fantasia"], contato=v["contato"], email=v["email"], telefone=v["telefone"],
                address=self._address_from(read))
        return CustomerInfo(
            document=_document_in(value_of(s.document)), razao_social=value_of(s.razao_social),
            nome_fantasia=value_of(s.nome_fantasia), contato=value_of(s.contato), email=value_of(s.email),
            telefone=value_of(s.telefone), address=self._read_address())

    def _customer_keys(self) -> dict[str, FieldKey | None]:
        s = self.s
        return {"document": hook_key(self.hooks, "workfinity.form.document", s.document.first),
                "razao_social": hook_key(self.hooks, "workfinity.form.razao_social", s.razao_social.first),
                **{name: FieldKey(getattr(s, name), name=label) for name, label in _CUSTOMER_LABELS.items()},
                **self._address_keys()}

    def _address_keys(self) -> dict[str, FieldKey | None]:
        return {"cep": hook_key(self.hooks, "workfinity.form.cep", self.s.cep.first),
                **{name: FieldKey(getattr(self.s, name), name=label) for name, label in _ADDRESS_LABELS.items()}}

    def _address_from(self, read: dict[str, tuple[str, tuple[str, str] | None]]) -> SiteAddress:
        uf_value, uf_text = read["uf"][1] or (read["uf"][0], "")
        v = {name: value for name, (value, _) in read.items()}
        return SiteAddress(cep=v["cep"], logradouro=v["logradouro"], numero=v["numero"],
                           complemento=v["complemento"], bairro=v["bairro"], cidade=v["cidade"],
                           uf=_uf(uf_value, uf_text))

    def _read_address(self) -> SiteAddress:
        read = read_at_once(self._address_keys())  # one trip when the fields are told apart
        if read is not None:
            return self._address_from(read)
        s = self.s
        return SiteAddress(cep=value_of(s.cep), logradouro=value_of(s.logradouro), numero=value_of(s.numero),
                           complemento=value_of(s.complemento), bairro=value_of(s.bairro),
                           cidade=value_of(s.cidade), uf=self._read_uf())

    def _read_uf(self) -> str:
        """The UF's two letters, whether the select keeps them as value or as text."""
        return _uf(*selected_texts(self.s.uf))

    def change_address(self, address: SiteAddress) -> None:
        """"Alterar endereço", CEP + blur (the site fills street, district, city, UF), then the rest.

        What the CEP lookup fills is kept (the postal database spells the street); fields it
        leaves empty, and Número/Complemento, come from ``address``. An unknown CEP means
        every field is typed by hand.
        """
        s = self.s
        self._show_tab("Geral")
        if not s.cep.is_editable():
            activate(s.change_address)
        soon(lambda t: expect(s.cep).to_be_editable(timeout=t), self.timeout_ms)
        s.cep.fill(address.cep)
        # Emptied so that the lookup's answer is observable. Not with fill(): moving the focus
        # out of the CEP is what starts a lookup, and it must start only once, below.
        for field in (s.logradouro, s.bairro, s.cidade):
            field.evaluate("el => { el.value = ''; }")
        s.cep.press("Tab")
        wait_filled(s.cidade, self.lookup_timeout_ms)  # if it stays empty, the CEP is unknown: by hand below
        for field, value in ((s.logradouro, address.logradouro), (s.bairro, address.bairro),
                             (s.cidade, address.cidade)):
            if not value_of(field):
                field.fill(value)
        s.numero.fill(address.numero)
        s.complemento.fill(address.complemento)
        if not self._read_uf():
            s.uf.select_option(address.uf)
        got = self._read_address()
        if re.sub(r"\D", "", got.cep) != re.sub(r"\D", "", address.cep) or got.numero != address.numero:
            raise VerificationFailed(
                f"Endereço no Workfinity ficou {got}, esperado CEP {address.cep} nº {address.numero}.")

    # -- equipment ----------------------------------------------------------------------------

    def lookup_equipment(self, serial: str) -> EquipmentInfo:
        """Type the serial, "Buscar equipamento", read Modelo and Fim da garantia.

        "Not found" needs a positive sign: the lookup request answered with no equipment (an
        empty JSON answer, or a 404 with a JSON body), or the page saying "Equipamento não
        encontrado". A lookup that failed (5xx), or an answer that the page never shows, is a
        system error (``ServerError``, ``HookMissing``), never a business verdict.
        """
        self._show_tab("Geral")
        wanted = serial.strip()
        names = ("workfinity.form.serial", "workfinity.form.find_equipment", "workfinity.form.model")
        serial_box, button, model = (self.hooks.locate(self.page, name).first for name in names)
        if serial_box.or_(button).or_(model).evaluate_all("els => els.length") != len(names):
            # Not all there now: wait for each, a missing one is a changed page (HookMissing).
            serial_box, button, model = (self.hooks.require(self.page, name, self.settle_ms) for name in names)
        serial_box.fill(wanted)
        response = None
        try:
            with self.page.expect_response(lambda r: is_ajax(r) and carries(r, wanted),
                                           timeout=self.timeout_ms) as answer:
                activate(button)
            response = answer.value
        except PlaywrightError:
            pass  # no observable request: the page signals below decide
        verdict = lookup_answer(response)
        if verdict is LookupAnswer.REFUSED:
            self._absent("", response)
        if verdict is LookupAnswer.FAILED:
            raise SiteError(f"A busca do equipamento {wanted} falhou no Workfinity "
                              f"(HTTP {response.status if response else '?'}).")
        if verdict is LookupAnswer.NOTHING:
            self._absent(f"Equipamento {serial} não encontrado no Workfinity.", response)
        # Found (or unknown): the page shows the model, or says it found nothing.
        not_found = self.page.get_by_text(EQUIPMENT_NOT_FOUND).filter(visible=True)
        deadline = time.monotonic() + (self.settle_ms if verdict is LookupAnswer.FOUND else self.timeout_ms) / 1000
        while not (shown := value_of(model)):
            if verdict is not LookupAnswer.FOUND and not_found.count():
                self._absent(f"Equipamento {serial} não encontrado no Workfinity.", response)
            if time.monotonic() > deadline:
                hook = HOOKS["workfinity.form.model"]
                raise HookMissing(f"Workfinity: o modelo do equipamento {wanted} não apareceu "
                                  f"({self.hooks(hook.name)}), sem o site dizer que não o encontrou.",
                                  hook=hook.name, screen=hook.screen)
            self.page.wait_for_timeout(POLL_MS * 2)
        return EquipmentInfo(serial=value_of(self.s.serial), model=shown,
                             warranty_end=_parse_br_date(value_of(self.s.warranty_end)))

    # -- Atendimento / Observações --------------------------------------------------------------

    def set_group(self, group: str) -> None:
        self._show_tab("Atendimento")
        self._select(self.s.group, group, "Grupo Serviço")

    def set_service(self, service: str) -> None:
        """Choose the service once the site has loaded the group's services (AJAX)."""
        self._show_tab("Atendimento")
        self._select(self.s.service, service, "Serviço")

    def _select(self, select: Locator, label: str, what: str) -> None:
        """Pick an option by its text once the select is usable and has its options."""
        ready = probe(select, _OPTION_TEXT_JS, label)  # usable with the option loaded: the usual case, one read
        text = ready.value if ready else None
        if text is None:
            options = select.locator("option")
            soon(lambda t: expect(select).to_be_enabled(timeout=t), self.timeout_ms)
            soon(lambda t: expect(options.first).to_be_attached(timeout=t), self.timeout_ms)  # loaded (AJAX)
            option = options.filter(has_text=_exact(label)).first
            try:
                soon(lambda t: expect(option).to_be_attached(timeout=t), self.settle_ms)  # may still be refreshing
            except AssertionError as exc:
                raise NotFoundOnSite(f"{what} '{label}' não existe no Workfinity.") from exc
            text = option.inner_text()
        select.select_option(label=str(text).strip())
        chosen = evaluate_first(select, "s => s.selectedIndex >= 0 ? s.options[s.selectedIndex].text.trim() : ''")
        if chosen != label:
            raise VerificationFailed(f"{what} ficou '{chosen}', esperado '{label}'.")

    def set_pedido_de_venda(self, value: str) -> None:
        self._fill("Atendimento", self.s.pedido_de_venda, value)

    def set_numero_referencia(self, value: str) -> None:
        self._fill("Atendimento", self.s.numero_referencia, value)

    def set_observacoes_atendimento(self, value: str) -> None:
        self._fill("Atendimento", self.s.observacoes_atendimento, value)

    def set_notes(self, value: str) -> None:
        self._fill("Observações", self.s.notes, value, "workfinity.form.notes")

    def _fill(self, tab: str, field: Locator, value: str, hook: str | None = None) -> None:
        self._show_tab(tab)
        if hook:  # the form is loaded: a field that is not there now is a changed page
            field = self.hooks.require(self.page, hook, self.settle_ms)
        field.fill(value)

    # -- save ---------------------------------------------------------------------------------

    def save(self) -> str:
        """Press "Salvar" and return the new O.S. number, checked against the success alert."""
        s = self.s
        mark_document(self.page)
        activate(s.save)
        # The overlay stays until the answer replaces the page (or, on some sites, an alert appears).
        wait_new_document(self.page, self.timeout_ms, or_shown=new_alerts(self.page))
        saved = probe(s.number, "el => el.innerText")  # shown and read in one trip
        if saved and saved.visible:
            number = os_number(str(saved.value))
            if not number.isdigit():
                raise VerificationFailed(f"O Workfinity não mostrou o número da O.S. salva ({number!r}).")
            expected = f"Ordem de Serviço {number} criada com sucesso"
            try:
                shown = s.alerts.filter(has_text=expected).first
                soon(lambda t: expect(shown).to_be_visible(timeout=t), self.settle_ms)
            except AssertionError as exc:
                raise VerificationFailed(f"O.S. {number} salva, mas o aviso '{expected}' não apareceu.",
                                         number=number) from exc
            return number
        if self._login_page().is_current():
            raise SessionExpired("Sessão do Workfinity expirada ao salvar a O.S. (nada foi gravado).")
        if s.server_error.first.is_visible():
            raise ServerError("O Workfinity respondeu 'Erro interno do servidor' ao salvar a O.S.")
        errors = self._validation_errors()
        if errors:
            invalid = [el.get_attribute("id") or el.get_attribute("name") or "?" for el in s.invalid.all()]
            raise ValidationRejected("O Workfinity recusou a O.S.: " + "; ".join(errors), errors=errors,
                                     invalid_fields=invalid)
        raise UnexpectedPage(f"Depois de salvar a O.S. o Workfinity mostrou uma página inesperada ({self.page.url}).")

    def _validation_errors(self) -> list[str]:
        errors: list[str] = []
        for alert in self.s.alerts.all():
            if not alert.is_visible():
                continue
            items = [t.strip() for t in alert.get_by_role("listitem").all_inner_texts() if t.strip()]
            errors.extend(items or [line.strip() for line in alert.inner_text().splitlines() if line.strip()])
        return errors


def _uf(value: str, text: str) -> str:
    """The UF's two letters, whether the select keeps them as value or as text."""
    return next((v.upper() for v in (value, text) if re.fullmatch(r"[A-Za-z]{2}", v)), value)


_CNPJ_IN_TEXT = re.compile(r"[0-9A-Za-z]{2}\.?[0-9A-Za-z]{3}\.?[0-9A-Za-z]{3}/?[0-9A-Za-z]{4}-?[0-9]{2}")


def _document_in(text: str) -> str:
    """The masked CNPJ in the Documento box (some sites leave the whole suggestion there)."""
    found = _CNPJ_IN_TEXT.search(text)
    return masked_cnpj(found.group(0)) if found else text


def _parse_br_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None
