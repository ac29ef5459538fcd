"""Upkeep: what has long passed lapses, so that nothing piles up.

A reminder or task left open long after its due time is no longer
something to do: the check-in at the end of a window that ended weeks ago,
the "send more applications by Tuesday" of last month. Left open, they
would greet the person in ``coachflow due`` by the dozen. Every run marks
them ``missed`` first (``[settings] missed_after_days``, 2 days by
default, after the due time), and the steps then see only what is still
current.
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


def mark_missed(journal: "Journal", moment: dt.datetime, *, after_days: int) -> list["StoredAction"]:
    """Mark ``missed`` every open action due more than ``after_days`` days before ``moment``; return them.

    Writes inside the caller's transaction, if any.
    """
    horizon = missed_before(moment, after_days)
    stale = [stored for stored in journal.reader.actions(status="open", due_before=horizon)
             if stored.action.due is not None and stored.action.due < horizon]
    for stored in stale:
        journal.set_action_status(stored.id, MISSED, at=moment)
    return stale


__all__ = ["MISSED", "mark_missed", "missed_before"]
