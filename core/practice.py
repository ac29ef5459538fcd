"""A coach's view across clients: the practice board and each client's weekly digest.

Both read every client's journal through the journal interface (so they
work on any backend) and never write. The board answers "who needs me this
week, and why?" in one row per client; the digest tells one client's week.

The records the journal gives both are defined here, beside their readers:
:class:`BoardFacts` (what :meth:`coachflow.journal.Practice.board` answers
for a client) and :class:`Note` (a coach's note, which a digest shows), so
that a run, which needs neither, does not define them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import attrs

from coachflow.context import REJECTION_RUN, REJECTION_RUN_DAYS
from coachflow.upkeep import MISSED_AFTER_DAYS, Lapse
from coachflow.wording import human_date, plural, short_date

if TYPE_CHECKING:
    from coachflow.clients import Client
    from coachflow.journal import JournalReader, Practice
    from coachflow.journal.base import ClientProblem

#: How recent a rejection is to need a word from the coach.
RECENT_REJECTION = dt.timedelta(hours=48)
#: The days the board's "rejections this week" counts, today included.
WEEK_DAYS = 7
#: How long without anything recorded before a client may have gone quiet.
QUIET_DAYS = 14
#: The pipeline target when neither the client nor the workflow sets one.
DEFAULT_TARGET = 5
#: How far back the board looks for recurring themes.
THEME_DAYS = 90


@attrs.frozen
class BoardFacts:
    """What the practice board shows of one client on one day (see :meth:`coachflow.journal.Practice.board`).

    The board (:func:`board_row`) turns these into its
    row and the reasons a client needs attention; every backend answers the
    same questions, so a client's row is the same on each.
    """

    #: The date of the event recorded last (the highest id), or ``None`` for an empty journal.
    last_activity: dt.date | None
    #: How many applications are open (:meth:`coachflow.journal.JournalReader.open_applications`).
    open_applications: int
    #: Rejections dated in the 7 days up to the board's day, that day included.
    rejections_this_week: int
    #: Rejections dated in the days a hard run is counted over (``run_days`` of :meth:`coachflow.journal.Practice.board`).
    rejections_in_run: int
    #: The newest of those (the first recorded of its date): ``(date, company, stage)``.
    latest_rejection: tuple[dt.date, str, str] | None
    #: Open actions due at or before the board's moment.
    overdue: int
    #: Themes that recurred across applications in the 90 days up to :attr:`last_activity`,
    #: most recurring first (as :func:`coachflow.themes.recurring_themes` orders them).
    themes: tuple[str, ...]


@attrs.frozen
class Note:
    """A coach's note about a client's week, kept in the client's journal (:meth:`coachflow.journal.JournalReader.notes`)."""

    id: int
    #: The day it is about (a digest shows the notes of its week).
    day: dt.date
    text: str
    written_at: dt.datetime


@attrs.frozen
class BoardRow:
    """One client on the practice board."""

    client: str
    name: str
    last_activity: dt.date | None
    open_applications: int
    target: int
    rejections_this_week: int
    overdue: int
    themes: tuple[str, ...]
    #: Why this client needs attention, most pressing first, in words; empty when all is well.
    attention: tuple[str, ...]
    #: How pressing, for sorting: higher first.
    urgency: int


#: How many of the latest rejections and open due times :class:`ClientFacts` keeps.
KEPT_REJECTIONS = 16
KEPT_DUE = 256


