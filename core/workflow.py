"""Workflow files: reading, validating and describing them.

A workflow is TOML that a coach writes and shares, so loading it is strict
and never runs code: every key is checked, every option is structured into
its step's attrs class with cattrs, every template is checked for unknown
placeholders, and all problems of a file are reported together, each with
the file, the line and the key path (``steps[2].with.window_hours``).
Steps are numbered from 1, in the order the file lists them.
"""

from __future__ import annotations

import contextvars
import functools
import re
import tomllib
import typing
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Literal, Mapping

import attrs

from coachflow import templates
from coachflow.context import REJECTION_RUN, REJECTION_RUN_DAYS
from coachflow.errors import Problem, WorkflowError, did_you_mean
from coachflow.models import BUILTIN_MILESTONE_KINDS, EVENT_FIELDS, EVENT_TYPES, STAGES, event_fields, is_valid_kind_name
from coachflow.plugin.registry import StepRegistry, StepType
from coachflow.time_limit import DEFAULT_STEP_TIMEOUT
from coachflow.upkeep import MISSED_AFTER_DAYS, UNDATED_MISSED_AFTER_DAYS

if TYPE_CHECKING:
    import cattrs

#: The milestone kinds of the workflow being loaded (see :func:`milestone_kinds_in_scope`).
_KINDS_IN_SCOPE: contextvars.ContextVar[frozenset[str] | None] = contextvars.ContextVar("kinds", default=None)


def milestone_kinds_in_scope() -> frozenset[str]:
    """The milestone kinds a workflow may mention: the built-in ones, the plugins' and those its file declares.

    For option validators (a step's table keyed by kind): while a workflow
    loads, the kinds of that workflow; otherwise the built-in kinds.
    """
    kinds = _KINDS_IN_SCOPE.get()
    return kinds if kinds is not None else frozenset(BUILTIN_MILESTONE_KINDS)


DEFAULT_WORKFLOW_SOURCE = "<built-in default workflow>"
WORKFLOW_FILE_NAME = "coachflow.toml"


#: The longest ``settings.step_timeout``, in seconds: a day.
MAX_STEP_TIMEOUT = 86_400


def _check_step_timeout(value: float | None) -> None:
    if value is not None and not 0 <= value <= MAX_STEP_TIMEOUT:  # also refuses nan
        # Worded as attrs words its validators' errors, which _flatten turns into "must be ..., got ...".
        raise ValueError(f"'step_timeout' must be 0 (no limit) or more, and at most {MAX_STEP_TIMEOUT:,} "
                         f"seconds: {value:g}")


def _check_journal_setting(value: str | None) -> None:
    """A workflow travels between people, so it may name a journal only beside itself:
    an absolute path or '..' could point someone's journal at a file another
    person prepared (in /tmp, say)."""
    if value is None:
        return
    from coachflow.journal.paths import is_server_url

    if is_server_url(value):
        _check_journal_server(value)
        return
    path = PurePath(value)
    if not value.strip() or path.is_absolute() or value.startswith("~") or ".." in path.parts:
        raise ValueError(
            f"'journal' must be a file name inside the workflow's folder, such as \"journal.sqlite3\" "
            f"(got {value!r}); use --journal or COACHFLOW_JOURNAL for a journal elsewhere"
        )


def _check_journal_server(url: str) -> None:
    """A workflow may name a practice store, but not where it is: a host in a shared file could
    send someone's journal (and, with password login, their password) to another person's
    server. Without a host, libpq takes it from the person's own settings (PGHOST, a service in
    their pg_service.conf) or uses the local server."""
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if parts.hostname or parts.port or "host" in query or "hostaddr" in query or "@" in parts.netloc:
        raise ValueError(
            f"'journal' may name a practice store by service or database only, such as "
            f"\"postgresql://?service=practice\" (got a URL with a user or host); the server is yours to choose: "
            "use --journal, COACHFLOW_JOURNAL or your pg_service.conf"
        )


def _check_clock(name: str):
    """A validator for a time of day written ``HH:MM`` (24-hour clock)."""

    def check(_: Any, __: Any, value: str) -> None:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError(f"'{name}' must be a time of day such as \"08:00\" or \"21:30\" (24-hour clock), "
                             f"got {value!r}")

    return check


def _check_day(settings: "Settings") -> None:
    if settings.day_starts >= settings.day_ends:
        raise ValueError(f"'day_ends' must be later than day_starts ({settings.day_starts}), "
                         f"got {settings.day_ends!r}")


