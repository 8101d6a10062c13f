"""Every teaching notebook: clean in git, complete as a lesson, working links, and runs top to bottom.

The notebooks are found with a glob, so a new notebook (e.g. 07, the session explorer) is checked
automatically.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from tests.support.paths import REPO_ROOT

NB_DIR = REPO_ROOT / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
EXECUTION_LIMIT_S = 60.0

_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_DOI = re.compile(r"https://doi\.org/10\.\d{4,9}/\S+")


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _markdown(nb: nbformat.NotebookNode) -> str:
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _code(nb: nbformat.NotebookNode) -> str:
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "code")


def _section(markdown: str, heading: str) -> str:
    """Text under a level-2 heading, up to the next level-1/2 heading."""
    m = re.search(rf"^##\s+{heading}\b.*$", markdown, flags=re.MULTILINE | re.IGNORECASE)
    if m is None:
        return ""
    rest = markdown[m.end() :]
    nxt = re.search(r"^#{1,2}\s", rest, flags=re.MULTILINE)
    return rest[: nxt.start()] if nxt else rest


def test_the_teaching_notebooks_are_there():
    names = {p.stem for p in NOTEBOOKS}
    expected = {
        "00_start_here",
        "01_empathy_in_the_clinic",
        "02_mirror_neurons_are_learned",
        "03_fast_smile_slow_thought",
        "04_two_bodies_in_sync",
        "05_measuring_synchrony",
        "06_mgh_reanalysis",
    }
    missing = sorted(expected - names)
    assert not missing, f"Notebooks not written yet: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_without_outputs(path):
    nb = _read(path)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has stored outputs"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"
    assert "widgets" not in nb.metadata, f"{path.name} stores widget state in its metadata"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_is_a_complete_lesson(path):
    nb = _read(path)
    text = _markdown(nb)
    first = next(c for c in nb.cells if c.cell_type == "markdown").source
    assert first.lstrip().startswith("# "), f"{path.name}: the first cell must be the page title"
    assert re.search(r"^##\s+Learning objectives", first, re.MULTILINE), f"{path.name}: objectives at the top"
    assert re.search(r"^\s*1\.\s+\S", _section(first, "Learning objectives"), re.MULTILINE), (
        f"{path.name}: the objectives are a numbered list"
    )
    n_questions = len(re.findall(r"\bquiz\(", _code(nb)))
    assert n_questions >= 3, f"{path.name}: {n_questions} check-your-understanding questions, need >= 3"
    key_points = _section(text, "Key points")
    assert key_points.count("\n- ") >= 3, f"{path.name}: a 'Key points' summary with at least 3 bullets"
    refs = _section(text, "References")
    bullets = [b for b in re.split(r"\n(?=- )", refs.strip()) if b.startswith("- ")]
    assert len(bullets) >= 2, f"{path.name}: a 'References' list"
    for b in bullets:
        # a DOI link, or a stable https URL for the few works without a DOI (checked against
        # docs/references.bib by tests/docs/test_references.py)
        assert _DOI.search(b) or re.search(r"https://\S+", b), (
            f"{path.name}: reference without a DOI link: {b[:80]!r}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_text_lives_in_markdown_and_code_is_thin(path):
    """Voilà strips code cells, so prose must be in markdown; code cells only import, build and show."""
    nb = _read(path)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        src = cell.source
        assert "print(" not in src, f"{path.name} cell {i}: explain in markdown, not with print()"
        assert "clear_output" not in src and "display(" not in src, (
            f"{path.name} cell {i}: re-displaying outputs can hang Voilà; update widgets in place"
        )
        assert "import matplotlib" not in src, (
            f"{path.name} cell {i}: charts come from empathy_explorer.app.charts"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_relative_links_resolve(path):
    text = _markdown(_read(path))
    links = _LINK.findall(text)
    for target in links:
        parsed = urlparse(target)
        if parsed.scheme in ("http", "https", "mailto") or target.startswith("#"):
            continue
        assert not target.startswith("/"), (
            f"{path.name}: link {target!r} must be relative (JupyterLab and Voilà)"
        )
        resolved = (path.parent / unquote(parsed.path)).resolve()
        assert resolved.exists(), f"{path.name}: link {target!r} points to a missing file"


def test_link_checker_catches_a_broken_link(tmp_path):
    broken = "See [next](99_missing.ipynb) and [ok](https://doi.org/10.1/x)."
    targets = _LINK.findall(broken)
    assert targets == ["99_missing.ipynb", "https://doi.org/10.1/x"]
    assert not (NB_DIR / targets[0]).exists()


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_executes_top_to_bottom_on_a_fresh_kernel(path):
    from nbclient import NotebookClient

    nb = _read(path)
    client = NotebookClient(
        nb,
        timeout=int(EXECUTION_LIMIT_S),
        kernel_name="python3",
        resources={"metadata": {"path": str(NB_DIR)}},
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    assert elapsed < EXECUTION_LIMIT_S, f"{path.name} took {elapsed:.1f} s (limit {EXECUTION_LIMIT_S:.0f} s)"
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert out.output_type != "error", (
                f"{path.name} cell {i}: {out.get('ename')}: {out.get('evalue')}"
            )
            if out.output_type == "stream" and out.name == "stderr":
                pytest.fail(f"{path.name} cell {i} wrote to stderr: {out.text[:300]}")
    print(f"{path.name}: executed in {elapsed:.1f} s")
