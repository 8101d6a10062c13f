"""Is this synchrony more than chance? Surrogate tests within one dyad and pseudo-pairs across dyads.

Two people's signals are always correlated a little by chance, and slow signals such as skin conductance
are correlated a lot by chance. A surrogate test builds many versions of the data in which the two people
*cannot* be in step (surrogates), computes the same synchrony statistic on each, and asks how often the
surrogates reach the observed value:

- :func:`surrogate_test` -- within one dyad: the second person's signal ``y`` is circularly shifted,
  cut into segments whose order is shuffled, or phase-randomised, which keeps the properties of ``y`` on
  its own (its values or its spectrum, hence its slowness) and destroys its timing relative to ``x``.
- :func:`pseudo_pairs` -- across dyads: person ``x`` of dyad *i* is paired with person ``y`` of dyad
  *j ≠ i* (people who never met), as the pseudo-pairs of Bernieri et al. (1988) and the "hypothetical
  dyads" of Marci et al. (2007). Pairs that shared no events give a chance baseline; only pairs that went
  through the same outside events control for a shared driver.

Both return a :class:`SurrogateResult` with the observed value, the null distribution, the one-sided
p-value with the +1 correction, ``p = (1 + #{null >= observed}) / (1 + n_valid)``, and the effect size
``(observed - mean null) / SD null`` as in SUSY (Tschacher & Meier 2020).

What a surrogate test can and cannot tell
-----------------------------------------
Each null answers one question only. Shifting, shuffling or phase-randomising one person's signal removes
*everything* the two signals share in time: coupling between the two people **and** a shared outside
driver (both react to the same alarm, the same news). Against such a null a shared driver looks
"significant" although nobody responds to anybody. Pseudo-pairs from dyads that went through the same
events (the same standardised interview or film, time-aligned) keep what the driver explains and remove
only the coupling; pseudo-pairs from dyads with different events do not (see
:mod:`empathy_explorer.models.coupled_agents`). A small p-value says "more in step than this null", not
"empathy".

Which surrogate? No method suits every statistic; the project's tests check each configuration it
relies on against simulated sessions without coupling (false-positive rate at 0.05, 10-minute simulated
skin conductance at 4 Hz, 99 surrogates):

======================================================  ========  =========  ===========
statistic on the raw skin-conductance signals           circular  segment    phase
                                                        shift     shuffle    randomise
======================================================  ========  =========  ===========
mean peak r of ``windowed_xcorr`` (30-s windows)        6 %       15 %       58 %
peak cross-correlation of the whole session, ±5 s       12 %      18 %       5 %
peak cross-correlation of the 1-s slopes, ±5 s          5 %       14 %       15 %
======================================================  ========  =========  ===========

Circular shifts are the safest default for windowed and slope statistics. Phase randomisation assumes a
stationary, Gaussian, linear signal; skin conductance (sharp responses on a drifting level) is none of
these, and windowed statistics of it are far more in step by chance than phase-randomised surrogates
suggest. Segments must be much longer than the statistic's windows: a seam inside a window lowers the
surrogate values and makes the test liberal.

Speed and memory: surrogates are built vectorised, a block of them at a time (about 16 MB of
intermediate arrays per block; peak under 30 MB for a 4-hour recording at 32 Hz); only the user's
statistic is called once per surrogate.

References
----------
Theiler, J., Eubank, S., Longtin, A., Galdrikian, B., & Farmer, J. D. (1992). Testing for nonlinearity in
time series: the method of surrogate data. Physica D, 58(1–4), 77–94.
https://doi.org/10.1016/0167-2789(92)90102-S

Schreiber, T., & Schmitz, A. (2000). Surrogate time series. Physica D, 142(3–4), 346–382.
https://doi.org/10.1016/S0167-2789(00)00043-9

Bernieri, F. J., Reznick, J. S., & Rosenthal, R. (1988). Synchrony, pseudosynchrony, and dissynchrony:
measuring the entrainment process in mother-infant interactions. Journal of Personality and Social
Psychology, 54(2), 243–253. https://doi.org/10.1037/0022-3514.54.2.243

Ramseyer, F., & Tschacher, W. (2010). Nonverbal synchrony or random coincidence? How to tell the
difference. In Development of Multimodal Interfaces (LNCS 5967, pp. 182–196). Springer.
https://doi.org/10.1007/978-3-642-12397-9_15

Moulder, R. G., Boker, S. M., Ramseyer, F., & Tschacher, W. (2018). Determining synchrony between
behavioral time series: an application of surrogate data generation for establishing falsifiable
null-hypotheses. Psychological Methods, 23(4), 757–773. https://doi.org/10.1037/met0000172

Tschacher, W., & Meier, D. (2020). Physiological synchrony in psychotherapy sessions. Psychotherapy
Research, 30(5), 558–573. https://doi.org/10.1080/10503307.2019.1612114

Marci, C. D., Ham, J., Moran, E., & Orr, S. P. (2007). Physiologic correlates of perceived therapist
empathy and social-emotional process during psychotherapy. J Nerv Ment Dis, 195(2), 103–111.
https://doi.org/10.1097/01.nmd.0000253731.71025.fc
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.synchrony._null_data import (
    MAX_SURROGATES,
    METHODS,
    _all_derangements,
    _as_count,
    _as_value,
    _build,
    _check_progress,
    _check_statistic,
    _draw_shifts,
    _dyads,
    _n_derangements,
    _plan,
    _random_derangements,
)
from empathy_explorer.validation import (
    ReadOnlyArrays,
    as_fs,
    as_rng,
    as_signal,
    as_signal_pair,
    check_not_constant,
    readonly,
)

__all__ = ["METHODS", "SurrogateResult", "generate_surrogates", "pseudo_pairs", "surrogate_test"]

#: Pseudo-pairings are enumerated exactly when there are at most this many (else sampled).
MAX_EXACT_PAIRINGS = MAX_SURROGATES
#: Random pseudo-pairings drawn by default when exact enumeration is too large.
DEFAULT_PSEUDO_PAIRINGS = 1000
#: Bytes of intermediate arrays per block of surrogates.
_BLOCK_BYTES = 16 * 1024**2


@dataclass(frozen=True, eq=False)
class SurrogateResult(ReadOnlyArrays):
    """Result of a surrogate test: the observed statistic against its null distribution.

    Attributes
    ----------
    observed : float
        The statistic on the real data (for :func:`pseudo_pairs`: its mean over the real dyads).
    null : numpy.ndarray
        The statistic on every surrogate that gave a number (NaN results left out), in the order drawn.
    p_value : float
        One-sided, with the +1 correction: ``(1 + #{null >= observed}) / (1 + n_valid)``. The smallest
        possible value is ``1 / (1 + n_valid)``.
    effect_size : float
        ``(observed - mean(null)) / SD(null)`` (SD with ddof = 1), as in SUSY (Tschacher & Meier 2020);
        NaN when fewer than 2 surrogates gave a number or they are all equal.
    method : str
        ``"circular_shift"``, ``"segment_shuffle"``, ``"phase_randomize"`` or ``"pseudo_pairs"``.
    n_surrogates : int
        Surrogates (or pseudo-pairings) built.
    n_valid : int
        Of those, how many gave a number (``null.size``).
    seed : int or None
        The seed used (None when a numpy Generator was passed).
    dyad_values : numpy.ndarray or None
        :func:`pseudo_pairs` only: the statistic of each real dyad.
    pair_values : numpy.ndarray or None
        :func:`pseudo_pairs` only: ``pair_values[i, j]`` = statistic of x of dyad i with y of dyad j
        (NaN on the diagonal and for pairs that were not needed).
    """

    observed: float
    null: np.ndarray
    p_value: float
    effect_size: float
    method: str
    n_surrogates: int
    n_valid: int
    seed: int | None
    dyad_values: np.ndarray | None = None
    pair_values: np.ndarray | None = None

    @property
    def mean_null(self) -> float:
        """Mean of the null distribution."""
        return float(self.null.mean())

    @property
    def sd_null(self) -> float:
        """Standard deviation (ddof = 1) of the null distribution (NaN with fewer than 2 values)."""
        return float(self.null.std(ddof=1)) if self.null.size > 1 else math.nan

    def summary(self) -> dict[str, object]:
        """The numbers a notebook shows, as a dict."""
        return {
            "observed": self.observed,
            "mean_null": self.mean_null,
            "sd_null": self.sd_null,
            "p_value": self.p_value,
            "effect_size": self.effect_size,
            "method": self.method,
            "n_surrogates": self.n_surrogates,
            "n_valid": self.n_valid,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per surrogate value plus one for the observed value (for a histogram with a marker).

        Columns ``source`` (``"surrogate"`` or ``"observed"``), ``index`` (surrogate number, -1 for the
        observed value) and ``value``.
        """
        n = self.null.size
        return pd.DataFrame(
            {
                "source": ["surrogate"] * n + ["observed"],
                "index": np.concatenate([np.arange(n), [-1]]),
                "value": np.concatenate([self.null, [self.observed]]),
            }
        )


def generate_surrogates(
    y: object,
    fs: float,
    *,
    method: str = "circular_shift",
    n_surrogates: int = 10,
    seed: int | np.random.Generator = 0,
    min_shift_s: float | None = None,
    segment_s: float | None = None,
) -> np.ndarray:
    """Surrogates of one signal, exactly those :func:`surrogate_test` uses with the same arguments.

    Useful to *show* students what a surrogate looks like. Methods and arguments as in
    :func:`surrogate_test`.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_surrogates, len(y))``.

    Examples
    --------
    >>> y = np.sin(np.linspace(0, 20, 400))
    >>> s = generate_surrogates(y, 4.0, method="circular_shift", n_surrogates=3, seed=1)
    >>> s.shape, bool(np.allclose(np.sort(s[0]), np.sort(y)))
    ((3, 400), True)

    References
    ----------
    Theiler et al. (1992); Schreiber & Schmitz (2000); Ramseyer & Tschacher (2010).
    """
    fs = as_fs(fs)
    ya = as_signal(y, "y")
    check_not_constant(ya, "y")
    n_surr = _as_count(n_surrogates, "n_surrogates", "the number of surrogates")
    rng, _ = as_rng(seed, meaning="which random surrogates are drawn")
    plan = _plan(ya, fs, method, min_shift_s, segment_s)
    shifts = _draw_shifts(plan, rng, n_surr)
    return _build(plan, rng, n_surr, shifts)


# ---------------------------------------------------------------------------------------------------
# p-value and result
# ---------------------------------------------------------------------------------------------------


def _result(
    observed: float,
    values: np.ndarray,
    *,
    method: str,
    n_surrogates: int,
    seed: int | None,
    min_share: float = 0.5,
    dyad_values: np.ndarray | None = None,
    pair_values: np.ndarray | None = None,
) -> SurrogateResult:
    null = values[~np.isnan(values)]
    needed = max(1, math.ceil(min_share * n_surrogates))
    if null.size < needed:
        raise InputError(
            f"The statistic gave a number for only {null.size} of {n_surrogates} surrogates (at least "
            f"{needed} needed): it returned NaN for the others, e.g. because a window was constant. "
            "Use a statistic that works on shuffled data, or longer signals."
        )
    p = (1.0 + float(np.count_nonzero(null >= observed))) / (1.0 + null.size)
    effect = math.nan
    if null.size > 1:
        with np.errstate(all="ignore"):
            mean = float(null.mean())
            sd = float(null.std(ddof=1))
            if math.isfinite(sd) and sd > 0 and math.isfinite(mean):
                effect = (observed - mean) / sd
    return SurrogateResult(
        observed=observed,
        null=null.copy(),
        p_value=p,
        effect_size=float(effect),
        method=method,
        n_surrogates=n_surrogates,
        n_valid=int(null.size),
        seed=seed,
        dyad_values=dyad_values,
        pair_values=pair_values,
    )


def surrogate_test(
    x: object,
    y: object,
    fs: float,
    statistic: Callable[[np.ndarray, np.ndarray], float],
    *,
    method: str = "circular_shift",
    n_surrogates: int = 500,
    seed: int | np.random.Generator = 0,
    progress: Callable[[int, int], object] | None = None,
    chunk: int | None = None,
    min_shift_s: float | None = None,
    segment_s: float | None = None,
) -> SurrogateResult:
    """Test whether the synchrony of two recordings is more than chance, with surrogates of ``y``.

    The statistic is computed on the real pair ``(x, y)`` and on ``(x, y_k)`` for ``n_surrogates``
    surrogates ``y_k`` of the second person's signal, which keep what ``y`` is like on its own but not
    its timing relative to ``x``:

    - ``"circular_shift"``: ``y_k = roll(y, s_k)`` with ``s_k`` drawn uniformly from ``m .. n - m``
      samples (``m = round(min_shift_s * fs)``, default 10 % of the recording), i.e. at least
      ``min_shift_s`` away from no shift at both ends. Keeps every value and, except at the one seam,
      every stretch of ``y``.
    - ``"segment_shuffle"``: ``y`` is cut into ``n // round(segment_s * fs)`` segments of (nearly) equal
      length ``>= segment_s`` (default 30 s), covering the whole recording, and their order is shuffled
      uniformly at random (within-person segment shuffling as in Ramseyer & Tschacher 2010; SUSY,
      Tschacher & Meier 2020, pairs segments of one person with *other* segments of the other). All
      orders are allowed, so about one segment per surrogate stays at its own time by chance: excluding
      that made the test liberal in our checks (see ``_segment_orders``). Segments should be much longer
      than the signal's memory and the statistic's lags.
    - ``"phase_randomize"``: same amplitude spectrum as ``y`` (so the same autocorrelation and
      slowness), uniformly random Fourier phases (Theiler et al. 1992); the mean is kept. The values
      become roughly Gaussian; strongly non-stationary signals (trends) give surrogates that look
      different from the data (Schreiber & Schmitz 2000), so detrend first.

    ``p_value = (1 + #{null >= observed}) / (1 + n_valid)`` (one-sided: "more synchrony than chance")
    and ``effect_size = (observed - mean null) / SD null``.

    Calibration: no surrogate method suits every statistic; check the false-positive rate on data like
    yours (the project's tests do this with the simulator). Our checks, false-positive rate at 0.05
    with 99 surrogates:

    - independent AR(1) pairs, Pearson r, 600 samples, lag-1 autocorrelation 0.5 (3,000 pairs): 5.9 %
      (circular shift), 5.4 % (segment shuffle), 5.9 % (phase randomisation); with autocorrelation 0.9
      (about 60 independent samples, 1,000 pairs): 8.5 %, 7.7 %, 6.3 %;
    - simulated skin conductance without coupling (10 min at 4 Hz, ``empathy_explorer.sessions.simulate``):
      for the mean peak r of :func:`windowed_xcorr` 6 % with circular shifts, 15 % with 30-s segment
      shuffles and 58 % with phase randomisation; see the module notes for other statistics. Keep the
      default (circular shifts) unless you have checked another method on data like yours.

    Parameters
    ----------
    x, y : array_like
        The two partners' recordings (e.g. patient, clinician), 1-D, equal length, no missing values,
        not constant.
    fs : float
        Sampling rate, Hz (used to turn ``min_shift_s`` and ``segment_s`` into samples).
    statistic : callable
        ``statistic(x, y) -> float`` on two equal-length arrays (read-only), larger = more synchrony.
        Close over ``fs`` and parameters yourself, e.g.
        ``lambda a, b: windowed_xcorr(a, b, fs).mean_peak_r``. A NaN from a surrogate is left out (the
        count is ``n_valid``); a NaN on the real data is an error.
    method : str
        ``"circular_shift"`` (default), ``"segment_shuffle"`` or ``"phase_randomize"``.
    n_surrogates : int
        Number of surrogates, 1–10,000 (default 500: smallest possible p ≈ 0.002).
    seed : int or numpy.random.Generator
        Seed (0 to 2**63 - 1) or a Generator; the same seed gives the same surrogates and result,
        whatever ``chunk`` is.
    progress : callable, optional
        ``progress(done, total)`` called after each block of surrogates (``done`` surrogates computed
        of ``total``). It may raise an exception to cancel the test; that exception propagates.
    chunk : int, optional
        Surrogates per block (default: about 1/20 of them with ``progress``, else all; never more
        than fit in about 16 MB).
    min_shift_s : float, optional
        ``"circular_shift"`` only: smallest shift, seconds (default 10 % of the recording).
    segment_s : float, optional
        ``"segment_shuffle"`` only: segment length, seconds (default 30 s; at least 4 segments needed).

    Returns
    -------
    SurrogateResult
        ``.observed``, ``.null``, ``.p_value``, ``.effect_size``, ``.method``, ``.n_surrogates``,
        ``.n_valid``, ``.seed``, ``.summary()``, ``.to_frame()``.

    Raises
    ------
    InputError
        Bad or constant signals, bad ``fs``, a recording too short for the shifts or segments, a NaN
        statistic on the real data, or fewer than half the surrogates giving a number.
    ParameterError
        An unknown method, ``n_surrogates`` or ``chunk`` not a whole number in range, a bad seed, or a
        statistic that is not a function of (x, y) returning one number.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.convolve(rng.normal(size=1300), np.ones(20) / 20, mode="valid")
    >>> y = x + 0.3 * np.convolve(rng.normal(size=1300), np.ones(20) / 20, mode="valid")
    >>> def r(a, b):
    ...     return float(np.corrcoef(a, b)[0, 1])
    >>> res = surrogate_test(x, y, 4.0, r, n_surrogates=199, seed=1)
    >>> res.p_value, res.n_valid
    (0.005, 199)

    References
    ----------
    Theiler, J., et al. (1992). Physica D, 58, 77–94. https://doi.org/10.1016/0167-2789(92)90102-S

    Schreiber, T., & Schmitz, A. (2000). Physica D, 142, 346–382.
    https://doi.org/10.1016/S0167-2789(00)00043-9

    Ramseyer, F., & Tschacher, W. (2010). LNCS 5967, 182–196. https://doi.org/10.1007/978-3-642-12397-9_15

    Moulder, R. G., et al. (2018). Psychological Methods, 23(4), 757–773.
    https://doi.org/10.1037/met0000172

    Tschacher, W., & Meier, D. (2020). Psychotherapy Research, 30(5), 558–573.
    https://doi.org/10.1080/10503307.2019.1612114
    """
    fs = as_fs(fs)
    xa, ya = as_signal_pair(x, y)
    check_not_constant(xa, "x")
    check_not_constant(ya, "y")
    stat = _check_statistic(statistic)
    n_surr = _as_count(n_surrogates, "n_surrogates", "the number of surrogates")
    rng, seed_used = as_rng(seed, meaning="which random surrogates are drawn")
    report = _check_progress(progress)
    plan = _plan(ya, fs, method, min_shift_s, segment_s)
    cap = max(1, _BLOCK_BYTES // plan.bytes_per_surrogate)
    if chunk is None:  # about 20 progress reports; without a progress callback, blocks as large as fit
        block = max(1, math.ceil(n_surr / 20)) if report is not None else n_surr
    else:
        block = _as_count(chunk, "chunk", "surrogates per block", high=2**31)
    block = min(block, cap, n_surr)
    readonly(xa)
    readonly(ya)

    observed = _as_value(stat(xa, ya), "on the real data")
    if math.isnan(observed):
        raise InputError(
            "The statistic gave no number (NaN) on the real data, so there is nothing to test. "
            "Check that the signals are long enough for its windows and not constant."
        )
    shifts = _draw_shifts(plan, rng, n_surr)
    values = np.empty(n_surr)
    for start in range(0, n_surr, block):  # blocks bound the memory; each block is built vectorised
        stop = min(start + block, n_surr)
        surrogates = readonly(_build(plan, rng, stop - start, None if shifts is None else shifts[start:stop]))
        for k in range(stop - start):  # the statistic is the caller's function: one call per surrogate
            values[start + k] = _as_value(stat(xa, surrogates[k]), f"on surrogate {start + k}")
        if report is not None:
            report(stop, n_surr)
    return _result(observed, values, method=plan.method, n_surrogates=n_surr, seed=seed_used)


# ---------------------------------------------------------------------------------------------------
# pseudo-pairs across dyads
# ---------------------------------------------------------------------------------------------------


def pseudo_pairs(
    pairs: Sequence[object],
    statistic: Callable[[np.ndarray, np.ndarray], float],
    *,
    kind: str = "eda",
    n_surrogates: int | None = None,
    seed: int | np.random.Generator = 0,
    progress: Callable[[int, int], object] | None = None,
) -> SurrogateResult:
    """Are real dyads more in step than people who never met? Between-dyad recombination (pseudo-pairs).

    With ``n`` dyads ``(x_i, y_i)``, the observed value is the mean statistic over the real dyads,
    ``mean_i statistic(x_i, y_i)``. A *pseudo-pairing* re-pairs every ``x_i`` with the ``y`` of another
    dyad, ``y_π(i)`` with ``π(i) != i`` for all i (a derangement π); its value is
    ``mean_i statistic(x_i, y_π(i))``, the same kind of mean over ``n`` pairs as the observed one. The
    null distribution is over pseudo-pairings: all of them when there are at most 10,000 (exact
    enumeration, e.g. up to 7 dyads) or ``n_surrogates`` is at least their number, otherwise
    ``n_surrogates`` uniformly random ones (default 1,000). The statistic is computed once per ordered
    pair ``(i, j)`` needed; two recordings of different length are cut to the shorter one (from the
    start), so sessions should be aligned in time (the same interview, task or film).

    Parameters
    ----------
    pairs : sequence
        At least 3 dyads: :class:`~empathy_explorer.sessions.Session` objects (all with the same ``fs``)
        or ``(x, y)`` pairs of equal-length arrays.
    statistic : callable
        ``statistic(x, y) -> float``, larger = more synchrony; NaN results of pseudo-pairs are left out.
    kind : str
        Signal kind taken from Session objects (default ``"eda"``).
    n_surrogates : int, optional
        Random pseudo-pairings to draw when exact enumeration is too large (1–10,000; default 1,000).
    seed : int or numpy.random.Generator
        Seed for the random pseudo-pairings (0 to 2**63 - 1) or a Generator.
    progress : callable, optional
        ``progress(done, total)`` after each block of pair statistics; may raise to cancel.

    Returns
    -------
    SurrogateResult
        ``method="pseudo_pairs"``; ``.dyad_values`` (statistic of each real dyad) and ``.pair_values``
        (n × n matrix of the pseudo-pair statistics, NaN on the diagonal) besides the usual fields.

    Raises
    ------
    InputError
        Fewer than 3 dyads, a bad dyad, different sampling rates, or a NaN statistic for a real dyad.
    ParameterError
        A bad ``n_surrogates``, seed or statistic.

    Notes
    -----
    Pseudo-pairs answer "more in step than people who never met, in the same situation". If every dyad
    went through the same outside events (a shared driver), pseudo-pairs keep that shared part and the
    test isolates coupling between the two people; if the dyads had different events, pseudo-pairs also
    remove the shared part (see :mod:`empathy_explorer.models.coupled_agents`).

    Calibration (our checks, false-positive rate at 0.05 for dyads without any link): 4.7 % with 20
    dyads (600 cohorts of independent AR(1) pairs) and 5.0 % for 20 coupled-agent dyads sharing one
    event schedule (200 cohorts); but 8.8 % with 5 dyads (1,000 cohorts), because the few possible
    re-pairings overlap with one another more than with the real pairing. Prefer 10 dyads or more.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> dyads = []
    >>> for _ in range(6):
    ...     x = np.convolve(rng.normal(size=420), np.ones(20) / 20, mode="valid")
    ...     dyads.append((x, x + 0.5 * np.convolve(rng.normal(size=420), np.ones(20) / 20, mode="valid")))
    >>> res = pseudo_pairs(dyads, lambda a, b: float(np.corrcoef(a, b)[0, 1]))
    >>> res.n_surrogates, res.p_value  # all 265 pseudo-pairings of 6 dyads; none beats the real ones
    (265, 0.0037593984962406013)

    References
    ----------
    Bernieri, F. J., Reznick, J. S., & Rosenthal, R. (1988). JPSP, 54(2), 243–253.
    https://doi.org/10.1037/0022-3514.54.2.243

    Moulder, R. G., et al. (2018). Psychological Methods, 23(4), 757–773.
    https://doi.org/10.1037/met0000172

    Marci, C. D., et al. (2007). J Nerv Ment Dis, 195(2), 103–111.
    https://doi.org/10.1097/01.nmd.0000253731.71025.fc
    """
    if not isinstance(kind, str):
        raise ParameterError(f"kind must be a signal kind such as 'eda' or 'hr'; got {kind!r}.")
    dyads, labels = _dyads(pairs, kind)
    stat = _check_statistic(statistic)
    if n_surrogates is not None:
        n_surrogates = _as_count(n_surrogates, "n_surrogates", "the number of pseudo-pairings")
    rng, seed_used = as_rng(seed, meaning="which random surrogates are drawn")
    report = _check_progress(progress)
    n = len(dyads)

    n_all = _n_derangements(n)
    wanted = DEFAULT_PSEUDO_PAIRINGS if n_surrogates is None else n_surrogates
    if n_all <= MAX_EXACT_PAIRINGS and (n_surrogates is None or n_surrogates >= n_all):
        perms = _all_derangements(n)
    else:
        perms = _random_derangements(rng, wanted, n)

    # each ordered pair (i, j) needed, computed once
    needed = np.zeros((n, n), dtype=bool)
    needed[np.arange(n)[None, :].repeat(perms.shape[0], axis=0), perms] = True
    todo = [(i, i) for i in range(n)] + [tuple(ij) for ij in np.argwhere(needed)]
    values = np.full((n, n), np.nan)
    block = max(1, math.ceil(len(todo) / 20))
    for start in range(0, len(todo), block):
        for i, j in todo[start : start + block]:
            x, y = dyads[i][0], dyads[j][1]
            m = min(x.size, y.size)
            where = f"for {labels[i]}" if i == j else f"for x of {labels[i]} with y of {labels[j]}"
            values[i, j] = _as_value(stat(x[:m], y[:m]), where)
        if report is not None:
            report(min(start + block, len(todo)), len(todo))

    real = np.diag(values).copy()
    if np.isnan(real).any():
        bad = ", ".join(labels[i] for i in np.flatnonzero(np.isnan(real)))
        raise InputError(
            f"The statistic gave no number (NaN) for {bad}; every real dyad needs a value. "
            "Check that those recordings are long enough for the statistic's windows and not constant."
        )
    np.fill_diagonal(values, np.nan)
    null = values[np.arange(n)[None, :], perms].mean(axis=1)
    return _result(
        float(real.mean()),
        null,
        method="pseudo_pairs",
        n_surrogates=int(perms.shape[0]),
        seed=seed_used,
        dyad_values=real,
        pair_values=values,
    )
