"""Templates fill plain names and nothing else."""

from __future__ import annotations

import pytest

from coachflow.errors import TemplateError
from coachflow.templates import check, placeholders, render


def test_render_fills_names_and_keeps_escaped_braces():
    assert render("Dear {company} {{team}}", {"company": "Acme"}) == "Dear Acme {team}"


def test_placeholders_lists_each_name_once_in_order():
    assert placeholders("{role} at {company}, {role}") == ["role", "company"]


@pytest.mark.parametrize(
    "text",
    ["{event.__class__}", "{x[0]}", "{company!r}", "{company:>10}", "{0}", "{}", "{__import__}x{", "lone } brace"],
)
def test_anything_but_a_plain_name_is_refused(text):
    with pytest.raises(TemplateError):
        placeholders(text)
    with pytest.raises(TemplateError):
        render(text, {"company": "Acme", "x": [1], "event": object()})


def test_values_are_never_looked_into():
    class Secret:
        password = "hunter2"

        def __str__(self):
            return "Secret"

    assert render("{thing}", {"thing": Secret()}) == "Secret"


def test_check_rejects_unknown_names_with_the_allowed_list():
    with pytest.raises(TemplateError, match=r"unknown placeholder \{comapny\} \(did you mean 'company'\?\)"):
        check("Hi {comapny}", ["company", "role"])
