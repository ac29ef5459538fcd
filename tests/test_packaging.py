"""The dependency floors pyproject.toml declares are the versions CI tests.

CI installs the project with ``.ci/minimums.txt`` as constraints and runs the whole suite
(see ``.ci/run``), so a floor is true only while that file pins exactly the floor, for every
runtime dependency and every test dependency.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?P<op>>=|==)\s*(?P<version>[0-9][0-9.]*)$")


def canonical(name: str) -> str:
    """A distribution name as pip compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def release(version: str) -> tuple[int, ...]:
    """``1.7`` and ``1.7.0`` are the same release."""
    parts = [int(part) for part in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def floors() -> dict[str, str]:
    """Each dependency of the project and of its test extra, with its declared floor."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = {}
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        match = REQUIREMENT.match(requirement)
        assert match and match["op"] == ">=", f"pyproject.toml: {requirement!r} should be NAME>=FLOOR"
        found[canonical(match["name"])] = match["version"]
    return found


def minimums() -> dict[str, str]:
    """What .ci/minimums.txt pins."""
    found = {}
    for number, line in enumerate((ROOT / ".ci" / "minimums.txt").read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = REQUIREMENT.match(line)
        assert match and match["op"] == "==", f".ci/minimums.txt:{number}: {line!r} should be NAME==VERSION"
        found[canonical(match["name"])] = match["version"]
    return found


def test_every_floor_is_pinned_in_the_minimums_ci_tests():
    declared, pinned = floors(), minimums()
    assert sorted(declared) == sorted(pinned), "pyproject.toml and .ci/minimums.txt name different dependencies"
    differ = [f"{name}: pyproject.toml says >={declared[name]}, .ci/minimums.txt tests {pinned[name]}"
              for name in declared if release(declared[name]) != release(pinned[name])]
    assert not differ, "\n".join(differ)


def test_ci_runs_the_suite_against_the_minimums():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "-c .ci/minimums.txt" in ci
