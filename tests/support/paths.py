"""Where things are, for tests and benchmarks: the repository root and the test data folder."""

from __future__ import annotations

from pathlib import Path

#: the repository's root folder (the one with README.md and pyproject.toml)
REPO_ROOT = Path(__file__).resolve().parents[2]
#: test files: real device exports (real/), documentation-built ones (formats/), examples and malformed ones
TEST_DATA = REPO_ROOT / "tests" / "data"
