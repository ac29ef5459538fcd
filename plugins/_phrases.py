"""Small wording helpers the built-in steps share: lists, plurals, dates."""

from __future__ import annotations

import datetime as dt
import re
from typing import Sequence


def join_words(words: Sequence[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (or ``or`` with ``last="or"``)."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``1 application``, ``3 applications``; ``many`` for irregular plurals."""
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def the_role(role: str) -> str:
    """``the Data Analyst role``, or ``the role`` when there is no role."""
    return f"the {role} role" if role else "the role"


def short_date(day: dt.date) -> str:
    """A date inside a list, without weekday and year: ``12 Nov``."""
    return f"{day.day} {day:%b}"


def weekday_date(day: dt.date) -> str:
    """A date to act on, with its weekday and without the year: ``Wed 2 Dec``."""
    return f"{day:%a} {day.day} {day:%b}"


def next_working_day(moment: dt.datetime) -> dt.datetime:
    """``moment``, moved to the following Monday when it falls on a weekend."""
    while moment.weekday() >= 5:
        moment += dt.timedelta(days=1)
    return moment


def tidy(text: str) -> str:
    """Text with the double spaces left by empty placeholders removed."""
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def quote(text: str) -> str:
    """What a person wrote, to quote back: whole when short, else its first
    sentence cut to excerpt length, with ``...`` where text was left out."""
    from coachflow.themes import excerpt

    text = " ".join(text.split())
    shown = excerpt(text)
    if shown != text and not shown.endswith("..."):
        shown += " ..."
    return shown


_ORDINALS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def ordinal(number: int) -> str:
    """``third``, ``tenth``, then ``11th``, ``22nd``: the place of a no in a run."""
    if 0 <= number < len(_ORDINALS):
        return _ORDINALS[number]
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def number_word(number: int) -> str:
    """``three``, ``ten``, then digits: a small count as it reads in a sentence."""
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[number] if 0 <= number < len(words) else str(number)


def render_title(ctx, options, name: str, event, **values) -> str:
    """The title option ``name`` filled in, on one line.

    When the coach's wording comes out empty (its only placeholder had no
    value for this event), the step's own default title is used: an action
    always has a title.
    """
    import attrs

    text = " ".join(ctx.render(getattr(options, name), event, **values).split())
    if text:
        return text
    default = attrs.fields_dict(type(options))[name].default
    return " ".join(ctx.render(default, event, **values).split())
