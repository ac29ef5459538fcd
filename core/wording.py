"""Wording helpers: how coachflow writes counts, lists, names and dates for people.

The built-in steps, the commands and the reports use these, and plugins may
too, so that every text a person reads says ``1 application`` and
``3 applications``, ``Sam, Priya or Ana`` and ``Wed 25 Nov 2026`` the same
way::

    from coachflow.wording import human_date, join_words, plural

    plural(3, "application")                  # '3 applications'
    join_words(["Sam", "Priya", "Ana"], "or")  # 'Sam, Priya or Ana'
    human_date(datetime.date(2026, 11, 25))    # 'Wed 25 Nov 2026'

Dates are written in English with the day before the month, as the rest of
coachflow's texts are.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable


def plural(count: int, singular: str, many: str | None = None) -> str:
    """The count and the noun that agrees with it: ``1 application``, ``3 applications``.

    :param many: the plural when it is not ``singular`` with an ``s``
        (``plural(2, "piece of feedback", "pieces of feedback")``).
    """
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def join_words(words: Iterable[str], last: str = "and") -> str:
    """Names or phrases as a list in a sentence: ``a``, ``a and b``, ``a, b and c``.

    :param last: the word before the last item; ``"or"`` for choices
        (``Talk to Sam, Priya or Ana``).
    """
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def position_label(company: str, role: str) -> str:
    """An application as a phrase: ``Data Analyst at Acme``, or the company or role alone when one is missing."""
    if company and role:
        return f"{role} at {company}"
    return company or role


def the_role(role: str) -> str:
    """``the Data Analyst role``, or ``the role`` when there is none."""
    return f"the {role} role" if role else "the role"


def milestone_label(kind: str) -> str:
    """A milestone kind as words: ``interview-invitation`` becomes ``interview invitation``."""
    return kind.replace("-", " ")


#: How each kind of action is labelled for people, in the commands and the reports.
ACTION_LABELS: dict[str, str] = {
    "message": "Note",
    "draft": "Draft",
    "prompt": "Think about",
    "task": "To do",
    "reminder": "Reminder",
    "insight": "Pattern",
    "celebration": "Win",
}


def action_label(kind: str) -> str:
    """How an action kind is labelled for people: ``Reminder``, ``Think about`` (see :data:`ACTION_LABELS`)."""
    return ACTION_LABELS.get(kind, kind.capitalize())


def human_date(day: dt.date) -> str:
    """A date as people write it, with its weekday and year: ``Wed 25 Nov 2026``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def human_datetime(moment: dt.datetime) -> str:
    """A date and time as people write them: ``Wed 25 Nov 2026, 17:30``."""
    return f"{human_date(moment.date())}, {moment:%H:%M}"


def short_date(day: dt.date) -> str:
    """A date inside a list or a sentence about recent days, without weekday and year: ``12 Nov``."""
    return f"{day.day} {day:%b}"


def weekday_date(day: dt.date) -> str:
    """A date to act on soon, with its weekday and without the year: ``Wed 2 Dec``."""
    return f"{day:%a} {day.day} {day:%b}"


def days_ago(day: dt.date, today: dt.date) -> str:
    """How long ago ``day`` was, as people say it: ``today``, ``yesterday``, ``5 days ago``, ``in 2 days``."""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 0:
        return f"in {plural(-days, 'day')}"
    return f"{days} days ago"


def shorten(text: str, width: int = 70) -> str:
    """The text on one line (its spaces and line breaks made single spaces), cut to
    at most ``width`` characters with ``...`` when it is longer.

    The cut falls between words unless that would drop more than half of
    what fits. For a list where each item gets one line; to quote what a
    person wrote about a theme, :func:`coachflow.themes.excerpt` picks the
    sentence that mentions it instead.
    """
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 3]
    if flat[width - 3] != " ":
        space = cut.rfind(" ")
        if space >= (width - 3) // 2:
            cut = cut[:space]
    return cut.rstrip() + "..."


def tidy(text: str) -> str:
    """Text with the double spaces an empty placeholder leaves behind made single, and no blanks around it."""
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def quote(text: str) -> str:
    """What a person wrote, to quote back to them: whole when short, else its first
    sentence cut to the length of a theme's excerpt, with ``...`` where text was left out."""
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
    """A step's title option ``name`` filled in for ``event``, on one line.

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


__all__ = [
    "ACTION_LABELS",
    "action_label",
    "days_ago",
    "human_date",
    "human_datetime",
    "join_words",
    "milestone_label",
    "number_word",
    "ordinal",
    "plural",
    "position_label",
    "quote",
    "render_title",
    "shorten",
    "short_date",
    "the_role",
    "tidy",
    "weekday_date",
]
