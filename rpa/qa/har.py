"""Offline replay of network recordings (``rpa replay run --offline``).

``rpa run --har`` leaves one scrubbed HAR per request attempt (``rpa.runtime.har_recording``).
``OfflineNetwork(hars, workdir).install(context)`` answers every request of a replay context
from those files with Playwright's ``route_from_har`` (``not_found="abort"``), plus a
sequencer on top of it. Why the sequencer: ``route_from_har`` matches URL + method (+ body for
POST only) and always serves the *first* match, so a ticket saved twice (two PUTs to the same
URL, the second one answered with the new status) would get the first answer twice. The
sequencer takes over only such ambiguous requests and serves their recorded answers in order.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict, deque
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

# Response headers that describe the wire encoding, not the (decoded) body kept in the HAR.
WIRE_HEADERS = {"content-length", "content-encoding", "transfer-encoding"}
REDIRECTS = {301, 302, 303, 307, 308}


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
