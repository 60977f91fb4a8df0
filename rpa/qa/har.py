"""Network recordings (``rpa run --har``): written scrubbed, replayed offline by ``rpa replay``.

Recording: each request attempt gets its own browser context with ``record_har_path``
(content embedded); Playwright writes the file when the context closes and ``scrub_har``
then removes what must never be stored: ``Cookie``/``Set-Cookie``/``Authorization``
headers, the cookie lists, password fields and login form bodies, and every secret or
session-cookie value wherever it appears. Login itself never happens in these contexts.

Replaying: ``install_offline(context, har)`` answers every request of the context from the
file with Playwright's ``route_from_har`` (``not_found="abort"``), plus a sequencer on top
of it. Why the sequencer: ``route_from_har`` matches URL + method (+ body for POST only) and
always serves the *first* match, so a ticket saved twice (two PUTs to the same URL, the
second one answered with the new status) would get the first answer twice. The sequencer
takes over only such ambiguous requests and serves their recorded answers in order.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections import defaultdict, deque
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import parse_qsl, urlencode, urlparse

SCRUBBED = "***"
SENSITIVE_HEADERS = {"cookie", "set-cookie", "authorization", "proxy-authorization"}
SENSITIVE_NAME = re.compile(r"pass|senha|secret|token|credential", re.IGNORECASE)
LOGIN_PATHS = ("/login/auth", "/access/login", "/login")
# Response headers that describe the wire encoding, not the (decoded) body kept in the HAR.
WIRE_HEADERS = {"content-length", "content-encoding", "transfer-encoding"}
REDIRECTS = {301, 302, 303, 307, 308}


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
    if isinstance(value, dict):
        return {k: (SCRUBBED if SENSITIVE_NAME.search(str(k)) and isinstance(v, (str, int)) else _scrub_json(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_json(v) for v in value]
    return value


def _scrub_post_data(post: dict[str, Any], url: str) -> None:
    if urlparse(url).path.endswith(LOGIN_PATHS):  # a login form body: nothing of it is kept
        post["text"] = ""
        post["params"] = []
        return
    post["params"] = [{**p, "value": SCRUBBED} if SENSITIVE_NAME.search(p.get("name", "")) else p
                      for p in post.get("params", [])]
    text = post.get("text")
    if not text:
        return
    mime = post.get("mimeType", "")
    if "x-www-form-urlencoded" in mime:
        pairs = parse_qsl(text, keep_blank_values=True)
        if any(SENSITIVE_NAME.search(k) for k, _ in pairs):
            post["text"] = urlencode([(k, SCRUBBED if SENSITIVE_NAME.search(k) else v) for k, v in pairs])
    elif "json" in mime:
        try:
            data = json.loads(text)
        except ValueError:
            return
        cleaned = _scrub_json(data)
        if cleaned != data:
            post["text"] = json.dumps(cleaned, ensure_ascii=False)


def _replace_everywhere(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, SCRUBBED)
        return value
    if isinstance(value, dict):
        return {k: _replace_everywhere(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_everywhere(v, secrets) for v in value]
    return value


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
    values = sorted({v for v in [*secrets, *tokens] if v}, key=len, reverse=True)
    har = _replace_everywhere(har, values)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(har, out, ensure_ascii=False)
    os.replace(tmp, path)
    return True


def scrub_or_remove(path: Path, secrets: Iterable[str] = ()) -> None:
    """``scrub_har`` that never raises: a HAR that cannot be scrubbed is deleted, not kept."""
    try:
        scrub_har(path, secrets)
    except Exception:
        Path(path).unlink(missing_ok=True)
        Path(str(path) + ".tmp").unlink(missing_ok=True)


# -- reading ---------------------------------------------------------------------------------


def load_entries(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """The entries of several HAR files, file after file (attempt 1 before attempt 2)."""
    entries: list[dict[str, Any]] = []
    for path in paths:
        entries += json.loads(Path(path).read_text(encoding="utf-8")).get("log", {}).get("entries", [])
    return entries


def merge_hars(paths: list[Path], target: Path) -> Path:
    """One HAR with the entries of ``paths`` in order (``route_from_har`` takes one file)."""
    if len(paths) == 1:
        return Path(paths[0])
    first = json.loads(Path(paths[0]).read_text(encoding="utf-8"))
    first.setdefault("log", {})["entries"] = load_entries(paths)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    return target


def site_urls(entries: list[dict[str, Any]], workfinity_path: str = "/osmanager-tenant") -> dict[str, str]:
    """Best guess of the two sites' base URLs from recorded requests (flows that lack them)."""
    found: dict[str, str] = {}
    for entry in entries:
        url = urlparse(entry.get("request", {}).get("url", ""))
        origin = f"{url.scheme}://{url.netloc}"
        if url.path.startswith(workfinity_path):
            found.setdefault("workfinity", origin + workfinity_path)
        elif url.path.startswith(("/agent", "/api/v2")):
            found.setdefault("zendesk", origin)
    return found


