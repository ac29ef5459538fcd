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


# --- what the package index shows, and what the sdist and the wheel hold (.ci/check_dist.py) ---


def _check_dist():
    """The checker CI runs on the built sdist and wheel, imported from .ci/."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_dist", ROOT / ".ci" / "check_dist.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_project_declares_its_licence_classifiers_urls_and_keywords():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Programming Language :: Python :: 3.11" in project["classifiers"]
    assert project["keywords"] and set(project["urls"]) >= {"Homepage", "Documentation", "Source", "Issues"}
    assert all(url.startswith("https://github.com/coachflow/coachflow") for url in project["urls"].values())
    assert {"prune tests", "prune benchmarks"} <= set((ROOT / "MANIFEST.in").read_text(encoding="utf-8").splitlines())


def test_the_dist_checker_names_tests_in_the_sdist_and_missing_metadata_in_the_wheel(tmp_path):
    import io
    import tarfile
    import zipfile

    with tarfile.open(tmp_path / "coachflow-0.1.0.tar.gz", "w:gz") as sdist:
        for name in ("README.md", "pyproject.toml", "PKG-INFO", "tests/conftest.py"):  # no LICENSE
            data = b"x"
            member = tarfile.TarInfo(f"coachflow-0.1.0/{name}")
            member.size = len(data)
            sdist.addfile(member, io.BytesIO(data))
    with zipfile.ZipFile(tmp_path / "coachflow-0.1.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr("coachflow-0.1.0.dist-info/METADATA",
                       "Metadata-Version: 2.4\nName: coachflow\n\nSee [the docs](docs/index.md).\n")
    problems = _check_dist().check(tmp_path)
    text = "\n".join(problems)
    assert "LICENSE is missing" in text and "holds 1 test or benchmark files (tests/conftest.py" in text
    assert "coachflow/cli/__init__.py is missing" in text and "the LICENSE file is missing" in text
    assert "License-Expression is None" in text and "no Classifier" in text and "no Project-URL" in text
    assert "relative links" in text
