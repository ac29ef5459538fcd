"""Strategy 4 of the method: separate what you control from what you don't.

Internal candidates, budgets, hiring freezes or a candidate with more
experience are outside the person's control; application quality,
interview preparation, skills and networking are inside it. This step sorts
the reason a company gave (and the person's notes) into the two, answers
honestly when the likely answer to "what could I have done differently?" is
"nothing, it was not the right fit", and turns the controllable part into
dated tasks.
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Mapping, Sequence

import attrs

import coachflow
from coachflow import Template, option
from coachflow.validators import day_count, keyword_table, stage_table
from coachflow.wording import join_words, quote, tidy
from coachflow.themes import DEFAULT_THEMES, combine_themes, find_concerns

#: Reasons outside the person's control, each named as it reads after "points to".
DEFAULT_OUTSIDE_REASONS: dict[str, list[str]] = {
    # "filled internally" is one cause, not an internal candidate plus a filled role:
    # the longest keyword that matches a phrase names it (see _sort_reasons).
    "an internal candidate": ["internal candidate*", "internal applicant*", "internal hire", "internally",
                              "from within", "filled internally", "filled from within", "filled by an internal",
                              "filled with an internal", "filled it internally", "filled the role internally",
                              "filled the position internally"],
    "a budget decision": ["budget*", "funding", "headcount", "cost cutting", "cost-cutting"],
    "a hiring freeze or reorganisation": ["hiring freeze", "freeze", "frozen", "on hold", "paused",
                                          "restructur*", "reorg*", "layoff*",
                                          "redundanc*"],
    "a candidate with more experience": ["more experience", "more experienced", "more senior",
                                         "more years", "stronger background", "with more experience"],
    "the role being filled or cancelled": ["filled", "cancel*", "no longer hiring", "role closed",
                                           "position closed", "closed the role", "closed the position",
                                           "eliminated"],
    "a pay range that didn't match yours": ["salary", "salaries", "pay range", "compensation",
                                            "above the range", "above our range", "pay expectation*"],
    "another candidate being a closer match": ["closer match", "better match", "better fit",
                                               "stronger candidate*", "another candidate", "other candidates",
                                               "more suitable", "more closely"],
}

#: Reasons inside the person's control: the four areas of the method.
DEFAULT_INSIDE_REASONS: dict[str, list[str]] = {
    "application quality": ["cv", "resume", "résumé", "cover letter", "portfolio", "typo*", "spelling",
                            "generic", "tailor*", "formatting", "keywords"],
    "interview preparation": ["prepar*", "unprepared", "research*", "didn't know", "did not know",
                              "examples", "nervous*", "unstructured", "lacked structure", "case study",
                              "presentation", "questions about", "your answers", "interview performance",
                              "came across",
                              # how answers land is practised like the rest of the interview
                              *DEFAULT_THEMES["communication"]],
    # "more experience with Tableau" is a gap the person can close, unlike "someone with more
    # experience": the longer keyword wins the phrase (see _sort_reasons).
    "skills": ["skill*", "technical*", "depth", "sql", "python", "coding", "system design", "knowledge",
               "gap*", "proficien*", "certification*", "experience with", "experience in", "experience using",
               "more experience with", "more experience in", "more experience using"],
    "networking": ["referral*", "referred", "network*", "connection*", "recommendation*", "knew someone"],
}

#: A first step for each area the person controls.
DEFAULT_PRACTICE_TASKS: dict[str, str] = {
    "application quality": (
        "Take the next ad you want to answer and check your CV against it line by line: does each key "
        "requirement show up, in their words? Adjust before you send."
    ),
    "interview preparation": (
        "Write down the questions from this process that felt hardest and prepare a short answer to "
        "each: the situation, what you did, the result. Say each one out loud once."
    ),
    "skills": (
        "Name the one skill this process showed you need most, and book two practice sessions for it "
        "this week."
    ),
    "networking": (
        "For the next role you really want, find one person at that company (a former colleague, an "
        "alum, someone from a meetup) and ask for fifteen minutes about the team before you apply."
    ),
}

#: What a rejection without a usable reason most often means, by stage.
DEFAULT_STAGE_HINTS: dict[str, str] = {
    "application": (
        "At the application stage, many noes come from volume and screening filters; the part most "
        "worth checking is how closely your CV speaks to this kind of ad."
    ),
    "screen": (
        "After a screening call it is often about practicalities (salary range, location, start date) "
        "or a summary of your experience that didn't land; check which of those came up."
    ),
    "interview": (
        "After interviews, the questions that felt hardest are the best practice material you have."
    ),
    "final": (
        "Reaching the final round means they saw you as a real option; at this point the choice often "
        "comes down to small margins or fit."
    ),
    "offer": (
        "A no this late usually comes from their circumstances, such as budget, timing or internal "
        "changes, more than from you."
    ),
}


@attrs.define
class AnalyzeControlOptions:
    """The options of ``analyze-control``."""

    outside_reasons: dict[str, list[str]] = option(
        factory=lambda: {k: list(v) for k, v in DEFAULT_OUTSIDE_REASONS.items()},
        help="Reasons outside the person's control, each with keywords that recognise it. The name is "
             "shown after 'points to', so write it as a phrase: 'an internal candidate'. Setting it "
             "replaces the defaults; to add to them, use extra_outside_reasons.",
        validator=keyword_table,
    )
    extra_outside_reasons: dict[str, list[str]] = option(
        factory=dict,
        help="Reasons added to outside_reasons; keywords for a name that exists are added to its own.",
        validator=keyword_table,
    )
    inside_reasons: dict[str, list[str]] = option(
        factory=lambda: {k: list(v) for k, v in DEFAULT_INSIDE_REASONS.items()},
        help="Areas the person controls, each with keywords that recognise it in a reason or the notes. "
             "Setting it replaces the defaults; to add to them, use extra_inside_reasons.",
        validator=keyword_table,
    )
    extra_inside_reasons: dict[str, list[str]] = option(
        factory=dict,
        help="Areas added to inside_reasons; keywords for a name that exists are added to its own.",
        validator=keyword_table,
    )
    practice_tasks: dict[str, str] = option(
        factory=lambda: dict(DEFAULT_PRACTICE_TASKS),
        help="The task suggested for each area the person controls. Areas you leave out keep their "
             "default; areas with none use 'task'.",
    )
    task_days: int = option(
        7,
        help="Days from the rejection until the tasks are due.",
        validator=day_count(1),
    )
    stage_hints: dict[str, str] = option(
        factory=lambda: dict(DEFAULT_STAGE_HINTS),
        help="A sentence per stage for when no usable reason was given; fills {stage_hint}. Stages you "
             "leave out keep their default; an empty text says nothing.",
        validator=stage_table,
    )
    outside_only: Template = option(
        "The reason {company} gave points to {outside}, which is outside your control. So the honest answer "
        "to \"what could I have done differently?\" is probably: nothing. It was not the right fit this "
        "time, and that is not a verdict on you. No need to hunt for a mistake; let this one go.",
        help="When every reason recognised is outside the person's control.",
        placeholders=("outside", "stage", "reason", "notes"),
    )
    mixed: Template = option(
        "Part of this was outside your control ({outside}): let that part go. Part of it you can work "
        "on: {inside}. In a line or two, what would you do differently there next time? The task below "
        "is a first step.",
        help="When the reasons are partly outside and partly inside the person's control.",
        placeholders=("outside", "inside", "stage", "reason", "notes"),
    )
    inside_only: Template = option(
        "The reason {company} gave points to {inside}, which you can work on. In a line or two, what would you "
        "do differently next time? The task below is a first step. This is about the next application, "
        "not about blaming yourself for this one.",
        help="When the reasons recognised are inside the person's control.",
        placeholders=("inside", "stage", "reason", "notes"),
    )
    unclear: Template = option(
        "{said} Look at the parts you control: the application, your interview preparation, your skills, "
        "your network. Is there one thing you would do differently? Note it. If nothing comes up, that "
        "is an honest answer too: sometimes it simply was not the right fit. {stage_hint}",
        help="When no reason was given, or none that is recognised.",
        placeholders=("said", "stage_hint", "stage", "reason", "notes"),
    )
    task: Template = option(
        "Choose one concrete step on {area} and do it before {due}.",
        help="The task for an area the person controls that has no entry in practice_tasks.",
        placeholders=("area", "due", "stage", "reason", "notes"),
    )


def _merged(chosen: dict[str, str], defaults: dict[str, str], key: str) -> str:
    """The coach's text for ``key``, else the default one."""
    return chosen[key] if key in chosen else defaults.get(key, "")


