"""Workflow tests: how long ``coachflow test`` takes on a file of 100 cases.

Each case records its history and its event on a fresh journal in memory,
through the same code as ``coachflow run``. The file is the built-in
workflow's own test file, its cases repeated (with their own names) to
100; the baseline is one ``coachflow run ... --dry-run`` of the same
workflow, a whole process for a single event. Target: 100 cases in under 2
seconds.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path

from harness import Row, Session, benchmark, console_script, precompile_coachflow, quiet_environment, time_commands

CASES = 100
TARGET_SECONDS = 2.0


def write_test_files(folder: Path, cases: int = CASES) -> tuple[Path, Path]:
    """The built-in workflow as ``coachflow.toml``, and test files of one case and of ``cases`` cases."""
    from coachflow.testing.files import default_workflow_tests_text
    from coachflow.workflow import default_workflow_text

    (folder / "coachflow.toml").write_text(default_workflow_text(), encoding="utf-8")
    text = default_workflow_tests_text().replace('workflow = "default_workflow.toml"', 'workflow = "coachflow.toml"')
    head, *blocks = text.split("\n[[cases]]\n")
    assert blocks, "the built-in workflow's test file has no cases"

    def file_of(count: int) -> str:
        out = [head]
        for number in range(count):
            block = blocks[number % len(blocks)]
            out.append(re.sub(r'^name = "(.*)"$', lambda m: f'name = "{m.group(1)} ({number + 1})"', block,
                              count=1, flags=re.M))
        return "\n[[cases]]\n".join(out)

    one, many = folder / "one.test.toml", folder / f"cases-{cases}.test.toml"
    one.write_text(file_of(1), encoding="utf-8")
    many.write_text(file_of(cases), encoding="utf-8")
    return one, many


@benchmark("workflow tests")
def workflow_tests(session: Session) -> list[Row]:
    """``coachflow test`` on 1 and on 100 cases, against one ``coachflow run --dry-run``."""
    precompile_coachflow()
    home = session.scratch("workflow-tests")
    one, many = write_test_files(home)
    coachflow = str(console_script("coachflow"))
    commands = {
        "coachflow run rejection ... --dry-run (baseline: one event)": [
            coachflow, "run", "rejection", "--company", "Acme", "--stage", "interview", "--dry-run",
            "-w", str(home / "coachflow.toml"),
        ],
        "coachflow test, 1 case": [coachflow, "test", str(one)],
        f"coachflow test, {CASES} cases": [coachflow, "test", str(many)],
    }
    times = time_commands(commands, repeats=session.repeats, env=quiet_environment(home), cwd=home)
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline, single, hundred = medians.values()
    per_case = (hundred - single) / (CASES - 1)
    verdict = "ok" if hundred < TARGET_SECONDS else "over"
    return [
        Row("workflow tests", list(commands)[0], baseline, "s", ratio=1.0),
        Row("workflow tests", list(commands)[1], single, "s", ratio=single / baseline),
        Row("workflow tests", list(commands)[2], hundred, "s", ratio=hundred / baseline,
            extra=f"{per_case * 1000:.1f} ms per case",
            note=f"target under {TARGET_SECONDS:g} s: {verdict}"),
    ]
