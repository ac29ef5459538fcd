"""The engine calls each step's hooks the way pluggy would, whatever shape the step has.

The runner calls a step's hook implementations directly (pluggy checked
them at registration); these tests pin down that every shape pluggy accepts
still works: a subset of the arguments, another argument order, defaults,
several implementations of one hook, and hook wrappers.
"""

from __future__ import annotations

import datetime as dt

import pytest

import coachflow
from coachflow.engine import WorkflowRunner
from coachflow.plugin.host import build_host, create_plugin_manager
from coachflow.journal import IN_MEMORY, open_journal
from coachflow.models import Feedback, Milestone, Rejection
from coachflow.workflow import parse_workflow

NOW = dt.datetime(2026, 3, 14, 9, 30)
REJECTION = Rejection(company="Acme", role="Data Analyst", stage="interview", date=NOW.date())


class EventOnly(coachflow.Step):
    """Takes only the event."""

    name = "event-only"

    @coachflow.hookimpl
    def on_rejection(self, event):
        return coachflow.Action(kind="task", title=f"event-only saw {event.company}")


class Reversed(coachflow.Step):
    """Takes the arguments in the other order."""

    name = "reversed"

    @coachflow.hookimpl
    def on_rejection(self, ctx, event):
        return coachflow.Action(kind="task", title=f"reversed saw {event.company} in {ctx.step_id}")


class WithDefault(coachflow.Step):
    """Gives ctx a default value."""

    name = "with-default"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx=None):
        return coachflow.Action(kind="task", title=f"with-default got a context: {ctx is not None}")


class TwoImplementations(coachflow.Step):
    """Implements on_rejection twice, once under another method name."""

    name = "two-implementations"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return coachflow.Action(kind="task", title="first")

    @coachflow.hookimpl(specname="on_rejection")
    def also_on_rejection(self, event, ctx):
        return [coachflow.Action(kind="task", title="second"), coachflow.Action(kind="task", title="third")]


class Wrapped(coachflow.Step):
    """Wraps its own implementation and adds to its result."""

    name = "wrapped"

    @coachflow.hookimpl(wrapper=True, specname="on_rejection")
    def around(self, event, ctx):
        results = yield
        return [*results, coachflow.Action(kind="insight", title="added by the wrapper")]

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return coachflow.Action(kind="task", title="inner")


class Everything(coachflow.Step):
    """Handles every event type and cancels a key on feedback."""

    name = "everything"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return (coachflow.Action(kind="reminder", title="check in", key="check-in", due=NOW),)

    @coachflow.hookimpl
    def on_feedback(self, event, ctx):
        ctx.cancel("check-in")
        return None

    @coachflow.hookimpl
    def on_milestone(self, event, ctx):
        return []


class Plugin:
    @coachflow.hookimpl
    def register_steps(self, register):
        for step in (EventOnly, Reversed, WithDefault, TwoImplementations, Wrapped, Everything):
            register(step)


@pytest.fixture(scope="module")
def registry():
    return build_host(load_entry_points=False, extra_plugins=[("engine-shapes", Plugin())]).registry


def workflow_of(registry, *steps: str):
    return parse_workflow('[workflow]\nname = "shapes"\n' + "".join(f'[[steps]]\nuses = "{s}"\n' for s in steps),
                          registry)


def titles(result) -> list[str]:
    return [action.title for action in result.actions]


def test_a_step_may_take_any_subset_of_the_arguments_in_any_order(registry) -> None:
    result = WorkflowRunner(workflow_of(registry, "event-only", "reversed", "with-default")).run(REJECTION, journal=open_journal(IN_MEMORY), now=NOW)
    assert result.errors == []
    assert titles(result) == ["event-only saw Acme", "reversed saw Acme in reversed", "with-default got a context: True"]


