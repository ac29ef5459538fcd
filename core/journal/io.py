"""Moving events between a journal and files: JSONL and CSV export and import.

The formats are shared with other tools and helpers:

- JSONL: one JSON object per line, exactly :func:`coachflow.models.event_to_dict`
  (``type`` first, then the event's fields, the date as ``YYYY-MM-DD``).
- CSV: the header :data:`CSV_COLUMNS`. Import also takes the CSV a person
  keeps in a spreadsheet: at least the columns :data:`REQUIRED_CSV_COLUMNS`,
  in any order, extra columns allowed as long as they are empty. In such a
  file the ``type`` column may name a milestone kind (``applied``) instead
  of ``milestone``.

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
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence, TextIO

import attrs

from coachflow.errors import EventError, did_you_mean
from coachflow.models import EVENT_TYPES, Event, RunResult, event_from_dict, event_to_dict

if TYPE_CHECKING:
    from coachflow.engine import WorkflowRunner
    from coachflow.journal import Journal

#: The formats export writes and import reads.
FORMATS: tuple[str, ...] = ("jsonl", "csv")

#: The header coachflow writes: every field of every event type.
CSV_COLUMNS: tuple[str, ...] = ("type", "date", "company", "role", "stage", "kind", "reason", "source", "text", "notes")

#: The columns an imported CSV must have at the least.
REQUIRED_CSV_COLUMNS: tuple[str, ...] = ("date", "type", "company", "role")

_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}


@attrs.frozen
class ImportedEvent:
    """An event read from a file, with the line it starts on."""

    line: int
    event: Event


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
    """Write events as CSV with the :data:`CSV_COLUMNS` header; return how many."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    written = 0
    for event in events:
        data = event_to_dict(event)
        writer.writerow([data.get(column, "") for column in CSV_COLUMNS])
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
    """Read every event of a JSONL or CSV text, checking each one.

    :param source: the file name, used in messages.
    :param format: ``jsonl`` or ``csv``; guessed from ``source`` and the text when ``None``.
    :param milestone_kinds: the milestone kinds allowed (built-ins plus plugins').
    :param today: the caller's today (default: the system clock's); later dates are refused.
    :raises EventError: ``FILE:LINE: field: problem`` for the first bad row.
    """
    chosen = format or guess_format(source, text)
    if chosen == "jsonl":
        return _parse_jsonl(text, source, milestone_kinds, today)
    if chosen == "csv":
        return _parse_csv(text, source, milestone_kinds, today)
    raise EventError(f"{source}: unknown format '{chosen}'; use one of {', '.join(FORMATS)}")


def _event(data: Mapping[str, Any], where: str, milestone_kinds: Mapping[str, str] | None,
           today: dt.date | None) -> Event:
    date = data.get("date")
    if date is None or (isinstance(date, str) and not date.strip()):
        raise EventError(f"{where}date: missing; every imported event needs its date, as YYYY-MM-DD")
    return event_from_dict(data, milestone_kinds=milestone_kinds, where=where, today=today)


def _parse_jsonl(text: str, source: str, milestone_kinds: Mapping[str, str] | None,
                 today: dt.date | None) -> list[ImportedEvent]:
    events = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EventError(f"{source}:{number}: not valid JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(data, dict):
            raise EventError(f"{source}:{number}: expected one JSON object per line, got {type(data).__name__}")
        events.append(ImportedEvent(number, _event(data, f"{source}:{number}: ", milestone_kinds, today)))
    return events


def _parse_csv(text: str, source: str, milestone_kinds: Mapping[str, str] | None,
               today: dt.date | None) -> list[ImportedEvent]:
    # Feedback can be long; the csv module's default cell limit (128 KiB) is not ours.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    kinds = milestone_kinds if milestone_kinds is not None else _builtin_kinds()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise EventError(f"{source}:1: the file is empty; the first line names the columns: {','.join(CSV_COLUMNS)}")
        columns = [cell.strip().lower() for cell in header]
        _check_header(columns, source)
        events = []
        while True:
            number = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                break
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets end with empty rows
            row = _row(columns, cells, f"{source}:{number}: ")
            _type_from_kind(row, kinds, f"{source}:{number}: ")
            events.append(ImportedEvent(number, _event(row, f"{source}:{number}: ", kinds, today)))
    except csv.Error as exc:
        raise EventError(f"{source}:{reader.line_num}: not valid CSV: {exc}") from None
    return events


def _check_header(columns: list[str], source: str) -> None:
    missing = [c for c in REQUIRED_CSV_COLUMNS if c not in columns]
    if missing:
        raise EventError(
            f"{source}:1: the header needs the columns {', '.join(REQUIRED_CSV_COLUMNS)}; "
            f"missing: {', '.join(missing)}"
        )
    seen = set()
    for column in columns:
        if column and column in seen:
            raise EventError(f"{source}:1: the column '{column}' appears twice")
        seen.add(column)


def _row(columns: list[str], cells: list[str], where: str) -> dict[str, str]:
    if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns):]):
        raise EventError(f"{where}{len(cells)} cells but the header names {len(columns)} columns")
    row: dict[str, str] = {}
    for index, (column, cell) in enumerate(zip(columns, cells), start=1):
        if column in CSV_COLUMNS:
            row[column] = cell
        elif cell.strip():
            name = column or f"column {index}"
            raise EventError(
                f"{where}{name}: not a column coachflow keeps; leave it empty or remove it "
                f"(columns: {', '.join(CSV_COLUMNS)})"
            )
    return row


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


def _builtin_kinds() -> Mapping[str, str]:
    from coachflow.models import BUILTIN_MILESTONE_KINDS

    return BUILTIN_MILESTONE_KINDS


def import_events(
    journal: "Journal",
    events: Sequence[Event],
    *,
    runner: "WorkflowRunner | None" = None,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Add the events the journal does not hold yet, in date order, in one transaction.

    :param runner: also run this workflow on each added event, in date order
        (:meth:`WorkflowRunner.replay`), in the same transaction.
    :param now: the time recorded for the import and given to the steps.
    """
    ordered = sorted(events, key=lambda event: event.date)  # stable: one day's events keep the file's order
    now = now or dt.datetime.now().replace(microsecond=0)
    journal.begin()  # before reading: another process must not add the same events in between
    try:
        new = journal.reader.not_yet_recorded(ordered)
        results: list[RunResult] = []
        if runner is None:
            for event in new:
                journal.add_event(event, recorded_at=now)
        else:
            # One batch: replay commits once, at the end, so the file lands whole or not at all.
            results = list(runner.replay(new, journal, now=now, batch_size=len(new) + 1))
    except BaseException:
        journal.rollback()
        raise
    journal.commit()
    return ImportResult(added=new, already=len(ordered) - len(new), results=results)
