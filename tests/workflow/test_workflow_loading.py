"""Loading workflow files: strict, precise, every problem at once."""

from __future__ import annotations

import pytest

from coachflow.errors import WorkflowError
from coachflow.workflow import load_default_workflow, load_workflow

from support import make_host, workflow


def problems_of(toml: str) -> list[str]:
    with pytest.raises(WorkflowError) as caught:
        workflow(toml)
    return caught.value.lines()


def test_a_valid_workflow_loads_with_its_options_structured():
    flow = workflow("""
[workflow]
name = "Bounce back"
description = "for tests"
[settings]
on_error = "stop"
[[steps]]
uses = "allow-disappointment"
id = "feel-it"
with = { window_hours = 48, support_contacts = ["Sam", "Priya"] }
""")
    assert flow.name == "Bounce back"
    assert flow.settings.on_error == "stop"
    step = flow.steps[0]
    assert (step.id, step.uses, step.on) == ("feel-it", "allow-disappointment", ("rejection", "feedback", "milestone"))
    assert step.options.window_hours == 48
    assert step.options.support_contacts == ["Sam", "Priya"]


def test_a_wrong_value_names_file_line_and_key_path():
    assert problems_of("""[workflow]
name = "x"

[[steps]]
uses = "allow-disappointment"

[[steps]]
uses = "allow-disappointment"
with = { window_hours = "a day" }
""") == ["test.toml:9: steps[2].with.window_hours: expected an integer, got 'a day'"]


def test_numbers_are_never_coerced_from_text_or_booleans():
    lines = problems_of("""[workflow]
name = "x"
[[steps]]
uses = "allow-disappointment"
with.window_hours = true
with.support_contacts = "Sam"
""")
    assert "test.toml:5: steps[1].with.window_hours: expected an integer, got true" in lines
    assert any("steps[1].with.support_contacts" in line for line in lines)


def test_unknown_keys_are_refused_with_a_suggestion():
    lines = problems_of("""[workflow]
name = "x"
[settings]
on_eror = "stop"
[[steps]]
uses = "allow-disappointment"
with.windw_hours = 3
""")
    assert lines == [
        "test.toml:4: settings.on_eror: unknown key (did you mean 'on_error'?)",
        "test.toml:7: steps[1].with.windw_hours: unknown key (did you mean 'window_hours'?)",
    ]


def test_unknown_step_type_names_the_closest_one():
    assert problems_of("""[workflow]
name = "x"
[[steps]]
uses = "allow-disapointment"
""") == [
        "test.toml:4: steps[1].uses: unknown step type 'allow-disapointment' (did you mean "
        "'allow-disappointment'?); 'coachflow steps' lists them"
    ]


def test_all_problems_of_a_file_are_reported_at_once():
    lines = problems_of("""[workflow]
name = "x"
[settings]
on_error = "contine"
[[steps]]
uses = "nope"
[[steps]]
uses = "echo"
on = ["rejection", "feedbak"]
[[steps]]
uses = "allow-disappointment"
when = { stage = "intervew" }
""")
    assert len(lines) == 4
    assert lines[0].startswith("test.toml:4: settings.on_error: expected one of 'continue', 'stop', got 'contine'")
    assert lines[1].startswith("test.toml:6: steps[1].uses: unknown step type 'nope'")
    assert lines[2].startswith("test.toml:9: steps[2].on[2]: 'feedbak' is not an event type")
    assert lines[3].startswith("test.toml:12: steps[3].when.stage: 'intervew' is not a stage")


def test_when_on_a_field_the_event_lacks_is_refused():
    lines = problems_of("""[workflow]
name = "x"
[[steps]]
uses = "echo"
on = ["feedback"]
when = { stage = "final" }
""")
    assert lines == [
        "test.toml:6: steps[1].when.stage: feedback events have no 'stage'; narrow 'on' to events "
        "that have it; this step can match on company, role, source, text"
    ]


def test_when_without_on_narrows_to_events_with_that_field():
    flow = workflow("""[workflow]
name = "x"
[[steps]]
uses = "echo"
when = { kind = ["offer", "accepted"] }
""")
    assert flow.steps[0].on == ("milestone",)


def test_missing_name_and_no_steps_are_reported():
    lines = problems_of("""[workflow]
description = "no name"
""")
    assert lines == [
        "test.toml:1: workflow.name: required, but missing",
        "test.toml: steps: the workflow has no steps; add at least one [[steps]] table",
    ]


