"""Recording an event: the one function behind ``coachflow run``, for commands, tests and plugins.

:func:`record_event` checks that the event is not in the journal already,
records it, runs the workflow on it and saves what the steps returned, all
as one transaction: two identical runs started at the same moment record the
event once, and a run that cannot be saved (a full disk) leaves nothing
behind. A dry run does the same and keeps nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from coachflow.errors import CoachflowError

if TYPE_CHECKING:
    from coachflow.engine import WorkflowRunner
    from coachflow.journal import Entry, Journal
    from coachflow.models import Event, RunResult


class AlreadyRecorded(CoachflowError):
    """The journal holds this event with its next steps already; nothing was added."""

    def __init__(self, event: "Event", earlier: "Entry"):
        from coachflow.wording import human_date

        super().__init__(
            f"this {event.type} is already in your journal (recorded {human_date(earlier.recorded_at.date())}); "
            "nothing was added. Add --again to record it once more."
        )
        self.event = event
        self.earlier = earlier


@attrs.define
class Recorded:
    """What :func:`record_event` did."""

    #: What the steps returned, the steps skipped and the failures.
    result: "RunResult"
    #: True when nothing was kept (a dry run).
    dry_run: bool = False
    #: An earlier copy of the event that had no next steps yet (imported
    #: without ``--run``): the steps ran on it instead of recording it twice.
    completed: "Entry | None" = None


def record_event(
    runner: "WorkflowRunner",
    event: "Event",
    journal: "Journal",
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    again: bool = False,
) -> Recorded:
    """Record ``event`` in ``journal`` and run ``runner``'s workflow on it.

    :param dry_run: run the steps against the journal as it would be, then
        keep nothing.
    :param again: record the event even when the journal holds one with the
        same content (it happened twice).
    :raises AlreadyRecorded: when the journal holds the event with its next
        steps and ``again`` is not given; nothing is written.
    :raises KeyboardInterrupt: when Ctrl-C stops a step; nothing is written.
    """
    if dry_run:
        return Recorded(runner.run(event, journal=journal, now=now, dry_run=True), dry_run=True)
    # One transaction from the check to the last action: a second run of the
    # same command waits for this one and then finds the copy it left.
    with journal.transaction():
        earlier = None if again else journal.reader.entry_like(event)
        if earlier is not None and earlier.workflows:
            raise AlreadyRecorded(event, earlier)
        result = runner.run(event, journal=journal, now=now, event_id=earlier.id if earlier else None)
    return Recorded(result, completed=earlier)


__all__ = ["AlreadyRecorded", "Recorded", "record_event"]
