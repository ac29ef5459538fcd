"""The Markdown format: for pasting into notes or an email to a coach.

A run result is a heading for the event and a list item per action; the
report is :func:`coachflow.report.markdown.report_to_markdown`. Everything a
person typed is escaped, so a company called ``Acme_Labs`` shows as written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from coachflow.output.text import event_headline
from coachflow.terminal import printable
from coachflow.wording import action_label, human_datetime

if TYPE_CHECKING:
    from coachflow.models import RunResult
    from coachflow.output import View
    from coachflow.report.build import Report

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


def run(result: "RunResult", view: "View") -> str:
    """A run result: a heading for the event, a list item per action, a draft as a quote.

    A verbose view also lists the steps that did not run and the cancelled keys.
    """
    lines = [f"### {markdown_escape(event_headline(result.event))}", ""]
    if not result.actions:
        lines += ["No suggestions from this workflow for this event.", ""]
    for action in result.actions:
        head = f"- **{action_label(action.kind)}:** {markdown_escape(action.title)}"
        if action.due:
            head += f" *(due {human_datetime(action.due)})*"
        lines.append(head)
        if action.body.strip():
            lines += ["", *markdown_block(action.body, indent="  > " if action.kind == "draft" else "  ")]
        lines.append("")
    if view.verbose:
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
    return printable("\n".join(lines).rstrip() + "\n")  # control characters shown as escapes, as in text


def report(report: "Report", view: "View") -> str:
    """The report in Markdown (see :func:`coachflow.report.markdown.report_to_markdown`)."""
    from coachflow.report.markdown import report_to_markdown

    return report_to_markdown(report)


def board(board: Any, view: "View") -> str:
    """The practice board as a Markdown table (see :func:`coachflow.practice_render.board_to_markdown`)."""
    from coachflow.practice_render import board_to_markdown

    return board_to_markdown(board.rows, board.now)


def digest(digest: Any, view: "View") -> str:
    """A client's week for an email (see :func:`coachflow.practice_render.digest_to_markdown`)."""
    from coachflow.practice_render import digest_to_markdown

    return digest_to_markdown(digest)


def preview(preview: Any, view: "View") -> str:
    """The preview for notes (see :func:`coachflow.testing.preview.scenes_to_markdown`)."""
    from coachflow.testing.preview import scenes_to_markdown

    return scenes_to_markdown(preview.scenes, workflow=preview.workflow, now=preview.now,
                              events_file=preview.events_file, reader=preview.reader)
