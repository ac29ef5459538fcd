"""The workflow JSON Schema: generated from the step option classes, checked with a real validator."""

from __future__ import annotations

import json
import tomllib

import attrs
import jsonschema
import pytest
from click.testing import CliRunner
from support.fake_plugins import site  # noqa: F401  (a fixture)

import coachflow
from coachflow import option
from coachflow.cli import cli
from coachflow.plugin.host import build_host
from coachflow.models import is_valid_kind_name
from coachflow.schema import NAME_PATTERN, workflow_schema
from coachflow.workflow import default_workflow_text, parse_workflow

VALID = """
#:schema ./coachflow.schema.json
[workflow]
name = "Bounce back"
description = "Feel it, then move on."

[settings]
on_error = "stop"
step_timeout = 2.5

[[steps]]
uses = "allow-disappointment"
id = "feel-it"
on = ["rejection"]
when.stage = ["interview", "final"]
with.window_hours = 48
with.support_contacts = ["Sam", "Ana"]

[[steps]]
uses = "survey"
with.question = "What went well?"
with.scale = 5
with.tone = "warm"
with.tags = ["interview"]
"""


@attrs.define
class SurveyOptions:
    question: str = option(help="What to ask.")
    scale: int = option(10, help="Points on the scale.", validator=[attrs.validators.ge(3), attrs.validators.le(10)])
    tone: str = option("plain", help="How it sounds.", validator=attrs.validators.in_(["plain", "warm"]))
    tags: list[str] = option(factory=list, help="Labels.", validator=attrs.validators.max_len(3))
    intro: coachflow.Template = option("About {company}:", help="The first line.")
    weight: float | None = option(None, help="Optional weight.")


class Survey(coachflow.Step):
    """Ask one question after an event."""

    name = "survey"
    Options = SurveyOptions

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return None

    @coachflow.hookimpl
    def on_feedback(self, event, ctx):
        return None


class SurveyPlugin:
    @coachflow.hookimpl
    def register_steps(self, register):
        register(Survey)


@pytest.fixture(scope="module")
def registry():
    host = build_host(load_entry_points=False, extra_plugins=[("survey-plugin", SurveyPlugin())])
    assert host.warnings == []
    return host.registry


@pytest.fixture(scope="module")
def validator(registry):
    schema = workflow_schema(registry)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator, text: str) -> list[str]:
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.validator}" for e in validator.iter_errors(tomllib.loads(text)))


def test_a_valid_workflow_validates_against_the_schema_and_loads(validator, registry):
    assert errors(validator, VALID) == []
    assert parse_workflow(VALID, registry).steps[1].options.scale == 5


def test_the_default_workflow_validates(validator):
    assert errors(validator, default_workflow_text()) == []


@pytest.mark.parametrize(("change", "expected"), [
    (("with.window_hours = 48", 'with.window_hours = "48"'), "steps/0/with/window_hours: type"),
    (("with.window_hours = 48", "with.window_hours = 0"), "steps/0/with/window_hours: minimum"),
    (("with.window_hours = 48", "with.window_hourz = 48"), "steps/0/with: additionalProperties"),
    (("with.scale = 5", "with.scale = 11"), "steps/1/with/scale: maximum"),
    (('with.tone = "warm"', 'with.tone = "cold"'), "steps/1/with/tone: enum"),
    (('with.tags = ["interview"]', 'with.tags = ["a", "b", "c", "d"]'), "steps/1/with/tags: maxItems"),
    (('with.question = "What went well?"', ""), "steps/1/with: required"),
    (('uses = "survey"', 'uses = "surveys"'), "steps/1/uses: anyOf"),
    (('on = ["rejection"]', 'on = ["holiday"]'), "steps/0/on/0: enum"),
    (('uses = "survey"', 'uses = "survey"\non = ["milestone"]'), "steps/1/on/0: enum"),
    (('on_error = "stop"', 'day_starts = "8am"'), "settings/day_starts: pattern"),
    (('when.stage = ["interview", "final"]', 'when.stage = "lunch"'), "steps/0/when/stage: anyOf"),
    (('on_error = "stop"', 'on_error = "halt"'), "settings/on_error: enum"),
    (('id = "feel-it"', 'id = "Feel It"'), "steps/0/id: pattern"),
    (('name = "Bounce back"', ""), "workflow: required"),
])
def test_an_invalid_workflow_does_not_validate(validator, registry, change, expected):
    text = VALID.replace(*change)

    assert expected in errors(validator, text)
    with pytest.raises(coachflow.errors.WorkflowError):
        parse_workflow(text, registry)


