"""Themes: the recurring subjects of feedback and rejection reasons.

One piece of feedback is one person's view; a theme that comes up across
several applications is worth practising. This module tags text with
themes by keyword and finds the themes that recur across different
applications in a journal. The ``feedback-patterns`` step and
``coachflow report`` both use it.

Keywords match whole words, ignoring case; a keyword ending in ``*``
matches any word that starts with it (``communicat*`` matches
"communication" and "communicating"), a keyword of several words
matches them with any spacing in between ("system design"), and a ``#``
word stands for a number ("# applicants" matches "400 applicants").
"""

from __future__ import annotations

from coachflow.applications import application_key, fold, matches
from coachflow.journal.dialect import day_of, position_of

import bisect
import datetime as dt
import functools
import re
from array import array
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, NamedTuple, Sequence

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

#: How many characters of a text themes are looked for in: the first 100,000,
#: some 15,000 words, far more than any feedback or reason. Matching takes
#: time in proportion to the length it searches, so this bounds what one
#: pasted megabyte costs each run and report; the journal keeps it whole.
SEARCHED_LENGTH = 100_000


#: How many of a theme's latest mentions :class:`ThemeEvidence` keeps as ``evidence``.
EVIDENCE_KEPT = 10

#: One mention of a theme: ``(date, company, role, excerpt)``.
Mention = tuple[dt.date, str, str, str]


class ApplicationEvidence(NamedTuple):
    """What one application said about a theme (a named tuple: a step may build hundreds per event).

    :ivar company: the company, as first written.
    :ivar role: the role, as first written (empty when no mention named one).
    :ivar mentions: how many feedback texts and rejection reasons mention it.
    :ivar latest: its most recent mention.
    """

    company: str
    role: str
    mentions: int
    latest: Mention


@attrs.frozen
class ThemeEvidence:
    """A theme that recurs across applications, with what shows it.

    :ivar theme: the theme's name, such as ``"technical depth"``.
    :ivar applications: the distinct applications it came up in, as
        ``(company, role)``, in the order they first mentioned it.
    :ivar by_application: each application's mentions, the most recently
        mentioned first. A mention without a role is counted with the
        company's most recently mentioned application.
    :ivar mentions: how many feedback texts and rejection reasons mention it.
    :ivar evidence: its latest mentions (at most :data:`EVIDENCE_KEPT`),
        oldest first; each excerpt is the sentence that mentions it.
    """

    theme: str
    applications: list[tuple[str, str]]
    by_application: list[ApplicationEvidence]
    mentions: int
    evidence: list[Mention]

    @property
    def count(self) -> int:
        """How many different applications the theme came up in."""
        return len(self.applications)

    @property
    def companies(self) -> list[str]:
        """The companies it came up at, each once, in order of first mention."""
        seen: dict[str, str] = {}
        for company, _ in self.applications:
            seen.setdefault(fold(company), company)
        return list(seen.values())

    def mentions_at(self, company: str, role: str = "") -> int:
        """How many mentions came from this application: its company with
        this role, or with no role on either side."""
        return sum(
            found.mentions for found in self.by_application
            if matches(application_key(found.company, found.role), application_key(company, role))
        )


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


#: What ``#`` in a keyword matches: a number such as 400, 1,200 or 3.5.
_NUMBER = r"\d+(?:[.,]\d+)*"


@functools.lru_cache(maxsize=256)
def _pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for keyword in keywords:
        word = keyword.strip()
        prefix = word.endswith("*")
        word = word.rstrip("*").strip()
        if not word:
            continue
        # "#" stands for a number, so that "# applicants" matches "400 applicants"
        body = r"\s+".join(_NUMBER if piece == "#" else re.escape(piece) for piece in word.split())
        parts.append(body + (r"\w*" if prefix else r"(?!\w)"))
    if not parts:
        return None
    # Every keyword starts a word: checked once, before trying each keyword, so
    # that a position inside a word is passed over at the cost of one look back.
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


def _searched(text: str) -> str:
    """The part of ``text`` themes are looked for in (see :data:`SEARCHED_LENGTH`),
    ending before a word the limit would cut in two."""
    if len(text) <= SEARCHED_LENGTH:
        return text
    end = SEARCHED_LENGTH
    while end > 0 and (text[end].isalnum() or text[end] == "_") and (text[end - 1].isalnum() or text[end - 1] == "_"):
        end -= 1
    return text[:end]


