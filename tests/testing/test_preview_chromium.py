"""The HTML preview in a real browser: headless Chromium lays it out, nothing overflows.

The test measures the page with a script added to a copy (the preview
itself has none), then takes a screenshot and looks for the page's colours
where its sections are.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from support.chromium import chromium, colour_count, needs_chromium, png_pixels

pytestmark = needs_chromium

WINDOW = (1000, 1600)

MEASURE = """
<script>
addEventListener("load", () => {
  const boxes = [...document.querySelectorAll("section, header")].map((element) => {
    const box = element.getBoundingClientRect();
    return {id: element.id || element.tagName, x: box.left + scrollX, y: box.top + scrollY,
            width: box.width, height: box.height, items: element.querySelectorAll("ol.actions > li").length};
  });
  const wide = [...document.querySelectorAll("main *")].filter((e) => e.scrollWidth > e.clientWidth + 1
    && getComputedStyle(e).overflowX !== "visible").length;
  document.documentElement.setAttribute("data-measured", JSON.stringify(
    {boxes, pageWidth: document.documentElement.scrollWidth, wide}));
});
</script>
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("preview-chromium")
    page = folder / "preview.html"
    result = CliRunner().invoke(cli, ["preview", "--format", "html", "-o", str(page)],
                                env={"COACHFLOW_NOW": "2026-11-25T17:30"})
    assert result.exit_code == 0, result.output
    harness = folder / "harness.html"
    harness.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = chromium("--virtual-time-budget=5000", "--dump-dom", harness.as_uri(), profile=folder / "profile-dom",
                   window=WINDOW)
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'data-measured="([^"]*)"', dom.stdout)
    assert found, "the page never finished loading: " + dom.stdout[:500]
    shot = folder / "preview.png"
    taken = chromium(f"--screenshot={shot}", page.as_uri(), profile=folder / "profile-shot", window=WINDOW)
    assert taken.returncode == 0 and shot.exists(), taken.stderr[-2000:]
    return json.loads(html.unescape(found.group(1))), shot


def test_every_situation_is_laid_out_in_the_page_width(rendered):
    measured, _ = rendered
    sections = [box for box in measured["boxes"] if box["id"].startswith("situation-")]
    assert [box["id"] for box in sections] == [f"situation-{n}" for n in range(1, 6)]
    assert measured["pageWidth"] <= WINDOW[0]  # no sideways scrolling
    assert measured["wide"] == 0
    for box in sections:
        assert 400 < box["width"] <= 760 and box["height"] > 100, box
        assert box["items"] >= 1, box
    assert all(a["y"] + a["height"] <= b["y"] for a, b in zip(sections, sections[1:]))  # stacked, not overlapping


def test_the_screenshot_shows_the_header_band_and_white_cards(rendered):
    measured, shot = rendered
    header = next(box for box in measured["boxes"] if box["id"] == "HEADER")
    first = next(box for box in measured["boxes"] if box["id"] == "situation-1")
    pixels = png_pixels(shot, int(first["y"] + 200))
    band = {"x": header["x"], "y": header["y"], "width": header["width"], "height": 6}
    assert colour_count(pixels, band, "#0b6e69", tolerance=20) > header["width"] * 4
    card = {"x": first["x"] + 10, "y": first["y"] + 10, "width": first["width"] - 20, "height": 150}
    assert colour_count(pixels, card, "#ffffff", tolerance=3) > card["width"] * card["height"] * 0.5