@attrs.frozen
class Settings:
    """The ``[settings]`` table of a workflow."""

    on_error: Literal["continue", "stop"] = attrs.field(
        default="continue",
        metadata={"help": "'continue' runs the other steps when one fails; 'stop' ends the run at the first failure."},
    )
    journal: str | None = attrs.field(
        default=None,
        validator=lambda _, __, value: _check_journal_setting(value),
        metadata={"help": "The journal file for this workflow, relative to the workflow file and inside "
                  "its folder, or a practice store named without a host (postgresql://?service=NAME); "
                  "--journal and COACHFLOW_JOURNAL take precedence."},
    )
    step_timeout: float | None = attrs.field(
        default=DEFAULT_STEP_TIMEOUT,
        metadata={"help": "Seconds a step may take before it is stopped, reported as failed, and the run "
                  f"moves on (at most {MAX_STEP_TIMEOUT:,}); 0 means no limit."},
        validator=lambda _, __, value: _check_step_timeout(value),
    )
    day_starts: str = attrs.field(
        default="08:00",
        validator=_check_clock("day_starts"),
        metadata={"help": "The start of the person's day, as HH:MM local time: reminders that would fall "
                  "earlier are moved to this time."},
    )
    day_ends: str = attrs.field(
        default="21:00",
        validator=_check_clock("day_ends"),
        metadata={"help": "The end of the person's day, as HH:MM local time: reminders that would fall "
                  "later are moved to the next morning at day_starts."},
    )
    missed_after_days: int = attrs.field(
        default=MISSED_AFTER_DAYS,
        validator=attrs.validators.and_(attrs.validators.ge(0), attrs.validators.le(365)),
        metadata={"help": "Days after its due time that an open reminder or task is marked missed, at the "
                  "next run, so that old ones never pile up. 0: as soon as it is due."},
    )
    undated_missed_after_days: int = attrs.field(
        default=UNDATED_MISSED_AFTER_DAYS,
        validator=attrs.validators.and_(attrs.validators.ge(1), attrs.validators.le(3650)),
        metadata={"help": "Days after its event that an open draft or task with no due time (a feedback "
                  "request never sent) is marked missed, at the next run."},
    )
    rejection_run: int = attrs.field(
        default=REJECTION_RUN,
        validator=attrs.validators.and_(attrs.validators.ge(2), attrs.validators.le(100)),
        metadata={"help": "The number of rejections within rejection_run_days that makes a hard run: the "
                  "steps then name it, ask for no new applications that day and give fewer, gentler tasks."},
    )
    rejection_run_days: int = attrs.field(
        default=REJECTION_RUN_DAYS,
        validator=attrs.validators.and_(attrs.validators.ge(1), attrs.validators.le(365)),
        metadata={"help": "The days (the rejection's own included) within which rejection_run noes make a hard run."},
    )

    def __attrs_post_init__(self) -> None:
        _check_day(self)


@attrs.frozen
class MilestoneKind:
    """A milestone kind a workflow declares in its ``[milestones]`` table."""

    description: str = attrs.field(
        metadata={"help": "What the milestone means, in a few words: shown when a kind is listed."},
    )
    win: bool = attrs.field(
        default=True,
        metadata={"help": "Whether it counts as a win: celebrated, and counted with the wins in reports."},
    )


@attrs.frozen
class WorkflowStep:
    """One entry of ``[[steps]]``, checked and ready to run."""

    id: str
    step_type: StepType
    options: Any
    on: tuple[str, ...]
    when: Mapping[str, tuple[str, ...]]
    #: field -> words, any of which the field must contain (``when = { reason = { contains = [...] } }``).
    contains: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    @property
    def uses(self) -> str:
        """The step type's name."""
        return self.step_type.name

    @property
    def conditional(self) -> bool:
        """True when the step has ``when`` conditions to check on each event."""
        return bool(self.when or self.contains)

    def mismatch(self, event: Any) -> tuple[str, str] | None:
        """Why this step does not run for ``event`` (``("on"|"when", detail)``), or ``None``."""
        if event.type not in self.on:
            return "on", f"runs on {', '.join(self.on)}, not {event.type}"
        for field, allowed in self.when.items():
            value = str(getattr(event, field, "")).casefold()
            if value not in allowed:
                shown = getattr(event, field, "") or "(empty)"
                return "when", f"{field} is {shown}, not {' or '.join(allowed)}"
        if self.contains:
            from coachflow.themes import find_keyword

            for field, words in self.contains.items():
                if find_keyword(str(getattr(event, field, "")), words) is None:
                    return "when", f"{field} does not mention {' or '.join(repr(w) for w in words)}"
        return None


@attrs.frozen
class Workflow:
    """A loaded, validated workflow."""

    name: str
    description: str
    settings: Settings
    steps: tuple[WorkflowStep, ...]
    source: str
    #: The milestone kinds the file declares (``[milestones]``), by kind.
    milestone_kinds: Mapping[str, MilestoneKind] = attrs.field(factory=dict)
    #: The milestone kinds that count as wins with this workflow (``None``: the built-in ones).
    win_kinds: frozenset[str] | None = None

    def is_win(self, kind: str) -> bool:
        """Whether a milestone of this kind is good news with this workflow: declared so in
        ``[milestones]``, a built-in win, or a plugin's kind registered as one."""
        if self.win_kinds is not None:
            return kind in self.win_kinds
        from coachflow.applications import is_win

        declared = self.milestone_kinds.get(kind)
        return declared.win if declared is not None else is_win(kind)

    def kinds(self, registry: StepRegistry) -> dict[str, str]:
        """Every milestone kind an event may have with this workflow: the registry's and the file's."""
        return {**registry.milestone_kinds, **{kind: found.description for kind, found in self.milestone_kinds.items()}}

    def step_options(self, uses: str) -> Any:
        """The options of the first step that uses the step type ``uses``, or ``None``."""
        return next((step.options for step in self.steps if step.uses == uses), None)

    def client_placeholders(self) -> dict[str, list[str]]:
        """The client's values its templates use (``{client_name}``, ``{coach_name}``, ``{client_VAR}``):
        placeholder -> the ids of the steps using it, in the order of the file.

        A workflow that uses one runs only for a client who has it (see
        :func:`coachflow.clients.for_client`). Which options are templates
        is looked up (their type hints resolved) only for a step with a text
        that could name a client's value.
        """
        used: dict[str, list[str]] = {}
        for step in self.steps:
            if not any(_may_name_client_value(value) for value in attrs.astuple(step.options, recurse=False)):
                continue
            for name in template_fields(type(step.options)):
                value = getattr(step.options, name)
                for text in value if isinstance(value, (list, tuple)) else [value]:
                    if not isinstance(text, str) or "{" not in text:
                        continue
                    for placeholder in templates.placeholders(text):
                        if (placeholder in templates.CLIENT_PLACEHOLDERS
                                or placeholder.startswith(templates.CLIENT_VARIABLE_PREFIX)):
                            steps = used.setdefault(placeholder, [])
                            if step.id not in steps:
                                steps.append(step.id)
        return used


