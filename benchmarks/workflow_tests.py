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

from harness import Row, Session, benchmark, console_script, precompile_coachflow, quiet_environment, run_command

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
    wall, cpu = _time(commands, repeats=session.repeats, env=quiet_environment(home), cwd=home)
    baseline, single, hundred = (statistics.median(wall[name]) for name in commands)
    per_case = (hundred - single) / (CASES - 1)
    verdict = "ok" if hundred < TARGET_SECONDS else "over"
    rows = []
    for (name, value), ratio in zip(((n, statistics.median(wall[n])) for n in commands),
                                    (1.0, single / baseline, hundred / baseline)):
        rows.append(Row("workflow tests", name, value, "s", ratio=ratio,
                        extra=f"{statistics.median(cpu[name]) * 1000:.0f} ms CPU"))
    rows[2].note = f"{per_case * 1000:.1f} ms per case; target under {TARGET_SECONDS:g} s: {verdict}"
    return rows


def _time(commands: dict[str, list[str]], *, repeats: int, env: dict[str, str], cwd: Path,
          warmups: int = 2) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall-clock and CPU seconds (user and system) of each run, interleaved as
    :func:`harness.time_commands` does. On a busy machine the CPU time says more
    about the command's own work than the wall-clock time."""
    import resource

    for _ in range(warmups):
        for argv in commands.values():
            run_command(argv, env=env, cwd=cwd)
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, argv in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall[name].append(run_command(argv, env=env, cwd=cwd)[0])
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu
