"""Theme matching takes time in proportion to the text, up to a documented length.

Feedback pasted without a full stop is one long clause. Matching used to search
that clause again, from its start, for every mention in it: 50,000 characters
of "communication" took 25 seconds, and every ``coachflow report`` paid that
again. Now each text is scanned once, and only its first ``SEARCHED_LENGTH``
characters. These tests feed texts of that length and of a megabyte and check
what is found; how long it takes is measured in ``benchmarks/reliability.py``
(the figures are in docs/reliability.md).
"""

from __future__ import annotations

import datetime as dt
import json
import re

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from coachflow.cli import cli
from coachflow.themes import (
    DEFAULT_THEMES,
    SEARCHED_LENGTH,
    ThemeIndex,
    excerpt,
    find_concerns,
    find_keyword,
    tag_text,
)

MEGABYTE = 1_000_000
COMMUNICATION = DEFAULT_THEMES["communication"]


def _repeated(unit: str, length: int) -> str:
    """``unit`` repeated to ``length`` characters at most, in whole units."""
    return unit * (length // len(unit))


def test_a_text_as_long_as_is_searched_of_one_word_without_punctuation_is_matched_whole() -> None:
    text = _repeated("communication ", SEARCHED_LENGTH)
    found = find_concerns(text, COMMUNICATION)
    assert len(found) == SEARCHED_LENGTH // 14
    assert found[-1].start() == len(text) - len("communication ")


def test_a_megabyte_of_one_word_is_matched_up_to_the_searched_length() -> None:
    text = _repeated("communication ", MEGABYTE)
    found = find_concerns(text, COMMUNICATION)
    # the word the limit would cut in two is left out with the rest
    assert len(found) == SEARCHED_LENGTH // 14
    assert found[-1].end() <= SEARCHED_LENGTH


def test_denials_and_concerns_in_a_long_text_keep_each_one_apart() -> None:
    # One clause each: denied, denied ("wasn't a ... issue"), raised.
    unit = "nothing to do with communication; it was not a communication issue; rambling answers. "
    for length in (SEARCHED_LENGTH, MEGABYTE):
        found = find_concerns(_repeated(unit, length), COMMUNICATION)
        assert len(found) == SEARCHED_LENGTH // len(unit)
        assert {match.group(0) for match in found} == {"rambling"}


def test_a_denial_far_back_in_one_long_clause_still_rules_out_the_mentions_after_it() -> None:
    text = "nothing to do with " + "communication " * 7_000 + ", and communication"
    assert len(text) < SEARCHED_LENGTH
    found = find_concerns(text, COMMUNICATION)
    assert [match.start() for match in found] == [len(text) - len("communication")]


def test_every_theme_of_a_megabyte_text_is_found() -> None:
    unit = "The system design lacked depth and the salary expectations were above our range "
    text = _repeated(unit, MEGABYTE)
    assert tag_text(text) == ["technical depth", "salary"]
    shown = excerpt(text, DEFAULT_THEMES["salary"])
    assert "salary" in shown and len(shown) <= 120


def test_a_megabyte_text_is_one_application_s_mention_in_a_theme_index() -> None:
    index = ThemeIndex()
    index.add_text(dt.date(2026, 3, 1), "Acme", "Analyst", _repeated("communication ", MEGABYTE))
    index.add_text(dt.date(2026, 3, 2), "Beta", "Analyst", "Rambling answers.")
    (theme,) = index.recurring()
    assert theme.theme == "communication"
    assert theme.mentions == 2
    assert theme.evidence[0][3].startswith("communication communication")


def test_only_the_first_searched_length_of_a_text_is_searched() -> None:
    filler = "x" * (SEARCHED_LENGTH - 20)
    assert tag_text(filler + " communication") == ["communication"]  # ends 6 characters before the limit
    assert tag_text(filler + " " * 30 + "communication") == []
    assert find_keyword(filler + " " * 30 + "communication", COMMUNICATION) is None
    assert excerpt(filler + ". Rambling. " + " " * 30 + "Communication.", COMMUNICATION) == "Rambling."
    # the limit never cuts a word in two: "sqlite" cut to "sql" would be a mention of SQL
    assert tag_text("x" * (SEARCHED_LENGTH - 4) + " sqlite") == []


def test_report_reads_a_ten_megabyte_feedback_up_to_the_searched_length(tmp_path) -> None:
    journal = tmp_path / "journal.sqlite3"
    env = {"COACHFLOW_JOURNAL": str(journal), "COACHFLOW_NOW": "2026-03-14T09:30"}
    huge = tmp_path / "huge.json"
    text = _repeated("communication ", 10 * MEGABYTE)
    huge.write_text(json.dumps({"type": "feedback", "company": "Acme", "text": text, "date": "2026-03-10"}))
    runner = CliRunner()
    assert runner.invoke(cli, ["run", "--event", str(huge)], env=env).exit_code == 0
    assert runner.invoke(cli, ["run", "feedback", "--company", "Beta", "--text", "Rambling answers.",
                               "--date", "2026-03-11"], env=env).exit_code == 0
    result = runner.invoke(cli, ["report", "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    (theme,) = json.loads(result.stdout)["themes"]
    assert theme["theme"] == "communication" and theme["mentions"] == 2


def test_a_megabyte_rejection_reason_is_sorted_into_its_causes(tmp_path) -> None:
    reason = "internal candidate, too junior; " * (MEGABYTE // 32)
    event = tmp_path / "rejection.json"
    event.write_text(json.dumps({"type": "rejection", "company": "Acme", "stage": "final", "reason": reason}))
    result = CliRunner().invoke(cli, ["run", "--event", str(event), "--dry-run", "--format", "json"],
                                env={"COACHFLOW_JOURNAL": str(tmp_path / "journal.sqlite3")})
    assert result.exit_code == 0, result.output
    (analysis,) = [a for a in json.loads(result.stdout)["actions"] if a["step"] == "analyze-control"]
    assert analysis["title"] == "Likely nothing you could have done differently at Acme"
    assert "an internal candidate" in analysis["body"]


# --- the same answers as the matching that searched each clause again ---------------------


def _reference_concerns(text: str, keywords) -> list[tuple[int, int]]:
    """Theme matching as it was before it was made linear: quadratic, but plain to read."""
    from coachflow.themes import _clause_patterns, _open_clauses, _pattern

    patterns = _clause_patterns()
    not_a = re.compile(r"\b(?:is|was|were)(?:\s+not|n't)\s+(?:an?\s+|the\s+)?$", re.IGNORECASE)

    def denied(clause_start: int, mention: re.Match) -> bool:
        denial = None
        for denial in patterns.denial.finditer(text, clause_start, mention.start()):
            pass
        if denial is not None and patterns.denial_scope_end.search(text, denial.end(), mention.start()) is None:
            return True
        return bool(not_a.search(text, clause_start, mention.start()) and patterns.issue.match(text, mention.end()))

    pattern = _pattern(tuple(keywords))
    return [match.span() for start, end in _open_clauses(text) for match in pattern.finditer(text, start, end)
            if not denied(start, match)]


_PIECES = [
    "communication", "rambling", "depth", "system design", "salary", "culture", "not", "nothing to do with",
    "was not", "wasn't", "a", "the", "issue", "problem", "about", "your", "no issues with", "because",
    "but", "great", "good", "lacked", "more", ",", ".", ";", ":", "(", ")", "\n", "  ", "as", "so",
    "not a reflection of", "is not about", "due to", "well", "was not the", "to",
]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(_PIECES), max_size=40), theme=st.sampled_from(list(DEFAULT_THEMES)))
def test_matching_finds_what_the_clause_by_clause_search_found(words: list[str], theme: str) -> None:
    text = " ".join(words)
    keywords = DEFAULT_THEMES[theme]
    assert [match.span() for match in find_concerns(text, keywords)] == _reference_concerns(text, keywords)
