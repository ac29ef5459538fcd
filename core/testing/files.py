"""Test files: what a workflow must do on given situations, written in TOML beside it.

A test file names the workflow it tests (a path relative to the test file),
a clock, and cases. Each case gives a history (``given``), the event under
test and expectations on the actions the workflow returns for it::

    workflow = "coachflow.toml"
    now = "2026-11-25T17:30"

    [[cases]]
    name = "a first no after an interview"
    event = { type = "rejection", company = "Acme", stage = "interview" }

    [[cases.expect]]
    step = "allow-disappointment"
    kind = "reminder"
    due = "+1d"

Loading is as strict as loading a workflow: every key is checked, every
event is validated as ``coachflow run`` would, every expectation must name a
step of the workflow, and every problem is reported at once, each as one
line with the file, the line and the key path
(``coachflow.test.toml:14: cases[1].expect[2].step: ...``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Pattern

import attrs

from coachflow.errors import EventError, Problem, WorkflowError, did_you_mean
from coachflow.models import ACTION_KINDS, DATE_FORMS, Action, Event, parse_date
from coachflow.wording import join_words
from coachflow.testing import client as clients
from coachflow.testing.lines import Path as KeyPath
from coachflow.testing.lines import key_lines, line_of, show_path

if TYPE_CHECKING:
    from coachflow.clients import Client
    from coachflow.steps import StepRegistry
    from coachflow.workflow import Workflow

#: How test files are named: ``coachflow.test.toml`` tests ``coachflow.toml``.
TEST_FILE_SUFFIX = ".test.toml"

#: When an event of the history is recorded, unless it says (``recorded``): at
#: the start of the working day it happened on, as a person recording it that day.
RECORDED_AT = dt.time(9, 0)

FILE_KEYS = ("workflow", "now", "client", "cases")
CASE_KEYS = ("name", "now", "client", "given", "event", "expect")
EXPECT_KEYS = ("step", "kind", "title", "title_matches", "body", "body_matches", "due", "count", "absent")

_RELATIVE_DAYS = re.compile(r"^-\s*(\d{1,5})\s*d$")
_RELATIVE_DUE = re.compile(r"^\+\s*(?:(\d{1,5})d)?\s*(?:(\d{1,6})h)?\s*(?:(\d{1,7})m)?$")


class TestFileError(WorkflowError):
    """A test file cannot be used; lists every problem found, one line each.

    Like :class:`~coachflow.errors.WorkflowError`, whose problems it may
    include (those of the workflow it names), with :attr:`details` for programs.
    """

    __test__ = False  # not a pytest test class, despite its name


@attrs.frozen
class DueExpectation:
    """When an expected action is due: on a day, at a minute, or not at all.

    ``+3d`` and a date ask for a day (any time that day); ``+2h``, ``+1d2h``
    and a date-time ask for the minute; ``"none"`` for no due date.
    """

    written: str
    day: dt.date | None = None
    moment: dt.datetime | None = None

    def matches(self, due: dt.datetime | None) -> bool:
        """True when an action due at ``due`` fits."""
        if self.moment is not None:
            return due is not None and due.replace(second=0, microsecond=0) == self.moment
        if self.day is not None:
            return due is not None and due.date() == self.day
        return due is None

    def describe(self) -> str:
        """``due on Thu 26 Nov 2026 (+1d)``, ``with no due date``."""
        from coachflow.wording import human_date, human_datetime

        if self.moment is not None:
            when = f"due {human_datetime(self.moment)}"
        elif self.day is not None:
            when = f"due on {human_date(self.day)}"
        else:
            return "with no due date"
        return when + (f" ({self.written})" if self.written.startswith("+") else "")


@attrs.frozen
class Expectation:
    """What one ``[[cases.expect]]`` table asks of the actions.

    Its filters (step, kind, texts, due) select actions; the expectation
    holds when at least one is selected, or exactly ``count``, or none when
    ``absent``.
    """

    line: int | None
    step: str | None = None
    kind: str | None = None
    title: str | None = None
    title_matches: Pattern[str] | None = None
    body: str | None = None
    body_matches: Pattern[str] | None = None
    due: DueExpectation | None = None
    count: int | None = None
    absent: bool = False

    def selects(self, action: Action) -> bool:
        """True when ``action`` passes every filter of this expectation."""
        return (
            (self.step is None or action.step == self.step)
            and (self.kind is None or action.kind == self.kind)
            and (self.title is None or self.title in action.title)
            and (self.title_matches is None or self.title_matches.search(action.title) is not None)
            and (self.body is None or self.body in action.body)
            and (self.body_matches is None or self.body_matches.search(action.body) is not None)
            and (self.due is None or self.due.matches(action.due))
        )

    def holds(self, selected: int) -> bool:
        """True when ``selected`` actions passing the filters is what was asked for."""
        if self.absent:
            return selected == 0
        if self.count is not None:
            return selected == self.count
        return selected > 0

    @property
    def checks_body(self) -> bool:
        """True when the body is among the filters (failures then show the bodies)."""
        return self.body is not None or self.body_matches is not None

    def describe(self) -> str:
        """The expectation in words: ``a reminder from allow-disappointment, due on Thu 26 Nov 2026``."""
        noun = self.kind or "action"
        if self.absent:
            what = f"no {noun}"
        elif self.count is not None:
            what = f"exactly {self.count} {noun}{'' if self.count == 1 else 's'}"
        else:
            what = f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"
        parts = [what + (f" from {self.step}" if self.step else "")]
        if self.title is not None:
            parts.append(f"title containing {_quote(self.title)}")
        if self.title_matches is not None:
            parts.append(f"title matching /{self.title_matches.pattern}/")
        if self.body is not None:
            parts.append(f"body containing {_quote(self.body)}")
        if self.body_matches is not None:
            parts.append(f"body matching /{self.body_matches.pattern}/")
        if self.due is not None:
            parts.append(self.due.describe())
        return ", ".join(parts)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


@attrs.frozen
class GivenEvent:
    """One event of a case's history and when it is recorded."""

    event: Event
    recorded_at: dt.datetime


