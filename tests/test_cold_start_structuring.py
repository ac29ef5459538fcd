"""Workflow tables structured without cattrs give exactly what cattrs gives.

``coachflow.workflow.structure_table`` structures plain tables itself and
leaves everything else to the cattrs converter (see the module's docstring).
These tests feed both random tables, mostly of the right shape, and check
that whenever the direct way gives an answer, cattrs gives the same one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import types
import typing
from typing import Any, Literal, Optional

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coachflow
from coachflow import templates
from coachflow.plugin.host import build_host
from coachflow.workflow import (
    Settings,
    _NotPlain,
    _plainly,
    _StepTable,
    _WorkflowTable,
    converter,
    load_default_workflow,
    structure_table,
)

settings.register_profile(
    "coachflow-structuring",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = settings.get_profile(os.environ.get("COACHFLOW_HYPOTHESIS", "coachflow-structuring"))

REGISTRY = build_host(load_entry_points=False).registry


@attrs.define
class Inner:
    label: str
    weight: float = 1.0


@attrs.define
class EveryShape:
    """Options of every shape a plugin might declare, plain and not."""

    text: str = coachflow.option("x", help="text")
    template: coachflow.Template = coachflow.option("Hi {company}", help="template")
    count: int = coachflow.option(1, help="integer")
    ratio: float = coachflow.option(0.5, help="number")
    flag: bool = coachflow.option(False, help="switch")
    names: list[str] = coachflow.option(factory=list, help="list")
    frozen: tuple[int, ...] = coachflow.option((), help="tuple")
    table: dict[str, list[str]] = coachflow.option(factory=dict, help="table of lists")
    mode: Literal["a", "b", 1] = coachflow.option("a", help="literal")
    maybe: Optional[str] = coachflow.option(None, help="optional")
    either: int | None = coachflow.option(None, help="optional, new style")
    inner: Optional[Inner] = coachflow.option(None, help="nested")
    anything: Any = coachflow.option(None, help="anything")
    pair: tuple[str, int] = coachflow.option(("a", 1), help="fixed tuple: cattrs's")
    positive: int = coachflow.option(1, help="validated", validator=attrs.validators.gt(0))


CLASSES = [Settings, _StepTable, _WorkflowTable, EveryShape, Inner,
           *(step.options_class for step in REGISTRY.steps.values())]

scalars = st.one_of(st.text(max_size=8), st.integers(-5, 5), st.floats(allow_nan=False, width=32), st.booleans(),
                    st.none(), st.sampled_from(["continue", "stop", "a", "b", 1, "journal.sqlite3", "../x"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.tuples(inner, inner),
    st.dictionaries(st.one_of(st.text(max_size=5), st.integers(0, 2)), inner, max_size=3)), max_leaves=8)


def fitting(tp: Any) -> st.SearchStrategy:
    """Values of the type ``tp``, mostly, as TOML gives them (lists for tuples)."""
    origin, arguments = typing.get_origin(tp), typing.get_args(tp)
    if tp in (str, templates.Template):
        return st.one_of(st.text(max_size=6), st.sampled_from(["continue", "stop", "journal.sqlite3", "{company}"]))
    if tp is int:
        return st.integers(-3, 9)
    if tp is float:
        return st.one_of(st.integers(-3, 9), st.floats(allow_nan=False, width=32))
    if tp is bool:
        return st.booleans()
    if origin in (list, tuple) and arguments and arguments[-1] is not ...:
        return st.lists(fitting(arguments[0]), max_size=3) if origin is list else values
    if origin is tuple:
        return st.lists(fitting(arguments[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(fitting(arguments[0]), fitting(arguments[1]), max_size=3)
    if origin is Literal:
        return st.sampled_from(arguments)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(st.none() if a is type(None) else fitting(a) for a in arguments))
    if isinstance(tp, type) and attrs.has(tp):
        return tables_for(tp)
    return values


@st.composite
def tables_for(draw, cls: type) -> dict:
    """A table for ``cls``: some of its keys (and now and then another), mostly with fitting values."""
    hints = typing.get_type_hints(cls)
    names = {("with" if cls is _StepTable and f.name == "with_" else f.name): hints.get(f.name, Any)
             for f in attrs.fields(cls)}
    keys = draw(st.lists(st.one_of(st.sampled_from(sorted(names)), st.sampled_from(sorted(names)), st.text(max_size=4)),
                         max_size=len(names), unique=True))
    return {key: draw(st.one_of(fitting(names.get(key, Any)), fitting(names.get(key, Any)), values)) for key in keys}


def types_of(value: Any) -> Any:
    """The value's shape with the type of every part, so that 1 and 1.0 differ."""
    if isinstance(value, (list, tuple)):
        return type(value), [types_of(v) for v in value]
    if isinstance(value, dict):
        return type(value), {k: types_of(v) for k, v in value.items()}
    if attrs.has(type(value)):
        return type(value), {f.name: types_of(getattr(value, f.name)) for f in attrs.fields(type(value))}
    return type(value), value


