"""Grading a course's submissions: judges opened, submissions planned, results applied to each output."""
