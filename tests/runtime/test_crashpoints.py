"""Crash points kill the process at the nth time a named point is reached, once armed."""

from __future__ import annotations

import signal
import subprocess
import sys

SCRIPT = """
from rpa.runtime import crashpoints
crashpoints.reach("after:x")            # not armed yet: nothing happens
crashpoints.arm({spec!r})
crashpoints.reach("after:y")            # another point
crashpoints.reach("after:x")
print("first", flush=True)
crashpoints.reach("after:x")
print("second", flush=True)
"""


def run(spec: str | None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT.format(spec=spec)], capture_output=True, text=True,
                          timeout=60)


class TestCrashPoints:
    def test_the_nth_time_kills(self):
        result = run("after:x#2")
        assert result.returncode == -signal.SIGKILL
        assert result.stdout.split() == ["first"]

    def test_disarmed_never_kills(self):
        result = run(None)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["first", "second"]