@attrs.frozen
class ClientFacts:
    """What the board needs from one client's journal, true whatever the day: it can be kept.

    The board's questions about "this week" and "overdue" are answered from
    these for any clock; where the kept lists are full and could be cut
    short for that clock, the board asks the journal itself.
    """

    last_activity: dt.date | None
    open_applications: int
    #: The latest rejections, newest first: (date, company, stage).
    rejections: tuple[tuple[dt.date, str, str], ...]
    rejections_complete: bool
    #: When the open actions with a due time are due, soonest first.
    open_due: tuple[dt.datetime, ...]
    open_due_complete: bool
    #: Themes that recurred in the :data:`THEME_DAYS` days up to the last activity.
    themes: tuple[str, ...]

    def to_dict(self) -> dict:
        """Plain data, to keep in the board's cache."""
        return {"last_activity": self.last_activity.isoformat() if self.last_activity else None,
                "open_applications": self.open_applications,
                "rejections": [[day.isoformat(), company, stage] for day, company, stage in self.rejections],
                "rejections_complete": self.rejections_complete,
                "open_due": [due.isoformat() for due in self.open_due], "open_due_complete": self.open_due_complete,
                "themes": list(self.themes)}

    @classmethod
    def from_dict(cls, data: dict) -> "ClientFacts":
        """The facts :meth:`to_dict` kept."""
        return cls(
            last_activity=dt.date.fromisoformat(data["last_activity"]) if data["last_activity"] else None,
            open_applications=data["open_applications"],
            rejections=tuple((dt.date.fromisoformat(day), company, stage) for day, company, stage in data["rejections"]),
            rejections_complete=data["rejections_complete"],
            open_due=tuple(dt.datetime.fromisoformat(due) for due in data["open_due"]),
            open_due_complete=data["open_due_complete"], themes=tuple(data["themes"]))

    def on(self, now: dt.datetime, journal: "Callable[[], JournalReader] | None" = None, *,
           run_days: int = REJECTION_RUN_DAYS, missed_after_days: int = MISSED_AFTER_DAYS) -> BoardFacts:
        """What the board shows of this client at ``now``.

        :param journal: opens the client's journal; called only when these
            facts cannot answer for this clock (more rejections or open items
            than they keep).
        :param run_days: the days a hard run of noes is counted over, today included.
        :param missed_after_days: an open action this long past its time has lapsed and is not
            overdue (:class:`coachflow.upkeep.Lapse`).
        """
        today = now.date()
        week_start = today - dt.timedelta(days=WEEK_DAYS - 1)
        recent = [item for item in self.rejections if week_start <= item[0] <= today]
        rejections_this_week = _rejections_since(self, week_start, today, journal)
        in_run = (rejections_this_week if run_days == WEEK_DAYS else
                  _rejections_since(self, today - dt.timedelta(days=run_days - 1), today, journal))
        rule = Lapse(after_days=missed_after_days)
        horizon = rule.horizon(now)
        by_now = sum(1 for due in self.open_due if due <= now)
        overdue = sum(1 for due in self.open_due if horizon <= due <= now)
        if not self.open_due_complete and by_now == len(self.open_due) and journal is not None:
            overdue = rule.count_due(journal(), now)
        return BoardFacts(last_activity=self.last_activity, open_applications=self.open_applications,
                          rejections_this_week=rejections_this_week, rejections_in_run=in_run,
                          latest_rejection=recent[0] if recent else None, overdue=overdue, themes=self.themes)


def client_facts(journal: "JournalReader") -> ClientFacts:
    """Read :class:`ClientFacts` from one client's journal."""
    import itertools

    from coachflow.themes import recurring_themes

    last_activity = journal.latest_event_date()
    rejections = sorted(((event.date, event.company, event.stage) for event in journal.events("rejection")),
                        key=lambda item: item[0], reverse=True)
    open_due = list(itertools.islice(journal.due_actions(), KEPT_DUE + 1))
    themes = ()
    if last_activity is not None:
        since = last_activity - dt.timedelta(days=THEME_DAYS)
        themes = tuple(theme.theme for theme in recurring_themes(journal, since=since, until=last_activity))
    return ClientFacts(
        last_activity=last_activity, open_applications=len(journal.open_applications()),
        rejections=tuple(rejections[:KEPT_REJECTIONS]), rejections_complete=len(rejections) <= KEPT_REJECTIONS,
        open_due=tuple(stored.action.due for stored in open_due[:KEPT_DUE] if stored.action.due is not None),
        open_due_complete=len(open_due) <= KEPT_DUE, themes=themes)


