"""Previews: every text a client would read, for sample situations or for given events.

A coach changing the wording of a workflow wants to read it as the client
will, in the moments that matter: the first no, a run of noes, feedback
that repeats a theme, a win, an offer. Each sample is a short search,
dated back from the clock, run like a test case on a throwaway journal in
memory: nothing is written anywhere. Events from a file are previewed in
date order, each with the ones before it as history.

The HTML page is self-contained (inline CSS, no script, nothing fetched),
so it can be mailed to a colleague or opened offline.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import attrs

from coachflow.errors import EventError
from coachflow.models import Event, RunResult, event_from_dict
from coachflow.output import View, render
from coachflow.output.layout import cell_width
from coachflow.output.text import event_headline, wrap_text
from coachflow.terminal import Shown, printable
from coachflow.testing.files import RECORDED_AT, Case, GivenEvent
from coachflow.wording import action_label, human_date, human_datetime

if TYPE_CHECKING:
    from coachflow.workflow import Workflow


@attrs.frozen
class Situation:
    """A sample situation: a short history and the event the client records, dated in days before now."""

    title: str
    summary: str
    #: events as plain data, each with ``days_ago`` instead of a date
    given: tuple[Mapping[str, Any], ...]
    event: Mapping[str, Any]


def _applied(days_ago: int, company: str, role: str) -> dict[str, Any]:
    return {"type": "milestone", "kind": "applied", "company": company, "role": role, "days_ago": days_ago}


#: Five open applications, sent over the last three weeks: where every sample starts.
_SEARCH = (
    _applied(20, "Acme Analytics", "Data Analyst"),
    _applied(18, "Brightside Health", "Data Analyst"),
    _applied(15, "Corvid Logistics", "BI Analyst"),
    _applied(12, "Dunmore Bank", "Analyst"),
    _applied(9, "Evergreen Energy", "Data Analyst"),
)

SITUATIONS: tuple[Situation, ...] = (
    Situation(
        title="A first no",
        summary="Five applications are open and nothing has gone wrong yet; today Acme Analytics says no "
                "after an interview, without a reason.",
        given=_SEARCH,
        event={"type": "rejection", "company": "Acme Analytics", "role": "Data Analyst", "stage": "interview",
               "days_ago": 0},
    ),
    Situation(
        title="A run of noes",
        summary="The third no in five days: Brightside Health turned the application down four days ago, "
                "Corvid Logistics after a screen two days ago, and today Dunmore Bank after an interview.",
        given=_SEARCH + (
            {"type": "rejection", "company": "Brightside Health", "role": "Data Analyst", "stage": "application",
             "days_ago": 4},
            {"type": "rejection", "company": "Corvid Logistics", "role": "BI Analyst", "stage": "screen",
             "reason": "They went with an internal candidate.", "days_ago": 2},
        ),
        event={"type": "rejection", "company": "Dunmore Bank", "role": "Analyst", "stage": "interview",
               "reason": "They wanted someone with more forecasting experience.", "days_ago": 0},
    ),
    Situation(
        title="Feedback that repeats a theme",
        summary="Brightside Health's recruiter said the answers were hard to follow; today feedback from "
                "Corvid Logistics raises communication again.",
        given=_SEARCH + (
            {"type": "rejection", "company": "Brightside Health", "role": "Data Analyst", "stage": "interview",
             "days_ago": 10},
            {"type": "feedback", "company": "Brightside Health", "role": "Data Analyst", "source": "recruiter",
             "text": "Your answers were hard to follow at times.", "days_ago": 8},
            {"type": "rejection", "company": "Corvid Logistics", "role": "BI Analyst", "stage": "interview",
             "days_ago": 3},
        ),
        event={"type": "feedback", "company": "Corvid Logistics", "role": "BI Analyst", "source": "hiring manager",
               "text": "Strong SQL, but the communication of your results could be clearer.", "days_ago": 0},
    ),
    Situation(
        title="A win",
        summary="Five days after a no from Brightside Health, Evergreen Energy invites the client to interview.",
        given=_SEARCH + (
            {"type": "rejection", "company": "Brightside Health", "role": "Data Analyst", "stage": "application",
             "days_ago": 5},
        ),
        event={"type": "milestone", "kind": "interview-invitation", "company": "Evergreen Energy",
               "role": "Data Analyst", "days_ago": 0},
    ),
    Situation(
        title="An offer",
        summary="After an interview invitation ten days ago, Evergreen Energy makes an offer.",
        given=_SEARCH + (
            {"type": "milestone", "kind": "interview-invitation", "company": "Evergreen Energy",
             "role": "Data Analyst", "days_ago": 10},
            {"type": "rejection", "company": "Brightside Health", "role": "Data Analyst", "stage": "application",
             "days_ago": 6},
        ),
        event={"type": "milestone", "kind": "offer", "company": "Evergreen Energy", "role": "Data Analyst",
               "days_ago": 0},
    ),
)


@attrs.frozen
class Scene:
    """One situation as the client would read it: the event's run and any step failures."""

    title: str
    summary: str
    result: RunResult
    #: steps that failed on the history, one line each (the event's own failures are in the run)
    errors: tuple[str, ...] = ()


