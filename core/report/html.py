"""The report as one self-contained HTML page.

Everything is in the file: the CSS inline, the charts drawn as inline SVG,
no script and nothing fetched from the network, so it can be mailed,
archived or opened offline. It prints on plain paper (a print style sheet
drops the backgrounds and keeps charts and cards whole), and every chart has
a text alternative and its numbers in a table. The markup is also well-formed
XML, so programs can read it.
"""

from __future__ import annotations

import math
from html import escape
from typing import Sequence

from coachflow.report.build import PipelineWeek, Report
from coachflow.report.markdown import (
    REDACTED_NOTE,
    companies_phrase,
    feedback_sentence,
    last_win_phrase,
    note_week,
    notes_heading,
    overdue_sentence,
    period_label,
    report_title,
    shown_evidence,
    summary,
    wins_phrase,
)
from coachflow.wording import action_label, human_date, human_datetime, milestone_label, plural, position_label

#: Colours, each with at least 3:1 contrast on white for shapes, 4.5:1 for text.
INK = "#1f2933"
MUTED = "#52606d"
TEAL = "#0b6e69"
SENT_BARS = "#3a8f88"
OPEN_LINE = "#1f3c88"
GRID = "#d5dedd"

STYLE = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; background: #f4f7f6; color: {INK};
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }}
main {{ max-width: 54rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }}
header {{ border-top: 6px solid {TEAL}; background: #fff; border-radius: 0 0 12px 12px;
  padding: 1.5rem 1.75rem; margin-bottom: 1.25rem; }}
h1 {{ font-size: 1.75rem; line-height: 1.2; margin: 0 0 .25rem; }}
h2 {{ font-size: 1.25rem; margin: 0 0 .75rem; }}
h3 {{ font-size: 1.05rem; margin: 0 0 .35rem; }}
.period {{ color: {MUTED}; margin: 0 0 .9rem; }}
.summary {{ font-size: 1.08rem; margin: 0; max-width: 44rem; }}
.shared {{ color: {MUTED}; font-size: .95rem; margin: .9rem 0 0; padding-top: .75rem; border-top: 1px solid #e6ecea; }}
section.notes {{ border-left: 6px solid {SENT_BARS}; }}
.notes blockquote {{ margin: 0 0 1rem; }}
.notes blockquote:last-child {{ margin-bottom: 0; }}
.notes blockquote p {{ margin: .15rem 0 0; font-size: 1.05rem; white-space: pre-line; }}
.notes .week {{ color: {MUTED}; font-size: .92rem; margin: 0; }}
section {{ background: #fff; border: 1px solid #dfe7e5; border-radius: 12px; padding: 1.25rem 1.5rem;
  margin: 0 0 1.25rem; }}
.numbers {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(10.5rem, 1fr)); gap: .75rem;
  margin: 0 0 1.25rem; padding: 0; background: none; border: 0; }}
