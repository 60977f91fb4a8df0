"""``rpa doctor`` on the fake sites and their variants: read-only, exit codes, overrides.

Every assertion is on the doctor's JSON and exit code, the sites' recorded state
(``/_fake/state``) or the workbook — never on the bot's logs.
"""

from __future__ import annotations

import json

import pytest

from fakesite.variants import CONFORMING, RENAMED
from pages.hooks import HOOKS
from rpa.cli.doctor import doctor
from tests.e2e.harness import Bot, in_thread, read_results
from tests.e2e.test_sample_run import EXPECTED, LABEL

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("doctor")]

RENAMED_HOOKS = {"workfinity.form.notes", "zendesk.composer.channel_switcher"}
OVERRIDES = {"workfinity.form.notes": "#osNotes",
             "zendesk.composer.channel_switcher": '[data-test-id="omnichannel-channel-switcher-trigger"]'}


def site_data(fake) -> str:
    """The sites' data, byte for byte, minus what a visit may change (audit, timing, sessions)."""
    state = fake.state()
    return json.dumps({k: v for k, v in state.items() if k not in ("audit", "timing", "sessions", "faults")},
                      sort_keys=True, ensure_ascii=False)


def run_doctor(bot: Bot, capsys, **settings) -> tuple[int, list[dict[str, str]]]:
    capsys.readouterr()
    code = in_thread(doctor, bot.settings(**settings), json_out=True, shots_dir=bot.workdir / "doctor")
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("variant", CONFORMING)  # every variant that keeps the contract
def test_doctor_passes_on_every_variant_and_changes_nothing(bot, fake, capsys, variant):
    fake.faults(variant=variant)
    before = site_data(fake)
    code, checks = run_doctor(bot, capsys)
    assert [c for c in checks if c["status"] != "ok"] == []
    assert code == 0
    assert {c["hook"] for c in checks} == set(HOOKS)
    assert all({"site", "screen", "hook", "selector", "status"} <= set(c) for c in checks)
    assert site_data(fake) == before  # no O.S., ticket, user, comment, draft or address changed
    assert not (bot.workdir / "doctor").exists()  # no failing screen, no screenshot


def test_renamed_hooks_are_named_then_overridden_and_the_sample_runs(bot, fake, capsys, tmp_path, monkeypatch):
    fake.faults(variant=RENAMED)
    code, checks = run_doctor(bot, capsys)
    assert code == 1
    assert {c["hook"] for c in checks if c["status"] != "ok"} == RENAMED_HOOKS
    assert all(c["status"] == "ausente" for c in checks if c["hook"] in RENAMED_HOOKS)
    notes = {c["hook"]: c["note"] for c in checks}  # what the hook may have become: a hint for the override
    assert "#osNotes" in notes["workfinity.form.notes"]
    assert "omnichannel-channel-switcher-trigger" in notes["zendesk.composer.channel_switcher"]
    assert sorted(p.name for p in (bot.workdir / "doctor").iterdir()) == [
        "doctor-workfinity-nova-o-s.png", "doctor-zendesk-novo-ticket.png"]

    # The operator's fix, without a release: [selectors] in rpa.toml.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rpa.toml").write_text(
        "[selectors]\n" + "".join(f"{json.dumps(k)} = '{v}'\n" for k, v in OVERRIDES.items()), encoding="utf-8")
    assert bot.settings().selectors == OVERRIDES
    code, checks = run_doctor(bot, capsys)
    assert [c for c in checks if c["status"] != "ok"] == []
    assert code == 0
    assert {c["selector"] for c in checks if c["hook"] in RENAMED_HOOKS} == set(OVERRIDES.values())

    book = bot.sample()
    code, summary, _ = bot.run(book)
    assert {r[LABEL]: r["Status RPA"] for r in read_results(book)} == EXPECTED
    assert code == 0
