"""The JSON format: one document for programs, indented for reading.

The shapes are documented in the README (a run), docs/journal.md (status,
due, history) and docs/reports.md (the report); the ``*_to_dict`` functions
give them as plain data for programs that embed coachflow.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any, Iterator

import attrs

from coachflow.models import action_to_dict, event_to_dict

if TYPE_CHECKING:
    from coachflow.models import RunResult
    from coachflow.output import StepList, View
    from coachflow.report.build import Report
    from coachflow.report.views import DueList, History, Status


def _document(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def result_to_dict(result: "RunResult") -> dict[str, Any]:
    """A run result: the event, the workflow, the actions, the steps that ran, were skipped or failed."""
    return {
        "event": event_to_dict(result.event),
        "event_id": result.event_id,
        "workflow": result.workflow,
        "actions": [action_to_dict(a) for a in result.actions],
        "ran": list(result.ran),
        "skipped": [{"step": s.step, "uses": s.uses, "reason": s.reason, "detail": s.detail} for s in result.skipped],
        "errors": [{"step": e.step, "uses": e.uses, "error": e.error} for e in result.errors],
        "cancelled": list(result.cancelled),
        "completed": list(result.completed),
        "missed": list(result.missed),
    }


def run(result: "RunResult", view: "View") -> str:
    """A run result as one object (see :func:`result_to_dict`)."""
    return _document(result_to_dict(result))


def status_to_dict(status: "Status") -> dict[str, Any]:
    """The status: today, the open applications, the recent counts, feedback and how much is due."""
    today, recent = status.today, status.recent
    return {
        "today": today.isoformat(),
        "pipeline": [{"company": a.company, "role": a.role, "applied": a.applied.isoformat(),
                      "age_days": a.age_days(today), "event_id": a.event_id} for a in status.pipeline],
        "recent": {"days": status.days, "since": status.since.isoformat(), "until": today.isoformat(),
                   "applications": recent.applications, "rejections": recent.rejections,
                   "feedback": recent.feedback, "wins": status.wins, "win_count": status.win_count,
                   # with no win in these days, the latest one before them (null when there is none)
                   "last_win_before": ({"date": status.last_win.date.isoformat(), "kind": status.last_win.kind,
                                        "company": status.last_win.company, "role": status.last_win.role}
                                       if status.last_win is not None else None)},
        "feedback": {"requested": status.feedback_requested, "received": status.feedback_received},
        "due": status.due,
        # open applications with no news for over maintain-momentum's stale_after_days: not counted toward the target
        "counting": {"quiet": status.quiet, "stale_after_days": status.stale_after_days, "target": status.target},
    }


def status(status: "Status", view: "View") -> str:
    """The status as one object (see :func:`status_to_dict`)."""
    return _document(status_to_dict(status))


def stored_action_to_dict(stored: Any) -> dict[str, Any]:
    """An action from the journal: its id, status and event, then the action's own fields."""
    return {
        "id": stored.id,
        "event_id": stored.event_id,
        "workflow": stored.workflow,
        "status": stored.status,
        "created_at": stored.created_at.isoformat(),
        "done_at": stored.done_at.isoformat() if stored.done_at else None,
        **action_to_dict(stored.action),
    }


def due(due_list: "DueList", view: "View") -> str:
    """The listed actions as an array (see :func:`stored_action_to_dict`)."""
    return _document([stored_action_to_dict(stored) for stored in due_list.actions])


def entry_to_dict(entry: Any) -> dict[str, Any]:
    """An event from the journal: its id, the event's fields, when it was recorded, which workflows ran on it."""
    return {"id": entry.id, **event_to_dict(entry.event), "recorded_at": entry.recorded_at.isoformat(),
            "workflows": list(entry.workflows)}


def history(history: "History", view: "View") -> Iterator[str]:
    """The events as an array, one per line, written as they are read (a long history streams)."""
    count = 0
    yield "["
    for entry in history.entries:
        yield ("," if count else "") + "\n  " + json.dumps(entry_to_dict(entry), ensure_ascii=False)
        count += 1
    yield "\n]\n" if count else "]\n"


def step_to_dict(step_type: Any) -> dict[str, Any]:
    """A step type: its name, plugin, events, summary, description and options."""
    from coachflow.workflow import converter

    return {
        "name": step_type.name,
        "plugin": step_type.plugin,
        "events": list(step_type.events),
        "summary": step_type.summary,
        "description": step_type.description,
        "options": [
            {
                "name": spec.name,
                "type": spec.type_label,
                "required": spec.required,
                "default": None if spec.required else converter().unstructure(spec.default),
                "help": spec.help,
                "placeholders": list(spec.placeholders) if spec.type_label.endswith("template") else [],
            }
            for spec in step_type.options()
        ],
    }


