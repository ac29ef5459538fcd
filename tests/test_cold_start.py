"""Start-up stays light: what ``coachflow --help`` and ``coachflow run`` import.

Nothing here is timed (benchmarks/cold_start.py measures); these tests lock in
which modules a command imports, in a fresh process as a user starts it.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import coachflow
from coachflow.cli import BUILTIN_COMMANDS, cli
from coachflow.plugin.discovery import installed_entry_points
from coachflow.plugins import BUILTIN_PLUGINS

#: Runs the command line in-process and prints, as JSON, the modules it imported.
IMPORTED_MODULES = """
import json, sys
from coachflow.cli import cli
code = cli.main(sys.argv[1:], standalone_mode=False)
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def python(*arguments: str, home, env: dict[str, str] | None = None, check: bool = False):
    """Run a fresh ``python ARGUMENTS`` as a user with an empty ``home`` would, no COACHFLOW_ variable set."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COACHFLOW_")}
    environment.update({"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), **(env or {})})
    return subprocess.run([sys.executable, *arguments], env=environment, cwd=home, capture_output=True,
                          text=True, check=check)


def modules_imported_by(*arguments: str, home, env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh ``coachflow ARGUMENTS`` process has imported when it ends."""
    result = python("-c", IMPORTED_MODULES, *arguments, home=home, env=env, check=True)
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["code"] == 0, result.stderr
    return set(report["modules"])


@pytest.fixture
def no_installed_plugins():
    if installed_entry_points():
        pytest.skip("a coachflow plugin is installed in this environment; --help loads plugins then")


def test_help_imports_no_command_module_no_plugin_and_no_model(tmp_path, no_installed_plugins):
    imported = modules_imported_by("--help", home=tmp_path)

    assert "coachflow.cli" in imported
    assert not {m for m in imported if m.startswith("coachflow.cli.")}
    assert not {m for m in imported if m.startswith("coachflow.plugins")}
    assert not imported & {"coachflow.models", "coachflow.steps", "coachflow.workflow", "coachflow.engine",
                           "coachflow.journal", "cattrs", "sqlite3", "tomllib", "platformdirs"}
    # nor the plugin host: listing plugin commands needs only what installed plugins declare
    assert not imported & {"coachflow.plugin.host", "pluggy", "attrs", "attr"}


def test_help_with_plugins_switched_off_reads_no_installed_plugin_list(tmp_path):
    imported = modules_imported_by("--help", home=tmp_path, env={"COACHFLOW_NO_PLUGINS": "1"})

    assert not {m for m in imported if m.startswith("coachflow.plugins")}
    assert "importlib.metadata" not in imported


def test_a_built_in_command_imports_only_its_own_module(tmp_path):
    imported = modules_imported_by("init", "--help", home=tmp_path)

    assert "coachflow.cli.workflow_commands" in imported
    assert not imported & {"coachflow.cli.journal_commands", "coachflow.cli.report_commands",
                           "coachflow.cli.plugin_commands"}
    assert not {m for m in imported if m.startswith("coachflow.plugins")}


def test_built_in_plugins_add_no_commands():
    # `coachflow --help` relies on this to list commands without loading plugins;
    # a built-in command belongs in BUILTIN_COMMANDS.
    for module_name in BUILTIN_PLUGINS:
        assert not hasattr(importlib.import_module(module_name), "register_commands"), module_name


@pytest.mark.parametrize("name", sorted(BUILTIN_COMMANDS))
def test_help_lists_each_command_with_the_summary_its_own_help_starts_with(name):
    listed = CliRunner().invoke(cli, ["--help"], prog_name="coachflow", terminal_width=200)
    own = CliRunner().invoke(cli, [name, "--help"], prog_name="coachflow", terminal_width=200)
    summary = BUILTIN_COMMANDS[name].summary

    assert f"  {name}" in listed.stdout and summary in listed.stdout
    assert own.stdout.split("\n\n")[1].strip() == summary


def test_help_lists_a_command_from_a_plugin_file(tmp_path):
    plugin = tmp_path / "greeter.py"
    plugin.write_text(
        "import click, coachflow\n\n"
        "@coachflow.hookimpl\n"
        "def register_commands(cli):\n"
        "    @cli.command()\n"
        "    def greet():\n"
        "        '''Say hello from a plugin file.'''\n"
        "        click.echo('hello')\n",
        encoding="utf-8",
    )

    listed = CliRunner().invoke(cli, ["--plugin", str(plugin), "--help"], prog_name="coachflow")
    ran = CliRunner().invoke(cli, ["--plugin", str(plugin), "greet"], prog_name="coachflow")

    assert "greet     Say hello from a plugin file." in listed.stdout
    assert (ran.exit_code, ran.stdout) == (0, "hello\n")


