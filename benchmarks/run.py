"""Run coachflow's benchmarks and print the result table.

    python benchmarks/run.py                 # everything (about 5 to 10 minutes on 2 cores)
    python benchmarks/run.py --quick         # fewer repeats and events, for a first look
    python benchmarks/run.py cold-start      # only the named benchmarks
    python benchmarks/run.py --markdown      # the table as Markdown, for docs/performance.md
    python benchmarks/run.py --explain       # which imports make 'coachflow run' start slower than its baseline

Not part of the test suite: the figures are ratios against baselines
measured in the same run, so they are comparable across machines, but they
still depend on how busy the machine is.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cold_start  # noqa: E402  (each module registers its benchmarks, in this order)
import throughput  # noqa: E402,F401
import scale  # noqa: E402,F401  (after throughput: it builds its journals from the same history)
import reliability  # noqa: E402,F401
import workflow_tests  # noqa: E402,F401
from harness import BENCHMARKS, Session, machine_description, table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the chosen benchmarks, print the table."""
    parser = argparse.ArgumentParser(description="Run coachflow's benchmarks.")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default: all): {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="fewer repeats and events: a rough figure in a minute")
    parser.add_argument("--repeats", type=int, help="repeats of each timed command (default 15, quick 5)")
    parser.add_argument("--events", type=int, help="events in the throughput runs (default 100,000, quick 10,000)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--explain", action="store_true",
                        help="list the imports 'coachflow run' pays for beyond its baseline, then stop")
    parser.add_argument("--workdir", type=Path, help="keep scratch files (journals) here instead of a temporary folder")
    options = parser.parse_args(argv)

    if options.explain:
        print(cold_start.explain())
        return 0
    unknown = [name for name in options.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    chosen = options.names or list(BENCHMARKS)

    with tempfile.TemporaryDirectory(prefix="coachflow-bench-") as scratch:
        workdir = options.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        session = Session(
            workdir=workdir,
            quick=options.quick,
            repeats=options.repeats or (5 if options.quick else 15),
            events=options.events or (10_000 if options.quick else 100_000),
        )
        rows = []
        started = time.perf_counter()
        for name in chosen:
            group, function = BENCHMARKS[name]
            session.log(f"{name} ...")
            rows += function(session)
        elapsed = time.perf_counter() - started

    print(f"Machine: {machine_description()}")
    print(f"Run: {'quick, ' if options.quick else ''}{session.repeats} repeats per command, "
          f"{session.events:,} events per throughput run, {elapsed:.0f} s in all")
    print()
    print(table(rows, markdown=options.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
