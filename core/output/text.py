"""The text format: what a person reads in a terminal.

Grouped, wrapped to the view's width at spaces (never inside a hyphenated
word or a link), labels coloured and emboldened only when the view has a
style. Hints (how to mark an action done, how many events matched) are left
out in a quiet view; a verbose view adds what is usually left out.

Every text that goes into a line is made printable first
(:func:`coachflow.terminal.printable`): the layout functions are used here
through wrappers that do it, so that a control character in what someone
else wrote is shown and measured as the escape it becomes, and the only
escapes in the result are the view's own styles (a :class:`Shown` text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from coachflow.models import position
from coachflow.output import layout
from coachflow.output.layout import cell_width, reflow
from coachflow.terminal import Shown, printable
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

#: How far the lines under a heading are indented: an action's body, an option's help.
INDENT = "    "

#: Where to look at what a run made due, kept on one line.
SEE_DUE = "(see them with: coachflow due)"

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


def wrap(text: str, width: int, *, keep: Any = (), **indents: str) -> list[str]:
    """:func:`coachflow.output.layout.wrap` of the text made printable."""
    return layout.wrap(printable(text), width, keep=[printable(phrase) for phrase in keep], **indents)


def wrap_text(text: str, width: int, **indents: str) -> list[str]:
    """:func:`coachflow.output.layout.wrap_text` of the text made printable."""
    return layout.wrap_text(printable(text), width, **indents)


def row(cells: Any, columns: Any, width: int, *, keep: Any = (), **options: str) -> list[str]:
    """:func:`coachflow.output.layout.row` of the cells made printable."""
    return layout.row([printable(cell) for cell in cells], columns, width,
                      keep=[printable(phrase) for phrase in keep], **options)


def table(rows: Any, width: int, **options: Any) -> list[str]:
    """:func:`coachflow.output.layout.table` of the cells made printable."""
    return layout.table([[printable(cell) for cell in cells] for cells in rows], width, **options)


def _lines(lines: list[str]) -> Shown:
    # Every line was made of printable text, then styled by the view: pass it on as it is.
    return Shown("".join(line + "\n" for line in lines))


def _painted(text: str, view: "View", *, indent: str = "", **styles: Any) -> list[str]:
    """``text`` wrapped to the view, each line styled on its own (a style never spans a line break)."""
    return [view.paint(line, **styles) for line in wrap_text(text, view.width, subsequent_indent=indent)]


def with_command(text: str, command: str, width: int) -> list[str]:
    """A sentence that ends in a command to type: on one line when it fits, else the command on a
    line of its own, whole, so that it can be copied as it is."""
    joined = f"{text} {command}"
    if cell_width(joined) <= width:
        return [printable(joined)]
    return [*wrap(text, width), printable(f"  {command}")]


def run(result: "RunResult", view: "View") -> str:
    """A run result: the event, then each action with its label, title, due time and body.

    A verbose view also lists the steps that did not run and the keys of
    cancelled reminders (workflow authors want them; a job seeker reading
    next steps does not).
    """
    width = view.width
    day = human_date(result.event.date)
    lines = [*(view.paint(line, bold=True) for line in wrap(event_headline(result.event), width, keep=[day])), ""]
    if not result.actions:
        lines.append("No suggestions from this workflow for this event.")
    for action in result.actions:
        label = action_label(action.kind) + ":"
        when = f"(due {human_datetime(action.due)})" if action.due else ""
        head = f"{label} {action.title}" + (f"  {when}" if when else "")
        first, *rest = wrap(head, width, subsequent_indent=INDENT, keep=[when])
        lines.append(view.paint(label, fg=KIND_COLOURS.get(action.kind), bold=True) + first[len(label):])
        lines.extend(rest)
        for paragraph in action.body.splitlines():
            lines.extend(wrap(paragraph, width, indent=INDENT))
        lines.append("")
    if view.verbose:
        if result.cancelled:
            lines += _painted(f"Cancelled earlier actions with keys: {', '.join(result.cancelled)}", view,
                              indent=INDENT, dim=True)
        if result.completed:
            lines += _painted(f"Marked done, answered by this event: {', '.join(result.completed)}", view,
                              indent=INDENT, dim=True)
        if result.missed:
            lines += _painted(f"Marked missed, long past their time: {'; '.join(result.missed)}", view,
                              indent=INDENT, dim=True)
        for skipped in result.skipped:
            lines += _painted(f"Skipped {skipped.step}: {skipped.detail}", view, indent=INDENT, dim=True)
    for error in result.errors:
        lines += _painted(f"Step {error.step} failed: {error.error}", view, indent=INDENT, fg="red")
    return Shown("\n".join(lines).rstrip() + "\n")


def status(status: "Status", view: "View") -> str:
    """The status: the open applications, the recent counts, feedback and what is due."""
    width, recent = view.width, status.recent
    lines = [*_painted(f"Your search on {human_date(status.today)}", view, bold=True), ""]
    if status.pipeline:
        lines += wrap(f"Pipeline: {plural(len(status.pipeline), 'open application')}, oldest first"
                      + _counting(status), width, subsequent_indent="  ")
        rows = [[position(a), f"sent {human_date(a.applied)}, {days_ago(a.applied, status.today)}"]
                for a in status.pipeline]
        lines += table(rows, width, indent="  ", caps=(40,))
    else:
        lines += with_command("Pipeline: no open applications. Record one with:", FIRST_APPLICATION, width)
    wins = ", ".join(plural(n, milestone_label(kind)) for kind, n in status.wins.items())
    lines.append("")
    lines += wrap(f"Last {plural(status.days, 'day')} (since {human_date(status.since)}): "
                  f"{plural(recent.applications, 'application')} sent, {plural(recent.rejections, 'rejection')}, "
                  + (f"{plural(status.win_count, 'win')} ({wins})" if status.win_count else _no_wins(status)),
                  width, subsequent_indent="  ")
    lines += wrap(f"Feedback so far: {status.feedback_requested} requested, {status.feedback_received} received",
                  width, subsequent_indent="  ")
    if status.due:
        lines += wrap(f"Due now: {plural(status.due, 'reminder or task', 'reminders and tasks')} {SEE_DUE}", width,
                      subsequent_indent="  ", keep=[SEE_DUE])
    else:
        lines.append("Due now: nothing")
    return _lines(lines)


def _counting(status: "Status") -> str:
    """How many of the open applications count toward the target, when some have gone quiet
    (the count ``maintain-momentum`` asks for more by)."""
    if not status.quiet:
        return ""
    counted = len(status.pipeline) - status.quiet
    text = f"; {status.quiet} with no news for over {status.stale_after_days} days"
    if status.target is not None:
        text += f", so {counted} count{'s' if counted == 1 else ''} toward your target of {status.target}"
    return text


def _no_wins(status: "Status") -> str:
    """What the status says when its days hold no win: true for the window, with the last one before it."""
    last = status.last_win
    if last is None:
        return "no wins recorded yet"
    window = "today" if status.days == 1 else f"in these {status.days} days"
    return (f"no wins {window} (the last: {milestone_label(last.kind)}"
            + (f" at {last.company}" if last.company else "") + f", {human_date(last.date)})")


def _when(stored: Any, now: Any) -> str:
    """When an action is due, in brackets, with how late it is: ``(due Sun 15 Mar 2026, 10:00, 1 day ago)``."""
    due = stored.action.due
    if due is None:
        return ""
    late = (now.date() - due.date()).days
    return f"(due {human_datetime(due)}" + (f", {plural(late, 'day')} ago)" if late > 0 else ")")


def _action_row(stored: Any, now: Any, columns: list[int], width: int, indent: str) -> list[str]:
    when = _when(stored, now)
    cells = [f"#{stored.id}", action_label(stored.action.kind) + ":", stored.action.title + (f"  {when}" if when else "")]
    # the whole "(due ...)" stays on one line if it can; else at least its date and time do
    moment = [f"(due {human_datetime(stored.action.due)}", human_datetime(stored.action.due)] if when else []
    return row(cells, columns, width, indent=indent, gap=" ", keep=[when, *moment])


def _action_columns(actions: list[Any]) -> list[int]:
    # one set of columns for the whole list, so that the titles line up from group to group
    return [max(len(f"#{a.id}") for a in actions) + 1,
            max(10, *(cell_width(action_label(a.action.kind) + ":") for a in actions))]


def due(due_list: "DueList", view: "View") -> str:
    """The due list, grouped into due now, coming up and any time, with how to mark one done.

    A verbose view adds each action's details and the step it came from.
    """
    width, now = view.width, due_list.now
    lapsed = _lapsed_line(due_list, width)
    if not due_list.actions:
        lines = ["Nothing is due right now." if not due_list.everything else "No open reminders or tasks."]
        if due_list.upcoming is not None:
            lines += _action_row(due_list.upcoming, now, _action_columns([due_list.upcoming]), width, "Next: ")
        return _lines(lines + lapsed)
    columns = _action_columns(due_list.shown)
    margin = " " * (2 + columns[0] + 1 + columns[1] + 1)  # where the titles start
    lines = []
    groups = due_list.groups()
    for heading, group in groups:
        lines += _painted(f"{heading} ({len(group)})", view, bold=True)
        for stored in group:
            lines += _action_row(stored, now, columns, width, "  ")
            if view.verbose:
                for paragraph in [*stored.action.body.splitlines(), f"(from step {stored.action.step})"]:
                    lines += wrap(paragraph, width, indent=margin)
    held_back = due_list.held_back
    if held_back:
        lines += ["", *wrap(f"{held_back} more {'is' if held_back == 1 else 'are'} waiting; they appear here as you "
                            "finish these (coachflow due --format json lists them all).", width)]
    lines += lapsed
    if not view.quiet:
        lines += ["", *_painted(f"Mark one done with: coachflow done {groups[0][1][0].id}", view, dim=True)]
    return _lines(lines)


def _lapsed_line(due_list: "DueList", width: int) -> list[str]:
    """A word on the open items left out because their time long passed, or nothing."""
    count = len(due_list.lapsed)
    if not count:
        return []
    older = plural(count, "older item")
    return ["", *wrap(f"{older} {'has' if count == 1 else 'have'} lapsed and {'is' if count == 1 else 'are'} "
                      "not listed: there is nothing to catch up on.", width)]


#: The columns of a history line: the date, then what happened (each followed by :data:`HISTORY_GAP`).
HISTORY_COLUMNS = (15, 20)

#: Between the cells of a history line, even after one that fills or overflows its column
#: (a workflow's own kind, "Networking introduction"), so the columns never run together.
HISTORY_GAP = "  "


def event_cells(event: Any, *, whole: bool = False) -> list[str]:
    """An event in a list, as cells: when, what happened, and to which application.

    :param whole: give the reason, text or notes in full rather than shortened.
    """
    what = position(event)
    short = (lambda text, width: " ".join(text.split())) if whole else shorten
    if event.type == "rejection":
        label = "Rejection"
        detail = f"{what}, {event.stage} stage" + (f": {short(event.reason, 50)}" if event.reason else "")
    elif event.type == "feedback":
        label = "Feedback"
        detail = what + (f", from {event.source}" if event.source else "") + f': "{short(event.text, 50)}"'
    else:
        label = milestone_label(event.kind).capitalize()
        detail = what + (f" ({short(event.notes, 50)})" if event.notes else "")
    return [human_date(event.date), label, detail]


def history(history: "History", view: "View") -> Iterator[str]:
    """The events one line each (wrapped when long), oldest first, then how many there were.

    A verbose view adds each event's id and gives its texts in full. Lines
    are written as the events are read, so a long history starts at once.
    """
    count = 0
    for entry in history.entries:
        cells = event_cells(entry.event, whole=view.verbose)
        if view.verbose:
            cells[-1] += f"  [#{entry.id}]"
        yield _lines(row(cells, HISTORY_COLUMNS, view.width, gap=HISTORY_GAP))
        count += 1
    if count:
        if not view.quiet:
            yield _lines(["", *_painted(f"{plural(count, 'event')}{' matched' if history.filtered else ''}.",
                                        view, dim=True)])
    elif history.filtered:
        yield _lines(["No events match."])
    else:
        yield _lines(with_command("Nothing recorded yet. Start with:", FIRST_APPLICATION, view.width))


def steps(listing: Any, view: "View") -> str:
    """The step types one line each, or one step type explained with its options.

    A verbose list adds the plugin each step comes from.
    """
    width, paint = view.width, view.paint
    if not listing.explain:
        rows = [[step_type.name, f"{step_type.summary}  [{', '.join(step_type.events)}]"
                 + (f"  from {step_type.plugin}" if view.verbose else "")] for step_type in listing.steps]
        rows += [[conflict, f"unavailable: offered by both {' and '.join(plugins)}"]
                 for conflict, plugins in sorted(listing.conflicts.items())]
        lines = table(rows, width)
        if not view.quiet:
            lines += ["", "For a step's options: coachflow steps NAME"]
        return _lines(lines)
    step_type = listing.steps[0]
    head = f"{step_type.name}  (from {step_type.plugin}; runs on {', '.join(step_type.events)})"
    first, *rest = wrap(head, width, subsequent_indent=INDENT)
    lines = [paint(step_type.name, bold=True) + first[len(step_type.name):], *rest, ""]
    lines += [*wrap_text(reflow(step_type.description), width), ""]
    options = step_type.options()
    if not options:
        lines.append("This step has no options.")
    for spec in options:
        default = "required" if spec.required else f"default: {show_default(spec.default)}"
        first, *rest = wrap(f"{spec.name}  ({spec.type_label}; {default})", width, subsequent_indent=INDENT)
        lines += [paint(spec.name, bold=True) + first[len(spec.name):], *rest]
        lines += wrap(spec.help, width, indent=INDENT)
        if spec.type_label.endswith("template"):
            lines += wrap(f"Placeholders: {', '.join('{' + p + '}' for p in spec.placeholders)}", width,
                          indent=INDENT, subsequent_indent=INDENT + "  ")
    return _lines(lines)


def validate(checked: list[Any], view: "View") -> str:
    """One line for each valid workflow file or test file (the problems of the others are errors, on stderr).

    A verbose view lists each valid workflow's steps; a quiet one says nothing.
    """
    if view.quiet:
        return ""
    lines = []
    for item in checked:
        if item.workflow is None:
            continue
        if item.cases is not None:
            lines.append(printable(f"{item.file}: ok, {plural(item.cases, 'test case')} for workflow "
                                   f"'{item.workflow.name}'"))
            continue
        steps = item.workflow.steps
        lines.append(printable(f"{item.file}: ok, workflow '{item.workflow.name}' with {plural(len(steps), 'step')}"))
        if view.verbose:
            lines += [line for index, step in enumerate(steps, 1)
                      for line in wrap(f"{index}. {step.id} ({step.uses}), on {', '.join(step.on)}", view.width,
                                       indent="  ", subsequent_indent="     ")]
    return _lines(lines)


def done(marked: Any, view: "View") -> str:
    """What ``done`` changed: ``Done: #12 Send the thank-you note``, or that it already was.

    A verbose view adds each action's details; a quiet one says nothing.
    """
    if view.quiet:
        return ""
    lines = []
    for stored in marked.actions:
        if stored.id in marked.unchanged:
            line = f"#{stored.id} was already {'open' if marked.undo else 'done'}: {stored.action.title}"
        else:
            line = f"{'Open again' if marked.undo else 'Done'}: #{stored.id} {stored.action.title}"
        lines += wrap(line, view.width, subsequent_indent=INDENT)
        if view.verbose:
            lines += wrap_text(stored.action.body, view.width, indent=INDENT) if stored.action.body.strip() else []
    return _lines(lines)


def imported(imported: Any, view: "View") -> str:
    """What an import did (or, for a dry run, would do): the counts, and the run's suggestions.

    A dry run, or a verbose view, lists the events added; a quiet view says nothing.
    """
    if view.quiet:
        return ""
    result, lines, width = imported.result, [], view.width
    if imported.dry_run or view.verbose:
        lines += [line for event in result.added
                  for line in row(event_cells(event), HISTORY_COLUMNS, width, gap=HISTORY_GAP)]
        lines += [""] if result.added else []
    verb = "would add" if imported.dry_run else "added"
    lines.append(printable(f"{imported.source}: {verb} {len(result.added)}, already there {result.already}"))
    if imported.workflow is not None:
        lines += wrap(f"{'Would run' if imported.dry_run else 'Ran'} '{imported.workflow}' on "
                      f"{plural(len(result.results), 'new event')}: {plural(imported.suggestions, 'suggestion')}, "
                      f"{imported.due_now} due now" + ("" if imported.dry_run else f" {SEE_DUE}"),
                      width, subsequent_indent="  ", keep=[SEE_DUE])
    if imported.dry_run:
        lines += _painted("Dry run: nothing was written to the journal.", view, dim=True)
    return _lines(lines)


def paths(paths: Any, view: "View") -> Shown:
    """Where coachflow keeps things, each with a note; with a name, that one path alone (for scripts).

    A verbose view lists each profile's journal; a quiet one leaves out the notes.
    """
    if paths.name is not None:
        found = paths.journal_shown if paths.name == "journal" else {
            "data": paths.data, "profiles": paths.profiles_folder, "workflow": paths.workflow}[paths.name].resolve()
        return _lines([printable(str(found))])
    journal_note = ("  (a practice store; --client names the client)" if paths.on_server else
                    "" if paths.journal_exists else "  (not created yet; 'coachflow run' creates it)")
    profile_note = f"  ({', '.join(paths.profiles)})" if paths.profiles else "  (none yet; --profile NAME starts one)"
    workflow_note = "  (the built-in one; 'coachflow init' writes one to edit)" if paths.built_in else ""
    lines = []
    for label, value, note in (("journal", paths.journal_shown, journal_note), ("data", paths.data.resolve(), ""),
                               ("profiles", paths.profiles_folder.resolve(), profile_note),
                               ("workflow", paths.workflow.resolve(), workflow_note)):
        # a path is never wrapped, so that it can be copied whole; the notes are left out with --quiet
        lines.append(printable(f"{label + ':':<10}{value}" + ("" if view.quiet else note)))
        if label == "profiles" and view.verbose:
            lines += [printable(f"  {name + ':':<8}{file.resolve()}") for name, file in paths.profiles.items()]
    return _lines(lines)


def clients(clients: list[Any], view: "View") -> Shown:
    """The clients of a practice, one a line: their id, then their name and coach
    (or that they have no settings yet: a profile a run started)."""
    if not clients:
        return _lines(with_command("No clients yet. Add one with:", "coachflow client add NAME", view.width))
    return _lines(table([[each.client.id, each.client.display_name
                          + (f" (coach: {each.client.coach})" if each.client.coach else "")
                          + ("" if each.has_settings else
                             f" (no settings yet; coachflow client edit {each.client.id} adds them)")]
                         for each in clients], view.width))


def client(card: Any, view: "View") -> Shown:
    """One client: their name, where their settings and journal are, and the settings (as their file has them)."""
    found = card.client
    lines = [*wrap(f"{found.display_name} ({found.id})", view.width),
             printable(f"  settings: {card.settings_file}"), printable(f"  journal:  {card.journal}"), ""]
    text = card.settings_text.strip()
    lines += [printable(line) for line in text.splitlines()] if text else wrap(
        "(no settings yet: coachflow client set NAME KEY VALUE)", view.width)
    return _lines(lines)


def board(board: Any, view: "View") -> Shown:
    """The practice board for a terminal (see :func:`coachflow.practice_render.board_to_text`)."""
    from coachflow.practice_render import board_to_text

    return Shown(printable(board_to_text(board.rows, board.now)))


def digest(digest: Any, view: "View") -> Shown:
    """A client's week for a terminal (see :func:`coachflow.practice_render.digest_to_text`)."""
    from coachflow.practice_render import digest_to_text

    return Shown(printable(digest_to_text(digest)))


