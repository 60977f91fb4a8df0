"""Files and folders private to the bot's user: they hold clients' personal data (LGPD).

``restrict_umask`` at the start of a run makes everything created afterwards private (files
0600, folders 0700), Playwright's traces and HARs and SQLite's side files included;
``make_dir`` and ``touch`` also fix the bits of what already existed.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
UMASK = 0o077


def restrict_umask() -> int:
    """Make every file and folder the process creates from now on private; returns the old umask."""
    return os.umask(UMASK)


def make_dir(path: Path) -> Path:
    """``path`` (and missing parents) as a folder only its owner can open."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    with contextlib.suppress(PermissionError):
        os.chmod(path, DIR_MODE)
    return path


def touch(path: Path) -> Path:
    """``path`` as an existing file only its owner can read (its content kept)."""
    path = Path(path)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE))
    with contextlib.suppress(PermissionError):
        os.chmod(path, FILE_MODE)
    return path


def restrict_tree(root: Path) -> None:
    """Folders 0700 and files 0600 under ``root`` (what an older version left readable)."""
    root = Path(root)
    if not root.is_dir():
        return
    for folder, _dirs, files in os.walk(root):
        with contextlib.suppress(OSError):
            os.chmod(folder, DIR_MODE)
        for name in files:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(folder, name), FILE_MODE)
