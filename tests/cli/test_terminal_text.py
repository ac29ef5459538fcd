"""Text from workflows, plugins and the journal never drives the terminal it is printed on.

A shared workflow could carry an OSC 8 hyperlink, a cursor move that erases
the line above, the one-byte CSI (U+009B) or a new window title. Each is
shown as visible escapes (``\\u001b``) instead, on a terminal and in a pipe
(Click's runner is a pipe), and JSON output keeps meaning the same text.
"""

from __future__ import annotations

import json
import sqlite3
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.terminal import printable

ESC, BEL, CSI = "\x1b", "\x07", "\x9b"

#: The sequences the attack used, as a TOML basic string can carry them.
SEQUENCES = {
    "osc 8 hyperlink": "\\u001b]8;;https://example.com/login\\u0007sign in\\u001b]8;;\\u0007",
    "cursor up and erase line": "\\u001b[1A\\u001b[2K",
    "one-byte csi": "\\u009b2J",
    "window title": "\\u001b]0;Bank of Example\\u0007",
    "carriage return over the line": "all is well\\rRUN THIS",
    "backspaces": "ok\\b\\b\\b",
}


def _controls(text: str) -> list[str]:
    """The control characters a terminal would act on (all but the line break and the tab)."""
    return [char for char in text if (ord(char) < 0x20 and char not in "\n\t") or 0x7f <= ord(char) <= 0x9f]


def _workflow(tmp_path: Path, text: str, name: str = "Shared") -> Path:
    path = tmp_path / "shared.toml"
    path.write_text(textwrap.dedent(f"""\
        [workflow]
        name = "{name}"

        [[steps]]
        uses = "allow-disappointment"

        [steps.with]
        acknowledgement = "Sorry about {{company}}. {text}"
        """), encoding="utf-8")
    return path


def _invoke(args, tmp_path: Path, **kwargs):
    env = {"COACHFLOW_JOURNAL": str(tmp_path / "journal.sqlite3")}
    return CliRunner().invoke(cli, args, env=env, **kwargs)


@pytest.mark.parametrize("sequence", list(SEQUENCES.values()), ids=list(SEQUENCES))
def test_a_workflow_template_cannot_send_a_sequence_to_the_terminal(tmp_path: Path, sequence: str) -> None:
    workflow = _workflow(tmp_path, sequence)
    result = _invoke(["run", "rejection", "--company", "Acme", "-w", str(workflow), "--dry-run"], tmp_path)
    assert result.exit_code == 0, result.output
    assert _controls(result.stdout) == []
    assert "Sorry about Acme." in result.stdout
    if "\\r" in sequence:  # a body's carriage return is a line break: nothing is written over
        assert "all is well\n    RUN THIS" in result.stdout
    else:
        assert "\\u00" in result.stdout  # shown, not hidden: the person can see something odd is there


@pytest.mark.parametrize("output_format", ["markdown", "json"])
def test_markdown_and_json_output_carry_no_control_characters_either(tmp_path: Path, output_format: str) -> None:
    workflow = _workflow(tmp_path, SEQUENCES["one-byte csi"] + SEQUENCES["osc 8 hyperlink"])
    result = _invoke(["run", "rejection", "--company", "Acme", "-w", str(workflow), "--dry-run",
                      "--format", output_format], tmp_path)
    assert result.exit_code == 0, result.output
    assert _controls(result.stdout) == []
    if output_format == "json":  # still JSON, and still the same text
        (message,) = [a for a in json.loads(result.stdout)["actions"] if a["kind"] == "message"]
        assert f"{CSI}2J{ESC}]8;;https://example.com/login{BEL}sign in" in message["body"]


