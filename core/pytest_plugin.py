"""Fixtures for testing coachflow plugins with pytest (loaded through the ``pytest11`` entry point).

Installing coachflow makes these fixtures available in every pytest run;
nothing needs importing. A plugin's tests name the plugin under test by
overriding :func:`coachflow_plugins`, then run workflows on events against
a real temporary journal::

    import pytest
    import my_coachflow_plugin

    @pytest.fixture
    def coachflow_plugins():
        return [my_coachflow_plugin]

    def test_it_drafts_a_message(run_workflow):
        result = run_workflow('[[steps]]\\nuses = "my-step"', {"type": "rejection", "company": "Acme"})
        assert result.actions[0].kind == "draft"

The module imports nothing from coachflow at import time, so projects that
merely have coachflow installed do not pay for it in their own test runs.
"""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

import pytest

if TYPE_CHECKING:
    from click.testing import Result

    from coachflow.plugin.host import Host
    from coachflow.journal import Journal, JournalReader
    from coachflow.models import Event, RunResult

#: The clock :func:`coachflow_now` fixes by default: a Monday morning.
DEFAULT_NOW = dt.datetime(2026, 3, 16, 9, 30)


def as_plugin(item: Any) -> tuple[str, Any]:
    """A ``(name, plugin)`` pair for an item of :func:`coachflow_plugins`.

    A module or plugin object is registered as it is; a step class is
    wrapped in a plugin that registers it; a ``(name, plugin)`` pair is
    kept.
    """
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        return item
    if inspect.isclass(item) and hasattr(item, "name") and not hasattr(item, "register_steps"):
        from coachflow import hookimpl

        class StepPlugin:
            """Registers one step class given to the coachflow fixtures."""

            @hookimpl
            def register_steps(self, register: Callable[[type], None]) -> None:
                register(item)

        return f"test-{item.name}", StepPlugin()
    name = getattr(item, "__name__", None) or type(item).__name__
    return name, item


class TestJournal:
    """A real journal in a temporary folder, for a test to seed and inspect.

    :ivar path: the SQLite file (``COACHFLOW_JOURNAL`` for :func:`coachflow_cli`).
    :ivar journal: the open :class:`~coachflow.journal.Journal`.
    """

    __test__ = False  # not a test class, despite its name

    def __init__(self, path: Path, journal: "Journal", now: dt.datetime, milestone_kinds: Mapping[str, str]):
        self.path = path
        self.journal = journal
        self._now = now
        self._milestone_kinds = milestone_kinds

    @property
    def reader(self) -> "JournalReader":
        """The read API steps get as ``ctx.journal``, to assert on events and actions."""
        return self.journal.reader

    def seed(self, *events: "Event | Mapping[str, Any]") -> list[int]:
        """Write history: events given as models or dicts (``{"type": "rejection", "company": ...}``).

        A dict without a date is dated on the fixed test day. Only the
        events are written; no workflow runs on them.

        :return: the new events' ids.
        """
        models = [to_event(event, self._now, self._milestone_kinds) for event in events]
        with self.journal.transaction():
            return [self.journal.add_event(event, recorded_at=self._now) for event in models]


def to_event(event: Any, now: dt.datetime, milestone_kinds: Mapping[str, str] | None = None) -> "Event":
    """An event model from a model or a dict (validated like a file or a CSV row)."""
    from coachflow.models import EVENT_CLASSES, event_from_dict

    if isinstance(event, tuple(EVENT_CLASSES.values())):
        return event
    if not isinstance(event, Mapping):
        raise TypeError(f"an event is a coachflow event model or a dict with a 'type', got {event!r}")
    return event_from_dict(event, today=now.date(), milestone_kinds=milestone_kinds)


@pytest.fixture
def coachflow_now() -> dt.datetime:
    """The fixed time of every run and seeded event (override it to change the clock)."""
    return DEFAULT_NOW


@pytest.fixture
def coachflow_plugins() -> list[Any]:
    """The plugins under test, loaded besides the built-in ones; override it in your tests.

    Items can be modules (with ``register_steps`` and the like), plugin
    objects, step classes, or ``(name, plugin)`` pairs. Installed plugins
    are not loaded, so tests do not depend on what else is installed.
    """
    return []


@pytest.fixture
def coachflow_strict() -> bool:
    """Whether a step's failure fails the test (default: ``COACHFLOW_STRICT=1``, else off).

    In strict mode :func:`run_workflow` re-raises the exception a step
    raised, with its traceback, so a test fails where the step went wrong;
    a step that timed out or returned something that is not an action fails
    the test with the reason. Override it to return ``True`` for a plugin's
    whole test suite. Off, failures are in ``result.errors``, each with its
    ``exception``, for tests of how a step fails.
    """
    import os

    from coachflow.plugin.discovery import env_flag

    return env_flag("COACHFLOW_STRICT", os.environ)


