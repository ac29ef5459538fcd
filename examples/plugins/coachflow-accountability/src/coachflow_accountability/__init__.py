"""A coachflow plugin: tell an accountability partner about a rejection and promise a next step.

After a no, the step drafts a short message to a partner the person chose (a
friend, a peer from a job-search group, a mentor) that names what happened
and one concrete thing the person will do by a check-in date, and sets a
reminder for that check-in. Recording the check-in (a ``partner-check-in``
milestone) closes the reminder and counts it as a win.

A second rejection before the check-in does not move the date: the draft
refers to the check-in already agreed, so one bad week cannot keep pushing
the promise away.
"""

from __future__ import annotations

import datetime as dt

import attrs

import coachflow
from coachflow import Template, option
from coachflow.validators import day_count

__version__ = "0.1.0"

#: The milestone kind a person records after talking to their partner.
CHECK_IN_KIND = "partner-check-in"


@attrs.define
class AccountabilityOptions:
    partner: str = option(
        help="The first name of the person who keeps you accountable: a friend, a peer or a mentor."
    )
    commitment: str = option(
        "send two new applications",
        help="What you promise your partner to do before the check-in, completing 'I will ...'.",
    )
    check_in_days: int = option(
        3,
        help="Days from the rejection to the check-in with your partner.",
        validator=day_count(1, maximum=30),
    )
    message: Template = option(
        "Hi {partner}, a quick update on my search: {position} said no after the {stage} stage. "
        "I don't want it to stall me, so by {check_in} I will {commitment}. Could you ask me how it "
        "went then? Thanks for being in my corner.",
        help="The message drafted to your partner after a rejection.",
        # stage: this text is only used for rejections, which have one
        placeholders=("partner", "commitment", "check_in", "stage"),
    )
    reminder: Template = option(
        "Tell {partner} how it went with your promise to {commitment}. If it did not happen, say "
        "so and agree on a smaller next step together; keeping in touch matters more than a "
        "perfect week. Then record it: coachflow run milestone --kind partner-check-in",
        help="The body of the check-in reminder.",
        placeholders=("partner", "commitment"),
    )


class AccountabilityNudge(coachflow.Step):
    """Draft a message to your accountability partner after a rejection and set a check-in date."""

    name = "accountability-nudge"
    Options = AccountabilityOptions

    def reminder_key(self) -> str:
        """The key of this partner's check-in reminder in the journal."""
        return f"accountability:{self.options.partner.casefold()}"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        options = self.options
        start = ctx.event_time(event)
        open_check_ins = [stored.action.due for stored in ctx.journal.actions(status="open", key=self.reminder_key())]
        upcoming = [due for due in open_check_ins if due is not None and due >= start]
        actions = []
        if upcoming:
            check_in = min(upcoming)
        else:
            check_in = start + dt.timedelta(days=options.check_in_days)
            if open_check_ins:  # a missed check-in is replaced, not stacked up
                ctx.cancel(self.reminder_key())
            actions.append(
                coachflow.Action(
                    kind="reminder",
                    title=f"Check in with {options.partner}: did you {options.commitment}?",
                    body=ctx.render(options.reminder, event, partner=options.partner,
                                    commitment=options.commitment),
                    due=check_in,
                    key=self.reminder_key(),
                )
            )
        draft = coachflow.Action(
            kind="draft",
            title=f"Message to {options.partner} about {event.company}",
            body=ctx.render(options.message, event, partner=options.partner, commitment=options.commitment,
                            check_in=check_in.date()),
        )
        return [draft, *actions]

    @coachflow.hookimpl
    def on_milestone(self, event, ctx):
        if event.kind != CHECK_IN_KIND:
            return None
        if ctx.journal.actions(status="open", key=self.reminder_key()):
            ctx.cancel(self.reminder_key())
        return coachflow.Action(
            kind="celebration",
            title=f"You checked in with {self.options.partner}",
            body="Keeping a promise to yourself in the middle of a search is real progress, whatever the "
                 "week brought.",
        )


@coachflow.hookimpl
def register_steps(register):
    register(AccountabilityNudge)


@coachflow.hookimpl
def register_milestone_kinds(register):
    register(CHECK_IN_KIND, "you talked to your accountability partner about your commitment", win=True)
