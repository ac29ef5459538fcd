"""Reports to share: a redacted copy a client can pass on without naming anyone.

:func:`redact` replaces every company the journal names with "Company A",
"Company B", ... (the same letter for the same company throughout, in the
order they first appear) and leaves out what people wrote: feedback quotes
and notes. The numbers stay as they are, so a redacted report says the same
about the search as the full one.
"""

from __future__ import annotations

import re
import string
from typing import Iterable

import attrs

from coachflow.applications import fold
from coachflow.report.build import Report


def company_aliases(companies: Iterable[str]) -> dict[str, str]:
    """Folded company name -> ``Company A``, ``Company B``, ... ``Company AA`` in the order given."""
    aliases: dict[str, str] = {}
    for company in companies:
        key = fold(company)
        if key and key not in aliases:
            aliases[key] = f"Company {_letters(len(aliases))}"
    return aliases


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return letters


def redact(report: Report, companies: Iterable[str]) -> Report:
    """``report`` with the companies in ``companies`` replaced by aliases and people's words left out.

    :param companies: every company the journal names, oldest first (any
        spelling): each is replaced wherever it appears, titles included.
    """
    names = list(companies)
    aliases = company_aliases(names)
    spellings = sorted({name for name in names if name.strip()}, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in spellings), re.IGNORECASE) \
        if spellings else None

    def alias(company: str) -> str:
        return aliases.get(fold(company), "a company") if company else company

    def scrub(text: str) -> str:
        return pattern.sub(lambda match: alias(match.group(0)), text) if pattern is not None else text

    return attrs.evolve(
        report,
        recent_wins=tuple(attrs.evolve(win, company=alias(win.company), notes="") for win in report.recent_wins),
        themes=tuple(
            attrs.evolve(theme, applications=tuple((alias(company), role) for company, role in theme.applications),
                         evidence=())
            for theme in report.themes),
        due_next=tuple(attrs.evolve(action, title=scrub(action.title)) for action in report.due_next),
        reasons=attrs.evolve(report.reasons, focus=tuple(
            attrs.evolve(area, companies=tuple(alias(company) for company in area.companies))
            for area in report.reasons.focus)),
    )


__all__ = ["company_aliases", "redact"]
