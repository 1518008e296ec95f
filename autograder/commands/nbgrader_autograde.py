"""What plain ``nbgrader autograde`` (and formgrader's Autograde button) runs in this course:
the kit's sandboxed engine, in place of nbgrader's ``Execute`` preprocessor, and text made
writable before nbgrader first writes the notebook.

nbgrader 0.9 lets a course replace ``Autograde.autograde_preprocessors``; the course's
``nbgrader_config.py`` puts ``SandboxedAutograde`` where ``Execute`` was, so student code
never runs in the kernel beside the hidden tests. nbgrader still does everything else:
it restores locked and hidden cells from its database, reads each graded cell's points from
the output this writes, records them, and applies late penalties.
"""

import atexit
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Enum, Float, Integer

from autograder.course.layout import Course
from autograder.course.secret import read_secret
from autograder.engine.judge import Judge
from autograder.engine.notebook import read_notebook
from autograder.engine.plan import make_plan
from autograder.errors import GraderError, KitError
from autograder.grading import judges
from autograder.grading.sinks import Graded
from autograder.grading.sinks.cell_outputs import CellOutputs
from autograder.grading.sinks.result_record import ResultRecord
from autograder.model.draws import Identity
from autograder.sandbox.policy import Isolation, Limits, choose
from autograder.text import clean_surrogates

#: The preprocessors ``nbgrader autograde`` runs here: nbgrader's own list with ``Execute``
#: replaced (``tests/test_autograde.py`` holds it to nbgrader's default).
PREPROCESSORS = [
    "autograder.commands.nbgrader_autograde.SandboxedAutograde",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

#: The steps nbgrader runs (and writes the notebook after) before those: its own list with the
#: kit's ``WritableText`` first, so that a notebook holding a lone surrogate (JSON allows one;
#: no UTF-8 file does) is graded instead of dropped by nbgrader's writer.
SANITIZERS = [
    "autograder.commands.nbgrader_autograde.WritableText",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

#: Warm judges, one per (course, assignment, settings). nbgrader makes a new preprocessor for
#: every notebook, so the judge (Keras and the sandbox's zygotes, seconds to start) lives here.
_judges: dict[tuple, Judge] = {}


_DEFAULTS = {f.name: f for f in Limits.settable()}


class WritableText(NbGraderPreprocessor):
    """Replace every lone surrogate in the notebook's text (cells, outputs, metadata) so that it
    can be written as UTF-8; the submitted file itself is left as it is."""

    def preprocess(self, nb, resources):
        return _writable(nb), resources


def _writable(value):
    if isinstance(value, str):
        return clean_surrogates(value)
    if isinstance(value, dict):
        for key in list(value):
            item = value.pop(key)
            value[clean_surrogates(key) if isinstance(key, str) else key] = _writable(item)
        return value
    if isinstance(value, list):
        value[:] = [_writable(item) for item in value]
    return value


class SandboxedAutograde(NbGraderPreprocessor):
    """Grade the notebook with the kit's engine and write each graded cell's report and points."""

    sandbox = Enum(
        [m.value for m in Isolation],
        default_value=Isolation.AUTO.value,
        help="how student code is isolated: auto = the strongest this machine allows",
    ).tag(config=True)
    timeout = Float(_DEFAULTS["seconds"].default, help=_DEFAULTS["seconds"].metadata["help"]).tag(config=True)
    cell_timeout = Float(
        _DEFAULTS["cell_seconds"].default, help=_DEFAULTS["cell_seconds"].metadata["help"]
    ).tag(config=True)
    memory_mb = Integer(_DEFAULTS["memory_mb"].default, help=_DEFAULTS["memory_mb"].metadata["help"]).tag(
        config=True
    )

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        course = Course.find(Path(resources["metadata"]["path"]))
        assignment = course.assignment(info["assignment"])
        plan = make_plan(nb, read_notebook(course.release_notebook(assignment.name)), assignment)
        if plan.flag:
            raise GraderError(f"{info['student']} is FLAGGED, not graded: {plan.flag}")
        identity = Identity(read_secret(course.secret_file), info["student"])
        graded = Graded(assignment, self._judge(course, assignment).grade(plan, identity), plan)
        try:  # what the class reports read (`autograder report`); the grades do not need it
            ResultRecord(course).write(graded)
        except OSError as exc:
            self.log.warning(
                "the result record of %s was not kept (%s): the class reports will lack it",
                info["student"],
                exc,
            )
        CellOutputs(nb).write(graded)
        return nb, resources

    def _judge(self, course: Course, assignment) -> Judge:
        try:
            isolation = choose(self.sandbox)
        except KitError as exc:
            raise GraderError(str(exc)) from None
        limits = Limits(**{f.name: getattr(self, f.metadata["traitlet"]) for f in Limits.settable()})
        key = (course.root, assignment.name, isolation, limits)
        if key not in _judges:
            _judges[key] = judges.setup(course, assignment, isolation, limits).open()
            atexit.register(_judges[key].close)
        return _judges[key]
