"""`coachflow preview`: every text a client would read, for sample situations or given events."""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.testing.preview import SITUATIONS


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


def test_the_samples_show_each_situation_with_what_the_client_reads():
    result = invoke("preview")

    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("What a client reads from the workflow 'Bounce back' in 5 situations.\n"
                          "Dates count from Wed 25 Nov 2026, 17:30. Nothing was written to any journal.\n")
    headings = re.findall(r"^(\d\. .+)\n=+$", out, re.M)
    assert headings == ["1. A first no", "2. A run of noes", "3. Feedback that repeats a theme", "4. A win",
                        "5. An offer"]
    first, run, theme, win, offer = re.split(r"^\d\. .+\n=+\n", out, flags=re.M)[1:]
    assert "Rejection: Data Analyst at Acme Analytics (interview stage), Wed 25 Nov 2026" in first
    # wrapped at 78 columns as 'coachflow run' wraps it, the date kept whole
    assert "Reminder: Check in: ready to move on from Acme Analytics?\n    (due Thu 26 Nov 2026, 17:30)" in first
    assert "Rejection: Analyst at Dunmore Bank (interview stage), Wed 25 Nov 2026" in run
    assert "Pattern: Communication came up in 2 different applications" in theme
    assert "Win: Invited to interview at Evergreen Energy" in win
    assert "Win: An offer from Evergreen Energy" in offer
    assert "To do:" not in offer  # an offer day asks for nothing


def test_the_samples_are_dated_back_from_the_clock():
    result = invoke("preview", env={"COACHFLOW_NOW": "2027-03-01T08:15"})

    assert "Dates count from Mon 1 Mar 2027, 08:15." in result.stdout
    assert "Rejection: Data Analyst at Acme Analytics (interview stage), Mon 1 Mar 2027" in result.stdout
    # Acme's application went out 20 days before: the tally counts from then.
    assert "Since 9 Feb: 1 no from 5 applications" in result.stdout


def test_the_workflow_given_is_the_one_previewed(tmp_path):
    workflow = tmp_path / "gentle.toml"
    workflow.write_text(textwrap.dedent('''
        [workflow]
        name = "Gentle"

        [[steps]]
        uses = "allow-disappointment"
        with = { window_hours = 48, check_in = "Two days on: how are you, really?" }
    '''), encoding="utf-8")

    result = invoke("preview", "-w", str(workflow))

    assert result.exit_code == 0, result.output
    assert "workflow 'Gentle'" in result.stdout
    assert result.stdout.count("Two days on: how are you, really?") == 1  # the first rejection
    # the run of noes gets one check-in for the run, worded by run_check_in
    assert "Check in: ready to move on from Brightside Health, Corvid Logistics" in result.stdout
    assert result.stdout.count("No suggestions from this workflow for this event.") == 3  # feedback, win, offer


def test_nothing_is_written_to_any_journal(tmp_path):
    journal = tmp_path / "journal.sqlite3"

    for output_format in ("text", "markdown", "html"):
        result = invoke("preview", "--format", output_format, env={"COACHFLOW_JOURNAL": str(journal)})
        assert result.exit_code == 0, result.output
    assert not journal.exists()
    assert list(tmp_path.iterdir()) == []


def test_markdown_has_a_section_per_situation():
    result = invoke("preview", "--format", "markdown")

    assert result.exit_code == 0
    assert result.stdout.startswith("# Preview: Bounce back\n")
    assert re.findall(r"^## (.+)$", result.stdout, re.M) == [f"{n}. {s.title}" for n, s in enumerate(SITUATIONS, 1)]
    assert "- **Reminder:** Check in: ready to move on from Acme Analytics? *(due Thu 26 Nov 2026, 17:30)*" \
        in result.stdout


