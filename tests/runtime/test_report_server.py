"""``rpa relatorio``: the report and the bundled trace viewer served on 127.0.0.1, offline.

Here rather than in tests/cli: pytest-playwright's session Playwright, once started in a worker,
owns its main thread's loop, and the e2e bot runs (collected before this folder) need it free."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from rpa.io.report import render
from rpa.runtime.report_server import ReportServer
from tests.io.report_data import FAILED_KEY, every_outcome_run, scrub

pytestmark = pytest.mark.e2e


@pytest.fixture()
def run_dir(tmp_path: Path, browser: Browser) -> Path:
    folder = tmp_path / "recordings" / "20261203-020000-1"
    render(every_outcome_run(folder, browser), folder / "relatorio.html", scrub=scrub)
    (tmp_path / "segredo.txt").write_text("fora da execução")
    (folder / "atalho").symlink_to(tmp_path / "segredo.txt")
    return folder


@pytest.fixture()
def served(run_dir: Path):
    """``rpa relatorio RUN_DIR`` as the operator starts it; yields the URL it prints."""
    proc = subprocess.Popen([sys.executable, "-m", "rpa.cli", "relatorio", str(run_dir)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=run_dir.parent.parent)
    try:
        assert proc.stdout is not None
        yield proc, proc.stdout.readline().strip()
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=15)


def open_trace(page: Page, url: str) -> Page:
    page.goto(url)
    item = page.locator(f"tbody.item[data-solicitacao='{FAILED_KEY}']")
    item.locator("tr.req").click()
    with page.context.expect_page() as opened:
        item.locator("a.trace").click()
    return opened.value


class TestServe:
    def test_prints_the_url_and_a_trace_opens_in_the_served_viewer(self, served, page: Page):
        proc, url = served
        assert url.startswith("http://127.0.0.1:") and url.endswith("/files/relatorio.html")
        viewer = open_trace(page, url)
        origin = url.removesuffix("/files/relatorio.html")
        assert viewer.url.startswith(origin + "/trace/index.html?trace=")
        # The viewer lists the request's recorded actions: the click on the save button.
        expect(viewer.get_by_text('locator("#salvar-os")').first).to_be_visible(timeout=30_000)
        expect(viewer.locator("#precisa-de-voce")).to_have_count(0)

    def test_ctrl_c_stops_it(self, served):
        proc, url = served
        assert httpx.get(url).status_code == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
        with pytest.raises(httpx.ConnectError):
            httpx.get(url)

    def test_only_the_run_folder_is_served(self, run_dir: Path):
        with ReportServer(run_dir) as server:
            origin = server.origin
            assert httpx.get(f"{origin}/files/relatorio.html").status_code == 200
            assert httpx.get(server.trace_url(run_dir / "ticket_41009" / "trace-1.zip")).status_code == 200
            for path in ("/files/../segredo.txt", "/files/%2e%2e/segredo.txt", "/files/..%2fsegredo.txt",
                         "/files/atalho", "/trace/../../../../etc/passwd"):
                response = httpx.get(origin + path)
                assert response.status_code == 404, path
                assert "fora da execução" not in response.text
            assert httpx.get(origin + "/").headers.get("location") == "/files/relatorio.html"


class TestLatest:
    def test_ultimo_serves_the_newest_run(self, run_dir: Path, tmp_path: Path):
        older = tmp_path / "recordings" / "20261201-020000-1"
        older.mkdir()
        (older / "relatorio.html").write_text("<p>antiga</p>")
        os.utime(older / "relatorio.html", (1, 1))
        env = {**os.environ, "RPA_RECORDINGS_DIR": str(tmp_path / "recordings")}
        proc = subprocess.Popen([sys.executable, "-m", "rpa.cli", "relatorio", "--ultimo"], stdout=subprocess.PIPE,
                                text=True, env=env, cwd=tmp_path)
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().strip()
            assert "Precisa de você" in httpx.get(url).text
        finally:
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=15) == 0

    def test_a_folder_without_report_is_refused_in_portuguese(self, tmp_path: Path):
        done = subprocess.run([sys.executable, "-m", "rpa.cli", "relatorio", str(tmp_path)], capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 2
        assert "não tem relatorio.html" in " ".join(done.stderr.split())  # rich wraps long paths
