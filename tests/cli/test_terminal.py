"""Output fitted to the terminal: its width, no colour when asked, --quiet and -v on every command.

Click's test runner stands in for a colour terminal (``color=True``) and
``COLUMNS`` for its width; the tmux tests run the real command in a real
50-column terminal and read the screen back.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from importlib import resources
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from coachflow.cli import BUILTIN_COMMANDS, cli
from coachflow.output.layout import DATE, cell_width

JOURNAL = "search.sqlite3"
REJECTION = ["run", "rejection", "--company", "Acme", "--role", "Data Analyst", "--stage", "interview"]
ESCAPE = "\x1b["


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    for name in ("COACHFLOW_JOURNAL", "COACHFLOW_PROFILE", "COACHFLOW_WORKFLOW", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COACHFLOW_NOW", "2026-11-25T17:30")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


def coachflow(*args: str, code: int = 0, color: bool = False, **env: str):
    result = CliRunner().invoke(cli, list(args), color=color, env=env or None)
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def record_search() -> None:
    """Two open applications (one at a company with a Japanese name) and a rejection."""
    coachflow("run", "milestone", "--kind", "applied", "--company", "Acme", "--role", "Data Analyst",
              "--date", "2026-11-16", "--journal", JOURNAL)
    coachflow("run", "milestone", "--kind", "applied", "--company", "株式会社アクメ", "--role", "データアナリスト",
              "--date", "2026-11-17", "--journal", JOURNAL)
    coachflow("run", "milestone", "--kind", "applied", "--company", "Beta", "--role", "Analyst",
              "--date", "2026-11-18", "--journal", JOURNAL)
    coachflow("run", "rejection", "--company", "Beta", "--role", "Analyst", "--stage", "screen",
              "--reason", "They went with an internal candidate, and said the portfolio was strong",
              "--date", "2026-11-20", "--journal", JOURNAL)


# --- colour ------------------------------------------------------------------------------------


def test_a_colour_terminal_gets_bold_labels():
    assert ESCAPE + "1m" in coachflow(*REJECTION, "--dry-run", color=True).stdout


@pytest.mark.parametrize("args", [
    [*REJECTION, "--dry-run"], ["status", "--journal", JOURNAL], ["due", "--all", "--journal", JOURNAL],
    ["history", "--journal", JOURNAL], ["steps"], ["steps", "allow-disappointment"], ["plugins"],
])
def test_no_color_leaves_out_every_style_even_on_a_colour_terminal(args):
    record_search()
    assert ESCAPE in coachflow(*args, color=True).output or args == ["steps"]  # the list has no labels to style
    for result in (coachflow(*args, color=True, NO_COLOR="1"), coachflow(*args, "--no-color", color=True)):
        assert ESCAPE not in result.output, result.output


def test_an_empty_no_color_does_not_count():
    assert ESCAPE in coachflow(*REJECTION, "--dry-run", color=True, NO_COLOR="").stdout


def test_output_to_a_pipe_has_no_styles():
    assert ESCAPE not in coachflow(*REJECTION, "--dry-run").stdout


# --- width -------------------------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    # 'plugins' shows each plugin's import time, which differs from one run to the next
    return re.sub(r"\b\d+(?:\.\d+)? ?(?:ms|s)\b", "TIME", text).split()


def dates_split(narrow: str, wide: str) -> list[str]:
    """The dates of ``wide`` (``Fri 27 Nov``, ``Wed 25 Nov 2026, 17:30``) that no line of ``narrow`` holds whole."""
    lines = [" ".join(line.split()) for line in narrow.splitlines()]
    dates = DATE.findall(" ".join(wide.split()))
    return [date for date in dates if not any(date in line for line in lines)]


def assert_nothing_split(narrow: str, wide: str) -> None:
    """``narrow`` has the words of ``wide``, none split across two lines, and every date on one line."""
    assert words_of(narrow) == words_of(wide)  # the same words: none was split to fit
    assert not dates_split(narrow, wide)


TEXT_OUTPUTS = [
    [*REJECTION, "--dry-run"], ["run", "milestone", "--kind", "interview-invitation", "--company", "Acme",
                                "--role", "Data Analyst", "--dry-run", "--journal", JOURNAL],
    ["run", "rejection", "--company", "Acme", "--role", "Data Analyst", "--stage", "final", "--dry-run",
     "--journal", JOURNAL],
    ["run", "feedback", "--company", "Beta", "--role", "Analyst", "--text", "Clearer answers about trade-offs",
     "--dry-run", "--journal", JOURNAL],
    ["status", "--journal", JOURNAL], ["due", "--all", "--journal", JOURNAL], ["due", "--all", "-v", "--journal", JOURNAL],
    ["history", "--journal", JOURNAL], ["history", "-v", "--journal", JOURNAL], ["steps"], ["steps", "-v"],
    *(["steps", name] for name in ("allow-disappointment", "request-feedback", "feedback-patterns", "analyze-control",
                                   "maintain-momentum", "celebrate-wins")),
    ["plugins"], ["kinds"], ["preview"], ["validate", "-v", "coachflow.toml"], ["test", "-v", "coachflow.test.toml"],
]


#: Outputs with one line per item that scripts read ("coachflow.toml: ok, ...", "  ok    CASE"): such a
#: line is never wrapped, as the intro of a preview is not.
LINE_PER_ITEM = {"validate", "test", "preview"}


@pytest.mark.parametrize("args", TEXT_OUTPUTS, ids=" ".join)
def test_a_50_column_terminal_gets_lines_of_50_columns_with_every_word_whole(args):
    record_search()
    coachflow("init", "-q")
    (Path.cwd() / "coachflow.test.toml").write_text(
        resources.files("coachflow").joinpath("default_workflow.test.toml").read_text(encoding="utf-8")
        .replace("default_workflow.toml", "coachflow.toml"), encoding="utf-8")
    wide = coachflow(*args, COLUMNS="500").stdout
    narrow = coachflow(*args, COLUMNS="50").stdout
    assert max(cell_width(line) for line in wide.splitlines()) > 50
    assert_nothing_split(narrow, wide)
    if args[0] not in LINE_PER_ITEM:
        assert max(cell_width(line) for line in narrow.splitlines()) <= 50
    else:  # the lines a script reads stay whole; what is wrapped fits
        assert all(cell_width(line) <= 50 for line in narrow.splitlines() if line not in wide.splitlines())


def test_a_date_in_a_title_stays_on_one_line():
    record_search()
    coachflow("run", "rejection", "--company", "Acme", "--role", "Data Analyst", "--stage", "interview",
              "--journal", JOURNAL)
    due = coachflow("due", "--all", "--journal", JOURNAL, COLUMNS="50").stdout
    assert "more applications by" in due
    assert "                  Wed 2 Dec" in due.splitlines()  # "by Wed" / "2 Dec" before


def test_history_columns_keep_two_spaces_even_after_a_long_kind():
    (Path.cwd() / "coachflow.toml").write_text(
        '[workflow]\nname = "Networking"\n\n[milestones.networking-introduction]\ndescription = "an introduction"\n\n'
        '[[steps]]\nuses = "celebrate-wins"\n', encoding="utf-8")
    coachflow("run", "milestone", "--kind", "networking-introduction", "--company", "Beta", "--journal", JOURNAL)
    coachflow("run", "milestone", "--kind", "applied", "--company", "Beta", "--journal", JOURNAL)
    lines = coachflow("history", "--journal", JOURNAL, COLUMNS="100").stdout.splitlines()
    assert lines[:2] == ["Wed 25 Nov 2026  Networking introduction  Beta",
                         "Wed 25 Nov 2026  Applied               Beta"]


# --- help --------------------------------------------------------------------------------------


def command_paths(command: click.Command = cli, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of the command line, subcommands of groups included, as the words that name it."""
    found = [path]
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            found += command_paths(command.get_command(ctx, name), (*path, name))
    return found


