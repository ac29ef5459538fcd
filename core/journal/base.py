"""The journal interface: what every storage backend offers, and the records it returns.

A journal has two sides. :class:`JournalReader` is the read side, the
``ctx.journal`` steps get: questions rather than SQL (which events, which
applications are open, what feedback came from a company). :class:`Journal`
is the write side the engine and the commands use: record an event and its
run, write actions, cancel them, mark them done, all inside transactions so
that a journal is never left half-written.

Backends (:mod:`coachflow.journal.sqlite`, and others) subclass both. No
backend type (a connection, a cursor, a row) and no SQL crosses this
interface: callers see events, :class:`Entry`, :class:`StoredAction`,
:class:`Tally` and :class:`~coachflow.applications.Application` only.
Open a journal with :func:`coachflow.journal.open_journal`.
"""

from __future__ import annotations

import abc
import datetime as dt
from contextlib import contextmanager
from typing import (
    TYPE_CHECKING, Any, Callable, Collection, Hashable, Iterable, Iterator, Mapping, Protocol, Sequence, TypeVar,
)

import attrs

from coachflow.applications import Application
from coachflow.errors import JournalError
from coachflow.models import EVENT_CLASSES, EVENT_FIELDS, Action, Event, event_fields, event_to_dict

if TYPE_CHECKING:
    from coachflow.applications import Pipeline
    from coachflow.clients import Client, ClientError
    from coachflow.journal.periods import PeriodSummary, PeriodWeek, RejectionReasons, SaidText, Tally
    from coachflow.practice import BoardFacts, Note

#: Actions whose key starts with this (``feedback-request:acme:data analyst``)
#: are feedback requests; :meth:`JournalReader.feedback_requested` counts them.
FEEDBACK_REQUEST_KEY = "feedback-request:"

#: The statuses an action can have: ``missed`` is one whose time passed long
#: ago without it being done (see :mod:`coachflow.upkeep`).
ACTION_STATUSES: tuple[str, ...] = ("open", "done", "cancelled", "missed")


@attrs.frozen
class StoredAction:
    """An action as the journal keeps it, with its id and status."""

    id: int
    event_id: int
    workflow: str
    action: Action
    status: str  # open, done, cancelled or missed
    created_at: dt.datetime
    done_at: dt.datetime | None = None


@attrs.frozen
class Entry:
    """One event of the history with what the journal knows about it."""

    id: int
    event: Event
    recorded_at: dt.datetime
    #: the workflows that ran on this event, in the order they ran (none for a plain import).
    workflows: tuple[str, ...] = ()
    #: for a rejection recorded with a run: what its reason says about control, as the run
    #: classified it (:meth:`coachflow.reasons.Verdict.to_json`); ``None`` when it was not classified.
    verdict: str | None = None


# --- for backends: an event's columns, and records from rows ------------------

#: The columns every backend keeps an event in: its type, then each field of
#: :data:`coachflow.models.EVENT_FIELDS`, a field an event type lacks left empty.
EVENT_COLUMNS: tuple[str, ...] = ("type", *EVENT_FIELDS)


def event_values(event: Event) -> list[Any]:
    """An event's values for :data:`EVENT_COLUMNS`: its fields, the date as ISO text, '' for fields it lacks.

    Every backend stores and compares an event's content as these values, so
    two journals agree on which events are the same.
    """
    values: list[Any] = [event.type]
    for column in EVENT_COLUMNS[1:]:
        value = getattr(event, column, "")
        if value is None:  # as event_to_dict's readers take it: nothing written
            value = ""
        values.append(value.isoformat() if isinstance(value, dt.date) else value)
    return values


