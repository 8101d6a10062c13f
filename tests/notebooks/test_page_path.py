"""The learning path lives in one place (empathy_explorer/app/pages.py) and drives every page header."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from empathy_explorer.app.pages import PAGES, TRACKS, available_notebooks, page_context, tab_title
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
NOTEBOOKS = REPO / "notebooks"


def test_every_served_notebook_is_in_the_path_once():
    names = [p.notebook for p in PAGES]
    assert len(names) == len(set(names))
    served = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert set(served) <= set(names), f"add to pages.py: {sorted(set(served) - set(names))}"
    assert all(p.track in TRACKS for p in PAGES)


def test_title_and_minutes_in_the_path_match_what_the_page_says():
    """The header repeats the page's own title: both must say the same thing."""
    for page in PAGES:
        path = NOTEBOOKS / page.notebook
        if not path.exists():
            continue
        first = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
        heading = first.splitlines()[0]
        assert heading.endswith(f"{page.number} · {page.title}"), (page.notebook, heading)
        minutes = re.search(r"About (\d+) minutes", first)
        assert minutes and int(minutes.group(1)) == page.minutes, (page.notebook, page.minutes, first[:200])


def test_place_counts_within_the_track_and_links_skip_missing_pages():
    have = [p.notebook for p in PAGES if p.number in ("00", "01", "03", "04", "06", "05")]
    ctx = page_context("03_fast_smile_slow_thought.ipynb", available=have)
    # 02 is missing: 03 is the third core page of five, between 01 and 04
    assert ctx["place"] == "Core track · 3 of 5 · about 15 min"
    assert ctx["previous"] == {
        "href": "01_empathy_in_the_clinic.ipynb",
        "label": "01 · Empathy in the clinic",
    }
    assert ctx["next"]["href"] == "04_two_bodies_in_sync.ipynb"
    # the last core page leads on to the research track
    assert page_context("06_mgh_reanalysis", available=have)["next"]["href"] == "05_measuring_synchrony.ipynb"
    last = page_context("05_measuring_synchrony", available=have)
    assert last["next"] is None and last["place"].startswith("Research track · 1 of 1")
    assert page_context("00_start_here", available=have)["previous"] is None


def test_a_page_not_in_the_path_still_gets_a_header():
    ctx = page_context("99_draft_page", available=[])
    assert ctx["known"] is False and ctx["title"] == "99 draft page" and ctx["place"] == ""
    assert ctx["tab_title"] == "99 draft page · Empathy Explorer"


def test_tab_title_and_available_notebooks(tmp_path):
    assert tab_title(PAGES[3]) == "03 · Fast smile, slow thought · Empathy Explorer"
    (tmp_path / "01_empathy_in_the_clinic.ipynb").write_text("{}")
    (tmp_path / "08_mirror_game.ipynb").write_text("{}")
    assert available_notebooks(tmp_path) == ["01_empathy_in_the_clinic.ipynb", "08_mirror_game.ipynb"]


def test_the_server_can_import_the_path_without_numpy_or_widgets():
    """voila.json registers page_context as a Jinja filter: the Voilà server imports this module."""
    code = (
        "import sys, empathy_explorer.app.pages as p; p.page_context('00_start_here');"
        "print(sorted(m for m in ('numpy', 'pandas', 'ipywidgets', 'altair') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("config", ["voila.json", "binder/jupyter_server_config.json"])
def test_the_template_filter_is_registered(config):
    data = json.loads((REPO / config).read_text(encoding="utf-8"))
    assert data["VoilaExporter"]["filters"]["ee_page"] == "empathy_explorer.app.pages.page_context"
    template = REPO / "empathy_explorer" / "app" / "voila_template" / "empathy" / "index.html.j2"
    assert re.search(r"\|\s*ee_page", template.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", [p for p in PAGES if (REPO / "notebooks" / p.notebook).is_file()], ids=str)
def test_each_notebook_ends_with_the_same_previous_and_next_as_the_header(page):
    """The last line of a notebook (what JupyterLab readers follow) links the same neighbours as the app's
    header, in the order of the learning path, so the two never send a student different ways."""
    nb = json.loads((REPO / "notebooks" / page.notebook).read_text(encoding="utf-8"))
    last = "".join(nb["cells"][-1]["source"])
    links = re.findall(r"\[([^\]]+)\]\(([^)]+\.ipynb)\)", last)
    have = [p.notebook for p in PAGES if (REPO / "notebooks" / p.notebook).is_file()]
    ctx = page_context(page.notebook, available=have)
    want = [(n["label"], n["href"]) for n in (ctx["previous"],) if n]
    want += [("Start page", "00_start_here.ipynb")]
    want += [(n["label"], n["href"]) for n in (ctx["next"],) if n]
    assert links == want, f"{page.notebook}: last line links {links}, the path says {want}"
