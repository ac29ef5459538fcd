"""What the commands share: finding and opening the journal, the clock, the workflow, dates,
and what a command may write over (:func:`check_output`).

Command modules import from here and never from each other, so each one
can be read (and imported, for the command that runs) on its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Iterator

import click

from coachflow.cli.completion import complete_files, complete_profiles
from coachflow.cli.stdio import STDIN_LABEL, STDIO, claim_stdin, read_stdin
from coachflow.errors import CoachflowError, WorkflowError


class WholeNumber(click.ParamType):
    """A whole number from ``minimum`` to ``maximum``, refused in coachflow's words with what was given:
    ``--days: give a whole number of days from 1 to 3660, not 0``.

    :param noun: what is counted, in the plural (``days``); left out when ``None``.
    :param wanted: what to give, in words, instead of the range (``the id 'coachflow due' shows``).
    """

    name = "integer"

    def __init__(self, minimum: int = 1, maximum: int | None = None, *, noun: str | None = None,
                 wanted: str | None = None) -> None:
        self.minimum, self.maximum = minimum, maximum
        if wanted is None:
            counted = f" of {noun}" if noun else ""
            wanted = (f"a whole number{counted} from {minimum} to {maximum}" if maximum is not None
                      else f"a whole number{counted} of {minimum} or more")
        self.wanted = wanted

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """``value`` as an int; refuses anything else, or a number outside the range."""
        if isinstance(value, int) and not isinstance(value, bool):
            number: int | None = value
        else:
            text = str(value).strip()
            number = int(text) if text.lstrip("+-").isascii() and text.lstrip("+-").isdigit() else None
        if number is None or number < self.minimum or (self.maximum is not None and number > self.maximum):
            shown = str(number) if number is not None else repr(str(value))
            self.fail(f"give {self.wanted}, not {shown}", param, ctx)
        return number


def parameter_problem(exc: click.BadParameter) -> str:
    """A refused option or argument value as coachflow says it, named the way it is typed:
    ``--days: ...`` or ``ACTION_ID: ...`` rather than Click's ``Invalid value for '--days': ...``."""
    param = exc.param
    if param is None:
        return exc.format_message()
    if isinstance(param, click.Option):
        name = "/".join(sorted(param.opts, key=len))
    else:
        name = param.human_readable_name.removesuffix("...")
    wanted = _wanted(param.type)
    # Click's own types say "'x' is not one of ...", "0 is not in the range 1<=x<=3", "'many' is not a valid integer"
    given = re.match(r"('(?:[^'\\]|\\.)*'|\S+) is not ", exc.message)
    if wanted and given:
        return f"{name}: give {wanted}, not {given.group(1)}"
    return f"{name}: {exc.message}"


def _wanted(kind: click.ParamType) -> str | None:
    """What one of Click's own types takes, in words (``a whole number from 1 to 3``), or ``None``."""
    from coachflow.wording import join_words

    if isinstance(kind, click.Choice):
        return join_words([str(choice) for choice in kind.choices], "or")
    if isinstance(kind, (click.IntRange, click.FloatRange)):
        number = "a whole number" if isinstance(kind, click.IntRange) else "a number"
        low = None if kind.min is None else f"{kind.min}{' (not included)' if kind.min_open else ''}"
        high = None if kind.max is None else f"{kind.max}{' (not included)' if kind.max_open else ''}"
        if low is not None and high is not None:
            return f"{number} from {low} to {high}"
        if low is not None:
            return f"{number} of {low} or more" if not kind.min_open else f"{number} more than {kind.min}"
        if high is not None:
            return f"{number} of {high} or less" if not kind.max_open else f"{number} less than {kind.max}"
        return number
    if isinstance(kind, click.types.IntParamType):
        return "a whole number"
    if isinstance(kind, click.types.FloatParamType):
        return "a number"
    return None


