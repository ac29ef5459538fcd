"""Reliability: what a hostile or careless input costs (the figures behind docs/reliability.md).

- Theme matching on feedback of one word repeated without punctuation, the
  case that was quadratic: one theme's pass at 10,000 characters up to a
  megabyte (matching stops at ``coachflow.themes.SEARCHED_LENGTH``). The
  ratio is the cost per character against 10,000 characters; linear
  matching keeps it near 1.
- ``coachflow report`` on a journal of 1,000 ordinary events, then the same
  journal with one 10 MB feedback added: the ratio is what the huge text adds.
- ``coachflow validate`` on the 40 KB workflow with a dotted key of 20,000
  parts, against the built-in workflow written out (``coachflow init``).
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import time
from pathlib import Path

from harness import Row, Session, benchmark, coachflow_command, precompile_coachflow, quiet_environment, run_command

NOW = "2026-03-01T09:00:00"
LENGTHS = (10_000, 100_000, 1_000_000)


def _theme_pass_seconds(text: str, repeats: int) -> tuple[float, float]:
    """The median time of the first theme's pass over ``text`` and of the next theme's (the scan is shared)."""
    from coachflow.themes import DEFAULT_THEMES, _scan_of, find_concerns

    first, later = [], []
    for _ in range(repeats):
        _scan_of.cache_clear()  # the first question about a text pays for its scan
        start = time.perf_counter()
        find_concerns(text, DEFAULT_THEMES["communication"])
        middle = time.perf_counter()
        find_concerns(text, DEFAULT_THEMES["technical depth"])
        first.append(middle - start)
        later.append(time.perf_counter() - middle)
    return statistics.median(first), statistics.median(later)


@benchmark("reliability")
def theme_matching(session: Session) -> list[Row]:
    """One theme's pass over "communication communication ..." of growing length."""
    from coachflow.themes import SEARCHED_LENGTH

    repeats = 3 if session.quick else 7
    rows = []
    base = None
    for length in LENGTHS:
        text = ("communication " * (length // 14 + 1))[:length]
        first, later = _theme_pass_seconds(text, repeats)
        searched = min(length, SEARCHED_LENGTH)
        per_character = first / searched
        base = base or per_character
        rows.append(Row("reliability", f"theme pass, {length:,} characters", first, "s",
                        ratio=per_character / base, target=2.0,
                        extra=f"next theme {later * 1000:.1f} ms",
                        note=f"{searched:,} searched" if searched < length else ""))
    return rows


def _journal_with(path: Path, events: list, extra: object | None = None) -> Path:
    from coachflow.journal import open_journal

    with open_journal(path) as journal, journal.transaction():
        for event in events:
            journal.add_event(event, recorded_at=dt.datetime(2026, 3, 1, 9, 0))
        if extra is not None:
            journal.add_event(extra, recorded_at=dt.datetime(2026, 3, 1, 9, 0))
    return path


@benchmark("reliability")
def report_with_one_huge_text(session: Session) -> list[Row]:
    """``coachflow report`` without and with one 10 MB feedback in a journal of 1,000 events."""
    from throughput import history

    from coachflow.models import Feedback

    precompile_coachflow()
    home = session.scratch("reliability-report")
    events = history(1_000)
    huge = Feedback(company="Acme Labs", role="Data Analyst", source="recruiter", date=dt.date(2026, 2, 27),
                    text="communication " * (10_000_000 // 14))
    plain = _journal_with(home / "plain.sqlite3", events)
    heavy = _journal_with(home / "heavy.sqlite3", events, huge)
    repeats = 3 if session.quick else 7
    rows, base = [], None
    for label, journal in (("report, 1,000 events", plain), ("report, 1,000 events + one 10 MB feedback", heavy)):
        env = {**quiet_environment(home), "COACHFLOW_JOURNAL": str(journal), "COACHFLOW_NOW": NOW}
        argv = coachflow_command(["report", "--format", "json"])
        run_command(argv, env=env, cwd=home)  # warm the file cache
        seconds = statistics.median(run_command(argv, env=env, cwd=home)[0] for _ in range(repeats))
        base = base or seconds
        rows.append(Row("reliability", label, seconds, "s", ratio=seconds / base,
                        target=None if journal is plain else 1.5))
    return rows


@benchmark("reliability")
def validate_a_hostile_workflow(session: Session) -> list[Row]:
    """``coachflow validate`` on a 40 KB workflow with one dotted key of 20,000 parts."""
    precompile_coachflow()
    home = session.scratch("reliability-validate")
    env = quiet_environment(home)
    run_command(coachflow_command(["init", str(home / "starter.toml")]), env=env, cwd=home)
    hostile = home / "hostile.toml"
    hostile.write_text('[workflow]\nname = "x"\n[[steps]]\nuses = "allow-disappointment"\n[steps.with]\nx'
                       + ".y" * 20_000 + " = 1\n", encoding="utf-8")
    repeats = 3 if session.quick else 9
    rows, base = [], None
    for label, path in (("validate, the starter workflow", home / "starter.toml"),
                        ("validate, 40 KB with a 20,000-part dotted key", hostile)):
        argv = coachflow_command(["validate", str(path)])
        times = []
        for _ in range(repeats):  # the hostile file ends with exit code 2, which is the point: time it anyway
            start = time.perf_counter()
            subprocess.run(argv, env=env, cwd=home, capture_output=True, timeout=300)
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        base = base or seconds
        rows.append(Row("reliability", label, seconds, "s", ratio=seconds / base,
                        target=None if path is not hostile else 1.5))
    return rows
