"""Grading one submission, knowing no course: notebooks, plans, judges, hidden checks, results."""
