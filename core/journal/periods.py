"""A period's counts computed by the database: the SQL behind :meth:`JournalReader.period_summary`.

The report asks how many applications were sent in a period, how they
ended, how far each got and how the pipeline moved week by week. Feeding
every event of a long search through Python to answer that took seconds per
100,000 events; these queries let the database do it, and both backends run
the same text (each gives a :class:`Dialect`: how to read an event's day
as a number, and which rows are the journal's).

Everything the queries know about applications comes from
:mod:`coachflow.applications` as parameters: the opening kind, the closing
kinds and their outcomes, the stages and their order, the milestones that
show a stage. The rules are those of :class:`~coachflow.applications.ApplicationBook`,
which the report used to stream every event through:

- An application is opened by an ``applied`` milestone unless one for the
  same company and role is open already, and is closed by the first closing
  event after it that :func:`~coachflow.applications.matches` it (by
  position: date, then id).
- Its furthest stage is the furthest that a matching event showed while it
  was open, the closing event included. The stages are few, so "did it reach
  stage *s*" is "is the next matching event showing *s* or further at or
  before its close": one running minimum per stage, no join of events to
  applications.
- A closing event for a company and role no application was ever opened for
  (nor known from an earlier such event) is an application too, sent and
  ended that day.

The records the report gets back (:class:`PeriodSummary`, with its
:class:`PeriodWeek` and :class:`RejectionReasons`) are defined here too, with
:class:`Tally` (what ``status`` counts of recent days), so that a run, which
never asks for a period's counts, imports none of it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Collection, Iterable, Iterator, Mapping, NamedTuple

import attrs

from coachflow.applications import (
    CLOSING_KINDS, INTERVIEW_STAGES, OPENING_KIND, OUTCOMES, REJECTION_OUTCOME, STAGE_INDEX, STAGE_MILESTONES, is_win,
)
from coachflow.errors import JournalError
from coachflow.journal.dialect import POSITION_SCALE, Dialect, day_of, least, names
from coachflow.models import APPLICATION_MILESTONES, STAGES, Event
from coachflow.progress import SearchNumbers

#: Larger than any position: "never closed".
_NEVER = 2**63 - 1
#: A closing event's tag is its position times this, plus its outcome (its place in OUTCOMES) times
#: the number of stages, plus the stage it shows: the running minimum of tags finds the next closing
#: event and how it ended in one value, with no join back to the event. The largest day (year 9999)
#: keeps tags below 2**62.
_TAGS = 16


@attrs.frozen
class Tally:
    """How many events of each sort happened in a window (see :meth:`JournalReader.tally`)."""

    rejections: int = 0
    feedback: int = 0
    #: milestone kind -> how many.
    milestones: dict[str, int] = attrs.Factory(dict)

    @property
    def applications(self) -> int:
        """Applications sent (``applied`` milestones)."""
        return self.milestones.get("applied", 0)

    @property
    def wins(self) -> dict[str, int]:
        """The milestones worth celebrating, by kind (see :func:`coachflow.applications.is_win`)."""
        return {kind: n for kind, n in sorted(self.milestones.items()) if is_win(kind)}

    @property
    def win_count(self) -> int:
        """How many wins in all."""
        return sum(self.wins.values())


@attrs.frozen
class PeriodWeek:
    """One week of a period (see :meth:`JournalReader.period_summary`).

    :ivar week_start: the Monday it starts on.
    :ivar open: applications open at its end (or at the end of the period).
    :ivar applied: applications sent that week (within the period).
    :ivar closed: applications that ended that week (within the period).
    :ivar wins: milestones of the winning kinds that week (within the period).
    """

    week_start: dt.date
    open: int
    applied: int
    closed: int
    wins: int


@attrs.frozen
class RejectionReasons:
    """Rejections of a period with the same company, reason and notes, and how many there were."""

    company: str
    reason: str
    notes: str
    count: int
    #: the verdict stored with these rejections (:attr:`Entry.verdict`), or ``None`` for rejections
    #: never classified; rejections with different stored verdicts are separate groups.
    verdict: str | None = None


@attrs.frozen
class PeriodSummary:
    """What happened to a person's applications over a period, counted by the journal's backend.

    The rules are those of :mod:`coachflow.applications` (see
    :class:`~coachflow.applications.ApplicationBook`): an application is
    sent by an ``applied`` milestone, or known from a rejection or a
    withdrawal for a company and role never applied to (sent and ended that
    day); it reaches stages and ends in one of
    :data:`~coachflow.applications.OUTCOMES`.

    :ivar start: the first day (the ``since`` asked for, else the day of the first event, else ``until``).
    :ivar sent: applications sent in the period.
    :ivar open_at_start: applications open when the period began.
    :ivar open_at_end: applications open at its end.
    :ivar outcomes: ``open`` and each outcome -> how many of the applications sent in the period stand so at its end.
    :ivar furthest: stage -> how many of them got that far and no further.
    :ivar rejected_at: stage -> how many of them ended with a rejection, having got that far.
    :ivar rejections_by_stage: stage -> rejections dated in the period (their applications sent then or not).
    :ivar wins_by_kind: milestone kind -> how many in the period, for the winning kinds asked about.
    :ivar recent_wins: the latest of those milestones, newest first.
    :ivar feedback_received: feedback events in the period.
    :ivar feedback_requested: feedback requests drafted for events in the period
        (:meth:`JournalReader.feedback_requested`).
    :ivar weeks: every week from the one ``start`` is in to the one ``until`` is in.
    :ivar numbers: the person's numbers over the events of the period, as
        :class:`coachflow.progress.SearchTally` counts them.
    :ivar rejections: the period's rejections, grouped, in the order each group first came (for their reasons).
    :ivar quiet_at_end: of the applications open at its end, how many had no news since the day asked
        (``news_since``): the ones ``maintain-momentum`` leaves out of the count toward the target
        (:func:`coachflow.applications.gone_quiet`).
    """

    start: dt.date
    sent: int
    open_at_start: int
    open_at_end: int
    outcomes: dict[str, int]
    furthest: dict[str, int]
    rejected_at: dict[str, int]
    rejections_by_stage: dict[str, int]
    wins_by_kind: dict[str, int]
    recent_wins: tuple[Event, ...]
    feedback_received: int
    feedback_requested: int
    weeks: tuple[PeriodWeek, ...]
    numbers: SearchNumbers
    rejections: tuple[RejectionReasons, ...]
    quiet_at_end: int = 0


def _lifecycle_columns(params: dict[str, Any], table: str = "") -> tuple[str, str, str]:
    """SQL for an event's outcome (NULL when it closes nothing), the stage index it shows (NULL for none),
    and the condition for events that take part in an application's life at all.

    :param table: the alias of the events' table, when the query has one (``e``).
    """
    t = f"{table}." if table else ""
    params["opening"] = OPENING_KIND
    # The outcome as its place in OUTCOMES, so that it can travel inside a position (see _TAGS).
    closing = " ".join(f"WHEN :closing{n} THEN {OUTCOMES.index(outcome)}"
                       for n, outcome in enumerate(CLOSING_KINDS.values()))
    for number, kind in enumerate(CLOSING_KINDS):
        params[f"closing{number}"] = kind
    rejected = OUTCOMES.index(REJECTION_OUTCOME)
    outcome = (f"CASE WHEN {t}type = 'rejection' THEN {rejected} "
               f"WHEN {t}type = 'milestone' THEN CASE {t}kind {closing} END END" if CLOSING_KINDS else
               f"CASE WHEN {t}type = 'rejection' THEN {rejected} END")
    rejection_stage = " ".join(f"WHEN :stage{index} THEN {index}" for index in range(len(STAGES)))
    for index, stage in enumerate(STAGES):
        params[f"stage{index}"] = stage
    shown = " ".join(f"WHEN :shows{n} THEN {STAGE_INDEX[stage]}" for n, stage in enumerate(STAGE_MILESTONES.values()))
    for number, kind in enumerate(STAGE_MILESTONES):
        params[f"shows{number}"] = kind
    stage = (f"CASE WHEN {t}type = 'rejection' THEN CASE {t}stage {rejection_stage} END "
             f"WHEN {t}type = 'milestone' THEN CASE {t}kind {shown} END END")
    kinds = names("life", dict.fromkeys([OPENING_KIND, *CLOSING_KINDS, *STAGE_MILESTONES,
                                          *sorted(APPLICATION_MILESTONES)]), params)
    return outcome, stage, f"({t}type = 'rejection' OR ({t}type = 'milestone' AND {t}kind IN ({kinds})))"


class KeptCounts(NamedTuple):
    """The tables where a backend keeps what :func:`period_summary` counts, up to date with its events.

    The practice store keeps them (see :func:`kept_counts_refresh`) so that a report over a long
    search reads a row per application, per key and per day rather than every event. Each table
    holds the journal's rows under the dialect's scope.

    :ivar applications: a row per application, as :func:`_applications_ctes` makes them.
    :ivar application_keys: a row per application key (``company_key``, ``role_key``) with the first
        day an event showed an application, an interview and an offer (``first_applications``,
        ``first_interviews``, ``first_offers``; NULL for never).
    :ivar event_days: events counted by ``date``, ``type``, ``kind`` and ``stage`` (``n``).
    :ivar reasons: the rejections grouped as the report groups them (``company``, ``reason``,
        ``notes``, ``verdict``), with how many (``n``) and the first one's position
        (``first_position``), over the whole journal.
    """

    applications: str
    application_keys: str
    event_days: str
    reasons: str


#: The stages after the first (every application is sent); an application's ``reach_S`` column is
#: the day it first showed stage ``S`` or further, NULL when it never did.
_LATER_STAGES = range(1, len(STAGES))


def _decoded(tag: str) -> tuple[str, str, str, str]:
    """SQL for a tag's position, day, outcome and stage (see :data:`_TAGS`)."""
    stages = len(STAGES)
    code = f"({tag} - ({tag} / {_TAGS}) * {_TAGS})"  # no % operator: psycopg reads it as a placeholder
    return (f"({tag} / {_TAGS})", f"({tag} / {_TAGS * POSITION_SCALE})", f"({code} / {stages})",
            f"({code} - ({code} / {stages}) * {stages})")


