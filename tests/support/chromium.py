"""Headless Chromium for the tests that look at a page in a real browser (the report, the preview).

Tests using it skip, with the reason, where Chromium is not installed
(Debian's ``chromium`` package; ``.ci/run`` installs it).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")

#: Mark a test module with ``pytestmark = needs_chromium``.
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (apt-get install chromium; .ci/run does this in CI)",
)


def chromium(*args: str, profile: Path, window: tuple[int, int] = (1000, 2600)) -> subprocess.CompletedProcess:
    """Run headless Chromium with a fresh profile and a fixed window (for screenshots)."""
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--hide-scrollbars", "--force-device-scale-factor=1",
        f"--window-size={window[0]},{window[1]}", *args,
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
