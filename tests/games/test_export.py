"""A downloaded round opens with ``load_recording`` as a two-person recording (player A = person 1, signal
``position`` from the header) and the session explorer finds the same lag as the game page."""

from __future__ import annotations

import numpy as np
import pytest

from empathy_explorer.app.explorer import compute_view
from empathy_explorer.games.analysis import analyse_movement
from empathy_explorer.games.capture import round_from_capture
from empathy_explorer.games.rounds import round_to_csv
from empathy_explorer.recordings import load_recording
from tests.support.rounds import key_log


@pytest.mark.parametrize("seed", [0, 1])
def test_exported_round_loads_and_gives_the_same_lag_in_the_explorer(seed):
    ev = key_log(seed, 60_000)
    payload = {"kind": "mirror_a_leads", "elapsed_ms": 60_000, "planned_ms": 60_000, "events_a": ev}
    payload["events_b"] = [[t + 300.0, k, v] for t, k, v in ev]
    rnd = round_from_capture(payload, pair="P03").round
    game_lag_ms = analyse_movement(rnd).lag_ms

    text = round_to_csv(rnd)
    session = load_recording(text.encode("utf-8"), name="round-P03-mirror_a_leads-1.csv")
    assert session.duration_s == pytest.approx(60.0, abs=0.1)
    assert session.kinds == ("position",) and session.metadata["kind"] == "mirror_a_leads"
    assert session.metadata["pair"] == "P03"
    x, y = session.pair("position")
    # The explorer's lag profile of the positions peaks at the lag the game page found.
    view = compute_view(x, y, session.fs, "wcc", window_s=10.0, step_s=2.0, max_lag_s=2.0)
    explorer_lag_ms = 1000.0 * float(view.lags_s[int(np.nanargmax(view.lag_r))])
    assert abs(game_lag_ms - 300.0) <= 40.0
    assert abs(explorer_lag_ms - game_lag_ms) <= 1000.0 / session.fs + 1.0  # within one explorer sample
