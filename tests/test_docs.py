"""Every TOML and Python snippet in the docs is checked, so the docs cannot drift from the code.

The rules, for every Markdown file in ``docs/`` (any depth), ``README.md`` and the READMEs
under ``examples/``:

- A fenced block with a title (````` ```python title="src/pkg/__init__.py" `````) is a file:
  it is written into a temporary project folder before anything runs.
- ```` ```python ```` blocks without a title run in order, in one module per document, with
  the temporary folder as working directory (``src/`` and the folder itself are importable).
- ```` ```toml ```` blocks must parse. One with ``[workflow]`` or ``[[steps]]`` must be a valid
  workflow (a missing ``[workflow]`` table is allowed for fragments); one with an event
  ``type`` must be a valid event; one with ``[[cases]]`` must be a valid workflow test file,
  titled with its name so that the workflow it names is found beside it. The steps known are the built-in ones, those of the
  example plugins in ``examples/plugins/``, those the document's files declare as
  ``coachflow`` entry points in a titled ``pyproject.toml``, and those its Python blocks
  define (hook implementations, and ``coachflow.Step`` classes).
- Titled ``tests/test_*.py`` files are run with pytest, and must pass.
- A block preceded by the line ``<!-- no-check -->`` is not checked (for fragments).
"""

from __future__ import annotations

import __future__

import os
import re
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import attrs
import pytest

import coachflow
from coachflow.plugin.host import build_host
from coachflow.models import EVENT_TYPES, event_from_dict
from coachflow.workflow import workflow_from_dict

ROOT = Path(__file__).resolve().parent.parent
OPT_OUT = "<!-- no-check -->"
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)$")


@attrs.frozen
class Snippet:
    """One fenced block of a Markdown document."""

    document: Path
    line: int  # of the opening fence, from 1
    language: str
    title: str | None
    text: str
    checked: bool

    @property
    def where(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"


def documents() -> list[Path]:
    """The Markdown files whose snippets are checked."""
    found = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")), *sorted((ROOT / "examples").rglob("README.md"))]
    return [path for path in found if path.is_file()]


def snippets(document: Path) -> list[Snippet]:
    """The fenced blocks of a document, with their language, title and opt-out."""
    lines = document.read_text(encoding="utf-8").splitlines()
    found: list[Snippet] = []
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        fence, info = match.group("fence"), match.group("info").strip()
        end = index + 1
        while end < len(lines) and not lines[end].strip().startswith(fence):
            end += 1
        language = info.split()[0].lower() if info else ""
        title = re.search(r'title="([^"]+)"', info)
        previous = next((lines[i].strip() for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        found.append(Snippet(document=document, line=index + 1, language=language,
                             title=title.group(1) if title else None,
                             text="\n".join(lines[index + 1:end]) + "\n", checked=previous != OPT_OUT))
        index = end + 1
    return found


def example_plugins() -> list[tuple[str, object]]:
    """The plugins of the example distributions, imported from their source folders."""
    plugins = []
    for pyproject in sorted((ROOT / "examples" / "plugins").glob("*/pyproject.toml")):
        plugins += entry_point_plugins(pyproject, pyproject.parent / "src")
    return plugins


def entry_point_plugins(pyproject: Path, source: Path) -> list[tuple[str, object]]:
    """Import the ``coachflow`` entry points a pyproject.toml declares, from ``source``."""
    import importlib

    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    entry_points = data.get("project", {}).get("entry-points", {}).get("coachflow", {})
    if str(source) not in sys.path:
        sys.path.insert(0, str(source))
    plugins = []
    for name, value in entry_points.items():
        module_name, _, attribute = value.partition(":")
        plugin = importlib.import_module(module_name)
        plugins.append((name, getattr(plugin, attribute) if attribute else plugin))
    return plugins


def documents_with_snippets() -> list[Path]:
    return [path for path in documents() if any(s.language in ("toml", "python", "py") or s.title for s in snippets(path))]


@pytest.mark.parametrize("document", documents_with_snippets(), ids=lambda p: str(p.relative_to(ROOT)))
def test_snippets(document: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocks = [s for s in snippets(document) if s.checked]
    project = tmp_path / "project"
    project.mkdir()
    for block in blocks:
        if block.title:
            target = project / block.title
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.syspath_prepend(str(project))
    monkeypatch.syspath_prepend(str(project / "src"))

    extra = example_plugins()
    if (project / "pyproject.toml").is_file():
        extra += entry_point_plugins(project / "pyproject.toml", project / "src")
    module = run_python_blocks(document, [b for b in blocks if b.language in ("python", "py") and not b.title],
                               monkeypatch)
    if module is not None:
        extra += plugins_defined_in(module, extra)

    host = build_host(load_entry_points=False, extra_plugins=extra)
    assert host.warnings == [], f"{document.relative_to(ROOT)}: its plugins do not load cleanly"
    for block in blocks:
        if block.language == "toml":
            check_toml(block, host)

    tests = sorted(project.glob("tests/test_*.py"))
    if tests:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(project / "src"), str(project)])}
        completed = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *map(str, tests)],
                                   cwd=project, env=env, capture_output=True, text=True)
        assert completed.returncode == 0, f"{document.relative_to(ROOT)}: its tests fail:\n{completed.stdout}"


