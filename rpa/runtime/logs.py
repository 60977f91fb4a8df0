"""Logging configuration, in one place: one JSON line per event, secrets scrubbed.

Field values are scrubbed before ``json.dumps`` (a password with a quote or a backslash would
otherwise be written JSON-escaped, past a scrubber looking for the raw text); the line is
scrubbed once more after, for any encoded form. Log files are private (0600, folder 0700).

``event(name, **fields)`` is the only call the rest of the bot makes. On a terminal the
JSON lines go to the run's log file only (the progress bar owns the screen); otherwise they
also go to stderr, for schedulers and log collectors.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import threading
from pathlib import Path
from typing import Any

from rpa.io import private
from rpa.runtime import scrubbing

_logger = logging.getLogger("rpa")
_secrets: list[str] = []
_context: dict[str, Any] = {}
_lock = threading.Lock()


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {"at": dt.datetime.now().isoformat(timespec="milliseconds"), "level": record.levelname.lower(),
                   **_context, **getattr(record, "fields", {"event": record.getMessage()})}
        payload = scrubbing.scrub_values({k: _plain(v) for k, v in payload.items()})
        return scrub(json.dumps(payload, ensure_ascii=False, default=str))


def _plain(value: Any) -> Any:
    """A field as JSON will hold it, so that the scrubber sees the text that gets written."""
    if isinstance(value, (str, int, float, bool, type(None), dict, list, tuple)):
        return value
    return str(value)


def scrub(text: str) -> str:
    """Replace every secret of the run by ``***``."""
    return scrubbing.scrub_text(text)


def configure(*, secrets: list[str], log_file: Path | None = None, to_stderr: bool = True, **context: Any) -> None:
    """Set the handlers once per run; later calls replace them."""
    with _lock:
        _secrets[:] = [s for s in secrets if s]
        scrubbing.use(_secrets)
        _context.clear()
        _context.update(context)
        for handler in list(_logger.handlers):
            _logger.removeHandler(handler)
            handler.close()
        formatter = _JsonFormatter()
        if log_file is not None:
            private.make_dir(log_file.parent)
            private.touch(log_file)
            fh = logging.FileHandler(log_file, encoding="utf-8")
            fh.setFormatter(formatter)
            _logger.addHandler(fh)
        if to_stderr:
            sh = logging.StreamHandler(sys.stderr)
            sh.setFormatter(formatter)
            _logger.addHandler(sh)
        _logger.setLevel(logging.INFO)
        _logger.propagate = False


def event(name: str, level: int = logging.INFO, **fields: Any) -> None:
    _logger.log(level, name, extra={"fields": {"event": name, **fields}})
