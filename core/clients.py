"""Clients: a coach's practice, one settings file and one journal per client.

A client is a profile (``--client NAME``, the same as ``--profile NAME``)
with a settings file of its own, kept apart from the shared workflow:
``<data dir>/clients/NAME.toml``. It holds the client's name, the coach's
name, support contacts, a pipeline target, quiet hours, a budget of open
tasks, free variables for templates, and option values for particular
steps. Running a workflow for a client (:func:`for_client`) fills the
workflow from these settings, so one workflow serves every client.

What a client's settings do to a workflow:

- ``{client_name}`` and ``{coach_name}`` in any template option are the
  client's and coach's names; ``{client_VAR}`` is the free variable ``VAR``
  of the ``[variables]`` table. A workflow that uses one the client lacks is
  refused when it loads, naming the client and the value.
- ``support_contacts`` and ``pipeline_target`` fill the options of those
  names (``support_contacts``; ``target``) of every step that has them.
- ``quiet_hours`` become the person's day in the workflow's settings
  (``day_starts``, ``day_ends``; see :func:`waking_day`): no reminder falls
  inside them.
- ``[steps.ID]`` tables set options of the step with that id.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import attrs

from coachflow.errors import CoachflowError, did_you_mean
from coachflow.templates import CLIENT_PLACEHOLDERS, CLIENT_VARIABLE_PREFIX
from coachflow.validators import name_list

if TYPE_CHECKING:
    import zoneinfo
    from coachflow.workflow import Workflow


#: Client setting -> the step option it fills, in every step that has that option.
OPTION_FOR_SETTING: dict[str, str] = {"support_contacts": "support_contacts", "pipeline_target": "target"}

#: What a client's quiet hours look like: ``21:00-08:00``.
_QUIET_HOURS = re.compile(r"([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)")
_VARIABLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


class ClientError(CoachflowError):
    """A client that does not exist, or a settings file or value that is not right.

    :attr:`problems` holds the ``(key path, message)`` of each wrong value of
    the client's ``[steps.ID]`` tables, for a caller that places them in its
    own file (a test file's ``client`` table); empty for other errors.
    """

    def __init__(self, message: str, problems: tuple[tuple[str, str], ...] = ()):
        super().__init__(message)
        self.problems = problems


def _positive(_: Any, attribute: attrs.Attribute, value: int | None) -> None:
    if value is not None and not (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100):
        raise ValueError(f"{attribute.name}: expected a whole number from 1 to 100, got {value!r}")


def _quiet_hours(_: Any, __: attrs.Attribute, value: str | None) -> None:
    if value is not None and not (isinstance(value, str) and _QUIET_HOURS.fullmatch(value)):
        raise ValueError(f"quiet_hours: expected a window such as \"21:00-08:00\", got {value!r}")
    if value is not None:
        waking_day(value)


def waking_day(quiet_hours: str) -> tuple[str, str]:
    """The person's day that quiet hours leave, as ``(day_starts, day_ends)`` for a workflow's settings.

    Quiet hours over midnight (``21:00-08:00``) leave the day from their end
    to a minute before their start (``08:00`` to ``20:59``), so that no
    reminder lands on the minute they begin. Quiet hours that begin after
    midnight and end by noon (``00:30-07:00``) leave the day from their end
    to ``23:59``: the minutes after midnight stay quiet too, as the workflow's
    day can only be one stretch of hours.

    :raises ValueError: for quiet hours that leave no day, or that lie inside
        the day (``13:00-14:00``), which would split it in two.
    """
    quiet_from, quiet_until = quiet_hours.split("-")
    if quiet_from == quiet_until:
        raise ValueError(f"quiet_hours: {quiet_hours!r} starts and ends at the same time; give the night, "
                         "such as \"21:00-08:00\"")
    if quiet_from > quiet_until:
        hours, minutes = divmod(int(quiet_from[:2]) * 60 + int(quiet_from[3:]) - 1, 60)
        day = (quiet_until, f"{hours:02d}:{minutes:02d}")
    elif quiet_until <= "12:00":
        day = (quiet_until, "23:59")
    else:
        raise ValueError(f"quiet_hours: {quiet_hours!r} lies inside the day, which would split it in two; "
                         "give the night, such as \"21:00-08:00\" (reminders fall between its end and its start)")
    if day[0] >= day[1]:
        raise ValueError(f"quiet_hours: {quiet_hours!r} leaves no time in the day for reminders")
    return day


def _text(_: Any, attribute: attrs.Attribute, value: str) -> None:
    if not isinstance(value, str) or "\n" in value or len(value) > 200:
        raise ValueError(f"{attribute.name}: expected one line of text")


def _timezone(_: Any, __: attrs.Attribute, value: str | None) -> None:
    if value is None:
        return
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"timezone: {value!r} is not a time zone such as \"Europe/Berlin\"") from None


def _variables(_: Any, __: attrs.Attribute, value: dict[str, str]) -> None:
    if not isinstance(value, dict):
        raise ValueError("variables: expected a table of names and texts")
    for name, text in value.items():
        if not _VARIABLE_NAME.fullmatch(name):
            raise ValueError(f"variables.{name}: a name is lower-case letters, digits and '_', starting with a letter")
        if not isinstance(text, str):
            raise ValueError(f"variables.{name}: expected text, got {text!r}")


def _steps(_: Any, __: attrs.Attribute, value: dict[str, dict[str, Any]]) -> None:
    if not isinstance(value, dict) or not all(isinstance(table, dict) for table in value.values()):
        raise ValueError("steps: expected tables of option values, one per step id, such as [steps.allow-disappointment]")


@attrs.frozen(kw_only=True)
class Client:
    """One client of a practice, as their settings file says."""

    #: The profile name: the file names and ``--client`` use it (``alex-smith``).
    id: str
    #: How texts name the client (``Alex Smith``); default: the profile name.
    name: str = attrs.field(default="", validator=_text)
    #: How texts name the coach.
    coach: str = attrs.field(default="", validator=_text)
    # the same check as a workflow's support_contacts: a blank name is refused where it is written
    support_contacts: list[str] = attrs.field(factory=list, validator=name_list)
    #: How many applications the client aims to keep open.
    pipeline_target: int | None = attrs.field(default=None, validator=_positive)
    timezone: str | None = attrs.field(default=None, validator=_timezone)
    #: When no reminder should fall, local time: ``21:00-08:00``.
    quiet_hours: str | None = attrs.field(default=None, validator=_quiet_hours)
    #: At most this many open tasks are shown at once; the rest wait.
    open_task_budget: int = attrs.field(default=5, validator=_positive)
    #: Free values for templates: ``{client_VAR}``.
    variables: dict[str, str] = attrs.field(factory=dict, validator=_variables)
    #: Option values for particular steps, by step id.
    steps: dict[str, dict[str, Any]] = attrs.field(factory=dict, validator=_steps)
    #: Where the settings were read from and their text (not a setting): a value that
    #: only a workflow can judge (a ``[steps.ID]`` option) is reported at its line.
    origin: tuple[str, str] | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def display_name(self) -> str:
        """The client's name as texts give it."""
        return self.name or self.id

    def template_values(self) -> dict[str, str]:
        """The placeholders this client fills: ``client_name``, ``coach_name`` and ``client_VAR``."""
        values = {"client_name": self.display_name}
        if self.coach:
            values["coach_name"] = self.coach
        values.update({CLIENT_VARIABLE_PREFIX + name: text for name, text in self.variables.items()})
        return values


#: The keys a client file may hold (``id`` is its file name).
SETTING_KEYS: tuple[str, ...] = tuple(field.name for field in attrs.fields(Client) if field.name not in ("id", "origin"))

#: Settings ``client set`` can change, with what a value looks like.
SETTABLE: dict[str, str] = {
    "name": "text", "coach": "text", "support_contacts": "names separated by commas", "pipeline_target": "a number",
    "timezone": "a time zone", "quiet_hours": "a window such as 21:00-08:00", "open_task_budget": "a number",
}


def clients_dir(data: Path | None = None) -> Path:
    """The folder of client settings files: ``<data dir>/clients``.

    :param data: the data directory, when the caller has it already.
    """
    from coachflow.journal.paths import data_dir

    return (data or data_dir()) / "clients"


def check_client_name(client_id: str) -> str:
    """Return ``client_id`` if it can name a client (as a profile name), else raise :class:`ClientError`."""
    from coachflow.journal.paths import check_profile_name

    try:
        return check_profile_name(client_id)
    except CoachflowError as exc:
        raise ClientError(str(exc).replace("profile", "client", 1)) from None


def is_client_name(name: str) -> bool:
    """Whether ``name`` can name a client (and their files)."""
    from coachflow.journal.paths import PROFILE_NAME

    return bool(PROFILE_NAME.fullmatch(name))


def client_file(client_id: str, *, data: Path | None = None) -> Path:
    """Where a client's settings live in a practice on this machine (the name is checked first)."""
    return clients_dir(data) / f"{check_client_name(client_id)}.toml"


def client_ids(data: Path | None = None) -> list[str]:
    """Every client of the practice, by name."""
    folder = clients_dir(data)
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.toml") if path.is_file())


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", line) or line.strip() == f"[{key}]":
            return number
    return None


def parse_client(client_id: str, text: str, source: str) -> Client:
    """A :class:`Client` from the TOML of its settings file.

    :raises ClientError: one line with the file, the line and the key.
    """
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ClientError(f"{source}: not valid TOML: {exc}") from None
    for key in data:
        if key not in SETTING_KEYS:
            line = _line_of(text, key)
            raise ClientError(f"{source}:{line or 1}: {key}: not a client setting{did_you_mean(key, SETTING_KEYS)}")
    try:
        return Client(id=client_id, **data, origin=(source, text))
    except (ValueError, TypeError) as exc:
        message = str(exc)
        key = message.split(":", 1)[0].split(".", 1)[0]
        line = _line_of(text, key) if key in SETTING_KEYS else None
        raise ClientError(f"{source}:{line or 1}: {message}") from None


def load_client(client_id: str) -> Client:
    """The client named ``client_id``.

    :raises ClientError: when there is no such client (with the names there
        are) or its file is not right.
    """
    path = client_file(client_id)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        known = client_ids()
        hint = did_you_mean(client_id, known) or (f"; the clients are {', '.join(known)}" if known else
                                                  "; add one with: coachflow client add NAME")
        raise ClientError(f"there is no client {client_id!r}{hint}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ClientError(f"{path}: cannot read the client's settings ({exc})") from None
    return parse_client(client_id, text, str(path))


def client_to_toml(client: Client) -> str:
    """The settings file text for ``client`` (only what differs from the defaults)."""
    import tomli_w

    defaults = Client(id=client.id)
    data = {key: getattr(client, key) for key in SETTING_KEYS if getattr(client, key) != getattr(defaults, key)}
    return tomli_w.dumps(data)


def save_client(client: Client) -> Path:
    """Write ``client``'s settings file whole (readable by its owner only); return its path."""
    from coachflow.files import write_whole

    path = client_file(client.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with write_whole(path) as stream:
        stream.write(client_to_toml(client))
    return path


def set_setting(client: Client, key: str, value: str) -> Client:
    """``client`` with one setting changed from text, as ``coachflow client set`` gives it.

    ``variables.NAME`` sets a free variable; an empty value clears a setting.

    :raises ClientError: for an unknown key or a value that does not fit it.
    """
    if key.startswith("variables."):
        name = key.split(".", 1)[1]
        variables = dict(client.variables)
        if value:
            variables[name] = value
        else:
            variables.pop(name, None)
        return _evolve(client, variables=variables)
    if key not in SETTABLE:
        raise ClientError(f"{key}: not a client setting{did_you_mean(key, [*SETTABLE, 'variables.NAME'])}; "
                          f"the settings are {', '.join(SETTABLE)} and variables.NAME")
    default = attrs.fields_dict(Client)[key].default
    parsed: Any
    if not value:
        parsed = default.factory() if isinstance(default, attrs.Factory) else default  # type: ignore[attr-defined]
    elif key == "support_contacts":
        parsed = [name.strip() for name in value.split(",") if name.strip()]
    elif key in ("pipeline_target", "open_task_budget"):
        if not value.strip().isdigit():
            raise ClientError(f"{key}: expected {SETTABLE[key]}, got {value!r}")
        parsed = int(value)
    else:
        parsed = value
    return _evolve(client, **{key: parsed})


def _evolve(client: Client, **changes: Any) -> Client:
    try:
        return attrs.evolve(client, **changes)
    except (ValueError, TypeError) as exc:
        raise ClientError(str(exc)) from None


def remove_client(client_id: str) -> list[Path]:
    """Delete a client's settings file and journal; return what was removed."""
    from coachflow.journal.paths import default_journal_path

    removed = []
    for path in (client_file(client_id), default_journal_path(client_id)):
        for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if each.exists():
                each.unlink()
                removed.append(each)
    return removed


def each_client() -> Iterator[Client]:
    """Every client of the practice, by name."""
    for client_id in client_ids():
        yield load_client(client_id)


# --- a workflow for one client ------------------------------------------------


def for_client(workflow: "Workflow", client: Client | None) -> "Workflow":
    """``workflow`` as it runs for ``client``: their option values filled in, their placeholders checked.

    Without a client, a workflow whose templates use client values is refused.

    :raises ClientError: naming the client (or saying one is needed) and the
        value that is missing, or an option value of the client's that does
        not fit the step.
    """
    used = workflow.client_placeholders()
    if client is None:
        if used:
            name, steps = next(iter(used.items()))
            raise ClientError(f"{workflow.source}: step {steps[0]} uses {{{name}}}, a client's value; "
                              "run it for a client with --client NAME")
        return workflow
    values = client.template_values()
    for name, steps in used.items():
        if name not in values:
            setting = ("coach" if name == "coach_name" else f"variables.{name[len(CLIENT_VARIABLE_PREFIX):]}")
            raise ClientError(f"client {client.id!r} has no value for {{{name}}}, which step {steps[0]} of "
                              f"{workflow.source} uses; set it with: coachflow client set {client.id} {setting} ...")
    steps = client_steps(workflow, client)
    return attrs.evolve(workflow, steps=steps, settings=_settings_for_client(workflow.settings, client))


def check_client_steps(workflow: "Workflow", client: Client) -> None:
    """Check the client's ``[steps.ID]`` tables against ``workflow``, as ``client edit`` does before saving.

    :raises ClientError: see :func:`client_steps`.
    """
    client_steps(workflow, client)


def client_steps(workflow: "Workflow", client: Client) -> tuple[Any, ...]:
    """The workflow's steps with the client's option values on top (their settings, then ``[steps.ID]``).

    The ``[steps.ID]`` values are checked as a workflow's ``with`` tables are
    (:func:`coachflow.workflow.step_with_options`).

    :raises ClientError: one line per wrong value, each with the client's
        file and line when the settings came from a file (``kim.toml:3:
        steps.allow-disappointment.window_hours: expected an integer, got 'a day'``).
    """
    from coachflow.workflow import step_options_path

    known_steps = {step.id for step in workflow.steps}
    problems: list[tuple[str, str]] = []
    for step_id in client.steps:
        if step_id not in known_steps:
            problems.append((step_options_path(step_id), "the workflow has no step with that id"
                             f"{did_you_mean(step_id, sorted(known_steps))}"))
    steps = []
    for step in workflow.steps:
        changed, found = _step_for_client(step, client)
        problems += found
        steps.append(changed)
    if problems:
        raise ClientError("\n".join(_problem_line(client, path, message) for path, message in problems),
                          tuple(problems))
    return tuple(steps)


def _problem_line(client: Client, path: str, message: str) -> str:
    """One wrong value of a client's, at its file and line when there is a file."""
    from coachflow.errors import Problem, one_line
    from coachflow.workflow import line_of

    if client.origin is None:
        return one_line(f"client {client.id!r}: {path}: {message}")
    source, text = client.origin
    return one_line(Problem(source, line_of(text, path) or 1, path, message).text)


def _settings_for_client(settings: Any, client: Client) -> Any:
    """The workflow's settings with the day the client's quiet hours leave (:func:`waking_day`):
    reminders fall inside it (see ``StepContext.at_waking_hours``)."""
    if not client.quiet_hours:
        return settings
    day_starts, day_ends = waking_day(client.quiet_hours)
    return attrs.evolve(settings, day_starts=day_starts, day_ends=day_ends)


def _step_for_client(step: Any, client: Client) -> tuple[Any, list[tuple[str, str]]]:
    """The step with the client's values, and the problems of their ``[steps.ID]`` table."""
    from coachflow.workflow import step_options_path, step_with_options

    if step.id in client.steps:
        changed, problems = step_with_options(step, client.steps[step.id], step_options_path(step.id))
        if changed is None:
            return step, problems
        step = changed
    own = set(client.steps.get(step.id, {}))  # the client's own value for an option wins over their settings
    names = {field.name for field in attrs.fields(type(step.options))}
    changes: dict[str, Any] = {}
    for setting, option in OPTION_FOR_SETTING.items():
        value = getattr(client, setting)
        if option in names and option not in own and value not in (None, []):
            changes[option] = value
    changes.update(_filled_templates(step.options, {**changes}, client.template_values()))
    if not changes:
        return step, []
    try:
        options = attrs.evolve(step.options, **changes)
    except (ValueError, TypeError) as exc:
        from coachflow.validators import in_words

        # attrs names the option first ("'window_hours' must be >= 1: 0"): it goes into the key path
        named = re.fullmatch(r"'(\w+)' (.*)", str(exc), re.DOTALL)
        if named:
            return step, [(f"{step_options_path(step.id)}.{named.group(1)}", in_words(named.group(2)))]
        return step, [(step_options_path(step.id), str(exc))]
    return attrs.evolve(step, options=options), []


def _filled_templates(options: Any, changes: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """The template options of a step with the client's placeholders filled in (only those that change)."""
    from coachflow import templates
    from coachflow.workflow import template_fields

    filled: dict[str, Any] = {}
    for name in template_fields(type(options)):
        value = changes.get(name, getattr(options, name))
        if isinstance(value, str):
            new: Any = templates.fill(value, values)
        elif isinstance(value, (list, tuple)):
            new = type(value)(templates.fill(item, values) if isinstance(item, str) else item for item in value)
        else:
            continue
        if new != value:
            filled[name] = new
    return filled


def client_timezone(client_id: str) -> "zoneinfo.ZoneInfo | None":
    """The time zone a client's settings give (``timezone``), or ``None``: the machine's.

    A profile without a client file (one person's journal) has none. A client
    file that cannot be read is reported by the command that uses the client,
    so it is not an error here.
    """
    import zoneinfo

    try:
        if not client_file(client_id).is_file():
            return None
        zone = load_client(client_id).timezone
    except ClientError:  # a bad name or file: the command says so, naming the profile or client
        return None
    return zoneinfo.ZoneInfo(zone) if zone else None


def current_client_id(option: str | None = None) -> str | None:
    """The client a command is for: ``--client``/``--profile``, else ``COACHFLOW_CLIENT``/``COACHFLOW_PROFILE``."""
    return option or os.environ.get("COACHFLOW_CLIENT") or os.environ.get("COACHFLOW_PROFILE") or None


__all__ = [
    "CLIENT_PLACEHOLDERS", "Client", "ClientError", "check_client_name", "client_file", "client_ids", "client_timezone",
    "each_client", "for_client",
    "load_client", "parse_client", "remove_client", "save_client", "set_setting",
]
