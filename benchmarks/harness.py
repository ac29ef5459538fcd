"""The benchmark harness: a registry of benchmarks, timing helpers and the result table.

A benchmark is a function decorated with :func:`benchmark`; it receives a
:class:`Session` (repeat counts, a scratch folder, the ``--quick`` flag) and
returns :class:`Row` objects. Every figure is compared with a baseline
measured in the same run, so that the ratios mean the same on any machine.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

#: name -> (group, function); filled by :func:`benchmark` in registration order.
BENCHMARKS: dict[str, tuple[str, Callable[["Session"], list["Row"]]]] = {}


def benchmark(group: str, name: str | None = None) -> Callable:
    """Register a benchmark function under ``group`` (cold-start, throughput, scale)."""

    def register(function: Callable[["Session"], list["Row"]]) -> Callable[["Session"], list["Row"]]:
        BENCHMARKS[name or function.__name__.replace("_", "-")] = (group, function)
        return function

    return register


@dataclass
class Row:
    """One line of the result table.

    :param value: the median measurement, in ``unit``.
    :param ratio: how many times the baseline's cost this costs (1.0 for the baseline itself).
    :param target: the largest acceptable ratio, when there is one.
    """

    group: str
    measurement: str
    value: float | None
    unit: str
    ratio: float | None = None
    target: float | None = None
    note: str = ""
    extra: str = ""  # a second figure, such as peak memory or µs per event

    @property
    def verdict(self) -> str:
        """``ok`` or ``over`` against the target; empty without one."""
        if self.target is None or self.ratio is None:
            return ""
        return "ok" if self.ratio <= self.target else "over"


@dataclass
class Session:
    """What every benchmark gets: settings for this run and a scratch folder."""

    workdir: Path
    quick: bool = False
    repeats: int = 15
    events: int = 100_000
    log: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr, flush=True))

    def scratch(self, name: str) -> Path:
        """A fresh empty folder inside the work folder."""
        path = self.workdir / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path


def median_seconds(function: Callable[[], object], repeats: int) -> float:
    """The median wall-clock time of ``function()`` over ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def quiet_environment(home: Path) -> dict[str, str]:
    """The environment commands are timed in: nothing from the user's own setup.

    The data folder points into the scratch folder (no real journal is read),
    and the variables that choose a workflow, journal or clock are removed.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACHFLOW_")}
    env.update({"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config")})
    return env


def run_command(argv: Sequence[str], *, env: dict[str, str], cwd: Path) -> tuple[float, int]:
    """Run a command to completion; return (seconds, peak memory in KiB).

    The peak memory (maximum resident set size) is the process's own,
    read with ``wait4`` where the system has it.

    :raises RuntimeError: when the command fails.
    """
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        peak_kib = usage.ru_maxrss
    else:  # pragma: no cover - platforms without wait4
        process.wait()
        elapsed, peak_kib = time.perf_counter() - start, 0
    errors = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {process.returncode}: {errors.strip()[:300]}")
    return elapsed, peak_kib


def time_commands(commands: dict[str, Sequence[str]], *, repeats: int, env: dict[str, str], cwd: Path,
                  warmups: int = 2) -> dict[str, list[float]]:
    """Time several commands, interleaved so that a busy moment hits them all alike.

    :return: name -> the wall-clock seconds of each repeat.
    """
    for _ in range(warmups):
        for argv in commands.values():
            run_command(argv, env=env, cwd=cwd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, argv in commands.items():
            times[name].append(run_command(argv, env=env, cwd=cwd)[0])
    return times


def console_script(name: str) -> Path:
    """The console script ``name`` installed next to the running Python."""
    path = Path(sys.executable).with_name(name)
    if not path.exists():
        raise SystemExit(f"benchmarks: '{path}' is missing; install coachflow in this environment first "
                         f"(pip install -e '.[test]')")
    return path


def precompile_coachflow() -> None:
    """Write the bytecode caches of coachflow, as an ordinary install does.

    Start-up is measured as a user gets it; a source checkout run with
    ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module on every
    start.
    """
    import compileall
    import importlib.util

    for package in ("coachflow", "coachflow.plugins"):
        spec = importlib.util.find_spec(package)
        for location in spec.submodule_search_locations or ():
            compileall.compile_dir(location, quiet=1, maxlevels=2)


def machine_description() -> str:
    """The machine the figures come from: CPUs, CPU model, Python, system."""
    model = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.partition(":")[2].strip()
                    break
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs ({model or 'unknown model'}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def format_value(value: float | None, unit: str) -> str:
    """A measurement as people read it: ``64.2 ms``, ``36,100 events/s``, ``1.2 s``."""
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "events/s":
        return f"{value:,.0f} events/s"
    return f"{value:,.1f} {unit}"


def table(rows: Iterable[Row], *, markdown: bool = False) -> str:
    """The result table, as aligned text or as a Markdown table."""
    header = ["group", "measurement", "median", "", "ratio", "target", ""]
    lines = []
    for row in rows:
        lines.append([
            row.group, row.measurement, format_value(row.value, row.unit), row.extra,
            f"{row.ratio:.2f}x" if row.ratio is not None else "",
            f"<= {row.target:g}x" if row.target is not None else "",
            row.verdict + (f" ({row.note})" if row.note else ""),
        ])
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |" for line in lines]
        return "\n".join(out)
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines)]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip() for line in [header, *lines])