def _applications_ctes(dialect: Dialect, params: dict[str, Any], events: str) -> str:
    """CTEs that end in ``applications``: one row per application, ``(ck, sent, closed, outcome,
    reach_1, ...)`` as day numbers (``outcome``: its place in OUTCOMES; ``closed`` and ``outcome`` NULL
    while it is open).

    :param events: a condition on the events' table that picks the events the applications are
        made of: the journal's, up to a day (a count), or some companies' (what the store keeps).
    """
    outcome, stage, takes_part = _lifecycle_columns(params)
    stages = len(STAGES)
    day = dialect.day("date")
    params["never"] = _NEVER
    window_columns = ["min(tag) OVER by_key AS key_close",
                      "min(CASE WHEN rk = '' THEN tag END) OVER by_company AS bare_close",
                      "min(tag) OVER by_company AS any_close"]
    for s in _LATER_STAGES:
        window_columns += [f"min(CASE WHEN stage >= {s} THEN pos END) OVER by_key AS key_s{s}",
                           f"min(CASE WHEN stage >= {s} AND rk = '' THEN pos END) OVER by_company AS bare_s{s}",
                           f"min(CASE WHEN stage >= {s} THEN pos END) OVER by_company AS any_s{s}"]

    def reach(kind: str) -> str:  # the next matching event after an application is sent, of this kind
        return f"CASE WHEN rk = '' THEN any_{kind} ELSE {least(f'key_{kind}', f'bare_{kind}')} END"

    closes = _decoded("closes")[0]
    # The day each stage was first reached while the application was open (its closing event included).
    reached = ", ".join(f"CASE WHEN min(reach_s{s}) <= coalesce({closes}, :never) "
                        f"THEN min(reach_s{s}) / {POSITION_SCALE} END AS reach_{s}" for s in _LATER_STAGES)
    first_close = _decoded("first_close")[0]
    implied_close = _decoded("k.first_close")[0]
    _, closed_day, closed_outcome, _ = _decoded("closes")
    _, implied_day, implied_outcome, implied_stage = _decoded("pos")
    implied_reached = ", ".join(f"CASE WHEN {implied_stage} >= {s} THEN {implied_day} END" for s in _LATER_STAGES)
    reach_names = ", ".join(f"reach_{s}" for s in _LATER_STAGES)
    return f"""
    life AS (
        SELECT ck, rk, day, pos, opens, stage,
               CASE WHEN outcome IS NOT NULL THEN pos * {_TAGS} + outcome * {stages} + coalesce(stage, 0) END AS tag
        FROM (
            SELECT company_key AS ck, role_key AS rk, {day} AS day, {dialect.position()} AS pos,
                   CASE WHEN type = 'milestone' AND kind = :opening THEN 1 ELSE 0 END AS opens,
                   {outcome} AS outcome, {stage} AS stage
            FROM {dialect.events}
            WHERE {dialect.scope} AND {events} AND company != '' AND {takes_part}
        ) AS events_of_applications
    ),
    ahead AS (
        SELECT ck, rk, day, pos, opens, {', '.join(window_columns)}
        FROM life
        WINDOW by_key AS (PARTITION BY ck, rk ORDER BY pos DESC ROWS UNBOUNDED PRECEDING),
               by_company AS (PARTITION BY ck ORDER BY pos DESC ROWS UNBOUNDED PRECEDING)
    ),
    sent AS (
        SELECT ck, rk, day, pos, {reach('close')} AS closes,
               {', '.join(reach(f's{s}') + f' AS reach_s{s}' for s in _LATER_STAGES)}
        FROM ahead WHERE opens = 1
    ),
    opened AS (
        -- Applied milestones closed by the same event are one application (the later ones were sent
        -- again while it was open): the first is the one sent, and its next stages come first.
        SELECT ck, rk, min(day) AS day, closes, {reached}
        FROM sent GROUP BY ck, rk, closes
    ),
    key_firsts AS (
        SELECT ck, rk, min(CASE WHEN opens = 1 THEN pos END) AS first_sent, min(tag) AS first_close
        FROM life GROUP BY ck, rk
    ),
    company_firsts AS (
        SELECT ck, min(CASE WHEN first_sent IS NULL OR {first_close} < first_sent THEN {first_close}
                            ELSE first_sent END) AS first_any,
               min(CASE WHEN rk = '' THEN first_sent END) AS first_bare_sent,
               min(CASE WHEN rk = '' THEN {first_close} END) AS first_bare_close
        FROM key_firsts GROUP BY ck
    ),
    implied AS (
        SELECT k.ck, k.rk, k.first_close AS pos FROM key_firsts k JOIN company_firsts c ON c.ck = k.ck
        WHERE k.first_close IS NOT NULL AND CASE
            WHEN k.rk = '' THEN {implied_close} = c.first_any
            ELSE coalesce(k.first_sent, :never) > {implied_close}
                 AND coalesce(c.first_bare_sent, :never) > {implied_close}
                 AND (c.first_bare_close IS NULL OR c.first_bare_close != c.first_any
                      OR c.first_any > {implied_close}) END
    ),
    applications AS (
        SELECT ck AS company_key, rk AS role_key, day AS sent, {closed_day} AS closed, {closed_outcome} AS outcome,
               {reach_names} FROM opened
        UNION ALL
        SELECT ck, rk, {implied_day}, {implied_day}, {implied_outcome}, {implied_reached} FROM implied
    )"""


