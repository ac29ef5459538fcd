"""Fuzz: random workflow files, settings included, through ``validate`` and ``run``.

Keeps the findings of issue 15 fixed. Each example is a workflow file a coach
might share: mostly valid steps and options, with settings drawn from the
values that broke things (a ``step_timeout`` of 5e-324 seconds, NaN, a day
and a half; a ``journal`` of ``.gitkeep``, ``../x``, a link out of the
folder), names and texts carrying terminal escapes, formula starts and
Markdown line starts, and now and then a dotted key of thousands of parts or
nesting hundreds deep. Every file either validates and runs, printing only
printable text, or is refused in ``Error:`` lines with exit code 2; never a
traceback, a hang or a journal written outside the folder.

Bounded to seconds: a few dozen examples per test (``COACHFLOW_HYPOTHESIS=
coachflow-thorough`` runs a thousand).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from coachflow.cli import cli
from coachflow.plugin.host import build_host
from coachflow.workflow import default_workflow_text

settings.register_profile("coachflow-fuzz", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("coachflow-fuzz-thorough", parent=settings.get_profile("coachflow-fuzz"),
                          max_examples=1000, derandomize=False)
PROFILE = settings.get_profile(
    "coachflow-fuzz-thorough" if os.environ.get("COACHFLOW_HYPOTHESIS") == "coachflow-thorough" else "coachflow-fuzz")

REGISTRY = build_host(load_entry_points=False).registry
NOW = "2026-03-14T09:30"

#: Texts that have broken a terminal, a spreadsheet or a Markdown viewer.
NASTY = ["\x1b]8;;https://example.com\x07link\x1b]8;;\x07", "\x1b[1A\x1b[2K", "\x9b2J", "\x1b]0;title\x07",
         "=HYPERLINK(\"x\")", "+1", "-", "@me", "ok\n---", "ok\n- item", "1. one", "# h", "{{ }}", "\r", "\t"]
texts = st.one_of(st.text(max_size=12), st.sampled_from(NASTY), st.lists(st.sampled_from(NASTY), max_size=3).map("".join))

#: Step timeouts a workflow may set: from the smallest positive number to a day.
tiny_step_timeouts = st.one_of(st.sampled_from([5e-324, 1e-300, 1e-9, 0.002]), st.floats(5e-324, 0.5))
step_timeouts = st.one_of(tiny_step_timeouts, st.sampled_from([1, 86_400]), st.floats(1, 86_400),
                          st.integers(1, 86_400))
#: And those it may not: zero, negative, not a number, too long, not a number at all.
wrong_step_timeouts = st.one_of(
    st.sampled_from([0.0, -1.0, -5e-324, math.nan, math.inf, -math.inf, 86_400.5, 1e308, 0]),
    st.integers(-3, 0), st.integers(86_401, 10**9), st.text(max_size=4), st.booleans(),
)
#: Journal names that load (some are refused when the journal is opened: .gitkeep, a link out) ...
journals = st.sampled_from(["journal.sqlite3", "data/j.sqlite3", ".gitkeep", "notes.txt", "out/j.sqlite3",
                            "sub/../journal.sqlite3"])
#: ... and those that do not.
wrong_journals = st.one_of(st.sampled_from(["../x.sqlite3", "/tmp/x.sqlite3", "~/x.sqlite3", "", " ",
                                            "sub/../../x.sqlite3"]), st.integers(), st.booleans())


def _option_value(spec, broken: bool) -> st.SearchStrategy | None:
    """A value of the option's type (its own validators may still refuse it), or, ``broken``, any value."""
    if broken:
        return st.one_of(st.integers(-2, 5000), st.floats(), st.text(max_size=3), st.booleans())
    if spec.type_label.endswith("template"):
        return st.lists(st.one_of(texts.map(lambda t: t.replace("{", "{{").replace("}", "}}")),
                                  st.sampled_from([f"{{{name}}}" for name in spec.placeholders])),
                        min_size=1, max_size=4).map("".join)
    return {
        "integer": st.integers(1, 48),
        "number": st.floats(0.5, 100),
        "true/false": st.booleans(),
        "text": texts,
        "list of text": st.lists(texts.filter(str.strip), max_size=3),
    }.get(spec.type_label)  # None: a table of the step's own shape, which the property tests cover


@st.composite
def workflow_files(draw: st.DrawFn) -> str:
    """The text of a workflow file: structured by tomli_w, sometimes with raw lines appended.

    Two files in three have values of the right types throughout (with the nasty texts and
    the tiny timeouts); the third has one kind of wrong value or shape.
    """
    broken = draw(st.sampled_from([None, None, "settings", "options", "dotted", "nested", "inline", "big key"]))
    data: dict = {"workflow": {"name": draw(texts)}}
    table = {}
    if draw(st.booleans()):
        table["step_timeout"] = draw(wrong_step_timeouts if broken == "settings" else step_timeouts)
    if draw(st.booleans()):
        table["journal"] = draw(wrong_journals if broken == "settings" else journals)
    if draw(st.integers(0, 3)) == 0:
        table["on_error"] = draw(st.sampled_from(["later", ""] if broken == "settings" else ["continue", "stop"]))
    if table:
        data["settings"] = table
    steps = []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(REGISTRY.steps)))
        step: dict = {"uses": name}
        options = {}
        for spec in REGISTRY.steps[name].options():
            strategy = _option_value(spec, broken == "options")
            if strategy is not None and draw(st.integers(0, 3)) == 0:
                options[spec.name] = draw(strategy)
        if options:
            step["with"] = options
        steps.append(step)
    data["steps"] = steps
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):
        text = default_workflow_text()
    if broken == "dotted":
        text += "\n[steps.more]\nx" + ".y" * draw(st.integers(1, 5_000)) + " = 1\n"
    elif broken == "nested":
        depth = draw(st.integers(1, 400))
        text += "\nz = " + "[" * depth + "]" * depth + "\n"
    elif broken == "inline":
        depth = draw(st.integers(1, 60))
        text += "\nz = " + "{a = " * depth + "1" + "}" * depth + "\n"
    elif broken == "big key":
        text += "\n" + "k" * draw(st.integers(1, 50_000)) + " = 1\n"
    return text