.numbers div {{ background: #fff; border: 1px solid #dfe7e5; border-radius: 12px; padding: .9rem 1.1rem; }}
.numbers dt {{ color: {MUTED}; font-size: .92rem; }}
.numbers dd {{ margin: .1rem 0 0; font-size: 2rem; font-weight: 650; color: {TEAL}; line-height: 1.15; }}
.numbers .note {{ display: block; font-size: .85rem; font-weight: 400; color: {MUTED}; }}
figure {{ margin: 0; }}
figcaption {{ color: {MUTED}; font-size: .95rem; margin-top: .5rem; }}
svg.chart {{ display: block; width: 100%; height: auto; }}
svg.chart.narrow {{ display: none; }}
.legend {{ list-style: none; display: flex; flex-wrap: wrap; gap: .4rem 1.25rem; padding: 0;
  margin: 0 0 .5rem; font-size: .92rem; color: {MUTED}; }}
.legend svg {{ vertical-align: -2px; margin-right: .35rem; }}
details {{ margin-top: .6rem; font-size: .92rem; }}
summary {{ cursor: pointer; color: {TEAL}; }}
table {{ border-collapse: collapse; margin-top: .5rem; font-variant-numeric: tabular-nums; }}
th, td {{ text-align: left; padding: .25rem .9rem .25rem 0; border-bottom: 1px solid #e6ecea; }}
td.n, th.n {{ text-align: right; }}
ul.plain {{ list-style: none; padding: 0; margin: 0; }}
ul.plain li {{ display: flex; flex-wrap: wrap; align-items: baseline; column-gap: .75rem; padding: .45rem 0;
  border-bottom: 1px solid #eef2f1; }}
ul.plain li:last-child {{ border-bottom: 0; }}
.when {{ color: {MUTED}; font-size: .92rem; flex: 0 0 8.5rem; }}
ul.due .when {{ flex-basis: 11.5rem; }}
.what {{ flex: 1 1 18rem; }}
.tag {{ display: inline-block; font-size: .8rem; font-weight: 600; border-radius: 999px; padding: 0 .55rem;
  border: 1px solid currentColor; }}
.tag.win {{ color: #8a4b08; }}
.tag.due {{ color: {TEAL}; }}
.theme {{ border-left: 4px solid {SENT_BARS}; padding: .2rem 0 .2rem 1rem; margin: 0 0 1.1rem; }}
.theme ul {{ margin: .35rem 0 0; padding-left: 1.1rem; }}
.theme q {{ font-style: italic; }}
.muted {{ color: {MUTED}; }}
.outcomes {{ margin: .75rem 0 0; }}
footer {{ color: {MUTED}; font-size: .9rem; text-align: center; margin-top: 1.5rem; }}
@media (max-width: 560px) {{
  main {{ padding: 1rem .75rem 2rem; }}
  header {{ padding: 1.1rem 1.1rem; }}
  h1 {{ font-size: 1.5rem; }}
  section {{ padding: 1rem 1rem; }}
  svg.chart.wide {{ display: none; }}
  svg.chart.narrow {{ display: block; }}
}}
@media print {{
  @page {{ margin: 12mm; }}
  body {{ background: #fff; font-size: 9.5pt; line-height: 1.35; }}
  main {{ max-width: none; padding: 0; }}
  header {{ border-radius: 0; padding: 0 0 .5rem; margin-bottom: .8rem; border-top: 0;
    border-bottom: 2px solid {TEAL}; }}
  /* a section runs on to the next page rather than leaving half of this one empty */
  section {{ border: 0; border-radius: 0; padding: 0; margin: 0 0 .8rem; }}
  .numbers {{ gap: .5rem; margin-bottom: 1rem; }}
  .numbers div {{ border-color: #c9d3d1; padding: .45rem .7rem; }}
  .numbers dd {{ font-size: 1.5rem; }}
  h2 {{ font-size: 1.1rem; margin-bottom: .4rem; }}
  figure, .numbers div, .theme, li, tr {{ break-inside: avoid; }}
  h2, h3, h2 + p, .legend {{ break-after: avoid; }}
  /* on paper the two charts stand side by side, each in its narrow drawing */
  .charts {{ display: grid; grid-template-columns: 1fr 1fr; column-gap: 1.5rem; }}
  .charts section {{ break-inside: avoid; }}
  ul.plain li {{ padding: .1rem 0; }}
  .theme {{ margin-bottom: .6rem; }}
  svg.chart.wide, details, summary {{ display: none; }}
  svg.chart.narrow {{ display: block; }}
  svg, .tag {{ print-color-adjust: exact; -webkit-print-color-adjust: exact; }}
  footer {{ margin-top: .5rem; }}
}}
"""

_CHART_WIDTH = 680


def report_to_html(report: Report) -> str:
    """The whole report as one HTML page (UTF-8 text)."""
    title = report_title(report)
    heading = f"{report.client_name}\u2019s job search" if report.client_name else "Your job search"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{escape(heading)}</h1>",
        f'<p class="period">{escape(period_label(report))}</p>',
        f'<p class="summary">{escape(" ".join(summary(report)))}</p>',
        f'<p class="shared">{escape(REDACTED_NOTE)}</p>' if report.redacted else "",
        "</header>",
        _notes_section(report),
        _numbers(report),
        '<div class="charts">',
        _pipeline_section(report),
        _funnel_section(report),
        "</div>",
        _wins_section(report),
        _feedback_section(report),
        _themes_section(report),
        _due_section(report),
        "<footer>",
        f"<p>Made by coachflow from your journal on {escape(human_datetime(report.generated_at))}. "
        "Progress in a search is rarely a straight line; every week you kept going counts.</p>",
        "</footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _notes_section(report: Report) -> str:
    """The coach's notes about the period, each under the week it is about ("" when there are none)."""
    if not report.notes:
        return ""
    quotes = "".join(
        f'<blockquote><p class="week">{escape(note_week(coach_note.day))}</p>'
        f"<p>{escape(coach_note.text)}</p></blockquote>"
        for coach_note in report.notes
    )
    return (f'<section class="notes" aria-labelledby="notes-heading">'
            f'<h2 id="notes-heading">{escape(notes_heading(report))}</h2>{quotes}</section>')


def _numbers(report: Report) -> str:
    open_note = f"{report.open_at_start} at the start"
    cards = [
        ("applications-sent", "Applications sent", report.applications_sent, "in this period"),
        ("open-at-end", "Open at the end", report.open_at_end, open_note),
        ("wins", "Wins", report.wins, "in this period"),
        ("feedback-received", "Feedback received", report.feedback_received,
         f"from {plural(report.feedback_requested, 'request')}"),
    ]
    items = "".join(
        f'<div><dt>{escape(label)}</dt><dd data-metric="{key}">{value}'
        f'<span class="note">{escape(note)}</span></dd></div>'
        for key, label, value, note in cards
    )
    return f'<dl class="numbers" aria-label="The period in numbers">{items}</dl>'


def _nice_ticks(maximum: int) -> list[int]:
    """Round tick values from 0 to above ``maximum`` (so the highest point has room), in at most five steps."""
    maximum = max(maximum, 1)
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            steps = maximum // step + 1
            if steps <= 5:
                return list(range(0, step * steps + 1, step))
        magnitude *= 10


def _week_label(week: PipelineWeek, long_span: bool) -> str:
    day = week.week_start
    return f"{day:%b} {day:%Y}" if long_span else f"{day.day} {day:%b}"


def _pipeline_description(report: Report) -> str:
    weeks = report.pipeline
    if not weeks:
        return "No weeks to show."
    busiest = max(weeks, key=lambda week: (week.applied, week.week_start))
    text = (f"Over {plural(len(weeks), 'week')}, open applications went from {weeks[0].open} at the end of the "
            f"first week to {weeks[-1].open} at the end of the last; the most open at once was "
            f"{max(week.open for week in weeks)}. ")
    if busiest.applied:
        text += (f"{plural(report.applications_sent, 'application')} sent in all, the most "
                 f"({busiest.applied}) in the week of {human_date(busiest.week_start)}.")
    else:
        text += "No applications were sent in these weeks."
    return text


def _legend_swatch(colour: str, *, line: bool = False) -> str:
    if line:
        shape = (f'<line x1="0" y1="6" x2="18" y2="6" stroke="{colour}" stroke-width="3"/>'
                 f'<circle cx="9" cy="6" r="3.5" fill="{colour}"/>')
    else:
        shape = f'<rect x="3" y="0" width="12" height="12" rx="2" fill="{colour}"/>'
    return f'<svg width="18" height="12" viewBox="0 0 18 12" aria-hidden="true">{shape}</svg>'


#: The two drawings of each chart: for a page (and paper) and for a phone. A phone shows the
#: narrow one, drawn for its width, so that its labels are as large as the page's.
WIDE, NARROW = "wide", "narrow"
_CHART_WIDTHS = {WIDE: _CHART_WIDTH, NARROW: 340}

#: The size of the charts' labels, in the units of the drawing (pixels at its own width).
_LABEL_SIZE = 12

#: About how wide a digit of the labels is, as a share of their size (system-ui sans-serif).
_DIGIT_WIDTH = 0.62


def _tick_label(value: int) -> str:
    return f"{value:,}"


def _pipeline_chart(weeks: Sequence[PipelineWeek], layout: str = WIDE) -> tuple[str, int, int]:
    width = _CHART_WIDTHS[layout]
    height = 250 if layout == WIDE else 220
    ticks = _nice_ticks(max([w.open for w in weeks] + [w.applied for w in weeks] + [1]))
    # room on the left for the longest tick label ("10,000"), so that none is cut off
    left = math.ceil(max(len(_tick_label(tick)) for tick in ticks) * _LABEL_SIZE * _DIGIT_WIDTH) + 14
    right, top, bottom = 14, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    y_max = ticks[-1]

    def y(value: int) -> float:
        return top + plot_h - plot_h * value / y_max

    shapes = []
    for tick in ticks:
        shapes.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
                      f'stroke="{GRID}" stroke-width="1"/>')
        shapes.append(f'<text x="{left - 8}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="{_LABEL_SIZE}" '
                      f'fill="{MUTED}">{_tick_label(tick)}</text>')
    count = len(weeks)
    slot = plot_w / count
    bar = max(1.0, min(slot * 0.62, 28.0))
    long_span = (weeks[-1].week_start - weeks[0].week_start).days > 300
    every = math.ceil(count / (8 if layout == WIDE else 4))
    bars, points, labels = [], [], []
    for index, week in enumerate(weeks):
        centre = left + slot * (index + 0.5)
        if week.applied:
            bars.append(f'<rect class="bar" x="{centre - bar / 2:.1f}" y="{y(week.applied):.1f}" width="{bar:.1f}" '
                        f'height="{plot_h * week.applied / y_max:.1f}" rx="2" fill="{SENT_BARS}"/>')
        points.append((centre, y(week.open)))
        if index % every == 0:
            labels.append(f'<text x="{centre:.1f}" y="{height - bottom + 20}" text-anchor="middle" '
                          f'font-size="{_LABEL_SIZE}" fill="{MUTED}">{escape(_week_label(week, long_span))}</text>')
    path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in points)
    line = [f'<polyline class="line" points="{path}" fill="none" stroke="{OPEN_LINE}" stroke-width="2.5" '
            f'stroke-linejoin="round" stroke-linecap="round"/>']
    if count <= (60 if layout == WIDE else 30):
        line += [f'<circle class="point" cx="{x:.1f}" cy="{yy:.1f}" r="3.5" fill="{OPEN_LINE}" stroke="#fff" '
                 f'stroke-width="1.5"/>' for x, yy in points]
    axis = (f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
            f'stroke="{MUTED}" stroke-width="1"/>')
    return "".join(shapes + bars + [axis] + line + labels), width, height


def _chart(name: str, layout: str, drawing: str, width: int, height: int, title: str, description: str) -> str:
    """One drawing of a chart as an accessible SVG (the narrow one's ids end in ``-narrow``)."""
    suffix = "" if layout == WIDE else "-narrow"
    return (
        f'<svg class="chart {layout}" id="{name}-chart{suffix}" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="{name}-title{suffix} {name}-desc{suffix}">'
        f'<title id="{name}-title{suffix}">{escape(title)}</title>'
        f'<desc id="{name}-desc{suffix}">{escape(description)}</desc>'
        f"{drawing}</svg>"
    )


def _pipeline_section(report: Report) -> str:
    weeks = report.pipeline
    description = _pipeline_description(report)
    title = "Open applications and applications sent, week by week"
    charts = "".join(_chart("pipeline", layout, *_pipeline_chart(weeks, layout), title, description)
                     for layout in (WIDE, NARROW))
    rows = "".join(
        f"<tr><td>{escape(human_date(w.week_start))}</td><td class=\"n\">{w.open}</td>"
        f"<td class=\"n\">{w.applied}</td><td class=\"n\">{w.closed}</td><td class=\"n\">{w.wins}</td></tr>"
        for w in weeks
    )
    return (
        '<section aria-labelledby="pipeline-heading">'
        '<h2 id="pipeline-heading">Pipeline over time</h2>'
        '<ul class="legend">'
        f"<li>{_legend_swatch(SENT_BARS)}Applications sent that week</li>"
        f"<li>{_legend_swatch(OPEN_LINE, line=True)}Open at the end of the week</li>"
        "</ul>"
        "<figure>"
        f"{charts}"
        f"<figcaption>{escape(description)}</figcaption>"
        "</figure>"
        "<details><summary>The numbers behind this chart</summary>"
        '<table><thead><tr><th scope="col">Week of</th><th scope="col" class="n">Open at the end</th>'
        '<th scope="col" class="n">Sent</th><th scope="col" class="n">Closed</th>'
        f'<th scope="col" class="n">Wins</th></tr></thead><tbody>{rows}</tbody></table>'
        "</details>"
        "</section>"
    )


_REACHED_PHRASES = {"screen": "a screen", "interview": "an interview", "final": "a final round", "offer": "an offer"}


def _funnel_description(report: Report) -> str:
    funnel = report.funnel
    sent = funnel[0].reached
    if not sent:
        return "No applications were sent in this period, so there is no funnel to show yet."
    later = [f"{stage.reached or 'none'} {_REACHED_PHRASES[stage.stage]}" for stage in funnel[1:]]
    later[0] = f"{funnel[1].reached or 'none'} reached {_REACHED_PHRASES['screen']}"
    return (f"Of {plural(sent, 'application')} sent in this period, {', '.join(later[:-1])} and {later[-1]} "
            f"by {human_date(report.end)}.")


def _funnel_chart(report: Report, layout: str = WIDE) -> tuple[str, int, int]:
    """The funnel: on a page each stage is one row (label, bar, numbers); narrow, the label and
    the numbers share a line above the bar."""
    width = _CHART_WIDTHS[layout]
    wide = layout == WIDE
    row_height, label_width, value_width = (42, 112, 235) if wide else (54, 0, 0)
    height = row_height * len(report.funnel) + 8
    track = width - label_width - value_width
    most = max(report.funnel[0].reached, 1)
    rows = []
    for index, stage in enumerate(report.funnel):
        y = 4 + index * row_height
        bar_y, bar_h = (y + 6, 28) if wide else (y + 26, 22)
        length = max(track * stage.reached / most, 3.0)
        ended = f" \u00b7 {stage.rejected} ended with a no" if stage.rejected else ""
        numbers = (f'<tspan font-weight="700">{stage.reached}</tspan>'
                   f'<tspan fill="{MUTED}">{escape(ended)}</tspan>')
        # the page's drawing carries the numbers for programs; the phone's repeats none of them
        data = (f' data-stage="{stage.stage}" data-reached="{stage.reached}" data-rejected="{stage.rejected}"'
                if wide else "")
        rows.append(
            f'<g class="stage"{data}>'
            f'<text x="0" y="{y + 25 if wide else y + 17}" font-size="14" fill="{INK}">{escape(stage.label)}</text>'
            f'<rect x="{label_width}" y="{bar_y}" width="{track}" height="{bar_h}" rx="4" fill="#eef3f2"/>'
            f'<rect class="bar" x="{label_width}" y="{bar_y}" width="{length:.1f}" height="{bar_h}" rx="4" '
            f'fill="{TEAL}" opacity="{1 - index * 0.12:.2f}"/>'
            + (f'<text x="{label_width + track + 10}" y="{y + 25}" font-size="14" fill="{INK}">{numbers}</text>'
               if wide else
               f'<text x="{width}" y="{y + 17}" text-anchor="end" font-size="14" fill="{INK}">{numbers}</text>')
            + "</g>"
        )
    return "".join(rows), width, height


def _funnel_section(report: Report) -> str:
    description = _funnel_description(report)
    title = "How far the applications sent in this period got"
    charts = "".join(_chart("funnel", layout, *_funnel_chart(report, layout), title, description)
                     for layout in (WIDE, NARROW))
    outcomes = report.outcomes
    rejections = ", ".join(f"{stage} {count}" for stage, count in report.rejections_by_stage.items() if count)
    rows = "".join(
        f'<tr><td>{escape(s.label)}</td><td class="n">{s.reached}</td><td class="n">{s.rejected}</td></tr>'
        for s in report.funnel
    )
    return (
        '<section aria-labelledby="funnel-heading">'
        '<h2 id="funnel-heading">How far applications got</h2>'
        '<p class="muted">The applications sent in this period, by the furthest stage each reached. '
        "Every stage past the first is a door that opened.</p>"
        "<figure>"
        f"{charts}"
        f"<figcaption>{escape(description)}</figcaption>"
        "</figure>"
        f'<p class="outcomes">Still open: <strong data-metric="still-open">{outcomes.open}</strong> \u00b7 '
        f'rejected: <strong data-metric="rejected">{outcomes.rejected}</strong> \u00b7 '
        f'withdrawn: <strong data-metric="withdrawn">{outcomes.withdrawn}</strong> \u00b7 '
        f'accepted: <strong data-metric="accepted">{outcomes.accepted}</strong></p>'
        + (f'<p class="muted">All rejections in this period (<span data-metric="rejections">{report.rejections}'
           f"</span>), by stage: {escape(rejections)}.</p>" if report.rejections else "")
        + "<details><summary>The numbers behind this chart</summary>"
        '<table><thead><tr><th scope="col">Stage</th><th scope="col" class="n">Reached</th>'
        f'<th scope="col" class="n">Ended here with a no</th></tr></thead><tbody>{rows}</tbody></table>'
        "</details>"
        "</section>"
    )


def _wins_section(report: Report) -> str:
    if not report.wins:
        if report.last_win_before is not None:
            before = f"None in this period; {last_win_phrase(report)}. "
        else:
            before = "None recorded yet. " if report.whole_search else "None in this period. "
        body = (f"<p>{escape(before)}A good conversation, an invitation or a kind word "
                "from a recruiter all count: record them when they happen.</p>")
    else:
        counts = escape(wins_phrase(report))
        items = "".join(
            f'<li><span class="when">{escape(human_date(win.date))}</span> '
            f'<span class="what"><span class="tag win">{escape(milestone_label(win.kind))}</span> '
            f"{escape(position_label(win.company, win.role))}"
            + (f' <span class="muted">{escape(win.notes)}</span>' if win.notes else "")
            + "</span></li>"
            for win in report.recent_wins
        )
        latest = " The latest:" if len(report.recent_wins) < report.wins else ""
        body = f"<p>{counts}.{latest}</p><ul class=\"plain\">{items}</ul>"
    return f'<section aria-labelledby="wins-heading"><h2 id="wins-heading">Wins</h2>{body}</section>'


def _feedback_section(report: Report) -> str:
    return (
        '<section aria-labelledby="feedback-heading"><h2 id="feedback-heading">Feedback</h2>'
        f"<p>{escape(feedback_sentence(report))}</p></section>"
    )


def _themes_section(report: Report) -> str:
    if not report.themes:
        body = "<p>No theme has come up in more than one application yet.</p>"
    else:
        blocks = []
        for theme in report.themes:
            shown, more = shown_evidence(theme)
            evidence = "".join(
                f"<li><q>{escape(excerpt)}</q> <span class=\"muted\">{escape(position_label(company, role))}, "
                f"{escape(human_date(day))}</span></li>"
                for day, company, role, excerpt in shown
            )
            if more:
                evidence += f'<li class="muted">and {more} earlier</li>'
            blocks.append(
                f'<div class="theme"><h3>{escape(theme.theme.capitalize())}</h3>'
                f'<p class="muted">Came up in {plural(len(theme.applications), "application")} '
                f"({escape(companies_phrase(theme))}), {plural(theme.mentions, 'mention')}.</p>"
                f"<ul>{evidence}</ul></div>"
            )
        body = ("<p>Themes that came up in more than one application: a focus for practice, not a verdict.</p>"
                + "".join(blocks))
    return (f'<section aria-labelledby="themes-heading"><h2 id="themes-heading">Recurring themes</h2>'
            f"{body}</section>")


def _due_section(report: Report) -> str:
    overdue = ""
    if report.overdue:
        count, rest = overdue_sentence(report.overdue).split(" ", 1)
        overdue = f'<p><strong data-metric="overdue">{count}</strong> {escape(rest)}</p>'
    if report.due_next:
        items = "".join(
            f'<li><span class="when">{escape(human_datetime(item.due))}</span> '
            f'<span class="what"><span class="tag due">{escape(action_label(item.kind))}</span> '
            f"{escape(item.title)}</span></li>"
            for item in report.due_next
        )
        body = f'<ul class="plain due">{items}</ul>'
    else:
        body = "<p>Nothing scheduled.</p>"
    return (f'<section aria-labelledby="due-heading"><h2 id="due-heading">What is due next</h2>'
            f"{overdue}{body}</section>")
