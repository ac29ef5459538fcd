"""Reasons: what a rejection's reason says about what the person could control.

One classifier, used by the ``analyze-control`` step, by ``feedback-patterns``
(so that a cause outside the person's control is never counted as something
to practise) and by ``coachflow report`` (so that "where to focus" draws on
the same verdicts the run gave). It reads a rejection's reason and notes
with the keyword tables of a workflow's ``analyze-control`` step.

A rejection recorded with a run of a workflow that has the step is
classified once, when it is recorded (by the engine, with the tables of the
``analyze-control`` step that runs on it, which gets the same verdict as
``ctx.verdict``), and the verdict is stored with the event (:meth:`Verdict.to_json`, the
events' ``verdict`` column): the step's answer and the report's count come
from that one verdict, so a coach changing the keywords later does not make
the report re-read old rejections differently from what the run told the
person. Only rejections without one (imported without ``--run``, or from a
journal older than the column) are classified when a report reads them,
with the report's workflow.

A verdict sorts what the text says into:

- **causes outside the person's control** (:data:`DEFAULT_OUTSIDE_CAUSES`):
  a hiring freeze, a budget decision, a reorganisation, a role cancelled or no
  longer open, the hiring manager leaving, an internal candidate or
  successor, the number of applicants, someone with more or direct
  experience, visa or location rules, a salary band, a closer match;
- **areas inside it** (:data:`DEFAULT_INSIDE_AREAS`): application quality,
  interview preparation, skills, networking, with the skills the person
  named ("not enough SQL" names SQL);
- or neither: a reason nothing here recognises, or no reason at all.

Matching is by phrase, through the keywords of :mod:`coachflow.themes`
(whole words, ``*`` for word starts, ``#`` for a number). The keywords are
phrases that carry the meaning ("company research", not "research", which
also reads "research data"). A mention the text rules out ("nothing to do
with your skills", "it wasn't a budget issue") or only praises does not
count, and each phrase counts once, for the longest keyword that matches it:
"filled internally" is an internal candidate (not also a filled role), "more
experience with Tableau" is a skill to build (not a more experienced rival),
and "the other candidates had more experience" is one cause, not two.

"More experience in X" is a skill to build only when X names one the skills
keywords know (SQL, Python, Tableau). Otherwise X is a field or a level of
experience ("more experience in publishing data", "in the industry"), which
no one can practise in a week: it counts as someone with more experience,
outside the person's control, and X is kept as the verdict's ``background``
(something that builds over time), never named back as a skill to practise.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Any, Iterable, Mapping, Sequence

import attrs

from coachflow.themes import combine_themes, find_concerns

#: Causes outside the person's control, each named as a phrase that reads after "points to".
DEFAULT_OUTSIDE_CAUSES: dict[str, tuple[str, ...]] = {
    "an internal candidate": (
        "internal candidate*", "internal applicant*", "internal hire", "hired internally", "hire internally",
        "hiring internally", "went internal", "hire from within", "hiring from within", "filled internally", "filled from within", "filled by an internal", "filled with an internal",
        "filled it internally", "filled the role internally", "filled the position internally", "successor",
        "internal successor", "promoted from within", "promote from within", "promoted someone", "promote someone",
    ),
    "a hiring freeze": (
        "hiring freeze", "freeze on hiring", "freeze", "frozen", "froze", "on hold", "paused hiring",
        "paused the role", "paused the search", "pause on hiring", "stopped hiring", "not hiring",
    ),
    "a budget decision": (
        "budget*", "funding", "headcount", "cost cutting", "cost-cutting", "cost cuts", "cut costs",
    ),
    "a reorganisation": (
        "reorganis*", "reorganiz*", "reorg*", "restructur*", "layoff*", "laid off", "redundanc*", "merger",
        "acquisition", "been acquired", "change in strategy", "change of strategy", "change of direction",
    ),
    "the role being cancelled or no longer open": (
        "no longer open", "no longer available", "no longer hiring", "no longer recruiting", "no longer needed",
        "no longer exists", "cancel*", "role closed", "position closed", "role is closed", "position is closed",
        "role was closed", "position was closed", "closed the role", "closed the position", "eliminated",
        "withdrew the role", "withdrawn the role", "pulled the role", "not going ahead", "decided not to fill",
        "not filling", "not be filling", "has been filled", "was filled", "been filled", "is filled", "filled",
    ),
    "the hiring manager leaving": (
        "manager left", "manager has left", "manager had left", "manager is leaving", "manager was leaving",
        "manager leaving", "manager departed", "manager resigned", "manager moved on", "left the company",
        "has left the company", "left the business",
    ),
    "the number of applicants": (
        "# applicants", "# applications", "# candidates", "# people applied", "hundreds of applicants",
        "hundreds of applications", "thousands of applicants", "thousands of applications", "many applicants",
        "many applications", "so many candidates", "number of applicants", "number of applications",
        "volume of applicants", "volume of applications", "high volume", "overwhelming response",
        "very competitive", "highly competitive", "extremely competitive", "competitive field",
    ),
    "someone with more experience": (
        "more experience", "more experienced", "more senior", "more years", "stronger background",
        "direct experience", "more direct experience", "more relevant experience", "done the job before",
        "done this job before", "done the role before", "done this role before", "had done the job",
        "had done this job", "done it before", "already done the job", "already doing the job",
        "already in the role", "industry experience",
    ),
    "visa or location rules": (
        "visa*", "sponsor*", "work permit*", "right to work", "work authori*", "relocat*", "location",
        "located", "on-site requirement", "onsite requirement", "in the office", "commut*", "time zone*",
        "timezone*", "residency", "citizenship", "security clearance",
    ),
    "a salary band": (
        "salary band", "salary range", "salary*", "pay band", "pay range", "pay scale", "compensation",
        "above the range", "above our range", "outside the range", "outside our range", "above the band",
        "above our band", "pay expectation*",
    ),
    "another candidate being a closer match": (
        "closer match", "better match", "closer fit", "better fit", "stronger candidate*", "more suitable",
        "more closely", "matched more closely", "stronger profile", "stronger application*",
    ),
}

#: Areas inside the person's control: the four of the method, each with phrases that recognise it.
DEFAULT_INSIDE_AREAS: dict[str, tuple[str, ...]] = {
    "application quality": (
        "cv", "cvs", "resume", "résumé", "cover letter*", "portfolio", "typo*", "spelling", "generic",
        "tailor*", "formatting", "keywords", "writing sample", "application form", "application was brief",
        "application lacked", "application didn't", "application did not",
    ),
    "interview preparation": (
        "prepar*", "unprepared", "underprepared", "company research", "research the company",
        "researched the company", "research on the company", "research into the company",
        "research about the company", "research on us", "researched us", "knowledge of the company",
        "knowledge of our company", "knowledge of our product*", "knew little about", "examples",
        "specific examples", "nervous*", "unstructured", "lacked structure", "case study", "presentation",
        "interview performance", "came across", "your answers", "answers",
        # how answers land is practised like the rest of the interview (the communication theme)
        "communicat*", "clarity", "unclear", "concise", "rambl*", "articulat*", "hard to follow", "long-winded",
        "verbose", "storytelling", "structure your answers", "structured answers", "listening",
    ),
    # "more experience with Tableau" is a gap the person can close, unlike "someone with more
    # experience": the longer keyword wins the phrase.
    "skills": (
        "skill*", "skill gap*", "technical skill*", "technical knowledge", "technical depth", "depth", "sql",
        "python", "excel", "tableau", "power bi", "statistics", "machine learning", "coding", "programming",
        "system design", "data modelling", "data modeling", "proficien*", "certification*", "experience with",
        "experience in", "experience using", "more experience with", "more experience in",
        "more experience using", "knowledge of", "familiarity with", "familiar with",
    ),
    "networking": (
        "referral*", "referred", "network*", "connection*", "recommendation*", "knew someone", "contacts",
    ),
}

#: The area whose specifics a verdict names back ("not enough SQL" names SQL).
SKILLS_AREA = "skills"

#: The cause "more experience in" a field that is no skill counts as (when the outside table has it).
EXPERIENCE_CAUSE = "someone with more experience"

#: Phrases after which the person names the skill itself: "experience with Tableau".
_LEAD_INS = ("experience with", "experience in", "experience using", "knowledge of", "familiarity with",
             "familiar with")

#: Words of the skills keywords that name no skill in particular.
_GENERIC_SKILL_WORDS = frozenset({
    "skill", "skills", "skill gap", "skill gaps", "technical skill", "technical skills", "technical knowledge",
    "technical depth", "depth", "proficiency", "proficient", "certification", "certifications", "coding",
    "programming",
})

#: Where the name of a skill after a lead-in stops.
_NAME_END = re.compile(r"[,.;:!?()\n]|\b(?:for|to|than|that|which|who|but|because|as|so|at|on|when|if|or|"
                       r"is|are|was|were|would|will|"
                       r"and\s+(?:we|they|you|your|my|our|their|the|a|an|it|i))\b", re.IGNORECASE)

#: The longest skill name taken from after a lead-in, in words.
_MAX_NAME_WORDS = 4

#: What a verdict can be.
KINDS: tuple[str, ...] = ("outside", "inside", "mixed", "unclear", "none")


@attrs.frozen
class Verdict:
    """What a reason says about control, as :func:`classify` found it.

    :ivar outside: the causes outside the person's control it names, in the order the text names them.
    :ivar inside: the areas inside the person's control it names, in the order the text names them.
    :ivar skills: the skills the person's text names, as written ("SQL", "Tableau").
    :ivar given: whether there was any text to classify.
    :ivar background: the fields the text wanted more experience in, as written ("publishing
        data"): background that builds over time, counted as :data:`EXPERIENCE_CAUSE`, not a skill.
    """

    outside: tuple[str, ...] = ()
    inside: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    given: bool = False
    background: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """``outside``, ``inside``, ``mixed``, ``unclear`` (text, nothing recognised) or ``none`` (no text)."""
        if self.outside and self.inside:
            return "mixed"
        if self.outside:
            return "outside"
        if self.inside:
            return "inside"
        return "unclear" if self.given else "none"

    @property
    def to_practise(self) -> tuple[str, ...]:
        """The areas worth practising: the inside ones. Outside causes never are."""
        return self.inside

    def to_json(self) -> str:
        """The verdict as the compact JSON text the journal stores with the event."""
        import json  # only a run that records a rejection needs it

        found = {"outside": list(self.outside), "inside": list(self.inside), "skills": list(self.skills),
                 "given": self.given}
        if self.background:
            found["background"] = list(self.background)
        return json.dumps(found, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Verdict":
        """The verdict :meth:`to_json` wrote."""
        import json

        found = json.loads(text)
        return cls(outside=tuple(found.get("outside", ())), inside=tuple(found.get("inside", ())),
                   skills=tuple(found.get("skills", ())), given=bool(found.get("given", False)),
                   background=tuple(found.get("background", ())))


def _phrases(text: str, tables: Sequence[Mapping[str, Sequence[str]]]) -> list[tuple[int, int, int, str]]:
    """``(start, end, table, name)`` for each phrase of ``text`` the tables recognise.

    Each phrase counts once, for the longest keyword that matches it; when
    keywords of equal length match the same phrase, every name they belong
    to is kept. Phrases a denial rules out or a clause only praises are left
    out (see :func:`coachflow.themes.find_concerns`).
    """
    spans: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for side, table in enumerate(tables):
        for name, keywords in table.items():
            for match in find_concerns(text, keywords):
                spans.setdefault((match.start(), match.end()), []).append((side, name))
    taken: list[tuple[int, int]] = []  # the phrases counted, apart from each other, in text order
    found: list[tuple[int, int, int, str]] = []
    # longest first; on a tie, the earlier phrase
    for start, end in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):
        # Counted phrases never overlap, so only the neighbours in text order can overlap this one.
        at = bisect.bisect_left(taken, (start, end))
        if (at > 0 and taken[at - 1][1] > start) or (at < len(taken) and taken[at][0] < end):
            continue
        taken.insert(at, (start, end))
        found += [(start, end, side, name) for side, name in spans[(start, end)]]
    found.sort()
    return found


def classify(
    reason: str,
    notes: str = "",
    *,
    outside: Mapping[str, Sequence[str]] | None = None,
    inside: Mapping[str, Sequence[str]] | None = None,
) -> Verdict:
    """Sort what a rejection's reason (and the person's notes) say into outside and inside causes.

    :param outside: cause name -> keywords; default :data:`DEFAULT_OUTSIDE_CAUSES`.
    :param inside: area name -> keywords; default :data:`DEFAULT_INSIDE_AREAS`.
    """
    outside = DEFAULT_OUTSIDE_CAUSES if outside is None else outside
    inside = DEFAULT_INSIDE_AREAS if inside is None else inside
    text = "\n".join(part for part in (reason, notes) if part and not part.isspace())
    if not text:
        return Verdict()
    found = _phrases(text, (outside, inside))
    found, background = _experience_in_a_field(text, found, has_cause=EXPERIENCE_CAUSE in outside)
    # in the order the text says them: named back as the person wrote them
    outside_names = list(dict.fromkeys(name for _, _, side, name in found if side == 0))
    inside_names = list(dict.fromkeys(name for _, _, side, name in found if side == 1))
    skills: dict[str, str] = {}
    for start, end, side, name in found:
        if side == 1 and name == SKILLS_AREA:
            named = _skill_named(text, start, end)
            if named:
                skills.setdefault(named.casefold(), named)
    # "experience with Tableau and Power BI" names one thing, which the keywords
    # "tableau" and "power bi" found again inside it
    named = [skill for key, skill in skills.items()
             if not any(key != other and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", other) for other in skills)]
    return Verdict(
        outside=tuple(outside_names),
        inside=tuple(inside_names),
        skills=tuple(named),
        given=True,
        background=tuple(background),
    )


def _experience_in_a_field(text: str, found: list[tuple[int, int, int, str]], *, has_cause: bool,
                           ) -> tuple[list[tuple[int, int, int, str]], list[str]]:
    """``found`` with each "more experience in/with X" whose X names no skill the keywords know
    counted as :data:`EXPERIENCE_CAUSE` instead of skills, and those X, as written.

    "More experience in Python" keeps its skill (the keywords find "Python" after the lead-in);
    "more experience in publishing data" is a field: a level of experience, not a week's practice.
    """
    if not has_cause:
        return found, []
    skill_starts = [start for start, _, side, name in found if side == 1 and name == SKILLS_AREA]
    changed, background = [], []
    for start, end, side, name in found:
        phrase = " ".join(text[start:end].split()).casefold()
        if side == 1 and name == SKILLS_AREA and phrase.startswith("more experience "):
            field = _skill_named(text, start, end)
            # where the words named after the lead-in end, as _skill_named reads them
            reach = end + len(text[end:]) if not field else text.find(field, end) + len(field)
            if not any(end <= other < reach for other in skill_starts):
                changed.append((start, end, 0, EXPERIENCE_CAUSE))
                if field:
                    background.append(field)
                continue
        changed.append((start, end, side, name))
    return changed, list(dict.fromkeys(background))


def tables_of(options: Any) -> tuple[dict[str, tuple[str, ...]] | None, dict[str, tuple[str, ...]] | None]:
    """The ``outside`` and ``inside`` tables :func:`classify` takes, from the options of an
    ``analyze-control`` step (with its ``extra_`` additions); ``(None, None)``, the defaults, without one."""
    if options is None:
        return None, None
    return (combined(options.outside_reasons, options.extra_outside_reasons),
            combined(options.inside_reasons, options.extra_inside_reasons))


def _skill_named(text: str, start: int, end: int) -> str:
    """The skill a phrase names: the phrase itself ("SQL"), the words after a lead-in
    ("experience with Tableau" names Tableau), or nothing for a generic word ("skills")."""
    phrase = " ".join(text[start:end].split())
    lowered = phrase.casefold()
    lead_in = next((lead for lead in _LEAD_INS if lowered.endswith(lead)), None)
    if lead_in is None:
        return "" if lowered in _GENERIC_SKILL_WORDS else phrase
    rest = text[end:]
    stop = _NAME_END.search(rest)
    words = (rest[: stop.start()] if stop else rest).split()
    while words and words[0].casefold() in ("the", "a", "an", "our", "their", "your", "tools", "like"):
        words.pop(0)
    return " ".join(words[:_MAX_NAME_WORDS]).strip(" '\"")


@functools.lru_cache(maxsize=16)
def _masked(text: str, outside: tuple[tuple[str, tuple[str, ...]], ...] | None) -> str:
    """:func:`mask_outside` for hashable arguments: a step and the theme index ask about the same
    text one after the other."""
    table = DEFAULT_OUTSIDE_CAUSES if outside is None else dict(outside)
    found = _phrases(text, (table, DEFAULT_INSIDE_AREAS))
    pieces, at = [], 0
    for start, end, side, _ in found:
        if side == 0 and start >= at:
            pieces += [text[at:start], " " * (end - start)]
            at = end
    return "".join(pieces) + text[at:] if pieces else text


def mask_outside(text: str, outside: Mapping[str, Sequence[str]] | None = None) -> str:
    """``text`` with the phrases naming causes outside the person's control blanked out.

    What is left is what could be practised: feedback-patterns tags themes in
    it, so that "they chose someone with more experience" never becomes a
    practice focus on experience. Blanks keep the text's length, so every
    other phrase stays where it was.
    """
    if not text or text.isspace():
        return text
    if outside is None or outside == DEFAULT_OUTSIDE_CAUSES:
        return _masked(text, None)
    return _masked(text, tuple((name, tuple(words)) for name, words in outside.items()))


def combined(table: Mapping[str, Sequence[str]], extra: Mapping[str, Sequence[str]] | None = None,
             ) -> dict[str, tuple[str, ...]]:
    """A coach's table with their additions: new names appended, keywords for a name that exists added to it."""
    return combine_themes(table, extra)


def join_causes(names: Iterable[str]) -> str:
    """Causes or areas as a phrase: ``a hiring freeze and a budget decision``."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


__all__ = [
    "DEFAULT_INSIDE_AREAS", "DEFAULT_OUTSIDE_CAUSES", "EXPERIENCE_CAUSE", "KINDS", "SKILLS_AREA", "Verdict", "classify", "combined",
    "join_causes", "mask_outside", "tables_of",
]
