"""Plugin discovery and control: entry points, local plugins, disabling, failures, plugin commands, tracing."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.fake_plugins import site, step_plugin  # noqa: F401  (site is a fixture)

import coachflow
from coachflow.journal import IN_MEMORY, open_journal
from coachflow.cli import cli
from coachflow.engine import WorkflowRunner
from coachflow.plugin.discovery import PluginOptions
from coachflow.plugin.host import build_host
from coachflow.models import Rejection
from coachflow.workflow import parse_workflow

BUILTIN = "coachflow.plugins.allow_disappointment"


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run the real command line with a journal in ``tmp_path`` and a fixed clock."""

    def invoke(*args: str, env: dict[str, str] | None = None):
        environment = {"COACHFLOW_JOURNAL": str(tmp_path / "journal.sqlite3"), "COACHFLOW_NOW": "2026-03-16T09:30",
                       "COACHFLOW_PLUGINS": "", "COACHFLOW_DISABLE_PLUGINS": "", "COACHFLOW_NO_PLUGINS": "",
                       "COACHFLOW_TRACE": "", "COLUMNS": "200", **(env or {})}  # wide: one line per message
        return CliRunner().invoke(cli, list(args), env=environment, prog_name="coachflow")

    return invoke


def workflow_file(tmp_path: Path, *steps: str) -> str:
    path = tmp_path / "coachflow.toml"
    body = "".join(f'[[steps]]\nuses = "{step}"\n\n' for step in steps)
    path.write_text(f'[workflow]\nname = "Test"\n\n{body}', encoding="utf-8")
    return str(path)


def plugins_json(result) -> dict[str, dict]:
    assert result.exit_code == 0, result.output
    return {plugin["name"]: plugin for plugin in json.loads(result.stdout)}


# --- discovery ---------------------------------------------------------------


def test_an_installed_distribution_is_found_through_its_entry_point(site):
    site.distribution("coachflow-nudge", {"nudge": "nudge_plugin"}, version="2.3",
                      modules={"nudge_plugin": step_plugin()})

    host = build_host()

    info = host.plugin("nudge")
    assert (info.source, info.status, info.version, info.distribution) == ("entry point", "ok", "2.3", "coachflow-nudge")
    assert info.location == "nudge_plugin"
    assert info.steps == ["nudge"]
    assert host.registry.steps["nudge"].plugin == "nudge"
    assert host.warnings == []


def test_plugins_command_describes_each_plugin(site, run_cli):
    site.distribution("coachflow-nudge", {"nudge": "nudge_plugin"}, version="2.3",
                      modules={"nudge_plugin": step_plugin()})

    plugins = plugins_json(run_cli("plugins", "--format", "json"))
    import_seconds = plugins["nudge"].pop("import_seconds")

    assert plugins["nudge"] == {
        "name": "nudge", "version": "2.3", "source": "entry point", "location": "nudge_plugin",
        "distribution": "coachflow-nudge", "status": "ok", "error": None,
        "hooks": ["on_rejection", "register_steps"], "steps": ["nudge"], "milestone_kinds": [],
        "commands": [], "command_error": None, "declared_commands": [], "refused_kinds": [], "conflicts": [],
        "refused_steps": [],
    }
    assert isinstance(import_seconds, float) and import_seconds >= 0
    assert plugins[BUILTIN]["source"] == "built-in"
    assert plugins[BUILTIN]["steps"] == ["allow-disappointment"]


def test_plugins_command_text(site, run_cli):
    site.distribution("coachflow-nudge", {"nudge": "nudge_plugin"}, version="2.3",
                      modules={"nudge_plugin": step_plugin()})

    result = run_cli("plugins")

    assert result.exit_code == 0
    assert re.search(r"nudge 2.3  \[ok\]\n    from:     entry point, distribution coachflow-nudge: nudge_plugin\n"
                     r"    import:   \d+ ms\n"
                     r"    hooks:    on_rejection, register_steps\n    steps:    nudge\n", result.stdout), result.stdout