def _sort_reasons(
    text: str, outside: Mapping[str, Sequence[str]], inside: Mapping[str, Sequence[str]]
) -> tuple[list[str], list[str]]:
    """The outside reasons and inside areas ``text`` raises, each in its table's order.

    Each phrase of the text counts once, for the longest keyword that matches
    it: "filled internally" names an internal candidate, not also a filled
    role; "more experience with Tableau" is a skill to build, not a more
    experienced rival. Praised and denied mentions don't count.
    """
    spans: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for side, table in ((0, outside), (1, inside)):
        for name, keywords in table.items():
            for match in find_concerns(text, keywords):
                spans.setdefault((match.start(), match.end()), []).append((side, name))
    taken: list[tuple[int, int]] = []  # the phrases counted, apart from each other, in text order
    found: set[tuple[int, str]] = set()
    # longest first; on a tie, the earlier phrase, then every reason it names
    for start, end in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):
        # Counted phrases never overlap, so only the neighbours in text order can overlap this one:
        # a long reason has thousands of phrases, and comparing each with all was quadratic.
        at = bisect.bisect_left(taken, (start, end))
        if (at > 0 and taken[at - 1][1] > start) or (at < len(taken) and taken[at][0] < end):
            continue
        taken.insert(at, (start, end))
        found.update(spans[(start, end)])
    return ([name for name in outside if (0, name) in found], [name for name in inside if (1, name) in found])


