"""Shared fixtures: the fake sites once per session, reset per test; Chromium resolution."""

from __future__ import annotations

import pytest

from rpa.runtime.browser import launch_kwargs, resolve_browser
from rpa.settings import Settings
from tests.fakeserver import FakeClient


@pytest.fixture(scope="session")
def fake_sites():
    from fakesite.server import FakeSites

    sites = FakeSites().start()
    yield sites
    sites.stop()


@pytest.fixture()
def fake(fake_sites) -> FakeClient:
    """The fake sites, reset to their seed before the test."""
    client = FakeClient(fake_sites)
    client.reset()
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright has no --executable-path: use the bot's own browser resolution."""
    headless = browser_type_launch_args.get("headless", True)  # pytest-playwright's --headed decides
    kwargs = launch_kwargs(resolve_browser(Settings().browser_path), headless=headless)
    kwargs.pop("headless", None)
    return {**browser_type_launch_args, **kwargs}


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL for the several-machines tests (started only when a test asks)."""
    from tests.pg_server import PgServer

    server = PgServer().start()
    yield server
    server.stop()


@pytest.fixture()
def database_url(pg_server) -> str:
    """A fresh database on the session's server."""
    return pg_server.new_database()
