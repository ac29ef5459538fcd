"""Installed plugins: found through their distributions' ``coachflow`` entry points
(``importlib.metadata``), loaded as the entry point names them, and left out with
one warning when they fail."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from support.fake_plugins import site  # noqa: F401  (a fixture)

from coachflow.cli import cli


def test_an_entry_point_loads_its_module_and_attribute(site) -> None:
    from coachflow.plugin.host import build_host

    site.distribution("coachflow-demo-plugin", {"demo": "coachflow_demo_plugin:Holder.plugin"}, modules={
        "coachflow_demo_plugin": "import coachflow\n\nclass Holder:\n    class plugin:\n"
                                 "        @coachflow.hookimpl\n        def register_milestone_kinds(register):\n"
                                 "            register('demo-done', 'A demo.')\n"})

    (info,) = [info for info in build_host().plugins if info.name == "demo"]
    assert (info.source, info.location, info.distribution, info.version) == (
        "entry point", "coachflow_demo_plugin:Holder.plugin", "coachflow-demo-plugin", "1.0")
    assert (info.status, info.milestone_kinds) == ("ok", ["demo-done"])


def test_an_installed_plugin_that_fails_to_import_is_a_warning(site) -> None:
    site.distribution("coachflow-broken-plugin", {"broken": "coachflow_broken_plugin"}, modules={
        "coachflow_broken_plugin": "raise ImportError('needs a library that is missing')\n"})

    result = CliRunner().invoke(cli, ["steps"])

    assert result.exit_code == 0
    assert result.stderr == ("Warning: plugin 'broken' was left out: it failed to import "
                             "(coachflow_broken_plugin.py:1: ImportError: needs a library that is missing)\n")
    assert "allow-disappointment" in result.stdout


def test_a_run_of_built_in_steps_imports_no_installed_plugin(site, tmp_path: Path) -> None:
    from support.fake_plugins import step_plugin

    marker = tmp_path / "imported"
    site.distribution("coachflow-nudge", {"nudge": "coachflow_nudge"}, modules={
        "coachflow_nudge": f"open({str(marker)!r}, 'w').close()\n" + step_plugin("nudge")})

    built_in = CliRunner().invoke(cli, ["run", "rejection", "--company", "Acme", "--dry-run"])
    assert built_in.exit_code == 0, built_in.output
    assert not marker.exists()

    workflow = tmp_path / "coachflow.toml"
    workflow.write_text('[workflow]\nname = "Nudges"\n\n[[steps]]\nuses = "nudge"\n', encoding="utf-8")
    with_plugin = CliRunner().invoke(cli, ["run", "rejection", "--company", "Acme", "--dry-run", "-w", str(workflow)])
    assert with_plugin.exit_code == 0, with_plugin.output
    assert "Nudge from Acme" in with_plugin.stdout
    assert marker.exists()


def test_a_milestone_kind_from_an_installed_plugin_loads_it(site) -> None:
    site.distribution("coachflow-kinds", {"kinds": "coachflow_kinds"}, modules={"coachflow_kinds": (
        "import coachflow\n\n@coachflow.hookimpl\ndef register_milestone_kinds(register):\n"
        "    register('referral-asked', 'You asked someone for a referral.')\n")})

    result = CliRunner().invoke(cli, ["run", "milestone", "--kind", "referral-asked", "--company", "Acme", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "Acme" in result.stdout


SLOW_PLUGIN = """
import time
time.sleep(0.6)

import coachflow

@coachflow.hookimpl
def register_milestone_kinds(register):
    register("slow-kind", "A kind from a slow plugin.")
"""


def test_a_slow_plugin_costs_only_the_commands_that_load_it_and_says_so(site, tmp_path: Path) -> None:
    import json

    site.distribution("coachflow-slow", {"slow": "coachflow_slow"}, modules={"coachflow_slow": SLOW_PLUGIN})
    runner = CliRunner()

    help_text = runner.invoke(cli, ["--help"])
    run = runner.invoke(cli, ["run", "rejection", "--company", "Acme", "--dry-run"])
    listed = runner.invoke(cli, ["plugins"])
    as_json = runner.invoke(cli, ["plugins", "--format", "json"])

    assert (help_text.stderr, run.stderr) == ("", "")  # neither imported it
    # the import sleeps 0.6 s, past the 0.5 s at which a note is due; the figures themselves vary
    assert re.fullmatch(r"Note: plugin 'slow' took \d+\.\d s to import, and every command that loads it waits "
                        r"for that; its author can import heavy libraries inside the functions that use them "
                        r"\(see 'Import lazily' in docs/plugin-tutorial.md\)\n", listed.stderr), listed.stderr
    assert re.search(r"^    import:   (\d+ ms|\d+\.\d s)$", listed.stdout, re.MULTILINE)
    (slow,) = [plugin for plugin in json.loads(as_json.stdout) if plugin["name"] == "slow"]
    assert isinstance(slow["import_seconds"], float)  # imported already, in this process: a small figure


def test_coachflow_load_plugins_is_an_allow_list_of_installed_plugins(site) -> None:
    import json

    from support.fake_plugins import step_plugin

    site.distribution("coachflow-one", {"one": "coachflow_one"}, modules={"coachflow_one": step_plugin("one-step")})
    site.distribution("coachflow-two", {"two": "coachflow_two"}, modules={"coachflow_two": step_plugin("two-step")})

    def listed(value: str) -> dict:  # (the site fixture names its own plugins in the variable too)
        result = CliRunner(env={"COACHFLOW_LOAD_PLUGINS": value}).invoke(cli, ["plugins", "--format", "json"])
        assert result.exit_code == 0, result.output
        return {plugin["name"]: (plugin["status"], plugin["error"]) for plugin in json.loads(result.stdout)
                if plugin["source"] == "entry point"}

    assert listed("two") == {"two": ("ok", None)}
    assert listed("") == {}
    assert listed("one, two") == {"one": ("ok", None), "two": ("ok", None)}


def test_a_plugin_installed_where_the_suite_runs_is_not_seen_by_it(tmp_path: Path, monkeypatch) -> None:
    # What conftest sets up for every test: a plugin someone installed (the example plugin, say,
    # or one that adds a command) changes nothing the suite sees, even in tests that load installed
    # plugins, because COACHFLOW_LOAD_PLUGINS names only the ones a test installs itself.
    import json

    from support.fake_plugins import step_plugin

    (tmp_path / "coachflow_someones.py").write_text(step_plugin("someones-step"), encoding="utf-8")
    info = tmp_path / "coachflow_someones-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: coachflow-someones\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[coachflow]\nsomeones = coachflow_someones\n\n"
                                           "[coachflow.commands]\nsomeones = coachflow_someones\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("COACHFLOW_NO_PLUGINS")

    listed = CliRunner().invoke(cli, ["plugins", "--format", "json"])
    help_text = CliRunner().invoke(cli, ["--help"])

    assert "someones" not in [plugin["name"] for plugin in json.loads(listed.stdout)]
    assert "someones" not in help_text.stdout


NETWORKING = """
import coachflow

