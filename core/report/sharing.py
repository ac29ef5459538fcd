"""Reports to share: a redacted copy a client can pass on without naming anyone.

:func:`redact` replaces every company the journal names with "Company A",
"Company B", ... (the same letter for the same company throughout, in the
order they first appear) and leaves out what people wrote: feedback quotes,
the notes of events and the coach's notes. It names no person either: the
client's and the coach's names are left out, and the names of the people a
client's settings know (their own, their coach's, their support contacts')
become "someone" where a title of the coaching uses them. The numbers stay
as they are, so a redacted report says the same about the search as the
full one.

The coach's notes are left out whole, even one that names no company: a
note is written to the client about their week, and may speak of their
health, money or family, which no search for company names can find. A
coach who wants a note in a shared copy can send it alongside.
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


def redact(report: Report, companies: Iterable[str], *, people: Iterable[str] = ()) -> Report:
    """``report`` with the companies in ``companies`` replaced by aliases and people's words left out.

    :param companies: every company the journal names, oldest first (any
        spelling): each is replaced wherever it appears, titles included.
    :param people: names of people (the client, the coach, support contacts):
        each becomes "someone" where a title uses it, spelled as given.
    """
    names = list(companies)
    persons = sorted({name.strip() for name in people if name and name.strip()}, key=len, reverse=True)
    person_pattern = re.compile("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in persons)) \
        if persons else None
    aliases = company_aliases(names)
    spellings = sorted({name for name in names if name.strip()}, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in spellings), re.IGNORECASE) \
        if spellings else None

    def alias(company: str) -> str:
        return aliases.get(fold(company), "a company") if company else company

    def scrub(text: str) -> str:
        if person_pattern is not None:  # people first: the aliases put in for companies are never taken for names
            text = person_pattern.sub("someone", text)
        return pattern.sub(lambda match: alias(match.group(0)), text) if pattern is not None else text

    return attrs.evolve(
        report,
        # a role is free text too ("Analyst, Acme Labs"): it is scrubbed like a title
        recent_wins=tuple(attrs.evolve(win, company=alias(win.company), role=scrub(win.role), notes="")
                          for win in report.recent_wins),
        last_win_before=(attrs.evolve(report.last_win_before, company=alias(report.last_win_before.company),
                                      role=scrub(report.last_win_before.role), notes="")
                         if report.last_win_before is not None else None),
        themes=tuple(
            attrs.evolve(theme, applications=tuple((alias(company), scrub(role)) for company, role in theme.applications),
                         evidence=())
            for theme in report.themes),
        due_next=tuple(attrs.evolve(action, title=scrub(action.title)) for action in report.due_next),
        reasons=attrs.evolve(report.reasons, focus=tuple(
            attrs.evolve(area, companies=tuple(alias(company) for company in area.companies))
            for area in report.reasons.focus)),
        client_id="", client_name="", coach_name="", notes=(), redacted=True,
    )


__all__ = ["company_aliases", "redact"]
