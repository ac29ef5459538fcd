"""Turning a :class:`~coachflow.report.build.Report` into Markdown.

Markdown is for pasting into notes or an email to a coach. The sentences
both the Markdown and the HTML report open with live here too, so the two
always say the same thing. (The JSON report is
:func:`coachflow.output.json.report_to_dict`.)
"""

from __future__ import annotations

import datetime as dt

from coachflow.models import STAGES
from coachflow.output.markdown import markdown_escape
from coachflow.report.build import Report, ThemeSummary
from coachflow.terminal import printable
from coachflow.wording import action_label, human_date, human_datetime, milestone_label, plural, position_label

#: How many weeks of the pipeline the Markdown table shows (the latest ones).
MARKDOWN_WEEKS = 26

#: How many pieces of evidence each theme shows.
EVIDENCE_SHOWN = 4


def period_label(report: Report) -> str:
    """The period in words: ``Mon 2 Mar 2026 to Sun 29 Mar 2026``."""
    if report.start == report.end:
        return human_date(report.start)
    return f"{human_date(report.start)} to {human_date(report.end)}"


def report_title(report: Report) -> str:
    """The report's title: ``Job search report for Alex Smith: Mon 2 Mar 2026 to ...``."""
    whose = f" for {report.client_name}" if report.client_name else ""
    return f"Job search report{whose}: {period_label(report)}"


def notes_heading(report: Report) -> str:
    """The heading over the coach's notes: ``From Sam Rivera``, or ``From your coach``."""
    return f"From {report.coach_name or 'your coach'}"


def note_week(day: dt.date) -> str:
    """The week a coach's note is about: ``Week of Mon 16 Nov 2026``."""
    return f"Week of {human_date(day - dt.timedelta(days=day.weekday()))}"


#: What a copy to share says it leaves out, so that nobody reads it as the whole report.
REDACTED_NOTE = ("A copy to share: companies are named Company A, B, and so on; names of people, feedback "
                 "quotes and notes are left out. The numbers are the full report's.")


def summary(report: Report) -> list[str]:
    """The opening sentences: what happened, in plain and calm words, with the run's own tally."""
    from coachflow.progress import tally_sentence

    sentences = []
    if report.applications_sent:
        sentences.append(f"You sent {plural(report.applications_sent, 'application')} in this period.")
    else:
        sentences.append("No applications were recorded in this period; a quiet stretch is part of most searches.")
    if report.numbers.noes or report.numbers.applications:
        # the whole search: the very tally the run quotes; a period: the applications with news in it
        if report.whole_search:
            sentences.append(f"Your numbers so far: {tally_sentence(report.numbers)}.")
        else:
            sentences.append(f"In this period: {tally_sentence(report.numbers, qualifier='with news in it')}.")
    change = report.open_at_end - report.open_at_start
    trend = ""
    if report.open_at_start and change:
        trend = f", {'up' if change > 0 else 'down'} from {report.open_at_start}"
    target = f" (your target is {report.target})" if report.target else ""
    if report.quiet_at_end:
        # the count maintain-momentum asks for more by, so that the numbers visibly agree
        counted = report.open_at_end - report.quiet_at_end
        target = (f", {report.quiet_at_end} of them with no news for over {report.stale_after_days} days"
                  + (f", so {counted} count{'s' if counted == 1 else ''} toward your target of {report.target}"
                     if report.target else ""))
    sentences.append(f"{plural(report.open_at_end, 'application')} {'is' if report.open_at_end == 1 else 'are'} "
                     f"open at the end{trend}{target}.")
    if report.wins:
        sentences.append(f"{plural(report.wins, 'win')} along the way ({wins_phrase(report)}): "
                         "signs the work is landing.")
    else:
        sentences.append(no_wins_sentence(report))
    if report.rejections:
        sentences.append(focus_sentence(report))
    return sentences


def last_win_phrase(report: Report) -> str:
    """``the last was an interview invitation, on Thu 1 Oct 2026`` (no company: the summary is plain text)."""
    last = report.last_win_before
    label = milestone_label(last.kind)
    article = "an" if label[:1].lower() in "aeiou" else "a"
    return f"the last was {article} {label}, on {human_date(last.date)}"


