"""A coach's commands on both backends: the clients on this machine, and the PostgreSQL practice store.

Every test of ``backend`` runs through the commands twice: with the clients
in the data folder (settings files, a SQLite journal each) and with
``COACHFLOW_JOURNAL`` naming a practice store, connected as a coach's own
PostgreSQL role. The store's runs need the test server
(``COACHFLOW_TEST_POSTGRES``, see ``tests/support/postgres.py``): without
it they skip, saying how to run them, and under ``CI=true`` they fail.
"""

from __future__ import annotations

import json
import secrets

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from support.postgres import admin_connection, practice_server

NOW = "2026-11-25T17:30"


@pytest.fixture
def server():
    """A practice store of the test's own: client names are the practice's, one coach's each."""
    yield from practice_server()


def new_coach(server) -> str:
    """A coach of their own for one test: a URL that connects as a fresh role in coachflow_coach."""
    return server.coach(f"coach{secrets.token_hex(3)}")


class Practice:
    """The commands of one coach, on one backend."""

    def __init__(self, env: dict[str, str], label: str):
        self.env = env
        self.label = label

    def invoke(self, *args: str, now: str = NOW, input: str | None = None):
        return CliRunner().invoke(cli, list(args), env={"COACHFLOW_NOW": now, **self.env}, input=input,
                                  catch_exceptions=False)

    def ok(self, *args: str, **options) -> str:
        result = self.invoke(*args, **options)
        assert result.exit_code == 0, (self.label, args, result.output)
        return result.output

    def board(self, *args: str, **options) -> dict:
        return json.loads(self.ok("clients", "board", "--format", "json", *args, **options))


@pytest.fixture(params=["files", "store"])
def backend(request) -> Practice:
    if request.param == "files":
        return Practice({}, "files")
    return Practice({"COACHFLOW_JOURNAL": new_coach(request.getfixturevalue("server"))}, "store")


def files_and_store(server) -> tuple[Practice, Practice]:
    return Practice({}, "files"), Practice({"COACHFLOW_JOURNAL": new_coach(server)}, "store")


# --- clients -----------------------------------------------------------------------------


def test_clients_are_added_listed_shown_changed_and_removed(backend):
    backend.ok("client", "add", "alex", "--name", "Alex Smith", "--coach", "Sam Rivera", "--contact", "Priya",
               "--target", "4")
    backend.ok("client", "add", "jo", "--name", "Jo Park")
    backend.ok("client", "set", "jo", "support_contacts", "Mina, Lee")
    backend.ok("client", "set", "alex", "variables.calendar", "cal.example/sam")
    assert backend.ok("client", "list") == "alex  Alex Smith (coach: Sam Rivera)\njo    Jo Park\n"
    shown = json.loads(backend.ok("client", "show", "alex", "--format", "json"))
    assert {key: shown[key] for key in ("id", "name", "coach", "support_contacts", "pipeline_target", "variables")} == {
        "id": "alex", "name": "Alex Smith", "coach": "Sam Rivera", "support_contacts": ["Priya"],
        "pipeline_target": 4, "variables": {"calendar": "cal.example/sam"}}
    text = backend.ok("client", "show", "jo")
    assert text.startswith("Jo Park (jo)\n  settings: ")
    assert text.endswith('name = "Jo Park"\nsupport_contacts = [\n    "Mina",\n    "Lee",\n]\n')
    if backend.label == "store":
        assert "  settings: the practice store postgresql://" in text and "(client jo)\n" in text
    refused = backend.invoke("client", "remove", "jo", input="n\n")
    assert refused.exit_code == 1 and "Remove Jo Park (jo)" in refused.output
    assert backend.ok("client", "remove", "jo", "--yes") == "Removed Jo Park: their settings and journal.\n"
    assert backend.ok("client", "list") == "alex  Alex Smith (coach: Sam Rivera)\n"