def test_plugins_load_in_name_order_whatever_the_installation_order(site):
    site.distribution("zeta-dist", {"zeta": "zeta_plugin"}, modules={"zeta_plugin": step_plugin("zeta-step")})
    site.distribution("alpha-dist", {"alpha": "alpha_plugin"}, modules={"alpha_plugin": step_plugin("alpha-step")})

    names = [info.name for info in build_host().plugins]

    assert names.index(BUILTIN) < names.index("alpha") < names.index("zeta")


def test_no_plugins_keeps_the_built_in_steps_only(site, run_cli):
    site.distribution("coachflow-nudge", {"nudge": "nudge_plugin"}, modules={"nudge_plugin": step_plugin()})

    by_option = run_cli("--no-plugins", "steps")
    by_environment = run_cli("steps", env={"COACHFLOW_NO_PLUGINS": "1"})

    for result in (by_option, by_environment):
        assert result.exit_code == 0, result.output
        assert "allow-disappointment" in result.stdout
        assert "nudge" not in result.stdout
    assert "nudge" in run_cli("steps").stdout


# --- local plugins -------------------------------------------------------------


def test_a_plugin_file_next_to_the_workflow_provides_a_step(tmp_path, run_cli):
    (tmp_path / "my_steps.py").write_text(step_plugin("ask-a-friend", "Tell a friend about"), encoding="utf-8")
    workflow = workflow_file(tmp_path, "ask-a-friend")

    result = run_cli("--plugin", str(tmp_path / "my_steps.py"), "run", "rejection", "--company", "Acme",
                       "-w", workflow)

    assert result.exit_code == 0, result.output
    assert "To do: Tell a friend about Acme" in result.stdout
    assert result.stderr == ""


def test_plugins_from_the_environment_files_and_modules(tmp_path, site, run_cli):
    (tmp_path / "first.py").write_text(step_plugin("first-step"), encoding="utf-8")
    site.module("second_plugin", step_plugin("second-step"))

    result = run_cli("plugins", "--format", "json",
                       env={"COACHFLOW_PLUGINS": f"{tmp_path / 'first.py'}, second_plugin"})

    plugins = plugins_json(result)
    assert (plugins["first"]["source"], plugins["first"]["steps"]) == ("file", ["first-step"])
    assert plugins["first"]["location"] == str(tmp_path / "first.py")
    assert (plugins["second_plugin"]["source"], plugins["second_plugin"]["steps"]) == ("module", ["second-step"])


def test_several_plugin_options_add_up(tmp_path, run_cli):
    for name in ("one", "two"):
        (tmp_path / f"{name}.py").write_text(step_plugin(f"{name}-step"), encoding="utf-8")

    result = run_cli("--plugin", str(tmp_path / "one.py"), "--plugin", str(tmp_path / "two.py"), "steps")

    assert "one-step" in result.stdout and "two-step" in result.stdout


def test_no_plugins_ignores_the_environment_but_keeps_plugin_options(tmp_path, run_cli):
    (tmp_path / "mine.py").write_text(step_plugin("mine"), encoding="utf-8")
    (tmp_path / "theirs.py").write_text(step_plugin("theirs"), encoding="utf-8")

    result = run_cli("--no-plugins", "--plugin", str(tmp_path / "mine.py"), "steps",
                       env={"COACHFLOW_PLUGINS": str(tmp_path / "theirs.py")})

    assert "mine" in result.stdout
    assert "theirs" not in result.stdout


def test_a_missing_plugin_file_is_a_warning(tmp_path, run_cli):
    missing = tmp_path / "nowhere.py"

    result = run_cli("--plugin", str(missing), "steps")

    assert result.exit_code == 0
    assert result.stderr == (f"Warning: plugin 'nowhere' was left out: it failed to import "
                             f"(FileNotFoundError: no such file: {missing})\n")
    assert "allow-disappointment" in result.stdout


