"""Validators for step options: the checks the built-in steps use, for plugins to use too.

Each one is an attrs validator, given to :func:`coachflow.option` with
``validator=``. A value it refuses is reported when the workflow loads, with
the file, the line and the key (``coachflow.toml:9: steps[2].with.days: must
be <= 3650: 5000``), before any step runs::

    import attrs
    from coachflow import option
    from coachflow.validators import day_count

    @attrs.define
    class NudgeOptions:
        check_in_days: int = option(3, help="Days until the check-in.", validator=day_count(1, maximum=30))
"""

from __future__ import annotations

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


__all__ = ["MAX_DAYS", "day_count", "keyword_table", "stage_table"]