def _application_counts(dialect: Dialect, table: str, scope: str, reach: Callable[[int], str]) -> str:
    """The counts of applications up to ``:until`` from ``table`` (whose rows, under the dialect's
    scope, are applications as :func:`_applications_ctes` makes them), with a ``news`` CTE before it
    (:func:`_news_cte`).

    Rows: ``(part, week, outcome, stage, n)`` where ``part`` is ``period``
    (applications sent in the period, by outcome at ``:until`` (NULL: open)
    and furthest stage index reached by then), ``opened`` or ``closed``
    (applications sent, or closed, in week ``week`` of the period; -1 for
    before it), and ``quiet`` (of those open at ``:until``, how many had no
    news from ``:news_since``: no event for their company and role, nor for
    their company without a role, as :func:`coachflow.applications.gone_quiet`
    counts them).

    :param reach: the SQL of an application's ``reach_S`` for a stage index.
    """
    until, start = dialect.day(":until"), dialect.day(":start")
    stage = "CASE " + " ".join(f"WHEN {reach(s)} <= {until} THEN {s}" for s in reversed(_LATER_STAGES)) + " ELSE 0 END"
    week = f"CASE WHEN {{0}} < {start} THEN -1 ELSE ({{0}} - {dialect.day(':monday')}) / 7 END"
    source = f"{table} a WHERE {scope}"
    return f"""
    SELECT 'period' AS part, 0 AS week, CASE WHEN closed <= {until} THEN outcome END AS outcome,
           {stage} AS stage, count(*) AS n
    FROM {source} AND sent >= {start} AND sent <= {until} GROUP BY 3, 4
    UNION ALL
    SELECT 'opened', {week.format('sent')}, NULL, 0, count(*) FROM {source} AND sent <= {until} GROUP BY 2
    UNION ALL
    SELECT 'closed', {week.format('closed')}, NULL, 0, count(*) FROM {source} AND closed <= {until} GROUP BY 2
    UNION ALL
    SELECT 'quiet', 0, NULL, 0, count(*) FROM {source} AND sent <= {until} AND (closed IS NULL OR closed > {until})
        AND NOT EXISTS (SELECT 1 FROM news WHERE news.company_key = a.company_key AND news.role_key = a.role_key)
        AND NOT EXISTS (SELECT 1 FROM news WHERE news.company_key = a.company_key AND news.role_key = '')"""