def run_python_blocks(document: Path, blocks: list[Snippet], monkeypatch: pytest.MonkeyPatch) -> types.ModuleType | None:
    """Run a document's Python blocks in order, in one module kept in sys.modules."""
    if not blocks:
        return None
    name = "docs_snippets_" + re.sub(r"\W", "_", str(document.relative_to(ROOT)))
    module = types.ModuleType(name)
    monkeypatch.setitem(sys.modules, name, module)
    for block in blocks:
        # Postponed annotations let a block show a signature with types it does not import.
        code = compile(block.text, block.where, "exec", flags=__future__.annotations.compiler_flag, dont_inherit=True)
        try:
            exec(code, module.__dict__)
        except Exception as exc:
            pytest.fail(f"{block.where}: the Python block raised {type(exc).__name__}: {exc}", pytrace=False)
    return module


def plugins_defined_in(module: types.ModuleType, already: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """The document's module as a plugin, plus a plugin for step classes nothing registers."""
    plugins: list[tuple[str, object]] = []
    impls = [n for n, v in vars(module).items() if callable(v) and hasattr(v, f"{coachflow.hookimpl.project_name}_impl")]
    if impls:
        plugins.append((module.__name__, module))
    registered = set(build_host(load_entry_points=False, extra_plugins=[*already, *plugins]).registry.steps)
    loose = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, coachflow.Step)
             and v is not coachflow.Step and v.__module__ == module.__name__ and getattr(v, "name", None) not in registered]
    if loose:
        class DocumentSteps:
            @coachflow.hookimpl
            def register_steps(self, register):
                for step_class in loose:
                    register(step_class)

        plugins.append((f"{module.__name__}-steps", DocumentSteps()))
    return plugins


def check_toml(block: Snippet, host) -> None:
    """A TOML block parses; a workflow validates; an event is a valid event."""
    from coachflow.errors import CoachflowError

    text = "\n" * block.line + block.text  # so that errors give the line in the document
    source = str(block.document.relative_to(ROOT))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        pytest.fail(f"{source}: not valid TOML: {exc}", pytrace=False)
    try:
        if "cases" in data:  # a workflow test file, loaded as `coachflow test` loads it
            if block.title is None:
                pytest.fail(f"{block.where}: a test file needs a title, its file name, so that the workflow "
                            "it names is found beside it", pytrace=False)
            from coachflow.testing import load_test_file

            load_test_file(Path(block.title), host.registry)
        elif "workflow" in data or "steps" in data:
            data.setdefault("workflow", {"name": "fragment"})
            workflow_from_dict(data, host.registry, source=source, text=text)
        elif data.get("type") in EVENT_TYPES or isinstance(data.get("event"), dict):
            event_from_dict(data.get("event", data), milestone_kinds=host.registry.milestone_kinds,
                            where=f"{block.where}: ")
    except CoachflowError as exc:
        pytest.fail(str(exc), pytrace=False)


# --- the checker checks ---------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_snippets_are_found_with_their_language_title_and_opt_out(tmp_path):
    document = write(tmp_path, 'Text\n\n```toml\na = 1\n```\n\n<!-- no-check -->\n```python\nbroken(\n```\n\n'
                               '````python title="src/pkg/__init__.py"\nx = 1\n````\n\n```\nplain\n```\n')

    found = [(s.line, s.language, s.title, s.text, s.checked) for s in snippets(document)]

    assert found == [(3, "toml", None, "a = 1\n", True), (8, "python", None, "broken(\n", False),
                     (12, "python", "src/pkg/__init__.py", "x = 1\n", True), (16, "", None, "plain\n", True)]


def test_an_invalid_workflow_snippet_fails_with_its_place(tmp_path):
    host = build_host(load_entry_points=False)
    block = Snippet(document=ROOT / "README.md", line=7, language="toml", title=None,
                    text='[[steps]]\nuses = "allow-disappointment"\nwith.window_hour = 3\n', checked=True)

    with pytest.raises(pytest.fail.Exception, match=r"^README.md:10: steps\[1\]\.with\.window_hour: "
                                                    r"unknown key \(did you mean 'window_hours'\?\)$"):
        check_toml(block, host)


def test_an_invalid_event_snippet_fails(tmp_path):
    block = Snippet(document=ROOT / "README.md", line=3, language="toml", title=None,
                    text='type = "rejection"\ncompany = "Acme"\nstage = "lunch"\n', checked=True)

    with pytest.raises(pytest.fail.Exception, match="^README.md:3: stage: 'lunch' is not a stage"):
        check_toml(block, build_host(load_entry_points=False))


def test_documents_include_the_readme_and_every_doc():
    names = {str(path.relative_to(ROOT)) for path in documents()}

    assert {"README.md", "docs/plugin_hooks.md", "docs/plugin-tutorial.md", "docs/architecture.md"} <= names
