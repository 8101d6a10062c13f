"""Every page ends with an evidence box: a markdown cell just before "## References", headed
"## Evidence box", with a table | Status | Claim | Source | whose Status is one of four words and whose
Source gives a DOI or a link, or names the model or the project for a model assumption."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
#: Every page of the path, 00-09.
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[0-9]_*.ipynb"))
STATUSES = {"Established", "Debated", "Speculative", "Model assumption"}


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def evidence_rows(cells: list[dict]) -> list[tuple[str, str, str]]:
    """(status, claim, source) rows of the evidence box; [] if the page has none in the right place."""
    texts = ["".join(c["source"]) for c in cells]
    refs = [i for i, t in enumerate(texts) if t.startswith("## References")]
    if not refs or refs[0] == 0:
        return []
    box = texts[refs[0] - 1]
    if not box.startswith("## Evidence box"):
        return []
    rows = []
    for line in box.splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cols) >= 3 and cols[0] not in ("Status", "") and not set(cols[0]) <= {"-", ":"}:
            rows.append((cols[0], cols[1], " | ".join(cols[2:])))
    return rows


def test_reader_finds_rows_only_in_the_box_before_the_references():
    box = "## Evidence box\n\n| Status | Claim | Source |\n|---|---|---|\n| Debated | X | Y, doi 10.1/x |\n"
    cells = [{"source": ["# T"]}, {"source": [box]}, {"source": ["## References\n- A"]}]
    assert evidence_rows(cells) == [("Debated", "X", "Y, doi 10.1/x")]
    assert evidence_rows([cells[0], cells[2]]) == []
    assert evidence_rows([cells[1], cells[0], cells[2]]) == []


@pytest.mark.parametrize(
    "path",
    NOTEBOOKS,
    ids=[p.stem for p in NOTEBOOKS],
)
def test_every_page_ends_with_an_evidence_box(path):
    rows = evidence_rows(_cells(path))
    assert len(rows) >= 3, f"{path.name}: an evidence box with at least 3 claims just before the references"
    for status, claim, source in rows:
        assert status in STATUSES, f"{path.name}: status {status!r} is not one of {sorted(STATUSES)}"
        assert claim, f"{path.name}: a row without a claim"
        if status == "Model assumption":
            assert re.search(r"model|simulat|project|this page", source, re.IGNORECASE), (
                f"{path.name}: say whose assumption it is: {source!r}"
            )
        elif status != "Speculative":
            assert re.search(r"doi 10\.\d{4,9}/|https://", source), f"{path.name}: no DOI or link: {source!r}"
    assert any(s == "Model assumption" for s, _, _ in rows) or "simulated" not in path.read_text(
        encoding="utf-8"
    ), f"{path.name}: a page with simulated data states its model assumption in the box"
