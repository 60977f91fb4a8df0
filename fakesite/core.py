"""What both fake sites share: the world state, audit log, faults, sessions and timing.

One ``World`` holds the data of both sites behind one lock for the life of the process.
Both apps expose the same control API (``/_fake/state``, ``/_fake/reset``, ``/_fake/faults``)
so a test can reach everything through either origin.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import random
import secrets
import threading
import time
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

Site = Literal["workfinity", "zendesk"]

DEFAULT_SESSION_TTL = {"workfinity": 30 * 60, "zendesk": 60 * 60}


class Faults(BaseModel):
    """Fault knobs; every field can be set at start or through ``POST /_fake/faults``."""

    latency_ms: int = Field(default=0, ge=0, description="added to every application request")
    jitter_ms: int | None = Field(default=None, ge=0, description="± jitter; default 25% of latency")
    fail_rate: float = Field(default=0.0, ge=0, le=1, description="share of saves that fail")
    modal_rate: float = Field(default=0.0, ge=0, le=1, description="share of pages with a blocking modal")
    session_ttl: float | None = Field(default=None, gt=0, description="idle session lifetime, seconds")
    rate_limit_per_minute: int = Field(default=0, ge=0, description="Zendesk: saves per minute; 0 = off")
    rate_limit_seconds: int = Field(default=5, ge=1, description="Zendesk: refusal length once limited")
    seed: int | None = None
    # Markup variant (fakesite.variants): what the UI contract leaves open, done another way.
    variant: int = Field(default=0, ge=0, description="markup variant; 0 = the default markup")
    # A slower client (heavier tenant pages): the server's clock does not see it.
    client_delay_ms: int = Field(default=0, ge=0,
                                 description="slow client: added to every debounce and to every AJAX answer")

    def jitter(self) -> int:
        return self.jitter_ms if self.jitter_ms is not None else self.latency_ms // 4


def now_iso() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


def fold(text: str) -> str:
    """Lower case without accents: how the sites compare and sort text."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class SessionStore:
    """Cookie sessions of one site with an idle lifetime taken from the world's faults."""

    def __init__(self, world: World, site: Site) -> None:
        self.world = world
        self.site = site
        self._sessions: dict[str, dict[str, Any]] = {}

    def ttl(self) -> float:
        return self.world.faults.session_ttl or DEFAULT_SESSION_TTL[self.site]

    def create(self, user: str) -> str:
        token = secrets.token_urlsafe(24)
        with self.world.lock:
            self._sessions[token] = {"user": user, "seen": time.monotonic(), "data": {}}
        return token

    def get(self, token: str | None) -> dict[str, Any] | None:
        """The session for ``token`` (touched), or None when absent or expired."""
        if not token:
            return None
        with self.world.lock:
            session = self._sessions.get(token)
            if session is None:
                return None
            now = time.monotonic()
            if now - session["seen"] > self.ttl():
                del self._sessions[token]
                self.world.record(self.site, session["user"], "session", token[:6], "expired", {})
                return None
            session["seen"] = now
            return session

    def drop(self, token: str | None) -> None:
        with self.world.lock:
            self._sessions.pop(token or "", None)

    def clear(self) -> None:
        with self.world.lock:
            self._sessions.clear()


