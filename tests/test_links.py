"""Every link in the Markdown documents leads somewhere.

The documents are README.md, CONTRIBUTING.md, everything under ``docs/`` and the READMEs
under ``examples/``. A link is checked against this repository, without the network:

- A relative link must name a file or folder that exists, and a ``#fragment`` a heading of
  the Markdown file it points to. From ``docs/`` it must stay inside ``docs/``: the docs
  site is built from that folder alone, so a link out of it breaks there.
- A link to this repository on GitHub (``https://github.com/coachflow/coachflow/blob/main/
  PATH``, ``.../tree/main/PATH`` or ``https://raw.githubusercontent.com/coachflow/coachflow/
  main/PATH``) must name a PATH that exists here, so the absolute links the package index
  needs cannot go stale.
- A README that is a package's long description (the project's own and the example
  plugin's) uses only such absolute links: the package index resolves relative ones
  against itself, where they break.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY = "https://github.com/coachflow/coachflow"
# what a link to this repository's files looks like, and where in the tree it points
OWN = re.compile(r"^(?:https://github\.com/coachflow/coachflow/(?P<kind>blob|tree)/main"
                 r"|https://raw\.githubusercontent\.com/coachflow/coachflow/main)(?:/(?P<path>[^#?]*))?")
# the READMEs a package index shows as the long description of a distribution
LONG_DESCRIPTIONS = ["README.md", "examples/plugins/coachflow-accountability/README.md"]

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[ \t]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+).+?\1", re.S)
LINK = re.compile(r"!?\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\((?P<target>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(?P<title>.+?)[ \t#]*$", re.M)


@attrs.frozen
class Link:
    """One Markdown link: the document it is in, its line, and where it points."""

    document: Path
    line: int
    target: str

    @property
    def where(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"


def documents() -> list[Path]:
    """The Markdown files whose links are checked."""
    return [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md")),
            *sorted((ROOT / "examples").rglob("README.md"))]


def without_code(text: str) -> str:
    """``text`` with code blocks and code spans blanked, keeping every line where it was."""
    blank = lambda match: re.sub(r"[^\n]", " ", match.group(0))  # noqa: E731
    return CODE_SPAN.sub(blank, FENCE.sub(blank, text))


def links(document: Path) -> list[Link]:
    """Every link and image of ``document`` outside code."""
    text = without_code(document.read_text(encoding="utf-8"))
    return [Link(document, text.count("\n", 0, match.start()) + 1, match.group("target"))
            for match in LINK.finditer(text)]


def slug(title: str) -> str:
    """The anchor of a heading, as Python-Markdown's table of contents (mkdocs) makes it;
    GitHub makes the same one for the headings these documents have."""
    title = re.sub(r"`([^`]*)`", r"\1", title)
    title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
    title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    title = re.sub(r"[^\w\s-]", "", title).strip().lower()
    return re.sub(r"[-\s]+", "-", title)


def anchors(document: Path) -> set[str]:
    """The anchors the headings of a Markdown file give (a repeated heading gets ``_1``, ...)."""
    found: set[str] = set()
    for match in HEADING.finditer(FENCE.sub("", document.read_text(encoding="utf-8"))):
        anchor, count = slug(match.group("title")), 0
        while (anchor if not count else f"{anchor}_{count}") in found:
            count += 1
        found.add(anchor if not count else f"{anchor}_{count}")
    return found


def problem(link: Link) -> str | None:
    """What is wrong with ``link``, or ``None`` when it leads somewhere."""
    target = link.target
    own = OWN.match(target)
    if own:
        path = (ROOT / (own.group("path") or "")).resolve()
        if not path.exists():
            return f"{target} names {path.relative_to(ROOT)}, which is not in the repository"
        if own.group("kind") == "blob" and not path.is_file():
            return f"{target} is a blob link to a folder; use /tree/main/"
        if own.group("kind") != "blob" and own.group("kind") is not None and not path.is_dir():
            return f"{target} is a tree link to a file; use /blob/main/"
        fragment = target.partition("#")[2]
        if fragment and path.suffix == ".md" and fragment not in anchors(path):
            return f"{target}: {path.relative_to(ROOT)} has no heading with the anchor #{fragment}"
        return None
    if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # another site, or mailto: not checked offline
        return None
    if not target:
        return "the link has no target"
    location, _, fragment = target.partition("#")
    path = (link.document.parent / location).resolve() if location else link.document
    if not path.is_relative_to(ROOT):
        return f"{target} points outside the repository"
    if not path.exists():
        return f"{target}: there is no {path.relative_to(ROOT)}"
    docs = ROOT / "docs"
    if link.document.is_relative_to(docs) and not path.is_relative_to(docs):
        kind = "tree" if path.is_dir() else "blob"
        return (f"{target} points outside docs/, which the docs site does not have; "
                f"link to {REPOSITORY}/{kind}/main/{path.relative_to(ROOT)} instead")
    if fragment and path.suffix == ".md" and fragment not in anchors(path):
        return f"{target}: {path.relative_to(ROOT)} has no heading with the anchor #{fragment}"
    return None


@pytest.mark.parametrize("document", documents(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_link_leads_somewhere(document: Path):
    broken = [f"{link.where}: {problem(link)}" for link in links(document) if problem(link)]
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("readme", LONG_DESCRIPTIONS)
def test_a_long_description_links_only_absolutely(readme: str):
    relative = [f"{link.where}: {link.target}" for link in links(ROOT / readme)
                if not re.match(r"^(https?:|mailto:|#)", link.target)]
    assert not relative, ("the package index cannot follow these relative links; "
                          f"use {REPOSITORY}/blob/main/PATH:\n" + "\n".join(relative))


def test_the_long_descriptions_are_the_ones_the_packages_declare():
    import tomllib

    for readme in LONG_DESCRIPTIONS:
        pyproject = tomllib.loads((ROOT / readme).with_name("pyproject.toml").read_text(encoding="utf-8"))
        assert pyproject["project"]["readme"] == "README.md"


def test_the_checker_finds_what_breaks(tmp_path):
    docs_page = ROOT / "docs" / "index.md"
    assert problem(Link(docs_page, 1, "journal.md")) is None
    assert problem(Link(docs_page, 1, "journal.md#no-such-heading")).endswith("no heading with the anchor #no-such-heading")
    assert "outside docs/" in problem(Link(docs_page, 1, "../CONTRIBUTING.md"))
    assert "there is no docs/missing.md" in problem(Link(docs_page, 1, "missing.md"))
    assert problem(Link(ROOT / "README.md", 1, "CONTRIBUTING.md")) is None
    assert problem(Link(docs_page, 1, f"{REPOSITORY}/blob/main/CONTRIBUTING.md")) is None
    assert "not in the repository" in problem(Link(docs_page, 1, f"{REPOSITORY}/blob/main/NOPE.md"))
    assert "tree link to a file" in problem(Link(docs_page, 1, f"{REPOSITORY}/tree/main/README.md"))
    assert problem(Link(docs_page, 1, "https://raw.githubusercontent.com/coachflow/coachflow/main/docs/images/report.png")) is None
    page = tmp_path / "page.md"
    page.write_text("# A `code` title\n\n```md\n[not a link](nowhere.md)\n```\n\nSee `[nor this](x.md)` and [this](#a-code-title).\n",
                    encoding="utf-8")
    assert [link.target for link in links(page)] == ["#a-code-title"]
    assert anchors(page) == {"a-code-title"}


def test_every_docs_page_is_in_the_sites_navigation():
    # mkdocs --strict (CI) refuses a page left out of the nav; this says so without building the site.
    nav = re.findall(r"([\w./-]+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    pages = sorted(str(page.relative_to(ROOT / "docs")) for page in (ROOT / "docs").rglob("*.md"))
    assert [page for page in pages if page not in nav] == []