def find_keyword(text: str, keywords: Iterable[str]) -> re.Match[str] | None:
    """The first place in ``text`` where one of ``keywords`` occurs, or ``None``.

    Only the first :data:`SEARCHED_LENGTH` characters are searched.
    """
    pattern = _pattern(tuple(keywords))
    return pattern.search(_searched(text)) if pattern is not None and text else None


# Feedback often praises one thing and questions another ("great communication, but
# the SQL lacked depth"). A theme is something to work on, so a mention inside a
# clause that only praises does not count.
#
# "Nothing to do with your skills, we hired internally" rules skills out. A mention
# after a denial, before the next comma or clause break, is denied, not raised;
# "it wasn't a communication issue" wraps the mention in one.
#
# Compiled on first use: most commands never read feedback, and compiling these
# costs a millisecond of every start-up.
class _ClausePatterns(NamedTuple):
    clause_break: re.Pattern[str]
    praise: re.Pattern[str]
    concern: re.Pattern[str]
    denial: re.Pattern[str]
    denial_scope_end: re.Pattern[str]
    not_a: re.Pattern[str]
    issue: re.Pattern[str]


@functools.cache
def _clause_patterns() -> _ClausePatterns:
    return _ClausePatterns(
        clause_break=re.compile(r"[.;!?]+|\b(?:but|however|although|though|yet|whereas)\b", re.IGNORECASE),
        praise=re.compile(
            r"\b(?:great|strong|excellent|good|impressive|impressed|liked|loved|enjoyed|solid|outstanding|"
            r"fantastic|nice|brilliant|praised|well)\b", re.IGNORECASE),
        concern=re.compile(
            r"\b(?:lack\w*|more|less|weak\w*|need\w*|gaps?|improv\w*|not|no|without|deeper|shallow|"
            r"missing|too|limited|concern\w*|struggl\w*|could|should|short|unclear|but|only)\b|n't\b",
            re.IGNORECASE),
        denial=re.compile(
            r"\b(?:nothing\s+to\s+do\s+with|(?:(?:is|was|were)\s+)?not\s+(?:about(?!\s+to\b)|because\s+of|"
            r"due\s+to|down\s+to|related\s+to|a\s+reflection\s+(?:of|on)|an?\s+(?:issue|problem|concern)\s+with)|"
            r"(?:is|was|were)(?:\s+not|n't)\s+(?:about|because\s+of|due\s+to|down\s+to|your)|"
            r"no\s+(?:reflection\s+on|(?:issues?|problems?|concerns?|doubts?)\s+(?:with|about))|"
            r"nothing\s+wrong\s+with|not\s+your)\b",
            re.IGNORECASE),
        denial_scope_end=re.compile(r"[,:()\n]|\b(?:because|since|as|so|instead|rather)\b", re.IGNORECASE),
        # "wasn't", "was not a", "were not the": a mention may follow the phrase with or
        # without its article, so both places it ends count (group 1 is the article).
        not_a=re.compile(r"\b(?:is|was|were)(?:\s+not|n't)\s+((?:an?|the)\s+)?", re.IGNORECASE),
        issue=re.compile(r"\s+(?:issue|problem|concern|question|factor)s?\b", re.IGNORECASE),
    )


