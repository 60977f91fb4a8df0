"""Run both fake sites, each on its own port, in a background thread or in the foreground."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from fakesite.core import Faults, SiteMiddleware, World
from fakesite.seed import load_seed

WORKFINITY_PATH = "/osmanager-tenant"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for a server started next)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_apps(world: World):
    from fakesite import workfinity, zendesk

    return (
        SiteMiddleware(workfinity.create_app(world), world, "workfinity"),
        SiteMiddleware(zendesk.create_app(world), world, "zendesk"),
    )


class FakeSites:
    """Both sites served by uvicorn in one background thread (tests, ``rpa demo``)."""

    def __init__(
        self,
        data: str | Path | dict[str, Any] | None = None,
        faults: Faults | None = None,
        host: str = "127.0.0.1",
        workfinity_port: int = 0,
        zendesk_port: int = 0,
    ) -> None:
        seed = data if isinstance(data, dict) else load_seed(data)
        self.world = World(seed, faults)
        self.host = host
        wf_app, zd_app = build_apps(self.world)
        self._servers = [
            uvicorn.Server(uvicorn.Config(wf_app, host=host, port=workfinity_port, log_level="warning",
                                          access_log=False, lifespan="off")),
            uvicorn.Server(uvicorn.Config(zd_app, host=host, port=zendesk_port, log_level="warning",
                                          access_log=False, lifespan="off")),
        ]
        for server in self._servers:
            server.install_signal_handlers = lambda: None  # type: ignore[attr-defined]  # the owner of the process handles them
        self._thread: threading.Thread | None = None

    # -- addresses ------------------------------------------------------------------

    def _port(self, index: int) -> int:
        server = self._servers[index]
        return server.servers[0].sockets[0].getsockname()[1]

    @property
    def workfinity_origin(self) -> str:
        return f"http://{self.host}:{self._port(0)}"

    @property
    def workfinity_url(self) -> str:
        return self.workfinity_origin + WORKFINITY_PATH

    @property
    def zendesk_url(self) -> str:
        return f"http://{self.host}:{self._port(1)}"

    # -- lifecycle ------------------------------------------------------------------

    async def serve(self) -> None:
        await asyncio.gather(*(s.serve() for s in self._servers))

    def start(self) -> FakeSites:
        self._thread = threading.Thread(target=lambda: asyncio.run(self.serve()), name="fakesite", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not all(s.started for s in self._servers):
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake sites did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.should_exit = True
        if self._thread:
            self._thread.join(timeout=10)

    def __enter__(self) -> FakeSites:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