def now_from_environment(profile: str | None = None, journal_path: str | None = None) -> dt.datetime:
    """The time of this run, as a local time of the person it is for: ``COACHFLOW_NOW``
    (ISO date-time, for demos and tests) or the system clock.

    :param profile: the client the command is for (``--client``/``--profile``).
        When their settings give a ``timezone``, the clock reads in that zone;
        else in the machine's.
    :param journal_path: ``--journal``: in a practice store the client's
        settings are in their row there, else in their settings file.
        A ``COACHFLOW_NOW`` without an offset is already the person's local time;
        one with an offset (``2026-03-14T09:30+01:00``) is an instant, turned into it.
    :raises CoachflowError: for a value that is not a date-time in the years
        coachflow accepts (``coachflow.models.EARLIEST_DATE`` to ``LATEST_DATE``).
    """
    from coachflow.models import EARLIEST_DATE, LATEST_DATE

    zone = _client_zone(profile, journal_path)
    value = os.environ.get("COACHFLOW_NOW")
    if not value:
        now = dt.datetime.now(zone).replace(microsecond=0, tzinfo=None)
        where = f"the system clock says {now.isoformat(timespec='minutes')}, which"
    else:
        try:
            now = dt.datetime.fromisoformat(value)
        except ValueError:
            raise CoachflowError(f"COACHFLOW_NOW: '{value}' is not a date-time such as 2026-03-14T09:30") from None
        if now.tzinfo is not None:  # the journal keeps the person's local times
            now = now.astimezone(zone).replace(tzinfo=None)
        where = f"COACHFLOW_NOW: {value}"
    if not EARLIEST_DATE <= now.date() <= LATEST_DATE:
        raise CoachflowError(f"{where} is out of range; coachflow works with dates from "
                             f"{EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}")
    return now


def _client_zone(profile: str | None, journal_path: str | None) -> Any:
    """The time zone of the client a command is for, or ``None`` (the machine's)."""
    if profile is None and not (os.environ.get("COACHFLOW_CLIENT") or os.environ.get("COACHFLOW_PROFILE")):
        return None  # one person's journal: nothing to read
    from coachflow.clients import client_timezone, current_client_id
    from coachflow.journal import is_server_url

    client_id = current_client_id(profile)
    if not client_id:
        return None
    target = journal_path or os.environ.get("COACHFLOW_JOURNAL")
    if target and is_server_url(target):
        import zoneinfo

        try:
            client = client_of(client_id, target)
        except CoachflowError:  # the command reports an unreachable store or a bad name itself
            return None
        return zoneinfo.ZoneInfo(client.timezone) if client is not None and client.timezone else None
    return client_timezone(client_id)


def load_workflow_for(state: Any, option: str | None, profile: str | None = None,
                      journal_path: str | None = None) -> Any:
    """The workflow to run: ``-w`` (``-``: standard input), ``COACHFLOW_WORKFLOW``,
    ``./coachflow.toml`` or the built-in one.

    For a client (``--client``) with settings (a settings file, or their row
    in the practice store the journal is in), it comes filled with the
    client's values (see :func:`coachflow.clients.for_client`).
    """
    workflow = load_shared_workflow(state, option)
    profile = _client(profile)
    if not profile and not workflow.client_placeholders():
        return workflow  # one person's workflow: no client's values to fill in, none missing
    from coachflow.clients import for_client

    location = journal_location(journal_path, profile, workflow) if profile else None
    return for_client(workflow, client_of(profile, location))


def load_shared_workflow(state: Any, option: str | None) -> Any:
    """The workflow :func:`load_workflow_for` finds, as the coach wrote it: no client's values
    filled in, so that a workflow for clients can be read without naming one."""
    from coachflow.workflow import find_workflow_file, load_default_workflow, load_workflow, parse_workflow

    if option == STDIO:
        text = read_workflow_stdin()
        return state.with_plugins(lambda registry: parse_workflow(text, registry, source=STDIN_LABEL))
    path = find_workflow_file(option)
    return state.with_plugins(lambda registry: load_workflow(path, registry) if path
                              else load_default_workflow(registry))


def _workflow_file_text(option: str | None) -> tuple[str, str] | None:
    """The text and name of the workflow file :func:`load_workflow_for` would load, or ``None``
    for the built-in workflow."""
    from coachflow.workflow import find_workflow_file, read_text

    if option == STDIO:
        return read_workflow_stdin(), STDIN_LABEL
    path = find_workflow_file(option)
    return (read_text(path), str(path)) if path is not None else None


