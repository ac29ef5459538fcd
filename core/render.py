"""Turning run results into what people and programs read.

Text is for a person at a terminal: grouped by step, wrapped, with colour
only when the output is a terminal (Click strips it otherwise). Markdown is
for pasting into notes or an email to a coach. JSON is one object for
programs.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

from coachflow.context import human_date, human_datetime
from coachflow.models import RunResult, action_to_dict, event_to_dict, position
from coachflow.terminal import Shown, printable

#: How each action kind is labelled in text output.
KIND_LABELS = {
    "message": "Note",
    "draft": "Draft",
    "prompt": "Think about",
    "task": "To do",
    "reminder": "Reminder",
    "insight": "Pattern",
    "celebration": "Win",
}
KIND_COLOURS = {"reminder": "yellow", "task": "cyan", "celebration": "green", "insight": "magenta", "draft": "blue"}


def action_kind_label(kind: str) -> str:
    """How an action kind is labelled for people: ``Reminder``, ``Think about``."""
    return KIND_LABELS.get(kind, kind.capitalize())


def result_to_dict(result: RunResult) -> dict[str, Any]:
    """The JSON shape of a run result (see the README for its keys)."""
    return {
        "event": event_to_dict(result.event),
        "event_id": result.event_id,
        "workflow": result.workflow,
        "actions": [action_to_dict(a) for a in result.actions],
        "ran": list(result.ran),
        "skipped": [{"step": s.step, "uses": s.uses, "reason": s.reason, "detail": s.detail} for s in result.skipped],
        "errors": [{"step": e.step, "uses": e.uses, "error": e.error} for e in result.errors],
        "cancelled": list(result.cancelled),
        "completed": list(result.completed),
        "missed": list(result.missed),
    }


def result_to_json(result: RunResult) -> str:
    """The run result as one JSON object, indented for reading."""
    import json

    return json.dumps(result_to_dict(result), indent=2, ensure_ascii=False)


def event_headline(event: Any) -> str:
    """One line naming the event: ``Rejection: Data Analyst at Acme (interview stage), Wed 25 Nov 2026``.

    A milestone about an application names its kind in brackets, as a
    rejection names its stage: ``Milestone: Data Analyst at Acme (applied), ...``.
    """
    what = position(event) or "(no company)"
    if event.type == "rejection":
        detail = f"{what} ({event.stage} stage)"
    elif event.type == "milestone":
        kind = event.kind.replace("-", " ")
        detail = f"{position(event)} ({kind})" if position(event) else kind
    else:
        detail = what + (f", from {event.source}" if event.source else "")
    return f"{event.type.capitalize()}: {detail}, {human_date(event.date)}"


def _wrap(paragraph: str, width: int) -> list[str]:
    # Lines break at spaces, never at hyphens: "thank-" / "you" reads as two words.
    # Only a word wider than the whole line is cut, so that no line runs on
    # forever (a pasted megabyte still wraps).
    return textwrap.wrap(paragraph, width=width, initial_indent="    ", subsequent_indent="    ",
                         break_on_hyphens=False)


def result_to_text(result: RunResult, *, width: int = 78, style: Any = None, verbose: bool = False) -> Shown:
    """The run result as readable text, safe to print (see :mod:`coachflow.terminal`).

    :param style: ``click.style`` (or any function with its signature) to
        colour labels; ``None`` for plain text.
    :param verbose: also list the steps that did not run and the keys of
        cancelled reminders (workflow authors want them; a job seeker
        reading next steps does not).
    """
    # Titles, bodies and messages come from workflows, plugins and the journal: each is
    # made printable before a colour is added, so that only coachflow's own colours remain.
    paint = style or (lambda text, **_: text)
    lines = [paint(printable(event_headline(result.event)), bold=True), ""]
    if not result.actions:
        lines.append("No suggestions from this workflow for this event.")
    for action in result.actions:
        label = printable(action_kind_label(action.kind))
        head = f"{paint(label + ':', fg=KIND_COLOURS.get(action.kind), bold=True)} {printable(action.title)}"
        if action.due:
            head += f"  (due {human_datetime(action.due)})"
        lines.append(head)
        for paragraph in action.body.splitlines():
            lines.extend(_wrap(printable(paragraph), width) or [""])
        lines.append("")
    if verbose:
        if result.cancelled:
            lines.append(paint(printable(f"Cancelled earlier actions with keys: {', '.join(result.cancelled)}"),
                               dim=True))
        if result.completed:
            lines.append(paint(printable(f"Marked done, answered by this event: {', '.join(result.completed)}"),
                               dim=True))
        if result.missed:
            lines.append(paint(printable(f"Marked missed, long past their time: {'; '.join(result.missed)}"),
                               dim=True))
        for skipped in result.skipped:
            lines.append(paint(printable(f"Skipped {skipped.step}: {skipped.detail}"), dim=True))
    for error in result.errors:
        lines.append(paint(printable(f"Step {error.step} failed: {error.error}"), fg="red"))
    return Shown("\n".join(lines).rstrip() + "\n")


_MARKDOWN_SPECIAL = r"([\\`*_\[\]<>|#])"

# What makes a line something other than a paragraph when it starts one: a list item
# (- + * 1. 1)), a rule or heading underline (--- ===), a fence (~~~). Backticks, #, >, *
# and _ are escaped wherever they are.
_MARKDOWN_LINE_START = re.compile(r"^(?:[-+=~]|\d{1,9}(?=[.)](?:\s|$)))")


def markdown_escape(text: str) -> str:
    """Text that Markdown shows as written, on one line: its emphasis, link, table and
    heading marks escaped, and its line breaks made spaces, so that a note with
    ``"ok\\n- injected"`` cannot end the list item it stands in and start another."""
    if "\n" in text or "\r" in text:
        text = " ".join(text.split())
    return re.sub(_MARKDOWN_SPECIAL, r"\\\1", text)


def _escape_line_start(line: str) -> str:
    """``line`` (already escaped) with a mark that would start a list, rule, heading or fence escaped."""
    found = _MARKDOWN_LINE_START.match(line)
    if found is None:
        return line
    if found.group()[0].isdigit():  # "1." starts a list: escape the dot, "1\\." shows as "1."
        return f"{found.group()}\\{line[found.end():]}"
    return "\\" + line


def markdown_block(text: str, *, indent: str = "") -> list[str]:
    """Lines of Markdown showing ``text`` with its line breaks kept (a draft stays a letter).

    Every line is a line of text: one that starts with ``-``, ``1.``, ``---``
    or ``===`` is escaped, so that what a person wrote cannot become a list,
    a rule or a heading.
    """
    lines = text.splitlines()
    out = []
    for index, line in enumerate(lines):
        if not line.strip():
            out.append(indent.rstrip())  # keeps a quoted draft one quote across paragraphs
            continue
        follows = index + 1 < len(lines) and lines[index + 1].strip()
        out.append(indent + _escape_line_start(markdown_escape(line.strip())) + ("  " if follows else ""))
    return out


def result_to_markdown(result: RunResult, *, verbose: bool = False) -> Shown:
    """The run result as Markdown: a heading for the event, a list item per action.

    Control characters are shown as escapes, as in :func:`result_to_text`.

    :param verbose: as for :func:`result_to_text`.
    """
    lines = [f"### {markdown_escape(event_headline(result.event))}", ""]
    if not result.actions:
        lines += ["No suggestions from this workflow for this event.", ""]
    for action in result.actions:
        label = action_kind_label(action.kind)
        head = f"- **{label}:** {markdown_escape(action.title)}"
        if action.due:
            head += f" *(due {human_datetime(action.due)})*"
        lines.append(head)
        if action.body.strip():
            lines += ["", *markdown_block(action.body, indent="  > " if action.kind == "draft" else "  ")]
        lines.append("")
    if verbose:
        if result.cancelled:
            lines += [f"*Cancelled earlier actions with keys: {markdown_escape(', '.join(result.cancelled))}*", ""]
        if result.completed:
            lines += [f"*Marked done, answered by this event: {markdown_escape(', '.join(result.completed))}*", ""]
        if result.missed:
            lines += [f"*Marked missed, long past their time: {markdown_escape('; '.join(result.missed))}*", ""]
        for skipped in result.skipped:
            lines += [f"*Skipped {markdown_escape(skipped.step)}: {markdown_escape(skipped.detail)}*", ""]
    for error in result.errors:
        lines += [f"**Step {markdown_escape(error.step)} failed:** {markdown_escape(error.error)}", ""]
    return printable("\n".join(lines).rstrip() + "\n")
