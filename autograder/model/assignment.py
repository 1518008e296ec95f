"""An assignment as data: a folder with a manifest, one hidden-check module per exercise and a
catalog of mistakes and valid styles. Adding an assignment means adding such a folder (and
its source notebook under nbgrader's source folder); the engine discovers it.

The manifest, ``assignment.toml``::

    title = "An assignment"
    position = 1                   # its place in the course (tables, the demo); default last
    setup_cells = ["setup"]        # instructor cells (grade_id) that run before the student's
    data = ["weights.json"]        # files of source_data/ that the release carries
    keras = false                  # no Keras here: judges and sandboxes skip loading it
                                   # (4 s and 1 GB each); default true

    [exercises]                    # in notebook order; each name is a function and the
    first_function = { points = 4 }   # grade_id of its solution cell; test_<name> is its
    second_function = { points = 6, numpy_only = true }   # graded cell, test_<name>.py its checks

    [models]                       # what a keras.Model a function returns may hold: checked
    layers = ["InputLayer", "Dense"]   # before the grader rebuilds it
    max_layers = 8
    max_units = 64
    max_inputs = 64
"""

import functools
import keyword
import tomllib
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import KitError
from autograder.model.causes import Causes

MANIFEST = "assignment.toml"


@dataclass(frozen=True)
class Exercise:
    """One function to write: its points, and whether it must do without Keras and TensorFlow."""

    name: str
    points: float
    numpy_only: bool = False

    @property
    def test_cell(self) -> str:
        """The grade_id of the graded cell whose points nbgrader records."""
        return f"test_{self.name}"

    @property
    def visible_cell(self) -> str:
        """The grade_id of the cell of visible checks a learner runs after writing it."""
        return f"check_{self.name}"


@dataclass(frozen=True)
class ModelLimits:
    """The largest model a function may return: anything beyond is refused unbuilt."""

    layers: tuple[str, ...] = ("InputLayer", "Dense")
    max_layers: int = 8
    max_units: int = 64
    max_inputs: int = 64


@dataclass(frozen=True)
class Assignment:
    """The grading side of one assignment, read from its folder."""

    name: str
    folder: Path
    title: str
    exercises: tuple[Exercise, ...]
    setup_cells: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    models: ModelLimits = ModelLimits()
    position: int = 1_000
    keras: bool = True  # do its checks or its students' functions use Keras?

    @classmethod
    def load(cls, folder: Path) -> "Assignment":
        """Read the assignment in ``folder`` (named after the folder).

        Raises:
            KitError: the manifest is missing or malformed, or a check module is missing.
        """
        folder = Path(folder).resolve()
        try:
            manifest = tomllib.loads((folder / MANIFEST).read_text())
            exercises = tuple(
                Exercise(name, float(spec["points"]), bool(spec.get("numpy_only", False)))
                for name, spec in manifest["exercises"].items()
            )
            models = ModelLimits(
                **{k: tuple(v) if k == "layers" else int(v) for k, v in manifest.get("models", {}).items()}
            )
            assignment = cls(
                folder.name,
                folder,
                str(manifest.get("title", folder.name)),
                exercises,
                tuple(manifest.get("setup_cells", ())),
                tuple(manifest.get("data", ())),
                models,
                int(manifest.get("position", 1_000)),
                _boolean(manifest.get("keras", True), "keras"),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KitError(
                f"the assignment folder {folder} has no readable {MANIFEST} ({type(exc).__name__}: {exc})",
                f"write {MANIFEST} as described in autograder/model/assignment.py",
            ) from None
        assignment._require_checks()
        return assignment

    def _require_checks(self) -> None:
        if not self.name.isidentifier() or keyword.iskeyword(self.name):
            raise KitError(
                f"the assignment name {self.name!r} is not a Python identifier", "rename its folder"
            )
        missing = [e.name for e in self.exercises if not self.check_module(e.name).is_file()]
        if missing:
            raise KitError(
                f"{self.name}: no hidden checks for {', '.join(missing)} in {self.folder}",
                "write test_<exercise>.py for every exercise of the manifest",
            )

    @property
    def points(self) -> dict[str, float]:
        """Points per exercise, in notebook order."""
        return {e.name: e.points for e in self.exercises}

    @property
    def exercise_names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.exercises)

    @property
    def max_points(self) -> float:
        return sum(e.points for e in self.exercises)

    def exercise(self, name: str) -> Exercise:
        """The exercise ``name``.

        Raises:
            KitError: the assignment has no such exercise.
        """
        for exercise in self.exercises:
            if exercise.name == name:
                return exercise
        raise KitError(f"unknown exercise {name!r}", f"choose one of {', '.join(self.exercise_names)}")

    @property
    def causes(self) -> Causes:
        """The misconceptions its checks name (``causes.toml``)."""
        return _causes(self.folder)

    def check_module(self, exercise: str) -> Path:
        """The pytest module of the hidden checks of ``exercise``."""
        return self.folder / f"test_{exercise}.py"

    def exercise_of_cell(self, grade_id: str) -> str | None:
        """The exercise a graded cell belongs to (``test_<exercise>``), or None."""
        return next((e.name for e in self.exercises if grade_id == e.test_cell), None)


@functools.cache
def _causes(folder: Path) -> Causes:
    return Causes.load(folder)


def _boolean(value: object, key: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{key} must be true or false, not {value!r}")
    return value
