"""Atomic file writes: readers see the old file or the new one, never half of either.

The bytes go to a temporary file in the target's folder, are flushed to disk, and the
temporary file is renamed over the target. A kill -9 at any moment leaves the old file or
the new one (and at worst a stray ``.<name>.*`` temporary file).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def replace_with(target: Path, write: Callable[[Path], None], *, mode: int | None = None) -> None:
    """``write(tmp_path)`` then rename over ``target``.

    ``mode``: the new file's permissions; ``None`` keeps the target's (or the default)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp_path, mode)
        elif target.exists():
            try:
                shutil.copymode(target, tmp_path)
            except OSError:
                pass
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_bytes(target: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``target`` atomically."""

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    replace_with(target, write, mode=mode)
