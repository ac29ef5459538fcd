"""What a step is, for plugin authors: the :class:`Step` base class and :func:`option`.

A step type is a class. Its ``name`` is what a workflow's ``uses`` names,
its ``Options`` attrs class describes the ``with`` table (types, defaults
and a help text per field, declared with :func:`option`), and its methods
marked ``@coachflow.hookimpl`` are the workflow hooks it handles. The
registry that checks and keeps step types is :mod:`coachflow.plugin.registry`.
"""

from __future__ import annotations

from typing import Any, ClassVar, Iterable

import attrs


def option(
    default: Any = attrs.NOTHING,
    *,
    help: str,
    factory: Any = None,
    placeholders: Iterable[str] | None = None,
    validator: Any = None,
) -> Any:
    """Declare one option of a step, for use inside its ``Options`` attrs class.

    :param default: the value used when the workflow does not set it.
    :param help: one or two sentences for coaches; shown by ``coachflow steps``,
        in the JSON Schema and in the docs.
    :param factory: use instead of ``default`` for lists and tables.
    :param placeholders: for a :class:`~coachflow.templates.Template` option,
        the extra placeholder names the step passes to ``ctx.render()`` for
        this text. The fields common to every event the step handles, plus
        ``{position}`` and ``{type}``, are always available.
    :param validator: an attrs validator, for checks beyond the type.
    """
    metadata = {"help": help}
    if placeholders is not None:
        metadata["placeholders"] = tuple(placeholders)
    if factory is not None:
        return attrs.field(factory=factory, metadata=metadata, validator=validator)
    return attrs.field(default=default, metadata=metadata, validator=validator)


@attrs.define
class NoOptions:
    """The options of a step that has none."""


class Step:
    """A convenient base class for steps; any class with the same shape works.

    Subclasses set ``name`` and, when they take options, ``Options``.
    """

    name: ClassVar[str]
    Options: ClassVar[type] = NoOptions

    def __init__(self, options: Any):
        self.options = options
