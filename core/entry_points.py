"""Finding installed plugins: the entry points of a group, found quickly.

``importlib.metadata`` finds entry points by way of every installed
distribution's metadata, and importing it alone costs more than the whole
start-up budget of a coachflow command (see docs/performance.md). Installed
plugins are found here the same way pip and ``importlib.metadata`` lay them
out, by reading only the ``entry_points.txt`` files of the ``*.dist-info`` and
``*.egg-info`` folders on ``sys.path``, first folder of a distribution wins.
Anything this does not read itself (a zip file or an ``.egg`` on
``sys.path``, an import hook that provides distributions) hands the search
to ``importlib.metadata``, so the answer is always the same as its answer.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from typing import Any

import attrs

_METADATA_FOLDER_SUFFIXES = (".dist-info", ".egg-info")
_ENTRY_POINT_VALUE = r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$"


@attrs.frozen
class EntryPoint:
    """One entry point: ``name = module:attribute`` in a distribution's group."""

    name: str
    value: str
    group: str
    #: The distribution (installed package) that declares it, and its version.
    distribution: str | None = None
    version: str | None = None

    def load(self) -> Any:
        """Import the module the entry point names and return the named object."""
        match = re.match(_ENTRY_POINT_VALUE, self.value)
        if match is None:
            raise ValueError(f"entry point '{self.name} = {self.value}' is not 'module' or 'module:attribute'")
        target: Any = importlib.import_module(match.group("module"))
        for attribute in filter(None, (match.group("attr") or "").split(".")):
            target = getattr(target, attribute)
        return target


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of ``group`` in the installed distributions, in ``sys.path`` order.

    The same entry points as ``importlib.metadata.entry_points(group=group)``.
    """
    if not _plain_folders_only():
        return _from_importlib_metadata(group)
    found: list[EntryPoint] = []
    seen: set[str] = set()
    for entry in sys.path:
        try:
            children = os.listdir(entry or ".")
        except NotADirectoryError:  # a zip file: only importlib.metadata reads those
            return _from_importlib_metadata(group)
        except OSError:
            continue
        for child in children:
            lowered = child.lower()
            if not lowered.endswith(_METADATA_FOLDER_SUFFIXES):
                continue
            distribution = _normalize(lowered.rpartition(".")[0].partition("-")[0])
            if distribution in seen:
                continue
            seen.add(distribution)
            folder = os.path.join(entry or ".", child)
            try:
                with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as file:
                    text = file.read()
            except (OSError, UnicodeDecodeError):
                continue
            if group not in text:  # most distributions declare other groups or none
                continue
            points = _parse(text, group)
            if points:
                name, version = _name_and_version(folder)
                found += [attrs.evolve(p, distribution=name or distribution, version=version) for p in points]
    return found


def _plain_folders_only() -> bool:
    """True when every place distributions can come from is a plain folder on ``sys.path``."""
    for finder in sys.meta_path:
        if hasattr(finder, "find_distributions") and getattr(finder, "__module__", "") not in (
            "_frozen_importlib_external",
            "importlib._bootstrap_external",
        ):
            return False
    return not any(entry.lower().endswith(".egg") for entry in sys.path)


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _parse(text: str, group: str) -> list[EntryPoint]:
    """The entries of one section of an ``entry_points.txt`` (read like importlib.metadata does)."""
    points = []
    section = None
    for line in map(str.strip, text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        if section == group and "=" in line:
            name, _, value = line.partition("=")
            points.append(EntryPoint(name=name.strip(), value=value.strip(), group=group))
    return points


def _name_and_version(folder: str) -> tuple[str | None, str | None]:
    """The ``Name`` and ``Version`` headers of a distribution's metadata file."""
    for file_name in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(folder, file_name), encoding="utf-8", errors="replace") as file:
                headers: dict[str, str] = {}
                for line in file:
                    if not line.strip():
                        break  # the headers end at the first blank line
                    key, _, value = line.partition(":")
                    headers.setdefault(key.strip().lower(), value.strip())
        except OSError:
            continue
        return headers.get("name"), headers.get("version")
    return None, None


def _from_importlib_metadata(group: str) -> list[EntryPoint]:
    import importlib.metadata

    found = []
    for point in importlib.metadata.entry_points(group=group):
        dist = getattr(point, "dist", None)
        found.append(EntryPoint(
            name=point.name, value=point.value, group=group,
            distribution=dist.name if dist is not None else None,
            version=dist.version if dist is not None else None,
        ))
    return found
