"""The text format: what a person reads in a terminal.

Grouped, wrapped to the view's width at spaces (never inside a hyphenated
word or a link), labels coloured and emboldened only when the view has a
style. Hints (how to mark an action done, how many events matched) are left
out in a quiet view; a verbose view adds what is usually left out.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, Iterator

from coachflow.models import position
from coachflow.terminal import Shown, join, printable
from coachflow.wording import (
    action_label,
    days_ago,
    human_date,
    human_datetime,
    milestone_label,
    plural,
    shorten,
)

if TYPE_CHECKING:
    from coachflow.models import RunResult
    from coachflow.output import View
    from coachflow.report.views import DueList, History, Status

#: The colour of each action kind's label.
KIND_COLOURS = {"reminder": "yellow", "task": "cyan", "celebration": "green", "insight": "magenta", "draft": "blue"}

#: Where a person records their first application (shown when there is none).
FIRST_APPLICATION = "coachflow run milestone --kind applied --company NAME --role ROLE"


def event_headline(event: Any) -> str:
    """One line naming the event: ``Rejection: Data Analyst at Acme (interview stage), Wed 25 Nov 2026``.

    A milestone about an application names its kind in brackets, as a
    rejection names its stage: ``Milestone: Data Analyst at Acme (applied), ...``.
    """
    what = position(event) or "(no company)"
    if event.type == "rejection":
        detail = f"{what} ({event.stage} stage)"
    elif event.type == "milestone":
        kind = milestone_label(event.kind)
        detail = f"{position(event)} ({kind})" if position(event) else kind
    else:
        detail = what + (f", from {event.source}" if event.source else "")
    return f"{event.type.capitalize()}: {detail}, {human_date(event.date)}"


def _wrap(paragraph: str, width: int) -> list[str]:
    # Lines break at spaces, never at hyphens: "thank-" / "you" reads as two words.
    # Only a word wider than the whole line is cut, so that no line runs on
    # forever (a pasted megabyte still wraps).
    return textwrap.wrap(paragraph, width=width, initial_indent="    ", subsequent_indent="    ",
                         break_on_hyphens=False)


def _lines(lines: list[str]) -> Shown:
    # Plain lines are made printable here; a line with a style in it was put together with
    # terminal.join, which made its other parts printable, and passes as it is.
    return Shown("".join(printable(line) + "\n" for line in lines))


def run(result: "RunResult", view: "View") -> str:
    """A run result: the event, then each action with its label, title, due time and body.

    A verbose view also lists the steps that did not run and the keys of
    cancelled reminders (workflow authors want them; a job seeker reading
    next steps does not).
    """
    paint = view.paint
    lines = [paint(event_headline(result.event), bold=True), ""]
    if not result.actions:
        lines.append("No suggestions from this workflow for this event.")
    for action in result.actions:
        label = action_label(action.kind)
        due = f"  (due {human_datetime(action.due)})" if action.due else ""
        lines.append(join(paint(label + ":", fg=KIND_COLOURS.get(action.kind), bold=True), " ", action.title, due))
        for paragraph in action.body.splitlines():
            lines.extend(_wrap(paragraph, view.width) or [""])
        lines.append("")
    if view.verbose:
        if result.cancelled:
            lines.append(paint(f"Cancelled earlier actions with keys: {', '.join(result.cancelled)}", dim=True))
        for skipped in result.skipped:
            lines.append(paint(f"Skipped {skipped.step}: {skipped.detail}", dim=True))
    for error in result.errors:
        lines.append(paint(f"Step {error.step} failed: {error.error}", fg="red"))
    return Shown(_lines(lines).rstrip() + "\n")


def status(status: "Status", view: "View") -> str:
    """The status: the open applications, the recent counts, feedback and what is due."""
    recent = status.recent
    lines = [view.paint(f"Your search on {human_date(status.today)}", bold=True), ""]
    if status.pipeline:
        lines.append(f"Pipeline: {plural(len(status.pipeline), 'open application')}, oldest first")
        width = min(max(len(position(a)) for a in status.pipeline), 40)
        for application in status.pipeline:
            lines.append(f"  {shorten(position(application), 40):<{width}}  sent {human_date(application.applied)}, "
                         f"{days_ago(application.applied, status.today)}")
    else:
        lines.append(f"Pipeline: no open applications. Record one with: {FIRST_APPLICATION}")
    wins = ", ".join(plural(n, milestone_label(kind)) for kind, n in recent.wins.items())
    lines.append("")
    lines.append(f"Last {plural(status.days, 'day')} (since {human_date(status.since)}): "
                 f"{plural(recent.applications, 'application')} sent, {plural(recent.rejections, 'rejection')}, "
                 + (f"{plural(recent.win_count, 'win')} ({wins})" if recent.win_count else "no wins recorded yet"))
    lines.append(f"Feedback so far: {status.feedback_requested} requested, {status.feedback_received} received")
    if status.due:
        lines.append(f"Due now: {plural(status.due, 'reminder or task', 'reminders and tasks')} "
                     "(see them with: coachflow due)")
    else:
        lines.append("Due now: nothing")
    return _lines(lines)


def action_line(stored: Any, now: Any, id_width: int = 0) -> str:
    """One line for an action from the journal: id, label, title and when it is due."""
    action = stored.action
    when = ""
    if action.due is not None:
        late = (now.date() - action.due.date()).days
        when = f"  (due {human_datetime(action.due)}" + (f", {plural(late, 'day')} ago)" if late > 0 else ")")
    return f"  {'#' + str(stored.id):<{id_width}}  {action_label(action.kind) + ':':<10} {action.title}{when}"


def due(due_list: "DueList", view: "View") -> str:
    """The due list, grouped into due now, coming up and any time, with how to mark one done."""
    if not due_list.actions:
        lines = ["Nothing is due right now." if not due_list.everything else "No open reminders or tasks."]
        if due_list.upcoming is not None:
            lines.append(f"Next:{action_line(due_list.upcoming, due_list.now)[1:]}")
        return _lines(lines)
    id_width = max(len(str(a.id)) for a in due_list.shown) + 1
    lines = []
    groups = due_list.groups()
    for heading, group in groups:
        lines.append(view.paint(f"{heading} ({len(group)})", bold=True))
        lines.extend(action_line(stored, due_list.now, id_width) for stored in group)
    held_back = due_list.held_back
    if held_back:
        lines += ["", f"{held_back} more {'is' if held_back == 1 else 'are'} waiting; they appear here as you finish "
                      "these (coachflow due --format json lists them all)."]
    if not view.quiet:
        lines += ["", view.paint(f"Mark one done with: coachflow done {groups[0][1][0].id}", dim=True)]
    return _lines(lines)


def event_line(event: Any) -> str:
    """One line for an event in a list: when, what happened and to which application."""
    what = position(event)
    if event.type == "rejection":
        label = "Rejection"
        detail = f"{what}, {event.stage} stage" + (f": {shorten(event.reason, 50)}" if event.reason else "")
    elif event.type == "feedback":
        label = "Feedback"
        detail = what + (f", from {event.source}" if event.source else "") + f': "{shorten(event.text, 50)}"'
    else:
        label = milestone_label(event.kind).capitalize()
        detail = what + (f" ({shorten(event.notes, 50)})" if event.notes else "")
    return f"{human_date(event.date):<16} {label:<21} {detail}".rstrip()


def history(history: "History", view: "View") -> Iterator[str]:
    """The events one line each, oldest first, then how many there were."""
    count = 0
    for entry in history.entries:
        yield _lines([event_line(entry.event)])
        count += 1
    if count:
        if not view.quiet:
            yield _lines(["", view.paint(f"{plural(count, 'event')}{' matched' if history.filtered else ''}.",
                                         dim=True)])
    elif history.filtered:
        yield _lines(["No events match."])
    else:
        yield _lines([f"Nothing recorded yet. Start with: {FIRST_APPLICATION}"])


def steps(listing: Any, view: "View") -> str:
    """The step types one line each, or one step type explained with its options."""
    if not listing.explain:
        width = max((len(s.name) for s in listing.steps), default=0)
        lines = [f"{step_type.name.ljust(width)}  {step_type.summary}  [{', '.join(step_type.events)}]"
                 for step_type in listing.steps]
        lines += [f"{conflict.ljust(width)}  unavailable: offered by both {' and '.join(plugins)}"
                  for conflict, plugins in sorted(listing.conflicts.items())]
        if not view.quiet:
            lines += ["", "For a step's options: coachflow steps NAME"]
        return _lines(lines)
    step_type = listing.steps[0]
    paint = view.paint
    lines = [join(paint(step_type.name, bold=True), f"  (from {step_type.plugin}; runs on {', '.join(step_type.events)})"),
             "", *step_type.description.splitlines(), ""]
    options = step_type.options()
    if not options:
        lines.append("This step has no options.")
    for spec in options:
        default = "required" if spec.required else f"default: {show_default(spec.default)}"
        lines.append(join(paint(spec.name, bold=True), f"  ({spec.type_label}; {default})"))
        lines.append(f"    {spec.help}")
        if spec.type_label.endswith("template"):
            lines.append(f"    Placeholders: {', '.join('{' + p + '}' for p in spec.placeholders)}")
    return _lines(lines)


def validate(checked: list[Any], view: "View") -> str:
    """One line for each valid workflow file; the problems of the others are errors, on stderr."""
    return _lines([
        f"{item.file}: ok, {plural(item.cases, 'test case')} for workflow '{item.workflow.name}'" if item.cases is not None
        else f"{item.file}: ok, workflow '{item.workflow.name}' with {plural(len(item.workflow.steps), 'step')}"
        for item in checked if item.workflow is not None])


def done(marked: Any, view: "View") -> str:
    """What ``done`` changed: ``Done: #12 Send the thank-you note``, or that it already was."""
    lines = []
    for stored in marked.actions:
        if stored.id in marked.unchanged:
            lines.append(f"#{stored.id} was already {'open' if marked.undo else 'done'}: {stored.action.title}")
        else:
            lines.append(f"{'Open again' if marked.undo else 'Done'}: #{stored.id} {stored.action.title}")
    return _lines(lines)


