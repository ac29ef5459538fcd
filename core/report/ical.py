"""Open reminders and follow-ups as an iCalendar file (RFC 5545).

Open actions due today or later go in (all open ones on request).

Google Calendar, Outlook and Apple Calendar import the file. Each action
keeps the same UID on every export (the journal's identity plus the action's
id), so importing a newer export updates the events already imported rather
than adding copies. Times are floating (no time zone), as the journal keeps
them: 9:00 stays 9:00 wherever the calendar is.

The file is written event by event, so a long search's reminders never sit
in memory all at once. The ``icalendar`` library does the folding and
escaping the format needs; it is imported only when a calendar is made.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, TYPE_CHECKING

from coachflow import __version__
from coachflow.terminal import printable
from coachflow.wording import action_label

if TYPE_CHECKING:
    from coachflow.journal import JournalReader, StoredAction

#: How long each kind of action lasts in the calendar; others take the default.
DURATIONS: dict[str, dt.timedelta] = {
    "reminder": dt.timedelta(minutes=15),
    "task": dt.timedelta(minutes=30),
    "draft": dt.timedelta(minutes=20),
}
DEFAULT_DURATION = dt.timedelta(minutes=15)

#: How long before an action's due time the calendar alerts.
ALARM_BEFORE = dt.timedelta(minutes=10)

CALENDAR_NAME = "coachflow reminders"


def action_uid(journal_identity: str, action_id: int) -> str:
    """The UID of an action's calendar event: the same on every export of this journal."""
    return f"action-{action_id}.{journal_identity}@coachflow"


def _utc(moment: dt.datetime) -> dt.datetime:
    """A naive local time (as the journal keeps them) in UTC, for DTSTAMP and LAST-MODIFIED."""
    return moment.astimezone(dt.timezone.utc)


def _calendar_event(stored: "StoredAction", identity: str, stamp: dt.datetime):
    from icalendar import Alarm, Event

    action = stored.action
    label = action_label(action.kind)
    event = Event()
    event.add("uid", action_uid(identity, stored.id))
    event.add("dtstamp", stamp)
    event.add("last-modified", _utc(stored.created_at))
    event.add("dtstart", action.due)
    event.add("duration", DURATIONS.get(action.kind, DEFAULT_DURATION))
    # RFC 5545 text holds no control characters, and a calendar on standard output reaches a terminal.
    title, body = printable(action.title), printable(action.body.strip())
    event.add("summary", title)
    details = [body] if body else []
    details.append(f"{label} from coachflow (step {action.step}, action {stored.id}).")
    event.add("description", "\n\n".join(details))
    event.add("categories", [label])
    event.add("class", "PRIVATE")
    event.add("transp", "TRANSPARENT")  # a reminder does not make the person busy
    event.add("status", "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    return event


def write_calendar(
    journal: "JournalReader", stream: IO[bytes], *, now: dt.datetime | None = None, include_past: bool = False
) -> int:
    """Write the open actions that have a due time to ``stream`` as iCalendar; return how many.

    :param journal: the journal to read (``Journal.reader``).
    :param stream: a binary file or standard output.
    :param now: the export time, written as each event's DTSTAMP.
    :param include_past: also write actions due before today (by default a
        calendar gets today's and later ones: past days are where nobody looks).
    """
    from icalendar import Calendar

    now = now or dt.datetime.now().replace(microsecond=0)
    stamp = _utc(now)
    start_of_today = dt.datetime.combine(now.date(), dt.time.min)
    identity = journal.identity()
    calendar = Calendar()
    calendar.add("prodid", f"-//coachflow//coachflow {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    head = calendar.to_ical()
    closing = b"END:VCALENDAR\r\n"
    stream.write(head[: -len(closing)])
    count = 0
    for stored in journal.due_actions():
        if not include_past and stored.action.due < start_of_today:
            continue
        stream.write(_calendar_event(stored, identity, stamp).to_ical())
        count += 1
    stream.write(closing)
    return count
