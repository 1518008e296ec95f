"""Which students' solutions are suspiciously alike, exercise by exercise: an instructor's lead,
never a verdict, and it never changes a grade.

Each solution cell of the graded notebooks is fingerprinted with copydetect (its tokens with
names, literals' spelling and comments left out, then winnowed k-grams), so renamed variables,
changed comments and reordered helpers still match. Left out as evidence: the release's code
(each stub and every given cell), and any fingerprint that more than ``COMMON`` of the class
shares, or more than ``MOST`` students (the idioms many write: MOSS's ``-m``). Two students
are compared only where they share a fingerprint left, so a large class stays fast.
"""

import html
import io
import itertools
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course.layout import Course
from autograder.engine.notebook import Node, read_notebook, solution_sources
from autograder.engine.result import PAGE_STYLE
from autograder.errors import KitError
from autograder.model.assignment import Assignment
from autograder.reports.records import atomic_text

#: Tokens per fingerprint and winnowing window (copydetect's defaults are 25 and 1, tuned for
#: whole files; a solution cell is a few lines).
K, WINDOW = 12, 2
#: A fingerprint more students hold than this share of the class, or than ``MOST`` students
#: (at least 2), is no evidence: what several write alike is an idiom, not a copy (MOSS's ``-m``).
COMMON, MOST = 0.1, 5
#: The least of a solution's tokens that must remain, after what is left out, for it to be compared.
MIN_TOKENS = 30
#: The share of each student's remaining tokens two solutions must share to be listed.
THRESHOLD = 0.8
#: Below this many solutions, fingerprinting them in other processes costs more than it saves.
PARALLEL_FROM = 200


@dataclass
class Match:
    """Two students' solutions of one exercise, and what of them they share."""

    exercise: str
    similarity: tuple[float, float]  # the share of each one's tokens found in the other's
    slices: tuple[list[tuple[int, int]], list[tuple[int, int]]]  # shared spans of each source


@dataclass
class Pair:
    """Two students with at least one exercise above the threshold."""

    students: tuple[str, str]
    matches: list[Match] = field(default_factory=list)

    @property
    def score(self) -> float:
        return max(min(m.similarity) for m in self.matches)


def _fingerprint(name: str, source: str, boilerplate: list[int]):
    from copydetect import CodeFingerprint

    return CodeFingerprint(
        f"{name}.py", K, WINDOW, boilerplate=boilerplate, language="python", fp=io.StringIO(source)
    )


def _fingerprints(sources: dict[str, str], boilerplate: list[int]) -> dict:
    """Each non-empty source's fingerprint (tokenizing is most of the time: on every core)."""
    names = [s for s, src in sources.items() if src.strip()]
    if len(names) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return {s: _fingerprint(s, sources[s], boilerplate) for s in names}
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        args = (names, [sources[s] for s in names], itertools.repeat(boilerplate))
        return dict(zip(names, pool.map(_fingerprint, *args, chunksize=32)))


def _drop(fp, hashes: set[int]) -> None:
    """Leave ``hashes`` out of ``fp`` as if they were boilerplate."""
    from copydetect.utils import get_token_coverage

    for h in fp.hashes & hashes:
        del fp.hash_idx[h]
    fp.hashes -= hashes
    fp.token_coverage = get_token_coverage(fp.hash_idx, fp.k, len(fp.filtered_code))


def given_code(release: Node) -> str:
    """The code the release gives every student: each stub and every other code cell."""
    return "\n\n".join(c.get("source", "") for c in release.cells if c.get("cell_type") == "code")


def compare_exercise(
    exercise: str, sources: dict[str, str], given: str
) -> list[tuple[tuple[str, str], Match]]:
    """Every pair of students whose solutions of ``exercise`` are alike beyond ``THRESHOLD``."""
    from copydetect import compare_files

    boilerplate = sorted(_fingerprint("given", given, []).hashes) if given.strip() else []
    prints = _fingerprints(sources, boilerplate)
    holders: dict[int, list[str]] = {}
    for student, fp in prints.items():
        for h in fp.hashes:
            holders.setdefault(h, []).append(student)
    most = max(2, min(MOST, int(COMMON * len(prints))))
    common = {h for h, who in holders.items() if len(who) > most}
    for fp in prints.values():
        _drop(fp, common)
    candidates = {
        pair
        for h, who in holders.items()
        if h not in common
        for pair in itertools.combinations(sorted(who), 2)
    }
    found = []
    for a, b in sorted(candidates):
        fa, fb = prints[a], prints[b]
        if min(fa.token_coverage, fb.token_coverage) < MIN_TOKENS:
            continue
        _, similarity, slices = compare_files(fa, fb)
        if min(similarity) >= THRESHOLD:
            spans = tuple([(int(x), int(y)) for x, y in zip(*s)] if len(s[0]) else [] for s in slices)
            found.append(((a, b), Match(exercise, (float(similarity[0]), float(similarity[1])), spans)))
    return found