def without_command_list(text: str) -> str:
    # a group lists its commands with summaries Click shortens to fit ("Export open reminders and..."),
    # so those lines differ with the width by design
    kept, listing = [], False
    for line in text.splitlines():
        listing = line == "Commands:" or (listing and line != "")
        kept += [] if listing else [line]
    return "\n".join(kept)


def help_text(*path: str, width: int) -> str:
    """``coachflow PATH --help`` at ``width`` columns (Click's test runner ignores COLUMNS for help;
    the tmux test below shows a real terminal's width is used)."""
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=width, prog_name="coachflow")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout


@pytest.mark.parametrize("path", command_paths(), ids=lambda path: " ".join(("coachflow", *path)))
def test_help_at_50_columns_splits_no_word_option_or_variable(path):
    narrow, wide = help_text(*path, width=50), help_text(*path, width=300)
    assert_nothing_split(without_command_list(narrow), without_command_list(wide))
    for line in narrow.splitlines():  # only a word too long for any line, or an example command, runs over
        assert cell_width(line) <= 50 or len(line.split()) == 1 or line.lstrip().startswith("coachflow "), line


def test_help_keeps_option_names_and_variables_whole():
    run_help, top_help = help_text("run", width=50), help_text(width=50)
    words = run_help.split()
    assert {"COACHFLOW_WORKFLOW,", "(postgresql://user@host/db).", "COACHFLOW_PROFILE."} <= set(words)
    assert "(--dry-run" in top_help.split()
    assert "  -w, --workflow FILE\n      The workflow file ('-': standard input).\n" in run_help
    for width in (50, 78):
        assert all("[default:" not in line or line.endswith("]") for line in help_text("status", width=width).splitlines())


