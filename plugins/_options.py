"""Validators the built-in steps share for their options (attrs validators)."""

from __future__ import annotations

from coachflow import STAGES


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