def test_a_clients_settings_are_edited_and_checked_before_they_are_kept(backend, tmp_path):
    backend.ok("client", "add", "alex", "--name", "Alex Smith")
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nsleep 0.01\nprintf \'name = "Alex S."\\npipeline_target = 3\\n\' > "$1"\n')
    editor.chmod(0o755)
    backend.env["EDITOR"] = str(editor)
    assert backend.ok("client", "edit", "alex") == "Saved alex's settings.\n"
    shown = json.loads(backend.ok("client", "show", "alex", "--format", "json"))
    assert (shown["name"], shown["pipeline_target"]) == ("Alex S.", 3)
    assert backend.board()["clients"][0]["target"] == 3
    editor.write_text('#!/bin/sh\nsleep 0.01\nprintf \'nmae = "Typo"\\n\' > "$1"\n')
    typo = backend.invoke("client", "edit", "alex")
    assert (typo.exit_code, typo.stderr) == (2, "Error: alex.toml (edited):1: nmae: not a client setting (did you "
                                                "mean 'name'?)\n")
    assert json.loads(backend.ok("client", "show", "alex", "--format", "json"))["name"] == "Alex S."


def test_a_clients_step_options_are_checked_as_a_workflows_with_table_before_they_are_kept(backend, tmp_path):
    """``window_hours = "a day"`` was saved, then every run failed with a Python error and no line."""
    backend.ok("client", "add", "kim", "--name", "Kim")
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nsleep 0.01\nprintf \'name = "Kim"\\n[steps.allow-disappointment]\\n'
                      'window_hours = "a day"\\nsupport_contacts = "Sam"\\n\' > "$1"\n')
    editor.chmod(0o755)
    backend.env["EDITOR"] = str(editor)
    refused = backend.invoke("client", "edit", "kim")
    assert (refused.exit_code, refused.stderr) == (2, (
        "Error: kim.toml (edited):3: steps.allow-disappointment.window_hours: expected an integer, got 'a day'\n"
        "Error: kim.toml (edited):4: steps.allow-disappointment.support_contacts: expected a list, got 'Sam'\n"))
    assert json.loads(backend.ok("client", "show", "kim", "--format", "json"))["steps"] == {}
    editor.write_text('#!/bin/sh\nsleep 0.01\nprintf \'name = "Kim"\\n[steps.allow-disappointment]\\n'
                      'support_contacts = ["Sam"]\\n\' > "$1"\n')
    assert backend.ok("client", "edit", "kim") == "Saved kim's settings.\n"
    run = json.loads(backend.ok("run", "rejection", "--company", "B", "--client", "kim", "--dry-run",
                                "--format", "json"))
    assert "Talk to Sam" in [action["title"] for action in run["actions"]]


@pytest.mark.parametrize("table, message", [
    ('[steps.allow-disappointment]\nsupport_contacts = "Sam"\n',
     "3: steps.allow-disappointment.support_contacts: expected a list, got 'Sam'"),
    ("[steps.maintain-momentum]\ntarget = 4.5\n", "3: steps.maintain-momentum.target: expected an integer, got 4.5"),
    ('[steps.allow-disappointment]\nwindow_hours = "a day"\n',
     "3: steps.allow-disappointment.window_hours: expected an integer, got 'a day'"),
    ("[steps.allow-disappointment]\nwindow_hour = 3\n",
     "3: steps.allow-disappointment.window_hour: unknown key (did you mean 'window_hours'?)"),
])
def test_a_client_file_with_a_wrong_step_option_is_refused_at_its_line(table, message):
    """A client file edited by hand: ``support_contacts = "Sam"`` became "Talk to S, a or m"."""
    files = Practice({}, "files")
    files.ok("client", "add", "kim", "--name", "Kim")
    from coachflow.clients import client_file

    path = client_file("kim")
    path.write_text('name = "Kim"\n' + table, encoding="utf-8")
    result = files.invoke("run", "rejection", "--company", "B", "--client", "kim", "--dry-run")
    assert (result.exit_code, result.stderr) == (2, f"Error: {path}:{message}\n")


