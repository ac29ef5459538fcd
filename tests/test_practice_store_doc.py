"""docs/practice-store.md works exactly as written, against a real PostgreSQL server.

Each ``bash`` block runs as a shell script (psql and coachflow as a person
would type them), in order, in an empty home folder, with the environment
each block leaves (its ``export`` lines) passed to the next; a ``text``
block right after one is exactly what that block prints. The server is the
test server (``COACHFLOW_TEST_POSTGRES``), reached through ``PGHOST`` and
``PGPORT`` as the page says; its superuser must be ``postgres``, as the page
assumes. The database and roles the page makes are dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.postgres import admin_connection, require_server
from test_readme import readme_blocks

DOCUMENT = "docs/practice-store.md"
DATABASE = "practice"
ROLES = ("coach_ana", "coach_ben", "practice_admin")


@pytest.fixture
def server_for_the_page():
    server = require_server()
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(server)
    if parts.get("user", "postgres") != "postgres":
        pytest.skip(f"{DOCUMENT} uses the superuser 'postgres'; the test server's is {parts.get('user')!r}")
    with admin_connection(server) as admin:
        taken = admin.execute("SELECT (SELECT count(*) FROM pg_database WHERE datname = %s) + "
                              "(SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s))",
                              (DATABASE, list(ROLES))).fetchone()[0]
    if taken:
        message = f"the test server already has a database '{DATABASE}' or one of the roles {', '.join(ROLES)}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message + "; the page's commands would use them")
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed (apt-get install postgresql-client)")
    try:
        yield parts
    finally:
        with admin_connection(server) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            for role in ROLES:
                admin.execute(f"DROP ROLE IF EXISTS {role}")


def test_every_command_of_the_practice_store_page_runs_and_prints_what_it_shows(server_for_the_page, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "PGHOST": server_for_the_page.get("host", ""),
        "PGPORT": str(server_for_the_page.get("port", "5432")),
        "COACHFLOW_NO_PLUGINS": "1",
        "LANG": "C.UTF-8",
    }
    saved = tmp_path / "environment"
    ran = compared = 0
    last_output: str | None = None
    for block_env, info, body in readme_blocks(DOCUMENT):
        if info == "text":
            assert last_output == body, f"{DOCUMENT} shows other output for the block before:\n{body}"
            compared += 1
            last_output = None
            continue
        if info != "bash":
            continue
        if body.lstrip().startswith("pip "):
            continue  # the install line: the suite runs in an environment that has it
        script = f"set -euo pipefail\n{body}\nenv -0 > {saved}\n"
        result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env={**env, **block_env},
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{DOCUMENT}: this block failed:\n{body}\n{result.stderr}"
        env = dict(item.split("=", 1) for item in saved.read_text().split("\0") if "=" in item)
        last_output = result.stdout
        ran += 1
    assert (ran, compared) == (13, 10)