def _may_name_client_value(value: Any) -> bool:
    """Whether an option's value (a text, or a list of texts) holds the name of a client's value anywhere."""
    texts = value if isinstance(value, (list, tuple)) else [value]
    return any(isinstance(text, str) and (templates.CLIENT_VARIABLE_PREFIX in text
                                          or any(name in text for name in templates.CLIENT_PLACEHOLDERS))
               for text in texts)


def template_fields(options_class: type) -> list[str]:
    """The options of a step's options class that are templates (``Template`` or a list of them)."""
    hints = typing.get_type_hints(options_class)
    names = []
    for field in attrs.fields(options_class):
        declared = hints.get(field.name)
        if typing.get_origin(declared) in (list, tuple) and typing.get_args(declared):
            declared = typing.get_args(declared)[0]
        if declared is templates.Template:
            names.append(field.name)
    return names


# --- the raw shape of a file, as cattrs structures it ----------------------


@attrs.define
class _WorkflowTable:
    name: str
    description: str = ""


@attrs.define
class _StepTable:
    uses: str
    id: str | None = None
    on: list[str] | None = None
    when: dict[str, Any] = attrs.Factory(dict)
    with_: dict[str, Any] = attrs.Factory(dict)


#: The tables a workflow file may have: [workflow], [settings], [milestones] and [[steps]].
_FILE_TABLES = ("workflow", "settings", "milestones", "steps")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _strict(expected: str, accept: tuple[type, ...], make: Any) -> Any:
    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, bool) and bool not in accept:
            raise TypeError(f"expected {expected}, got {_describe(value)}")
        if not isinstance(value, accept):
            raise TypeError(f"expected {expected}, got {_describe(value)}")
        return make(value)

    return structure


def _structure_literal(value: Any, tp: Any) -> Any:
    choices = typing.get_args(tp)
    if value not in choices:
        hint = did_you_mean(value, [str(c) for c in choices]) if isinstance(value, str) else ""
        raise ValueError(
            f"expected one of {', '.join(_describe(c) for c in choices)}, got {_describe(value)}{hint}"
        )
    return value


def _requiring(kind: type, expected: str, factory: Any) -> Any:
    """Wrap a cattrs collection hook factory so that it accepts only ``kind``:
    cattrs would otherwise turn the text "Sam" into the list ["S", "a", "m"]."""

    def make(tp: Any, conv: cattrs.Converter) -> Any:
        inner = factory(tp, conv)

        def structure(value: Any, t: Any) -> Any:
            if not isinstance(value, kind):
                raise TypeError(f"expected {expected}, got {_describe(value)}")
            return inner(value, t)

        return structure

    return make


def _attrs_hook(cls: type, converter: cattrs.Converter) -> Any:
    """Structure a table into an attrs class (a step's options, ``[settings]``...)."""
    from cattrs.gen import make_dict_structure_fn, override

    overrides = {"with_": override(rename="with")} if cls is _StepTable else {}
    inner = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True, **overrides)

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, dict):  # cattrs would fail on it with an AttributeError
            raise TypeError(f"expected a table, got {_describe(value)}")
        return inner(value, cls)

    return structure


def make_converter() -> cattrs.Converter:
    """The converter workflow files are structured with: unknown keys are
    refused, values are never coerced (``"24"`` is not an integer) and a
    value of the wrong shape (a text for a list, a list for a table) is an
    error, never a surprise."""
    import cattrs
    from cattrs.cols import homogenous_tuple_structure_factory, list_structure_factory, mapping_structure_factory

    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook(str, _strict("text", (str,), str))
    converter.register_structure_hook(templates.Template, _strict("text", (str,), templates.Template))
    converter.register_structure_hook(int, _strict("an integer", (int,), int))
    converter.register_structure_hook(float, _strict("a number", (int, float), float))
    converter.register_structure_hook(bool, _strict("true or false", (bool,), bool))
    converter.register_structure_hook_func(lambda t: typing.get_origin(t) is Literal, _structure_literal)
    converter.register_structure_hook_factory(
        lambda t: typing.get_origin(t) is list, _requiring((list, tuple), "a list", list_structure_factory)
    )
    converter.register_structure_hook_factory(
        lambda t: typing.get_origin(t) is tuple and typing.get_args(t)[-1:] == (...,),
        _requiring((list, tuple), "a list", homogenous_tuple_structure_factory),
    )
    converter.register_structure_hook_factory(
        lambda t: typing.get_origin(t) is dict, _requiring(dict, "a table", mapping_structure_factory)
    )
    converter.register_structure_hook_factory(attrs.has, lambda cls: _attrs_hook(cls, converter))
    return converter


_converter: cattrs.Converter | None = None


def converter() -> cattrs.Converter:
    """The shared workflow converter (built on first use)."""
    global _converter
    if _converter is None:
        _converter = make_converter()
    return _converter


def structure_table(value: Any, cls: type) -> Any:
    """Structure a table (a ``dict``) into the attrs class ``cls`` with the workflow :func:`converter`.

    An empty table, for a class whose every field has a default, is the
    class's defaults: ``cls()``, with no converter to build (most steps of
    a workflow set no options, and most workflows have few settings).

    :raises: what cattrs raises for a table that does not fit.
    """
    if value == {} and attrs.has(cls) and all(field.default is not attrs.NOTHING for field in attrs.fields(cls)):
        return cls()
    return converter().structure(value, cls)


