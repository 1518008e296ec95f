"""What instructors read, made from the kept records: class reports, analytics, LMS files, similarity."""
