"""coachflow.files.write_whole: the one way exports, reports and calendars are written."""

from __future__ import annotations

import stat

import pytest

from coachflow.errors import CoachflowError
from coachflow.files import write_whole


def test_the_file_appears_whole_and_private(tmp_path):
    target = tmp_path / "new" / "folder" / "events.csv"
    with write_whole(target) as stream:
        stream.write("type,date\r\nmilestone,2026-11-25\n")
        assert not target.exists()  # nothing is there until writing finished
    assert target.read_bytes() == b"type,date\r\nmilestone,2026-11-25\n"  # line endings as written
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["events.csv"]


def test_an_error_while_writing_keeps_the_old_file_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("the old report")
    with pytest.raises(RuntimeError), write_whole(target, binary=True) as stream:
        stream.write(b"<html>half")
        raise RuntimeError("the disk is full")
    assert target.read_text() == "the old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_target_that_cannot_be_written_is_one_error_naming_it(tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(CoachflowError, match=f"^{tmp_path / 'taken'}: cannot write the file: "), \
            write_whole(tmp_path / "taken") as stream:
        stream.write("text")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