def no_wins_sentence(report: Report) -> str:
    """What the report says of a period without wins: true of the period, with the last win before it."""
    if report.last_win_before is not None:
        return (f"No wins in this period; {last_win_phrase(report)}. A good conversation or a kind word from "
                "a recruiter counts too.")
    if report.whole_search:
        return "No wins recorded yet; a good conversation or a kind word from a recruiter counts too."
    return "No wins in this period; a good conversation or a kind word from a recruiter counts too."


def focus_sentence(report: Report) -> str:
    """Where to focus, drawn only from evidence inside the person's control: a theme that recurred
    across applications (outside causes left out of it), else an area rejection reasons named."""
    reasons = report.reasons
    outside = ""
    if reasons.outside:
        causes = ", ".join(list(reasons.causes)[:3])
        outside = (f"{reasons.outside} of {plural(report.rejections, 'rejection')} came down to causes outside "
                   f"your control ({causes}). ")
    if report.themes:
        top = report.themes[0]
        return (f"{outside}Where to focus: {top.theme}, which came up in "
                f"{plural(len(top.applications), 'application')} ({companies_phrase(top)}).")
    if reasons.focus:
        top = reasons.focus[0]
        named = f" ({', '.join(top.skills)})" if top.skills else ""
        return (f"{outside}Where to focus: {top.area}{named}, named in "
                f"{plural(top.rejections, 'rejection')} ({', '.join(top.companies)}).")
    if reasons.outside:
        return outside + "None of the reasons given points at something to practise."
    return f"{plural(report.rejections, 'rejection')}: information about fit and practice, not a verdict on you."


def shown_evidence(theme: ThemeSummary) -> tuple[list[tuple[dt.date, str, str, str]], int]:
    """The latest mentions of a theme to show, oldest first, and how many more there are."""
    shown = list(theme.evidence[-EVIDENCE_SHOWN:])
    return shown, theme.mentions - len(shown)


def companies_phrase(theme: ThemeSummary, limit: int = 8) -> str:
    """The companies a theme came up at: ``Acme, Beta and 3 more``."""
    companies = list(dict.fromkeys(company for company, _ in theme.applications))
    if len(companies) <= limit:
        return ", ".join(companies)
    return f"{', '.join(companies[:limit])} and {len(companies) - limit} more"


#: Milestone kinds whose counted name is not just the kind with an s.
_WIN_NAMES = {
    "positive-feedback": ("piece of positive feedback", "pieces of positive feedback"),
    "accepted": ("accepted offer", "accepted offers"),
}


def wins_phrase(report: Report) -> str:
    """The wins by kind: ``2 interview invitations, 1 offer``."""
    phrases = []
    for kind, count in report.wins_by_kind.items():
        one, many = _WIN_NAMES.get(kind, (milestone_label(kind), milestone_label(kind) + "s"))
        phrases.append(f"{count} {one if count == 1 else many}")
    return ", ".join(phrases)


def feedback_sentence(report: Report) -> str:
    """Feedback asked for and received, with the honest expectation."""
    asked = plural(report.feedback_requested, "request")
    got = plural(report.feedback_received, "piece")
    return (f"{asked} for feedback drafted, {got} of feedback received. "
            "Most companies don't reply, so every answer is a bonus.")


def overdue_sentence(count: int) -> str:
    """What to do about actions past their due time, without scolding."""
    if count == 1:
        return "1 action is past its due time: do it or mark it done."
    return f"{count} actions are past their due time: do them or mark them done."


