"""Testing workflows: test files a coach writes beside a workflow, run on throwaway journals.

:mod:`coachflow.testing.files` reads and checks test files (the format, and
every problem as one line with file, line and key path);
:mod:`coachflow.testing.run` runs their cases through
:func:`coachflow.recording.record_event` on journals in memory;
:mod:`coachflow.testing.render` shows the results as text, JSON or JUnit XML;
:mod:`coachflow.testing.preview` shows every text a client would read in a
set of sample situations. ``coachflow test`` and ``coachflow preview`` are
thin shells over these.
"""

from __future__ import annotations

from coachflow.testing.files import (
    TEST_FILE_SUFFIX,
    Case,
    Expectation,
    TestFileError,
    WorkflowTests,
    load_test_file,
    default_tests_path,
)
from coachflow.testing.run import CaseResult, CaseRunner, Miss, run_tests

__all__ = [
    "TEST_FILE_SUFFIX", "Case", "CaseResult", "CaseRunner", "Expectation", "Miss", "TestFileError",
    "WorkflowTests", "load_test_file", "run_tests", "default_tests_path",
]