def _structuring_errors() -> tuple[type[BaseException], ...]:
    """The errors cattrs raises with a tree of problems (for ``except``: imported only
    once an error is on its way, which means cattrs is already imported)."""
    from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

    return (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError)


def _flatten(exc: BaseException, path: str) -> list[tuple[str, str]]:
    """Turn a cattrs error tree into ``(key path, message)`` pairs."""
    from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

    if isinstance(exc, ForbiddenExtraKeysError):
        known = [a.name if a.name != "with_" else "with" for a in attrs.fields(exc.cl)] if attrs.has(exc.cl) else []
        return [
            (f"{path}.{key}" if path else key, "unknown key" + did_you_mean(key, known) + (
                f"; known keys: {', '.join(known)}" if known and not did_you_mean(key, known) else ""))
            for key in sorted(exc.extra_fields)
        ]
    if isinstance(exc, IterableValidationError):
        with_notes, without = exc.group_exceptions()
        found = []
        for inner, note in with_notes:
            # lists are numbered from 1 like steps; a table's entries are named by key
            index = note.index
            where = f"{path}[{index + 1}]" if isinstance(index, int) else f"{path}.{_key_text(index)}"
            found += _flatten(inner, where)
        for inner in without:
            found += _flatten(inner, path)
        return found
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        found = []
        for inner, note in with_notes:
            name = "with" if note.name == "with_" else note.name
            found += _flatten(inner, f"{path}.{name}" if path else name)
        names = {a.name for a in attrs.fields(exc.cl)} if attrs.has(exc.cl) else set()
        for inner in without:
            found += _attribute_validator_error(inner, path, names) or _flatten(inner, path)
        return found
    if isinstance(exc, KeyError):
        return [(path, "required, but missing")]
    if isinstance(exc, ExceptionGroup):
        found = []
        for inner in exc.exceptions:
            found += _flatten(inner, path)
        return found
    return [(path, str(exc))]


def _key_text(key: Any) -> str:
    """A table key as it appears in a key path: bare when TOML allows it, quoted otherwise."""
    import json

    text = str(key)
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else json.dumps(text, ensure_ascii=False)


def _attribute_validator_error(exc: BaseException, path: str, names: set[str]) -> list[tuple[str, str]]:
    """attrs validators run after structuring, so cattrs reports them on the
    class; their message starts with the attribute's name, which gives the path."""
    # "'messages.offer' ..." names an entry of a table option, for a path that ends at the entry
    match = re.match(r"""^'(\w+)((?:\.[A-Za-z0-9_-]+|\."[^"]*")?)' (.*)$""", str(exc), re.DOTALL)
    if not match or match.group(1) not in names:
        return []
    from coachflow.validators import in_words

    message = in_words(match.group(3))
    key = match.group(1) + match.group(2)
    return [(f"{path}.{key}" if path else key, message)]


# --- locating a key path in the file, for line numbers ----------------------

_HEADER = r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$"


@functools.lru_cache(maxsize=4)
def _table_headers(text: str) -> tuple[list[str], list[tuple[int, str]], dict[str, list[int]]]:
    """The lines of a TOML text, its table headers as ``(line number, name)``,
    and for each table name the positions of its headers in that list.

    Worked out once per text: a file with a thousand problems looks up a
    thousand key paths, and scanning the whole file for each was quadratic.
    """
    lines = text.splitlines()
    headers: list[tuple[int, str]] = []
    positions: dict[str, list[int]] = {}
    for number, line in enumerate(lines, start=1):
        header = re.match(_HEADER, line)
        if header:
            positions.setdefault(header.group(1).strip(), []).append(len(headers))
            headers.append((number, header.group(1).strip()))
    return lines, headers, positions


@functools.lru_cache(maxsize=4)
def _assignments(text: str) -> dict[str, int]:
    """For each text before an ``=`` at the start of a line, the first line it is on.

    Found once per text, like :func:`_table_headers`: twenty thousand unknown
    keys, each looked for in every line, took minutes.
    """
    first: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        key, equals, _ = line.partition("=")
        if equals:
            first.setdefault(key.strip(), number)
    return first


def _line_of(text: str | None, path: str) -> int | None:
    """Best-effort line number of a key path such as ``steps[2].with.window_hours``."""
    if not text:
        return None
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    if not parts:
        return None
    lines, headers, positions = _table_headers(text)
    table = parts[0]
    index = int(parts[1][1:-1]) if len(parts) > 1 and parts[1].startswith("[") else None
    keys = [p for p in parts[1:] if not p.startswith("[")]
    if index is None:  # a table of tables, such as [milestones.networking-introduction]
        for depth in range(len(keys), 0, -1):
            name = ".".join([table, *(key.strip('"') for key in keys[:depth])])
            if name in positions:
                table, keys = name, keys[depth:]
                break
    found = positions.get(table, [])
    if index is None and found:
        position: int | None = found[0]
    else:
        position = found[index - 1] if index is not None and 0 < index <= len(found) else None
    if position is None:
        return _assignments(text).get(table)
    start = headers[position][0]
    end = len(lines) + 1  # the section ends at the next header that is not one of its sub-tables
    for number, name in headers[position + 1:]:
        if not name.startswith(f"{table}."):
            end = number
            break
    for key in reversed(keys):
        pattern = re.compile(rf"(^|[\s{{,.]){re.escape(key)}\s*=")
        for number in range(start, end):
            if pattern.search(lines[number - 1]):
                return number
    return start


# --- loading -----------------------------------------------------------------


