"""The run report: one self-contained HTML file (opens offline), pt-BR for the operator."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from pathlib import Path

from rpa.io.run_summary import RunSummary
from rpa.outcomes import Outcome

# How the operator opens a recorded trace (printed next to each trace, and by ``rpa demo``).
SHOW_TRACE = "playwright show-trace --host 127.0.0.1 --port 0 {path}"
OTHER_COLOR = "#555"  # a code that is no outcome

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%;margin-top:1rem}
th,td{border:1px solid #ccc;padding:.35rem .5rem;vertical-align:top;font-size:.9rem;text-align:left}
th{background:#f1f1f1}.badge{color:#fff;border-radius:.3rem;padding:.1rem .4rem;font-size:.8rem}
.totals span{display:inline-block;margin-right:1rem}code{font-size:.8rem;background:#f6f6f6}
img{max-width:480px;border:1px solid #999;margin:.3rem 0;display:block}
"""


def _badge(code: str) -> str:
    outcome = Outcome.parse(code)
    color = outcome.color if outcome else OTHER_COLOR
    return f'<span class="badge" style="background:{color}">{html.escape(code)}</span>'


def _label(code: str) -> str:
    outcome = Outcome.parse(code)
    return outcome.label if outcome else code


def _as_is(text: str) -> str:
    return text


def _inline_image(path: str) -> str:
    try:
        data = base64.b64encode(Path(path).read_bytes()).decode()
    except OSError:
        return ""
    return f'<img alt="{html.escape(Path(path).name)}" src="data:image/png;base64,{data}">'


def _removed_rows(summary: RunSummary) -> str:
    """Rows processed in an earlier run and since deleted from the spreadsheet: their results."""
    if not summary.removed:
        return ""
    rows = "".join(
        f"<tr><td>{html.escape(Path(r.file).name)}</td><td>{r.row}</td><td>{html.escape(r.identity)}</td>"
        f"<td>{_badge(r.status)}</td><td>{html.escape(r.os_number)}</td><td>{html.escape(r.ticket)}</td></tr>"
        for r in summary.removed)
    return ("<h2>Linhas removidas da planilha</h2><p>Estas linhas foram processadas antes e não estão mais na "
            "planilha; o resultado continua registrado no diário da execução.</p><table><thead><tr><th>Planilha</th>"
            "<th>Linha (quando processada)</th><th>Solicitação | Série</th><th>Resultado</th><th>Nº O.S.</th>"
            f"<th>Ticket</th></tr></thead><tbody>{rows}</tbody></table>\n")


def render(summary: RunSummary, path: Path, scrub: Callable[[str], str] = _as_is) -> Path:
    """Write the report of ``summary`` to ``path``, every text through ``scrub``."""
    rows = []
    for rec in sorted(summary.records, key=lambda r: (r.file, r.rows[:1])):
        traces = sorted(Path(rec.recording).glob("trace-*.zip")) if rec.recording else []
        links = "".join(
            f'<div><a href="{html.escape(t.resolve().as_uri())}">{html.escape(t.name)}</a><br>'
            f'<code>{html.escape(SHOW_TRACE.format(path=t.resolve()))}</code></div>' for t in traces)
        shots = "".join(_inline_image(s) for s in rec.screenshots)
        rows.append(
            f"<tr><td>{html.escape(Path(rec.file).name)}</td><td>{html.escape(rec.key)}</td>"
            f"<td>{', '.join(map(str, rec.rows))}</td><td>{_badge(rec.outcome)}</td>"
            f"<td>{html.escape(rec.message)}</td><td>{rec.seconds:.1f} s ({rec.attempts} tent.)</td>"
            f"<td>{links}{shots}</td></tr>")
    totals = "".join(f"<span>{_badge(code)} {_label(code)}: <b>{n}</b></span>"
                     for code, n in sorted(summary.counts.items()))
    stopped = summary.stopped.note if summary.stopped else ""
    outputs = "".join(f"<li>{html.escape(str(p))}</li>" for p in summary.outputs)
    removed = _removed_rows(summary)
    doc = f"""<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">
<title>Relatório RPA {html.escape(summary.run_id)}</title><style>{STYLE}</style></head><body>
<h1>Relatório da execução {html.escape(summary.run_id)}</h1>
<p>Duração: {summary.seconds:.0f} s. {html.escape(stopped)}</p>
<div class="totals">{totals or "Nenhuma solicitação processada nesta execução."}</div>
<p>Planilhas atualizadas:</p><ul>{outputs}</ul>
<table><thead><tr><th>Planilha</th><th>Solicitação</th><th>Linhas</th><th>Resultado</th><th>Mensagem</th>
<th>Duração</th><th>Gravação</th></tr></thead><tbody>{''.join(rows)}</tbody></table>
{removed}</body></html>"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scrub(doc), encoding="utf-8")
    return path
