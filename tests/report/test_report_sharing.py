"""Reports for sharing, through the commands: a client's report carries their name, the period and
the coach's notes; a redacted copy names no company and no person and quotes nobody."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from support.chromium import chromium, needs_chromium


def coachflow(*args: str, now: str = "2026-11-25T17:30"):
    return CliRunner().invoke(cli, list(args), env={"COACHFLOW_NOW": now}, catch_exceptions=False)


def ok(*args: str, **options) -> str:
    result = coachflow(*args, **options)
    assert result.exit_code == 0, result.output
    return result.output


NOTE = "Three noes in a week is a lot; you kept going, and the Northwind invitation shows it."
OLD_NOTE = "A good start: two applications out in the first week."
QUOTES = ("Your system design answers lacked depth", "The system design part was thin")
COMPANIES = ("Öko AG", "öko ag", "Northwind", "northwind", "Brightside", "Kestrel Labs")

#: A workflow whose check-in names the client, the coach and a contact, as a coach may write it.
PERSONAL = """[workflow]
name = "Personal"

[[steps]]
uses = "allow-disappointment"
with = { check_in_title = "{client_name}, a check-in from {coach_name}: ready to move on from {company}?" }
"""


@pytest.fixture
def alex(tmp_path):
    """Alex's search over three weeks of November, with two notes from Sam and one for Jo."""
    ok("client", "add", "alex", "--name", "Alex Smith", "--coach", "Sam Rivera", "--contact", "Priya Nair")
    ok("client", "add", "jo", "--name", "Jo Park", "--coach", "Sam Rivera")
    for args in (("milestone", "--kind", "applied", "--company", "Öko AG", "--role", "Analyst",
                  "--date", "2026-11-09"),
                 ("milestone", "--kind", "applied", "--company", "Northwind", "--role", "Analyst",
                  "--date", "2026-11-10"),
                 ("rejection", "--company", "öko ag", "--role", "Analyst", "--stage", "interview",
                  "--reason", "Brightside hired someone with more experience", "--date", "2026-11-17"),
                 ("feedback", "--company", "Öko AG", "--role", "Analyst", "--source", "recruiter", "--text",
                  QUOTES[0], "--date", "2026-11-18"),
                 ("feedback", "--company", "Northwind", "--role", "Analyst", "--source", "manager", "--text",
                  QUOTES[1], "--date", "2026-11-20"),
                 ("milestone", "--kind", "interview-invitation", "--company", "Northwind", "--role", "Analyst",
                  "--notes", "Call with Dana from Northwind", "--date", "2026-11-19"),
                 ("milestone", "--kind", "good-conversation", "--company", "Northwind",
                  "--role", "Analyst, Northwind Labs team", "--date", "2026-11-20")):
        ok("run", *args, "--client", "alex", now=f"{args[-1]}T10:00")
    personal = tmp_path / "personal.toml"
    personal.write_text(PERSONAL)
    ok("run", "rejection", "--company", "Kestrel Labs", "--stage", "screen", "--date", "2026-11-25",
       "--client", "alex", "-w", str(personal), now="2026-11-25T10:00")
    ok("note", "--client", "alex", OLD_NOTE, "--week", "2026-11-10")
    ok("note", "--client", "alex", NOTE)
    ok("note", "--client", "jo", "Jo's own note, for Jo only")


