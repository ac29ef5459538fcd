"""The pipeline: every application in a journal and where it stands.

:meth:`JournalReader.open_applications` answers "what is open?" with one
query, which is right for a command that asks once. A step asks on every
event, and during a replay of a long history that query would read the
whole journal each time. :class:`Pipeline` is the same answer kept as a
running summary (see :meth:`JournalReader.summary`): each event updates only
the applications it touches. Steps get it from ``ctx.journal.pipeline()``.
"""

from __future__ import annotations

import bisect
import datetime as dt

from coachflow.journal import Application
from coachflow.models import Event

#: Milestone kinds that close an application, as a rejection does.
CLOSING_KINDS = frozenset({"withdrawn", "accepted"})

# An event's place in time: its date, then the order it was recorded in.
_Position = tuple[str, int]
_BEFORE_ALL: _Position = ("", 0)

# Company and role are compared as the journal's queries compare them
# (SQLite's NOCASE: ASCII letters only), so that the pipeline a step sees is
# the pipeline `coachflow status` shows.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _fold(name: str) -> str:
    return name.translate(_ASCII_LOWER)


class Pipeline:
    """Applications sent and not yet closed, and the latest news of each, kept as events are added.

    The rules are those of :meth:`JournalReader.open_applications`: an
    ``applied`` milestone opens an application for its company and role; a
    later rejection, ``withdrawn`` or ``accepted`` milestone for the same
    company and role closes it. A closing event with no role closes every
    application at its company, and an application with no role is closed by
    any closing event at its company. Applying again to a position that is
    still open does not open it twice. "Later" means a later date, or the
    same date and recorded later.

    Ask a reader for it (``ctx.journal.pipeline()``) rather than making one:
    the reader feeds it the journal's events and keeps it current.
    """

    def __init__(self) -> None:
        # (company, role) folded -> the applied milestones, by position
        self._applied: dict[tuple[str, str], list[tuple[_Position, Application]]] = {}
        self._closed_by_role: dict[tuple[str, str], _Position] = {}
        self._closed_any_role: dict[str, _Position] = {}
        self._closed_without_role: dict[str, _Position] = {}
        self._keys_by_company: dict[str, set[tuple[str, str]]] = {}
        self._open: dict[tuple[str, str], tuple[_Position, Application]] = {}
        self._open_sorted: list[tuple[tuple[str, str], Application]] | None = []
        self._news: dict[tuple[str, str], dt.date] = {}
        #: How many ``applied`` milestones the journal holds.
        self.applied_count = 0
        #: The date of the latest ``applied`` milestone, or ``None``.
        self.last_applied: dt.date | None = None
        #: The date of the latest ``accepted`` milestone, or ``None``.
        self.last_accepted: dt.date | None = None

    def add(self, event_id: int, event: Event) -> None:
        """Take one more event into account (the reader calls this)."""
        company = getattr(event, "company", "")
        if event.type == "milestone":
            if event.kind == "applied":
                self.applied_count += 1
                self.last_applied = max(self.last_applied or event.date, event.date)
            elif event.kind == "accepted":
                self.last_accepted = max(self.last_accepted or event.date, event.date)
        if not company:
            return
        key = (_fold(company), _fold(event.role))
        if self._news.get(key, dt.date.min) < event.date:
            self._news[key] = event.date
        position = (event.date.isoformat(), event_id)
        if event.type == "milestone" and event.kind == "applied":
            application = Application(company=company, role=event.role, applied=event.date, event_id=event_id)
            applied = self._applied.setdefault(key, [])
            if not applied or position > applied[-1][0]:
                applied.append((position, application))
            else:  # recorded out of date order; positions are unique, so Applications are never compared
                bisect.insort(applied, (position, application))
            self._keys_by_company.setdefault(key[0], set()).add(key)
            self._refresh(key)
        elif event.type == "rejection" or (event.type == "milestone" and event.kind in CLOSING_KINDS):
            self._closed_any_role[key[0]] = max(self._closed_any_role.get(key[0], _BEFORE_ALL), position)
            if key[1]:
                self._closed_by_role[key] = max(self._closed_by_role.get(key, _BEFORE_ALL), position)
                touched = [key, (key[0], "")]
            else:
                self._closed_without_role[key[0]] = max(self._closed_without_role.get(key[0], _BEFORE_ALL),
                                                        position)
                touched = list(self._keys_by_company.get(key[0], ()))
            for each in touched:
                self._refresh(each)

    def _refresh(self, key: tuple[str, str]) -> None:
        """Find the application open for ``key`` now: the first one sent after it was last closed."""
        applied = self._applied.get(key)
        if not applied:
            return
        company, role = key
        if role:
            closed = max(self._closed_by_role.get(key, _BEFORE_ALL),
                         self._closed_without_role.get(company, _BEFORE_ALL))
        else:
            closed = self._closed_any_role.get(company, _BEFORE_ALL)
        at = bisect.bisect_right(applied, closed, key=lambda item: item[0])
        was = self._open.get(key)
        if at < len(applied):
            self._open[key] = applied[at]
        else:
            self._open.pop(key, None)
        if self._open.get(key) != was:
            self._open_sorted = None

    def open_applications(self, *, news_since: dt.date | None = None) -> list[Application]:
        """The applications open now, oldest first (as :meth:`JournalReader.open_applications`).

        :param news_since: only those with news (see :meth:`latest_news`) on
            or after this date: most applications that go quiet for weeks
            never come back.
        """
        if self._open_sorted is None:
            by_position = sorted(self._open.items(), key=lambda item: item[1][0])
            self._open_sorted = [(key, application) for key, (_, application) in by_position]
        if news_since is None:
            return [application for _, application in self._open_sorted]
        news, never = self._news, dt.date.min
        return [
            application for key, application in self._open_sorted
            if news.get(key, never) >= news_since or news.get((key[0], ""), never) >= news_since
        ]

    def latest_news(self, company: str, role: str = "") -> dt.date | None:
        """The date of the latest event about an application: one at its company for its role,
        or for no role in particular. ``None`` when there is none."""
        folded = _fold(company)
        dates = [self._news.get((folded, _fold(role))), self._news.get((folded, ""))]
        known = [day for day in dates if day is not None]
        return max(known) if known else None

    def search_concluded(self) -> bool:
        """True when an offer was accepted and nothing was applied for after that day."""
        return self.last_accepted is not None and (self.last_applied is None or
                                                   self.last_applied <= self.last_accepted)


__all__ = ["CLOSING_KINDS", "Pipeline"]
