"""The run report: one self-contained HTML file (opens offline), pt-BR for the operator.

Rendered from ``templates/report.html.j2`` (Jinja2, autoescape). First what needs a person
(``id="precisa-de-voce"``), grouped by ``Outcome.action``; then the totals and the run's facts;
then every request with filters, search, sorting and its steps (from its flow file), failure
screenshots inline and traces. Every value goes through ``scrub`` before it is escaped (Jinja2's
``finalize``), then the whole page does.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from rpa.io.run_summary import RequestRecord, RowFacts, RunSummary
from rpa.outcomes import NEEDS_PERSON, Outcome

# How the operator opens the traces: the report served with the bundled viewer.
SERVE_COMMAND = "rpa relatorio {path}"
OTHER_COLOR = "#555"  # a code that is no outcome
TEMPLATES = Path(__file__).with_name("templates")


def _as_is(text: str) -> str:
    return text


@dataclass
class Step:
    attempt: int
    name: str
    args: str
    seconds: float | None
    error: str


@dataclass
class RequestView:
    record: RequestRecord
    rows: list[RowFacts]
    steps: list[Step] = field(default_factory=list)
    screenshots: list[tuple[str, str]] = field(default_factory=list)  # (name, data URI)
    traces: list[tuple[str, str]] = field(default_factory=list)       # (name, href relative to the report)

    @property
    def search(self) -> str:
        """What the search box matches: rows, key, CNPJ (as typed and digits), client, tickets, O.S."""
        parts = [self.record.key, " ".join(f"linha {r.row}" for r in self.rows)]
        for r in self.rows:
            parts += [r.cnpj, "".join(c for c in r.cnpj if c.isalnum()), r.client, r.ticket, r.os_number]
        return " ".join(p for p in parts if p).lower()

    @property
    def failed_at(self) -> str:
        """The last failing step, where a request stopped ("" when none failed)."""
        return next((s.name for s in reversed(self.steps) if s.error), "")


@dataclass
class NeedItem:
    """Rows of one file with the same outcome, message and place of failure (a request's rows)."""

    file: str
    rows: list[int]
    first: RowFacts
    failed_at: str = ""

    @property
    def what(self) -> str:
        """The row messages already name row, column and what to fix (``RowError``)."""
        return "; ".join(m for _, m in self.first.problems) or self.first.message


def _flows(run_dir: Path) -> dict[str, dict[str, Any]]:
    """The run's flow files by request key (an unreadable one is left out, not fatal)."""
    found = {}
    for path in sorted((run_dir / "flows").glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict) and "request" in doc:
            found[str(doc["request"])] = doc
    return found


def _steps(doc: dict[str, Any] | None) -> list[Step]:
    steps = []
    for s in (doc or {}).get("steps", []):
        args = ", ".join(json.dumps(a, ensure_ascii=False) for a in s.get("args", []))
        steps.append(Step(int(s.get("attempt", 1)), f"{s.get('po', '?')}.{s.get('call', '?')}",
                          args if len(args) <= 120 else args[:117] + "…", s.get("seconds"), s.get("error") or ""))
    return steps


def _data_uri(path: str) -> str:
    try:
        return "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode()
    except OSError:
        return ""


def _traces(record: RequestRecord, run_dir: Path) -> list[tuple[str, str]]:
    if not record.recording:
        return []
    found = []
    for trace in sorted(Path(record.recording).glob("trace-*.zip")):
        try:
            href = trace.resolve().relative_to(run_dir.resolve()).as_posix()
        except ValueError:  # recorded outside the run folder: only a local link works
            href = trace.resolve().as_uri()
        found.append((trace.name, href))
    return found


def _fallback_rows(record: RequestRecord) -> list[RowFacts]:
    """A record without row details (an older runner): every row gets the request's outcome."""
    return [RowFacts(n, record.outcome, record.message) for n in record.rows]


def request_views(summary: RunSummary, run_dir: Path) -> list[RequestView]:
    flows = _flows(run_dir)
    views = []
    for rec in sorted(summary.records, key=lambda r: (r.file, r.rows[:1])):
        view = RequestView(rec, rec.rows_detail or _fallback_rows(rec), _steps(flows.get(rec.key)),
                           traces=_traces(rec, run_dir))
        view.screenshots = [(Path(s).name, uri) for s in rec.screenshots if (uri := _data_uri(s))]
        views.append(view)
    return views


def needs_person(views: list[RequestView]) -> list[tuple[Outcome, list[NeedItem]]]:
    """The rows that need a person, grouped by what to do, in ``NEEDS_PERSON`` order."""
    groups: dict[Outcome, dict[tuple, NeedItem]] = {o: {} for o in NEEDS_PERSON}
    for view in views:
        name = Path(view.record.file).name
        for row in view.rows:
            if not row.outcome.needs_person:
                continue
            same = (name, row.message, tuple(row.problems), row.deadline, row.client, view.failed_at)
            item = groups[row.outcome].setdefault(same, NeedItem(name, [], row, view.failed_at))
            item.rows.append(row.row)
    return [(o, sorted(items.values(), key=lambda i: (i.file, i.rows))) for o, items in groups.items() if items]


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def _environment(scrub: Callable[[str], str]) -> jinja2.Environment:
    def finalize(value: Any) -> Any:
        # Before autoescape: the secret is matched as the bot knows it, not as HTML spells it.
        return scrub(value) if isinstance(value, str) and not isinstance(value, Markup) else value

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, finalize=finalize,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["duration"] = _duration
    env.filters["outcome"] = Outcome.parse
    return env


def render(summary: RunSummary, path: Path, scrub: Callable[[str], str] = _as_is) -> Path:
    """Write the report of ``summary`` to ``path``, every text through ``scrub``."""
    run_dir = path.parent
    views = request_views(summary, run_dir)
    counts = sorted(summary.counts.items(), key=lambda kv: list(Outcome).index(o) if (o := Outcome.parse(kv[0]))
                    else len(Outcome))
    doc = _environment(scrub).get_template("report.html.j2").render(
        summary=summary, views=views, needs=needs_person(views), counts=counts, other_color=OTHER_COLOR,
        files=sorted({Path(v.record.file).name for v in views}), outcomes=list(Outcome),
        serve_command=SERVE_COMMAND.format(path=run_dir))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scrub(doc), encoding="utf-8")  # and the whole page: a safety net for encoded forms
    return path