class _Scan:
    """One text's clauses, denials and scope ends, found once and shared by every theme.

    Each mention is then judged with a binary search or two instead of a
    fresh search back to the start of its clause: feedback pasted without a
    full stop is one long clause, and searching it again for each of its
    mentions took time that grew with the square of its length.
    """

    __slots__ = ("text", "_clauses", "_judge")

    def __init__(self, text: str) -> None:
        self.text = text
        self._clauses: list[tuple[int, int]] | None = None
        self._judge: tuple[Any, ...] | None = None

    def _prepare(self) -> tuple[Any, ...]:
        """Where the denials, their scope ends and the "wasn't a ..." phrases are.

        No denial or scope end holds a clause break, so one pass over the
        whole text finds what a pass over each clause would.
        """
        if self._judge is None:
            patterns, text = _clause_patterns(), self.text
            spans = [(m.start(), m.end()) for m in patterns.denial.finditer(text)]
            scope = [(m.start(), m.end()) for m in patterns.denial_scope_end.finditer(text)]
            not_a = {}
            for match in patterns.not_a.finditer(text):
                not_a[match.end()] = not_a[match.start(1) if match.start(1) >= 0 else match.end()] = match.start()
            self._judge = ([s for s, _ in spans], [e for _, e in spans],
                           [s for s, _ in scope], [e for _, e in scope], not_a, patterns.issue.match)
        return self._judge

    def concerns(self, pattern: re.Pattern[str], *, first: bool = False) -> list[re.Match[str]]:
        """The mentions ``pattern`` finds in the clauses that may raise a concern, denied ones left out.

        :param first: stop at the first such mention (whether a text raises a theme, and where).

        A mention is denied when a denial stands before it in its clause with
        no comma or clause break in between ("nothing to do with your
        skills"), or when "wasn't a" comes right before it and "issue" (or
        "problem", ...) right after it.
        """
        text = self.text
        if self._clauses is None:
            self._clauses = _open_clauses(text)
        found = []
        judge = None
        for start, end in self._clauses:
            for match in pattern.finditer(text, start, end):
                if judge is None:
                    judge = self._prepare()
                    denial_starts, denial_ends, scope_starts, scope_ends, not_a, issue = judge
                at = match.start()
                last = bisect.bisect_right(denial_ends, at) - 1  # the last denial that ends before it
                if last >= 0 and denial_starts[last] >= start:
                    after = bisect.bisect_left(scope_starts, denial_ends[last])
                    if after == len(scope_starts) or scope_ends[after] > at:
                        continue
                if not_a.get(at, -1) >= start and issue(text, match.end()):
                    continue
                found.append(match)
                if first:
                    return found
        return found


@functools.lru_cache(maxsize=2)
def _scan_of(text: str) -> _Scan:
    """The scan of ``text``, kept for the next question about the same text: a step
    asks one rejection reason about a dozen causes, one after the other."""
    return _Scan(text)


def _open_clauses(text: str) -> list[tuple[int, int]]:
    """Where the clauses of ``text`` that may raise a concern start and end: all but
    those that only praise. The same for every theme, so worked out once per text."""
    patterns = _clause_patterns()
    clauses = []
    start = 0
    for boundary in [*patterns.clause_break.finditer(text), None]:
        end = boundary.start() if boundary is not None else len(text)
        if not (patterns.praise.search(text, start, end) and not patterns.concern.search(text, start, end)):
            clauses.append((start, end))
        start = boundary.end() if boundary is not None else end
    return clauses


def find_concerns(text: str, keywords: Iterable[str]) -> list[re.Match[str]]:
    """Every mention of ``keywords`` in ``text`` that raises something to work on.

    Skipped: mentions in a clause that only praises ("great communication"),
    and mentions a denial rules out ("nothing to do with your skills", "it
    wasn't about experience"). "Communication was good but answers could be
    more concise" still counts, through its second clause.

    Takes time in proportion to the length of ``text``, of which the first
    :data:`SEARCHED_LENGTH` characters are searched.
    """
    return _concerns(text, keywords, first=False)


def _concerns(text: str, keywords: Iterable[str], *, first: bool) -> list[re.Match[str]]:
    if not text or text.isspace():  # no keyword matches blanks: spare compiling the pattern
        return []
    pattern = _pattern(tuple(keywords))
    if pattern is None:
        return []
    return _scan_of(_searched(text)).concerns(pattern, first=first)


def find_concern(text: str, keywords: Iterable[str]) -> re.Match[str] | None:
    """The first mention :func:`find_concerns` counts, or ``None``.

    Like :func:`find_keyword`, but skips mentions in a clause that only praises
    and mentions that are denied.
    """
    found = _concerns(text, keywords, first=True)
    return found[0] if found else None


