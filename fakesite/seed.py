"""Seed data: the built-in realistic seed, or a JSON file in the contract's format.

Passwords left empty in a seed are generated per process, so no usable credential lives
in the repository; ``World.credentials()`` tells them to whoever started the sites.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any


def default_seed() -> dict[str, Any]:
    from fakesite import seed_workfinity, seed_zendesk

    return {"workfinity": seed_workfinity.build(), "zendesk": seed_zendesk.build()}


def load_seed(path: str | Path | None = None) -> dict[str, Any]:
    data = default_seed() if path is None else json.loads(Path(path).read_text(encoding="utf-8"))
    # A seed file may leave out what it does not need.
    for key, empty in (("customers", list), ("equipment", list), ("catalog", dict), ("providers", list),
                       ("ceps", dict), ("service_orders", list)):
        data.setdefault("workfinity", {}).setdefault(key, empty())
    for key, empty in (("users", list), ("brands", list), ("forms", list), ("fields", dict), ("tickets", list)):
        data.setdefault("zendesk", {}).setdefault(key, empty())
    data.setdefault("workfinity", {}).setdefault("users", [{"username": "robo", "password": ""}])
    data.setdefault("zendesk", {}).setdefault(
        "agents", [{"email": "robo@bematech.com.br", "password": "", "name": "Robô"}]
    )
    for user in data["workfinity"]["users"]:
        user["password"] = user.get("password") or secrets.token_urlsafe(12)
    for agent in data["zendesk"]["agents"]:
        agent["password"] = agent.get("password") or secrets.token_urlsafe(12)
    return data
