"""The README's map of the repository stays true as the project grows.

Every path the map names must exist, and every folder of the repository and every public module or
sub-package of ``empathy_explorer`` must appear in the map, so a reader can find where a thing lives.
The README's two commands must be targets of the Makefile.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _map_rows() -> list[list[str]]:
    """The backticked paths in the first column of each row of the map table."""
    section = README.split("## Map of the repository", 1)[1]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        first_cell = line.split("|")[1]
        rows.append(re.findall(r"`([^`]+)`", first_cell))
    return rows


def _resolve_row(row: list[str]) -> list[tuple[str, Path]]:
    """Each name of a map row with its path; a bare file name after a path is taken in that path's folder."""
    resolved: list[tuple[str, Path]] = []
    for name in row:
        path = ROOT / name.rstrip("/")
        if not path.exists() and resolved and "/" not in name.rstrip("/"):
            path = resolved[-1][1].parent / name.rstrip("/")
        resolved.append((name, path))
    return resolved


def _mapped_paths() -> set[Path]:
    return {path for row in _map_rows() for _, path in _resolve_row(row)}


def test_map_has_rows() -> None:
    assert len(_map_rows()) >= 10


@pytest.mark.parametrize("row", _map_rows(), ids=lambda row: row[0])
def test_every_mapped_path_exists(row: list[str]) -> None:
    for name, path in _resolve_row(row):
        assert path.exists(), f"README map names {name!r}, which does not exist"


def _tracked_files() -> list[str]:
    """The repository's files as git knows them (build output such as the chart bundle is not mapped)."""
    return subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()


def _tracked_top_level_folders() -> set[str]:
    return {f.split("/", 1)[0] for f in _tracked_files() if "/" in f}


def test_every_folder_is_in_the_map() -> None:
    mapped = _mapped_paths()
    folders = _tracked_top_level_folders()
    assert folders, "git ls-files listed no folder"
    missing = sorted(
        f for f in folders if ROOT / f not in mapped and not any((ROOT / f) in p.parents for p in mapped)
    )
    assert not missing, f"folders missing from the README map: {missing}"


def test_every_package_module_is_in_the_map() -> None:
    mapped = _mapped_paths()
    package = ROOT / "empathy_explorer"
    entries = {f.split("/")[1] for f in _tracked_files() if f.startswith("empathy_explorer/")}
    public = [
        package / name
        for name in sorted(entries)
        if not name.startswith(("_", ".")) and (name.endswith(".py") or (package / name).is_dir())
    ]
    assert len(public) >= 10
    missing = sorted(p.name for p in public if p not in mapped)
    assert not missing, f"modules of empathy_explorer missing from the README map: {missing}"


def test_the_two_commands_are_makefile_targets() -> None:
    commands = re.findall(r"^make (\w+)\s", README, flags=re.MULTILINE)
    assert commands[:2] == ["app", "test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in commands:
        assert re.search(rf"^{target}:", makefile, flags=re.MULTILINE), f"no Makefile target {target}"
