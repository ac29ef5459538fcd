"""Check the sdist and the wheel that `python -m build` made, as a package index would show them.

Usage: python .ci/check_dist.py DIST_FOLDER

`twine check` looks at how the long description renders; this looks at what the two files
hold: the licence, the metadata people search and filter by, both packages with their data
files, and no tests in the sdist (they need the repository around them, so the sdist leaves
them out rather than ship a copy that cannot run). Prints one line for each problem and
exits 1 if there is any.
"""

from __future__ import annotations

import email.parser
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def required_in_wheel() -> set[str]:
    """Every module in the source folders pyproject.toml maps to a package, and the package data.

    Taken from the folders rather than the package list, so a new subpackage that the list
    forgets is missing from the wheel, and caught here.
    """
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    files = set()
    for package, folder in setuptools["package-dir"].items():
        for module in (ROOT / folder).rglob("*.py"):
            files.add("/".join([*package.split("."), *module.relative_to(ROOT / folder).parts]))
    for package, names in setuptools.get("package-data", {}).items():
        files.update(package.replace(".", "/") + "/" + name for name in names)
    return files


def check(dist: Path) -> list[str]:
    """The problems found in the one sdist and one wheel in ``dist``."""
    problems: list[str] = []
    sdists, wheels = sorted(dist.glob("*.tar.gz")), sorted(dist.glob("*.whl"))
    if len(sdists) != 1 or len(wheels) != 1:
        return [f"{dist}: expected one sdist and one wheel, found {len(sdists)} and {len(wheels)}"]
    with tarfile.open(sdists[0]) as sdist:
        # every member sits under NAME-VERSION/
        names = {member.name.partition("/")[2] for member in sdist.getmembers()}
    for needed in ("LICENSE", "README.md", "pyproject.toml", "PKG-INFO"):
        if needed not in names:
            problems.append(f"{sdists[0].name}: {needed} is missing")
    tests = sorted(name for name in names if name.startswith(("tests/", "benchmarks/")))
    if tests:
        problems.append(f"{sdists[0].name}: holds {len(tests)} test or benchmark files ({tests[0]}, ...); "
                        "MANIFEST.in should prune them")
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = set(wheel.namelist())
        metadata_name = next((name for name in names if name.endswith(".dist-info/METADATA")), None)
        metadata = email.parser.Parser().parsestr(wheel.read(metadata_name).decode("utf-8")) if metadata_name else None
    for needed in sorted(required_in_wheel() - names):
        problems.append(f"{wheels[0].name}: {needed} is missing")
    if not any(name.endswith(".dist-info/licenses/LICENSE") for name in names):
        problems.append(f"{wheels[0].name}: the LICENSE file is missing")
    if metadata is None:
        return [*problems, f"{wheels[0].name}: no METADATA"]
    if metadata.get("License-Expression") != "MIT":
        problems.append(f"{wheels[0].name}: License-Expression is {metadata.get('License-Expression')!r}, not 'MIT'")
    for field in ("Classifier", "Project-URL", "Keywords"):
        if not metadata.get_all(field):
            problems.append(f"{wheels[0].name}: no {field} in the metadata")
    for url in metadata.get_all("Project-URL") or []:
        if "https://github.com/coachflow/coachflow" not in url:
            problems.append(f"{wheels[0].name}: Project-URL {url!r} does not point at the repository")
    description = metadata.get_payload()
    if "](docs/" in description or "](examples/" in description or "](CONTRIBUTING" in description:
        problems.append(f"{wheels[0].name}: the long description has relative links, which break on the index")
    return problems


def main() -> int:
    """Check the folder named on the command line; print the problems."""
    problems = check(Path(sys.argv[1]))
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{sys.argv[1]}: the sdist and the wheel hold what they should")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