@pytest.mark.parametrize("args, message", [
    (("client", "show", "alx"), "there is no client 'alx'"),
    (("client", "set", "alex", "pipline_target", "3"), "pipline_target: not a client setting (did you mean "
     "'pipeline_target'?)"),
    (("client", "set", "alex", "quiet_hours", "late"), "quiet_hours: expected a window such as \"21:00-08:00\", "
     "got 'late'"),
    (("client", "add", "alex"), "there is a client 'alex' already; change it with: coachflow client set alex KEY "
     "VALUE"),
    (("client", "add", "no spaces"), "client 'no spaces': use 1 to 64 letters, digits, '-' or '_'"),
    (("digest", "--client", "nobody"), "there is no client 'nobody'"),
    (("note", "--client", "nobody", "Hello"), "there is no client 'nobody'"),
    (("note", "--client", "alex", "   "), "the note is empty"),
])
def test_bad_input_is_one_line_and_exit_code_2(backend, args, message):
    backend.ok("client", "add", "alex", "--name", "Alex Smith")
    result = backend.invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: " + message) and result.stderr.count("\n") == 1, result.stderr


def test_a_run_for_a_client_uses_the_settings_of_that_backend(backend, tmp_path):
    workflow = tmp_path / "practice.toml"
    workflow.write_text('[workflow]\nname = "Practice"\n\n[[steps]]\nuses = "allow-disappointment"\nwith = '
                        '{ acknowledgement = "{client_name}, a no from {company} is hard. {coach_name} is here." }\n')
    backend.ok("client", "add", "alex", "--name", "Alex Smith", "--coach", "Sam Rivera", "--contact", "Priya")
    backend.ok("client", "add", "jo", "--name", "Jo Park")
    alex = json.loads(backend.ok("run", "rejection", "--company", "Acme", "--stage", "final", "--client", "alex",
                                 "-w", str(workflow), "--format", "json"))
    bodies = {action["title"]: action["body"] for action in alex["actions"]}
    assert any(body.startswith("Alex Smith, a no from Acme is hard. Sam Rivera is here.") for body in bodies.values())
    assert "Talk to Priya" in bodies
    jo = backend.invoke("run", "rejection", "--company", "Acme", "--client", "jo", "-w", str(workflow))
    assert jo.exit_code == 2
    assert jo.stderr.startswith("Error: client 'jo' has no value for {coach_name}, which step allow-disappointment")


def test_a_note_and_the_digest_of_the_week(backend):
    backend.ok("client", "add", "alex", "--name", "Alex Smith", "--coach", "Sam Rivera")
    for date, args in (("2026-11-16", ("milestone", "--kind", "applied", "--company", "Acme", "--role", "Analyst")),
                       ("2026-11-23", ("rejection", "--company", "Beta", "--role", "Analyst", "--stage", "screen")),
                       ("2026-11-24", ("milestone", "--kind", "interview-invitation", "--company", "Acme",
                                       "--role", "Analyst"))):
        backend.ok("run", *args, "--date", date, "--client", "alex")
    assert backend.ok("note", "--client", "alex", "Proud of how you kept going.") == (
        "Noted for Alex Smith, the week of Mon 23 Nov 2026.\n")
    backend.ok("note", "--client", "alex", "Last week's note", "--week", "2026-11-17")
    digest = backend.ok("digest", "--client", "alex")
    assert digest.startswith("Alex Smith: the week of Mon 23 Nov 2026 to Sun 29 Nov 2026\n\nFrom Sam Rivera:\n"
                             "  Proud of how you kept going.\n\nThis week:\n"
                             "  24 Nov  Win: interview invitation, Analyst at Acme\n"
                             "  23 Nov  A no at the screen stage: Analyst at Beta\n")
    assert "Last week's note" not in digest
    assert "> Last week's note" in backend.ok("digest", "--client", "alex", "--week", "2026-11-18",
                                               "--format", "markdown")
    # the client's report carries their name and the coach's notes of the period, on either backend
    report = json.loads(backend.ok("report", "--client", "alex", "--since", "2026-11-16", "--format", "json"))
    assert report["client"]["name"] == "Alex Smith", (backend.label, report["client"])
    assert [note["text"] for note in report["notes"]] == ["Last week's note", "Proud of how you kept going."]


