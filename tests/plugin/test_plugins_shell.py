"""The command-line shell around plugins: --help with odd plugin commands, a plugin command that
raises, a third-party step with a built-in step's name, the first commands coachflow suggests,
and how `coachflow steps NAME` shows defaults. Every plugin is a real file loaded with --plugin."""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import coachflow
from coachflow.cli import cli
from coachflow.plugin.registry import StepRegistry, step_type_from_class

BUILTIN = "coachflow.plugins.allow_disappointment"


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run the real command line with a journal in ``tmp_path``."""

    def invoke(*args: str):
        env = {"COACHFLOW_JOURNAL": str(tmp_path / "journal.sqlite3"), "COLUMNS": "200"}  # wide: one line per message
        return CliRunner().invoke(cli, list(args), env=env, prog_name="coachflow")

    return invoke


def plugin_file(tmp_path: Path, name: str, source: str) -> str:
    """Write a plugin file ``name.py`` and return its path for --plugin."""
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return str(path)


COMMAND_PLUGIN = """
    import click
    import coachflow
    from coachflow.errors import CoachflowError

    @click.command()
    def hello():
        '''Say hello from a plugin.'''
        click.echo("hello")

    @click.command()
    def crash():
        '''Fail the way a buggy plugin command does.'''
        raise RuntimeError("inside command")

    @click.command()
    def refuse():
        '''Fail with a message for the user.'''
        raise CoachflowError("refuse: the plugin needs a --company")

    @click.command()
    @click.option("--count", type=int, required=True)
    def count(count):
        '''Take a number.'''

    @coachflow.hookimpl
    def register_commands(cli):
        for command in (hello, crash, refuse, count):
            cli.add_command(command)