def _toml_tables(text: str) -> dict[str, Any] | None:
    """The TOML's tables, or ``None`` when it is not TOML (the full check then says where)."""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _workflow_settings(option: str | None, defaults: dict[str, Any]) -> tuple[Any, ...]:
    """The ``[settings]`` named in ``defaults`` of the workflow :func:`load_workflow_for` would load
    (``-w``, ``COACHFLOW_WORKFLOW``, ``./coachflow.toml``), each ``defaults``' value when it is not set.

    Read without the steps or plugins. The settings are checked as a run checks them
    (:func:`coachflow.workflow.parse_settings`) when the file sets any of them, or cannot be read
    as TOML; a workflow that sets none costs only reading its TOML.

    :raises WorkflowError: for a file that cannot be read, or settings that are wrong.
    """
    found = _workflow_file_text(option)
    if found is None:
        return tuple(defaults.values())
    text, source = found
    data = _toml_tables(text)
    table = data.get("settings", {}) if data is not None else None
    if isinstance(table, dict) and not any(name in table for name in defaults):
        return tuple(defaults.values())
    from coachflow.workflow import parse_settings

    settings = parse_settings(text, source)
    return tuple(getattr(settings, name) for name in defaults)


def hard_run_settings(option: str | None) -> tuple[int, int]:
    """``[settings] rejection_run`` and ``rejection_run_days`` of the workflow :func:`load_workflow_for`
    would load (the built-in one sets neither); see :func:`_workflow_settings`.

    :raises WorkflowError: for a file that cannot be read, or settings that are wrong.
    """
    from coachflow.context import REJECTION_RUN, REJECTION_RUN_DAYS

    run, days = _workflow_settings(option, {"rejection_run": REJECTION_RUN, "rejection_run_days": REJECTION_RUN_DAYS})
    return run, days


def lapse_rule(option: str | None) -> Any:
    """The lapse rule (:class:`coachflow.upkeep.Lapse`) with ``[settings] missed_after_days`` and
    ``undated_missed_after_days`` of the workflow :func:`load_workflow_for` would load, so that a
    reading command shows as due only what a run would still keep open; see :func:`_workflow_settings`.

    :raises WorkflowError: for a file that cannot be read, or settings that are wrong.
    """
    from coachflow.upkeep import MISSED_AFTER_DAYS, UNDATED_MISSED_AFTER_DAYS, Lapse

    after, undated = _workflow_settings(option, {"missed_after_days": MISSED_AFTER_DAYS,
                                                 "undated_missed_after_days": UNDATED_MISSED_AFTER_DAYS})
    return Lapse(after_days=after, undated_after_days=undated)


def workflow_target(state: Any, option: str | None) -> int | None:
    """The ``target`` the workflow's ``maintain-momentum`` step sets, or ``None`` when it sets none.

    Only a file whose first ``maintain-momentum`` step names a ``target`` is loaded and checked
    in full (with its plugins), as a run would; any other is only read as TOML.
    """
    found = _workflow_file_text(option)
    if found is None:
        return None
    data = _toml_tables(found[0])
    steps = data.get("steps") if data is not None else None
    if data is not None and isinstance(steps, list):
        first = next((step for step in steps if isinstance(step, dict) and step.get("uses") == "maintain-momentum"),
                     None)
        if first is None or not isinstance(first.get("with"), dict) or "target" not in first["with"]:
            return None
    options = load_shared_workflow(state, option).step_options("maintain-momentum")
    return options.target if options is not None else None


def momentum_settings(state: Any, option: str | None) -> tuple[int, int] | None:
    """``(target, stale_after_days)`` of the first ``maintain-momentum`` step of the workflow the
    commands would use, so that status and report count the pipeline as that step does; ``None``
    when the workflow has no such step. The built-in workflow runs it with its defaults.

    Only a file whose step sets either option is loaded and checked in full (with its plugins),
    as a run would; any other is only read as TOML.
    """
    from coachflow.applications import STALE_AFTER_DAYS
    from coachflow.practice import DEFAULT_TARGET

    found = _workflow_file_text(option)
    if found is None:
        return DEFAULT_TARGET, STALE_AFTER_DAYS
    data = _toml_tables(found[0])
    steps = data.get("steps") if data is not None else None
    if data is not None and isinstance(steps, list):
        first = next((step for step in steps if isinstance(step, dict) and step.get("uses") == "maintain-momentum"),
                     None)
        if first is None:
            return None
        given = first.get("with")
        if not isinstance(given, dict) or ("target" not in given and "stale_after_days" not in given):
            return DEFAULT_TARGET, STALE_AFTER_DAYS
    options = load_shared_workflow(state, option).step_options("maintain-momentum")
    return (options.target, options.stale_after_days) if options is not None else None


