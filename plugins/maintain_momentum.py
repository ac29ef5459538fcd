"""Strategy 5, first half: keep perspective and momentum.

A search is partly a numbers game: with several applications in progress,
one closing leaves others to work on. This step compares the open pipeline
with the person's target and, when it falls below, says how many to add and
by when. After a rejection it puts the no in perspective with the person's
own numbers: applications, interviews and offers so far.
"""

from __future__ import annotations

import datetime as dt

import attrs

import coachflow
from coachflow import Template, option
from coachflow.applications import INTERVIEW_STAGES, key_of, stage_reached
from coachflow.models import APPLICATION_MILESTONES
from coachflow.validators import day_count
from coachflow.wording import join_words, plural, short_date, tidy, weekday_date

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
        30,
        help="An application with no news for this many days no longer counts as open: most that go "
             "quiet this long never come back. 0: every application counts until it is closed.",
        validator=day_count(0),
    )
    min_history: int = option(
        3,
        help="Applications recorded before the perspective quotes the person's own numbers.",
        validator=attrs.validators.ge(1),
    )
    quiet_on: list[str] = option(
        factory=lambda: ["offer", "accepted"],
        help="Milestone kinds after which this step says nothing: an offer day is not the day to ask "
             "for more applications. After 'accepted' it also cancels its open task.",
    )
    perspective: Template = option(
        "{stage_note} {numbers} A search is partly a numbers game and progress rarely runs in a "
        "straight line: this no is one result among many, not a measure of you. {pipeline}",
        help="After a rejection, once the person has recorded min_history applications.",
        placeholders=("numbers", "stage_note", "pipeline", "applications", "interviews", "offers", "since",
                      "open_count", "target", "stage"),
    )
    early: Template = option(
        "This no is one result, not a measure of you: a search is partly a numbers game and progress "
        "rarely runs in a straight line. {numbers} {pipeline}",
        help="After a rejection, while fewer than min_history applications are recorded. {numbers} is "
             "the person's numbers so far, or, while this no is all that is recorded, a note that they "
             "will show here.",
        placeholders=("numbers", "pipeline", "applications", "interviews", "offers", "since", "open_count",
                      "target", "stage"),
    )
    add_task: Template = option(
        "{open_list} Your target is {target} open at a time, so that one no never leaves you with "
        "nothing in progress. Pick {more_roles} you'd really want and apply by {due}; one tailored "
        "application beats two rushed ones.",
        help="The task when the pipeline is below target.",
        placeholders=("open_list", "open_count", "target", "missing", "more_roles", "due"),
    )
    unknown_pipeline: Template = option(
        "Aim to keep {target} applications open at any time, so that one no leaves others to work on. "
        "Record each one when you send it, and coachflow will tell you when to add more:\n\n"
        "coachflow run milestone --kind applied --company NAME --role ROLE",
        help="After a rejection when no application has been recorded yet, so the pipeline is unknown.",
        placeholders=("target", "stage"),
    )


@attrs.frozen
class SearchNumbers:
    """The person's own numbers so far: distinct applications at each point."""

    since: dt.date | None
    applications: int
    interviews: int
    offers: int


class _Applications:
    """Distinct applications, counted as they are added.

    An application is a company and role; a key without a role belongs to
    that company's application(s) named elsewhere, and counts as one of its
    own only while no key at that company has a role.
    """

    def __init__(self) -> None:
        self._keys: set[tuple[str, str]] = set()
        self._named_companies: set[str] = set()
        self._unnamed_companies: set[str] = set()  # companies seen only without a role
        self.count = 0

    def add(self, key: tuple[str, str]) -> None:
        if key in self._keys:
            return
        self._keys.add(key)
        company, role = key
        if role:
            self.count += 1
            self._named_companies.add(company)
            if company in self._unnamed_companies:
                self._unnamed_companies.discard(company)
                self.count -= 1
        elif company not in self._named_companies:
            self._unnamed_companies.add(company)
            self.count += 1


class SearchTally:
    """A running summary of the person's numbers (see ``JournalReader.summary``).

    Counts distinct applications, those that reached interviews, and
    offers. An application is a company and role; an event without a role
    belongs to that company's application(s) named elsewhere.
    """

    def __init__(self) -> None:
        self.since: dt.date | None = None
        self.applications = _Applications()
        self.interviews = _Applications()
        self.offers = _Applications()

    def add(self, event_id: int, event) -> None:
        """Count one more event."""
        self.since = min(self.since or event.date, event.date)
        if not getattr(event, "company", ""):
            return
        key = key_of(event)
        stage = stage_reached(event)
        if event.type == "rejection" or (event.type == "milestone" and event.kind in APPLICATION_MILESTONES):
            self.applications.add(key)
        if stage in INTERVIEW_STAGES:
            self.interviews.add(key)
        if event.type == "milestone" and stage == "offer":  # a rejection at the offer stage is no offer
            self.offers.add(key)

    def numbers(self) -> SearchNumbers:
        """The numbers so far."""
        return SearchNumbers(since=self.since, applications=self.applications.count,
                             interviews=self.interviews.count, offers=self.offers.count)


def search_numbers(journal) -> SearchNumbers:
    """The person's numbers so far, from a journal reader (kept up to date as a running summary)."""
    return journal.summary(SearchTally).numbers()


#: What the early perspective says while this no is the only application recorded.
NUMBERS_TO_COME = "As you record applications and wins, coachflow will show you your own numbers here."


def _numbers_sentence(numbers: SearchNumbers) -> str:
    start = f"Since {short_date(numbers.since)} you've sent {plural(numbers.applications, 'application')}"
    if numbers.applications == 1:
        return start + (", and it got you to interviews." if numbers.interviews else ".")
    if not numbers.interviews:
        return start + "; none has led to an interview yet."
    sentence = start + f" and got to interviews in {numbers.interviews}"
    if numbers.offers:
        sentence += f", with {plural(numbers.offers, 'offer')}"
    sentence += "."
    ratio = round(numbers.applications / numbers.interviews)
    if numbers.applications >= 4 and ratio >= 2:
        sentence += f" That's about one interview for every {ratio} applications."
    return sentence


def _stage_note(event) -> str:
    notes = {
        "interview": f"Getting to interviews at {event.company} means your application did its job.",
        "final": f"Reaching the final round at {event.company} means they took you seriously.",
        "offer": f"Getting as far as the offer stage at {event.company} says a lot about what you bring.",
    }
    return notes.get(event.stage, "")


def _task_title(missing: int, by: str) -> str:
    title = f"Send {plural(missing, 'more application', 'more applications')} by "
    return title + by


class MaintainMomentum(coachflow.Step):
    """Keep the pipeline at the person's target and put each no in perspective with their own numbers.

    Below the target (open applications, recorded with 'applied' milestones),
    a dated task says how many to add and by when; at or above it, no task.
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
        below = searching and len(open_apps) < options.target
        current = self._current_task(event, ctx, open_apps) if below else None
        if current is not None:
            pipeline = f"Your task to send more applications, due {weekday_date(current.action.due.date())}, still stands."
        else:
            pipeline = self._pipeline_sentence(open_apps) if searching and not below else ""
        values = {"open_count": len(open_apps), "target": options.target, "stage": event.stage, "pipeline": pipeline}
        numbers = search_numbers(ctx.journal)
        values.update(applications=numbers.applications, interviews=numbers.interviews, offers=numbers.offers,
                      since=numbers.since or event.date)
        if numbers.applications >= options.min_history:
            values.update(numbers=_numbers_sentence(numbers), stage_note=_stage_note(event))
            title = f"Perspective: one no among {plural(numbers.applications, 'application')}"
            body = ctx.render(options.perspective, event, **values)
        else:
            # Real numbers as soon as there is more than this no to count: an applied
            # milestone, or another application's news.
            has_numbers = numbers.applications > 1 or (numbers.applications == 1 and pipeline_known)
            values["numbers"] = _numbers_sentence(numbers) if has_numbers else NUMBERS_TO_COME
            title = "Perspective"
            body = ctx.render(options.early, event, **values)
        actions = [coachflow.Action(kind="message", title=title, body=tidy(body))]
        if not pipeline_known:
            actions.append(coachflow.Action(
                kind="prompt",
                title=f"How many applications do you have in progress? Aim for {options.target}",
                body=ctx.render(options.unknown_pipeline, event, target=options.target, stage=event.stage),
            ))
        elif below and current is None:
            actions += self._add_task(event, ctx, open_apps, quiet)
        return actions

    @coachflow.hookimpl
    def on_milestone(self, event, ctx):
        """A task when the pipeline is under target and the open one no longer fits; else quiet."""
        options = self.options
        if event.kind in options.quiet_on:
            if event.kind == "accepted" and ctx.journal.actions(status="open", key=ADD_TASK_KEY):
                ctx.cancel(ADD_TASK_KEY)
            return None
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

    def _current_task(self, event, ctx, open_apps):
        """The open "send more" task, if it still asks for the right number and is not overdue."""
        missing = self.options.target - len(open_apps)
        for stored in ctx.journal.actions(status="open", key=ADD_TASK_KEY):
            due = stored.action.due
            if stored.action.title.startswith(_task_title(missing, "")) and due and due > ctx.event_time(event):
                return stored
        return None

    def _add_task(self, event, ctx, open_apps, quiet):
        options = self.options
        missing = options.target - len(open_apps)
        due = ctx.event_time(event) + dt.timedelta(days=options.add_within_days)
        if ctx.journal.actions(status="open", key=ADD_TASK_KEY):
            ctx.cancel(ADD_TASK_KEY)  # replaced by this one, with today's numbers
        more_roles = "one more role" if missing == 1 else f"{missing} more roles"
        body = ctx.render(options.add_task, event, open_list=self._open_list(open_apps, quiet), open_count=len(open_apps),
                          target=options.target, missing=missing, more_roles=more_roles, due=weekday_date(due.date()))
        return [coachflow.Action(
            kind="task",
            title=_task_title(missing, weekday_date(due.date())),
            body=body,
            due=due,
            key=ADD_TASK_KEY,
        )]

    def _open(self, ctx, event):
        """Open applications still alive (sent, or with news, within stale_after_days
        of the event), and how many others have gone quiet."""
        tracked = ctx.journal.pipeline()
        open_apps = tracked.open_applications()
        if not self.options.stale_after_days:
            return open_apps, 0
        cutoff = event.date - dt.timedelta(days=self.options.stale_after_days)
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
