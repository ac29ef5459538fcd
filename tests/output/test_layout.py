"""coachflow.output.layout: widths as a terminal draws them, wrapping that keeps words whole, tables."""

from __future__ import annotations

import pytest

from coachflow.output.layout import cell_width, cut, fit, table, truncate, wrap, wrap_text

TEXT = ("Being disappointed is normal, and pushing the feeling away tends to make it last longer, so "
        "give it room until Thu 26 Nov 2026, 17:30. Send a thank-you note: https://example.org/a-long-link")


def test_cell_width_counts_columns_not_characters():
    assert cell_width("Acme") == 4
    assert cell_width("株式会社アクメ") == 14  # wide: two columns each
    assert cell_width("Müller") == cell_width("Mu\u0308ller") == 6  # a combining mark takes none
    assert cell_width("\x1b[1mBold\x1b[0m") == 4  # colour codes take none
    assert cell_width("👍") == 2


@pytest.mark.parametrize("width", [36, 50, 78])
def test_wrap_never_splits_a_word_that_fits_on_a_line(width):
    lines = wrap(TEXT, width, indent="    ")
    assert all(cell_width(line) <= width for line in lines)
    assert " ".join(" ".join(lines).split()) == TEXT  # every word whole, in order
    assert all(line.startswith("    ") for line in lines)


def test_wrap_cuts_only_a_word_wider_than_the_line():
    lines = wrap("see https://example.org/" + "x" * 40, 30, indent="  ")
    assert lines[0] == "  see"
    assert [cell_width(line) for line in lines[1:]] == [30, 30, 6]
    assert "".join(line.strip() for line in lines[1:]) == "https://example.org/" + "x" * 40


def test_wrap_keeps_hyphenated_words_and_kept_phrases_whole():
    assert wrap("write one thank-you today", 18) == ["write one", "thank-you today"]
    head = "Reminder: Check in with Acme?  (due Thu 26 Nov 2026, 17:30)"
    assert wrap(head, 40, subsequent_indent="    ", keep=["(due Thu 26 Nov 2026, 17:30)"]) == [
        "Reminder: Check in with Acme?", "    (due Thu 26 Nov 2026, 17:30)"]
    assert wrap(head, 80) == [head]  # the two spaces stay where the line does not break


@pytest.mark.parametrize("date", ["Fri 27 Nov", "27 Nov", "Wed 25 Nov 2026", "Wed 25 Nov 2026, 17:30"])
def test_wrap_keeps_every_date_on_one_line(date):
    text = f"Send 5 more applications by {date}, then rest"
    for width in range(len(date) + 2, 60):
        lines = wrap(text, width, indent="  ")
        assert any(date in line for line in lines), (width, lines)


def test_a_date_and_time_too_long_for_the_line_breaks_only_between_them():
    assert wrap("due Wed 25 Nov 2026, 17:30", 18) == ["due", "Wed 25 Nov 2026,", "17:30"]


def test_wrap_without_cut_puts_a_long_word_whole_on_its_own_line():
    lines = wrap("Default: COACHFLOW_WORKFLOW_THAT_IS_LONG, or none", 20, indent="  ", cut=False)
    assert lines == ["  Default:", "  COACHFLOW_WORKFLOW_THAT_IS_LONG,", "  or none"]


def test_text_without_spaces_in_a_wide_script_is_cut_between_characters():
    lines = wrap("日本語の文章はスペースなしで書かれます", 12)
    assert lines == ["日本語の文章", "はスペースな", "しで書かれま", "す"]
    assert cut("株式会社", 3) == ("株", "式会社")  # a wide character never straddles the edge


def test_wrap_text_keeps_paragraphs_and_blank_lines():
    assert wrap_text("one two three\n\nfour", 8, indent="  ") == ["  one", "  two", "  three", "", "  four"]


def test_a_table_lines_up_wide_characters():
    lines = table([["Data Analyst at Acme", "sent Mon 9 Mar 2026"], ["株式会社アクメ", "sent Tue 10 Mar 2026"],
                   ["Ünïcödé GmbH", "sent Wed 11 Mar 2026"]], 78, indent="  ")
    starts = [cell_width(line[:line.index("sent")]) for line in lines]
    assert starts == [24, 24, 24]
    assert fit("株式", 6) == "株式  "


def test_a_table_wraps_its_last_column_under_itself_or_below_when_narrow():
    rows = [["Wed 11 Mar 2026", "Rejection", "Analyst at Beta, screen stage: They went with an internal candidate"]]
    assert table(rows, 64) == ["Wed 11 Mar 2026  Rejection  Analyst at Beta, screen stage: They",
                               "                            went with an internal candidate"]
    assert table(rows, 40) == ["Wed 11 Mar 2026  Rejection",
                               "    Analyst at Beta, screen stage: They",
                               "    went with an internal candidate"]


def test_truncate_counts_columns_and_cuts_between_words():
    assert truncate("Senior Data Analyst at Acme Corporation", 20) == "Senior Data..."
    assert cell_width(truncate("株式会社アクメ株式会社アクメ", 10)) <= 10
