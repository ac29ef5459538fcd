"""The engine: step order, on/when skipping, error isolation, journal writes."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import coachflow

from coachflow.engine import WorkflowRunner, run_workflow
from coachflow.journal import open_journal
from coachflow.models import Feedback, Milestone, Rejection

from support import workflow

NOW = dt.datetime(2026, 11, 25, 17, 30)
REJECTION = Rejection(company="Acme", role="Data Analyst", stage="interview", date=NOW.date())


def test_steps_run_in_the_order_of_the_file():
    flow = workflow("""
[workflow]
name = "order"
[[steps]]
uses = "echo"
id = "third-listed-first"
with.label = "one"
[[steps]]
uses = "echo"
id = "second"
with.label = "two"
[[steps]]
uses = "echo"
id = "alpha"
with.label = "three"
""")
    result = run_workflow(flow, REJECTION, now=NOW)
    assert [a.title for a in result.actions] == ["one: rejection", "two: rejection", "three: rejection"]
    assert [a.step for a in result.actions] == ["third-listed-first", "second", "alpha"]
    assert result.ran == ["third-listed-first", "second", "alpha"]


def test_on_and_when_skip_steps_and_say_why():
    flow = workflow("""
[workflow]
name = "skips"
[[steps]]
uses = "echo"
id = "feedback-only"
on = ["feedback"]
[[steps]]
uses = "echo"
id = "late-stages"
when = { stage = ["final", "offer"] }
[[steps]]
uses = "echo"
id = "acme-interviews"
when = { stage = "interview", company = "ACME" }
""")
    result = run_workflow(flow, REJECTION, now=NOW)
    assert result.ran == ["acme-interviews"]
    skipped = {s.step: (s.reason, s.detail) for s in result.skipped}
    assert skipped["feedback-only"] == ("on", "runs on feedback, not rejection")
    assert skipped["late-stages"] == ("when", "stage is interview, not final or offer")


def test_a_failing_step_does_not_stop_the_others():
    flow = workflow("""
[workflow]
name = "isolation"
[[steps]]
uses = "explode"
[[steps]]
uses = "garbage"
[[steps]]
uses = "echo"
""")
    result = run_workflow(flow, REJECTION, now=NOW)
    assert [a.step for a in result.actions] == ["echo"]
    errors = {e.step: e.error for e in result.errors}
    assert errors["explode"] == "RuntimeError: the step broke"
    assert errors["garbage"] == "returned 42, which is not an action (coachflow.Action)"
    assert not result.ok


def test_on_error_stop_ends_the_run_at_the_first_failure():
    flow = workflow("""
[workflow]
name = "fail fast"
[settings]
on_error = "stop"
[[steps]]
uses = "explode"
[[steps]]
uses = "echo"
""")
    result = run_workflow(flow, REJECTION, now=NOW)
    assert result.actions == []
    assert [e.step for e in result.errors] == ["explode"]
    assert result.ran == []


def test_a_step_past_its_time_limit_is_reported_and_left_behind():
    flow = workflow("""
[workflow]
name = "slow"
[settings]
step_timeout = 0.2
[[steps]]
uses = "sleepy"
[[steps]]
uses = "echo"
""")
    result = run_workflow(flow, REJECTION, now=NOW)
    assert [e.step for e in result.errors] == ["sleepy"]
    assert "took longer than 0.2 seconds" in result.errors[0].error
    assert [a.step for a in result.actions] == ["echo"]


def test_event_is_in_the_journal_before_steps_run_and_actions_after(tmp_path):
    flow = workflow("""
[workflow]
name = "journal"
[[steps]]
uses = "count-rejections"
""")
    with open_journal(tmp_path / "j.sqlite3") as journal:
        runner = WorkflowRunner(flow)
        first = runner.run(REJECTION, journal=journal, now=NOW)
        second = runner.run(REJECTION, journal=journal, now=NOW)
        assert first.actions[0].title == "1 rejections so far"
        assert second.actions[0].title == "2 rejections so far"
        stored = journal.reader.actions()
        assert [(s.event_id, s.action.step, s.workflow) for s in stored] == [
            (first.event_id, "count-rejections", "journal"),
            (second.event_id, "count-rejections", "journal"),
        ]


def test_dry_run_sees_the_event_but_keeps_nothing(tmp_path):
    flow = workflow("""
