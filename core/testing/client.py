"""A client's own settings in a test case: ``client = { name = ..., support_contacts = [...] }``.

Coaches give each client their own names, contacts and targets without
copying the workflow, and test how those values read. This coachflow has no
client settings of its own yet, so a case's ``client`` table is checked in
full and applied where the workflow's steps can already take the value:
``support_contacts`` and ``target`` replace the options of those names of
every step that has one (``allow-disappointment`` and ``maintain-momentum``
among the built-in steps). The other keys are checked and kept, and the
test run says that no step reads them yet.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

import attrs

from coachflow.errors import did_you_mean

if TYPE_CHECKING:
    from coachflow.testing.lines import Path as KeyPath
    from coachflow.workflow import Workflow

#: The keys a client table may have, and what each holds.
CLIENT_KEYS: dict[str, str] = {
    "name": "the client's name",
    "coach_name": "the coach's name, as the client knows them",
    "support_contacts": "people the client can talk to, by name",
    "target": "how many open applications the client aims for",
    "time_zone": "the client's time zone, such as Europe/Berlin",
    "quiet_hours": "when no reminder should reach the client, such as \"21:00-08:00\"",
    "variables": "the coach's own values for this client's texts, as a table of text",
}

#: Client settings that become step options of the same name, where a step has one.
APPLIED_AS_OPTIONS: tuple[str, ...] = ("support_contacts", "target")

_QUIET_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-3]):([0-5]\d)$")


@attrs.frozen
class ClientSettings:
    """A client's settings as a case gives them; ``None`` for a key not given."""

    name: str | None = None
    coach_name: str | None = None
    support_contacts: tuple[str, ...] | None = None
    target: int | None = None
    time_zone: str | None = None
    quiet_hours: str | None = None
    variables: tuple[tuple[str, str], ...] | None = None

    def given(self) -> dict[str, Any]:
        """The keys that were given, with their values."""
        return {key: value for key, value in attrs.asdict(self, recurse=False).items() if value is not None}

    def merged(self, other: "ClientSettings") -> "ClientSettings":
        """These settings with ``other``'s given keys on top (a case's over the file's)."""
        return attrs.evolve(self, **other.given())

    def unused_note(self) -> list[str]:
        """A note naming the given keys no step can read yet, or nothing."""
        unused = [key for key in self.given() if key not in APPLIED_AS_OPTIONS]
        if not unused:
            return []
        return [f"client {', '.join(unused)}: checked, but not used: this coachflow has no client settings "
                "yet, so no step reads them (support_contacts and target are applied to the steps' options "
                "of those names)"]


def client_from_table(value: Any, at: "KeyPath", report: Callable[["KeyPath", str], None]) -> ClientSettings | None:
    """Check a ``client`` table; problems go to ``report(path, message)``, and then ``None`` is returned."""
    if not isinstance(value, dict):
        report(at, "expected a table of the client's settings: client = { name = \"Jo\", support_contacts = [\"Sam\"] }")
        return None
    refused = []

    def problem(key: str, message: str) -> None:
        refused.append(key)
        report(at + (key,), message)

    values: dict[str, Any] = {}
    for key, item in value.items():
        if key not in CLIENT_KEYS:
            hint = did_you_mean(key, CLIENT_KEYS)
            problem(key, f"unknown key{hint}" if hint else f"unknown key; a client has {', '.join(CLIENT_KEYS)}")
        elif key in ("name", "coach_name", "time_zone", "quiet_hours"):
            if not isinstance(item, str) or not item.strip():
                problem(key, f"expected {CLIENT_KEYS[key]} as text, got {_describe(item)}")
            else:
                values[key] = item.strip()
        elif key == "support_contacts":
            if not isinstance(item, list) or not all(isinstance(name, str) and name.strip() for name in item):
                problem(key, f"expected a list of names, such as [\"Sam\", \"Priya\"], got {_describe(item)}")
            else:
                values[key] = tuple(name.strip() for name in item)
        elif key == "target":
            if isinstance(item, bool) or not isinstance(item, int):
                problem(key, f"expected a number of applications, got {_describe(item)}")
            else:
                values[key] = item
        elif key == "variables":
            if not isinstance(item, dict) or not all(isinstance(v, str) for v in item.values()):
                problem(key, "expected a table of text values, such as { team = \"data\" }")
            else:
                values[key] = tuple(sorted(item.items()))
    if "quiet_hours" in values and not _QUIET_HOURS.match(values["quiet_hours"]):
        problem("quiet_hours", f"'{values.pop('quiet_hours')}' is not a span of hours; write it as \"21:00-08:00\"")
    if "time_zone" in values:
        zone_problem = _time_zone_problem(values["time_zone"])
        if zone_problem:
            values.pop("time_zone")
            problem("time_zone", zone_problem)
    if refused:
        return None
    return ClientSettings(**values)


def _time_zone_problem(name: str) -> str | None:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        if not zoneinfo.available_timezones():
            return None  # no time zone database on this system: nothing to check against
        hint = did_you_mean(name, sorted(zoneinfo.available_timezones()))
        return f"'{name}' is not a time zone{hint}; use a name such as Europe/Berlin or America/New_York"
    return None


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def apply_client(workflow: "Workflow", client: ClientSettings, at: "KeyPath",
                 report: Callable[["KeyPath", str], None]) -> "Workflow":
    """``workflow`` with the client's settings in the step options they fill.

    A step's own validation applies: a target its step refuses is reported
    at the client key, in the step's words.
    """
    given = {key: value for key, value in client.given().items() if key in APPLIED_AS_OPTIONS}
    if not given:
        return workflow
    steps = []
    for step in workflow.steps:
        names = {field.name for field in attrs.fields(type(step.options))} if attrs.has(type(step.options)) else set()
        changes = {key: list(value) if isinstance(value, tuple) else value
                   for key, value in given.items() if key in names}
        if not changes:
            steps.append(step)
            continue
        options = step.options
        for key, value in changes.items():  # one at a time, so that a refusal names its key
            try:
                options = attrs.evolve(options, **{key: value})
            except (TypeError, ValueError) as exc:
                report(at + (key,), f"step {step.id} cannot take it: {exc}")
        steps.append(attrs.evolve(step, options=options))
    return attrs.evolve(workflow, steps=tuple(steps))
