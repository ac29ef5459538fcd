"""Every hook in the specification: its own test, and its section in docs/plugin_hooks.md.

The guard tests at the end fail when a hook is added to ``coachflow.plugin.hookspecs``
without a ``test_hook_<name>`` here or a section with its exact signature in
the hook reference, and when the reference documents a hook that does not exist.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import coachflow
from coachflow.plugin import hookspecs
from coachflow.cli import State, cli
from coachflow.models import Feedback, Milestone

HOOK_REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "plugin_hooks.md"


def hook_names() -> list[str]:
    """The hooks of the specification, in the order of the module."""
    return [name for name, value in vars(hookspecs).items() if hasattr(value, f"{hookspecs.PROJECT_NAME}_spec")]


def documented_signature(name: str) -> str:
    """``def name(arg: Type, ...) -> Return`` as the specification declares it."""
    signature = inspect.signature(getattr(hookspecs, name))

    def annotation(value: object) -> str:
        return str(value).strip("'\"")

    arguments = ", ".join(f"{p.name}: {annotation(p.annotation)}" for p in signature.parameters.values())
    return f"def {name}({arguments}) -> {annotation(signature.return_annotation)}"


def reference_sections() -> dict[str, str]:
    """``## heading`` -> the text under it, from the hook reference."""
    text = HOOK_REFERENCE.read_text(encoding="utf-8")
    parts = re.split(r"^## +(.+?)\s*$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


# --- one test per hook ----------------------------------------------------------


class Recorder(coachflow.Step):
    """Record what each workflow hook receives."""

    name = "recorder"
    seen: list[tuple[str, object, object]] = []

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        self.seen.append(("on_rejection", event, ctx))
        return [coachflow.Action(kind="task", title=f"Rejection from {event.company}"),
                coachflow.Action(kind="reminder", title="Check in", due=ctx.now + dt.timedelta(days=1))]

    @coachflow.hookimpl
    def on_feedback(self, event, ctx):
        self.seen.append(("on_feedback", event, ctx))
        return coachflow.Action(kind="prompt", title=f"{len(ctx.journal.feedback_for(event.company))} feedback")

    @coachflow.hookimpl
    def on_milestone(self, event, ctx):
        self.seen.append(("on_milestone", event, ctx))
        return None


@pytest.fixture
def coachflow_plugins():
    Recorder.seen = []
    return [Recorder]


RECORDER = '[workflow]\nname = "Recording"\n\n[[steps]]\nuses = "recorder"\nid = "rec"\n'


def test_hook_register_steps(coachflow_host):
    step_type = coachflow_host.registry.steps["recorder"]

    assert step_type.plugin == "test-recorder"
    assert step_type.events == ("rejection", "feedback", "milestone")
    assert step_type.summary == "Record what each workflow hook receives."


def test_hook_register_milestone_kinds(tmp_path, coachflow_cli):
    plugin = tmp_path / "kinds.py"
    plugin.write_text(
        "import coachflow\n\n@coachflow.hookimpl\ndef register_milestone_kinds(register):\n"
        "    register('portfolio-published', 'a piece of work went live')\n", encoding="utf-8")

    recorded = coachflow_cli("--plugin", str(plugin), "run", "milestone", "--kind", "portfolio-published", "--dry-run")
    unknown = coachflow_cli("run", "milestone", "--kind", "portfolio-published", "--dry-run")

    assert recorded.exit_code == 0, recorded.output
    assert recorded.stdout.startswith("Milestone: portfolio published, Mon 16 Mar 2026")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("Error: --kind: 'portfolio-published' is not a milestone kind")


def test_hook_register_commands():
    received = []

    class Commands:
        @coachflow.hookimpl
        def register_commands(self, cli):
            received.append(cli)

            @cli.command(name="count-events")
            def count_events():
                """Print a fixed line."""
                click.echo("no events yet")

    def invoke(*args):
        state = State(extra_plugins=[("commands", Commands())])
        return CliRunner().invoke(cli, list(args), obj=state, env={"COACHFLOW_NO_PLUGINS": "1"})

    result = invoke("count-events")
    help_text = invoke("--help")
    built_in = invoke("steps")

    assert (result.exit_code, result.stdout) == (0, "no events yet\n")
    assert "count-events  Print a fixed line." in help_text.stdout
    assert built_in.exit_code == 0
    assert len(received) == 2 and all(isinstance(group, click.Group) for group in received)  # not for 'steps'


def test_hook_on_rejection(run_workflow, coachflow_now):
    result = run_workflow(RECORDER, {"type": "rejection", "company": "Acme", "stage": "final", "reason": "budget"})

    (hook, event, ctx), = Recorder.seen
    assert hook == "on_rejection"
    assert (event.company, event.stage, event.reason) == ("Acme", "final", "budget")
    assert (ctx.step_id, ctx.workflow, ctx.now) == ("rec", "Recording", coachflow_now)
    assert [a.title for a in result.actions] == ["Rejection from Acme", "Check in"]
    assert {a.step for a in result.actions} == {"rec"}


def test_hook_on_feedback(run_workflow, coachflow_journal):
    coachflow_journal.seed({"type": "feedback", "company": "Acme", "text": "Clear answers", "date": "2026-03-02"})

    result = run_workflow(RECORDER, Feedback(company="Acme", source="recruiter", text="More depth on SQL",
                                             date=dt.date(2026, 3, 16)))

    (hook, event, _), = Recorder.seen
    assert (hook, event.source, event.text) == ("on_feedback", "recruiter", "More depth on SQL")
    assert [a.title for a in result.actions] == ["2 feedback"]  # the journal already holds this one


def test_hook_on_milestone(run_workflow):
    result = run_workflow(RECORDER, Milestone(kind="offer", company="Beta", date=dt.date(2026, 3, 16)))

    (hook, event, _), = Recorder.seen
    assert (hook, event.kind, event.company) == ("on_milestone", "offer", "Beta")
    assert result.actions == [] and result.ran == ["rec"]


# --- guards -------------------------------------------------------------------------


def test_every_hook_has_its_own_test():
    tests = {name for name in globals() if name.startswith("test_hook_")}

    assert [name for name in hook_names() if f"test_hook_{name}" not in tests] == []


@pytest.mark.parametrize("name", hook_names())
def test_every_hook_is_documented_with_its_exact_signature(name):
    sections = reference_sections()

    assert name in sections, f"docs/plugin_hooks.md has no '## {name}' section"
    assert documented_signature(name) in sections[name], \
        f"the '## {name}' section must show the signature exactly: {documented_signature(name)}"
    for part in ("**Arguments.**", "**Returns.**", "**When it runs.**", "**Example.**"):
        assert part in sections[name], f"the '## {name}' section lacks {part}"


def test_the_reference_documents_no_hook_that_does_not_exist():
    assert set(reference_sections()) == set(hook_names())


USES_THE_JOURNAL = '''
import click
import coachflow
from coachflow.cli import user_options

@coachflow.hookimpl
def register_commands(cli):
    @cli.command()
    @user_options
    @click.option("--status", default="open")
    def nudges(setup, status):
        """How many reminders and tasks there are."""
        with setup.open_journal("read") as journal:
            count = len(journal.reader.actions(status=status))
        click.echo(f"{setup.profile or 'you'}: {count} {status} in {setup.journal_path.name}, "
                   f"workflow {setup.workflow.name}")
'''


def test_a_plugin_command_reaches_the_journal_client_and_workflow_through_user_options(tmp_path):
    plugin = tmp_path / "nudges.py"
    plugin.write_text(USES_THE_JOURNAL, encoding="utf-8")
    journal = tmp_path / "sam.sqlite3"
    env = {"COACHFLOW_NO_PLUGINS": "1"}
    recorded = CliRunner().invoke(cli, ["run", "rejection", "--company", "Acme", "--journal", str(journal)], env=env)

    counted = CliRunner().invoke(cli, ["--plugin", str(plugin), "nudges", "--journal", str(journal),
                                       "--profile", "sam"], env=env)
    help_text = CliRunner().invoke(cli, ["--plugin", str(plugin), "nudges", "--help"], env=env)

    assert recorded.exit_code == 0, recorded.output
    from coachflow.journal import open_journal

    with open_journal(journal, mode="read") as opened:
        open_actions = len(opened.reader.actions(status="open"))
    assert open_actions > 0
    assert (counted.exit_code, counted.stdout) == (0, f"sam: {open_actions} open in sam.sqlite3, workflow Bounce back\n")
    assert "--journal PATH" in help_text.stdout and "--profile NAME" in help_text.stdout
    assert "-w, --workflow FILE" in help_text.stdout
