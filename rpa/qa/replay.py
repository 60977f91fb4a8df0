"""``rpa replay run``: re-execute recorded flows with the current code and diff them.

A flow file (``recordings/<run>/flows/<request>.json``, written by the runner for every
request) holds the request's input rows, the page-object steps of the run and the outcome
per row. Replaying one rebuilds the request and its plan from the rows, runs the current
``RequestFlow`` (current rules, current page objects) with a fresh journal and a private
outbox, records the new steps and compares them with the recorded ones (``replay_diff``).

Targets:
- ``fake`` (default): a fresh fake Workfinity + Zendesk (default seed or ``--data``), reset
  before each flow, so every flow starts from the seed it was recorded on. A flow that
  depended on an earlier request of the same run (e.g. the same customer edited twice) is
  replayed without that earlier effect.
- ``config``: the sites of the configuration (a staging environment): real O.S. and tickets
  are created there, and nothing is reset.
- offline (``--offline HAR|DIR``): no site at all; every request of the browser is answered
  from the network recording of ``rpa run --har`` (see ``rpa.qa.har``).

The replay runs with the recorded clock by default (the run's ``processed_at``), so R9
warranty checks and R8 deadlines are decided as on the day of the recording; ``--clock now``
uses today (deadlines are then masked). No retries: a replay shows what one attempt does.
Book e-mails are written to a temporary outbox, never sent.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rpa.errors import FlowUnreadable
from rpa.procedure.requests import Request
from rpa.procedure.rows import Row, RowError
from rpa.qa.diff import Difference, diff_flows, prepare
from rpa.qa.fake_sites import fake_seed, fake_site_settings
from rpa.qa.har import OfflineNetwork, load_entries, site_urls
from rpa.runtime.recording import request_slug
from rpa.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright

    from fakesite.server import FakeSites
    from rpa.runtime.session import Authenticator

TARGETS = ("fake", "config")
CLOCKS = ("recorded", "now")


@dataclass
class RecordedFlow:
    path: Path
    data: dict[str, Any]

    @property
    def key(self) -> str:
        return str(self.data["request"])

    @property
    def steps(self) -> list[dict[str, Any]]:
        return list(self.data.get("steps", []))

    @property
    def results(self) -> dict[str, dict[str, Any]]:
        return {str(n): r for n, r in self.data.get("results", {}).items()}

    def rows(self) -> list[Row]:
        return [Row.model_validate(r) for r in self.data["rows"]]

    def request(self) -> Request:
        """The request as the runner grouped it (valid rows, invalid rows' errors, raw serials)."""
        rows = self.rows()
        errors = {int(n): [RowError(int(n), e.get("column", ""), e.get("message", "")) for e in errs]
                  for n, errs in self.data.get("errors", {}).items()}
        raw = {int(n): s for n, s in self.data.get("raw_serials", {}).items()} or {r.row_number: r.serial for r in rows}
        return Request(key=self.key, rows=rows, errors=errors, raw_serials=raw)

    def compared_rows(self) -> set[str]:
        """Rows whose outcome a replay can reproduce (invalid rows only if their errors were kept)."""
        rows = {str(r["row_number"]) for r in self.data["rows"]}
        if "errors" in self.data:
            rows |= {str(n) for n in self.data["errors"]}
        return rows

    def clock(self) -> dt.datetime | None:
        """When the request was processed (the earliest ``processed_at`` of its rows)."""
        stamps = []
        for r in self.results.values():
            try:
                stamps.append(dt.datetime.fromisoformat(str(r.get("processed_at"))))
            except (TypeError, ValueError):
                continue
        return min(stamps) if stamps else None

    def sites(self) -> dict[str, str]:
        return dict(self.data.get("sites") or {})

    @property
    def slug(self) -> str:
        return self.path.stem


def load_flow(path: Path) -> RecordedFlow:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FlowUnreadable(f"{path}: não é um arquivo de fluxo legível ({exc})") from exc
    if not isinstance(data, dict) or not {"request", "rows", "steps", "results"} <= set(data):
        raise FlowUnreadable(f"{path}: faltam campos de fluxo (request, rows, steps, results)")
    flow = RecordedFlow(path, data)
    try:
        flow.request()
    except Exception as exc:
        raise FlowUnreadable(f"{path}: linhas de entrada inválidas ({exc})") from exc
    return flow


def find_flows(target: Path) -> list[Path]:
    """A flow file, a ``flows/`` folder or a run folder (``recordings/<run>``)."""
    target = Path(target)
    if target.is_file():
        return [target]
    for folder in (target / "flows", target):
        if folder.is_dir():
            found = sorted(folder.glob("*.json"))
            if found:
                return found
    raise FlowUnreadable(f"{target}: nenhum fluxo encontrado (esperado um .json ou uma pasta com flows/*.json)")


def _attempt_of(path: Path) -> int:
    found = re.search(r"-(\d+)\.har$", path.name)
    return int(found.group(1)) if found else 0


def find_hars(source: Path, flow: RecordedFlow) -> list[Path]:
    """The HAR files of a flow's request, attempt 1 first: ``source`` is a .har or a folder
    holding ``<request>-<attempt>.har`` (a run folder: its ``har/``)."""
    source = Path(source)
    if source.is_file():
        return [source]
    for folder in (source / "har", source, flow.path.parent.parent / "har"):
        found = sorted(folder.glob(f"{glob_escape(flow.slug)}-*.har"), key=_attempt_of) if folder.is_dir() else []
        if found:
            return found
    raise FlowUnreadable(f"{flow.path.name}: nenhum HAR de {flow.key} em {source} (grave com rpa run --har)")


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


# -- running ---------------------------------------------------------------------------------


@dataclass
class FlowReport:
    flow: RecordedFlow
    differences: list[Difference] = field(default_factory=list)
    error: str = ""                                   # the replay's own failure, if any
    notes: list[str] = field(default_factory=list)
    replayed_steps: list[dict[str, Any]] = field(default_factory=list)
    replayed_results: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        return not self.differences and not self.error

    def to_json(self) -> dict[str, Any]:
        return {"flow": str(self.flow.path), "request": self.flow.key, "identical": self.identical,
                "differences": [d.to_json() for d in self.differences], "error": self.error, "notes": self.notes}


class Replayer:
    """Replays flows one after the other against one target; owns its browser and fake sites."""

    def __init__(self, settings: Settings, *, against: str = "fake", data: str | Path | dict | None = None,
                 offline: Path | None = None, clock: str = "recorded", workdir: Path | None = None) -> None:
        if against not in TARGETS:
            raise ValueError(f"--against deve ser {' ou '.join(TARGETS)}, recebido {against!r}")
        if clock not in CLOCKS:
            raise ValueError(f"--clock deve ser {' ou '.join(CLOCKS)}, recebido {clock!r}")
        self.settings = settings
        self.against = against
        self.data = data
        self.offline = Path(offline) if offline else None
        self.clock = clock
        self._own_workdir = workdir is None
        self.workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="rpa-replay-"))
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._fake: FakeSites | None = None
        self._config_auth: Authenticator | None = None
        self._count = 0

    # -- lifecycle ----------------------------------------------------------------------------

    def __enter__(self) -> Replayer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for closing in (self._browser and self._browser.close, self._pw and self._pw.stop,
                        self._fake and self._fake.stop):
            if not closing:
                continue
            try:
                closing()
            except Exception:
                pass
        self._browser = self._pw = self._fake = None
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def browser(self) -> Browser:
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            from rpa.runtime.browser import bundled_chromium, launch_kwargs, resolve_browser

            self._pw = sync_playwright().start()
            # As the runner does: this Playwright's own Chromium if downloaded, else the system's.
            choice = resolve_browser(self.settings.browser_path, bundled=bundled_chromium(self._pw))
            self._browser = self._pw.chromium.launch(**launch_kwargs(choice, headless=not self.settings.headed))
        return self._browser

    # -- targets --------------------------------------------------------------------------------

    def _new_context(self, settings: Settings, storage_state: Path | None) -> BrowserContext:
        from rpa.runtime.browser import new_context

        return new_context(self.browser(), settings, storage_state=storage_state)

    def _private(self, settings: Settings, folder: Path, **update: Any) -> Settings:
        """The settings a replay runs with: nothing leaves the temporary folder (no SMTP)."""
        return settings.model_copy(update={"smtp_url": None, "outbox_dir": folder / "outbox", "record": "off",
                                           "runs_dir": folder, "recordings_dir": folder, **update})

    def _fake_target(self, folder: Path) -> tuple[Settings, Callable[[], Any]]:
        from fakesite.server import FakeSites
        from rpa.runtime.session import Authenticator

        if self._fake is None:
            self._fake = FakeSites(fake_seed(self.data)).start()
        self._fake.world.reset()  # every flow starts from the seed
        settings = fake_site_settings(self._fake, self._private(self.settings, folder))
        auth = Authenticator(settings, folder / "state.json")
        auth.refresh(self.browser())
        return settings, lambda: self._new_context(settings, auth.path)

    def _config_target(self, folder: Path) -> tuple[Settings, Callable[[], Any]]:
        from rpa.runtime.session import Authenticator

        settings = self._private(self.settings, folder)
        if self._config_auth is None:
            self._config_auth = Authenticator(settings, self.workdir / "state-config.json")
            self._config_auth.refresh(self.browser())
        auth = self._config_auth
        return settings, lambda: self._new_context(settings, auth.path)

    def _offline_target(self, flow: RecordedFlow, folder: Path) -> tuple[Settings, Callable[[], Any], OfflineNetwork]:
        assert self.offline is not None
        hars = find_hars(self.offline, flow)
        network = OfflineNetwork(hars, folder)
        urls = flow.sites() or site_urls(load_entries(hars))
        if not {"workfinity", "zendesk"} <= set(urls):
            raise FlowUnreadable(f"{flow.path.name}: não foi possível saber os endereços dos sites gravados")
        settings = self._private(self.settings, folder, workfinity_url=urls["workfinity"],
                                 zendesk_url=urls["zendesk"])

        def open_context():
            context = self._new_context(settings, None)
            network.install(context)
            return context

        return settings, open_context, network

    # -- one flow -------------------------------------------------------------------------------

    def replay(self, flow: RecordedFlow) -> FlowReport:
        from rpa.io.catalog_files import rule_config
        from rpa.io.journal import Journal
        from rpa.io.mailer import Mailer
        from rpa.procedure.rules import plan_request
        from rpa.runtime.flowlog import FlowLog
        from rpa.runtime.request_flow import RequestFlow
        from rpa.runtime.row_results import decided_results, system_error_results
        from rpa.runtime.sites import Sites

        self._count += 1
        folder = self.workdir / f"{self._count:03d}-{request_slug(flow.key)}"
        folder.mkdir(parents=True, exist_ok=True)
        report = FlowReport(flow)
        recorded_at = flow.clock()
        frozen = self.clock == "recorded" and recorded_at is not None
        now: Callable[[], dt.datetime]
        if recorded_at is not None and frozen:
            now = lambda: recorded_at  # noqa: E731
        else:
            now = dt.datetime.now
            if self.clock == "recorded":
                report.notes.append("fluxo sem data de processamento: replay com o relógio de agora")

        request = flow.request()
        plan = plan_request(request, rule_config(self.settings))
        log = FlowLog()
        network: OfflineNetwork | None = None
        settings = self._private(self.settings, folder)
        journal = Journal(folder / "journal.sqlite")
        try:
            if not plan.rows:  # every row decided without the sites
                results = decided_results(plan, now().replace(microsecond=0))
            else:
                if self.offline is not None:
                    settings, open_context, network = self._offline_target(flow, folder)
                elif self.against == "config":
                    settings, open_context = self._config_target(folder)
                else:
                    settings, open_context = self._fake_target(folder)
                context = open_context()
                try:
                    # The two sites in turns: a replay's steps come in one fixed order.
                    sites = Sites(context, settings.workfinity_url, settings.zendesk_url, flow=log, overlap=False)
                    results = RequestFlow(request=request, plan=plan, journal=journal, sites=sites,
                                          mailer=Mailer(None, folder / "outbox"), settings=settings, now=now,
                                          lanes=sites.lanes).run()
                finally:
                    try:
                        context.close()
                    except Exception:
                        pass
        except FlowUnreadable:
            raise
        except Exception as exc:  # what the current code does differently shows in the diff
            first_line = (str(exc).strip().splitlines() or [""])[0]
            report.error = f"{type(exc).__name__}: {first_line[:300]}"
            results = system_error_results(plan, where=log.last_call(), attempts=1, error=report.error,
                                           stamp=now().replace(microsecond=0))
        finally:
            journal.close()

        report.replayed_steps = log.steps
        report.replayed_results = {str(n): r.model_dump(mode="json") for n, r in results.items()}
        if network is not None and network.unanswered():
            report.notes.append("requisições sem resposta no HAR: " + ", ".join(network.unanswered()[:10]))
        attempts = {int(s.get("attempt", 1)) for s in flow.steps}
        if len(attempts) > 1:
            report.notes.append(f"gravação com {len(attempts)} tentativas: comparado o fluxo efetivo "
                                "(passos refeitos descartados)")
        rows = flow.compared_rows()
        mask_deadlines = not frozen  # deadlines computed on another day differ by design
        recorded = prepare(flow.steps, flow.results, mask_deadlines=mask_deadlines, rows=rows)
        replayed = prepare(report.replayed_steps, report.replayed_results, mask_deadlines=mask_deadlines, rows=rows)
        report.differences = diff_flows(recorded, replayed)
        return report