def test_the_public_names_load_on_first_use_and_stay_the_same_objects():
    from coachflow.models import Action
    from coachflow.steps import Step

    assert coachflow.Action is Action and coachflow.Step is Step
    assert coachflow.hookimpl is coachflow.hookimpl
    assert set(coachflow.__all__) <= set(dir(coachflow))
    with pytest.raises(AttributeError, match="no attribute 'Stpe'"):
        coachflow.Stpe  # noqa: B018


def test_a_rejection_without_a_reason_compiles_no_theme_pattern(tmp_path):
    # A blank text cannot mention a theme; compiling the keywords' patterns for it was
    # most of the time the six built-in steps took on such a rejection.
    script = ("from coachflow.cli import cli\nfrom coachflow import themes\n"
              "cli.main(['run', 'rejection', '--company', 'Acme', '--dry-run'], standalone_mode=False)\n"
              "print(themes._pattern.cache_info().misses, themes._clause_patterns.cache_info().misses)\n")
    result = python("-c", script, home=tmp_path, check=True)

    assert result.stdout.splitlines()[-1] == "0 0"


def test_a_run_imports_no_json_and_no_local_plugin_loader(tmp_path):
    # modules_imported_by imports json itself to report, so this one looks on its own. A
    # milestone: a rejection's reason verdict is stored as JSON text, so a rejection needs json.
    script = ("import sys\nbefore = set(sys.modules)\nfrom coachflow.cli import cli\n"
              "cli.main(['run', 'milestone', '--kind', 'applied', '--company', 'Acme', '--dry-run'], "
              "standalone_mode=False)\n"
              "print(sorted({'json', 'importlib.util'} & (set(sys.modules) - before)))\n")
    result = python("-c", script, home=tmp_path, check=True)

    assert "Milestone: Acme (applied)" in result.stdout
    assert result.stdout.splitlines()[-1] == "[]"



#: A dry run of the built-in workflow, as the cold-start benchmark times it.
DRY_RUN = ("run", "rejection", "--company", "Acme", "--role", "Data Analyst", "--stage", "interview", "--dry-run")


def test_a_dry_run_imports_no_report_and_no_practice_board(tmp_path):
    # A run never asks for a period's counts, a coach's notes or the board: their records are
    # defined beside the code that reads them, not in the journal interface every run imports.
    imported = modules_imported_by(*DRY_RUN, home=tmp_path)

    assert "coachflow.journal.sqlite" in imported
    assert not imported & {"coachflow.journal.periods", "coachflow.practice"}
    assert not {m for m in imported if m.startswith("coachflow.report")}


def test_a_dry_run_for_no_client_imports_no_client_settings(tmp_path):
    # No --client and a workflow that uses no client's value: nothing to fill in or look up.
    imported = modules_imported_by(*DRY_RUN, home=tmp_path)

    assert "coachflow.workflow" in imported
    assert "coachflow.clients" not in imported


def test_a_run_for_no_client_still_refuses_a_workflow_that_needs_one(tmp_path):
    (tmp_path / "coachflow.toml").write_text(
        '[workflow]\nname = "Personal"\n\n[[steps]]\nuses = "allow-disappointment"\n'
        'with = { check_in = "{client_name}, check in." }\n', encoding="utf-8")

    result = python("-m", "coachflow", *DRY_RUN, home=tmp_path)

    assert result.returncode == 2
    assert result.stderr == (f"Error: {tmp_path / 'coachflow.toml'}: step allow-disappointment uses {{client_name}}, "
                             "a client's value; run it for a client with --client NAME\n")

# --- the process the coachflow command runs in -----------------------------------


def test_python_m_coachflow_is_the_coachflow_command(tmp_path):
    result = python("-m", "coachflow", "--version", home=tmp_path)

    assert (result.returncode, result.stdout, result.stderr) == (0, f"coachflow, version {coachflow.__version__}\n", "")


def test_a_plugin_object_in_a_reference_cycle_still_flushes_its_file_when_the_command_ends(tmp_path):
    # A plugin's objects are collected, and their files flushed, like any program's.
    log = tmp_path / "plugin.log"
    plugin = tmp_path / "keeps_a_log.py"
    plugin.write_text(
        "import coachflow\n\n"
        "class Log:\n"
        "    def __init__(self, path):\n"
        "        self.file = open(path, 'a', encoding='utf-8')\n"
        "        self.itself = self  # only the garbage collector frees it, and closes the file\n\n"
        f"LOG = Log({str(log)!r})\n\n"
        "@coachflow.hookimpl\n"
        "def register_milestone_kinds(register):\n"
        "    LOG.file.write('loaded\\n')\n",
        encoding="utf-8",
    )
    result = python("-m", "coachflow", "--plugin", str(plugin), "run", "rejection", "--company", "Acme", "--dry-run",
                    home=tmp_path)

    assert result.returncode == 0, result.stderr
    assert log.read_text(encoding="utf-8") == "loaded\n"
