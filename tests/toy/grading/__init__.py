"""toy: a two-exercise assignment a course adds as files (tests/test_new_assignment.py)."""
