"""Point 1 of the method: allow the disappointment, for a bounded time.

Feeling let down after a no is normal, and pushing it away tends to make it
stronger. This step names the setback, gives the feeling a window (a day by
default), suggests the people to talk to (at most once every few days), and
sets a check-in at the end of the window to move on. A run of noes is named
as one, and gets one check-in for the whole run rather than one per no. The check-in lapses when a newer event about that application
answers it, and every check-in ends once an offer is accepted.
"""

from __future__ import annotations

import datetime as dt

import attrs

import coachflow
from coachflow.applications import action_key, fold
from coachflow import Template, option
from coachflow.validators import day_count, name_list, not_blank
from coachflow.wording import join_words, number_word, weekday_date, render_title

#: The key of the suggestion to talk to the support contacts.
SUPPORT_KEY = "support-contacts"
#: The key of the one check-in of a run of noes (it replaces the check-ins of the run's noes).
RUN_CHECK_IN_KEY = "check-in:run"


@attrs.define
class AllowDisappointmentOptions:
    """The options of ``allow-disappointment``."""

    window_hours: int = option(
        24,
        help="How long to give the disappointment before the check-in, in hours (from when the no is "
             "recorded, if that is later than the day it came).",
        validator=attrs.validators.and_(attrs.validators.ge(1), attrs.validators.le(24 * 14)),
    )
    support_contacts: list[str] = option(
        factory=list,
        help="People this person can talk to, by name; suggested after a rejection. Empty: no suggestion.",
        validator=name_list,
    )
    support_every_days: int = option(
        7,
        help="Suggest talking to the support contacts at most once in this many days, so that it is not "
             "repeated on every rejection.",
        validator=day_count(1),
    )
    title: Template = option(
        "It's all right to be disappointed about {company}",
        help="The title of the first thing the person reads after a rejection.",
        placeholders=("window_end", "stage", "reason", "notes"),
        validator=not_blank,
    )
    acknowledgement: Template = option(
        "A no from {company} at the {stage} stage hurts. Being disappointed is normal, and pushing "
        "the feeling away tends to make it last longer, so give it room until {window_end}. Then "
        "coachflow will check in so you can move on.",
        help="The first thing the person reads after a rejection.",
        placeholders=("window_end", "stage", "reason", "notes"),
    )
    run_title: Template = option(
        "{run_count_word} noes in {run_days} days: it's all right to feel it",
        help="The title instead of 'title' on a hard run (settings.rejection_run noes within "
             "rejection_run_days). {run_count_word} is the count in words, with a capital letter.",
        placeholders=("window_end", "run_count", "run_count_word", "run_days", "run_companies", "stage", "reason",
                      "notes"),
        validator=not_blank,
    )
    run_acknowledgement: Template = option(
        "{run_companies}: that is {run_count} noes in {run_days} days, and a run like this wears anyone "
        "down. It says more about how hiring works than about you. Give yourself room until {window_end}, "
        "and go easy today: nothing else coachflow suggests has to happen today.",
        help="The first thing the person reads on a hard run, instead of 'acknowledgement'.",
        placeholders=("window_end", "run_count", "run_count_word", "run_days", "run_companies", "stage", "reason",
                      "notes"),
    )
    late_note: Template = option(
        "The no came on {no_date}; the time counts from now, when you recorded it.",
        help="Added to the acknowledgement when the rejection is recorded on a later day than it came.",
        placeholders=("window_end", "no_date", "stage", "reason", "notes"),
    )
    reach_out_title: Template = option(
        "Talk to {contacts}",
        help="The title of the suggestion to talk to the support contacts.",
        placeholders=("contacts", "stage", "reason", "notes"),
        validator=not_blank,
    )
    reach_out: Template = option(
        "Tell {contacts} about {company} today; a short message or a call is enough. Saying it out "
        "loud to someone on your side makes it lighter.",
        help="The suggestion to talk to the support contacts; used only when there are some.",
        placeholders=("contacts", "stage", "reason", "notes"),
    )
    check_in_title: Template = option(
        "Check in: ready to move on from {company}?",
        help="The title of the reminder at the end of the window.",
        placeholders=("window_end", "stage", "reason", "notes"),
        validator=not_blank,
    )
    check_in: Template = option(
        "The time you gave {company} is up. Write down one thing you learned from it, then choose "
        "your next move: an application to send or something to practise.",
        help="The body of the reminder at the end of the window.",
        placeholders=("window_end", "stage", "reason", "notes"),
    )
    run_check_in_title: Template = option(
        "Check in: ready to move on from {run_companies}?",
        help="The title of the one check-in of a hard run, which replaces the check-ins of the run's noes.",
        placeholders=("window_end", "run_count", "run_days", "run_companies", "stage", "reason", "notes"),
        validator=not_blank,
    )
    run_check_in: Template = option(
        "The time you gave {run_companies} is up. Write down one thing this stretch taught you, then "
        "choose one small next move: an application to send or something to practise.",
        help="The body of the one check-in of a hard run.",
        placeholders=("window_end", "run_count", "run_days", "run_companies", "stage", "reason", "notes"),
    )


