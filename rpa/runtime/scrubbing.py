"""Secret values out of anything the bot writes: log lines, the report, network recordings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

MASK = "***"


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every (non-empty) secret replaced by ``***``, in the order given."""
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, MASK)
    return text


def scrub_values(value: Any, secrets: list[str]) -> Any:
    """``scrub`` applied to every string inside nested dicts and lists (a parsed JSON document)."""
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, dict):
        return {k: scrub_values(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_values(v, secrets) for v in value]
    return value
