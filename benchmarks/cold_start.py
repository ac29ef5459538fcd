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
    run_command,
    time_commands,
)

BASELINE_IMPORTS = "import click, pluggy, attrs, cattrs, tomllib, sqlite3"
#: The most each command may cost, as a multiple of the baseline (issue 12's bars).
TARGETS = {"coachflow --help": 1.2, "coachflow run rejection ... --dry-run (default workflow)": 1.5}


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
                        target=None if index == 0 else TARGETS.get(name)))
    return rows


#: A plugin whose import takes two seconds and which adds no command: what a heavy
#: library imported at the top of a plugin module costs.
SLOW_PLUGIN = """
import time
time.sleep(2.0)

import coachflow

@coachflow.hookimpl
def register_milestone_kinds(register):
    register("slow-kind", "A kind from a plugin that is slow to import.")
"""


@benchmark("slow plugin")
def slow_plugin(session: Session) -> list[Row]:
    """The same commands with a plugin installed whose import takes 2 seconds, against none installed.

    Commands that do not use it (``--help``, a run of built-in steps) should cost what
    they cost without it; ``coachflow steps``, which lists every plugin's steps, pays.
    """
    precompile_coachflow()
    home = session.scratch("slow-plugin")
    site = home / "site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "coachflow_slow_plugin.py").write_text(SLOW_PLUGIN, encoding="utf-8")
    info = site / "coachflow_slow_plugin-1.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: coachflow-slow-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[coachflow]\nslow = coachflow_slow_plugin\n")
    env = quiet_environment(home)
    with_slow = {**env, "PYTHONPATH": str(site)}
    timed = {name: argv for name, argv in commands().items() if "baseline" not in name}
    timed["coachflow steps"] = [str(console_script("coachflow")), "steps"]
    repeats = max(3, session.repeats // 3)
    rows = []
    for name, argv in timed.items():
        times: dict[str, list[float]] = {"plain": [], "slow": []}
        for number in range(repeats + 1):  # interleaved; the first round warms up
            for kind, environment in (("plain", env), ("slow", with_slow)):
                seconds = run_command(argv, env=environment, cwd=home)[0]
                if number:
                    times[kind].append(seconds)
        plain, slow = statistics.median(times["plain"]), statistics.median(times["slow"])
        note = "imports the plugin: it lists every plugin's steps" if name.endswith("steps") else \
            "the plugin is not imported"
        rows.append(Row("slow plugin", f"{name}, a 2 s plugin installed", slow, "s", ratio=slow / plain,
                        extra=f"{plain * 1000:.0f} ms without it", note=note))
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
