"""Moving events between a journal and files: JSONL and CSV export and import.

The formats are shared with other tools and helpers:

- JSONL: one JSON object per line, exactly :func:`coachflow.models.event_to_dict`
  (``type`` first, then the event's fields, the date as ``YYYY-MM-DD``).
- CSV: the header :data:`CSV_COLUMNS`. Import also takes the CSV a person
  keeps in a spreadsheet, as spreadsheets write it: columns separated by
  commas, semicolons or tabs (sniffed), at least the columns
  :data:`REQUIRED_CSV_COLUMNS` in any order and any case, dates in the
  spreadsheet's own style (see :func:`read_spreadsheet_date`), and columns
  of its own, which are left out with a warning or kept in the notes. In
  such a file the ``type`` column may name a milestone kind (``applied``)
  instead of ``milestone``.

Import reads the whole file before writing anything: the first bad row
stops it with one line naming the file, the line and the field. Writing
happens in one transaction and skips events the journal already holds, so
importing the same file twice adds nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence, TextIO

import attrs

from coachflow.errors import EventError, UnknownKindError, did_you_mean, event_problems
from coachflow.wording import plural
from coachflow.models import EVENT_FIELDS, EVENT_TYPES, Event, RunResult, event_fields, event_from_dict, event_to_dict

if TYPE_CHECKING:
    from coachflow.engine import WorkflowRunner
    from coachflow.journal import Journal

#: The formats export writes and import reads.
FORMATS: tuple[str, ...] = ("jsonl", "csv")

#: The header coachflow writes: the type, then every event field in the models' order.
CSV_COLUMNS: tuple[str, ...] = ("type", *EVENT_FIELDS)

#: The columns an imported CSV must have at the least: the date, the type and the other
#: fields every type of event has (the company and the role), so that a file whose
#: header is not coachflow's is told apart from one with a column missing.
REQUIRED_CSV_COLUMNS: tuple[str, ...] = ("date", "type", *(
    name for name in EVENT_FIELDS if name != "date" and all(name in event_fields(kind) for kind in EVENT_TYPES)))

_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "csv"}

#: The separators a spreadsheet's CSV may use between cells.
CSV_DELIMITERS: tuple[str, ...] = (",", ";", "\t")

#: What ``extra_columns`` may say about a spreadsheet's own columns.
EXTRA_COLUMNS: tuple[str, ...] = ("skip", "notes")

#: The ``date_format`` words for dates written in numbers only; a pattern
#: with ``%`` codes (``%d/%m/%y``) is the third way.
DATE_ORDERS: tuple[str, ...] = ("day-first", "month-first")

#: Called now and then during long work with how much is done of how much.
Progress = Callable[[int, int], None]

#: How many lines or events go by between two calls of a :data:`Progress`.
PROGRESS_EVERY = 1000


@attrs.frozen
class ImportedEvent:
    """An event read from a file, with the line it starts on."""

    line: int
    event: Event


@attrs.frozen
class ParsedFile:
    """Everything read from a file to import."""

    #: the events, in the file's order.
    events: list[ImportedEvent]
    #: ``jsonl`` or ``csv``.
    format: str
    #: the CSV's delimiter (``None`` for JSONL).
    delimiter: str | None = None
    #: a spreadsheet's own columns that had values and were left out.
    columns_left_out: tuple[str, ...] = ()
    #: a spreadsheet's own columns kept in the events' notes.
    columns_in_notes: tuple[str, ...] = ()
    #: how many rows were feedback, which has no notes, with values in columns kept in notes.
    feedback_rows_left_out: int = 0


@attrs.frozen
class ImportResult:
    """What an import wrote."""

    #: events written, in the order they were written (date order).
    added: list[Event]
    #: events of the file the journal already held.
    already: int
    #: with a workflow runner, one run result per added event.
    results: list[RunResult] = attrs.Factory(list)


# --- export -------------------------------------------------------------------


def write_jsonl(events: Iterable[Event], stream: TextIO) -> int:
    """Write events as JSON lines; return how many."""
    written = 0
    for event in events:
        stream.write(json.dumps(event_to_dict(event), ensure_ascii=False) + "\n")
        written += 1
    return written


def write_csv(events: Iterable[Event], stream: TextIO) -> int:
    """Write events as CSV with the :data:`CSV_COLUMNS` header; return how many.

    A text that a spreadsheet would take for a formula (``=HYPERLINK(...)``,
    ``+1``, ``-``, ``@``) gets a ``'`` in front (see :func:`escape_cell`),
    which import takes off again.
    """
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    written = 0
    for event in events:
        data = event_to_dict(event)
        writer.writerow([escape_cell(value) if isinstance(value := data.get(column, ""), str) else value
                         for column in CSV_COLUMNS])
        written += 1
    return written


def write_events(events: Iterable[Event], stream: TextIO, format: str) -> int:
    """Write events in ``format`` (``jsonl`` or ``csv``); return how many."""
    writer = {"jsonl": write_jsonl, "csv": write_csv}[format]
    return writer(events, stream)


# --- import -------------------------------------------------------------------


def guess_format(name: str, text: str) -> str:
    """The format of a file to import: from its extension, else from its first character."""
    by_extension = _EXTENSIONS.get(Path(name).suffix.lower())
    if by_extension:
        return by_extension
    return "jsonl" if text.lstrip().startswith("{") else "csv"


def read_text(path: str) -> str:
    """Read a file to import as UTF-8 (a spreadsheet's byte-order mark is dropped).

    :raises EventError: when it cannot be read or is not UTF-8 text.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise EventError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EventError(f"{path}:{line}: the file is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in a spreadsheet)") from None


def parse_events(
    text: str,
    source: str,
    *,
    format: str | None = None,
    milestone_kinds: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> list[ImportedEvent]:
    """Read every event of a JSONL or CSV text, checking each one (see :func:`read_events`)."""
    return read_events(text, source, format=format, milestone_kinds=milestone_kinds, today=today).events


def read_events(
    text: str,
    source: str,
    *,
    format: str | None = None,
    milestone_kinds: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    date_format: str | None = None,
    extra_columns: str = "skip",
    progress: Progress | None = None,
) -> ParsedFile:
    """Read every event of a JSONL or CSV text, checking each one.

    :param source: the file name, used in messages.
    :param format: ``jsonl`` or ``csv``; guessed from ``source`` and the text when ``None``.
    :param milestone_kinds: the milestone kinds allowed (built-ins plus plugins').
    :param today: the caller's today (default: the system clock's); later dates are refused.
    :param date_format: how a CSV writes dates in numbers only: ``day-first``
        (``14/03/2026``), ``month-first`` (``03/14/2026``) or a pattern of
        :func:`datetime.datetime.strptime` codes (``%d/%m/%y``); see
        :func:`read_spreadsheet_date`.
    :param extra_columns: what to do with a CSV's own columns (not in
        :data:`CSV_COLUMNS`) that hold values: ``skip`` leaves them out,
        ``notes`` adds them to each event's notes as ``Column: value``
        (feedback has no notes, so they are left out of feedback rows).
    :param progress: called every :data:`PROGRESS_EVERY` lines with the
        lines read so far and the file's lines.
    :raises EventError: ``FILE:LINE: field: problem`` for the first bad row.
    """
    if extra_columns not in EXTRA_COLUMNS:
        raise EventError(f"extra columns: '{extra_columns}' is not one of {', '.join(EXTRA_COLUMNS)}")
    if date_format is not None:
        check_date_format(date_format)
    chosen = format or guess_format(source, text)
    if chosen == "jsonl":
        return ParsedFile(_parse_jsonl(text, source, milestone_kinds, today, progress), "jsonl")
    if chosen == "csv":
        return _parse_csv(text, source, milestone_kinds, today, date_format, extra_columns, progress)
    raise EventError(f"{source}: unknown format '{chosen}'; use one of {', '.join(FORMATS)}")


def _event(data: Mapping[str, Any], where: str, milestone_kinds: Mapping[str, str] | None,
           today: dt.date | None) -> Event:
    date = data.get("date")
    missing = [f"{where}date: missing; every imported event needs its date, as YYYY-MM-DD"] \
        if date is None or (isinstance(date, str) and not date.strip()) else []
    try:
        event = event_from_dict(data, milestone_kinds=milestone_kinds, where=where, today=today)
    except EventError as exc:
        raise type(exc)(problems=[*missing, *exc.lines()]) from None
    if missing:
        raise EventError(missing[0])
    return event


def _line_count(text: str) -> int:
    return text.count("\n") + (not text.endswith("\n"))


def _parse_jsonl(text: str, source: str, milestone_kinds: Mapping[str, str] | None,
                 today: dt.date | None, progress: Progress | None = None) -> list[ImportedEvent]:
    events = []
    problems: list[str] = []  # every line is checked, so that all the problems show at once
    unknown_kind = False
    total = _line_count(text) if progress else 0
    for number, line in enumerate(text.splitlines(), start=1):
        if progress and number % PROGRESS_EVERY == 0:
            progress(number, total)
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{source}:{number}: not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(data, dict):
            problems.append(f"{source}:{number}: expected one JSON object per line, got {type(data).__name__}")
            continue
        try:
            events.append(ImportedEvent(number, _event(data, f"{source}:{number}: ", milestone_kinds, today)))
        except EventError as exc:
            problems += exc.lines()
            unknown_kind = unknown_kind or isinstance(exc, UnknownKindError)
    if problems:
        raise event_problems(problems, kind=UnknownKindError if unknown_kind else None)
    if progress:
        progress(total, total)
    return events


# --- CSV as spreadsheets write it ----------------------------------------------


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: a comma, a semicolon (spreadsheets set to a
    language that writes decimal commas) or a tab.

    :class:`csv.Sniffer` reads the first lines; its answer is kept when the
    header it gives names the columns coachflow needs, else the delimiter
    that names the most of them wins (the sniffer can be misled by a
    semicolon inside a quoted cell, for example).
    """
    sample = text[:16_384]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(CSV_DELIMITERS)).delimiter
    except csv.Error:  # one column, or nothing it can tell apart
        sniffed = ","
    first_line = sample.split("\n", 1)[0]

    def columns_named(delimiter: str) -> int:
        header = next(csv.reader([first_line], delimiter=delimiter), [])
        names = {cell.strip().lower() for cell in header}
        return sum(column in names for column in REQUIRED_CSV_COLUMNS)

    best = max(CSV_DELIMITERS, key=lambda delimiter: (columns_named(delimiter), delimiter == sniffed))
    return sniffed if columns_named(sniffed) == columns_named(best) else best


_SEPARATOR_LINE = re.compile(r"sep=(.)\r?$", re.IGNORECASE)


def _parse_csv(text: str, source: str, milestone_kinds: Mapping[str, str] | None, today: dt.date | None,
               date_format: str | None = None, extra_columns: str = "skip",
               progress: Progress | None = None) -> ParsedFile:
    # Feedback can be long; the csv module's default cell limit (128 KiB) is not ours.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    kinds = milestone_kinds if milestone_kinds is not None else _builtin_kinds()
    # Excel may start a file with a line such as "sep=;" that names the delimiter.
    first_line = text.split("\n", 1)[0]
    named = _SEPARATOR_LINE.fullmatch(first_line)
    delimiter = named.group(1) if named else sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    total = _line_count(text) if progress else 0
    left_out: dict[str, None] = {}
    in_notes: dict[str, None] = {}
    feedback_rows_left_out = 0
    events: list[ImportedEvent] = []
    problems: list[str] = []  # every row is checked, so that all the problems show at once
    unknown_kind = False
    try:
        if named:
            next(reader)
        header_line = reader.line_num + 1
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise EventError(f"{source}:{header_line}: the file is empty; the first line names the columns: "
                             f"{','.join(CSV_COLUMNS)}")
        names = [cell.strip() for cell in header]
        columns = [name.lower() for name in names]
        _check_header(columns, header, source, header_line, delimiter)
        while True:
            number = reader.line_num + 1
            if progress and number % PROGRESS_EVERY == 0:
                progress(number, total)
            cells = next(reader, None)
            if cells is None:
                break
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets end with empty rows
            where = f"{source}:{number}: "
            try:
                row, extras = _row(columns, names, cells, where)
                _type_from_kind(row, kinds, where)
            except EventError as exc:  # every row is checked, so that all the problems show at once
                problems += exc.lines()
                continue
            if extras:
                if extra_columns == "notes" and row["type"] != "feedback":
                    row["notes"] = "; ".join([*([row["notes"].strip()] if row.get("notes", "").strip() else []),
                                              *(f"{name}: {value.strip()}" for name, value in extras.items())])
                    in_notes.update(dict.fromkeys(extras))
                else:
                    left_out.update(dict.fromkeys(extras))
                    feedback_rows_left_out += extra_columns == "notes"
            try:
                row["date"] = read_spreadsheet_date(row.get("date"), date_format, where)
                events.append(ImportedEvent(number, _event(row, where, kinds, today)))
            except EventError as exc:
                problems += exc.lines()
                unknown_kind = unknown_kind or isinstance(exc, UnknownKindError)
    except csv.Error as exc:
        problems.append(f"{source}:{reader.line_num}: not valid CSV: {exc}")
    if problems:
        raise event_problems(problems, kind=UnknownKindError if unknown_kind else None)
    if progress:
        progress(total, total)
    return ParsedFile(events, "csv", delimiter=delimiter, columns_left_out=tuple(left_out),
                      columns_in_notes=tuple(in_notes), feedback_rows_left_out=feedback_rows_left_out)


_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _check_header(columns: list[str], header: list[str], source: str, line: int, delimiter: str) -> None:
    missing = [c for c in REQUIRED_CSV_COLUMNS if c not in columns]
    if missing:
        found = [cell.strip() for cell in header if cell.strip()]
        separated = _DELIMITER_NAMES.get(delimiter, repr(delimiter))
        shown = ", ".join(f"'{name}'" for name in found[:12]) + (", ..." if len(found) > 12 else "")
        raise EventError(
            f"{source}:{line}: the first line must name the columns {', '.join(REQUIRED_CSV_COLUMNS)}; "
            f"missing: {', '.join(missing)} (found {plural(len(found), 'column')} "
            f"separated by {separated}: {shown})"
        )
    seen = set()
    for column in columns:
        if column and column in seen:
            raise EventError(f"{source}:{line}: the column '{column}' appears twice")
        seen.add(column)


def _row(columns: list[str], names: list[str], cells: list[str],
         where: str) -> tuple[dict[str, str], dict[str, str]]:
    """A row's cells by column: coachflow's columns (lower case), then the
    spreadsheet's own ones that hold a value (named as in the header)."""
    if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns):]):
        raise EventError(f"{where}{plural(len(cells), 'cell')} but the header names {plural(len(columns), 'column')}")
    row: dict[str, str] = {}
    extras: dict[str, str] = {}
    for index, (column, cell) in enumerate(zip(columns, cells), start=1):
        if column in CSV_COLUMNS:
            row[column] = unescape_cell(cell)
        elif cell.strip():
            extras[names[index - 1] or f"column {index}"] = cell
    return row, extras


