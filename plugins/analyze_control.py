"""Point 3 of the method: analyze what you can control.

Internal candidates, budgets, hiring freezes, a role that closed or a
candidate with more experience are outside the person's control;
application quality, interview preparation, skills and networking are
inside it. This step sorts the reason a company gave (and the person's
notes) into the two with :func:`coachflow.reasons.classify`, the classifier
the report uses too, says honestly when the answer to "what could I have
done differently?" is "nothing", and turns the controllable part into dated
tasks that name back what the person said.
"""

from __future__ import annotations

import datetime as dt

import attrs

import coachflow
from coachflow import Template, option
from coachflow.applications import fold
from coachflow.validators import day_count, keyword_table, known_keys, stage_table, not_blank
from coachflow.wording import join_words, ordinal, quote, tidy, weekday_date, render_title
from coachflow.reasons import DEFAULT_INSIDE_AREAS, DEFAULT_OUTSIDE_CAUSES, SKILLS_AREA, classify, tables_of

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


def practice_key(area: str) -> str:
    """The key of the practice task for an area: one exercise, whichever step offers it.

    ``feedback-patterns`` gives a practice focus on a theme the same key
    when the theme belongs to an area (communication is interview
    preparation), so that the person is offered the exercise once.
    """
    return f"practice:{fold(area)}"


def _known_areas(instance) -> list[str]:
    return [*instance.inside_reasons, *instance.extra_inside_reasons]


@attrs.define
class AnalyzeControlOptions:
    """The options of ``analyze-control``."""

    outside_reasons: dict[str, list[str]] = option(
        factory=lambda: {k: list(v) for k, v in DEFAULT_OUTSIDE_CAUSES.items()},
        help="Causes outside the person's control, each with keywords that recognise it. The name is "
             "shown after 'points to', so write it as a phrase: 'an internal candidate'. Setting it "
             "replaces the defaults; to add to them, use extra_outside_reasons.",
        validator=keyword_table,
    )
    extra_outside_reasons: dict[str, list[str]] = option(
        factory=dict,
        help="Causes added to outside_reasons; keywords for a name that exists are added to its own.",
        validator=keyword_table,
    )
    inside_reasons: dict[str, list[str]] = option(
        factory=lambda: {k: list(v) for k, v in DEFAULT_INSIDE_AREAS.items()},
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
        help="The task suggested for each area the person controls, by area (one of inside_reasons or "
             "extra_inside_reasons). Areas you leave out keep their default; areas with none use 'task'.",
        validator=known_keys("area", _known_areas, keep=DEFAULT_PRACTICE_TASKS),
    )
    skill_task: Template = option(
        "This process showed you need more {skills}. Book two practice sessions on {skills} this week, "
        "and pick one small piece of work that uses it to show in your next application.",
        help="The skills task when the person's reason or notes named the skill (\"not enough SQL\").",
        placeholders=("skills", "due", "stage", "reason", "notes"),
    )
    task_days: int = option(
        7,
        help="Days from the rejection (or from when it was recorded, if later) until the tasks are due.",
        validator=day_count(1),
    )
    stage_hints: dict[str, str] = option(
        factory=lambda: dict(DEFAULT_STAGE_HINTS),
        help="A sentence per stage for when no usable reason was given; fills {stage_hint}. Stages you "
             "leave out keep their default; an empty text says nothing.",
        validator=stage_table,
    )
    outside_title: Template = option(
        "Likely nothing you could have done differently at {company}",
        help="The title when every cause recognised is outside the person's control.",
        placeholders=("outside", "stage", "reason", "notes"),
        validator=not_blank,
    )
    outside_only: Template = option(
        "{said} That points to {outside}, which is outside your control and says nothing about how you "
        "did. So the honest answer to \"what could I have done differently?\" is: nothing here. No need "
        "to hunt for a mistake; let this one go.",
        help="When every cause recognised is outside the person's control. {said} quotes the reason.",
        placeholders=("said", "outside", "stage", "reason", "notes"),
    )
    background_note: Template = option(
        "Experience in {background} is background that builds over time, through the work you take on; "
        "it isn't something to practise this week.",
        help="Added when the reason wanted more experience in a field rather than a skill (\"more experience "
             "in publishing data\"): that counts as someone with more experience, outside the person's "
             "control. Empty: say nothing.",
        placeholders=("background", "stage", "reason", "notes"),
    )
    question_title: Template = option(
        "What could you have done differently at {company}?",
        help="The title of the question, when part of it was in the person's control or it is unclear.",
        placeholders=("stage", "reason", "notes"),
        validator=not_blank,
    )
    mixed: Template = option(
        "Part of this was outside your control ({outside}): let that part go. Part of it you can work "
        "on: {inside}. In a line or two, what would you do differently there next time? {first_step}",
        help="When the reasons are partly outside and partly inside the person's control.",
        placeholders=("outside", "inside", "first_step", "stage", "reason", "notes"),
    )
    inside_only: Template = option(
        "The reason {company} gave points to {inside}, which you can work on. In a line or two, what would "
        "you do differently next time? {first_step} This is about the next application, not about "
        "blaming yourself for this one.",
        help="When the reasons recognised are inside the person's control.",
        placeholders=("inside", "first_step", "stage", "reason", "notes"),
    )
    unclear: Template = option(
        "{said} Look at the parts you control: the application, your interview preparation, your skills, "
        "your network. Is there one thing you would do differently? Note it. If nothing comes up, that "
        "is an honest answer too: sometimes it simply was not the right fit. {stage_hint}",
        help="When no reason was given, or none that is recognised.",
        placeholders=("said", "stage_hint", "stage", "reason", "notes"),
    )
    hard_run: Template = option(
        "This is your {run_nth} no in {run_days} days, so keep it small: one step is plenty this week, "
        "and it can wait until you have the energy.",
        help="Added to the question on a hard run (settings.rejection_run noes within "
             "rejection_run_days); only the first task is then given.",
        placeholders=("run_nth", "run_count", "run_days", "stage", "reason", "notes"),
    )
    task_title: Template = option(
        "Work on {area} (from {company})",
        help="The title of a task; {area} is the skill the person named when there is one (\"SQL\").",
        placeholders=("area", "due", "stage", "reason", "notes"),
        validator=not_blank,
    )
    task: Template = option(
        "Choose one concrete step on {area} and do it before {due}.",
        help="The task for an area the person controls that has no entry in practice_tasks.",
        placeholders=("area", "due", "stage", "reason", "notes"),
    )