class AnalyzeControl(coachflow.Step):
    """Sort a rejection's reason into what was and wasn't in the person's control; tasks for the part that was.

    When everything recognised is outside the person's control, the answer is
    the honest one: likely nothing they could have done, not the right fit.
    """

    name = "analyze-control"
    Options = AnalyzeControlOptions

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        """Answer honestly for reasons outside the person's control; ask and give tasks for the rest."""
        options = self.options
        text = f"{event.reason}\n{event.notes}"
        outside, inside = _sort_reasons(
            text,
            combine_themes(options.outside_reasons, options.extra_outside_reasons),
            combine_themes(options.inside_reasons, options.extra_inside_reasons),
        )
        values = {"stage": event.stage, "reason": event.reason, "notes": event.notes,
                  "outside": join_words(outside), "inside": join_words(inside)}
        question = f"What could you have done differently at {event.company}?"
        if outside and not inside:
            return coachflow.Action(
                kind="message",
                title=f"Likely nothing you could have done differently at {event.company}",
                body=ctx.render(options.outside_only, event, **values),
            )
        if not inside:
            said = (f"{event.company} said: \"{quote(event.reason)}\", which doesn't show what tipped it."
                    if event.reason else f"{event.company} didn't say why, which is common.")
            return coachflow.Action(
                kind="prompt",
                title=question,
                body=tidy(ctx.render(options.unclear, event, said=said,
                                     stage_hint=_merged(options.stage_hints, DEFAULT_STAGE_HINTS, event.stage),
                                     **values)),
            )
        template = options.mixed if outside else options.inside_only
        actions = [coachflow.Action(kind="prompt", title=question, body=ctx.render(template, event, **values))]
        due = ctx.event_time(event) + dt.timedelta(days=options.task_days)
        for area in inside:
            body = _merged(options.practice_tasks, DEFAULT_PRACTICE_TASKS, area) or ctx.render(
                options.task, event, area=area, due=due.date(), **values)
            actions.append(
                coachflow.Action(
                    kind="task",
                    title=f"Work on {area} (from {event.company})",
                    body=body,
                    due=due,
                )
            )
        return actions


@coachflow.hookimpl
def register_steps(register):
    """Register ``analyze-control``."""
    register(AnalyzeControl)
