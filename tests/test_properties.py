"""Property-based tests: whatever a person feeds coachflow, it either works or says what is wrong.

Random TOML documents, random workflow tables, random event payloads and
random template texts either load (and then run) or fail with a
:class:`~coachflow.errors.CoachflowError`: through the command line, exit
code 2 and ``Error:`` lines on stderr, never a traceback.

Hypothesis settings come from a profile: ``coachflow-fast`` (the default,
a few dozen examples per test so that the suite stays quick on two cores)
or ``coachflow-thorough`` for a longer search::

    COACHFLOW_HYPOTHESIS=coachflow-thorough python -m pytest tests/test_properties.py
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coachflow import templates
from coachflow.cli import cli
from coachflow.engine import run_workflow
from coachflow.errors import CoachflowError, EventError, TemplateError, WorkflowError
from coachflow.plugin.host import build_host
from coachflow.models import EVENT_TYPES, Rejection, event_from_dict, event_to_dict
from coachflow.workflow import default_workflow_text, parse_workflow, workflow_from_dict

settings.register_profile(
    "coachflow-fast",
    max_examples=30,
    deadline=None,  # the first example pays for imports; speed is measured in benchmarks/
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile("coachflow-thorough", parent=settings.get_profile("coachflow-fast"), max_examples=1000)
PROFILE = settings.get_profile(os.environ.get("COACHFLOW_HYPOTHESIS", "coachflow-fast"))

REGISTRY = build_host(load_entry_points=False).registry
NOW = dt.datetime(2026, 3, 14, 9, 30)

# --- what random input is made of --------------------------------------------

#: Text with the characters that break parsers: quotes, braces, newlines, NUL, emoji.
awkward_text = st.text(  # any character a UTF-8 file can hold
    alphabet=st.one_of(st.sampled_from(list("{}[]\"'\\\n\r\t #=.:!_-aZ09")), st.characters(codec="utf-8")),
    max_size=30,
)
toml_scalars = st.one_of(
    awkward_text,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(awkward_text, inner, max_size=4),
    max_leaves=12,
)
STEP_OPTION_NAMES = sorted({spec.name for step in REGISTRY.steps.values() for spec in step.options()})


def dump_toml(data: dict) -> str:
    """TOML text for ``data``; examples tomli_w cannot write, or a file cannot hold, are skipped."""
    try:
        text = tomli_w.dumps(data)
        text.encode("utf-8")
    except (TypeError, ValueError):  # UnicodeEncodeError is a ValueError
        assume(False)
        raise AssertionError("unreachable")
    return text


plain_text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="{}"), max_size=20)


def valid_option_value(spec) -> st.SearchStrategy:
    """A value of the right type for one option of a step (its own validators may still refuse it)."""
    if spec.type_label.endswith("template"):
        piece = st.one_of(plain_text, st.sampled_from([f"{{{n}}}" for n in spec.placeholders]), st.just("{{ }}"))
        return st.lists(piece, min_size=1, max_size=5).map("".join)
    return {
        "integer": st.integers(1, 48),
        "number": st.floats(0.5, 100),
        "true/false": st.booleans(),
        "text": plain_text,
        "list of text": st.lists(plain_text.filter(str.strip), max_size=3),
    }.get(spec.type_label, st.nothing())


@st.composite
def workflow_tables(draw: st.DrawFn) -> dict:
    """A workflow as parsed TOML: mostly right, with a wrong value, key or shape here and there."""

    def mostly(valid: st.SearchStrategy, wrong: st.SearchStrategy = toml_values):
        return draw(wrong) if draw(st.integers(0, 11)) == 0 else draw(valid)

    data: dict = {}
    if draw(st.integers(0, 11)):
        workflow = {"name": mostly(plain_text)}
        if draw(st.booleans()):
            workflow["description"] = mostly(awkward_text)
        data["workflow"] = mostly(st.just(workflow))
    if draw(st.booleans()):
        table = {}
        if draw(st.booleans()):
            table["on_error"] = mostly(st.sampled_from(["continue", "stop"]), st.sampled_from(["stp", "", "go on"]))
        if draw(st.booleans()):
            table["step_timeout"] = mostly(st.floats(1, 60), st.one_of(st.floats(), st.integers(), toml_values))
        if draw(st.booleans()):
            table["journal"] = mostly(plain_text.filter(str.strip))
        if not draw(st.integers(0, 11)):
            table[draw(awkward_text)] = draw(toml_values)
        data["settings"] = mostly(st.just(table))
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        name = mostly(st.sampled_from(sorted(REGISTRY.steps)), st.one_of(st.just("allow-disapointment"), toml_values))
        step: dict = {"uses": name}
        step_type = REGISTRY.steps.get(name) if isinstance(name, str) else None
        if draw(st.integers(0, 3)) == 0:
            step["id"] = mostly(st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,4})?", fullmatch=True))
        if draw(st.integers(0, 3)) == 0:
            events = list(step_type.events) if step_type else list(EVENT_TYPES)
            step["on"] = mostly(st.lists(st.sampled_from(events), min_size=1, unique=True),
                                st.lists(st.sampled_from([*EVENT_TYPES, "rejected", ""]), max_size=3))
        if draw(st.integers(0, 3)) == 0:
            step["when"] = mostly(
                st.dictionaries(st.just("stage"), st.sampled_from(["interview", "final", "screen"]), max_size=1),
                st.dictionaries(st.sampled_from(["stage", "kind", "date", "colour"]),
                                st.one_of(st.lists(awkward_text, max_size=2), toml_values), max_size=2))
        if step_type is not None and draw(st.booleans()):
            options = {}
            for spec in step_type.options():
                if draw(st.booleans()):
                    options[spec.name] = mostly(valid_option_value(spec))
            if not draw(st.integers(0, 11)):
                options[draw(st.sampled_from(["colour", *STEP_OPTION_NAMES]))] = draw(toml_values)
            step["with"] = mostly(st.just(options))
        steps.append(step)
    data["steps"] = mostly(st.just(steps))
    return data


def assert_clean_failure(result, *, allowed=(0, 2)) -> None:
    """The command ended by itself with an allowed exit code; any error is ``Error:`` lines only."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in allowed, (result.exit_code, result.output, result.stderr)
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith("Error: ") for line in lines), result.stderr
        assert all(line.isprintable() for line in lines), result.stderr  # no raw control characters


