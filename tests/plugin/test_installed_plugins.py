"""Plugin discovery without importlib.metadata gives importlib.metadata's answer.

coachflow reads ``entry_points.txt`` files itself to start faster
(docs/performance.md); these tests compare it with importlib.metadata on
this environment and on made-up installs: several distributions, the same
distribution twice on the path, egg-info folders, comments and extras,
and a zip file on the path (which hands the search to importlib.metadata).
"""

from __future__ import annotations

import importlib.metadata
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.entry_points import entry_points


@pytest.fixture(autouse=True)
def load_installed_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about installed plugins, so coachflow must load them
    (conftest switches installed plugins off for the rest of the suite)."""
    monkeypatch.delenv("COACHFLOW_NO_PLUGINS", raising=False)



def as_tuples(points) -> list[tuple]:
    return sorted((p.name, p.value, p.group) for p in points)


def by_importlib(group: str) -> list[tuple]:
    return sorted((p.name, p.value, p.group) for p in importlib.metadata.entry_points(group=group))


def install(site: Path, folder: str, entry_points_text: str, *, name: str, version: str = "1.0") -> None:
    """Lay out a distribution's metadata folder as pip does."""
    info = site / folder
    info.mkdir(parents=True)
    (info / ("PKG-INFO" if folder.endswith(".egg-info") else "METADATA")).write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: a test plugin\n\nLong description.\n")
    (info / "entry_points.txt").write_text(entry_points_text)


@pytest.mark.parametrize("group", ["console_scripts", "pytest11", "coachflow", "no-such-group"])
def test_this_environment_gives_the_same_entry_points(group: str) -> None:
    assert as_tuples(entry_points(group)) == by_importlib(group)


def test_made_up_installs_give_the_same_entry_points(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    install(first, "coachflow_slack-2.1.dist-info", "# a comment\n[coachflow]\nslack = coachflow_slack.plugin\n"
            "\n[console_scripts]\nslack-nudge = coachflow_slack:main\n", name="coachflow-slack", version="2.1")
    install(first, "Coachflow.ATS-0.3.dist-info", "[coachflow]\nats = coachflow_ats:plugin [extra]\n",
            name="Coachflow.ATS", version="0.3")
    install(first, "old_style.egg-info", "[coachflow]\nold = old_style\n", name="old-style", version="0.9")
    install(second, "coachflow_slack-1.0.dist-info", "[coachflow]\nslack-old = coachflow_slack_old\n",
            name="coachflow-slack", version="1.0")  # shadowed: the first folder on the path wins
    monkeypatch.syspath_prepend(str(second))
    monkeypatch.syspath_prepend(str(first))
    found = entry_points("coachflow")
    assert as_tuples(found) == by_importlib("coachflow")
    assert {(p.name, p.distribution, p.version) for p in found} >= {
        ("slack", "coachflow-slack", "2.1"), ("ats", "Coachflow.ATS", "0.3"), ("old", "old-style", "0.9")}


def test_an_entry_point_loads_its_module_and_attribute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "coachflow_demo_plugin.py").write_text("class Holder:\n    plugin = 'the plugin object'\n")
    install(tmp_path, "coachflow_demo_plugin-1.0.dist-info",
            "[coachflow]\ndemo = coachflow_demo_plugin:Holder.plugin\n", name="coachflow-demo-plugin")
    monkeypatch.syspath_prepend(str(tmp_path))
    (point,) = [p for p in entry_points("coachflow") if p.name == "demo"]
    assert point.load() == "the plugin object"


def test_a_zip_file_on_the_path_is_searched_by_importlib_metadata(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("zipped_plugin-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: zipped-plugin\n"
                                                                "Version: 1.0\n")
        bundle.writestr("zipped_plugin-1.0.dist-info/entry_points.txt", "[coachflow]\nzipped = zipped_plugin\n")
    monkeypatch.syspath_prepend(str(archive))
    found = entry_points("coachflow")
    assert ("zipped", "zipped_plugin", "coachflow") in as_tuples(found)
    assert as_tuples(found) == by_importlib("coachflow")


def test_an_installed_plugin_that_fails_to_import_is_a_warning(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "coachflow_broken_plugin.py").write_text("raise ImportError('needs a library that is missing')\n")
    install(tmp_path, "coachflow_broken_plugin-1.0.dist-info", "[coachflow]\nbroken = coachflow_broken_plugin\n",
            name="coachflow-broken-plugin")
    monkeypatch.syspath_prepend(str(tmp_path))
    result = CliRunner().invoke(cli, ["steps"])
    assert result.exit_code == 0
    assert result.stderr == ("Warning: plugin 'broken' was left out: it failed to import "
                             "(coachflow_broken_plugin.py:1: ImportError: needs a library that is missing)\n")
    assert "allow-disappointment" in result.stdout


def test_coachflow_starts_without_importing_importlib_metadata() -> None:
    import subprocess

    def imported_after(statement: str) -> bool:
        code = f"import sys; {statement}; print('importlib.metadata' in sys.modules)"
        shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        return shown.stdout.strip() == "True"

    if imported_after("pass"):
        pytest.skip("something in this environment's site set-up imports importlib.metadata already")
    assert not imported_after("from coachflow.plugin.host import build_host; build_host()")
