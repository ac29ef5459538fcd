"""Validators the built-in steps share for their options (attrs validators)."""

from __future__ import annotations

import attrs

from coachflow import STAGES

#: The most days a day-count option may be: ten years, far beyond any coaching
#: plan, and far enough inside the dates Python can hold that "the event's date
#: minus this many days" can never fail.
MAX_DAYS = 3650


def day_count(minimum: int):
    """A validator for a number of days: at least ``minimum``, at most :data:`MAX_DAYS`."""
    return attrs.validators.and_(attrs.validators.ge(minimum), attrs.validators.le(MAX_DAYS))


def keyword_table(instance, attribute, value) -> None:
    """Each entry of a name -> keywords table has a name and at least one keyword."""
    for name, keywords in value.items():
        if not name.strip():
            raise ValueError(f"'{attribute.name}' has an entry with an empty name")
        if not [keyword for keyword in keywords if keyword.strip("* ")]:
            raise ValueError(f"'{attribute.name}' entry '{name}' needs at least one keyword")


def stage_table(instance, attribute, value) -> None:
    """Every key of a table by stage is one of the stages."""
    unknown = sorted(set(value) - set(STAGES))
    if unknown:
        raise ValueError(f"'{attribute.name}' has no stage '{unknown[0]}'; the stages are {', '.join(STAGES)}")


def _key_path(name: str, key: str) -> str:
    """``messages.offer`` or ``practice_tasks."application quality"``: where a table's entry is."""
    import json
    import re

    return f"{name}.{key}" if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f"{name}.{json.dumps(key, ensure_ascii=False)}"


def known_keys(noun: str, allowed, keep=()):
    """A validator for a table whose keys must be known names (areas, themes, kinds).

    :param noun: what a key is, for the message ("area", "theme").
    :param allowed: ``allowed(instance)`` gives the names the other options make known.
    :param keep: names always accepted: those of the default table.

    A key that is none of them is refused with the closest name, so that a
    typo (``interview_invitation`` for ``interview-invitation``) is reported
    instead of silently leaving the default text in place.
    """
    from coachflow.errors import did_you_mean

    def check(instance, attribute, value) -> None:
        names = list(dict.fromkeys([*allowed(instance), *keep]))
        for key in value:
            if key not in names:
                hint = did_you_mean(key, names)
                raise ValueError(f"'{_key_path(attribute.name, key)}' unknown {noun}{hint}; "
                                 f"the {noun}s are {', '.join(repr(name) for name in names)}")

    return check


def stage_list(instance, attribute, value) -> None:
    """Every entry of a list of stages is one of the stages."""
    from coachflow.errors import did_you_mean

    for stage in value:
        if stage not in STAGES:
            raise ValueError(f"'{attribute.name}' has no stage '{stage}'{did_you_mean(stage, STAGES)}; "
                             f"the stages are {', '.join(STAGES)}")


def not_blank(instance, attribute, value) -> None:
    """A title a step shows: it cannot be empty (an action needs a title)."""
    if not value.strip():
        raise ValueError(f"'{attribute.name}' is empty; a title needs words (it can use placeholders such as "
                         "{company})")