def replay_paths(target: Path, settings: Settings, **options: Any) -> list[FlowReport]:
    """Load every flow under ``target`` first (unreadable -> ``FlowUnreadable``), then replay them."""
    flows = [load_flow(p) for p in find_flows(target)]
    with Replayer(settings, **options) as replayer:
        if replayer.offline is not None:  # a missing HAR is known before any browser starts
            from rpa.io.catalog_files import rule_config
            from rpa.procedure.rules import plan_request

            for flow in flows:
                if plan_request(flow.request(), rule_config(settings)).rows:
                    find_hars(replayer.offline, flow)
        return [replayer.replay(flow) for flow in flows]


def iter_lines(reports: list[FlowReport]) -> Iterator[tuple[str, str]]:
    """(style, text) lines of the human report."""
    for r in reports:
        name = f"{r.flow.key} ({r.flow.path.name})"
        if r.identical:
            yield "green", f"✔ {name}: sem diferenças"
        else:
            yield "red", f"✘ {name}: {len(r.differences)} diferença(s)"
            for d in r.differences:
                yield "", f"    {d}"
        if r.error:
            yield "yellow", f"    replay falhou: {r.error}"
        for note in r.notes:
            yield "dim", f"    nota: {note}"
    changed = sum(1 for r in reports if not r.identical)
    yield ("red" if changed else "green"), (
        f"Resumo: {changed} de {len(reports)} fluxo(s) com diferenças." if changed
        else f"Resumo: {len(reports)} fluxo(s) idênticos à gravação.")