@attrs.frozen
class Case:
    """One ``[[cases]]`` table, checked and ready to run."""

    name: str
    line: int | None
    now: dt.datetime
    #: the workflow this case runs: the file's, as it runs for the case's client
    workflow: "Workflow"
    client: "Client | None"
    given: tuple[GivenEvent, ...]
    event: Event
    expectations: tuple[Expectation, ...]


@attrs.frozen
class WorkflowTests:
    """A loaded, checked test file."""

    path: Path
    workflow: "Workflow"
    cases: tuple[Case, ...]


# --- loading ------------------------------------------------------------------


class _Problems:
    """Problems of one file as (key path, message), turned into lines at the end."""

    def __init__(self, source: str, lines: dict[KeyPath, int]):
        self.source = source
        self.lines = lines
        self.found: list[tuple[KeyPath, str]] = []

    def add(self, path: KeyPath, message: str) -> None:
        self.found.append((path, message))

    def line(self, path: KeyPath) -> int | None:
        return line_of(self.lines, path)

    def raise_if_any(self) -> None:
        if not self.found:
            return
        raise TestFileError(self.source, details=self.details())

    def details(self) -> list[Problem]:
        """The problems found so far, in the order of the file, as a person reads it
        (problems without a line come last)."""
        placed = [Problem(self.source, self.line(path), show_path(path), message) for path, message in self.found]
        return sorted(placed, key=lambda problem: problem.line if problem.line is not None else float("inf"))


def default_tests_path(workflow_path: str | Path) -> Path:
    """The test file that goes with a workflow: ``coachflow.toml`` -> ``coachflow.test.toml``."""
    path = Path(workflow_path)
    stem = path.name[: -len(".toml")] if path.name.endswith(".toml") else path.name
    return path.with_name(stem + TEST_FILE_SUFFIX)


#: The first line of the built-in workflow's test file, which a starter file replaces.
BUILTIN_TESTS_TITLE = "# Tests for the built-in workflow (default_workflow.toml)."


def default_workflow_tests_text() -> str:
    """The TOML of the built-in workflow's test file, shipped beside it in the package."""
    try:
        return Path(__file__).parent.parent.joinpath("default_workflow.test.toml").read_text(encoding="utf-8")
    except FileNotFoundError:  # installed somewhere that is not a folder, such as a zip file
        from importlib import resources

        return resources.files("coachflow").joinpath("default_workflow.test.toml").read_text(encoding="utf-8")


