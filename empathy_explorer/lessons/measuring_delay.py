"""Notebook 05, "a delayed link": does a slope-based, same-moment measure catch a link that runs late?

Part of :mod:`empathy_explorer.lessons.measuring` (which re-exports :func:`delay_sweep`,
:func:`delay_demo` and :data:`DELAY_GRID_S`). A separate demo, not one of the registry's methods: it puts
the concordance index next to the lagged peak r of the whole session for a follower who responds 0-10 s
late (simulated skin conductance).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from empathy_explorer import synchrony
from empathy_explorer.app.charts import OKABE_ITO
from empathy_explorer.app.widgets import Demo, DemoOutput, labelled_slider
from empathy_explorer.errors import ParameterError
from empathy_explorer.lessons._page import lag_profile, lesson_demo, long_frame, profile_peak, two_panel_chart

__all__ = ["DELAY_GRID_S", "delay_demo", "delay_sweep"]

#: Delays of the follower (the clinician) swept by :func:`delay_sweep`, seconds.
DELAY_GRID_S = tuple(float(d) for d in range(11))
_LINK, _NO_LINK = "linked pair (coupling 0.9)", "no link (coupling 0): chance level"
_DELAY_DEMO = {"duration_s": 900.0, "fs": 4.0, "coupling": 0.9, "seed": 3, "max_lag_s": 12.0}


def _delay_pairs() -> dict[float | None, tuple[np.ndarray, np.ndarray]]:
    """Simulated skin-conductance pairs, one per delay of :data:`DELAY_GRID_S`, plus ``None``: no link.

    Same seed for all, so the patient's recording is the same and only the clinician's delay changes.
    Computed once per process (about 1 s) and reused by every slider move.
    """
    cached = getattr(_delay_pairs, "_cache", None)
    if cached is None:
        from empathy_explorer.sessions.simulate import simulate_dyad

        p = _DELAY_DEMO
        cached = {}
        for delay in (*DELAY_GRID_S, None):
            session = simulate_dyad(
                p["duration_s"],
                p["fs"],
                coupling=0.0 if delay is None else p["coupling"],
                lag_s=2.0 if delay is None else delay,
                leader="patient",
                seed=int(p["seed"]),
            )
            x, y = session.pair("eda")
            cached[delay] = (np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        _delay_pairs._cache = cached  # type: ignore[attr-defined]
    return cached


def delay_sweep(delay_s: float = 2.0, slope_window_s: float = 5.0, corr_window_s: float = 15.0) -> DemoOutput:
    """Concordance index and lagged peak r of one simulated link, for every delay of the follower.

    The clinician's skin conductance responds to the patient's responses (coupling 0.9) after a delay
    of 0-10 s. For each delay the function computes (a) the concordance index, which correlates the two
    people's *slopes* at the same moment (:func:`empathy_explorer.synchrony.concordance_index`), and
    (b) the peak r of the whole-session lag profile over lags of ±12 s
    (:func:`empathy_explorer.lessons._page.lag_profile`). The same measures on a pair with no link
    (coupling 0, same patient) give the chance level. Whether the concordance catches a delayed link
    depends on the delay relative to the slope window and to the slow rise of a skin-conductance
    response; the lagged peak r does not depend on the delay.

    Parameters
    ----------
    delay_s : float
        The delay to mark on the charts, s (one of :data:`DELAY_GRID_S`; rounded to whole seconds).
    slope_window_s, corr_window_s : float
        Slope and correlation windows of the concordance index, s.

    Returns
    -------
    DemoOutput
        Datasets ``concordance`` and ``peak_r`` (``delay_s``, ``value``, ``line``: the linked pair or
        the no-link pair) and ``here`` (``delay_s``, ``label``: the marked delay); ``extra``:
        ``concordance`` and ``peak_r`` (lists over :data:`DELAY_GRID_S`), ``chance_concordance``,
        ``chance_peak_r``, ``at_delay`` (the two values at ``delay_s``).

    Examples
    --------
    >>> out = delay_sweep()
    >>> out.extra["concordance"][0] > out.extra["concordance"][6]
    True

    References
    ----------
    Marci, C. D., Ham, J., Moran, E., & Orr, S. P. (2007). J Nerv Ment Dis, 195(2), 103-111.
    https://doi.org/10.1097/01.nmd.0000253731.71025.fc
    """
    delay = float(round(float(delay_s)))
    if delay not in DELAY_GRID_S:
        raise ParameterError(f"Choose a delay from 0 to {DELAY_GRID_S[-1]:g} s, not {delay_s!r}.")
    fs, max_lag_s = _DELAY_DEMO["fs"], _DELAY_DEMO["max_lag_s"]
    pairs = _delay_pairs()

    def measures(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        conc = synchrony.concordance_index(
            x, y, fs, slope_window_s=slope_window_s, corr_window_s=corr_window_s
        )
        peak_r, _ = profile_peak(lag_profile(x, y, fs, max_lag_s=max_lag_s))
        return float(conc.index), float(peak_r)

    linked = [measures(*pairs[d]) for d in DELAY_GRID_S]
    chance_conc, chance_r = measures(*pairs[None])
    conc = [c for c, _ in linked]
    peak = [r for _, r in linked]
    grid = list(DELAY_GRID_S)

    def frame(values: list[float], chance: float) -> pd.DataFrame:
        return long_frame("delay_s", grid, "value", "line", {_LINK: values, _NO_LINK: chance})

    i = grid.index(delay)
    caught = "above" if conc[i] > chance_conc else "at or below"
    takeaway = (
        f"Delay {delay:g} s: concordance index {conc[i]:.2f} ({caught} the no-link level of "
        f"{chance_conc:.2f}) with {slope_window_s:g}-s slopes; lagged peak r {peak[i]:.2f} (no link: "
        f"{chance_r:.2f}). Simulated pairs: the truth is a link at every delay."
    )
    extra = {
        "concordance": conc,
        "peak_r": peak,
        "chance_concordance": chance_conc,
        "chance_peak_r": chance_r,
        "at_delay": {"concordance": conc[i], "peak_r": peak[i]},
    }
    here = pd.DataFrame({"delay_s": [delay], "label": [f"delay {delay:g} s"]})
    return DemoOutput(
        {"concordance": frame(conc, chance_conc), "peak_r": frame(peak, chance_r), "here": here},
        takeaway,
        extra,
    )


def delay_demo() -> Demo:
    """The notebook demo: follower delay and slope window → concordance and lagged peak r, side by side."""
    colors = {_LINK: OKABE_ITO["blue"], _NO_LINK: OKABE_ITO["black"]}
    common = {
        "x": "delay_s",
        "y": "value",
        "series": "line",
        "colors": colors,
        "x_title": "Clinician's delay (s)",
        "dashed": _NO_LINK,
        "vline": "here",
        "points": True,
    }
    panel_left = {
        **common,
        "data": "concordance",
        "y_title": "Concordance index (unitless)",
        "title": "Concordance (slopes at the same moment)",
    }
    panel_right = {
        **common,
        "data": "peak_r",
        "y_title": "Peak r over lags ±12 s (unitless)",
        "title": "Lagged cross-correlation (best lag)",
        "y_domain": (0.0, 1.0),
    }

    def chart(datasets: Mapping[str, pd.DataFrame]) -> Any:
        return two_panel_chart(
            datasets,
            title="Does each measure see a link that runs with a delay?",
            subtitle="Simulated skin conductance, 15 min at 4 Hz; dashed: the same measure with no link",
            left=panel_left,
            right=panel_right,
        )

    return lesson_demo(
        delay_sweep,
        chart,
        filename="delay-and-concordance",
        title="Try it: a delayed link",
        delay_s=labelled_slider("Clinician's delay", min=0, max=10, step=1, value=2, unit="s"),
        slope_window_s=labelled_slider("Slope window", min=2, max=20, step=1, value=5, unit="s"),
    )
