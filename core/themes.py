"""Themes: the recurring subjects of feedback and rejection reasons.

One piece of feedback is one person's view; a theme that comes up across
several applications is worth practising. This module tags text with
themes by keyword and finds the themes that recur across different
applications in a journal. The ``feedback-patterns`` step and
``coachflow report`` both use it.

Keywords match whole words, ignoring case; a keyword ending in ``*``
matches any word that starts with it (``communicat*`` matches
"communication" and "communicating"), and a keyword of several words
matches them with any spacing in between ("system design").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

import attrs

if TYPE_CHECKING:
    from coachflow.journal import JournalReader

#: The themes coachflow knows out of the box, each with its keywords.
DEFAULT_THEMES: dict[str, tuple[str, ...]] = {
    "communication": (
        "communicat*", "clarity", "unclear", "concise", "rambl*", "articulat*", "hard to follow",
        "long-winded", "verbose", "storytelling", "structure your answers", "structured answers",
        "presentation skills", "listening",
    ),
    "technical depth": (
        "technical depth", "depth", "shallow", "superficial", "system design", "architecture",
        "fundamentals", "algorithm*", "data structures", "coding", "technical skills",
        "technical knowledge", "hands-on", "sql", "trade-offs", "tradeoffs",
    ),
    "experience level": (
        "experience level", "more experience", "more experienced", "inexperience*",
        "years of experience", "senior*", "junior", "track record", "overqualified",
        "underqualified", "leadership experience",
    ),
    "culture fit": (
        "culture*", "cultural", "team fit", "fit with the team", "values", "enthusias*",
        "motivation", "motivated", "chemistry", "attitude",
    ),
    "salary": (
        "salary", "salaries", "compensation", "pay range", "pay expectation*", "expected pay",
        "day rate", "too expensive", "package expectation*", "above our range", "above the range",
    ),
}

#: How long an evidence excerpt may be, in characters.
EXCERPT_LENGTH = 110


@attrs.frozen
class ThemeEvidence:
    """A theme that recurs across applications, with what shows it.

    :ivar theme: the theme's name, such as ``"technical depth"``.
    :ivar applications: the distinct applications it came up in, as
        ``(company, role)``, in the order they first mentioned it.
    :ivar evidence: every mention, oldest first, as ``(date, company, role,
        excerpt)``; the excerpt is the sentence that mentions it.
    """

    theme: str
    applications: list[tuple[str, str]]
    evidence: list[tuple[dt.date, str, str, str]]

    @property
    def count(self) -> int:
        """How many different applications the theme came up in."""
        return len(self.applications)

    @property
    def companies(self) -> list[str]:
        """The companies it came up at, each once, in order of first mention."""
        seen: dict[str, str] = {}
        for company, _ in self.applications:
            seen.setdefault(company.casefold(), company)
        return list(seen.values())


def combine_themes(
    themes: Mapping[str, Sequence[str]], extra: Mapping[str, Sequence[str]] | None = None
) -> dict[str, tuple[str, ...]]:
    """Themes with ``extra`` added: new themes are appended, and keywords for a
    theme that already exists are added to its own."""
    combined = {name: tuple(words) for name, words in themes.items()}
    for name, words in (extra or {}).items():
        known = combined.get(name, ())
        combined[name] = known + tuple(w for w in words if w not in known)
    return combined


@functools.lru_cache(maxsize=256)
def _pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for keyword in keywords:
        word = keyword.strip()
        prefix = word.endswith("*")
        word = word.rstrip("*").strip()
        if not word:
            continue
        body = r"\s+".join(re.escape(piece) for piece in word.split())
        parts.append(rf"(?<!\w){body}" + (r"\w*" if prefix else r"(?!\w)"))
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def find_keyword(text: str, keywords: Iterable[str]) -> re.Match[str] | None:
    """The first place in ``text`` where one of ``keywords`` occurs, or ``None``."""
    pattern = _pattern(tuple(keywords))
    return pattern.search(text) if pattern is not None and text else None


# Feedback often praises one thing and questions another ("great communication, but
# the SQL lacked depth"). A theme is something to work on, so a mention inside a
# clause that only praises does not count.
_CLAUSE_BREAK = re.compile(r"[.;!?]+|\b(?:but|however|although|though|yet|whereas)\b", re.IGNORECASE)
_PRAISE = re.compile(
    r"\b(?:great|strong|excellent|good|impressive|impressed|liked|loved|enjoyed|solid|outstanding|"
    r"fantastic|nice|brilliant|praised|well)\b", re.IGNORECASE)
_CONCERN = re.compile(
    r"\b(?:lack\w*|more|less|weak\w*|need\w*|gaps?|improv\w*|not|no|without|deeper|shallow|"
    r"missing|too|limited|concern\w*|struggl\w*|could|should|short|unclear|but|only)\b|n't\b", re.IGNORECASE)


# "Nothing to do with your skills, we hired internally" rules skills out. A mention
# after one of these, before the next comma or clause break, is denied, not raised.
_DENIAL = re.compile(
    r"\b(?:nothing\s+to\s+do\s+with|(?:(?:is|was|were)\s+)?not\s+(?:about(?!\s+to\b)|because\s+of|due\s+to|down\s+to|"
    r"related\s+to|a\s+reflection\s+(?:of|on)|an?\s+(?:issue|problem|concern)\s+with)|"
    r"(?:is|was|were)(?:\s+not|n't)\s+(?:about|because\s+of|due\s+to|down\s+to|your)|"
    r"no\s+(?:reflection\s+on|(?:issues?|problems?|concerns?|doubts?)\s+(?:with|about))|"
    r"nothing\s+wrong\s+with|not\s+your)\b",
    re.IGNORECASE)
_DENIAL_SCOPE_END = re.compile(r"[,:()\n]|\b(?:because|since|as|so|instead|rather)\b", re.IGNORECASE)
# "It wasn't a communication issue": the denial wraps the mention.
_NOT_A = re.compile(r"\b(?:is|was|were)(?:\s+not|n't)\s+(?:an?\s+|the\s+)?$", re.IGNORECASE)
_ISSUE = re.compile(r"\s+(?:issue|problem|concern|question|factor)s?\b", re.IGNORECASE)


def _denied(text: str, clause_start: int, mention: re.Match[str]) -> bool:
    """True when ``mention`` stands in the scope of a denial in its clause."""
    denial = None
    for denial in _DENIAL.finditer(text, clause_start, mention.start()):
        pass
    if denial is not None and _DENIAL_SCOPE_END.search(text, denial.end(), mention.start()) is None:
        return True
    return bool(_NOT_A.search(text, clause_start, mention.start()) and _ISSUE.match(text, mention.end()))


def find_concerns(text: str, keywords: Iterable[str]) -> list[re.Match[str]]:
    """Every mention of ``keywords`` in ``text`` that raises something to work on.

    Skipped: mentions in a clause that only praises ("great communication"),
    and mentions a denial rules out ("nothing to do with your skills", "it
    wasn't about experience"). "Communication was good but answers could be
    more concise" still counts, through its second clause.
    """
    if not text or text.isspace():  # no keyword matches blanks: spare compiling the pattern
        return []
    pattern = _pattern(tuple(keywords))
    if pattern is None:
        return []
    found = []
    start = 0
    for boundary in [*_CLAUSE_BREAK.finditer(text), None]:
        end = boundary.start() if boundary is not None else len(text)
        clause = text[start:end]
        if not (_PRAISE.search(clause) and not _CONCERN.search(clause)):
            found += [match for match in pattern.finditer(text, start, end) if not _denied(text, start, match)]
        start = boundary.end() if boundary is not None else end
    return found


def find_concern(text: str, keywords: Iterable[str]) -> re.Match[str] | None:
    """The first mention :func:`find_concerns` counts, or ``None``.

    Like :func:`find_keyword`, but skips mentions in a clause that only praises
    and mentions that are denied.
    """
    found = find_concerns(text, keywords)
    return found[0] if found else None


def tag_text(text: str, themes: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """The themes ``text`` raises as something to work on, in the order of ``themes``.

    A keyword counts unless the clause it stands in only praises (see
    :func:`find_concern`).

    :param themes: theme name -> keywords; default :data:`DEFAULT_THEMES`.
    """
    themes = DEFAULT_THEMES if themes is None else themes
    return [name for name, keywords in themes.items() if find_concern(text, keywords) is not None]


def excerpt(text: str, keywords: Iterable[str] = (), limit: int = EXCERPT_LENGTH) -> str:
    """The sentence of ``text`` that first mentions one of ``keywords`` (or the
    first sentence), shortened to about ``limit`` characters around the mention."""
    text = " ".join(text.split())
    match = find_concern(text, keywords) or find_keyword(text, keywords)
    at = match.start() if match is not None else 0
    start = 0
    for boundary in re.finditer(r"[.!?;]\s+", text):
        if boundary.end() <= at:
            start = boundary.end()
    end_match = re.search(r"[.!?;](\s|$)", text[at:])
    end = at + end_match.end() if end_match else len(text)
    sentence = text[start:end].strip()
    if len(sentence) <= limit:
        return sentence
    begin = max(0, min(at - start - limit // 3, len(sentence) - limit))
    end = begin + limit
    # cut at word boundaries, so no word is shown in half
    if begin > 0 and not sentence[begin - 1].isspace():
        space = sentence.find(" ", begin)
        begin = space + 1 if 0 <= space < at - start else begin
    if end < len(sentence) and not sentence[end].isspace():
        space = sentence.rfind(" ", begin, end)
        end = space if space > at - start else end
    cut = sentence[begin:end].strip()
    return ("..." if begin > 0 else "") + cut + ("..." if end < len(sentence) else "")


def _texts(journal: "JournalReader", since: dt.date | None, until: dt.date | None):
    """Feedback texts and rejection reasons, oldest first, as (date, company, role, text)."""
    found = []
    for _, event in journal.iter_entries("feedback", since=since, until=until):
        found.append((event.date, event.company, event.role, event.text))
    for _, event in journal.iter_entries("rejection", since=since, until=until):
        if event.reason:
            found.append((event.date, event.company, event.role, event.reason))
    found.sort(key=lambda item: item[0])
    return found


def _applications(mentions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Distinct applications among ``(company, role)`` mentions.

    Company and role are compared ignoring case. A mention without a role
    belongs to the company's application(s) named elsewhere, and counts as
    an application of its own only when no mention at that company has a role.
    """
    with_role: dict[tuple[str, str], tuple[str, str]] = {}
    without_role: dict[str, tuple[str, str]] = {}
    order: list[tuple[str, str]] = []
    for company, role in mentions:
        key = (company.casefold(), role.casefold())
        if role:
            if key not in with_role:
                with_role[key] = (company, role)
                order.append(key)
        elif key[0] not in without_role:
            without_role[key[0]] = (company, role)
            order.append(key)
    companies_with_role = {company for company, _ in with_role}
    return [
        with_role[key] if key[1] else without_role[key[0]]
        for key in order
        if key[1] or key[0] not in companies_with_role
    ]


def recurring_themes(
    journal: "JournalReader",
    themes: Mapping[str, Sequence[str]] | None = None,
    *,
    min_applications: int = 2,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[ThemeEvidence]:
    """The themes that came up in at least ``min_applications`` different applications.

    Reads feedback texts and rejection reasons from the journal. Most
    recurring first (then by name).

    :param themes: theme name -> keywords; default :data:`DEFAULT_THEMES`.
    :param since: the first date included.
    :param until: the last date included.
    """
    themes = DEFAULT_THEMES if themes is None else themes
    mentions: dict[str, list[tuple[dt.date, str, str, str]]] = {name: [] for name in themes}
    for date, company, role, text in _texts(journal, since, until):
        for name, keywords in themes.items():
            if find_concern(text, keywords) is not None:
                mentions[name].append((date, company, role, excerpt(text, keywords)))
    found = []
    for name, evidence in mentions.items():
        applications = _applications([(company, role) for _, company, role, _ in evidence])
        if evidence and len(applications) >= min_applications:
            found.append(ThemeEvidence(theme=name, applications=applications, evidence=evidence))
    found.sort(key=lambda item: (-item.count, item.theme))
    return found


__all__ = [
    "DEFAULT_THEMES",
    "ThemeEvidence",
    "combine_themes",
    "excerpt",
    "find_concern",
    "find_concerns",
    "find_keyword",
    "recurring_themes",
    "tag_text",
]
