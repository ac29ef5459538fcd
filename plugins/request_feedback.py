"""Strategy 2 of the method: ask for feedback, expect little.

After a rejection this step drafts a short, polite request for feedback,
says plainly that most companies don't answer, and plans at most one gentle
follow-up. When feedback for that application arrives, the follow-up is
cancelled and the person is asked to read the feedback without defending
themselves and to pick one thing to improve.
"""

from __future__ import annotations

import datetime as dt

import attrs

import coachflow
from coachflow.applications import action_key, fold
from coachflow import Template, option
from coachflow.context import next_working_day
from coachflow.validators import day_count, stage_table
from coachflow.wording import short_date, the_role, tidy, weekday_date

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
        plan_follow_up = options.follow_up_days > 0 and not ctx.journal.actions(status="open", key=key)
        due = next_working_day(sent + dt.timedelta(days=options.follow_up_days))
        advice = ctx.render(options.expectation, event, **values)
        if plan_follow_up:
            advice += " " + ctx.render(options.follow_up_note, event, follow_up_date=weekday_date(due.date()), **values)
        actions = [
            coachflow.Action(
                kind="draft",
                title=f"Ask {options.contact} at {event.company} for feedback",
                body=tidy(advice) + "\n\n" + ctx.render(options.request, event, **values).strip(),
                # the journal counts feedback requests by this key (JournalReader.feedback_requested)
                key=action_key("feedback-request", event.company, event.role),
            )
        ]
        if plan_follow_up:
            actions.append(
                coachflow.Action(
                    kind="reminder",
                    title=f"One follow-up, if you asked {event.company} for feedback and heard nothing",
                    body=ctx.render(options.follow_up, event, request_date=short_date(event.date), **values),
                    due=due,
                    key=key,
                )
            )
        return actions

    @coachflow.hookimpl
    def on_feedback(self, event, ctx):
        """Cancel the follow-up this feedback answers, and help read the feedback."""
        options = self.options
        values = {"source_phrase": _source_phrase(event.source, event.company)}
        body = ctx.render(options.on_feedback, event, **values)
        cancelled = False
        for key in self._follow_up_keys(event, ctx):
            if ctx.journal.actions(status="open", key=key):
                ctx.cancel(key)
                cancelled = True
        if cancelled and options.follow_up_cancelled.strip():
            body += "\n\n" + ctx.render(options.follow_up_cancelled, event, **values)
        return coachflow.Action(
            kind="prompt",
            title=f"Read the feedback from {event.company} without defending yourself",
            body=body,
        )

    @staticmethod
    def _follow_up_keys(event, ctx) -> list[str]:
        """Keys of the follow-ups this feedback answers: its application's, or, when it
        names no role, those of every application rejected at the company."""
        roles = {fold(event.role), ""}
        if not event.role:
            roles |= {fold(rejection.role) for rejection in ctx.journal.events("rejection", company=event.company)}
        return [follow_up_key(event.company, role) for role in sorted(roles)]


@coachflow.hookimpl
def register_steps(register):
    """Register ``request-feedback``."""
    register(RequestFeedback)
