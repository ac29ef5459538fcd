"""Strategy 1 of the method: allow the disappointment, for a bounded time.

Feeling let down after a no is normal, and pushing it away tends to make it
stronger. This step names the setback, gives the feeling a window (a day by
default), suggests the people to talk to, and sets a check-in at the end of
the window to move on.
"""

from __future__ import annotations

import datetime as dt

import attrs

import coachflow
from coachflow.applications import action_key
from coachflow import Template, option
from coachflow.wording import join_words


@attrs.define
class AllowDisappointmentOptions:
    """The options of ``allow-disappointment``."""

    window_hours: int = option(
        24,
        help="How long to give the disappointment before the check-in, in hours.",
        validator=attrs.validators.and_(attrs.validators.ge(1), attrs.validators.le(24 * 14)),
    )
    support_contacts: list[str] = option(
        factory=list,
        help="People this person can talk to, by name; suggested after a rejection. Empty: no suggestion.",
    )
    acknowledgement: Template = option(
        "A no from {company} at the {stage} stage hurts. Being disappointed is normal, and pushing "
        "the feeling away tends to make it last longer, so give it room until {window_end}. Then "
        "coachflow will check in so you can move on.",
        help="The first thing the person reads after a rejection.",
        placeholders=("window_end",),
    )
    reach_out: Template = option(
        "Tell {contacts} about {company} today; a short message or a call is enough. Saying it out "
        "loud to someone on your side makes it lighter.",
        help="The suggestion to talk to the support contacts; used only when there are some.",
        placeholders=("contacts",),
    )
    check_in: Template = option(
        "The time you gave {company} is up. Write down one thing you learned from it, then choose "
        "your next move: an application to send or something to practise.",
        help="The body of the reminder at the end of the window.",
    )


class AllowDisappointment(coachflow.Step):
    """Acknowledge a rejection, give the feeling a bounded window, and check in at its end."""

    name = "allow-disappointment"
    Options = AllowDisappointmentOptions

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        """Acknowledge the no, suggest the support contacts, and schedule the check-in."""
        options = self.options
        window_end = ctx.event_time(event) + dt.timedelta(hours=options.window_hours)
        actions = [
            coachflow.Action(
                kind="message",
                title=f"It's all right to be disappointed about {event.company}",
                body=ctx.render(options.acknowledgement, event, window_end=window_end),
            )
        ]
        if options.support_contacts:
            contacts = join_words(options.support_contacts, "or")
            actions.append(
                coachflow.Action(
                    kind="task",
                    title=f"Talk to {contacts}",
                    body=ctx.render(options.reach_out, event, contacts=contacts),
                )
            )
        actions.append(
            coachflow.Action(
                kind="reminder",
                title=f"Check in: ready to move on from {event.company}?",
                body=ctx.render(options.check_in, event),
                due=window_end,
                key=action_key("check-in", event.company, event.role),
            )
        )
        return actions


@coachflow.hookimpl
def register_steps(register):
    """Register ``allow-disappointment``."""
    register(AllowDisappointment)
