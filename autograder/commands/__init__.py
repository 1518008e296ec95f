"""The commands of the ``autograder`` CLI, one module each (the CLI is a thin layer over them)."""
