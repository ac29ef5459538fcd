"""The HTML report in a real browser: headless Chromium lays it out and draws the charts.

Skipped, with the reason, where Chromium is not installed (Debian's
``chromium`` package; ``.ci/run`` installs it). The test measures the charts
with a script added to a copy of the report (the report itself has none),
then takes a screenshot and looks for the charts' colours where the charts are.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from coachflow.report.build import build_report
from coachflow.report.html import OPEN_LINE, SENT_BARS, TEAL, report_to_html
from support.chromium import chromium, colour_count, needs_chromium, png_pixels
from support.report_history import NOW, SINCE, UNTIL, build_journal

pytestmark = needs_chromium

WINDOW = (1000, 2600)

MEASURE = """
<script>
addEventListener("load", () => {
  const charts = {};
  for (const svg of document.querySelectorAll("svg.chart")) {
    const box = svg.getBoundingClientRect();
    const drawn = [...svg.querySelectorAll(".bar, .line, .point")].map((shape) => {
      const b = shape.getBoundingClientRect();
      return [shape.getAttribute("class"), b.width, b.height];
    });
    charts[svg.id] = {x: box.left + scrollX, y: box.top + scrollY, width: box.width, height: box.height, drawn};
  }
  document.documentElement.setAttribute("data-measured", JSON.stringify(charts));
});
</script>
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chromium")
    journal = build_journal(folder / "journal.sqlite3")
    try:
        page = report_to_html(build_report(journal.reader, since=SINCE, until=UNTIL, now=NOW))
    finally:
        journal.close()
    harness = folder / "report.html"
    harness.write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = chromium("--virtual-time-budget=5000", "--dump-dom", harness.as_uri(), profile=folder / "profile-dom",
                   window=WINDOW)
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'data-measured="([^"]*)"', dom.stdout)
    assert found, "the page never finished loading: " + dom.stdout[:500]
    shot = folder / "report.png"
    result = chromium(f"--screenshot={shot}", harness.as_uri(), profile=folder / "profile-shot", window=WINDOW)
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    return json.loads(html.unescape(found.group(1))), shot


def test_both_charts_are_laid_out_with_every_shape_drawn(rendered):
    charts, _ = rendered
    assert set(charts) == {"pipeline-chart", "funnel-chart"}
    for name, chart in charts.items():
        assert chart["width"] > 400 and chart["height"] > 150, (name, chart)
        assert chart["y"] + chart["height"] < WINDOW[1], f"{name} is below the screenshot"
        assert chart["drawn"], name
        for kind, width, height in chart["drawn"]:
            assert width > 0 and height > 0, (name, kind, width, height)
    pipeline = [kind for kind, _, _ in charts["pipeline-chart"]["drawn"]]
    assert pipeline.count("bar") == 3 and pipeline.count("line") == 1 and pipeline.count("point") == 4
    assert [kind for kind, _, _ in charts["funnel-chart"]["drawn"]] == ["bar"] * 5


def test_the_screenshot_shows_the_charts_colours_where_the_charts_are(rendered):
    charts, shot = rendered
    bottom = max(int(c["y"] + c["height"]) + 1 for c in charts.values())
    pixels = png_pixels(shot, bottom)
    pipeline, funnel = charts["pipeline-chart"], charts["funnel-chart"]
    assert colour_count(pixels, pipeline, SENT_BARS) > 500  # the weekly bars
    assert colour_count(pixels, pipeline, OPEN_LINE) > 100  # the open-applications line
    assert colour_count(pixels, funnel, TEAL) > 2000  # the "Sent" bar, drawn at full strength
    assert colour_count(pixels, funnel, OPEN_LINE) == 0  # and nothing of the other chart
