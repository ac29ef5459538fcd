"""A job search recorded through the command line, day by day, as a person would.

Each call is one ``coachflow`` command with an explicit ``--date`` and
``COACHFLOW_NOW``, against one journal (and, if given, one workflow file).
What comes back is what the person reads: the text output, parsed into
the actions it lists (label, title, due date, body) where that helps.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import attrs
from click.testing import CliRunner

from coachflow.cli import cli

#: "Reminder: Check in: ready to move on from Acme?  (due Thu 26 Nov 2026, 17:30)"
_HEAD = re.compile(r"^(Note|Draft|Think about|To do|Reminder|Pattern|Win): (.*?)(?:  \(due (.*)\))?$")


@attrs.frozen
class Shown:
    """One action as the text output shows it."""

    label: str
    title: str
    due: str | None
    body: str


def shown_actions(output: str) -> list[Shown]:
    """The actions of a ``coachflow run`` text output, in the order shown."""
    found: list[list] = []
    for line in output.splitlines():
        head = _HEAD.match(line)
        if head:
            found.append([head.group(1), head.group(2), head.group(3), []])
        elif found and line.startswith("    "):
            wrapped_due = re.fullmatch(r"\(due (.*)\)", line.strip())
            if wrapped_due and found[-1][2] is None and not found[-1][3]:
                found[-1][2] = wrapped_due.group(1)  # a long title puts its due date on the next line
            else:
                found[-1][3].append(line.strip())
        elif found and not line.strip():
            found[-1][3].append("")
    return [Shown(label, title, due, " ".join(" ".join(body).split())) for label, title, due, body in found]


class Search:
    """One person's search, recorded with ``coachflow run`` in a journal in ``folder``."""

    def __init__(self, folder: Path, workflow: str | None = None):
        self.journal = folder / "search.sqlite3"
        self.workflow_path: Path | None = None
        if workflow is not None:
            self.workflow_path = folder / "coachflow.toml"
            self.workflow_path.write_text(workflow, encoding="utf-8")

    def invoke(self, when: str, *args: str, code: int = 0, workflow: bool = True, journal: bool = True) -> str:
        """Run ``coachflow ARGS`` at ``when`` (an ISO date-time) and return what it printed."""
        extra = ["--journal", str(self.journal)] if journal else []
        if workflow and self.workflow_path is not None:
            extra += ["-w", str(self.workflow_path)]
        result = CliRunner().invoke(cli, [*args, *extra], env={"COACHFLOW_NOW": when})
        assert result.exit_code == code, f"coachflow {' '.join(args)} exited {result.exit_code}:\n{result.output}"
        return result.output

    def run(self, when: str, *args: str, date: str | None = None) -> list[Shown]:
        """Record one event with ``coachflow run`` (dated ``date``, else the day of ``when``)."""
        day = date or when[:10]
        self.last_output = self.invoke(when, "run", *args, "--date", day)
        return shown_actions(self.last_output)

    def applied(self, day: str, company: str, role: str = "Analyst", at: str = "10:00") -> list[Shown]:
        """An application sent on ``day``."""
        return self.run(f"{day}T{at}", "milestone", "--kind", "applied", "--company", company, "--role", role)

    def rejection(self, day: str, company: str, role: str = "Analyst", *, stage: str = "application",
                  reason: str = "", at: str = "18:00", recorded: str | None = None) -> list[Shown]:
        """A no that came on ``day``, recorded then (or at ``recorded``, an ISO date-time)."""
        args = ["rejection", "--company", company, "--role", role, "--stage", stage]
        if reason:
            args += ["--reason", reason]
        return self.run(recorded or f"{day}T{at}", *args, date=day)

    def milestone(self, day: str, kind: str, company: str = "", role: str = "Analyst", at: str = "10:00") -> list[Shown]:
        """A milestone of ``kind`` on ``day``."""
        args = ["milestone", "--kind", kind]
        if company:
            args += ["--company", company, "--role", role]
        return self.run(f"{day}T{at}", *args)

    def feedback(self, day: str, company: str, text: str, role: str = "Analyst", at: str = "10:00") -> list[Shown]:
        """Feedback that came on ``day``."""
        return self.run(f"{day}T{at}", "feedback", "--company", company, "--role", role, "--text", text,
                        "--source", "recruiter")

    def due(self, when: str, *args: str) -> str:
        """What ``coachflow due`` shows at ``when``."""
        return self.invoke(when, "due", *args, workflow=False)

    def due_json(self, when: str, *args: str) -> list[dict]:
        """``coachflow due --format json`` at ``when``."""
        return json.loads(self.invoke(when, "due", "--format", "json", *args, workflow=False))

    def report(self, when: str, *args: str) -> str:
        """``coachflow report`` at ``when``, with the search's workflow."""
        return self.invoke(when, "report", *args)


def titled(actions: list[Shown], prefix: str) -> list[Shown]:
    """The actions whose title starts with ``prefix``."""
    return [action for action in actions if action.title.startswith(prefix)]
