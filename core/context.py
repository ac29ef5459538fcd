"""What a step sees while it runs: its options, the journal, the clock."""

from __future__ import annotations

import bisect
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

#: The person's day when a workflow says nothing else (``[settings] day_starts`` and ``day_ends``).
DAY_STARTS = dt.time(8, 0)
DAY_ENDS = dt.time(21, 0)

#: A hard run of noes when a workflow says nothing else: ``[settings] rejection_run`` rejections
#: within ``rejection_run_days`` days. The steps and a coach's board both count runs with these.
REJECTION_RUN = 3
REJECTION_RUN_DAYS = 7


def within_day(moment: dt.datetime, starts: dt.time = DAY_STARTS, ends: dt.time = DAY_ENDS) -> dt.datetime:
    """``moment`` if it falls inside the person's day, else the start of the next one.

    Before ``starts`` it moves to ``starts`` that day; after ``ends`` to
    ``starts`` the next day. Seconds are dropped, as reminders keep minutes.
    """
    moment = moment.replace(second=0, microsecond=0)
    if moment.time() < starts:
        return dt.datetime.combine(moment.date(), starts)
    if moment.time() > ends:
        return dt.datetime.combine(moment.date() + dt.timedelta(days=1), starts)
    return moment


def _clock(text: str, default: dt.time) -> dt.time:
    try:
        return dt.time.fromisoformat(text)
    except (TypeError, ValueError):
        return default


@attrs.frozen
class RejectionRun:
    """Several rejections close together: the week is going badly (see :meth:`StepContext.rejection_run`).

    :ivar count: the rejections within the window, this one included.
    :ivar days: the window, in days, the rejection's own day included.
    :ivar companies: the companies that said no, oldest first, each once.
    """

    count: int
    days: int
    companies: tuple[str, ...]


def next_working_day(moment: dt.datetime) -> dt.datetime:
    """``moment``, moved to the following Monday when it falls on a Saturday or Sunday.

    For reminders that ask a person to write to a company: nobody reads a
    recruiter's inbox at the weekend.
    """
    while moment.weekday() >= 5:
        moment += dt.timedelta(days=1)
    return moment


class RejectionDays:
    """Every rejection's date and company, in date order: a running summary
    (``journal.summary(RejectionDays)``) for :meth:`StepContext.rejection_run`."""

    event_types = ("rejection",)

    def __init__(self) -> None:
        self._days: list[tuple[int, int, str]] = []  # (date ordinal, event id, company), sorted

    def add(self, event_id: int, event: Event) -> None:
        """Take one more rejection into account."""
        item = (event.date.toordinal(), event_id, event.company)
        if not self._days or item >= self._days[-1]:
            self._days.append(item)  # the usual case: recorded in date order
        else:
            bisect.insort(self._days, item)

    def between(self, first: dt.date, last: dt.date) -> list[tuple[int, int, str]]:
        """The rejections dated from ``first`` to ``last``, both included, oldest first."""
        start = bisect.bisect_left(self._days, (first.toordinal(),))
        end = bisect.bisect_left(self._days, (last.toordinal() + 1,))
        return self._days[start:end]


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
    #: The workflow's ``[settings]`` (a :class:`coachflow.workflow.Settings`), or ``None`` outside a workflow.
    settings: Any = None
    #: The milestone kinds the workflow file declares, kind -> its declaration (description, win).
    milestone_kinds: Any = attrs.Factory(dict)
    #: The kinds that count as wins with this workflow (``None``: the built-in ones and the declared).
    win_kinds: Any = None
    #: Keys of earlier actions this run marks done (see :meth:`mark_done`).
    completed: list[str] = attrs.Factory(list)
    #: For the ``analyze-control`` step that classifies a rejection: the verdict on its reason
    #: (a :class:`coachflow.reasons.Verdict`) that the journal stores with the event, so that the
    #: step and the report say the same thing. ``None`` for every other step and event.
    verdict: Any = None

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

    def at_waking_hours(self, moment: dt.datetime) -> dt.datetime:
        """``moment``, moved into the person's day: every reminder and task is due inside it.

        The day is the workflow's ``[settings] day_starts`` to ``day_ends``
        (08:00 to 21:00 unless the coach says otherwise), local time. A time
        before it moves to its start; a time after it to the start of the
        next day.
        """
        starts = _clock(getattr(self.settings, "day_starts", ""), DAY_STARTS)
        ends = _clock(getattr(self.settings, "day_ends", ""), DAY_ENDS)
        return within_day(moment, starts, ends)

    def recorded_late(self, event: Event) -> bool:
        """True when the person records, today, an event that happened on an earlier day.

        What they still have to do is then dated from now (see
        :meth:`event_time`), and texts should say which date is which.
        """
        return self.live and event.date < self.now.date()

    def rejection_run(self, event: Event) -> RejectionRun | None:
        """The run of rejections this one belongs to, or ``None`` when it is not part of one.

        A run is ``[settings] rejection_run`` rejections (3 unless the coach
        says otherwise) dated within ``rejection_run_days`` days (7), this
        one's day included. On such a day the built-in steps name the run,
        ask for no new applications and give fewer, gentler tasks.
        """
        needed = getattr(self.settings, "rejection_run", REJECTION_RUN)
        days = getattr(self.settings, "rejection_run_days", REJECTION_RUN_DAYS)
        day = event.date
        # a running summary: several steps ask on every rejection of a replayed history
        recent = self.journal.summary(RejectionDays).between(day - dt.timedelta(days=days - 1), day)
        if len(recent) < needed:
            return None
        companies = tuple(dict.fromkeys(company for _, _, company in recent))
        return RejectionRun(count=len(recent), days=days, companies=companies)

    def is_win(self, kind: str) -> bool:
        """True for a milestone kind worth celebrating with this workflow: one it declares with
        ``win = true``, a built-in win, or a plugin's kind registered as a win."""
        if self.win_kinds is not None:
            return kind in self.win_kinds
        from coachflow.applications import is_win

        declared = self.milestone_kinds.get(kind)
        return bool(declared.win) if declared is not None else is_win(kind)

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

    def cancel_open(self, kinds: tuple[str, ...], *, key_prefix: str | tuple[str, ...] = "") -> None:
        """Cancel this step's own open actions of these kinds from earlier runs (with a key
        that starts with ``key_prefix``, or with any of several): what an accepted offer ends,
        say, or the check-ins of every company in a run of noes (one look at what is open).

        Like :meth:`cancel`, applied when the run is saved.
        """
        for stored in self.journal.actions(status="open", step=self.step_id, kinds=kinds):
            key = stored.action.key
            if key and key.startswith(key_prefix):
                self.cancel(key)

    def mark_done(self, key: str) -> None:
        """Mark open actions with this key from earlier runs done: a later event answered them
        (feedback arrived, so the feedback request needs nothing more).

        Unlike :meth:`cancel`, the action still counts as having been
        offered (a feedback request that was answered was still sent).
        Applied when the run is saved; ``--dry-run`` only reports it.
        """
        if key not in self.completed:
            self.completed.append(key)


def _as_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return human_datetime(value)
    if isinstance(value, dt.date):
        return human_date(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)