[workflow]
name = "dry"
[[steps]]
uses = "count-rejections"
""")
    with open_journal(tmp_path / "j.sqlite3") as journal:
        result = WorkflowRunner(flow).run(REJECTION, journal=journal, now=NOW, dry_run=True)
        assert result.actions[0].title == "1 rejections so far"
        assert journal.reader.count() == 0
        assert journal.reader.actions() == []


def test_replay_records_every_event_and_its_actions(tmp_path):
    flow = workflow("""
[workflow]
name = "replay"
[[steps]]
uses = "echo"
""")
    events = [
        Milestone(kind="applied", company=f"Company {i}", role="Analyst", date=dt.date(2026, 1, 1) + dt.timedelta(days=i))
        for i in range(25)
    ]
    with open_journal(tmp_path / "j.sqlite3") as journal:
        results = list(WorkflowRunner(flow).replay(events, journal, now=NOW, batch_size=10))
        assert len(results) == 25
        assert journal.reader.count("milestone", kind="applied") == 25
        assert len(journal.reader.actions()) == 25
        assert len(journal.reader.open_applications()) == 25


@pytest.mark.parametrize(
    "event",
    [
        Feedback(company="Acme", text="Answers lacked depth", date=NOW.date()),
        Milestone(kind="interview-invitation", company="Beta", date=NOW.date()),
    ],
)
def test_each_event_type_reaches_its_hook(event):
    flow = workflow("""