def invoke(args: list[str], tmp_path: Path, **kwargs):
    env = {"COACHFLOW_JOURNAL": str(tmp_path / "journal.sqlite3"), "COACHFLOW_NOW": NOW.isoformat(),
           "COACHFLOW_WORKFLOW": None, "COACHFLOW_PROFILE": None}
    return CliRunner().invoke(cli, args, env=env, **kwargs)


# --- TOML documents and workflow tables -----------------------------------------


@PROFILE
@given(text=st.one_of(awkward_text, st.text()))
def test_any_text_is_a_workflow_or_a_workflow_error(text: str) -> None:
    try:
        parse_workflow(text, REGISTRY, source="random.toml")
    except WorkflowError as exc:
        assert exc.problems and all(p.startswith("random.toml") and "\n" not in p for p in exc.problems)


@PROFILE
@given(position=st.integers(min_value=0), insert=awkward_text, delete=st.integers(0, 5))
def test_an_edited_default_workflow_is_a_workflow_or_a_workflow_error(position: int, insert: str, delete: int) -> None:
    original = default_workflow_text()
    at = position % (len(original) + 1)
    text = original[:at] + insert + original[at + delete:]
    try:
        parse_workflow(text, REGISTRY, source="edited.toml")
    except WorkflowError as exc:
        assert all(p.startswith("edited.toml") and "\n" not in p for p in exc.problems)


@PROFILE
@given(data=st.dictionaries(st.one_of(st.sampled_from(["workflow", "settings", "steps"]), awkward_text),
                            toml_values, max_size=4))
def test_any_toml_document_is_a_workflow_or_a_workflow_error(data: dict) -> None:
    text = dump_toml(data)
    try:
        parse_workflow(text, REGISTRY, source="doc.toml")
    except WorkflowError as exc:
        assert all(p.startswith("doc.toml") and "\n" not in p for p in exc.problems)


