"""Builders shared by the tests: real journals, real workflows, and small test steps.

The test steps (``echo``, ``explode``...) live in :mod:`support.steps`; the host
the helpers here use has the built-in plugins and those steps, never installed ones.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coachflow.engine import WorkflowRunner
from coachflow.plugin.host import build_host
import coachflow.journal
from coachflow.journal import Journal
from coachflow.models import RunResult, event_from_dict
from coachflow.workflow import load_default_workflow, parse_workflow
from support.steps import StepsPlugin

#: The clock of every test: the afternoon someone is turned down.
NOW = dt.datetime(2026, 11, 25, 17, 30)
TODAY = NOW.date().isoformat()

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

_registries: dict[bool, object] = {}


def make_host():
    """A host with the built-in plugins and the test steps, no installed plugins."""
    return build_host(load_entry_points=False, extra_plugins=[("test-steps", StepsPlugin())])


def registry(*, test_steps: bool = False):
    """The step registry of the built-in plugins (and the test steps, if asked), installed plugins left out."""
    if test_steps not in _registries:
        _registries[test_steps] = (make_host() if test_steps else build_host(load_entry_points=False)).registry
    return _registries[test_steps]


def applied(date, company, role="Data Analyst"):
    return {"type": "milestone", "kind": "applied", "date": date, "company": company, "role": role}


def milestone(kind, date, company="", role="", notes=""):
    return {"type": "milestone", "kind": kind, "date": date, "company": company, "role": role, "notes": notes}


def rejection(date, company, role="Data Analyst", stage="interview", reason="", notes=""):
    return {"type": "rejection", "date": date, "company": company, "role": role, "stage": stage,
            "reason": reason, "notes": notes}


def feedback(date, company, text, role="Data Analyst", source="recruiter"):
    return {"type": "feedback", "date": date, "company": company, "role": role, "source": source, "text": text}


def open_journal(tmp_path) -> Journal:
    """A fresh journal file in the test's directory."""
    return coachflow.journal.open_journal(tmp_path / "journal.sqlite3")


def seed(journal: Journal, *rows) -> None:
    """Record history without running any workflow (as an import does)."""
    with journal.transaction():
        for row in rows:
            journal.add_event(event_from_dict(row))


def workflow(toml: str | None = None, host=None):
    """The built-in default workflow, or one given as TOML (against ``host``'s steps, if given)."""
    steps = host.registry if host is not None else registry(test_steps=True)
    if toml is None:
        return load_default_workflow(steps)
    return parse_workflow(toml, steps, source="test.toml")


def only(step: str, with_: str = "") -> str:
    """A workflow of one step, with an optional ``[steps.with]`` body."""
    text = f'[workflow]\nname = "test"\n\n[[steps]]\nuses = "{step}"\n'
    if with_:
        text += "\n[steps.with]\n" + with_
    return text


def run(journal: Journal, row, toml: str | None = None, now: dt.datetime = NOW) -> RunResult:
    """Record one event and run a workflow on it, as ``coachflow run`` does."""
    return WorkflowRunner(workflow(toml)).run(event_from_dict(row), journal=journal, now=now)


def actions_of(result: RunResult, step: str):
    """The actions one step returned in a run."""
    return [action for action in result.actions if action.step == step]


def stored(journal: Journal, **filters):
    """Actions as the journal keeps them (with status)."""
    return journal.reader.actions(**filters)