# --- the board ---------------------------------------------------------------------------

#: A practice that touches every part of the board: noes today and in a hard week, roles and
#: role-less events at one company, themes recurring across applications (and a text that only
#: praises), follow-ups of the built-in workflow that fall overdue on the later days the board
#: is asked about, a quiet client and one with nothing yet.
PRACTICE = {
    "alex": (("--name", "Alex Smith", "--target", "4"), [
        ("2026-11-02", "milestone", "--kind", "applied", "--company", "Acme", "--role", "Data Analyst"),
        ("2026-11-09", "milestone", "--kind", "applied", "--company", "Beta", "--role", "Analyst"),
        ("2026-11-16", "milestone", "--kind", "applied", "--company", "Gamma", "--role", "Analyst"),
        ("2026-11-20", "feedback", "--company", "Acme", "--role", "Data Analyst", "--text",
         "Great energy, but the system design answers lacked depth."),
        ("2026-11-23", "rejection", "--company", "Delta", "--stage", "application", "--reason",
         "They wanted more SQL depth"),
        ("2026-11-25", "rejection", "--company", "Beta", "--role", "Analyst", "--stage", "screen", "--reason",
         "Communication was excellent."),
    ]),
    "sam": (("--name", "Sam Lee",), [
        ("2026-11-03", "milestone", "--kind", "applied", "--company", "Northwind", "--role", "Engineer"),
        ("2026-11-04", "milestone", "--kind", "applied", "--company", "Northwind"),
        ("2026-11-05", "milestone", "--kind", "applied", "--company", "Initech", "--role", "Engineer"),
        ("2026-11-20", "rejection", "--company", "Northwind", "--stage", "screen"),
        ("2026-11-21", "rejection", "--company", "Initech", "--role", "Engineer", "--stage", "interview",
         "--reason", "more experience with cloud systems"),
        ("2026-11-22", "feedback", "--company", "Initech", "--text", "They hired someone with more experience."),
        ("2026-11-23", "rejection", "--company", "Umbrella", "--role", "Engineer", "--stage", "final", "--reason",
         "they wanted someone more senior"),
        ("2026-11-24", "milestone", "--kind", "applied", "--company", "Northwind", "--role", "Platform Engineer"),
    ]),
    "jo": (("--name", "Jo Park", "--target", "2"), [
        ("2026-10-20", "milestone", "--kind", "applied", "--company", "Globex", "--role", "Designer"),
        ("2026-10-21", "milestone", "--kind", "applied", "--company", "Hooli", "--role", "Designer"),
    ]),
    "kim": (("--name", "Kim Ode",), []),
}


def build_practice(practice: Practice) -> None:
    for client, (settings, events) in PRACTICE.items():
        practice.ok("client", "add", client, *settings)
        for date, *args in events:
            practice.ok("run", *args, "--date", date, "--client", client)


