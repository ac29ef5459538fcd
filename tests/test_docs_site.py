"""The docs site (mkdocs.yml over docs/) builds with ``mkdocs build --strict``.

A strict build fails on a link to a page or heading that is not there, a link out of
docs/ and a page left out of the navigation. CI builds the site that way after the suite;
here the navigation is checked against the folder without mkdocs, and the whole build runs
when mkdocs is installed (``pip install -e '.[docs]'``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"


def navigation() -> list[str]:
    """The pages the navigation of mkdocs.yml names, in its order."""
    text = CONFIG.read_text(encoding="utf-8")
    nav = text[text.index("\nnav:"):]
    return re.findall(r"^\s+-\s+(?:[^:\n]+:\s+)?([\w./-]+\.md)\s*$", nav, re.M)


def test_the_navigation_names_every_page_once_and_only_pages_that_exist():
    pages = sorted(str(path.relative_to(ROOT / "docs")) for path in (ROOT / "docs").rglob("*.md"))
    named = navigation()
    assert sorted(named) == pages
    assert len(named) == len(set(named))


def test_ci_builds_the_site_strictly():
    assert re.search(r"^[^#\n]*mkdocs build --strict", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)


def test_the_site_builds_strictly(tmp_path):
    pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install -e '.[docs]'); CI builds the site")
    pytest.importorskip("material", reason="the mkdocs-material theme is not installed (pip install -e '.[docs]')")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(CONFIG),
         "--site-dir", str(tmp_path / "site")],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "how-steps-decide" / "index.html").is_file()
