"""The drift breaker: a hook renamed under a running bot stops the run after N requests,
naming the hook and its screen, and leaves the untouched rows for the next run."""

from __future__ import annotations

import pytest

from fakesite.variants import RENAMED
from rpa.io.run_summary import StopReason
from rpa.outcomes import Outcome
from tests.e2e.harness import read_results

RENAMED_HOOKS = ("workfinity.form.notes", "zendesk.composer.channel_switcher")

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("drift")]


def test_a_renamed_hook_stops_the_run_after_n_requests(bot, fake):
    book = bot.sample()
    fake.faults(variant=RENAMED)  # tonight's release renamed a hook the bot needs
    code, summary, _ = bot.run(book, attempts=1, drift_breaker=3)
    assert code == 1
    assert summary.stopped is StopReason.DRIFT
    hook = next(h for h in RENAMED_HOOKS if h in summary.stop_detail)
    assert "rpa doctor" in summary.stop_detail and "tela " in summary.stop_detail
    on_hook = [r for r in summary.records if hook in r.message]
    assert len(on_hook) == 3 and summary.records[-1] is on_hook[-1]  # stopped at once
    assert all(r.outcome == Outcome.ERRO_SISTEMA for r in on_hook)
    assert summary.remaining > 0
    rows = read_results(book)
    assert [r for r in rows if not r["Status RPA"]], "the rows after the stop stay for the next run"
    # A missing hook is never a business verdict about the client.
    assert not [r for r in rows if "não" in r.get("Mensagem RPA", "") and "cadastrad" in r.get("Mensagem RPA", "")]
