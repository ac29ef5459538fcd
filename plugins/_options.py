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