def _table(header: list[str], rows: list[list[str]], align: list[str]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---:" if a == "r" else "---" for a in align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def report_to_markdown(report: Report) -> str:
    """The report as Markdown: headings, short tables and lists, no HTML.

    Control characters are shown as escapes (see :mod:`coachflow.terminal`).
    """
    md = markdown_escape
    out = [f"# {md(report_title(report))}", "", " ".join(summary(report)), ""]
    if report.redacted:
        out += [f"*{REDACTED_NOTE}*", ""]
    if report.notes:
        out += [f"## {md(notes_heading(report))}", ""]
        for coach_note in report.notes:
            out += [f"**{note_week(coach_note.day)}**", "", f"> {md(coach_note.text)}", ""]

    out += ["## At a glance", ""]
    out += _table(["", "Count"], [
        ["Applications sent", str(report.applications_sent)],
        ["Open at the start", str(report.open_at_start)],
        ["Open at the end", str(report.open_at_end)],
        ["Wins", str(report.wins)],
        ["Rejections", str(report.rejections)],
        ["Feedback requests drafted", str(report.feedback_requested)],
        ["Feedback received", str(report.feedback_received)],
    ], ["l", "r"])

    out += ["", "## How far applications got", ""]
    if report.applications_sent:
        out += [f"The {plural(report.applications_sent, 'application')} sent in this period, by the furthest "
                f"stage each reached by {human_date(report.end)}.", ""]
        out += _table(["Stage", "Reached", "Ended here with a no"],
                      [[stage.label, str(stage.reached), str(stage.rejected)] for stage in report.funnel],
                      ["l", "r", "r"])
        outcomes = report.outcomes
        out += ["", f"Still open: {outcomes.open}. Rejected: {outcomes.rejected}. "
                    f"Withdrawn: {outcomes.withdrawn}. Accepted: {outcomes.accepted}."]
    else:
        out += ["No applications were sent in this period."]
    if report.rejections:
        by_stage = ", ".join(f"{stage} {report.rejections_by_stage[stage]}" for stage in STAGES
                             if report.rejections_by_stage[stage])
        out += ["", f"Rejections in this period by stage: {by_stage}."]

    out += ["", "## Wins", ""]
    if report.wins:
        out += [wins_phrase(report) + ".", ""]
        for win in report.recent_wins:
            where = position_label(win.company, win.role)
            line = f"- {human_date(win.date)}: {milestone_label(win.kind)}" + (f", {md(where)}" if where else "")
            out.append(line + (f". {md(win.notes)}" if win.notes else ""))
    else:
        out.append("None recorded in this period yet.")

    out += ["", "## Feedback", "", feedback_sentence(report), ""]

    out += ["## Recurring themes", ""]
    if report.themes:
        out += ["Themes that came up in more than one application: patterns to practise, not verdicts.", ""]
        for theme in report.themes:
            shown, more = shown_evidence(theme)
            out += [f"### {md(theme.theme.capitalize())}", "",
                    f"Came up in {plural(len(theme.applications), 'application')} "
                    f"({md(companies_phrase(theme))}), {plural(theme.mentions, 'mention')}:", ""]
            for day, company, role, excerpt in shown:
                out.append(f"- {human_date(day)}, {md(position_label(company, role))}: \u201c{md(excerpt)}\u201d")
            if more:
                out.append(f"- and {more} earlier")
            out.append("")
    else:
        out += ["No theme has come up in more than one application yet.", ""]

    out += ["## Pipeline over time", ""]
    weeks = report.pipeline[-MARKDOWN_WEEKS:]
    if len(report.pipeline) > len(weeks):
        out += [f"The last {len(weeks)} of {len(report.pipeline)} weeks (the JSON report has them all).", ""]
    out += _table(["Week of", "Open at the end", "Sent", "Closed", "Wins"],
                  [[human_date(w.week_start), str(w.open), str(w.applied), str(w.closed), str(w.wins)] for w in weeks],
                  ["l", "r", "r", "r", "r"])

    out += ["", "## Due next", ""]
    if report.overdue:
        out += [overdue_sentence(report.overdue), ""]
    if report.due_next:
        for item in report.due_next:
            label = action_label(item.kind)
            out.append(f"- {human_datetime(item.due)}: **{label}:** {md(item.title)}")
    else:
        out.append("Nothing scheduled.")
    out += ["", f"*Made by coachflow from the journal on {human_datetime(report.generated_at)}.*"]
    return printable("\n".join(out) + "\n")  # what the journal holds may carry terminal escapes