def _news_cte(dialect: Dialect) -> str:
    """``news``: the application keys events were recorded for from ``:news_since`` to ``:until``."""
    return f"""
    news AS (
        SELECT DISTINCT company_key, role_key FROM {dialect.events}
        WHERE {dialect.scope} AND date >= :news_since AND date <= :until AND company_key != ''
    )"""


def applications_query(dialect: Dialect) -> tuple[str, dict[str, Any]]:
    """The applications of the journal up to ``:until``, counted by when they were sent and closed,
    from its events (rows as :func:`_application_counts` gives them).

    Parameters to add: ``until``, ``start`` (the period's first day) and
    ``monday`` (the Monday of its first week).
    """
    params: dict[str, Any] = {}
    ctes = _applications_ctes(dialect, params, "date <= :until")
    counts = _application_counts(dialect, "applications", "1 = 1", lambda s: f"reach_{s}")
    return dialect.param(f"WITH {ctes},{_news_cte(dialect)}\n{counts}"), params


def kept_counts_refresh(dialect: Dialect, kept: KeptCounts, owner: tuple[str, str], *, everything: bool) -> list[
        tuple[str, dict[str, Any]]]:
    """The statements that bring a journal's :class:`KeptCounts` up to date, in order.

    They add the journal's events with ids after ``:last`` up to ``:newest``
    (parameters to add, with the dialect's scope's own): to the counts by
    day, to each key's first days, and, for every company those events are
    about, they work out that company's applications again from all its
    events up to ``:newest`` (an event recorded late can change how an
    earlier application went). Events are only ever added, so nothing else
    changes. Written in PostgreSQL's dialect (the practice store keeps these).

    :param owner: the column the kept tables keep journals apart with, and the parameter
        that holds this journal's value of it (``("client_id", "client")``).
    :param everything: the kept tables hold nothing of this journal yet (``:last`` is 0):
        every company is worked out, without asking which are new.
    """
    column, value = owner
    new_events = f"{dialect.scope} AND id > :last AND id <= :newest"
    companies = ("id <= :newest" if everything else
                 f"id <= :newest AND company_key IN (SELECT company_key FROM {dialect.events} WHERE {new_events})")
    params: dict[str, Any] = {}
    ctes = _applications_ctes(dialect, params, companies)
    reach = ", ".join(f"reach_{s}" for s in _LATER_STAGES)
    statements = [] if everything else [(dialect.param(
        f"DELETE FROM {kept.applications} WHERE {dialect.scope} AND company_key IN "
        f"(SELECT company_key FROM {dialect.events} WHERE {new_events})"), {})]
    statements.append((dialect.param(
        f"INSERT INTO {kept.applications} ({column}, company_key, role_key, sent, closed, outcome, {reach})\n"
        f"WITH {ctes}\nSELECT CAST(:{value} AS integer), company_key, role_key, sent, closed, outcome, {reach} "
        "FROM applications"),
        params))

    params = {}
    _, _, takes_part = _lifecycle_columns(params)
    flags = _number_flags(params)
    day = dialect.day("date")
    firsts = ", ".join(f"min(CASE WHEN {condition} THEN {day} END)" for condition in flags.values())
    updates = ", ".join(f"first_{name} = least(kept.first_{name}, excluded.first_{name})" for name in _NUMBERS)
    statements.append((dialect.param(f"""
    INSERT INTO {kept.application_keys} AS kept ({column}, company_key, role_key,
                {', '.join(f'first_{name}' for name in _NUMBERS)})
    SELECT CAST(:{value} AS integer), company_key, role_key, {firsts} FROM {dialect.events}
    WHERE {new_events} AND company != '' AND {takes_part}
    GROUP BY company_key, role_key
    ON CONFLICT ({column}, company_key, role_key) DO UPDATE SET {updates}"""), params))

    statements.append((dialect.param(f"""
    INSERT INTO {kept.event_days} AS kept ({column}, date, type, kind, stage, n)
    SELECT CAST(:{value} AS integer), date, type, kind, stage, count(*) FROM {dialect.events}
    WHERE {new_events} GROUP BY date, type, kind, stage
    ON CONFLICT ({column}, date, type, kind, stage) DO UPDATE SET n = kept.n + excluded.n"""), {}))
    return statements


