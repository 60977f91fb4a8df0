"""Recordings of a run: per request a Playwright trace, failure screenshots and the flow file.

Layout: ``recordings/<run_id>/<request>/`` with ``trace-<attempt>.zip`` and ``failure-*.png``;
``on-failure`` keeps that folder only for requests that did not end OK, ``always`` keeps all,
``off`` traces nothing. ``recordings/<run_id>/flows/<request>.json`` (the page-object
intentions, for QA replay; no secret in it) is kept for every request in every mode, and
with ``--har`` so is ``recordings/<run_id>/har/<request>-<attempt>.har`` (scrubbed network).
Old runs are deleted after the retention, with the rest of what the bot keeps
(``rpa.runtime.retention``).
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path

from rpa.io.atomic import write_bytes
from rpa.runtime.scrubbing import Scrubber


def request_slug(key: str) -> str:
    """A file name for a request: readable, at most 60 characters, and unique per key (the short
    hash tells apart keys that read the same once folded, such as ``SOL 1``, ``SOL/1``, ``SOL_1``)."""
    digest = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{re.sub(r'[^0-9A-Za-z._-]+', '_', key)[:50]}-{digest}"


class Recorder:
    def __init__(self, root: Path, run_id: str, mode: str) -> None:
        self.mode = mode
        self.root = Path(root)
        self.run_dir = self.root / run_id

    @property
    def tracing(self) -> bool:
        return self.mode != "off"

    def folder(self, key: str) -> Path:
        path = self.run_dir / request_slug(key)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def write_flow(self, key: str, text: str) -> Path:
        """``flows/<request>.json`` in the run folder, whatever the recording mode."""
        path = self.run_dir / "flows" / f"{request_slug(key)}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def har_path(self, key: str, attempt: int) -> Path:
        """``har/<request>-<attempt>.har``: kept, like the flows, whatever the recording mode."""
        return self.run_dir / "har" / f"{request_slug(key)}-{attempt}.har"

    def settle(self, key: str, ok: bool) -> Path | None:
        """Keep or drop a request's folder by the mode; returns the kept folder."""
        path = self.run_dir / request_slug(key)
        if not path.exists():
            return None
        if self.mode == "always" or (self.mode == "on-failure" and not ok):
            return path
        shutil.rmtree(path, ignore_errors=True)
        return None


def scrub_archive(path: Path, scrubber: Scrubber) -> bool:
    """Rewrite a trace zip with every secret out of every member (login is never traced, but a
    page or an error may still echo one); True when something was replaced."""
    path = Path(path)
    if not scrubber or not path.is_file():
        return False
    members = []
    changed = False
    with zipfile.ZipFile(path) as src:
        for info in src.infolist():
            data = src.read(info)
            clean = scrubber.data(data)
            changed = changed or clean != data
            members.append((info, clean))
    if changed:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
            for info, data in members:
                dst.writestr(info, data)
        write_bytes(path, buffer.getvalue(), mode=0o600)
    return changed
