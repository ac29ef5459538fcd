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
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from coachflow.report.build import build_report
from coachflow.report.html import OPEN_LINE, SENT_BARS, TEAL, report_to_html
from support.report_history import NOW, SINCE, UNTIL, build_journal

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (apt-get install chromium; .ci/run does this in CI)",
)

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


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--hide-scrollbars", "--force-device-scale-factor=1",
        f"--window-size={WINDOW[0]},{WINDOW[1]}", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def png_pixels(path: Path, rows: int) -> tuple[int, list[bytes]]:
    """Decode the first ``rows`` rows of an 8-bit, non-interlaced RGB(A) PNG: (bytes per pixel, rows)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat, header = 8, b"", None
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    previous = bytearray(stride)
    out = []
    for y in range(min(rows, height)):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(bytes(line))
        previous = line
    return bpp, out


def colour_count(pixels: tuple[int, list[bytes]], box: dict, colour: str, tolerance: int = 12) -> int:
    """How many pixels inside ``box`` are (nearly) ``colour``."""
    bpp, rows = pixels
    target = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    count = 0
    for y in range(int(box["y"]), int(box["y"] + box["height"])):
        row = rows[y]
        for x in range(int(box["x"]), int(box["x"] + box["width"])):
            pixel = row[x * bpp:x * bpp + 3]
            if all(abs(pixel[i] - target[i]) <= tolerance for i in range(3)):
                count += 1
    return count


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
    dom = chromium("--virtual-time-budget=5000", "--dump-dom", harness.as_uri(), profile=folder / "profile-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'data-measured="([^"]*)"', dom.stdout)
    assert found, "the page never finished loading: " + dom.stdout[:500]
    shot = folder / "report.png"
    result = chromium(f"--screenshot={shot}", harness.as_uri(), profile=folder / "profile-shot")
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
