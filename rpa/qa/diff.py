"""Comparing two flows of one request: the recorded one and its replay (no browser here).

A flow is the list of page-object steps (``po``, ``call``, ``args``, ``kwargs``, ``result``,
``error``) plus the outcome per row. Before comparing, each side is reduced to its
*effective* flow and its generated values are masked:

- effective: steps of an attempt that failed and was redone are dropped, except those up to
  the attempt's last successful commit (an O.S. saved, a ticket submitted), which the next
  attempt did not repeat; failed steps of redone attempts are dropped too.
- masked: O.S. numbers the bot created (``workfinity.form.save``), tickets it created (the
  ``submit_as`` after ``open_new_ticket``) and the same values in results become ``<O.S.#1>``,
  ``<ticket#1>``... in order of appearance, wherever they appear (arguments, texts, results);
  ``processed_at`` becomes ``<data-hora>``; timings and attempt numbers are left out.
  Deadlines are masked only when the two sides ran with different clocks.

Steps are aligned by ``po.call`` (difflib); aligned steps are compared leaf by leaf
(``result.address.numero``), the rest is reported as a step only one side has.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

COMMIT_CALLS = {("workfinity.form", "save"), ("zendesk.ticket", "submit_as")}
RESULT_FIELDS = ("status", "os_number", "ticket", "ticket_status", "message", "deadline", "processed_at")
STEP_FIELDS = ("args", "kwargs", "result", "error")
MISSING = "<ausente>"
TIMESTAMP = "<data-hora>"
DEADLINE = "<prazo>"


@dataclass
class Difference:
    """One field that differs between the recording and the replay."""

    where: str               # "passo 3 workfinity.form.pick_customer" | "linha 4"
    name: str                # "workfinity.form.pick_customer" | "linha 4"
    field: str               # "result.address.numero" | "status" | "" (a whole step)
    recorded: Any
    replayed: Any
    kind: str = "changed"    # changed | only-recorded | only-replayed

    @property
    def path(self) -> str:
        """What differs, position left out: ``workfinity.form.pick_customer → result.address.numero``."""
        return f"{self.name} → {self.field}" if self.field else self.name

    def __str__(self) -> str:
        if self.kind == "only-recorded":
            return f"{self.where}: só na gravação ({_short(self.recorded)})"
        if self.kind == "only-replayed":
            return f"{self.where}: só no replay ({_short(self.replayed)})"
        return f"{self.where} → {self.field}: {_short(self.recorded)} → {_short(self.replayed)}"

    def to_json(self) -> dict[str, Any]:
        return {"where": self.where, "path": self.path, "field": self.field, "kind": self.kind,
                "recorded": self.recorded, "replayed": self.replayed}


def _short(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- effective flow --------------------------------------------------------------------------


def effective_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps a clean single attempt would have made (see the module docstring)."""
    attempts = sorted({int(s.get("attempt", 1)) for s in steps}) or [1]
    out: list[dict[str, Any]] = []
    for attempt in attempts:
        mine = [s for s in steps if int(s.get("attempt", 1)) == attempt]
        if attempt != attempts[-1]:
            ok = [s for s in mine if "error" not in s]
            commits = [i for i, s in enumerate(ok) if (s.get("po"), s.get("call")) in COMMIT_CALLS]
            mine = ok[: commits[-1] + 1] if commits else []
        out += mine
    return out


# -- masking ---------------------------------------------------------------------------------


