"""What the everyday commands show: the status, the due list, the history, and what a command did.

Each is a plain value that the output formats render (:mod:`coachflow.output`):
``coachflow status`` is :func:`build_status`, ``coachflow due`` is
:func:`build_due_list`, ``coachflow history`` is :class:`History`;
:class:`Checked`, :class:`Marked`, :class:`Imported` and :class:`Paths` are
what ``validate``, ``done``, ``import`` and ``path`` did or found;
:class:`Board` and :class:`ClientCard` are a coach's board and a client.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple

if TYPE_CHECKING:
    from coachflow.journal import Entry, JournalReader, StoredAction

#: Actions that are something to do (rather than to read): ``due --all`` lists these.
TO_DO_KINDS = ("task", "reminder", "draft")


class Status(NamedTuple):
    """Where the search stands on a day (``coachflow status``).

    :ivar today: the day it describes.
    :ivar days: how many days back the recent counts look, today included.
    :ivar since: the first of those days.
    :ivar pipeline: the open applications, oldest first.
    :ivar recent: what happened in those days (a ``Tally``).
    :ivar feedback_requested: feedback requests drafted and not cancelled, ever.
    :ivar feedback_received: feedback recorded, ever.
    :ivar due: open actions due by now.
    :ivar wins: the recent milestones that are wins with the workflow, by kind (as the run counts them).
    :ivar last_win: when there are none in those days, the latest win before them (an ``Event``), if any.
    :ivar quiet: how many of the open applications have had no news for over :attr:`stale_after_days`
        (they don't count toward the target, as ``maintain-momentum`` counts it).
    :ivar stale_after_days: ``maintain-momentum``'s ``stale_after_days``, or ``None`` without the step.
    :ivar target: ``maintain-momentum``'s ``target``, or ``None`` without the step.
    """

    today: dt.date
    days: int
    since: dt.date
    pipeline: list[Any]
    recent: Any
    feedback_requested: int
    feedback_received: int
    due: int
    wins: dict[str, int] = {}
    last_win: Any = None
    quiet: int = 0
    stale_after_days: int | None = None
    target: int | None = None

    @property
    def win_count(self) -> int:
        """How many recent wins in all."""
        return sum(self.wins.values())


def build_status(reader: "JournalReader", *, now: dt.datetime, days: int = 30,
                 is_win: "Callable[[str], bool] | None" = None, lapse: Any = None,
                 momentum: tuple[int, int] | None = None) -> Status:
    """The status on ``now``'s day, with the recent counts over the last ``days`` days.

    :param is_win: whether a milestone kind is a win (``Workflow.is_win``, so that a kind the
        workflow declares counts as the run counts it); default: the built-in kinds' answer.
    :param lapse: the lapse rule (:class:`coachflow.upkeep.Lapse`) with the workflow's settings:
        what has lapsed is not counted as due; default: the built-in settings.
    :param momentum: ``(target, stale_after_days)`` of the workflow's ``maintain-momentum`` step
        (``coachflow.cli.common.momentum_settings``), to say how many open applications count toward
        the target; ``None``: say nothing of it.
    """
    from coachflow.applications import is_win as builtin_is_win
    from coachflow.applications import gone_quiet, latest_win, news_cutoff
    from coachflow.upkeep import Lapse

    today = now.date()
    since = today - dt.timedelta(days=days - 1)
    recent = reader.tally(since=since, until=today)
    judge = is_win or builtin_is_win
    wins = {kind: count for kind, count in sorted(recent.milestones.items()) if judge(kind)}
    pipeline = reader.open_applications(as_of=today)
    cutoff = news_cutoff(today, momentum[1]) if momentum is not None else None
    quiet = gone_quiet(pipeline, reader.keys_with_news(since=cutoff, until=today)) if cutoff and pipeline else 0
    return Status(
        today=today,
        days=days,
        since=since,
        pipeline=pipeline,
        recent=recent,
        feedback_requested=reader.feedback_requested(),
        feedback_received=reader.count("feedback"),
        due=(lapse or Lapse()).count_due(reader, now),
        wins=wins,
        last_win=None if wins else latest_win(reader, before=since, judge=judge),
        quiet=quiet,
        stale_after_days=momentum[1] if momentum is not None else None,
        target=momentum[0] if momentum is not None else None,
    )


class DueList(NamedTuple):
    """The actions ``coachflow due`` lists.

    :ivar now: the clock they are due relative to.
    :ivar actions: the open actions listed, by due time.
    :ivar everything: whether it lists every open to-do (``--all``) or only those due by now.
    :ivar upcoming: when nothing is due, the next action that will be; else ``None``.
    :ivar limit: how many a person sees at once (a client's open-task budget), or
        ``None`` for all; the others wait their turn (see :attr:`shown`).
    :ivar lapsed: the open actions left out because their time has long passed (the lapse
        rule, :class:`coachflow.upkeep.Lapse`): the next run marks them missed.
    """

    now: dt.datetime
    actions: list["StoredAction"]
    everything: bool = False
    upcoming: "StoredAction | None" = None
    limit: int | None = None
    lapsed: list["StoredAction"] = []

    @property
    def shown(self) -> list["StoredAction"]:
        """The actions within :attr:`limit`, in the order of :attr:`actions`.

        The ones kept are the most pressing: those due by now (the oldest
        first), then those with no due time (the oldest first), then those
        coming up (the soonest first). What waits is never more pressing
        than what is shown.
        """
        if self.limit is None or len(self.actions) <= self.limit:
            return self.actions
        now = self.now

        def pressing(item: tuple[int, "StoredAction"]) -> tuple:
            index, stored = item
            due = stored.action.due
            if due is None:
                return (1, stored.created_at, index)
            return (0 if due <= now else 2, due, index)

        kept = {index for index, _ in sorted(enumerate(self.actions), key=pressing)[: self.limit]}
        return [stored for index, stored in enumerate(self.actions) if index in kept]

    @property
    def held_back(self) -> int:
        """How many wait beyond :attr:`limit`."""
        return len(self.actions) - len(self.shown)

    def groups(self) -> list[tuple[str, list["StoredAction"]]]:
        """The shown actions as ``(heading, actions)``: due now, coming up, any time (empty groups left out)."""
        now, shown = self.now, self.shown
        groups = [
            ("Due now", [a for a in shown if a.action.due is not None and a.action.due <= now]),
            ("Coming up", [a for a in shown if a.action.due is not None and a.action.due > now]),
            ("Any time", [a for a in shown if a.action.due is None]),
        ]
        return [(heading, group) for heading, group in groups if group]


def build_due_list(reader: "JournalReader", *, now: dt.datetime, everything: bool = False,
                   limit: int | None = None, lapse: Any = None) -> DueList:
    """The open actions due by ``now``, or with ``everything`` every open task, reminder and draft,
    leaving out those that have lapsed (see :attr:`DueList.lapsed`).

    :param limit: how many to show at once (see :attr:`DueList.limit`).
    :param lapse: the lapse rule (:class:`coachflow.upkeep.Lapse`) with the workflow's settings;
        default: the built-in settings.
    """
    from coachflow.upkeep import Lapse

    if everything:
        found = reader.actions(status="open", kinds=TO_DO_KINDS)
    else:
        found = reader.actions(status="open", due_before=now)
    chosen, lapsed = (lapse or Lapse()).split(reader, found, now)
    upcoming = None if everything or chosen else reader.next_due(now)
    return DueList(now=now, actions=chosen, everything=everything, upcoming=upcoming, limit=limit, lapsed=lapsed)


class History(NamedTuple):
    """The events ``coachflow history`` lists, oldest first.

    :ivar entries: the journal's entries, read as they are rendered (a long
        history is never all in memory).
    :ivar filtered: whether filters chose them (the text says "matched").
    """

    entries: Iterable["Entry"]
    filtered: bool = False


class Checked(NamedTuple):
    """One workflow file, or workflow test file, ``coachflow validate`` checked.

    :ivar file: the file as given.
    :ivar workflow: the loaded workflow when it is valid, else ``None``.
    :ivar problems: the :class:`coachflow.errors.Problem` details when it is not.
    :ivar cases: for a test file (``NAME.test.toml``), how many cases it has; ``None`` for a workflow.
    """

    file: str
    workflow: Any = None
    problems: tuple[Any, ...] = ()
    cases: int | None = None


class Marked(NamedTuple):
    """The actions ``coachflow done`` marked done (or, with ``--undo``, open again).

    :ivar actions: each action as it is now.
    :ivar unchanged: the ids of those that already had that status.
    :ivar undo: whether they were opened again.
    """

    actions: list["StoredAction"]
    unchanged: frozenset[int] = frozenset()
    undo: bool = False


class Imported(NamedTuple):
    """What ``coachflow import`` added (or, for a dry run, would add).

    :ivar source: the file's name as people read it (``standard input`` for ``-``).
    :ivar parsed: what reading the file found (its format, the columns left out or kept in notes).
    :ivar result: the :class:`coachflow.journal.io.ImportResult`.
    :ivar workflow: the name of the workflow run on the new events (``--run``), else ``None``.
    :ivar dry_run: whether nothing was written.
    :ivar due_now: open actions due by now after the run.
    """

    source: str
    parsed: Any
    result: Any
    workflow: str | None = None
    dry_run: bool = False
    due_now: int = 0

    @property
    def suggestions(self) -> int:
        """How many actions the workflow gave for the new events."""
        return sum(len(run.actions) for run in self.result.results)


class Paths(NamedTuple):
    """Where coachflow keeps things (``coachflow path``).

    :ivar name: the one path asked for (``journal``, ``data``, ``profiles``, ``workflow``), or ``None`` for all.
    :ivar journal: the journal the commands would read with the same options.
    :ivar data: the data directory.
    :ivar profiles: profile name -> its journal.
    :ivar workflow: the workflow file the commands would use.
    :ivar built_in: whether that is the built-in workflow.
    :ivar on_server: whether the journal is in a practice store (a URL) rather than a file.
    :ivar journal_shown: the journal as people may see it (a store's URL without its password).
    :ivar journal_exists: whether the journal file exists (``None`` for a store, which is not asked).
    """

    name: str | None
    journal: Any
    data: Path
    profiles: dict[str, Path]
    workflow: Path
    built_in: bool
    on_server: bool = False
    journal_shown: str = ""
    journal_exists: bool | None = None

    @property
    def profiles_folder(self) -> Path:
        """Where the profiles' journals live."""
        return self.data / "profiles"


class Board(NamedTuple):
    """A coach's practice board (``coachflow clients board``).

    :ivar rows: one :class:`coachflow.practice.BoardRow` per client, who needs attention first.
    :ivar now: the clock it was made with.
    """

    rows: list[Any]
    now: dt.datetime


class ClientListing(NamedTuple):
    """One client as ``coachflow client list`` lists them.

    :ivar client: the :class:`coachflow.clients.Client`.
    :ivar has_settings: whether they have settings of their own; a profile a
        run started has none yet, and the default settings.
    """

    client: Any
    has_settings: bool


class ClientCard(NamedTuple):
    """One client as ``coachflow client show`` shows them.

    :ivar client: the :class:`coachflow.clients.Client`.
    :ivar settings_file: where their settings are.
    :ivar journal: where their journal is.
    :ivar settings_text: their settings as the file writes them (TOML).
    """

    client: Any
    settings_file: Path
    journal: Path
    settings_text: str


class Preview(NamedTuple):
    """What ``coachflow preview`` shows: every text a client would read, situation by situation.

    :ivar scenes: the situations, each a :class:`coachflow.testing.preview.Scene`.
    :ivar workflow: the workflow they were run through.
    :ivar now: the clock they are dated from.
    :ivar events_file: the events file given instead of the samples, else ``None``.
    :ivar reader: whose eyes it is read with (a client's name), else ``None``.
    """

    scenes: list[Any]
    workflow: Any
    now: dt.datetime
    events_file: str | None = None
    reader: str | None = None
