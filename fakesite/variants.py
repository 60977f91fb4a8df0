"""Markup variants of the fake sites: what the UI contract leaves open, done another way.

``rpa fakesite serve --variant N`` (or ``POST /_fake/faults {"variant": N}``) picks one; 0 is
the default markup. Each knob changes one freedom the contract leaves to the implementation,
so a page object that leans on one fake's markup fails on some variant. Variant ``RENAMED``
instead breaks the contract on purpose (one hook renamed per site): it is what a tenant's
new release looks like, for ``rpa doctor`` and the selector overrides.
"""

from __future__ import annotations

from typing import Any

RENAMED = 3

_VARIANTS: dict[int, dict[str, Any]] = {
    0: {},
    # Menu inside the field instead of <body>; a slow debounce; padded suggestion texts;
    # the channel switcher's data-channel with other values than the default's.
    1: {"autocomplete_append_to": ".wkf-autocomplete", "autocomplete_delay": 600, "label_padding": "  ",
        "channel_values": {"public": "public_reply", "internal": "internal_note"}},
    # A fast debounce; labels by aria-labelledby instead of for; no data-channel at all (the
    # switcher's aria-label tells the channel).
    2: {"autocomplete_delay": 40, "labelledby": True, "channel_values": {"public": "", "internal": ""}},
    # A new release: one hook renamed per site.
    RENAMED: {"notes_id": "osNotes", "channel_switcher_test_id": "omnichannel-channel-switcher-trigger"},
}
VARIANTS = tuple(sorted(_VARIANTS))


def variant_knobs(variant: int) -> dict[str, Any]:
    """The knobs of ``variant`` (unknown numbers: the default markup)."""
    return dict(_VARIANTS.get(variant, {}))
