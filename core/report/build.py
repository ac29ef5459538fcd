"""A progress report over a stretch of the search, computed from the journal.

:func:`build_report` asks the journal for the period's counts
(:meth:`JournalReader.period_summary`: the database counts them, with the
rules of :mod:`coachflow.applications`), and reads as rows only what it
needs the words of: feedback texts and rejection reasons for the themes,
the rejections' reasons grouped, the latest wins. The result is a
:class:`Report`: plain numbers and short lists that the
output formats (``coachflow.output.render("report", report, "html")``; the
pages are :mod:`coachflow.report.markdown` and :mod:`coachflow.report.html`)
turn into something to read.

How the numbers are counted:

- *Applications sent*: ``applied`` milestones dated in the period. A second
  ``applied`` for a company and role that is still open is the same
  application (as in :meth:`JournalReader.open_applications`). A rejection
  for a company and role never applied to is an application too, sent and
  ended that day, as the run counts it.
- *Numbers*: the same tally ``maintain-momentum`` quotes after each no
  (:mod:`coachflow.progress`), over the events of the period: noes, distinct
  applications, how many reached an interview or brought an offer.
- *Reasons*: each rejection's verdict as the run stored it when the
  rejection was recorded; a rejection without one (imported without
  ``--run``, or older than the stored verdicts) is sorted by
  :func:`coachflow.reasons.classify` with the tables of the report's
  workflow's ``analyze-control`` step. "Where to focus" draws only on the
  areas inside the person's control, never on outside causes.
- *Funnel*: how far each application sent in the period got by the end of
  the period. A rejection at a stage means it got that far; an
  ``interview-invitation`` means it reached the interview stage; an ``offer``
  or ``accepted`` milestone means it reached the offer.
- *Rejections by stage*: every rejection dated in the period, whether or not
  its application was recorded.
- *Wins*: milestones in the period other than ``applied`` and ``withdrawn``.
- *Feedback requested*: feedback requests drafted (and not cancelled) for
  events in the period, as :meth:`JournalReader.feedback_requested` counts
  them; *received*: feedback events in the period.
- *Pipeline*: open applications at the end of each week (weeks start on
  Monday; the last one ends with the period).
- *Due next*: open actions with a due date, relative to the report's clock.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

import attrs

from coachflow.applications import OUTCOMES, STALE_AFTER_DAYS, WIN_KINDS, latest_win, news_cutoff
from coachflow.errors import CoachflowError
from coachflow.journal.periods import PeriodWeek
from coachflow.models import STAGES
from coachflow.progress import SearchNumbers
from coachflow.themes import EVIDENCE_KEPT  # how many mentions of a theme a report shows as evidence
from coachflow.upkeep import MISSED_AFTER_DAYS

if TYPE_CHECKING:
    from coachflow.journal import JournalReader
    from coachflow.journal.periods import RejectionReasons

#: How each stage is named in reports, in the order an application moves through them.
STAGE_LABELS: dict[str, str] = {
    "application": "Sent",
    "screen": "Screen",
    "interview": "Interview",
    "final": "Final round",
    "offer": "Offer",
}



@attrs.frozen
class FunnelStage:
    """One stage of the funnel for the applications sent in the period.

    :ivar reached: applications that got at least this far.
    :ivar rejected: of those, the ones that ended with a no at this stage.
    """

    stage: str
    label: str
    reached: int
    rejected: int


@attrs.frozen
class Outcomes:
    """Where the applications sent in the period stand at its end."""

    open: int
    rejected: int
    withdrawn: int
    accepted: int


#: One week of the search: the week the journal counted (see :class:`coachflow.journal.periods.PeriodWeek`),
#: under the name the report has always given it.
PipelineWeek = PeriodWeek


@attrs.frozen
class Win:
    """A milestone worth celebrating: a good conversation, an invitation, an offer."""

    date: dt.date
    kind: str
    company: str
    role: str
    notes: str


@attrs.frozen
class DueAction:
    """An open action with a due date: a reminder, a follow-up, a task."""

    id: int
    kind: str
    title: str
    due: dt.datetime
    step: str


@attrs.frozen
class ThemeSummary:
    """A theme that recurred across applications, with the words that show it.

    :ivar applications: the ``(company, role)`` pairs it came up in.
    :ivar mentions: how many feedback texts and rejection reasons mention it.
    :ivar evidence: ``(date, company, role, excerpt)`` for the latest
        mentions (at most :data:`EVIDENCE_KEPT`), oldest first.
    """

    theme: str
    applications: tuple[tuple[str, str], ...]
    mentions: int
    evidence: tuple[tuple[dt.date, str, str, str], ...]


@attrs.frozen
class CoachNote:
    """A coach's note about a week of the period (``coachflow note --client NAME "..."``).

    :ivar day: the day it is about; it belongs to that day's week.
    """

    day: dt.date
    text: str


@attrs.frozen
class ReportSettings:
    """What the workflow says that a report counts with, so that the report agrees with ``run``.

    Made from a workflow with :func:`report_settings`; the defaults are the
    built-in workflow's.

    :ivar themes: theme -> keywords (``feedback-patterns``: themes and extra_themes).
    :ivar min_applications: how many applications a theme must come up in (``feedback-patterns``).
    :ivar outside: cause -> keywords, outside the person's control (``analyze-control``).
    :ivar inside: area -> keywords, inside it (``analyze-control``).
    :ivar target: the open applications the person aims for (``maintain-momentum``), or ``None``.
    :ivar not_wins: milestone kinds the workflow declares as not wins.
    :ivar win_kinds: the kinds that count as wins with the workflow (declared, built in, plugins').
    :ivar missed_after_days: ``[settings] missed_after_days``: an open reminder this long past its
        time has lapsed and is not counted as overdue (:class:`coachflow.upkeep.Lapse`).
    """

    themes: Mapping[str, Sequence[str]] | None = None
    min_applications: int = 2
    outside: Mapping[str, Sequence[str]] | None = None
    inside: Mapping[str, Sequence[str]] | None = None
    target: int | None = None
    not_wins: frozenset[str] = frozenset()
    #: The milestone kinds that count as wins (``None``: the built-in ones).
    win_kinds: frozenset[str] | None = None
    missed_after_days: int = MISSED_AFTER_DAYS
    #: ``maintain-momentum``'s ``stale_after_days`` (``None`` without the step): open applications
    #: with no news for longer do not count toward the target.
    stale_after_days: int | None = STALE_AFTER_DAYS


def report_settings(workflow: Any) -> ReportSettings:
    """The report's settings from a loaded workflow: the options of its first ``feedback-patterns``,
    ``analyze-control`` and ``maintain-momentum`` steps, and the milestone kinds it declares.

    A step the workflow leaves out leaves that part at the built-in default
    (themes, reasons) or out (the target).
    """
    from coachflow.reasons import tables_of
    from coachflow.themes import combine_themes

    patterns = workflow.step_options("feedback-patterns")
    outside, inside = tables_of(workflow.step_options("analyze-control"))
    momentum = workflow.step_options("maintain-momentum")
    return ReportSettings(
        themes=combine_themes(patterns.themes, patterns.extra_themes) if patterns is not None else None,
        min_applications=patterns.min_applications if patterns is not None else 2,
        outside=outside,
        inside=inside,
        target=momentum.target if momentum is not None else None,
        stale_after_days=momentum.stale_after_days if momentum is not None else None,
        not_wins=frozenset(kind for kind, found in workflow.milestone_kinds.items() if not found.win),
        win_kinds=workflow.win_kinds,
        missed_after_days=workflow.settings.missed_after_days,
    )


@attrs.frozen
class FocusArea:
    """An area inside the person's control that rejection reasons pointed to.

    :ivar area: the area, as ``analyze-control`` names it ("skills").
    :ivar rejections: how many rejections in the period named it.
    :ivar companies: the companies whose reasons named it, oldest first.
    :ivar skills: the skills the reasons named, for the skills area ("SQL").
    """

    area: str
    rejections: int
    companies: tuple[str, ...]
    skills: tuple[str, ...] = ()


@attrs.frozen
class Reasons:
    """The rejections of the period sorted by what their reasons say about control.

    :ivar outside: rejections whose reasons name only causes outside the person's control.
    :ivar inside: rejections whose reasons name something inside it (alone or with outside causes).
    :ivar unclear: rejections with a reason nothing recognises.
    :ivar none: rejections with no reason given.
    :ivar causes: outside cause -> how many rejections named it, most first.
    :ivar focus: the areas inside the person's control, most named first: where to focus.
    """

    outside: int = 0
    inside: int = 0
    unclear: int = 0
    none: int = 0
    causes: dict[str, int] = attrs.Factory(dict)
    focus: tuple[FocusArea, ...] = ()


@attrs.frozen
class Report:
    """The search over one period, ready to render.

    :ivar start: the first day covered (``--since``, else the first event).
    :ivar end: the last day covered (``--until``, else the day of the report).
    :ivar generated_at: the clock the report was made with.
    :ivar applications_sent: applications sent in the period.
    :ivar open_at_start: applications open the day before the period began.
    :ivar open_at_end: applications open at the end of the period.
    :ivar outcomes: where the applications sent in the period stand.
    :ivar funnel: one entry per stage, from ``application`` to ``offer``.
    :ivar rejections_by_stage: every rejection in the period, by stage.
    :ivar wins_by_kind: wins in the period, by milestone kind.
    :ivar recent_wins: the latest wins, newest first.
    :ivar last_win_before: when the period has no win, the latest win before it, if any (so that
        the report says "none in this period" rather than "none yet" when there were some).
    :ivar feedback_requested: feedback requests drafted for events in the period.
    :ivar feedback_received: feedback events in the period.
    :ivar themes: themes that recurred across applications in the period.
    :ivar pipeline: one entry per week of the period.
    :ivar overdue: open actions whose due time has passed.
    :ivar due_next: the next open actions by due time.
    :ivar numbers: the person's tally over the period, as ``maintain-momentum`` counts it.
    :ivar reasons: the period's rejections by what their reasons say about control.
    :ivar target: the open applications the workflow aims for, or ``None``.
    :ivar whole_search: True when the period starts with the first event (no ``since``): the
        numbers are then the ones the run quotes.
    :ivar client_id: the client the report is for (``--client``), or ``""``.
    :ivar client_name: how the client's settings name them, or ``""``.
    :ivar coach_name: how the client's settings name their coach, or ``""``.
    :ivar notes: the coach's notes about the weeks the period touches, oldest first.
    :ivar redacted: True for a copy to share (:func:`coachflow.report.sharing.redact`).
    """

    start: dt.date
    end: dt.date
    generated_at: dt.datetime
    applications_sent: int
    open_at_start: int
    open_at_end: int
    outcomes: Outcomes
    funnel: tuple[FunnelStage, ...]
    rejections_by_stage: dict[str, int]
    wins_by_kind: dict[str, int]
    recent_wins: tuple[Win, ...]
    feedback_requested: int
    feedback_received: int
    themes: tuple[ThemeSummary, ...]
    pipeline: tuple[PipelineWeek, ...]
    overdue: int
    due_next: tuple[DueAction, ...]
    numbers: SearchNumbers = SearchNumbers(since=None, applications=0, noes=0, interviews=0, offers=0)
    reasons: Reasons = Reasons()
    target: int | None = None
    whole_search: bool = True
    client_id: str = ""
    client_name: str = ""
    coach_name: str = ""
    notes: tuple[CoachNote, ...] = ()
    redacted: bool = False
    last_win_before: Win | None = None
    #: How many of the applications open at the end had had no news for over ``stale_after_days``
    #: by then: ``maintain-momentum`` does not count them toward the target.
    quiet_at_end: int = 0
    stale_after_days: int | None = None

    @property
    def wins(self) -> int:
        """How many wins the period had."""
        return sum(self.wins_by_kind.values())

    @property
    def rejections(self) -> int:
        """How many rejections the period had."""
        return sum(self.rejections_by_stage.values())


def build_report(
    journal: "JournalReader",
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    now: dt.datetime | None = None,
    themes: Mapping[str, Sequence[str]] | None = None,
    min_applications: int | None = None,
    due_limit: int = 10,
    recent_wins_limit: int = 10,
    progress: Callable[[int, int], None] | None = None,
    settings: ReportSettings | None = None,
    client: Any = None,
) -> Report:
    """Compute the report for the period from ``since`` to ``until`` (both included).

    :param journal: the journal to read (``Journal.reader``).
    :param since: the first day; default: the day of the first event.
    :param until: the last day; default: the day of ``now``.
    :param now: the report's clock (default: now); ``due_next`` and
        ``overdue`` are relative to it.
    :param themes: theme -> keywords; default: the settings' (``coachflow.themes.DEFAULT_THEMES``).
    :param min_applications: how many applications a theme must come up in; default: the settings' (2).
    :param due_limit: how many upcoming actions to list.
    :param recent_wins_limit: how many recent wins to list.
    :param progress: called now and then with how many texts (feedback and
        rejections, for the themes) were read of how many (for a progress bar).
    :param settings: what the workflow says (:func:`report_settings`); default: the built-in workflow's.
    :param client: the :class:`coachflow.clients.Client` the report is for: it carries their name
        and their coach's. The coach's notes about the weeks of the period come with any journal.
    :raises CoachflowError: when ``since`` is after ``until``.
    """
    from coachflow.reasons import DEFAULT_OUTSIDE_CAUSES
    from coachflow.themes import DEFAULT_THEMES, recurring_themes
    from coachflow.upkeep import Lapse

    settings = settings or ReportSettings()
    themes = themes if themes is not None else settings.themes
    min_applications = min_applications if min_applications is not None else settings.min_applications
    now = now or dt.datetime.now().replace(microsecond=0)
    end = until or now.date()
    if since is not None and since > end:
        if until is None:  # the period ends today: there is no --until to swap with
            raise CoachflowError(f"--since {since.isoformat()} is after today ({end.isoformat()}); "
                                 "give a day up to today")
        raise CoachflowError(f"--since {since.isoformat()} is after --until {end.isoformat()}; swap them")
    # A period counts as of its end: its open applications with no news in the workflow's
    # stale_after_days before then don't count toward the target (as maintain-momentum counts).
    summary = journal.period_summary(since=since, until=end, win_kinds=_win_kinds(settings),
                                     recent_wins=recent_wins_limit,
                                     news_since=news_cutoff(end, settings.stale_after_days))

    # Causes outside the person's control are left out of the texts, as feedback-patterns does.
    recurring = recurring_themes(
        journal, DEFAULT_THEMES if themes is None else themes,
        min_applications=min_applications, since=since, until=end, outside=DEFAULT_OUTSIDE_CAUSES,
        progress=progress,
    )
    due_next = tuple(
        DueAction(id=stored.id, kind=stored.action.kind, title=stored.action.title,
                  due=stored.action.due, step=stored.action.step)
        for stored in itertools.islice(journal.due_actions(after=now), due_limit)
    )
    furthest = summary.furthest
    last_win = None
    if not summary.wins_by_kind and since is not None:
        win_kinds = _win_kinds(settings)
        earlier = latest_win(journal, before=summary.start, judge=win_kinds.__contains__)
        if earlier is not None:
            last_win = Win(date=earlier.date, kind=earlier.kind, company=earlier.company, role=earlier.role,
                           notes=earlier.notes)
    return Report(
        start=summary.start,
        end=end,
        generated_at=now,
        applications_sent=summary.sent,
        open_at_start=summary.open_at_start,
        open_at_end=summary.open_at_end,
        outcomes=Outcomes(**{outcome: summary.outcomes[outcome] for outcome in ("open", *OUTCOMES)}),
        funnel=tuple(
            FunnelStage(stage=stage, label=STAGE_LABELS[stage],
                        reached=sum(furthest[later] for later in STAGES[index:]),
                        rejected=summary.rejected_at[stage])
            for index, stage in enumerate(STAGES)
        ),
        rejections_by_stage={stage: summary.rejections_by_stage.get(stage, 0) for stage in STAGES},
        wins_by_kind=dict(sorted(summary.wins_by_kind.items(), key=lambda item: (-item[1], item[0]))),
        recent_wins=tuple(Win(date=win.date, kind=win.kind, company=win.company, role=win.role, notes=win.notes)
                          for win in summary.recent_wins),
        feedback_requested=summary.feedback_requested,
        feedback_received=summary.feedback_received,
        themes=tuple(
            ThemeSummary(theme=found.theme, applications=tuple(tuple(a) for a in found.applications),
                         mentions=found.mentions,
                         evidence=tuple(tuple(e) for e in found.evidence))
            for found in recurring
        ),
        pipeline=summary.weeks,
        # what has lapsed is not overdue any more: the rule the run marks missed by
        overdue=Lapse(after_days=settings.missed_after_days).count_due(journal, now),
        due_next=due_next,
        numbers=summary.numbers,
        reasons=_reasons(summary.rejections, settings),
        target=settings.target,
        whole_search=since is None,
        client_id=client.id if client is not None else "",
        client_name=client.display_name if client is not None else "",
        coach_name=client.coach if client is not None else "",
        last_win_before=last_win,
        quiet_at_end=summary.quiet_at_end,
        stale_after_days=settings.stale_after_days,
        # a note is about a week: the notes of every week the period touches
        notes=tuple(CoachNote(day=note.day, text=note.text) for note in journal.notes(
            since=_monday(summary.start), until=_monday(end) + dt.timedelta(days=6))),
    )


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _win_kinds(settings: ReportSettings) -> frozenset[str]:
    """The milestone kinds that count as wins, as the workflow says (as the run counts them)."""
    if settings.win_kinds is not None:
        return settings.win_kinds
    return WIN_KINDS - settings.not_wins


def _reasons(rejections: Iterable[RejectionReasons], settings: ReportSettings) -> Reasons:
    """The period's rejections by what their reasons say, with the areas to focus on.

    ``rejections`` come grouped (same company, reason, notes and stored
    verdict), in the order each group first came. A group's stored verdict
    is what the run told the person, so it counts as it is; only groups
    without one are classified, with the report's workflow, each reason once.
    """
    from coachflow.reasons import Verdict, classify

    kinds: Counter[str] = Counter()
    causes: Counter[str] = Counter()
    areas: dict[str, list[Any]] = {}  # area -> [count, companies, skills]
    verdicts: dict[tuple[str, str] | str, Any] = {}
    for group in rejections:
        known: tuple[str, str] | str = group.verdict if group.verdict is not None else (group.reason, group.notes)
        verdict = verdicts.get(known)
        if verdict is None:
            verdict = verdicts[known] = (
                Verdict.from_json(group.verdict) if group.verdict is not None
                else classify(group.reason, group.notes, outside=settings.outside, inside=settings.inside))
        kind = verdict.kind
        kinds["inside" if kind == "mixed" else kind] += group.count
        for cause in verdict.outside:
            causes[cause] += group.count
        for area in verdict.to_practise:
            found = areas.setdefault(area, [0, {}, {}])
            found[0] += group.count
            found[1].setdefault(group.company.casefold(), group.company)
            if area == "skills":
                for skill in verdict.skills:
                    found[2].setdefault(skill.casefold(), skill)
    focus = sorted(
        (FocusArea(area=area, rejections=count, companies=tuple(companies.values()),
                   skills=tuple(skills.values()))
         for area, (count, companies, skills) in areas.items()),
        key=lambda item: -item.rejections,
    )
    return Reasons(outside=kinds["outside"], inside=kinds["inside"], unclear=kinds["unclear"],
                   none=kinds["none"], causes=dict(causes.most_common()), focus=tuple(focus))
