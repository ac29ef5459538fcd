"""Running test cases: each on a throwaway journal in memory, through the public API.

A case's history is recorded with :func:`coachflow.recording.record_event`,
one event at a time at the moment it was recorded, exactly as ``coachflow
run`` records it (so the steps answered each one, and their reminders and
tasks are in the journal); then the event under test is recorded at the
case's ``now`` and its actions are checked. Nothing touches a journal on
disk, and any installed plugin's steps run as they would for a client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import attrs

from coachflow.models import Action, RunResult

if TYPE_CHECKING:
    from coachflow.engine import WorkflowRunner
    from coachflow.testing.files import Case, Expectation, WorkflowTests


@attrs.frozen
class Miss:
    """One expectation that did not hold, with the actions its filters selected."""

    expectation: "Expectation"
    selected: tuple[Action, ...]


@attrs.frozen
class CaseResult:
    """What running one case gave."""

    tests: "WorkflowTests"
    case: "Case"
    #: the run of the event under test
    result: RunResult
    misses: tuple[Miss, ...] = ()
    #: steps that failed, on the history or on the event under test, one line each
    errors: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """True when every expectation held and no step failed."""
        return not self.misses and not self.errors

    @property
    def actions(self) -> list[Action]:
        """The actions the event under test got."""
        return list(self.result.actions)


class CaseRunner:
    """Runs cases, building one :class:`WorkflowRunner` per workflow and reusing it.

    Every case gets a fresh journal: a copy of one empty journal made once,
    which costs a fraction of creating the schema each time.
    """

    def __init__(self, *, trace: Callable[[str], None] | None = None) -> None:
        """:param trace: receives a line for every hook call, as ``--trace`` shows."""
        from coachflow.journal import IN_MEMORY, open_journal

        self._trace = trace
        self._empty = open_journal(IN_MEMORY)
        self._runners: dict[int, tuple[object, "WorkflowRunner"]] = {}

    def runner_for(self, workflow: object) -> "WorkflowRunner":
        """The runner of ``workflow`` (built on first use)."""
        from coachflow.engine import WorkflowRunner

        kept = self._runners.get(id(workflow))
        if kept is None or kept[0] is not workflow:
            kept = (workflow, WorkflowRunner(workflow, trace=self._trace))  # type: ignore[arg-type]
            self._runners[id(workflow)] = kept
        return kept[1]

    def record(self, case: "Case") -> tuple[RunResult, list[str]]:
        """Record a case's history and its event on a fresh journal, checking nothing (previews use it).

        :return: the event's run, and the steps that failed on the history, one line each
            (the event's own failures are in the run's ``errors``).
        """
        from coachflow.recording import record_event

        runner = self.runner_for(case.workflow)
        errors: list[str] = []
        with self._empty.scratch_copy() as journal:
            for given in case.given:
                recorded = record_event(runner, given.event, journal, now=given.recorded_at, again=True)
                errors += [f"on the history ({_event_label(given.event)}): step {failure.step} failed: "
                           f"{failure.error}" for failure in recorded.result.errors]
            result = record_event(runner, case.event, journal, now=case.now, again=True).result
        return result, errors

    def run(self, tests: "WorkflowTests", case: "Case") -> CaseResult:
        """Run one case of ``tests`` and check its expectations."""
        result, errors = self.record(case)
        errors += [f"step {failure.step} failed: {failure.error}" for failure in result.errors]
        misses = []
        for expectation in case.expectations:
            selected = tuple(action for action in result.actions if expectation.selects(action))
            if not expectation.holds(len(selected)):
                misses.append(Miss(expectation=expectation, selected=selected))
        return CaseResult(tests=tests, case=case, result=result, misses=tuple(misses), errors=tuple(errors))

    def close(self) -> None:
        """Close the empty journal the cases' journals are copied from."""
        self._empty.close()


def _event_label(event) -> str:
    from coachflow.models import position

    what = position(event) or getattr(event, "kind", "")
    return f"{event.type}, {what}, {event.date.isoformat()}" if what else f"{event.type}, {event.date.isoformat()}"


def run_tests(files: Iterable["WorkflowTests"], *, trace: Callable[[str], None] | None = None) -> Iterator[CaseResult]:
    """Run every case of every file, in order, yielding each result as it is known.

    :param trace: as for :class:`CaseRunner`.
    """
    runner = CaseRunner(trace=trace)
    try:
        for tests in files:
            for case in tests.cases:
                yield runner.run(tests, case)
    finally:
        runner.close()


__all__ = ["CaseResult", "CaseRunner", "Miss", "run_tests"]
