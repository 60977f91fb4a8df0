"""``rpa run --doctor``: on drift the run does not start (exit 2), nothing touched on the sites."""

from __future__ import annotations

import json

import pytest

from fakesite.variants import RENAMED
from rpa.cli.run import run_command
from tests.e2e.harness import in_thread

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("doctor")]


def test_run_with_doctor_does_not_start_on_drift(bot, fake, tmp_path, monkeypatch):
    creds = fake.credentials
    monkeypatch.chdir(tmp_path)
    for key, value in {"WORKFINITY_URL": fake.workfinity_url, "WORKFINITY_USER": creds["workfinity"]["user"],
                       "WORKFINITY_PASSWORD": creds["workfinity"]["password"], "ZENDESK_URL": fake.zendesk_url,
                       "ZENDESK_EMAIL": creds["zendesk"]["email"], "ZENDESK_PASSWORD": creds["zendesk"]["password"],
                       "RECORD": "off", "OUTBOX_DIR": str(tmp_path / "out")}.items():
        monkeypatch.setenv(f"RPA_{key}", value)
    book = bot.sample()
    fake.faults(variant=RENAMED)
    before = json.dumps({k: fake.state()[k] for k in ("workfinity", "zendesk")}, sort_keys=True)
    code = in_thread(run_command, [book], workers=None, output=None, headed=False, record=None, until=None,
                     sheet=None, doctor_first=True)
    assert code == 2
    assert json.dumps({k: fake.state()[k] for k in ("workfinity", "zendesk")}, sort_keys=True) == before
    assert len(list((tmp_path / "runs" / "doctor").glob("doctor-*.png"))) == 2  # the two changed screens