@pytest.mark.parametrize("given_as", ["module", "file"])
def test_an_installed_plugin_given_again_by_module_or_file_is_one_plugin(tmp_path, site, given_as):
    path = site.module("twice", step_plugin("twice-step"))
    site.distribution("twice-dist", {"twice-ep": "twice"})

    host = build_host(PluginOptions(local=("twice" if given_as == "module" else str(path),)))

    # Only this module's plugins: the machine may have other plugins installed (CI has the example one).
    assert [info.name for info in host.plugins if "twice-step" in info.steps] == ["twice-ep"]
    assert host.plugin("twice-ep").steps == ["twice-step"]
    assert host.registry.conflicts == {} and host.warnings == []


def test_two_entry_points_naming_the_same_code_load_it_once(tmp_path, site):
    site.module("twice", step_plugin("twice-step"))
    site.distribution("twice-dist", {"twice-a": "twice", "twice-b": "twice"})

    host = build_host()

    assert host.plugin("twice-a").status == "ok"
    assert host.plugin("twice-b").status == "failed"
    assert host.warnings == ["plugin 'twice-b' was left out: it is the same code as plugin 'twice-a', which is "
                             "already loaded"]


# --- disabling --------------------------------------------------------------------


def test_a_disabled_plugin_is_never_imported(site, run_cli):
    site.distribution("boom-dist", {"boom": "boom_plugin"},
                      modules={"boom_plugin": "raise RuntimeError('imported although disabled')\n"})

    by_option = run_cli("--disable-plugin", "boom", "plugins", "--format", "json")
    by_environment = run_cli("plugins", "--format", "json", env={"COACHFLOW_DISABLE_PLUGINS": "boom"})

    for result in (by_option, by_environment):
        assert result.stderr == ""
        assert plugins_json(result)["boom"]["status"] == "disabled"


def test_disabling_a_built_in_plugin_removes_its_steps(run_cli):
    result = run_cli("--disable-plugin", BUILTIN, "steps", "--format", "json")

    assert result.exit_code == 0
    assert "allow-disappointment" not in [step["name"] for step in json.loads(result.stdout)]


def test_disabling_an_unknown_plugin_says_so(run_cli):
    result = run_cli("--disable-plugin", "coachflow.plugins.allow_disapointment", "steps")

    assert result.exit_code == 0
    assert result.stderr == ("Warning: --disable-plugin coachflow.plugins.allow_disapointment: there is no plugin "
                             "with that name (did you mean 'coachflow.plugins.allow_disappointment'?); "
                             "'coachflow plugins' lists them\n")


def test_disabling_one_of_two_conflicting_plugins_makes_the_step_usable(site, run_cli):
    site.distribution("a-dist", {"first": "first_nudge"}, modules={"first_nudge": step_plugin(title="First")})
    site.distribution("b-dist", {"second": "second_nudge"}, modules={"second_nudge": step_plugin(title="Second")})

    result = run_cli("--disable-plugin", "first", "steps", "nudge")

    assert result.exit_code == 0, result.output
    assert "nudge  (from second; runs on rejection)" in result.stdout


# --- failures ------------------------------------------------------------------------


def test_a_plugin_that_fails_to_import_is_one_warning_and_the_rest_works(site, run_cli, tmp_path):
    site.distribution("broken-dist", {"broken": "broken_plugin"},
                      modules={"broken_plugin": "import coachflow\nimport a_module_that_is_not_there\n"})
    site.distribution("coachflow-nudge", {"nudge": "nudge_plugin"}, modules={"nudge_plugin": step_plugin()})

    result = run_cli("run", "rejection", "--company", "Acme", "-w", workflow_file(tmp_path, "nudge"))

    assert result.exit_code == 0, result.output
    assert result.stderr == ("Warning: plugin 'broken' was left out: it failed to import (broken_plugin.py:2: "
                             "ModuleNotFoundError: No module named 'a_module_that_is_not_there')\n")
    assert "To do: Nudge from Acme" in result.stdout
    listed = plugins_json(run_cli("plugins", "--format", "json"))["broken"]
    assert (listed["status"], listed["version"]) == ("failed", "1.0")
    assert listed["error"].startswith("it failed to import (broken_plugin.py:2: ModuleNotFoundError")