def starter_tests(workflow_file: str, tests_file: str) -> str:
    """A test file to start from, for a workflow written by ``coachflow init``.

    It is the built-in workflow's own test file, pointed at ``workflow_file``
    (a name relative to the test file, which is called ``tests_file``):
    ``init`` writes the built-in workflow, so every case passes until the
    coach changes something.
    """
    import tomli_w

    text = default_workflow_tests_text()
    line = tomli_w.dumps({"workflow": workflow_file}).strip()
    text, replaced = re.subn(r'^workflow = "default_workflow\.toml"$', lambda _: line, text, count=1, flags=re.M)
    if not replaced:  # the shipped file must keep that line; a test checks it does
        raise ValueError("the built-in workflow's test file names no workflow")
    text = text.replace(BUILTIN_TESTS_TITLE, f"# Tests for {workflow_file}, started from those of the built-in workflow.", 1)
    return text.replace("coachflow test default_workflow.test.toml", f"coachflow test {tests_file}", 1)


def load_test_file(path: str | Path, registry: "StepRegistry", *, text: str | None = None) -> WorkflowTests:
    """Read and check a test file, and the workflow it names, against ``registry``'s steps.

    :param text: the file's TOML when it has been read already (from standard
        input, say): ``path`` then only names it in messages, and the workflow
        it names is found from ``path``'s folder (the current one for a bare name).

    :raises TestFileError: listing every problem of the test file, each with
        file, line and key path.
    :raises WorkflowError: when the file is not TOML, or the workflow it
        names has problems (reported with the workflow's own lines).
    """
    from coachflow.workflow import parse_toml, read_text

    path = Path(path)
    if text is None:
        text = read_text(path)
    data = parse_toml(text, str(path))
    return workflow_tests_from_dict(data, registry, path=path, text=text)


def workflow_tests_from_dict(data: Mapping[str, Any], registry: "StepRegistry", *, path: Path,
                    text: str | None = None) -> WorkflowTests:
    """Check a test file given as parsed TOML (see :func:`load_test_file`).

    :param path: the file, for messages and to find the workflow it names.
    :param text: its TOML text, for line numbers.
    """
    problems = _Problems(str(path), key_lines(text) if text else {})
    for key in data:
        if key not in FILE_KEYS:
            problems.add((key,), _unknown_key(key, FILE_KEYS))
    workflow = _workflow(data, path, registry, problems)
    file_now = _clock(data["now"], ("now",), problems) if "now" in data else None
    file_client = None
    if "client" in data:
        file_client = clients.client_table(data["client"], ("client",), problems.add)
    raw_cases = data.get("cases")
    cases: list[Case] = []
    if raw_cases is None:
        problems.add(("cases",), "missing; add at least one [[cases]] table with a name, an event and what to expect")
    elif not isinstance(raw_cases, list) or not all(isinstance(c, dict) for c in raw_cases):
        problems.add(("cases",), "expected [[cases]] tables")
    elif not raw_cases:
        problems.add(("cases",), "no cases; add at least one [[cases]] table")
    else:
        names: dict[str, int] = {}
        workflows: dict[Any, tuple[Any, Any]] = {}
        for position, raw in enumerate(raw_cases):
            case = _case(raw, ("cases", position), workflow, file_now, file_client, registry, problems,
                         workflows, file_now_given="now" in data, file_client_given="client" in data)
            # the name is checked whatever else is wrong with the case, so all is reported at once
            name = raw.get("name")
            if isinstance(name, str) and name.strip():
                if name.strip() in names:
                    problems.add(("cases", position, "name"), f"another case (the "
                                 f"{_ordinal(names[name.strip()] + 1)}) already has this name; give each case its own")
                else:
                    names[name.strip()] = position
            if case is not None:
                cases.append(case)
    problems.raise_if_any()
    return WorkflowTests(path=path, workflow=workflow, cases=tuple(cases))


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _unknown_key(key: str, known: tuple[str, ...]) -> str:
    hint = did_you_mean(key, known)
    return f"unknown key{hint}" if hint else f"unknown key; known keys: {', '.join(known)}"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return repr(value)


