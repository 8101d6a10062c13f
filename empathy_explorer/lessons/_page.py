"""What the lesson pages share: controls that recur, long-format chart rows, the whole-session lag profile.

One home for the pieces every ``lessons/<page>.py`` would otherwise write again:

- controls: :func:`session_control` (the example-session drop-down), :func:`signal_control`,
  :func:`share_slider` (a 0–1 quantity such as a probability or a coupling), :func:`ms_slider`;
- data for charts: :func:`long_frame` (one row per point and series, the shape every chart factory of
  :mod:`empathy_explorer.app.charts` reads) and :func:`thin_for_drawing`;
- example sessions: :func:`teaching_sessions`, :func:`session_pair` (with the message for a wrong
  signal) and :func:`truth_text` (what the simulator knows, for a takeaway);
- synchrony of a whole recording: :func:`lag_profile` and :func:`profile_peak`;
- :func:`two_bars_chart`: two situations side by side as bars (line charts side by side are
  :func:`empathy_explorer.app.charts.two_panel_chart`);
- :func:`lesson_demo`: a demo from its compute function, its chart and its controls.

Statistics are always computed on full-rate arrays; only what is drawn is thinned.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from empathy_explorer.app.charts import (
    OKABE_ITO,
    bar_chart,
    downsample_for_display,
    two_panel_chart,
)
from empathy_explorer.app.widgets import Demo, DemoOutput, choice, labelled_slider, slider_group
from empathy_explorer.errors import ParameterError
from empathy_explorer.sessions import list_sessions, load_session
from empathy_explorer.synchrony import windowed_xcorr

if TYPE_CHECKING:
    from empathy_explorer.sessions import Session

__all__ = [
    "SIGNALS",
    "SIGNAL_NAMES",
    "lag_profile",
    "lesson_demo",
    "long_frame",
    "ms_slider",
    "profile_peak",
    "session_and_signal",
    "session_control",
    "session_pair",
    "share_slider",
    "signal_control",
    "teaching_sessions",
    "thin_for_drawing",
    "truth_text",
    "two_bars_chart",
    "two_panel_chart",
]

#: The two signals of an example session, as shown in the drop-down (label → signal kind).
SIGNALS: Mapping[str, str] = {"Skin conductance (µS)": "eda", "Heart rate (bpm)": "hr"}
#: The signals in words, for takeaways.
SIGNAL_NAMES: Mapping[str, str] = {"eda": "skin conductance", "hr": "heart rate"}


# --------------------------------------------------------------------------------------------------
# Controls
# --------------------------------------------------------------------------------------------------


def teaching_sessions() -> dict[str, str]:
    """The bundled teaching sessions (all simulated) as ``{title: id}``, for drop-down lists.

    Examples
    --------
    >>> "warm-rapport" in teaching_sessions().values()
    True
    """
    cat = list_sessions()
    cat = cat[cat["group"] == "teaching"]
    return dict(zip(cat["title"], cat["id"], strict=True))


def session_control(value: str = "warm-rapport") -> widgets.Dropdown:
    """The drop-down of example sessions (all simulated)."""
    return choice("Example session (simulated)", teaching_sessions(), value=value)


def signal_control(value: str = "eda") -> widgets.Dropdown:
    """The drop-down of the two signals (skin conductance, heart rate)."""
    return choice("Signal", SIGNALS, value=value)


def session_and_signal(session: str = "warm-rapport", kind: str = "eda") -> dict[str, widgets.Dropdown]:
    """The two drop-downs of a demo on an example session: ``session_id`` and ``kind`` (the signal)."""
    return {"session_id": session_control(session), "kind": signal_control(kind)}


def share_slider(
    label: str, value: float, *, low: float = 0.0, high: float = 1.0, unit: str = "0–1"
) -> widgets.FloatSlider:
    """A slider for a quantity from 0 to 1 (a probability, a coupling), in steps of 0.05."""
    return labelled_slider(label, min=low, max=high, step=0.05, value=value, unit=unit)


def ms_slider(label: str, *, low: int, high: int, step: int, value: int) -> widgets.IntSlider:
    """A whole-millisecond slider (delays and time constants of the models)."""
    return labelled_slider(label, min=low, max=high, step=step, value=value, integer=True, unit="ms")


# --------------------------------------------------------------------------------------------------
# Rows for the charts
# --------------------------------------------------------------------------------------------------


def long_frame(
    x_name: str, x: ArrayLike, y_name: str, series_name: str, curves: Mapping[str, Any]
) -> pd.DataFrame:
    """Curves over one x axis as long-format rows: one row per point and curve.

    Parameters
    ----------
    x_name, y_name, series_name : str
        Column names of the x values, the y values and the curve's label.
    x : array_like, shape (n,)
        The x values every curve shares.
    curves : mapping of str to array_like
        Each curve's label and its ``n`` y values (a single number is drawn as a flat line).

    Examples
    --------
    >>> long_frame("t", [0, 1], "v", "who", {"a": [1.0, 2.0], "b": 0.5})["v"].tolist()
    [1.0, 2.0, 0.5, 0.5]
    """
    xs = np.asarray(x)
    ys = [np.broadcast_to(np.asarray(v), xs.shape) for v in curves.values()]
    return pd.DataFrame(
        {
            x_name: np.tile(xs, len(ys)),
            y_name: np.concatenate(ys) if ys else np.array([], dtype=float),
            series_name: np.repeat(list(curves), xs.size),
        }
    )


def thin_for_drawing(
    times_s: np.ndarray, values: np.ndarray, max_points: int
) -> tuple[np.ndarray, np.ndarray]:
    """Drop undefined (NaN) samples and thin for drawing, keeping peaks (statistics stay on full rate)."""
    ok = np.isfinite(values)
    if not ok.any():
        return times_s[:0], values[:0]
    return downsample_for_display(times_s[ok], values[ok], max_points=max_points)


# --------------------------------------------------------------------------------------------------
# Example sessions
# --------------------------------------------------------------------------------------------------


def check_signal(kind: str) -> str:
    """``kind`` if it is ``"eda"`` or ``"hr"``; a :class:`ParameterError` a student can act on otherwise."""
    if kind not in SIGNAL_NAMES:
        raise ParameterError(f"Choose skin conductance ('eda') or heart rate ('hr'), not {kind!r}.")
    return kind


def session_pair(session_id: str, kind: str) -> tuple[np.ndarray, np.ndarray, float, Session]:
    """Both full-rate signals of an example session (patient, clinician), its rate (Hz) and the session."""
    check_signal(kind)
    session = load_session(session_id)
    x, y = session.pair(kind)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float), float(session.fs), session


def truth_text(session: Session) -> str:
    """The simulator's truth about a session, as a sentence for a takeaway ("" when there is none)."""
    gt = session.ground_truth
    if gt is None:
        return ""
    if gt.leader in ("patient", "clinician"):
        follower = "clinician" if gt.leader == "patient" else "patient"
        return (
            f" (The simulator's truth: coupling {gt.coupling:.2f}, the {follower} follows the "
            f"{gt.leader} by {gt.lag_s:g} s.)"
        )
    return f" (The simulator's truth: no coupling; shared outside events {gt.shared_driver:.1f}.)"


