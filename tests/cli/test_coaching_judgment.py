"""Coaching judgment, as a person reads it: searches of several weeks recorded through the commands.

Every test records events with ``coachflow run`` (explicit ``--date`` and
``COACHFLOW_NOW``) and asserts what the person reads back: titles, bodies,
due dates, order, counts, in ``run``, ``due`` and ``report``.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from coachflow.cli import cli

from support.search import Search, titled

COMPANIES = ["Acme", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta"]


def eight_noes_in_seven_weeks(search: Search) -> list:
    """Eight applications in late September; two invitations; eight noes, one every five days or so."""
    for company in COMPANIES:
        search.applied("2026-09-28", company)
    search.milestone("2026-10-06", "interview-invitation", "Acme")
    search.milestone("2026-10-08", "interview-invitation", "Beta")
    days = ["2026-10-05", "2026-10-12", "2026-10-16", "2026-10-23", "2026-10-30", "2026-11-06", "2026-11-12"]
    for day, company in zip(days, COMPANIES):
        search.rejection(day, company, stage="interview" if company in ("Acme", "Beta") else "application")
    return search.rejection("2026-11-16", "Theta")


# --- a tally that is true ----------------------------------------------------------------


def test_the_eighth_no_from_eight_applications_says_so_and_frames_it_from_the_numbers(tmp_path):
    actions = eight_noes_in_seven_weeks(Search(tmp_path))

    (perspective,) = titled(actions, "Perspective")
    assert perspective.title == "Perspective: 8 noes from 8 applications"
    assert "Since 28 Sep: 8 noes from 8 applications; 2 reached an interview." in perspective.body
    assert "Every application so far has ended in a no, which is hard to take. 2 of them got you to an interview" \
        in perspective.body
    assert "among many" not in perspective.body


def test_two_applications_are_too_few_to_read_anything_into_and_it_says_so(tmp_path):
    search = Search(tmp_path)
    search.applied("2026-11-02", "Acme")
    search.applied("2026-11-03", "Beta")
    (perspective,) = titled(search.rejection("2026-11-10", "Acme"), "Perspective")

    assert perspective.title == "Perspective"
    assert "Since 2 Nov: 1 no from 2 applications; none has reached an interview yet." in perspective.body
    assert "That is too few to read anything into yet" in perspective.body
    assert "among many" not in perspective.body


def test_many_applications_and_few_noes_is_the_only_time_it_says_one_among_many(tmp_path):
    search = Search(tmp_path)
    for company in COMPANIES:
        search.applied("2026-11-02", company)
    search.milestone("2026-11-05", "interview-invitation", "Beta")
    (perspective,) = titled(search.rejection("2026-11-10", "Acme"), "Perspective")

    assert perspective.title == "Perspective: 1 no from 8 applications"
    assert "This no is one result among many, not a measure of you." in perspective.body


def test_a_rejection_with_no_recorded_application_counts_the_same_in_the_run_and_the_report(tmp_path):
    search = Search(tmp_path)
    for company in ("Acme", "Beta", "Gamma"):
        search.applied("2026-11-02", company)
    (perspective,) = titled(search.rejection("2026-11-10", "Omega"), "Perspective")  # never recorded as applied
    assert perspective.title == "Perspective: 1 no from 4 applications"

    report = json.loads(search.report("2026-11-11T09:00", "--format", "json"))
    assert report["numbers"] == {"applications": 4, "noes": 1, "interviews": 0, "offers": 0, "whole_search": True}
    assert report["applications"]["sent"] == 4
    assert report["funnel"][0]["reached"] == 4
    markdown = search.report("2026-11-11T09:00")
    assert "Your numbers so far: 1 no from 4 applications; none has reached an interview yet." in markdown


# --- awareness of the week -------------------------------------------------------------------


def test_the_third_no_in_a_week_names_the_run_asks_for_nothing_new_and_gives_fewer_gentler_tasks(tmp_path):
    search = Search(tmp_path, workflow=DEFAULT_WITH_CONTACTS)
    search.applied("2026-11-02", "Acme")
    search.applied("2026-11-02", "Beta")
    first = search.rejection("2026-11-09", "Gamma", reason="Your CV was generic and your answers rambled")
    search.rejection("2026-11-11", "Delta")
    third = search.rejection("2026-11-13", "Epsilon", reason="The SQL test was weak and the portfolio thin")

    assert first[0].title == "It's all right to be disappointed about Gamma"
    assert third[0].title == "Three noes in 7 days: it's all right to feel it"
    assert third[0].body.startswith("Gamma, Delta and Epsilon: that is 3 noes in 7 days")
    # a demand for more applications on the first no, none on the third
    assert titled(first, "Send ")
    assert not titled(third, "Send ")
    (perspective,) = titled(third, "Perspective")
    assert "That makes 3 noes in 7 days: no new applications today." in perspective.body
    # fewer tasks, and said gently
    assert len([a for a in first if a.label == "To do"]) > len([a for a in third if a.label == "To do"])
    assert [a.title for a in third if a.label == "To do" and a.title.startswith("Work on")] == \
        ["Work on SQL (from Epsilon)"]
    (question,) = titled(third, "What could you have done differently")
    assert "This is your third no in 7 days, so keep it small" in question.body
    (draft,) = titled(third, "Ask the recruiter")
    assert "It's your third no in 7 days: this can wait a day or two, until you feel like sending it." in draft.body


def test_three_noes_in_three_days_leave_one_check_in_one_follow_up_and_no_demand_in_due(tmp_path):
    search = Search(tmp_path)
    search.applied("2026-11-02", "Zeta")
    first = search.rejection("2026-11-23", "Acme", stage="screen", at="17:30")
    assert titled(first, "Send 4 more applications")
    search.rejection("2026-11-24", "Beta", stage="screen", at="17:30")
    third = search.rejection("2026-11-25", "Gamma", stage="screen", at="17:30")

    (perspective,) = titled(third, "Perspective")
    assert "no new applications today" in perspective.body
    assert "Your task to send more applications is off the list for now" in perspective.body
    listed = search.due_json("2026-11-25T17:35", "--all")
    assert sorted(item["title"] for item in listed) == [
        "Ask the recruiter at Acme for feedback",
        "Ask the recruiter at Beta for feedback",
        "Ask the recruiter at Gamma for feedback",
        "Check in: ready to move on from Acme, Beta and Gamma?",
        "One follow-up for your feedback requests to Acme, Beta and Gamma",
    ]
    check_in = next(item for item in listed if item["title"].startswith("Check in"))
    assert check_in["due"] == "2026-11-26T17:30"  # nothing overdue on the third day
    assert "Due now" not in search.due("2026-11-25T17:35", "--all")
    # a fourth no the next day: still one of each, naming all four
    search.rejection("2026-11-26", "Delta", stage="screen", at="17:30")
    titles = [item["title"] for item in search.due_json("2026-11-26T17:35", "--all")]
    assert [t for t in titles if not t.startswith("Ask")] == [
        "Check in: ready to move on from Acme, Beta, Gamma and Delta?",
        "One follow-up for your feedback requests to Acme, Beta, Gamma and Delta"]
    # the run over, an application sent: the pipeline is looked at again
    again = search.applied("2026-12-07", "Eta")
    assert titled(again, "Send 4 more applications")  # Zeta has had no news for over 30 days


def test_a_coach_sets_what_makes_a_run(tmp_path):
    search = Search(tmp_path, workflow='[workflow]\nname = "Two is a run"\n\n[settings]\nrejection_run = 2\n'
                                         'rejection_run_days = 3\n\n[[steps]]\nuses = "allow-disappointment"\n')
    search.rejection("2026-11-09", "Acme")
    assert search.rejection("2026-11-11", "Beta")[0].title == "Two noes in 3 days: it's all right to feel it"
    assert search.rejection("2026-11-20", "Gamma")[0].title == "It's all right to be disappointed about Gamma"


def test_a_final_round_no_asks_for_no_new_applications(tmp_path):
    search = Search(tmp_path)
    search.applied("2026-11-02", "Acme")
    actions = search.rejection("2026-11-10", "Acme", stage="final")

    assert not titled(actions, "Send ")
    assert "apply" not in " ".join(a.body for a in actions if a.title.startswith("Perspective"))


def test_a_win_comes_first_and_never_opens_with_a_demand(tmp_path):
    search = Search(tmp_path)
    search.applied("2026-11-02", "Acme")
    actions = search.milestone("2026-11-10", "interview-invitation", "Acme")

    assert actions[0].label == "Win"
    assert actions[0].title == "Invited to interview at Acme for Analyst"
    assert not [a for a in actions if a.label == "To do"]
    assert search.last_output.splitlines()[2].startswith("Win: Invited to interview")


def test_an_offer_ends_the_asking_for_more_applications(tmp_path):
    search = Search(tmp_path)
    search.applied("2026-11-02", "Acme")
    assert titled(search.applied("2026-11-03", "Beta"), "Send 3 more applications")
    actions = search.milestone("2026-11-10", "offer", "Beta")

    assert actions[0].label == "Win"
    assert not [a for a in actions if a.label == "To do"]
    assert "Send" not in search.due("2026-11-17T10:00", "--all")


def test_an_accepted_job_ends_every_steps_open_tasks_and_reminders(tmp_path):
    search = Search(tmp_path)
    search.applied("2026-11-02", "Acme")
    search.rejection("2026-11-09", "Acme", stage="interview", reason="Not enough SQL for the role")
    search.applied("2026-11-10", "Beta")
    open_before = {item["step"] for item in search.due_json("2026-11-11T09:00", "--all")
                   if item["kind"] in ("task", "reminder")}
    assert {"allow-disappointment", "analyze-control"} <= open_before  # a check-in and a practice task

    search.milestone("2026-11-12", "accepted", "Beta")

    left = [(item["step"], item["kind"], item["title"]) for item in search.due_json("2026-11-12T12:00", "--all")
            if item["kind"] in ("task", "reminder")]
    assert left == []


# --- one classifier of reasons ------------------------------------------------------------------


ANALYZE_ONLY = '[workflow]\nname = "Control"\n\n[[steps]]\nuses = "analyze-control"\n'


@pytest.mark.parametrize(
    ("reason", "cause"),
    [
        ("The hiring manager has left the company and the role is no longer open",
         "the hiring manager leaving and the role being cancelled or no longer open"),
        ("Role is no longer open", "the role being cancelled or no longer open"),
        ("We had 400 applicants for this role", "the number of applicants"),
        ("We went with someone who had done the job before", "someone with more experience"),
        ("We need someone with direct experience in retail", "someone with more experience"),
        ("We can't sponsor a visa for this role", "visa or location rules"),
        ("The role needs someone based in Berlin and we can't support relocation", "visa or location rules"),
        ("There is a hiring freeze until spring", "a hiring freeze"),
        ("We went with an internal successor", "an internal candidate"),
        ("The other candidates had more experience", "someone with more experience"),
        ("Your expectations were above our salary band", "a salary band"),
        ("It wasn't a budget issue: the team was reorganised", "a reorganisation"),
    ],
)
def test_causes_outside_the_persons_control_are_recognised_and_said_to_be(tmp_path, reason, cause):
    (answer,) = Search(tmp_path, workflow=ANALYZE_ONLY).rejection("2026-11-10", "Acme", stage="final", reason=reason)

    assert answer.label == "Note"
    assert answer.title == "Likely nothing you could have done differently at Acme"
    assert f"That points to {cause}, which is outside your control" in answer.body
    assert "fit" not in answer.body  # nothing added that the company didn't say


def test_a_named_skill_is_named_back_and_research_data_is_not_company_research(tmp_path):
    question, task = Search(tmp_path, workflow=ANALYZE_ONLY).rejection(
        "2026-11-10", "Acme", stage="interview", reason="We needed stronger SQL to analyse research data")

    assert question.body.startswith("The reason Acme gave points to skills, which you can work on.")
    assert "interview preparation" not in question.body
    assert (task.title, task.due) == ("Work on SQL (from Acme)", "Tue 17 Nov 2026, 18:00")
    assert task.body.startswith("This process showed you need more SQL. Book two practice sessions on SQL")


def test_not_enough_sql_names_sql(tmp_path):
    _, task = Search(tmp_path, workflow=ANALYZE_ONLY).rejection("2026-11-10", "Acme", reason="Not enough SQL")
    assert task.title == "Work on SQL (from Acme)"


def test_a_denied_area_is_not_something_to_work_on(tmp_path):
    (answer,) = Search(tmp_path, workflow=ANALYZE_ONLY).rejection(
        "2026-11-10", "Acme", reason="Nothing to do with your skills; we hired internally")
    assert "That points to an internal candidate, which is outside your control" in answer.body
    assert "skills" not in answer.body.split("Acme said:")[0]


def test_a_cause_outside_the_persons_control_never_becomes_a_practice_focus(tmp_path):
    search = Search(tmp_path)
    search.rejection("2026-11-02", "Acme", stage="interview", reason="We chose someone with more experience")
    actions = search.rejection("2026-11-12", "Beta", stage="interview", reason="Another candidate had more experience")

    assert not [a for a in actions if a.label == "Pattern"]
    assert not titled(actions, "Practice focus")


def test_the_report_draws_where_to_focus_only_from_what_the_person_controls(tmp_path):
    search = Search(tmp_path)
    for company in COMPANIES:
        search.applied("2026-09-28", company)
    reasons = {
        "Acme": "There is a hiring freeze",  # outside, at the application stage
        "Beta": "Your portfolio didn't show dashboards",
        "Gamma": "",
        "Delta": "We went with an internal candidate",
        "Epsilon": "The portfolio was thin on SQL work",
        "Zeta": "",
        "Eta": "Budget was cut",
        "Theta": "We filled the role internally",
    }
    for number, (company, reason) in enumerate(reasons.items()):
        stage = "application" if company in ("Acme", "Beta", "Gamma", "Epsilon") else "interview"
        day = dt.date(2026, 10, 5) + dt.timedelta(days=number * 4)
        search.rejection(day.isoformat(), company, stage=stage, reason=reason)

    markdown = search.report("2026-11-10T09:00")
    assert "came at the application stage" not in markdown
    assert ("4 of 8 rejections came down to causes outside your control (an internal candidate, a hiring freeze, "
            "a budget decision). Where to focus: application quality, named in 2 rejections (Beta, Epsilon).") \
        in " ".join(markdown.split())
    data = json.loads(search.report("2026-11-10T09:00", "--format", "json"))
    assert data["reasons"]["outside"] == 4
    assert [area["area"] for area in data["reasons"]["focus"]] == ["application quality", "skills"]


def test_the_report_counts_more_experience_in_a_field_as_outside_and_names_no_field_as_a_skill(tmp_path):
    search = Search(tmp_path)
    search.rejection("2026-10-16", "Fable Books", stage="screen",
                     reason="We are looking for someone with more experience in publishing data")
    search.rejection("2026-10-20", "Acme", reason="Not enough SQL")
    data = json.loads(search.report("2026-11-10T09:00", "--format", "json"))
    assert data["reasons"]["outside"] == 1
    assert [(area["area"], area["skills"]) for area in data["reasons"]["focus"]] == [("skills", ["SQL"])]
    assert "publishing data" not in search.report("2026-11-10T09:00").split("Where to focus")[-1]


def test_a_window_without_wins_says_so_and_when_the_last_one_was_not_that_there_are_none(tmp_path):
    search = Search(tmp_path)
    search.milestone("2026-10-01", "interview-invitation", "Acme")

    status = " ".join(search.invoke("2026-11-25T17:30", "status", "--days", "7").split())
    assert "no wins recorded yet" not in status
    assert "no wins in these 7 days (the last: interview invitation at Acme, Thu 1 Oct 2026)" in status
    assert "no wins today (the last:" in " ".join(search.invoke("2026-11-25T17:30", "status", "--days", "1").split())
    data = json.loads(search.invoke("2026-11-25T17:30", "status", "--days", "7", "--format", "json"))
    assert data["recent"]["last_win_before"] == {"date": "2026-10-01", "kind": "interview-invitation",
                                                 "company": "Acme", "role": "Analyst"}

    report = " ".join(search.report("2026-11-25T17:30", "--since", "2026-11-01").split())
    assert "No wins recorded yet" not in report
    assert "No wins in this period; the last was an interview invitation, on Thu 1 Oct 2026." in report
    html = search.report("2026-11-25T17:30", "--since", "2026-11-01", "--format", "html")
    assert "None in this period; the last was an interview invitation, on Thu 1 Oct 2026." in html
    assert "yet" not in html.split('id="wins-heading"')[1].split("</section>")[0]
    data = json.loads(search.report("2026-11-25T17:30", "--since", "2026-11-01", "--format", "json"))
    assert data["wins"]["total"] == 0 and data["wins"]["last_before"]["date"] == "2026-10-01"
    # the whole search has the win
    assert "1 win along the way" in " ".join(search.report("2026-11-25T17:30").split())


def test_no_win_ever_is_still_no_wins_recorded_yet(tmp_path):
    search = Search(tmp_path)
    search.rejection("2026-10-01", "Acme")
    assert "no wins recorded yet" in " ".join(search.invoke("2026-11-25T17:30", "status", "--days", "7").split())
    assert "No wins recorded yet;" in search.report("2026-11-25T17:30")
    assert "No wins in this period; a good conversation" in " ".join(
        search.report("2026-11-25T17:30", "--since", "2026-11-01").split())


def test_status_report_and_the_send_more_task_count_the_pipeline_by_the_same_rule(tmp_path):
    search = Search(tmp_path)
    for day, company in (("2026-09-01", "Acme"), ("2026-09-02", "Beta"), ("2026-11-16", "Gamma"),
                         ("2026-11-17", "Delta")):
        search.applied(day, company)
    (task,) = titled(search.applied("2026-11-18", "Epsilon"), "Send ")
    assert task.title == "Send 2 more applications by Wed 25 Nov"  # 5 open, 2 quiet since September
    assert "Not counted: 2 older ones with no news for over 30 days." in task.body

    search.rejection("2026-11-20", "Zeta", at="10:00")  # no application recorded: the pipeline is as it was
    status = " ".join(search.invoke("2026-11-20T10:05", "status").split())
    assert ("Pipeline: 5 open applications, oldest first; 2 with no news for over 30 days, so 3 count toward "
            "your target of 5") in status
    data = json.loads(search.invoke("2026-11-20T10:05", "status", "--format", "json"))
    assert len(data["pipeline"]) == 5
    assert data["counting"] == {"quiet": 2, "stale_after_days": 30, "target": 5}
    report = " ".join(search.report("2026-11-20T10:05").split())
    assert ("5 applications are open at the end, 2 of them with no news for over 30 days, so 3 count toward "
            "your target of 5.") in report
    # a period that ended before they went quiet counts them all
    early = " ".join(search.report("2026-11-20T10:05", "--since", "2026-09-01", "--until", "2026-09-20").split())
    assert "2 applications are open at the end (your target is 5)." in early
    assert json.loads(search.report("2026-11-20T10:05", "--format", "json"))["applications"]["quiet_at_end"] == 2


def test_a_coachs_stale_after_days_is_what_status_counts_by(tmp_path):
    search = Search(tmp_path, workflow='[workflow]\nname = "Patient"\n\n[[steps]]\nuses = "maintain-momentum"\n'
                                         'with = { stale_after_days = 0 }\n')
    search.applied("2026-09-01", "Acme")
    status = search.invoke("2026-11-20T10:05", "status")
    assert "Pipeline: 1 open application, oldest first\n" in status and "no news" not in status


# --- the report agrees with the run -----------------------------------------------------------------


PORTFOLIO_WORKFLOW = """[workflow]
name = "Designers"

