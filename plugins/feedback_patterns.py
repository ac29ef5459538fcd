"""Point 2 of the method, second half: learn from patterns, not from one piece of feedback.

A single piece of feedback is noisy. This step tags feedback texts and
rejection reasons with themes (communication, technical depth, experience
level, culture fit, salary, and any the coach adds) and, once a theme has
come up in at least N different applications, reports it with its evidence
and turns it into a practice focus. What the text says about causes outside
the person's control (a more experienced rival, a salary band) is left out
first, with :func:`coachflow.reasons.mask_outside`: it is never something
to practise.
"""

from __future__ import annotations

import datetime as dt

import attrs

import coachflow
from coachflow import Template, option
from coachflow.applications import fold
from coachflow.validators import day_count, keyword_table, known_keys, not_blank
from coachflow.wording import join_words, ordinal, plural, short_date, render_title
from coachflow.reasons import DEFAULT_OUTSIDE_CAUSES, mask_outside
from coachflow.themes import DEFAULT_THEMES, ThemeIndex, combine_themes, tag_text

#: The causes outside the person's control left out before tagging (as the report does).
_OUTSIDE = tuple(DEFAULT_OUTSIDE_CAUSES.items())

#: The area of the method (as ``analyze-control`` names it) each default theme is practised in:
#: a practice focus on a theme and a task on its area are one exercise, offered once.
DEFAULT_PRACTICE_AREAS: dict[str, str] = {
    "communication": "interview preparation",
    "technical depth": "skills",
}

#: A first practice step for each default theme.
DEFAULT_PRACTICE_IDEAS: dict[str, str] = {
    "communication": (
        "Take three questions you were asked recently and answer each out loud in under two minutes: "
        "the situation, what you did, the result. Record yourself once and listen for where you lose "
        "the thread."
    ),
    "technical depth": (
        "Pick one piece of work you know well and explain it end to end, out loud: why you built it "
        "that way, what you'd change, where it would break. Then do the same for one topic the "
        "interviews probed."
    ),
    "experience level": (
        "Write down three things you've done that match the level you're applying for, with numbers "
        "where you have them, and make sure they're in your CV and your opening answer. Check too "
        "that the roles you pick ask for the experience you have."
    ),
    "culture fit": (
        "Before each interview, write in your own words why this team and this company, and one "
        "question that shows you looked into how they work."
    ),
    "salary": (
        "Look up the pay range for this role and city from two sources, decide your range, and "
        "practise saying it in one calm sentence."
    ),
}


