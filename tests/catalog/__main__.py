"""Rewrite docs/kill_matrix.md: ``python -m tests.catalog``."""

from tests.catalog import KILL_MATRIX, grade_catalog, kill_matrix

KILL_MATRIX.parent.mkdir(exist_ok=True)
KILL_MATRIX.write_text(kill_matrix(grade_catalog()))
print(f"wrote {KILL_MATRIX}")
