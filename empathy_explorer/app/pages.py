"""The learning path: every page of the app, its title, track and minutes, in ONE place.

The app's Voilà template reads this table through the Jinja filter :func:`page_context` (registered in
``voila.json`` under ``VoilaExporter.filters``) to draw the header of every page: the project name, the
page title, its place in the path ("Core track · 3 of 6 · about 20 min") and previous/next links at the
top and the bottom, and the browser tab's title. Pages listed here whose notebook does not exist (yet)
are skipped, so the path can name pages other branches are still writing.

Nothing here imports numpy, pandas or widgets: the Voilà *server* imports this module.

Examples
--------
>>> [p.number for p in PAGES][:3]
['00', '01', '02']
>>> page_context("03_fast_smile_slow_thought", available=[p.notebook for p in PAGES])["place"]
'Core track · 4 of 6 · about 15 min'
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["PAGES", "PROJECT_NAME", "TRACKS", "Page", "available_notebooks", "page_context", "tab_title"]

#: Shown in every page's header and tab title.
PROJECT_NAME = "Empathy Explorer"

#: Track key -> name shown in the header, in path order.
TRACKS: dict[str, str] = {"core": "Core track", "research": "Research track", "activity": "Class activity"}


@dataclass(frozen=True)
class Page:
    """One page of the learning path.

    Attributes
    ----------
    notebook : str
        File name in ``notebooks/``, e.g. ``"03_fast_smile_slow_thought.ipynb"``.
    title : str
        The page's title as students see it (without the number).
    track : str
        A key of :data:`TRACKS`.
    minutes : int
        About how long the page takes (the page's own statement).
    """

    notebook: str
    title: str
    track: str
    minutes: int

    @property
    def number(self) -> str:
        """The two-digit page number, e.g. ``"03"``."""
        return self.notebook[:2]

    @property
    def stem(self) -> str:
        """The notebook's name without ``.ipynb`` (what Voilà calls the page)."""
        return self.notebook.removesuffix(".ipynb")


#: The path, in order. Minutes are the pages' own statements ("About N minutes"; checked against the
#: pages and the facilitator guide by tests/notebooks/test_page_times.py). 08 and 09 are the class
#: activities.
PAGES: tuple[Page, ...] = (
    Page("00_start_here.ipynb", "Start here", "core", 12),
    Page("01_empathy_in_the_clinic.ipynb", "Empathy in the clinic", "core", 15),
    Page("02_mirror_neurons_are_learned.ipynb", "Could mirror neurons be learned?", "core", 15),
    Page("03_fast_smile_slow_thought.ipynb", "Fast smile, slow thought", "core", 15),
    Page("04_two_bodies_in_sync.ipynb", "Two bodies in sync", "core", 15),
    Page("06_mgh_reanalysis.ipynb", "Re-run the MGH analysis", "core", 20),
    Page("05_measuring_synchrony.ipynb", "Measuring synchrony", "research", 30),
    Page("07_session_explorer.ipynb", "Session explorer", "research", 15),
    Page("08_mirror_game.ipynb", "Your own synchrony: the mirror game and tapping together", "activity", 25),
    Page("09_class_synchrony.ipynb", "Our class in sync", "activity", 15),
)


def _notebook_dir() -> Path:
    """Where the served notebooks are: ``$EE_NOTEBOOK_DIR``, else ``./notebooks`` (``make app``'s cwd)."""
    env = os.environ.get("EE_NOTEBOOK_DIR")
    if env:
        return Path(env)
    here = Path.cwd() / "notebooks"
    return here if here.is_dir() else Path(__file__).resolve().parents[2] / "notebooks"


def available_notebooks(folder: str | Path | None = None) -> list[str]:
    """Names of the path's notebooks that exist in ``folder`` (default: the served notebook folder)."""
    root = Path(folder) if folder is not None else _notebook_dir()
    return [p.notebook for p in PAGES if (root / p.notebook).is_file()]


def tab_title(page: Page) -> str:
    """The browser tab's title, e.g. ``"03 · Fast smile, slow thought · Empathy Explorer"``."""
    return f"{page.number} · {page.title} · {PROJECT_NAME}"


def _link(page: Page | None) -> dict[str, str] | None:
    if page is None:
        return None
    return {"href": page.notebook, "label": f"{page.number} · {page.title}"}


def page_context(name: str, available: Sequence[str] | Iterable[str] | None = None) -> dict[str, Any]:
    """What the template's header needs for one page (a Jinja filter: ``resources.metadata.name | ee_page``).

    Parameters
    ----------
    name : str
        The notebook's name, with or without ``.ipynb``.
    available : iterable of str, optional
        Notebook file names that exist; default :func:`available_notebooks`. Pages not available are
        skipped in the numbering and in previous/next.

    Returns
    -------
    dict
        ``known`` (bool), ``project``, ``title``, ``tab_title``, ``place`` (e.g. "Core track · 4 of 6 ·
        about 20 min", empty for a page not in the path), ``previous`` and ``next`` (``None`` or
        ``{"href", "label"}``, relative links to the neighbouring notebooks), ``start`` (link to page 00).

    Examples
    --------
    >>> have = ["00_start_here.ipynb", "01_empathy_in_the_clinic.ipynb"]
    >>> ctx = page_context("00_start_here", available=have)
    >>> ctx["previous"], ctx["next"]["label"]
    (None, '01 · Empathy in the clinic')
    """
    stem = str(name).removesuffix(".ipynb")
    have = set(available_notebooks() if available is None else available)
    pages = [p for p in PAGES if p.notebook in have or p.stem == stem]
    here = next((i for i, p in enumerate(pages) if p.stem == stem), None)
    start = next((p for p in pages if p.number == "00"), None)
    if here is None:
        title = stem.replace("_", " ").strip()
        return {
            "known": False,
            "project": PROJECT_NAME,
            "title": title,
            "tab_title": f"{title} · {PROJECT_NAME}",
            "place": "",
            "previous": None,
            "next": None,
            "start": _link(start),
        }
    page = pages[here]
    same_track = [p for p in pages if p.track == page.track]
    place = (
        f"{TRACKS[page.track]} · {same_track.index(page) + 1} of {len(same_track)} · about {page.minutes} min"
    )
    return {
        "known": True,
        "project": PROJECT_NAME,
        "title": page.title,
        "number": page.number,
        "tab_title": tab_title(page),
        "place": place,
        "previous": _link(pages[here - 1] if here > 0 else None),
        "next": _link(pages[here + 1] if here + 1 < len(pages) else None),
        "start": _link(start),
    }