@attrs.define
class FeedbackPatternsOptions:
    """The options of ``feedback-patterns``."""

    themes: dict[str, list[str]] = option(
        factory=lambda: {name: list(words) for name, words in DEFAULT_THEMES.items()},
        help="Themes and their keywords. Setting it replaces the default themes; to keep them and add "
             "your own, use extra_themes. A keyword matches whole words, ignoring case; end it with * "
             "to match words that start with it.",
        validator=keyword_table,
    )
    extra_themes: dict[str, list[str]] = option(
        factory=dict,
        help="Themes added to 'themes'; keywords for a theme that already exists are added to its own.",
        validator=keyword_table,
    )
    min_applications: int = option(
        2,
        help="How many different applications a theme must come up in before it is reported. At "
             "least 2: one comment is one person's view.",
        validator=attrs.validators.ge(2),
    )
    lookback_days: int = option(
        0,
        help="Count only feedback and reasons from the last this many days. 0: the whole journal.",
        validator=day_count(0),
    )
    max_evidence: int = option(
        5,
        help="How many applications to list as evidence under a pattern, most recent first.",
        validator=attrs.validators.ge(1),
    )
    focus_days: int = option(
        14,
        help="Days to work on a practice focus before looking back at it.",
        validator=day_count(1),
    )
    practice_ideas: dict[str, str] = option(
        factory=lambda: dict(DEFAULT_PRACTICE_IDEAS),
        help="A first practice step per theme (one of themes or extra_themes), for the practice focus. "
             "Themes you leave out keep their default; themes with none use 'practice'.",
        validator=known_keys("theme", lambda options: [*options.themes, *options.extra_themes],
                             keep=DEFAULT_PRACTICE_IDEAS),
    )
    practice_areas: dict[str, str] = option(
        factory=lambda: dict(DEFAULT_PRACTICE_AREAS),
        help="The area of the method each theme is practised in (as analyze-control names them): a "
             "practice focus on the theme and an analyze-control task on the area are one exercise, "
             "offered once.",
        validator=known_keys("theme", lambda options: [*options.themes, *options.extra_themes],
                             keep=DEFAULT_PRACTICE_AREAS),
    )
    pattern_title: Template = option(
        "{theme_title} came up in {count} different applications",
        help="The title of a pattern report; {theme_title} is the theme with a capital letter.",
        placeholders=("theme", "theme_title", "count", "companies"),
        validator=not_blank,
    )
    pattern: Template = option(
        "{evidence}\n\n"
        "One comment is one person's view; the same point from {count} different applications is "
        "worth working on. It tells you where to practise, not what you're worth.",
        help="The body of a pattern report.",
        placeholders=("theme", "count", "companies", "evidence"),
    )
    practice: Template = option(
        "Choose one concrete way to practise {theme} and do it twice before {due}.",
        help="The practice step for a theme that has no entry in practice_ideas.",
        placeholders=("theme", "due"),
    )
    focus_title: Template = option(
        "Practice focus: {theme}",
        help="The title of the practice-focus task.",
        placeholders=("theme", "due", "count", "companies"),
        validator=not_blank,
    )
    focus: Template = option(
        "{idea}\n\nOn {due}, look back: has {theme} come up again, and does it feel easier?",
        help="The body of the practice-focus task.",
        placeholders=("theme", "idea", "due", "count", "companies"),
    )
    hard_run: Template = option(
        "This is your {run_nth} no in {run_days} days, so there is no new practice task today. The pattern "
        "will still be here when you have the energy for it.",
        help="Added to a pattern report after a rejection on a hard run (settings.rejection_run noes "
             "within rejection_run_days), instead of a new practice focus.",
        placeholders=("theme", "run_nth", "run_count", "run_days"),
    )
    focus_still_open: Template = option(
        "Practising it is already on your list (due {due}); keep going with it.",
        help="Added to a pattern report when a practice focus for the theme is still open.",
        placeholders=("theme", "due"),
    )
    not_yet_title: Template = option(
        "Noted: {themes}",
        help="The title of the note after feedback whose theme has not recurred yet.",
        placeholders=("themes", "min_applications"),
        validator=not_blank,
    )
    not_yet: Template = option(
        "One comment is one person's view, so there's nothing to overhaul yet. If {themes} comes up "
        "in {min_applications} different applications, coachflow will point it out with the evidence.",
        help="After feedback whose theme has not recurred yet. Empty: say nothing.",
        placeholders=("themes", "min_applications"),
    )


def focus_key(theme: str, areas: dict[str, str] | None = None) -> str:
    """The key of the practice-focus task for a theme: ``practice:AREA`` when the theme is
    practised in an area of the method (``analyze-control`` gives its tasks the same key),
    else ``practice:THEME``."""
    area = (DEFAULT_PRACTICE_AREAS if areas is None else areas).get(theme, theme)
    return f"practice:{fold(area)}"


