"""Point 4 of the method, second half: celebrate small wins and show progress.

Progress in a search is rarely a straight line, so the small wins are worth
noticing: a good conversation, an interview invitation, positive feedback,
an offer, and any kind a coach declares as a win in the workflow file. This
step celebrates each with the running tally (the engine puts a celebration
first, so good news never opens with a demand), and after a rejection
reminds the person of their recent wins, when there are some.
"""

from __future__ import annotations

import datetime as dt

import attrs

import coachflow
from coachflow.applications import fold
from coachflow import Template, option
from coachflow.workflow import milestone_kinds_in_scope
from coachflow.validators import day_count, known_keys, not_blank
from coachflow.wording import join_words, milestone_label, plural, short_date, render_title

#: How each built-in win reads: (title, as an item in a list, singular, plural).
#: ``{with}``, ``{from}`` and ``{at}`` become " with Acme", " from Acme" and
#: " at Acme for Analyst", or nothing when the milestone names no company.
_WIN_WORDING: dict[str, tuple[str, str, str, str]] = {
    "good-conversation": ("A good conversation{with}", "a good conversation{with}",
                          "good conversation", "good conversations"),
    "interview-invitation": ("Invited to interview{at}", "an interview invitation{from}",
                             "interview invitation", "interview invitations"),
    "positive-feedback": ("Positive feedback{from}", "positive feedback{from}",
                          "piece of positive feedback", "pieces of positive feedback"),
    "offer": ("An offer{from}", "an offer{from}", "offer", "offers"),
    "accepted": ("You accepted the offer{from}", "an accepted offer{from}", "accepted offer", "accepted offers"),
}

DEFAULT_MESSAGES: dict[str, str] = {
    "good-conversation": (
        "A conversation that went well means how you come across is working. Jot down what made it go "
        "well while you still remember."
    ),
    "interview-invitation": (
        "Your application did its job. Keep a copy of what you sent them: it's a version that works."
    ),
    "positive-feedback": (
        "Someone saw what you bring. Write their words down; they're useful for your CV and for harder days."
    ),
    "offer": (
        "This is what the applications, conversations and practice were for. Take a breath before you "
        "decide; you've earned the time to think."
    ),
    "accepted": (
        "You did it. Thank the people who supported you along the way, and let your other open "
        "applications know, kindly."
    ),
}


def _wording(kind: str) -> tuple[str, str, str, str]:
    words = milestone_label(kind)
    return _WIN_WORDING.get(kind, (words.capitalize() + "{paren}", words + "{paren}", words, words))


def _fill(pattern: str, event) -> str:
    company = event.company
    for_role = f" for {event.role}" if event.role and company else ""
    return pattern.format_map({
        "with": f" with {company}" if company else "",
        "from": f" from {company}" if company else "",
        "at": f" at {company}{for_role}" if company else "",
        "paren": f" ({company})" if company else "",
    })


def _kinds_in_scope(instance, attribute, value) -> None:
    """Every kind listed is one the workflow knows: built in, a plugin's or declared in [milestones]."""
    from coachflow.errors import did_you_mean

    known = sorted(milestone_kinds_in_scope())
    for kind in value:
        if kind not in known:
            raise ValueError(f"'{attribute.name}' has '{kind}', which is not a milestone kind"
                             f"{did_you_mean(kind, known)}; the kinds are {', '.join(known)}")


@attrs.define
class CelebrateWinsOptions:
    """The options of ``celebrate-wins``."""

    win_kinds: list[str] = option(
        factory=lambda: list(DEFAULT_MESSAGES),
        help="Milestone kinds that count as wins, including any your plugins add. Kinds the workflow "
             "declares in [milestones] with win = true count too.",
        validator=_kinds_in_scope,
    )
    messages: dict[str, str] = option(
        factory=lambda: dict(DEFAULT_MESSAGES),
        help="What to say for each kind of win, by milestone kind. Kinds you leave out keep their default; "
             "kinds with none use 'message'.",
        validator=known_keys("milestone kind", lambda options: sorted(milestone_kinds_in_scope()),
                             keep=DEFAULT_MESSAGES),
    )
    titles: dict[str, Template] = option(
        factory=dict,
        help="The title of the celebration, by milestone kind; {win} is the built-in title (\"Invited to "
             "interview at Acme\"). Kinds you leave out use the built-in title.",
        placeholders=("win", "kind"),
        validator=known_keys("milestone kind", lambda options: sorted(milestone_kinds_in_scope())),
    )
    message: Template = option(
        "That's a step forward; take a moment to notice it.",
        help="What to say for a win with no entry in 'messages'.",
        placeholders=("kind",),
    )
    celebration: Template = option(
        "{message}\n\n{tally}",
        help="The body of a celebration.",
        placeholders=("kind", "message", "tally", "wins"),
    )
    recent_days: int = option(
        30,
        help="After a rejection, how many days back to look for wins to remind the person of.",
        validator=day_count(1),
    )
    max_recent: int = option(
        3,
        help="How many recent wins to name after a rejection, most recent first.",
        validator=attrs.validators.ge(1),
    )
    recent_title: Template = option(
        "Remember your recent wins",
        help="The title of the reminder of recent wins after a rejection.",
        placeholders=("recent", "recent_days", "wins"),
        validator=not_blank,
    )
    after_rejection: Template = option(
        "Before this no takes up all the room: in the last {recent_days} days you also had {recent}. "
        "It doesn't cancel any of that.",
        help="After a rejection, when there were wins in the last recent_days days.",
        placeholders=("recent", "recent_days", "wins"),
    )