def _workflow(data: Mapping[str, Any], path: Path, registry: "StepRegistry", problems: _Problems) -> Any:
    """The workflow the file names, loaded; its own problems are raised as they are."""
    from coachflow.workflow import load_workflow

    value = data.get("workflow")
    if value is None:
        problems.add(("workflow",), 'missing; name the workflow file to test, relative to this file: '
                     'workflow = "coachflow.toml"')
        problems.raise_if_any()
    if not isinstance(value, str) or not value.strip():
        problems.add(("workflow",), f"expected the workflow's file name as text, got {_describe(value)}")
        problems.raise_if_any()
    target = path.parent / value
    if not target.is_file():
        problems.add(("workflow",), f"no workflow file at {target}; the path counts from the test file's folder")
        problems.raise_if_any()
    try:
        return load_workflow(target, registry)
    except WorkflowError as exc:
        # The workflow's own problems, each with its file and line, after this file's.
        raise TestFileError(problems.source, details=problems.details() + list(exc.details)) from None


def _clock(value: Any, at: KeyPath, problems: _Problems) -> dt.datetime | None:
    """A ``now`` or ``recorded`` value: a local date and time, to the minute."""
    moment = _datetime(value)
    if moment is None:
        problems.add(at, f"expected a date and time such as \"2026-11-25T17:30\", got {_describe(value)}")
    return moment


def _datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, str):
        text = value.strip()
        if "T" not in text.upper() and " " not in text:
            return None  # a date alone would silently mean midnight
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    if not isinstance(value, dt.datetime) or value.tzinfo is not None:
        return None  # coachflow's clock is local time, without a zone
    return value.replace(second=0, microsecond=0)


def _case(raw: dict[str, Any], at: KeyPath, workflow: Any, file_now: dt.datetime | None,
          file_client: dict[str, Any] | None, registry: "StepRegistry", problems: _Problems,
          workflows: dict[Any, tuple[Any, Any]], *, file_now_given: bool, file_client_given: bool) -> Case | None:
    before = len(problems.found)
    for key in raw:
        if key not in CASE_KEYS:
            problems.add(at + (key,), _unknown_key(key, CASE_KEYS))
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add(at + ("name",), "missing; give the case a name that says what it checks" if name is None
                     else f"expected text, got {_describe(name)}")
    now = _clock(raw["now"], at + ("now",), problems) if "now" in raw else file_now
    if now is None and "now" not in raw and not file_now_given:
        problems.add(at + ("now",), "missing; give the case a clock (now = \"2026-11-25T17:30\"), or set now "
                     "at the top of the file for every case")
    settings = file_client
    if "client" in raw:
        own = clients.client_table(raw["client"], at + ("client",), problems.add)
        settings = clients.merged(file_client, own) if own is not None else None
    case_workflow, client = workflow, None
    settings_fine = ("client" not in raw or settings is not None) and (file_client is not None or not file_client_given)
    if settings_fine and len(problems.found) == before:
        key = clients.freeze(settings)
        if key not in workflows:
            # Each client's workflow is made once; a problem with it is reported where the
            # client was written (the case's table or the file's), or at the case without one.
            where = at + ("client",) if "client" in raw else ("client",) if settings is not None else at
            client = clients.make_client(settings, where, problems.add) if settings is not None else None
            workflows[key] = (clients.workflow_for(workflow, client, where, problems.add), client)
        case_workflow, client = workflows[key]

    given: list[GivenEvent] = []
    raw_given = raw.get("given", [])
    if not isinstance(raw_given, list) or not all(isinstance(item, dict) for item in raw_given):
        problems.add(at + ("given",), "expected a list of events: given = [{ type = \"rejection\", ... }, ...] "
                     "or [[cases.given]] tables")
        raw_given = []
    if "event" not in raw:
        problems.add(at + ("event",), "missing; give the event under test: event = { type = \"rejection\", "
                     "company = \"Acme\" }")
    elif not isinstance(raw["event"], dict):
        problems.add(at + ("event",), f"expected a table of the event's fields, got {_describe(raw['event'])}")
    if now is not None:
        for position, item in enumerate(raw_given):
            found = _given(item, at + ("given", position), now, registry, problems)
            if found is not None:
                given.append(found)
    event = None
    if now is not None and isinstance(raw.get("event"), dict):
        event = _event(raw["event"], at + ("event",), now, registry, problems)

    expectations: list[Expectation] = []
    raw_expect = raw.get("expect")
    if raw_expect is None:
        problems.add(at + ("expect",), "missing; add at least one [[cases.expect]] table saying what the "
                     "workflow should return")
    elif not isinstance(raw_expect, list) or not all(isinstance(item, dict) for item in raw_expect):
        problems.add(at + ("expect",), "expected [[cases.expect]] tables")
    elif not raw_expect:
        problems.add(at + ("expect",), "nothing to check; add at least one [[cases.expect]] table")
    else:
        step_ids = [step.id for step in workflow.steps]
        for position, item in enumerate(raw_expect):
            expectation = _expectation(item, at + ("expect", position), now, step_ids, problems)
            if expectation is not None:
                expectations.append(expectation)
    if len(problems.found) != before or now is None or event is None:
        return None
    given.sort(key=lambda item: item.recorded_at)  # stable: one moment's events keep the file's order
    return Case(name=name.strip(), line=problems.line(at), now=now, workflow=case_workflow, client=client,
                given=tuple(given), event=event, expectations=tuple(expectations))


