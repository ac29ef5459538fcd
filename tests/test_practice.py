"""A coach's practice through the commands: clients, their own values in a shared workflow, the board,
the digest and notes, the budget of open tasks. Real journals in a private data folder."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli


def coachflow(*args: str, now: str = "2026-11-25T17:30", input: str | None = None):
    return CliRunner().invoke(cli, list(args), env={"COACHFLOW_NOW": now}, input=input, catch_exceptions=False)


def ok(*args: str, **options) -> str:
    result = coachflow(*args, **options)
    assert result.exit_code == 0, result.output
    return result.output


WORKFLOW = '''[workflow]
name = "Practice"

[[steps]]
uses = "allow-disappointment"
with = { acknowledgement = "{client_name}, a no from {company} is hard. {coach_name} is here: {client_calendar}." }

[[steps]]
uses = "maintain-momentum"
'''


@pytest.fixture
def practice(tmp_path):
    """Two clients, Alex (with contacts, a target and a calendar link) and Jo (bare)."""
    ok("client", "add", "alex", "--name", "Alex Smith", "--coach", "Sam Rivera", "--contact", "Priya", "--target", "4")
    ok("client", "set", "alex", "variables.calendar", "cal.example/sam")
    ok("client", "add", "jo", "--name", "Jo Park")
    workflow = tmp_path / "practice.toml"
    workflow.write_text(WORKFLOW)
    return workflow


def test_clients_are_added_listed_shown_changed_and_removed(practice):
    assert ok("client", "list") == "alex  Alex Smith (coach: Sam Rivera)\njo    Jo Park\n"
    shown = json.loads(ok("client", "show", "alex", "--format", "json"))
    assert (shown["name"], shown["coach"], shown["support_contacts"], shown["pipeline_target"]) == (
        "Alex Smith", "Sam Rivera", ["Priya"], 4)
    assert shown["variables"] == {"calendar": "cal.example/sam"}
    ok("client", "set", "jo", "support_contacts", "Mina, Lee")
    assert json.loads(ok("client", "show", "jo", "--format", "json"))["support_contacts"] == ["Mina", "Lee"]
    refused = coachflow("client", "remove", "jo", input="n\n")
    assert refused.exit_code == 1 and "Remove Jo Park (jo)" in refused.output
    assert "Removed Jo Park" in ok("client", "remove", "jo", "--yes")
    assert ok("client", "list") == "alex  Alex Smith (coach: Sam Rivera)\n"


@pytest.mark.parametrize("args, message", [
    (("client", "show", "alx"), "Error: there is no client 'alx' (did you mean 'alex'?)\n"),
    (("client", "set", "alex", "pipline_target", "3"), "Error: pipline_target: not a client setting (did you mean "
     "'pipeline_target'?); the settings are name, coach, support_contacts, pipeline_target, timezone, quiet_hours, "
     "open_task_budget and variables.NAME\n"),
    (("client", "set", "alex", "quiet_hours", "late"), "Error: quiet_hours: expected a window such as "
     "\"21:00-08:00\", got 'late'\n"),
    (("client", "add", "alex"), "Error: there is a client 'alex' already; change it with: coachflow client set "
     "alex KEY VALUE\n"),
    (("client", "add", "no spaces"), "Error: client 'no spaces': use 1 to 64 letters, digits, '-' or '_' "
     "(for example: alex-smith)\n"),
])
def test_bad_client_input_is_one_line_and_exit_code_2(practice, args, message):
    result = coachflow(*args)
    assert (result.exit_code, result.stderr) == (2, message)


def test_a_client_file_with_a_typo_names_the_file_line_and_key(practice, tmp_path):
    from coachflow.clients import client_file

    client_file("alex").write_text('name = "Alex Smith"\nsuport_contacts = ["Priya"]\n')
    result = coachflow("run", "rejection", "--company", "Acme", "--client", "alex", "-w", str(practice))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {client_file('alex')}:2: suport_contacts: not a client setting "
                             "(did you mean 'support_contacts'?)\n")


def test_one_workflow_speaks_to_each_client_with_their_own_values(practice):
    alex = json.loads(ok("run", "rejection", "--company", "Acme", "--stage", "final", "--client", "alex",
                         "-w", str(practice), "--format", "json"))
    bodies = {action["title"]: action["body"] for action in alex["actions"]}
    note = next(body for title, body in bodies.items() if "disappointed" in title)
    assert note.startswith("Alex Smith, a no from Acme is hard. Sam Rivera is here: cal.example/sam.")
    assert "Talk to Priya" in bodies
    assert any("Aim for 4" in title or "4 applications" in body for title, body in bodies.items())
    # Jo has no coach name or calendar: the workflow is refused before anything is recorded.
    jo = coachflow("run", "rejection", "--company", "Acme", "--client", "jo", "-w", str(practice))
    assert jo.exit_code == 2
    assert jo.stderr.startswith("Error: client 'jo' has no value for {coach_name}, which step allow-disappointment")
    assert "coachflow client set jo coach ..." in jo.stderr
    # and nothing of Alex's reaches Jo's journal or output
    assert "Alex" not in ok("history", "--client", "jo") and "Acme" not in ok("history", "--client", "jo")
    anonymous = coachflow("run", "rejection", "--company", "Acme", "-w", str(practice), "--dry-run")
    assert anonymous.exit_code == 2 and "run it for a client with --client NAME" in anonymous.stderr


def _week_of_alex():
    for date, args in (("2026-11-16", ("milestone", "--kind", "applied", "--company", "Acme", "--role", "Analyst")),
                       ("2026-11-17", ("milestone", "--kind", "applied", "--company", "Beta", "--role", "Analyst")),
                       ("2026-11-23", ("rejection", "--company", "Beta", "--role", "Analyst", "--stage", "screen")),
                       ("2026-11-24", ("milestone", "--kind", "interview-invitation", "--company", "Acme",
                                       "--role", "Analyst")),
                       ("2026-11-24", ("rejection", "--company", "Gamma", "--stage", "application")),
                       ("2026-11-25", ("rejection", "--company", "Delta", "--stage", "interview"))):
        ok("run", *args, "--date", date, "--client", "alex")


def test_the_board_puts_who_needs_attention_first_and_says_why(practice):
    _week_of_alex()
    board = json.loads(ok("clients", "board", "--format", "json"))
    (alex, jo) = board["clients"]
    assert alex["client"] == "alex" and alex["attention"] == [
        "a rejection today (Delta, interview stage)", "3 rejections in 7 days", "pipeline under target (1 of 4 open)"]
    assert (alex["open_applications"], alex["target"], alex["rejections_this_week"], alex["last_activity"]) == (
        1, 4, 3, "2026-11-25")
    assert jo["attention"] == ["nothing recorded yet"]
    text = ok("clients", "board")
    assert text.startswith("Your practice on Wed 25 Nov 2026: 2 clients, 2 needing attention\n\nAlex Smith (alex)\n"
                           "  ! a rejection today (Delta, interview stage)\n")
    two_weeks_later = json.loads(ok("clients", "board", "--format", "json", now="2026-12-12T10:00"))
    assert "no events for 17 days" in two_weeks_later["clients"][0]["attention"]
    assert [row["client"] for row in json.loads(ok("clients", "board", "--attention", "--format", "json",
                                                   now="2026-12-12T10:00"))["clients"]] == ["alex", "jo"]
    markdown = ok("clients", "board", "--format", "markdown")
    assert "| Alex Smith | a rejection today (Delta, interview stage); 3 rejections in 7 days; pipeline under " \
           "target (1 of 4 open) | Wed 25 Nov 2026 | 1 / 4 | 3 | " in markdown


def test_the_digest_tells_the_week_wins_first_with_the_coachs_note(practice):
    _week_of_alex()
    ok("note", "--client", "alex", "Three noes in a week is a lot. Proud of how you kept going.")
    ok("note", "--client", "alex", "Last week's note", "--week", "2026-11-17")
    digest = ok("digest", "--client", "alex")
    assert digest.startswith("Alex Smith: the week of Mon 23 Nov 2026 to Sun 29 Nov 2026\n\nFrom Sam Rivera:\n"
                             "  Three noes in a week is a lot. Proud of how you kept going.\n\nThis week:\n"
                             "  24 Nov  Win: interview invitation, Analyst at Acme\n"
                             "  23 Nov  A no at the screen stage: Analyst at Beta\n")
    assert "Last week's note" not in digest
    assert "Due next week:\n" in digest
    last_week = ok("digest", "--client", "alex", "--week", "2026-11-18", "--format", "markdown")
    assert "> Last week's note" in last_week and "- 16 Nov: Applied: Analyst at Acme" in last_week


def test_the_board_and_the_digest_count_nothing_lapsed_as_overdue_or_coming(practice):
    _week_of_alex()
    (alex, _) = json.loads(ok("clients", "board", "--format", "json", now="2026-11-27T10:00"))["clients"]
    assert alex["overdue"] > 0  # the week's reminders, a few days late
    assert "Due next week:\n  2 Dec, 17:30" in ok("digest", "--client", "alex", "--week", "2026-11-25",
                                               now="2026-11-27T10:00")
    # a fortnight on, with nothing recorded since: all of it has lapsed
    (alex, _) = json.loads(ok("clients", "board", "--format", "json", now="2026-12-10T10:00"))["clients"]
    assert alex["overdue"] == 0 and not [text for text in alex["attention"] if "overdue" in text]
    digest = ok("digest", "--client", "alex", "--week", "2026-11-25", now="2026-12-10T10:00")
    assert "Due next week:\n  Nothing scheduled." in digest


def test_blank_support_contacts_are_dropped_on_the_command_line_and_refused_in_a_settings_file(practice):
    ok("client", "add", "kim", "--name", "Kim", "--contact", "  ", "--contact", "Sam")
    ok("client", "set", "jo", "support_contacts", ", Mina,  ,Lee")
    shown = {client: json.loads(ok("client", "show", client, "--format", "json"))["support_contacts"]
             for client in ("kim", "jo")}
    assert shown == {"kim": ["Sam"], "jo": ["Mina", "Lee"]}
    settings = Path(json.loads(ok("client", "show", "kim", "--format", "json"))["settings_file"])
    settings.write_text('name = "Kim"\nsupport_contacts = ["Sam", " "]\n', encoding="utf-8")
    refused = coachflow("client", "show", "kim")
    assert refused.exit_code == 2
    assert refused.stderr.endswith(":1: 'support_contacts[1]' is blank; give each person's name, such as "
                                   "[\"Sam\", \"Priya\"], or leave them out\n")


def test_a_client_sees_at_most_their_budget_of_open_items(practice):
    _week_of_alex()
    ok("client", "set", "alex", "open_task_budget", "2")
    due = ok("due", "--all", "--client", "alex", now="2026-11-27T10:00")
    assert due.count("\n  #") == 2
    held = len(json.loads(ok("due", "--all", "--client", "alex", "--format", "json", now="2026-11-27T10:00"))) - 2
    assert held > 0
    assert f"{held} more {'is' if held == 1 else 'are'} waiting; they appear here as you finish these" in due


CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("page", ["board", "digest"])
def test_the_board_and_digest_pages_render_in_chromium_and_fetch_nothing(practice, tmp_path, page):
    _week_of_alex()
    ok("note", "--client", "alex", "Keep going <b>strong</b>")
    args = ("clients", "board") if page == "board" else ("digest", "--client", "alex")
    target = tmp_path / f"{page}.html"
    ok(*args, "--format", "html", "-o", str(target))
    text = target.read_text()
    assert "<script" not in text and "http" not in text.replace('lang="en"', "")
    assert "&lt;b&gt;strong&lt;/b&gt;" in text or page == "board"
    screenshot = tmp_path / f"{page}.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1000,900",
                    f"--screenshot={screenshot}", target.as_uri()], capture_output=True, timeout=120, check=False)
    assert screenshot.stat().st_size > 5000
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync",
                          f"--user-data-dir={tmp_path / 'profile2'}", "--dump-dom", target.as_uri()],
                         capture_output=True, text=True, timeout=120, check=False).stdout
    assert "Alex Smith" in dom


def test_the_board_reads_a_journal_again_once_it_changed_and_never_shows_old_numbers(practice):
    _week_of_alex()
    before = json.loads(ok("clients", "board", "--format", "json"))["clients"][0]
    assert before["rejections_this_week"] == 3
    ok("run", "rejection", "--company", "Epsilon", "--date", "2026-11-25", "--client", "alex")
    after = json.loads(ok("clients", "board", "--format", "json"))["clients"][0]
    assert after["rejections_this_week"] == 4
    from coachflow.clients import clients_dir

    (clients_dir() / ".board-cache.json").write_text("{not json")  # a damaged cache is only slower
    assert json.loads(ok("clients", "board", "--format", "json"))["clients"][0] == after
    ok("client", "set", "alex", "pipeline_target", "8")
    assert json.loads(ok("clients", "board", "--format", "json"))["clients"][0]["target"] == 8


def test_a_redacted_report_keeps_the_numbers_and_names_no_company_and_quotes_nobody(tmp_path):
    journal = str(tmp_path / "search.sqlite3")
    events = [("milestone", "--kind", "applied", "--company", "Öko AG", "--role", "Analyst", "--date", "2026-11-02"),
              ("milestone", "--kind", "applied", "--company", "Northwind", "--role", "Analyst", "--date", "2026-11-03"),
              ("rejection", "--company", "öko ag", "--role", "Analyst", "--stage", "interview", "--date", "2026-11-10"),
              ("feedback", "--company", "Öko AG", "--role", "Analyst", "--source", "recruiter", "--text",
               "Your system design answers lacked depth", "--date", "2026-11-11"),
              ("feedback", "--company", "Northwind", "--role", "Analyst", "--source", "manager", "--text",
               "The system design part was thin", "--date", "2026-11-20"),
              ("milestone", "--kind", "interview-invitation", "--company", "Northwind", "--role", "Analyst",
               "--notes", "Call with Dana from Northwind", "--date", "2026-11-19")]
    for args in events:
        ok("run", *args, "--journal", journal)
    full = json.loads(ok("report", "--journal", journal, "--format", "json"))
    for output_format in ("json", "markdown", "html"):
        shared = ok("report", "--journal", journal, "--format", output_format, "--redact")
        for secret in ("Öko", "öko", "Northwind", "northwind", "lacked depth", "was thin", "Dana"):
            assert secret not in shared, (output_format, secret)
        assert "Company A" in shared or output_format != "json"
    redacted = json.loads(ok("report", "--journal", journal, "--format", "json", "--redact"))
    assert redacted["applications"] == full["applications"] and redacted["funnel"] == full["funnel"]
    assert [win["company"] for win in redacted["wins"]["recent"]] == ["Company B"]


def _due_times(client: str, now: str) -> dict[str, str | None]:
    """Title -> due time (minutes) of every open to-do of a client."""
    listed = json.loads(ok("due", "--all", "--client", client, "--format", "json", now=now))
    return {action["title"]: action["due"] for action in listed}


def _quiet(moment: str, starts: str, ends: str) -> bool:
    """Whether a due time ('2026-11-21T21:00') falls inside quiet hours from ``starts`` to ``ends``."""
    clock = moment[11:16]
    return clock >= starts or clock < ends if starts > ends else starts <= clock < ends


def test_every_reminder_of_a_run_falls_outside_the_clients_quiet_hours(practice):
    ok("client", "set", "jo", "quiet_hours", "21:00-08:00")
    # a no recorded on the minute quiet hours begin, another late at night, one before the day begins
    for now, company in (("2026-11-20T21:00", "Acme"), ("2026-11-20T23:40", "Beta")):
        ok("run", "rejection", "--company", company, "--client", "jo", now=now)
    dated = {title: when for title, when in _due_times("jo", "2026-11-20T23:45").items() if when}
    assert len(dated) == 4  # a check-in and a follow-up for each
    assert [when for when in dated.values() if _quiet(when, "21:00", "08:00")] == []
    assert dated["Check in: ready to move on from Acme?"] == "2026-11-22T08:00"  # not 21:00 on the 21st
    assert dated["Check in: ready to move on from Beta?"] == "2026-11-22T08:00"
    # the third no makes a run: one check-in and one follow-up for the three, in the day too
    ok("run", "rejection", "--company", "Gamma", "--client", "jo", now="2026-11-23T06:15")
    dated = {title: when for title, when in _due_times("jo", "2026-11-23T06:20").items() if when}
    assert len(dated) == 2
    assert [when for when in dated.values() if _quiet(when, "21:00", "08:00")] == []
    assert dated["Check in: ready to move on from Acme, Beta and Gamma?"] == "2026-11-24T08:00"


def test_quiet_hours_after_midnight_keep_the_small_hours_quiet_and_a_window_inside_the_day_is_refused(practice):
    ok("client", "set", "jo", "quiet_hours", "00:30-07:00")
    ok("run", "rejection", "--company", "Acme", "--client", "jo", now="2026-11-20T00:10")
    check_in = _due_times("jo", "2026-11-20T00:15")["Check in: ready to move on from Acme?"]
    assert check_in == "2026-11-21T07:00"
    refused = coachflow("client", "set", "jo", "quiet_hours", "13:00-14:00")
    assert (refused.exit_code, refused.stderr) == (2, "Error: quiet_hours: '13:00-14:00' lies inside the day, "
                                                      "which would split it in two; give the night, such as "
                                                      "\"21:00-08:00\" (reminders fall between its end and its "
                                                      "start)\n")
    assert json.loads(ok("client", "show", "jo", "--format", "json"))["quiet_hours"] == "00:30-07:00"


def test_the_budget_holds_back_what_can_wait_never_what_is_overdue(practice):
    ok("client", "set", "jo", "open_task_budget", "2")
    for day, company in (("2026-11-17", "Acme"), ("2026-11-18", "Beta")):
        ok("run", "rejection", "--company", company, "--client", "jo", now=f"{day}T10:00")
    now = "2026-11-19T12:00"  # the two check-ins are due (the last one since this morning's 10:00)
    everything = json.loads(ok("due", "--all", "--client", "jo", "--format", "json", now=now))
    overdue = [action["id"] for action in everything if action["due"] and action["due"] <= "2026-11-19T12:00"]
    assert len(overdue) == 2 and len(everything) > 2
    shown = ok("due", "--all", "--client", "jo", now=now)
    assert shown.startswith("Due now (2)\n") and "Any time" not in shown and "Coming up" not in shown
    assert [f"#{action_id} " in shown for action_id in overdue] == [True, True]
    assert f"{len(everything) - 2} more are waiting; they appear here as you finish these" in shown


# --- the board, the digest, status and kinds read the workflow as the run does ----------------

RUNS_AND_KINDS = '''[workflow]
name = "Close runs, own kinds"

[settings]
rejection_run = 2
rejection_run_days = 10

[milestones]
networking-introduction = { description = "Someone introduced you to a person at a company", win = true }
coffee-chat = { description = "An informal chat with someone in the field", win = false }

[[steps]]
uses = "allow-disappointment"

[[steps]]
uses = "celebrate-wins"
'''


@pytest.fixture
def runs_and_kinds(practice, tmp_path):
    workflow = tmp_path / "runs.toml"
    workflow.write_text(RUNS_AND_KINDS)
    return str(workflow)


def test_the_board_calls_a_run_of_noes_what_the_workflows_settings_call_one(runs_and_kinds):
    ok("run", "rejection", "--company", "Acme", "--date", "2026-11-14", "--client", "jo", "-w", runs_and_kinds,
       now="2026-11-14T10:00")
    second = json.loads(ok("run", "rejection", "--company", "Beta", "--date", "2026-11-22", "--client", "jo",
                           "-w", runs_and_kinds, "--format", "json", now="2026-11-22T10:00"))
    assert second["actions"][0]["title"] == "Two noes in 10 days: it's all right to feel it"  # what the run says
    board = json.loads(ok("clients", "board", "-w", runs_and_kinds, "--format", "json", now="2026-11-23T09:00"))
    jo = next(row for row in board["clients"] if row["client"] == "jo")
    assert "2 rejections in 10 days" in jo["attention"]
    assert jo["rejections_this_week"] == 1  # the column still counts the last 7 days
    # the built-in workflow's run is 3 noes in 7 days: no run on the same journal
    builtin = json.loads(ok("clients", "board", "--format", "json", now="2026-11-23T09:00"))
    assert not any("rejections in" in reason for row in builtin["clients"] for reason in row["attention"])
    bad = Path(runs_and_kinds).with_name("bad.toml")
    bad.write_text(RUNS_AND_KINDS.replace("rejection_run = 2", "rejection_run = 1"))
    refused = coachflow("clients", "board", "-w", str(bad))
    assert refused.exit_code == 2 and refused.stderr.startswith(f"Error: {bad}:")
    assert "settings.rejection_run" in refused.stderr and "Traceback" not in refused.stderr


def test_status_report_and_digest_count_the_wins_the_workflow_declares(runs_and_kinds):
    for day, kind, company in (("2026-11-23", "networking-introduction", "Acme"),
                               ("2026-11-24", "coffee-chat", "Beta"),
                               ("2026-11-25", "interview-invitation", "Beta")):
        ok("run", "milestone", "--kind", kind, "--company", company, "--date", day, "--client", "jo",
           "-w", runs_and_kinds, now=f"{day}T10:00")
    status = json.loads(ok("status", "--client", "jo", "-w", runs_and_kinds, "--format", "json"))
    assert status["recent"]["wins"] == {"interview-invitation": 1, "networking-introduction": 1}
    assert status["recent"]["win_count"] == 2
    assert "2 wins (1 interview invitation, 1 networking introduction)" in " ".join(ok(
        "status", "--client", "jo", "-w", runs_and_kinds).split())
    report = json.loads(ok("report", "--client", "jo", "-w", runs_and_kinds, "--format", "json"))
    assert report["wins"]["by_kind"] == status["recent"]["wins"]
    # the built-in workflow does not know the kinds, so it counts only its own
    assert json.loads(ok("status", "--client", "jo", "--format", "json"))["recent"]["wins"] == {
        "interview-invitation": 1}
    digest = ok("digest", "--client", "jo", "-w", runs_and_kinds)
    happened = digest.split("This week:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert happened == ["  23 Nov  Win: networking introduction, Acme", "  25 Nov  Win: interview invitation, Beta",
                        "  24 Nov  Coffee chat: Beta"]


def test_kinds_lists_the_kinds_a_workflow_declares(runs_and_kinds, monkeypatch):
    monkeypatch.chdir(Path(runs_and_kinds).parent)
    text = ok("kinds", "-w", "runs.toml")
    assert text.endswith("networking-introduction  Someone introduced you to a person at a company (a\n"
                         "                         win; declared in runs.toml)\n"
                         "coffee-chat              An informal chat with someone in the field (declared\n"
                         "                         in runs.toml)\n")
    listed = {row["kind"]: row for row in json.loads(ok("kinds", "-w", "runs.toml", "--format", "json"))}
    assert (listed["networking-introduction"]["win"], listed["networking-introduction"]["workflow"]) == (
        True, "runs.toml")
    assert (listed["coffee-chat"]["win"], listed["interview-invitation"]["workflow"]) == (False, None)
    assert "tea-break" in ok("kinds", "-w", "-", input=RUNS_AND_KINDS.replace("coffee-chat", "tea-break"))
    # ./coachflow.toml is the workflow when -w is left out, as for every command
    Path("coachflow.toml").write_text(RUNS_AND_KINDS)
    found = {row["kind"]: row["workflow"] for row in json.loads(ok("kinds", "--format", "json"))}
    assert found["coffee-chat"] == str(Path.cwd() / "coachflow.toml")
    Path("coachflow.toml").unlink()
    assert "coffee-chat" not in ok("kinds")


def test_the_board_takes_the_target_a_client_lacks_from_the_workflow_as_the_run_does(practice, tmp_path):
    workflow = tmp_path / "target.toml"
    workflow.write_text('[workflow]\nname = "Three open"\n\n[[steps]]\nuses = "maintain-momentum"\n'
                        'with = { target = 3 }\n')
    for company in ("Acme", "Beta"):
        ok("run", "milestone", "--kind", "applied", "--company", company, "--date", "2026-11-24", "--client", "jo",
           "-w", str(workflow))
    ran = json.loads(ok("run", "milestone", "--kind", "applied", "--company", "Gamma", "--date", "2026-11-25",
                        "--client", "jo", "-w", str(workflow), "--format", "json"))
    assert not any("more application" in action["title"] for action in ran["actions"])  # 3 of 3: nothing to add
    jo = next(row for row in json.loads(ok("clients", "board", "-w", str(workflow), "--format", "json"))["clients"]
              if row["client"] == "jo")
    assert (jo["open_applications"], jo["target"]) == (3, 3)
    assert not any("under target" in reason for reason in jo["attention"])
    builtin = next(row for row in json.loads(ok("clients", "board", "--format", "json"))["clients"]
                   if row["client"] == "jo")
    assert "pipeline under target (3 of 5 open)" in builtin["attention"]
    # a client's own target is theirs, whatever the workflow says
    alex = next(row for row in json.loads(ok("clients", "board", "-w", str(workflow), "--format", "json"))["clients"]
                if row["client"] == "alex")
    assert alex["target"] == 4
