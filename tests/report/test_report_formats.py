"""Markdown, HTML and JSON reports: the same numbers as the journal, in a form people can use."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from coachflow.report.build import build_report
from coachflow.report.html import report_to_html
from coachflow.output import render
from coachflow.report.markdown import report_to_markdown
from support.report_history import EXPECTED, NOW, SINCE, UNTIL, build_journal


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    journal = build_journal(tmp_path_factory.mktemp("history") / "journal.sqlite3")
    try:
        yield build_report(journal.reader, since=SINCE, until=UNTIL, now=NOW)
    finally:
        journal.close()


def table_rows(markdown: str, heading: str) -> dict[str, list[str]]:
    """The rows of the first table under a ``## heading``, keyed by their first cell."""
    section = markdown.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


def test_json_numbers_match_the_journal(report):
    data = json.loads(render("report", report, "json"))
    assert data["period"] == {"start": "2026-10-05", "end": "2026-11-01"}
    assert data["applications"] == {
        "sent": EXPECTED["applications_sent"],
        "open_at_start": EXPECTED["open_at_start"],
        "open_at_end": EXPECTED["open_at_end"],
        "quiet_at_end": 0,  # both had news within 30 days of the period's end
        "outcomes": EXPECTED["outcomes"],
    }
    assert {s["stage"]: (s["reached"], s["rejected"]) for s in data["funnel"]} == EXPECTED["funnel"]
    assert data["rejections"] == {"total": EXPECTED["rejections"], "by_stage": EXPECTED["rejections_by_stage"]}
    assert data["wins"]["total"] == EXPECTED["wins"]
    assert data["wins"]["by_kind"] == EXPECTED["wins_by_kind"]
    assert data["feedback"] == {"requested": EXPECTED["feedback_requested"], "received": EXPECTED["feedback_received"]}
    assert [tuple(w.values()) for w in data["pipeline"]] == EXPECTED["pipeline"]
    assert data["due"]["overdue"] == EXPECTED["overdue"]
    assert [item["title"] for item in data["due"]["next"]] == EXPECTED["due_next"]
    assert data["due"]["next"][0]["due"] == "2026-11-26T09:00"
    theme = data["themes"][0]
    assert theme["theme"] == "communication" and theme["mentions"] == 3
    assert [(a["company"], a["role"]) for a in theme["applications"]] == list(EXPECTED["themes"]["communication"])
    assert theme["evidence"][0]["date"] == "2026-10-13"


def test_markdown_numbers_match_the_journal(report):
    markdown = report_to_markdown(report)
    assert markdown.startswith("# Job search report: Mon 5 Oct 2026 to Sun 1 Nov 2026\n")
    glance = table_rows(markdown, "At a glance")
    assert glance["Applications sent"] == [str(EXPECTED["applications_sent"])]
    assert glance["Open at the start"] == [str(EXPECTED["open_at_start"])]
    assert glance["Open at the end"] == [str(EXPECTED["open_at_end"])]
    assert glance["Wins"] == [str(EXPECTED["wins"])]
    assert glance["Rejections"] == [str(EXPECTED["rejections"])]
    assert glance["Feedback requests drafted"] == [str(EXPECTED["feedback_requested"])]
    assert glance["Feedback received"] == [str(EXPECTED["feedback_received"])]
    funnel = table_rows(markdown, "How far applications got")
    labels = {"application": "Sent", "screen": "Screen", "interview": "Interview", "final": "Final round",
              "offer": "Offer"}
    for stage, (reached, rejected) in EXPECTED["funnel"].items():
        assert funnel[labels[stage]] == [str(reached), str(rejected)]
    assert "Still open: 2. Rejected: 2. Withdrawn: 1. Accepted: 0." in markdown
    assert "Rejections in this period by stage: screen 1, interview 1, final 1." in markdown
    weeks = table_rows(markdown, "Pipeline over time")
    assert weeks.pop("Week of") == ["Open at the end", "Sent", "Closed", "Wins"]
    assert list(weeks) == ["Mon 5 Oct 2026", "Mon 12 Oct 2026", "Mon 19 Oct 2026", "Mon 26 Oct 2026"]
    assert [list(map(int, row)) for row in weeks.values()] == [list(rest) for _, *rest in EXPECTED["pipeline"]]
    assert "2 interview invitations, 1 good conversation, 1 offer, 1 piece of positive feedback." in markdown
    assert "3 requests for feedback drafted, 2 pieces of feedback received." in markdown
    assert "### Communication\n\nCame up in 2 applications (Delta, Gamma), 3 mentions:" in markdown
    assert "- Thu 26 Nov 2026, 09:00: **Reminder:** Follow up with Zeta, once, kindly" in markdown
    assert "1 action is past its due time: do it or mark it done." in markdown


def test_markdown_escapes_what_people_typed(report):
    import attrs

    from coachflow.report.build import Win

    tricky = attrs.evolve(report, recent_wins=(Win(date=SINCE, kind="offer", company="*Star* [Labs]", role="",
                                                   notes="<b>yes</b>"),))
    markdown = report_to_markdown(tricky)
    assert r"\*Star\* \[Labs\]" in markdown
    assert r"\<b\>yes\</b\>" in markdown


