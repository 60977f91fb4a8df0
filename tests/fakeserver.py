"""Test access to the fake sites, modelled on playwright-python's ``tests/server.py``.

The sites start once per session in a background thread; every test that asks for ``fake``
gets them reset to the seed (data, faults, sessions) and talks to them over HTTP only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from fakesite.server import FakeSites


@dataclass
class FakeClient:
    """What a test knows of the running fake sites: URLs, credentials, control API."""

    sites: FakeSites

    @property
    def workfinity_url(self) -> str:
        return self.sites.workfinity_url

    @property
    def zendesk_url(self) -> str:
        return self.sites.zendesk_url

    @property
    def credentials(self) -> dict[str, dict[str, str]]:
        return self.sites.world.credentials()

    def state(self) -> dict[str, Any]:
        return httpx.get(self.zendesk_url + "/_fake/state", timeout=10).json()

    def reset(self) -> None:
        httpx.post(self.zendesk_url + "/_fake/reset", timeout=10).raise_for_status()

    def faults(self, **knobs: Any) -> dict[str, Any]:
        response = httpx.post(self.workfinity_url.split("/osmanager")[0] + "/_fake/faults", json=knobs, timeout=10)
        response.raise_for_status()
        return response.json()

    def audit(self, **match: Any) -> list[dict[str, Any]]:
        """Audit events whose keys equal every ``match`` item."""
        return [e for e in self.state()["audit"] if all(e.get(k) == v for k, v in match.items())]