def test_plugins_text_lists_a_failed_plugin_with_its_error(site, run_cli):
    site.distribution("broken-dist", {"broken": "broken_plugin"}, modules={"broken_plugin": "1 / 0\n"})

    result = run_cli("plugins")

    assert re.search(r"broken 1.0  \[failed\]\n    from:     entry point, distribution broken-dist: broken_plugin\n"
                     r"    import:   \d+ ms\n"
                     r"    error:    it failed to import \(broken_plugin.py:1: ZeroDivisionError: division by zero\)\n",
                     result.stdout), result.stdout


def test_a_plugin_that_exits_while_importing_does_not_end_coachflow(site, run_cli):
    site.distribution("rude-dist", {"rude": "rude_plugin"}, modules={"rude_plugin": "import sys\nsys.exit(3)\n"})

    result = run_cli("steps")

    assert result.exit_code == 0
    assert "plugin 'rude' was left out: it failed to import (rude_plugin.py:2: SystemExit: 3)" in result.stderr


def test_a_hook_asking_for_an_argument_the_spec_lacks_is_rejected(site):
    site.distribution("odd-dist", {"odd": "odd_plugin"}, modules={"odd_plugin": """
        import coachflow

        @coachflow.hookimpl
        def register_steps(register, registry):
            pass
    """})

    host = build_host()

    assert host.plugin("odd").status == "failed"
    assert host.warnings == [
        "plugin 'odd' was left out: its register_steps() asks for 'registry', which coachflow does not pass; "
        "the hook passes register (take any of them, by name)"
    ]


def test_a_misspelt_hook_is_rejected_with_a_suggestion(site):
    site.distribution("typo-dist", {"typo": "typo_plugin"}, modules={"typo_plugin": """
        import coachflow

        @coachflow.hookimpl
        def register_step(register):
            pass
    """})

    host = build_host()

    assert host.warnings == ["plugin 'typo' was left out: 'register_step' is marked as a hook implementation, but "
                             "it is not a hook coachflow has (did you mean 'register_steps'?)"]


def test_a_step_class_with_a_misspelt_workflow_hook_is_rejected(site):
    site.distribution("typo-dist", {"typo": "typo_plugin"}, modules={"typo_plugin": """
        import coachflow

        class Nudge(coachflow.Step):
            name = "nudge"

            @coachflow.hookimpl
            def on_rejection(self, event, ctx):
                return None

            @coachflow.hookimpl
            def on_feedbak(self, event, ctx):
                return None

        @coachflow.hookimpl
        def register_steps(register):
            register(Nudge)
    """})

    host = build_host()

    assert "nudge" not in host.registry.steps
    assert host.warnings == [
        "plugin 'typo' was left out: its register_steps hook failed (typo_plugin.py:17: TypeError: step class Nudge: 'on_feedbak' is "
        "marked as a hook implementation, but it is not a hook a step can implement (did you mean 'on_feedback'?))"
    ]


def test_a_step_hook_with_an_unknown_argument_is_rejected(site):
    site.distribution("odd-dist", {"odd": "odd_plugin"}, modules={"odd_plugin": """
        import coachflow

        class Nudge(coachflow.Step):
            name = "nudge"

            @coachflow.hookimpl
            def on_rejection(self, event, context):
                return None

        @coachflow.hookimpl
        def register_steps(register):
            register(Nudge)
    """})

    host = build_host()

    assert host.plugin("odd").status == "failed"
    assert "its on_rejection() asks for 'context', which coachflow does not pass; the hook passes event, ctx" \
        in host.warnings[0]


