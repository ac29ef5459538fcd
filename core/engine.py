"""The engine: runs a workflow's steps on an event and keeps the journal.

A :class:`WorkflowRunner` is built once per workflow: it registers one
instance of each listed step, with that step's options, on a pluggy plugin
manager of its own, and prepares a hook caller per step. Running an event
then calls each matching step in the order of the file, each in isolation:
a step that raises or returns something that is not an action is reported
in the result and the others still run (unless ``on_error = "stop"``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterable, Iterator

import attrs
import pluggy

from coachflow.context import StepContext
from coachflow.hookspecs import WORKFLOW_HOOKS
from coachflow.host import create_plugin_manager
from coachflow.journal import Journal
from coachflow.models import Action, Event, RunResult, SkippedStep, StepFailure
from coachflow.workflow import Workflow, WorkflowStep


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class WorkflowRunner:
    """Runs one workflow on events; build it once and reuse it for many events."""

    def __init__(self, workflow: Workflow, *, trace: Callable[[str], None] | None = None):
        """Prepare ``workflow`` to run.

        :param trace: receives a line for every workflow hook call (which
            step ran, with what result), as ``--trace`` shows; without it the
            hook calls carry no tracing cost at all.
        """
        self.workflow = workflow
        self.plugin_manager = create_plugin_manager()
        if trace is not None:
            from coachflow.tracing import trace_hook_calls

            trace_hook_calls(self.plugin_manager, trace, label=f"workflow '{workflow.name}'")
        self._callers: list[tuple[WorkflowStep, dict[str, pluggy.HookCaller]]] = []
        #: step id -> why the step could not be set up; reported on every run.
        self._broken: dict[str, str] = {}
        instances = {}
        for step in workflow.steps:
            try:
                instance = step.step_type.step_class(step.options)
                self.plugin_manager.register(instance, name=step.id)
            except Exception as exc:  # a step class's own bug
                self._broken[step.id] = f"could not be set up ({_one_line(exc)})"
                continue
            instances[step.id] = instance
        for step in workflow.steps:
            if step.id in self._broken:
                self._callers.append((step, {}))
                continue
            others = [other for step_id, other in instances.items() if step_id != step.id]
            callers = {
                event_type: self.plugin_manager.subset_hook_caller(WORKFLOW_HOOKS[event_type], remove_plugins=others)
                for event_type in step.on
            }
            self._callers.append((step, callers))

    def run(
        self,
        event: Event,
        *,
        journal: Journal | None = None,
        now: dt.datetime | None = None,
        dry_run: bool = False,
    ) -> RunResult:
        """Run the workflow on one event.

        With a journal, the event is committed before the steps run and the
        actions after; with ``dry_run`` everything is rolled back, so the
        steps see the journal as it would be but nothing is kept. Without a
        journal, steps see an empty, temporary one.
        """
        own_journal = journal is None
        if journal is None:
            journal = Journal.in_memory()
        try:
            now = now or dt.datetime.now()
            if dry_run:
                journal.begin()
                try:
                    return self._run_in(journal, event, now)
                finally:
                    journal.rollback()
            with journal.transaction():
                event_id = journal.add_event(event, recorded_at=now)
            result = self._run_steps(event, journal, now)
            result.event_id = event_id
            with journal.transaction():
                self._save(journal, result, now)
            return result
        finally:
            if own_journal:
                journal.close()

    def replay(
        self,
        events: Iterable[Event],
        journal: Journal,
        *,
        now: dt.datetime | None = None,
        batch_size: int = 500,
    ) -> Iterator[RunResult]:
        """Record and run many events in order, committing every ``batch_size`` events.

        Used by ``coachflow import --run`` and benchmarks: one transaction per
        batch instead of two per event. A failure rolls back only the
        current batch; earlier batches stay committed.
        """
        pending = 0
        journal.begin()
        try:
            for event in events:
                yield self._run_in(journal, event, now or dt.datetime.now())
                pending += 1
                if pending >= batch_size:
                    journal.commit()
                    journal.begin()
                    pending = 0
        except BaseException:
            journal.rollback()
            raise
        journal.commit()

    def _run_in(self, journal: Journal, event: Event, now: dt.datetime) -> RunResult:
        event_id = journal.add_event(event, recorded_at=now)
        result = self._run_steps(event, journal, now)
        result.event_id = event_id
        self._save(journal, result, now)
        return result

    def _save(self, journal: Journal, result: RunResult, now: dt.datetime) -> None:
        assert result.event_id is not None
        journal.cancel_actions(result.cancelled)
        journal.add_actions(result.event_id, self.workflow.name, result.actions, created_at=now)

    def _run_steps(self, event: Event, journal: Journal, now: dt.datetime) -> RunResult:
        result = RunResult(event=event, workflow=self.workflow.name)
        reader = journal.reader
        for step, callers in self._callers:
            reason = step.mismatch(event)
            if reason is not None:
                result.skipped.append(SkippedStep(step=step.id, uses=step.uses, reason=reason[0], detail=reason[1]))
                continue
            ctx = StepContext(options=step.options, journal=reader, now=now, step_id=step.id, workflow=self.workflow.name)
            if step.id in self._broken:
                failure: StepFailure | None = StepFailure(step=step.id, uses=step.uses, error=self._broken[step.id])
            else:
                failure = self._call(step, callers[event.type], event, ctx, result)
            if failure is not None:
                result.errors.append(failure)
                if self.workflow.settings.on_error == "stop":
                    break
            else:
                result.ran.append(step.id)
                result.cancelled.extend(k for k in ctx.cancelled if k not in result.cancelled)
        return result

    def _call(
        self, step: WorkflowStep, caller: pluggy.HookCaller, event: Event, ctx: StepContext, result: RunResult
    ) -> StepFailure | None:
        timeout = self.workflow.settings.step_timeout
        try:
            if timeout is None:
                returned = caller(event=event, ctx=ctx)
            else:
                returned = _call_with_timeout(caller, timeout, event=event, ctx=ctx)
        except StepTimeout:
            return StepFailure(step=step.id, uses=step.uses,
                               error=f"took longer than {timeout:g} seconds (settings.step_timeout); left behind")
        except Exception as exc:  # a step's bug must not take the other steps down
            return StepFailure(step=step.id, uses=step.uses, error=_one_line(exc))
        actions: list[Action] = []
        for value in returned:
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if not isinstance(item, Action):
                    return StepFailure(
                        step=step.id, uses=step.uses,
                        error=f"returned {_short_repr(item)}, which is not an action (coachflow.Action)",
                    )
                actions.append(attrs.evolve(item, step=step.id))
        result.actions.extend(actions)
        return None


class StepTimeout(Exception):
    """A step ran past ``settings.step_timeout``."""


def _call_with_timeout(caller: pluggy.HookCaller, timeout: float, **kwargs: Any) -> Any:
    """Call a step in a daemon thread and stop waiting for it after ``timeout`` seconds.

    Python cannot kill a thread, so a hung step is abandoned rather than
    stopped; being a daemon, it cannot keep the process alive at exit.
    """
    import threading

    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = caller(**kwargs)
        except BaseException as exc:  # handed back to the engine's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True, name="coachflow-step")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise StepTimeout()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def run_workflow(
    workflow: Workflow,
    event: Event,
    *,
    journal: Journal | None = None,
    now: dt.datetime | None = None,
    dry_run: bool = False,
) -> RunResult:
    """Run ``workflow`` on one ``event``: the one-call form of :class:`WorkflowRunner`."""
    return WorkflowRunner(workflow).run(event, journal=journal, now=now, dry_run=dry_run)
