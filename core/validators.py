"""Validators for step options: the checks the built-in steps use, for plugins to use too.

Each one is an attrs validator, given to :func:`coachflow.option` with
``validator=``. A value it refuses is reported when the workflow loads, with
the file, the line and the key (``coachflow.toml:9: steps[2].with.days: must
be 3650 or less, not 5000``), before any step runs::

    import attrs
    from coachflow import option
    from coachflow.validators import day_count

    @attrs.define
    class NudgeOptions:
        check_in_days: int = option(3, help="Days until the check-in.", validator=day_count(1, maximum=30))
"""

from __future__ import annotations

import re
from typing import Any, Callable

import attrs

#: The most days a day-count option may be: ten years, far beyond any coaching
#: plan, and far enough inside the dates Python can hold that "the event's date
#: minus this many days" can never fail.
MAX_DAYS = 3650


def day_count(minimum: int = 1, *, maximum: int = MAX_DAYS) -> Callable[[Any, attrs.Attribute, int], None]:
    """A validator for a number of days: at least ``minimum``, at most ``maximum``.

    :param maximum: at most :data:`MAX_DAYS` (the default), so that date
        arithmetic with the value never overflows.
    :raises ValueError: (when called) for a ``maximum`` above :data:`MAX_DAYS`
        or below ``minimum``.
    """
    if not minimum <= maximum <= MAX_DAYS:
        raise ValueError(f"day_count: maximum must be from {minimum} to {MAX_DAYS}, not {maximum}")
    return attrs.validators.and_(attrs.validators.ge(minimum), attrs.validators.le(maximum))


#: attrs' comparison validators (``ge``, ``le``, ``gt``, ``lt``) say "must be >= 2: 1"; people read
#: "must be 2 or more, not 1".
_COMPARISONS = {">=": "{bound} or more", "<=": "{bound} or less", ">": "more than {bound}", "<": "less than {bound}"}


def in_words(message: str) -> str:
    """A validator's message (after the option's name) as coachflow reports it: attrs'
    ``must be >= 2: 1`` is ``must be 2 or more, not 1``, and any other ``must be ...: VALUE``
    is ``must be ..., got VALUE``."""
    compared = re.fullmatch(r"must be (>=|<=|>|<) (\S+): (\S+)", message)
    if compared:
        operator, bound, value = compared.groups()
        return f"must be {_COMPARISONS[operator].format(bound=bound)}, not {value}"
    return re.sub(r"^(must be .*): (\S+)$", r"\1, got \2", message)


def keyword_table(instance: Any, attribute: attrs.Attribute, value: dict[str, list[str]]) -> None:
    """Each entry of a table of name -> keywords (themes, say) has a name and at least one keyword."""
    for name, keywords in value.items():
        if not name.strip():
            raise ValueError(f"'{attribute.name}' has an entry with an empty name")
        if not [keyword for keyword in keywords if keyword.strip("* ")]:
            raise ValueError(f"'{attribute.name}' entry '{name}' needs at least one keyword")


def stage_table(instance: Any, attribute: attrs.Attribute, value: dict[str, Any]) -> None:
    """Every key of a table by stage is one of :data:`coachflow.STAGES`."""
    from coachflow.models import STAGES

    unknown = sorted(set(value) - set(STAGES))
    if unknown:
        raise ValueError(f"'{attribute.name}' has no stage '{unknown[0]}'; the stages are {', '.join(STAGES)}")


def known_keys(noun: str, allowed: Callable[[Any], Any], keep: Any = ()) -> Callable[[Any, attrs.Attribute, dict], None]:
    """A validator for a table whose keys must be known names (areas, themes, kinds).

    :param noun: what a key is, for the message ("area", "theme").
    :param allowed: ``allowed(instance)`` gives the names the other options make known.
    :param keep: names always accepted: those of the default table.

    A key that is none of them is refused with the closest name, so that a
    typo (``interview_invitation`` for ``interview-invitation``) is reported
    instead of silently leaving the default text in place.
    """
    from coachflow.errors import did_you_mean

    def check(instance: Any, attribute: attrs.Attribute, value: dict) -> None:
        names = list(dict.fromkeys([*allowed(instance), *keep]))
        for key in value:
            if key not in names:
                hint = did_you_mean(key, names)
                raise ValueError(f"'{_key_path(attribute.name, key)}' unknown {noun}{hint}; "
                                 f"the {noun}s are {', '.join(repr(name) for name in names)}")

    return check


def stage_list(instance: Any, attribute: attrs.Attribute, value: list[str]) -> None:
    """Every entry of a list of stages is one of :data:`coachflow.STAGES`."""
    from coachflow.errors import did_you_mean
    from coachflow.models import STAGES

    for stage in value:
        if stage not in STAGES:
            raise ValueError(f"'{attribute.name}' has no stage '{stage}'{did_you_mean(stage, STAGES)}; "
                             f"the stages are {', '.join(STAGES)}")


def name_list(instance: Any, attribute: attrs.Attribute, value: list[str]) -> None:
    """Every entry of a list of people's names (support contacts) is a name: a blank one would be
    read out as "Talk to , Sam or" (a workflow's ``support_contacts``, a client's settings)."""
    if not isinstance(value, list):
        raise ValueError(f"'{attribute.name}' expected a list of names, such as [\"Sam\", \"Priya\"]")
    for index, name in enumerate(value):
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"'{attribute.name}[{index}]' is {'blank' if isinstance(name, str) else 'not a name'}; "
                             "give each person's name, such as [\"Sam\", \"Priya\"], or leave them out")


def not_blank(instance: Any, attribute: attrs.Attribute, value: str) -> None:
    """A title a step shows cannot be empty: an action needs a title."""
    if not value.strip():
        raise ValueError(f"'{attribute.name}' is empty; a title needs words (it can use placeholders such as "
                         "{company})")


def _key_path(name: str, key: str) -> str:
    """``messages.offer`` or ``practice_tasks."application quality"``: where a table's entry is."""
    import json
    import re

    return f"{name}.{key}" if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f"{name}.{json.dumps(key, ensure_ascii=False)}"


__all__ = ["MAX_DAYS", "day_count", "keyword_table", "known_keys", "name_list", "not_blank", "stage_list",
           "stage_table"]
