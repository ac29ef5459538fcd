"""The ``coachflow`` command's entry point, also run by ``python -m coachflow``.

Programs that embed coachflow import :mod:`coachflow.cli` instead.
"""

from __future__ import annotations


def main() -> None:
    """Run the ``coachflow`` command line in this process."""
    from coachflow import cli

    cli.main()


if __name__ == "__main__":
    main()