def _numbers_query(dialect: Dialect) -> tuple[str, dict[str, Any]]:
    """The period's :class:`~coachflow.progress.SearchNumbers` (applications, interviews, offers) from its
    events: rows ``(name, n)``. A key without a role counts as an application of its own only where no
    key at that company has one (:class:`~coachflow.applications.DistinctApplications`)."""
    params: dict[str, Any] = {}
    _, _, takes_part = _lifecycle_columns(params)
    flags = _number_flags(params)
    keyed = ", ".join(f"max(CASE WHEN {condition} THEN 1 ELSE 0 END) AS {name}" for name, condition in flags.items())
    sql = f"""
    WITH keys AS (
        SELECT company_key AS ck, role_key AS rk, {keyed} FROM {dialect.events}
        WHERE {dialect.scope} AND date >= :start AND date <= :until AND company != '' AND {takes_part}
        GROUP BY company_key, role_key
    )
    {_distinct_numbers("keys", lambda name: name)}"""
    return dialect.param(sql), params


def _distinct_numbers(source: str, flag: Callable[[str], str]) -> str:
    """The three numbers from ``source`` (a FROM clause with ``ck`` and ``rk`` columns) where ``flag(name)``
    is 1 for a key that counts for ``name`` and 0 for one that does not."""
    by_company = ", ".join(f"sum(CASE WHEN rk != '' THEN {flag(name)} ELSE 0 END) AS named_{name}, "
                           f"max({flag(name)}) AS any_{name}" for name in _NUMBERS)
    picked = ", ".join(f"CAST(coalesce(sum(CASE WHEN named_{name} > 0 THEN named_{name} ELSE any_{name} END), 0) "
                       f"AS bigint) AS {name}" for name in _NUMBERS)
    return f"SELECT {picked} FROM (SELECT {by_company} FROM {source} GROUP BY ck) AS by_company"


