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
#: Modules that run inside the sandbox, from a copy where the kit does not exist.
IN_SANDBOX = ("zygote", "session", "kernel", "namespaces", "landlock", "syscalls", "tree", "protocol")


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


@pytest.mark.parametrize("module", IN_SANDBOX)
def test_sandbox_modules_import_nothing_of_the_kit(module):
    """Does a module that runs inside the sandbox import nothing of the kit (only the standard
    library, NumPy, Keras, pyseccomp and its sandbox siblings)?"""
    tree = ast.parse((PACKAGE / "sandbox" / f"{module}.py").read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "autograder" not in imported


def test_layers_import_downwards():
    """Do the engine, course and reports stay clear of the commands, and the engine of the
    reports, as the architecture page says?"""
    rules = {
        "engine": ("autograder.commands", "autograder.reports."),
        "course": ("autograder.commands.grade",),
    }
    rules["reports"] = ("autograder.commands",)
    found = []
    for part, forbidden in rules.items():
        for path in sorted((PACKAGE / part).glob("*.py")):
            text = path.read_text()
            found += [f"{path.relative_to(KIT_ROOT)} imports {f}" for f in forbidden if f"from {f}" in text]
    assert found == []