def test_the_same_clients_give_the_same_board_on_both_backends(server, tmp_path):
    files, store = files_and_store(server)
    build_practice(files)
    build_practice(store)
    for now in (NOW, "2026-11-27T09:00", "2026-12-12T10:00"):
        on_files, on_store = files.board(now=now), store.board(now=now)
        assert on_store == on_files, now
        assert files.board("--attention", now=now) == store.board("--attention", now=now)
    # A workflow's own hard run (2 noes in 10 days) and pipeline target, read by both the same way.
    workflow = tmp_path / "runs.toml"
    workflow.write_text('[workflow]\nname = "Runs"\n\n[settings]\nrejection_run = 2\nrejection_run_days = 10\n\n'
                        '[[steps]]\nuses = "maintain-momentum"\nwith = { target = 3 }\n')
    with_workflow = files.board("-w", str(workflow))
    assert store.board("-w", str(workflow)) == with_workflow
    assert "2 rejections in 10 days" in {row["client"]: row for row in with_workflow["clients"]}["alex"]["attention"]
    board = files.board()
    # What the board says is true of these journals, not only the same on both sides.
    rows = {row["client"]: row for row in board["clients"]}
    assert [row["client"] for row in board["clients"]] == ["alex", "sam", "jo", "kim"]
    assert rows["alex"]["attention"][0] == "a rejection today (Beta, screen stage)"
    assert (rows["alex"]["open_applications"], rows["alex"]["themes"]) == (2, ["technical depth"])
    assert rows["sam"]["rejections_this_week"] == 3 and "3 rejections in 7 days" in rows["sam"]["attention"]
    assert rows["sam"]["themes"] == ["experience level"]
    assert rows["sam"]["open_applications"] == 1  # Northwind's role-less no closed both earlier applications
    assert rows["jo"]["attention"] == ["no events for 35 days"]
    assert [(row["client"], row["overdue"]) for row in files.board(now="2026-11-27T09:00")["clients"]] == [
        ("alex", 2), ("sam", 1), ("jo", 0), ("kim", 0)]
    # weeks later, with nothing recorded since, those have lapsed on both backends
    assert [row["overdue"] for row in store.board(now="2026-12-12T10:00")["clients"]] == [0, 0, 0, 0]
    assert rows["kim"]["attention"] == ["nothing recorded yet"]
    for output_format in ("text", "markdown", "html"):
        assert (files.ok("clients", "board", "--format", output_format)
                == store.ok("clients", "board", "--format", output_format))


def test_the_board_on_the_store_follows_new_events_and_settings(server):
    store = Practice({"COACHFLOW_JOURNAL": new_coach(server)}, "store")
    store.ok("client", "add", "alex", "--name", "Alex Smith", "--target", "2")
    store.ok("run", "milestone", "--kind", "applied", "--company", "Acme", "--role", "Analyst", "--date",
             "2026-11-20", "--client", "alex")
    (before,) = store.board()["clients"]
    assert (before["open_applications"], before["rejections_this_week"]) == (1, 0)
    store.ok("run", "rejection", "--company", "Acme", "--role", "Analyst", "--stage", "screen", "--client", "alex")
    (after,) = store.board()["clients"]
    assert (after["open_applications"], after["rejections_this_week"]) == (0, 1)
    assert after["attention"][0] == "a rejection today (Acme, screen stage)"
    store.ok("client", "set", "alex", "pipeline_target", "6")
    store.ok("client", "set", "alex", "name", "Alex S.")
    (renamed,) = store.board()["clients"]
    assert (renamed["name"], renamed["target"]) == ("Alex S.", 6)
    store.ok("client", "remove", "alex", "--yes")
    assert store.board()["clients"] == []


