"""A workflow file's size, nesting and dotted keys are bounded before tomllib reads it.

A 40 KB workflow with one dotted key of 20,000 parts took ``validate`` 48
seconds and 2.4 GB: tomllib's time grows with the square of a key's parts.
Each bound is one line naming the file, the line and the limit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.workflow import MAX_KEY_PARTS, MAX_TOML_NESTING, MAX_WORKFLOW_BYTES, toml_shape_problem

GOOD = '[workflow]\nname = "Bounded"\n\n[[steps]]\nuses = "allow-disappointment"\n'


def _validate(tmp_path: Path, text: str):
    workflow = tmp_path / "coachflow.toml"
    workflow.write_text(text, encoding="utf-8")
    return workflow, CliRunner().invoke(cli, ["validate", str(workflow)])


def _one_error(result, text: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {text}\n"


def test_a_dotted_key_of_twenty_thousand_parts_is_one_line(tmp_path: Path) -> None:
    workflow, result = _validate(tmp_path, GOOD + "\n[steps.with]\nx" + ".y" * 20_000 + " = 1\n")
    _one_error(result, f"{workflow}:8: a dotted key or table name has more than 32 parts; keep keys short")


def test_a_table_name_of_many_parts_is_bounded_too(tmp_path: Path) -> None:
    workflow, result = _validate(tmp_path, GOOD + "[" + ".".join(["t"] * (MAX_KEY_PARTS + 1)) + "]\n")
    _one_error(result, f"{workflow}:6: a dotted key or table name has more than 32 parts; keep keys short")
    # up to the limit, the file is parsed, and then refused for what it says
    _, result = _validate(tmp_path, GOOD + "[" + ".".join(["t"] * MAX_KEY_PARTS) + "]\n")
    assert result.exit_code == 2 and "unknown table" in result.stderr


def test_nesting_beyond_the_limit_is_one_line_with_its_line(tmp_path: Path) -> None:
    deep = "x = " + "[" * (MAX_TOML_NESTING + 1) + "]" * (MAX_TOML_NESTING + 1) + "\n"
    workflow, result = _validate(tmp_path, GOOD + deep)
    _one_error(result, f"{workflow}:6: arrays or tables nested more than 32 deep; a workflow needs a few")
    inline = "y = " + "{a = " * (MAX_TOML_NESTING + 1) + "1" + "}" * (MAX_TOML_NESTING + 1) + "\n"
    assert toml_shape_problem(GOOD + inline) == (6, "arrays or tables nested more than 32 deep; a workflow needs a few")


def test_a_file_over_a_megabyte_is_refused_before_it_is_read(tmp_path: Path) -> None:
    text = GOOD + "# " + "x" * MAX_WORKFLOW_BYTES + "\n"
    workflow, result = _validate(tmp_path, text)
    size = len(text.encode("utf-8"))
    _one_error(result, f"{workflow}: the file is {size:,} bytes, more than the 1,000,000 a workflow may have; "
               "split it, or shorten its longest texts")


def test_brackets_and_dots_inside_strings_and_comments_do_not_count(tmp_path: Path) -> None:
    texts = ('title = "' + "[." * 100 + '"\n', "note = '" + "{." * 100 + "'\n", "# " + "[." * 100 + "\n",
             'body = """\n' + "[[.]]\n" * 50 + '"""\n', "raw = '''\n" + "{.\n" * 50 + "'''\n",
             'quoted = "a \\"[[[[.\\" b"\n', 'last = """ends with two quotes"""""\n')
    for text in texts:
        assert toml_shape_problem(GOOD + text) is None, text
    assert toml_shape_problem(GOOD + "at = 1979-05-27T07:32:00.999\nratio = 0.5\n") is None


def test_the_built_in_workflow_and_a_thousand_steps_are_well_inside_the_bounds(tmp_path: Path) -> None:
    _, result = _validate(tmp_path, '[workflow]\nname = "Long"\n' + '[[steps]]\nuses = "allow-disappointment"\n' * 1000)
    assert result.exit_code == 0, result.output


def test_twenty_thousand_unknown_keys_are_each_reported_once_at_their_line(tmp_path: Path) -> None:
    # Finding each one's line used to search the whole file again: minutes.
    workflow, result = _validate(tmp_path, "".join(f"key{number} = 1\n" for number in range(20_000)) + GOOD)
    lines = result.stderr.splitlines()
    assert lines[0] == (f"Error: {workflow}:1: key0: unknown table; a workflow has [workflow], [settings], "
                        "[milestones] and [[steps]]")
    assert lines[19_999] == (f"Error: {workflow}:20000: key19999: unknown table; a workflow has [workflow], "
                             "[settings], [milestones] and [[steps]]")


def test_an_event_file_in_toml_has_the_same_bounds_on_keys_but_not_on_its_text(tmp_path: Path) -> None:
    event = tmp_path / "event.toml"
    event.write_text('type = "rejection"\ncompany = "Acme"\nx' + ".y" * 20_000 + " = 1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", "--event", str(event), "--journal", str(tmp_path / "j.sqlite3")])
    _one_error(result, f"{event}:3: a dotted key or table name has more than 32 parts; keep keys short")
    long_text = tmp_path / "long.toml"
    long_text.write_text('type = "milestone"\nkind = "applied"\ncompany = "Acme"\nnotes = "'
                         + "Answers lacked depth. " * 60_000 + '"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", "--event", str(long_text), "--dry-run", "--format", "json",
                                      "--journal", str(tmp_path / "j.sqlite3")])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["event"]["notes"]) == len("Answers lacked depth. " * 60_000) - 1


@pytest.mark.parametrize("text", ["a" + ".b" * 40 + " = 1\n", "x = " + "[" * 40 + "]" * 40 + "\n"])
def test_reading_commands_that_look_at_settings_only_are_bounded_too(tmp_path: Path, text: str) -> None:
    workflow = tmp_path / "coachflow.toml"
    workflow.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["history", "-w", str(workflow)])
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {workflow}:1: ")
