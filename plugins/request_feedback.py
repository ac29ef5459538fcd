"""Point 2 of the method, first half: seek feedback, but don't expect it.

After a rejection this step drafts a short, polite request for feedback,
says plainly that most companies don't answer, and plans at most one gentle
follow-up. When feedback for that application arrives, the draft is marked
done, the follow-up is cancelled and the person is asked to read the
feedback without defending themselves and to pick one thing to improve.
For a rejection recorded days after it came, the dates count from the day
it is recorded: that is when the request can be sent. On a hard run of noes
the follow-ups of the run's requests are merged into one reminder.
"""

from __future__ import annotations

import datetime as dt

import attrs

import coachflow
from coachflow.applications import action_key, fold
from coachflow import Template, option
from coachflow.context import next_working_day
from coachflow.validators import day_count, stage_table, not_blank
from coachflow.wording import join_words, ordinal, short_date, the_role, tidy, weekday_date, render_title

#: The key of the one follow-up reminder of a hard run (it replaces the follow-ups of the run's requests).
RUN_FOLLOW_UP_KEY = "feedback-follow-up:run"

#: What the person is thanking the company for, by the stage the application ended at.
DEFAULT_STAGE_PHRASES: dict[str, str] = {
    "application": "considering my application for",
    "screen": "speaking with me about",
    "interview": "interviewing me for",
    "final": "the final-round interviews for",
    "offer": "taking me all the way to the offer stage for",
}

#: Who gave feedback, when it reads better with "the" in front ("the recruiter").
_ROLE_WORDS = {"recruiter", "hiring manager", "interviewer", "interviewers", "hr", "talent partner",
               "manager", "mentor", "coach", "friend", "panel", "team", "engineering manager"}
_DETERMINERS = ("the ", "my ", "a ", "an ", "their ", "our ", "his ", "her ")