def tests(results: list[Any], view: "View") -> str:
    """A workflow's test results: each case, ok or what it missed, then the count
    (see :func:`coachflow.testing.render.results_to_text`).

    A quiet view lists the failing cases only (nothing when all pass); a
    verbose one adds the actions each passing case got.
    """
    from coachflow.testing.render import result_lines, results_to_text, summary_line

    if view.quiet:
        return _lines([line for result in results if not result.passed
                       for line in result_lines(result, style=view.paint)])
    if not view.verbose:
        return results_to_text(results, style=view.paint)
    lines: list[str] = []
    current = None
    for result in results:
        if result.tests is not current:  # a heading for each file, as the usual output has
            current = result.tests
            lines.append(view.paint(printable(str(current.path)), bold=True)
                         + printable(f"  (workflow '{current.workflow.name}', {plural(len(current.cases), 'case')})"))
        lines += result_lines(result, style=view.paint)
        if result.passed:
            lines += [printable(f"          {action.step}, {action.kind}: {action.title}") for action in result.actions]
    passed = all(result.passed for result in results)
    return _lines([*lines, "", view.paint(summary_line(results), fg="green" if passed else "red", bold=True)])


def preview(preview: Any, view: "View") -> str:
    """Every text a client would read, situation by situation (see
    :func:`coachflow.testing.preview.scenes_to_text`)."""
    from coachflow.testing.preview import scenes_to_text

    return scenes_to_text(preview.scenes, workflow=preview.workflow, now=preview.now, events_file=preview.events_file,
                          reader=preview.reader, style=view.style, width=view.width)


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