class World:
    """The whole fake universe: both sites' data, audit, faults, sessions, timing."""

    def __init__(self, seed_data: dict[str, Any], faults: Faults | None = None) -> None:
        self.lock = threading.RLock()
        self._seed = copy.deepcopy(seed_data)
        self._start_faults = faults or Faults()
        self.sessions: dict[Site, SessionStore] = {
            "workfinity": SessionStore(self, "workfinity"),
            "zendesk": SessionStore(self, "zendesk"),
        }
        # Timing is "since start": a reset does not zero it (benchmarks read deltas).
        self.timing: dict[str, dict[str, float]] = {
            s: {"requests": 0, "server_seconds": 0.0} for s in ("workfinity", "zendesk")
        }
        self.reset()

    # -- lifecycle --------------------------------------------------------------------

    def reset(self) -> None:
        with self.lock:
            self.data: dict[str, Any] = copy.deepcopy(self._seed)
            self.data.setdefault("workfinity", {})
            self.data.setdefault("zendesk", {})
            self.audit: list[dict[str, Any]] = []
            self.faults = self._start_faults.model_copy()
            self.rng = random.Random(self.faults.seed)
            self.rate_limited_until = 0.0
            self.save_times: list[float] = []
            for store in self.sessions.values():
                store.clear()
            self.counters: dict[str, int] = {}

    def set_faults(self, changes: dict[str, Any]) -> Faults:
        with self.lock:
            merged = self.faults.model_dump() | changes
            self.faults = Faults.model_validate(merged)
            if "seed" in changes:
                self.rng = random.Random(self.faults.seed)
            self.record("control", "control", "faults", "-", "update", {k: [None, v] for k, v in changes.items()})
            return self.faults

    # -- helpers for the apps ---------------------------------------------------------

    @property
    def workfinity(self) -> dict[str, Any]:
        return self.data["workfinity"]

    @property
    def zendesk(self) -> dict[str, Any]:
        return self.data["zendesk"]

    def record(self, site: str, actor: str, entity: str, id_: Any, action: str, changes: dict) -> None:
        """Append an audit event: every field change, login, injected failure."""
        with self.lock:
            self.audit.append(
                {"at": now_iso(), "site": site, "actor": actor, "entity": entity, "id": str(id_),
                 "action": action, "changes": changes}
            )

    def roll(self, rate_name: Literal["fail_rate", "modal_rate"]) -> bool:
        """True with the probability of the named fault knob (seeded)."""
        with self.lock:
            rate = getattr(self.faults, rate_name)
            return rate > 0 and self.rng.random() < rate

    def next_counter(self, name: str, start: int) -> int:
        with self.lock:
            value = self.counters.get(name, start)
            self.counters[name] = value + 1
            return value

    def check_rate_limit(self) -> int | None:
        """Zendesk saves: seconds to wait when limited, else None (and count this save)."""
        with self.lock:
            now = time.monotonic()
            if now < self.rate_limited_until:
                return max(1, round(self.rate_limited_until - now))
            limit = self.faults.rate_limit_per_minute
            self.save_times = [t for t in self.save_times if now - t < 60]
            if limit and len(self.save_times) >= limit:
                self.rate_limited_until = now + self.faults.rate_limit_seconds
                self.save_times.clear()
                return self.faults.rate_limit_seconds
            self.save_times.append(now)
            return None

    def credentials(self) -> dict[str, dict[str, str]]:
        """First Workfinity user and first Zendesk agent, for printing and for tests."""
        wf = self._seed["workfinity"]["users"][0]
        zd = self._seed["zendesk"]["agents"][0]
        return {
            "workfinity": {"user": wf["username"], "password": wf["password"]},
            "zendesk": {"email": zd["email"], "password": zd["password"]},
        }

    def state(self) -> dict[str, Any]:
        with self.lock:
            out = copy.deepcopy(self.data)
            out["audit"] = copy.deepcopy(self.audit)
            total_req = sum(t["requests"] for t in self.timing.values())
            total_sec = sum(t["server_seconds"] for t in self.timing.values())
            out["timing"] = {"requests": int(total_req), "server_seconds": round(total_sec, 4),
                             **{k: dict(v) for k, v in self.timing.items()}}
            out["faults"] = self.faults.model_dump()
            return out


class SiteMiddleware:
    """ASGI middleware: injected latency (with jitter) and timing of application requests."""

    def __init__(self, app, world: World, site: Site) -> None:
        self.app = app
        self.world = world
        self.site = site

    @staticmethod
    def is_application(path: str) -> bool:
        return not (path.startswith("/_fake") or "/static/" in path or path.endswith("favicon.ico"))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not self.is_application(scope["path"]):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        faults = self.world.faults
        if faults.latency_ms:
            with self.world.lock:
                jitter = faults.jitter()
                delay = faults.latency_ms + (self.world.rng.uniform(-jitter, jitter) if jitter else 0)
            await asyncio.sleep(max(0.0, delay) / 1000)
        try:
            await self.app(scope, receive, send)
        finally:
            elapsed = time.perf_counter() - started
            with self.world.lock:
                t = self.world.timing[self.site]
                t["requests"] += 1
                t["server_seconds"] += elapsed


def control_routes(world: World) -> list[Route]:
    """The control API (not part of the real products)."""

    async def state(_: Request) -> JSONResponse:
        return JSONResponse(world.state())

    async def reset(_: Request) -> JSONResponse:
        world.reset()
        return JSONResponse({"ok": True})

    async def faults(request: Request) -> JSONResponse:
        if request.method == "POST":
            body = await request.json()
            try:
                updated = world.set_faults(body)
            except Exception as exc:  # pydantic validation error -> 400 with the reason
                return JSONResponse({"error": str(exc)}, status_code=400)
            return JSONResponse(updated.model_dump())
        return JSONResponse(world.faults.model_dump())

    return [
        Route("/_fake/state", state, methods=["GET"]),
        Route("/_fake/reset", reset, methods=["POST"]),
        Route("/_fake/faults", faults, methods=["GET", "POST"]),
    ]