def fingerprint(event: Event) -> str:
    """A stable digest of an event's content: equal events share it.

    The SHA-256 of ``json.dumps(event_to_dict(event), sort_keys=True,
    ensure_ascii=False)``. Schemas 1 and 2 of the SQLite journal stored it
    with each event; it now seeds :meth:`JournalReader.identity` of every
    backend, so it must never change.
    """
    import hashlib
    import json

    text = json.dumps(event_to_dict(event), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_conditions(*, type: str | None = None, kind: str | None = None, stage: str | None = None,
                     company: str | None = None, role: str | None = None, since: dt.date | None = None,
                     until: dt.date | None = None) -> list[tuple[str, str, Any]]:
    """The filters of :class:`JournalReader`'s questions as ``(column, operator, value)``, for a backend's SQL.

    Companies and roles are compared by their keys (``company_key``, folded
    as :func:`coachflow.applications.fold` folds them); rejections and
    feedback have an empty kind, so asking for them asks for that too, and
    an index on (type, kind, date) serves every type alike.
    """
    from coachflow.applications import fold

    conditions: list[tuple[str, str, Any]] = []
    if type is not None:
        conditions.append(("type", "=", type))
        if kind is None and "kind" not in event_fields(type):
            kind = ""
    for column, value in (("kind", kind), ("stage", stage)):
        if value is not None:
            conditions.append((column, "=", value))
    for column, value in (("company", company), ("role", role)):
        if value is not None:
            conditions.append((f"{column}_key", "=", fold(value)))
    if since is not None:
        conditions.append(("date", ">=", since))
    if until is not None:
        conditions.append(("date", "<=", until))
    return conditions


def event_from_row(row: Mapping[str, Any]) -> Event:
    """The event an events row holds (its ``date`` a date or ISO text), taking only its type's fields."""
    event_type = row["type"]
    values: dict[str, Any] = {name: row[name] for name in event_fields(event_type)}
    if isinstance(values["date"], str):
        values["date"] = dt.date.fromisoformat(values["date"])
    return EVENT_CLASSES[event_type](**values)


def entry_from_row(row: Mapping[str, Any]) -> Entry:
    """An :class:`Entry` from an events row with a ``workflows`` column (names joined by newlines, or null)."""
    return Entry(
        id=row["id"],
        event=event_from_row(row),
        recorded_at=dt.datetime.fromisoformat(row["recorded_at"]),
        # The run recorded with the event came first; later runs have rows of their own.
        workflows=((row["workflow"],) if row["workflow"] else ())
        + (tuple(row["workflows"].split("\n")) if row["workflows"] else ()),
        verdict=row["verdict"],
    )


def stored_action_from_row(row: Mapping[str, Any]) -> StoredAction:
    """A :class:`StoredAction` from an actions row, whose times are ISO text."""
    action = Action(
        kind=row["kind"],
        title=row["title"],
        body=row["body"],
        due=dt.datetime.fromisoformat(row["due"]) if row["due"] else None,
        key=row["key"],
        step=row["step"],
    )
    return StoredAction(
        id=row["id"],
        event_id=row["event_id"],
        workflow=row["workflow"],
        action=action,
        status=row["status"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
        done_at=dt.datetime.fromisoformat(row["done_at"]) if row["done_at"] else None,
    )


class RunningSummary(Protocol):
    """What :meth:`JournalReader.summary` keeps up to date: anything with this method
    (and, optionally, an ``event_types`` tuple: the only types it is passed)."""

    def add(self, event_id: int, event: Event) -> None:
        """Take one more event of the history into account."""


S = TypeVar("S", bound=RunningSummary)


class _Held:
    """A running summary and the id of the last event it has seen."""

    __slots__ = ("summary", "last_id")

    def __init__(self, summary: RunningSummary):
        self.summary = summary
        self.last_id = 0


class JournalReader(abc.ABC):
    """Read-only questions about a person's history; steps get one as ``ctx.journal``.

    Filters shared by several methods: ``type`` is ``rejection``, ``feedback``
    or ``milestone``; ``company`` and ``role`` are compared as applications
    are (:func:`coachflow.applications.fold`); ``kind`` is a milestone kind;
    ``since`` and ``until`` are the first and last dates included.
    """

    def __init__(self) -> None:
        self._summaries: dict[tuple[Any, ...], _Held] = {}

    # --- running summaries: the same for every backend ---------------------

    def summary(self, factory: Callable[..., S], *args: Hashable) -> S:
        """A summary of the whole history that this reader keeps up to date.

        The first call makes ``factory(*args)`` and passes it every event in
        the journal, in the order they were recorded, through its
        ``add(event_id, event)`` method; later calls with the same factory
        and arguments pass it only the events recorded since. A step that
        needs something about the whole history on every event (a count, the
        state of each application) asks for it this way, and a replay of a
        long history then costs each event once instead of once per event.

        A summary with an ``event_types`` attribute (a tuple such as
        ``("feedback", "rejection")``) is passed only events of those types.
        Events come in the order they were recorded, which is not always the
        order of their dates (a person may record last week's rejection
        today): a summary that needs "the latest" compares dates itself.
        Writes that are rolled back (a dry run, a failed batch) are
        forgotten with every summary, which is then built afresh.

        :param factory: makes the summary, usually its class.
        :param args: passed to ``factory``; they must be hashable, as one
            summary is kept for each distinct ``(factory, args)``.
        :raises: whatever the summary's ``add`` raises; the summary is then
            dropped and built afresh next time.
        """
        key = (factory, *args)
        held = self._summaries.get(key)
        if held is None:
            held = self._summaries[key] = _Held(factory(*args))
        types = getattr(held.summary, "event_types", None)
        try:
            # Up to the last event now, so that one another process records
            # meanwhile is seen next time rather than skipped.
            last = self.last_event_id()
            for event_id, event in self.recorded_after(held.last_id, through=last, types=types):
                held.summary.add(event_id, event)
                held.last_id = event_id
            held.last_id = max(held.last_id, last)
        except BaseException:
            if self._summaries.get(key) is held:  # not one made afresh since
                del self._summaries[key]
            raise
        return held.summary  # type: ignore[return-value]

    def pipeline(self) -> "Pipeline":
        """Every application and where it stands, kept up to date (a :meth:`summary`).

        The same rules as :meth:`open_applications` (those of
        :mod:`coachflow.applications`), but cheap to ask on every event.
        """
        from coachflow.applications import Pipeline

        return self.summary(Pipeline)

    def forget_summaries(self) -> None:
        """Drop every running summary, so each is built afresh from the journal when next asked for.

        :class:`Journal` calls it when writes are rolled back.
        """
        self._summaries.clear()

    def feedback_for(self, company: str, role: str | None = None) -> list[Event]:
        """Feedback received about a company (and role, when given), oldest first."""
        return self.events("feedback", company=company, role=role)

    # --- what each backend answers ------------------------------------------

    @abc.abstractmethod
    def recorded_after(self, event_id: int, *, through: int, types: Sequence[str] | None = None,
                       ) -> Iterator[tuple[int, Event]]:
        """``(event_id, event)`` for the events recorded after ``event_id`` up to ``through``, as recorded.

        :param types: only events of these types.
        """

    @abc.abstractmethod
    def last_event_id(self) -> int:
        """The id of the last event recorded (0 for an empty journal)."""

    @abc.abstractmethod
    def latest_event_date(self) -> dt.date | None:
        """The latest date of any event (``None`` for an empty journal), whatever order they
        were recorded in: an event entered today for last month is not the latest activity."""

    @abc.abstractmethod
    def events(self, type: str | None = None, *, company: str | None = None, role: str | None = None,
               kind: str | None = None, since: dt.date | None = None, until: dt.date | None = None) -> list[Event]:
        """Events matching every filter given, by date (then as recorded)."""

    @abc.abstractmethod
    def entries(self, type: str | None = None, *, company: str | None = None, role: str | None = None,
                kind: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                with_workflows: bool = True) -> Iterator[Entry]:
        """Like :meth:`events`, streamed one :class:`Entry` at a time, with when each was recorded.

        :param with_workflows: also find which workflows ran on each event
            (leave it off to stream a long history faster).
        """

    @abc.abstractmethod
    def count(self, type: str | None = None, *, kind: str | None = None, stage: str | None = None,
              company: str | None = None, role: str | None = None, since: dt.date | None = None,
              until: dt.date | None = None) -> int:
        """How many events match every filter given (``stage`` is a rejection's)."""

    @abc.abstractmethod
    def keys_with_news(self, *, since: dt.date, until: dt.date) -> set[tuple[str, str]]:
        """The application keys (:func:`coachflow.applications.application_key`) of the events dated
        from ``since`` to ``until``: which applications had news then (see
        :func:`coachflow.applications.gone_quiet`)."""

    @abc.abstractmethod
    def open_applications(self, as_of: dt.date | None = None) -> list[Application]:
        """The pipeline: applications sent and not yet closed, oldest first.

        The rules are those of :mod:`coachflow.applications`.

        :param as_of: ignore events after this date (default: all).
        """

    @abc.abstractmethod
    def tally(self, *, since: dt.date | None = None, until: dt.date | None = None) -> Tally:
        """Count rejections, feedback and milestones (by kind) dated in a window."""

    @abc.abstractmethod
    def feedback_requested(self, *, since: dt.date | None = None, until: dt.date | None = None) -> int:
        """How many feedback requests steps drafted (and nobody cancelled) for events in a window.

        A feedback request is an action whose key starts with
        :data:`FEEDBACK_REQUEST_KEY`; the window applies to the date of the
        event it was drafted for.
        """

    @abc.abstractmethod
    def said_texts(self, *, since: dt.date | None = None, until: dt.date | None = None) -> Iterator["SaidText"]:
        """Feedback texts and rejection reasons dated in a window, grouped by company, role and text.

        Each :class:`~coachflow.journal.periods.SaidText` carries every
        event that said it, so a theme search (:func:`coachflow.themes.recurring_themes`)
        reads each distinct text once, however often a long search repeated it.
        """

    @abc.abstractmethod
    def period_summary(self, *, since: dt.date | None = None, until: dt.date, win_kinds: Collection[str] = (),
                       recent_wins: int = 10, news_since: dt.date | None = None) -> PeriodSummary:
        """Count, in the database, what a report says about the period from ``since`` to ``until``.

        Events after ``until`` are left out of everything; events before
        ``since`` count only for which applications were open when it began.
        The cost is a few queries the database answers, not a pass over
        every event in Python.

        :param win_kinds: the milestone kinds that count as wins (the report
            asks the workflow which: built-in, declared and plugins' kinds).
        :param recent_wins: how many of the latest wins to return.
        :param news_since: also count the applications open at ``until`` that had no news since
            this day (``PeriodSummary.quiet_at_end``; the rule of :func:`coachflow.applications.gone_quiet`).
        """

    @abc.abstractmethod
    def entry_like(self, event: Event) -> Entry | None:
        """The latest entry with exactly this event's content, or ``None``."""

    @abc.abstractmethod
    def event(self, event_id: int) -> Event | None:
        """The event with this id, or ``None``."""

    @abc.abstractmethod
    def not_yet_recorded(self, events: Sequence[Event]) -> list[Event]:
        """The events of ``events`` that the journal does not hold yet, in their order.

        Events are compared by content and counted: if the journal holds one
        copy of an event and ``events`` two, one copy is new. So adding what
        this returns makes a second import of the same events add nothing.
        """

    @abc.abstractmethod
    def actions(self, *, status: str | None = None, step: str | None = None, key: str | None = None,
                due_before: dt.datetime | None = None, kinds: Sequence[str] | None = None) -> list[StoredAction]:
        """Actions steps returned in earlier runs, by due date (else creation), oldest first.

        :param status: ``open``, ``done``, ``cancelled`` or ``missed``.
        :param step: the step id that returned them.
        :param key: the action key.
        :param due_before: only actions with a due date-time at or before this.
        :param kinds: only actions of these kinds.
        """

    @abc.abstractmethod
    def count_actions(self, *, status: str | None = None, step: str | None = None, key: str | None = None,
                      due_before: dt.datetime | None = None, kinds: Sequence[str] | None = None) -> int:
        """How many actions match every filter given (see :meth:`actions`)."""

    @abc.abstractmethod
    def next_due(self, after: dt.datetime) -> StoredAction | None:
        """The open action due soonest after ``after``, or ``None``."""

    @abc.abstractmethod
    def action(self, action_id: int) -> StoredAction | None:
        """The action with this id, or ``None``."""

    @abc.abstractmethod
    def due_actions(self, *, after: dt.datetime | None = None) -> Iterator[StoredAction]:
        """Open actions that have a due time, streamed one at a time, soonest due first.

        :param after: only those due strictly after this date-time.
        """

    @abc.abstractmethod
    def notes(self, *, since: dt.date | None = None, until: dt.date | None = None) -> list[Note]:
        """The coach's notes about days in a window, oldest first."""

    @abc.abstractmethod
    def identity(self) -> str:
        """A short id that stays the same for this journal, wherever it moves.

        Calendar exports give each action a UID from it that survives re-export.
        """


class Journal(abc.ABC):
    """A person's journal, open for reading and writing.

    Get one from :func:`coachflow.journal.open_journal`; close it with
    :meth:`close` or a ``with`` block. Writes happen inside
    :meth:`transaction` (or between :meth:`begin` and :meth:`commit`).
    """

    #: The read side: what steps see.
    reader: JournalReader
    #: Where the journal lives, for messages (a file path, a database URL without its password).
    location: str

    # --- transactions --------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator["Journal"]:
        """Group writes so that they all land or none does. Nested use joins the outer transaction."""
        if self.in_transaction:
            yield self
            return
        self.begin()
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            self.commit()

    @property
    @abc.abstractmethod
    def in_transaction(self) -> bool:
        """True between :meth:`begin` and :meth:`commit` or :meth:`rollback`."""

    @abc.abstractmethod
    def begin(self) -> None:
        """Start a write transaction; other writers wait until it ends."""

    @abc.abstractmethod
    def commit(self) -> None:
        """Make the writes since :meth:`begin` permanent, or none of them (then raise)."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Forget the writes since :meth:`begin`; never raises. Running summaries are forgotten too."""

    # --- writes ----------------------------------------------------------------

    @abc.abstractmethod
    def add_event(self, event: Event, *, recorded_at: dt.datetime | None = None, workflow: str | None = None,
                  verdict: str | None = None) -> int:
        """Write one event and return its id (inside the caller's transaction, if any).

        :param workflow: the workflow that runs on the event in this same
            transaction; its run is then recorded with the event, and
            :meth:`add_actions` is told not to record it again.
        :param verdict: for a rejection, what its reason says about control as
            that run classified it (:meth:`coachflow.reasons.Verdict.to_json`);
            kept with the event, so that a report counts what the run said
            (:attr:`Entry.verdict`).
        """

    @abc.abstractmethod
    def set_verdict(self, event_id: int, verdict: str) -> None:
        """Keep ``verdict`` with an event already in the journal (one imported without ``--run``
        that a run now classified), as :meth:`add_event` does with ``verdict``."""

    def add_event_once(self, event: Event, *, recorded_at: dt.datetime | None = None) -> tuple[int, Entry | None]:
        """Write ``event`` unless the journal already holds one with exactly its content.

        The check and the write are one step: two processes recording the
        same event at the same moment record it once.

        :returns: the id of the new event and ``None``, or the id of the
            copy already there and its :class:`Entry`.
        """
        with self.transaction():
            earlier = self.reader.entry_like(event)
            if earlier is not None:
                return earlier.id, earlier
            return self.add_event(event, recorded_at=recorded_at), None

    @abc.abstractmethod
    def add_actions(self, event_id: int, workflow: str, actions: Sequence[Action], *,
                    created_at: dt.datetime | None = None, run_recorded: bool = False) -> list[int]:
        """Record that ``workflow`` ran on an event and write the actions it produced; return their ids.

        :param run_recorded: the run is already recorded with the event
            (``add_event(..., workflow=...)``).
        """

    @abc.abstractmethod
    def cancel_actions(self, keys: Sequence[str]) -> int:
        """Mark open actions with any of these keys cancelled; return how many."""

    def set_action_status(self, action_id: int, status: str, *, at: dt.datetime | None = None) -> StoredAction:
        """Mark one action ``done``, ``missed`` (its time passed) or ``open`` again; return it as it now is.

        Marking an action with the status it already has changes nothing (a
        done action keeps the time it was done). A missed action can still be
        marked done (it was done late). The rule is the same on every backend;
        each one only writes the row (:meth:`_write_action_status`).

        :param at: when it was done (default: now); kept as ``done_at``.
        :raises JournalError: when there is no action with that id, or it was
            cancelled and so cannot be done.
        """
        if status not in ("open", "done", "missed"):
            raise JournalError(f"an action can be marked open, done or missed, not {status!r}")
        with self.transaction():
            stored = self.reader.action(action_id)
            if stored is None:
                raise JournalError(f"there is no action with id {action_id} in {self.location}")
            if stored.status == status:
                return stored
            if stored.status == "cancelled" and status == "done":
                raise JournalError(
                    f"action {action_id} was cancelled by a later run, so there is nothing to do "
                    f"('coachflow done --undo {action_id}' opens it again)"
                )
            done_at = (at or dt.datetime.now()).isoformat(timespec="seconds") if status == "done" else None
            self._write_action_status(action_id, status, done_at)
            changed = self.reader.action(action_id)
        assert changed is not None
        return changed

    @abc.abstractmethod
    def _write_action_status(self, action_id: int, status: str, done_at: str | None) -> None:
        """Write one action's new status and ``done_at`` (ISO text, or ``None``), inside the
        transaction :meth:`set_action_status` holds, after it checked the change is allowed."""

    @abc.abstractmethod
    def add_note(self, text: str, *, day: dt.date, written_at: dt.datetime | None = None) -> int:
        """Keep a coach's note about ``day`` (its week, in a digest); return its id."""

    @abc.abstractmethod
    def copy_in(self, entries: Iterable[Entry], actions: Iterable[StoredAction], notes: Iterable[Note] = (),
                ) -> tuple[int, int, int]:
        """Write entries, actions and notes exactly as another journal holds them; return how many of each were new.

        Each keeps its id, its times, its workflows and (for an action) its
        status, so ``coachflow done 12`` means the same action in the copy.
        Rows whose id this journal holds already are left alone: copying
        again adds nothing, and a copy that was stopped half-way is
        completed by running it again. All of it lands in one transaction,
        or none of it. (When a later workflow ran on an event, the copy
        records it as run when the event was recorded: the interface never
        shows when a run happened.)
        """

    # --- upkeep ---------------------------------------------------------------

    @property
    @abc.abstractmethod
    def schema_version(self) -> int:
        """The schema version the journal holds."""

    @abc.abstractmethod
    def migrate(self) -> None:
        """Bring the journal's schema up to date; refuse one written by a newer coachflow."""

    @abc.abstractmethod
    def integrity_check(self) -> str:
        """The backend's own verdict on the stored data: ``"ok"`` when it is sound."""

    @abc.abstractmethod
    def scratch_copy(self) -> "Journal":
        """A journal holding what this one holds whose writes never reach it (for a dry run)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Close the journal; uncommitted writes are lost."""

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


#: What a practice calls for a client whose settings cannot be read: ``(name, error)``.
ClientProblem = Callable[[str, "ClientError"], None]


class Practice(abc.ABC):
    """A coach's practice: clients, each with settings of their own and a journal.

    Where both live is the backend's business: the SQLite backend keeps a
    settings file and a journal file per client in the data directory
    (:class:`coachflow.journal.sqlite.FilePractice`); the PostgreSQL
    practice store keeps both in its tables, where a coach's role sees only
    the clients it coaches (:class:`coachflow.journal.postgres.PracticeStore`).
    Open one with :func:`coachflow.journal.open_practice`; the ``client``,
    ``clients board``, ``digest`` and ``note`` commands use nothing else.
    """

    #: Where the practice lives, for messages (a folder, a database URL without its password).
    location: str

    @abc.abstractmethod
    def client_names(self) -> list[str]:
        """The names of the clients this coach can see, in order: those with settings, and the
        profiles a run started without any (a client with the default settings)."""

    @abc.abstractmethod
    def client(self, name: str) -> "Client":
        """The client ``name`` with their settings.

        :raises ClientError: when there is no such client (naming the ones
            there are) or their settings are not right (one line, with where).
        """

    @abc.abstractmethod
    def settings_of(self, name: str) -> "Client | None":
        """Client ``name`` when they have settings of their own (given by ``client add``, ``set`` or
        ``edit``), else ``None``: a profile a run made, whose commands behave as for no client."""

    @abc.abstractmethod
    def settings_text(self, name: str) -> str | None:
        """Client ``name``'s settings as kept (TOML), even when they are not right, or ``None``
        when they have none: what ``client edit`` opens, so that a broken file can be fixed."""

    @abc.abstractmethod
    def save_client(self, client: "Client", *, new: bool = False) -> str:
        """Keep ``client``'s settings whole; return where they are kept, for messages.

        :param new: add the client: refused (:class:`ClientError`) when the
            practice has a client of that name already.
        """

    @abc.abstractmethod
    def remove_client(self, name: str) -> list[str]:
        """Remove a client's settings and their whole journal, in one step; return what was removed."""

    @abc.abstractmethod
    def open_client(self, name: str, *, mode: str = "write", missing_ok: bool = False) -> Journal:
        """Open the journal of client ``name`` (the modes of :func:`coachflow.journal.open_journal`)."""

    @abc.abstractmethod
    def where(self, name: str) -> tuple[str, str]:
        """Where client ``name``'s settings and journal are, for messages: ``(settings, journal)``."""

    @abc.abstractmethod
    def board(self, now: dt.datetime, *, run_days: int = 7,
              missed_after_days: int = 2,
              on_problem: ClientProblem | None = None) -> Iterator[tuple["Client", BoardFacts]]:
        """Every client with what the board shows of them at ``now``, by name.

        A client whose settings cannot be read is left out and given to
        ``on_problem(name, error)``; without it, the error is raised.

        ``run_days`` is how many days, up to ``now``'s and with it, the noes
        of a hard run are counted over (the workflow's ``[settings]
        rejection_run_days``). An open action more than ``missed_after_days``
        past its time has lapsed (:class:`coachflow.upkeep.Lapse`) and is not
        counted as overdue.

        The client carries at least the settings the board uses (name and
        pipeline target). A backend answers from as little work as it can:
        kept facts for journals that did not change, or the database's own
        aggregation; memory stays flat in the number of clients.
        """

    def clients(self, on_problem: ClientProblem | None = None) -> Iterator["Client"]:
        """Every client with their settings, by name.

        :param on_problem: called with ``(name, error)`` for a client whose
            settings cannot be read, who is then left out (without it, the
            error is raised): one broken file must not hide the others.
        """
        from coachflow.clients import ClientError

        for name in self.client_names():
            try:
                found = self.client(name)
            except ClientError as exc:
                if on_problem is None:
                    raise
                on_problem(name, exc)
                continue
            yield found

    def close(self) -> None:
        """Let go of what the practice holds open (a connection)."""

    def __enter__(self) -> "Practice":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


#: Records of the interface that a run never needs, defined beside the code that makes and reads
#: them and imported on first use: the counts of a window (:mod:`coachflow.journal.periods`) and
#: the coach's notes and board (:mod:`coachflow.practice`).
_ELSEWHERE: dict[str, str] = {
    "Tally": "coachflow.journal.periods",
    "PeriodSummary": "coachflow.journal.periods",
    "PeriodWeek": "coachflow.journal.periods",
    "RejectionReasons": "coachflow.journal.periods",
    "BoardFacts": "coachflow.practice",
    "Note": "coachflow.practice",
}


def __getattr__(name: str) -> Any:
    """``PeriodSummary``, ``BoardFacts`` and the like, from the module that defines them (see :data:`_ELSEWHERE`)."""
    if name in _ELSEWHERE:
        import importlib

        return getattr(importlib.import_module(_ELSEWHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ACTION_STATUSES", "EVENT_COLUMNS", "FEEDBACK_REQUEST_KEY", "BoardFacts", "ClientProblem", "Entry", "Journal", "JournalReader",
    "Note", "PeriodSummary", "PeriodWeek", "Practice", "RejectionReasons", "RunningSummary", "StoredAction", "Tally",
    "entry_from_row", "event_conditions", "event_from_row", "event_values", "fingerprint", "stored_action_from_row",
]