def _type_from_kind(row: dict[str, str], kinds: Mapping[str, str], where: str) -> None:
    """Let a spreadsheet say ``applied`` in the type column, and ``interview invitation`` for a kind."""
    if row.get("kind"):
        row["kind"] = "-".join(row["kind"].lower().split())
    written = "-".join(row.get("type", "").lower().split())
    if written in EVENT_TYPES or not written:
        row["type"] = written
        return
    if written not in kinds:
        raise EventError(
            f"{where}type: '{written}' is neither an event type ({', '.join(EVENT_TYPES)}) nor a milestone kind "
            f"({', '.join(kinds)})" + did_you_mean(written, [*EVENT_TYPES, *kinds])
        )
    if row.get("kind") and row["kind"] != written:
        raise EventError(f"{where}kind: '{row['kind']}' but the type column says '{written}'")
    row["type"], row["kind"] = "milestone", written


# --- dates as spreadsheets write them ------------------------------------------

# English names, whatever the locale: what a spreadsheet saved in English writes.
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_MONTHS = {
    **{name.lower(): number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3].lower(): number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS = {
    **{name.lower(): number for number, name in enumerate(_WEEKDAY_NAMES)},
    **{name[:3].lower(): number for number, name in enumerate(_WEEKDAY_NAMES)},
    "tues": 1, "thur": 3, "thurs": 3,
}

_WEEKDAY = r"(?:(?P<weekday>[a-z]+)\.?,?\s+)?"  # "Sat 14 Mar 2026", as coachflow itself writes dates
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_NAME = r"(?P<name>[a-z]+)\.?"
_YEAR = r"(?P<year>\d{4})"
_PART = r"[\s./-]+"
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a spreadsheet's date-time: the time is dropped
_ISO = re.compile(rf"(\d{{4}}-\d{{2}}-\d{{2}}){_TIME}")
_YEAR_FIRST = re.compile(rf"{_YEAR}[./-](?P<month>\d{{1,2}})[./-](?P<day>\d{{1,2}}){_TIME}")
_DAY_NAME_YEAR = re.compile(rf"{_WEEKDAY}{_DAY}{_PART}{_NAME},?{_PART}{_YEAR}")
_NAME_DAY_YEAR = re.compile(rf"{_WEEKDAY}{_NAME}{_PART}{_DAY},?\s+{_YEAR}")
_NUMBERS = re.compile(rf"(?P<first>\d{{1,2}})(?P<separator>[./-])(?P<second>\d{{1,2}})(?P=separator)"
                      rf"(?P<year>\d{{2}}|\d{{4}}){_TIME}")
_EXAMPLE_DAY = dt.date(2026, 3, 14)


def check_date_format(date_format: str) -> None:
    """Refuse a ``date_format`` that is neither a word of :data:`DATE_ORDERS` nor a
    pattern giving the day, the month and the year.

    :raises EventError: naming what is wrong and giving an example.
    """
    if date_format in DATE_ORDERS:
        return
    if "%" not in date_format:
        raise EventError(f"--date-format: '{date_format}' is neither day-first, month-first nor a pattern "
                         "such as %d/%m/%Y")
    try:
        example = _EXAMPLE_DAY.strftime(date_format)
        same = dt.datetime.strptime(example, date_format).date() == _EXAMPLE_DAY
    except ValueError:
        same = False
    if not same:
        raise EventError(f"--date-format: '{date_format}' does not give the day, the month and the year; "
                         "use codes such as %d/%m/%Y (14/03/2026) or %d.%m.%y (14.03.26)")


def read_spreadsheet_date(value: Any, date_format: str | None, where: str = "") -> Any:
    """A date cell as a :class:`datetime.date`, or the cell unchanged when
    :func:`coachflow.models.parse_date` reads it as it is.

    Read whatever ``date_format`` says: ``YYYY-MM-DD`` (also with a time
    after it, which is dropped), ``today``, ``yesterday``, the year first
    (``2026/03/14``) and dates with the month's English name (``14 Mar
    2026``, ``14-March-2026``, ``March 14, 2026``, ``Sat 14 Mar 2026``; a
    weekday must be the date's). Dates in numbers only (``14/03/2026``,
    ``14.03.2026``, ``03-14-26``) can be read either way, so they need
    ``date_format``: ``day-first``, ``month-first``, or a pattern (tried
    first) such as ``%d/%m/%Y``. A two-digit year needs a pattern (``%y``).

    :param where: prefix for messages, such as ``"events.csv:4: "``.
    :raises EventError: for a date it cannot read, naming the format expected.
    """
    if not isinstance(value, str) or not value.strip():
        return value
    cell = " ".join(value.split())
    if date_format is not None and date_format not in DATE_ORDERS:
        try:
            return dt.datetime.strptime(cell, date_format).date()
        except ValueError:
            pass
    lowered = cell.lower()
    iso = _ISO.fullmatch(lowered)
    if iso:
        return iso.group(1)
    if lowered in ("today", "yesterday"):
        return value
    day = _date_with_words(lowered, cell, where)
    if day is not None:
        return day
    numbers = _NUMBERS.fullmatch(lowered)
    if numbers and date_format in DATE_ORDERS and len(numbers["year"]) == 4:
        first, second = int(numbers["first"]), int(numbers["second"])
        day_number, month = (first, second) if date_format == "day-first" else (second, first)
        if month > 12 and day_number <= 12:
            other = "month-first" if date_format == "day-first" else "day-first"
            raise EventError(f"{where}date: '{cell}' has no month {month}; if the sheet's dates are "
                             f"{other}, say --date-format {other}")
        return _date(int(numbers["year"]), month, day_number, cell, where)
    try:  # the other ISO 8601 forms Python reads, such as 20260314
        return dt.date.fromisoformat(cell)
    except ValueError:
        raise EventError(where + _unreadable_date(cell, date_format, numbers)) from None


def _date_with_words(lowered: str, cell: str, where: str) -> dt.date | None:
    """A date written with the year first or with the month's name, else ``None``."""
    year_first = _YEAR_FIRST.fullmatch(lowered)
    if year_first:
        return _date(int(year_first["year"]), int(year_first["month"]), int(year_first["day"]), cell, where)
    for pattern in (_DAY_NAME_YEAR, _NAME_DAY_YEAR):
        match = pattern.fullmatch(lowered)
        if match and match["name"] in _MONTHS and (match["weekday"] is None or match["weekday"] in _WEEKDAYS):
            day = _date(int(match["year"]), _MONTHS[match["name"]], int(match["day"]), cell, where)
            if match["weekday"] is not None and _WEEKDAYS[match["weekday"]] != day.weekday():
                said = _WEEKDAY_NAMES[_WEEKDAYS[match["weekday"]]]
                raise EventError(f"{where}date: '{cell}': {day.day} {_month_name(day.month)} {day.year} is a "
                                 f"{_WEEKDAY_NAMES[day.weekday()]}, not a {said}; check the date")
            return day
    return None


def _date(year: int, month: int, day: int, cell: str, where: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        problem = (f"there is no month {month}" if not 1 <= month <= 12 else
                   f"{_month_name(month)} {year} has no day {day}")
        raise EventError(f"{where}date: '{cell}' is not a date: {problem}") from None


def _unreadable_date(cell: str, date_format: str | None, numbers: re.Match[str] | None) -> str:
    """Why a date cell could not be read, and what would read it."""
    if date_format is not None and date_format not in DATE_ORDERS:
        return (f"date: '{cell}' does not match --date-format {date_format} (as in "
                f"{_EXAMPLE_DAY.strftime(date_format)}); dates as YYYY-MM-DD are read too")
    if numbers is not None and len(numbers["year"]) == 2:
        separator = numbers["separator"]
        order = (f"%m{separator}%d" if date_format == "month-first" else f"%d{separator}%m")
        return (f"date: '{cell}' has a two-digit year; read it with --date-format '{order}{separator}%y' "
                "(or save the sheet with four-digit years)")
    if numbers is not None:
        first, second = int(numbers["first"]), int(numbers["second"])
        if first <= 12 and second <= 12 and first != second:
            return (f"date: '{cell}' could be {first} {_month_name(second)} or {second} {_month_name(first)}; "
                    "say which with --date-format day-first or --date-format month-first")
        order = "day-first" if first > 12 else "month-first" if second > 12 else "day-first or month-first"
        return f"date: '{cell}' is not YYYY-MM-DD; to read dates such as this one add --date-format {order}"
    expected = {"day-first": "DD/MM/YYYY (14/03/2026)", "month-first": "MM/DD/YYYY (03/14/2026)"}.get(
        date_format or "", "YYYY-MM-DD (2026-03-14)")
    return (f"date: '{cell}' is not a date coachflow can read; write it as {expected} or with the month's "
            "name (14 Mar 2026)")


def _month_name(number: int) -> str:
    return _MONTH_NAMES[number - 1] if 1 <= number <= 12 else str(number)


# --- cells a spreadsheet would run ---------------------------------------------

#: What a cell starts with when a spreadsheet would read it as a formula.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def escape_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: one ``'`` before a cell that
    would start a formula (:data:`FORMULA_STARTS`), and before one that
    already starts with ``'`` and then one of them, so that
    :func:`unescape_cell` gives back exactly ``text``."""
    return "'" + text if _FORMULA.match(text) else text


def unescape_cell(text: str) -> str:
    """The text :func:`escape_cell` was given (a cell of any other CSV is kept as it is)."""
    return text[1:] if text.startswith("'") and _FORMULA.match(text) else text


def _builtin_kinds() -> Mapping[str, str]:
    from coachflow.models import BUILTIN_MILESTONE_KINDS

    return BUILTIN_MILESTONE_KINDS


def import_events(
    journal: "Journal",
    events: Sequence[Event],
    *,
    runner: "WorkflowRunner | None" = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Add the events the journal does not hold yet, in date order, in one transaction.

    :param runner: also run this workflow on each added event, in date order
        (:meth:`WorkflowRunner.replay`), in the same transaction.
    :param now: the time recorded for the import and given to the steps.
    :param progress: called as the work goes on with how many of the events
        were checked (and, when new, written or run), and how many there are.
    """
    ordered = sorted(events, key=lambda event: event.date)  # stable: one day's events keep the file's order
    now = now or dt.datetime.now().replace(microsecond=0)
    total = len(ordered)
    new: list[Event] = []
    held = 0  # events of the file the journal already holds

    def new_events() -> Iterator[Event]:
        # Checked about a thousand at a time, so that progress moves while checking. Identical
        # events share their date, so each check sees exactly the copies the journal held before.
        nonlocal held
        for chunk in _by_whole_days(ordered, PROGRESS_EVERY):
            if progress:
                progress(held + len(new), total)
            fresh = journal.reader.not_yet_recorded(chunk)
            held += len(chunk) - len(fresh)
            new.extend(fresh)
            yield from fresh

    journal.begin()  # before reading: another process must not add the same events in between
    try:
        results: list[RunResult] = []
        if runner is None:
            for event in new_events():
                journal.add_event(event, recorded_at=now)
        else:
            # One batch: replay commits once, at the end, so the file lands whole or not at all.
            for result in runner.replay(new_events(), journal, now=now, batch_size=total + 1):
                results.append(result)
                if progress:
                    progress(held + len(results), total)
    except BaseException:
        journal.rollback()
        raise
    journal.commit()
    if progress:
        progress(total, total)
    return ImportResult(added=new, already=held, results=results)


def _by_whole_days(events: Sequence[Event], size: int) -> Iterator[Sequence[Event]]:
    """``events`` (in date order) in runs of about ``size``, never splitting a day."""
    start = 0
    while start < len(events):
        end = min(start + size, len(events))
        while end < len(events) and events[end].date == events[end - 1].date:
            end += 1
        yield events[start:end]
        start = end
