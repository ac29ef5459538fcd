"""`coachflow plugins new NAME`: a plugin package that installs, loads and passes its own tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

from click.testing import CliRunner

from coachflow.cli import cli


def test_a_new_plugin_is_a_package_whose_tests_pass(tmp_path):
    result = CliRunner().invoke(cli, ["plugins", "new", "thank-you", "--directory", str(tmp_path)])

    folder = tmp_path / "coachflow-thank-you"
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"Wrote {folder}. Try it: cd {folder} && pip install -e '.[test]' && python -m pytest\n")
    project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "coachflow-thank-you"
    assert project["project"]["entry-points"]["coachflow"] == {"thank-you": "coachflow_thank_you"}
    assert (folder / "README.md").is_file()

    # The plugin loads as a --plugin file would, and its own tests pass with coachflow's fixtures.
    module = folder / "src" / "coachflow_thank_you" / "__init__.py"
    steps = CliRunner().invoke(cli, ["--plugin", str(module), "steps", "thank-you"])
    assert steps.exit_code == 0, steps.output
    assert "After a rejection, one question to think about." in steps.stdout
    environment = {**os.environ, "PYTHONPATH": str(folder / "src")}
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=folder,
                           env=environment, capture_output=True, text=True)
    assert "2 passed" in tests.stdout, tests.stdout + tests.stderr


def test_a_new_plugin_needs_a_plain_name_and_a_free_folder(tmp_path):
    bad = CliRunner().invoke(cli, ["plugins", "new", "Thank You", "-d", str(tmp_path)])
    CliRunner().invoke(cli, ["plugins", "new", "twice", "-d", str(tmp_path)])
    again = CliRunner().invoke(cli, ["plugins", "new", "twice", "-d", str(tmp_path)])

    assert (bad.exit_code, bad.stderr) == (2, "Error: 'Thank You' is not a plugin name; use lower-case words joined "
                                              "by hyphens, such as 'thank-you'\n")
    assert (again.exit_code, again.stderr) == (2, f"Error: {tmp_path / 'coachflow-twice'}: already exists; choose "
                                                  "another name or folder\n")


def test_plugins_name_shows_one_plugin_with_its_steps(tmp_path):
    shown = CliRunner().invoke(cli, ["plugins", "coachflow.plugins.allow_disappointment"])
    unknown = CliRunner().invoke(cli, ["plugins", "coachflow.plugins.allow_disapointment"])

    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("coachflow.plugins.allow_disappointment ")
    assert "    step:     allow-disappointment: " in shown.stdout
    assert unknown.exit_code == 2
    assert unknown.stderr == ("Error: there is no plugin called 'coachflow.plugins.allow_disapointment' (did you mean "
                              "'coachflow.plugins.allow_disappointment'?); 'coachflow plugins' lists them\n")
