"""psycopg is optional: the SQLite path never imports it, and a server URL without it says what to install."""

from __future__ import annotations

import subprocess
import sys

from coachflow.journal import _without_password


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_help_and_a_run_on_a_file_never_import_psycopg(tmp_path):
    journal = tmp_path / "journal.sqlite3"
    result = run_python(
        "import sys\n"
        "from coachflow.cli import cli\n"
        "for args in (['--help'], ['run', 'rejection', '--company', 'Acme', '--role', 'Analyst', '--stage', "
        f"'screen', '--journal', {str(journal)!r}], ['status', '--journal', {str(journal)!r}]):\n"
        "    assert cli.main(args, standalone_mode=False) in (0, None)\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('psycopg', 'coachflow.journal.postgres')))\n"
        "print('coachflow.journal.postgres' in sys.modules)\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == ["[]", "False"]


def test_a_server_url_without_psycopg_names_the_extra_in_one_line():
    result = run_python(
        "import sys\n"
        "sys.modules['psycopg'] = None  # as if it were not installed\n"
        "from coachflow.cli import cli\n"
        "sys.exit(cli.main(['status', '--journal', 'postgresql://ana:secret@db.example/practice', '--profile', 'alex'],"
        " standalone_mode=False))\n")
    assert result.returncode == 2
    assert result.stderr == ("Error: postgresql://ana:***@db.example/practice: a PostgreSQL practice store needs "
                             "psycopg; install it with: pip install 'coachflow[postgres]'\n")


def test_a_password_is_starred_wherever_a_url_holds_one():
    assert _without_password("postgresql://ana:s3cret@db:5433/practice") == "postgresql://ana:***@db:5433/practice"
    assert _without_password("postgres://ana:p@ss:w@rd@db/practice") == "postgres://ana:***@db/practice"
    assert _without_password("postgresql:///practice?host=/run/pg&password=s3cret&user=ana") == (
        "postgresql:///practice?host=/run/pg&password=***&user=ana")
    assert _without_password("postgresql://ana@db/practice") == "postgresql://ana@db/practice"