def test_a_coach_sees_only_their_own_clients_on_the_board_and_in_every_command(server):
    ana = Practice({"COACHFLOW_JOURNAL": new_coach(server)}, "ana")
    ben = Practice({"COACHFLOW_JOURNAL": new_coach(server)}, "ben")
    ana.ok("client", "add", "alex-smith", "--name", "Alex Smith")
    ana.ok("run", "rejection", "--company", "Acme", "--stage", "screen", "--client", "alex-smith")
    ana.ok("note", "--client", "alex-smith", "Ana's note about Alex")
    ben.ok("client", "add", "jo-park", "--name", "Jo Park")
    ben.ok("run", "milestone", "--kind", "applied", "--company", "Globex", "--role", "Designer", "--client", "jo-park")
    assert [row["client"] for row in ana.board()["clients"]] == ["alex-smith"]
    assert [row["client"] for row in ben.board()["clients"]] == ["jo-park"]
    for output_format in ("text", "markdown", "html", "json"):
        shown = ben.ok("clients", "board", "--format", output_format)
        assert "Alex" not in shown and "alex-smith" not in shown and "Acme" not in shown
    assert ben.ok("client", "list") == "jo-park  Jo Park\n"
    for args in (("client", "show", "alex-smith"), ("client", "set", "alex-smith", "name", "Mine now"),
                 ("client", "remove", "alex-smith", "--yes"), ("digest", "--client", "alex-smith"),
                 ("note", "--client", "alex-smith", "Ben was here")):
        result = ben.invoke(*args)
        assert result.exit_code == 2 and result.stderr.startswith("Error: there is no client 'alex-smith' of yours")
    taken = ben.invoke("client", "add", "alex-smith")
    assert (taken.exit_code, taken.stderr) == (2, "Error: the client name 'alex-smith' is taken by another coach of "
                                                  "this practice; choose another name\n")
    # Ana's client is as she left it, and the board's kept facts are hers alone, whatever SQL Ben sends.
    assert [row["client"] for row in ana.board()["clients"]] == ["alex-smith"]
    assert "Ana's note about Alex" in ana.ok("digest", "--client", "alex-smith")
    import psycopg

    with psycopg.connect(ben.env["COACHFLOW_JOURNAL"], autocommit=True) as raw:
        assert raw.execute("SELECT count(*) FROM coachflow.board_facts").fetchone()[0] == 1
        assert raw.execute("SELECT c.name FROM coachflow.board_facts f JOIN coachflow.clients c "
                           "ON c.id = f.client_id").fetchall() == [("jo-park",)]
        assert raw.execute("UPDATE coachflow.board_facts SET open_applications = 99").rowcount == 1
        assert raw.execute("DELETE FROM coachflow.clients WHERE name = 'alex-smith'").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("UPDATE coachflow.clients SET coach = current_user WHERE name = 'jo-park'")
    assert ana.board()["clients"][0]["open_applications"] == 0
    # A practice administrator (a member of coachflow_admin) sees every coach's clients.
    from coachflow.journal.postgres import ADMIN_ROLE

    manager = Practice({"COACHFLOW_JOURNAL": server.role(f"manager{secrets.token_hex(3)}", member_of=ADMIN_ROLE)},
                       "manager")
    assert [row["client"] for row in manager.board()["clients"]] == ["alex-smith", "jo-park"]
    assert manager.ok("client", "list") == "alex-smith  Alex Smith\njo-park     Jo Park\n"


def test_copying_the_profiles_of_this_machine_into_the_store_brings_the_clients_settings(server):
    from coachflow.journal.paths import data_dir

    files = Practice({}, "files")
    files.ok("client", "add", "alex", "--name", "Alex Smith", "--coach", "Sam Rivera", "--target", "3")
    files.ok("run", "milestone", "--kind", "applied", "--company", "Acme", "--role", "Analyst", "--client", "alex")
    store = Practice({"COACHFLOW_JOURNAL": new_coach(server)}, "store")
    store.ok("journal", "copy", str(data_dir() / "profiles"), store.env["COACHFLOW_JOURNAL"])
    assert store.ok("client", "list") == "alex  Alex Smith (coach: Sam Rivera)\n"
    assert store.board() == files.board()
    # Settings the store has already are the store's: a second copy leaves them alone.
    store.ok("client", "set", "alex", "pipeline_target", "6")
    store.ok("journal", "copy", str(data_dir() / "profiles"), store.env["COACHFLOW_JOURNAL"])
    assert store.board()["clients"][0]["target"] == 6