def tag_text(text: str, themes: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """The themes ``text`` raises as something to work on, in the order of ``themes``.

    A keyword counts unless the clause it stands in only praises (see
    :func:`find_concern`).

    :param themes: theme name -> keywords; default :data:`DEFAULT_THEMES`.
    """
    themes = DEFAULT_THEMES if themes is None else themes
    if not text or text.isspace():
        return []
    scan = _scan_of(_searched(text))  # the clauses and denials, found once for every theme
    return [name for name, keywords in themes.items()
            if (pattern := _pattern(tuple(keywords))) is not None and scan.concerns(pattern, first=True)]


def excerpt(text: str, keywords: Iterable[str] = (), limit: int = EXCERPT_LENGTH) -> str:
    """The sentence of ``text`` that first mentions one of ``keywords`` (or the
    first sentence), shortened to about ``limit`` characters around the mention."""
    return _excerpt(_scan_of(" ".join(_searched(text).split())), tuple(keywords), limit)


def _excerpt(scan: "_Scan", keywords: tuple[str, ...], limit: int) -> str:
    """:func:`excerpt` of the text ``scan`` holds, its blanks already made single spaces."""
    text = scan.text
    pattern = _pattern(keywords)
    match = None
    if pattern is not None and text:
        concerns = scan.concerns(pattern, first=True)
        match = concerns[0] if concerns else pattern.search(text)
    at = match.start() if match is not None else 0
    start = 0
    for boundary in re.finditer(r"[.!?;]\s+", text):
        if boundary.end() > at:
            break
        start = boundary.end()
    end_match = re.compile(r"[.!?;](\s|$)").search(text, at)
    end = end_match.end() if end_match else len(text)
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


def _position(date: dt.date, order: int) -> int:
    # Where a mention stands in time, as one integer (so that an application's mentions fit in a
    # compact array): its date, then its order among the texts of that date (the journal's event
    # id), as the journal places events (so that grouped texts come with their positions ready).
    return position_of(date, order)


class _ApplicationMentions:
    """One application's mentions of one theme: where each stands in time, and the latest."""

    __slots__ = ("company", "role", "positions", "latest")

    def __init__(self) -> None:
        self.company = ""
        self.role = ""
        self.positions = array("q")  # sorted
        self.latest: Mention | None = None

    def add(self, position: int, mention: Mention) -> None:
        positions = self.positions
        if not positions or position < positions[0]:
            self.company, self.role = mention[1], mention[2]  # as its first mention wrote them
        if not positions or position > positions[-1]:
            self.latest = mention
            positions.append(position)
        else:
            bisect.insort(positions, position)

    def add_many(self, positions: Sequence[int], first: Mention, last: Mention) -> None:
        """Mentions at ``positions`` (sorted) that all say the same: ``first`` is the earliest, ``last`` the latest."""
        held = self.positions
        if not held or positions[0] < held[0]:
            self.company, self.role = first[1], first[2]
        if not held or positions[-1] > held[-1]:
            self.latest = last
        if not held or positions[0] > held[-1]:
            held.extend(positions)
        else:
            self.positions = array("q", sorted([*held, *positions]))

    def in_window(self, since: int) -> tuple[int, int]:
        """How many mentions from position ``since`` on, and the position of the first of them."""
        if not since:
            return len(self.positions), self.positions[0]
        at = bisect.bisect_left(self.positions, since)
        return len(self.positions) - at, (self.positions[at] if at < len(self.positions) else 0)

    @property
    def latest_position(self) -> int:
        return self.positions[-1]


#: How many distinct texts a :class:`ThemeIndex` remembers the themes of (so that its memory stays bounded).
TAGGED_TEXTS_KEPT = 10_000


class ThemeIndex:
    """Feedback texts and rejection reasons tagged with themes, summed up per application.

    Add texts (or, as a running summary for
    :meth:`JournalReader.summary`, events) in any order and ask
    :meth:`recurring` at any time: each text is tagged once, and the memory
    it keeps grows with the number of applications and mentions, not with
    the texts. :func:`recurring_themes` uses it for one question; the
    ``feedback-patterns`` step keeps one up to date with
    ``ctx.journal.summary(ThemeIndex, themes)``.

    :param themes: theme name -> keywords, as a mapping or as a tuple of
        ``(name, keywords)`` pairs (hashable, for a running summary);
        default :data:`DEFAULT_THEMES`.
    :param outside: causes outside the person's control (cause -> keywords,
        in either form), whose phrases are left out before tagging: "they
        chose someone with more experience" is not something to practise.
        Default: none left out.
    """

    #: The events a reader passes it as a running summary: the others say nothing about themes.
    event_types = ("feedback", "rejection")

    def __init__(self, themes: Mapping[str, Sequence[str]] | Iterable[tuple[str, Sequence[str]]] | None = None,
                 outside: Mapping[str, Sequence[str]] | Iterable[tuple[str, Sequence[str]]] | None = None):
        pairs = (DEFAULT_THEMES if themes is None else themes)
        self.themes: dict[str, tuple[str, ...]] = {
            name: tuple(words) for name, words in (pairs.items() if isinstance(pairs, Mapping) else pairs)
        }
        self.outside: dict[str, tuple[str, ...]] | None = None if outside is None else {
            name: tuple(words) for name, words in (outside.items() if isinstance(outside, Mapping) else outside)
        }
        self._by_theme: dict[str, dict[tuple[str, str], _ApplicationMentions]] = {name: {} for name in self.themes}
        self._latest: dict[str, list[tuple[int, Mention]]] = {name: [] for name in self.themes}
        self._count = 0
        self._tagged: dict[str, list[tuple[str, str]]] = {}  # text -> its themes and excerpts

    def add(self, event_id: int, event: Any) -> None:
        """Tag a feedback text or a rejection reason; other events are ignored."""
        if event.type == "feedback":
            self.add_text(event.date, event.company, event.role, event.text, order=event_id)
        elif event.type == "rejection" and event.reason:
            self.add_text(event.date, event.company, event.role, event.reason, order=event_id)

    def add_text(self, date: dt.date, company: str, role: str, text: str, *, order: int | None = None) -> None:
        """Tag one text said about an application.

        :param order: breaks ties between texts of the same date (the
            journal's event id); default: the order they were added.
        """
        self._count += 1
        position = _position(date, self._count if order is None else order)
        key = application_key(company, role)
        for name, excerpt_of_text in self._tags(text):
            # Texts mostly arrive in date order, so each one becomes the latest
            # mention of its application: an excerpt for every mention.
            mention = (date, company, role, excerpt_of_text)
            self._mentions_of(name, key).add(position, mention)
            self._keep_latest(name, position, mention)

    def add_mentions(self, company: str, role: str, text: str, positions: Sequence[int]) -> None:
        """Tag a text said about an application several times, once: what :meth:`add_text` does for
        each of its mentions, given by their ``positions`` in the journal (date, then event id, as
        :meth:`JournalReader.said_texts` gives them; see :func:`coachflow.journal.dialect.position_of`)."""
        if not positions:
            return
        positions = sorted(positions)
        self._count += len(positions)
        key = application_key(company, role)
        for name, excerpt_of_text in self._tags(text):
            self._mentions_of(name, key).add_many(
                positions, (day_of(positions[0]), company, role, excerpt_of_text),
                (day_of(positions[-1]), company, role, excerpt_of_text))
            for position in positions[-EVIDENCE_KEPT:]:
                self._keep_latest(name, position, (day_of(position), company, role, excerpt_of_text))

    def _mentions_of(self, theme: str, key: tuple[str, str]) -> _ApplicationMentions:
        """The mentions of ``theme`` by the application ``key``, made on its first."""
        applications = self._by_theme[theme]
        found = applications.get(key)
        if found is None:
            found = applications[key] = _ApplicationMentions()
        return found

    def _keep_latest(self, theme: str, position: int, mention: Mention) -> None:
        """Keep ``mention`` among the latest :data:`EVIDENCE_KEPT` of ``theme`` when it is one of them."""
        latest = self._latest[theme]
        if len(latest) < EVIDENCE_KEPT or position > latest[0][0]:
            bisect.insort(latest, (position, mention), key=lambda item: item[0])
            del latest[:-EVIDENCE_KEPT]

    def _tags(self, text: str) -> list[tuple[str, str]]:
        """The themes a text mentions, each with its excerpt. Searches write the same words often
        ("No feedback given", a recruiter's template): a text already tagged is not searched again."""
        tags = self._tagged.get(text)
        if tags is not None:
            return tags
        searched = text
        if self.outside is not None and text:
            from coachflow.reasons import mask_outside

            searched = mask_outside(text, self.outside)
        scan = _Scan(_searched(searched))
        flat: _Scan | None = None  # the text on one line, for excerpts: made for the first theme found
        tags = []
        for name, keywords in self.themes.items():
            pattern = _pattern(keywords)
            if pattern is None or not scan.concerns(pattern, first=True):
                continue
            if flat is None:
                flat = _Scan(" ".join(scan.text.split()))
            tags.append((name, _excerpt(flat, keywords, EXCERPT_LENGTH)))
        if len(self._tagged) < TAGGED_TEXTS_KEPT:
            self._tagged[text] = tags
        return tags

    def recurring(
        self,
        *,
        min_applications: int = 2,
        since: dt.date | None = None,
        themes: Iterable[str] | None = None,
    ) -> list[ThemeEvidence]:
        """The themes that came up in at least ``min_applications`` different applications.

        Most recurring first (then by name).

        :param since: count only mentions from this date on.
        :param themes: only these themes (default: all).
        """
        since_position = _position(since, 0) if since is not None else 0
        found = []
        for name in self.themes if themes is None else themes:
            evidence = self._evidence(name, since_position, min_applications)
            if evidence is not None:
                found.append(evidence)
        found.sort(key=lambda item: (-item.count, item.theme))
        return found

    def _evidence(self, name: str, since_position: int, min_applications: int) -> ThemeEvidence | None:
        windowed = []  # (position of the first mention in the window, key, mentions, count in the window)
        for key, found in self._by_theme.get(name, {}).items():
            count, first = found.in_window(since_position)
            if count:
                windowed.append((first, key, found, count))
        windowed.sort(key=lambda item: item[0])
        companies_with_role = {key[0] for _, key, _, _ in windowed if key[1]}
        applications = [
            (found.company, found.role) for _, key, found, _ in windowed
            if key[1] or key[0] not in companies_with_role
        ]
        if len(applications) < min_applications:
            return None
        by_application = self._merge_roleless(windowed, companies_with_role)
        mentions = sum(count for _, _, _, count in windowed)
        evidence = [mention for position, mention in self._latest[name] if position >= since_position]
        return ThemeEvidence(theme=name, applications=applications, by_application=by_application,
                             mentions=mentions, evidence=evidence)

    @staticmethod
    def _merge_roleless(windowed, companies_with_role) -> list[ApplicationEvidence]:
        """Each application's mentions, most recent first, counting a mention with no role
        with the company's most recently mentioned application."""
        merged: list[list[Any]] = []  # [found, count, latest position, latest mention]
        roleless = []
        latest_at_company: dict[str, list[Any]] = {}
        for _, key, found, count in windowed:
            if not key[1] and key[0] in companies_with_role:
                roleless.append((key[0], found, count))
                continue
            item = [found, count, found.latest_position, found.latest]
            merged.append(item)
            best = latest_at_company.get(key[0])
            if best is None or item[2] > best[2]:
                latest_at_company[key[0]] = item
        for company, found, count in roleless:
            target = latest_at_company[company]
            target[1] += count
            if found.latest_position > target[2]:
                target[2], target[3] = found.latest_position, found.latest
        merged.sort(key=lambda item: item[2], reverse=True)
        return [ApplicationEvidence(found.company, found.role, count, latest) for found, count, _, latest in merged]


def recurring_themes(
    journal: "JournalReader",
    themes: Mapping[str, Sequence[str]] | None = None,
    *,
    min_applications: int = 2,
    since: dt.date | None = None,
    until: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    outside: Mapping[str, Sequence[str]] | None = None,
) -> list[ThemeEvidence]:
    """The themes that came up in at least ``min_applications`` different applications.

    Reads feedback texts and rejection reasons from the journal once, each
    distinct text with every time it was said (:meth:`JournalReader.said_texts`;
    a :class:`ThemeIndex` does the counting). Most recurring first (then by
    name).

    :param themes: theme name -> keywords; default :data:`DEFAULT_THEMES`.
    :param since: the first date included.
    :param until: the last date included.
    :param progress: called now and then with how many events were read of how many.
    :param outside: causes outside the person's control, left out of the texts (see :class:`ThemeIndex`).
    """
    index = ThemeIndex(themes, outside)
    read, total, shown = 0, 0, 0
    if progress is not None:
        total = sum(journal.count(event_type, since=since, until=until) for event_type in ThemeIndex.event_types)
    for said in journal.said_texts(since=since, until=until):
        index.add_mentions(said.company, said.role, said.text, said.positions)
        read += len(said.positions)
        if progress is not None and read - shown >= 1000:
            progress(min(read, total), total)
            shown = read
    if progress is not None:
        progress(total, total)
    return index.recurring(min_applications=min_applications)


__all__ = [
    "DEFAULT_THEMES",
    "EVIDENCE_KEPT",
    "ApplicationEvidence",
    "Mention",
    "ThemeEvidence",
    "ThemeIndex",
    "combine_themes",
    "excerpt",
    "find_concern",
    "find_concerns",
    "find_keyword",
    "recurring_themes",
    "tag_text",
]
