"""What the bot keeps about clients, and for how long (LGPD).

Everything under the bot's three folders holds personal data (names, e-mails, phones,
addresses): ``runs_dir`` (each input file's journal, the JSONL logs, leftover session files),
``recordings_dir`` (one folder per run: report, flows, HARs, traces, screenshots) and
``outbox_dir`` (Book e-mails, sent or not). ``purge`` removes what was last written before a
moment; runs call it with ``retention_days`` at their end, ``rpa limpar`` by hand. A journal
that still holds a request half done on the sites is never purged (nothing done twice).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from rpa.io.journal import unfinished_requests
from rpa.settings import Settings

LOG_FOLDER = "logs"
JOURNAL_FILE = "journal.sqlite"


def _newest_mtime(path: Path) -> float:
    """A folder is as old as the newest thing in it (a journal still in use is never expired)."""
    if not path.is_dir():
        return path.stat().st_mtime
    return max([path.stat().st_mtime, *(p.stat().st_mtime for p in path.rglob("*"))])


def _candidates(settings: Settings) -> Iterator[Path]:
    """Every item the bot keeps, at the level it is deleted: a run's or a journal's folder, a file."""
    runs = Path(settings.runs_dir)
    if runs.is_dir():
        for child in runs.iterdir():
            if child.name == LOG_FOLDER and child.is_dir():
                yield from child.iterdir()
            else:
                yield child  # an input file's journal folder, a leftover session file
    for root in (Path(settings.recordings_dir), Path(settings.outbox_dir)):
        if root.is_dir():
            for child in root.iterdir():
                if child.is_dir() and root == Path(settings.outbox_dir):
                    yield from child.iterdir()  # outbox/sent/*.eml
                else:
                    yield child


def _holds_unfinished_work(path: Path) -> bool:
    """A journal with a request half done on the sites is kept whatever its age: without it a
    rerun would not know that a ticket or an O.S. already exists (nothing done twice)."""
    journal = path / JOURNAL_FILE
    if not journal.is_file():
        return False
    try:
        return unfinished_requests(journal) > 0
    except Exception:  # unreadable: kept, as it may still be what prevents a duplicate
        return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def purge(settings: Settings, before: dt.datetime, *, keep: Iterable[Path] = ()) -> list[Path]:
    """Delete everything kept that was last written before ``before``; ``keep``: never these
    (the current run's folders). Returns what was deleted."""
    limit = before.timestamp()
    kept = {Path(p).resolve() for p in keep}
    removed = []
    for path in list(_candidates(settings)):
        try:
            if path.resolve() in kept or _newest_mtime(path) >= limit or _holds_unfinished_work(path):
                continue
        except FileNotFoundError:
            continue
        _remove(path)
        removed.append(path)
    return removed


def retention_limit(retention_days: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """The moment before which data expires; None when ``retention_days`` is 0 (keep everything)."""
    if retention_days <= 0:
        return None
    return (now or dt.datetime.now()) - dt.timedelta(days=retention_days)


def purge_shared(settings: Settings, before: dt.datetime) -> list[str]:
    """The same for the shared journal in PostgreSQL (``database_url``): the files whose data
    there was last written before ``before`` (their paths)."""
    if settings.database_url is None:
        return []
    from rpa.io.journal_pg import purge_before

    return purge_before(settings.database_url.get_secret_value(), before)


def purge_expired(settings: Settings, *, keep: Iterable[Path] = ()) -> list[Path]:
    """``purge`` (and ``purge_shared``) with the configured ``retention_days`` (nothing when 0)."""
    limit = retention_limit(settings.retention_days)
    if limit is None:
        return []
    try:
        purge_shared(settings, limit)
    except Exception as exc:  # the database away at the end of a run: the next run or rpa limpar purges
        from rpa.runtime import logs

        logs.event("purge_shared_failed", error=type(exc).__name__)
    return purge(settings, limit, keep=keep)