def test_a_store_from_before_the_practice_gets_its_themes_tagged_when_migrated(server):
    """A schema 2 store (no settings, no theme tags) migrated to 3: texts recorded before are tagged."""
    from coachflow.journal.postgres import PracticeStore

    from support.postgres import PracticeServer, url_for

    old = PracticeServer(server.server)
    try:
        store = PracticeStore(old.admin_url)
        store.migrate(up_to=2)
        store.execute("INSERT INTO coachflow.clients (name) VALUES ('alex')")
        for number, (company, text) in enumerate((("Acme", "The system design part lacked depth"),
                                                  ("Beta", "Not enough depth on SQL")), start=1):
            store.execute(
                "INSERT INTO coachflow.events (client_id, id, type, date, company, role, text, company_key, "
                "role_key, content_key, copy, recorded_at) SELECT id, %s, 'feedback', %s, %s, 'Analyst', %s, "
                "lower(%s), 'analyst', %s, 1, '2026-11-25T09:00:00' FROM coachflow.clients",
                (number, f"2026-11-2{number}", company, text, company, bytes([number])))
        store.close()
        store = PracticeStore(old.admin_url)
        assert store.migrate() == 2
        store.close()
        admin = Practice({"COACHFLOW_JOURNAL": url_for(server.server, dbname=old.dbname)}, "admin")
        (row,) = admin.board()["clients"]
        assert (row["client"], row["themes"], row["last_activity"]) == ("alex", ["technical depth"], "2026-11-22")
        assert row["open_applications"] == 0
        assert admin.ok("client", "show", "alex").startswith("alex (alex)\n")
    finally:
        old.drop()


def test_the_stored_theme_tags_follow_the_themes_coachflow_knows():
    from coachflow.journal.postgres import TAGGED_THEMES, themes_digest

    assert TAGGED_THEMES == themes_digest(), (
        "coachflow.themes.DEFAULT_THEMES changed: the practice store's theme tags need a migration that re-tags "
        "(see coachflow.journal.postgres.TAGGED_THEMES)")


