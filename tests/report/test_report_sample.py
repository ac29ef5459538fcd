"""The sample journal from the examples, imported and run, reported in every format with the same numbers."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.journal import open_journal

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "journal" / "events.jsonl"

NOW = dt.datetime(2026, 11, 25, 17, 30)  # the suite's COACHFLOW_NOW

#: How far each application of the sample got, worked out by hand from the file.
FUNNEL = {"application": (17, 4), "screen": (8, 2), "interview": (6, 4), "final": (1, 1), "offer": (0, 0)}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample imported with the built-in workflow run on every event; the raw events too."""
    path = tmp_path_factory.mktemp("sample") / "journal.sqlite3"
    result = CliRunner().invoke(cli, ["import", str(SAMPLE), "--run", "--journal", str(path)],
                                env={"COACHFLOW_NOW": NOW.isoformat()})
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return path, events


def report(path, *args):
    result = CliRunner().invoke(cli, ["report", "--journal", str(path), *args], env={"COACHFLOW_NOW": NOW.isoformat()})
    assert result.exit_code == 0, result.output
    return result.stdout


def counted(events):
    """The numbers, counted straight from the file."""
    milestones = Counter(e["kind"] for e in events if e["type"] == "milestone")
    return {
        "sent": milestones["applied"],
        "rejections": Counter(e["stage"] for e in events if e["type"] == "rejection"),
        "wins": {kind: n for kind, n in milestones.items() if kind not in ("applied", "withdrawn")},
        "feedback": sum(e["type"] == "feedback" for e in events),
        "first": min(e["date"] for e in events),
    }


def test_json_report_of_the_sample(sample):
    path, events = sample
    expected = counted(events)
    data = json.loads(report(path, "--format", "json"))
    assert data["period"] == {"start": expected["first"], "end": "2026-11-25"}
    assert data["applications"]["sent"] == expected["sent"] == 17
    assert {s["stage"]: (s["reached"], s["rejected"]) for s in data["funnel"]} == FUNNEL
    assert data["rejections"]["by_stage"] == {stage: expected["rejections"][stage] for stage in FUNNEL}
    assert data["wins"]["by_kind"] == expected["wins"]
    # the built-in workflow drafts one feedback request per rejection
    assert data["feedback"] == {"requested": sum(expected["rejections"].values()), "received": expected["feedback"]}
    with open_journal(path) as journal:
        open_now = journal.reader.open_applications()
        assert data["applications"]["open_at_end"] == len(open_now) == data["applications"]["outcomes"]["open"] == 6
        # overdue and not yet lapsed (two days past their time, the rule upkeep marks missed by)
        assert data["due"]["overdue"] == sum(
            1 for stored in journal.reader.actions(status="open", due_before=NOW)
            if stored.action.due >= NOW - dt.timedelta(days=2))
    assert len(data["pipeline"]) == 13  # Monday 31 August to the week of Monday 23 November
    assert sum(week["applied"] for week in data["pipeline"]) == expected["sent"]
    assert data["pipeline"][-1]["open"] == 6
    for theme in data["themes"]:
        assert len(theme["applications"]) >= 2 and theme["evidence"]


def test_markdown_and_html_reports_of_the_sample_say_the_same(sample):
    path, events = sample
    expected = counted(events)
    data = json.loads(report(path, "--format", "json"))
    markdown = report(path)
    assert f"| Applications sent | {expected['sent']} |" in markdown
    assert f"| Wins | {sum(expected['wins'].values())} |" in markdown
    assert f"| Feedback requests drafted | {data['feedback']['requested']} |" in markdown
    assert f"| Feedback received | {expected['feedback']} |" in markdown
    for stage in data["funnel"]:
        assert f"| {stage['label']} | {stage['reached']} | {stage['rejected']} |" in markdown
    html = report(path, "--format", "html")
    root = ET.fromstring(html.removeprefix("<!DOCTYPE html>\n"))
    metrics = {el.get("data-metric"): int(el.text) for el in root.iter() if el.get("data-metric")}
    assert metrics["applications-sent"] == expected["sent"]
    assert metrics["wins"] == sum(expected["wins"].values())
    assert metrics["feedback-received"] == expected["feedback"]
    assert metrics["open-at-end"] == data["applications"]["open_at_end"]
    assert metrics["rejections"] == sum(expected["rejections"].values())
    assert {g.get("data-stage"): (int(g.get("data-reached")), int(g.get("data-rejected")))
            for g in root.iter("g") if g.get("data-stage")} == FUNNEL
    assert not re.search(r"https?://|<script", html)