[[steps]]
uses = "feedback-patterns"
with = { themes = { portfolio = ["portfolio", "case studies"] }, min_applications = 3 }

[[steps]]
uses = "maintain-momentum"
with = { target = 8 }
"""


def test_the_report_reads_the_same_workflow_as_the_run(tmp_path):
    search = Search(tmp_path, workflow=PORTFOLIO_WORKFLOW)
    search.applied("2026-10-01", "Acme")
    search.feedback("2026-10-05", "Acme", "The portfolio needed more depth")
    search.feedback("2026-10-12", "Beta", "Show more case studies")
    actions = search.feedback("2026-10-19", "Gamma", "Portfolio pieces were too similar")
    (pattern,) = [a for a in actions if a.label == "Pattern"]
    assert pattern.title == "Portfolio came up in 3 different applications"

    markdown = search.report("2026-10-20T09:00")
    assert "### Portfolio" in markdown
    assert "Came up in 3 applications (Acme, Beta, Gamma)" in markdown
    assert "No theme has come up" not in markdown
    assert "1 application is open at the end (your target is 8)." in markdown
    html = search.report("2026-10-20T09:00", "--format", "html")
    assert "<h3>Portfolio</h3>" in html and "Came up in 3 applications" in html
    # without the workflow, the default themes: portfolio is not one of them
    assert "### Portfolio" not in search.invoke("2026-10-20T09:00", "report", workflow=False)


# --- nothing piles up ------------------------------------------------------------------------------


def test_the_day_after_an_offer_due_shows_no_old_check_ins_and_no_demand(tmp_path):
    search = Search(tmp_path)
    eight_noes_in_seven_weeks(search)
    search.applied("2026-11-17", "Iota")
    search.milestone("2026-11-24", "offer", "Iota")

    due = search.due("2026-11-25T09:00")
    assert "Check in" not in due
    assert "Send" not in due
    listed = search.due_json("2026-11-25T09:00", "--all")
    assert len(listed) <= 3, [item["title"] for item in listed]


def test_a_check_in_lapses_when_newer_news_about_that_application_arrives(tmp_path):
    search = Search(tmp_path)
    search.rejection("2026-11-10", "Acme", stage="interview")
    assert "Check in: ready to move on from Acme?" in search.due("2026-11-10T19:00", "--all")
    search.feedback("2026-11-11", "Acme", "Your answers were clear; another candidate was a closer match")
    assert "Check in" not in search.due("2026-11-11T19:00", "--all")


def test_a_task_whose_deadline_passed_is_marked_missed_not_left_overdue(tmp_path):
    search = Search(tmp_path)
    search.applied("2026-11-02", "Acme")
    assert titled(search.applied("2026-11-03", "Beta"), "Send 3 more applications by Tue 10 Nov")
    assert "Send 3 more applications" in search.due("2026-11-11T09:00")  # a day late: still there
    search.applied("2026-11-20", "Gamma")  # the next run, long after
    tasks = [item for item in search.due_json("2026-11-20T11:00", "--all") if item["title"].startswith("Send")]
    assert [item["title"] for item in tasks] == ["Send 2 more applications by Fri 27 Nov"]
    assert "Send 3 more" not in search.due("2026-11-20T11:00", "--all")


def test_reminders_long_past_lapse_in_every_reading_command_without_a_run_and_nothing_is_written(tmp_path):
    import sqlite3

    search = Search(tmp_path)
    search.rejection("2026-11-10", "Acme", stage="interview", at="10:00")
    assert "Check in: ready to move on from Acme?" in search.due("2026-11-12T09:00")  # a day late: still there

    # nineteen and thirteen days past their time, and no run since: lapsed, not due
    due = search.due("2026-11-30T10:00")
    assert due == ("Nothing is due right now.\n\n"
                   "2 older items have lapsed and are not listed: there is nothing to catch up on.\n")
    assert search.due_json("2026-11-30T10:00", "--all") == []  # the unsent draft too, 20 days on
    assert "Due now: nothing" in search.invoke("2026-11-30T10:00", "status")
    report = json.loads(search.report("2026-11-30T10:00", "--format", "json"))
    assert report["due"]["overdue"] == 0
    # a reading command reads: the journal still holds them open, for the next run to mark
    with sqlite3.connect(search.journal) as db:
        assert db.execute("SELECT count(*) FROM actions WHERE status = 'open' AND kind != 'message'"
                          " AND kind != 'prompt'").fetchone()[0] == 3


def test_the_workflows_missed_after_days_is_what_the_reading_commands_lapse_by(tmp_path):
    search = Search(tmp_path, workflow='[workflow]\nname = "Patient"\n\n[settings]\nmissed_after_days = 30\n\n'
                                         '[[steps]]\nuses = "allow-disappointment"\n')
    search.rejection("2026-11-10", "Acme", at="10:00")
    due = search.invoke("2026-11-30T10:00", "due")
    assert "Check in: ready to move on from Acme?" in due and "lapsed" not in due
    assert "Due now: 1 reminder or task" in search.invoke("2026-11-30T10:00", "status")
    assert "Check in" not in search.due("2026-11-30T10:00")  # no workflow: the built-in two days


def test_an_imported_history_shows_nothing_long_past_as_due(tmp_path):
    (tmp_path / "applications.csv").write_text(
        "Date,Company,Role,Type\n2026-10-26,Delta,Analyst,Applied\n2026-10-27,Epsilon,Analyst,applied\n"
        "2026-10-30,Delta,Analyst,rejection\n2026-11-02,Epsilon,Analyst,rejection\n", encoding="utf-8")
    search = Search(tmp_path)
    imported = search.invoke("2026-11-30T10:00", "import", str(tmp_path / "applications.csv"), "--run")
    assert ", 0 due now" in imported
    due = search.due("2026-11-30T10:00")
    assert due.startswith("Nothing is due right now.\n") and "have lapsed and are not listed" in due


def test_the_same_exercise_is_offered_once(tmp_path):
    search = Search(tmp_path)
    search.feedback("2026-11-02", "Acme", "Your answers rambled and were hard to follow")
    actions = search.rejection("2026-11-10", "Beta", stage="final", reason="Your answers were long and unclear")

    assert titled(actions, "Practice focus: communication")
    assert not titled(actions, "Work on interview preparation")
    (question,) = titled(actions, "What could you have done differently")
    assert "A task on your list is a first step." in question.body


def test_the_support_contacts_are_suggested_at_most_once_a_week(tmp_path):
    search = Search(tmp_path, workflow=DEFAULT_WITH_CONTACTS)
    assert titled(search.rejection("2026-11-02", "Acme"), "Talk to Sam or Priya")
    assert not titled(search.rejection("2026-11-05", "Beta"), "Talk to")
    assert not titled(search.rejection("2026-11-08", "Gamma"), "Talk to")
    assert titled(search.rejection("2026-11-12", "Delta"), "Talk to Sam or Priya")


def test_the_feedback_request_closes_when_feedback_for_that_application_arrives(tmp_path):
    search = Search(tmp_path)
    search.rejection("2026-11-10", "Acme", stage="interview")
    search.rejection("2026-11-10", "Beta", stage="interview")
    assert "Ask the recruiter at Acme for feedback" in search.due("2026-11-10T19:00", "--all")
    search.feedback("2026-11-12", "Acme", "Strong answers; we needed more SQL")

    listed = search.due("2026-11-12T11:00", "--all")
    assert "Ask the recruiter at Acme" not in listed
    assert "One follow-up, if you asked Acme" not in listed
    assert "Ask the recruiter at Beta for feedback" in listed
    # it still counts as a request made
    assert json.loads(search.report("2026-11-12T11:00", "--format", "json"))["feedback"] == \
        {"requested": 2, "received": 1}


def test_a_draft_never_sent_lapses_after_two_weeks(tmp_path):
    search = Search(tmp_path)
    search.rejection("2026-10-01", "Acme", stage="interview")
    search.applied("2026-10-20", "Beta")
    assert "Ask the recruiter at Acme" not in search.due("2026-10-20T11:00", "--all")


# --- dates from when the person can act -----------------------------------------------------------


def test_a_rejection_recorded_late_is_dated_from_the_day_it_is_recorded_and_says_which_date_is_which(tmp_path):
    search = Search(tmp_path)
    actions = search.rejection("2026-11-12", "Acme", stage="interview", recorded="2026-11-20T10:00")

    note, check_in = actions[0], titled(actions, "Check in")[0]
    assert "give it room until Sat 21 Nov 2026, 10:00" in note.body
    assert note.body.endswith("The no came on Thu 12 Nov; the time counts from now, when you recorded it.")
    assert check_in.due == "Sat 21 Nov 2026, 10:00"
    (draft,) = titled(actions, "Ask the recruiter")
    assert draft.body.startswith("The no came on Thu 12 Nov and you're recording it on Fri 20 Nov, so the dates "
                                 "here count from Fri 20 Nov: that is when you can send the request.")
    (follow_up,) = titled(actions, "One follow-up")
    assert follow_up.due == "Fri 27 Nov 2026, 10:00"
    assert "following up on my message of 20 Nov" in follow_up.body


# --- quiet hours -----------------------------------------------------------------------------------------


def test_reminders_fall_inside_the_persons_day(tmp_path):
    search = Search(tmp_path)
    actions = search.rejection("2026-11-20", "Acme", stage="interview", at="21:30")  # a Friday evening

    check_in = titled(actions, "Check in")[0]
    assert check_in.due == "Sun 22 Nov 2026, 08:00"
    assert "give it room until Sun 22 Nov 2026, 08:00" in actions[0].body
    assert titled(actions, "One follow-up")[0].due == "Mon 30 Nov 2026, 08:00"
    assert all(not a.due or "21:30" not in a.due for a in actions)


def test_a_coach_sets_the_persons_day(tmp_path):
    workflow = ('[workflow]\nname = "Night owl"\n\n[settings]\nday_starts = "10:00"\nday_ends = "23:00"\n\n'
                '[[steps]]\nuses = "allow-disappointment"\n')
    actions = Search(tmp_path, workflow=workflow).rejection("2026-11-20", "Acme", at="07:15")
    assert titled(actions, "Check in")[0].due == "Sat 21 Nov 2026, 10:00"


# --- coaches say what they mean ------------------------------------------------------------------------------


DEFAULT_WITH_CONTACTS = """[workflow]
name = "With contacts"

