"""The practice board and the weekly digest as text, Markdown, JSON and a self-contained HTML page.

The output formats of :mod:`coachflow.output` call these (``--format`` of
``clients board`` and ``digest`` comes from there).

The HTML pages hold everything they show: no script, nothing fetched, so a
coach can keep or send one as it is.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Iterable

from coachflow.practice import BoardRow, Digest, digest_lines
from coachflow.wording import human_date, human_datetime, short_date

_STYLE = """
body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2933; margin: 2rem auto;
       max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } p.meta { color: #52606d; margin-top: 0; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .45rem .6rem;
        border-bottom: 1px solid #d9e2ec; vertical-align: top; }
th { background: #f0f4f8; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.needs td:first-child { border-left: 4px solid #c05621; } .ok { color: #2f855a; }
ul { padding-left: 1.2rem; } li { margin: .2rem 0; } .note { background: #fffbea; border-left: 4px solid #d69e2e;
       padding: .6rem .9rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
td ul { margin: 0; }
@media (max-width: 40rem) {
  body { font-size: 15px; margin: 1rem auto; } thead { display: none; }
  tr { display: block; border-bottom: 1px solid #d9e2ec; padding: .4rem 0; }
  td { display: block; border: 0; padding: .15rem .5rem; } td.num { text-align: left; }
  td[data-label]::before { content: attr(data-label) ": "; color: #52606d; }
}
@media print { body { margin: 0; max-width: none; } tr { break-inside: avoid; } }
"""


def _date(day: dt.date | None) -> str:
    return human_date(day) if day is not None else "never"


def _attention(row: BoardRow) -> str:
    return "; ".join(row.attention) if row.attention else "nothing pressing"


def board_to_text(rows: list[BoardRow], now: dt.datetime) -> str:
    """The board for a terminal: one block per client, who needs attention first."""
    lines = [f"Your practice on {human_date(now.date())}: {len(rows)} client{'s' if len(rows) != 1 else ''}, "
             f"{sum(1 for row in rows if row.attention)} needing attention", ""]
    if not rows:
        lines.append("No clients to show. Add one with: coachflow client add NAME")
    for row in rows:
        lines.append(f"{row.name} ({row.client})" + ("" if row.attention else "  - nothing pressing"))
        for reason in row.attention:
            lines.append(f"  ! {reason}")
        lines.append(f"  last activity {_date(row.last_activity)}; {row.open_applications} of {row.target} open; "
                     f"{row.rejections_this_week} no{'es' if row.rejections_this_week != 1 else ''} this week; "
                     f"{row.overdue} overdue")
        if row.themes:
            lines.append(f"  themes: {', '.join(row.themes)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _cell(text: str) -> str:
    """A Markdown table cell: pipes escaped, one line."""
    return " ".join(text.split()).replace("|", "\\|")


def board_to_markdown(rows: list[BoardRow], now: dt.datetime) -> str:
    """The board as a Markdown table."""
    lines = [f"# Practice board, {human_date(now.date())}", "",
             "| client | needs attention | last activity | open / target | noes (7 days) | overdue | themes |",
             "| --- | --- | --- | ---: | ---: | ---: | --- |"]
    for row in rows:
        lines.append(f"| {_cell(row.name)} | {_cell(_attention(row))} | {_date(row.last_activity)} | "
                     f"{row.open_applications} / {row.target} | {row.rejections_this_week} | {row.overdue} | "
                     f"{_cell(', '.join(row.themes)) or '-'} |")
    return "\n".join(lines) + "\n"


def board_to_json(rows: list[BoardRow], now: dt.datetime) -> str:
    """The board for programs."""
    return json.dumps({
        "date": now.date().isoformat(),
        "clients": [
            {"client": row.client, "name": row.name,
             "last_activity": row.last_activity.isoformat() if row.last_activity else None,
             "open_applications": row.open_applications, "target": row.target,
             "rejections_this_week": row.rejections_this_week, "overdue": row.overdue, "themes": list(row.themes),
             "attention": list(row.attention), "urgency": row.urgency}
            for row in rows
        ],
    }, indent=2, ensure_ascii=False) + "\n"


def _page(title: str, body: Iterable[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def board_to_html(rows: list[BoardRow], now: dt.datetime) -> str:
    """The board as one self-contained page."""
    needing = sum(1 for row in rows if row.attention)
    body = [f"<h1>Practice board</h1>",
            f"<p class=\"meta\">{html.escape(human_date(now.date()))}: {len(rows)} clients, {needing} needing attention</p>",
            "<table>", "<thead><tr><th scope=\"col\">Client</th><th scope=\"col\">Needs attention</th>"
            "<th scope=\"col\">Last activity</th><th scope=\"col\">Open / target</th>"
            "<th scope=\"col\">Noes (7 days)</th><th scope=\"col\">Overdue</th><th scope=\"col\">Themes</th></tr></thead>",
            "<tbody>"]
    for row in rows:
        reasons = ("<ul>" + "".join(f"<li>{html.escape(reason)}</li>" for reason in row.attention) + "</ul>"
                   if row.attention else "<span class=\"ok\">nothing pressing</span>")
        body.append(
            f"<tr class=\"{'needs' if row.attention else 'fine'}\"><td><strong>{html.escape(row.name)}</strong></td>"
            f"<td>{reasons}</td><td data-label=\"Last activity\">{html.escape(_date(row.last_activity))}</td>"
            f"<td class=\"num\" data-label=\"Open / target\">{row.open_applications} / {row.target}</td>"
            f"<td class=\"num\" data-label=\"Noes (7 days)\">{row.rejections_this_week}</td>"
            f"<td class=\"num\" data-label=\"Overdue\">{row.overdue}</td>"
            f"<td data-label=\"Themes\">{html.escape(', '.join(row.themes)) or '-'}</td></tr>")
    body += ["</tbody>", "</table>"]
    return _page("Practice board", body)


def digest_to_text(digest: Digest) -> str:
    """The digest for a terminal."""
    return "\n".join(digest_lines(digest)) + "\n"


def _md_line(text: str) -> str:
    """A line of Markdown that cannot start a list, heading or quote by accident."""
    stripped = text.lstrip()
    if stripped[:1] in "-+*#>=|" or stripped[:1].isdigit():
        return "\\" + stripped
    return stripped


def digest_to_markdown(digest: Digest) -> str:
    """The digest for an email or notes."""
    lines = [f"# {digest.name}: the week of {human_date(digest.week_start)} to {human_date(digest.week_end)}", ""]
    if digest.notes:
        lines += [f"**From {digest.coach or 'your coach'}:**", ""] + [f"> {_md_line(note)}" for note in digest.notes]
        lines.append("")
    lines += ["## This week", ""]
    lines += [f"- {short_date(item.date)}: {_md_line(item.text)}" for item in digest.happened] or ["Nothing recorded this week."]
    if digest.themes:
        lines += ["", "## Themes that keep coming up", "", ", ".join(digest.themes)]
    lines += ["", "## Due next week", ""]
    lines += [f"- {human_datetime(due)}: {_md_line(title)}" for due, title in digest.due_next_week] or ["Nothing scheduled."]
    return "\n".join(lines) + "\n"


def digest_to_html(digest: Digest) -> str:
    """The digest as one self-contained page."""
    title = f"{digest.name}: the week of {human_date(digest.week_start)}"
    body = [f"<h1>{html.escape(title)}</h1>",
            f"<p class=\"meta\">{html.escape(human_date(digest.week_start))} to {html.escape(human_date(digest.week_end))}</p>"]
    if digest.notes:
        body.append(f"<div class=\"note\"><strong>From {html.escape(digest.coach or 'your coach')}:</strong>"
                    + "".join(f"<p>{html.escape(note)}</p>" for note in digest.notes) + "</div>")
    body.append("<h2>This week</h2>")
    body.append("<ul>" + "".join(f"<li><strong>{html.escape(short_date(item.date))}</strong> {html.escape(item.text)}</li>"
                                 for item in digest.happened) + "</ul>" if digest.happened
                else "<p>Nothing recorded this week.</p>")
    if digest.themes:
        body += ["<h2>Themes that keep coming up</h2>", f"<p>{html.escape(', '.join(digest.themes))}</p>"]
    body.append("<h2>Due next week</h2>")
    body.append("<ul>" + "".join(f"<li><strong>{html.escape(human_datetime(due))}</strong> {html.escape(title)}</li>"
                                 for due, title in digest.due_next_week) + "</ul>" if digest.due_next_week
                else "<p>Nothing scheduled.</p>")
    return _page(title, body)