class FeedbackPatterns(coachflow.Step):
    """Report a theme once it recurs across applications, with its evidence, as a practice focus.

    Feedback texts and rejection reasons are tagged with themes by keyword.
    A theme is reported only when it has come up in min_applications
    different applications; one comment alone is noted, never reported.
    """

    name = "feedback-patterns"
    Options = FeedbackPatternsOptions

    @coachflow.hookimpl
    def on_feedback(self, event, ctx):
        """Report themes of this feedback that recur; note the ones that don't yet."""
        return self._react(event, event.text, ctx, explain_single=True)

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        """Report themes of the stated reason that recur; say nothing otherwise."""
        # On the day of a no, speak only about a real pattern.
        return self._react(event, event.reason, ctx, explain_single=False)

    @coachflow.hookimpl
    def on_milestone(self, event, ctx):
        """After an accepted offer the search is over: the open practice focuses end."""
        if event.kind != "accepted":
            return None
        ctx.cancel_open(("task",))
        return None

    def _react(self, event, text, ctx, *, explain_single):
        options = self.options
        themes = combine_themes(options.themes, options.extra_themes)
        mentioned = tag_text(mask_outside(text), themes) if text else []
        if not mentioned:
            return None
        since = event.date - dt.timedelta(days=options.lookback_days) if options.lookback_days else None
        # Kept up to date by the journal reader, so each text is tagged once
        # however long the history: a replay would otherwise re-read it all
        # on every event.
        index = ctx.journal.summary(ThemeIndex, tuple(themes.items()), _OUTSIDE)
        recurring = {
            found.theme: found
            for found in index.recurring(min_applications=options.min_applications, since=since, themes=mentioned)
        }
        actions = []
        for theme in mentioned:
            # Report when this application adds to the count; a second comment from the
            # same application changes nothing and would only repeat the report.
            if theme in recurring and recurring[theme].mentions_at(event.company, event.role) <= 1:
                actions += self._pattern(event, recurring[theme], ctx)
        single = [theme for theme in mentioned if theme not in recurring]
        if explain_single and single and options.not_yet.strip():
            themes_phrase = join_words(single, "or")
            actions.append(
                coachflow.Action(
                    kind="message",
                    title=render_title(ctx, options, "not_yet_title", event, themes=join_words(single),
                                     min_applications=options.min_applications),
                    body=ctx.render(options.not_yet, event, themes=themes_phrase,
                                    min_applications=options.min_applications),
                )
            )
        return actions

    def _pattern(self, event, found, ctx):
        options = self.options
        by_application = found.by_application
        lines = []
        for application in by_application[: options.max_evidence]:
            date, company, role, text = application.latest
            mentions = application.mentions
            more = f" (and {plural(mentions - 1, 'earlier mention')})" if mentions > 1 else ""
            lines.append(f"- {short_date(date)}, {company}{f' ({role})' if role else ''}: \"{text}\"{more}")
        if len(by_application) > options.max_evidence:
            lines.append(f"- and {plural(len(by_application) - options.max_evidence, 'earlier application')}")
        values = {
            "theme": found.theme,
            "count": found.count,
            "companies": join_words(found.companies),
            "evidence": "\n".join(lines),
        }
        body = ctx.render(options.pattern, event, **values)
        key = focus_key(found.theme, {**DEFAULT_PRACTICE_AREAS, **options.practice_areas})
        now = ctx.event_time(event)
        still_open = [a for a in ctx.journal.actions(status="open", key=key) if a.action.due and a.action.due > now]
        actions = []
        if ctx.journal.actions(status="open", key=key) and not still_open:
            ctx.cancel(key)  # its time is up: a fresh focus with today's evidence replaces it
        run = ctx.rejection_run(event) if event.type == "rejection" else None
        if still_open:
            due = still_open[-1].action.due
            if options.focus_still_open.strip():
                body += "\n\n" + ctx.render(options.focus_still_open, event, theme=found.theme,
                                            due=due.date() if due else "open")
        elif run is not None:
            # a hard run: the pattern is named, the practice can wait
            body += "\n\n" + ctx.render(options.hard_run, event, theme=found.theme, run_nth=ordinal(run.count),
                                        run_count=run.count, run_days=run.days)
        else:
            due = ctx.at_waking_hours(ctx.event_time(event) + dt.timedelta(days=options.focus_days))
            idea = options.practice_ideas.get(found.theme) or DEFAULT_PRACTICE_IDEAS.get(found.theme) or ctx.render(
                options.practice, event, theme=found.theme, due=due.date()
            )
            actions.append(
                coachflow.Action(
                    kind="task",
                    title=render_title(ctx, options, "focus_title", event, due=due.date(), **values),
                    body=ctx.render(options.focus, event, idea=idea, due=due.date(), **values),
                    due=due,
                    key=key,
                )
            )
        title = render_title(ctx, options, "pattern_title", event, theme_title=found.theme[:1].upper() + found.theme[1:],
                           theme=found.theme, count=found.count, companies=values["companies"])
        return [coachflow.Action(kind="insight", title=title, body=body), *actions]


@coachflow.hookimpl
def register_steps(register):
    """Register ``feedback-patterns``."""
    register(FeedbackPatterns)
