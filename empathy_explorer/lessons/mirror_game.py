"""Page 08, "Your own synchrony": the mirror game and joint tapping, measured with the synchrony engine.

:class:`MirrorGamePage` is the whole interactive part of the page: round settings, the capture widget
(:class:`~empathy_explorer.games.capture.CaptureWidget`), the result in words, charts of the last round
(both paths, the velocities, the lag profile; for tapping: inter-tap intervals and asynchronies), tables
of every round played (the numbers behind the charts) and a download link for each round's CSV file.

Every callback is a plain method that tests call without a browser: :meth:`MirrorGamePage.configure`
(settings changed) and :meth:`MirrorGamePage.on_round` (the browser's end-of-round message). Rounds stay in
this page's kernel only (nothing is written on the server) until a student downloads them. Until a round is
played, the charts show a **simulated** example round, labelled as such.

References
----------
Full entries in ``docs/references.bib``: ``noy2011`` (the mirror game) and ``konvalinka2010`` (joint tapping).
"""

from __future__ import annotations

import html
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from empathy_explorer.app.charts import OKABE_ITO, ChartPanel, download_link, line_chart
from empathy_explorer.app.widgets import ControlGroup, choice, labelled_slider, slider_group
from empathy_explorer.errors import EmpathyExplorerError
from empathy_explorer.games.analysis import (
    MovementResult,
    TappingResult,
    analyse_movement,
    analyse_tapping,
)
from empathy_explorer.games.capture import CaptureWidget, round_from_capture
from empathy_explorer.games.rounds import MIRROR_FS_HZ, TAP_KINDS, Round, round_filename, round_to_csv
from empathy_explorer.games.virtual import leader_path, simulated_round
from empathy_explorer.lessons._page import long_frame, ms_slider

__all__ = ["ROUND_CHOICES", "MirrorGamePage", "PlayedRound", "mirror_game_page"]

#: The rounds a student can play, as shown in the drop-down list.
ROUND_CHOICES: dict[str, str] = {
    "Mirror game: A leads, B follows": "mirror_a_leads",
    "Mirror game: B leads, A follows": "mirror_b_leads",
    "Mirror game: together, no leader": "mirror_joint",
    "Alone: follow the computer": "mirror_solo_follow",
    "Alone: lead, the computer follows": "mirror_solo_lead",
    "Tapping: both with a metronome": "tap_metronome",
    "Tapping: together, no metronome": "tap_mutual",
    "Tapping alone: with a virtual partner": "tap_solo",
}
_KIND_NAMES = {v: k for k, v in ROUND_CHOICES.items()}
PLAYER_COLORS = {"A": OKABE_ITO["orange"], "B": OKABE_ITO["blue"]}
#: Samples per player drawn in the path and velocity charts (10 per second of a 60-s round).
_DISPLAY_POINTS = 600


@dataclass
class PlayedRound:
    """One round kept in the page: the data, its analysis (or why there is none) and its messages."""

    round: Round
    result: MovementResult | TappingResult | None
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0
    example: bool = False


def _thin(time_s: np.ndarray, values: Mapping[str, np.ndarray]) -> pd.DataFrame:
    step = max(1, int(np.ceil(time_s.size / _DISPLAY_POINTS)))
    frames = [
        pd.DataFrame({"time_s": time_s[::step], "value": v[::step], "player": who})
        for who, v in values.items()
    ]
    return pd.concat(frames, ignore_index=True)


def _players_panel(data: str, x: str, title: str, x_title: str, y_title: str, **options: Any) -> Any:
    """One panel of the round's chart: players A and B as two lines (the data are attached to the figure)."""
    return line_chart(
        data,
        x=x,
        y="value",
        title=title,
        x_title=x_title,
        y_title=y_title,
        series="player",
        series_title="Player",
        colors=PLAYER_COLORS,
        height=180,
        **options,
    )({})