#: The counts of :class:`~coachflow.progress.SearchNumbers` made of distinct applications.
_NUMBERS = ("applications", "interviews", "offers")


def _period_events_query(dialect: Dialect, params: dict[str, Any], kept: KeptCounts | None = None) -> str:
    """The period's events counted by type, kind and date, rejections also by stage (rows: type, kind,
    date, n, then one count per stage). From the events, grouped in the order of the (type, kind, date)
    index, so that SQLite need not sort a long history for it; or from the kept counts by day."""
    counted = "count(*)" if kept is None else "sum(n)"
    each = "1" if kept is None else "n"
    by_stage = ", ".join(f"sum(CASE WHEN stage = :stage{index} THEN {each} ELSE 0 END) AS at_{index}"
                         for index in range(len(STAGES)))
    for index, stage in enumerate(STAGES):
        params[f"stage{index}"] = stage
    return dialect.param(f"""
    SELECT type, kind, date, {counted} AS n, {by_stage}
    FROM {dialect.events if kept is None else kept.event_days}
    WHERE {dialect.scope} AND date >= :start AND date <= :until
    GROUP BY type, kind, date
    """)


def _number_flags(params: dict[str, Any]) -> dict[str, str]:
    """Conditions for the three counts of :class:`~coachflow.progress.SearchNumbers`: an event that shows an
    application (:func:`~coachflow.applications.counts_as_application`), one that shows an interview or
    further, one that shows an offer (a rejection at the offer stage is no offer)."""
    offer = STAGES[-1]
    applications = names("app", sorted(APPLICATION_MILESTONES), params)
    interview_stages = names("istage", sorted(INTERVIEW_STAGES), params)
    interview_kinds = names("ikind", [k for k, stage in STAGE_MILESTONES.items() if stage in INTERVIEW_STAGES], params)
    offer_kinds = names("okind", [k for k, stage in STAGE_MILESTONES.items() if stage == offer], params)
    return {
        "applications": f"type = 'rejection' OR (type = 'milestone' AND kind IN ({applications}))",
        "interviews": f"(type = 'rejection' AND stage IN ({interview_stages})) "
                      f"OR (type = 'milestone' AND kind IN ({interview_kinds}))",
        "offers": f"type = 'milestone' AND kind IN ({offer_kinds})",
    }


def _reasons_query(dialect: Dialect) -> str:
    """The period's rejections, one row per company, reason, notes and stored verdict, in the order
    each first came."""
    return dialect.param(f"""
    SELECT company, reason, notes, verdict, count(*) AS n FROM {dialect.events}
    WHERE {dialect.scope} AND {GROUPED_REJECTIONS} AND date >= :start AND date <= :until
    GROUP BY company, reason, notes, verdict ORDER BY min({dialect.position()})
    """)


#: What an event said about its application, for a theme search: a feedback's text, a rejection's reason.
SAID = "CASE WHEN type = 'feedback' THEN text ELSE reason END"
#: The events that said something (what ThemeIndex.add reads: feedback, and rejections with a reason).
SAYS_SOMETHING = "(type = 'feedback' OR (type = 'rejection' AND reason != ''))"
#: The rejections a report groups by reason (a rejection of a plugin's kind is not one of them).
GROUPED_REJECTIONS = "type = 'rejection' AND kind = ''"