def _rejections_since(facts: ClientFacts, first: dt.date, today: dt.date,
                      journal: "Callable[[], JournalReader] | None") -> int:
    """How many rejections are dated from ``first`` to ``today``: from the kept ones, or from the
    journal when the kept ones may stop short of ``first``."""
    count = sum(1 for day, _, _ in facts.rejections if first <= day <= today)
    if not facts.rejections_complete and facts.rejections[-1][0] >= first and journal is not None:
        count = journal().count("rejection", since=first, until=today)
    return count


def board_row(client: "Client", facts: BoardFacts, now: dt.datetime, *, default_target: int = DEFAULT_TARGET,
              hard_run: tuple[int, int] = (REJECTION_RUN, REJECTION_RUN_DAYS)) -> BoardRow:
    """The board row of one client on the day of ``now``, with why they need attention.

    :param hard_run: the workflow's ``[settings] rejection_run`` and ``rejection_run_days``: that
        many noes in the last that many days make a hard run, as the run counts it (default: 3 in
        7); ``facts`` must count the noes of those days (:meth:`Practice.board`'s ``run_days``).
    """
    run, run_days = hard_run
    today = now.date()
    target = client.pipeline_target or default_target
    last_activity = facts.last_activity
    rejections_this_week = facts.rejections_this_week

    reasons: list[tuple[int, str]] = []
    latest = facts.latest_rejection
    if latest is not None and now - dt.datetime.combine(latest[0], dt.time()) <= RECENT_REJECTION:
        days = (today - latest[0]).days
        when = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
        reasons.append((5, f"a rejection {when} ({latest[1]}, {latest[2]} stage)"))
    if facts.rejections_in_run >= run:
        reasons.append((4, f"{plural(facts.rejections_in_run, 'rejection')} in {plural(run_days, 'day')}"))
    if facts.overdue:
        reasons.append((3, f"{plural(facts.overdue, 'overdue item')}"))
    if last_activity is None:
        reasons.append((1, "nothing recorded yet"))
    elif (today - last_activity).days >= QUIET_DAYS:
        # by the events' own dates: an event entered today for last month is not news of this week
        reasons.append((2, f"no events for {(today - last_activity).days} days"))
    if last_activity is not None and facts.open_applications < target:
        reasons.append((2, f"pipeline under target ({facts.open_applications} of {target} open)"))
    reasons.sort(key=lambda item: -item[0])
    return BoardRow(
        client=client.id, name=client.display_name, last_activity=last_activity,
        open_applications=facts.open_applications, target=target, rejections_this_week=rejections_this_week,
        overdue=facts.overdue, themes=facts.themes, attention=tuple(text for _, text in reasons),
        urgency=sum(weight for weight, _ in reasons),
    )


def practice_board(practice: "Practice", now: dt.datetime, *, attention_only: bool = False,
                   default_target: int = DEFAULT_TARGET,
                   hard_run: tuple[int, int] = (REJECTION_RUN, REJECTION_RUN_DAYS),
                   missed_after_days: int = MISSED_AFTER_DAYS,
                   on_problem: "ClientProblem | None" = None) -> list[BoardRow]:
    """One row per client of ``practice``, who needs attention most first (then by name).

    The practice gives each client's :class:`BoardFacts` (see
    :meth:`Practice.board`) one client at a time, so memory stays flat
    however many clients there are.

    :param attention_only: leave out the clients who need nothing.
    :param hard_run: what a hard run is, from the workflow's ``[settings]`` (see :func:`board_row`).
    :param missed_after_days: the workflow's ``[settings] missed_after_days``: what has lapsed is not overdue.
    :param on_problem: given each client whose settings cannot be read (see :meth:`Practice.board`).
    """
    rows = []
    for client, facts in practice.board(now, run_days=hard_run[1], missed_after_days=missed_after_days,
                                        on_problem=on_problem):
        row = board_row(client, facts, now, default_target=default_target, hard_run=hard_run)
        if row.attention or not attention_only:
            rows.append(row)
    rows.sort(key=lambda row: (-row.urgency, row.name.casefold()))
    return rows