def test_registration_that_raises_is_one_warning(site):
    site.distribution("raising-dist", {"raising": "raising_plugin"}, modules={"raising_plugin": """
        import coachflow

        @coachflow.hookimpl
        def register_steps(register):
            raise RuntimeError("the API key is missing")
    """})

    host = build_host()

    assert host.plugin("raising").status == "failed"
    assert host.warnings == ["plugin 'raising' was left out: its register_steps hook failed (raising_plugin.py:6: "
                             "RuntimeError: the API key is missing)"]
    assert "allow-disappointment" in host.registry.steps


def test_registering_something_that_is_not_a_step_is_one_warning(site):
    site.distribution("odd-dist", {"odd": "odd_plugin"}, modules={"odd_plugin": """
        import coachflow

        @coachflow.hookimpl
        def register_steps(register):
            register("nudge")
    """})

    host = build_host()

    assert host.warnings == ["plugin 'odd' was left out: its register_steps hook failed (odd_plugin.py:6: TypeError: register() "
                             "takes a step class, got 'nudge')"]


def test_two_plugins_offering_the_same_step_name_is_a_clear_error(site, run_cli, tmp_path):
    site.distribution("a-dist", {"first": "first_nudge"}, modules={"first_nudge": step_plugin(title="First")})
    site.distribution("b-dist", {"second": "second_nudge"}, modules={"second_nudge": step_plugin(title="Second")})
    warning = ("Warning: step 'nudge' is offered by more than one plugin (first and second), so no workflow can "
               "use it; switch one off with --disable-plugin second\n")

    listed = run_cli("steps")
    explained = run_cli("steps", "nudge")
    validated = run_cli("validate", workflow_file(tmp_path, "nudge"))
    plugins = plugins_json(run_cli("plugins", "--format", "json"))

    assert listed.exit_code == 0 and listed.stderr == warning
    assert "nudge                 unavailable: offered by both first and second" in listed.stdout
    assert explained.exit_code == 2
    assert explained.stderr == warning + ("Error: step 'nudge' is offered by more than one plugin (first and "
                                          "second), so no workflow can use it; switch one off with "
                                          "--disable-plugin second\n")
    assert validated.exit_code == 2
    assert "steps[1].uses: step 'nudge' is offered by both first and second" in validated.stderr
    assert plugins["first"]["conflicts"] == [{"step": "nudge", "plugins": ["first", "second"]}]


def test_one_plugin_registering_a_step_twice_is_one_warning(site):
    site.distribution("twice-dist", {"twice": "twice_plugin"}, modules={"twice_plugin": step_plugin() + """
@coachflow.hookimpl
def register_milestone_kinds(register):
    register("portfolio-published", "a portfolio piece went live")

@coachflow.hookimpl(specname="register_steps")
def register_again(register):
    register(Nudge)
"""})

    host = build_host()

    assert host.warnings == ["plugin 'twice' was left out: its register_steps hook failed (twice_plugin.py:25: TypeError: step 'nudge' "
                             "is registered twice)"]
    assert "portfolio-published" not in host.registry.milestone_kinds


def test_a_broken_entry_point_never_breaks_help(site, run_cli):
    site.distribution("ghost-dist", {"ghost": "ghost_plugin_not_installed:plugin"})

    result = run_cli("--help")
    listed = run_cli("plugins")

    # --help imports no installed plugin, so it does not even notice; 'plugins' says what is wrong
    assert (result.exit_code, result.stderr) == (0, "")
    assert "Commands:" in result.stdout and "run " in result.stdout
    assert listed.stderr == ("Warning: plugin 'ghost' was left out: it failed to import (ModuleNotFoundError: "
                             "No module named 'ghost_plugin_not_installed')\n")


def test_a_built_in_command_loads_no_plugin_at_all(site, run_cli):
    site.distribution("ghost-dist", {"ghost": "ghost_plugin_not_installed"})

    result = run_cli("init", "--help")

    assert result.exit_code == 0
    assert result.stderr == ""


