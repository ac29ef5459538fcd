"""coachflow.themes: tagging text and finding themes that recur across applications."""

from __future__ import annotations

import datetime as dt

import pytest

from coachflow.themes import DEFAULT_THEMES, ApplicationEvidence, ThemeEvidence, ThemeIndex, combine_themes, excerpt, recurring_themes, tag_text
from support import feedback, open_journal, rejection, seed


def test_the_default_themes_are_the_methods_five():
    assert list(DEFAULT_THEMES) == ["communication", "technical depth", "experience level", "culture fit", "salary"]


def test_keywords_match_whole_words_or_prefixes_ignoring_case():
    assert tag_text("Your COMMUNICATION was unclear") == ["communication"]
    assert tag_text("communicating trade-offs") == ["communication", "technical depth"]
    assert tag_text("The payments team loved the SQLite demo") == []
    assert tag_text("system\n  design answers were thin") == ["technical depth"]


def test_coach_keywords_extend_a_theme_and_add_new_ones():
    themes = combine_themes(DEFAULT_THEMES, {"salary": ["rate card"], "portfolio": ["portfolio"]})
    assert themes["salary"][-1] == "rate card"
    assert tag_text("Your rate card and portfolio", themes) == ["salary", "portfolio"]


def test_an_excerpt_is_the_sentence_that_mentions_the_theme():
    text = "Great energy. Your SQL answers lacked depth, especially on joins. We'd love to stay in touch."
    assert excerpt(text, DEFAULT_THEMES["technical depth"]) == "Your SQL answers lacked depth, especially on joins."


def test_a_long_excerpt_is_cut_at_word_boundaries_around_the_mention():
    text = "word " * 40 + "and then the system design part lacked depth " + "more " * 40
    shown = excerpt(text, DEFAULT_THEMES["technical depth"], limit=60)
    assert "system design" in shown
    assert shown.startswith("...") and shown.endswith("...")
    assert set(shown.strip(".").split()) <= set(text.split())  # no word shown in half


def test_recurring_themes_count_distinct_applications_with_their_evidence(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal,
             feedback("2026-09-30", "Acme", "Your SQL lacked depth."),
             rejection("2026-09-29", "Acme", reason="A candidate with stronger SQL"),
             feedback("2026-10-10", "Beta", "Unclear answers.", role="BI Analyst"),
             feedback("2026-11-10", "Gamma", "Shallow on architecture.", role="Analyst"),
             rejection("2026-11-12", "Gamma", role="", reason="We need more SQL"))
        found = recurring_themes(journal.reader, DEFAULT_THEMES)
    assert found == [
        ThemeEvidence(
            theme="technical depth",
            applications=[("Acme", "Data Analyst"), ("Gamma", "Analyst")],
            by_application=[
                ApplicationEvidence("Gamma", "Analyst", 2, (dt.date(2026, 11, 12), "Gamma", "", "We need more SQL")),
                ApplicationEvidence("Acme", "Data Analyst", 2,
                                    (dt.date(2026, 9, 30), "Acme", "Data Analyst", "Your SQL lacked depth.")),
            ],
            mentions=4,
            evidence=[
                (dt.date(2026, 9, 29), "Acme", "Data Analyst", "A candidate with stronger SQL"),
                (dt.date(2026, 9, 30), "Acme", "Data Analyst", "Your SQL lacked depth."),
                (dt.date(2026, 11, 10), "Gamma", "Analyst", "Shallow on architecture."),
                (dt.date(2026, 11, 12), "Gamma", "", "We need more SQL"),
            ],
        )
    ]
    assert found[0].count == 2 and found[0].companies == ["Acme", "Gamma"]


def test_recurring_themes_respect_the_threshold_and_the_dates(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal,
             feedback("2026-09-01", "Acme", "Shallow."),
             feedback("2026-10-01", "Beta", "Shallow."),
             feedback("2026-11-01", "Gamma", "Shallow."))
        reader = journal.reader
        assert [t.count for t in recurring_themes(reader, DEFAULT_THEMES, min_applications=3)] == [3]
        assert recurring_themes(reader, DEFAULT_THEMES, min_applications=4) == []
        assert recurring_themes(reader, DEFAULT_THEMES, since=dt.date(2026, 9, 15), until=dt.date(2026, 10, 15)) == []
        assert [t.count for t in recurring_themes(reader, DEFAULT_THEMES, since=dt.date(2026, 9, 15))] == [2]


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("Great communication; we needed deeper Linux experience", []),
        ("Strong SQL and clear dashboards", []),
        ("Communication was good but answers could be more concise", ["communication"]),
        ("Liked your energy, but your SQL answers lacked depth", ["technical depth"]),
        ("Your answers were hard to follow", ["communication"]),
    ],
)
def test_praise_is_not_a_theme_to_work_on(text, themes):
    assert tag_text(text) == themes


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("Nothing to do with your technical skills, we hired internally", []),
        ("It wasn't about your SQL, we went with someone more senior", ["experience level"]),
        ("It wasn't a communication issue", []),
        ("There was no issue with your SQL, but your answers were unclear", ["communication"]),
        ("Not about salary. Your system design answers were shallow", ["technical depth"]),
        # not denials: the mention itself is the concern
        ("Not enough SQL, and it wasn't a concise answer", ["communication", "technical depth"]),
        ("We are not about to change the salary band", ["salary"]),
    ],
)
def test_a_theme_the_text_rules_out_is_not_tagged(text, themes):
    assert tag_text(text) == themes
