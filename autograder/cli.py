"""The ``autograder`` command: a thin layer over the kit's functions."""

import argparse
import os
import sys
from pathlib import Path

from autograder.errors import GraderError, KitError
from autograder.reports.lms import FORMATS
from autograder.sandbox.policy import Isolation, Limits

EXIT_OK, EXIT_FAILED, EXIT_UNGRADABLE = 0, 1, 2


def _course():
    from autograder.course.layout import Course

    return Course.find()


def _release(args: argparse.Namespace) -> int:
    from autograder.course.release import release, taught

    course = _course()
    for name in args.names or taught(course):
        print(f"released {release(course, name)}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from autograder.commands.check import check_notebook

    sys.dont_write_bytecode = True  # a check leaves nothing (no __pycache__) in the learner's folder
    result = check_notebook(args.notebook, args.exercise, args.student, args.assignment)
    print(result.to_json() if args.json else result.to_text())
    return EXIT_OK if result.passed else EXIT_FAILED


def _secret(args: argparse.Namespace) -> int:
    from autograder.course.secret import create_secret

    print(f"course secret: {create_secret(_course().secret_file)} (keep it out of git and releases)")
    return EXIT_OK


def _limits(args: argparse.Namespace) -> Limits:
    return Limits(**{f.name: getattr(args, f.name) for f in Limits.settable()})


def _add_limits(parser: argparse.ArgumentParser) -> None:
    """The caps an instructor sets, with their defaults and help from ``policy.Limits``."""
    for f in Limits.settable():
        parser.add_argument(
            f.metadata["flag"], dest=f.name, type=f.type, default=f.default, help=f.metadata["help"]
        )


def _isolation(text: str) -> Isolation:
    try:
        return Isolation.parse(text)
    except KitError as exc:  # argparse then says so, with the usage, and exits 2
        raise argparse.ArgumentTypeError(str(exc).replace("\n ", ";")) from None


def _add_sandbox(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sandbox",
        type=_isolation,
        default=Isolation.AUTO,
        metavar="{" + ",".join(Isolation) + "}",
        help="how student code is isolated: auto = the strongest this machine allows (namespaces, "
        "landlock, uid), or refuse (see README); none = not at all (trusted notebooks only)",
    )


def _grade(args: argparse.Namespace) -> int:
    from autograder.commands.grade import render_outcome
    from autograder.grading.batch import Options, grade_class

    options = Options(
        jobs=args.jobs,
        force=args.force,
        students=tuple(args.students),
        limits=_limits(args),
        sandbox=args.sandbox,
    )
    outcome = grade_class(_course(), args.assignment, args.path, options)
    print(render_outcome(outcome))
    return EXIT_FAILED if outcome.grader_failures else EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from autograder.commands.gradescope import export

    out = export(_course(), args.assignment, args.out, args.visibility, _limits(args))
    print(f"wrote {out} (instructors only: it holds the course secret)")
    return EXIT_OK


def _export_grades(args: argparse.Namespace) -> int:
    from autograder.commands.report import export_grades, render_export

    done = export_grades(_course(), args.assignment, args.format, args.out, args.roster, args.column)
    print(render_export(done))
    return EXIT_FAILED if done.missing or done.unknown else EXIT_OK


def _similarity(args: argparse.Namespace) -> int:
    from autograder.commands.report import similar_solutions

    print(f"wrote {similar_solutions(_course(), args.assignment)} (a lead for you, not a verdict)")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from autograder.commands.report import class_reports, render_reports

    print(render_reports(class_reports(_course(), args.assignment)))
    return EXIT_OK


def _gradescope_run(args: argparse.Namespace) -> int:
    from autograder.commands.gradescope import run

    results = run(args.root, args.sandbox)
    print(f"score {results['score']:g} written to {args.root / 'results' / 'results.json'}")
    return EXIT_OK


def _kill_matrix(args: argparse.Namespace) -> int:
    from autograder.catalog.kill_matrix import write_kill_matrix

    course = _course()
    print(f"wrote {write_kill_matrix(course, course.assignment(args.assignment))}")
    return EXIT_OK


def _mutation_report(args: argparse.Namespace) -> int:
    from autograder.catalog.mutation import write_report

    course = _course()
    print(f"wrote {write_report(course, course.assignment(args.assignment))}")
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from autograder.commands.demo import run_demo

    run_demo(args.out)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("release", help="regenerate the release of assignments from their source notebooks")
    p.add_argument(
        "names",
        nargs="*",
        metavar="assignment",
        help="assignments to release (default: every one with a source notebook)",
    )
    p.set_defaults(func=_release)

    p = sub.add_parser("check", help="grade one notebook with the hidden checks (self-study)")
    p.add_argument("notebook", type=Path)
    p.add_argument("--exercise", help="check only this exercise")
    p.add_argument("--assignment", help="the notebook's assignment (default: found from its cells)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--student", default="self-check", help="student id the checks are drawn for")
    p.set_defaults(func=_check)

    p = sub.add_parser("grade", help="grade every submission of the course, in parallel, sandboxed")
    p.add_argument("assignment")
    p.add_argument("path", nargs="?", type=Path, help="a folder or zip of <student>.ipynb (LMS)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel graders")
    p.add_argument("--force", action="store_true", help="regrade unchanged submissions too")
    p.add_argument(
        "--student",
        action="append",
        default=[],
        dest="students",
        metavar="ID",
        help="regrade only this student, changed or not (repeat for more); the others' records stay",
    )
    _add_limits(p)
    _add_sandbox(p)
    p.set_defaults(func=_grade)

    p = sub.add_parser("report", help="rewrite an assignment's class reports from its graded records")
    p.add_argument("assignment")
    p.set_defaults(func=_report)

    p = sub.add_parser("similarity", help="list the pairs of students whose solutions are alike")
    p.add_argument("assignment")
    p.set_defaults(func=_similarity)

    exports = sub.add_parser("export", help="export the autograder for another platform, or the grades")
    kinds = exports.add_subparsers(dest="what", required=True)
    p = kinds.add_parser("grades", help="the grades, in the file an LMS imports")
    p.add_argument("assignment")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", type=Path, help="the file to write (default: grading_reports/<a>/<format>.csv)")
    p.add_argument("--roster", type=Path, help="the LMS's roster CSV: only its students, in its order")
    p.add_argument("--column", help="the grade column's name (Canvas: 'Name (id)' updates that assignment)")
    p.set_defaults(func=_export_grades)
    p = kinds.add_parser("gradescope", help="the autograder zip Gradescope runs")
    p.add_argument("assignment")
    p.add_argument("out", type=Path, help="the zip to write")
    p.add_argument(
        "--visibility",
        default="after_published",
        choices=["hidden", "after_due_date", "after_published", "visible"],
        help="when students see each check's result (Gradescope)",
    )
    _add_limits(p)
    p.set_defaults(func=_export)

    p = sub.add_parser("gradescope-run", help=argparse.SUPPRESS)
    p.add_argument("--root", type=Path, default=Path("/autograder"))
    _add_sandbox(p)
    p.set_defaults(func=_gradescope_run)

    p = sub.add_parser("secret", help="create the course secret that seeds per-student checks")
    p.set_defaults(func=_secret)

    p = sub.add_parser("kill-matrix", help="grade an assignment's catalog and rewrite its kill matrix")
    p.add_argument("assignment")
    p.set_defaults(func=_kill_matrix)

    p = sub.add_parser(
        "mutation-report",
        help="mutate the reference and valid solutions, grade every mutant, rewrite the report",
    )
    p.add_argument("assignment")
    p.set_defaults(func=_mutation_report)

    p = sub.add_parser("demo", help="release, grade a sample class with nbgrader, print a table")
    p.add_argument("--out", type=Path, default=Path("demo_output"), help="output folder")
    p.set_defaults(func=_demo)
    return parser


#: Commands that leave nothing behind to write, so they may skip the interpreter's teardown.
FAST_EXIT = {"check"}


def run() -> None:
    """The console script and ``python -m autograder``: run ``main`` and exit with its status.

    After ``check`` has printed, the process ends at once: TensorFlow's teardown at exit takes
    about 0.7 s (as long as the checks themselves) and has nothing left to save.
    """
    argv = sys.argv[1:]
    code = main(argv)
    if argv and argv[0] in FAST_EXIT and "tensorflow" in sys.modules:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 checks failed, 2 cannot grade)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KitError as exc:
        print(f"autograder {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_UNGRADABLE
    except GraderError as exc:
        print(f"autograder {args.command}: grader failure (not your mistake): {exc}", file=sys.stderr)
        return EXIT_UNGRADABLE
