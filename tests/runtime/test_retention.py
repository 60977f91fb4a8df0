"""``retention_days`` applies to everything the bot keeps about clients, not only recordings:
journals, logs, leftover session files, recordings (reports, flows, HARs, traces) and e-mails."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from rpa.runtime.retention import purge, purge_expired, retention_limit
from rpa.settings import Settings

DAY = 86400


def aged(path: Path, days: float, content: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.suffix and not path.exists():
        path.mkdir()
        (path / "dentro.txt").write_text(content)
        for inner in path.iterdir():
            os.utime(inner, (time.time() - days * DAY,) * 2)
    elif not path.exists():
        path.write_text(content)
    os.utime(path, (time.time() - days * DAY,) * 2)
    return path


def layout(tmp_path: Path) -> tuple[Settings, list[Path], list[Path]]:
    settings = Settings(runs_dir=tmp_path / "runs", recordings_dir=tmp_path / "rec", outbox_dir=tmp_path / "out",
                        retention_days=14)
    old = [aged(tmp_path / "runs" / "logs" / "20260101-1.jsonl", 30),
           aged(tmp_path / "runs" / "planilha-abcd1234", 30),
           aged(tmp_path / "runs" / ".state-20260101-1-0.json", 30),
           aged(tmp_path / "rec" / "20260101-1", 30),
           aged(tmp_path / "out" / "book-1.eml", 30),
           aged(tmp_path / "out" / "sent" / "book-2.eml", 30)]
    new = [aged(tmp_path / "runs" / "logs" / "20261201-1.jsonl", 1),
           aged(tmp_path / "runs" / "outra-ef012345", 1),
           aged(tmp_path / "rec" / "20261201-1", 1),
           aged(tmp_path / "out" / "book-3.eml", 1),
           aged(tmp_path / "out" / "sent" / "book-4.eml", 1)]
    return settings, old, new


class TestRetention:
    def test_expired_data_of_every_kind_is_deleted(self, tmp_path):
        settings, old, new = layout(tmp_path)
        removed = purge_expired(settings)
        assert sorted(removed) == sorted(old)
        assert not any(p.exists() for p in old) and all(p.exists() for p in new)

    def test_a_journal_still_written_is_not_expired(self, tmp_path):
        settings, _, _ = layout(tmp_path)
        journal = tmp_path / "runs" / "planilha-abcd1234"
        os.utime(journal / "dentro.txt")  # written now, in a folder created long ago
        purge_expired(settings)
        assert journal.exists()

    def test_by_hand_before_a_day_and_keep(self, tmp_path):
        settings, old, new = layout(tmp_path)
        keep = tmp_path / "rec" / "20261201-1"
        removed = purge(settings, dt.datetime.now() + dt.timedelta(days=1), keep=[keep])
        assert keep.exists() and keep not in removed
        assert len(removed) == len(old) + len(new) - 1

    def test_zero_keeps_everything(self, tmp_path):
        settings, old, _ = layout(tmp_path)
        assert retention_limit(0) is None
        assert purge_expired(settings.model_copy(update={"retention_days": 0})) == []
        assert all(p.exists() for p in old)


class TestJournalWithUnfinishedWork:
    def test_a_request_half_done_on_the_sites_keeps_its_journal(self, tmp_path):
        from rpa.io.journal import Journal

        settings = Settings(runs_dir=tmp_path / "runs", recordings_dir=tmp_path / "rec",
                            outbox_dir=tmp_path / "out", retention_days=14)
        half, done = tmp_path / "runs" / "meio-feito-1", tmp_path / "runs" / "terminado-2"
        for folder, final in ((half, False), (done, True)):
            journal = Journal(folder / "journal.sqlite")
            journal.begin_request("ticket:1", [2], "r1")
            journal.intent("ticket:1", "ticket", "marker")
            if final:
                journal.finish_request("ticket:1", {"S-1|SERIE1": {"status": "OK", "message": ""}}, final=True,
                                       rows={"S-1|SERIE1": 2})
            journal.close()
            for p in [folder, *folder.iterdir()]:
                os.utime(p, (time.time() - 30 * DAY,) * 2)
        removed = purge_expired(settings)
        assert removed == [done] and half.exists()
