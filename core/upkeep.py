"""Upkeep: what has long passed lapses, so that nothing piles up.

A reminder or task left open long after its due time is no longer
something to do: the check-in at the end of a window that ended weeks ago,
the "send more applications by Tuesday" of last month. Left open, they
would greet the person in ``coachflow due`` by the dozen. Every run marks
them ``missed`` first (``[settings] missed_after_days``, 2 days by
default, after the due time; a draft or task with no due time
``undated_missed_after_days``, 14 days, after its event), and the steps
then see only what is still current.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coachflow.journal import Journal, StoredAction

#: The status of an action whose time passed without it being done.
MISSED = "missed"


def missed_before(moment: dt.datetime, after_days: int) -> dt.datetime:
    """The due time before which an open action counts as missed at ``moment``."""
    return moment - dt.timedelta(days=after_days)


#: The kinds of action with no due time that lapse too: a draft to send, a task to do.
UNDATED_KINDS = ("draft", "task")


def mark_missed(journal: "Journal", moment: dt.datetime, *, after_days: int) -> list["StoredAction"]:
    """Mark ``missed`` every open action due more than ``after_days`` days before ``moment``; return them.

    Cheap on any history: the journal finds open actions by due time.
    Writes inside the caller's transaction, if any.
    """
    horizon = missed_before(moment, after_days)
    stale = [stored for stored in journal.reader.actions(status="open", due_before=horizon)
             if stored.action.due is not None and stored.action.due < horizon]
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
    oldest = moment.date() - dt.timedelta(days=after_days)
    stale = []
    for stored in reader.actions(status="open", kinds=UNDATED_KINDS):
        if stored.action.due is None:
            event = reader.event(stored.event_id)
            if event is not None and event.date < oldest:
                stale.append(stored)
    for stored in stale:
        journal.set_action_status(stored.id, MISSED, at=moment)
    return stale


__all__ = ["MISSED", "UNDATED_KINDS", "mark_missed", "mark_undated_missed", "missed_before"]