@attrs.define
class RequestFeedbackOptions:
    """The options of ``request-feedback``."""

    contact: str = option(
        "the recruiter",
        help="Who the request goes to, as the person would say it: 'the recruiter', 'the hiring manager'.",
    )
    follow_up_days: int = option(
        7,
        help="Days after the request to remind the person, once, to follow up (moved to Monday if it "
             "falls on a weekend). 0: no follow-up.",
        validator=day_count(0, maximum=60),
    )
    stage_phrases: dict[str, str] = option(
        factory=lambda: dict(DEFAULT_STAGE_PHRASES),
        help="How the request thanks the company, by the stage the application ended at; fills "
             "{stage_phrase}. Stages left out keep their default.",
        validator=stage_table,
    )
    request_title: Template = option(
        "Ask {contact} at {company} for feedback",
        help="The title of the draft.",
        placeholders=("contact", "stage", "reason", "notes"),
        validator=not_blank,
    )
    request: Template = option(
        "Hello,\n\n"
        "Thank you for {stage_phrase} {the_role} at {company}, and for letting me know your decision.\n\n"
        "Could you share one or two things that would have made my candidacy stronger? I'm asking so I "
        "can improve, not to question the decision; a couple of lines would help a lot.\n\n"
        "Thank you again, and all the best to the team.",
        help="The feedback request itself, ready to send.",
        placeholders=("contact", "stage_phrase", "the_role", "stage", "reason", "notes"),
    )
    expectation: Template = option(
        "Most companies don't answer these, usually because of policy rather than anything about you. "
        "Send it anyway, in your own words if you like, then let it go.",
        help="What to expect, shown above the draft.",
        placeholders=("contact", "stage", "reason", "notes"),
    )
    follow_up_note: Template = option(
        "If there's no answer, coachflow will remind you once, on {follow_up_date}, to follow up; "
        "there won't be a second reminder.",
        help="Announces the follow-up above the draft; used only when follow_up_days is above 0.",
        placeholders=("contact", "follow_up_date", "stage", "reason", "notes"),
    )
    late_note: Template = option(
        "The no came on {no_date} and you're recording it on {request_date}, so the dates here count from "
        "{request_date}: that is when you can send the request.",
        help="Added above the draft when the rejection is recorded on a later day than it came.",
        placeholders=("contact", "no_date", "request_date", "stage", "reason", "notes"),
    )
    hard_run: Template = option(
        "It's your {run_nth} no in {run_days} days: this can wait a day or two, until you feel like "
        "sending it.",
        help="Added above the draft on a hard run (settings.rejection_run noes within rejection_run_days).",
        placeholders=("contact", "run_nth", "run_count", "run_days", "stage", "reason", "notes"),
    )
    follow_up_title: Template = option(
        "One follow-up, if you asked {company} for feedback and heard nothing",
        help="The title of the one follow-up reminder.",
        placeholders=("contact", "request_date", "stage", "reason", "notes"),
        validator=not_blank,
    )
    follow_up: Template = option(
        "If you sent the feedback request and {company} hasn't answered, send one short follow-up to "
        "{contact}, for example:\n\n"
        "Hello, I'm following up on my message of {request_date} about {the_role}. If you have a "
        "moment for one or two points of feedback, I'd value them. Either way, thank you.\n\n"
        "That's the last nudge. If no answer comes, let it go: silence is the most common reply and "
        "says nothing about you.",
        help="The body of the one follow-up reminder.",
        placeholders=("contact", "request_date", "the_role", "stage", "reason", "notes"),
    )
    run_follow_up_title: Template = option(
        "One follow-up for your feedback requests to {run_companies}",
        help="The title of the one follow-up reminder of a hard run, which replaces the follow-ups of the "
             "run's requests.",
        placeholders=("contact", "run_count", "run_days", "run_companies", "stage", "reason", "notes"),
        validator=not_blank,
    )
    run_follow_up: Template = option(
        "For each of {run_companies} you asked for feedback and haven't heard from, send one short line "
        "to say you'd still value a point or two, and thank them either way.\n\n"
        "That's the last nudge. If no answer comes, let it go: silence is the most common reply and "
        "says nothing about you.",
        help="The body of the one follow-up reminder of a hard run.",
        placeholders=("contact", "run_count", "run_days", "run_companies", "stage", "reason", "notes"),
    )
    feedback_title: Template = option(
        "Read the feedback from {company} without defending yourself",
        help="The title of the prompt when feedback arrives.",
        placeholders=("source", "text", "source_phrase"),
        validator=not_blank,
    )
    on_feedback: Template = option(
        "Read what {source_phrase} said twice, slowly, and let it land before you argue with it in your "
        "head: it describes one process, not your worth. Then pick the one point you can act on before "
        "your next application or interview, and write it down as \"Next time I will ...\". A two-line "
        "thank-you to {source_phrase} keeps the door open.",
        help="The prompt when feedback arrives.",
        placeholders=("source", "text", "source_phrase"),
    )
    follow_up_cancelled: Template = option(
        "You heard back, so the follow-up reminder for {company} is cancelled: nothing left to chase.",
        help="Added to the feedback prompt when it cancels a follow-up reminder. Empty: say nothing.",
        placeholders=("source", "text", "source_phrase"),
    )


def follow_up_key(company: str, role: str) -> str:
    """The key of the follow-up reminder for one application."""
    return action_key("feedback-follow-up", company, role)


def request_key(company: str, role: str) -> str:
    """The key of the feedback-request draft for one application (the journal counts requests by it)."""
    return action_key("feedback-request", company, role)


def _source_phrase(source: str, company: str) -> str:
    source = source.strip()
    if not source:
        return company
    if source.casefold() in _ROLE_WORDS or (source[0].islower() and not source.startswith(_DETERMINERS)):
        return f"the {source[0].lower()}{source[1:]}"
    return source


