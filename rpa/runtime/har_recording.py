"""Network recordings of request attempts (``rpa run --har``), written scrubbed.

Each request attempt gets its own browser context with ``har_options`` (content embedded);
Playwright writes the file when the context closes and ``scrub_or_remove`` then removes what
must never be stored: ``Cookie``/``Set-Cookie``/``Authorization`` headers, the cookie lists,
password fields (form, multipart, JSON at any depth) and login form bodies, and every secret
or session-cookie value wherever it appears, in any encoding (``rpa.runtime.scrubbing``),
base64 bodies decoded first. Login itself never happens in these contexts. ``rpa.qa.har`` replays the files.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse

from rpa.io.atomic import write_bytes
from rpa.runtime.scrubbing import MASK, Scrubber

SENSITIVE_HEADERS = {"cookie", "set-cookie", "authorization", "proxy-authorization"}
SENSITIVE_NAME = re.compile(r"pass|senha|secret|token|credential", re.IGNORECASE)
LOGIN_PATHS = ("/login/auth", "/access/login", "/login")
# One multipart field: its header (name), the blank line, its value, the next boundary.
_MULTIPART_FIELD = re.compile(r'(Content-Disposition:[^\r\n]*\bname="([^"]*)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n)'
                              r'(.*?)(\r?\n--)', re.IGNORECASE | re.DOTALL)


def har_options(path: Path | None) -> dict[str, Any]:
    """``browser.new_context`` keyword arguments that record a HAR to ``path`` (none for None)."""
    if path is None:
        return {}
    path.parent.mkdir(parents=True, exist_ok=True)
    return {"record_har_path": str(path), "record_har_content": "embed", "record_har_mode": "full"}


# -- scrubbing -------------------------------------------------------------------------------


def _cookie_values(headers: list[dict[str, str]]) -> list[str]:
    """Values of the cookies a Cookie/Set-Cookie header carries (session tokens)."""
    values = []
    for h in headers:
        name = h.get("name", "").lower()
        if name == "cookie":
            values += [part.split("=", 1)[1].strip() for part in h.get("value", "").split(";") if "=" in part]
        elif name == "set-cookie":
            for line in h.get("value", "").splitlines():
                first = line.split(";", 1)[0]
                if "=" in first:
                    values.append(first.split("=", 1)[1].strip())
    return [v for v in values if len(v) >= 6]  # short values ("1", "pt") are not tokens


def _scrub_json(value: Any) -> Any:
    """Whatever sits under a sensitive key is masked whole: a string, a number, a list or a dict."""
    if isinstance(value, dict):
        return {k: (MASK if SENSITIVE_NAME.search(str(k)) and v not in (None, "") else _scrub_json(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_json(v) for v in value]
    return value


def _scrub_post_data(post: dict[str, Any], url: str) -> None:
    if urlparse(url).path.endswith(LOGIN_PATHS):  # a login form body: nothing of it is kept
        post["text"] = ""
        post["params"] = []
        return
    post["params"] = [{**p, "value": MASK} if SENSITIVE_NAME.search(p.get("name", "")) else p
                      for p in post.get("params", [])]
    text = post.get("text")
    if not text:
        return
    mime = post.get("mimeType", "")
    if "x-www-form-urlencoded" in mime:
        pairs = parse_qsl(text, keep_blank_values=True)
        if any(SENSITIVE_NAME.search(k) for k, _ in pairs):
            post["text"] = urlencode([(k, MASK if SENSITIVE_NAME.search(k) else v) for k, v in pairs])
    elif "multipart/form-data" in mime:
        post["text"] = _MULTIPART_FIELD.sub(lambda m: m.group(1) + (MASK if SENSITIVE_NAME.search(m.group(2))
                                                                    else m.group(3)) + m.group(4), text)
    elif "json" in mime:
        try:
            data = json.loads(text)
        except ValueError:
            return
        cleaned = _scrub_json(data)
        if cleaned != data:
            post["text"] = json.dumps(cleaned, ensure_ascii=False)


def _scrub_base64_body(content: dict[str, Any], scrubber: Scrubber) -> None:
    """A body Playwright stored as base64 is decoded, scrubbed and encoded again."""
    if content.get("encoding") != "base64" or not content.get("text"):
        return
    try:
        data = base64.b64decode(content["text"], validate=True)
    except (ValueError, TypeError):
        content["text"] = ""  # not what it claims to be: not kept
        return
    content["text"] = base64.b64encode(scrubber.data(data)).decode("ascii")


def scrub_har(path: Path, secrets: Iterable[str] = ()) -> bool:
    """Rewrite the HAR at ``path`` without cookies, credentials or secret values (mode 0600).
    False when there is no such file (the context never closed cleanly)."""
    path = Path(path)
    if not path.exists():
        return False
    har = json.loads(path.read_text(encoding="utf-8"))
    tokens: list[str] = []
    for entry in har.get("log", {}).get("entries", []):
        request, response = entry.get("request", {}), entry.get("response", {})
        tokens += _cookie_values(request.get("headers", [])) + _cookie_values(response.get("headers", []))
        tokens += [c.get("value", "") for c in request.get("cookies", []) + response.get("cookies", [])
                   if len(c.get("value", "")) >= 6]
        for part in (request, response):
            part["headers"] = [h for h in part.get("headers", []) if h.get("name", "").lower() not in SENSITIVE_HEADERS]
            part["cookies"] = []
        if request.get("postData"):
            _scrub_post_data(request["postData"], request.get("url", ""))
    scrubber = Scrubber([*secrets, *tokens])
    for entry in har.get("log", {}).get("entries", []):
        _scrub_base64_body(entry.get("response", {}).get("content", {}), scrubber)
    har = scrubber.values(har)  # every string: URL, query, headers, bodies, in any encoding
    write_bytes(path, json.dumps(har, ensure_ascii=False).encode("utf-8"), mode=0o600)
    return True


def scrub_or_remove(path: Path, secrets: Iterable[str] = ()) -> None:
    """``scrub_har`` that never raises: a HAR that cannot be scrubbed is deleted, not kept."""
    try:
        scrub_har(path, secrets)
    except Exception:
        Path(path).unlink(missing_ok=True)
