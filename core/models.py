"""The things coachflow talks about: events, actions and the result of a run.

Events are what a person records (a rejection, feedback, a milestone).
Actions are what steps give back (a draft to send, a reminder, a task).
A :class:`RunResult` is what one workflow run produced for one event.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, ClassVar, Mapping, Union

import attrs

from coachflow.errors import EventError, did_you_mean
from coachflow.wording import position_label

EVENT_TYPES: tuple[str, ...] = ("rejection", "feedback", "milestone")

#: The stages at which an application can end, in the order they happen.
STAGES: tuple[str, ...] = ("application", "screen", "interview", "final", "offer")

#: Milestone kinds coachflow knows without plugins, with a short description.
BUILTIN_MILESTONE_KINDS: dict[str, str] = {
    "applied": "an application was sent; opens it in the pipeline",
    "good-conversation": "a conversation that went well",
    "interview-invitation": "an invitation to interview",
    "positive-feedback": "someone said something good about your candidacy",
    "offer": "an offer arrived",
    "accepted": "an offer was accepted; closes the application",
    "withdrawn": "you withdrew; closes the application",
}

#: Milestone kinds that belong to one application and so need a company.
APPLICATION_MILESTONES: frozenset[str] = frozenset(
    {"applied", "interview-invitation", "offer", "accepted", "withdrawn"}
)

#: The kinds of action a step can return.
ACTION_KINDS: tuple[str, ...] = (
    "message",
    "draft",
    "prompt",
    "task",
    "reminder",
    "insight",
    "celebration",
)

_NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _not_blank(instance: Any, attribute: attrs.Attribute, value: str) -> None:
    if not value.strip():
        raise ValueError(f"{attribute.name} must not be empty")


def _one_of(choices: tuple[str, ...]):
    def check(instance: Any, attribute: attrs.Attribute, value: str) -> None:
        if value not in choices:
            raise ValueError(
                f"{attribute.name} '{value}' is not one of {', '.join(choices)}"
                + did_you_mean(value, choices)
            )

    return check


@attrs.frozen(kw_only=True)
class Rejection:
    """An application that ended with a no, at some stage."""

    type: ClassVar[str] = "rejection"
    company: str = attrs.field(validator=_not_blank)
    role: str = ""
    stage: str = attrs.field(default="application", validator=_one_of(STAGES))
    date: dt.date
    reason: str = ""
    notes: str = ""


@attrs.frozen(kw_only=True)
class Feedback:
    """What someone said about a candidacy: a recruiter, an interviewer, a friend."""

    type: ClassVar[str] = "feedback"
    company: str = attrs.field(validator=_not_blank)
    role: str = ""
    source: str = ""
    text: str = attrs.field(validator=_not_blank)
    date: dt.date


@attrs.frozen(kw_only=True)
class Milestone:
    """Something that moved the search on: an application sent, an invitation, an offer."""

    type: ClassVar[str] = "milestone"
    kind: str
    company: str = ""
    role: str = ""
    date: dt.date
    notes: str = ""


Event = Union[Rejection, Feedback, Milestone]

EVENT_CLASSES: dict[str, type] = {
    "rejection": Rejection,
    "feedback": Feedback,
    "milestone": Milestone,
}


@attrs.frozen(kw_only=True)
class Action:
    """One concrete thing a step suggests: a draft, a task, a dated reminder.

    :param kind: one of :data:`ACTION_KINDS`.
    :param title: one line a person reads first.
    :param body: the details; may span lines.
    :param due: when it is due, for reminders and tasks.
    :param key: a stable name for this action within its step (for example
        ``"follow-up:acme:data analyst"``); a later run can cancel open
        actions by key with ``ctx.cancel(key)``.
    :param step: the id of the workflow step that returned it; the engine
        fills it in.
    """

    kind: str = attrs.field(validator=_one_of(ACTION_KINDS))
    title: str = attrs.field(validator=_not_blank)
    body: str = ""
    due: dt.datetime | None = None
    key: str | None = None
    step: str = ""


@attrs.frozen
class SkippedStep:
    """A step of the workflow that did not run for this event, and why."""

    step: str
    uses: str
    reason: str  # "on" or "when"
    detail: str


@attrs.frozen
class StepFailure:
    """A step that raised, timed out or returned something that is not an action.

    :ivar exception: what the step raised, with its traceback (``None`` when
        it timed out or returned something wrong); not part of comparisons.
    """

    step: str
    uses: str
    error: str
    exception: BaseException | None = attrs.field(default=None, eq=False, repr=False)


@attrs.define
class RunResult:
    """Everything one workflow run produced for one event."""

    event: Event
    workflow: str
    actions: list[Action] = attrs.Factory(list)
    ran: list[str] = attrs.Factory(list)
    skipped: list[SkippedStep] = attrs.Factory(list)
    errors: list[StepFailure] = attrs.Factory(list)
    cancelled: list[str] = attrs.Factory(list)
    event_id: int | None = None
    #: Keys of earlier actions a later event answered, marked done (see ``StepContext.mark_done``).
    completed: list[str] = attrs.Factory(list)
    #: Titles of earlier reminders and tasks marked missed: their time had long passed.
    missed: list[str] = attrs.Factory(list)

    @property
    def ok(self) -> bool:
        """True when no step failed."""
        return not self.errors


#: Every field an event can have, in the order files and the command line list them (the
#: columns of an exported CSV, the options of ``coachflow run``), with what it holds, as the
#: help of ``coachflow run --NAME`` says it. The event classes above say which fields each
#: type has; a test checks that every one of them is here.
EVENT_FIELDS: dict[str, str] = {
    "date": "when it happened: YYYY-MM-DD, today or yesterday (default: today). Not a future date: record "
            "events once they have happened.",
    "company": "the company the event is about.",
    "role": "the role you applied for.",
    "stage": f"where it ended: {STAGES[0]} (the default), {', '.join(STAGES[1:-1])} or {STAGES[-1]}.",
    "kind": "what happened; the kinds are listed below ('coachflow kinds').",
    "reason": "the reason, if one was given.",
    "source": "who gave it.",
    "text": "what was said.",
    "notes": "anything else worth keeping.",
}

# --- turning outside data into events -------------------------------------

_EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    name: tuple(a.name for a in attrs.fields(cls)) for name, cls in EVENT_CLASSES.items()
}


def event_types_with(field: str) -> tuple[str, ...]:
    """The event types that have ``field``: ``("rejection",)`` for ``stage``."""
    return tuple(name for name in EVENT_TYPES if field in _EVENT_FIELDS[name])


def field_help(field: str) -> str:
    """What ``field`` holds, for people, naming the event type when only one has it:
    ``Rejection: where it ended: ...``, ``The company the event is about.``"""
    text = EVENT_FIELDS[field]
    types = event_types_with(field)
    return f"{types[0].capitalize()}: {text}" if len(types) == 1 else text[0].upper() + text[1:]
_REQUIRED: dict[str, tuple[str, ...]] = {
    "rejection": ("company",),
    "feedback": ("company", "text"),
    "milestone": ("kind",),
}


def event_fields(event_type: str) -> tuple[str, ...]:
    """The field names of an event type, ``type`` excluded."""
    return _EVENT_FIELDS[event_type]


#: The dates coachflow accepts, from a person (``--date``, ``--since``, an
#: imported file) or a clock (``COACHFLOW_NOW``): years 1900 to 2200. Steps
#: schedule reminders days or weeks from an event's date; keeping dates well
#: inside Python's range (years 1 to 9999) means that date arithmetic in any
#: step cannot overflow, and whatever is recorded can be exported and
#: imported again.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)


#: The ways an event's date may be written, as :func:`not_a_date` lists them.
DATE_FORMS: tuple[str, ...] = ("YYYY-MM-DD (e.g. 2026-03-14)", "today", "yesterday")


def not_a_date(field: str, value: Any, forms: tuple[str, ...] = DATE_FORMS) -> str:
    """The one message for a value that is not a date, listing the ``forms`` the place accepts:
    ``date: 'soon' is not a date; write it as YYYY-MM-DD (e.g. 2026-03-14), today or yesterday``."""
    from coachflow.wording import join_words

    return f"{field}: '{value}' is not a date; write it as {join_words(forms, 'or')}"


def parse_date(value: Any, *, field: str = "date", today: dt.date | None = None,
               forms: tuple[str, ...] = DATE_FORMS) -> dt.date:
    """Read a date given as ``YYYY-MM-DD``, ``today`` or ``yesterday`` (or a date object).

    :param today: what ``today`` and ``yesterday`` count from: the caller's
        clock (``COACHFLOW_NOW`` in the command line), else the system's.
    :param forms: the forms to list when ``value`` is not a date (a caller that accepts
        more, such as a workflow test file, gives its own).
    :raises EventError: for anything else, and for dates before
        :data:`EARLIEST_DATE` or after :data:`LATEST_DATE`.
    """
    day: dt.date | None = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        word = value.strip().lower()
        if word in ("today", "yesterday"):
            day = (today or dt.date.today()) - dt.timedelta(days=1 if word == "yesterday" else 0)
        try:
            day = day or dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if day is None:
        raise EventError(not_a_date(field, value, forms))
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise EventError(
            f"{field}: {day.isoformat()} is out of range; use a date from {EARLIEST_DATE.isoformat()} "
            f"to {LATEST_DATE.isoformat()}"
        )
    return day


def event_from_dict(
    data: Mapping[str, Any],
    *,
    event_type: str | None = None,
    today: dt.date | None = None,
    milestone_kinds: Mapping[str, str] | None = None,
    where: str | Callable[[str], str] = "",
    label: Callable[[str], str] = str,
) -> Event:
    """Build and validate an event from plain data (options, TOML, JSON, a CSV row).

    :param data: field names to values; may hold ``type`` unless
        ``event_type`` is given. Empty values count as missing.
    :param event_type: ``rejection``, ``feedback`` or ``milestone``.
    :param today: the caller's today (default: the system clock's): the
        date of an event without one and what the words ``today`` and
        ``yesterday`` mean. When given, it is also the last date an event
        may have, since events are recorded once they have happened
        (without it, any date is accepted: a program may build a history).
    :param milestone_kinds: the kinds a milestone may have (built-ins plus
        what plugins registered); defaults to the built-in kinds.
    :param where: prefix for error messages, such as ``"events.csv:4: "``; or a function
        from a field's name to the prefix for it, for a file whose fields are on lines of
        their own (``"events.toml:7: events[2]."``).
    :param label: how to name a field in messages (the CLI passes
        ``lambda f: f"--{f}"``).
    :raises EventError: naming the field and what is wrong, one line for each problem
        found (its :meth:`~coachflow.errors.EventError.lines`); a missing or unknown
        ``type`` is reported alone, since the fields depend on it.
    """
    refuse_after = today  # only a caller that knows its today can tell what is in the future
    today = today or dt.date.today()
    at: Callable[[str], str] = where if callable(where) else (lambda key, prefix=where: prefix)
    values = {k: v for k, v in data.items() if v is not None and v != ""}
    kind_of_event = event_type or values.pop("type", None)
    values.pop("type", None)
    if kind_of_event is None:
        raise EventError(f"{at('type')}type: missing; use one of {', '.join(EVENT_TYPES)}")
    if not isinstance(kind_of_event, str) or kind_of_event not in EVENT_CLASSES:
        raise EventError(
            f"{at('type')}type: '{kind_of_event}' is not an event type; use one of "
            f"{', '.join(EVENT_TYPES)}" + did_you_mean(str(kind_of_event), EVENT_TYPES)
        )
    fields = _EVENT_FIELDS[kind_of_event]
    problems: list[str] = []
    unknown_kind = False

    def refuse(key: str, problem: str) -> None:
        problems.append(f"{at(key)}{label(key)}: {problem}")

    meant = set()  # the fields a misspelt key probably meant: not reported missing as well
    for key in [key for key in values if key not in fields]:
        refuse(key, f"{_a(kind_of_event)} has no such field; it has {', '.join(fields)}" + did_you_mean(key, fields))
        meant.update(field for field in fields if did_you_mean(key, fields) == f" (did you mean '{field}'?)")
        del values[key]
    blank = set()
    for key, value in list(values.items()):
        if key == "date":
            continue
        if not isinstance(value, str):
            refuse(key, f"expected text, got {value!r}")
            del values[key]
            continue
        problem = _text_problem(key, value)
        if problem:
            refuse(key, problem)
            del values[key]
            continue
        values[key] = _clean_text(key, value)
        if not values[key]:
            blank.add(key)
    for key in _REQUIRED[kind_of_event]:
        if key in blank:
            refuse(key, f"is blank; {_a(kind_of_event)} needs {_a(key)}")
        elif key not in values and key not in meant and not any(p.startswith(f"{at(key)}{label(key)}: ")
                                                                 for p in problems):
            refuse(key, f"missing; {_a(kind_of_event)} needs {_a(key)}")
    values = {k: v for k, v in values.items() if k not in blank}
    if "date" in values:
        try:
            values["date"] = parse_date(values["date"], field=label("date"), today=today)
        except EventError as exc:
            problems.append(f"{at('date')}{exc}")
        else:
            if refuse_after is not None and values["date"] > refuse_after:
                refuse("date", f"{values['date'].isoformat()} is in the future; record events when they have happened")
    else:
        values["date"] = today
    if kind_of_event == "rejection" and "stage" in values:
        values["stage"] = values["stage"].lower()
        if values["stage"] not in STAGES:
            refuse("stage", f"'{values['stage']}' is not a stage; use one of {', '.join(STAGES)}"
                   + did_you_mean(values["stage"], STAGES))
    if kind_of_event == "milestone" and "kind" in values:
        kinds = milestone_kinds if milestone_kinds is not None else BUILTIN_MILESTONE_KINDS
        kind = values["kind"].lower()
        values["kind"] = kind
        if kind not in kinds:
            unknown_kind = True
            refuse("kind", f"'{kind}' is not a milestone kind; use one of {', '.join(kinds)}" + did_you_mean(kind, kinds))
        if kind in APPLICATION_MILESTONES and not values.get("company"):
            refuse("company", f"missing; an '{kind}' milestone needs a company")
    if problems:
        from coachflow.errors import UnknownKindError

        raise (UnknownKindError if unknown_kind else EventError)(problems=problems)
    try:
        return EVENT_CLASSES[kind_of_event](**values)
    except ValueError as exc:  # attrs validators; the checks above should leave nothing for them
        raise EventError(f"{at('')}{exc}") from None


#: Fields that hold one line: a name, a role, a kind. Other text fields
#: (text, notes, reason) may span lines.
ONE_LINE_FIELDS: frozenset[str] = frozenset({"company", "role", "source", "kind", "stage"})

#: The longest company or role name accepted: longer is a paste gone wrong.
MAX_NAME_LENGTH = 200

#: Names of the control characters people are most likely to paste by accident.
_CONTROL_NAMES = {"\n": "a line break", "\r": "a line break", "\t": "a tab"}


def _a(noun: str) -> str:
    """``a rejection``, ``a company``; but ``feedback`` without an article."""
    return noun if noun == "feedback" else f"a {noun}"


#: The control characters (Unicode's category Cc: C0, DEL and C1), and those of them
#: a multi-line field drops: all but the line break and the tab. One regular
#: expression pass, not a test per character: a pasted megabyte is a million characters.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_DROPPED_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _text_problem(field: str, value: str) -> str | None:
    """Why a text value cannot be kept in ``field``, or ``None``."""
    if not _is_unicode(value):
        return "holds bytes that are not UTF-8 text; check the file's or terminal's encoding"
    if field in ONE_LINE_FIELDS:
        found = _CONTROL.search(value.strip())
        if found is not None:
            control = found.group()
            name = _CONTROL_NAMES.get(control, f"the control character U+{ord(control):04X}")
            return f"holds {name}; keep it to one line of plain text"
    if field in ("company", "role") and len(value.strip()) > MAX_NAME_LENGTH:
        return f"is {len(value.strip())} characters long; keep it to {MAX_NAME_LENGTH} at most"
    return None


def _clean_text(field: str, value: str) -> str:
    """The value stripped of surrounding blanks; multi-line fields also lose control
    characters other than line breaks and tabs (a pasted bell or escape code)."""
    if field not in ONE_LINE_FIELDS:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = _DROPPED_CONTROL.sub("", value)
    return value.strip()


def _is_unicode(text: str) -> bool:
    """False for text with lone surrogates: undecodable bytes (from a terminal or
    standard input) or JSON escapes such as ``\\ud800``, which cannot be stored."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def event_to_dict(event: Event) -> dict[str, Any]:
    """Plain data for an event, with ``type`` first and the date as ``YYYY-MM-DD``."""
    data: dict[str, Any] = {"type": event.type}
    for name in _EVENT_FIELDS[event.type]:
        value = getattr(event, name)
        data[name] = value.isoformat() if isinstance(value, dt.date) else value
    return data


def action_to_dict(action: Action) -> dict[str, Any]:
    """Plain data for an action, with ``due`` as an ISO date-time or ``None``."""
    return {
        "step": action.step,
        "kind": action.kind,
        "title": action.title,
        "body": action.body,
        "due": action.due.isoformat(timespec="minutes") if action.due else None,
        "key": action.key,
    }


#: Placeholders every template can use besides the event's own fields.
DERIVED_PLACEHOLDERS: tuple[str, ...] = ("position", "type")


def position(event: Event) -> str:
    """The application an event is about, as a phrase: ``Data Analyst at Acme``."""
    return position_label(getattr(event, "company", ""), event.role)


def is_valid_kind_name(kind: str) -> bool:
    """True for lower-case words joined by hyphens, the form of kinds and step names.

    The words are ASCII letters and digits, and the first starts with a letter
    (``ask-a-friend``, ``step2``); the same rule as the workflow schema's
    ``NAME_PATTERN``, checked without a regular expression to keep start-up light.
    """
    words = kind.split("-")
    return ("a" <= kind[:1] <= "z") and all(word and _NAME_CHARACTERS.issuperset(word) for word in words)
