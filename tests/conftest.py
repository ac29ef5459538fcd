"""Shared fixtures: every test runs with a private data directory and a fixed clock."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch):
    """Keep tests away from the real user's journal and from the caller's settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in list(os.environ):
        if name.startswith("COACHFLOW_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("COACHFLOW_NOW", "2026-11-25T17:30")
    # Plugins installed in the developer's environment (the example plugin, say) must
    # not change what the suite sees. Tests of installed plugins switch installed plugins
    # back on, and COACHFLOW_LOAD_PLUGINS names the ones they install themselves
    # (support.fake_plugins), so no other installed plugin is ever loaded.
    monkeypatch.setenv("COACHFLOW_NO_PLUGINS", "1")
    monkeypatch.setenv("COACHFLOW_LOAD_PLUGINS", "")
    return home