@PROFILE
@given(data=workflow_tables())
def test_a_workflow_table_loads_and_runs_or_is_refused(data: dict) -> None:
    try:
        workflow = workflow_from_dict(data, REGISTRY, source="table.toml")
    except WorkflowError as exc:
        assert exc.problems and all(p.startswith("table.toml") and "\n" not in p for p in exc.problems)
        return
    # A workflow that validates must run on an ordinary event without a step failing.
    result = run_workflow(workflow, Rejection(company="Acme", role="Data Analyst", stage="interview",
                                              date=NOW.date()), now=NOW)
    assert result.errors == [], result.errors


@PROFILE
@given(data=workflow_tables())
def test_a_workflow_file_through_the_command_line(data: dict, tmp_path: Path) -> None:
    path = tmp_path / "coachflow.toml"
    path.write_text(dump_toml(data), encoding="utf-8")
    validated = invoke(["validate", str(path)], tmp_path)
    assert_clean_failure(validated)
    ran = invoke(["run", "rejection", "--company", "Acme", "--stage", "interview", "-w", str(path), "--dry-run"],
                 tmp_path)
    assert_clean_failure(ran)
    assert ran.exit_code == validated.exit_code  # a valid workflow runs; an invalid one is refused the same way


# --- event payloads ----------------------------------------------------------------

EVENT_KEYS = sorted({"type", "company", "role", "stage", "date", "reason", "notes", "source", "text", "kind"})
payload_values = st.one_of(
    awkward_text,
    st.text(alphabet=st.characters(categories=("Cs",)) | st.sampled_from("ab"), min_size=1, max_size=3),  # "\ud800"
    st.sampled_from(["rejection", "feedback", "milestone", "interview", "applied", "today", "2026-02-30",
                     "0001-01-01", "9999-12-31", "1899-12-31", "2026-03-01", "   "]),
    st.dates().map(dt.date.isoformat),
    st.integers(),
    st.floats(),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(awkward_text, st.integers(), max_size=2),
)
payloads = st.dictionaries(st.one_of(st.sampled_from(EVENT_KEYS), awkward_text), payload_values, max_size=7)


@PROFILE
@given(payload=payloads)
def test_any_payload_is_an_event_or_one_event_error(payload: dict) -> None:
    try:
        event = event_from_dict(payload, today=NOW.date())
    except EventError as exc:
        assert "\n" not in str(exc) and "\r" not in str(exc), str(exc)
        return
    assert event_from_dict(event_to_dict(event)) == event  # what loads survives a round trip


def _json_safe(payload: dict) -> dict:
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in payload.items()}


@PROFILE
@given(payload=payloads, as_toml=st.booleans())
def test_an_event_file_is_run_or_refused_in_one_line(payload: dict, as_toml: bool, tmp_path: Path) -> None:
    if as_toml:
        path = tmp_path / "event.toml"
        path.write_text(dump_toml({k: v for k, v in payload.items() if v is not None}), encoding="utf-8")
    else:
        path = tmp_path / "event.json"
        path.write_text(json.dumps(_json_safe(payload)), encoding="utf-8")
    result = invoke(["run", "--event", str(path), "--dry-run"], tmp_path)
    assert_clean_failure(result)  # exit 1 would mean a valid event made a built-in step fail


@PROFILE
@given(fields=st.dictionaries(st.sampled_from(["company", "role", "stage", "date", "reason", "notes"]),
                              awkward_text.filter(lambda t: "\x00" not in t), max_size=6))
def test_event_options_are_run_or_refused_in_one_line(fields: dict, tmp_path: Path) -> None:
    args = ["run", "rejection", "--dry-run"]
    for name, value in fields.items():
        args += [f"--{name}", value]
    assert_clean_failure(invoke(args, tmp_path))


# --- templates -------------------------------------------------------------------------

#: Template texts built from the pieces of placeholder syntax, so that most examples are nearly valid.
template_text = st.lists(
    st.sampled_from(list("{}{}._[]!:()ab_c01 \n'\"") + ["company", "__class__", "position", "{{", "}}", "{company}"]),
    max_size=20,
).map("".join)