def _merged(chosen: dict[str, str], defaults: dict[str, str], key: str) -> str:
    """The coach's text for ``key``, else the default one."""
    return chosen[key] if key in chosen else defaults.get(key, "")


class AnalyzeControl(coachflow.Step):
    """Sort a rejection's reason into what was and wasn't in the person's control; tasks for the part that was.

    When every cause recognised is outside the person's control, the answer
    is the honest one: nothing they could have done. Tasks name back the
    skill the person named; an exercise already on their list is not
    offered again; on a hard run only one task is given.
    """

    name = "analyze-control"
    Options = AnalyzeControlOptions

    def verdict(self, event):
        """What the reason and notes say about control, with this step's tables (the classifier
        the report uses too)."""
        outside, inside = tables_of(self.options)
        return classify(event.reason, event.notes, outside=outside, inside=inside)

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        """Answer honestly for causes outside the person's control; ask and give tasks for the rest."""
        options = self.options
        # The verdict the journal stores with the event, when this step is the one that gives it:
        # the report then counts exactly what this run says.
        verdict = ctx.verdict if ctx.verdict is not None else self.verdict(event)
        outside, inside = list(verdict.outside), list(verdict.inside)
        values = {"stage": event.stage, "reason": event.reason, "notes": event.notes,
                  "outside": join_words(outside), "inside": join_words(inside)}
        said = _said(event)
        question = render_title(ctx, options, "question_title", event, **values)
        background = ""
        if verdict.background and options.background_note.strip():
            background = " " + ctx.render(options.background_note, event, background=join_words(list(verdict.background)),
                                          **values)
        if outside and not inside:
            return coachflow.Action(
                kind="message",
                title=render_title(ctx, options, "outside_title", event, **values),
                body=tidy(ctx.render(options.outside_only, event, said=said, **values) + background),
            )
        if not inside:
            if event.reason:
                said = f"{event.company} said: \"{quote(event.reason)}\", which doesn't show what tipped it."
            return coachflow.Action(
                kind="prompt",
                title=question,
                body=tidy(ctx.render(options.unclear, event, said=said,
                                     stage_hint=_merged(options.stage_hints, DEFAULT_STAGE_HINTS, event.stage),
                                     **values)),
            )
        run = ctx.rejection_run(event)
        due = ctx.at_waking_hours(ctx.event_time(event) + dt.timedelta(days=options.task_days))
        tasks, on_list = [], []
        for area in inside:
            key = practice_key(area)
            already = ctx.journal.actions(status="open", key=key)
            if already:
                on_list.append((area, already[-1]))
                continue
            named = join_words(list(verdict.skills)) if area == SKILLS_AREA and verdict.skills else ""
            if named:
                body = ctx.render(options.skill_task, event, skills=named, due=due.date(), **values)
            else:
                body = _merged(options.practice_tasks, DEFAULT_PRACTICE_TASKS, area) or ctx.render(
                    options.task, event, area=area, due=due.date(), **values)
            tasks.append(coachflow.Action(
                kind="task",
                title=render_title(ctx, options, "task_title", event, area=named or area, due=due.date(), **values),
                body=body,
                due=due,
                key=key,
            ))
        if run is not None:
            tasks = tasks[:1]
        first_step = _first_step(tasks, on_list)
        template = options.mixed if outside else options.inside_only
        body = ctx.render(template, event, first_step=first_step, **values) + (background if outside else "")
        if run is not None:
            body += " " + ctx.render(options.hard_run, event, run_nth=ordinal(run.count), run_count=run.count,
                                     run_days=run.days, **values)
        return [coachflow.Action(kind="prompt", title=question, body=tidy(body)), *tasks]

    @coachflow.hookimpl
    def on_milestone(self, event, ctx):
        """After an accepted offer the search is over: its open practice tasks end."""
        if event.kind != "accepted":
            return None
        ctx.cancel_open(("task",))
        return None


def _said(event) -> str:
    """The reason quoted back as a sentence, or that there was none."""
    if not event.reason:
        return f"{event.company} didn't say why, which is common."
    quoted = quote(event.reason)
    return f"{event.company} said: \"{quoted}\"" + ("" if quoted[-1:] in ".!?" else ".")


def _first_step(tasks, on_list) -> str:
    """What the question says about the tasks under it, and those already on the list."""
    sentences = []
    if tasks:  # not "below": another step may offer the same exercise first (see practice_key)
        sentences.append("A task on your list is a first step." if len(tasks) == 1 else
                         "The tasks on your list are first steps.")
    for area, stored in on_list:
        due = stored.action.due
        sentences.append(f"For {area}, the task already on your list still fits"
                         + (f" (due {weekday_date(due.date())})." if due else "."))
    return " ".join(sentences)


@coachflow.hookimpl
def register_steps(register):
    """Register ``analyze-control``."""
    register(AnalyzeControl)
