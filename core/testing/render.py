"""Test results for people (text), programs (JSON) and CI servers (JUnit XML).

A failure shows what was expected beside what came out: the expectation in
words with its line in the test file, then the actions the event got (or,
for ``count`` and ``absent``, the ones it should not have), with their step,
kind, title and due date; with a body expectation, their bodies too.

Names, titles and bodies come from test files, workflows and plugins: each
is made printable (see :mod:`coachflow.terminal`) before a colour is added.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

from coachflow.wording import human_datetime, plural
from coachflow.models import Action, action_to_dict
from coachflow.output.layout import wrap
from coachflow.terminal import Shown, printable
from coachflow.testing.run import CaseResult, Miss

Style = Callable[..., str]


def _plain(text: str, **_: Any) -> str:
    return text


def summary_line(results: Sequence[CaseResult]) -> str:
    """``5 cases in 2 files: 4 passed, 1 failed``."""
    files = len({id(result.tests) for result in results})
    failed = sum(1 for result in results if not result.passed)
    cases = plural(len(results), "case")
    where = f" in {plural(files, 'file')}" if files != 1 else ""
    if not failed:
        return f"{cases}{where}: all passed"
    return f"{cases}{where}: {len(results) - failed} passed, {failed} failed"


def result_lines(result: CaseResult, *, style: Style = _plain) -> list[str]:
    """One case: ``ok`` or ``FAIL`` with its name, and for a failure what went wrong."""
    if result.passed:
        return [f"  {style('ok', fg='green')}    {printable(result.case.name)}"]
    where = f" (line {result.case.line})" if result.case.line else ""
    lines = [f"  {style('FAIL', fg='red', bold=True)}  {printable(result.case.name)}{where}"]
    for error in result.errors:
        lines.append(f"        {style(printable(error), fg='red')}")
    for miss in result.misses:
        lines += _miss_lines(result, miss)
    return lines


def _miss_lines(result: CaseResult, miss: Miss) -> list[str]:
    expectation = miss.expectation
    at = f"line {expectation.line}: " if expectation.line else ""
    lines = [f"        {at}expected {printable(expectation.describe())}"]
    actions = result.actions
    if expectation.absent or expectation.count is not None:
        shown = list(miss.selected)
        lines.append(f"        got {len(shown)}" + (":" if shown else ""))
    else:
        shown = actions
        count = len(actions)
        lines.append(f"        got none among {'the ' if count else ''}{plural(count, 'action')}"
                     + (":" if actions else ""))
    for number, action in enumerate(shown, start=1):
        lines.append(f"          {number}. {_action_line(action)}")
        if expectation.checks_body and _near(expectation, action):
            for paragraph in printable(action.body or "(no body)").splitlines() or ["(no body)"]:
                # coachflow's wrapping: no word, hyphenated name or date is split
                lines += [line.rstrip() for line in wrap(paragraph.strip(), 76, indent="               | ")
                          if line] or ["               |"]
    if expectation.step is not None:
        skipped = next((s for s in result.result.skipped if s.step == expectation.step), None)
        if skipped is not None:
            lines.append(printable(f"        {expectation.step} did not run: {skipped.detail}"))
    return lines


def _near(expectation: Any, action: Action) -> bool:
    """True for an action of the step and kind an expectation names: worth showing its body."""
    return (expectation.step is None or action.step == expectation.step) and (
        expectation.kind is None or action.kind == expectation.kind)


def _action_line(action: Action) -> str:
    due = f"  (due {human_datetime(action.due)})" if action.due else ""
    return printable(f"{action.step}, {action.kind}: {action.title}{due}")


def results_to_text(results: Sequence[CaseResult], *, style: Style = _plain) -> Shown:
    """Every file's cases, then the summary line, safe to print.

    :param style: :func:`coachflow.terminal.style` (or any function with
        :func:`click.style`'s signature) to colour the verdicts.
    """
    lines: list[str] = []
    current = None
    for result in results:
        if result.tests is not current:
            current = result.tests
            count = len(current.cases)
            lines.append(style(printable(str(current.path)), bold=True)
                         + printable(f"  (workflow '{current.workflow.name}', {plural(count, 'case')})"))
        lines += result_lines(result, style=style)
    lines += ["", style(summary_line(results), fg="green" if all(r.passed for r in results) else "red", bold=True)]
    return Shown("\n".join(lines) + "\n")


def result_to_dict(result: CaseResult) -> dict[str, Any]:
    """The JSON shape of one case's result."""
    return {
        "file": str(result.tests.path),
        "workflow": result.tests.workflow.name,
        "case": result.case.name,
        "line": result.case.line,
        "passed": result.passed,
        "errors": list(result.errors),
        "failures": [
            {
                "line": miss.expectation.line,
                "expected": miss.expectation.describe(),
                "selected": [action_to_dict(action) for action in miss.selected],
            }
            for miss in result.misses
        ],
        "actions": [action_to_dict(action) for action in result.actions],
    }


def results_to_json(results: Sequence[CaseResult]) -> str:
    """All results as one JSON object: the counts and every case."""
    import json

    failed = sum(1 for result in results if not result.passed)
    data = {"passed": len(results) - failed, "failed": failed, "cases": [result_to_dict(r) for r in results]}
    return json.dumps(data, indent=2, ensure_ascii=False)


def results_to_junit(results: Sequence[CaseResult]) -> str:
    """The results as JUnit XML, which CI servers show: a test suite per file, a test case per case.

    Every text is made printable: XML cannot hold most control characters.
    """
    from xml.etree import ElementTree as ET

    root = ET.Element("testsuites", name="coachflow test", tests=str(len(results)),
                      failures=str(sum(1 for r in results if not r.passed)))
    suites: dict[int, ET.Element] = {}
    for result in results:
        suite = suites.get(id(result.tests))
        if suite is None:
            mine = [r for r in results if r.tests is result.tests]
            suite = ET.SubElement(root, "testsuite", name=printable(str(result.tests.path)), tests=str(len(mine)),
                                  failures=str(sum(1 for r in mine if not r.passed)), errors="0", skipped="0")
            suites[id(result.tests)] = suite
        attributes = {"classname": printable(_class_name(result.tests.path)), "name": printable(result.case.name)}
        if result.case.line:
            attributes.update(file=printable(str(result.tests.path)), line=str(result.case.line))
        case = ET.SubElement(suite, "testcase", attributes)
        if not result.passed:
            first = result.errors[0] if result.errors else f"expected {result.misses[0].expectation.describe()}"
            failure = ET.SubElement(case, "failure", message=printable(first))
            failure.text = "\n".join(line.strip() for line in result_lines(result)[1:])
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _class_name(path: Path) -> str:
    name = path.name
    return name[: -len(".toml")] if name.endswith(".toml") else name
