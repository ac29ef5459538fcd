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
from typing import Any, Callable, Collection, Mapping

import attrs

from coachflow.applications import (
    CLOSING_KINDS, INTERVIEW_STAGES, OPENING_KIND, OUTCOMES, REJECTION_OUTCOME, STAGE_INDEX, STAGE_MILESTONES, is_win,
)
from coachflow.errors import JournalError
from coachflow.journal.dialect import POSITION_SCALE, Dialect, least, names
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


def applications_query(dialect: Dialect) -> tuple[str, dict[str, Any]]:
    """The applications of the journal up to ``:until``, counted by when they were sent and closed.

    Parameters to add: ``until``, ``start`` (the period's first day) and
    ``monday`` (the Monday of its first week). Rows: ``(part, week, outcome,
    stage, n)`` where ``part`` is ``period`` (applications sent in the
    period, by outcome (NULL: open) and furthest stage index), ``opened`` or
    ``closed`` (applications sent, or closed, in week ``week`` of the period;
    -1 for before it), and ``applications``, ``interviews``, ``offers`` (the
    period's :class:`~coachflow.progress.SearchNumbers`, in ``n``).
    """
    params: dict[str, Any] = {"never": _NEVER}
    outcome, stage, takes_part = _lifecycle_columns(params)
    flags = _number_flags(params)
    counted = "".join(f", CASE WHEN date >= :start AND ({condition}) THEN 1 ELSE 0 END AS {name}"
                      for name, condition in flags.items())
    # A key without a role counts as an application of its own only where no key at that company has one
    # (DistinctApplications).
    by_company = ", ".join(f"sum(CASE WHEN rk != '' THEN {name} ELSE 0 END) AS named_{name}, max({name}) AS any_{name}"
                           for name in flags)
    numbers = "".join(f"""
    UNION ALL
    SELECT '{name}', 0, NULL, 0,
           CAST(coalesce(sum(CASE WHEN named_{name} > 0 THEN named_{name} ELSE any_{name} END), 0) AS bigint)
    FROM numbers""" for name in flags)
    stages = len(STAGES)
    day = dialect.day("date")
    later = range(1, stages)  # stage 0 (sent) every application reaches
    window_columns = ["min(tag) OVER by_key AS key_close",
                      "min(CASE WHEN rk = '' THEN tag END) OVER by_company AS bare_close",
                      "min(tag) OVER by_company AS any_close"]
    for s in later:
        window_columns += [f"min(CASE WHEN stage >= {s} THEN pos END) OVER by_key AS key_s{s}",
                           f"min(CASE WHEN stage >= {s} AND rk = '' THEN pos END) OVER by_company AS bare_s{s}",
                           f"min(CASE WHEN stage >= {s} THEN pos END) OVER by_company AS any_s{s}"]

    def reach(kind: str) -> str:  # the next matching event after an application is sent, of this kind
        return f"CASE WHEN rk = '' THEN any_{kind} ELSE {least(f'key_{kind}', f'bare_{kind}')} END"

    def decoded(tag: str) -> tuple[str, str, str, str]:  # a tag's position, day, outcome and stage
        code = f"({tag} - ({tag} / {_TAGS}) * {_TAGS})"  # no % operator: psycopg reads it as a placeholder
        return (f"({tag} / {_TAGS})", f"({tag} / {_TAGS * POSITION_SCALE})", f"({code} / {stages})",
                f"({code} - ({code} / {stages}) * {stages})")

    closes = decoded("closes")[0]
    furthest = " ".join(f"WHEN min(reach_s{s}) <= coalesce({closes}, :never) THEN {s}" for s in reversed(later))
    first_close = decoded("first_close")[0]
    implied_close = decoded("k.first_close")[0]
    _, closed_day, closed_outcome, _ = decoded("closes")
    _, implied_day, implied_outcome, implied_stage = decoded("pos")
    week = f"CASE WHEN {{0}} < {dialect.day(':start')} THEN -1 ELSE ({{0}} - {dialect.day(':monday')}) / 7 END"
    sql = f"""
    WITH life AS (
        SELECT ck, rk, day, pos, opens, stage, {', '.join(flags)},
               CASE WHEN outcome IS NOT NULL THEN pos * {_TAGS} + outcome * {stages} + coalesce(stage, 0) END AS tag
        FROM (
            SELECT company_key AS ck, role_key AS rk, {day} AS day, {dialect.position()} AS pos,
                   CASE WHEN type = 'milestone' AND kind = :opening THEN 1 ELSE 0 END AS opens,
                   {outcome} AS outcome, {stage} AS stage{counted}
            FROM {dialect.events}
            WHERE {dialect.scope} AND date <= :until AND company != '' AND {takes_part}
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
               {', '.join(reach(f's{s}') + f' AS reach_s{s}' for s in later)}
        FROM ahead WHERE opens = 1
    ),
    opened AS (
        -- Applied milestones closed by the same event are one application (the later ones were sent
        -- again while it was open): the first is the one sent, and its next stages come first.
        SELECT min(day) AS day, closes, CASE {furthest} ELSE 0 END AS stage
        FROM sent GROUP BY ck, rk, closes
    ),
    key_firsts AS (
        SELECT ck, rk, min(CASE WHEN opens = 1 THEN pos END) AS first_sent, min(tag) AS first_close,
               {', '.join(f'max({name}) AS {name}' for name in flags)}
        FROM life GROUP BY ck, rk
    ),
    numbers AS (SELECT {by_company} FROM key_firsts GROUP BY ck),
    company_firsts AS (
        SELECT ck, min(CASE WHEN first_sent IS NULL OR {first_close} < first_sent THEN {first_close}
                            ELSE first_sent END) AS first_any,
               min(CASE WHEN rk = '' THEN first_sent END) AS first_bare_sent,
               min(CASE WHEN rk = '' THEN {first_close} END) AS first_bare_close
        FROM key_firsts GROUP BY ck
    ),
    implied AS (
        SELECT k.first_close AS pos FROM key_firsts k JOIN company_firsts c ON c.ck = k.ck
        WHERE k.first_close IS NOT NULL AND CASE
            WHEN k.rk = '' THEN {implied_close} = c.first_any
            ELSE coalesce(k.first_sent, :never) > {implied_close}
                 AND coalesce(c.first_bare_sent, :never) > {implied_close}
                 AND (c.first_bare_close IS NULL OR c.first_bare_close != c.first_any
                      OR c.first_any > {implied_close}) END
    ),
    applications AS (
        SELECT day AS sent, {closed_day} AS closed, {closed_outcome} AS outcome, stage FROM opened
        UNION ALL
        SELECT {implied_day}, {implied_day}, {implied_outcome}, {implied_stage} FROM implied
    )
    SELECT 'period' AS part, 0 AS week, outcome, stage, count(*) AS n FROM applications
        WHERE sent >= {dialect.day(':start')} GROUP BY outcome, stage
    UNION ALL
    SELECT 'opened', {week.format('sent')}, NULL, 0, count(*) FROM applications GROUP BY 2
    UNION ALL
    SELECT 'closed', {week.format('closed')}, NULL, 0, count(*) FROM applications WHERE closed IS NOT NULL GROUP BY 2
    {numbers}
    """
    return dialect.param(sql), params


