"""The journal: every event and action a person records, and the questions steps ask of it."""

from coachflow.journal.sqlite import *  # noqa: F401,F403  (moved here; the interface comes next)
from coachflow.journal.sqlite import (  # noqa: F401
    MIGRATIONS, SCHEMA_VERSION, default_journal_path, resolve_journal_path,
)
