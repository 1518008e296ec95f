"""The exercise fixtures of toy."""

from autograder.engine.fixtures import exercise_fixtures

globals().update(exercise_fixtures(__file__))
