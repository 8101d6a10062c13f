"""Fast and slow routes: a face moves the facial muscles before (or without) reaching awareness.

An illustrative teaching model, **not fitted to data**. Two leaky integrators with delays read the same face:

- the **fast route** (mirror/limbic circuits to the facial muscles) drives the facial EMG: for a happy face
  the zygomaticus major (smiling muscle) contracts and the corrugator supercilii (frowning muscle) relaxes;
- the **slow route** (cortex) integrates the sight of the expression; "awareness" starts when it crosses a
  threshold.

A face leaves a brief visual trace after it disappears (visible persistence, a few hundred ms). A backward
mask (a neutral face shown straight after the target, as in Dimberg, Thunberg & Elmehed 2000) interrupts
that trace **for the slow, cortical route only**; the fast route still receives the face and its trace.
With the default parameters this reproduces the two published timings:

- the zygomaticus − corrugator EMG difference for a happy face appears 300–400 ms after the face
  (Dimberg & Thunberg 1998);
- a 30 ms happy face followed by a mask still moves the EMG, while the slow route never reaches the
  awareness threshold (Dimberg, Thunberg & Elmehed 2000: congruent EMG although participants reported not
  detecting the faces); without the mask the same face does reach awareness.

Honesty notes for teaching
--------------------------
The split into a subcortical "low road" and a cortical "high road" is disputed: Pessoa & Adolphs (2010)
argue against a prominent low road and for "many roads" with the cortex central. Morris, Öhman & Dolan
(1999) found a collicular–pulvinar–amygdala route more engaged for unseen faces. The model only shows that
*some* faster, unconscious route plus a slower, thresholded one is enough to produce the timings; it does
not show which anatomy does it. The delays and time constants are illustrative values tuned to the
timings, not measured ones, and the mirror-neuron account of facial mimicry is itself debated
(Hickok 2009).

References
----------
Dimberg, U., & Thunberg, M. (1998). Rapid facial reactions to emotional facial expressions.
Scandinavian Journal of Psychology, 39(1), 39–45. https://doi.org/10.1111/1467-9450.00054

Dimberg, U., Thunberg, M., & Elmehed, K. (2000). Unconscious facial reactions to emotional facial
expressions. Psychological Science, 11(1), 86–89. https://doi.org/10.1111/1467-9280.00221

Morris, J. S., Öhman, A., & Dolan, R. J. (1999). A subcortical pathway to the right amygdala mediating
"unseen" fear. PNAS, 96(4), 1680–1685. https://doi.org/10.1073/pnas.96.4.1680

Pessoa, L., & Adolphs, R. (2010). Emotion processing and the amygdala: from a "low road" to "many roads"
of evaluating biological significance. Nature Reviews Neuroscience, 11(11), 773–783.
https://doi.org/10.1038/nrn2920

Hickok, G. (2009). Eight problems for the mirror neuron theory of action understanding in monkeys and
humans. Journal of Cognitive Neuroscience, 21(7), 1229–1243. https://doi.org/10.1162/jocn.2009.21189
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from empathy_explorer.errors import ParameterError
from empathy_explorer.validation import ReadOnlyArrays, as_choice, as_flag, as_number

__all__ = ["DT_MS", "RoutesResult", "fast_slow_routes"]

#: Time step of the simulation grid, in milliseconds.
DT_MS = 1.0

_VALENCE = {"happy": 1.0, "angry": -1.0, "neutral": 0.0}


@dataclass(frozen=True, eq=False)
class RoutesResult(ReadOnlyArrays):
    """Time courses and timings of :func:`fast_slow_routes` (simulated, illustrative).

    Attributes
    ----------
    times_ms : ndarray
        Time after the face appears, ms (1 ms grid).
    face_input : ndarray
        Emotional signal reaching the fast route before its delay: 1 while the face is shown, then the
        fading visual trace (0–1, unitless).
    visible_input : ndarray
        The same signal as seen by the slow, cortical route: cut to 0 when the mask appears.
    fast_route, slow_route : ndarray
        Activation of the fast and slow routes (0–1, unitless; 1 = response to a face shown for ever).
    zygomaticus_uv, corrugator_uv : ndarray
        Change in EMG activity from baseline, µV.
    emg_difference_uv : ndarray
        Zygomaticus minus corrugator, µV (positive = smile-like, negative = frown-like).
    emg_onset_ms : float or None
        First time the EMG difference reaches ``emg_criterion_uv`` in the direction congruent with the
        expression; None if it never does (e.g. a neutral face).
    awareness_time_ms : float or None
        First time the slow route reaches ``awareness_threshold``; None if it never does.
    reached_awareness : bool
        Whether the slow route crossed the awareness threshold.
    peak_slow : float
        Highest slow-route activation (compare with the threshold).
    parameters : Mapping
        The parameter values used (after validation).
    """

    times_ms: np.ndarray
    face_input: np.ndarray
    visible_input: np.ndarray
    fast_route: np.ndarray
    slow_route: np.ndarray
    zygomaticus_uv: np.ndarray
    corrugator_uv: np.ndarray
    emg_difference_uv: np.ndarray
    emg_onset_ms: float | None
    awareness_time_ms: float | None
    reached_awareness: bool
    peak_slow: float
    parameters: Mapping[str, object] = field(default_factory=dict)
    simulated: bool = True

    def to_frame(self) -> pd.DataFrame:
        """Tidy table for Altair: one row per time point and series.

        Columns: ``time_ms``, ``series`` (``"face"``, ``"face (cortex)"``, ``"fast route"``, ``"slow route"``,
        ``"zygomaticus"``, ``"corrugator"``, ``"zygomaticus − corrugator"``), ``value``, ``unit``
        (``"activation"`` or ``"µV"``), ``simulated`` (always True).
        """
        series = {
            "face": (self.face_input, "activation"),
            "face (cortex)": (self.visible_input, "activation"),
            "fast route": (self.fast_route, "activation"),
            "slow route": (self.slow_route, "activation"),
            "zygomaticus": (self.zygomaticus_uv, "µV"),
            "corrugator": (self.corrugator_uv, "µV"),
            "zygomaticus − corrugator": (self.emg_difference_uv, "µV"),
        }
        n = self.times_ms.size
        return pd.DataFrame(
            {
                "time_ms": np.tile(self.times_ms, len(series)),
                "series": np.repeat(list(series), n),
                "value": np.concatenate([values for values, _ in series.values()]),
                "unit": np.repeat([unit for _, unit in series.values()], n),
                "simulated": True,
            }
        )


def _leaky(signal: np.ndarray, tau_ms: float) -> np.ndarray:
    """Exponential-Euler leaky integrator tau·dr/dt = −r + input, r(0) = 0, on the DT_MS grid."""
    a = np.exp(-DT_MS / tau_ms)
    return lfilter([1.0 - a], [1.0, -a], signal)


def _delayed(signal: np.ndarray, delay_ms: float) -> np.ndarray:
    """Shift ``signal`` right by ``delay_ms`` (rounded to the grid), padding with zeros."""
    shift = round(delay_ms / DT_MS)
    out = np.zeros_like(signal)
    if shift < signal.size:
        out[shift:] = signal[: signal.size - shift]
    return out


def _first_crossing(times: np.ndarray, values: np.ndarray, level: float) -> float | None:
    above = values >= level
    if not above.any():
        return None
    return float(times[int(np.argmax(above))])


#: The durations of :func:`fast_slow_routes`, all in ms: name -> (what it is, lowest value, whether the
#: lowest value itself is allowed, highest value).
_DURATIONS_MS: dict[str, tuple[str, float, bool, float | None]] = {
    "face_duration_ms": ("how long the face is shown", 0, False, None),
    "trace_ms": ("how long the face's visual trace lasts", 0, False, None),
    "fast_delay_ms": ("delay of the fast route", 0, True, None),
    "tau_fast_ms": ("time constant of the fast route", 0, False, None),
    "slow_delay_ms": ("delay of the slow route", 0, True, None),
    "tau_slow_ms": ("time constant of the slow route", 0, False, None),
    "window_ms": ("length of the simulated time window", 100, True, 10_000),
}


@dataclass(frozen=True)
class _Parameters:
    """The checked parameters of :func:`fast_slow_routes`, in its order (the result's ``parameters``)."""

    expression: str
    face_duration_ms: float
    masked: bool
    trace_ms: float
    fast_delay_ms: float
    tau_fast_ms: float
    slow_delay_ms: float
    tau_slow_ms: float
    awareness_threshold: float
    emg_gain_uv: float
    emg_criterion_uv: float
    window_ms: float


def _ms(value: object, name: str) -> float:
    """One duration of :data:`_DURATIONS_MS`, checked."""
    meaning, low, closed, high = _DURATIONS_MS[name]
    return as_number(value, name, meaning=meaning, unit="ms", low=low, low_inclusive=closed, high=high)


def _uv(value: object, name: str, meaning: str) -> float:
    return as_number(value, name, meaning=meaning, unit="µV", low=0, low_inclusive=False)


def _simulate(p: _Parameters) -> RoutesResult:
    """Both routes, the EMG and the timings for checked parameters (the steps of :func:`fast_slow_routes`)."""
    times = np.arange(0.0, p.window_ms, DT_MS)
    after = np.maximum(times - p.face_duration_ms, 0.0)
    face = np.where(times < p.face_duration_ms, 1.0, np.exp(-after / p.trace_ms))
    visible = np.where(times < p.face_duration_ms, face, 0.0) if p.masked else face

    fast = _leaky(_delayed(face, p.fast_delay_ms), p.tau_fast_ms)
    slow = _leaky(_delayed(visible, p.slow_delay_ms), p.tau_slow_ms)

    valence = _VALENCE[p.expression]
    zygomaticus = 0.5 * p.emg_gain_uv * valence * fast
    corrugator = -zygomaticus
    difference = zygomaticus - corrugator

    onset = None if valence == 0 else _first_crossing(times, valence * difference, p.emg_criterion_uv)
    awareness = _first_crossing(times, slow, p.awareness_threshold)
    return RoutesResult(
        times_ms=times,
        face_input=face,
        visible_input=visible,
        fast_route=fast,
        slow_route=slow,
        zygomaticus_uv=zygomaticus,
        corrugator_uv=corrugator,
        emg_difference_uv=difference,
        emg_onset_ms=onset,
        awareness_time_ms=awareness,
        reached_awareness=awareness is not None,
        peak_slow=float(slow.max()),
        parameters=MappingProxyType(dataclasses.asdict(p)),
    )


def fast_slow_routes(
    *,
    expression: str = "happy",
    face_duration_ms: float = 500.0,
    masked: bool = False,
    trace_ms: float = 300.0,
    fast_delay_ms: float = 250.0,
    tau_fast_ms: float = 150.0,
    slow_delay_ms: float = 350.0,
    tau_slow_ms: float = 300.0,
    awareness_threshold: float = 0.3,
    emg_gain_uv: float = 1.0,
    emg_criterion_uv: float = 0.4,
    window_ms: float = 1500.0,
) -> RoutesResult:
    """Simulate the facial EMG (fast route) and awareness (slow route) after seeing a face.

    Each route is a leaky integrator with a delay, solved exactly on a 1 ms grid (exponential Euler):
    ``tau·dr/dt = −r + input(t − delay)``. The fast route drives the EMG,
    ``zygomaticus = +½·g·r_fast``, ``corrugator = −½·g·r_fast`` for a happy face (signs swapped for an
    angry face, zero for a neutral one). Awareness starts when ``r_slow`` reaches the threshold.
    All values are illustrative, chosen so that the defaults reproduce the published timings.

    Parameters
    ----------
    expression : {"happy", "angry", "neutral"}, default "happy"
        Expression of the target face. Happy faces raise the zygomaticus and relax the corrugator; angry
        faces do the opposite (Dimberg & Thunberg 1998).
    face_duration_ms : float, default 500
        How long the target face is shown, ms (> 0). Dimberg, Thunberg & Elmehed (2000) used 30 ms
        followed by a mask; the 500 ms default (an unmasked, clearly visible face) is illustrative.
    masked : bool, default False
        If True, a neutral face replaces the target when it disappears (backward masking, as in
        Dimberg, Thunberg & Elmehed 2000). The mask cuts the visual trace for the slow route only.
    trace_ms : float, default 300
        Time constant of the fading visual trace left by the face after it disappears, ms (> 0).
        Illustrative (visible persistence lasts a few hundred ms).
    fast_delay_ms : float, default 250
        Delay before the fast route responds, ms (≥ 0). Lumps together visual, limbic, motor and muscle
        latencies. Illustrative, tuned so that EMG onset falls in 300–400 ms (Dimberg & Thunberg 1998).
    tau_fast_ms : float, default 150
        Time constant of the fast route, ms (> 0). Illustrative, tuned as above.
    slow_delay_ms : float, default 350
        Delay before the slow, cortical route responds, ms (≥ 0). Illustrative.
    tau_slow_ms : float, default 300
        Time constant of the slow route, ms (> 0). Illustrative.
    awareness_threshold : float, default 0.3
        Slow-route activation (unitless, between 0 and 1; 1 = a face shown for ever) at which the face is
        consciously seen. Illustrative, chosen so that a masked 30 ms face stays below it
        (Dimberg, Thunberg & Elmehed 2000) while an unmasked one crosses it.
    emg_gain_uv : float, default 1.0
        Zygomaticus − corrugator difference, µV, for a face shown for ever (> 0). Illustrative.
    emg_criterion_uv : float, default 0.4
        EMG difference, µV, that counts as a response (the "onset" criterion; > 0). Illustrative.
    window_ms : float, default 1500
        Length of the simulated time window after face onset, ms (100–10,000).

    Returns
    -------
    RoutesResult
        Time courses plus ``emg_onset_ms``, ``awareness_time_ms`` (None if never), ``reached_awareness``
        and ``peak_slow``; ``.to_frame()`` gives a tidy table for charts. Simulated data.

    Raises
    ------
    ParameterError
        If a duration or time constant is not positive, a delay is negative, the threshold is outside
        (0, 1], the criterion exceeds the gain, or the expression is unknown.

    Examples
    --------
    >>> from empathy_explorer.models import fast_slow_routes
    >>> seen = fast_slow_routes()
    >>> 300 <= seen.emg_onset_ms <= 400, seen.reached_awareness
    (True, True)
    >>> unseen = fast_slow_routes(face_duration_ms=30, masked=True)
    >>> unseen.emg_onset_ms is not None, unseen.reached_awareness
    (True, False)

    References
    ----------
    Dimberg & Thunberg (1998), Scand J Psychol 39:39–45. Dimberg, Thunberg & Elmehed (2000), Psychol Sci
    11:86–89. Pessoa & Adolphs (2010), Nat Rev Neurosci 11:773–783 (the "low road" dispute).
    """
    p = _Parameters(
        expression=as_choice(expression, "expression", tuple(_VALENCE), meaning="the face's expression"),
        face_duration_ms=_ms(face_duration_ms, "face_duration_ms"),
        masked=as_flag(masked, "masked", meaning="whether a mask follows the face"),
        trace_ms=_ms(trace_ms, "trace_ms"),
        fast_delay_ms=_ms(fast_delay_ms, "fast_delay_ms"),
        tau_fast_ms=_ms(tau_fast_ms, "tau_fast_ms"),
        slow_delay_ms=_ms(slow_delay_ms, "slow_delay_ms"),
        tau_slow_ms=_ms(tau_slow_ms, "tau_slow_ms"),
        awareness_threshold=as_number(
            awareness_threshold,
            "awareness_threshold",
            meaning="slow-route level at which the face is seen",
            low=0,
            low_inclusive=False,
            high=1,
        ),
        emg_gain_uv=_uv(emg_gain_uv, "emg_gain_uv", "EMG difference for a face shown for ever"),
        emg_criterion_uv=_uv(
            emg_criterion_uv, "emg_criterion_uv", "EMG difference that counts as a response"
        ),
        window_ms=_ms(window_ms, "window_ms"),
    )
    if p.emg_criterion_uv >= p.emg_gain_uv:
        raise ParameterError(
            f"emg_criterion_uv ({p.emg_criterion_uv:g} µV) must be smaller than emg_gain_uv "
            f"({p.emg_gain_uv:g} µV), otherwise no face could ever produce a measurable EMG response."
        )
    return _simulate(p)