[workflow]
name = "all"
[[steps]]
uses = "echo"
""")
    result = run_workflow(flow, event, now=NOW)
    assert [a.title for a in result.actions] == [f"echo: {event.type}"]
    assert result.actions[0].body == f"Hello {event.company}"


# --- when a late event's reminders are due ------------------------------------------------


def _check_in_due(result):
    (reminder,) = [a for a in result.actions if a.kind == "reminder"]
    return reminder.due


LATE = Rejection(company="Acme", role="Data Analyst", date=dt.date(2026, 11, 20))
BOUNCE_BACK = """
[workflow]
name = "bounce back"
[[steps]]
uses = "allow-disappointment"
"""


def test_a_live_run_schedules_a_late_event_from_now_so_no_reminder_is_in_the_past(tmp_path):
    with open_journal(tmp_path / "j.sqlite3") as journal:
        result = WorkflowRunner(workflow(BOUNCE_BACK)).run(LATE, journal=journal, now=NOW)
        assert _check_in_due(result) == NOW + dt.timedelta(days=1)
        (stored,) = journal.reader.actions(kinds=("reminder",))
        assert stored.action.due == NOW + dt.timedelta(days=1)


def test_a_replay_keeps_the_dates_reminders_had_when_the_event_happened(tmp_path):
    with open_journal(tmp_path / "j.sqlite3") as journal:
        (result,) = WorkflowRunner(workflow(BOUNCE_BACK)).replay([LATE], journal, now=NOW)
        assert _check_in_due(result) == dt.datetime(2026, 11, 21, 9, 0)


def test_event_time_is_live_only_when_the_runner_says_so():
    from coachflow.context import StepContext

    def ctx(live):
        return StepContext(options=None, journal=None, now=NOW, step_id="s", workflow="w", live=live)

    assert ctx(True).event_time(LATE) == NOW
    assert ctx(False).event_time(LATE) == dt.datetime(2026, 11, 20, 9, 0)
    assert ctx(True).event_time(REJECTION) == ctx(False).event_time(REJECTION) == NOW


class _StopsWithCtrlC:
    """A plugin whose step is interrupted, as if the person pressed Ctrl-C while it ran."""

    @coachflow.hookimpl
    def register_steps(self, register):
        class Interrupted(coachflow.Step):
            """Stands for a slow step the person gave up on."""

            name = "interrupted"

            @coachflow.hookimpl
            def on_rejection(self, event, ctx):
                raise KeyboardInterrupt

        register(Interrupted)


def test_ctrl_c_in_a_step_rolls_the_whole_run_back(tmp_path):
    from coachflow.plugin.host import build_host

    host = build_host(load_entry_points=False, extra_plugins=[("ctrl-c", _StopsWithCtrlC())])
    flow = workflow('[workflow]\nname = "w"\n[[steps]]\nuses = "interrupted"\n', host)
    with open_journal(tmp_path / "j.sqlite3") as journal:
        with pytest.raises(KeyboardInterrupt):
            WorkflowRunner(flow).run(REJECTION, journal=journal, now=NOW)
        assert list(journal.reader.entries()) == []
        assert not journal.in_transaction


class _SeesContext:
    """A plugin whose step remembers every context it was given."""

    seen: list = []

    @coachflow.hookimpl
    def register_steps(self, register):
        seen = self.seen

        @attrs.define
        class Options:
            label: str = coachflow.option("plain", help="Kept to tell the steps apart.")

        class Looks(coachflow.Step):
            """Remembers its context and cancels one key."""

            name = "looks"

            @coachflow.hookimpl
            def on_rejection(self, event, ctx):
                seen.append(ctx)
                ctx.cancel(f"{ctx.step_id}:{event.company}")

        Looks.Options = Options
        register(Looks)


def test_each_step_call_gets_its_own_context_with_what_it_says(tmp_path):
    from coachflow.plugin.host import build_host

    host = build_host(load_entry_points=False, extra_plugins=[("sees", _SeesContext())])
    flow = workflow('[workflow]\nname = "looking"\n[[steps]]\nuses = "looks"\nid = "first"\nwith.label = "one"\n'
                    '[[steps]]\nuses = "looks"\nid = "second"\nwith.label = "two"\n', host)
    runner = WorkflowRunner(flow)
    _SeesContext.seen.clear()
    with open_journal(tmp_path / "j.sqlite3") as journal:
        live = runner.run(REJECTION, journal=journal, now=NOW)
        replayed = list(runner.replay([LATE, REJECTION], journal, now=NOW))
        contexts = [(c.step_id, c.options.label, c.workflow, c.now, c.live, c.journal is journal.reader, c.cancelled)
                    for c in _SeesContext.seen]
    assert contexts == [
        ("first", "one", "looking", NOW, True, True, ["first:Acme"]),
        ("second", "two", "looking", NOW, True, True, ["second:Acme"]),
        ("first", "one", "looking", NOW, False, True, ["first:Acme"]),
        ("second", "two", "looking", NOW, False, True, ["second:Acme"]),
        ("first", "one", "looking", NOW, False, True, ["first:Acme"]),
        ("second", "two", "looking", NOW, False, True, ["second:Acme"]),
    ]
    assert len({id(c) for c in _SeesContext.seen}) == 6
    assert live.cancelled == ["first:Acme", "second:Acme"]
    assert [r.cancelled for r in replayed] == [["first:Acme", "second:Acme"]] * 2


def _search(days: int) -> list:
    """A search of ``days`` days: an application every day, a no every third, feedback every fifth."""
    start = dt.date(2026, 9, 1)
    events = []
    for day in range(days):
        date = start + dt.timedelta(days=day)
        company = f"Company {day % 7}"
        events.append(Milestone(kind="applied", company=company, role="Analyst", date=date))
        if day % 3 == 2:
            events.append(Rejection(company=company, role="Analyst", stage="interview", date=date))
        if day % 5 == 4:
            events.append(Feedback(company=company, role="Analyst", text="Strong SQL, less on stakeholders.",
                                   date=date))
    return events


def _statuses(journal) -> list[tuple]:
    return [(stored.id, stored.action.title, stored.status, stored.done_at) for stored in journal.reader.actions()]


def test_one_replay_marks_missed_exactly_what_a_replay_per_event_marks(tmp_path):
    # One replay keeps the earliest open due time to itself instead of asking the journal on
    # every event; a replay of one event asks. Both must lapse the same actions at the same events.
    # (Undated drafts lapse once per replay batch, so here they never do.)
    from pathlib import Path

    text = (Path(coachflow.__file__).parent / "default_workflow.toml").read_text(encoding="utf-8")
    # (A no every third day would be one long hard run, whose one check-in replaces the last: no runs here.)
    text = text.replace("[settings]\n", "[settings]\nundated_missed_after_days = 3650\nrejection_run = 100\n", 1)
    events, runner = _search(40), WorkflowRunner(workflow(text))
    with open_journal(tmp_path / "once.sqlite3") as once, open_journal(tmp_path / "each.sqlite3") as each:
        whole = list(runner.replay(events, once, now=NOW))
        one_by_one = [result for event in events for result in runner.replay([event], each, now=NOW)]
        assert [r.missed for r in whole] == [r.missed for r in one_by_one]
        assert sum(len(r.missed) for r in whole) >= 10  # the search is long enough for reminders to lapse
        assert _statuses(once) == _statuses(each)
