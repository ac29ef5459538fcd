"""Helpers for the plugin tests: real plugin files and installed distributions in a temporary folder.

A "distribution" here is what pip leaves behind: a ``NAME-VERSION.dist-info``
folder with ``METADATA`` and ``entry_points.txt`` next to the code, on
``sys.path``. ``importlib.metadata`` finds it exactly as it finds a
distribution installed with pip, so discovery runs its real code path.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

#: A plugin module offering one step; ``{step}`` and ``{title}`` are filled in.
STEP_PLUGIN = '''
import coachflow


class Nudge(coachflow.Step):
    """Say something after a rejection."""

    name = "{step}"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return coachflow.Action(kind="task", title=f"{title} {{event.company}}")


@coachflow.hookimpl
def register_steps(register):
    register(Nudge)
'''


def step_plugin(step: str = "nudge", title: str = "Nudge from") -> str:
    """Source of a plugin module that registers one step named ``step``."""
    return STEP_PLUGIN.format(step=step, title=title)


class Site:
    """A folder on ``sys.path`` into which tests "install" modules and distributions."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch):
        self.root = root
        self.modules: list[str] = []
        self.plugins: list[str] = []
        self._monkeypatch = monkeypatch
        root.mkdir(parents=True, exist_ok=True)
        monkeypatch.syspath_prepend(str(root))
        # Only this site's plugins load, whatever else is installed where the tests run.
        monkeypatch.setenv("COACHFLOW_LOAD_PLUGINS", "")
        monkeypatch.delenv("COACHFLOW_NO_PLUGINS", raising=False)

    def module(self, name: str, source: str) -> Path:
        """Write an importable module ``name`` with this source."""
        path = self.root / f"{name}.py"
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        self.modules.append(name)
        return path

    def distribution(self, name: str, entry_points: dict[str, str], *, version: str = "1.0",
                     modules: dict[str, str] | None = None, commands: dict[str, str] | None = None) -> None:
        """Install a distribution whose ``coachflow`` entry points are ``entry_points``; ``commands``
        are the commands it declares (``coachflow.commands``: command name -> plugin entry point value)."""
        for module_name, source in (modules or {}).items():
            self.module(module_name, source)
        info = self.root / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
        self.plugins += entry_points
        self._monkeypatch.setenv("COACHFLOW_LOAD_PLUGINS", ",".join(self.plugins))
        lines = ["[coachflow]", *(f"{ep} = {value}" for ep, value in entry_points.items())]
        if commands:
            lines += ["", "[coachflow.commands]", *(f"{command} = {value}" for command, value in commands.items())]
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def forget(self) -> None:
        """Drop the modules this site imported, so the next test imports its own."""
        for name in self.modules:
            sys.modules.pop(name, None)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh :class:`Site` for one test."""
    created = Site(tmp_path / "site-packages", monkeypatch)
    yield created
    created.forget()
