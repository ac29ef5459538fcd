"""Applications: the one place that says what an application is and when it is open.

Every question about applications in coachflow is answered by these rules:
the journal's queries (through the keys stored with each event), the
pipeline steps see, the report's funnel, and the built-in steps' keys.

**Identity.** An application is a company and a role. Two events belong to
the same application when their :func:`application_key` is equal: company
and role with Unicode case folding and runs of whitespace made one space
("Öko AG", "öko  ag" and "ÖKO AG" are one company). The journal stores these
keys beside each event, so SQL compares exactly what Python compares.

**Lifecycle.** An ``applied`` milestone opens an application. It reaches
stages (a rejection at a stage, an interview invitation, an offer) and ends
in one of :data:`OUTCOMES`: rejected, withdrawn or accepted. An offer is a
stage, not an end: an application with an offer is open until it is
accepted or turned down.

**The open rule.** A closing event (a rejection, or a milestone of a kind in
:data:`CLOSING_KINDS`) closes the applications it :func:`matches`: the same
company and role; a closing event with no role closes every application at
its company; an application with no role is closed by any closing event at
its company. Applying again to an application that is still open does not
open it twice. "Later" means a later date, or the same date and recorded
later (see :func:`position`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import unicodedata
from typing import Any, Callable, Collection, Iterable

import attrs

from coachflow.models import STAGES, Event

#: The milestone kind that opens an application.
OPENING_KIND = "applied"

#: Milestone kinds that close an application, as a rejection does, and the outcome each records.
CLOSING_KINDS: dict[str, str] = {"withdrawn": "withdrawn", "accepted": "accepted"}

#: The outcome of an application a rejection ends.
REJECTION_OUTCOME = "rejected"

#: How an application can end.
OUTCOMES: tuple[str, ...] = (REJECTION_OUTCOME, *CLOSING_KINDS.values())

#: Milestone kinds that show how far an application got, and the stage each means.
STAGE_MILESTONES: dict[str, str] = {"interview-invitation": "interview", "offer": "offer", "accepted": "offer"}

#: Milestone kinds that are not wins: they open or close an application without good news.
NOT_WINS: frozenset[str] = frozenset({OPENING_KIND, "withdrawn"})

#: The built-in milestone kinds that are wins. A plugin's kind is a win only when its plugin
#: registers it as one (``register(kind, description, win=True)``; see StepRegistry.is_win).
WIN_KINDS: frozenset[str] = frozenset({"good-conversation", "interview-invitation", "positive-feedback", "offer",
                                       "accepted"})

#: Stage name -> its place in :data:`coachflow.models.STAGES` (later is further).
STAGE_INDEX: dict[str, int] = {stage: index for index, stage in enumerate(STAGES)}

#: The stages that mean the person was interviewed.
INTERVIEW_STAGES: frozenset[str] = frozenset({"interview", "final", "offer"})


def fold(text: str) -> str:
    """A name as applications compare it: Unicode-normalised (NFKC), case-folded, whitespace made single spaces."""
    return unicodedata.normalize("NFKC", " ".join(text.split())).casefold()


def application_key(company: str, role: str = "") -> tuple[str, str]:
    """The identity of an application: ``(fold(company), fold(role))``."""
    return fold(company), fold(role)


def key_of(event: Any) -> tuple[str, str]:
    """The application key of an event (empty parts for an event with no company or role)."""
    return fold(getattr(event, "company", "") or ""), fold(getattr(event, "role", "") or "")


def action_key(prefix: str, company: str, role: str = "") -> str:
    """A key for an action about one application, e.g. ``feedback-request:öko ag:analyst``.

    Steps give reminders such keys so that a later run can find, cancel or
    merge them; the application part is its :func:`application_key`, so
    every spelling of the company and role gives the same key.
    """
    company_key, role_key = application_key(company, role)
    return f"{prefix}:{company_key}:{role_key}"


def matches(application: tuple[str, str], closing: tuple[str, str]) -> bool:
    """True when an event with key ``closing`` is about the application with key ``application``.

    Same company, and the same role unless either of them has none.
    """
    return application[0] == closing[0] and (not application[1] or not closing[1] or application[1] == closing[1])


def opens_application(event: Any) -> bool:
    """True for an ``applied`` milestone with a company."""
    return event.type == "milestone" and event.kind == OPENING_KIND and bool(event.company)


def closing_outcome(event: Any) -> str | None:
    """The outcome an event ends its application with (``rejected``, ``withdrawn``, ``accepted``), or ``None``."""
    if event.type == "rejection":
        return REJECTION_OUTCOME
    if event.type == "milestone":
        return CLOSING_KINDS.get(event.kind)
    return None


def stage_reached(event: Any) -> str | None:
    """The stage an event shows its application reached (a rejection's stage, an invitation's ``interview``...)."""
    if event.type == "rejection":
        return event.stage
    if event.type == "milestone":
        return STAGE_MILESTONES.get(event.kind)
    return None


def is_win(kind: str) -> bool:
    """True for a built-in milestone kind worth celebrating (:data:`WIN_KINDS`).

    A plugin's kind is not one unless its plugin says so, which the plugin
    host's registry knows (:meth:`coachflow.plugin.registry.StepRegistry.is_win`).
    """
    return kind in WIN_KINDS


#: Days without news after which an open application stops counting toward the target
#: (``maintain-momentum``'s ``stale_after_days`` unless the coach sets it): most that go quiet
#: this long never come back.
STALE_AFTER_DAYS = 30


def news_cutoff(day: dt.date, stale_after_days: int) -> dt.date | None:
    """The earliest news that keeps an open application counting toward the target on ``day``
    (``Pipeline.open_applications(news_since=...)``); ``None`` when ``stale_after_days`` is 0:
    then every open application counts until it is closed."""
    return day - dt.timedelta(days=stale_after_days) if stale_after_days else None


def gone_quiet(open_applications: Iterable[Application], news: Collection[tuple[str, str]]) -> int:
    """How many of ``open_applications`` have gone quiet: no event among ``news`` (the application
    keys events were recorded for in the last ``stale_after_days``, see :func:`news_cutoff`) for their
    company and role, nor for their company without a role. ``maintain-momentum`` leaves these out
    of the count toward the target; the report counts them in SQL by the same rule
    (``JournalReader.period_summary(news_since=)``)."""
    return sum(1 for application in open_applications
               if application.key not in news and (application.key[0], "") not in news)


def latest_win(reader: Any, *, before: dt.date, judge: Callable[[str], bool] = is_win) -> Event | None:
    """The latest milestone dated before ``before`` that is a win by ``judge`` (default: the built-in
    kinds), or ``None``: what a window with no wins can say about the last one."""
    found = None
    for event in reader.events("milestone", until=before - dt.timedelta(days=1)):
        if judge(event.kind):
            found = event
    return found


def position(event: Event, event_id: int) -> tuple[str, int]:
    """An event's place in time: its date, then the order it was recorded in."""
    return event.date.isoformat(), event_id