class FactsCache:
    """:class:`ClientFacts` kept between boards, each with the state of the journal it was read from.

    A journal's state is the size and modification time of its file (and
    of its write-ahead log): any write changes them, so kept facts are used
    only for a journal that has not changed since. The board then reads
    only the journals that changed, which on a coach's ordinary day is a
    few of many.
    """

    #: 2: last activity is the latest event date, not the date of the event recorded last.
    VERSION = 2

    def __init__(self, path: "Path") -> None:
        self.path = path
        self._entries: dict[str, dict] = {}
        self.changed = False
        try:
            import json

            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == self.VERSION:
                self._entries = data["clients"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self._entries = {}  # a missing or damaged cache is only slower

    @staticmethod
    def stamp(journal_path: "Path") -> list[int] | None:
        """The state of a journal file, or ``None`` when there is none."""
        try:
            main = journal_path.stat()
        except FileNotFoundError:
            return None
        try:
            wal = Path(f"{journal_path}-wal").stat()
            # An empty log holds nothing: readers create one, which is no change.
            wal_state = [wal.st_size, wal.st_mtime_ns] if wal.st_size else [0, 0]
        except FileNotFoundError:
            wal_state = [0, 0]
        return [main.st_size, main.st_mtime_ns, *wal_state]

    def get(self, client_id: str, stamp: list[int]) -> ClientFacts | None:
        """The kept facts of a client whose journal is still in state ``stamp``."""
        entry = self._entries.get(client_id, {})
        if entry.get("stamp") != stamp:
            return None
        try:
            return ClientFacts.from_dict(entry["facts"])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, client_id: str, stamp: list[int], facts: ClientFacts) -> None:
        """Keep a client's facts, read when their journal was in state ``stamp``."""
        self._entries.setdefault(client_id, {}).update(stamp=stamp, facts=facts.to_dict())
        self.changed = True

    def client(self, client_id: str, settings: "Path") -> "Client":
        """The client as the board needs them (name and target), from their settings file when it changed."""
        from coachflow.clients import Client, load_client

        entry = self._entries.setdefault(client_id, {})
        try:
            state = settings.stat()
            stamp = [state.st_size, state.st_mtime_ns]
        except OSError:
            stamp = None
        kept = entry.get("settings")
        if stamp is not None and kept is not None and kept.get("stamp") == stamp:
            try:
                return Client(id=client_id, name=kept["name"], pipeline_target=kept["pipeline_target"])
            except (KeyError, TypeError, ValueError):
                pass
        if stamp is None:  # a profile a run started: a client with the default settings
            entry.pop("settings", None)
            return Client(id=client_id)
        found = load_client(client_id)
        entry["settings"] = {"stamp": stamp, "name": found.name, "pipeline_target": found.pipeline_target}
        self.changed = True
        return found

    def keep_only(self, client_ids: Iterable[str]) -> None:
        """Forget the clients not in ``client_ids`` (removed ones)."""
        wanted = set(client_ids)
        for gone in [client_id for client_id in self._entries if client_id not in wanted]:
            del self._entries[gone]
            self.changed = True

    def save(self) -> None:
        """Write the cache whole, if anything changed (a failure only means the next board reads more)."""
        if not self.changed:
            return
        import json

        from coachflow.files import write_whole

        try:
            with write_whole(self.path) as stream:
                json.dump({"version": self.VERSION, "clients": self._entries}, stream, separators=(",", ":"))
        except Exception:  # noqa: BLE001  (a cache that cannot be written is not the coach's problem)
            pass


#: The facts of a client with no journal yet.
NO_FACTS = ClientFacts(last_activity=None, open_applications=0, rejections=(), rejections_complete=True,
                       open_due=(), open_due_complete=True, themes=())


# --- the weekly digest ---------------------------------------------------------


@attrs.frozen
class DigestItem:
    """One thing that happened in the week."""

    date: dt.date
    kind: str  # win, rejection, feedback, applied, other
    text: str