def solutions(course: Course, assignment: Assignment) -> dict[str, dict[str, str]]:
    """student -> exercise -> the solution cell as graded (the autograded notebooks)."""
    found = {}
    for student, _ in course.submitted_students(assignment.name):
        path = course.autograded_dir(student, assignment.name) / f"{assignment.name}.ipynb"
        try:
            cells = solution_sources(read_notebook(path), assignment.exercise_names)
            found[student] = {e: src if isinstance(src, str) else "" for e, src in cells.items()}
        except KitError:
            continue  # not graded yet: nothing to compare
    return found


def find_pairs(assignment: Assignment, code: dict[str, dict[str, str]], release: Node) -> list[Pair]:
    """Every pair of students alike in at least one exercise, the most alike first."""
    given = given_code(release)
    pairs: dict[tuple[str, str], Pair] = {}
    for exercise in assignment.exercise_names:
        sources = {s: cells.get(exercise, "") for s, cells in code.items()}
        for students, match in compare_exercise(exercise, sources, given):
            pairs.setdefault(students, Pair(students)).matches.append(match)
    return sorted(pairs.values(), key=lambda p: (-len(p.matches), -p.score, p.students))


def write(course: Course, assignment: Assignment) -> Path:
    """Write ``similarity.html`` and a side-by-side page per pair into the reports folder."""
    release = read_notebook(course.release_notebook(assignment.name))
    code = solutions(course, assignment)
    if not code:
        raise KitError(f"no graded notebooks of {assignment.name} to compare", "grade the class first")
    pairs = find_pairs(assignment, code, release)
    folder = course.reports_dir(assignment.name)
    for old in (folder / "similar").glob("pair-*.html") if (folder / "similar").is_dir() else ():
        old.unlink()
    for i, pair in enumerate(pairs, 1):
        atomic_text(folder / "similar" / f"pair-{i:03}.html", side_by_side(pair, code))
    path = folder / "similarity.html"
    atomic_text(path, index_page(assignment, pairs, len(code)))
    return path


_STYLE = (
    PAGE_STYLE
    + """
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem} mark{background:#ffd8a8}
pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;font-size:.85rem}
"""
)
LEAD = (
    "A lead for the instructor, not a verdict: alike code can be honest (a short exercise, a "
    "common idiom, students who worked together as allowed). It changes no grade."
)


def index_page(assignment: Assignment, pairs: list[Pair], students: int) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td><a href='similar/pair-{i:03}.html'>{e(p.students[0])} and {e(p.students[1])}</a></td>"
        f"<td>{e(', '.join(f'{m.exercise} ({min(m.similarity):.0%})' for m in p.matches))}</td></tr>"
        for i, p in enumerate(pairs, 1)
    )
    return (
        f"<!doctype html><meta charset='utf-8'><title>{e(assignment.name)}: similar solutions</title>"
        f"<style>{_STYLE}</style><h1>{e(assignment.title)}: similar solutions</h1>"
        f"<p class='lead'>{e(LEAD)}</p><p>{students} students compared, exercise by exercise; "
        f"{len(pairs)} pairs share at least {THRESHOLD:.0%} of their solution's own code in an "
        "exercise (the release's code and what most of the class writes alike left out).</p>"
        f"<table><tr><th>students</th><th>exercises (shared share)</th></tr>{rows}</table>\n"
    )


def _marked(source: str, spans: list[tuple[int, int]]) -> str:
    """``source`` escaped, with the shared spans marked."""
    out, at = [], 0
    for start, end in sorted(spans):
        start = max(start, at)
        out += [html.escape(source[at:start]), f"<mark>{html.escape(source[start:end])}</mark>"]
        at = max(at, end)
    return "".join(out) + html.escape(source[at:])


def side_by_side(pair: Pair, code: dict[str, dict[str, str]]) -> str:
    e, (a, b) = html.escape, pair.students
    parts = [
        f"<!doctype html><meta charset='utf-8'><title>{e(a)} and {e(b)}</title><style>{_STYLE}</style>",
        f"<h1>{e(a)} and {e(b)}</h1><p class='lead'>{e(LEAD)}</p>",
    ]
    for m in pair.matches:
        parts.append(
            f"<h2>{e(m.exercise)}: {m.similarity[0]:.0%} of {e(a)}'s, {m.similarity[1]:.0%} of {e(b)}'s</h2>"
        )
        cols = "".join(
            f"<div><h3>{e(s)}</h3><pre>{_marked(code[s][m.exercise], spans)}</pre></div>"
            for s, spans in zip(pair.students, m.slices)
        )
        parts.append(f"<div class='cols'>{cols}</div>")
    return "\n".join(parts) + "\n"
