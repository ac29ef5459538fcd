"""Cold start: how long a coachflow command takes from nothing, against its libraries alone.

The baseline is a Python process that only imports the libraries coachflow
is built on; whatever a command costs beyond it is coachflow's own doing.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from harness import (
    Row,
    Session,
    benchmark,
    console_script,
    precompile_coachflow,
    quiet_environment,
    time_commands,
)

BASELINE_IMPORTS = "import click, pluggy, attrs, cattrs, tomllib, sqlite3"
TARGET = 1.2


def commands() -> dict[str, list[str]]:
    """The timed commands, by the name the table shows."""
    coachflow = str(console_script("coachflow"))
    return {
        f'python -c "{BASELINE_IMPORTS}" (baseline)': [sys.executable, "-c", BASELINE_IMPORTS],
        "coachflow --help": [coachflow, "--help"],
        "coachflow run rejection ... --dry-run (default workflow)": [
            coachflow, "run", "rejection", "--company", "Acme", "--role", "Data Analyst",
            "--stage", "interview", "--dry-run",
        ],
    }


@benchmark("cold start")
def cold_start(session: Session) -> list[Row]:
    """Median wall-clock time of each command, and its ratio to the baseline."""
    precompile_coachflow()
    home = session.scratch("cold-start")
    env = quiet_environment(home)
    times = time_commands(commands(), repeats=session.repeats, env=env, cwd=home)
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = next(iter(medians.values()))
    rows = []
    for index, (name, value) in enumerate(medians.items()):
        rows.append(Row("cold start", name, value, "s", ratio=value / baseline,
                        target=None if index == 0 else TARGET))
    return rows


def explain(limit: int = 25) -> str:
    """Where ``coachflow run --dry-run`` spends its start-up beyond the baseline.

    Lists the modules the command imports that the baseline does not, with
    the time each took to import itself (``python -X importtime``).
    """
    precompile_coachflow()
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        env = quiet_environment(Path(folder))
        run = list(commands().values())[2]

        def self_times(argv: list[str]) -> dict[str, int]:
            result = subprocess.run([sys.executable, "-X", "importtime", *argv], env=env, cwd=folder,
                                    capture_output=True, text=True)
            found = {}
            for line in result.stderr.splitlines():
                if line.startswith("import time:") and "|" in line:
                    own, _, name = line[len("import time:"):].split("|")
                    if own.strip().isdigit():
                        found[name.strip()] = int(own)
            return found

        baseline = self_times(["-c", BASELINE_IMPORTS])
        command = self_times([run[0], *run[1:]])
    extra = sorted(((t, m) for m, t in command.items() if m not in baseline), reverse=True)
    lines = [f"{sum(t for t, _ in extra) / 1000:.1f} ms of imports beyond the baseline "
             f"(python -X importtime adds its own overhead):"]
    lines += [f"  {t / 1000:6.2f} ms  {m}" for t, m in extra[:limit]]
    return "\n".join(lines)
