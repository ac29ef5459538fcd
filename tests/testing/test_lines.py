"""Finding the line of a key path in TOML text, for the messages about test files."""

from __future__ import annotations

import tomllib

import pytest

from coachflow.testing.lines import key_lines, line_of, show_path

TEXT = '''\
workflow = "coachflow.toml"  # a comment with "quotes" and [brackets]
"quoted key" = 1

[client]
name = "Jo"

[[cases]]
name = """a name
over two lines, with ] and } and "" inside"""
given = [
    { type = "milestone", kind = "applied", company = "Acme", date = "-3d" },
    { type = 'rejection', company = "Beta, Inc.", notes = 'it is "fine"' },
]
event.type = "rejection"
event.company = "Acme"

[[cases.expect]]
step = "a"

[[cases.expect]]
due = 2026-11-26T17:30:00

[[cases]]
name = "two"
expect = [{ count = 0 }]

[cases.client]
target = 3
'''


def test_every_key_path_has_its_line():
    tomllib.loads(TEXT)  # the scan reads text that tomllib accepts
    lines = key_lines(TEXT)

    assert lines[("workflow",)] == 1
    assert lines[("quoted key",)] == 2
    assert lines[("client", "name")] == 5
    assert lines[("cases", 0)] == 7
    assert lines[("cases", 0, "given", 0, "date")] == 11
    assert lines[("cases", 0, "given", 1)] == 12
    assert lines[("cases", 0, "given", 1, "notes")] == 12
    assert lines[("cases", 0, "event", "type")] == 14
    assert lines[("cases", 0, "event", "company")] == 15
    assert lines[("cases", 0, "expect", 1, "due")] == 21
    assert lines[("cases", 1, "name")] == 24
    assert lines[("cases", 1, "expect", 0, "count")] == 25
    assert lines[("cases", 1, "client", "target")] == 28


def test_a_missing_key_falls_back_to_the_nearest_table_that_has_a_line():
    lines = key_lines(TEXT)

    assert line_of(lines, ("cases", 1, "event")) == 23
    assert line_of(lines, ("cases", 0, "given", 1, "stage")) == 12
    assert line_of(lines, ("nowhere",)) is None


@pytest.mark.parametrize("text", ["a = [", 'a = "unclosed', "[[x", "= 1", "a = { b = "])
def test_text_the_scan_cannot_follow_gives_what_it_found(text):
    assert isinstance(key_lines("ok = 1\n" + text), dict)
    assert key_lines("ok = 1\n" + text)[("ok",)] == 1


def test_paths_are_shown_with_items_counted_from_one():
    assert show_path(("cases", 1, "expect", 0, "due")) == "cases[2].expect[1].due"
    assert show_path(("now",)) == "now"
