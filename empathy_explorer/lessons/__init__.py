"""Demo builders for the teaching notebooks, one module per lesson (e.g. cohort for notebook 06)."""