[[steps]]
uses = "allow-disappointment"
with = { support_contacts = ["Sam", "Priya"] }

[[steps]]
uses = "request-feedback"

[[steps]]
uses = "feedback-patterns"

[[steps]]
uses = "analyze-control"

[[steps]]
uses = "maintain-momentum"

[[steps]]
uses = "celebrate-wins"
"""


def test_every_title_is_the_coachs_to_word(tmp_path):
    workflow = """[workflow]
name = "Gentle"

[[steps]]
uses = "analyze-control"
with = { question_title = "A gentle look back at {company}", unclear = "Only if you feel like it: is there one thing you would change?" }

[[steps]]
uses = "allow-disappointment"
with = { title = "{company} said no", check_in_title = "How are you after {company}?" }
"""
    actions = Search(tmp_path, workflow=workflow).rejection("2026-11-10", "Bluebird")
    assert [a.title for a in actions] == ["A gentle look back at Bluebird", "Bluebird said no",
                                          "How are you after Bluebird?"]


def test_a_blank_support_contact_in_a_workflow_is_refused_where_it_is_written(tmp_path):
    workflow = tmp_path / "coachflow.toml"
    workflow.write_text('[workflow]\nname = "Contacts"\n\n[[steps]]\nuses = "allow-disappointment"\n'
                        'with = { support_contacts = ["", "Sam", "  "] }\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(workflow)], env={"COACHFLOW_NOW": "2026-11-25T17:30"})
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {workflow}:6: steps[1].with: 'support_contacts[0]' is blank; give each "
                             "person's name, such as [\"Sam\", \"Priya\"], or leave them out\n")
    run = CliRunner().invoke(cli, ["run", "rejection", "--company", "A", "--stage", "screen", "-w", str(workflow),
                                   "--dry-run"], env={"COACHFLOW_NOW": "2026-11-25T17:30"})
    assert run.exit_code == 2 and "Talk to ," not in run.output


def test_a_typo_in_an_option_table_is_refused_with_the_name_meant(tmp_path):
    workflow = tmp_path / "coachflow.toml"
    workflow.write_text('[workflow]\nname = "Typo"\n\n[[steps]]\nuses = "celebrate-wins"\n'
                        'with = { messages = { interview_invitation = "Well done!" } }\n', encoding="utf-8")
    search = Search(tmp_path)
    output = search.invoke("2026-11-10T10:00", "validate", str(workflow), code=2, workflow=False,
                           journal=False)
    assert ("coachflow.toml:6: steps[1].with.messages.interview_invitation: unknown milestone kind (did you mean "
            "'interview-invitation'?)") in output


def test_every_problem_of_a_step_is_reported_at_once(tmp_path):
    workflow = tmp_path / "coachflow.toml"
    workflow.write_text('[workflow]\nname = "Two mistakes"\n\n[[steps]]\nuses = "allow-disappointment"\n'
                        'with = { support_contacts = "Sam", window_hours = 0 }\n', encoding="utf-8")
    output = Search(tmp_path).invoke("2026-11-10T10:00", "validate", str(workflow), code=2, workflow=False,
                           journal=False)
    assert "steps[1].with.support_contacts: expected a list, got 'Sam'" in output
    assert "steps[1].with.window_hours: must be 1 or more, not 0" in output


def test_when_can_match_words_inside_a_text(tmp_path):
    workflow = """[workflow]
