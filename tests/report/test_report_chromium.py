"""The HTML report in a real browser: headless Chromium lays it out, draws the charts and prints it.

Skipped, with the reason, where Chromium is not installed (Debian's
``chromium`` package; ``.ci/run`` installs it). The tests measure the page
with a script added to a copy of the report (the report itself has none),
at a desktop width and at a phone's (390 pixels), take a screenshot at each
and look for the charts' colours where the charts are, and print the page
to PDF to count its pages.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.report.build import PipelineWeek, build_report
from coachflow.report.html import OPEN_LINE, SENT_BARS, TEAL, report_to_html
from support import EXAMPLES
from support.chromium import chromium, colour_count, needs_chromium, png_pixels
from support.report_history import NOW, SINCE, UNTIL, build_journal

pytestmark = needs_chromium

DESKTOP, PHONE = 1000, 390
HEIGHT = 2600

#: The smallest text a chart may have once scaled to the screen, in CSS pixels.
SMALLEST_LABEL = 10

#: Measures the report inside a frame as wide as the screen under test (Chromium's own
#: window is never narrower than 500 pixels, so a phone's width needs a frame).
MEASURE = """
<script>
addEventListener("load", () => {
  const frame = document.getElementById("page");
  const doc = frame.contentDocument, win = frame.contentWindow;
  const box = (element) => {
    const b = element.getBoundingClientRect();
    return {x: b.left + win.scrollX, y: b.top + win.scrollY, width: b.width, height: b.height};
  };
  const charts = {};
  for (const svg of doc.querySelectorAll("svg.chart")) {
    const frameBox = box(svg);
    if (!frameBox.width) continue;  // the drawing for the other width is not shown
    const scale = frameBox.width / svg.viewBox.baseVal.width;
    const fonts = [...svg.querySelectorAll("text")].map((text) => Number(text.getAttribute("font-size")) * scale);
    const labels = [...svg.querySelectorAll("text")].map((text) => [text.textContent, box(text)]);
    const drawn = [...svg.querySelectorAll(".bar, .line, .point")].map((shape) => {
      const b = shape.getBoundingClientRect();
      return [shape.getAttribute("class"), b.width, b.height];
    });
    charts[svg.id] = {...frameBox, scale, fonts, labels, drawn};
  }
  const due = [...doc.querySelectorAll("ul.due li")].map((item) => ({
    text: item.textContent, when: box(item.querySelector(".when")), tag: box(item.querySelector(".tag")),
  }));
  const page = {width: doc.documentElement.scrollWidth, viewport: win.innerWidth};
  document.documentElement.setAttribute("data-measured", JSON.stringify({charts, due, page}));
});
</script>
"""


def measure(page: str, folder: Path, name: str, width: int) -> tuple[dict, Path]:
    """Lay ``page`` out at ``width``: what the measuring script found, and a screenshot."""
    harness, source = folder / f"{name}-measure.html", folder / f"{name}.html"
    source.write_text(page, encoding="utf-8")
    harness.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe id="page" style="border:0; '
                       f'width:{width}px; height:{HEIGHT}px" srcdoc="{html.escape(page)}"></iframe>{MEASURE}'
                       "</body></html>", encoding="utf-8")
    dom = chromium("--virtual-time-budget=5000", "--dump-dom", harness.as_uri(), profile=folder / f"dom-{name}",
                   window=(DESKTOP, HEIGHT))
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'data-measured="([^"]*)"', dom.stdout)
    assert found, "the page never finished loading: " + dom.stdout[:500]
    measured = json.loads(html.unescape(found.group(1)))
    assert measured["page"]["viewport"] == width
    shot = folder / f"{name}.png"
    result = chromium(f"--screenshot={shot}", source.as_uri(), profile=folder / f"shot-{name}",
                      window=(width, HEIGHT))
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    return measured, shot


def pdf_pages(page: str, folder: Path, name: str) -> int:
    """How many pages ``page`` prints on (Chromium's default paper, no header or footer)."""
    source, pdf = folder / f"{name}-print.html", folder / f"{name}.pdf"
    source.write_text(page, encoding="utf-8")
    result = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri(),
                      profile=folder / f"pdf-{name}", window=(DESKTOP, HEIGHT))
    assert result.returncode == 0 and pdf.exists(), result.stderr[-2000:]
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The test history's report, the same with ten years of a busy pipeline, and the examples' report."""
    folder = tmp_path_factory.mktemp("chromium")
    journal = build_journal(folder / "journal.sqlite3")
    try:
        report = build_report(journal.reader, since=SINCE, until=UNTIL, now=NOW)
    finally:
        journal.close()
    weeks = tuple(PipelineWeek(week_start=dt.date(2016, 1, 4) + dt.timedelta(weeks=i), open=200 + 19 * i,
                               applied=(37 * i) % 400, closed=3, wins=1) for i in range(520))
    examples = folder / "examples.sqlite3"
    runner = CliRunner(env={"COACHFLOW_NOW": "2026-11-25T17:30"})
    for args in (["import", str(EXAMPLES / "journal" / "events.jsonl"), "--run"], ["report", "-o", str(folder / "ex.html")]):
        result = runner.invoke(cli, [*args, "-q", "--journal", str(examples)])
        assert result.exit_code == 0, result.output
    return folder, {"sample": report_to_html(report), "large": report_to_html(attrs.evolve(report, pipeline=weeks)),
                    "examples": (folder / "ex.html").read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def desktop(pages):
    folder, html_of = pages
    return measure(html_of["sample"], folder, "desktop", DESKTOP)


@pytest.fixture(scope="module")
def phone(pages):
    folder, html_of = pages
    return measure(html_of["sample"], folder, "phone", PHONE)


def test_both_charts_are_laid_out_with_every_shape_drawn(desktop, phone):
    for (measured, _), suffix in ((desktop, ""), (phone, "-narrow")):
        charts = measured["charts"]
        assert set(charts) == {f"pipeline-chart{suffix}", f"funnel-chart{suffix}"}  # one drawing of each shows
        for name, chart in charts.items():
            assert chart["width"] > (400 if not suffix else 280) and chart["height"] > 150, (name, chart)
            assert chart["y"] + chart["height"] < HEIGHT, f"{name} is below the screenshot"
            for kind, width, height in chart["drawn"]:
                assert width > 0 and height > 0, (name, kind, width, height)
        pipeline = [kind for kind, _, _ in charts[f"pipeline-chart{suffix}"]["drawn"]]
        assert pipeline.count("bar") == 3 and pipeline.count("line") == 1 and pipeline.count("point") == 4
        assert [kind for kind, _, _ in charts[f"funnel-chart{suffix}"]["drawn"]] == ["bar"] * 5


def test_the_screenshots_show_the_charts_colours_where_the_charts_are(desktop, phone):
    for measured, shot in (desktop, phone):
        charts = list(measured["charts"].values())
        bottom = max(int(c["y"] + c["height"]) + 1 for c in charts)
        pixels = png_pixels(shot, bottom)
        pipeline, funnel = charts if "pipeline" in next(iter(measured["charts"])) else charts[::-1]
        assert colour_count(pixels, pipeline, SENT_BARS) > 300  # the weekly bars
        assert colour_count(pixels, pipeline, OPEN_LINE) > 60  # the open-applications line
        assert colour_count(pixels, funnel, TEAL) > 1500  # the "Sent" bar, drawn at full strength
        assert colour_count(pixels, funnel, OPEN_LINE) == 0  # and nothing of the other chart


def test_chart_labels_are_readable_on_a_phone_and_the_page_fits_its_width(desktop, phone):
    for measured, _ in (desktop, phone):
        for name, chart in measured["charts"].items():
            assert min(chart["fonts"]) >= SMALLEST_LABEL, (name, min(chart["fonts"]))
        assert measured["page"]["width"] <= measured["page"]["viewport"]  # nothing to scroll sideways


def test_a_due_date_never_runs_into_its_label(desktop, phone):
    for measured, _ in (desktop, phone):
        assert measured["due"], "the test history has actions due"
        for item in measured["due"]:
            when, tag = item["when"], item["tag"]
            beside = tag["y"] < when["y"] + when["height"] and when["y"] < tag["y"] + tag["height"]
            assert not beside or tag["x"] >= when["x"] + when["width"] + 4, item
            assert re.search(r"\d\d:\d\d\s+\S", item["text"]), item["text"]  # "17:30 Reminder", as read aloud


def test_the_top_label_of_a_tall_axis_is_not_cut_off(pages):
    folder, html_of = pages
    for width in (DESKTOP, PHONE):
        measured, _ = measure(html_of["large"], folder, f"large-{width}", width)
        (chart,) = [c for name, c in measured["charts"].items() if name.startswith("pipeline")]
        ticks = [(text, box) for text, box in chart["labels"] if re.fullmatch(r"[\d,]+", text)]
        assert ticks[-1][0] == "15,000"
        for text, box in ticks:
            assert box["x"] >= chart["x"] - 0.5, (width, text, box, chart["x"])  # wholly inside the drawing


def test_the_report_prints_on_few_full_pages(pages):
    folder, html_of = pages
    assert pdf_pages(html_of["sample"], folder, "sample") == 2
    assert pdf_pages(html_of["examples"], folder, "examples") == 2  # four half-empty ones before
