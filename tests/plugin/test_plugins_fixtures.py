"""The pytest fixtures coachflow ships for plugin authors (core/pytest_plugin.py)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap

import pytest

import coachflow
from coachflow.errors import EventError, WorkflowError
from coachflow.models import Milestone, Rejection

WORKFLOW = '[workflow]\nname = "Test"\n\n[[steps]]\nuses = "allow-disappointment"\n'


class CountRejections(coachflow.Step):
    """Say how many rejections the journal holds, this one included."""

    name = "count-rejections"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return coachflow.Action(kind="insight", title=f"{ctx.journal.count('rejection')} rejections so far")


@pytest.fixture
def coachflow_plugins():
    return [CountRejections]


def test_run_workflow_takes_toml_text_and_an_event_dict(run_workflow, coachflow_now):
    result = run_workflow(WORKFLOW, {"type": "rejection", "company": "Acme", "stage": "interview"})

    assert result.ran == ["allow-disappointment"]
    assert result.event == Rejection(company="Acme", stage="interview", date=coachflow_now.date())
    assert result.actions[-1].due == coachflow_now + dt.timedelta(hours=24)


def test_run_workflow_takes_a_dict_without_a_workflow_table_and_an_event_model(run_workflow):
    result = run_workflow({"steps": [{"uses": "count-rejections"}]},
                          Rejection(company="Acme", date=dt.date(2026, 3, 10)))

    assert result.workflow == "test"
    assert [a.title for a in result.actions] == ["1 rejections so far"]


def test_seeded_history_is_seen_by_the_steps(run_workflow, coachflow_journal):
    ids = coachflow_journal.seed(
        {"type": "rejection", "company": "Beta", "date": "2026-03-01"},
        Rejection(company="Gamma", date=dt.date(2026, 3, 5)),
        {"type": "milestone", "kind": "applied", "company": "Acme"},
    )

    result = run_workflow({"steps": [{"uses": "count-rejections"}]}, {"type": "rejection", "company": "Acme"})

    assert len(ids) == 3
    assert result.actions[0].title == "3 rejections so far"
    assert coachflow_journal.reader.events("milestone") == [
        Milestone(kind="applied", company="Acme", date=dt.date(2026, 3, 16))]


def test_results_are_kept_in_the_journal_unless_dry_run(run_workflow, coachflow_journal):
    run_workflow(WORKFLOW, {"type": "rejection", "company": "Acme"}, dry_run=True)
    assert coachflow_journal.reader.events() == []

    run_workflow(WORKFLOW, {"type": "rejection", "company": "Acme"})
    assert [s.action.kind for s in coachflow_journal.reader.actions()] == ["message", "reminder"]


def test_run_workflow_takes_another_clock(run_workflow):
    later = dt.datetime(2026, 4, 1, 14, 0)

    result = run_workflow(WORKFLOW, {"type": "rejection", "company": "Acme"}, now=later)

    assert result.event.date == later.date()
    assert result.actions[-1].due == later + dt.timedelta(hours=24)


def test_an_invalid_workflow_or_event_raises_the_user_facing_error(run_workflow, coachflow_journal):
    with pytest.raises(WorkflowError, match=r"<test workflow>:2: steps\[1\]\.uses: unknown step type 'count'"):
        run_workflow('[[steps]]\nuses = "count"\n', {"type": "rejection", "company": "Acme"})
    with pytest.raises(EventError, match="stage: 'lunch' is not a stage"):
        coachflow_journal.seed({"type": "rejection", "company": "Acme", "stage": "lunch"})


def test_coachflow_cli_runs_the_command_line_with_the_plugins_under_test(coachflow_cli, coachflow_journal, tmp_path):
    workflow = tmp_path / "coachflow.toml"
    workflow.write_text('[workflow]\nname = "Count"\n\n[[steps]]\nuses = "count-rejections"\n', encoding="utf-8")

    result = coachflow_cli("run", "rejection", "--company", "Acme", "-w", str(workflow))

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Rejection: Acme (application stage), Mon 16 Mar 2026\n\nPattern: 1 rejections so far")
    assert [e.company for e in coachflow_journal.reader.events()] == ["Acme"]


def test_the_fixtures_come_from_the_pytest11_entry_point(tmp_path):
    (tmp_path / "test_with_fixtures.py").write_text(textwrap.dedent('''
        import pytest

        class Broken:
            import coachflow

            @coachflow.hookimpl
            def register_steps(self, register):
                raise RuntimeError("not today")

        def test_uses_the_fixtures(run_workflow):
            result = run_workflow('[[steps]]\\nuses = "allow-disappointment"\\n', {"type": "rejection", "company": "Acme"})
            assert result.ok

        @pytest.mark.parametrize("coachflow_plugins", [[("broken", Broken())]])
        def test_a_broken_plugin_under_test_fails_the_test(run_workflow):
            pass
    '''), encoding="utf-8")

    completed = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                               capture_output=True, text=True, cwd=tmp_path)

    assert "1 passed, 1 error" in completed.stdout, completed.stdout
    assert ("coachflow plugins did not load cleanly:\nplugin 'broken' was left out: its register_steps hook "
            "failed (test_with_fixtures.py:9: RuntimeError: not today)") in completed.stdout


class Divides(coachflow.Step):
    """Divides by the number of offers, which is none."""

    name = "divides"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return 1 / 0


@pytest.mark.parametrize("coachflow_plugins", [[Divides]])
def test_a_failure_carries_the_exception_the_step_raised(run_workflow):
    result = run_workflow('[[steps]]\nuses = "divides"\n', {"type": "rejection", "company": "Acme"})

    (failure,) = result.errors
    assert failure.error == "ZeroDivisionError: division by zero"
    assert isinstance(failure.exception, ZeroDivisionError)
    assert failure.exception.__traceback__ is not None


STRICT_TESTS = '''
import coachflow
import pytest

class Divides(coachflow.Step):
    """Divides by zero."""

    name = "divides"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return 1 / 0

@pytest.fixture
def coachflow_plugins():
    return [Divides]

def test_the_step_runs(run_workflow):
    run_workflow('[[steps]]\\nuses = "divides"\\n', {"type": "rejection", "company": "Acme"})
'''


@pytest.mark.parametrize(("how", "outcome"), [
    ("off", "1 passed"), ("environment", "1 failed"), ("fixture", "1 failed")])
def test_strict_mode_makes_a_failing_step_fail_the_test_where_it_raised(tmp_path, how, outcome):
    source = STRICT_TESTS + ("\n@pytest.fixture\ndef coachflow_strict():\n    return True\n" if how == "fixture" else "")
    (tmp_path / "test_strict.py").write_text(source, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k != "COACHFLOW_STRICT"}
    if how == "environment":
        environment["COACHFLOW_STRICT"] = "1"

    completed = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                               capture_output=True, text=True, cwd=tmp_path, env=environment)

    assert outcome in completed.stdout, completed.stdout
    if outcome == "1 failed":
        assert "test_strict.py:12: ZeroDivisionError" in completed.stdout