def steps(listing: "StepList", view: "View") -> str:
    """The step types as an array (see :func:`step_to_dict`)."""
    return _document([step_to_dict(step_type) for step_type in listing.steps])


def plugin_to_dict(info: Any, conflicts: dict[str, list[str]], refused: list[str] = ()) -> dict[str, Any]:
    """One plugin: where it came from, whether it loaded (and how long its import took), what it offers.

    :param conflicts: step name -> the plugins that both offer it.
    :param refused: the step names it offered that belong to built-in steps.
    """
    return {
        "name": info.name,
        "version": info.version,
        "source": info.source,
        "location": info.location,
        "distribution": info.distribution,
        "status": info.status,
        "error": info.error,
        "hooks": list(info.hooks),
        "steps": list(info.steps),
        "milestone_kinds": list(info.milestone_kinds),
        "commands": list(info.commands),
        "command_error": info.command_error,
        "declared_commands": list(info.declared_commands),
        "import_seconds": None if info.import_seconds is None else round(info.import_seconds, 4),
        "refused_kinds": list(info.refused_kinds),
        "conflicts": [{"step": step, "plugins": list(plugins)} for step, plugins in sorted(conflicts.items())],
        "refused_steps": list(refused),
    }


def plugins(listing: Any, view: "View") -> str:
    """The plugins as an array, or the one asked for as an object (see :func:`plugin_to_dict`)."""
    host = listing.host
    found = [plugin_to_dict(info, host.conflicts_of(info.name), host.refused_of(info.name))
             for info in listing.plugins]
    return _document(found[0] if listing.one else found)


def kinds(listing: Any, view: "View") -> str:
    """The milestone kinds: each one's description, whether it is a win, the plugin that adds it,
    and the workflow file that declares it (``-w``)."""
    registry, workflow = listing.registry, listing.workflow
    kinds = workflow.kinds(registry) if workflow is not None else registry.milestone_kinds
    is_win = workflow.is_win if workflow is not None else registry.is_win
    declared = workflow.milestone_kinds if workflow is not None else {}
    return _document([{"kind": kind, "description": description, "win": is_win(kind),
                       "plugin": registry.kind_plugins.get(kind),
                       "workflow": workflow.source if kind in declared else None}
                      for kind, description in kinds.items()])


def problem_to_dict(problem: Any) -> dict[str, Any]:
    """A problem in a workflow file: its line and column, its key path (steps counted from 1) and JSON
    Pointer (counted from 0, as JSON Schema validators count), the message and the text shown."""
    from coachflow.workflow import json_pointer

    return {"line": problem.line, "column": problem.column, "path": problem.path,
            "pointer": json_pointer(problem.path), "message": problem.message, "text": problem.text}


def validate(checked: list[Any], view: "View") -> str:
    """Each file checked: whether it is valid, its workflow and step count, or its problems."""
    found = []
    for item in checked:
        data = {"file": item.file, "valid": item.workflow is not None,
                "workflow": item.workflow.name if item.workflow is not None else None,
                "steps": len(item.workflow.steps) if item.workflow is not None and item.cases is None else None}
        if item.cases is not None:  # a test file: how many cases, when it could be read
            data["cases"] = item.cases if item.workflow is not None else None
        found.append({**data, "problems": [problem_to_dict(problem) for problem in item.problems]})
    return _document(found)


def done(marked: Any, view: "View") -> str:
    """The actions as ``due`` gives them, each with ``changed``: false when it already had that status."""
    return _document([{**stored_action_to_dict(stored), "changed": stored.id not in marked.unchanged}
                      for stored in marked.actions])


def imported(imported: Any, view: "View") -> str:
    """What an import added (or would add), the columns it left out or kept in notes, and the run."""
    result, parsed = imported.result, imported.parsed
    run = None
    if imported.workflow is not None:
        run = {"workflow": imported.workflow, "events": len(result.results), "suggestions": imported.suggestions,
               "due_now": imported.due_now,
               "errors": [{"event": event_to_dict(r.event), "step": e.step, "error": e.error}
                          for r in result.results for e in r.errors]}
    return _document({
        "file": imported.source,
        "format": parsed.format,
        "dry_run": imported.dry_run,
        "added": len(result.added),
        "already_there": result.already,
        "columns_left_out": list(parsed.columns_left_out),
        "columns_in_notes": list(parsed.columns_in_notes),
        "events": [event_to_dict(event) for event in result.added],
        "run": run,
    })


def paths(paths: Any, view: "View") -> str:
    """Where coachflow keeps things; with a name, only that one's keys."""
    data = {
        "journal": paths.journal_shown, "journal_exists": paths.journal_exists,
        "data": str(paths.data.resolve()),
        "profiles": {name: str(file.resolve()) for name, file in paths.profiles.items()},
        "workflow": str(paths.workflow.resolve()), "workflow_is_built_in": paths.built_in,
    }
    keys = {"journal": ("journal", "journal_exists"), "data": ("data",), "profiles": ("profiles",),
            "workflow": ("workflow", "workflow_is_built_in")}.get(paths.name or "", tuple(data))
    return _document({key: data[key] for key in keys})


