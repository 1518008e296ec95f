"""The course: its folders, submissions, gradebook, stamps, secret and releases."""
