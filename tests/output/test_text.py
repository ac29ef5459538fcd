"""How the built-in steps' words reach the terminal: wrapped at spaces only."""

from __future__ import annotations

import datetime as dt

import coachflow
from coachflow.models import Milestone, RunResult
from coachflow.output import render

# "thank-you" and "follow-up" each end past column 78 of the indented line, where a
# hyphen-breaking wrap would split them.
BODY = ("A two-line note to the recruiter keeps the door open, so write one thank-you today.\n"
        "Most companies never reply, so plan one short, friendly and polite follow-up, no more, and then "
        "let it go.\nSee https://example.org/a-link-that-fits-on-a-line-alone-not-after-the-word")


def _result():
    event = Milestone(kind="good-conversation", company="Acme", role="Data Analyst", date=dt.date(2026, 11, 25))
    action = coachflow.Action(kind="message", title="Keep in touch", body=BODY, step="celebrate-wins")
    return RunResult(event=event, workflow="test", actions=[action])


def test_text_output_wraps_at_spaces_never_inside_a_hyphenated_word_or_link():
    text = render("run", _result(), "text")
    body_lines = [line.strip() for line in text.splitlines() if line.startswith("    ")]
    assert body_lines == [
        "A two-line note to the recruiter keeps the door open, so write one",
        "thank-you today.",
        "Most companies never reply, so plan one short, friendly and polite",
        "follow-up, no more, and then let it go.",
        "See",
        "https://example.org/a-link-that-fits-on-a-line-alone-not-after-the-word",
    ]
    assert all(len(line) <= 78 for line in text.splitlines())


def test_markdown_output_keeps_each_paragraph_on_one_line():
    markdown = render("run", _result(), "markdown")
    assert [f"  {line}" + ("  " if index < 2 else "") for index, line in enumerate(BODY.splitlines())] == (
        markdown.splitlines()[4:7])