def json_pointer(path: str) -> str:
    """A key path of the messages (``steps[2].with.window_hours``, list items
    counted from 1) as the JSON Pointer that JSON Schema validators give
    (``/steps/1/with/window_hours``, counted from 0)."""
    parts = [str(int(part[1:-1]) - 1) if part.startswith("[") else part.replace("~", "~0").replace("/", "~1")
             for part in re.findall(r"[^.\[\]]+|\[\d+\]", path)]
    return "".join(f"/{part}" for part in parts)


#: The largest workflow file, in bytes. The built-in workflow is under 2 KB and
#: a thousand steps take about 40 KB; the bound keeps one file from taking the
#: time and memory of a whole machine.
MAX_WORKFLOW_BYTES = 1_000_000

#: How deeply arrays and tables may nest in a workflow (or event) file. tomllib
#: parses nesting recursively; a workflow needs four or five levels.
MAX_TOML_NESTING = 32

#: The most parts a dotted key (``steps.with.themes``) or table name may have.
#: tomllib's time grows with the square of a key's parts: one key of 20,000
#: parts (40 KB) took 48 seconds and 2.4 GB.
MAX_KEY_PARTS = 32

# What the shape check must tell apart: strings and comments (whose brackets and
# dots are text), brackets, dots, and what ends a key (=, a comma, a line break).
_TOML_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"{3,5}'
    r"|'''.*?'{3,5}"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*"
    r"|[\[\]{}.=,\n]",
    re.DOTALL,
)


