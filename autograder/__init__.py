"""Hidden checks and grading tools for the keras_weights exercise kit."""

__version__ = "0.1.0"
