"""The engine that runs and judges student code: notebooks, hidden checks, judges, results."""
