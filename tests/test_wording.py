"""coachflow.wording and coachflow.validators: the public helpers steps, commands and plugins share."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from coachflow import option
from coachflow.errors import WorkflowError
from coachflow.validators import MAX_DAYS, day_count, stage_table
from coachflow.wording import (
    days_ago,
    human_date,
    human_datetime,
    join_words,
    milestone_label,
    plural,
    position_label,
    quote,
    short_date,
    shorten,
    the_role,
    tidy,
    weekday_date,
)
from coachflow.workflow import parse_workflow
from support import registry, only


def test_plural_agrees_with_the_count():
    assert plural(1, "application") == "1 application"
    assert plural(0, "application") == "0 applications"
    assert plural(3, "piece of feedback", "pieces of feedback") == "3 pieces of feedback"


@pytest.mark.parametrize(("words", "last", "expected"), [
    ([], "and", ""),
    (["Sam"], "or", "Sam"),
    (["Sam", "Priya"], "or", "Sam or Priya"),
    (["Sam", "Priya", "Ana"], "and", "Sam, Priya and Ana"),
])
def test_join_words_lists_names_as_a_sentence_does(words, last, expected):
    assert join_words(words, last) == expected
    assert join_words(iter(words), last) == expected  # any iterable


def test_dates_are_written_as_people_write_them():
    day = dt.date(2026, 11, 25)
    assert human_date(day) == "Wed 25 Nov 2026"
    assert human_datetime(dt.datetime(2026, 12, 2, 9, 5)) == "Wed 2 Dec 2026, 09:05"
    assert short_date(day) == "25 Nov"
    assert weekday_date(day) == "Wed 25 Nov"


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2026, 11, 25), "today"),
    (dt.date(2026, 11, 24), "yesterday"),
    (dt.date(2026, 11, 20), "5 days ago"),
    (dt.date(2026, 11, 26), "in 1 day"),
])
def test_days_ago(day, expected):
    assert days_ago(day, dt.date(2026, 11, 25)) == expected


def test_names_of_applications_roles_and_kinds():
    assert position_label("Acme", "Data Analyst") == "Data Analyst at Acme"
    assert position_label("Acme", "") == "Acme"
    assert position_label("", "Data Analyst") == "Data Analyst"
    assert the_role("") == "the role" and the_role("Analyst") == "the Analyst role"
    assert milestone_label("interview-invitation") == "interview invitation"


def test_shorten_keeps_one_line_and_says_where_it_cut():
    assert shorten("Strong CV;\n  they needed   SQL") == "Strong CV; they needed SQL"
    assert shorten("one two three four five", 12) == "one two..."  # between words
    assert shorten("one threethreethree", 12) == "one three..."  # a long word is cut rather than lost
    assert len(shorten("x" * 200, 40)) == 40


def test_tidy_and_quote():
    assert tidy("  Thank you  for  the chat ") == "Thank you for the chat"
    assert quote("Short and clear.") == "Short and clear."
    long = "The panel liked the portfolio a lot. " + "They wanted more depth on SQL joins and window functions " * 3
    shown = quote(long)
    assert shown.startswith("The panel liked the portfolio a lot.") and shown.endswith("...")


@attrs.define
class _Options:
    days: int = option(3, help="Days.", validator=day_count(1, maximum=30))
    by_stage: dict[str, str] = option(factory=dict, help="By stage.", validator=stage_table)


def test_day_count_refuses_what_is_out_of_range():
    assert _Options(days=30).days == 30
    with pytest.raises(ValueError, match="must be <= 30: 31"):
        _Options(days=31)
    with pytest.raises(ValueError, match="must be >= 1: 0"):
        _Options(days=0)
    with pytest.raises(ValueError, match=f"maximum must be from 1 to {MAX_DAYS}"):
        day_count(1, maximum=MAX_DAYS + 1)


def test_stage_table_names_the_stage_that_does_not_exist():
    with pytest.raises(ValueError, match="'by_stage' has no stage 'onsite'; the stages are application, screen"):
        _Options(by_stage={"onsite": "x"})


def test_a_built_in_step_reports_a_day_count_out_of_range_with_the_line():
    with pytest.raises(WorkflowError) as caught:
        parse_workflow(only("maintain-momentum", "add_within_days = 5000\n"), registry(), source="w.toml")
    assert caught.value.lines() == [f"w.toml:8: steps[1].with.add_within_days: must be {MAX_DAYS} or less, not 5000"]