def test_piped_output_is_78_columns_whatever_the_window():
    text = coachflow(*REJECTION, "--dry-run").stdout
    assert max(len(line) for line in text.splitlines()) <= 78
    assert any(len(line) > 70 for line in text.splitlines())


def test_status_lines_wrap_and_the_pipeline_lines_up_wide_characters():
    record_search()
    lines = coachflow("status", "--journal", JOURNAL, COLUMNS="60").stdout.splitlines()
    rows = [line for line in lines if "sent " in line and line.startswith("  ")]
    assert len(rows) == 2
    assert {cell_width(row[:row.index("sent ")]) for row in rows} == {cell_width("  データアナリスト at 株式会社アクメ  ")}
    assert all(cell_width(line) <= 60 for line in lines)


def test_a_hint_with_a_command_keeps_the_command_whole():
    lines = coachflow("status", "--journal", JOURNAL, COLUMNS="50").stdout.splitlines()
    assert "  coachflow run milestone --kind applied --company NAME --role ROLE" in lines


# --- quiet and verbose -------------------------------------------------------------------------


def printing_commands(name: str) -> list[click.Command]:
    """The command, or for a group (``client``, ``clients``) each of its subcommands."""
    ctx = click.Context(cli)
    command = cli.get_command(ctx, name)
    if isinstance(command, click.Group):
        return [command.get_command(ctx, sub) for sub in command.list_commands(ctx)]
    return [command]


@pytest.mark.parametrize("name", sorted(BUILTIN_COMMANDS))
def test_every_command_takes_quiet_verbose_and_no_color(name):
    for command in printing_commands(name):
        assert {"-q", "--quiet", "-v", "--verbose", "--no-color"} <= {
            opt for param in command.params for opt in param.opts}, (name, command.name)


def test_quiet_and_verbose_together_are_refused():
    result = coachflow("status", "-q", "-v", code=2)
    assert result.stderr.startswith("Error: -q/--quiet and -v/--verbose ask for opposite things")


def test_quiet_leaves_out_hints_and_confirmations(tmp_path):
    record_search()
    assert "Dry run" not in coachflow(*REJECTION, "--dry-run", "-q").stdout
    assert "events." not in coachflow("history", "-q", "--journal", JOURNAL).stdout
    due = coachflow("due", "--all", "-q", "--journal", JOURNAL).stdout
    assert "Reminder:" in due and "Mark one done" not in due
    assert "For a step's options" not in coachflow("steps", "-q").stdout
    written = coachflow("report", "-q", "-o", "report.html", "--journal", JOURNAL)
    assert (written.stdout, written.stderr) == ("", "") and (tmp_path / "report.html").exists()
    assert coachflow("export", "-q", "-o", "events.csv", "--journal", JOURNAL).output == ""
    assert coachflow("calendar", "-q", "-o", "c.ics", "--journal", JOURNAL).output == ""
    assert coachflow("validate", "-q", "coachflow.toml", code=2).stderr.startswith("Error: ")  # errors still show
    assert coachflow("init", "-q").output == "" and (tmp_path / "coachflow.toml").exists()
    assert coachflow("validate", "-q", "coachflow.toml").output == ""
    assert coachflow("status", "-q", "--journal", "nowhere.sqlite3").stderr == ""