def _html_table(frame: pd.DataFrame, caption: str, cls: str) -> str:
    head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return (
        f"<table class='{cls}'><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return "–" if not np.isfinite(v) else f"{v:.3g}" if abs(v) < 1000 else f"{v:.0f}"
    return str(v)


def _note(rnd: Round) -> str:
    if rnd.simulated:
        return "Example round: simulated data (play a round to see yours)"
    return f"Your round: {_KIND_NAMES[rnd.kind]}"


def _attach(chart: Any, datasets: Mapping[str, pd.DataFrame]) -> Any:
    """Attach named datasets to a composed figure once, without Altair re-validating every row (slow)."""
    from empathy_explorer.app.charts import check_rows, json_records

    for name, frame in datasets.items():
        check_rows(name, frame)
    import altair as alt

    for part in getattr(chart, "vconcat", []):
        part.datasets = alt.Undefined  # the parts' empty dataset maps; the data hang on the whole figure
    c = chart.copy(deep=False)
    c.datasets = {name: json_records(frame) for name, frame in datasets.items()}
    return c


def _message_html(lines: list[str], *, error: bool = False) -> str:
    if not lines:
        return "<div class='ee-message' role='status' aria-live='polite'></div>"
    cls = "ee-message ee-error" if error else "ee-message ee-note"
    colour = "#a33f00" if error else "#222222"
    items = "".join(f"<li>{html.escape(t)}</li>" for t in lines)
    return (
        f"<div class='{cls}' role='status' aria-live='polite' style='color:{colour}'>"
        f"<ul style='margin:4px 0'>{items}</ul></div>"
    )


def _round_controls() -> ControlGroup:
    """The round settings: which round, how long, and the computer partner's delay, gain and timing."""
    return slider_group(
        "Round settings",
        kind=choice("Round", ROUND_CHOICES, value="mirror_a_leads"),
        duration_s=labelled_slider("Round length", min=30, max=60, step=5, value=30, unit="s", integer=True),
        delay_ms=ms_slider("Computer's delay (when you lead it)", low=0, high=1000, step=50, value=300),
        gain=labelled_slider("Computer's gain (when you lead it)", min=0.5, max=1.5, step=0.1, value=1.0),
        alpha=labelled_slider("Virtual tapper's phase correction α", min=0.0, max=1.0, step=0.05, value=0.5),
        period_ms=ms_slider("Metronome / virtual tapper period", low=400, high=1000, step=50, value=600),
    )


class MirrorGamePage(widgets.VBox):
    """The interactive part of page 08 (see the module notes).

    Parameters
    ----------
    pair : str
        The pair's label written into round files (no names).
    seed : int
        Seed of the simulated example and of the computer's paths.

    Attributes
    ----------
    capture : CaptureWidget
    controls : ControlGroup
    rounds : list of PlayedRound
        Every round played in this page (the simulated example first).
    result : ipywidgets.HTML
        The last round's result in words (class ``ee-game-result``).
    message : ipywidgets.HTML
        Warnings and errors of the last round (class ``ee-message``).
    """

    def __init__(self, *, pair: str = "P01", seed: int = 0) -> None:
        self.pair = pair
        self.seed = seed
        self.rounds: list[PlayedRound] = []
        self._leader: np.ndarray | None = None
        self.controls = _round_controls()
        self.pair_box = widgets.Text(
            value=pair, description="Pair label (no names)", style={"description_width": "initial"}
        )
        self.capture = CaptureWidget()
        self.capture.on_round(self.on_round)
        self.message = widgets.HTML(_message_html([]))
        self.result = widgets.HTML()
        self.result.add_class("ee-game-result")
        self.timing = widgets.HTML()
        self.table = widgets.HTML()
        self.tap_table = widgets.HTML()
        self.download_pick = widgets.Dropdown(
            description="Round to download", style={"description_width": "initial"}
        )
        self.download_link = widgets.HTML()
        self.download_pick.observe(lambda _c: self._update_download(), names="value")
        self._show_examples()
        self.controls.observe_values(self.configure)
        self.pair_box.observe(lambda _c: self.configure(), names="value")
        self.configure()
        super().__init__(
            children=[
                self.controls,
                self.pair_box,
                self.capture,
                self.message,
                self.result,
                self.timing,
                self.move_panel,
                self.tap_panel,
                self.table,
                self.tap_table,
                widgets.HBox([self.download_pick, self.download_link]),
            ]
        )
        self.add_class("ee-mirror-game")

    def _show_examples(self) -> None:
        """Simulated example rounds (one mirror game, one tapping) fill the charts until a round is played."""
        example = simulated_round("mirror_a_leads", duration_s=30.0, seed=self.seed, pair="EX")
        ex_taps = simulated_round("tap_mutual", duration_s=30.0, seed=self.seed, pair="EX")
        self.move_panel = ChartPanel(
            self._move_chart(self._move_datasets(example, analyse_movement(example))), filename="mirror-round"
        )
        tap_res = analyse_tapping(ex_taps)
        self.tap_panel = ChartPanel(self._tap_chart(self._tap_datasets(tap_res)), filename="tapping-round")
        self._keep(PlayedRound(example, analyse_movement(example), example=True))
        self._keep(PlayedRound(ex_taps, tap_res, example=True))
        self._show(self.rounds[0], example=True)

    # ---------------------------------------------------------------------------------------- settings

    @property
    def kind(self) -> str:
        """The round kind chosen now."""
        return str(self.controls["kind"].value)

    def settings(self) -> dict[str, Any]:
        """The settings written into the next round's file."""
        v = self.controls.values
        kind = v["kind"]
        if kind == "mirror_solo_lead":
            return {"delay_ms": float(v["delay_ms"]), "gain": float(v["gain"])}
        if kind == "mirror_solo_follow":
            return {"leader_seed": self.seed + len(self.rounds)}
        if kind == "tap_solo":
            return {"alpha": float(v["alpha"]), "period_ms": float(v["period_ms"])}
        if kind == "tap_metronome":
            return {"period_ms": float(v["period_ms"]), "metronome_start_s": 1.0}
        if kind == "tap_mutual":
            return {"period_ms": float(v["period_ms"]), "pacing_beats": 4, "metronome_start_s": 1.0}
        return {}

    def configure(self) -> None:
        """Send the chosen round and settings to the capture widget (called when a control changes)."""
        v = self.controls.values
        kind = v["kind"]
        tap = kind in TAP_KINDS
        cap = self.capture
        with cap.hold_sync():
            cap.mode = "tap" if tap else "mirror"
            cap.kind = kind
            cap.duration_s = float(v["duration_s"])
            cap.follower = {"delay_ms": float(v["delay_ms"]), "gain": float(v["gain"])}
            cap.tapper = {"alpha": float(v["alpha"]), "period_ms": float(v["period_ms"])}
            beats = {"tap_metronome": 0, "tap_mutual": 4}.get(kind)
            cap.metronome = {
                "period_ms": float(v["period_ms"]) if beats is not None else 0.0,
                "beats": beats or 0,
            }
            solo = kind in ("mirror_solo_follow", "mirror_solo_lead", "tap_solo")
            cap.labels = {
                "a": "Player A" if not solo else "You (A)",
                "b": "Computer (B)" if solo else "Player B",
            }
            if kind == "mirror_solo_follow":
                self._leader = leader_path(
                    float(v["duration_s"]), MIRROR_FS_HZ, seed=self.seed + len(self.rounds)
                )
                cap.leader_path = [round(float(p), 4) for p in self._leader]
            else:
                cap.leader_path = []
            cap.message = (
                f"Next: {_KIND_NAMES[kind]}, {v['duration_s']} s. "
                + (
                    "Player A taps F (or the left pad), player B taps J (or the right pad)."
                    if tap
                    else "Player A: W / S keys or drag the left handle. "
                    "Player B: arrow keys or drag the right handle."
                )
                + " Press Start round."
            )

    # ------------------------------------------------------------------------------------------ rounds

    def on_round(self, payload: Mapping[str, Any]) -> PlayedRound | None:
        """Handle the browser's end-of-round message: keep the round, analyse it, update everything.

        Returns the kept round (None when nothing was recorded). Never raises for a student's play: every
        problem becomes a message, and earlier rounds are untouched.
        """
        start = time.perf_counter()
        n_same = sum(1 for r in self.rounds if not r.example and r.round.kind == payload.get("kind")) + 1
        pair = self.pair_box.value.strip() or "P01"
        try:
            outcome = round_from_capture(
                payload,
                pair=pair,
                round_id=f"{pair}-{payload.get('kind')}-{n_same}",
                settings=self.settings() if payload.get("kind") == self.kind else {},
                leader=self._leader,
            )
        except EmpathyExplorerError as err:
            self.message.value = _message_html([f"This round could not be read: {err}"], error=True)
            self.capture.message = "This round could not be used. Press Start round to play again."
            return None
        if outcome.round is None:
            self.message.value = _message_html(outcome.warnings or ["Nothing was recorded."], error=True)
            self.capture.message = "Nothing was recorded. Press Start round to play again."
            return None
        played = PlayedRound(outcome.round, None, warnings=list(outcome.warnings))
        if outcome.analysable:
            try:
                played.result = (
                    analyse_tapping(outcome.round)
                    if outcome.round.is_tapping
                    else analyse_movement(outcome.round)
                )
            except EmpathyExplorerError as err:
                played.error = str(err)
        played.seconds = time.perf_counter() - start
        self._keep(played)
        self._show(played)
        return played

    def _keep(self, played: PlayedRound) -> None:
        self.rounds.append(played)
        self._update_tables()
        options = [
            (("Example (simulated): " if r.example else "") + r.round.round_id, i)
            for i, r in enumerate(self.rounds)
        ]
        self.download_pick.options = options
        self.download_pick.value = len(self.rounds) - 1
        self._update_download()

    def _update_download(self) -> None:
        i = self.download_pick.value
        if i is None:
            self.download_link.value = ""
            return
        rnd = self.rounds[i].round
        self.download_link.value = download_link(
            round_to_csv(rnd), round_filename(rnd), f"Download round {rnd.round_id} (CSV)"
        )

    def _show(self, played: PlayedRound, *, example: bool = False) -> None:
        lines = list(played.warnings)
        if played.error:
            lines.append(played.error)
        self.message.value = _message_html(lines, error=bool(played.error))
        rnd, res = played.round, played.result
        label = "Example round (simulated data, not you): " if example else f"{_KIND_NAMES[rnd.kind]}: "
        if res is None:
            text = played.error or "This round is kept but too short to analyse."
            self.result.value = f"<p role='status'><b>{html.escape(label)}</b>{html.escape(text)}</p>"
            self.capture.message = "Round kept without analysis. Press Start round to play again."
            return
        self.result.value = (
            f"<p role='status' data-lag-ms='{getattr(res, 'lag_ms', float('nan')):.1f}' "
            f"data-p-value='{getattr(res, 'p_value', float('nan')):.4f}'>"
            f"<b>{html.escape(label)}</b>{html.escape(res.sentence())}</p>"
        )
        if not example:
            self.timing.value = f"<small>Analysed in {played.seconds * 1000:.0f} ms.</small>"
            self.capture.message = "Done: the result is below the game. Press Start round for the next round."
        if isinstance(res, MovementResult):
            self.move_panel.update_data(self._move_datasets(rnd, res))
        else:
            self.tap_panel.update_data(self._tap_datasets(res))

    def _update_tables(self) -> None:
        moves = [
            r
            for r in self.rounds
            if isinstance(r.result, MovementResult) or (r.result is None and not r.round.is_tapping)
        ]
        taps = [
            r
            for r in self.rounds
            if isinstance(r.result, TappingResult) or (r.result is None and r.round.is_tapping)
        ]
        cols = ["round", "who", "leader", "lag_ms", "mean_peak_r", "peak_r", "p_value", "jitter"]
        rows: list[dict[str, object]] = []
        for r in moves:
            who = "example (simulated)" if r.example else r.round.round_id
            if r.result is None:
                rows.append({"round": _KIND_NAMES[r.round.kind], "who": who, "leader": "not analysed"})
                continue
            row = r.result.summary_row()
            row["round"] = _KIND_NAMES[r.round.kind]
            row["who"] = who
            rows.append(row)
        frame = pd.DataFrame(rows).reindex(columns=cols)
        self.table.value = _html_table(
            frame.astype(object).fillna(""),
            "Mirror-game rounds: lag (ms, positive = B followed A), correlations, p-value, jitter",
            "ee-game-table",
        )
        tcols = [
            "round",
            "who",
            "pairs",
            "mean_iti_a_ms",
            "mean_iti_b_ms",
            "mean_async_ms",
            "b_follows_a",
            "a_follows_b",
            "alpha_a",
            "alpha_b",
        ]
        trows = []
        for r in taps:
            who = "example (simulated)" if r.example else r.round.round_id
            row = r.result.summary_row() if r.result is not None else {"pairs": "not analysed"}
            row["round"] = _KIND_NAMES[r.round.kind]
            row["who"] = who
            trows.append(row)
        self.tap_table.value = _html_table(
            pd.DataFrame(trows).reindex(columns=tcols).astype(object).fillna(""),
            "Tapping rounds: intervals and asynchrony (ms, A − B), lag-1 cross-correlations, "
            "phase correction α",
            "ee-game-table",
        )

    # ------------------------------------------------------------------------------------------ charts

    @staticmethod
    def _move_datasets(rnd: Round, res: MovementResult) -> dict[str, pd.DataFrame]:
        v = res.velocity
        return {
            "paths": _thin(rnd.time_s, {"A": rnd.player_a, "B": rnd.player_b}),
            "velocity": _thin(
                v["time_s"].to_numpy(), {"A": v["player_a"].to_numpy(), "B": v["player_b"].to_numpy()}
            ),
            "profile": res.lag_profile.assign(series="lag profile"),
            "peak": pd.DataFrame({"lag_ms": [res.lag_ms]}),
            "note": pd.DataFrame({"text": [_note(rnd)]}),
        }

    @staticmethod
    def _move_chart(datasets: Mapping[str, pd.DataFrame]) -> Any:
        import altair as alt

        paths = _players_panel(
            "paths",
            "time_s",
            "Both handles",
            "Time (s)",
            "Position (0 = bottom, 1 = top)",
            y_domain=(0.0, 1.0),
        )
        vel = _players_panel("velocity", "time_s", "Velocities", "Time (s)", "Velocity (track/s)")
        prof = (
            alt.Chart(alt.NamedData("profile"))
            .mark_line(color=OKABE_ITO["black"])
            .encode(
                x=alt.X("lag_ms:Q", title="Lag (ms; positive = B follows A)"),
                y=alt.Y("r:Q", title="Mean r over windows"),
                tooltip=[alt.Tooltip("lag_ms:Q", title="lag (ms)"), alt.Tooltip("r:Q", format=".3f")],
            )
        )
        peak = (
            alt.Chart(alt.NamedData("peak"))
            .mark_rule(strokeDash=[5, 4], color=OKABE_ITO["vermillion"])
            .encode(x="lag_ms:Q", tooltip=[alt.Tooltip("lag_ms:Q", title="peak lag (ms)", format=".0f")])
        )
        profile = alt.layer(prof, peak).properties(title="Lag profile of the velocities", height=180)
        note = (
            alt.Chart(alt.NamedData("note"))
            .mark_text(align="left", baseline="middle", fontWeight="bold", fontSize=13)
            .encode(text="text:N", x=alt.value(0), y=alt.value(10))
            .properties(height=20)
        )
        return _attach(alt.vconcat(note, paths, vel, profile), datasets)

    @staticmethod
    def _tap_datasets(res: TappingResult) -> dict[str, pd.DataFrame]:
        t = res.taps
        iti = long_frame("n", t["n"], "value", "player", {"A": t["iti_a_ms"], "B": t["iti_b_ms"]}).dropna()
        return {"iti": iti, "asyn": pd.DataFrame({"n": t["n"], "value": t["async_ms"], "player": "A − B"})}

    @staticmethod
    def _tap_chart(datasets: Mapping[str, pd.DataFrame]) -> Any:
        import altair as alt

        iti = _players_panel("iti", "n", "Inter-tap intervals", "Tap number", "Interval (ms)")
        asyn = line_chart(
            "asyn",
            x="n",
            y="value",
            title="Asynchrony (A − B; below 0: A tapped first)",
            x_title="Tap number",
            y_title="Asynchrony (ms)",
            hline=0.0,
            height=180,
        )({})
        return _attach(alt.vconcat(iti, asyn), datasets)


def mirror_game_page(*, pair: str = "P01", seed: int = 0) -> MirrorGamePage:
    """Build the interactive part of page 08 (see :class:`MirrorGamePage`).

    Examples
    --------
    >>> page = mirror_game_page()
    >>> [r.round.simulated for r in page.rounds]
    [True, True]
    """
    return MirrorGamePage(pair=pair, seed=seed)
