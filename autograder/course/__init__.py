"""The course: its folders, assignments, submissions, gradebook and secret."""
