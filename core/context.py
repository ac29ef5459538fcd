"""What a step sees while it runs: its options, the journal, the clock."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs

from coachflow import templates
from coachflow.models import Event, event_fields, position
from coachflow.wording import human_date, human_datetime

if TYPE_CHECKING:
    from coachflow.journal import JournalReader

#: The time of day reminders for past events are scheduled from.
WORKDAY_START = dt.time(9, 0)


def next_working_day(moment: dt.datetime) -> dt.datetime:
    """``moment``, moved to the following Monday when it falls on a Saturday or Sunday.

    For reminders that ask a person to write to a company: nobody reads a
    recruiter's inbox at the weekend.
    """
    while moment.weekday() >= 5:
        moment += dt.timedelta(days=1)
    return moment


@attrs.define(slots=True)
class StepContext:
    """Passed to every workflow hook as ``ctx``.

    :ivar options: this step's options, an instance of its ``Options`` class.
    :ivar journal: the person's history, read-only; the current event is in it.
    :ivar now: the time of this run (naive local time).
    :ivar step_id: the id of this step in the workflow.
    :ivar workflow: the name of the running workflow.
    :ivar live: ``True`` when the person is recording the event now
        (``coachflow run``, :meth:`WorkflowRunner.run`), ``False`` when
        history is replayed (``coachflow import --run``,
        :meth:`WorkflowRunner.replay`). It decides what
        :meth:`event_time` returns for an event recorded late.
    """

    options: Any
    journal: "JournalReader"
    now: dt.datetime
    step_id: str
    workflow: str
    cancelled: list[str] = attrs.Factory(list)
    live: bool = False

    def event_time(self, event: Event) -> dt.datetime:
        """When to schedule this event's reminders from.

        An event dated today happened now; an earlier or later one is taken
        to have happened at the start of that working day. In a live run an
        event recorded days late counts from now instead, so that its
        reminders never fall in the past; a replay keeps the historical
        time, so replaying an old event gives the due dates it had then.
        """
        if event.date == self.now.date():
            return self.now.replace(second=0, microsecond=0)
        moment = dt.datetime.combine(event.date, WORKDAY_START)
        if self.live and moment < self.now:
            return self.now.replace(second=0, microsecond=0)
        return moment

    def template_values(self, event: Event, **extra: Any) -> dict[str, str]:
        """The values templates can use: every event field, then ``extra``."""
        values = {name: getattr(event, name) for name in event_fields(event.type)}
        values["type"] = event.type
        values["date"] = human_date(event.date)
        values["position"] = position(event)
        values.update(extra)
        return {k: (v if isinstance(v, str) else _as_text(v)) for k, v in values.items()}

    def render(self, template: str, event: Event, **extra: Any) -> str:
        """Fill a template option with the event's fields and ``extra`` values.

        Dates and date-times in ``extra`` are written as people write them.
        """
        return templates.render(template, self.template_values(event, **extra))

    def cancel(self, key: str) -> None:
        """Cancel open actions with this key from earlier runs (e.g. a follow-up).

        Applied to the journal when the run is saved; ``--dry-run`` only
        reports it.
        """
        if key not in self.cancelled:
            self.cancelled.append(key)


def _as_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return human_datetime(value)
    if isinstance(value, dt.date):
        return human_date(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)