def imported(imported: Any, view: "View") -> str:
    """What an import did (or, for a dry run, would do): the counts, and the run's suggestions."""
    result, lines = imported.result, []
    if imported.dry_run:
        lines += [event_line(event) for event in result.added]
        lines += [""] if result.added else []
        lines.append(f"{imported.source}: would add {len(result.added)}, already there {result.already}")
    else:
        lines.append(f"{imported.source}: added {len(result.added)}, already there {result.already}")
    if imported.workflow is not None:
        lines.append(f"{'Would run' if imported.dry_run else 'Ran'} '{imported.workflow}' on "
                     f"{plural(len(result.results), 'new event')}: {plural(imported.suggestions, 'suggestion')}, "
                     f"{imported.due_now} due now" + ("" if imported.dry_run else " (see them with: coachflow due)"))
    if imported.dry_run:
        lines.append(view.paint("Dry run: nothing was written to the journal.", dim=True))
    return _lines(lines)


def paths(paths: Any, view: "View") -> Shown:
    """Where coachflow keeps things, each with a note; with a name, that one path alone (for scripts)."""
    if paths.name is not None:
        found = paths.journal_shown if paths.name == "journal" else {
            "data": paths.data, "profiles": paths.profiles_folder, "workflow": paths.workflow}[paths.name].resolve()
        return _lines([printable(str(found))])
    journal_note = ("  (a practice store; --client names the client)" if paths.on_server else
                    "" if paths.journal_exists else "  (not created yet; 'coachflow run' creates it)")
    profile_note = f"  ({', '.join(paths.profiles)})" if paths.profiles else "  (none yet; --profile NAME starts one)"
    workflow_note = "  (the built-in one; 'coachflow init' writes one to edit)" if paths.built_in else ""
    return _lines([printable(f"{label + ':':<10}{value}{note}") for label, value, note in (
        ("journal", paths.journal_shown, journal_note), ("data", paths.data.resolve(), ""),
        ("profiles", paths.profiles_folder.resolve(), profile_note), ("workflow", paths.workflow.resolve(), workflow_note))])