def test_options_carry_help_defaults_and_placeholders(registry):
    options = workflow_schema(registry)["$defs"]["with.survey"]

    assert options["required"] == ["question"]
    assert options["properties"]["scale"] == {"type": "integer", "description": "Points on the scale.", "default": 10,
                                              "minimum": 3, "maximum": 10}
    assert options["properties"]["weight"] == {"type": "number", "description": "Optional weight."}
    assert options["properties"]["intro"]["description"] == (
        "The first line. Placeholders: {company}, {date}, {position}, {role}, {type}.")
    assert options["description"] == "Options of survey: Ask one question after an event."


def test_the_id_pattern_matches_what_loading_accepts():
    import re

    for name in ("a", "ask-a-friend", "step2", "x-1-y", "A", "ask_a", "-a", "a-", "a--b", "2a", "", "é", "a b"):
        assert bool(re.match(NAME_PATTERN, name)) == is_valid_kind_name(name), name
    # JSON Schema's $ is the end of the text; Python's would also let a final newline through
    assert not is_valid_kind_name("ask-a-friend\n")


def test_schema_command_prints_the_schema_with_installed_and_local_steps(tmp_path, site):
    plugin = tmp_path / "extra.py"
    plugin.write_text(
        "import coachflow\n\nclass Extra(coachflow.Step):\n    '''An extra step.'''\n    name = 'extra'\n\n"
        "    @coachflow.hookimpl\n    def on_milestone(self, event, ctx):\n        return None\n\n"
        "@coachflow.hookimpl\ndef register_steps(register):\n    register(Extra)\n", encoding="utf-8")

    result = CliRunner().invoke(cli, ["--plugin", str(plugin), "schema"], env={"COACHFLOW_PLUGINS": ""})

    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {"with.allow-disappointment", "with.extra"} <= set(schema["$defs"])


def test_schema_command_writes_a_file_that_editors_can_use(tmp_path):
    target = tmp_path / "coachflow.schema.json"

    result = CliRunner().invoke(cli, ["schema", "-o", str(target)])

    assert result.exit_code == 0
    assert result.stdout == f"Wrote {target}. Put '#:schema ./coachflow.schema.json' on the first line of a workflow next to it.\n"
    jsonschema.Draft202012Validator.check_schema(json.loads(target.read_text(encoding="utf-8")))


def test_schema_command_reports_an_unwritable_file_in_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["schema", "-o", str(tmp_path / "missing" / "schema.json")])

    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'missing' / 'schema.json'}: cannot write the schema: No such file or directory\n"


def test_declared_milestone_kinds_and_word_conditions_validate(validator, registry):
    text = VALID + (
        '\n[milestones.networking-introduction]\ndescription = "an introduction"\nwin = true\n\n'
        '[[steps]]\nuses = "analyze-control"\nwhen = { reason = { contains = ["freeze", "budget*"] } }\n'
    )
    assert errors(validator, text) == []
    assert parse_workflow(text, registry).milestone_kinds["networking-introduction"].win is True
    assert errors(validator, text.replace("win = true", 'win = "yes"')) == \
        ["milestones/networking-introduction/win: type"]
    assert "steps/2/when/reason: anyOf" in errors(validator, text.replace("contains =", "includes ="))