# -- offline replay --------------------------------------------------------------------------


def _body(entry: dict[str, Any]) -> bytes:
    content = entry.get("response", {}).get("content", {})
    text = content.get("text") or ""
    return base64.b64decode(text) if content.get("encoding") == "base64" else text.encode("utf-8")


def _request_body(entry: dict[str, Any]) -> bytes:
    return ((entry.get("request", {}).get("postData") or {}).get("text") or "").encode("utf-8")


def _playwright_key(method: str, url: str, body: bytes) -> tuple[str, str, bytes | None]:
    """What ``route_from_har`` tells requests apart by."""
    return method, url, body if method == "POST" else None


def _full_key(method: str, url: str, body: bytes) -> tuple[str, str, bytes]:
    return method, url, body if method not in ("GET", "HEAD") else b""


class HarSequencer:
    """Serves, in recorded order, the requests ``route_from_har`` would answer ambiguously."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
        for e in entries:
            r = e.get("request", {})
            groups[_playwright_key(r.get("method", ""), r.get("url", ""), _request_body(e))].append(e)
        answers = lambda es: {(e["response"].get("status"), _body(e)) for e in es}  # noqa: E731
        self.ambiguous = {key for key, es in groups.items() if len(answers(es)) > 1}
        self.queues: dict[tuple, deque] = defaultdict(deque)
        for key in self.ambiguous:
            for e in groups[key]:
                r = e["request"]
                self.queues[_full_key(r["method"], r["url"], _request_body(e))].append(e)
        self.last: dict[tuple, dict[str, Any]] = {}
        self.misses: list[str] = []

    def install(self, context) -> None:
        """Register after ``route_from_har``: the last registered route is tried first."""
        if self.ambiguous:
            context.route("**/*", self.handle)

    def handle(self, route) -> None:
        request = route.request
        body = request.post_data_buffer or b""
        if _playwright_key(request.method, request.url, body) not in self.ambiguous:
            route.fallback()
            return
        key = _full_key(request.method, request.url, body)
        queue = self.queues.get(key)
        entry = queue.popleft() if queue else self.last.get(key)
        if entry is None:
            self.misses.append(f"{request.method} {request.url}")
            route.abort()
            return
        self.last[key] = entry  # asked again once the recording is exhausted: same answer
        response = entry["response"]
        if response.get("status") in REDIRECTS:
            route.fallback()  # route_from_har follows recorded redirects itself
            return
        headers = {h["name"]: h["value"] for h in response.get("headers", [])
                   if h.get("name", "").lower() not in WIRE_HEADERS}
        route.fulfill(status=response.get("status", 200), headers=headers, body=_body(entry))


class OfflineNetwork:
    """Everything a replay context needs to run on recorded answers only."""

    def __init__(self, har_paths: list[Path], workdir: Path) -> None:
        self.paths = [Path(p) for p in har_paths]
        self.entries = load_entries(self.paths)
        self.har = merge_hars(self.paths, Path(workdir) / "merged.har")
        self.sequencer = HarSequencer(self.entries)
        self.failed: list[str] = []

    def install(self, context) -> None:
        context.route_from_har(str(self.har), not_found="abort", update=False)
        self.sequencer.install(context)
        context.on("requestfailed", self._failed)

    def _failed(self, request) -> None:
        # route.abort() fails a request with ERR_FAILED; ERR_ABORTED is a navigation that a
        # recorded redirect replaced, which is expected.
        if "ERR_FAILED" in (request.failure or ""):
            self.failed.append(f"{request.method} {request.url}")

    def unanswered(self) -> list[str]:
        """Requests the recording had no answer for (each once, in order)."""
        return list(dict.fromkeys(self.sequencer.misses + self.failed))
