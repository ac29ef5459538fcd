"""A new plugin package, ready to install and test: what ``coachflow plugins new NAME`` writes.

The package is what the plugin tutorial builds by hand: a ``pyproject.toml``
with the entry point, a module with one step that has an option, a test
that runs it with coachflow's pytest fixtures, and a README.
"""

from __future__ import annotations

from pathlib import Path

from coachflow.errors import CoachflowError

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{distribution}"
version = "0.1.0"
description = "A coachflow plugin offering the step {name}."
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["coachflow>={coachflow_version}"]

[project.optional-dependencies]
test = ["pytest>=8"]

# This is what makes coachflow find the plugin once the distribution is installed.
[project.entry-points.coachflow]
{name} = "{package}"

# If the plugin adds commands (the register_commands hook), name them here, so that
# 'coachflow --help' lists them without importing the plugin:
# [project.entry-points."coachflow.commands"]
# my-command = "{package}"

[tool.setuptools.packages.find]
where = ["src"]

[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = "-ra"
"""

MODULE = '''\
"""{distribution}: a coachflow plugin offering the step {name}."""

import attrs

import coachflow


@attrs.define
class {cls}Options:
    """The options of the {name} step (its ``with`` table in a workflow)."""

    question: coachflow.Template = coachflow.option(
        "What is one thing you would keep from your time with {{company}}?",
        help="The question to think about after a rejection; {{company}} and {{role}} are filled in.",
    )


class {cls}(coachflow.Step):
    """After a rejection, one question to think about."""

    name = "{name}"
    Options = {cls}Options

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return coachflow.Action(
            kind="prompt",
            title=f"Think about: {{event.company}}",
            body=ctx.render(ctx.options.question, event),
        )


@coachflow.hookimpl
def register_steps(register):
    register({cls})
'''

TEST = '''\
"""Tests of the {name} step, with coachflow's pytest fixtures (installed with coachflow)."""

import pytest

import {package}

REJECTION = {{"type": "rejection", "company": "Acme", "role": "Data Analyst", "stage": "interview"}}


@pytest.fixture
def coachflow_plugins():
    return [{package}]


@pytest.fixture
def coachflow_strict():
    return True  # a step that raises fails the test with its traceback


def test_a_rejection_gets_a_question(run_workflow):
    result = run_workflow('[[steps]]\\nuses = "{name}"\\n', REJECTION)

    (prompt,) = result.actions
    assert prompt.kind == "prompt"
    assert prompt.title == "Think about: Acme"
    assert prompt.body == "What is one thing you would keep from your time with Acme?"


def test_the_question_is_an_option(run_workflow):
    workflow = {{"steps": [{{"uses": "{name}", "with": {{"question": "What did the {{role}} role teach you?"}}}}]}}

    result = run_workflow(workflow, REJECTION)

    assert result.actions[0].body == "What did the Data Analyst role teach you?"
'''

README = """\
# {distribution}

A [coachflow](https://pypi.org/project/coachflow/) plugin offering the step `{name}`:
after a rejection, one question to think about.

Install it next to coachflow, with its test extras, and run its tests:

```bash
pip install -e '.[test]'
python -m pytest
```

Then use the step in a workflow (`coachflow steps {name}` lists its options):

```toml
[[steps]]
uses = "{name}"
```

`src/{package}/__init__.py` holds the step; coachflow's plugin tutorial explains each part.
"""


def class_name(name: str) -> str:
    """``thank-you`` -> ``ThankYou``."""
    return "".join(part.capitalize() for part in name.split("-"))


def write_plugin(name: str, folder: Path) -> Path:
    """Write the package for a plugin called ``name`` into ``folder``/``coachflow-NAME``.

    :return: the package's folder.
    :raises CoachflowError: for a name that is not lower-case words joined by
        hyphens, or when the folder exists already.
    """
    from coachflow import __version__
    from coachflow.models import is_valid_kind_name

    if not is_valid_kind_name(name):
        raise CoachflowError(f"'{name}' is not a plugin name; use lower-case words joined by hyphens, "
                             "such as 'thank-you'")
    short = name.removeprefix("coachflow-")
    values = {"name": short, "distribution": f"coachflow-{short}", "package": f"coachflow_{short.replace('-', '_')}",
              "cls": class_name(short), "coachflow_version": __version__}
    target = folder / values["distribution"]
    if target.exists():
        raise CoachflowError(f"{target}: already exists; choose another name or folder")
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": README,
        f"src/{values['package']}/__init__.py": MODULE,
        f"tests/test_{values['package'].removeprefix('coachflow_')}.py": TEST,
    }
    try:
        for relative, template in files.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(template.format(**values), encoding="utf-8")
    except OSError as exc:
        raise CoachflowError(f"{target}: cannot write the plugin: {exc.strerror or exc}") from None
    return target