def toml_shape_problem(
    text: str, what: str = "a workflow", max_bytes: int | None = MAX_WORKFLOW_BYTES
) -> tuple[int | None, str] | None:
    """What makes ``text`` too big for coachflow to hand to tomllib, or ``None``.

    Checked in one pass, before parsing: the size (:data:`MAX_WORKFLOW_BYTES`),
    the nesting of arrays and tables (:data:`MAX_TOML_NESTING`) and the parts
    of a dotted key or table name (:data:`MAX_KEY_PARTS`).

    :param what: what the file is, for the message: ``"a workflow"``, ``"an event file"``.
    :param max_bytes: the largest size allowed; ``None`` for no limit (an event
        holds the person's own text, which is kept whole however long).
    :returns: ``(line, message)``, the line counted from 1 (``None`` for the
        file as a whole), or ``None`` when the text may be parsed.
    """
    if max_bytes is not None:
        size = len(text) if len(text) * 4 <= max_bytes else len(text.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            return None, (f"the file is {size:,} bytes, more than the {max_bytes:,} {what} may have; "
                          "split it, or shorten its longest texts")
    depth = dots = 0
    for token in _TOML_TOKENS.finditer(text):
        first = token.group()[0]
        if first == ".":
            dots += 1
            if dots >= MAX_KEY_PARTS:
                line = text.count("\n", 0, token.start()) + 1
                return line, f"a dotted key or table name has more than {MAX_KEY_PARTS} parts; keep keys short"
        elif first in "[{":
            depth += 1
            dots = 0
            if depth > MAX_TOML_NESTING:
                line = text.count("\n", 0, token.start()) + 1
                return line, f"arrays or tables nested more than {MAX_TOML_NESTING} deep; {what} needs a few"
        elif first in "]}":
            depth = max(depth - 1, 0)
            dots = 0
        elif first in "=,\n":
            dots = 0
    return None


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text; a syntax error, or a file too big to parse (see
    :func:`toml_shape_problem`), becomes a one-line :class:`WorkflowError`."""
    problem = toml_shape_problem(text)
    if problem is not None:
        raise WorkflowError(source, details=[Problem(source, problem[0], "", problem[1])])
    try:
        return tomllib.loads(text)
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise WorkflowError(source, details=[Problem(source, None, "",
                                                     "arrays or tables nested too deeply to be a workflow")]) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if match:
            reason = message[: match.start()].strip()
            problem = Problem(source, int(match.group(1)), "", f"TOML syntax error: {reason}",
                              column=int(match.group(2)))
            raise WorkflowError(source, details=[problem]) from None
        raise WorkflowError(source, details=[Problem(source, None, "", f"TOML syntax error: {message}")]) from None


def read_text(path: Path) -> str:
    """Read a UTF-8 text file; a missing, undecodable or too big file is a :class:`WorkflowError`."""
    try:
        size = path.stat().st_size
        if size > MAX_WORKFLOW_BYTES and path.is_file():  # not even read: it could be gigabytes
            raise WorkflowError(str(path), details=[Problem(
                str(path), None, "", f"the file is {size:,} bytes, more than the {MAX_WORKFLOW_BYTES:,} a workflow "
                "may have; split it, or shorten its longest texts")])
        data = path.read_bytes()
    except OSError as exc:
        raise WorkflowError(str(path), details=[Problem(str(path), None, "",
                                                        f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        return data.decode("utf-8-sig")  # a byte order mark, as some editors write, is not an error
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise WorkflowError(str(path), details=[Problem(
            str(path), line, "", f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8")]
        ) from None


def load_workflow(path: str | Path, registry: StepRegistry) -> Workflow:
    """Read and validate a workflow file.

    :raises WorkflowError: listing every problem, each with file, line and key path.
    """
    path = Path(path)
    return parse_workflow(read_text(path), registry, source=str(path))


def default_workflow_text() -> str:
    """The TOML of the built-in default workflow shipped inside the package."""
    try:  # importlib.resources would double the start-up time of 'coachflow run'
        return Path(__file__).with_name("default_workflow.toml").read_text(encoding="utf-8")
    except FileNotFoundError:  # installed somewhere that is not a folder, such as a zip file
        from importlib import resources

        return resources.files("coachflow").joinpath("default_workflow.toml").read_text(encoding="utf-8")


def load_default_workflow(registry: StepRegistry) -> Workflow:
    """The built-in default workflow, validated against the loaded plugins."""
    return parse_workflow(default_workflow_text(), registry, source=DEFAULT_WORKFLOW_SOURCE)


def parse_workflow(text: str, registry: StepRegistry, source: str = "<workflow>") -> Workflow:
    """Validate workflow TOML given as text (see :func:`load_workflow`)."""
    return workflow_from_dict(parse_toml(text, source), registry, source=source, text=text)


def parse_settings(text: str, source: str = "<workflow>") -> Settings:
    """Only the ``[settings]`` of workflow TOML, checked as :func:`parse_workflow` checks them.

    For commands that need a workflow's settings (a run of noes, the person's
    day) and nothing of its steps: no plugin is loaded, so they stay quick.

    :raises WorkflowError: for TOML that cannot be read or settings that are wrong,
        each problem with its file, line and key path.
    """
    settings, problems = _structure_options(parse_toml(text, source).get("settings", {}), Settings, "settings")
    if problems:
        raise WorkflowError(source, details=[Problem(source, _line_of(text, path), path, message)
                                             for path, message in problems])
    return settings


def workflow_from_dict(
    data: Mapping[str, Any], registry: StepRegistry, source: str = "<workflow>", text: str | None = None
) -> Workflow:
    """Validate a workflow given as a dict (the parsed TOML).

    :param text: the TOML text, when there is one, for line numbers in errors.
    :raises WorkflowError: listing every problem found.
    """
    problems: list[tuple[str, str]] = []

    def structure(value: Any, cls: type, path: str) -> Any:
        try:
            return structure_table(value, cls)
        except _structuring_errors() as exc:
            problems.extend(_flatten(exc, path))
        except (TypeError, ValueError) as exc:
            problems.append((path, str(exc)))
        return None

    for key in data:
        if key not in _FILE_TABLES:
            hint = did_you_mean(key, _FILE_TABLES)
            problems.append((key, f"unknown table{hint or '; a workflow has [workflow], [settings], [milestones] and [[steps]]'}"))
    if "workflow" not in data:
        problems.append(("workflow", "missing; start the file with a [workflow] table that has a name"))
    meta = structure(data.get("workflow", {}), _WorkflowTable, "workflow")
    settings, settings_problems = _structure_options(data.get("settings", {}), Settings, "settings")
    problems += settings_problems
    declared = _milestone_kinds(data.get("milestones", {}), registry, structure, problems)
    kinds = {**registry.milestone_kinds, **{kind: found.description for kind, found in declared.items()}}
    raw_steps = data.get("steps", [])
    tables: list[_StepTable | None] = []
    if not isinstance(raw_steps, list):
        problems.append(("steps", "expected a list of [[steps]] tables"))
        raw_steps = []
    for number, raw_step in enumerate(raw_steps, start=1):
        tables.append(structure(raw_step, _StepTable, f"steps[{number}]"))

    if not raw_steps:
        problems.append(("steps", "the workflow has no steps; add at least one [[steps]] table"))
    steps: list[WorkflowStep] = []
    ids: set[str] = set()
    next_suffix: dict[str, int] = {}
    scope = _KINDS_IN_SCOPE.set(frozenset(kinds))
    try:
        for number, table in enumerate(tables, start=1):
            if table is None:
                continue
            step, step_problems = _check_step(table, number, registry, ids, next_suffix, kinds)
            problems += step_problems
            if step is not None:
                steps.append(step)
                ids.add(step.id)
    finally:
        _KINDS_IN_SCOPE.reset(scope)
    if problems:
        raise WorkflowError(source, details=[Problem(source, _line_of(text, path), path, message)
                                             for path, message in problems])
    return Workflow(
        name=meta.name,
        description=meta.description,
        settings=settings,
        steps=tuple(steps),
        source=source,
        milestone_kinds=declared,
        win_kinds=_win_kinds(kinds, declared, registry),
    )


def _win_kinds(kinds: Mapping[str, str], declared: Mapping[str, MilestoneKind], registry: StepRegistry,
               ) -> frozenset[str]:
    """The kinds that count as wins with this workflow: those it declares with ``win = true``, the
    built-in wins, and the kinds plugins registered as wins."""
    from coachflow.applications import is_win

    registry_is_win = getattr(registry, "is_win", is_win)
    return frozenset(kind for kind in kinds
                     if (declared[kind].win if kind in declared else registry_is_win(kind)))


def _milestone_kinds(table: Any, registry: StepRegistry, structure: Any, problems: list[tuple[str, str]],
                     ) -> dict[str, MilestoneKind]:
    """The ``[milestones]`` table: kind -> :class:`MilestoneKind`, each checked."""
    if not isinstance(table, dict):
        problems.append(("milestones", f"expected a table of milestone kinds, got {_describe(table)}"))
        return {}
    declared: dict[str, MilestoneKind] = {}
    for kind, value in table.items():
        at = f"milestones.{_key_text(kind)}"
        if not is_valid_kind_name(kind):
            problems.append((at, f"'{kind}' is not a valid kind; use lower-case words joined by hyphens, "
                             "such as 'networking-introduction'"))
            continue
        if kind in registry.milestone_kinds:
            where = "a built-in kind" if kind in BUILTIN_MILESTONE_KINDS else "a kind a plugin offers"
            problems.append((at, f"'{kind}' is already {where}; give yours another name"))
            continue
        found = structure(value, MilestoneKind, at)
        if found is not None:
            if not found.description.strip():
                problems.append((f"{at}.description", "is empty; say in a few words what the milestone means"))
                continue
            declared[kind] = found
    return declared


def _check_step(
    table: _StepTable, number: int, registry: StepRegistry, taken_ids: set[str], next_suffix: dict[str, int],
    kinds: Mapping[str, str] | None = None,
) -> tuple[WorkflowStep | None, list[tuple[str, str]]]:
    at = f"steps[{number}]"
    problems: list[tuple[str, str]] = []
    if table.uses in registry.conflicts:
        plugins = " and ".join(registry.conflicts[table.uses])
        return None, [(f"{at}.uses", f"step '{table.uses}' is offered by both {plugins}; disable one of them "
                       "with --disable-plugin NAME")]
    step_type = registry.steps.get(table.uses)
    if step_type is None:
        hint = did_you_mean(table.uses, registry.known_names())
        return None, [(f"{at}.uses", f"unknown step type '{table.uses}'{hint}; 'coachflow steps' lists them"
                       f"{registry.switched_off_note()}")]

    step_id = table.id if table.id is not None else table.uses
    if table.id is not None and not is_valid_kind_name(table.id):
        problems.append((f"{at}.id", f"'{table.id}' is not a valid id; use lower-case words joined by hyphens"))
    elif step_id in taken_ids:
        if table.id is not None:
            problems.append((f"{at}.id", f"another step already has the id '{step_id}'"))
        else:
            suffix = next_suffix.get(step_id, 2)
            while f"{step_id}-{suffix}" in taken_ids:
                suffix += 1
            next_suffix[step_id] = suffix + 1  # a thousand steps of one type stay linear
            step_id = f"{step_id}-{suffix}"

    on = tuple(table.on) if table.on is not None else step_type.events
    if table.on is None and table.when:
        # Without an explicit 'on', matching on a field means "events that have it":
        # when = { stage = "final" } narrows a step to rejections.
        narrowed = tuple(e for e in on if all(field in event_fields(e) for field in table.when))
        on = narrowed or on
    for position, event_type in enumerate(on, start=1):
        if event_type not in EVENT_TYPES:
            problems.append((f"{at}.on[{position}]", f"'{event_type}' is not an event type; use one of "
                             f"{', '.join(EVENT_TYPES)}{did_you_mean(event_type, EVENT_TYPES)}"))
        elif event_type not in step_type.events:
            problems.append((f"{at}.on[{position}]", f"step '{step_type.name}' does not handle {event_type} "
                             f"events; it handles {', '.join(step_type.events)}"))
    if table.on is not None and not on:
        problems.append((f"{at}.on", "an empty list means the step never runs; remove the step or list events"))

    when: dict[str, tuple[str, ...]] = {}
    contains: dict[str, tuple[str, ...]] = {}
    valid_on = [e for e in on if e in EVENT_TYPES]
    for field, wanted in table.when.items():
        words = None
        if isinstance(wanted, dict):
            words = _contains_words(wanted, f"{at}.when.{field}", problems)
            if words is None:
                continue
            values = list(words)
        else:
            values = [wanted] if isinstance(wanted, str) else wanted
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            problems.append((f"{at}.when.{field}", f"expected text, a list of text or {{ contains = [...] }}, "
                             f"got {_describe(wanted)}"))
            continue
        lacking = [e for e in valid_on if field not in event_fields(e)]
        if lacking or field == "date":
            usable = set.intersection(*(set(event_fields(e)) for e in valid_on)) - {"date"} if valid_on else set()
            anywhere = set(EVENT_FIELDS) - {"date"}
            if field == "date":
                problem = "steps cannot be matched on the date"
            elif field in anywhere:
                problem = f"{' and '.join(lacking)} events have no '{field}'; narrow 'on' to events that have it"
            else:
                problem = f"events have no field '{field}'{did_you_mean(field, sorted(anywhere))}"
            problems.append((f"{at}.when.{field}", f"{problem}; this step can match on {', '.join(sorted(usable))}"))
            continue
        if words is not None:
            contains[field] = words
            continue
        choices: Any = None
        if field == "stage":
            choices = STAGES
        elif field == "kind":
            choices = kinds or registry.milestone_kinds or BUILTIN_MILESTONE_KINDS
        for value in values:
            if choices is not None and value.lower() not in choices:
                problems.append((f"{at}.when.{field}", f"'{value}' is not a {field}; use one of "
                                 f"{', '.join(choices)}{did_you_mean(value.lower(), list(choices))}"))
        when[field] = tuple(v.casefold() for v in values)

    options, option_problems = _structure_options(table.with_, step_type.options_class, f"{at}.with")
    problems += option_problems
    problems += _template_problems(table.with_, step_type, f"{at}.with", {path for path, _ in problems})
    if problems:
        return None, problems
    return WorkflowStep(id=step_id, step_type=step_type, options=options, on=on, when=when, contains=contains), []


def _problems_of(value: Any, cls: type, at: str) -> tuple[Any, list[tuple[str, str]]]:
    """``value`` structured into ``cls``, or ``None`` and the problems, each with its key path."""
    try:
        return structure_table(value, cls), []
    except _structuring_errors() as exc:
        return None, _flatten(exc, at)
    except (TypeError, ValueError) as exc:
        return None, [(at, str(exc))]


def _structure_options(given: Any, cls: type, at: str) -> tuple[Any, list[tuple[str, str]]]:
    """A step's ``with`` table as its options, or every problem it has.

    Structuring stops at the first validator that objects and skips the
    validators once a value has the wrong type, so one mistake would hide
    the next. When the table fails, each option is checked again on its own
    (beside the options that are fine, for validators that read them), and
    every problem found is reported.
    """
    options, problems = _problems_of(given, cls, at)
    if options is not None or not isinstance(given, dict) or len(given) < 2:
        return options, problems

    def own(key: str, found: list[tuple[str, str]]) -> list[tuple[str, str]]:
        path = f"{at}.{key}"
        return [(where, message) for where, message in found if where == path or where.startswith((path + ".", path + "["))]

    fine = {key for key in given if not own(key, _problems_of({key: given[key]}, cls, at)[1])}
    context = {key: given[key] for key in fine}
    found: list[tuple[str, str]] = []
    for key in given:
        if key not in fine:
            found += own(key, _problems_of({**context, key: given[key]}, cls, at)[1])
    # what no single option shows: a required option left out, a rule across the options that are fine
    across = _problems_of(context, cls, at)[1] if context else []
    found += [problem for problem in [*problems, *across] if problem not in found and
              not any(own(key, [problem]) for key in given if key not in fine)]
    return None, found or problems


def step_with_options(step: WorkflowStep, given: Any, at: str) -> tuple[WorkflowStep | None, list[tuple[str, str]]]:
    """``step`` with more option values set on top of its own (a client's ``[steps.ID]`` table).

    The values are checked exactly as a ``with`` table is: structured with
    cattrs into the step's options class (so ``"Sam"`` is not a list and
    ``"a day"`` not a number of hours), their templates checked, and then
    every option validator run on the options the step ends up with.

    :param at: the key path of the table, for the problems (``steps.allow-disappointment``).
    :returns: the step, or ``None`` and every problem as ``(key path, message)``.
    """
    cls = step.step_type.options_class
    if not isinstance(given, dict):
        return None, [(at, f"expected a table of option values, got {_describe(given)}")]
    if not given:
        return step, []
    # Options without a default take the step's own value, so that only what is given is judged.
    required = {field.name: getattr(step.options, field.name) for field in attrs.fields(cls)
                if field.default is attrs.NOTHING and field.name not in given}
    structured, problems = _structure_options({**required, **given}, cls, at)
    problems += _template_problems(given, step.step_type, at, {path for path, _ in problems})
    if problems:
        return None, problems
    try:
        options = attrs.evolve(step.options, **{key: getattr(structured, key) for key in given})
    except (TypeError, ValueError) as exc:  # a rule across options: this value against the step's others
        return None, _attribute_validator_error(exc, at, {field.name for field in attrs.fields(cls)}) or [(at, str(exc))]
    return attrs.evolve(step, options=options), []


def step_options_path(step_id: str) -> str:
    """The key path of a client's option table for a step: ``steps.allow-disappointment``."""
    return f"steps.{_key_text(step_id)}"