def test_a_bad_switch_value_is_one_error_line(run_cli):
    result = run_cli("steps", env={"COACHFLOW_NO_PLUGINS": "maybe"})

    assert result.exit_code == 2
    assert result.stderr == ("Error: COACHFLOW_NO_PLUGINS: 'maybe' is not a switch; use 1 to turn it on or 0 "
                             "to turn it off\n")


# --- plugin commands --------------------------------------------------------------

COMMAND_PLUGIN = """
import click
import coachflow


@coachflow.hookimpl
def register_commands(cli):
    @cli.command(name="{name}")
    @click.option("--who", default="you")
    def greet(who):
        '''Say hello from a plugin.'''
        click.echo(f"Hello {{who}}, from {name}")
"""


def test_a_plugin_adds_a_subcommand(site, run_cli, tmp_path):
    marker = tmp_path / "imported"
    site.distribution("hello-dist", {"hello": "hello_plugin"}, commands={"hello": "hello_plugin"}, modules={
        "hello_plugin": f"open({str(marker)!r}, 'a').write('imported ')\n" + COMMAND_PLUGIN.format(name="hello")})

    help_text = run_cli("--help")
    imported_for_help = marker.exists()
    own_help = run_cli("hello", "--help")
    result = run_cli("hello", "--who", "Sam")

    # --help lists what the distribution declares, without importing the plugin
    assert "hello     A command of the plugin hello (see 'coachflow hello --help')." in help_text.stdout
    assert not imported_for_help
    assert "Say hello from a plugin." in own_help.stdout
    assert (result.exit_code, result.stdout) == (0, "Hello Sam, from hello\n")
    assert plugins_json(run_cli("plugins", "--format", "json"))["hello"]["commands"] == ["hello"]


def test_a_command_its_plugin_does_not_declare_still_runs_and_plugins_says_so(site, run_cli):
    site.distribution("hello-dist", {"hello": "hello_plugin"}, modules={"hello_plugin": COMMAND_PLUGIN.format(name="hello")})

    help_text = run_cli("--help")
    result = run_cli("hello", "--who", "Sam")
    listed = run_cli("plugins")

    assert "hello" not in help_text.stdout.split("Commands:")[1]
    assert (result.exit_code, result.stdout) == (0, "Hello Sam, from hello\n")
    assert listed.stderr == ("Warning: plugin 'hello' adds the command hello without declaring it, so "
                             "'coachflow --help' does not list it; its distribution declares commands under "
                             "[project.entry-points.\"coachflow.commands\"] (see docs/plugin-tutorial.md)\n")


def test_a_broken_command_hook_leaves_the_other_plugins_commands(site, run_cli):
    site.distribution("hello-dist", {"hello": "hello_plugin"}, commands={"hello": "hello_plugin"},
                      modules={"hello_plugin": COMMAND_PLUGIN.format(name="hello")})
    site.distribution("bad-dist", {"bad": "bad_plugin"}, modules={"bad_plugin": """
        import coachflow

        @coachflow.hookimpl
        def register_commands(cli):
            raise ValueError("no commands today")
    """})

    help_text = run_cli("--help")
    result = run_cli("hello")
    listed = run_cli("plugins", "--format", "json")

    assert help_text.exit_code == 0 and "hello" in help_text.stdout
    assert result.stdout == "Hello you, from hello\n"
    assert listed.stderr == ("Warning: plugin 'bad': its register_commands hook failed (bad_plugin.py:6: "
                             "ValueError: no commands today); its commands are left out\n")
    bad = plugins_json(listed)["bad"]
    assert (bad["status"], bad["commands"]) == ("ok", [])
    assert bad["command_error"] == "its register_commands hook failed (bad_plugin.py:6: ValueError: no commands today)"