def generated_values(steps: list[dict[str, Any]], results: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Value -> placeholder for what the bot made the sites generate, in order of appearance."""
    found: dict[str, str] = {}
    counts = {"O.S.": 0, "ticket": 0}

    def add(kind: str, value: Any) -> None:
        text = str(value).strip() if value is not None else ""
        if text and text not in found:
            counts[kind] += 1
            found[text] = f"<{kind}#{counts[kind]}>"

    new_ticket = False
    for step in steps:
        key = (step.get("po"), step.get("call"))
        if key == ("zendesk.ticket", "open_new_ticket"):
            new_ticket = True
        elif key == ("zendesk.ticket", "submit_as") and new_ticket and "result" in step:
            add("ticket", step["result"])
            new_ticket = False
        elif key == ("workfinity.form", "save") and "result" in step:
            add("O.S.", step["result"])
    for number in sorted(results, key=lambda n: int(n)):
        add("O.S.", results[number].get("os_number"))
        add("ticket", results[number].get("ticket"))
    return found


def _date_forms(value: Any) -> list[str]:
    """ISO and dd/mm/yyyy spellings of a date value (as found in results and texts)."""
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return []
    return [day.isoformat(), f"{day:%d/%m/%Y}"]


class Masker:
    def __init__(self, tokens: dict[str, str]) -> None:
        self.tokens = tokens
        alternatives = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<![0-9A-Za-z])({alternatives})(?![0-9A-Za-z])") if tokens else None

    def __call__(self, value: Any) -> Any:
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int) and str(value) in self.tokens:
            return self.tokens[str(value)]
        if isinstance(value, str) and self.pattern is not None:
            return self.pattern.sub(lambda m: self.tokens[m.group(1)], value)
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        return value


@dataclass
class FlowView:
    """One side of the comparison, effective and masked."""

    steps: list[dict[str, Any]]
    results: dict[str, dict[str, Any]]


def prepare(steps: list[dict[str, Any]], results: dict[str, Any], *, mask_deadlines: bool = False,
            rows: set[str] | None = None) -> FlowView:
    """Effective steps and results (only ``rows`` when given), generated values masked."""
    # Per site, in order: the two sites' steps interleave differently from run to run when
    # they are driven at once (rpa.runtime.lanes); each site's own order is what matters.
    kept = sorted(effective_steps(steps), key=lambda s: str(s.get("po", "")).partition(".")[0] != "workfinity")
    res = {str(n): dict(r) for n, r in results.items() if rows is None or str(n) in rows}
    tokens = generated_values(kept, res)
    if mask_deadlines:
        for r in res.values():
            for form in _date_forms(r.get("deadline")) if r.get("deadline") else []:
                tokens.setdefault(form, DEADLINE)
    mask = Masker(tokens)
    view_steps = [{"po": s.get("po"), "call": s.get("call"),
                   **{f: mask(s[f]) for f in STEP_FIELDS if f in s}} for s in kept]
    view_results = {}
    for n, r in res.items():
        row = {f: mask(r.get(f)) for f in RESULT_FIELDS}
        if row.get("processed_at"):
            row["processed_at"] = TIMESTAMP
        view_results[n] = row
    return FlowView(view_steps, view_results)


# -- comparing -------------------------------------------------------------------------------


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves by path: ``{"result.address.numero": "1000", "args[0]": "x"}``."""
    if isinstance(value, dict):
        if not value:
            return {prefix: {}} if prefix else {}
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list):
        if not value:
            return {prefix: []}
        out = {}
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{i}]"))
        return out
    return {prefix: value}


def _leaf_diffs(where: str, name: str, a: dict[str, Any], b: dict[str, Any]) -> list[Difference]:
    fa, fb = flatten(a), flatten(b)
    keys = list(dict.fromkeys([*fa, *fb]))
    return [Difference(where, name, k, fa.get(k, MISSING), fb.get(k, MISSING))
            for k in keys if fa.get(k, MISSING) != fb.get(k, MISSING)]


def _step_name(step: dict[str, Any]) -> str:
    return f"{step['po']}.{step['call']}"


def _step_summary(step: dict[str, Any]) -> str:
    args = [repr(a) for a in step.get("args", [])] + [f"{k}={v!r}" for k, v in step.get("kwargs", {}).items()]
    text = f"{_step_name(step)}({', '.join(args)})"
    return text if len(text) <= 140 else text[:139] + "…"


def diff_flows(recorded: FlowView, replayed: FlowView) -> list[Difference]:
    """Every difference, steps first (in flow order), then the outcome of each row."""
    out: list[Difference] = []
    a_names = [_step_name(s) for s in recorded.steps]
    b_names = [_step_name(s) for s in replayed.steps]
    matcher = difflib.SequenceMatcher(None, a_names, b_names, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                step_a, step_b = recorded.steps[i], replayed.steps[j]
                fields_a = {f: step_a[f] for f in STEP_FIELDS if f in step_a}
                fields_b = {f: step_b[f] for f in STEP_FIELDS if f in step_b}
                out += _leaf_diffs(f"passo {i + 1} {a_names[i]}", a_names[i], fields_a, fields_b)
            continue
        for i in range(i1, i2):
            s = recorded.steps[i]
            out.append(Difference(f"passo {i + 1} {a_names[i]}", a_names[i], "", _step_summary(s), MISSING,
                                  "only-recorded"))
        for j in range(j1, j2):
            s = replayed.steps[j]
            out.append(Difference(f"passo {j + 1} (replay) {b_names[j]}", b_names[j], "", MISSING,
                                  _step_summary(s), "only-replayed"))
    rows = sorted(set(recorded.results) | set(replayed.results), key=int)
    for n in rows:
        a, b = recorded.results.get(n), replayed.results.get(n)
        name = f"linha {n}"
        if a is None or b is None:
            out.append(Difference(name, name, "", a or MISSING, b or MISSING,
                                  "only-replayed" if a is None else "only-recorded"))
            continue
        out += _leaf_diffs(name, name, a, b)
    return out