def test_a_clients_report_carries_their_name_the_period_and_the_coachs_notes(alex):
    markdown = ok("report", "--client", "alex")
    assert markdown.startswith("# Job search report for Alex Smith: Mon 9 Nov 2026 to Wed 25 Nov 2026\n")
    notes = markdown.split("## From Sam Rivera\n", 1)[1].split("\n## ", 1)[0]
    assert notes == (f"\n**Week of Mon 9 Nov 2026**\n\n> {OLD_NOTE}\n\n"
                     f"**Week of Mon 23 Nov 2026**\n\n> {NOTE}\n")
    data = json.loads(ok("report", "--client", "alex", "--format", "json"))
    assert data["client"] == {"id": "alex", "name": "Alex Smith", "coach": "Sam Rivera"}
    assert data["period"] == {"start": "2026-11-09", "end": "2026-11-25"}
    assert data["notes"] == [{"day": "2026-11-10", "week_start": "2026-11-09", "text": OLD_NOTE},
                             {"day": "2026-11-25", "week_start": "2026-11-23", "text": NOTE}]
    assert data["redacted"] is False
    html = ok("report", "--client", "alex", "--format", "html")
    assert "<title>Job search report for Alex Smith: Mon 9 Nov 2026 to Wed 25 Nov 2026</title>" in html
    assert "<h1>Alex Smith\u2019s job search</h1>" in html
    assert '<h2 id="notes-heading">From Sam Rivera</h2>' in html and NOTE in html
    # a period the old note's week is not part of leaves that note out; another client's note is never there
    later = json.loads(ok("report", "--client", "alex", "--since", "2026-11-16", "--format", "json"))
    assert [note["text"] for note in later["notes"]] == [NOTE]
    for output_format in ("markdown", "html", "json"):
        shown = ok("report", "--client", "alex", "--format", output_format)
        assert "Jo Park" not in shown and "for Jo only" not in shown


def test_a_report_without_a_client_names_nobody_and_has_no_notes_section(tmp_path):
    journal = str(tmp_path / "search.sqlite3")
    ok("run", "milestone", "--kind", "applied", "--company", "Acme", "--date", "2026-11-20", "--journal", journal)
    markdown = ok("report", "--journal", journal)
    assert markdown.startswith("# Job search report: Fri 20 Nov 2026 to Wed 25 Nov 2026\n")
    assert "## From" not in markdown
    data = json.loads(ok("report", "--journal", journal, "--format", "json"))
    assert (data["client"], data["notes"], data["redacted"]) == (None, [], False)
    assert "<h1>Your job search</h1>" in ok("report", "--journal", journal, "--format", "html")


@pytest.mark.parametrize("output_format", ["markdown", "html", "json"])
def test_a_redacted_report_names_no_company_or_person_and_quotes_nothing_of_the_journal(alex, output_format):
    shared = ok("report", "--client", "alex", "--redact", "--format", output_format)
    secrets = (*COMPANIES, *QUOTES, "Dana", NOTE, OLD_NOTE, "Alex", "Smith", "Sam Rivera", "Priya",
               "lacked depth", "was thin")
    for secret in secrets:
        assert secret.casefold() not in shared.casefold(), secret
    # nothing of what anyone wrote survives, not even a few words of it
    for text in (*QUOTES, NOTE, OLD_NOTE, "Call with Dana from Northwind"):
        words = re.findall(r"\w+", text)
        for start in range(len(words) - 3):
            assert " ".join(words[start:start + 4]) not in shared, (text, words[start:start + 4])
    if output_format == "json":
        data = json.loads(shared)
        full = json.loads(ok("report", "--client", "alex", "--format", "json"))
        assert (data["client"], data["notes"], data["redacted"]) == (None, [], True)
        assert data["applications"] == full["applications"] and data["wins"]["total"] == full["wins"]["total"]
        assert [(win["company"], win["role"]) for win in data["wins"]["recent"]] == [
            ("Company B", "Analyst, Company B Labs team"), ("Company B", "Analyst")]
        titles = [item["title"] for item in data["due"]["next"]]
        assert "someone, a check-in from someone: ready to move on from Company C?" in titles
    else:
        assert "A copy to share: companies are named Company A, B, and so on" in shared


@needs_chromium
def test_the_clients_report_with_a_note_renders_in_chromium(alex, tmp_path):
    page = tmp_path / "alex.html"
    ok("report", "--client", "alex", "-o", str(page))
    shot = tmp_path / "alex.png"
    chromium(f"--screenshot={shot}", page.as_uri(), profile=tmp_path / "shot", window=(1000, 1200))
    assert shot.stat().st_size > 20_000
    dom = chromium("--dump-dom", page.as_uri(), profile=tmp_path / "dom").stdout
    assert "Alex Smith\u2019s job search" in dom and "From Sam Rivera" in dom and OLD_NOTE in dom