class RequestFeedback(coachflow.Step):
    """Draft a feedback request after a rejection, with one follow-up at most; on feedback, help read it.

    The draft says plainly that most companies don't answer. The single
    follow-up reminder is cancelled when feedback for that application
    arrives; there is never a second one.
    """

    name = "request-feedback"
    Options = RequestFeedbackOptions

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        """Draft the request and plan the one follow-up."""
        options = self.options
        # The request can be sent once the person knows of the no: for one recorded late, today.
        sent = ctx.event_time(event)
        values = {
            "contact": options.contact,
            "stage_phrase": options.stage_phrases.get(event.stage, DEFAULT_STAGE_PHRASES[event.stage]),
            "the_role": the_role(event.role),
            "stage": event.stage,
            "reason": event.reason,
            "notes": event.notes,
        }
        key = follow_up_key(event.company, event.role)
        run = ctx.rejection_run(event)
        # on a run, one follow-up for the whole run replaces those of its requests (this one's too)
        plan_follow_up = options.follow_up_days > 0 and (run is not None or not ctx.journal.actions(status="open", key=key))
        due = next_working_day(ctx.at_waking_hours(sent + dt.timedelta(days=options.follow_up_days)))
        advice = []
        if ctx.recorded_late(event):
            advice.append(ctx.render(options.late_note, event, no_date=weekday_date(event.date),
                                     request_date=weekday_date(sent.date()), **values))
        if run is not None:
            advice.append(ctx.render(options.hard_run, event, run_nth=ordinal(run.count), run_count=run.count,
                                     run_days=run.days, **values))
        advice.append(ctx.render(options.expectation, event, **values))
        if plan_follow_up:
            advice.append(ctx.render(options.follow_up_note, event, follow_up_date=weekday_date(due.date()), **values))
        actions = [
            coachflow.Action(
                kind="draft",
                title=render_title(ctx, options, "request_title", event, **values),
                body=tidy(" ".join(advice)) + "\n\n" + ctx.render(options.request, event, **values).strip(),
                # the journal counts feedback requests by this key (JournalReader.feedback_requested)
                key=request_key(event.company, event.role),
            )
        ]
        if plan_follow_up and run is not None:
            actions.append(self._run_follow_up(event, ctx, run, due, values))
        elif plan_follow_up:
            request_date = short_date(sent.date())
            actions.append(
                coachflow.Action(
                    kind="reminder",
                    title=render_title(ctx, options, "follow_up_title", event, request_date=request_date, **values),
                    body=ctx.render(options.follow_up, event, request_date=request_date, **values),
                    due=due,
                    key=key,
                )
            )
        return actions

    def _run_follow_up(self, event, ctx, run, due, values):
        """The one follow-up of a run, replacing the open follow-ups of its requests (and an earlier
        run's): on a hard week, one reminder to nudge, not one per company."""
        ctx.cancel_open(("reminder",), key_prefix=(*(follow_up_key(company, "") for company in run.companies),
                                                   RUN_FOLLOW_UP_KEY))
        run_values = {"run_count": run.count, "run_days": run.days, "run_companies": join_words(list(run.companies))}
        return coachflow.Action(
            kind="reminder",
            title=render_title(ctx, self.options, "run_follow_up_title", event, **run_values, **values),
            body=ctx.render(self.options.run_follow_up, event, **run_values, **values),
            due=due,
            key=RUN_FOLLOW_UP_KEY,
        )

    @coachflow.hookimpl
    def on_feedback(self, event, ctx):
        """Cancel the follow-up this feedback answers, and help read the feedback."""
        options = self.options
        values = {"source_phrase": _source_phrase(event.source, event.company)}
        body = ctx.render(options.on_feedback, event, **values)
        cancelled = False
        roles = self._answered_roles(event, ctx)
        for role in roles:
            key = follow_up_key(event.company, role)
            if ctx.journal.actions(status="open", key=key):
                ctx.cancel(key)
                cancelled = True
            # the request was answered: nothing more to send
            if ctx.journal.actions(status="open", key=request_key(event.company, role)):
                ctx.mark_done(request_key(event.company, role))
        if cancelled and options.follow_up_cancelled.strip():
            body += "\n\n" + ctx.render(options.follow_up_cancelled, event, **values)
        return coachflow.Action(
            kind="prompt",
            title=render_title(ctx, options, "feedback_title", event, **values),
            body=body,
        )

    @coachflow.hookimpl
    def on_milestone(self, event, ctx):
        """After an accepted offer the search is over: open follow-ups end (drafts stay as they are)."""
        if event.kind != "accepted":
            return None
        ctx.cancel_open(("reminder",))
        return None

    @staticmethod
    def _answered_roles(event, ctx) -> list[str]:
        """The roles (folded) whose request and follow-up this feedback answers: its
        application's, or, when it names no role, every application rejected at the company."""
        roles = {fold(event.role), ""}
        if not event.role:
            roles |= {fold(rejection.role) for rejection in ctx.journal.events("rejection", company=event.company)}
        return sorted(roles)


@coachflow.hookimpl
def register_steps(register):
    """Register ``request-feedback``."""
    register(RequestFeedback)
