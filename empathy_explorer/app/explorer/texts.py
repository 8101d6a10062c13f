"""What the session explorer says: messages, the banner, the takeaway, the summary table, test results.

Plain functions from numbers to HTML (every user-supplied text escaped), so the page module only decides
*when* to show them. How a method's headline number reads comes from the method registry
(:attr:`~empathy_explorer.synchrony.registry.Method.reading`).
"""

from __future__ import annotations

import html

import numpy as np

from empathy_explorer.app.charts.explorer_figure import KIND_LABELS
from empathy_explorer.app.explorer.state import METHODS, SURROGATE_METHODS, Settings, SyncView
from empathy_explorer.sessions.session import Session
from empathy_explorer.synchrony._common import nanmean_quiet
from empathy_explorer.synchrony.surrogate import SurrogateResult

__all__ = [
    "PSEUDO_RUNNING",
    "TEST_RUNNING",
    "banner_html",
    "message_html",
    "method_note_html",
    "no_numbers_html",
    "pseudo_html",
    "summary_html",
    "takeaway_html",
    "test_html",
]

_NOTE_COLOURS = {"error": "#8a1c00", "note": "#0b4f7c"}
_P = "<p class='{cls}' style='max-width:640px{extra}'>"

#: Shown while the significance test runs.
TEST_RUNNING = "<i>Running… you can keep using the page; changing a setting stops the test.</i>"
#: Shown while the pseudo-pairs are computed.
PSEUDO_RUNNING = "<i>Computing every pairing of the cohort's patients and clinicians…</i>"


def message_html(text: str, kind: str = "error") -> str:
    """The message line above the figure (``kind``: "error" or "note"; empty text: nothing)."""
    if not text:
        return ""
    colour = _NOTE_COLOURS.get(kind, "#333")
    icon = "⚠ " if kind == "error" else ""
    return (
        f"<div class='ee-message ee-{kind}' role='alert' style='color:{colour};border:1px solid {colour};"
        f"padding:6px 10px;border-radius:4px;max-width:640px'>{icon}{html.escape(text)}</div>"
    )


def banner_html(session: Session) -> str:
    """The line above the controls: simulated data in yellow, or whose recording this is."""
    if session.simulated:
        return (
            "<div class='ee-simulated' role='note' style='background:#F0E442;color:#000;font-weight:700;"
            "padding:6px 10px;border-radius:4px;max-width:640px'>SIMULATED DATA: this session was made "
            "by a computer model with a known answer (ground truth). It is not a real patient.</div>"
        )
    return (
        "<div class='ee-real' role='note' style='padding:4px 0;max-width:640px'>Your recording "
        f"<b>{html.escape(str(session.title))}</b>: the numbers below come from your file, "
        "which stays in this session only.</div>"
    )


def method_note_html(method: str, unused: list[str]) -> str:
    """What ``method`` computes, and which sliders (by label) only change the lag profile."""
    note = f" For this method, {' and '.join(unused)} change only the lag profile." if unused else ""
    return (
        _P.format(cls="ee-method-note", extra=";font-size:90%")
        + f"{html.escape(METHODS[method].description + note)}</p>"
    )


def _finite_mean(values: object) -> float:
    return nanmean_quiet(np.asarray(values, dtype=float).ravel())


def _fmt(value: float, digits: int = 2) -> str:
    return "–" if not np.isfinite(value) else f"{value:.{digits}f}"


def _titled(session: Session) -> str:
    simulated = session.simulated and "simulated" not in session.title.lower()
    return session.title + (" (simulated)" if simulated else "")


def takeaway_text(view: SyncView, method: str) -> str:
    """One plain sentence: the headline number, how it reads, where the lag profile peaks."""
    name, value = view.headline
    if not np.isfinite(value):
        return "No window had enough varying signal to compute a correlation; try a longer window."
    text = f"{name[0].upper() + name[1:]} = {value:.2f} ({METHODS[method].reading(value)})."
    peak_lag, _ = view.peak
    if np.isfinite(peak_lag):
        text += f" The lag profile peaks at {peak_lag:+.1f} s."
    return text + " Synchrony alone is not empathy: check the significance test and the segments."


def takeaway_html(view: SyncView, method: str) -> str:
    """:func:`takeaway_text` as the page's takeaway paragraph."""
    return (
        _P.format(cls="ee-takeaway", extra="")
        + f"<b>Takeaway:</b> {html.escape(takeaway_text(view, method))}</p>"
    )


def _html_table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(k)}</th>"
        f"<td>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table class='ee-summary'>{cells}</table>"