def _dated(data: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    values = {key: value for key, value in data.items() if key != "days_ago"}
    values["date"] = (now - dt.timedelta(days=data["days_ago"])).date()
    return values


def _recorded(event: Event, now: dt.datetime) -> GivenEvent:
    return GivenEvent(event=event, recorded_at=min(dt.datetime.combine(event.date, RECORDED_AT), now))


def preview_samples(workflow: "Workflow", *, now: dt.datetime,
                    milestone_kinds: Mapping[str, str] | None = None) -> list[Scene]:
    """Run ``workflow`` on each of :data:`SITUATIONS`, dated back from ``now``."""
    from coachflow.testing.run import CaseRunner

    runner = CaseRunner()
    scenes = []
    try:
        for situation in SITUATIONS:
            given = tuple(_recorded(event_from_dict(_dated(item, now), milestone_kinds=milestone_kinds), now)
                          for item in situation.given)
            event = event_from_dict(_dated(situation.event, now), milestone_kinds=milestone_kinds)
            case = Case(name=situation.title, line=None, now=now, workflow=workflow, client=None,
                        given=tuple(sorted(given, key=lambda g: g.recorded_at)), event=event, expectations=())
            result, errors = runner.record(case)
            scenes.append(Scene(title=situation.title, summary=situation.summary, result=result,
                                errors=tuple(errors)))
    finally:
        runner.close()
    return scenes


def read_events(name: str, *, today: dt.date, milestone_kinds: Mapping[str, str] | None = None,
                text: str | None = None) -> list[Event]:
    """The events of a file to preview: JSONL or CSV (as ``coachflow import`` reads), or TOML.

    A TOML file holds one event (as ``coachflow run --event`` reads) or
    ``[[events]]`` tables.

    :param text: what the file holds, when it has been read already (standard
        input): ``name`` then only names it in messages, and the format is
        told from the text (TOML when its first line of content is a table
        header or a ``key = value``).
    :raises EventError: one line naming the file, the line or event, and the field.
    """
    from coachflow.journal import io

    is_toml = name.endswith(".toml") if text is None else _looks_like_toml(text)
    if text is None:
        text = io.read_text(name)
    if not is_toml:
        return [imported.event for imported in io.parse_events(text, name, milestone_kinds=milestone_kinds,
                                                              today=today)]
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EventError(f"{name}: not valid TOML: {exc}") from None
    from coachflow.errors import event_problems
    from coachflow.testing.lines import key_lines, line_of

    lines = key_lines(text)
    listed = "events" in data and isinstance(data["events"], list)
    tables = data["events"] if listed else [data.get("event", data)]
    base: tuple = () if listed or "event" not in data else ("event",)
    events, problems = [], []
    for number, table in enumerate(tables, start=1):
        path = ("events", number - 1) if listed else base
        shown = f"events[{number}]." if listed else ("event." if base else "")

        def where(key: str, path: tuple = path, shown: str = shown) -> str:
            line = line_of(lines, (*path, key) if key else path)
            return f"{name}{f':{line}' if line else ''}: {shown}"

        if not isinstance(table, dict):
            problems.append(f"{where('').rstrip('. ')}: expected a table of the event's fields")
            continue
        try:
            events.append(event_from_dict(table, today=today, milestone_kinds=milestone_kinds, where=where))
        except EventError as exc:  # every event is checked, so that all the problems show at once
            problems += exc.lines()
    if problems:
        raise event_problems(problems)
    if not events:
        raise EventError(f"{name}: no events to preview")
    return events


def _looks_like_toml(text: str) -> bool:
    """True when the first line that is not blank or a comment is a TOML table header or assignment."""
    import re

    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            if re.fullmatch(r"sep=.", line, re.IGNORECASE):  # the line Excel starts a CSV with
                return False
            return bool(re.match(r"\[|[A-Za-z0-9_\"'-]+\s*=", line))
    return False


def preview_events(workflow: "Workflow", events: Sequence[Event], *, now: dt.datetime) -> list[Scene]:
    """Run ``workflow`` on ``events`` in date order, each with the earlier ones as its history."""
    from coachflow.testing.run import CaseRunner

    ordered = sorted(events, key=lambda event: event.date)  # stable: one day's events keep the file's order
    runner = CaseRunner()
    scenes = []
    try:
        for position, event in enumerate(ordered):
            # Each event is its own case with the earlier ones as history: the
            # same run as recording them one by one, and a failure stays its own.
            history = tuple(_recorded(earlier, now) for earlier in ordered[:position])
            moment = now if event.date == now.date() else _recorded(event, now).recorded_at
            case = Case(name=event_headline(event), line=None, now=moment, workflow=workflow, client=None,
                        given=history, event=event, expectations=())
            result, errors = runner.record(case)
            scenes.append(Scene(title=f"{event.type.capitalize()} {position + 1} of {len(ordered)}", summary="",
                                result=result, errors=tuple(errors)))
    finally:
        runner.close()
    return scenes


# --- rendering ----------------------------------------------------------------


def _intro(scenes: Sequence[Scene], workflow: "Workflow", now: dt.datetime, events_file: str | None,
           reader: str | None) -> tuple[str, str]:
    count = f"{len(scenes)} {'situation' if len(scenes) == 1 else 'situations'}"
    what = f"the events of {events_file}" if events_file else f"{count}"
    first = f"What {reader or 'a client'} reads from the workflow '{workflow.name}' in {what}."
    second = (f"Dates count from {human_datetime(now)}. Nothing was written to any journal." if not events_file
              else "Each event has the ones before it as history. Nothing was written to any journal.")
    return first, second


def scenes_to_text(scenes: Sequence[Scene], *, workflow: "Workflow", now: dt.datetime,
                   events_file: str | None = None, reader: str | None = None, style: Any = None,
                   width: int = 78) -> Shown:
    """The preview as plain text, safe to print: a heading per situation, then the run as
    ``coachflow run`` shows it.

    :param reader: whose eyes it is read with (a client's name); default "a client".
    :param style: :func:`coachflow.terminal.style` to colour it, as ``coachflow run`` is.
    :param width: the columns it is wrapped to, as ``coachflow run`` wraps (no word or date split).
    """
    first, second = _intro(scenes, workflow, now, events_file, reader)
    parts = [printable(f"{first}\n{second}\n")]
    for number, scene in enumerate(scenes, start=1):
        heading = printable(f"{number}. {scene.title}")
        block = [heading, "=" * cell_width(heading)]
        if scene.summary:
            block += wrap_text(scene.summary, width)
        block.append("")
        parts.append("\n".join(block) + "\n" + render("run", scene.result, "text", View(width=width, style=style))
                     + "".join(printable(f"Problem {error}\n") for error in scene.errors))
    return Shown("\n".join(parts))


def scenes_to_markdown(scenes: Sequence[Scene], *, workflow: "Workflow", now: dt.datetime,
                       events_file: str | None = None, reader: str | None = None) -> str:
    """The preview as Markdown: a section per situation with the run's actions (``reader`` as for text)."""
    from coachflow.output.markdown import markdown_escape

    first, second = _intro(scenes, workflow, now, events_file, reader)
    parts = [f"# Preview: {markdown_escape(workflow.name)}\n\n{markdown_escape(first)} {markdown_escape(second)}\n"]
    for number, scene in enumerate(scenes, start=1):
        block = f"## {number}. {markdown_escape(scene.title)}\n\n"
        if scene.summary:
            block += f"{markdown_escape(scene.summary)}\n\n"
        block += render("run", scene.result, "markdown")
        block += "".join(f"\n**Problem** {markdown_escape(error)}\n" for error in scene.errors)
        parts.append(block)
    return "\n".join(parts)


STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f7f6; color: #1f2933;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
header { border-top: 6px solid #0b6e69; background: #fff; border-radius: 0 0 12px 12px;
  padding: 1.25rem 1.5rem; margin-bottom: 1.25rem; }
h1 { font-size: 1.6rem; line-height: 1.2; margin: 0 0 .4rem; }
h2 { font-size: 1.2rem; margin: 0 0 .3rem; }
header p, .situation { color: #52606d; margin: .2rem 0; }
section { background: #fff; border: 1px solid #dfe7e5; border-radius: 12px; padding: 1.1rem 1.4rem;
  margin: 0 0 1.25rem; break-inside: avoid-page; }
.event { font-weight: 600; margin: .6rem 0 .8rem; }
ol.actions { list-style: none; margin: 0; padding: 0; }
ol.actions > li { border-top: 1px solid #eef2f1; padding: .7rem 0; }
.kind { display: block; font-size: .78rem; font-weight: 650; text-transform: uppercase;
  letter-spacing: .04em; color: #0b6e69; }
.kind.reminder, .kind.task { color: #1f3c88; }
.kind.celebration { color: #8a4b08; }
.title { font-weight: 600; }
.due { display: block; color: #52606d; font-size: .92rem; }
.body p { margin: .35rem 0 0; white-space: pre-wrap; }
.body.draft { border-left: 3px solid #c9d6d3; padding-left: .8rem; margin-top: .4rem; }
.none { color: #52606d; font-style: italic; }
.problem { color: #9b1c1c; margin: .5rem 0 0; }
footer { color: #52606d; font-size: .9rem; text-align: center; }
@media print { body { background: #fff; } section, header { border: 1px solid #ccc; } }
"""


def scenes_to_html(scenes: Sequence[Scene], *, workflow: "Workflow", now: dt.datetime,
                   events_file: str | None = None, reader: str | None = None) -> str:
    """The preview as one self-contained HTML page: a section per situation, an item per action
    (``reader`` as for text)."""
    first, second = _intro(scenes, workflow, now, events_file, reader)
    sections = []
    for number, scene in enumerate(scenes, start=1):
        items = "".join(_action_html(action) for action in scene.result.actions)
        if not items:
            items = '<li class="none">No suggestions from this workflow for this event.</li>'
        summary = f'<p class="situation">{escape(scene.summary)}</p>' if scene.summary else ""
        problems = "".join(f'<p class="problem">{escape(line)}</p>' for line in
                           [*(f"Problem {error}" for error in scene.errors),
                            *(f"Step {failure.step} failed: {failure.error}" for failure in scene.result.errors)])
        sections.append(
            f'<section id="situation-{number}"><h2>{number}. {escape(scene.title)}</h2>{summary}'
            f'<p class="event">{escape(event_headline(scene.result.event))}</p>'
            f'<ol class="actions">{items}</ol>{problems}</section>'
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f"<title>Preview: {escape(workflow.name)}</title><style>{STYLE}</style></head><body><main>"
        f"<header><h1>Preview: {escape(workflow.name)}</h1><p>{escape(first)}</p><p>{escape(second)}</p></header>"
        + "".join(sections)
        + f"<footer>Made by coachflow preview on {escape(human_date(now.date()))}.</footer>"
        "</main></body></html>\n"
    )


def _action_html(action: Any) -> str:
    due = f'<span class="due">Due {escape(human_datetime(action.due))}</span>' if action.due else ""
    paragraphs = [p for p in action.body.split("\n\n") if p.strip()]
    body = "".join(f"<p>{escape(p.strip())}</p>" for p in paragraphs)
    body_class = "body draft" if action.kind == "draft" else "body"
    return (
        f'<li><span class="kind {escape(action.kind)}">{escape(action_label(action.kind))}</span>'
        f'<span class="title">{escape(action.title)}</span>{due}'
        + (f'<div class="{body_class}">{body}</div>' if body else "")
        + "</li>"
    )
