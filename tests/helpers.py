"""What several test modules share about the fixture submissions beside them."""

import ast
import importlib
import io
import sys
import tokenize
from pathlib import Path


def constants(path: Path) -> dict:
    """The upper-case constants of a fixture file (read by line: some files do not parse)."""
    found = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.partition(" = ")
        if sep and name.isidentifier() and name.isupper():
            found[name] = ast.literal_eval(value.split("  #")[0])
    return found


def readable_python() -> list[str]:
    """A command prefix under which other users can read this Python, as on Gradescope (where
    the uid sandbox is used): where the runtime lies in a folder only its owner may enter (say
    /root/.pyenv), that folder is shown, in a mount namespace of the command's own, with only
    the runtime in it. Empty where the runtime is readable already."""
    runtime = Path(sys.base_prefix).resolve()
    closed = next(
        (p for p in reversed(runtime.parents) if p != Path("/") and not p.stat().st_mode & 0o001), None
    )
    if closed is None:
        return []
    kept = closed / runtime.relative_to(closed).parts[0]
    script = (
        f'mkdir -p "$0" && mount --bind {kept} "$0" && mount -t tmpfs -o mode=0755 tmpfs {closed} '
        f'&& mkdir -p {kept} && mount --bind "$0" {kept} && exec "$@"'
    )
    return [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        script,
        "/tmp/autograder-kept-runtime",
    ]


def _renamed(text: str, names: set[str]) -> str:
    """``text`` with each of ``names`` renamed where it is a variable (not an attribute after a
    dot, not a keyword argument of a call)."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type != tokenize.NL]
    lines, depth, edits = text.splitlines(keepends=True), 0, []
    for i, t in enumerate(tokens):
        depth += t.string in "([{" if t.type == tokenize.OP else 0
        depth -= t.string in ")]}" if t.type == tokenize.OP else 0
        if t.type != tokenize.NAME or t.string not in names:
            continue
        after_dot = i and tokens[i - 1].string == "."
        keyword = depth and i + 1 < len(tokens) and tokens[i + 1].string == "="
        if not (after_dot or keyword):
            edits.append(t.start)
    for row, col in sorted(edits, reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:col] + "my_" + line[col:]
    return "".join(lines)


def disguise(source: str) -> str:
    """A copy of ``source`` as a student would hide it, edited as text: its variables renamed
    (not its functions or their arguments, which callers may name), its top-level functions in
    the reverse order, its comments replaced."""
    tree = ast.parse(source)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    kept = {f.name for f in functions} | {a.arg for f in functions for a in f.args.args + f.args.kwonlyargs}
    stored = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    lines = source.splitlines()
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for t in sorted((t for t in tokens if t.type == tokenize.COMMENT), key=lambda t: t.start, reverse=True):
        row, col = t.start[0] - 1, t.start[1]
        lines[row] = lines[row][:col].rstrip()
    for row in {t.start[0] - 1 for t in tokens if t.type == tokenize.NEWLINE}:
        lines[row] += "  # worked this out myself"
    text = "\n".join(lines)
    text = _renamed(text, stored - kept)
    rows = text.splitlines()
    blocks = [rows[f.lineno - 1 - len(f.decorator_list) : f.end_lineno] for f in functions]
    first = functions[0].lineno - 1 if functions else len(rows)
    rest = rows[functions[-1].end_lineno :] if functions else []
    return "\n".join(rows[:first] + [line for b in blocks[::-1] for line in [*b, ""]] + rest) + "\n"


def personal(gen) -> str:
    """A small helper function of a student's own (random constants, operators and loop),
    appended to a generated solution so that, as real students' code does, it holds something
    no one else wrote; ``gen`` is a ``random.Random``."""
    a, b, c = (round(gen.uniform(0.1, 9.9), 3) for _ in range(3))
    op = gen.choice(["+", "-", "*"])
    name = f"_note_{gen.randrange(10**6)}"
    if gen.random() < 0.5:
        body = f"    total = {a}\n    for v in values:\n        total = total {op} v * {b}\n"
        body += f"    return total > {c}\n"
    else:
        body = f"    i, total = 0, {a}\n    while i < len(values):\n        total {op}= values[i] / {b}\n"
        body += f"        i += 1\n    return total < {c}\n"
    return f"\n\ndef {name}(values):\n{body}"


def check_module(assignment, exercise: str):
    """The module of ``exercise``'s hidden checks, imported under the name pytest gives it
    (``<assignment>.test_<exercise>``: the assignment's folder is a package)."""
    root = str(assignment.folder.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module(f"{assignment.name}.test_{exercise}")


def grade_rows(course, assignment: str) -> dict[tuple[str, str], int]:
    """Count the grade rows per (student, cell): each must be exactly 1."""
    counts: dict[tuple[str, str], int] = {}
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        for submission in gb.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    key = (submission.student.id, grade.name)
                    counts[key] = counts.get(key, 0) + 1
    return counts