#: The ways a date may be written in a test file's events, the event under test and its
#: history alike: an event's own forms, and a count of days before the case's now.
TEST_DATE_FORMS: tuple[str, ...] = (*DATE_FORMS, "a number of days before now such as -3d")


def _event_data(raw: dict[str, Any], at: KeyPath, now: dt.datetime, problems: _Problems) -> dict[str, Any] | None:
    """The event's fields with a date like ``-3d`` counted back from ``now``."""
    data = dict(raw)
    date = data.get("date")
    if isinstance(date, str) and date.strip():
        match = _RELATIVE_DAYS.match(date.strip())
        if match is not None:
            data["date"] = now.date() - dt.timedelta(days=int(match.group(1)))
            return data
        try:
            parse_date(date, today=now.date(), forms=TEST_DATE_FORMS)
        except EventError as exc:
            problems.add(at + ("date",), str(exc).removeprefix("date: "))
            return None
    elif isinstance(date, dt.datetime):
        problems.add(at + ("date",), f"expected a date such as 2026-11-20, got the date and time {date.isoformat()}")
        return None
    return data


def _to_event(data: dict[str, Any], at: KeyPath, today: dt.date, registry: "StepRegistry",
              problems: _Problems) -> Event | None:
    from coachflow.models import event_from_dict

    try:
        return event_from_dict(data, today=today, milestone_kinds=registry.milestone_kinds)
    except EventError as exc:
        for message in exc.lines():  # each problem of the event on its own line, with its field's
            match = re.match(r"^([A-Za-z_][\w-]*): (.*)$", message, re.S)
            if match is not None:
                problems.add(at + (match.group(1),), match.group(2))
            else:
                problems.add(at, message)
    return None


def _event(raw: dict[str, Any], at: KeyPath, now: dt.datetime, registry: "StepRegistry",
           problems: _Problems) -> Event | None:
    if "recorded" in raw:
        problems.add(at + ("recorded",), "the event under test is recorded at the case's now; 'recorded' "
                     "belongs to events in 'given'")
        return None
    data = _event_data(raw, at, now, problems)
    if data is None:
        return None
    return _to_event(data, at, now.date(), registry, problems)


def _given(raw: dict[str, Any], at: KeyPath, now: dt.datetime, registry: "StepRegistry",
           problems: _Problems) -> GivenEvent | None:
    data = _event_data(raw, at, now, problems)
    if data is None:
        return None
    recorded = None
    if "recorded" in data:
        recorded = _clock(data.pop("recorded"), at + ("recorded",), problems)
        if recorded is None:
            return None
        if recorded > now:
            problems.add(at + ("recorded",), f"{recorded.isoformat(timespec='minutes')} is after the case's now "
                         f"({now.isoformat(timespec='minutes')}); history is recorded before the event under test")
            return None
    if data.get("date") in (None, ""):
        problems.add(at + ("date",), f"missing; every event of the history needs its date: "
                     f"{join_words(TEST_DATE_FORMS, 'or')}")
        return None
    event = _to_event(data, at, (recorded or now).date(), registry, problems)
    if event is None:
        return None
    if recorded is None:
        recorded = min(dt.datetime.combine(event.date, RECORDED_AT), now)
    return GivenEvent(event=event, recorded_at=recorded)