#: The width of the labels of ``coachflow plugins`` (``from:``, ``commands:``).
_PLUGIN_LABELS = (9,)


def _seconds(seconds: float) -> str:
    """An import time as people read it: ``3 ms``, ``2.1 s``."""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def plugins(listing: Any, view: "View") -> Shown:
    """Each plugin: its version and status, where it came from, how long its import took, and
    what it offers or why it failed.

    For the one plugin asked for (``plugins NAME``), or in a verbose view, each
    step and kind with what it is.
    """
    host, width = listing.host, view.width
    registry = host.registry
    detailed = listing.one or view.verbose
    lines: list[str] = []

    def field(label: str, text: str) -> None:
        lines.extend(row([label, text], _PLUGIN_LABELS, width, indent=INDENT, gap=" "))

    for info in listing.plugins:
        version = f" {info.version}" if info.version else ""
        state = view.paint(info.status, **_STATUS_COLOURS[info.status])
        lines.append(view.paint(info.name, bold=True) + printable(version) + f"  [{state}]")
        origin = info.source + (f", distribution {info.distribution}" if info.distribution else "")
        field("from:", f"{origin}: {info.location}")
        if info.import_seconds is not None:
            field("import:", _seconds(info.import_seconds))
        if info.error:
            field("off:" if info.status == "disabled" else "error:", info.error)
        if info.status != "ok":
            continue
        field("hooks:", ", ".join(info.hooks) or "(none)")
        if info.steps and detailed:
            for name in info.steps:
                field("step:", f"{name}: {registry.steps[name].summary}" if name in registry.steps else name)
        elif info.steps:
            field("steps:", ", ".join(info.steps))
        if info.milestone_kinds and detailed:
            for kind in info.milestone_kinds:
                field("kind:", f"{kind}: {registry.milestone_kinds.get(kind) or '(no description)'}")
        elif info.milestone_kinds:
            field("kinds:", ", ".join(info.milestone_kinds))
        if info.commands:
            field("commands:", ", ".join(info.commands))
        if info.command_error:
            field("commands:", f"none, {info.command_error}")
        for step, others in sorted(host.conflicts_of(info.name).items()):
            field("conflict:", f"step '{step}' is offered by both {' and '.join(others)}; neither can be used")
        for step in host.refused_of(info.name):
            field("refused:", f"step '{step}', a built-in step's name; the built-in one is used")
        for kind in info.refused_kinds:
            field("refused:", f"milestone kind '{kind}', a built-in kind; the built-in one is used")
    return _lines(lines)


def kinds(listing: Any, view: "View") -> Shown:
    """The milestone kinds, one a line, with what each means (wrapped under its column)."""
    return _lines(table([list(pair) for pair in listing.rows], view.width))