def _controls(text: str) -> list[str]:
    return [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f]


def _clean(result, allowed: tuple[int, ...]) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in allowed, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert _controls(result.stdout) == [] and _controls(result.stderr) == []
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith("Error: ") for line in lines), result.stderr


def _shared_folder(tmp_path: Path) -> Path:
    """A folder like one a workflow arrives in: an empty .gitkeep, notes, and a link to outside."""
    folder = tmp_path / "shared"
    if not folder.exists():
        folder.mkdir()
        (folder / ".gitkeep").write_bytes(b"")
        (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
        (tmp_path / "outside").mkdir()
        (folder / "out").symlink_to(tmp_path / "outside")
    return folder


def _short_timeout(text: str) -> bool:
    """True when the file sets a step_timeout under a second, which may leave a step running."""
    import tomllib

    try:
        value = tomllib.loads(text).get("settings", {}).get("step_timeout")
    except (tomllib.TOMLDecodeError, RecursionError, AttributeError):
        return False
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value < 1


@PROFILE
@given(text=workflow_files(), kind=st.sampled_from(["rejection", "feedback", "milestone"]),
       output=st.sampled_from(["text", "markdown", "json"]), company=texts)
def test_a_random_workflow_file_validates_and_runs_or_is_refused_in_one_line(
        tmp_path: Path, text: str, kind: str, output: str, company: str) -> None:
    folder = _shared_folder(tmp_path)
    workflow = folder / "coachflow.toml"
    workflow.write_text(text, encoding="utf-8")
    env = {"COACHFLOW_NOW": NOW, "COACHFLOW_JOURNAL": None, "COACHFLOW_WORKFLOW": None}
    validated = CliRunner().invoke(cli, ["validate", str(workflow)], env=env)
    _clean(validated, (0, 2))
    event("refused" if validated.exit_code else "short step_timeout: loaded only" if _short_timeout(text) else "ran")
    if validated.exit_code != 0 or _short_timeout(text):
        # A step_timeout shorter than a step leaves the step running on its own thread; when the
        # run ends it may still use the journal, and the process can crash (SIGSEGV in sqlite3).
        # That is the plugin host's finding (see the skipped test below): such files are loaded
        # and checked here, not run.
        return
    fields = {"rejection": ["--company", company or "Acme", "--stage", "final", "--reason", company],
              "feedback": ["--company", "Acme", "--text", company or "Thin answers"],
              "milestone": ["--kind", "applied", "--company", company or "Acme", "--notes", company]}[kind]
    ran = CliRunner().invoke(cli, ["run", kind, *fields, "-w", str(workflow), "--dry-run", "--format", output],
                             env=env)
    _clean(ran, (0, 2))
    assert not list((tmp_path / "outside").iterdir())  # no journal, and nothing else, outside the folder
    assert (folder / ".gitkeep").read_bytes() == b"" and (folder / "notes.txt").read_text() == "mine\n"


@PROFILE
@given(timeout=st.one_of(step_timeouts, wrong_step_timeouts))
def test_any_step_timeout_is_a_number_of_seconds_or_one_line(timeout) -> None:
    from coachflow.errors import WorkflowError
    from coachflow.workflow import parse_workflow

    try:
        text = tomli_w.dumps({"workflow": {"name": "T"}, "settings": {"step_timeout": timeout},
                              "steps": [{"uses": "allow-disappointment"}]})
    except (TypeError, ValueError):
        return
    try:
        workflow = parse_workflow(text, REGISTRY, source="t.toml")
    except WorkflowError as exc:
        assert len(exc.problems) == 1 and exc.problems[0].startswith("t.toml:")
        return
    value = workflow.settings.step_timeout
    assert isinstance(value, float) and 0 <= value <= 86_400  # 0: no time limit


def test_a_step_left_behind_by_a_short_step_timeout_never_crashes_the_process(tmp_path: Path) -> None:
    text = default_workflow_text().replace("[settings]", "[settings]\nstep_timeout = 0.002", 1)
    workflow = tmp_path / "coachflow.toml"
    workflow.write_text(text, encoding="utf-8")
    for number in range(40):
        completed = subprocess.run(
            [sys.executable, "-m", "coachflow", "run", "rejection", "--company", f"Acme {number}",
             "--reason", "internal candidate", "-w", str(workflow), "--journal", str(tmp_path / "j.sqlite3")],
            capture_output=True, timeout=60)
        assert completed.returncode in (0, 1), (completed.returncode, completed.stderr[-2000:])
