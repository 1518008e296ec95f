"""The layout is the architecture: what each part may know, checked (docs/architecture.md)."""

import ast
import re
from pathlib import Path

import pytest

from autograder.course.layout import KIT_ROOT, Course

PACKAGE = KIT_ROOT / "autograder"
#: The engine: every module of the package but the assignments it grades.
ENGINE = sorted(p for p in PACKAGE.rglob("*.py") if "assignments" not in p.relative_to(PACKAGE).parts)
#: Course folders and files whose names only the course object may spell.
FOLDERS = (
    "submitted",
    "autograded",
    "feedback",
    "solutions",
    "assignments",
    "grading_reports",
    "stamps",
    "gradebook.db",
    ".autograder-secret",
)


def _string_literals(path: Path) -> list[str]:
    """Every string constant of a module that is not a docstring."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_only_the_course_object_names_course_folders():
    """Does no module but course/layout.py spell a course folder or file in a path?"""
    found = []
    for path in ENGINE:
        if path == PACKAGE / "course" / "layout.py":
            continue
        for text in _string_literals(path):
            parts = re.split(r"[/\\]", text)
            found += [f"{path.relative_to(KIT_ROOT)}: {text!r}" for name in FOLDERS if name in parts]
    assert found == []


def test_the_engine_names_no_assignment_or_exercise():
    """Does no module outside assignments/ name an assignment or an exercise, even in prose?"""
    names = set()
    for assignment in Course(KIT_ROOT).assignments():
        names |= {assignment.name, *assignment.exercise_names}
    pattern = re.compile(r"\b(" + "|".join(sorted(names)) + r")\b")
    found = [
        f"{p.relative_to(KIT_ROOT)}: {m.group(0)}" for p in ENGINE for m in pattern.finditer(p.read_text())
    ]
    assert found == []


ARCHITECTURE = KIT_ROOT / "docs" / "architecture.md"


def rules() -> dict[str, set[str]]:
    """part -> the parts it may import, as the table of docs/architecture.md says (a row:
    | `part` (where) | `other`, `other` | why |)."""
    found = {}
    for line in ARCHITECTURE.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[1] != "may import":
            found[cells[0].split("`")[1]] = set(re.findall(r"`([a-z]+)`", cells[1]))
    return found


MAY_IMPORT = rules()
#: Imports across the rules' lines that a part's own rule allows: the demo runs a scratch course.
EXCEPTIONS = {("autograder.commands.demo", "autograder.dev.scratch")}
BASE = ("errors", "quiet", "text")


def part_of(module: str) -> str:
    """The part of the package ``module`` (a dotted name) belongs to."""
    parts = module.split(".")[1:]
    if parts[:2] == ["sandbox", "inside"]:
        return "inside"
    if not parts or parts[0] in BASE or parts[0] == "__init__":
        return "base"
    return {"__main__": "cli"}.get(parts[0], parts[0])


def module_name(path: Path) -> str:
    """The dotted name of the package's module at ``path``."""
    parts = path.relative_to(KIT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, module: str, package: bool) -> set[str]:
    """Every module of the kit that ``source`` (module ``module``, a package's ``__init__``
    if ``package``) imports, wherever the import stands: ``import X``, ``from X import Y``
    (Y where it is a module), relative imports, and imports inside functions."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = module.split(".") if package else module.split(".")[:-1]
                here = here[: len(here) - node.level + 1]
                base = ".".join([*here, base] if base else here)
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] == "autograder"}


def import_graph() -> dict[str, set[str]]:
    """module -> the package's modules it imports (not the packages around them, which hold
    only their docstrings)."""
    paths = {module_name(p): p for p in ENGINE}
    modules = {m for m, p in paths.items() if p.name != "__init__.py"}
    return {
        m: imports_of(p.read_text(), m, p.name == "__init__.py") & modules - {m} for m, p in paths.items()
    }


def reached(graph: dict[str, set[str]], module: str) -> set[str]:
    """Every module ``module`` imports, directly or through others."""
    seen, todo = set(), [module]
    while todo:
        for name in graph.get(todo.pop(), ()):
            if name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def broken_rules(graph: dict[str, set[str]]) -> list[str]:
    """Every import that breaks the rules: across parts where ``MAY_IMPORT`` allows none, from
    one command to another, and every cycle."""
    found = []
    for module, imported in sorted(graph.items()):
        part = part_of(module)
        for name in sorted(imported):
            if (module, name) in EXCEPTIONS:
                continue
            other = part_of(name)
            if other != part and other not in MAY_IMPORT[part]:
                found.append(f"{module} imports {name} ({part} may not import {other})")
            elif part == other == "commands":
                found.append(f"{module} imports {name} (a command imports no other command)")
        if module in reached(graph, module):
            found.append(f"{module} imports itself through others (a cycle)")
    return found


def test_the_imports_keep_the_rules():
    """Does every import of the package, wherever it stands, keep the rules of
    docs/architecture.md: each part imports only the parts below it, no command another, and
    no module itself through others?"""
    assert broken_rules(import_graph()) == []


def test_every_part_has_a_rule():
    """Does every module of the package belong to a part the architecture page gives a rule,
    and every part named there exist?"""
    parts = {part_of(m) for m in import_graph()}
    assert parts == set(MAY_IMPORT)
    assert set().union(*MAY_IMPORT.values()) <= parts


#: The violations the rules must catch, each as an import added to the package's real graph.
VIOLATIONS = {
    "a course module uses a command": ("autograder.course.layout", "autograder.course.release"),
    "the course secret uses the engine": ("autograder.course.secret", "autograder.engine.checks"),
    "the engine uses the course layer": ("autograder.engine.pool", "autograder.course.layout"),
    "a cycle through a function's import": ("autograder.engine.fixtures", "autograder.dev.scratch"),
    "a command imports another": ("autograder.commands.check", "autograder.commands.grade"),
    "the engine reaches the reports": ("autograder.engine.result", "autograder.reports.records"),
    "the sandbox's inside imports the kit": ("autograder.sandbox.inside.session", "autograder.text"),
    "something that grades uses dev": ("autograder.grading.batch", "autograder.dev.scratch"),
}


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_the_rules_catch_a_violation(name):
    """Do the rules report each violation the architecture forbids, added to the real graph?"""
    importer, imported = VIOLATIONS[name]
    graph = import_graph()
    graph[importer] = graph[importer] | {imported}
    assert [line for line in broken_rules(graph) if line.startswith(importer)] != []


@pytest.mark.parametrize(
    "source",
    [
        "import autograder.commands.grade",
        "from autograder.commands import grade",
        "from autograder.commands.grade import render_outcome",
        "def f():\n    from ..commands import grade",
        "class C:\n    def m(self):\n        import autograder.commands.grade as g",
    ],
)
def test_every_form_of_import_is_seen(source):
    """Is an import seen whatever form it takes and wherever it stands (inside a function or a
    method, relative or absolute)?"""
    assert "autograder.commands.grade" in imports_of(source, "autograder.engine.judge", False)


def test_the_sandbox_inside_is_a_folder_of_its_own():
    """Do the modules that run inside the sandbox sit in sandbox/inside/, which the grader
    copies whole, and import nothing of the kit, even through others?"""
    graph = import_graph()
    inside = sorted(m for m in graph if part_of(m) == "inside")
    assert "autograder.sandbox.inside.zygote" in inside
    assert {m: reached(graph, m) - set(inside) for m in inside} == {m: set() for m in inside}


def test_nothing_that_grades_reaches_dev():
    """Does no module but the demo command and dev itself reach the development tools, even
    through others?"""
    graph = import_graph()
    users = {m for m in graph if any(part_of(n) == "dev" for n in reached(graph, m))}
    entry = {"autograder.commands.demo", "autograder.cli", "autograder.__main__"}  # `autograder demo`
    assert {m for m in users if part_of(m) != "dev"} == entry
