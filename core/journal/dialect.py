"""What differs between the backends' SQL, so that both run one text for each rule.

The rules of :mod:`coachflow.applications` are written once as SQL (the open
rule in :mod:`coachflow.journal.open_rule`, a period's counts in
:mod:`coachflow.journal.periods`); each backend says in a :class:`Dialect`
which table holds its events, which of them are the journal's, how a date
becomes a number and how its driver takes parameters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterable, NamedTuple

#: An event's position (its place in time) is its day (days since 1 January of year 1) times this,
#: plus its id; ids must be smaller (68 billion events).
POSITION_SCALE = 2**36


def position_of(day: dt.date, event_id: int) -> int:
    """An event's position as the queries compute it (:meth:`Dialect.position`), from its date and id."""
    return (day.toordinal() - 1) * POSITION_SCALE + (event_id & (POSITION_SCALE - 1))


def day_of(position: int) -> dt.date:
    """The date of the event at ``position``."""
    return dt.date.fromordinal(position // POSITION_SCALE + 1)


def _unchanged(sql: str) -> str:
    return sql


def _group_concat(expression: str) -> str:
    return f"group_concat({expression})"


class Dialect(NamedTuple):
    """What differs between the backends' SQL.

    :ivar events: the table of events (``events``, ``coachflow.events``).
    :ivar scope: a condition on it that keeps the journal's own rows (``1 = 1`` for a file of its own).
    :ivar day: an SQL expression of a date (a column or a parameter) as a whole number of days.
    :ivar param: turns the ``:name`` parameters these queries are written with into the driver's style.
    :ivar collect: an aggregate of whole numbers as one text, separated by commas, in any order.
    """

    events: str
    scope: str
    day: Callable[[str], str]
    param: Callable[[str], str] = _unchanged
    collect: Callable[[str], str] = _group_concat

    def position(self, table: str = "") -> str:
        """SQL for an event's position: its day, then its id, as one whole number.

        :param table: the alias of the events' table, when the query has one (``e``).
        """
        t = f"{table}." if table else ""
        return f"({self.day(f'{t}date')} * {POSITION_SCALE} + {t}id)"


def names(prefix: str, values: Iterable[str], params: dict[str, Any]) -> str:
    """Parameters ``:prefix0, :prefix1, ...`` for ``values`` (added to ``params``), for an ``IN (...)`` list."""
    found = []
    for number, value in enumerate(values):
        params[f"{prefix}{number}"] = value
        found.append(f":{prefix}{number}")
    return ", ".join(found) or "NULL"  # IN (NULL) holds for nothing


def least(first: str, second: str) -> str:
    """The smaller of two values, either of which may be NULL (SQLite's min() and PostgreSQL's least() differ)."""
    return f"CASE WHEN {first} IS NULL OR {second} < {first} THEN {second} ELSE {first} END"


def greatest(first: str, second: str) -> str:
    """The larger of two values that are never NULL (SQLite's max() and PostgreSQL's greatest() differ)."""
    return f"CASE WHEN {second} > {first} THEN {second} ELSE {first} END"