def check_in_key(company: str, role: str = "") -> str:
    """The key of the check-in for one application."""
    return action_key("check-in", company, role)


class AllowDisappointment(coachflow.Step):
    """Acknowledge a rejection, give the feeling a bounded window, and check in at its end.

    A run of noes (settings.rejection_run within rejection_run_days) is
    named as a run. The support contacts are suggested at most once every
    support_every_days. A newer event about the application (feedback, an
    invitation) ends its check-in; an accepted offer ends them all.
    """

    name = "allow-disappointment"
    Options = AllowDisappointmentOptions

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        """Acknowledge the no (or the run of noes), suggest the support contacts, and schedule the check-in."""
        options = self.options
        window_end = ctx.at_waking_hours(ctx.event_time(event) + dt.timedelta(hours=options.window_hours))
        run = ctx.rejection_run(event)
        if run is not None:
            values = {"run_count": run.count, "run_count_word": number_word(run.count).capitalize(),
                      "run_days": run.days, "run_companies": join_words(list(run.companies))}
            title = render_title(ctx, options, "run_title", event, window_end=window_end, **values)
            body = ctx.render(options.run_acknowledgement, event, window_end=window_end, **values)
        else:
            title = render_title(ctx, options, "title", event, window_end=window_end)
            body = ctx.render(options.acknowledgement, event, window_end=window_end)
        if ctx.recorded_late(event):
            body += " " + ctx.render(options.late_note, event, window_end=window_end, no_date=weekday_date(event.date))
        actions = [coachflow.Action(kind="message", title=title, body=body)]
        if options.support_contacts and not self._suggested_lately(event, ctx):
            contacts = join_words(options.support_contacts, "or")
            actions.append(
                coachflow.Action(
                    kind="task",
                    title=render_title(ctx, options, "reach_out_title", event, contacts=contacts),
                    body=ctx.render(options.reach_out, event, contacts=contacts),
                    key=SUPPORT_KEY,
                )
            )
        if run is not None:
            actions.append(self._run_check_in(event, ctx, run, window_end))
            return actions
        actions.append(
            coachflow.Action(
                kind="reminder",
                title=render_title(ctx, options, "check_in_title", event, window_end=window_end),
                body=ctx.render(options.check_in, event, window_end=window_end),
                due=window_end,
                key=check_in_key(event.company, event.role),
            )
        )
        return actions

    def _run_check_in(self, event, ctx, run, window_end):
        """One check-in for the run, replacing the open check-ins of its noes (and an earlier run's):
        three reminders to move on, one after the other, would be three more things on a hard day."""
        ctx.cancel_open(("reminder",), key_prefix=(*(check_in_key(company) for company in run.companies),
                                                   RUN_CHECK_IN_KEY))
        values = {"run_count": run.count, "run_days": run.days, "run_companies": join_words(list(run.companies))}
        return coachflow.Action(
            kind="reminder",
            title=render_title(ctx, self.options, "run_check_in_title", event, window_end=window_end, **values),
            body=ctx.render(self.options.run_check_in, event, window_end=window_end, **values),
            due=window_end,
            key=RUN_CHECK_IN_KEY,
        )

    @coachflow.hookimpl
    def on_feedback(self, event, ctx):
        """Feedback about an application answers its check-in: the person has moved on to reading it."""
        self._supersede(event, ctx)
        return None

    @coachflow.hookimpl
    def on_milestone(self, event, ctx):
        """News about an application ends its check-in; an accepted offer ends every check-in."""
        if event.kind == "accepted":
            ctx.cancel_open(("reminder",), key_prefix="check-in:")
            return None
        if event.company:
            self._supersede(event, ctx)
        return None

    def _supersede(self, event, ctx) -> None:
        """Cancel the open check-ins for the application this event is about: the same company
        and role, or every role at the company when the event names none.

        Found by key (the journal's index), never by listing what is open:
        the notes of every earlier run stay open too, and a long history has
        thousands.
        """
        roles = {fold(event.role), ""}
        if not event.role:
            roles |= {fold(rejection.role) for rejection in ctx.journal.events("rejection", company=event.company)}
        for role in sorted(roles):
            key = check_in_key(event.company, role)
            if ctx.journal.count_actions(status="open", key=key):
                ctx.cancel(key)

    def _suggested_lately(self, event, ctx) -> bool:
        """True when the support contacts were suggested within support_every_days of this event."""
        since = event.date - dt.timedelta(days=self.options.support_every_days - 1)
        for stored in ctx.journal.actions(key=SUPPORT_KEY, step=ctx.step_id):
            if stored.status == "cancelled":
                continue
            earlier = ctx.journal.event(stored.event_id)
            if earlier is not None and since <= earlier.date <= event.date:
                return True
        return False


@coachflow.hookimpl
def register_steps(register):
    """Register ``allow-disappointment``."""
    register(AllowDisappointment)
