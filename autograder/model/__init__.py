"""An assignment as data: its manifest, its misconceptions and its per-student draws."""
