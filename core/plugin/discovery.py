"""Which plugins to load, and what installed ones declare, without loading any.

The command line reads its plugin options (``--plugin``, ``--no-plugins`` and
their environment variables) and the commands installed distributions
declare before it loads a plugin, and often instead of loading one:
``coachflow --help`` lists plugin commands from what is declared here. So
this module imports neither pluggy nor attrs; :mod:`coachflow.plugin.host`
does the loading.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Iterable, Mapping, NamedTuple

from coachflow.errors import CoachflowError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

#: The entry-point group in which a distribution names its coachflow plugins.
ENTRY_POINT_GROUP = "coachflow"

#: The environment variables that control plugin loading (see :meth:`PluginOptions.from_environment`).
PLUGINS_ENV = "COACHFLOW_PLUGINS"
DISABLE_PLUGINS_ENV = "COACHFLOW_DISABLE_PLUGINS"
NO_PLUGINS_ENV = "COACHFLOW_NO_PLUGINS"
LOAD_PLUGINS_ENV = "COACHFLOW_LOAD_PLUGINS"
TRACE_ENV = "COACHFLOW_TRACE"

#: The entry-point group in which a distribution names the commands its plugin adds
#: (command name = the plugin's entry point), so that they are known without importing it.
COMMANDS_GROUP = "coachflow.commands"


class PluginOptions(NamedTuple):
    """Which plugins to load, from the command line and the environment.

    :param local: ``.py`` files and module names to load as plugins.
    :param disabled: names of plugins to block (never imported).
    :param installed: load installed plugins (entry points) and
        ``COACHFLOW_PLUGINS``; ``False`` is ``--no-plugins``.
    :param trace: show every hook call on standard error.
    :param load_only: the names of the only installed plugins to load
        (``COACHFLOW_LOAD_PLUGINS``); the others are not even listed.
    """

    local: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()
    installed: bool = True
    trace: bool = False
    #: ``COACHFLOW_LOAD_PLUGINS``: the only installed plugins to load; ``None`` when unset.
    load_only: tuple[str, ...] | None = None

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        plugins: Iterable[str] = (),
        disabled: Iterable[str] = (),
        no_plugins: bool = False,
        trace: bool = False,
    ) -> "PluginOptions":
        """Combine command-line values with ``COACHFLOW_PLUGINS``, ``COACHFLOW_DISABLE_PLUGINS``,
        ``COACHFLOW_NO_PLUGINS``, ``COACHFLOW_LOAD_PLUGINS`` and ``COACHFLOW_TRACE``.

        With no third-party plugins (``--no-plugins`` or ``COACHFLOW_NO_PLUGINS=1``),
        ``COACHFLOW_PLUGINS`` is ignored too, but plugins named with
        ``--plugin`` on the same command line still load: that is how an
        author tries one plugin on its own.

        :raises CoachflowError: when a switch variable is neither on nor off.
        """
        environ = os.environ if environ is None else environ
        no_plugins = no_plugins or env_flag(NO_PLUGINS_ENV, environ)
        local = list(plugins)
        if not no_plugins:
            local += env_list(PLUGINS_ENV, environ)
        return cls(
            local=tuple(dict.fromkeys(local)),
            disabled=tuple(dict.fromkeys([*disabled, *env_list(DISABLE_PLUGINS_ENV, environ)])),
            installed=not no_plugins,
            trace=trace or env_flag(TRACE_ENV, environ),
            load_only=tuple(env_list(LOAD_PLUGINS_ENV, environ)) if LOAD_PLUGINS_ENV in environ else None,
        )


def env_flag(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """Read an on/off environment variable: 1/true/yes/on or 0/false/no/off (unset: off).

    :raises CoachflowError: for any other value.
    """
    value = (os.environ if environ is None else environ).get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise CoachflowError(f"{name}: '{value}' is not a switch; use 1 to turn it on or 0 to turn it off")


def env_list(name: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """Read a comma-separated environment variable into its non-empty items."""
    value = (os.environ if environ is None else environ).get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()]


def declared_commands(warnings: list[str] | None = None) -> dict[str, list[str]]:
    """The commands installed plugins declare, by plugin: ``{plugin name: [command, ...]}``.

    A distribution declares them in the ``coachflow.commands`` entry-point
    group, each command named after the plugin's own entry point::

        [project.entry-points."coachflow.commands"]
        networking = "coachflow_networking"   # the module its coachflow entry point names

    The plugin is matched by distribution and entry-point value, without importing it.
    """
    import importlib.metadata

    try:
        plugins = {(_dist_name(ep), ep.value): ep.name for ep in installed_entry_points()}
        found: dict[str, list[str]] = {}
        for ep in importlib.metadata.entry_points(group=COMMANDS_GROUP):
            plugin = plugins.get((_dist_name(ep), ep.value))
            if plugin is None:
                if warnings is not None:
                    warnings.append(f"{_dist_name(ep) or 'a distribution'} declares a command '{ep.name}' for "
                                    f"'{ep.value}', which is none of its coachflow plugins; the command is unknown")
                continue
            found.setdefault(plugin, []).append(ep.name)
        return {plugin: sorted(names) for plugin, names in found.items()}
    except Exception as exc:  # a broken installed distribution must not stop coachflow
        if warnings is not None:
            from coachflow.plugin.host import describe_error

            warnings.append(f"installed plugins' commands could not be listed: {describe_error(exc)}")
        return {}


def _dist_name(ep: Any) -> str | None:
    dist = getattr(ep, "dist", None)
    return dist.name if dist is not None else None




def installed_entry_points() -> list["EntryPoint"]:
    """The installed distributions' entry points in the ``coachflow`` group, one per distribution and name."""
    import importlib.metadata

    return list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))


__all__ = [
    "COMMANDS_GROUP", "DISABLE_PLUGINS_ENV", "ENTRY_POINT_GROUP", "LOAD_PLUGINS_ENV", "NO_PLUGINS_ENV", "PLUGINS_ENV",
    "PluginOptions", "TRACE_ENV", "declared_commands", "env_flag", "env_list", "installed_entry_points",
]
