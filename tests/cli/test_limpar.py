"""``rpa limpar [--antes AAAA-MM-DD]`` deletes by hand what the bot keeps about clients."""

from __future__ import annotations

import os
import subprocess
import sys
import time


def test_limpar_before_a_day(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env.update(RPA_RUNS_DIR=str(tmp_path / "runs"), RPA_RECORDINGS_DIR=str(tmp_path / "rec"),
               RPA_OUTBOX_DIR=str(tmp_path / "out"))
    old_log = tmp_path / "runs" / "logs" / "velho.jsonl"
    old_log.parent.mkdir(parents=True)
    old_log.write_text("{}")
    past = time.mktime((2026, 1, 10, 12, 0, 0, 0, 0, -1))
    os.utime(old_log, (past, past))
    new_mail = tmp_path / "out" / "novo.eml"
    new_mail.parent.mkdir()
    new_mail.write_text("x")
    result = subprocess.run([sys.executable, "-m", "rpa.cli", "limpar", "--antes", "2026-02-01"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Apagados 1 item(ns)" in result.stderr
    assert not old_log.exists() and new_mail.exists()

    bad = subprocess.run([sys.executable, "-m", "rpa.cli", "limpar", "--antes", "01/02/2026"], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "AAAA-MM-DD" in bad.stderr and "Traceback" not in bad.stderr