def _expectation(raw: dict[str, Any], at: KeyPath, now: dt.datetime | None, step_ids: list[str],
                 problems: _Problems) -> Expectation | None:
    before = len(problems.found)
    for key in raw:
        if key not in EXPECT_KEYS:
            problems.add(at + (key,), _unknown_key(key, EXPECT_KEYS))
    if not raw:
        problems.add(at, f"an empty expectation checks nothing; use some of {', '.join(EXPECT_KEYS)}")
    values: dict[str, Any] = {}
    step = raw.get("step")
    if step is not None:
        if not isinstance(step, str):
            problems.add(at + ("step",), f"expected a step id as text, got {_describe(step)}")
        elif step not in step_ids:
            hint = did_you_mean(step, step_ids)
            problems.add(at + ("step",), f"the workflow has no step '{step}'{hint}; its steps are "
                         f"{', '.join(step_ids)}")
        else:
            values["step"] = step
    kind = raw.get("kind")
    if kind is not None:
        if not isinstance(kind, str) or kind not in ACTION_KINDS:
            hint = did_you_mean(kind, ACTION_KINDS) if isinstance(kind, str) else ""
            problems.add(at + ("kind",), f"{_describe(kind)} is not a kind of action{hint}; use one of "
                         f"{', '.join(ACTION_KINDS)}")
        else:
            values["kind"] = kind
    for key in ("title", "body"):
        text = raw.get(key)
        if text is not None:
            if not isinstance(text, str) or not text:
                problems.add(at + (key,), f"expected the text the {key} contains, got {_describe(text)}")
            else:
                values[key] = text
        pattern = raw.get(f"{key}_matches")
        if pattern is not None:
            compiled = _pattern(pattern, at + (f"{key}_matches",), problems)
            if compiled is not None:
                values[f"{key}_matches"] = compiled
    if "due" in raw and now is not None:
        due = _due(raw["due"], at + ("due",), now, problems)
        if due is not None:
            values["due"] = due
    count = raw.get("count")
    if count is not None:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            problems.add(at + ("count",), f"expected a number of actions (0 or more), got {_describe(count)}")
        else:
            values["count"] = count
    absent = raw.get("absent")
    if absent is not None:
        if not isinstance(absent, bool):
            problems.add(at + ("absent",), f"expected true or false, got {_describe(absent)}")
        elif absent and count is not None:
            problems.add(at + ("absent",), "use either absent = true or count, not both (absent is count = 0)")
        else:
            values["absent"] = absent
    if len(problems.found) != before:
        return None
    return Expectation(line=problems.line(at), **values)


def _pattern(value: Any, at: KeyPath, problems: _Problems) -> Pattern[str] | None:
    if not isinstance(value, str) or not value:
        problems.add(at, f"expected a regular expression as text, got {_describe(value)}")
        return None
    try:
        return re.compile(value)
    except re.error as exc:
        problems.add(at, f"not a regular expression: {exc}")
    return None


def _due(value: Any, at: KeyPath, now: dt.datetime, problems: _Problems) -> DueExpectation | None:
    """``+1d`` (a day), ``+2h``/``+1d2h``/``+30m`` (a minute), a date, a date-time, or ``"none"``."""
    if isinstance(value, dt.datetime):
        moment = _datetime(value)
        if moment is not None:
            return DueExpectation(written=value.isoformat(timespec="minutes"), moment=moment)
    elif isinstance(value, dt.date):
        return DueExpectation(written=value.isoformat(), day=value)
    elif isinstance(value, str):
        text = value.strip()
        if text.lower() == "none":
            return DueExpectation(written="none")
        match = _RELATIVE_DUE.match(text)
        if match is not None and any(match.groups()):
            days, hours, minutes = (int(group or 0) for group in match.groups())
            if not hours and not minutes:
                return DueExpectation(written=text, day=now.date() + dt.timedelta(days=days))
            moment = now + dt.timedelta(days=days, hours=hours, minutes=minutes)
            return DueExpectation(written=text, moment=moment)
        if not text.startswith("+"):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                moment = _datetime(text)
                if moment is not None:
                    return DueExpectation(written=text, moment=moment)
            else:
                return DueExpectation(written=text, day=day)
    problems.add(at, f"{_describe(value)} is not a due date; write +1d (that day), +2h or +1d2h (that minute), "
                 "a date (2026-11-26), a date and time (\"2026-11-26T17:30\"), or \"none\"")
    return None