# --------------------------------------------------------------------------------------------------
# Synchrony of a whole recording
# --------------------------------------------------------------------------------------------------


def lag_profile(x: np.ndarray, y: np.ndarray, fs: float, max_lag_s: float = 10.0) -> pd.DataFrame:
    """Lagged Pearson r of two whole recordings, one value per lag (positive lag: y follows x).

    Uses :func:`~empathy_explorer.synchrony.windowed_xcorr` with a single window spanning the recording
    (less ``max_lag_s`` at each end).

    Parameters
    ----------
    x, y : numpy.ndarray
        The two signals (patient, clinician), same length.
    fs : float
        Sampling rate, Hz.
    max_lag_s : float, default 10
        Largest lag, s.

    Returns
    -------
    pandas.DataFrame
        Columns ``lag_s`` and ``r``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(2000)
    >>> prof = lag_profile(x, np.roll(x, 8), fs=4.0, max_lag_s=5)
    >>> float(prof.loc[prof["r"].idxmax(), "lag_s"])
    2.0
    """
    n = len(x)
    window_s = (n - 2 * round(max_lag_s * fs)) / fs
    res = windowed_xcorr(x, y, fs, window_s=window_s, step_s=window_s, max_lag_s=max_lag_s)
    return pd.DataFrame({"lag_s": res.lags_s, "r": res.r[0]})


def profile_peak(profile: pd.DataFrame) -> tuple[float, float]:
    """The largest r of a lag profile and its lag, s (NaN, NaN when no lag has a value)."""
    r = profile["r"].to_numpy()
    if not np.isfinite(r).any():
        return math.nan, math.nan
    i = int(np.nanargmax(r))
    return float(r[i]), float(profile["lag_s"].iloc[i])


# --------------------------------------------------------------------------------------------------
# Two bars side by side
# --------------------------------------------------------------------------------------------------


def two_bars_chart(
    x: str, y: str, labels: tuple[str, str], *, title: str, subtitle: str, x_title: str, y_title: str
) -> Callable[[Mapping[str, pd.DataFrame]], Any]:
    """Two situations side by side as horizontal bars on a 0–1 scale (dataset ``bars``), one colour each."""
    return bar_chart(
        "bars",
        x=x,
        y=y,
        series=x,
        colors=dict(zip(labels, (OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"]), strict=True)),
        title=title,
        subtitle=subtitle,
        x_title=x_title,
        y_title=y_title,
        y_domain=(0, 1),
        horizontal_categories=True,
        height=120,
    )


# --------------------------------------------------------------------------------------------------
# A demo
# --------------------------------------------------------------------------------------------------


def lesson_demo(
    compute: Callable[..., DemoOutput],
    chart: Callable[[Mapping[str, pd.DataFrame]], Any],
    *,
    filename: str,
    title: str = "Try it",
    **controls: widgets.ValueWidget,
) -> Demo:
    """A notebook demo: the controls under ``title``, ``compute`` run on every change, its chart and takeaway.

    Parameters
    ----------
    compute : callable
        ``compute(**values) -> DemoOutput``, a plain function of the page (tests call it directly).
    chart : callable
        A chart factory of :mod:`empathy_explorer.app.charts` (``chart(datasets) -> chart``).
    filename : str
        Base name of exported images.
    title : str, default "Try it"
        Heading of the controls.
    **controls : ipywidgets.ValueWidget
        One control per parameter of ``compute``, named as the parameter.
    """
    return Demo(slider_group(title, **controls), compute, chart, filename=filename)