def win_judge(state: Any, option: str | None) -> Any:
    """Whether a milestone kind is a win with the workflow the commands would run (``Workflow.is_win``).

    A built-in kind is a win or not whatever the workflow (a workflow or a
    plugin cannot declare a built-in kind again), so the workflow and its
    plugins are loaded only when a kind that is not built in is asked about:
    reading commands stay as quick as before for the searches most people record.
    """
    from coachflow.applications import is_win
    from coachflow.models import BUILTIN_MILESTONE_KINDS

    loaded: list[Any] = []

    def judge(kind: str) -> bool:
        if kind in BUILTIN_MILESTONE_KINDS:
            return is_win(kind)
        if not loaded:
            loaded.append(load_shared_workflow(state, option))
        return loaded[0].is_win(kind)

    return judge


def client_of(profile: str | None, location: Path | str | None = None) -> Any:
    """The client ``--client``/``--profile`` names when they have settings, else ``None``.

    :param location: the journal the command uses: in a practice store, the
        client's settings are in their row there; otherwise in their settings
        file (see :meth:`coachflow.journal.Practice.settings_of`).
    """
    from coachflow.journal import is_server_url, open_practice

    profile = _client(profile)
    if not profile:
        return None
    store = str(location) if is_server_url(location) else None
    # A command asks for its client a few times (its clock's time zone, its workflow, its
    # report); in a practice store each answer would cost a connection. One answer a command.
    context = click.get_current_context(silent=True)
    answers = context.meta.setdefault("coachflow.clients", {}) if context is not None else {}
    if (profile, store) not in answers:
        with open_practice(store, mode="read") as practice:
            answers[profile, store] = practice.settings_of(profile)
    return answers[profile, store]


def practice_option(command: Any) -> Any:
    """Add ``--journal``: the PostgreSQL practice store whose clients a coaching command works on."""
    return click.option(
        "--journal", "journal_path", metavar="URL", shell_complete=complete_files,
        help="A PostgreSQL practice store (postgresql://user@host/db) whose clients to use. Default: "
             "COACHFLOW_JOURNAL when it names one, else the clients in your data directory.",
    )(command)


def open_practice_for(journal_path: str | None, *, mode: str = "write") -> Any:
    """The practice a coaching command works on: the store ``--journal`` or ``COACHFLOW_JOURNAL``
    names, else the clients in the data directory (see :func:`coachflow.journal.open_practice`).

    A journal file named by ``COACHFLOW_JOURNAL`` is one person's journal, not
    a practice, and is left out of it; named by ``--journal``, it is refused.
    """
    from coachflow.journal import is_server_url, open_practice

    if journal_path is not None and not is_server_url(journal_path):
        raise CoachflowError(f"--journal {journal_path}: a file is one person's journal; a practice is a PostgreSQL "
                             "practice store (postgresql://...) or, without --journal, the clients in your data "
                             "directory")
    target = journal_path or os.environ.get("COACHFLOW_JOURNAL")
    return open_practice(target if is_server_url(target) else None, mode=mode)


def read_workflow_stdin(option: str = "-w") -> str:
    """The workflow TOML on standard input, which ``option`` asked for."""
    from coachflow.errors import Problem

    claim_stdin(option)
    # kept for the command: finding the journal and loading the workflow may both ask for it
    kept = click.get_current_context().meta
    if "coachflow.workflow_text" not in kept:
        kept["coachflow.workflow_text"] = read_stdin(
            lambda line, reason: WorkflowError(STDIN_LABEL, details=[Problem(STDIN_LABEL, line, "", reason)]),
            "workflow")
    return kept["coachflow.workflow_text"]


def journal_options(command: Any) -> Any:
    """Add ``--journal`` and ``--client`` (also spelled ``--profile``) to a command."""
    command = click.option(
        "--client", "--profile", "profile", metavar="NAME", envvar=["COACHFLOW_CLIENT", "COACHFLOW_PROFILE"],
        shell_complete=complete_profiles,
        help="The client (a separate journal and settings; --profile is the same); in a practice store, "
             "which client's journal. Env: COACHFLOW_CLIENT or COACHFLOW_PROFILE.",
    )(command)
    command = click.option(
        "--journal", "journal_path", metavar="PATH|URL", shell_complete=complete_files,
        help="The journal file, or a PostgreSQL practice store (postgresql://user@host/db). Default: "
             "COACHFLOW_JOURNAL, the workflow's settings.journal, or a file in your data directory.",
    )(command)
    return command