def test_every_implementation_of_a_step_runs_as_pluggy_orders_them(registry) -> None:
    result = WorkflowRunner(workflow_of(registry, "two-implementations")).run(REJECTION, journal=open_journal(IN_MEMORY), now=NOW)
    manager = create_plugin_manager()
    manager.register(TwoImplementations(TwoImplementations.Options()))
    by_pluggy = manager.hook.on_rejection(event=REJECTION, ctx=None)
    flat = [a.title for value in by_pluggy for a in (value if isinstance(value, list) else [value])]
    assert titles(result) == flat == ["first", "second", "third"]
    assert {action.step for action in result.actions} == {"two-implementations"}


def test_a_step_with_a_hook_wrapper_still_runs_through_pluggy(registry) -> None:
    result = WorkflowRunner(workflow_of(registry, "wrapped", "event-only")).run(REJECTION, journal=open_journal(IN_MEMORY), now=NOW)
    assert result.errors == []
    assert titles(result) == ["inner", "added by the wrapper", "event-only saw Acme"]


def test_steps_of_one_type_stay_apart(registry) -> None:
    result = WorkflowRunner(workflow_of(registry, "reversed", "reversed", "reversed")).run(REJECTION, journal=open_journal(IN_MEMORY), now=NOW)
    assert titles(result) == [f"reversed saw Acme in {step}" for step in ("reversed", "reversed-2", "reversed-3")]


def test_steps_are_skipped_by_event_type_and_run_for_the_others(registry) -> None:
    runner = WorkflowRunner(workflow_of(registry, "event-only", "everything"))
    result = runner.run(Milestone(kind="applied", company="Acme", date=NOW.date()), journal=open_journal(IN_MEMORY), now=NOW)
    assert result.ran == ["everything"] and result.actions == []
    assert [(s.step, s.reason) for s in result.skipped] == [("event-only", "on")]


def test_a_tuple_of_actions_is_kept_and_a_later_run_cancels_it_by_key() -> None:
    registry = build_host(load_entry_points=False, extra_plugins=[("engine-shapes", Plugin())]).registry
    runner = WorkflowRunner(workflow_of(registry, "everything"))
    with open_journal(":memory:") as journal:
        runner.run(REJECTION, journal=journal, now=NOW)
        assert [a.status for a in journal.reader.actions()] == ["open"]
        result = runner.run(Feedback(company="Acme", text="Good", date=NOW.date()), journal=journal, now=NOW)
        assert result.cancelled == ["check-in"]
        assert [a.status for a in journal.reader.actions()] == ["cancelled"]


def test_one_runner_replays_many_events_and_keeps_each_with_its_actions(registry) -> None:
    runner = WorkflowRunner(workflow_of(registry, "event-only", "everything"))
    events = [Rejection(company=f"Company {n}", date=NOW.date()) for n in range(25)]
    with open_journal(":memory:") as journal:
        results = list(runner.replay(events, journal, now=NOW, batch_size=10))
        assert [r.event_id for r in results] == list(range(1, 26))
        assert journal.reader.count("rejection") == 25
        assert len(journal.reader.actions()) == 50


def test_a_replay_stopped_early_keeps_the_batches_already_committed(registry) -> None:
    runner = WorkflowRunner(workflow_of(registry, "event-only"))
    events = [Rejection(company=f"Company {n}", date=NOW.date()) for n in range(25)]
    with open_journal(":memory:") as journal:
        replaying = runner.replay(events, journal, now=NOW, batch_size=10)
        for result in replaying:
            if result.event_id == 15:
                break
        replaying.close()
        assert journal.reader.count("rejection") == 10


def test_a_dry_run_keeps_nothing(registry) -> None:
    with open_journal(":memory:") as journal:
        result = WorkflowRunner(workflow_of(registry, "everything")).run(REJECTION, journal=journal, now=NOW,
                                                                        dry_run=True)
        assert len(result.actions) == 1
        assert journal.reader.count() == 0 and journal.reader.actions() == []