def test_validate_shows_a_window_title_in_a_workflow_name_as_text(tmp_path: Path) -> None:
    workflow = _workflow(tmp_path, "", name="Bounce back\\u001b]0;owned\\u0007")
    result = _invoke(["validate", str(workflow)], tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{workflow}: ok, workflow 'Bounce back\\u001b]0;owned\\u0007' with 1 step\n"


PLUGIN = '''
import datetime

import coachflow


class Shout(coachflow.Step):
    """Returns text that moves the cursor."""

    name = "shout"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return coachflow.Action(kind="task", title="\\x1b[1A\\x1b[2KAll fine", body="\\x9b2J\\x1b]0;t\\x07",
                                due=ctx.now + datetime.timedelta(days=1))


@coachflow.hookimpl
def register_steps(register):
    register(Shout)
'''


def test_a_plugin_step_s_text_is_shown_not_obeyed_and_so_is_the_journal_s(tmp_path: Path) -> None:
    plugin = tmp_path / "shout.py"
    plugin.write_text(PLUGIN, encoding="utf-8")
    workflow = tmp_path / "shout.toml"
    workflow.write_text('[workflow]\nname = "Shout"\n\n[[steps]]\nuses = "shout"\n', encoding="utf-8")
    result = _invoke(["--plugin", str(plugin), "run", "rejection", "--company", "Acme", "-w", str(workflow)],
                     tmp_path)
    assert result.exit_code == 0, result.output
    assert _controls(result.stdout) == []
    assert "To do: \\u001b[1A\\u001b[2KAll fine" in result.stdout
    # the journal keeps what the step said; what reads it back shows it the same way
    for args in (["due", "--all"], ["report"], ["calendar", "--all"]):
        shown = _invoke(args, tmp_path)
        assert shown.exit_code == 0, shown.output
        assert _controls(shown.stdout.replace("\r\n", "\n")) == [], args
        assert "u001b" in shown.stdout and "All fine" in shown.stdout, args


def test_event_text_another_program_wrote_into_the_journal_is_shown_not_obeyed(tmp_path: Path) -> None:
    assert _invoke(["run", "feedback", "--company", "Acme", "--text", "Fine"], tmp_path).exit_code == 0
    with sqlite3.connect(tmp_path / "journal.sqlite3") as db:
        db.execute("UPDATE events SET text = ?, company = ?", (f"{ESC}[2J{ESC}]0;x{BEL}Fine", f"Acme{CSI}1A"))
    for args in (["history"], ["history", "--format", "json"], ["status"], ["export"],
                 ["export", "--format", "csv"], ["report", "--format", "html"]):
        result = _invoke(args, tmp_path)
        assert result.exit_code == 0, (args, result.output)
        assert _controls(result.stdout) == [], args
    exported = json.loads(_invoke(["export"], tmp_path).stdout)
    assert exported["text"] == f"{ESC}[2J{ESC}]0;x{BEL}Fine"  # JSON keeps the text as the journal has it


def test_a_plugin_that_fails_to_load_with_a_sequence_in_its_message_is_one_plain_warning(tmp_path: Path) -> None:
    plugin = tmp_path / "broken.py"
    plugin.write_text('raise RuntimeError("\\x1b]0;owned\\x07\\x1b[2Kbroken")\n', encoding="utf-8")
    result = _invoke(["--plugin", str(plugin), "steps"], tmp_path)
    assert _controls(result.stderr) == []
    assert "\\u001b]0;owned" in result.stderr or "\\x1b]0;owned" in result.stderr


def test_printable_keeps_line_breaks_tabs_and_every_other_character() -> None:
    text = "Caf\u00e9 \u2014 \U0001f600\n\tdone \u00a0"
    assert printable(text) == text
    assert printable(f"a{ESC}b{CSI}c\x7fd\x00") == "a\\u001bb\\u009bc\\u007fd\\u0000"
    assert printable(printable(f"{ESC}[2K")) == "\\u001b[2K"


def test_every_command_prints_through_the_one_echo_that_makes_text_printable() -> None:
    import coachflow.cli

    for module in Path(coachflow.cli.__file__).parent.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert "click.echo(" not in source and "click.secho(" not in source, module.name