def test_html_is_one_self_contained_page(tmp_path):
    page = tmp_path / "preview.html"

    result = invoke("preview", "--format", "html", "-o", str(page))

    assert result.exit_code == 0
    assert result.stdout == f"Wrote {page}: 5 situations.\n"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<script" not in text and "<link" not in text and "<img" not in text
    assert not re.search(r"(src|href)\s*=|url\(|@import|https?://", text)
    assert text.count("<section ") == 5
    assert '<span class="kind draft">Draft</span><span class="title">Ask the recruiter at Acme Analytics ' \
           'for feedback</span>' in text


def test_html_escapes_what_the_workflow_and_events_say(tmp_path):
    events = tmp_path / "events.jsonl"
    events.write_text(json.dumps({"type": "rejection", "company": "<b>Acme</b> & Co", "date": "2026-11-24"}) + "\n",
                      encoding="utf-8")

    result = invoke("preview", "--events", str(events), "--format", "html")

    assert "&lt;b&gt;Acme&lt;/b&gt; &amp; Co" in result.stdout
    assert "<b>Acme</b>" not in result.stdout


def test_events_from_a_file_are_previewed_in_date_order_each_with_the_ones_before(tmp_path):
    events = tmp_path / "week.jsonl"
    events.write_text("\n".join(json.dumps(e) for e in [
        {"type": "rejection", "company": "Beta", "role": "Analyst", "stage": "interview", "date": "2026-11-24"},
        {"type": "milestone", "kind": "applied", "company": "Beta", "role": "Analyst", "date": "2026-11-10"},
        {"type": "feedback", "company": "Beta", "role": "Analyst", "text": "Clearer answers, please.",
         "date": "2026-11-25"},
    ]) + "\n", encoding="utf-8")

    result = invoke("preview", "--events", str(events))

    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"What a client reads from the workflow 'Bounce back' in the events of {events}.\n")
    assert re.findall(r"^(\d\. .+)\n=+$", out, re.M) == ["1. Milestone 1 of 3", "2. Rejection 2 of 3",
                                                         "3. Feedback 3 of 3"]
    # The feedback comes after the rejection, so it cancels that rejection's follow-up.
    assert "so the follow-up reminder for Beta is cancelled" in out.split("3. Feedback 3 of 3")[1]


def test_a_toml_events_file_with_one_event_or_several(tmp_path):
    one = tmp_path / "one.toml"
    one.write_text('type = "rejection"\ncompany = "Acme"\ndate = "2026-11-25"\n', encoding="utf-8")
    several = tmp_path / "several.toml"
    several.write_text('[[events]]\ntype = "milestone"\nkind = "applied"\ncompany = "Acme"\ndate = "2026-11-02"\n\n'
                       '[[events]]\ntype = "milestone"\nkind = "offer"\ncompany = "Acme"\ndate = "2026-11-25"\n',
                       encoding="utf-8")

    assert "Rejection: Acme (application stage)" in invoke("preview", "--events", str(one)).stdout
    out = invoke("preview", "--events", str(several)).stdout
    assert "Win: An offer from Acme" in out