class SaidText(NamedTuple):
    """A feedback text or rejection reason said about an application, and each time it was said.

    :ivar company: the company, as written.
    :ivar role: the role, as written.
    :ivar text: the feedback's text or the rejection's reason.
    :ivar positions: the position (:func:`coachflow.journal.dialect.position_of`: date, then
        event id) of each event that said it, in that order.
    """

    company: str
    role: str
    text: str
    positions: tuple[int, ...]

    @property
    def mentions(self) -> tuple[tuple[dt.date, int], ...]:
        """``(date, event id)`` of each event that said it, in that order."""
        return tuple((day_of(position), position % POSITION_SCALE) for position in self.positions)


def said_texts(rows: Callable[[str, Mapping[str, Any]], Iterable[Any]], dialect: Dialect, *,
               since: dt.date | None, until: dt.date | None, date_in: Callable[[dt.date], Any]) -> Iterator[SaidText]:
    """What :meth:`JournalReader.said_texts` yields: the texts grouped in the database, so that a theme
    search reads each distinct text once, however often it was said, with the events that said it.

    :param rows: runs one query with its parameters and returns its rows (sequences).
    """
    window, params = "", {}
    if since is not None:
        window += " AND date >= :start"
        params["start"] = date_in(since)
    if until is not None:
        window += " AND date <= :until"
        params["until"] = date_in(until)
    sql = dialect.param(f"""
    SELECT company, role, said, {dialect.collect('position')} FROM (
        SELECT company, role, {SAID} AS said, {dialect.position()} AS position
        FROM {dialect.events}
        WHERE {dialect.scope}{window} AND {SAYS_SOMETHING}
    ) AS texts GROUP BY company, role, said
    """)
    for company, role, said, positions in rows(sql, params):
        yield SaidText(company, role, said, tuple(sorted(map(int, positions.split(",")))))