def test_toml_syntax_error_names_line_and_column(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[workflow]\nname = "x"\n[[steps]\nuses = "echo"\n')
    with pytest.raises(WorkflowError) as caught:
        load_workflow(path, make_host().registry)
    assert caught.value.lines() == [f"{path}:3:8: TOML syntax error: Expected ']]' at the end of an array declaration"]


def test_non_utf8_file_is_a_clear_error(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('[workflow]\nname = "Caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(WorkflowError) as caught:
        load_workflow(path, make_host().registry)
    assert caught.value.lines() == [f"{path}:2: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"]


def test_unknown_placeholder_is_a_load_time_error():
    lines = problems_of("""[workflow]
name = "x"
[[steps]]
uses = "echo"
with.greeting = "Hi {comapny}"
""")
    assert lines == [
        "test.toml:5: steps[1].with.greeting: unknown placeholder {comapny} (did you mean 'company'?); "
        "this text can use {company}, {date}, {position}, {role}, {type}"
    ]


@pytest.mark.parametrize("text", ["{event.__class__}", "{company.__class__}", "{x[0]}", "{company!r}", "{company:>99}"])
def test_placeholders_cannot_reach_attributes_items_or_conversions(text):
    lines = problems_of(f"""[workflow]
name = "x"
[[steps]]
uses = "echo"
with.greeting = "{text}"
""")
    assert len(lines) == 1
    assert "is not a placeholder: use a plain name such as {company}" in lines[0]


def test_every_problem_of_a_template_is_reported_in_one_pass():
    lines = problems_of("""[workflow]
name = "x"
[[steps]]
uses = "echo"
with = { greeting = "Hi {compnay} {company.upper} {" }
""")
    assert lines == [
        "test.toml:5: steps[1].with.greeting: unknown placeholder {compnay} (did you mean 'company'?); "
        "this text can use {company}, {date}, {position}, {role}, {type}",
        "test.toml:5: steps[1].with.greeting: '{company.upper}' is not a placeholder: use a plain name such as "
        "{company}, with no dots, brackets, '!' or ':'",
        "test.toml:5: steps[1].with.greeting: a lone '{' at character 30; write '{{' for a literal brace",
    ]


def test_duplicate_ids_are_refused_but_repeated_uses_get_numbered_ids():
    flow = workflow("""[workflow]
name = "x"
[[steps]]
uses = "echo"
[[steps]]
uses = "echo"
""")
    assert [s.id for s in flow.steps] == ["echo", "echo-2"]
    assert problems_of("""[workflow]
name = "x"
[[steps]]
uses = "echo"
id = "same"
[[steps]]
uses = "echo"
id = "same"
""") == ["test.toml:8: steps[2].id: another step already has the id 'same'"]


def test_the_built_in_default_workflow_is_valid():
    flow = load_default_workflow(make_host().registry)
    assert flow.steps
    assert all(step.uses for step in flow.steps)


def test_a_template_mistake_is_reported_even_when_another_option_is_wrong():
    lines = problems_of("""[workflow]
name = "x"
[[steps]]
uses = "allow-disappointment"
with.window_hours = 0
with.check_in = "See you {tomorow}"
""")
    assert lines == [
        "test.toml:5: steps[1].with.window_hours: must be 1 or more, not 0",
        "test.toml:6: steps[1].with.check_in: unknown placeholder {tomorow}; this text can use {company}, "
        "{date}, {notes}, {position}, {reason}, {role}, {stage}, {type}, {window_end}",
    ]


def test_a_wrong_value_inside_a_table_option_names_its_key():
    lines = problems_of("""[workflow]
name = "x"
[[steps]]
uses = "feedback-patterns"
with.extra_themes = { portfolio = "github" }
""")
    assert lines == [
        "test.toml:5: steps[1].with.extra_themes.portfolio: expected a list, got 'github'",
    ]


@pytest.mark.parametrize("where", ["/tmp/shared.sqlite3", "../other/journal.sqlite3", "~/journal.sqlite3", ""])
def test_a_shared_workflow_cannot_put_the_journal_outside_its_folder(where):
    lines = problems_of(f"""[workflow]
name = "x"
[settings]
journal = "{where}"
[[steps]]
uses = "echo"
""")
    assert len(lines) == 1
    assert lines[0].startswith("test.toml:4: settings.journal: must be a file name inside the workflow's folder")


def test_a_journal_beside_the_workflow_is_fine():
    assert workflow("""[workflow]
name = "x"
[settings]
journal = "data/client.sqlite3"
[[steps]]
uses = "echo"
""").settings.journal == "data/client.sqlite3"


def test_template_options_are_structured_as_templates(tmp_path):
    from coachflow import templates
    from coachflow.workflow import parse_workflow

    workflow = parse_workflow(
        '[workflow]\nname = "t"\n[[steps]]\nuses = "allow-disappointment"\n'
        '[steps.with]\nacknowledgement = "A no from {company} hurts."\n', make_host().registry)
    (step,) = workflow.steps
    assert type(step.options.acknowledgement) is templates.Template