class Trap:
    """A value that records every way a template reaches into it."""

    def __init__(self, name: str, touched: list[str]):
        self.name, self.touched = name, touched

    def __str__(self) -> str:
        return f"<{self.name}>"

    def __getattr__(self, attribute: str):
        self.touched.append(f"{self.name}.{attribute}")
        raise AttributeError(attribute)

    def __getitem__(self, key):
        self.touched.append(f"{self.name}[{key!r}]")
        raise KeyError(key)

    def __format__(self, spec: str) -> str:
        self.touched.append(f"{self.name}:{spec}")
        return str(self)


def reference_render(text: str, values: dict) -> str:
    """What rendering must do and nothing more: ``{{``, ``}}`` and ``{name}``, else an error."""
    out, i = [], 0
    while i < len(text):
        if text.startswith("{{", i) or text.startswith("}}", i):
            out.append(text[i])
            i += 2
        elif text[i] == "{":
            end = text.find("}", i)
            name = text[i + 1:end].strip() if end != -1 else ""
            if end == -1 or "{" in text[i + 1:end] or not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
                raise TemplateError("bad placeholder")
            if name not in values:
                raise TemplateError("no value")
            out.append(str(values[name]))
            i = end + 1
        elif text[i] == "}":
            raise TemplateError("lone brace")
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


@PROFILE
@given(text=template_text)
def test_a_template_reaches_no_attribute_item_or_code(text: str) -> None:
    touched: list[str] = []
    values = {name: Trap(name, touched) for name in ("company", "position", "__class__", "a", "b_c")}
    try:
        expected = reference_render(text, values)
    except TemplateError:
        with pytest.raises(TemplateError):
            templates.render(text, values)
    else:
        assert templates.render(text, values) == expected
    assert touched == []  # str() is the only thing ever done to a value


@PROFILE
@given(text=template_text)
def test_placeholders_are_plain_names_or_a_template_error(text: str) -> None:
    try:
        names = templates.placeholders(text)
    except TemplateError as exc:
        assert "\n" not in str(exc) or "\n" in text  # the message quotes the bad token, nothing more
        return
    assert all(re.fullmatch(r"[a-z_][a-z0-9_]*", name) for name in names)


@PROFILE
@given(company=awkward_text.filter(str.strip))
def test_event_values_are_never_expanded_again(company: str) -> None:
    company = company.strip()
    assert templates.render("Thanks, {company}!", {"company": company}) == f"Thanks, {company}!"


@PROFILE
@given(text=template_text)
def test_a_template_in_a_workflow_file_is_checked_when_the_file_loads(text: str) -> None:
    data = {"workflow": {"name": "t"}, "steps": [{"uses": "allow-disappointment", "with": {"check_in": text}}]}
    try:
        workflow = workflow_from_dict(data, REGISTRY, source="t.toml")
    except WorkflowError as exc:
        assert all("\n" not in p for p in exc.problems)
        return
    result = run_workflow(workflow, Rejection(company="Acme", date=NOW.date()), now=NOW)
    assert result.errors == []  # whatever passes the check renders


def test_a_workflow_cannot_reach_python_objects_through_a_template(tmp_path: Path) -> None:
    path = tmp_path / "coachflow.toml"
    for text in ("{event.__class__.__mro__}", "{company.__class__}", "{company[0]}", "{company!r}",
                 "{company:>99999999}", "{__class__}", "{__import__('os').system('true')}"):
        path.write_text(tomli_w.dumps({"workflow": {"name": "t"},
                                       "steps": [{"uses": "allow-disappointment", "with": {"check_in": text}}]}))
        result = invoke(["validate", str(path)], tmp_path)
        assert result.exit_code == 2, text
        assert "steps[1].with.check_in" in result.stderr


def test_doubled_braces_are_literal_text_even_around_python_syntax(tmp_path: Path) -> None:
    path = tmp_path / "coachflow.toml"
    path.write_text(tomli_w.dumps({"workflow": {"name": "t"}, "steps": [
        {"uses": "allow-disappointment", "with": {"check_in": "{{company.__class__}} for {company}"}}]}))
    result = invoke(["run", "rejection", "--company", "{position}", "-w", str(path), "--format", "json",
                     "--dry-run"], tmp_path)
    assert result.exit_code == 0, result.stderr
    bodies = [a["body"] for a in json.loads(result.stdout)["actions"] if a["kind"] == "reminder"]
    assert bodies == ["{company.__class__} for {position}"]
