"""Shell completion: Click's protocol, answered with what coachflow knows.

Each test asks the way a shell does: ``_COACHFLOW_COMPLETE=bash_complete`` (or zsh_ or
fish_) with the words typed so far in ``COMP_WORDS`` and the word being completed in
``COMP_CWORD``; the README's one-line set-up is run in a real bash.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.models import BUILTIN_MILESTONE_KINDS, STAGES


def complete(line: str, shell: str = "bash") -> list[str]:
    """What the shell would offer for the last word of ``line`` (empty when ``line`` ends in a space)."""
    words = line.split()
    current = len(words) if line.endswith(" ") else len(words) - 1
    incomplete = "" if line.endswith(" ") else words[-1]
    result = CliRunner().invoke(cli, [], env={
        "_COACHFLOW_COMPLETE": f"{shell}_complete", "COMP_WORDS": line,
        "COMP_CWORD": incomplete if shell == "fish" else str(current)})
    assert result.exit_code == 0, result.output
    if shell == "bash":  # "type,value" per line
        return [item.split(",", 1)[1] for item in result.stdout.splitlines() if item]
    if shell == "zsh":  # type, value, help: three lines per item
        lines = result.stdout.splitlines()
        return [lines[index + 1] for index in range(0, len(lines), 3)]
    return [item.split(",", 1)[1].split("\t")[0] for item in result.stdout.splitlines() if item]


def test_step_names_complete_from_the_installed_steps():
    assert complete("coachflow steps a") == ["allow-disappointment", "analyze-control"]
    assert complete("coachflow steps ") == sorted(["allow-disappointment", "analyze-control", "celebrate-wins",
                                                   "feedback-patterns", "maintain-momentum", "request-feedback"])


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_milestone_kinds_and_stages_complete_in_every_shell(shell):
    assert complete("coachflow run milestone --kind int", shell) == ["interview-invitation"]
    assert complete("coachflow run rejection --stage ", shell) == list(STAGES)
    assert complete("coachflow history --kind ", shell) == list(BUILTIN_MILESTONE_KINDS)


def test_zsh_and_fish_show_what_a_step_does_next_to_its_name():
    result = CliRunner().invoke(cli, [], env={"_COACHFLOW_COMPLETE": "fish_complete",
                                              "COMP_WORDS": "coachflow steps allow", "COMP_CWORD": "allow"})
    assert result.stdout == ("plain,allow-disappointment\tAcknowledge a rejection, give the feeling a bounded "
                             "window, and check in at its end.\n")


def test_a_plugin_on_the_command_line_adds_its_kinds(tmp_path):
    plugin = tmp_path / "coaching_kinds.py"
    plugin.write_text("import coachflow\n\n@coachflow.hookimpl\ndef register_milestone_kinds(register):\n"
                      "    register('mock-interview', 'a practice interview with a friend or coach')\n")
    assert complete(f"coachflow --plugin {plugin} run milestone --kind mo") == ["mock-interview"]


def test_profiles_complete_from_the_client_journals_in_the_data_directory(tmp_path):
    assert complete("coachflow status --profile ") == []
    for name in ("alex", "sam"):
        assert CliRunner().invoke(cli, ["run", "milestone", "--kind", "applied", "--company", "Acme",
                                        "--profile", name]).exit_code == 0
    assert complete("coachflow status --profile ") == ["alex", "sam"]
    assert complete("coachflow run feedback --profile s") == ["sam"]


def test_clients_a_coach_added_complete_before_they_have_a_journal():
    assert CliRunner().invoke(cli, ["client", "add", "robin", "--name", "Robin"]).exit_code == 0
    assert complete("coachflow status --client ") == ["robin"]
    assert complete("coachflow preview --client r") == ["robin"]
    assert complete("coachflow digest --client ") == ["robin"]
    assert complete("coachflow client show ") == ["robin"]
    assert complete("coachflow note hello --client ro") == ["robin"]


def test_file_options_ask_the_shell_for_files():
    result = CliRunner().invoke(cli, [], env={"_COACHFLOW_COMPLETE": "bash_complete",
                                              "COMP_WORDS": "coachflow import --journal se", "COMP_CWORD": "3"})
    assert result.stdout == "file,se\n"
    result = CliRunner().invoke(cli, [], env={"_COACHFLOW_COMPLETE": "bash_complete",
                                              "COMP_WORDS": "coachflow import sh", "COMP_CWORD": "2"})
    assert result.stdout == "file,sh\n"


def test_date_formats_complete_with_their_words():
    assert complete("coachflow import sheet.csv --date-format ") == ["day-first", "month-first"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_readme_line_for_bash_sets_up_completion_in_a_real_bash(tmp_path):
    # The README's line, then what bash does on Tab: call the function it registered for coachflow.
    script = ('eval "$(_COACHFLOW_COMPLETE=bash_source coachflow)"\n'
              "complete -p coachflow\n"
              "COMP_WORDS=(coachflow steps allow); COMP_CWORD=2\n"
              "_coachflow_completion coachflow\n"  # bash passes the command name
              'printf "%s\\n" "${COMPREPLY[@]}"\n')
    bin_dir = os.path.dirname(sys.executable)
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], capture_output=True, text=True,
                          env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "allow-disappointment"
    assert "_coachflow_completion" in done.stdout.splitlines()[0]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_the_readme_lines_for_zsh_and_fish_give_their_scripts(shell):
    result = CliRunner().invoke(cli, [], env={"_COACHFLOW_COMPLETE": f"{shell}_source"})
    assert result.exit_code == 0
    assert "_COACHFLOW_COMPLETE" in result.stdout and f"{shell}_complete" in result.stdout
