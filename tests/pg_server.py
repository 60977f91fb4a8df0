"""A real PostgreSQL server in a temporary folder for the tests (Debian's binaries): initdb,
then pg_ctl on a free port with its unix socket in the same folder. PostgreSQL refuses to run
as root, so as root the server runs as ``nobody`` (``runuser``)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg


def pg_bin() -> Path | None:
    """The folder of initdb/pg_ctl: on PATH, else Debian's newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    def __init__(self, root: Path | None = None) -> None:
        # Under /tmp itself: pytest's own temporary folders are root's alone (0700), and the
        # server's user must reach its folder.
        binary = pg_bin()
        if binary is None:
            raise RuntimeError("PostgreSQL não encontrado: rode scripts/setup.sh (instala o pacote postgresql)")
        self.bin = binary
        self.root = root or Path(tempfile.mkdtemp(prefix="rpa-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = "rpa_test"
        self.password = "pg-" + uuid.uuid4().hex[:12]

    def _as_owner(self, *cmd: str) -> list[str]:
        return ["runuser", "-u", "nobody", "--", *cmd] if os.geteuid() == 0 else list(cmd)

    def start(self) -> PgServer:
        self.root.mkdir(parents=True, exist_ok=True)
        pwfile = self.root / "pw"
        pwfile.write_text(self.password)
        if os.geteuid() == 0:
            shutil.chown(self.root, "nobody")
            shutil.chown(pwfile, "nobody")
        subprocess.run(self._as_owner(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user,
                                      "--pwfile", str(pwfile), "-A", "scram-sha-256", "-E", "UTF8",
                                      "--no-sync"), check=True, capture_output=True)
        opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c full_page_writes=off -c max_connections=200")
        subprocess.run(self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts,
                                      "-l", str(self.root / "log"), "-w", "start"), check=True, capture_output=True)
        return self

    def stop(self) -> None:
        subprocess.run(self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"),
                       capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh empty database (one per test): its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}".encode())
        return self.url(name)
