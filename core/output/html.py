"""The HTML format: one self-contained page, to keep or send.

The pages are made by :func:`coachflow.report.html.report_to_html` (the
report, with charts) and :mod:`coachflow.practice_render` (a coach's board
and a client's weekly digest).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coachflow.output import View
    from coachflow.report.build import Report


def report(report: "Report", view: "View") -> str:
    """The report as an HTML page (see :func:`coachflow.report.html.report_to_html`)."""
    from coachflow.report.html import report_to_html

    return report_to_html(report)


def board(board: Any, view: "View") -> str:
    """The practice board as a page (see :func:`coachflow.practice_render.board_to_html`)."""
    from coachflow.practice_render import board_to_html

    return board_to_html(board.rows, board.now)


def digest(digest: Any, view: "View") -> str:
    """A client's week as a page (see :func:`coachflow.practice_render.digest_to_html`)."""
    from coachflow.practice_render import digest_to_html

    return digest_to_html(digest)


def preview(preview: Any, view: "View") -> str:
    """The preview as one page (see :func:`coachflow.testing.preview.scenes_to_html`)."""
    from coachflow.testing.preview import scenes_to_html

    return scenes_to_html(preview.scenes, workflow=preview.workflow, now=preview.now,
                          events_file=preview.events_file, reader=preview.reader)
