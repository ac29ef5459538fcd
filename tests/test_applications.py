"""coachflow.applications: one application whatever the spelling, everywhere a person looks."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from coachflow.applications import action_key, application_key, fold, matches
from coachflow.cli import cli


@pytest.mark.parametrize("one, other", [
    ("Öko AG", "öko ag"),
    ("ÉCOLE Lyon", "école  lyon"),
    ("Straße GmbH", "STRASSE GMBH"),
    ("  Acme\tInc ", "acme inc"),
    ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
])
def test_spellings_of_one_name_fold_to_one_key(one, other):
    assert fold(one) == fold(other)
    assert application_key(one, "Data  Analyst") == application_key(other, "data analyst")
    assert action_key("check-in", one, "Analyst") == action_key("check-in", other, "ANALYST")


def test_an_event_without_a_role_is_about_every_role_at_its_company():
    assert matches(application_key("Acme", "Analyst"), application_key("ACME", ""))
    assert matches(application_key("Acme", ""), application_key("acme", "Engineer"))
    assert not matches(application_key("Acme", "Analyst"), application_key("Acme", "Engineer"))
    assert not matches(application_key("Acme", "Analyst"), application_key("Acme Labs", "Analyst"))


def _coachflow(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("applied_to, rejected_by", [("Öko AG", "öko AG"), ("Ångström Labs", "ÅNGSTRÖM LABS"),
                                                    ("Straße GmbH", "strasse gmbh")])
def test_a_rejection_spelled_differently_closes_the_application_in_status_run_and_report(tmp_path, applied_to,
                                                                                        rejected_by):
    journal = str(tmp_path / "search.sqlite3")
    for company, role in ((applied_to, "Analyst"), ("Beta", "Engineer")):
        sent = _coachflow("run", "milestone", "--kind", "applied", "--company", company, "--role", role,
                          "--date", "2026-11-20", "--journal", journal)
        assert sent.exit_code == 0, sent.output
    rejected = _coachflow("run", "rejection", "--company", rejected_by, "--role", "analyst", "--date", "2026-11-24",
                          "--journal", journal, "--format", "json")
    assert rejected.exit_code == 0, rejected.output
    # maintain-momentum's list of what is still open names Beta only
    texts = " ".join(action["body"] for action in json.loads(rejected.output)["actions"])
    assert "Engineer at Beta" in texts and f"Analyst at {applied_to}" not in texts

    status = json.loads(_coachflow("status", "--journal", journal, "--format", "json").output)
    assert [(item["company"], item["role"]) for item in status["pipeline"]] == [("Beta", "Engineer")]
    text = _coachflow("status", "--journal", journal).output
    assert "Pipeline: 1 open application" in text and applied_to not in text

    report = json.loads(_coachflow("report", "--journal", journal, "--format", "json").output)
    assert (report["applications"]["open_at_end"], report["applications"]["outcomes"]["rejected"]) == (1, 1)
