"""Importing what spreadsheets write: semicolons and tabs, day-first dates, columns of their own,
and a look before writing (--dry-run)."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.journal import open_journal
from coachflow.models import event_to_dict

JOURNAL = "search.sqlite3"

#: A tracking sheet kept in a spreadsheet set to German, saved as "CSV UTF-8": a byte order mark,
#: semicolons, Windows line ends, dates day first with / and ., a column of its own, and the
#: empty rows a spreadsheet leaves at the end.
SHEET = (
    "\ufeffDate;Company;Role;Type;Salary;Notes\r\n"
    "01/09/2026;Acme;Data Analyst;Applied;52000;Found on LinkedIn\r\n"
    "03.09.2026;Beta GmbH;Analyst;applied;;\r\n"
    "12/09/2026;Acme;Data Analyst;interview invitation;;\r\n"
    '19 Sep 2026;Beta GmbH;Analyst;Rejection;48000;"Went with someone internal; kind note"\r\n'
    ";;;;;\r\n"
    ";;;;;\r\n"
)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "coachflow.toml").write_text('[workflow]\nname = "Bounce back"\n\n[[steps]]\nuses = "allow-disappointment"\n')
    (tmp_path / "sheet.csv").write_bytes(SHEET.encode("utf-8"))


def coachflow(*args: str, code: int = 0, input: str | None = None):
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.output
    return result


def events_in(path=JOURNAL) -> list[dict]:
    with open_journal(path) as journal:
        return [event_to_dict(e) for e in journal.reader.events()]


def test_a_semicolon_sheet_with_day_first_dates_imports_with_date_format_day_first():
    result = coachflow("import", "sheet.csv", "--date-format", "day-first", "--journal", JOURNAL)

    assert result.stdout == "sheet.csv: added 4, already there 0\n"
    assert result.stderr == ("Warning: sheet.csv: left out the column 'Salary', which coachflow does not keep; "
                             "add --extra-columns notes to keep it in each event's notes\n")
    assert [(e["date"], e["type"], e.get("kind"), e["company"], e["notes"]) for e in events_in()] == [
        ("2026-09-01", "milestone", "applied", "Acme", "Found on LinkedIn"),
        ("2026-09-03", "milestone", "applied", "Beta GmbH", ""),
        ("2026-09-12", "milestone", "interview-invitation", "Acme", ""),
        ("2026-09-19", "rejection", None, "Beta GmbH", "Went with someone internal; kind note"),
    ]


def test_without_date_format_an_ambiguous_date_names_its_row_and_the_choice_and_nothing_is_written(tmp_path):
    result = coachflow("import", "sheet.csv", "--journal", JOURNAL, code=2)

    assert result.stderr == (  # every row that needs it, in one pass
        "Error: sheet.csv:2: date: '01/09/2026' could be 1 September or 9 January; "
        "say which with --date-format day-first or --date-format month-first\n"
        "Error: sheet.csv:3: date: '03.09.2026' could be 3 September or 9 March; "
        "say which with --date-format day-first or --date-format month-first\n"
        "Error: sheet.csv:4: date: '12/09/2026' could be 12 September or 9 December; "
        "say which with --date-format day-first or --date-format month-first\n")
    assert not (tmp_path / JOURNAL).exists()


def test_month_first_reads_the_same_cells_the_other_way_and_names_the_row_that_cannot_be():
    result = coachflow("import", "sheet.csv", "--date-format", "month-first", "--journal", JOURNAL, code=2)

    # 12/09/2026 month first is 9 December, after the suite's today (25 November 2026)
    assert result.stderr == (
        "Error: sheet.csv:4: date: 2026-12-09 is in the future; record events when they have happened\n")


def test_a_pattern_reads_two_digit_years_and_a_cell_that_does_not_match_is_named(tmp_path):
    (tmp_path / "short.csv").write_text("date,type,company,role\n14.03.26,applied,Acme,Analyst\n2026-03-15,applied,"
                                        "Beta,Analyst\n15 March,applied,Gamma,Analyst\n")
    result = coachflow("import", "short.csv", "--date-format", "%d.%m.%y", "--journal", JOURNAL, code=2)
    assert result.stderr == ("Error: short.csv:4: date: '15 March' does not match --date-format %d.%m.%y "
                             "(as in 14.03.26); dates as YYYY-MM-DD are read too\n")

    (tmp_path / "short.csv").write_text("date,type,company,role\n14.03.26,applied,Acme,Analyst\n2026-03-15,applied,"
                                        "Beta,Analyst\n")
    coachflow("import", "short.csv", "--date-format", "%d.%m.%y", "--journal", JOURNAL)
    assert [e["date"] for e in events_in()] == ["2026-03-14", "2026-03-15"]


@pytest.mark.parametrize(("cell", "message"), [
    ("13/09/2026", "date: '13/09/2026' is not YYYY-MM-DD; to read dates such as this one add --date-format day-first"),
    ("01/09/26", "date: '01/09/26' has a two-digit year; read it with --date-format '%d/%m/%y' "
                 "(or save the sheet with four-digit years)"),
    ("Mon 1 Sep 2026", "date: 'Mon 1 Sep 2026': 1 September 2026 is a Tuesday, not a Monday; check the date"),
    ("31 Feb 2026", "date: '31 Feb 2026' is not a date: February 2026 has no day 31"),
    ("soon", "date: 'soon' is not a date coachflow can read; write it as YYYY-MM-DD (2026-03-14) or with the "
             "month's name (14 Mar 2026)"),
])
def test_a_date_that_cannot_be_read_is_named_with_its_row_and_the_format_expected(tmp_path, cell, message):
    (tmp_path / "dates.csv").write_text(f"date,type,company,role\n2026-09-01,applied,Acme,Analyst\n{cell},applied,"
                                        "Beta,Analyst\n")
    result = coachflow("import", "dates.csv", "--journal", JOURNAL, code=2)
    assert result.stderr == f"Error: dates.csv:3: {message}\n"


def test_dates_with_the_month_named_or_the_year_first_need_no_date_format(tmp_path):
    (tmp_path / "named.csv").write_text(
        "date,type,company,role\n"
        "1 Sep 2026,applied,A,Analyst\n"
        '"Sep 2, 2026",applied,B,Analyst\n'
        "Thu 3 September 2026,applied,C,Analyst\n"
        "2026/09/04,applied,D,Analyst\n"
        "2026-09-05 00:00:00,applied,E,Analyst\n")
    coachflow("import", "named.csv", "--journal", JOURNAL)
    assert [e["date"] for e in events_in()] == ["2026-09-01", "2026-09-02", "2026-09-03", "2026-09-04", "2026-09-05"]


def test_a_bad_date_format_is_refused_before_the_file_is_read(tmp_path):
    result = coachflow("import", "sheet.csv", "--date-format", "%d/%m", "--journal", JOURNAL, code=2)
    assert result.stderr == ("Error: --date-format: '%d/%m' does not give the day, the month and the year; use "
                             "codes such as %d/%m/%Y (14/03/2026) or %d.%m.%y (14.03.26)\n")
    result = coachflow("import", "sheet.csv", "--date-format", "dayfirst", "--journal", JOURNAL, code=2)
    assert result.stderr == ("Error: --date-format: 'dayfirst' is neither day-first, month-first nor a pattern "
                             "such as %d/%m/%Y\n")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_sniffed(tmp_path, delimiter):
    rows = [["Type", "Date", "Company", "Role", "Notes"],
            ["applied", "2026-09-01", "Acme, Inc", "Analyst", "a; b"],
            ["rejection", "2026-09-08", "Acme, Inc", "Analyst", "x\ty"]]
    text = "\n".join(delimiter.join(f'"{cell}"' if delimiter in cell or any(d in cell for d in ",;\t") else cell
                                    for cell in row) for row in rows) + "\n"
    (tmp_path / "sheet.tsv").write_text(text)
    result = coachflow("import", "sheet.tsv", "--journal", JOURNAL)
    assert result.stdout == "sheet.tsv: added 2, already there 0\n"
    assert [(e["company"], e["notes"]) for e in events_in()] == [("Acme, Inc", "a; b"), ("Acme, Inc", "x\ty")]


def test_an_excel_sep_line_names_the_delimiter(tmp_path):
    (tmp_path / "excel.csv").write_text("sep=;\ndate;type;company;role\n2026-09-01;applied;Acme;Analyst\n"
                                        "2026-09-40;applied;Beta;Analyst\n")
    result = coachflow("import", "excel.csv", "--journal", JOURNAL, code=2)
    assert result.stderr.startswith("Error: excel.csv:4: date: '2026-09-40' is not a date")


def test_missing_columns_are_named_with_the_columns_found(tmp_path):
    (tmp_path / "sheet.csv").write_text("When|Company|Role|Type\n2026-09-01|Acme|Analyst|applied\n")
    result = coachflow("import", "sheet.csv", "--journal", JOURNAL, code=2)
    assert result.stderr == (
        "Error: sheet.csv:1: the first line must name the columns date, type, company, role; missing: date, type, "
        "company, role (found 1 column separated by commas: 'When|Company|Role|Type')\n")

    (tmp_path / "sheet.csv").write_text("Datum;Firma;Role;Type\n2026-09-01;Acme;Analyst;applied\n")
    result = coachflow("import", "sheet.csv", "--journal", JOURNAL, code=2)
    assert result.stderr == (
        "Error: sheet.csv:1: the first line must name the columns date, type, company, role; missing: date, "
        "company (found 4 columns separated by semicolons: 'Datum', 'Firma', 'Role', 'Type')\n")


def test_own_columns_can_be_kept_in_the_notes_except_on_feedback(tmp_path):
    (tmp_path / "sheet.csv").write_text(
        "date,type,company,role,text,Salary,Link,notes\n"
        "2026-09-01,applied,Acme,Analyst,,52000,https://acme.example/1,Referral\n"
        "2026-09-02,applied,Beta,Analyst,,,,\n"
        "2026-09-08,feedback,Acme,Analyst,Good answers,52000,,\n")
    result = coachflow("import", "sheet.csv", "--extra-columns", "notes", "--journal", JOURNAL)

    assert result.stderr == ("Warning: sheet.csv: feedback has no notes, so 'Salary' was left out of "
                             "1 feedback row\n")
    assert [(e["company"], e.get("notes")) for e in events_in()] == [
        ("Acme", "Referral; Salary: 52000; Link: https://acme.example/1"), ("Beta", ""), ("Acme", None)]


def test_import_dry_run_lists_what_would_be_added_and_creates_no_journal(tmp_path):
    result = coachflow("import", "sheet.csv", "--date-format", "day-first", "--dry-run", "--journal", JOURNAL)

    assert result.stdout == (
        "Tue 1 Sep 2026   Applied               Data Analyst at Acme (Found on\n"
        "                                       LinkedIn)\n"  # wrapped at 78 columns, under its column
        "Thu 3 Sep 2026   Applied               Analyst at Beta GmbH\n"
        "Sat 12 Sep 2026  Interview invitation  Data Analyst at Acme\n"
        "Sat 19 Sep 2026  Rejection             Analyst at Beta GmbH, application stage\n"
        "\n"
        "sheet.csv: would add 4, already there 0\n"
        "Dry run: nothing was written to the journal.\n")
    assert not (tmp_path / JOURNAL).exists()


def test_import_run_dry_run_counts_the_suggestions_and_leaves_the_journal_as_it_was(tmp_path):
    coachflow("run", "milestone", "--kind", "applied", "--company", "Acme", "--role", "Data Analyst",
              "--date", "2026-09-01", "--notes", "Found on LinkedIn", "--journal", JOURNAL)
    before = (tmp_path / JOURNAL).read_bytes()

    result = coachflow("import", "sheet.csv", "--date-format", "day-first", "--run", "--dry-run",
                       "--journal", JOURNAL)

    # the September no's reminders are two months past their time: lapsed, not due
    assert result.stdout.splitlines()[-3:] == [
        "sheet.csv: would add 3, already there 1",
        "Would run 'Bounce back' on 3 new events: 2 suggestions, 0 due now",
        "Dry run: nothing was written to the journal.",
    ]
    assert (tmp_path / JOURNAL).read_bytes() == before
    real = coachflow("import", "sheet.csv", "--date-format", "day-first", "--run", "--journal", JOURNAL)
    assert real.stdout.splitlines() == [
        "sheet.csv: added 3, already there 1",
        "Ran 'Bounce back' on 3 new events: 2 suggestions, 0 due now",
        "  (see them with: coachflow due)",
    ]


def test_import_format_json_gives_what_was_added(tmp_path):
    result = coachflow("import", "sheet.csv", "--date-format", "day-first", "--format", "json", "--journal", JOURNAL)
    data = json.loads(result.stdout)

    assert {key: data[key] for key in ("file", "format", "dry_run", "added", "already_there", "columns_left_out",
                                       "columns_in_notes", "run")} == {
        "file": "sheet.csv", "format": "csv", "dry_run": False, "added": 4, "already_there": 0,
        "columns_left_out": ["Salary"], "columns_in_notes": [], "run": None}
    assert data["events"] == events_in()

    again = json.loads(coachflow("import", "sheet.csv", "--date-format", "day-first", "--run", "--format", "json",
                                 "--journal", JOURNAL).stdout)
    assert (again["added"], again["already_there"], again["events"]) == (0, 4, [])
    assert again["run"] == {"workflow": "Bounce back", "events": 0, "suggestions": 0, "due_now": 0, "errors": []}


def test_the_old_format_option_says_where_the_file_format_went():
    result = coachflow("import", "sheet.csv", "--format", "csv", "--journal", JOURNAL, code=2)
    assert result.stderr == ("Error: --format: the file's format is --input-format csv; --format "
                             "says what import prints: text or json (see 'coachflow import --help')\n")


def test_date_format_on_a_jsonl_file_is_a_usage_error(tmp_path):
    (tmp_path / "events.jsonl").write_text('{"type": "milestone", "kind": "applied", "company": "Acme", '
                                           '"date": "2026-09-01"}\n')
    result = coachflow("import", "events.jsonl", "--date-format", "day-first", "--journal", JOURNAL, code=2)
    assert result.stderr == ("Error: --date-format is for CSV files; events.jsonl is JSONL, whose dates are always "
                             "YYYY-MM-DD and whose fields are coachflow's own (see 'coachflow import --help')\n")


# --- formulas ---------------------------------------------------------------------------------------------------


def test_export_neutralises_formulas_and_import_gives_the_text_back(tmp_path):
    notes = ["=HYPERLINK(\"https://evil.example\",\"click\")", "+44 20 7946 0000", "-5 points", "@channel",
             "'=already quoted", "plain", "it's fine"]
    lines = ['{"type": "milestone", "kind": "applied", "company": "Acme", "role": "Analyst", '
             f'"date": "2026-09-0{day}", "notes": {json.dumps(note)}}}' for day, note in enumerate(notes, start=1)]
    (tmp_path / "events.jsonl").write_text("\n".join(lines) + "\n")
    coachflow("import", "events.jsonl", "--journal", "a.sqlite3")

    coachflow("export", "-o", "out.csv", "--journal", "a.sqlite3")
    with open(tmp_path / "out.csv", newline="") as stream:
        cells = [row[-1] for row in csv.reader(stream)][1:]
    assert cells == ["'" + notes[0], "'+44 20 7946 0000", "'-5 points", "'@channel", "''=already quoted", "plain",
                     "it's fine"]

    coachflow("import", "out.csv", "--journal", "b.sqlite3")
    assert [e["notes"] for e in events_in("b.sqlite3")] == notes
