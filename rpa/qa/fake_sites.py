"""The bot pointed at the embedded fake sites (``rpa demo``, ``rpa replay``, the tests).

``fakesite`` is imported only when its data is loaded: the bot itself never needs it.
"""

from __future__ import annotations

import copy
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from rpa.settings import Settings

if TYPE_CHECKING:
    from fakesite.server import FakeSites


def fake_site_settings(sites: FakeSites, base: Settings | None = None, **overrides: Any) -> Settings:
    """Settings with the fake sites' addresses and credentials, then ``overrides``: on top of
    ``base`` when given, else read as usual (defaults, ``rpa.toml``, environment)."""
    creds = sites.world.credentials()
    values: dict[str, Any] = dict(
        workfinity_url=sites.workfinity_url, workfinity_user=creds["workfinity"]["user"],
        workfinity_password=SecretStr(creds["workfinity"]["password"]),
        zendesk_url=sites.zendesk_url, zendesk_email=creds["zendesk"]["email"],
        zendesk_password=SecretStr(creds["zendesk"]["password"]),
    )
    values.update(overrides)
    return base.model_copy(update=values) if base is not None else Settings(**values)


def fake_seed(data: str | Path | dict[str, Any] | None) -> dict[str, Any]:
    """The fake sites' data: the default seed, a JSON file or a dict (empty passwords generated,
    as ``fakesite.seed.load_seed`` does for files)."""
    from fakesite.seed import load_seed

    if not isinstance(data, dict):
        return load_seed(data)
    seed = copy.deepcopy(data)
    for user in seed.get("workfinity", {}).get("users", []):
        user["password"] = user.get("password") or secrets.token_urlsafe(12)
    for agent in seed.get("zendesk", {}).get("agents", []):
        agent["password"] = agent.get("password") or secrets.token_urlsafe(12)
    return seed