class _Collector(HTMLParser):
    """Collects tags, attributes and text of an HTML page with the standard library's parser."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse_xml(html: str) -> ET.Element:
    """Parse the page as XML: proof every tag is closed and every entity is known."""
    assert html.startswith("<!DOCTYPE html>\n")
    return ET.fromstring(html.removeprefix("<!DOCTYPE html>\n"))


def test_html_is_well_formed_and_self_contained(report):
    html = report_to_html(report)
    root = parse_xml(html)
    assert root.tag == "html" and root.get("lang") == "en"
    collector = _Collector()
    collector.feed(html)
    collector.close()
    tags = [tag for tag, _ in collector.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    assert not re.search(r"https?://", html)
    assert "url(" not in html and "@import" not in html
    for _, attributes in collector.tags:
        assert not any(name.startswith("on") for name in attributes), attributes  # no inline handlers
        assert "src" not in attributes and "href" not in attributes
    assert tags.count("style") == 1
    assert "@media print" in html


def test_html_charts_have_text_alternatives(report):
    root = parse_xml(report_to_html(report))
    charts = [svg for svg in root.iter("svg") if "chart" in (svg.get("class") or "")]
    # each chart is drawn for a page and for a phone; a style sheet shows one of them
    assert [svg.get("id") for svg in charts] == ["pipeline-chart", "pipeline-chart-narrow", "funnel-chart",
                                                 "funnel-chart-narrow"]
    assert len({svg.find("title").get("id") for svg in charts}) == 4  # ids stay unique
    for svg in charts:
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.find("title").get("id") == title_id and svg.find("title").text
        assert svg.find("desc").get("id") == desc_id
    desc = {svg.get("id"): svg.find("desc").text for svg in charts}
    assert desc["funnel-chart"] == desc["funnel-chart-narrow"] and desc["pipeline-chart"] == desc["pipeline-chart-narrow"]
    assert desc["funnel-chart"] == ("Of 5 applications sent in this period, 3 reached a screen, 2 an interview, "
                                    "2 a final round and 1 an offer by Sun 1 Nov 2026.")
    assert desc["pipeline-chart"].startswith("Over 4 weeks, open applications went from 4 at the end of the first "
                                             "week to 2 at the end of the last")


def test_html_numbers_match_the_journal(report):
    root = parse_xml(report_to_html(report))
    metrics = {el.get("data-metric"): int(el.text) for el in root.iter() if el.get("data-metric")}
    assert metrics == {
        "applications-sent": EXPECTED["applications_sent"],
        "open-at-end": EXPECTED["open_at_end"],
        "wins": EXPECTED["wins"],
        "feedback-received": EXPECTED["feedback_received"],
        "still-open": EXPECTED["outcomes"]["open"],
        "rejected": EXPECTED["outcomes"]["rejected"],
        "withdrawn": EXPECTED["outcomes"]["withdrawn"],
        "accepted": EXPECTED["outcomes"]["accepted"],
        "rejections": EXPECTED["rejections"],
        "overdue": EXPECTED["overdue"],
    }
    stages = {g.get("data-stage"): (int(g.get("data-reached")), int(g.get("data-rejected")))
              for g in root.iter("g") if g.get("data-stage")}
    assert stages == EXPECTED["funnel"]
    pipeline = root.find(".//svg[@id='pipeline-chart']")
    assert len([r for r in pipeline.iter("rect") if r.get("class") == "bar"]) == 3  # weeks with applications sent
    assert len([c for c in pipeline.iter("circle") if c.get("class") == "point"]) == 4  # one per week
    table = root.findall(".//section[@aria-labelledby='pipeline-heading']//tbody/tr")
    assert [[td.text for td in tr] for tr in table] == [
        [f"Mon {int(day[-2:])} Oct 2026", *map(str, rest)] for day, *rest in EXPECTED["pipeline"]
    ]


def test_html_escapes_what_people_typed(report):
    import attrs

    from coachflow.report.build import Win

    tricky = attrs.evolve(report, recent_wins=(Win(date=SINCE, kind="offer", company="<script>alert(1)</script>",
                                                   role="R&D", notes='"quoted"'),))
    html = report_to_html(tricky)
    parse_xml(html)
    assert "<script>" not in html
    assert "R&amp;D at &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_long_search_draws_every_week_without_crowding_the_labels(report):
    import datetime as dt

    import attrs

    from coachflow.report.build import PipelineWeek

    weeks = tuple(PipelineWeek(week_start=dt.date(2024, 1, 1) + dt.timedelta(weeks=i), open=i % 9, applied=i % 4,
                               closed=0, wins=0) for i in range(150))
    root = parse_xml(report_to_html(attrs.evolve(report, pipeline=weeks)))
    pipeline = root.find(".//svg[@id='pipeline-chart']")
    labels = [t.text for t in pipeline.iter("text") if t.get("text-anchor") == "middle"]
    assert 2 <= len(labels) <= 8
    assert labels[0] == "Jan 2024"
    points = pipeline.find("polyline").get("points").split()
    assert len(points) == 150
    assert pipeline.find("circle") is None  # too many weeks for a dot on each