def _session_rows(s: Session) -> list[tuple[str, str]]:
    rows = []
    if s.ground_truth is not None:
        gt = s.ground_truth
        rows.append(
            (
                "Ground truth (simulator)",
                f"coupling {gt.coupling:.2f}, leader {gt.leader}, lag {gt.lag_s:g} s, "
                f"shared driver {gt.shared_driver:.2f}",
            )
        )
    if s.rating is not None:
        rows.append(("Patient-rated empathy (simulated)", f"{s.rating:.1f}"))
    return rows


def summary_html(settings: Settings, view: SyncView) -> str:
    """The "Session summary" table: the session, the settings and every number of ``view``."""
    s, kind = settings.session, settings.kind
    peak_lag, best_r = view.peak
    rows = [
        ("Session", _titled(s)),
        ("Signal", f"{KIND_LABELS.get(kind, kind.upper())} in {s.units.get(kind, '')}, {s.fs:g} Hz"),
        ("Duration", f"{s.duration_s / 60:.1f} min"),
        ("Method", METHODS[settings.method].display_name),
        ("Settings", ", ".join(f"{k} = {v:g}" for k, v in settings.params.items())),
        *[(k, _fmt(v, 0 if k == "windows" else 2)) for k, v in view.summary.items()],
        ("Lag with the highest mean r", f"{_fmt(peak_lag, 1)} s (mean r = {_fmt(best_r)})"),
    ]
    return _html_table(rows + _session_rows(s))


def no_numbers_html() -> str:
    """The summary when the settings do not fit the recording."""
    return "<i>No numbers for these settings (see the message above).</i>"


def _verdict(p_value: float, yes: str, no: str) -> str:
    return yes if p_value < 0.05 else no


def test_html(result: SurrogateResult, method: str, surrogate_method: str) -> str:
    """The significance test's outcome: observed headline, surrogates, p, effect size (and a caveat)."""
    caveat = (
        " Phase-randomised surrogates assume signals without slow drifts; skin conductance drifts, "
        "which can make chance look significant (Schreiber &amp; Schmitz 2000)."
        if surrogate_method == "phase_randomize"
        else ""
    )
    return (
        _P.format(cls="ee-test-result", extra="")
        + f"Observed {html.escape(METHODS[method].headline_name)}: <b>{result.observed:.3f}</b>; "
        f"{len(result.null)} surrogates ({html.escape(SURROGATE_METHODS[surrogate_method].lower())}): "
        f"mean {_finite_mean(result.null):.3f}. p = <b>{result.p_value:.3f}</b> (one-sided): "
        f"{_verdict(result.p_value, 'unlikely to be chance alone', 'compatible with chance')}. "
        f"Effect size {result.effect_size:.2f} SD of the surrogates.{caveat}</p>"
    )


def _own_pseudo_pairs(result: SurrogateResult, i: int) -> np.ndarray:
    """Dyad ``i``'s pseudo-pairs: its patient with the other clinicians, its clinician with the others."""
    pv = np.asarray(result.pair_values, dtype=float)
    others = [j for j in range(pv.shape[0]) if j != i]
    pseudo = np.concatenate([pv[i, others], pv[others, i]])
    return pseudo[np.isfinite(pseudo)]


def pseudo_html(result: SurrogateResult, i: int, method: str) -> str:
    """The pseudo-pair comparison of cohort dyad ``i`` (0-based) and of the whole cohort."""
    pseudo = _own_pseudo_pairs(result, i)
    real = float(np.asarray(result.dyad_values, dtype=float)[i])
    n_dyads = len(np.asarray(result.dyad_values))
    reach = int(np.sum(pseudo >= real))
    verdict = _verdict(
        result.p_value,
        "the real dyads are, on average, more in step than people who never met",
        "the real dyads are not clearly more in step than people who never met",
    )
    return (
        _P.format(cls="ee-pseudo-result", extra="")
        + f"This dyad's {html.escape(METHODS[method].headline_name)}: <b>{real:.3f}</b>. "
        f"Its {pseudo.size} pseudo-pairs (this patient with the other clinicians, this clinician with the "
        f"other patients): mean {_finite_mean(pseudo):.3f}; {reach} of them reach this dyad's value."
        f" Whole cohort ({n_dyads} simulated dyads): mean of the real dyads {result.observed:.3f} "
        f"against {len(result.null)} pseudo-pairings (mean {_finite_mean(result.null):.3f}), "
        f"p = <b>{result.p_value:.3f}</b> (one-sided): {verdict}. Pseudo-pairs keep what each person's "
        "signal is like but not their partner; if the dyads went through different outside events, shared "
        "events are removed too.</p>"
    )
