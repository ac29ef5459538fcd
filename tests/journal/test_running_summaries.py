"""Running summaries: what a reader keeps up to date as events are added.

``JournalReader.summary`` feeds a summary each event once; ``pipeline()``
and ``coachflow.themes.ThemeIndex`` are the ones the built-in steps use. The
property tests check that each gives, at every point of a random history,
the same answer as the one-shot query it stands in for.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coachflow
from coachflow.engine import WorkflowRunner
from coachflow.journal import open_journal
from coachflow.models import event_from_dict
from coachflow.applications import Pipeline
from coachflow.themes import DEFAULT_THEMES, EVIDENCE_KEPT, ThemeIndex, recurring_themes
from support import feedback, rejection, seed, workflow


class EventCounter:
    """A summary that remembers what it was fed."""

    made = 0

    def __init__(self, label="all"):
        EventCounter.made += 1
        self.label = label
        self.seen: list[int] = []

    def add(self, event_id, event):
        self.seen.append(event_id)


def applied(date, company, role="Data Analyst"):
    return {"type": "milestone", "kind": "applied", "date": date, "company": company, "role": role}


def test_a_summary_is_fed_each_event_once_and_kept_per_factory_and_arguments():
    with open_journal(":memory:") as journal:
        seed(journal, applied("2026-11-01", "Acme"), applied("2026-11-02", "Beta"))
        reader = journal.reader
        first = reader.summary(EventCounter)
        assert first.seen == [1, 2]
        seed(journal, rejection("2026-11-03", "Acme"))
        assert reader.summary(EventCounter) is first and first.seen == [1, 2, 3]
        other = reader.summary(EventCounter, "other")
        assert other is not first and other.label == "other" and other.seen == [1, 2, 3]


def test_events_are_fed_in_the_order_they_were_recorded_not_by_date():
    with open_journal(":memory:") as journal:
        seed(journal, applied("2026-11-20", "Acme"), applied("2026-01-02", "Beta"))
        assert journal.reader.summary(EventCounter).seen == [1, 2]


def test_a_rollback_makes_every_summary_start_afresh():
    with open_journal(":memory:") as journal:
        seed(journal, applied("2026-11-01", "Acme"))
        reader = journal.reader
        before = reader.summary(EventCounter)
        journal.begin()
        journal.add_event(event_from_dict(applied("2026-11-02", "Beta")))
        assert reader.summary(EventCounter).seen == [1, 2]
        journal.rollback()
        seed(journal, applied("2026-11-03", "Gamma"))  # gets id 2 again
        after = reader.summary(EventCounter)
        assert after is not before and after.seen == [1, 2]
        assert [app.company for app in reader.pipeline().open_applications()] == ["Acme", "Gamma"]


@pytest.mark.parametrize("commit", ["transaction", "commit"])
def test_a_commit_sqlite_refuses_rolls_back_and_makes_every_summary_start_afresh(commit):
    from coachflow.errors import JournalError
    from coachflow.models import Action

    with open_journal(":memory:") as journal:
        seed(journal, applied("2026-11-01", "Acme"))
        reader = journal.reader

        def refused_writes():
            # Foreign keys checked at COMMIT: an action for an event that does not exist is refused there.
            journal._db.execute("PRAGMA defer_foreign_keys = ON")
            journal.add_event(event_from_dict(applied("2026-11-02", "Beta")))
            assert reader.summary(EventCounter).seen == [1, 2]
            journal.add_actions(999, "w", [Action(kind="message", title="For no event")])

        with pytest.raises(JournalError, match="FOREIGN KEY"):
            if commit == "transaction":
                with journal.transaction():
                    refused_writes()
            else:
                journal.begin()
                refused_writes()
                journal.commit()

        assert not journal._db.in_transaction
        assert reader.summary(EventCounter).seen == [1]
        assert [app.company for app in reader.pipeline().open_applications()] == ["Acme"]
        assert journal._db.execute("SELECT count(*) FROM events").fetchone()[0] == 1


def test_a_dry_run_leaves_no_trace_in_the_summaries():
    with open_journal(":memory:") as journal:
        seed(journal, applied("2026-11-01", "Acme"))
        runner = WorkflowRunner(workflow())
        runner.run(event_from_dict(applied("2026-11-02", "Beta")), journal=journal, dry_run=True)
        assert [app.company for app in journal.reader.pipeline().open_applications()] == ["Acme"]


def test_a_summary_that_fails_is_dropped_and_built_afresh_next_time():
    class Fragile:
        fail = True

        def __init__(self):
            self.seen = []

        def add(self, event_id, event):
            if Fragile.fail and event_id == 2:
                raise ValueError("cannot count this one")
            self.seen.append(event_id)

    with open_journal(":memory:") as journal:
        seed(journal, applied("2026-11-01", "Acme"), applied("2026-11-02", "Beta"))
        with pytest.raises(ValueError, match="cannot count"):
            journal.reader.summary(Fragile)
        Fragile.fail = False
        assert journal.reader.summary(Fragile).seen == [1, 2]


def test_the_pipeline_knows_the_latest_news_of_each_application():
    with open_journal(":memory:") as journal:
        seed(journal,
             applied("2026-10-01", "Acme"),
             feedback("2026-10-20", "acme", "Thanks for applying", role=""),
             applied("2026-10-05", "Beta", role="BI Analyst"),
             {"type": "milestone", "kind": "interview-invitation", "date": "2026-10-15", "company": "Beta",
              "role": "bi analyst"})
        pipeline = journal.reader.pipeline()
        assert pipeline.latest_news("Acme", "Data Analyst") == dt.date(2026, 10, 20)
        assert pipeline.latest_news("BETA", "BI Analyst") == dt.date(2026, 10, 15)
        assert pipeline.latest_news("Gamma") is None
        assert pipeline.applied_count == 2 and not pipeline.search_concluded()


def test_the_search_is_concluded_by_an_accepted_offer_until_the_next_application():
    with open_journal(":memory:") as journal:
        seed(journal, applied("2026-10-01", "Acme"),
             {"type": "milestone", "kind": "accepted", "date": "2026-11-01", "company": "Acme",
              "role": "Data Analyst"})
        assert journal.reader.pipeline().search_concluded()
        seed(journal, applied("2026-11-02", "Beta"))
        assert not journal.reader.pipeline().search_concluded()


def test_the_theme_index_counts_texts_added_out_of_date_order_like_a_fresh_query():
    texts = [
        feedback("2026-11-10", "Gamma", "Shallow on architecture.", role="Analyst"),
        rejection("2026-09-29", "Acme", reason="A candidate with stronger SQL"),
        feedback("2026-09-30", "Acme", "Your SQL lacked depth."),
    ]
    with open_journal(":memory:") as journal:
        seed(journal, *texts)
        index = journal.reader.summary(ThemeIndex)
        (found,) = index.recurring()
        assert found == recurring_themes(journal.reader)[0]
    assert [application.latest[0] for application in found.by_application] == [
        dt.date(2026, 11, 10), dt.date(2026, 9, 30)]
    assert found.mentions == 3 and found.mentions_at("ACME", "data analyst") == 2


def test_the_theme_index_keeps_only_the_latest_mentions_as_evidence():
    index = ThemeIndex()
    for day in range(1, 31):
        index.add_text(dt.date(2026, 11, day), f"Company {day % 3}", "Analyst", f"Shallow answers, day {day}.")
    (found,) = index.recurring()
    assert found.mentions == 30 and found.count == 3
    assert [mention[0].day for mention in found.evidence] == list(range(31 - EVIDENCE_KEPT, 31))
    (recent,) = index.recurring(since=dt.date(2026, 11, 28))
    assert recent.mentions == 3 and [m[0].day for m in recent.evidence] == [28, 29, 30]


# --- Property tests: the running summaries agree with the one-shot queries ----

COMPANIES = ["Acme", "acme", "Beta", "Gamma"]
ROLES = ["", "Analyst", "analyst", "Engineer"]
TEXTS = ["Shallow on SQL.", "Great communication, but shallow answers.", "Communication was unclear.",
         "Nothing to do with your skills.", "We hired someone more senior.", ""]

history_event = st.one_of(
    st.builds(lambda day, company, role, kind: {"type": "milestone", "kind": kind, "date": day,
                                                "company": company, "role": role},
              st.integers(1, 20), st.sampled_from(COMPANIES), st.sampled_from(ROLES),
              st.sampled_from(["applied", "applied", "withdrawn", "accepted", "offer", "interview-invitation"])),
    st.builds(lambda day, company, role, reason: rejection(day, company, role=role, reason=reason),
              st.integers(1, 20), st.sampled_from(COMPANIES), st.sampled_from(ROLES), st.sampled_from(TEXTS)),
    st.builds(lambda day, company, role, text: feedback(day, company, text or "Thanks.", role=role),
              st.integers(1, 20), st.sampled_from(COMPANIES), st.sampled_from(ROLES), st.sampled_from(TEXTS)),
)


def _dated(row):
    return {**row, "date": f"2026-01-{row['date']:02d}"}


def _normalised(found):
    """Theme evidence with names folded: a windowed index names an application as
    its first mention overall wrote it, a fresh query as its first mention in the window."""
    return [
        (theme.theme, sorted((c.casefold(), r.casefold()) for c, r in theme.applications), theme.mentions,
         sorted((a.company.casefold(), a.role.casefold(), a.mentions, a.latest[0]) for a in theme.by_application))
        for theme in found
    ]


def _by_hand(rows, since):
    """Which applications each default theme came up in, and how often: worked out
    directly from the rows, the slow way, as a check on the index."""
    from coachflow.themes import find_concern

    found = {}
    for row in rows:
        text = row.get("text") or row.get("reason") or ""
        if row["type"] not in ("feedback", "rejection") or not text or dt.date(2026, 1, row["date"]) < since:
            continue
        for theme, keywords in DEFAULT_THEMES.items():
            if find_concern(text, keywords) is not None:
                keys, mentions = found.setdefault(theme, (set(), [0]))
                keys.add((row["company"].casefold(), row["role"].casefold()))
                mentions[0] += 1
    result = {}
    for theme, (keys, mentions) in found.items():
        named = {company for company, role in keys if role}
        applications = sorted(key for key in keys if key[1] or key[0] not in named)
        if len(applications) >= 2:
            result[theme] = (applications, mentions[0])
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(history_event, max_size=25), st.integers(1, 20))
def test_running_summaries_agree_with_the_queries_at_every_point(rows, window_start):
    since = dt.date(2026, 1, window_start)
    with open_journal(":memory:") as journal:
        reader = journal.reader
        for row in rows:
            seed(journal, _dated(row))
            assert reader.pipeline().open_applications() == reader.open_applications()
            index = reader.summary(ThemeIndex)
            assert index.recurring() == recurring_themes(reader)
            assert _normalised(index.recurring(since=since)) == _normalised(recurring_themes(reader, since=since))
        assert reader.summary(ThemeIndex, tuple(DEFAULT_THEMES.items())).recurring() == recurring_themes(reader)
        assert {theme: (applications, mentions) for theme, applications, mentions, _ in
                _normalised(reader.summary(ThemeIndex).recurring(since=since))} == _by_hand(rows, since)
        assert Pipeline is type(reader.pipeline())


def test_a_summary_that_names_its_event_types_is_fed_only_those():
    class FeedbackOnly(EventCounter):
        event_types = ("feedback",)

    with open_journal(":memory:") as journal:
        seed(journal, applied("2026-11-01", "Acme"), feedback("2026-11-02", "Acme", "Thanks"))
        assert journal.reader.summary(FeedbackOnly).seen == [2]
        seed(journal, rejection("2026-11-03", "Acme"), feedback("2026-11-04", "Acme", "Sorry"))
        assert journal.reader.summary(FeedbackOnly).seen == [2, 4]


class _HoldsASummary:
    """Two steps: the first takes a summary and hangs past the time limit, the second reads it."""

    def __init__(self):
        import threading

        self.release = threading.Event()
        self.seen: dict[str, EventCounter] = {}

    @coachflow.hookimpl
    def register_steps(self, register):
        plugin = self

        class Holds(coachflow.Step):
            name = "holds-a-summary"

            @coachflow.hookimpl
            def on_rejection(self, event, ctx):
                plugin.seen["held"] = ctx.journal.summary(EventCounter, "shared")
                plugin.release.wait(30)  # left behind, still holding the summary

        class Reads(coachflow.Step):
            name = "reads-the-summary"

            @coachflow.hookimpl
            def on_rejection(self, event, ctx):
                plugin.seen["read"] = ctx.journal.summary(EventCounter, "shared")

        register(Holds)
        register(Reads)


def test_the_steps_after_a_step_left_behind_do_not_share_its_summaries():
    from coachflow.plugin.host import build_host
    from coachflow.workflow import parse_workflow

    plugin = _HoldsASummary()
    host = build_host(load_entry_points=False, extra_plugins=[("holds", plugin)])
    toml = ('[workflow]\nname = "holds"\n[settings]\nstep_timeout = 0.5\n'
            '[[steps]]\nuses = "holds-a-summary"\n[[steps]]\nuses = "reads-the-summary"\n')
    runner = WorkflowRunner(parse_workflow(toml, host.registry, source="holds.toml"))
    try:
        with open_journal(":memory:") as journal:
            seed(journal, applied("2026-11-01", "Acme"))
            result = runner.run(event_from_dict(rejection("2026-11-02", "Acme")), journal=journal)
    finally:
        plugin.release.set()

    assert [failure.step for failure in result.errors] == ["holds-a-summary"]
    assert result.ran == ["reads-the-summary"]
    # The step left behind may go on changing the summary it holds; the next step gets its own.
    assert plugin.seen["read"] is not plugin.seen["held"]
    assert plugin.seen["read"].seen == [1, 2]