def assert_same_as_cattrs(value: Any, cls: type) -> bool:
    """Check the direct answer against cattrs's; True when the direct way answered."""
    try:
        direct = _plainly(value, cls)
    except _NotPlain:
        return False
    assert types_of(direct) == types_of(converter().structure(value, cls))
    return True


@PROFILE
@given(data=st.data())
@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_random_tables_structure_as_cattrs_does(cls, data):
    assert_same_as_cattrs(data.draw(tables_for(cls)), cls)


VALID = {
    "text": "hello", "template": "Hi {company}", "count": 3, "ratio": 2, "flag": True, "names": ["a", "b"],
    "frozen": [1, 2], "table": {"x": ["y"]}, "mode": 1, "maybe": "m", "either": 4,
    "inner": {"label": "l", "weight": 3}, "anything": {"any": [1]}, "positive": 2,
}


def test_plain_tables_are_structured_directly_and_alike():
    # each of these would be left to cattrs if the direct way did not know it
    for key, value in VALID.items():
        assert assert_same_as_cattrs({key: value}, EveryShape), key
    assert assert_same_as_cattrs({"uses": "x", "with": {"a": 1}, "on": ["rejection"], "when": {}}, _StepTable)
    assert assert_same_as_cattrs({"on_error": "stop", "journal": "j.sqlite3", "step_timeout": 5}, Settings)


@pytest.mark.parametrize("table", [
    {"count": True}, {"ratio": "1"}, {"names": "abc"}, {"table": []}, {"mode": "c"}, {"mode": True},
    {"pair": ["a", 1]}, {"positive": 0}, {"inner": {"weight": 2}}, {"unknown": 1}, {"flag": 1},
])
def test_anything_else_goes_to_cattrs(table):
    assert not assert_same_as_cattrs(table, EveryShape)


def test_errors_are_cattrs_own():
    with pytest.raises(Exception) as caught:
        structure_table({"count": "3"}, EveryShape)

    assert type(caught.value).__module__.startswith("cattrs")


def test_the_default_workflow_is_the_same_either_way():
    workflow = load_default_workflow(REGISTRY)

    for step in workflow.steps:
        assert step.options == converter().structure({}, step.step_type.options_class)
    assert workflow.settings == converter().structure({"on_error": "continue"}, Settings)


def test_running_the_default_workflow_does_not_import_cattrs(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COACHFLOW_")}
    environment.update({"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")})
    script = ("import sys\nfrom coachflow.cli import cli\n"
              "cli.main(['run', 'rejection', '--company', 'Acme', '--dry-run'], standalone_mode=False)\n"
              "print(sorted(m for m in sys.modules if m.startswith('cattrs')))\n")
    result = subprocess.run([sys.executable, "-c", script], env=environment, cwd=tmp_path,
                            capture_output=True, text=True, check=True)

    assert "Dry run: nothing was written to the journal." in result.stdout
    assert result.stdout.splitlines()[-1] == "[]"


def test_templates_stay_templates():
    options = structure_table({"template": "Hi {company}"}, EveryShape)

    assert type(options.template) is templates.Template
