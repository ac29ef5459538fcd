"""The engine: runs a workflow's steps on an event and keeps the journal.

A :class:`WorkflowRunner` is built once per workflow: it registers one
instance of each listed step, with that step's options, on a pluggy plugin
manager of the step's own, so that calling a step is one pluggy hook call
that reaches that step alone. Running an event then calls each matching
step in the order of the file, each in isolation: a step that raises, runs past
``settings.step_timeout`` or returns something that is not an action is
reported in the result and the others still run (unless ``on_error = "stop"``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any, Callable, Iterable, Iterator

import attrs
import pluggy

from coachflow.context import WORKDAY_START, StepContext
from coachflow.plugin.hookspecs import WORKFLOW_HOOKS
from coachflow.plugin.host import create_plugin_manager
from coachflow.journal import Journal
from coachflow.models import ACTION_KINDS, Action, Event, RunResult, SkippedStep, StepFailure
from coachflow.time_limit import StepTimeout, TimeLimit
from coachflow.workflow import Workflow, WorkflowStep

#: The longest error text kept for a failed step: it is shown on one line.
MAX_ERROR_LENGTH = 200


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
    return line if len(line) <= MAX_ERROR_LENGTH else line[: MAX_ERROR_LENGTH - 3] + "..."


#: One step's hook caller for one event type: called as ``call(event=..., ctx=...)``,
#: it returns the step's non-None results (pluggy's hook-call convention).
StepCall = pluggy.HookCaller


class _Plan:
    """What to do with one step for one event type: skip it or call it.

    A plain class rather than an attrs one: every attrs class costs start-up time.
    """

    __slots__ = ("step", "skipped", "call", "broken")

    def __init__(self, step: WorkflowStep, *, skipped: SkippedStep | None = None,
                 call: StepCall | None = None, broken: str | None = None):
        self.step = step
        self.skipped = skipped  # set when the step never runs on this event type
        self.call = call
        self.broken = broken  # why the step could not be set up


class WorkflowRunner:
    """Runs one workflow on events; build it once and reuse it for many events."""

    def __init__(self, workflow: Workflow, *, trace: Callable[[str], None] | None = None,
                 protect_stdout: bool = False):
        """Prepare ``workflow`` to run.

        :param trace: receives a line for every workflow hook call (which
            step ran, with what result), as ``--trace`` shows; without it the
            hook calls carry no tracing cost at all.
        :param protect_stdout: what steps print goes to standard error, each
            line marked with the step's id, so that a command writing JSON to
            standard output keeps it valid.
        """
        self.workflow = workflow
        #: step id -> why the step could not be set up; reported on every run.
        self._broken: dict[str, str] = {}
        #: step id -> the hooks of the step's own plugin manager.
        hooks: dict[str, Any] = {}
        for step in workflow.steps:
            # Each step has a plugin manager of its own, so that calling it is one
            # pluggy hook call that reaches its implementations and no other step's.
            plugin_manager = create_plugin_manager()
            if trace is not None:
                from coachflow.tracing import trace_hook_calls

                trace_hook_calls(plugin_manager, trace, label=f"workflow '{workflow.name}'")
            try:
                instance = step.step_type.step_class(step.options)
                plugin_manager.register(instance, name=step.id)
            except Exception as exc:  # a step class's own bug
                self._broken[step.id] = f"could not be set up ({_one_line(exc)})"
                continue
            hooks[step.id] = plugin_manager.hook
        self._protect_stdout = protect_stdout
        timeout = workflow.settings.step_timeout
        #: The time limit on each step call; None when the workflow turns it off.
        self._limit = TimeLimit(timeout) if timeout else None
        #: step id -> the keyword tables of an analyze-control step (coachflow.reasons.tables_of).
        self._tables: dict[str, Any] = {}
        #: event type -> one plan per step, in the order of the file.
        self._plans: dict[str, list[_Plan]] = {
            event_type: [self._plan(step, event_type, hooks) for step in workflow.steps]
            for event_type in WORKFLOW_HOOKS
        }

    def _plan(self, step: WorkflowStep, event_type: str, hooks: dict[str, Any]) -> _Plan:
        if event_type not in step.on:
            detail = f"runs on {', '.join(step.on)}, not {event_type}"
            return _Plan(step, skipped=SkippedStep(step=step.id, uses=step.uses, reason="on", detail=detail))
        if step.id in self._broken:
            return _Plan(step, broken=self._broken[step.id])
        return _Plan(step, call=getattr(hooks[step.id], WORKFLOW_HOOKS[event_type]))

    def run(
        self,
        event: Event,
        *,
        journal: Journal,
        now: dt.datetime | None = None,
        dry_run: bool = False,
        event_id: int | None = None,
    ) -> RunResult:
        """Run the workflow on one event that the person is recording now.

        The event, the record of the run and the actions land in one
        transaction, so a run is in the journal whole or not at all, and a
        second writer waits until it is done (this is what lets
        :func:`coachflow.recording.record_event` check for an earlier copy
        and record the event as one step). With ``dry_run`` everything is
        rolled back, so the steps see the journal as it would be but nothing
        is kept. Steps get a live context (:attr:`StepContext.live`):
        reminders for an event recorded late count from ``now``.

        Most callers want :func:`coachflow.recording.record_event`, which also
        refuses an event recorded twice.

        :param journal: where the event is recorded; for a throwaway run,
            ``open_journal(":memory:")``.
        :param event_id: the id of this event when it is already in the
            journal without next steps (an event imported without
            ``--run``); it is not added again.
        """
        now = now or dt.datetime.now()
        if dry_run:
            journal.begin()
            try:
                return self._run_in(journal, event, now, live=True, event_id=event_id)
            finally:
                journal.rollback()
        with journal.transaction():
            return self._run_in(journal, event, now, live=True, event_id=event_id)

    def replay(
        self,
        events: Iterable[Event],
        journal: Journal,
        *,
        now: dt.datetime | None = None,
        batch_size: int = 5000,
    ) -> Iterator[RunResult]:
        """Record and run many events in order, committing every ``batch_size`` events.

        Used by ``coachflow import --run`` and benchmarks: one transaction per
        batch instead of two per event. Each event lands together with its
        actions; a failure (or closing the iterator early) rolls back only
        the current batch, and earlier batches stay committed. Steps see the
        events as history (:attr:`StepContext.live` is false), so reminders
        keep the dates they had when the events happened.
        """
        pending = 0
        latest: Event | None = None
        journal.begin()
        try:
            open_due = _OpenDue(journal.reader)
            # One clock signal for the whole replay, instead of one per event (see coachflow.time_limit).
            with self._limit or contextlib.nullcontext():
                for event in events:
                    yield self._run_in(journal, event, now or dt.datetime.now(), live=False, open_due=open_due)
                    latest = event if latest is None or event.date >= latest.date else latest
                    pending += 1
                    if pending >= batch_size:
                        self._sweep_undated(journal, latest)
                        journal.commit()
                        journal.begin()
                        pending = 0
                self._sweep_undated(journal, latest)
        except BaseException:
            journal.rollback()
            raise
        journal.commit()

    def _sweep_undated(self, journal: Journal, latest: Event | None) -> None:
        """In a replay, lapse undated drafts and tasks as of the latest event replayed so far."""
        if latest is not None:
            from coachflow.upkeep import mark_undated_missed

            mark_undated_missed(journal, dt.datetime.combine(latest.date, WORKDAY_START),
                                after_days=self.workflow.settings.undated_missed_after_days)

    def _run_in(self, journal: Journal, event: Event, now: dt.datetime, *, live: bool,
                event_id: int | None = None, open_due: "_OpenDue | None" = None) -> RunResult:
        # The event, its run and its actions land in one transaction here, so
        # the run is recorded in the event's own row (see Journal.add_event).
        recorded_here = event_id is None
        classifier, verdict = self._verdict(event)
        stored = verdict.to_json() if verdict is not None else None
        if recorded_here:
            event_id = journal.add_event(event, recorded_at=now, workflow=self.workflow.name, verdict=stored)
        elif stored is not None:
            journal.set_verdict(event_id, stored)
        # What has long passed lapses before the steps look at what is open. A replay
        # sweeps at the event's own time, so that history gets the statuses it had then;
        # undated drafts and tasks, whose sweep reads every open note, once per batch.
        from coachflow.upkeep import mark_missed, mark_undated_missed, missed_before

        moment = now if live else dt.datetime.combine(event.date, WORKDAY_START)
        settings = self.workflow.settings
        missed = []
        if open_due is None or open_due.may_have_lapsed(missed_before(moment, settings.missed_after_days)):
            missed = mark_missed(journal, moment, after_days=settings.missed_after_days)
            if open_due is not None and missed:
                open_due.ask(journal.reader)
        if live:
            missed += mark_undated_missed(journal, moment, after_days=settings.undated_missed_after_days)
        result = self._run_steps(event, journal, now, live=live, verdict=(classifier, verdict))
        result.missed = [stored.action.title for stored in missed]
        result.event_id = event_id
        self._save(journal, result, now, run_recorded=recorded_here)
        if open_due is not None:
            open_due.saw(result.actions)
        return result

    def _save(self, journal: Journal, result: RunResult, now: dt.datetime, *, run_recorded: bool = False) -> None:
        assert result.event_id is not None
        journal.cancel_actions(result.cancelled)
        for key in result.completed:
            for stored in journal.reader.actions(status="open", key=key):
                journal.set_action_status(stored.id, "done", at=now)
        # add_actions also records that the workflow ran, even with no actions.
        journal.add_actions(result.event_id, self.workflow.name, result.actions, created_at=now,
                            run_recorded=run_recorded)

    def _verdict(self, event: Event) -> tuple[str | None, Any]:
        """For a rejection: the id of the ``analyze-control`` step that classifies it and its verdict.

        That is the first such step that runs on the event (its ``when`` and
        ``contains`` match), else the first one, whose tables a report reads
        too (:func:`coachflow.report.build.report_settings`). ``(None, None)``
        for other events, and for a workflow without the step: its run says
        nothing about control, and a report classifies the rejection itself.
        """
        if event.type != "rejection":
            return None, None
        steps = [step for step in self.workflow.steps if step.uses == "analyze-control" and "rejection" in step.on]
        if not steps:
            return None, None
        from coachflow.reasons import classify, tables_of

        step = next((step for step in steps if not (step.when or step.contains) or step.mismatch(event) is None),
                    steps[0])
        if step.id not in self._tables:
            self._tables[step.id] = tables_of(step.options)
        outside, inside = self._tables[step.id]
        return step.id, classify(event.reason, event.notes, outside=outside, inside=inside)

    def _run_steps(self, event: Event, journal: Journal, now: dt.datetime, *, live: bool,
                   verdict: tuple[str | None, Any] = (None, None)) -> RunResult:
        result = RunResult(event=event, workflow=self.workflow.name)
        reader = journal.reader
        limit = self._limit
        if limit is not None:
            with limit:
                return self._call_steps(event, reader, now, live, result, limit, verdict)
        return self._call_steps(event, reader, now, live, result, None, verdict)

    def _call_steps(self, event: Event, reader: Any, now: dt.datetime, live: bool, result: RunResult,
                    limit: TimeLimit | None, verdict: tuple[str | None, Any] = (None, None)) -> RunResult:
        classifier, stored_verdict = verdict
        workflow = self.workflow.name
        settings = self.workflow.settings
        kinds = self.workflow.milestone_kinds
        stop_at_first_error = settings.on_error == "stop"
        for plan in self._plans[event.type]:
            if plan.skipped is not None:
                result.skipped.append(plan.skipped)
                continue
            step = plan.step
            if step.when or step.contains:
                reason = step.mismatch(event)
                if reason is not None:
                    result.skipped.append(SkippedStep(step=step.id, uses=step.uses, reason=reason[0], detail=reason[1]))
                    continue
            failure: StepFailure | None = None
            if plan.broken is not None:
                failure = StepFailure(step=step.id, uses=step.uses, error=plan.broken)
            else:
                ctx = StepContext(options=step.options, journal=reader, now=now, step_id=step.id,
                                  workflow=workflow, live=live, settings=settings, milestone_kinds=kinds,
                                  win_kinds=self.workflow.win_kinds,
                                  verdict=stored_verdict if step.id == classifier else None)
                try:
                    if self._protect_stdout:
                        from coachflow.plugin.host import output_to_stderr

                        with output_to_stderr(f"step {step.id}"):
                            returned = plan.call(event=event, ctx=ctx) if limit is None else limit.call(
                                plan.call, event=event, ctx=ctx)
                    elif limit is None:
                        returned = plan.call(event=event, ctx=ctx)
                    else:
                        returned = limit.call(plan.call, event=event, ctx=ctx)
                except StepTimeout as timeout:
                    # The step was stopped (or left behind) perhaps halfway through feeding a
                    # running summary: the steps after it must not share one it changed.
                    reader.forget_summaries()
                    fate = "was left running, cut off from the journal" if timeout.left_behind else "was stopped"
                    failure = StepFailure(step=step.id, uses=step.uses, error=f"took longer than {limit.seconds:g} "
                                          f"seconds (settings.step_timeout) and {fate}")
                except (Exception, SystemExit) as exc:  # a step's bug must not take the other steps down
                    failure = StepFailure(step=step.id, uses=step.uses, error=_one_line(exc), exception=exc)
                else:
                    if returned:
                        failure = _keep_actions(step, returned, result)
                if failure is None:
                    result.ran.append(step.id)
                    if ctx.cancelled:
                        result.cancelled.extend(k for k in ctx.cancelled if k not in result.cancelled)
                    if ctx.completed:
                        result.completed.extend(k for k in ctx.completed if k not in result.completed)
            if failure is not None:
                result.errors.append(failure)
                if stop_at_first_error:
                    break
        result.actions = _arranged(result.actions, event, self.workflow)
        return result


class _OpenDue:
    """In a replay, the earliest due time of the journal's open actions, so that upkeep asks
    the journal for missed actions only when one can have lapsed.

    A replay holds the journal's write transaction, and every action written in it is one
    the runner saves, so the earliest due time is known without asking again after each
    event. Actions marked done or cancelled can only make it later: the value kept is then
    too early, which costs a question, never a missed action.
    """

    __slots__ = ("earliest",)

    def __init__(self, reader: Any):
        self.earliest: dt.datetime | None = None
        self.ask(reader)

    def ask(self, reader: Any) -> None:
        """Find the earliest due time again (after actions were marked missed)."""
        soonest = reader.next_due(dt.datetime.min)
        self.earliest = soonest.action.due if soonest is not None else None

    def may_have_lapsed(self, horizon: dt.datetime) -> bool:
        """Whether an open action can be due before ``horizon`` (see :func:`coachflow.upkeep.mark_missed`)."""
        return self.earliest is not None and self.earliest < horizon

    def saw(self, actions: list[Action]) -> None:
        """Take the due times of actions just written into account."""
        for action in actions:
            if action.due is not None:
                due = action.due.replace(second=0, microsecond=0)  # to the minute, as the journal keeps it
                if self.earliest is None or due < self.earliest:
                    self.earliest = due


def _arranged(actions: list[Action], event: Event, workflow: Workflow) -> list[Action]:
    """The actions of one run as the person reads them.

    Two actions with the same key are the same thing offered twice (two
    steps suggesting one exercise): the first is kept. On a win, the
    celebration comes first, so that good news never opens with a demand.
    """
    seen: set[str] = set()
    kept = []
    for action in actions:
        if action.key is not None:
            if action.key in seen:
                continue
            seen.add(action.key)
        kept.append(action)
    if event.type == "milestone" and workflow.is_win(event.kind) and \
            any(action.kind == "celebration" for action in kept):
        kept.sort(key=lambda action: action.kind != "celebration")
    return kept


def _keep_actions(step: WorkflowStep, returned: list, result: RunResult) -> StepFailure | None:
    """Add the actions a step returned to ``result``, or say why they cannot be kept (and keep none)."""
    actions: list[Action] = []
    for value in returned:
        for item in value if isinstance(value, (list, tuple)) else (value,):
            problem = _action_problem(item)
            if problem is not None:
                return StepFailure(step=step.id, uses=step.uses, error=problem)
            actions.append(item if item.step == step.id else attrs.evolve(item, step=step.id))
    result.actions.extend(actions)
    return None


def _action_problem(item: Any) -> str | None:
    """Why a value a step returned cannot be kept as an action, or ``None``.

    :class:`Action` checks its kind and title when it is made; the other
    fields are checked here, so that a wrong type is reported as the step's
    failure instead of breaking the journal write or the output later.
    """
    if not isinstance(item, Action):
        return f"returned {_short_repr(item)}, which is not an action (coachflow.Action)"
    if item.kind not in ACTION_KINDS or not isinstance(item.title, str) or not isinstance(item.body, str):
        return f"returned an action with kind {_short_repr(item.kind)}, title {_short_repr(item.title)} " \
               f"and body {_short_repr(item.body)}; kind must be one of {', '.join(ACTION_KINDS)}, title and body text"
    if item.due is not None and not isinstance(item.due, dt.datetime):
        return f"returned an action whose due is {_short_repr(item.due)}, not a date and time (datetime.datetime)"
    if item.key is not None and not isinstance(item.key, str):
        return f"returned an action whose key is {_short_repr(item.key)}, not text"
    return None




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
    """Run ``workflow`` on one ``event`` (a live run): the one-call form of :class:`WorkflowRunner`.

    :param journal: where to record it; default: a throwaway journal in memory.
    """
    if journal is not None:
        return WorkflowRunner(workflow).run(event, journal=journal, now=now, dry_run=dry_run)
    from coachflow.journal import IN_MEMORY, open_journal

    with open_journal(IN_MEMORY) as scratch:
        return WorkflowRunner(workflow).run(event, journal=scratch, now=now, dry_run=dry_run)