def _period_events_query(dialect: Dialect, params: dict[str, Any]) -> str:
    """The period's events counted by type, kind and date, rejections also by stage (rows: type, kind,
    date, n, then one count per stage). Grouped in the order of the (type, kind, date) index, so that
    SQLite need not sort a long history for it."""
    by_stage = ", ".join(f"sum(CASE WHEN stage = :stage{index} THEN 1 ELSE 0 END) AS at_{index}"
                         for index in range(len(STAGES)))
    for index, stage in enumerate(STAGES):
        params[f"stage{index}"] = stage
    return dialect.param(f"""
    SELECT type, kind, date, count(*) AS n, {by_stage}
    FROM {dialect.events} WHERE {dialect.scope} AND date >= :start AND date <= :until
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
    WHERE {dialect.scope} AND type = 'rejection' AND kind = '' AND date >= :start AND date <= :until
    GROUP BY company, reason, notes, verdict ORDER BY min({dialect.position()})
    """)


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
) -> PeriodSummary:
    """What :meth:`JournalReader.period_summary` returns, from a backend's rows.

    :param rows: runs one query with its parameters and returns its rows (sequences).
    :param date_in: a date as the backend's parameters take it; ``date_out``: a date as its rows give it.
    :param feedback_requested: the backend's count of feedback requests for events in a window.
    """
    from coachflow.models import Milestone

    largest = rows(dialect.param(f"SELECT max(id) FROM {dialect.events} WHERE {dialect.scope}"), {})[0][0]
    if largest is not None and largest >= POSITION_SCALE:
        raise JournalError(f"This journal's event ids go up to {largest:,}; "
                           f"a report can count up to {POSITION_SCALE - 1:,}.")
    if since is None:
        first = rows(dialect.param(f"SELECT min(date) FROM {dialect.events} WHERE {dialect.scope} AND date <= :until"),
                     {"until": date_in(until)})[0][0]
        start = date_out(first) if first is not None else until
    else:
        start = since
    monday = _monday(start)
    window = {"start": date_in(start), "until": date_in(until), "monday": date_in(monday)}

    sql, params = applications_query(dialect)
    outcomes = dict.fromkeys(("open", *OUTCOMES), 0)
    furthest = dict.fromkeys(STAGES, 0)
    rejected_at = dict.fromkeys(STAGES, 0)
    opened: dict[int, int] = {}
    closed: dict[int, int] = {}
    counts: dict[str, int] = {}
    for part, week, outcome, stage, n in rows(sql, {**params, **window}):
        n = int(n)  # PostgreSQL's sum() of integers is a numeric
        if part in ("applications", "interviews", "offers"):
            counts[part] = n
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
    params = dict(window)
    for event_type, kind, day, n, *by_stage in rows(_period_events_query(dialect, params), params):
        day = date_out(day)
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

    reasons = tuple(RejectionReasons(company=company, reason=reason, notes=notes, count=n, verdict=verdict)
                    for company, reason, notes, verdict, n in rows(_reasons_query(dialect), window))

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
        open_at_end=sum(opened.values()) - sum(closed.values()), outcomes=outcomes, furthest=furthest,
        rejected_at=rejected_at, rejections_by_stage=rejections_by_stage, wins_by_kind=wins_by_kind,
        recent_wins=recent, feedback_received=feedback, feedback_requested=feedback_requested(start, until),
        weeks=tuple(weeks), numbers=numbers, rejections=reasons,
    )
