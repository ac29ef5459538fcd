"""Upkeep: what has long passed lapses, so that nothing piles up.

A reminder or task left open long after its due time is no longer
something to do: the check-in at the end of a window that ended weeks ago,
the "send more applications by Tuesday" of last month. Left open, they
would greet the person in ``coachflow due`` by the dozen. Every run marks
them ``missed`` first (``[settings] missed_after_days``, 2 days by
default, after the due time; a draft or task with no due time
``undated_missed_after_days``, 14 days, after its event), and the steps
then see only what is still current.

The reading commands (``due``, ``status``, ``report``, the board and the
digest) never write, so they apply the same rule as they read
(:class:`Lapse`): what a run would mark missed is not shown as due,
whether or not a run has happened since it lapsed.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Iterable, NamedTuple

if TYPE_CHECKING:
    from coachflow.journal import Journal, JournalReader, StoredAction

#: The status of an action whose time passed without it being done.
MISSED = "missed"
#: ``[settings] missed_after_days`` when a workflow does not set it.
MISSED_AFTER_DAYS = 2
#: ``[settings] undated_missed_after_days`` when a workflow does not set it.
UNDATED_MISSED_AFTER_DAYS = 14


def missed_before(moment: dt.datetime, after_days: int) -> dt.datetime:
    """The due time before which an open action counts as missed at ``moment``."""
    return moment - dt.timedelta(days=after_days)


#: The kinds of action with no due time that lapse too: a draft to send, a task to do.
UNDATED_KINDS = ("draft", "task")


class Lapse(NamedTuple):
    """The lapse rule with a workflow's settings: when an open action is no longer something to do.

    :ivar after_days: ``[settings] missed_after_days``: days after its due time.
    :ivar undated_after_days: ``[settings] undated_missed_after_days``: days after its event,
        for a draft or task with no due time.
    """

    after_days: int = MISSED_AFTER_DAYS
    undated_after_days: int = UNDATED_MISSED_AFTER_DAYS

    def horizon(self, moment: dt.datetime) -> dt.datetime:
        """The due time before which an open action has lapsed at ``moment``."""
        return missed_before(moment, self.after_days)

    def oldest_event_day(self, moment: dt.datetime) -> dt.date:
        """The first event day whose undated drafts and tasks have not lapsed at ``moment``."""
        return moment.date() - dt.timedelta(days=self.undated_after_days)

    def has_lapsed(self, stored: "StoredAction", moment: dt.datetime, event_day: dt.date | None) -> bool:
        """Whether the open action ``stored`` has lapsed at ``moment``.

        :param event_day: the date of its event (only an undated draft or task needs it).
        """
        due = stored.action.due
        if due is not None:
            return due < self.horizon(moment)
        return (stored.action.kind in UNDATED_KINDS and event_day is not None
                and event_day < self.oldest_event_day(moment))

    def split(self, reader: "JournalReader", actions: Iterable["StoredAction"],
              moment: dt.datetime) -> tuple[list["StoredAction"], list["StoredAction"]]:
        """The open ``actions`` as ``(current, lapsed)`` at ``moment``, each in the order given.

        Reads the event of an undated draft or task only (a dated action needs none).
        """
        current: list["StoredAction"] = []
        lapsed: list["StoredAction"] = []
        days: dict[int, dt.date | None] = {}
        for stored in actions:
            day = None
            if stored.action.due is None and stored.action.kind in UNDATED_KINDS:
                if stored.event_id not in days:
                    event = reader.event(stored.event_id)
                    days[stored.event_id] = event.date if event is not None else None
                day = days[stored.event_id]
            (lapsed if self.has_lapsed(stored, moment, day) else current).append(stored)
        return current, lapsed

    def count_due(self, reader: "JournalReader", moment: dt.datetime) -> int:
        """How many open actions are due by ``moment`` and have not lapsed (two counts, no rows read)."""
        horizon = self.horizon(moment)
        if horizon >= moment:
            return 0
        # count_actions counts "at or before"; a due time exactly at the horizon has not lapsed
        return (reader.count_actions(status="open", due_before=moment)
                - reader.count_actions(status="open", due_before=horizon - dt.timedelta(microseconds=1)))


def mark_missed(journal: "Journal", moment: dt.datetime, *, after_days: int) -> list["StoredAction"]:
    """Mark ``missed`` every open action due more than ``after_days`` days before ``moment``; return them.

    Cheap on any history: the journal finds open actions by due time.
    Writes inside the caller's transaction, if any.
    """
    rule = Lapse(after_days=after_days)
    horizon = rule.horizon(moment)
    stale = [stored for stored in journal.reader.actions(status="open", due_before=horizon)
             if stored.action.due is not None and rule.has_lapsed(stored, moment, None)]
    for stored in stale:
        journal.set_action_status(stored.id, MISSED, at=moment)
    return stale


def mark_undated_missed(journal: "Journal", moment: dt.datetime, *, after_days: int) -> list["StoredAction"]:
    """Mark ``missed`` the open drafts and tasks with no due time whose event is more than
    ``after_days`` days before ``moment`` (a feedback request never sent, weeks later, is not
    going to be); return them.

    It reads every open action without a due time, notes included, so a
    replay asks it once per batch rather than once per event.
    """
    reader = journal.reader
    undated = [stored for stored in reader.actions(status="open", kinds=UNDATED_KINDS) if stored.action.due is None]
    _, stale = Lapse(undated_after_days=after_days).split(reader, undated, moment)
    for stored in stale:
        journal.set_action_status(stored.id, MISSED, at=moment)
    return stale


__all__ = ["MISSED", "MISSED_AFTER_DAYS", "UNDATED_KINDS", "UNDATED_MISSED_AFTER_DAYS", "Lapse", "mark_missed",
           "mark_undated_missed", "missed_before"]