def line_of(text: str | None, path: str) -> int | None:
    """The line of a key path (``steps.allow-disappointment.window_hours``) in a TOML text, when it can be found."""
    return _line_of(text, path)


def _contains_words(wanted: dict[str, Any], at: str, problems: list[tuple[str, str]]) -> tuple[str, ...] | None:
    """The words of a ``{ contains = [...] }`` condition, or ``None`` (with the problem noted)."""
    unknown = [key for key in wanted if key != "contains"]
    if unknown:
        problems.append((f"{at}.{_key_text(unknown[0])}", "unknown key" + (did_you_mean(unknown[0], ["contains"])
                         or "; a condition table has only 'contains'")))
        return None
    if "contains" not in wanted:
        problems.append((at, "a condition table needs 'contains', such as { contains = [\"freeze\", \"budget\"] }"))
        return None
    words = wanted["contains"]
    words = [words] if isinstance(words, str) else words
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip("* ") for w in words):
        problems.append((f"{at}.contains", f"expected a word or a list of words, got {_describe(wanted['contains'])}"))
        return None
    return tuple(words)


def _template_problems(
    given: Mapping[str, Any], step_type: StepType, at: str, reported: set[str]
) -> list[tuple[str, str]]:
    """Unknown or unsafe placeholders in the template options a workflow sets.

    Checked on the values as written, so a template mistake is reported even
    when another option of the same step failed to structure.
    """
    if not given:  # nothing set, nothing to check; spares resolving the type hints
        return []
    hints = typing.get_type_hints(step_type.options_class)
    problems = []
    for field in attrs.fields(step_type.options_class):
        if field.name not in given or f"{at}.{field.name}" in reported:
            continue
        declared = hints.get(field.name)
        origin, arguments = typing.get_origin(declared), typing.get_args(declared)
        is_list = origin in (list, tuple)
        is_table = origin is dict and len(arguments) == 2
        inner = arguments[-1] if (is_list or is_table) and arguments else declared
        if inner is not templates.Template:
            continue
        value = given[field.name]
        if is_table:
            texts = [(f".{_key_text(key)}", text) for key, text in value.items()] if isinstance(value, dict) else []
        elif is_list:
            texts = [(f"[{position}]", text) for position, text in enumerate(value, start=1)] \
                if isinstance(value, list) else [("", value)]
        else:
            texts = [("", value)]
        for where, text in texts:
            if not isinstance(text, str):
                continue
            problems += [(f"{at}.{field.name}{where}", problem)
                         for problem in templates.problems(text, step_type.placeholders_for(field))]
    return problems


def find_workflow_file(option: str | None, cwd: Path | None = None) -> Path | None:
    """The workflow file to use: ``-w/--workflow``, else ``COACHFLOW_WORKFLOW``,
    else ``./coachflow.toml``; ``None`` means the built-in default workflow."""
    import os

    if option is not None and not option.strip():
        raise WorkflowError("", ["-w/--workflow: the file name is empty"])
    if option:
        return Path(option)
    env = os.environ.get("COACHFLOW_WORKFLOW")
    if env:
        return Path(env)
    local = (cwd or Path.cwd()) / WORKFLOW_FILE_NAME
    return local if local.is_file() else None