def test_a_plugin_command_cannot_replace_a_built_in_one(site, run_cli, tmp_path):
    site.distribution("run-dist", {"runner": "run_plugin"}, commands={"run": "run_plugin"},
                      modules={"run_plugin": COMMAND_PLUGIN.format(name="run")})

    result = run_cli("--help")
    listed = run_cli("plugins")

    assert "Record an event" in result.stdout and result.stderr == ""
    assert listed.stderr == ("Warning: plugin 'runner' adds a command 'run', which coachflow already has; the "
                             "plugin's one is left out\n")


def test_two_plugins_adding_the_same_command_get_neither(site, run_cli):
    site.distribution("a-dist", {"first": "first_cmd"}, modules={"first_cmd": COMMAND_PLUGIN.format(name="hello")})
    site.distribution("b-dist", {"second": "second_cmd"}, modules={"second_cmd": COMMAND_PLUGIN.format(name="hello")})

    result = run_cli("hello")

    assert result.exit_code == 2
    assert result.stderr.startswith("Warning: command 'hello' is offered by more than one plugin (first and "
                                    "second), so neither is available; switch one off with --disable-plugin second\n"
                                    "Error: No such command 'hello'.")


# --- tracing ------------------------------------------------------------------------


def test_trace_shows_each_hook_call_with_its_implementations_and_results(tmp_path, run_cli):
    (tmp_path / "my_steps.py").write_text(step_plugin("ask-a-friend", "Tell a friend about"), encoding="utf-8")
    workflow = workflow_file(tmp_path, "allow-disappointment", "ask-a-friend")
    args = ("run", "rejection", "--company", "Acme", "--date", "2026-03-16", "-w", workflow)

    traced = run_cli("--plugin", str(tmp_path / "my_steps.py"), "--trace", *args)
    plain = run_cli("--plugin", str(tmp_path / "my_steps.py"), *args, "--again")  # the same event, twice

    assert traced.exit_code == 0, traced.output
    lines = traced.stderr.splitlines()
    assert "trace: plugins: register_steps(register=<function register_step>)" in lines
    assert ("trace: plugins:   1. my_steps: coachflow_local_plugin_my_steps.register_steps" in lines)
    assert "trace: workflow 'Test':   1. ask-a-friend: coachflow_local_plugin_my_steps.Nudge.on_rejection" in lines
    assert "trace: workflow 'Test':   on_rejection returned task 'Tell a friend about Acme'" in lines
    rejection_calls = [line for line in lines if line.startswith("trace: workflow 'Test': on_rejection(")]
    assert rejection_calls[0] == ("trace: workflow 'Test': on_rejection(event=Rejection(company='Acme', "
                                  "stage='application', date=2026-03-16), ctx=<step context "
                                  "'allow-disappointment' at 2026-03-16T09:30>)")
    assert len(rejection_calls) == 2
    assert traced.stdout.replace("\n", "") != "" and plain.stderr == ""
    assert any(re.fullmatch(r"trace: plugins: imported my_steps in \d+\.\d{3} s", line) for line in lines)
    env_traced = run_cli("run", "rejection", "--company", "Acme", "--dry-run", env={"COACHFLOW_TRACE": "1"}).stderr
    assert env_traced.startswith("trace: plugins: imported coachflow.plugins.")
    assert "trace: plugins: register_steps(" in env_traced


class FailingStep(coachflow.Step):
    """Fails on every rejection."""

    name = "failing"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        raise ValueError("the mail server is down")


#: The line of the plugin's code that raises, which --trace names.
RAISED_AT = next(number for number, line in enumerate(Path(__file__).read_text().splitlines(), start=1)
                 if 'raise ValueError("the mail server is down")' in line)


class FailingPlugin:
    """Offers :class:`FailingStep`."""

    @coachflow.hookimpl
    def register_steps(self, register):
        register(FailingStep)