def test_verbose_says_more(tmp_path):
    record_search()
    history = coachflow("history", "-v", "--journal", JOURNAL).stdout
    assert "[#4]" in history and "said the portfolio was strong" in history  # ids, and the reason in full
    assert "said the portfolio" not in coachflow("history", "--journal", JOURNAL).stdout
    due = coachflow("due", "--all", "-v", "--journal", JOURNAL).stdout
    assert "(from step allow-disappointment)" in due and "Write down one thing you learned" in " ".join(due.split())
    assert "Reading the journal" in coachflow("status", "-v", "--journal", JOURNAL).stderr
    assert "from coachflow.plugins.allow_disappointment" in " ".join(coachflow("steps", "-v").stdout.split())
    feedback = ["run", "feedback", "--company", "Gamma", "--text", "Clear answers.", "--dry-run"]
    assert "Skipped celebrate-wins: runs on rejection, milestone, not feedback" in coachflow(*feedback, "-v").stdout
    assert "Skipped" not in coachflow(*feedback).stdout
    coachflow("init", "wf.toml")
    assert "  1. allow-disappointment (allow-disappointment), on rejection" in coachflow(
        "validate", "-v", "wf.toml").stdout


# --- a real terminal: tmux ---------------------------------------------------------------------

TMUX = shutil.which("tmux")


def in_tmux(command: list[str], *, width: int = 50, env: dict[str, str] | None = None) -> tuple[str, str]:
    """Run ``command`` in a new tmux terminal of ``width`` columns; the screen as text with its
    styles, and joined where the terminal itself wrapped a line (so the two differ if it had to)."""
    server = f"coachflow-test-{uuid.uuid4().hex[:8]}"
    signal = f"done-{server}"
    environment = {**os.environ, **(env or {})}
    environment.pop("COLUMNS", None)
    environment.pop("TMUX", None)
    shell = " ".join(f"'{part}'" for part in command)
    script = f"{shell}; tmux -L {server} wait-for -S {signal}; sleep 60"
    tmux = [TMUX, "-L", server, "-f", "/dev/null"]
    subprocess.run([*tmux, "new-session", "-d", "-x", str(width), "-y", "300", script],
                   check=True, env=environment, timeout=30)
    try:
        subprocess.run([*tmux, "wait-for", signal], check=True, timeout=60)
        styled = subprocess.run([*tmux, "capture-pane", "-p", "-e", "-S", "-"], check=True, capture_output=True,
                                text=True, timeout=30).stdout
        joined = subprocess.run([*tmux, "capture-pane", "-p", "-J", "-S", "-"], check=True, capture_output=True,
                                text=True, timeout=30).stdout
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, timeout=30)
    return styled, joined


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_in_a_50_column_terminal_no_line_is_wrapped_by_the_terminal(tmp_path):
    styled, joined = in_tmux([sys.executable, "-m", "coachflow", *REJECTION, "--dry-run"],
                             env={"COACHFLOW_NOW": "2026-11-25T17:30", "HOME": str(tmp_path)})
    plain = [line.rstrip() for line in joined.splitlines()]
    assert "    Being disappointed is normal, and pushing the" in plain  # wrapped by coachflow at 50, word by word
    assert max(len(line) for line in plain) <= 50  # so the terminal never had to wrap (and split) a line
    assert ESCAPE + "1m" in styled  # a terminal gets bold labels


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_in_a_real_terminal_no_color_means_no_escapes(tmp_path):
    styled, _ = in_tmux([sys.executable, "-m", "coachflow", *REJECTION, "--dry-run"],
                        env={"COACHFLOW_NOW": "2026-11-25T17:30", "HOME": str(tmp_path), "NO_COLOR": "1"})
    assert "Reminder: Check in" in styled
    assert ESCAPE not in styled


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_in_a_50_column_terminal_help_splits_no_word(tmp_path):
    _, joined = in_tmux([sys.executable, "-m", "coachflow", "run", "--help"], env={"HOME": str(tmp_path)})
    screen = "\n".join(line.rstrip() for line in joined.splitlines())
    assert "      Default: COACHFLOW_WORKFLOW," in screen.splitlines()  # the help was laid out for 50 columns
    assert_nothing_split(screen, help_text("run", width=300))
