"""Markup variants of the fake sites: what the UI contract leaves open, done another way.

``rpa fakesite serve --variant N`` (or ``POST /_fake/faults {"variant": N}``) picks one; 0 is
the default markup. Each knob changes one freedom the contract leaves to the implementation,
so a page object that leans on one fake's markup fails on some variant. Variant ``RENAMED``
instead breaks the contract on purpose (one hook renamed per site): it is what a tenant's
new release looks like, for ``rpa doctor`` and the selector overrides. Variant
``RESULTS_CHANGED`` changes where the sites show a lookup's result (a found equipment, an
opened ticket, search matches): the bot must take that for a changed page, never for "not found".

The knobs (each one freedom; absent = the default markup):

- ``autocomplete_append_to`` / ``autocomplete_delay``: jQuery UI menu inside the field instead
  of ``<body>``; its debounce (ms).
- ``label_padding``: white space around suggestion, option and menu item texts.
- ``channel_values``: the composer switcher's ``data-channel`` values.
- ``label_style``: Workfinity labels by ``for`` (default), ``labelledby`` or ``wrap``.
- ``wrap_inputs``: Workfinity inputs wrapped in extra elements.
- ``panels_first``: Workfinity tab panels before the tab list.
- ``option_ids``: Workfinity option values as ids (UF by IBGE code, groups and services by
  number, document type by number) instead of their labels.
- ``client_delay_ms``: Workfinity's page script renders each AJAX answer this much later.
- ``extra_fields``: Workfinity fields the bot must leave alone (saved with the O.S.).
- ``cookie_banner``: a non-blocking cookie-consent banner on the first visit (both sites).
- ``inline_layers``: Zendesk listboxes and menus rendered inside their field, not in a portal.
- ``item_role``: the role of Zendesk menu items (``menuitemradio`` or ``option``).
- ``sidebar_reversed``: Zendesk sidebar fields in another order.
- ``requester_debounce``: Zendesk requester search debounce (ms).
- ``reveal_after_ms``: the Zendesk workspace hidden until its script has started (and this
  much later).
- ``tabs_storage``: where Zendesk keeps the opened tabs to restore them after a reload
  (``localStorage``: across the tabs of a browser context too).
"""

from __future__ import annotations

from typing import Any

RENAMED = 3
RESULTS_CHANGED = 5

_VARIANTS: dict[int, dict[str, Any]] = {
    0: {},
    1: {"autocomplete_append_to": ".wkf-autocomplete", "autocomplete_delay": 600, "label_padding": "  ",
        "channel_values": {"public": "public_reply", "internal": "internal_note"},
        "label_style": "wrap", "wrap_inputs": True, "panels_first": True, "option_ids": True,
        "client_delay_ms": 150, "inline_layers": True, "item_role": "menuitemradio", "sidebar_reversed": True,
        "requester_debounce": 400},
    2: {"autocomplete_delay": 40, "label_style": "labelledby", "channel_values": {"public": "", "internal": ""},
        "client_delay_ms": 30, "cookie_banner": True, "extra_fields": True, "item_role": "option",
        "requester_debounce": 30, "reveal_after_ms": 150, "tabs_storage": "localStorage"},
    # A new release: one hook renamed per site.
    RENAMED: {"notes_id": "osNotes", "channel_switcher_test_id": "omnichannel-channel-switcher-trigger"},
    RESULTS_CHANGED: {"results_elsewhere": True},
}
VARIANTS = tuple(sorted(_VARIANTS))
# Variants that keep the contract (the doctor passes, the sample runs as on the default).
CONFORMING = tuple(v for v in VARIANTS if v not in (RENAMED, RESULTS_CHANGED))

# What ``extra_fields`` adds to the O.S. form: name -> (label, default value).
EXTRA_FIELDS = {"prioridadeAtendimento": ("Prioridade do atendimento", "Normal"),
                "numeroContrato": ("Número do contrato", "CT-2026-0001")}


def variant_knobs(variant: int) -> dict[str, Any]:
    """The knobs of ``variant`` (unknown numbers: the default markup)."""
    return dict(_VARIANTS.get(variant, {}))
