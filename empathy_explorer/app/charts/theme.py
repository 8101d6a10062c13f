"""The look of every chart: the colour-blind-safe palette, line styles and the Vega-Lite theme.

Colours follow the Okabe–Ito palette; lines differ by style as well as by colour (WCAG 1.4.1), so they
stay apart in grey print and for colour-blind readers. Fonts are local only (no font from the internet).

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make figures and presentations that are
friendly to colorblind people. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

from typing import Any

import altair as alt

__all__ = [
    "CATEGORY_RANGE",
    "DASH_PATTERNS",
    "OKABE_ITO",
    "ROLE_COLORS",
    "ROLE_DASHES",
    "THEME_NAME",
    "TONE_COLORS",
    "register_theme",
    "series_dash",
]

#: The Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008), by colour name.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Category order used by the theme (black last: it is kept for reference lines).
CATEGORY_RANGE: list[str] = [
    OKABE_ITO[k]
    for k in ("blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue", "yellow", "black")
]

#: The two people in a session always get the same colours on every page.
ROLE_COLORS: dict[str, str] = {"patient": OKABE_ITO["blue"], "clinician": OKABE_ITO["vermillion"]}

#: Line styles of a chart's series, in order (Vega dash arrays; ``[1, 0]`` is solid). Lines differ by style
#: as well as by colour, so they stay apart in grey print and for colour-blind readers (WCAG 1.4.1).
DASH_PATTERNS: list[list[int]] = [[1, 0], [7, 3], [2, 2], [7, 3, 2, 3], [12, 4]]

#: The two people of a session: the patient solid, the clinician dashed, on every page.
ROLE_DASHES: dict[str, list[int]] = {"patient": [1, 0], "clinician": [7, 3]}


def series_dash(field: str, domain: list[str], **kwargs: Any) -> Any:
    """A ``strokeDash`` encoding that gives every series its own line style (roles keep theirs).

    Parameters
    ----------
    field : str
        The series column, e.g. ``"person"`` (nominal).
    domain : list of str
        The series values in legend order.
    **kwargs
        Passed to ``alt.StrokeDash`` (e.g. ``title``, ``legend``; use the colour encoding's title so the
        two legends merge into one).

    Examples
    --------
    >>> series_dash("person", ["patient", "clinician"]).to_dict()["scale"]["range"]
    [[1, 0], [7, 3]]
    """
    rng = [ROLE_DASHES.get(str(v), DASH_PATTERNS[i % len(DASH_PATTERNS)]) for i, v in enumerate(domain)]
    return alt.StrokeDash(f"{field}:N", scale=alt.Scale(domain=list(domain), range=rng), **kwargs)


#: Shading of session segments by emotional tone.
TONE_COLORS: dict[str, str] = {
    "positive": OKABE_ITO["bluish_green"],
    "neutral": "#BBBBBB",
    "conflict": OKABE_ITO["reddish_purple"],
}

THEME_NAME = "empathy_explorer"
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"  # local fonts only


def _theme() -> dict[str, Any]:
    """Vega-Lite config: readable on a projector, colour-blind-safe categories, local fonts."""
    return {
        "config": {
            "view": {"continuousWidth": 640, "continuousHeight": 220, "strokeWidth": 0},
            "font": _FONT,
            "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12, "subtitleColor": "#444"},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "top"},
            "header": {"labelFontSize": 13, "titleFontSize": 13},
            "range": {"category": CATEGORY_RANGE},
            "line": {"strokeWidth": 1.6},
        }
    }


def register_theme() -> None:
    """Register the project's Vega-Lite theme with Altair (once) and enable it."""
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(_theme)
    alt.theme.enable(THEME_NAME)
