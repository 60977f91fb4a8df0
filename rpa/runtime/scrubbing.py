"""Secret values out of anything the bot writes: log lines, the report, messages, flows, HARs.

The one scrubber of the bot. A secret is replaced wherever it appears in any of the forms
an output may hold it in: raw, URL-encoded (``quote`` and ``quote_plus``), JSON-escaped,
HTML-escaped and base64. Callers scrub values *before* they encode them (``scrub_values``
before ``json.dumps``, ``scrub_text`` before ``html.escape``); the encoded forms are the
safety net for a text that was encoded elsewhere (a URL in a HAR, an exception message).

``use(secrets)`` sets the secrets of the run (``rpa.runtime.logs.configure`` calls it);
``scrub_text`` and ``scrub_values`` then apply them anywhere in the runtime.
"""

from __future__ import annotations

import base64
import html
import json
import threading
from collections.abc import Iterable
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"


def _json_escaped(text: str) -> set[str]:
    return {json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}


def _html_escaped(text: str) -> set[str]:
    return {html.escape(text), html.escape(text, quote=False), text.replace("'", "&#39;").replace('"', "&#34;")}


def _url_encoded(text: str) -> set[str]:
    return {quote(text, safe=""), quote(text), quote_plus(text, safe=""), quote_plus(text)}


def _base64(text: str) -> set[str]:
    raw = text.encode("utf-8")
    encoded = {base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()}
    return encoded | {e.rstrip("=") for e in encoded}


def forms(secret: str) -> list[str]:
    """Every form ``secret`` may take once written, longest first (so no fragment survives)."""
    if not secret:
        return []
    first = {secret} | _json_escaped(secret) | _html_escaped(secret) | _url_encoded(secret) | _base64(secret)
    # One encoding inside another: a JSON-escaped secret in an HTML page, a URL-encoded one in JSON.
    nested = set(first)
    for value in first:
        nested |= _json_escaped(value) | _html_escaped(value)
    return sorted((v for v in nested if v), key=len, reverse=True)


class Scrubber:
    """Replaces every form of every secret by ``***``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = [s for s in dict.fromkeys(secrets) if s]
        found = {f for s in self.secrets for f in forms(s)}
        self._forms = sorted(found, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def text(self, text: str) -> str:
        for form in self._forms:
            if form in text:
                text = text.replace(form, MASK)
        return text

    def values(self, value: Any) -> Any:
        """``text`` applied to every string inside nested dicts, lists and tuples (keys too)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.values(k): self.values(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.values(v) for v in value]
        return value

    def data(self, data: bytes) -> bytes:
        """``text`` on bytes: decoded as UTF-8 when they are text, else the raw UTF-8 forms only."""
        try:
            return self.text(data.decode("utf-8")).encode("utf-8")
        except UnicodeDecodeError:
            for form in self._forms:
                data = data.replace(form.encode("utf-8"), MASK.encode())
            return data


_active = Scrubber()
_lock = threading.Lock()


def use(secrets: Iterable[str]) -> Scrubber:
    """Set the secrets of the run for ``scrub_text``/``scrub_values``; returns the scrubber."""
    global _active
    with _lock:
        _active = Scrubber(secrets)
        return _active


def active() -> Scrubber:
    return _active


def scrub_text(text: str) -> str:
    """``text`` without any secret of the run (see ``use``)."""
    return _active.text(text)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every form of every (non-empty) secret in ``secrets`` replaced by ``***``."""
    return Scrubber(secrets).text(text)


def scrub_email(msg: EmailMessage) -> EmailMessage:
    """A Book e-mail with the run's secrets out of its subject and text parts, before it is
    encoded for sending or for the outbox (quoted-printable or base64 would hide them)."""
    if not _active:
        return msg
    subject = msg.get("Subject")
    if subject is not None and scrub_text(str(subject)) != str(subject):
        msg.replace_header("Subject", scrub_text(str(subject)))
    for part in msg.walk():
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        text = part.get_content()
        if scrub_text(text) != text:
            part.set_content(scrub_text(text), subtype=part.get_content_subtype())
    return msg


def scrub_values(value: Any, secrets: Iterable[str] | None = None) -> Any:
    """``scrub`` applied to every string inside nested dicts and lists (a parsed JSON document);
    the run's secrets when ``secrets`` is None."""
    return (_active if secrets is None else Scrubber(secrets)).values(value)