def clients(clients: list[Any], view: "View") -> str:
    """The clients of a practice: each one's id, name and coach, and whether they have settings of their own."""
    return _document([{"id": each.client.id, "name": each.client.display_name, "coach": each.client.coach,
                       "has_settings": each.has_settings} for each in clients])


def client(card: Any, view: "View") -> str:
    """One client: their settings, and where their settings file and journal are."""
    from coachflow.clients import SETTING_KEYS

    found = card.client
    return _document({"id": found.id, **{key: getattr(found, key) for key in SETTING_KEYS},
                      "settings_file": str(card.settings_file), "journal": str(card.journal)})


def board(board: Any, view: "View") -> str:
    """The practice board (see :func:`coachflow.practice_render.board_to_json`)."""
    from coachflow.practice_render import board_to_json

    return board_to_json(board.rows, board.now)


def tests(results: list[Any], view: "View") -> str:
    """A workflow's test results (see :func:`coachflow.testing.render.results_to_json`)."""
    from coachflow.testing.render import results_to_json

    return results_to_json(results) + "\n"


def report_to_dict(report: "Report") -> dict[str, Any]:
    """Plain data for a report; dates as ISO strings (keys: see ``docs/reports.md``)."""
    return {
        "period": {"start": report.start.isoformat(), "end": report.end.isoformat()},
        "generated_at": report.generated_at.isoformat(timespec="minutes"),
        "client": ({"id": report.client_id, "name": report.client_name, "coach": report.coach_name or None}
                   if report.client_id else None),
        "notes": [{"day": note.day.isoformat(),
                   "week_start": (note.day - dt.timedelta(days=note.day.weekday())).isoformat(), "text": note.text}
                  for note in report.notes],
        "redacted": report.redacted,
        "applications": {
            "sent": report.applications_sent,
            "open_at_start": report.open_at_start,
            "open_at_end": report.open_at_end,
            # of those, with no news for over maintain-momentum's stale_after_days: not counted toward the target
            "quiet_at_end": report.quiet_at_end,
            "outcomes": attrs.asdict(report.outcomes),
        },
        "funnel": [attrs.asdict(stage) for stage in report.funnel],
        "rejections": {"total": report.rejections, "by_stage": dict(report.rejections_by_stage)},
        "wins": {
            "total": report.wins,
            "by_kind": dict(report.wins_by_kind),
            "recent": [
                {"date": win.date.isoformat(), "kind": win.kind, "company": win.company, "role": win.role,
                 "notes": win.notes}
                for win in report.recent_wins
            ],
            # with no win in the period, the latest one before it (null when there is none)
            "last_before": ({"date": report.last_win_before.date.isoformat(), "kind": report.last_win_before.kind,
                             "company": report.last_win_before.company, "role": report.last_win_before.role}
                            if report.last_win_before is not None else None),
        },
        "feedback": {"requested": report.feedback_requested, "received": report.feedback_received},
        "themes": [
            {
                "theme": theme.theme,
                "applications": [{"company": company, "role": role} for company, role in theme.applications],
                "mentions": theme.mentions,
                "evidence": [
                    {"date": day.isoformat(), "company": company, "role": role, "excerpt": excerpt}
                    for day, company, role, excerpt in theme.evidence
                ],
            }
            for theme in report.themes
        ],
        "pipeline": [
            {"week_start": week.week_start.isoformat(), "open": week.open, "applied": week.applied,
             "closed": week.closed, "wins": week.wins}
            for week in report.pipeline
        ],
        "numbers": {"applications": report.numbers.applications, "noes": report.numbers.noes,
                    "interviews": report.numbers.interviews, "offers": report.numbers.offers,
                    "whole_search": report.whole_search},
        "target": report.target,
        "reasons": {
            "outside": report.reasons.outside, "inside": report.reasons.inside,
            "unclear": report.reasons.unclear, "none": report.reasons.none,
            "causes": dict(report.reasons.causes),
            "focus": [{"area": item.area, "rejections": item.rejections, "companies": list(item.companies),
                       "skills": list(item.skills)} for item in report.reasons.focus],
        },
        "due": {
            "overdue": report.overdue,
            "next": [
                {"id": item.id, "kind": item.kind, "title": item.title,
                 "due": item.due.isoformat(timespec="minutes"), "step": item.step}
                for item in report.due_next
            ],
        },
    }


def report(report: "Report", view: "View") -> str:
    """The report as one object (see :func:`report_to_dict`)."""
    return _document(report_to_dict(report))
