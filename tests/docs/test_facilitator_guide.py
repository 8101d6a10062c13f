"""docs/facilitator-guide.md: the plan fills exactly 90 minutes, every page it names exists, links resolve."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

import pytest

from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
GUIDE = ROOT / "docs" / "facilitator-guide.md"
WORKSHOP_MIN = 90

_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_NOTEBOOK = re.compile(r"\b(\d\d_[a-z0-9_]+\.ipynb)\b")
_PLAN_ROW = re.compile(r"^\|\s*(\d+):(\d\d)\s*\|\s*(\d+)\s*\|\s*([^|]+?)\s*\|", re.MULTILINE)
_PART_HEADING = re.compile(r"^###\s+Part\s+(\d+)\..*\((\d+)\s*min", re.MULTILINE)


def _text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def plan_rows(text: str) -> list[tuple[int, int, str]]:
    """(start minute, duration in minutes, part) for each row of the plan table."""
    return [(int(h) * 60 + int(m), int(d), part) for h, m, d, part in _PLAN_ROW.findall(text)]


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_plan_parser_reads_rows_and_catches_a_wrong_sum():
    table = "| 0:00 | 10 | 1. Welcome | x |\n| 0:10 | 85 | 2. Too long | y |\n"
    rows = plan_rows(table)
    assert rows == [(0, 10, "1. Welcome"), (10, 85, "2. Too long")]
    assert sum(d for _, d, _ in rows) != WORKSHOP_MIN


def test_timings_sum_to_ninety_minutes_and_start_times_add_up():
    rows = plan_rows(_text())
    assert len(rows) >= 5, "the plan table has a row per part"
    assert sum(d for _, d, _ in rows) == WORKSHOP_MIN
    clock = 0
    for start, minutes, part in rows:
        assert start == clock, f"{part!r} starts at minute {start}, but the parts before it end at {clock}"
        assert minutes > 0
        clock += minutes


def test_part_sections_match_the_plan_table():
    text = _text()
    sections = [(int(n), int(m)) for n, m in _PART_HEADING.findall(text)]
    rows = plan_rows(text)
    assert [m for _, m in sections] == [d for _, d, _ in rows], (
        "each 'Part N (M min)' heading matches its row"
    )
    assert [n for n, _ in sections] == list(range(1, len(rows) + 1))
    for n, (_, _, part) in enumerate(rows, start=1):
        assert part.startswith(f"{n}."), f"plan row {n} is numbered {part!r}"


def test_every_notebook_named_exists():
    names = set(_NOTEBOOK.findall(_text()))
    assert {f"{i:02d}" for i in range(8)} <= {n[:2] for n in names}, "the guide covers pages 00-07"
    missing = sorted(n for n in names if not (ROOT / "notebooks" / n).exists())
    assert not missing, f"the guide names notebooks that do not exist: {missing}"


def test_relative_links_resolve():
    text = _text()
    anchors = {_slug(h) for h in re.findall(r"^#{1,6}\s+(.+)$", text, flags=re.MULTILINE)}
    links = _LINK.findall(text)
    assert links, "the guide links to the pages it uses"
    for target in links:
        parsed = urlparse(target)
        if parsed.scheme in ("http", "https", "mailto"):
            continue
        if target.startswith("#"):
            assert target[1:] in anchors, f"link {target!r} points to no heading of the guide"
            continue
        assert not target.startswith("/"), f"link {target!r} must be relative"
        resolved = (GUIDE.parent / unquote(parsed.path)).resolve()
        assert resolved.exists(), f"link {target!r} points to a missing file"


@pytest.mark.parametrize(
    "needle",
    [
        "?urlpath=voila/render/notebooks/00_start_here.ipynb",
        "make app",
        "100 concurrent users",
        "10 minutes",
        "1–2 GB",
        "Save PNG",
    ],
)
def test_launch_and_offline_essentials_are_there(needle):
    assert needle in _text()


def test_the_confusions_named_in_the_brief_are_addressed():
    text = _text().lower()
    section = text.split("## common confusions", 1)[1].split("\n## ", 1)[0]
    for confusion in ("synchrony = empathy", "mirror neurons prove", "r = 0.47 with n = 20"):
        assert confusion in section