def clients(clients: list[Any], view: "View") -> Shown:
    """The clients of a practice, one a line: their id, name and coach."""
    if not clients:
        return _lines(["No clients yet. Add one with: coachflow client add NAME"])
    width = max(len(each.id) for each in clients)
    return _lines([f"{each.id.ljust(width)}  {each.display_name}" + (f" (coach: {each.coach})" if each.coach else "")
                   for each in clients])


def client(card: Any, view: "View") -> Shown:
    """One client: their name, where their settings and journal are, and the settings."""
    found = card.client
    return _lines([f"{found.display_name} ({found.id})", f"  settings: {card.settings_file}",
                   f"  journal:  {card.journal}", "",
                   card.settings_text.strip() or "(no settings yet: coachflow client set NAME KEY VALUE)"])


def board(board: Any, view: "View") -> str:
    """The practice board for a terminal (see :func:`coachflow.practice_render.board_to_text`)."""
    from coachflow.practice_render import board_to_text

    return board_to_text(board.rows, board.now)


def digest(digest: Any, view: "View") -> str:
    """A client's week for a terminal (see :func:`coachflow.practice_render.digest_to_text`)."""
    from coachflow.practice_render import digest_to_text

    return digest_to_text(digest)


def tests(results: list[Any], view: "View") -> str:
    """A workflow's test results: each failing case with what it missed, then the count
    (see :func:`coachflow.testing.render.results_to_text`)."""
    from coachflow.testing.render import results_to_text

    return results_to_text(results, style=view.paint)


