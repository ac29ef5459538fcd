"""Point 4 of the method, first half: keep perspective and momentum.

A search is partly a numbers game: with several applications in progress,
one closing leaves others to work on. This step compares the open pipeline
with the person's target and, when it falls below, says how many to add and
by when. After a rejection it puts the no in perspective with the person's
own numbers (:mod:`coachflow.progress`, which the report uses too), framed
by what those numbers actually say. It never asks for more applications on
a hard run of noes or on a day of good news, and an offer ends the asking.
"""

from __future__ import annotations

import datetime as dt

import attrs

import coachflow
from coachflow import Template, option
from coachflow.applications import STALE_AFTER_DAYS, news_cutoff
from coachflow.validators import day_count, stage_list, not_blank
from coachflow.wording import join_words, ordinal, plural, short_date, tidy, weekday_date, render_title
from coachflow.progress import SearchNumbers, framing, search_numbers, tally_sentence

#: The key of the "send more applications" task; a newer one replaces it.
ADD_TASK_KEY = "momentum:add-applications"



@attrs.define
class MaintainMomentumOptions:
    """The options of ``maintain-momentum``."""

    target: int = option(
        5,
        help="How many open applications the person aims to keep at any time.",
        validator=attrs.validators.and_(attrs.validators.ge(1), attrs.validators.le(100)),
    )
    add_within_days: int = option(
        7,
        help="Days from the event until the missing applications should be sent.",
        validator=day_count(1),
    )
    stale_after_days: int = option(
        STALE_AFTER_DAYS,
        help="An application with no news for this many days no longer counts as open: most that go "
             "quiet this long never come back. 0: every application counts until it is closed.",
        validator=day_count(0),
    )
    min_history: int = option(
        3,
        help="Applications recorded before the perspective quotes the person's own numbers.",
        validator=attrs.validators.ge(1),
    )
    gentle_stages: list[str] = option(
        factory=lambda: ["final", "offer"],
        help="Rejection stages after which the step asks for no new applications that day: a no this late "
             "is a hard day whatever the pipeline says.",
        validator=stage_list,
    )
    quiet_on: list[str] = option(
        factory=lambda: ["offer", "accepted"],
        help="Milestone kinds that end the asking: the open task to send more applications is cancelled "
             "and no new one is set. On every win the step says nothing anyway: a day of good news is "
             "not the day to ask for more applications.",
    )
    perspective_title: Template = option(
        "Perspective: {noes_from}",
        help="The title of the perspective, once the person has recorded min_history applications. "
             "{noes_from} is \"8 noes from 8 applications\".",
        placeholders=("noes_from", "tally", "applications", "noes", "interviews", "offers"),
        validator=not_blank,
    )
    perspective: Template = option(
        "{stage_note} {numbers} {framing} {pipeline}",
        help="After a rejection, once the person has recorded min_history applications. {numbers} is the "
             "tally as a sentence (\"Since 10 Nov: 8 noes from 8 applications; 2 reached an interview.\"), "
             "{framing} what those numbers say, chosen from them.",
        placeholders=("numbers", "framing", "tally", "noes_from", "stage_note", "pipeline", "applications",
                      "noes", "interviews", "offers", "since", "open_count", "target", "stage"),
    )
    early_title: Template = option(
        "Perspective",
        help="The title of the perspective while fewer than min_history applications are recorded.",
        placeholders=("tally", "applications", "noes", "interviews", "offers"),
        validator=not_blank,
    )
    early: Template = option(
        "This no is one result, not a measure of you. {numbers} {framing} {pipeline}",
        help="After a rejection, while fewer than min_history applications are recorded. {numbers} is the "
             "person's numbers so far, or, while this no is all that is recorded, a note that they will "
             "show here; {framing} says plainly that there are too few to read anything into.",
        placeholders=("numbers", "framing", "tally", "pipeline", "applications", "noes", "interviews", "offers",
                      "since", "open_count", "target", "stage"),
    )
    run_note: Template = option(
        "That makes {run_count} noes in {run_days} days: no new applications today. Resting is part of a "
        "search too.",
        help="Added to the perspective on a hard run (settings.rejection_run noes within rejection_run_days); "
             "the step then asks for no new applications that day.",
        placeholders=("run_count", "run_nth", "run_days", "open_count", "target"),
    )
    run_task_waits: Template = option(
        "Your task to send more applications is off the list for now; coachflow looks at your pipeline "
        "again with the next thing you record.",
        help="Added to the perspective on a hard run when it takes the open task to send more applications "
             "off the list: during a run that task waits.",
        placeholders=("run_count", "run_days", "open_count", "target"),
    )
    add_task_title: Template = option(
        "Send {more_applications} by {due}",
        help="The title of the task when the pipeline is below target. {more_applications} is \"1 more "
             "application\" or \"3 more applications\".",
        placeholders=("more_applications", "missing", "due", "open_count", "target"),
        validator=not_blank,
    )
    add_task: Template = option(
        "{open_list} Your target is {target} open at a time, so that one no never leaves you with "
        "nothing in progress. Pick {more_roles} you'd really want and apply by {due}; one tailored "
        "application beats two rushed ones.",
        help="The task when the pipeline is below target.",
        placeholders=("open_list", "open_count", "target", "missing", "more_roles", "due"),
    )
    unknown_pipeline_title: Template = option(
        "How many applications do you have in progress? Aim for {target}",
        help="The title of the question when no application has been recorded yet.",
        placeholders=("target", "stage"),
        validator=not_blank,
    )
    unknown_pipeline: Template = option(
        "Aim to keep {target} applications open at any time, so that one no leaves others to work on. "
        "Record each one when you send it, and coachflow will tell you when to add more:\n\n"
        "coachflow run milestone --kind applied --company NAME --role ROLE",
        help="After a rejection when no application has been recorded yet, so the pipeline is unknown.",
        placeholders=("target", "stage"),
    )


