"""A theme search fed each distinct text once, with every time it was said, finds what it finds fed event by event.

The report reads feedback texts and rejection reasons grouped in the
database (``JournalReader.said_texts``) and gives them to a ``ThemeIndex``
with ``add_mentions``; the ``feedback-patterns`` step adds events one at a
time. Both must come to the same themes, counts, applications and evidence.
"""

from __future__ import annotations

import datetime as dt

import hypothesis
from hypothesis import strategies as st

from coachflow.journal import open_journal
from coachflow.models import Feedback, Rejection
from coachflow.themes import ThemeIndex, recurring_themes

TEXTS = ["Your SQL was not deep enough.", "Great communication, but the system design lacked depth.",
         "We went with someone more senior.", "Not enough SQL depth", "", "Culture fit concerns"]  # "": no reason given
COMPANIES = ["Acme", "acme", "Öko AG", "Beta"]
ROLES = ["", "Analyst", "analyst", "Engineer"]
_EVENTS = st.one_of(
    st.builds(lambda t, c, r, d: Feedback(company=c, role=r, text=t, date=dt.date(2026, 3, 1) + dt.timedelta(days=d)),
              st.sampled_from([text for text in TEXTS if text]), st.sampled_from(COMPANIES), st.sampled_from(ROLES), st.integers(0, 30)),
    st.builds(lambda t, c, r, d: Rejection(company=c, role=r, reason=t, date=dt.date(2026, 3, 1) + dt.timedelta(days=d)),
              st.sampled_from(TEXTS), st.sampled_from(COMPANIES), st.sampled_from(ROLES), st.integers(0, 30)),
)


def _found(themes):
    return [(found.theme, found.applications, found.by_application, found.mentions, found.evidence) for found in themes]


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(history=st.lists(_EVENTS, max_size=25), since=st.one_of(st.none(), st.integers(0, 30)),
                  window=st.one_of(st.none(), st.integers(0, 30)))
def test_a_grouped_theme_search_finds_what_one_fed_event_by_event_finds(tmp_path_factory, history, since, window):
    path = tmp_path_factory.mktemp("themes") / "journal.sqlite3"
    since_day = None if since is None else dt.date(2026, 3, 1) + dt.timedelta(days=since)
    with open_journal(path) as journal:
        with journal.transaction():
            ids = [journal.add_event(event) for event in history]
        grouped = recurring_themes(journal.reader, min_applications=1, since=since_day)
        one_by_one = ThemeIndex()
        for event_id, event in zip(ids, history):
            if since_day is None or event.date >= since_day:
                one_by_one.add(event_id, event)
        assert _found(grouped) == _found(one_by_one.recurring(min_applications=1))
        # Asked about a window of its own, an index fed in bulk still knows when each mention came.
        bulk = ThemeIndex()
        for said in journal.reader.said_texts():
            bulk.add_mentions(said.company, said.role, said.text, said.positions)
        every = ThemeIndex()
        for event_id, event in zip(ids, history):
            every.add(event_id, event)
        window_day = None if window is None else dt.date(2026, 3, 1) + dt.timedelta(days=window)
        assert _found(bulk.recurring(min_applications=1, since=window_day)) == _found(
            every.recurring(min_applications=1, since=window_day))
