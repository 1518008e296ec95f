"""Running student code apart from the grader: a sandboxed worker and the protocol to it."""