"""


# --- 1. --help never crashes on a plugin's commands ---------------------------------------------


def test_help_leaves_out_a_command_that_is_not_a_command(tmp_path, run_cli):
    plugin = plugin_file(tmp_path, "cmd_notcmd", """
        import coachflow

        @coachflow.hookimpl
        def register_commands(cli):
            cli.add_command(42, name="num")
    """)

    help_text = run_cli("--plugin", plugin, "--help")
    command_help = run_cli("--plugin", plugin, "num", "--help")

    warning = ("Warning: plugin 'cmd_notcmd' adds a command 'num' that is left out: it is not a Click command "
               "but int 42\n")
    assert (help_text.exit_code, help_text.stderr) == (0, warning)
    assert "Commands:" in help_text.stdout and " num " not in help_text.stdout
    assert command_help.exit_code == 2
    assert command_help.stderr == warning + "Error: No such command 'num'. (see 'coachflow --help')\n"


def test_help_leaves_out_a_command_whose_help_raises(tmp_path, run_cli):
    plugin = plugin_file(tmp_path, "cmd_badhelp", """
        import click
        import coachflow

        class BrokenHelp(click.Command):
            def get_short_help_str(self, limit=45):
                raise ValueError("no help text")

        @coachflow.hookimpl
        def register_commands(cli):
            cli.add_command(BrokenHelp("broken", callback=lambda: None))
            cli.add_command(click.Command("fine", callback=lambda: None, help="Still listed."))
    """)

    help_text = run_cli("--plugin", plugin, "--help")

    assert help_text.exit_code == 0
    assert help_text.stderr == ("Warning: plugin 'cmd_badhelp' adds a command 'broken' that is left out: its help "
                                "text cannot be shown (cmd_badhelp.py:7: ValueError: no help text)\n")
    assert "fine      Still listed." in help_text.stdout
    assert "broken" not in help_text.stdout


# --- 2. a plugin command that raises -----------------------------------------------------------


def test_a_plugin_command_that_raises_is_one_line_and_exit_1(tmp_path, run_cli):
    plugin = plugin_file(tmp_path, "cmd_ok", COMMAND_PLUGIN)

    result = run_cli("--plugin", plugin, "crash")

    assert result.exit_code == 1
    assert result.stderr == "Error: command 'crash' (from plugin cmd_ok) failed: RuntimeError: inside command\n"
    assert result.stdout == ""


def test_a_plugin_commands_user_errors_keep_their_normal_handling(tmp_path, run_cli):
    plugin = plugin_file(tmp_path, "cmd_ok", COMMAND_PLUGIN)

    refused = run_cli("--plugin", plugin, "refuse")
    bad_option = run_cli("--plugin", plugin, "count", "--count", "many")
    fine = run_cli("--plugin", plugin, "hello")

    assert (refused.exit_code, refused.stderr) == (2, "Error: refuse: the plugin needs a --company\n")
    assert bad_option.exit_code == 2
    assert bad_option.stderr == "Error: --count: give a whole number, not 'many' (see 'coachflow count --help')\n"
    assert (fine.exit_code, fine.stdout) == (0, "hello\n")


# --- 3. built-in step names are reserved -------------------------------------------------------


def step_plugin_source(step: str, title: str) -> str:
    return f'''
        import coachflow

        class Impostor(coachflow.Step):
            """A third-party step."""

            name = "{step}"

            @coachflow.hookimpl
            def on_rejection(self, event, ctx):
                return coachflow.Action(kind="task", title="{title}")

        @coachflow.hookimpl
        def register_steps(register):
            register(Impostor)
    '''


def test_a_third_party_step_with_a_built_in_name_is_refused_and_the_built_in_works(tmp_path, run_cli):
    plugin = plugin_file(tmp_path, "step_dup", step_plugin_source("allow-disappointment", "From the impostor"))

    result = run_cli("--plugin", plugin, "run", "rejection", "--company", "Acme", "--role", "Data Analyst",
                     "--stage", "interview", "--dry-run")
    explained = run_cli("--plugin", plugin, "steps", "allow-disappointment")
    listed = run_cli("--plugin", plugin, "plugins")

    warning = ("Warning: plugin 'step_dup' offers a step 'allow-disappointment', but that name belongs to the "
               f"built-in step from {BUILTIN}, which is used instead; the plugin's step is left out (rename it)\n")
    assert (result.exit_code, result.stderr) == (0, warning)
    assert "It's all right to be disappointed about Acme" in result.stdout
    assert "From the impostor" not in result.stdout
    assert explained.stdout.startswith(f"allow-disappointment  (from {BUILTIN};")
    assert ("step_dup  [ok]" in listed.stdout
            and "refused:  step 'allow-disappointment', a built-in step's name; the built-in one is used"
            in listed.stdout)


def test_two_third_party_plugins_with_one_step_name_still_conflict(tmp_path, run_cli):
    first = plugin_file(tmp_path, "first", step_plugin_source("nudge", "First"))
    second = plugin_file(tmp_path, "second", step_plugin_source("nudge", "Second"))

    result = run_cli("--plugin", first, "--plugin", second, "steps", "nudge")

    assert result.exit_code == 2
    assert result.stderr.endswith("Error: step 'nudge' is offered by more than one plugin (first and second), so no "
                                  "workflow can use it; switch one off with --disable-plugin second\n")


def test_a_built_in_step_wins_whichever_registers_first():
    class Impostor:
        """A third-party step."""

        name = "allow-disappointment"

        @coachflow.hookimpl
        def on_rejection(self, event, ctx):
            return None

    class Builtin(Impostor):
        """The built-in step."""

    registry = StepRegistry()
    assert registry.add_step(step_type_from_class(Impostor, "one")) is True
    assert registry.add_step(step_type_from_class(Impostor, "two")) is True  # a conflict, for now
    registry.add_step(step_type_from_class(Builtin, BUILTIN), builtin=True)

    assert registry.add_step(step_type_from_class(Impostor, "three")) is False
    assert registry.steps["allow-disappointment"].plugin == BUILTIN
    assert registry.conflicts == {}
    assert registry.refused == {"allow-disappointment": ["one", "three", "two"]}


# --- 4. the suggested first commands write nothing ---------------------------------------------


def test_help_suggests_a_dry_run_that_works_and_records_nothing(tmp_path, run_cli):
    help_text = run_cli("--help")
    suggested = next(line.strip() for line in help_text.stdout.splitlines()
                     if line.strip().startswith("coachflow run rejection"))
    args = ["run", "rejection", "--company", "Acme", "--role", "Data Analyst", "--stage", "interview", "--dry-run"]

    result = run_cli(*args)

    assert suggested == 'coachflow run rejection --company Acme --role "Data Analyst" --stage interview --dry-run'
    assert result.exit_code == 0 and "Acme" in result.stdout
    assert not (tmp_path / "journal.sqlite3").exists()


def test_init_suggests_a_dry_run_that_works_and_records_nothing(tmp_path, run_cli):
    target = tmp_path / "coachflow.toml"

    written = run_cli("init", str(target))
    suggested = written.stdout.rsplit(": ", 1)[1].split()
    result = run_cli(*suggested[1:])

    assert written.exit_code == 0
    assert suggested == ["coachflow", "run", "rejection", "--company", "Acme", "--stage", "interview", "-w",
                         str(target), "--dry-run"]
    assert result.exit_code == 0, result.stderr
    journal = tmp_path / "journal.sqlite3"
    assert not journal.exists() or sqlite3.connect(journal).execute("SELECT count(*) FROM events").fetchone() == (0,)


# --- 5. defaults look the same for every step --------------------------------------------------


def test_list_defaults_are_one_line_for_third_party_and_built_in_steps(tmp_path, run_cli):
    plugin = plugin_file(tmp_path, "step_list", '''
        import attrs
        import coachflow

        class Tagged(coachflow.Step):
            """Tag a rejection."""

            name = "tagged"

            @attrs.define
            class Options:
                tags: list[str] = coachflow.option(factory=lambda: ["first", "second"], help="Tags to add.")
                none: list[str] = coachflow.option(factory=list, help="Nothing yet.")
                sizes: list[int] = coachflow.option(factory=lambda: [1, 2], help="Sizes.")

            @coachflow.hookimpl
            def on_rejection(self, event, ctx):
                return None

        @coachflow.hookimpl
        def register_steps(register):
            register(Tagged)
    ''')

    third_party = run_cli("--plugin", plugin, "steps", "tagged")
    built_in = run_cli("steps", "celebrate-wins")

    assert third_party.exit_code == 0, third_party.stderr
    assert 'tags  (list of text; default: ["first", "second"])\n' in third_party.stdout
    assert "none  (list of text; default: [])\n" in third_party.stdout
    assert "sizes  (list of integer; default: [1, 2])\n" in third_party.stdout
    assert ('win_kinds  (list of text; default: ["good-conversation", "interview-invitation", '
            '"positive-feedback", "offer", "accepted"])\n') in built_in.stdout