class MilestoneCounts:
    """How many milestones of each kind the journal holds, kept up to date by the reader
    (``ctx.journal.summary``): counting them afresh on every win reads them all each time."""

    event_types = ("milestone",)

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, event_id: int, event) -> None:
        """Count one more event."""
        if event.type == "milestone":
            self.counts[event.kind] = self.counts.get(event.kind, 0) + 1


class CelebrateWins(coachflow.Step):
    """Celebrate small wins with the running tally; after a rejection, recall recent ones.

    Wins are the milestone kinds in win_kinds. After a rejection, recent wins
    at other companies are named; with none, the step says nothing.
    """

    name = "celebrate-wins"
    Options = CelebrateWinsOptions

    @coachflow.hookimpl
    def on_milestone(self, event, ctx):
        """Celebrate a win with the running tally; other milestones pass silently."""
        options = self.options
        kinds = self._win_kinds(ctx)
        if event.kind not in kinds:
            return None
        message = (options.messages.get(event.kind) or DEFAULT_MESSAGES.get(event.kind)
                   or ctx.render(options.message, event, kind=event.kind))
        recorded = ctx.journal.summary(MilestoneCounts).counts
        counts = {kind: recorded.get(kind, 0) for kind in kinds}
        total = sum(counts.values())
        parts = []
        for kind, count in sorted(counts.items(), key=lambda item: -item[1]):
            if count:
                _, _, one, many = _wording(kind)
                parts.append(f"{count} {one if count == 1 else many}")
        tally = f"Your wins so far: {join_words(parts)}." if total > 1 else "Your first recorded win: keep counting."
        win = _fill(_wording(event.kind)[0], event)
        title = " ".join(ctx.render(options.titles[event.kind], event, win=win, kind=event.kind).split()) \
            if event.kind in options.titles else ""
        title = title or win  # a coach's title that comes out empty falls back to the built-in one
        return coachflow.Action(
            kind="celebration",
            title=title,
            body=ctx.render(options.celebration, event, kind=event.kind, message=message, tally=tally, wins=total),
        )

    def _win_kinds(self, ctx) -> list[str]:
        """The kinds celebrated: win_kinds, and the kinds the workflow declares as wins, less
        those it declares as not wins."""
        declared = ctx.milestone_kinds
        kinds = [kind for kind in self.options.win_kinds if kind not in declared or declared[kind].win]
        return kinds + [kind for kind, found in declared.items() if found.win and kind not in kinds]

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        """Recall recent wins at other companies, if there are any."""
        options = self.options
        since = event.date - dt.timedelta(days=options.recent_days)
        # Wins at the company that just said no would sting today, so they are left out.
        # Kind by kind: asking for every milestone would read each application sent too.
        wins = sorted(
            (win for kind in dict.fromkeys(self._win_kinds(ctx))
             for win in ctx.journal.events("milestone", kind=kind, since=since, until=event.date)
             if fold(win.company) != fold(event.company)),
            key=lambda win: win.date,
        )
        if not wins:
            return None
        shown = wins[::-1][: options.max_recent]
        items = [f"{_fill(_wording(win.kind)[1], win)} ({short_date(win.date)})" for win in shown]
        if len(wins) > len(shown):
            items.append(plural(len(wins) - len(shown), "more win", "more wins"))
        values = {"recent": join_words(items), "recent_days": options.recent_days, "wins": len(wins)}
        return coachflow.Action(
            kind="celebration",
            title=render_title(ctx, options, "recent_title", event, **values),
            body=ctx.render(options.after_rejection, event, **values),
        )


@coachflow.hookimpl
def register_steps(register):
    """Register ``celebrate-wins``."""
    register(CelebrateWins)