def test_the_engine_traces_through_a_writer_and_reports_a_step_that_raises():
    host = build_host(load_entry_points=False, extra_plugins=[("failing-plugin", FailingPlugin())])
    workflow = parse_workflow('[workflow]\nname = "T"\n[[steps]]\nuses = "failing"\n', host.registry)
    lines: list[str] = []

    result = WorkflowRunner(workflow, trace=lines.append).run(
        Rejection(company="Acme", date=dt.date(2026, 3, 16)), journal=open_journal(IN_MEMORY),
        now=dt.datetime(2026, 3, 16, 9, 30))

    assert [error.error for error in result.errors] == ["ValueError: the mail server is down"]
    assert lines == [
        "trace: workflow 'T': on_rejection(event=Rejection(company='Acme', stage='application', date=2026-03-16), "
        "ctx=<step context 'failing' at 2026-03-16T09:30>)",
        "trace: workflow 'T':   1. failing: test_plugins.FailingStep.on_rejection",
        f"trace: workflow 'T':   on_rejection raised test_plugins.py:{RAISED_AT}: ValueError: the mail server is down",
    ]


@pytest.mark.parametrize("flag", ["-v", "--trace"])
def test_a_step_that_raises_shows_where_with_verbose_or_trace(tmp_path, run_cli, flag):
    plugin = tmp_path / "divides.py"
    plugin.write_text(
        "import coachflow\n\n"
        "class Divides(coachflow.Step):\n"
        "    '''Divides by the number of offers.'''\n"
        "    name = 'divides'\n\n"
        "    @coachflow.hookimpl\n"
        "    def on_rejection(self, event, ctx):\n"
        "        return 1 / 0\n\n"
        "@coachflow.hookimpl\n"
        "def register_steps(register):\n"
        "    register(Divides)\n", encoding="utf-8")
    args = ["run", "rejection", "--company", "Acme", "--dry-run", "-w", workflow_file(tmp_path, "divides")]

    plain = run_cli("--plugin", str(plugin), *args)
    shown = run_cli("--plugin", str(plugin), "--trace", *args) if flag == "--trace" else \
        run_cli("--plugin", str(plugin), *args, "-v")

    assert plain.exit_code == shown.exit_code == 1
    assert "Traceback" not in plain.output
    assert (f'Step divides (divides) raised:\nTraceback (most recent call last):\n  File "{plugin}", line 9, '
            "in on_rejection\n    return 1 / 0\n") in shown.stderr
    assert "ZeroDivisionError: division by zero\n" in shown.stderr


CHATTY = """
import coachflow

print("loading the chatty plugin")

class Chatty(coachflow.Step):
    '''Prints while it works.'''

    name = "chatty"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        print("thinking about", event.company)
        return coachflow.Action(kind="task", title=f"Write to {event.company}")

@coachflow.hookimpl
def register_steps(register):
    print("registering")
    register(Chatty)
"""


@pytest.mark.parametrize("command", [["plugins", "--format", "json"], ["run", "rejection", "--company", "Acme",
                                                                       "--dry-run", "--format", "json"]])
def test_what_a_plugin_prints_never_reaches_json_output(tmp_path, run_cli, command):
    plugin = tmp_path / "chatty.py"
    plugin.write_text(CHATTY, encoding="utf-8")
    if command[0] == "run":
        command = [*command, "-w", workflow_file(tmp_path, "chatty")]

    result = run_cli("--plugin", str(plugin), *command)

    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # nothing but the JSON
    assert "plugin chatty: loading the chatty plugin\n" in result.stderr
    assert "plugin chatty: registering\n" in result.stderr
    if command[0] == "run":
        assert "step chatty: thinking about Acme\n" in result.stderr


def test_what_a_plugin_prints_stays_on_stdout_for_text_output(tmp_path, run_cli):
    plugin = tmp_path / "chatty.py"
    plugin.write_text(CHATTY, encoding="utf-8")

    result = run_cli("--plugin", str(plugin), "run", "rejection", "--company", "Acme", "--dry-run",
                     "-w", workflow_file(tmp_path, "chatty"))

    assert "thinking about Acme\n" in result.stdout
