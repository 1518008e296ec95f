"""Hidden checks: one pytest module per exercise, each test one property of the student's function."""