@attrs.frozen
class Digest:
    """One client's week: what happened (wins first), themes, what is due next week, the coach's note."""

    client: str
    name: str
    coach: str
    week_start: dt.date
    week_end: dt.date
    happened: tuple[DigestItem, ...]
    themes: tuple[str, ...]
    due_next_week: tuple[tuple[dt.datetime, str], ...]
    notes: tuple[str, ...]


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday and Sunday of the week ``day`` falls in."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _describe(event, is_win: Callable[[str], bool]) -> tuple[str, str]:
    from coachflow.models import position

    where = position(event) or "your search"
    if event.type == "rejection":
        return "rejection", f"A no at the {event.stage} stage: {where}"
    if event.type == "feedback":
        return "feedback", f"Feedback from {where}: \u201c{' '.join(event.text.split())}\u201d"
    label = event.kind.replace("-", " ")
    if event.kind == "applied":
        return "applied", f"Applied: {where}"
    if is_win(event.kind):
        return "win", f"Win: {label}, {where}" if event.company else f"Win: {label}"
    return "other", f"{label.capitalize()}: {where}"


def build_digest(client: "Client", journal: "JournalReader", day: dt.date, *,
                 is_win: Callable[[str], bool] | None = None, now: dt.datetime | None = None,
                 missed_after_days: int = MISSED_AFTER_DAYS) -> Digest:
    """The digest of the week ``day`` falls in, for ``client``.

    :param is_win: whether a milestone kind is a win (``Workflow.is_win``, so that the kinds a
        workflow declares come first as the run celebrates them); default: the built-in kinds' answer.
    :param now: the clock: what is due the next week and has lapsed by then (an earlier week's
        digest, read later) is left out, as ``coachflow due`` leaves it out (:class:`coachflow.upkeep.Lapse`).
    :param missed_after_days: the workflow's ``[settings] missed_after_days``.
    """
    from coachflow.applications import is_win as builtin_is_win
    from coachflow.themes import recurring_themes

    judge = is_win or builtin_is_win

    start, end = week_of(day)
    order = {"win": 0, "rejection": 1, "feedback": 2, "applied": 3, "other": 4}
    described = []
    for event in journal.events(since=start, until=end):
        kind, text = _describe(event, judge)
        described.append(DigestItem(date=event.date, kind=kind, text=text))
    described.sort(key=lambda item: (order[item.kind], item.date))
    next_start = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    next_end = next_start + dt.timedelta(days=7)
    if now is not None:
        next_start = max(next_start, Lapse(after_days=missed_after_days).horizon(now))
    due = tuple(
        (stored.action.due, stored.action.title) for stored in journal.due_actions(after=next_start - dt.timedelta(minutes=1))
        if stored.action.due is not None and stored.action.due < next_end
    )
    themes = tuple(theme.theme for theme in recurring_themes(journal, until=end))
    notes = tuple(note.text for note in journal.notes(since=start, until=end))
    return Digest(client=client.id, name=client.display_name, coach=client.coach, week_start=start, week_end=end,
                  happened=tuple(described), themes=themes, due_next_week=due, notes=notes)


def digest_lines(digest: Digest) -> Iterator[str]:
    """The digest as plain lines (text and Markdown share them)."""
    yield f"{digest.name}: the week of {human_date(digest.week_start)} to {human_date(digest.week_end)}"
    yield ""
    if digest.notes:
        yield f"From {digest.coach or 'your coach'}:"
        for note in digest.notes:
            yield f"  {note}"
        yield ""
    yield "This week:"
    if not digest.happened:
        yield "  Nothing recorded this week."
    for item in digest.happened:
        yield f"  {short_date(item.date)}  {item.text}"
    yield ""
    if digest.themes:
        yield f"Themes that keep coming up: {', '.join(digest.themes)}"
        yield ""
    yield "Due next week:"
    if not digest.due_next_week:
        yield "  Nothing scheduled."
    for due, title in digest.due_next_week:
        yield f"  {short_date(due.date())}, {due:%H:%M}  {title}"


__all__ = ["BoardFacts", "BoardRow", "ClientFacts", "Digest", "DigestItem", "Note", "board_row", "build_digest",
           "client_facts", "practice_board", "week_of"]
