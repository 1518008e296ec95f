"""The grader's side of isolation: policy and limits, zygotes and sessions; what runs inside is in inside/."""