def test_a_journal_file_is_not_a_practice(tmp_path):
    result = CliRunner().invoke(cli, ["clients", "board", "--journal", str(tmp_path / "one.sqlite3")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: --journal {tmp_path / 'one.sqlite3'}: a file is one person's journal")


def test_a_clients_time_zone_dates_their_events_on_both_backends(backend):
    backend.ok("client", "add", "kenji", "--name", "Kenji Mori")
    backend.ok("client", "set", "kenji", "timezone", "Asia/Tokyo")
    # 20:30 on Friday in London is 05:30 on Saturday in Tokyo, where the settings (file or row) put Kenji
    output = backend.ok("run", "rejection", "--company", "Acme", "--client", "kenji", now="2026-11-20T20:30+00:00")
    assert output.splitlines()[0] == "Rejection: Acme (application stage), Sat 21 Nov 2026", (backend.label, output)


def test_no_command_writes_over_a_journal_file_on_either_backend(backend, tmp_path):
    """A command reading the practice store writes its -o file by the same rule as one on this machine."""
    victim = tmp_path / "j.sqlite3"
    assert CliRunner().invoke(cli, ["run", "milestone", "--kind", "applied", "--company", "A", "--role", "R",
                                    "--journal", str(victim)]).exit_code == 0
    backend.ok("client", "add", "kim", "--name", "Kim")
    backend.ok("run", "rejection", "--company", "B", "--client", "kim")
    for command in (["clients", "board"], ["digest", "--client", "kim"], ["report", "--profile", "kim"],
                    ["calendar", "--profile", "kim"], ["export", "--format", "jsonl", "--profile", "kim"]):
        result = backend.invoke(*command, "-o", str(victim), "--force")
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr == (f"Error: -o {victim}: that file is a database (a journal, perhaps), and coachflow "
                                 "never writes over one, even with --force; name another file\n"), command
    result = backend.invoke("init", str(victim), "--force")
    assert result.exit_code == 2 and "that file is a database" in result.stderr
    history = CliRunner().invoke(cli, ["history", "--journal", str(victim)])
    assert history.exit_code == 0 and "A" in history.output


def test_one_broken_settings_file_leaves_the_rest_of_the_practice_working(tmp_path):
    """A typo in kim.toml made list, board and even 'client remove kim' fail for every client."""
    from coachflow.clients import client_file

    files = Practice({}, "files")
    files.ok("client", "add", "alex", "--name", "Alex Smith")
    files.ok("client", "add", "kim", "--name", "Kim")
    files.ok("client", "add", "jo", "--name", "Jo Park")
    broken = client_file("kim")
    broken.write_text('name = "Kim"\nsuport_contacts = ["x"]\n', encoding="utf-8")
    warning = (f"Warning: {broken}:2: suport_contacts: not a client setting (did you mean 'support_contacts'?); "
               "fix it with: coachflow client edit kim\n")

    listed = files.invoke("client", "list")
    assert (listed.exit_code, listed.stdout, listed.stderr) == (1, "alex  Alex Smith\njo    Jo Park\n", warning)
    board = files.invoke("clients", "board", "--format", "json")
    assert board.exit_code == 1 and board.stderr == warning
    assert [row["client"] for row in json.loads(board.stdout)["clients"]] == ["alex", "jo"]
    text = files.invoke("clients", "board")
    assert text.exit_code == 1 and "Alex Smith (alex)" in text.stdout and text.stderr == warning

    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\nsleep 0.01\ncp "$1" {tmp_path / "seen.toml"}\n'
                      'printf \'name = "Kim"\\nsupport_contacts = ["x"]\\n\' > "$1"\n')
    editor.chmod(0o755)
    files.env["EDITOR"] = str(editor)
    assert files.ok("client", "edit", "kim") == "Saved kim's settings.\n"
    assert (tmp_path / "seen.toml").read_text(encoding="utf-8") == 'name = "Kim"\nsuport_contacts = ["x"]\n'
    assert files.ok("client", "list") == "alex  Alex Smith\njo    Jo Park\nkim   Kim\n"

    broken.write_text('name = "Kim"\nsuport_contacts = ["x"]\n', encoding="utf-8")
    assert files.ok("client", "remove", "kim", "--yes") == "Removed kim: their settings and journal.\n"
    assert not broken.exists()
    assert files.ok("client", "list") == "alex  Alex Smith\njo    Jo Park\n"


def test_a_profile_journal_without_settings_is_a_client_on_both_backends(backend):
    """'run --client newbie' without 'client add': the board said 'No clients to show' on files."""
    backend.ok("client", "add", "alex", "--name", "Alex Smith")
    backend.ok("run", "rejection", "--company", "A", "--client", "newbie")
    rows = {row["client"]: row for row in backend.board()["clients"]}
    assert sorted(rows) == ["alex", "newbie"]
    assert rows["newbie"]["attention"] == ["a rejection today (A, application stage)",
                                           "pipeline under target (0 of 5 open)"]
    assert rows["newbie"]["last_activity"] == "2026-11-25"
    assert backend.ok("client", "list") == ("alex    Alex Smith\n"
                                            "newbie  newbie (no settings yet; coachflow client edit newbie adds "
                                            "them)\n")
    listed = json.loads(backend.ok("client", "list", "--format", "json"))
    assert [(each["id"], each["has_settings"]) for each in listed] == [("alex", True), ("newbie", False)]
    backend.ok("client", "set", "newbie", "name", "Nia")
    assert backend.ok("client", "list") == "alex    Alex Smith\nnewbie  Nia\n"
    assert backend.ok("client", "remove", "newbie", "--yes").startswith("Removed Nia")
    assert [row["client"] for row in backend.board()["clients"]] == ["alex"]