@attrs.frozen
class Application:
    """An application opened by an ``applied`` milestone and not yet closed."""

    company: str
    role: str
    applied: dt.date
    event_id: int

    def age_days(self, today: dt.date) -> int:
        """Days since the application was sent."""
        return (today - self.applied).days

    @property
    def key(self) -> tuple[str, str]:
        """Its :func:`application_key`."""
        return application_key(self.company, self.role)


_BEFORE_ALL: tuple[str, int] = ("", 0)


class Pipeline:
    """Applications sent and not yet closed, and the latest news of each, kept as events are added.

    The rules are this module's. Events may come in any order (a person
    records last week's rejection today): each is placed by its
    :func:`position`. Ask a journal reader for it (``ctx.journal.pipeline()``)
    rather than making one: the reader feeds it the journal's events and
    keeps it current.
    """

    def __init__(self) -> None:
        # application key -> the applied milestones, by position
        self._applied: dict[tuple[str, str], list[tuple[tuple[str, int], Application]]] = {}
        self._closed_by_role: dict[tuple[str, str], tuple[str, int]] = {}
        self._closed_any_role: dict[str, tuple[str, int]] = {}
        self._closed_without_role: dict[str, tuple[str, int]] = {}
        self._keys_by_company: dict[str, set[tuple[str, str]]] = {}
        self._open: dict[tuple[str, str], tuple[tuple[str, int], Application]] = {}
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
        if event.type == "milestone":
            if event.kind == OPENING_KIND:
                self.applied_count += 1
                self.last_applied = max(self.last_applied or event.date, event.date)
            elif event.kind == "accepted":
                self.last_accepted = max(self.last_accepted or event.date, event.date)
        if not getattr(event, "company", ""):
            return
        key = key_of(event)
        if self._news.get(key, dt.date.min) < event.date:
            self._news[key] = event.date
        at = position(event, event_id)
        if opens_application(event):
            application = Application(company=event.company, role=event.role, applied=event.date, event_id=event_id)
            applied = self._applied.setdefault(key, [])
            if not applied or at > applied[-1][0]:
                applied.append((at, application))
            else:  # recorded out of date order; positions are unique, so Applications are never compared
                bisect.insort(applied, (at, application))
            self._keys_by_company.setdefault(key[0], set()).add(key)
            self._refresh(key)
        elif closing_outcome(event) is not None:
            company, role = key
            self._closed_any_role[company] = max(self._closed_any_role.get(company, _BEFORE_ALL), at)
            if role:
                self._closed_by_role[key] = max(self._closed_by_role.get(key, _BEFORE_ALL), at)
                touched = [key, (company, "")]
            else:
                self._closed_without_role[company] = max(self._closed_without_role.get(company, _BEFORE_ALL), at)
                touched = list(self._keys_by_company.get(company, ()))
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
        """The applications open now, oldest first (as ``JournalReader.open_applications``).

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
        company_key, role_key = application_key(company, role)
        dates = [self._news.get((company_key, role_key)), self._news.get((company_key, ""))]
        known = [day for day in dates if day is not None]
        return max(known) if known else None

    def search_concluded(self) -> bool:
        """True when an offer was accepted and nothing was applied for after that day."""
        return self.last_accepted is not None and (self.last_applied is None or
                                                   self.last_applied <= self.last_accepted)


class DistinctApplications:
    """Distinct applications, counted as their keys are added, in any order.

    An application is a company and role (:func:`application_key`); a key
    without a role belongs to that company's application(s) named
    elsewhere, and counts as one of its own only while no key at that
    company has a role. So applying, being invited and being turned down
    for one role counts once, and so does a rejection whose application was
    never recorded: it was an application all the same.
    """

    def __init__(self) -> None:
        self._keys: set[tuple[str, str]] = set()
        self._named_companies: set[str] = set()
        self._unnamed_companies: set[str] = set()  # companies seen only without a role
        #: How many distinct applications so far.
        self.count = 0

    def add(self, key: tuple[str, str]) -> None:
        """Count the application with this key, unless it is counted already."""
        if key in self._keys:
            return
        self._keys.add(key)
        company, role = key
        if role:
            self.count += 1
            self._named_companies.add(company)
            if company in self._unnamed_companies:
                self._unnamed_companies.discard(company)
                self.count -= 1
        elif company not in self._named_companies:
            self._unnamed_companies.add(company)
            self.count += 1


def counts_as_application(event: Any) -> bool:
    """True for an event that shows an application existed: an ``applied``, ``interview-invitation``,
    ``offer``, ``accepted`` or ``withdrawn`` milestone, or a rejection (recorded application or not)."""
    from coachflow.models import APPLICATION_MILESTONES

    if not getattr(event, "company", ""):
        return False
    return event.type == "rejection" or (event.type == "milestone" and event.kind in APPLICATION_MILESTONES)


@attrs.define(eq=False)  # two applications are never the same one
class TrackedApplication:
    """An application followed through its lifecycle by :class:`ApplicationBook`."""

    company: str
    role: str
    applied: dt.date
    #: The furthest stage reached, as an index into :data:`coachflow.models.STAGES`.
    stage: int = 0
    #: How it ended (one of :data:`OUTCOMES`), or ``None`` while it is open.
    outcome: str | None = None
    closed: dt.date | None = None
    #: False for an application known only from how it ended (a rejection with no ``applied``).
    recorded: bool = True

    @property
    def key(self) -> tuple[str, str]:
        """Its :func:`application_key`."""
        return application_key(self.company, self.role)

    @property
    def furthest_stage(self) -> str:
        """The name of the furthest stage reached."""
        return STAGES[self.stage]


class ApplicationBook:
    """Applications followed from ``applied`` to their end, for events that come in date order.

    More than what is open: how far each application got and how it ended.
    :meth:`add` applies this module's rules to one event and says what it
    did. The report's counts (:meth:`JournalReader.period_summary`, SQL in
    :mod:`coachflow.journal.periods`) follow these rules in the database;
    the journal's contract tests check the two against each other.
    """

    def __init__(self, *, unrecorded: bool = False) -> None:
        """:param unrecorded: also follow applications known only from a closing event: a rejection
            (or a withdrawal) for a company and role never applied to is an application that was sent,
            reached that stage and ended, the day of that event (see :class:`DistinctApplications`)."""
        self._open: dict[str, list[TrackedApplication]] = {}
        self._unrecorded = unrecorded
        self._seen_keys: dict[str, set[str]] = {}
        #: How many applications are open now.
        self.open_count = 0

    def _ever_opened(self, key: tuple[str, str]) -> bool:
        roles = self._seen_keys.get(key[0], set())
        return any(matches((key[0], role), key) for role in roles)

    def add(self, event: Any) -> tuple[TrackedApplication | None, list[TrackedApplication]]:
        """Apply one event; return the application it opened (or ``None``) and those it closed.

        An application known only from its closing event (with ``unrecorded``)
        is returned as both opened and closed.
        """
        if not getattr(event, "company", ""):
            return None, []
        key = key_of(event)
        stage = stage_reached(event)
        if self._unrecorded and closing_outcome(event) is not None and not self._ever_opened(key):
            self._seen_keys.setdefault(key[0], set()).add(key[1])
            implied = TrackedApplication(company=event.company, role=event.role, applied=event.date,
                                         stage=STAGE_INDEX.get(stage, 0) if stage else 0,
                                         outcome=closing_outcome(event), closed=event.date, recorded=False)
            return implied, [implied]
        if opens_application(event):
            self._seen_keys.setdefault(key[0], set()).add(key[1])
            applications = self._open.setdefault(key[0], [])
            if any(application.key[1] == key[1] for application in applications):
                return None, []  # the same application, recorded twice while it is open
            opened = TrackedApplication(company=event.company, role=event.role, applied=event.date)
            applications.append(opened)
            self.open_count += 1
            return opened, []
        touched = [application for application in self._open.get(key[0], ()) if matches(application.key, key)]
        if stage is not None:
            for application in touched:
                application.stage = max(application.stage, STAGE_INDEX[stage])
        outcome = closing_outcome(event)
        if outcome is None or not touched:
            return None, []
        remaining = [application for application in self._open[key[0]] if application not in touched]
        if remaining:
            self._open[key[0]] = remaining
        else:
            del self._open[key[0]]
        self.open_count -= len(touched)
        for application in touched:
            application.outcome, application.closed = outcome, event.date
        return None, touched

    def still_open(self) -> list[TrackedApplication]:
        """The applications open now, in the order they were opened per company."""
        return [application for applications in self._open.values() for application in applications]


__all__ = [
    "CLOSING_KINDS", "INTERVIEW_STAGES", "NOT_WINS", "WIN_KINDS", "OPENING_KIND", "OUTCOMES", "REJECTION_OUTCOME",
    "STAGE_INDEX",
    "STAGE_MILESTONES", "Application", "ApplicationBook", "DistinctApplications", "Pipeline", "TrackedApplication",
    "action_key", "application_key", "closing_outcome", "counts_as_application", "fold", "is_win", "key_of",
    "STALE_AFTER_DAYS", "gone_quiet", "latest_win", "matches", "news_cutoff", "opens_application", "position", "stage_reached",
]