def journal_location(journal_path: str | None, profile: str | None, workflow: Any = None) -> Path | str:
    """The journal file (or server URL) the options, environment and workflow settings point to."""
    from coachflow.journal import resolve_journal_path
    from coachflow.workflow import DEFAULT_WORKFLOW_SOURCE

    # a workflow read from standard input has no folder: its settings.journal is taken from the current one
    from_file = workflow is not None and workflow.source not in (DEFAULT_WORKFLOW_SOURCE, STDIN_LABEL)
    with settings_journal_located(workflow.source if from_file else None):
        return resolve_journal_path(
            journal_path,
            settings_path=workflow.settings.journal if workflow is not None else None,
            profile=profile,
            workflow_dir=Path(workflow.source).parent if from_file else None,
        )


@contextlib.contextmanager
def settings_journal_located(source: str | None, text: str | None = None) -> Iterator[None]:
    """Give a refused ``settings.journal`` (it leads out of the workflow's folder, say) the
    workflow file and line it is written on: ``wf/coachflow.toml:5: settings.journal: ...``.

    :param source: the workflow file, or ``None`` for none (standard input, the built-in one).
    :param text: the file's text when it has been read already.
    """
    from coachflow.errors import JournalError

    try:
        yield
    except JournalError as exc:
        if source is None or not str(exc).startswith("settings.journal: "):
            raise
        from coachflow.testing.lines import key_lines, line_of

        try:
            lines = key_lines(text if text is not None else Path(source).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            lines = {}
        line = line_of(lines, ("settings", "journal"))
        raise JournalError(f"{source}{f':{line}' if line else ''}: {exc}") from None


def open_for_writing(journal_path: str | None, profile: str | None, workflow: Any = None) -> Any:
    """Open (creating it if needed) the journal :func:`journal_location` names."""
    from coachflow.journal import open_journal

    return open_journal(journal_location(journal_path, profile, workflow), client=_client(profile))


def _client(profile: str | None) -> str | None:
    """The client a server URL opens: ``--client``/``--profile``, or their environment variables."""
    return profile or os.environ.get("COACHFLOW_CLIENT") or os.environ.get("COACHFLOW_PROFILE") or None


def open_for_dry_run(journal_path: str | None, profile: str | None, workflow: Any = None) -> Any:
    """The journal :func:`journal_location` names, for a dry run: read, never created or changed."""
    from coachflow.journal import open_journal

    return open_journal(journal_location(journal_path, profile, workflow), mode="dry-run", client=_client(profile))


WORKFLOW_HELP = ("The workflow whose [settings] journal to use ('-': standard input). "
                 "Default: COACHFLOW_WORKFLOW or ./coachflow.toml.")


def workflow_option(command: Any, help: str = WORKFLOW_HELP) -> Any:
    """Add ``-w/--workflow``: the workflow whose ``[settings] journal`` names the journal."""
    return click.option("-w", "--workflow", "workflow_option", metavar="FILE", shell_complete=complete_files,
                        help=help)(command)


def locate_journal(journal_path: str | None, profile: str | None, workflow_option: str | None) -> Path | str:
    """The journal file (or server URL) ``coachflow run`` would write, found without loading plugins.

    Only the workflow file's ``[settings] journal`` is read, so reading
    commands stay fast and work even when a step in the workflow does not.
    """
    from coachflow.journal import resolve_journal_path

    if journal_path or os.environ.get("COACHFLOW_JOURNAL"):
        return resolve_journal_path(journal_path, profile=profile)
    from coachflow.workflow import find_workflow_file, parse_toml, read_text

    # a workflow on standard input has no folder: a relative settings.journal is taken from the current one
    path = None if workflow_option == STDIO else find_workflow_file(workflow_option)
    settings_path = None
    if path is not None or workflow_option == STDIO:
        source = STDIN_LABEL if path is None else str(path)
        text = read_workflow_stdin() if path is None else read_text(path)
        settings = parse_toml(text, source).get("settings", {})
        settings_path = settings.get("journal") if isinstance(settings, dict) else None
        if settings_path is not None and not isinstance(settings_path, str):
            raise CoachflowError(f"{source}: settings.journal: expected a file path as text")
    with settings_journal_located(str(path) if path is not None else None, text if path is not None else None):
        return resolve_journal_path(
            None, settings_path=settings_path, profile=profile, workflow_dir=path.parent if path is not None else None
        )


def open_for_reading(journal_path: str | None, profile: str | None, workflow_option: str | None) -> Any:
    """The journal to read, or an empty one (with a note on stderr) when there is none yet.

    Reading never creates or changes a journal file, so it works on a
    read-only disk or a backup copy too.
    """
    from coachflow.cli.display import detail, note
    from coachflow.journal import is_server_url, open_journal

    location = locate_journal(journal_path, profile, workflow_option)
    if is_server_url(location):  # a client with nothing recorded yet reads as an empty journal
        return open_journal(location, mode="read", missing_ok=True, client=_client(profile))
    if location.exists():
        detail(f"Reading the journal {location}")
        return open_journal(location, mode="read")  # a folder is refused here, in one line
    note(f"No journal at {location} yet; it starts with your first 'coachflow run'.", err=True)
    return open_journal(location, mode="read", missing_ok=True)


def parse_day(value: str | None, option: str) -> dt.date | None:
    """A ``--since``/``--until`` value as a date (``None`` stays ``None``).

    ``today`` and ``yesterday`` count from ``COACHFLOW_NOW`` when it is set.
    """
    from coachflow.models import parse_date

    if value is None:
        return None
    return parse_date(value, field=option, today=now_from_environment().date())


def parse_period(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    """``--since`` and ``--until`` as dates; refuse a period that ends before it starts."""
    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    if first is not None and last is not None and first > last:
        raise CoachflowError(f"--since {first.isoformat()} is after --until {last.isoformat()}; swap them")
    return first, last


# --- -o FILE: what it may write over --------------------------------------------

#: How the files of a SQLite database begin: the database itself, its
#: write-ahead log (two byte orders) and its rollback journal.
_DATABASE_HEADERS = (b"SQLite format 3\x00", b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83",
                     b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7")

#: The files SQLite keeps beside a database while it is open.
_DATABASE_SIDE_FILES = ("-wal", "-shm", "-journal")


def force_option(command: Any) -> Any:
    """Add ``--force``: let ``-o`` replace a file that exists (never a journal or another database)."""
    return click.option("--force", is_flag=True,
                        help="Replace the -o file if it exists (never a journal or another database).")(command)


def check_output(output: str | Path, *, force: bool, journal: Path | None = None, named_by: str = "-o") -> None:
    """Refuse a file a command must not write over; the write itself stays atomic.

    This is the one rule for every command that writes a file a person names
    (``-o FILE``, ``init PATH``, ``--junit-xml FILE``): a database is never
    written over, even with ``--force``; another file that exists only with it.

    :param output: the file the command is about to write.
    :param force: ``--force`` was given: an ordinary file that exists may be replaced.
    :param journal: the file of the journal the command reads, when it has one
        (a journal in a database server has none).
    :param named_by: the option that named the file, for the message (``""``
        for a command's argument, which the message then names on its own).
    :raises CoachflowError: one line naming the file and why it is left alone.
    """
    target = Path(output)
    resolved = target.resolve()
    where = f"{named_by} {output}" if named_by else str(output)
    if journal is not None:
        base = str(Path(journal).resolve())
        if str(resolved) in (base, *(base + side for side in _DATABASE_SIDE_FILES)):
            raise CoachflowError(f"{where}: that is the journal this command reads; name another file "
                                 "for the output")
    if not target.exists() or target.is_dir():
        return  # a folder: writing says it cannot, in one line
    if _is_database(target) or _is_database_side_file(resolved):
        raise CoachflowError(f"{where}: that file is a database (a journal, perhaps), and coachflow never "
                             "writes over one, even with --force; name another file")
    if not force:
        raise CoachflowError(f"{where}: the file exists; add --force to replace it, or name another file")


def _is_database_side_file(path: Path) -> bool:
    """True for the shared-memory file (or log) beside a database: it has no header of its own."""
    for side in _DATABASE_SIDE_FILES:
        if path.name.endswith(side) and _is_database(path.with_name(path.name[: -len(side)])):
            return True
    return False


def _is_database(path: Path) -> bool:
    try:
        with open(path, "rb") as file:
            start = file.read(16)
    except OSError:
        return False  # unreadable: writing will say why, in its own words
    return any(start.startswith(header) for header in _DATABASE_HEADERS)