def _recent_wins_query(dialect: Dialect, kinds: Collection[str], params: dict[str, Any]) -> str:
    wins = names("win", sorted(kinds), params)
    return dialect.param(f"""
    SELECT date, kind, company, role, notes FROM {dialect.events}
    WHERE {dialect.scope} AND type = 'milestone' AND kind IN ({wins}) AND date >= :start AND date <= :until
    ORDER BY date DESC, id DESC LIMIT :recent
    """)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def period_summary(
    rows: Callable[[str, Mapping[str, Any]], list[Any]],
    dialect: Dialect,
    *,
    since: dt.date | None,
    until: dt.date,
    win_kinds: Collection[str],
    recent_wins: int,
    feedback_requested: Callable[[dt.date, dt.date], int],
    date_in: Callable[[dt.date], Any],
    date_out: Callable[[Any], dt.date],
    kept: KeptCounts | None = None,
    news_since: dt.date | None = None,
) -> PeriodSummary:
    """What :meth:`JournalReader.period_summary` returns, from a backend's rows.

    :param rows: runs one query with its parameters and returns its rows (sequences).
    :param date_in: a date as the backend's parameters take it; ``date_out``: a date as its rows give it.
    :param feedback_requested: the backend's count of feedback requests for events in a window.
    :param kept: the tables where the backend keeps its applications and counts up to date
        (:class:`KeptCounts`), or ``None`` to count everything from the events.
    :param news_since: count as quiet the applications open at ``until`` with no news since this
        day (:attr:`PeriodSummary.quiet_at_end`); ``None``: none is quiet.
    """
    from coachflow.models import Milestone

    largest = rows(dialect.param(f"SELECT max(id) FROM {dialect.events} WHERE {dialect.scope}"), {})[0][0]
    if largest is not None and largest >= POSITION_SCALE:
        raise JournalError(f"This journal's event ids go up to {largest:,}; "
                           f"a report can count up to {POSITION_SCALE - 1:,}.")
    if since is None:
        dated = kept.event_days if kept is not None else dialect.events  # the kept days hold every event's date
        first = rows(dialect.param(f"SELECT min(date) FROM {dated} WHERE {dialect.scope} AND date <= :until"),
                     {"until": date_in(until)})[0][0]
        start = date_out(first) if first is not None else until
    else:
        start = since
    monday = _monday(start)
    window = {"start": date_in(start), "until": date_in(until), "monday": date_in(monday)}

    if kept is not None:
        sql, params = dialect.param(f"WITH {_news_cte(dialect)}\n" + _application_counts(
            dialect, kept.applications, dialect.scope, lambda s: f"reach_{s}")), {}
    else:
        sql, params = applications_query(dialect)
    outcomes = dict.fromkeys(("open", *OUTCOMES), 0)
    furthest = dict.fromkeys(STAGES, 0)
    rejected_at = dict.fromkeys(STAGES, 0)
    opened: dict[int, int] = {}
    closed: dict[int, int] = {}
    counts: dict[str, int] = {}
    quiet = 0
    news = {"news_since": date_in(news_since if news_since is not None else dt.date.min)}
    for part, week, outcome, stage, n in rows(sql, {**params, **window, **news}):
        n = int(n)  # PostgreSQL's sum() of integers is a numeric
        if part == "quiet":
            quiet = n if news_since is not None else 0
        elif part == "period":
            outcome = None if outcome is None else OUTCOMES[outcome]
            outcomes["open" if outcome is None else outcome] += n
            furthest[STAGES[stage]] += n
            if outcome == REJECTION_OUTCOME:
                rejected_at[STAGES[stage]] += n
        else:
            (opened if part == "opened" else closed)[week] = n

    rejections_by_stage = dict.fromkeys(STAGES, 0)
    wins_by_kind: dict[str, int] = {}
    wins_by_week: dict[int, int] = {}
    feedback = 0
    first_day: dt.date | None = None
    if kept is not None and since is None:  # the whole search: each key's first days say it all
        sql, params = dialect.param(_distinct_numbers(
            f"(SELECT company_key AS ck, role_key AS rk, {', '.join(f'first_{name}' for name in _NUMBERS)} "
            f"FROM {kept.application_keys} WHERE {dialect.scope}) AS keys",
            lambda name: f"CASE WHEN first_{name} <= {dialect.day(':until')} THEN 1 ELSE 0 END")), {}
    else:
        sql, params = _numbers_query(dialect)
    counts = {name: int(n) for name, n in zip(_NUMBERS, rows(sql, {**params, **window})[0])}

    params = dict(window)
    for event_type, kind, day, n, *by_stage in rows(_period_events_query(dialect, params, kept), params):
        day = date_out(day)
        n = int(n)
        by_stage = [int(count) for count in by_stage]
        first_day = day if first_day is None else min(first_day, day)
        week = (day - monday).days // 7
        if event_type == "rejection":
            for stage, count in zip(STAGES, by_stage):
                rejections_by_stage[stage] += count
        elif event_type == "feedback":
            feedback += n
        elif event_type == "milestone" and kind in win_kinds:
            wins_by_kind[kind] = wins_by_kind.get(kind, 0) + n
            wins_by_week[week] = wins_by_week.get(week, 0) + n

    numbers = SearchNumbers(since=first_day, noes=sum(rejections_by_stage.values()), **counts)

    recent: tuple[Any, ...] = ()
    if wins_by_kind and recent_wins > 0:
        params = {**window, "recent": recent_wins}
        sql = _recent_wins_query(dialect, wins_by_kind, params)
        recent = tuple(Milestone(date=date_out(day), kind=kind, company=company, role=role, notes=notes)
                       for day, kind, company, role, notes in rows(sql, params))

    reasons_query = _reasons_query(dialect)
    if kept is not None and since is None:
        # The kept groups hold every rejection: they are the period's when none is dated after it.
        last = rows(dialect.param(f"SELECT max(date) FROM {kept.event_days} WHERE {dialect.scope} "
                                  "AND type = 'rejection'"), {})[0][0]
        if last is None or date_out(last) <= until:
            reasons_query = dialect.param(f"SELECT company, reason, notes, verdict, n FROM {kept.reasons} "
                                          f"WHERE {dialect.scope} ORDER BY first_position")
    reasons = tuple(RejectionReasons(company=company, reason=reason, notes=notes, count=int(n), verdict=verdict)
                    for company, reason, notes, verdict, n in rows(reasons_query, window))

    open_now = opened.get(-1, 0) - closed.get(-1, 0)
    open_at_start = open_now
    weeks = []
    week_start, index = monday, 0
    while week_start <= until:
        open_now += opened.get(index, 0) - closed.get(index, 0)
        weeks.append(PeriodWeek(week_start=week_start, open=open_now, applied=opened.get(index, 0),
                                closed=closed.get(index, 0), wins=wins_by_week.get(index, 0)))
        week_start += dt.timedelta(days=7)
        index += 1
    return PeriodSummary(
        start=start, sent=sum(furthest.values()), open_at_start=open_at_start,
        open_at_end=sum(opened.values()) - sum(closed.values()), quiet_at_end=quiet, outcomes=outcomes,
        furthest=furthest,
        rejected_at=rejected_at, rejections_by_stage=rejections_by_stage, wins_by_kind=wins_by_kind,
        recent_wins=recent, feedback_received=feedback, feedback_requested=feedback_requested(start, until),
        weeks=tuple(weeks), numbers=numbers, rejections=reasons,
    )
