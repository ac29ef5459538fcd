"""What a person typed stays text in coachflow's Markdown: no list item, rule or heading of its own.

A note ``"ok\\n---"`` became a rule and ``"ok\\n- injected"`` a list item in
the Markdown report, breaking the Wins list. Each output is parsed with a
CommonMark parser (markdown-it-py), which says what a reader's Markdown
viewer would make of it.
"""

from __future__ import annotations

import html
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from coachflow.cli import cli
from coachflow.output.markdown import markdown_block, markdown_escape

#: Lines that would start a block of their own, each after a line of text.
LINE_STARTS = ["---", "- injected", "+ plus", "* star", "1. first", "2) second", "===", "~~~", "# heading",
               "> quote", "***", "___", "- - -", "```", "    indented", "<div>", "[link]: https://example.com"]


def _blocks(markdown: str) -> list[str]:
    """The kinds of block a CommonMark reader sees, in order (``paragraph``, ``bullet_list``...)."""
    return [token.type.removesuffix("_open") for token in MarkdownIt("commonmark").parse(markdown)
            if token.nesting == 1 and token.level == 0 or token.type in ("hr", "fence", "code_block", "html_block")]


@pytest.mark.parametrize("start", LINE_STARTS)
def test_a_line_of_a_text_block_stays_a_line_of_the_paragraph(start: str) -> None:
    markdown = "\n".join(markdown_block(f"ok\n{start}\nend")) + "\n"
    assert _blocks(markdown) == ["paragraph"], markdown
    text = MarkdownIt("commonmark").render(markdown)
    assert html.escape(start.split()[0], quote=False) in text  # shown as written


@pytest.mark.parametrize("start", LINE_STARTS)
def test_inline_text_is_one_line_of_text(start: str) -> None:
    markdown = f"- a win: {markdown_escape(f'ok{chr(10)}{start}')}\n- the next win\n"
    assert _blocks(markdown) == ["bullet_list"]
    items = [t for t in MarkdownIt("commonmark").parse(markdown) if t.type == "list_item_open"]
    assert len(items) == 2


def _invoke(args, tmp_path: Path):
    return CliRunner().invoke(cli, [*args, "--journal", str(tmp_path / "journal.sqlite3")])


def test_the_wins_list_of_a_report_keeps_one_item_per_win(tmp_path: Path) -> None:
    notes = ["ok\n---", "ok\n- injected", "fine\n1. numbered\n===", "call went well"]
    for number, note in enumerate(notes, start=1):
        result = _invoke(["run", "milestone", "--kind", "good-conversation", "--company", f"Acme {number}",
                          "--notes", note], tmp_path)
        assert result.exit_code == 0, result.output
    result = _invoke(["report"], tmp_path)
    assert result.exit_code == 0, result.output
    tokens = MarkdownIt("commonmark").parse(result.stdout)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings.count("Wins") == 1 and "ok" not in headings and "fine" not in headings
    assert not [t for t in tokens if t.type == "hr"]
    wins = result.stdout.split("## Wins\n\n", 1)[1].split("\n## ", 1)[0]
    items = [t for t in MarkdownIt("commonmark").parse(wins) if t.type == "list_item_open"]
    assert len(items) == len(notes)


def test_run_markdown_keeps_a_note_in_a_template_as_text(tmp_path: Path) -> None:
    workflow = tmp_path / "notes.toml"
    workflow.write_text(textwrap.dedent('''\
        [workflow]
        name = "Notes"

        [[steps]]
        uses = "allow-disappointment"

        [steps.with]
        acknowledgement = "You wrote:\\n{notes}\\nThat is worth keeping."
        '''), encoding="utf-8")
    result = _invoke(["run", "rejection", "--company", "Acme", "--notes", "ok\n---\n- injected\n# big\n2. two",
                      "-w", str(workflow), "--format", "markdown", "--dry-run"], tmp_path)
    assert result.exit_code == 0, result.output
    tokens = MarkdownIt("commonmark").parse(result.stdout)
    assert not [t for t in tokens if t.type in ("hr", "ordered_list_open")]
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h3"]  # the event's own heading only
    bullet_items = [t for t in tokens if t.type == "list_item_open"]
    assert len(bullet_items) == 2  # the note and the check-in reminder, nothing from the text
