"""coachflow.journal.io for spreadsheets, through its Python API: delimiters, dates, formula cells."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given, strategies as st

from coachflow.errors import EventError
from coachflow.journal.io import (
    escape_cell,
    read_events,
    read_spreadsheet_date,
    sniff_delimiter,
    unescape_cell,
    write_csv,
)
from coachflow.models import event_from_dict


@pytest.mark.parametrize(("text", "delimiter"), [
    ("date,type,company,role\n2026-03-02,applied,Acme,Analyst\n", ","),
    ("date;type;company;role\n02.03.2026;applied;Acme, Inc;Analyst\n", ";"),
    ("date\ttype\tcompany\trole\n2026-03-02\tapplied\tAcme; Beta\tAnalyst\n", "\t"),
    # a semicolon in every quoted cell must not win over the commas that name the columns
    ('date,type,company,role\n2026-03-02,applied,"A;B","x;y"\n2026-03-03,applied,"C;D","z;w"\n', ","),
    ("date,type,company,role\n", ","),
])
def test_the_delimiter_is_the_one_that_names_the_columns(text, delimiter):
    assert sniff_delimiter(text) == delimiter


@pytest.mark.parametrize(("cell", "date_format", "day"), [
    ("14/03/2026", "day-first", dt.date(2026, 3, 14)),
    ("14.03.2026", "day-first", dt.date(2026, 3, 14)),
    ("3-14-2026", "month-first", dt.date(2026, 3, 14)),
    ("14/03/2026 09:30", "day-first", dt.date(2026, 3, 14)),
    ("14 Mar 2026", None, dt.date(2026, 3, 14)),
    ("March 14th, 2026", None, dt.date(2026, 3, 14)),
    ("Sat 14 Mar 2026", None, dt.date(2026, 3, 14)),  # as coachflow writes dates
    ("2026/3/14", None, dt.date(2026, 3, 14)),
    ("14.03.26", "%d.%m.%y", dt.date(2026, 3, 14)),
    ("2026.14.03", "%Y.%d.%m", dt.date(2026, 3, 14)),
])
def test_spreadsheet_dates(cell, date_format, day):
    assert read_spreadsheet_date(cell, date_format) == day


def test_a_pattern_without_the_month_is_refused_rather_than_read_as_january():
    with pytest.raises(EventError) as raised:
        read_events("date,type,company,role\n14 mars 2026,applied,Acme,Analyst\n", "s.csv", date_format="%d mars %Y")
    assert str(raised.value).startswith("--date-format: '%d mars %Y' does not give the day, the month and the year")


def test_iso_dates_and_words_are_left_for_parse_date_to_read():
    assert read_spreadsheet_date("2026-03-14", "day-first") == "2026-03-14"
    assert read_spreadsheet_date("2026-03-14T10:00:00", None) == "2026-03-14"
    assert read_spreadsheet_date("yesterday", None) == "yesterday"
    assert read_spreadsheet_date("", "day-first") == ""


def test_a_day_first_sheet_read_month_first_says_which_order_it_probably_is():
    with pytest.raises(EventError) as raised:
        read_spreadsheet_date("25/12/2025", "month-first", "sheet.csv:7: ")
    assert str(raised.value) == ("sheet.csv:7: date: '25/12/2025' has no month 25; if the sheet's dates are "
                                 "day-first, say --date-format day-first")


def test_read_events_reports_its_progress_by_lines():
    text = "date,type,company,role\n" + "".join(f"2026-03-02,applied,Company {n},Analyst\n" for n in range(2500))
    seen = []
    parsed = read_events(text, "big.csv", progress=lambda done, total: seen.append((done, total)))
    assert len(parsed.events) == 2500
    assert seen == [(1000, 2501), (2000, 2501), (2501, 2501)]


def test_csv_export_escapes_formula_cells_and_import_takes_the_escape_off():
    event = event_from_dict({"type": "feedback", "company": "=cmd|'/C calc'!A0", "role": "@SUM(1+1)",
                             "source": "-recruiter", "text": "+1 for clarity", "date": "2026-03-02"})
    stream = io.StringIO()
    write_csv([event], stream)
    assert stream.getvalue().splitlines()[1] == (
        "feedback,2026-03-02,'=cmd|'/C calc'!A0,'@SUM(1+1),,,,'-recruiter,'+1 for clarity,")
    [read] = read_events(stream.getvalue(), "out.csv").events
    assert read.event == event


@given(st.text())
def test_escaping_a_cell_is_undone_exactly_and_never_leaves_a_formula(text):
    escaped = escape_cell(text)
    assert unescape_cell(escaped) == text
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
