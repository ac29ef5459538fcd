"""A client's own settings in a test case: ``client = { name = "Jo", support_contacts = ["Sam"] }``.

Coaches give each client their own names, contacts and targets without
copying the workflow (:mod:`coachflow.clients`), and test how those values
read. A ``client`` table holds what a client's settings file holds (the
same keys, checked the same way), and the case runs the workflow as
``coachflow run --client`` would for that client
(:func:`coachflow.clients.for_client`): ``{client_name}``, ``{coach_name}``
and ``{client_VAR}`` filled in, support contacts and the pipeline target in
the step options of those names, ``[steps.ID]`` option values. The table
stands on its own: a test never reads the practice's client files, so it
gives the same answer on every machine.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

from coachflow.errors import did_you_mean
from coachflow.templates import CLIENT_VARIABLE_PREFIX

if TYPE_CHECKING:
    from coachflow.clients import Client
    from coachflow.testing.lines import Path as KeyPath
    from coachflow.workflow import Workflow

#: The id a case's client has (clients' ids name their files; a case's has none).
CASE_CLIENT_ID = "case-client"

Report = Callable[["KeyPath", str], None]

#: Names a coach may reach for, from the step options and placeholders, and the setting they mean.
LIKELY = {"target": "pipeline_target", "coach_name": "coach", "client_name": "name", "time_zone": "timezone"}


def client_table(value: Any, at: "KeyPath", report: Report) -> dict[str, Any] | None:
    """A ``client`` table's settings, checked; problems go to ``report(path, message)``, and then ``None``."""
    from coachflow.clients import SETTING_KEYS

    if not isinstance(value, dict):
        report(at, 'expected a table of the client\'s settings: client = { name = "Jo", support_contacts = ["Sam"] }')
        return None
    unknown = [key for key in value if key not in SETTING_KEYS]
    for key in unknown:
        hint = f" (did you mean '{LIKELY[key]}'?)" if key in LIKELY else did_you_mean(key, SETTING_KEYS)
        report(at + (key,), f"not a client setting{hint}" if hint else
               f"not a client setting; a client has {', '.join(SETTING_KEYS)}")
    settings = {key: item for key, item in value.items() if key in SETTING_KEYS}
    if make_client(settings, at, report) is None or unknown:
        return None
    return settings


def make_client(settings: dict[str, Any], at: "KeyPath", report: Report) -> "Client | None":
    """The :class:`~coachflow.clients.Client` of these settings, or ``None`` after reporting why not.

    Each setting is checked on its own first, so that every wrong one is
    reported, each at its own key.
    """
    from coachflow.clients import Client

    wrong = False
    for key, item in settings.items():
        try:
            Client(id=CASE_CLIENT_ID, **{key: item})
        except (ValueError, TypeError) as exc:
            report(at + (key,), _without_key(str(exc), key))
            wrong = True
    if wrong:
        return None
    return Client(id=CASE_CLIENT_ID, **settings)


def _without_key(message: str, key: str) -> str:
    """A client validator's message without the key it starts with (the path names it already)."""
    return message[len(key) + 2:] if message.startswith(f"{key}: ") else message


def workflow_for(workflow: "Workflow", client: "Client | None", at: "KeyPath", report: Report) -> "Workflow":
    """``workflow`` as it runs for ``client`` (or for no client), problems reported at ``at``.

    A workflow whose templates use a client's value needs a client with
    that value; this says which, in the words of a test file.
    """
    from coachflow.clients import ClientError, for_client

    used = workflow.client_placeholders()
    have = client.template_values() if client is not None else {}
    for name, steps in used.items():
        if name not in have:
            setting = ('name = "..."' if name == "client_name" else 'coach = "..."' if name == "coach_name"
                       else f'variables = {{ {name[len(CLIENT_VARIABLE_PREFIX):]} = "..." }}')
            report(at, f"step {steps[0]} uses {{{name}}}, a client's value; give the case a client with it: "
                   f"client = {{ {setting} }}")
            return workflow
    try:
        return for_client(workflow, client)
    except ClientError as exc:
        if exc.problems:  # wrong [steps.ID] values: each at its own key of the client table
            for path, message in exc.problems:
                report(at + tuple(key.strip('"') for key in re.findall(r'"[^"]*"|[^.]+', path)), message)
            return workflow
        message = str(exc)
        prefix = f"client {CASE_CLIENT_ID!r}: "
        report(at, message[len(prefix):] if message.startswith(prefix) else message)
    return workflow


def merged(file_settings: dict[str, Any] | None, case_settings: dict[str, Any] | None) -> dict[str, Any] | None:
    """A case's client: the file's settings with the case's on top, key by key."""
    if file_settings is None:
        return case_settings
    return {**file_settings, **(case_settings or {})}


def freeze(settings: dict[str, Any] | None) -> Any:
    """A hashable form of client settings, to build each client's workflow once."""
    if settings is None:
        return None
    return repr(sorted(settings.items()))


__all__ = ["CASE_CLIENT_ID", "client_table", "freeze", "make_client", "merged", "workflow_for"]