@pytest.mark.parametrize(("content", "name", "messages"), [
    ('type = "rejection"\n', "bad.toml", ["bad.toml: company: missing; a rejection needs a company"]),
    ('[[events]]\ntype = "rejection"\ncompany = "A"\ndate = "2026-12-24"\n', "bad.toml",
     ["bad.toml:4: events[1].date: 2026-12-24 is in the future; record events when they have happened"]),
    ("a = [\n", "bad.toml", ["bad.toml: not valid TOML: "]),
    ('{"type": "rejection"}\n', "bad.jsonl", ["bad.jsonl:1: date: missing; every imported event needs its date",
                                              "bad.jsonl:1: company: missing; a rejection needs a company"]),
    ('[[events]]\ntype = "milestone"\nkind = "applied"\ncompany = "Acme"\n\n'
     '[[events]]\ntype = "rejection"\ncompnay = "Acme"\nstage = "finale"\n', "bad.toml",
     ["bad.toml:8: events[2].compnay: a rejection has no such field; it has company, role, stage, date, reason, "
      "notes (did you mean 'company'?)",
      "bad.toml:9: events[2].stage: 'finale' is not a stage; use one of application, screen, interview, final, "
      "offer (did you mean 'final'?)"]),
    ('{"type": "rejection", "compnay": "Acme", "date": "2026-11-01"}\n{"type": "rejection", "company": "Acme", '
     '"stage": "finale", "date": "2026-11-02"}\n', "bad.jsonl",
     ["bad.jsonl:1: compnay: a rejection has no such field; it has company, role, stage, date, reason, notes "
      "(did you mean 'company'?)",
      "bad.jsonl:2: stage: 'finale' is not a stage; use one of application, screen, interview, final, offer "
      "(did you mean 'final'?)"]),
])
def test_a_bad_events_file_says_every_problem_with_its_line_and_exits_2(tmp_path, content, name, messages):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")

    for command in (["preview", "--events", str(path)], ["import", str(path)]):
        if command[0] == "import" and name.endswith(".toml"):
            continue  # import reads JSONL and CSV
        result = invoke(*command)
        lines = result.stderr.splitlines()
        assert result.exit_code == 2
        assert len(lines) == len(messages), result.stderr
        for line, message in zip(lines, messages):
            assert line.startswith(f"Error: {tmp_path}/{message}"), result.stderr


def test_a_missing_events_file(tmp_path):
    result = invoke("preview", "--events", str(tmp_path / "none.jsonl"))

    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path / 'none.jsonl'}: cannot read the file")


def test_preview_replaces_a_file_only_with_force_and_never_a_journal(tmp_path):
    page = tmp_path / "preview.html"
    page.write_text("mine", encoding="utf-8")

    refused = invoke("preview", "--format", "html", "-o", str(page))
    assert (refused.exit_code, page.read_text(encoding="utf-8")) == (2, "mine")
    assert refused.stderr == f"Error: -o {page}: the file exists; add --force to replace it, or name another file\n"
    assert invoke("preview", "--format", "html", "-o", str(page), "--force").exit_code == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    journal = tmp_path / "journal.sqlite3"
    assert invoke("run", "milestone", "--kind", "applied", "--company", "Acme", "--journal", str(journal)).exit_code == 0
    before = journal.read_bytes()
    result = invoke("preview", "-o", str(journal), "--force")
    assert result.exit_code == 2
    assert journal.read_bytes() == before


def test_preview_for_a_client_reads_with_their_settings_and_not_their_journal(tmp_path):
    workflow = tmp_path / "coachflow.toml"
    workflow.write_text(textwrap.dedent('''
        [workflow]
        name = "Personal"

        [[steps]]
        uses = "allow-disappointment"
        with = { check_in = "{client_name}, {coach_name} is here when you are ready." }
    '''), encoding="utf-8")
    assert invoke("client", "add", "jo", "--name", "Jo", "--coach", "Rowan", "--contact", "Sam").exit_code == 0

    result = invoke("preview", "-w", str(workflow), "--client", "jo")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("What Jo reads from the workflow 'Personal' in 5 situations.\n")
    assert "Jo, Rowan is here when you are ready." in result.stdout
    assert "To do: Talk to Sam\n" in result.stdout
    data = Path(os.environ["XDG_DATA_HOME"])  # the test's own data folder (tests/conftest.py)
    assert [p.name for p in data.rglob("*") if p.is_file()] == ["jo.toml"]  # their settings; no journal written


def test_preview_for_an_unknown_client_or_without_one_a_workflow_needs(tmp_path):
    workflow = tmp_path / "coachflow.toml"
    workflow.write_text('[workflow]\nname = "Personal"\n\n[[steps]]\nuses = "allow-disappointment"\n'
                        'with = { check_in = "{client_name}, check in." }\n', encoding="utf-8")

    unknown = invoke("preview", "-w", str(workflow), "--client", "nobody")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("Error: there is no client 'nobody'")
    without = invoke("preview", "-w", str(workflow))
    assert without.exit_code == 2
    assert "uses {client_name}, a client's value; run it for a client with --client NAME" in without.stderr