name = "Freeze care"

[[steps]]
uses = "allow-disappointment"
id = "freeze"
when = { reason = { contains = ["freeze", "budget*"] } }
with = { acknowledgement = "A freeze at {company} is about their money, not about you." }
"""
    search = Search(tmp_path, workflow=workflow)
    (note, _) = search.rejection("2026-11-10", "Acme", reason="There is a hiring freeze")
    assert note.body == "A freeze at Acme is about their money, not about you."
    assert search.rejection("2026-11-10", "Beta", reason="Budgets were cut") != []
    assert search.rejection("2026-11-11", "Gamma", reason="Not the right profile") == []


def test_a_coach_declares_a_milestone_kind_without_a_plugin(tmp_path):
    workflow = """[workflow]
name = "Networking"

[milestones.networking-introduction]
description = "someone introduced you to a person at a company you want to work for"
win = true

[milestones.coffee-chat-booked]
description = "a coffee chat is in the diary"
win = false

[[steps]]
uses = "celebrate-wins"

[[steps]]
uses = "maintain-momentum"
"""
    search = Search(tmp_path, workflow=workflow)
    search.applied("2026-11-02", "Acme")
    actions = search.milestone("2026-11-05", "networking-introduction", "Beta")
    assert actions[0].label == "Win"
    assert actions[0].title == "Networking introduction (Beta)"
    assert actions[0].body.endswith("Your first recorded win: keep counting.")
    assert search.milestone("2026-11-06", "coffee-chat-booked", "Gamma") == []
    report = json.loads(search.report("2026-11-07T10:00", "--format", "json"))
    assert report["wins"]["by_kind"] == {"networking-introduction": 1}
    # without the workflow the kind is unknown, and said so in one line
    output = search.invoke("2026-11-07T10:00", "run", "milestone", "--kind", "networking-introduction",
                           "--date", "2026-11-07", code=2, workflow=False)
    assert "--kind: 'networking-introduction' is not a milestone kind" in output


def test_a_clients_quiet_hours_are_their_day(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    search = Search(tmp_path)
    search.invoke("2026-11-20T09:00", "client", "add", "alex", journal=False)
    search.invoke("2026-11-20T09:00", "client", "set", "alex", "quiet_hours", "22:30-09:30", journal=False)
    output = search.invoke("2026-11-20T22:00", "run", "rejection", "--company", "Acme", "--date", "2026-11-20",
                           "--client", "alex", journal=False)
    from support.search import shown_actions

    check_in = titled(shown_actions(output), "Check in")[0]
    assert check_in.due == "Sat 21 Nov 2026, 22:00"  # inside her day: 09:30 to 22:30
    late = search.invoke("2026-11-20T23:15", "run", "rejection", "--company", "Beta", "--date", "2026-11-20",
                         "--client", "alex", journal=False)
    assert titled(shown_actions(late), "Check in")[0].due == "Sun 22 Nov 2026, 09:30"


def test_a_redacted_report_names_no_company_where_it_says_where_to_focus(tmp_path):
    search = Search(tmp_path)
    search.rejection("2026-11-02", "Acme", reason="Your portfolio was thin")
    search.rejection("2026-11-09", "Beta", reason="The portfolio lacked dashboards")
    data = json.loads(search.report("2026-11-10T09:00", "--format", "json", "--redact"))
    assert data["reasons"]["focus"][0]["companies"] == ["Company A", "Company B"]
    assert "Acme" not in search.report("2026-11-10T09:00", "--redact")


def test_a_clients_time_zone_is_the_clock_their_dates_and_reminders_follow(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    search = Search(tmp_path)
    search.invoke("2026-11-20T09:00", "client", "add", "kenji", journal=False)
    search.invoke("2026-11-20T09:00", "client", "set", "kenji", "timezone", "Asia/Tokyo", journal=False)
    search.invoke("2026-11-20T09:00", "client", "add", "ana", journal=False)
    # 20:30 in London on Friday is 05:30 on Saturday in Tokyo: Kenji's no came on his Saturday.
    instant = "2026-11-20T20:30+00:00"
    output = search.invoke(instant, "run", "rejection", "--company", "Acme", "--client", "kenji", journal=False)
    assert output.startswith("Rejection: Acme")
    assert "Sat 21 Nov 2026" in output.splitlines()[0]
    from support.search import shown_actions

    # a day from 05:30 his time is before his day starts: the check-in waits for 08:00
    assert titled(shown_actions(output), "Check in")[0].due == "Sun 22 Nov 2026, 08:00"
    # a client without a time zone keeps the machine's clock; a time without an offset is the person's own
    other = search.invoke("2026-11-20T20:30", "run", "rejection", "--company", "Acme", "--client", "ana",
                          journal=False)
    assert "Fri 20 Nov 2026" in other.splitlines()[0]
    assert titled(shown_actions(other), "Check in")[0].due == "Sat 21 Nov 2026, 20:30"


# --- the verdict is stored with the rejection --------------------------------------------------------

#: A coach who counts a portfolio review panel's no as outside the person's control.
PANEL_OUTSIDE = ANALYZE_ONLY + '\n[steps.with.extra_outside_reasons]\n"a review panel\'s rule" = ["portfolio review"]\n'
PANEL_REASON = "The portfolio review did not go our way"


def test_the_report_counts_a_rejection_as_the_run_said_even_with_another_workflow(tmp_path):
    search = Search(tmp_path, workflow=PANEL_OUTSIDE)
    (answer,) = search.rejection("2026-11-02", "Acme", reason=PANEL_REASON)
    assert answer.title == "Likely nothing you could have done differently at Acme"
    # the same no, imported without --run: nothing classified it yet
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"date,type,company,role,stage,reason\n2026-11-04,rejection,Beta,Analyst,application,"
                     f"{PANEL_REASON}\n", encoding="utf-8")
    search.invoke("2026-11-05T09:00", "import", str(sheet), workflow=False)
    other = tmp_path / "other.toml"
    other.write_text(ANALYZE_ONLY, encoding="utf-8")  # the default tables: a portfolio is application quality

    data = json.loads(search.invoke("2026-11-10T09:00", "report", "--format", "json", "-w", str(other),
                                    workflow=False))
    reasons = data["reasons"]
    assert (reasons["outside"], reasons["inside"]) == (1, 1)
    assert reasons["causes"] == {"a review panel's rule": 1}
    assert [(area["area"], area["companies"]) for area in reasons["focus"]] == [("application quality", ["Beta"])]
    # with the run's own workflow the imported no is classified as that workflow says
    data = json.loads(search.report("2026-11-10T09:00", "--format", "json"))
    assert (data["reasons"]["outside"], data["reasons"]["inside"], data["reasons"]["focus"]) == (2, 0, [])


def test_a_run_on_a_rejection_imported_without_run_stores_what_it_said(tmp_path):
    search = Search(tmp_path, workflow=PANEL_OUTSIDE)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"date,type,company,role,stage,reason\n2026-11-04,rejection,Acme,Analyst,application,"
                     f"{PANEL_REASON}\n", encoding="utf-8")
    search.invoke("2026-11-04T19:00", "import", str(sheet), workflow=False)
    (answer,) = search.rejection("2026-11-04", "Acme", reason=PANEL_REASON, recorded="2026-11-05T09:00")
    assert answer.title == "Likely nothing you could have done differently at Acme"
    other = tmp_path / "other.toml"
    other.write_text(ANALYZE_ONLY, encoding="utf-8")

    data = json.loads(search.invoke("2026-11-10T09:00", "report", "--format", "json", "-w", str(other),
                                    workflow=False))
    assert (data["reasons"]["outside"], data["reasons"]["inside"], data["numbers"]["noes"]) == (1, 0, 1)
