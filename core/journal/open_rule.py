"""The open rule of :mod:`coachflow.applications` as SQL, for every query that asks what is open.

An application (a company and role) is open when an ``applied`` milestone
for it came after the last closing event that closes it: one for the same
company and role, one with no role at the company (it closes every role),
or, for an application with no role, any closing event at the company.
"Later" is by position: the date, then the order the events were recorded.

Both backends' :meth:`JournalReader.open_applications` run
:func:`open_applications_query`, and the practice store's board counts each
client's open applications with :func:`last_closes` and :func:`opened_after`,
so the rule is written here once. The closing kinds and the opening kind
come from :mod:`coachflow.applications` as parameters.
"""

from __future__ import annotations

from typing import Any

from coachflow.applications import CLOSING_KINDS, OPENING_KIND
from coachflow.journal.dialect import Dialect, greatest, names


def closing_condition(params: dict[str, Any], table: str = "") -> str:
    """SQL that holds for a closing event (a rejection, or a milestone of a closing kind).

    :param params: the query's parameters; the closing kinds are added to them.
    :param table: the alias of the events' table, when the query has one.
    """
    t = f"{table}." if table else ""
    kinds = names("closing", CLOSING_KINDS, params)
    return f"({t}type = 'rejection' OR ({t}type = 'milestone' AND {t}kind IN ({kinds})))"


def opening_condition(params: dict[str, Any], table: str = "") -> str:
    """SQL that holds for an ``applied`` milestone (the opening kind is added to ``params``)."""
    t = f"{table}." if table else ""
    params["opening"] = OPENING_KIND
    return f"({t}type = 'milestone' AND {t}kind = :opening)"


def last_closes(closing: str, partition: tuple[str, ...] = ()) -> str:
    """Two CTEs over ``closing`` (rows of closing events: the ``partition`` columns, ``company_key``,
    ``role_key``, ``position``): ``last_close_by_role`` (the last close of each company and role) and
    ``last_close_by_company`` (``any_role``: the last close at the company; ``no_role``: the last one
    with no role).

    :param partition: columns that keep journals apart in a query over many (``client_id``).
    """
    keys = "".join(f"{column}, " for column in partition)
    return f"""
    last_close_by_role AS (
        SELECT {keys}company_key, role_key, max(position) AS position FROM {closing}
        GROUP BY {keys}company_key, role_key
    ),
    last_close_by_company AS (
        SELECT {keys}company_key, max(position) AS any_role,
               max(CASE WHEN role_key = '' THEN position END) AS no_role
        FROM {closing} GROUP BY {keys}company_key
    )"""


def opened_after(position: str, role_key: str, by_role: str = "r", by_company: str = "c") -> str:
    """SQL that holds when an ``applied`` milestone at ``position`` came after every close of its application.

    :param role_key: the milestone's role key column.
    :param by_role: the alias of its ``last_close_by_role`` row (left joined: may be NULL).
    :param by_company: the alias of its ``last_close_by_company`` row (left joined: may be NULL).
    """
    return (f"{position} > CASE WHEN {role_key} = '' THEN coalesce({by_company}.any_role, -1) "
            f"ELSE {greatest(f'coalesce({by_role}.position, -1)', f'coalesce({by_company}.no_role, -1)')} END")


def open_applications_query(dialect: Dialect) -> tuple[str, dict[str, Any]]:
    """The applications open at the end of day ``:cutoff``, oldest first.

    Rows: ``(id, company, role, date)`` of the ``applied`` milestone that
    opened each (the first one sent after the application was last closed;
    sending it again while open does not open it twice). One pass of
    aggregates: the cost grows with the journal, not with its square.
    Parameter to add: ``cutoff`` (a date as the backend takes it).
    """
    params: dict[str, Any] = {}
    position = dialect.position()
    sql = f"""
    WITH closing AS (
        SELECT company_key, role_key, {position} AS position FROM {dialect.events}
        WHERE {dialect.scope} AND date <= :cutoff AND company_key != '' AND {closing_condition(params)}
    ),
    {last_closes("closing")},
    applied AS (
        SELECT id, company, role, company_key, role_key, date, {position} AS position FROM {dialect.events}
        WHERE {dialect.scope} AND {opening_condition(params)} AND date <= :cutoff AND company_key != ''
    ),
    still_open AS (
        SELECT a.id, a.company, a.role, a.date, a.position,
               row_number() OVER (PARTITION BY a.company_key, a.role_key ORDER BY a.position) AS nth
        FROM applied a
        LEFT JOIN last_close_by_company c ON c.company_key = a.company_key
        LEFT JOIN last_close_by_role r ON r.company_key = a.company_key AND r.role_key = a.role_key
        WHERE {opened_after("a.position", "a.role_key")}
    )
    SELECT id, company, role, date FROM still_open WHERE nth = 1 ORDER BY position
    """
    return dialect.param(sql), params