class Nudge(coachflow.Step):
    '''Nudge a contact after a rejection.'''

    name = "networking-nudge"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return coachflow.Action(kind="task", title=f"Tell a contact about {event.company}")

@coachflow.hookimpl
def register_steps(register):
    register(Nudge)

@coachflow.hookimpl
def register_milestone_kinds(register):
    register("referral-asked", "You asked someone for a referral.")
"""

OFF_NOTE = ("plugin 'networking' is switched off with --disable-plugin or COACHFLOW_DISABLE_PLUGINS, and may "
            "offer it: 'coachflow plugins' lists it; switch it back on to use it")


def test_what_a_switched_off_plugin_offers_is_refused_with_its_name(site, tmp_path: Path) -> None:
    site.distribution("coachflow-networking", {"networking": "coachflow_networking"},
                      modules={"coachflow_networking": NETWORKING})
    workflow = tmp_path / "coachflow.toml"
    workflow.write_text('[workflow]\nname = "Net"\n\n[[steps]]\nuses = "networking-nudge"\n', encoding="utf-8")
    journal = tmp_path / "journal.sqlite3"
    runner = CliRunner(env={"COACHFLOW_JOURNAL": str(journal)})
    assert runner.invoke(cli, ["run", "milestone", "--kind", "referral-asked", "--company", "Acme"]).exit_code == 0
    exported = runner.invoke(cli, ["export"])
    (tmp_path / "export.jsonl").write_text(exported.stdout, encoding="utf-8")
    off = ["--disable-plugin", "networking"]

    validated = runner.invoke(cli, [*off, "validate", str(workflow)])
    ran = runner.invoke(cli, [*off, "run", "milestone", "--kind", "referral-asked", "--company", "Beta"])
    imported = runner.invoke(cli, [*off, "import", str(tmp_path / "export.jsonl")])

    assert validated.exit_code == ran.exit_code == imported.exit_code == 2
    assert validated.stderr == (f"Error: {workflow}:5: steps[1].uses: unknown step type 'networking-nudge'; "
                                f"'coachflow steps' lists them; {OFF_NOTE}\n")
    assert ran.stderr.startswith("Error: --kind: 'referral-asked' is not a milestone kind; use one of ")
    assert ran.stderr.endswith(f"; {OFF_NOTE}\n")
    assert imported.stderr.endswith(f"; {OFF_NOTE}\n") and "'referral-asked' is not a milestone kind" in imported.stderr


KINDS = """
import coachflow

@coachflow.hookimpl
def register_milestone_kinds(register):
    register("referral-asked", "You asked someone for a referral.")
    register("portfolio-published", "You published a piece of work.", win=True)
    register("applied", "My own idea of applying.")
"""


def test_milestone_kinds_are_described_say_whether_they_are_wins_and_keep_the_built_in_ones(site) -> None:
    import json

    site.distribution("coachflow-kinds", {"kinds": "coachflow_kinds"}, modules={"coachflow_kinds": KINDS})

    listed = CliRunner().invoke(cli, ["kinds"], env={"COLUMNS": "200"})  # wide: one line per kind
    as_json = {row["kind"]: row for row in json.loads(CliRunner().invoke(cli, ["kinds", "--format", "json"]).stdout)}
    help_text = CliRunner().invoke(cli, ["run", "milestone", "--help"], terminal_width=200)

    assert listed.exit_code == 0, listed.output
    assert listed.stderr == ("Warning: plugin 'kinds' registers the milestone kind 'applied', which is built in; "
                             "the built-in one is kept and the plugin's is left out\n")
    assert "referral-asked        You asked someone for a referral. (from plugin kinds)\n" in listed.stdout
    assert "portfolio-published   You published a piece of work. (a win; from plugin kinds)\n" in listed.stdout
    assert "applied               an application was sent; opens it in the pipeline\n" in listed.stdout
    assert as_json["referral-asked"] == {"kind": "referral-asked", "description": "You asked someone for a referral.",
                                         "win": False, "plugin": "kinds", "workflow": None}
    assert as_json["portfolio-published"]["win"] is True and as_json["applied"]["plugin"] is None
    assert "Milestone kinds (--kind):" in help_text.stdout
    assert "referral-asked        You asked someone for a referral. (from plugin kinds)" in help_text.stdout
