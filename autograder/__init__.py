"""An autograded exercise kit for a Keras course: the grading engine, its sandbox and commands."""

__version__ = "0.1.0"