@pytest.fixture
def coachflow_host(coachflow_plugins: Iterable[Any]) -> "Host":
    """The plugin host with the built-in plugins and :func:`coachflow_plugins`.

    A plugin under test that fails to load fails the test, with the reason.
    """
    from coachflow.plugin.host import build_host

    host = build_host(load_entry_points=False, extra_plugins=[as_plugin(p) for p in coachflow_plugins])
    if host.warnings:
        pytest.fail("coachflow plugins did not load cleanly:\n" + "\n".join(host.warnings), pytrace=False)
    return host


@pytest.fixture
def coachflow_journal(tmp_path: Path, coachflow_now: dt.datetime, coachflow_host: "Host") -> Iterator[TestJournal]:
    """A real, empty journal in a temporary folder; ``.seed(...)`` adds history."""
    from coachflow.journal import Journal, open_journal

    path = tmp_path / "journal.sqlite3"
    journal = open_journal(path)
    try:
        yield TestJournal(path, journal, coachflow_now, coachflow_host.registry.milestone_kinds)
    finally:
        journal.close()


@pytest.fixture
def run_workflow(
    coachflow_host: "Host", coachflow_journal: TestJournal, coachflow_now: dt.datetime, coachflow_strict: bool
) -> Callable[..., "RunResult"]:
    """Run a workflow on one event and return the :class:`~coachflow.models.RunResult`.

    ``run_workflow(workflow, event, *, now=None, dry_run=False)``:

    - ``workflow``: TOML text or a dict of the parsed TOML; a missing
      ``[workflow]`` table is filled in with the name ``test``.
    - ``event``: an event model or a dict with a ``type``.
    - the run uses :func:`coachflow_journal` (so seeded history is seen
      and results are kept) and the clock of :func:`coachflow_now`.

    An invalid workflow raises :class:`~coachflow.errors.WorkflowError`.
    A step that fails is in ``result.errors`` (with the ``exception`` it
    raised), or, with :func:`coachflow_strict`, fails the test.
    """

    def run(workflow: str | Mapping[str, Any], event: Any, *, now: dt.datetime | None = None,
            dry_run: bool = False) -> "RunResult":
        from coachflow.engine import WorkflowRunner

        loaded = load_test_workflow(workflow, coachflow_host)
        model = to_event(event, now or coachflow_now, coachflow_host.registry.milestone_kinds)
        result = WorkflowRunner(loaded).run(model, journal=coachflow_journal.journal, now=now or coachflow_now,
                                            dry_run=dry_run)
        if coachflow_strict and result.errors:
            failure = result.errors[0]
            if failure.exception is not None:
                raise failure.exception
            pytest.fail(f"step {failure.step} ({failure.uses}) failed: {failure.error}", pytrace=False)
        return result

    return run


def load_test_workflow(workflow: str | Mapping[str, Any], host: "Host") -> Any:
    """Validate a workflow given as TOML text or a dict against ``host``'s steps."""
    from coachflow.workflow import parse_toml, workflow_from_dict

    text = workflow if isinstance(workflow, str) else None
    data = dict(parse_toml(text, "<test workflow>") if text is not None else workflow)
    data.setdefault("workflow", {"name": "test"})
    return workflow_from_dict(data, host.registry, source="<test workflow>", text=text)


@pytest.fixture
def coachflow_cli(
    coachflow_plugins: Iterable[Any], coachflow_journal: TestJournal, coachflow_now: dt.datetime
) -> Callable[..., "Result"]:
    """Run the ``coachflow`` command line in-process with the plugins under test.

    ``coachflow_cli(*args, input=None, env=None)`` returns Click's
    ``Result`` (``exit_code``, ``stdout``, ``stderr``). The run uses
    :func:`coachflow_journal`, the clock of :func:`coachflow_now` and no
    installed plugins.
    """
    from click.testing import CliRunner

    from coachflow.cli import State, cli

    def invoke(*args: str, input: str | None = None, env: Mapping[str, str] | None = None) -> "Result":
        environment = {
            "COACHFLOW_JOURNAL": str(coachflow_journal.path),
            "COACHFLOW_NOW": coachflow_now.isoformat(timespec="minutes"),
            "COACHFLOW_NO_PLUGINS": "1",
            "COACHFLOW_PLUGINS": "",
            **(env or {}),
        }
        state = State(extra_plugins=[as_plugin(p) for p in coachflow_plugins])
        return CliRunner().invoke(cli, list(args), input=input, env=environment, obj=state, prog_name="coachflow")

    return invoke
