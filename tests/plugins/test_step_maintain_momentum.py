"""maintain-momentum: the pipeline against the target, and each no in perspective."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support import actions_of, applied, milestone, only, open_journal, rejection, run, seed, stored

STEP = "maintain-momentum"
KEY = "momentum:add-applications"
COMPANIES = ["Acme", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta"]


def pipeline(count, start="2026-11-10"):
    """``count`` applications sent recently, all still open."""
    return [applied(start, company) for company in COMPANIES[:count]]


@pytest.mark.parametrize("open_before", [3, 4, 5, 6, 7])
def test_momentum_speaks_exactly_when_the_pipeline_is_under_target(tmp_path, open_before):
    with open_journal(tmp_path) as journal:
        seed(journal, *pipeline(open_before))
        result = run(journal, applied("2026-11-25", "Omega"))
        open_tasks = stored(journal, key=KEY, status="open")
    open_now = open_before + 1
    speaks = open_now < 5
    assert bool(actions_of(result, STEP)) is speaks
    assert len(open_tasks) == (1 if speaks else 0)
    if speaks:
        (task,) = actions_of(result, STEP)
        missing = 5 - open_now
        assert task.title.startswith(f"Send {missing} more application{'s' if missing > 1 else ''} by Wed 2 Dec")
        assert task.due == dt.datetime(2026, 12, 2, 17, 30)


def test_after_a_rejection_below_target_it_says_how_many_to_add_and_by_when(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, *pipeline(5), milestone("interview-invitation", "2026-11-15", "Acme"))
        result = run(journal, rejection("2026-11-25", "Acme", stage="interview"))
    perspective, task = actions_of(result, STEP)
    assert task.title == "Send 1 more application by Wed 2 Dec"
    assert task.body.startswith("Open now: Data Analyst at Beta (sent 10 Nov), Data Analyst at Gamma (sent 10 Nov), "
                                "Data Analyst at Delta (sent 10 Nov) and Data Analyst at Epsilon (sent 10 Nov). "
                                "Your target is 5 open at a time")
    assert "Pick one more role you'd really want and apply by Wed 2 Dec" in task.body
    assert perspective.title == "Perspective: 1 no from 5 applications"
    assert perspective.body.startswith("Getting to interviews at Acme means your application did its job. Since 10 "
                                       "Nov: 1 no from 5 applications; 1 reached an interview.")


def test_at_target_a_rejection_gets_perspective_only(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, *pipeline(6))
        result = run(journal, rejection("2026-11-25", "Acme", stage="application"))
    (perspective,) = actions_of(result, STEP)
    assert perspective.body.endswith("You still have 5 applications open, so there is more in progress than this one.")


def test_the_perspective_uses_the_persons_own_numbers(tmp_path):
    history = [applied("2026-09-01", c) for c in COMPANIES] + [
        milestone("interview-invitation", "2026-09-10", "Acme"),
        rejection("2026-09-20", "Beta", stage="interview"),
        milestone("offer", "2026-10-01", "Gamma"),
        rejection("2026-10-05", "Omega", role="", stage="application"),
    ]
    with open_journal(tmp_path) as journal:
        seed(journal, *history)
        result = run(journal, rejection("2026-11-25", "Delta", stage="application"))
    perspective = actions_of(result, STEP)[0]
    assert perspective.title == "Perspective: 3 noes from 9 applications"
    assert perspective.body.startswith("Since 1 Sep: 3 noes from 9 applications; 3 reached an interview; 1 brought "
                                       "an offer. This no is one result among many, not a measure of you.")


def test_applications_with_no_news_for_a_month_do_not_count_as_open(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, *pipeline(3, start="2026-09-01"), *[applied("2026-11-20", c) for c in ("Kappa", "Lambda")],
             milestone("good-conversation", "2026-11-02", "Acme"))
        result = run(journal, applied("2026-11-25", "Omega"))
    (task,) = actions_of(result, STEP)
    assert task.title.startswith("Send 1 more application")
    assert "Data Analyst at Acme (sent 1 Sep)" in task.body
    assert "Not counted: 2 older ones with no news for over 30 days." in task.body


def test_a_newer_task_replaces_the_open_one_and_reaching_the_target_closes_it(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, *pipeline(2))
        run(journal, applied("2026-11-20", "Kappa"), now=dt.datetime(2026, 11, 20, 9, 0))
        run(journal, applied("2026-11-21", "Lambda"), now=dt.datetime(2026, 11, 21, 9, 0))
        assert [(r.action.title, r.status) for r in stored(journal, key=KEY)] == [
            ("Send 2 more applications by Fri 27 Nov", "cancelled"),
            ("Send 1 more application by Sat 28 Nov", "open"),
        ]
        result = run(journal, applied("2026-11-25", "Omega"))
        assert [r.status for r in stored(journal, key=KEY)] == ["cancelled", "cancelled"]
    assert actions_of(result, STEP) == []
    assert result.cancelled == [KEY]


def test_an_unchanged_open_task_is_not_repeated_on_a_win(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, *pipeline(3))
        run(journal, applied("2026-11-24", "Kappa"), now=dt.datetime(2026, 11, 24, 9, 0))
        result = run(journal, milestone("interview-invitation", "2026-11-25", "Acme"))
        assert [r.status for r in stored(journal, key=KEY)] == ["open"]
    assert actions_of(result, STEP) == []


def test_quiet_after_an_offer_and_done_after_accepting(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, *pipeline(2))
        run(journal, applied("2026-11-20", "Kappa"), now=dt.datetime(2026, 11, 20, 9, 0))
        offer = run(journal, milestone("offer", "2026-11-24", "Kappa"))
        accepted = run(journal, milestone("accepted", "2026-11-25", "Kappa"))
        later = run(journal, rejection("2026-11-26", "Acme"), now=dt.datetime(2026, 11, 26, 9, 0))
        assert [r.status for r in stored(journal, key=KEY)] == ["cancelled"]
    assert actions_of(offer, STEP) == actions_of(accepted, STEP) == []
    assert [a.kind for a in actions_of(later, STEP)] == ["message"]


def test_with_no_application_recorded_it_asks_about_the_pipeline(tmp_path):
    with open_journal(tmp_path) as journal:
        result = run(journal, rejection("2026-11-25", "Acme"))
        quiet = run(journal, milestone("good-conversation", "2026-11-25", "Beta"))
    perspective, prompt = actions_of(result, STEP)
    assert perspective.title == "Perspective"
    assert "coachflow will show you your own numbers here" in perspective.body
    assert prompt.title == "How many applications do you have in progress? Aim for 5"
    assert "coachflow run milestone --kind applied --company NAME --role ROLE" in prompt.body
    assert actions_of(quiet, STEP) == []


def test_a_coach_sets_the_target_and_the_deadline(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, *pipeline(7))
        result = run(journal, rejection("2026-11-25", "Acme"), only(STEP, "target = 8\nadd_within_days = 3\n"))
    task = actions_of(result, STEP)[-1]
    assert (task.title, task.due) == ("Send 2 more applications by Sat 28 Nov", dt.datetime(2026, 11, 28, 17, 30))


@pytest.mark.parametrize(
    ("history", "numbers"),
    [
        ([applied("2026-11-10", "Acme")], "not a measure of you. Since 10 Nov: 1 no from 1 application."),
        ([applied("2026-11-10", "Acme"), applied("2026-11-12", "Beta")],
         "Since 10 Nov: 1 no from 2 applications; none has reached an interview yet."),
        ([applied("2026-11-10", "Beta"), milestone("interview-invitation", "2026-11-18", "Beta")],
         "Since 10 Nov: 1 no from 2 applications; 1 reached an interview."),
    ],
)
def test_with_one_or_two_applications_the_perspective_shows_those_real_numbers(tmp_path, history, numbers):
    with open_journal(tmp_path) as journal:
        seed(journal, *history)
        result = run(journal, rejection("2026-11-25", "Acme", stage="application"))
    perspective = actions_of(result, STEP)[0]
    assert perspective.title == "Perspective"
    assert numbers in perspective.body
    assert "will show you your own numbers" not in perspective.body
    # few numbers, said plainly: nothing about "one result among many"
    assert perspective.body.endswith("That is too few to read anything into yet: early in a search, a no says very "
                                     "little about how it will go.")


def test_a_single_application_that_reached_interviews_says_so(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, applied("2026-11-10", "Acme"))
        result = run(journal, rejection("2026-11-25", "Acme", stage="interview"))
    assert "Since 10 Nov: 1 no from 1 application; it reached an interview." in actions_of(result, STEP)[0].body


def _distinct_by_hand(keys):
    named = {company for company, role in keys if role}
    return len({key for key in keys if key[1] or key[0] not in named})


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["applied", "interview-invitation", "offer", "rejection"]),
                          st.sampled_from(["Acme", "acme", "Beta"]), st.sampled_from(["", "Analyst", "ANALYST", "Lead"])),
                max_size=20))
def test_the_numbers_count_each_application_once_as_they_come(rows):
    from coachflow.journal import open_journal
    from coachflow.progress import search_numbers

    keys = {"applications": set(), "interviews": set(), "offers": set()}
    with open_journal(":memory:") as journal:
        for day, (kind, company, role) in enumerate(rows, start=1):
            row = (rejection(f"2026-10-{day:02d}", company, role=role, stage="screen") if kind == "rejection"
                   else milestone(kind, f"2026-10-{day:02d}", company, role=role))
            seed(journal, row)
            key = (company.casefold(), role.casefold())
            keys["applications"].add(key)
            if kind in ("interview-invitation", "offer"):
                keys["interviews"].add(key)
            if kind == "offer":
                keys["offers"].add(key)
            numbers = search_numbers(journal.reader)
            assert (numbers.applications, numbers.interviews, numbers.offers) == tuple(
                _distinct_by_hand(keys[name]) for name in ("applications", "interviews", "offers"))