def preview(preview: Any, view: "View") -> str:
    """Every text a client would read, situation by situation (see
    :func:`coachflow.testing.preview.scenes_to_text`)."""
    from coachflow.testing.preview import scenes_to_text

    return scenes_to_text(preview.scenes, workflow=preview.workflow, now=preview.now, events_file=preview.events_file,
                          reader=preview.reader, style=view.style)


def show_default(value: Any) -> str:
    """An option's default as a workflow file would write it, on one line."""
    if value is None:
        return "not set"
    if isinstance(value, dict):  # a table would span many lines: name its keys; `coachflow init` writes it out
        return "a table of " + ", ".join(map(str, value)) if value else "an empty table"
    try:
        return _inline_toml(value)
    except TypeError:  # a plugin's default that TOML cannot hold (a path, a set): show it as Python does
        return str(value)


def _inline_toml(value: Any) -> str:
    """``value`` as TOML on one line: tomli_w writes a non-empty array one item per line."""
    import tomli_w

    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_inline_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{tomli_w.dumps({key: 0}).partition('=')[0].strip()} = {_inline_toml(item)}"
                               for key, item in value.items()) + "}"
    return tomli_w.dumps({"x": value}).partition("=")[2].strip()


_STATUS_COLOURS = {"ok": {"fg": "green"}, "failed": {"fg": "red", "bold": True}, "disabled": {"fg": "yellow"}}


def _seconds(seconds: float) -> str:
    """An import time as people read it: ``3 ms``, ``2.1 s``."""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def plugins(listing: Any, view: "View") -> Shown:
    """Each plugin: its version and status, where it came from, how long its import took, and
    what it offers or why it failed; for the one plugin asked for, what each step and kind is."""
    host, paint = listing.host, view.paint
    registry = host.registry
    lines: list[str] = []
    for info in listing.plugins:
        version = f" {info.version}" if info.version else ""
        lines.append(join(paint(info.name, bold=True), f"{version}  [",
                          paint(info.status, **_STATUS_COLOURS[info.status]), "]"))
        origin = info.source + (f", distribution {info.distribution}" if info.distribution else "")
        lines.append(f"    from:     {origin}: {info.location}")
        if info.import_seconds is not None:
            lines.append(f"    import:   {_seconds(info.import_seconds)}")
        if info.error:
            lines.append(f"    {'off:  ' if info.status == 'disabled' else 'error:'}    {info.error}")
        if info.status != "ok":
            continue
        lines.append(f"    hooks:    {', '.join(info.hooks) or '(none)'}")
        if info.steps and listing.one:
            lines += [f"    step:     {name}: {registry.steps[name].summary}" if name in registry.steps
                      else f"    step:     {name}" for name in info.steps]
        elif info.steps:
            lines.append(f"    steps:    {', '.join(info.steps)}")
        if info.milestone_kinds and listing.one:
            lines += [f"    kind:     {kind}: {registry.milestone_kinds.get(kind) or '(no description)'}"
                      for kind in info.milestone_kinds]
        elif info.milestone_kinds:
            lines.append(f"    kinds:    {', '.join(info.milestone_kinds)}")
        if info.commands:
            lines.append(f"    commands: {', '.join(info.commands)}")
        if info.command_error:
            lines.append(f"    commands: none, {info.command_error}")
        for step, others in sorted(host.conflicts_of(info.name).items()):
            lines.append(f"    conflict: step '{step}' is offered by both {' and '.join(others)}; neither can be used")
        for step in host.refused_of(info.name):
            lines.append(f"    refused:  step '{step}', a built-in step's name; the built-in one is used")
        for kind in info.refused_kinds:
            lines.append(f"    refused:  milestone kind '{kind}', a built-in kind; the built-in one is used")
    return _lines(lines)


def kinds(listing: Any, view: "View") -> Shown:
    """The milestone kinds, one a line, with what each means."""
    width = max((len(kind) for kind, _ in listing.rows), default=0)
    return _lines([f"{kind:<{width}}  {text}" for kind, text in listing.rows])