#: What the early perspective says while this no is the only application recorded.
NUMBERS_TO_COME = "As you record applications and wins, coachflow will show you your own numbers here."


def _numbers_sentence(numbers: SearchNumbers) -> str:
    """The tally as a sentence: ``Since 10 Nov: 8 noes from 8 applications; 2 reached an interview.``"""
    return f"Since {short_date(numbers.since)}: {tally_sentence(numbers)}." if numbers.since else \
        tally_sentence(numbers).capitalize() + "."


def _noes_from(numbers: SearchNumbers) -> str:
    """``8 noes from 8 applications``: the tally's first part, for a title."""
    return tally_sentence(numbers).split(";")[0]


def _stage_note(event) -> str:
    notes = {
        "interview": f"Getting to interviews at {event.company} means your application did its job.",
        "final": f"Reaching the final round at {event.company} means they took you seriously.",
        "offer": f"Getting as far as the offer stage at {event.company} says a lot about what you bring.",
    }
    return notes.get(event.stage, "")


def _more_applications(missing: int) -> str:
    return plural(missing, "more application", "more applications")


class MaintainMomentum(coachflow.Step):
    """Keep the pipeline at the person's target and put each no in perspective with their own numbers.

    Below the target (open applications, recorded with 'applied' milestones),
    a dated task says how many to add and by when; at or above it, no task.
    No task on a hard run of noes or on a win; an offer or an accepted
    offer (quiet_on) ends the task.
    """

    name = "maintain-momentum"
    Options = MaintainMomentumOptions

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        """Perspective with the person's own numbers, and a task when the pipeline is under target."""
        options = self.options
        tracked = ctx.journal.pipeline()
        pipeline_known = tracked.applied_count > 0
        searching = pipeline_known and not tracked.search_concluded()
        open_apps, quiet = self._open(ctx, event) if pipeline_known else ([], 0)
        run = ctx.rejection_run(event)
        hard_day = run is not None or event.stage in options.gentle_stages
        below = searching and len(open_apps) < options.target
        current = self._current_task(event, ctx, open_apps) if below else None
        if hard_day:
            pipeline = ""  # a hard day: nothing about sending more
        elif current is not None:
            pipeline = f"Your task to send more applications, due {weekday_date(current.action.due.date())}, still stands."
        else:
            pipeline = self._pipeline_sentence(open_apps) if searching and not below else ""
        numbers = search_numbers(ctx.journal)
        values = {"open_count": len(open_apps), "target": options.target, "stage": event.stage, "pipeline": pipeline,
                  "applications": numbers.applications, "noes": numbers.noes, "interviews": numbers.interviews,
                  "offers": numbers.offers, "since": numbers.since or event.date, "tally": tally_sentence(numbers),
                  "noes_from": _noes_from(numbers)}
        read = framing(numbers, open_count=len(open_apps) if pipeline_known else None,
                       min_history=options.min_history)
        if numbers.applications >= options.min_history:
            values.update(numbers=_numbers_sentence(numbers), stage_note=_stage_note(event), framing=read)
            title = render_title(ctx, options, "perspective_title", event, **values)
            body = ctx.render(options.perspective, event, **values)
        else:
            # Real numbers as soon as there is more than this no to count: an applied
            # milestone, or another application's news.
            has_numbers = numbers.applications > 1 or (numbers.applications == 1 and pipeline_known)
            values["numbers"] = _numbers_sentence(numbers) if has_numbers else NUMBERS_TO_COME
            values["framing"] = read if has_numbers else ""
            title = render_title(ctx, options, "early_title", event, **values)
            body = ctx.render(options.early, event, **values)
        if run is not None:
            body += " " + ctx.render(options.run_note, event, run_count=run.count, run_nth=ordinal(run.count),
                                     run_days=run.days, open_count=len(open_apps), target=options.target)
            if ctx.journal.count_actions(status="open", key=ADD_TASK_KEY):
                # during a run the "send more" task waits: the next event that is not a hard day sets it again
                ctx.cancel(ADD_TASK_KEY)
                body += " " + ctx.render(options.run_task_waits, event, run_count=run.count, run_days=run.days,
                                         open_count=len(open_apps), target=options.target)
        actions = [coachflow.Action(kind="message", title=title, body=tidy(body))]
        if not pipeline_known:
            actions.append(coachflow.Action(
                kind="prompt",
                title=render_title(ctx, options, "unknown_pipeline_title", event, target=options.target, stage=event.stage),
                body=ctx.render(options.unknown_pipeline, event, target=options.target, stage=event.stage),
            ))
        elif below and current is None and not hard_day:
            actions += self._add_task(event, ctx, open_apps, quiet)
        return actions

    @coachflow.hookimpl
    def on_milestone(self, event, ctx):
        """A task when an application sent or withdrawn leaves the pipeline under target; quiet on wins."""
        options = self.options
        if event.kind in options.quiet_on:
            if ctx.journal.actions(status="open", key=ADD_TASK_KEY):
                ctx.cancel(ADD_TASK_KEY)  # an offer ends the asking
            return None
        if ctx.is_win(event.kind):
            return None  # good news is not the day to ask for more
        tracked = ctx.journal.pipeline()
        if tracked.applied_count == 0 or tracked.search_concluded():
            return None
        open_apps, quiet = self._open(ctx, event)
        if len(open_apps) >= options.target:
            if ctx.journal.actions(status="open", key=ADD_TASK_KEY):
                ctx.cancel(ADD_TASK_KEY)  # the target is met: the task is done by itself
            return None
        if self._current_task(event, ctx, open_apps):
            return None  # already on the list, unchanged: saying it again would be nagging
        return self._add_task(event, ctx, open_apps, quiet)

    def _title(self, event, ctx, missing: int, due: dt.datetime, open_count: int) -> str:
        return render_title(ctx, self.options, "add_task_title", event, more_applications=_more_applications(missing),
                          missing=missing, due=weekday_date(due.date()), open_count=open_count,
                          target=self.options.target)

    def _current_task(self, event, ctx, open_apps):
        """The open "send more" task, if it still asks for the right number and is not overdue."""
        missing = self.options.target - len(open_apps)
        for stored in ctx.journal.actions(status="open", key=ADD_TASK_KEY):
            due = stored.action.due
            if due and due > ctx.event_time(event) and \
                    stored.action.title == self._title(event, ctx, missing, due, len(open_apps)):
                return stored
        return None

    def _add_task(self, event, ctx, open_apps, quiet):
        options = self.options
        missing = options.target - len(open_apps)
        due = ctx.at_waking_hours(ctx.event_time(event) + dt.timedelta(days=options.add_within_days))
        if ctx.journal.actions(status="open", key=ADD_TASK_KEY):
            ctx.cancel(ADD_TASK_KEY)  # replaced by this one, with today's numbers
        more_roles = "one more role" if missing == 1 else f"{missing} more roles"
        body = ctx.render(options.add_task, event, open_list=self._open_list(open_apps, quiet), open_count=len(open_apps),
                          target=options.target, missing=missing, more_roles=more_roles, due=weekday_date(due.date()))
        return [coachflow.Action(
            kind="task",
            title=self._title(event, ctx, missing, due, len(open_apps)),
            body=body,
            due=due,
            key=ADD_TASK_KEY,
        )]

    def _open(self, ctx, event):
        """Open applications still alive (sent, or with news, within stale_after_days
        of the event), and how many others have gone quiet."""
        tracked = ctx.journal.pipeline()
        open_apps = tracked.open_applications()
        # the rule status and report say the count by too (coachflow.applications)
        cutoff = news_cutoff(event.date, self.options.stale_after_days)
        if cutoff is None:
            return open_apps, 0
        alive = tracked.open_applications(news_since=cutoff)
        return alive, len(open_apps) - len(alive)

    def _open_list(self, open_apps, quiet) -> str:
        if open_apps:
            listed = [f"{app.role + ' at ' if app.role else ''}{app.company} (sent {short_date(app.applied)})"
                      for app in open_apps]
            text = f"Open now: {join_words(listed)}."
        else:
            text = "You have no applications open right now."
        if quiet:
            text += (f" Not counted: {quiet} older {'one' if quiet == 1 else 'ones'} with no news for over "
                     f"{self.options.stale_after_days} days.")
        return text

    @staticmethod
    def _pipeline_sentence(open_apps) -> str:
        return (f"You still have {plural(len(open_apps), 'application')} open, so there is more in "
                "progress than this one.")


@coachflow.hookimpl
def register_steps(register):
    """Register ``maintain-momentum``."""
    register(MaintainMomentum)
