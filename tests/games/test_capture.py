"""The kernel side of the capture widget: positions rebuilt from event logs, and captured rounds' messages."""

from __future__ import annotations

import re

import numpy as np
import pytest

from empathy_explorer.errors import ParameterError
from empathy_explorer.games.capture import SPEED, CaptureWidget, positions_from_events, round_from_capture
from empathy_explorer.games.virtual import follow, leader_path


def reference_positions(events, duration_s, fs_hz, speed=SPEED, dt_ms=0.01):
    """Plain reference: step the handle forward in 0.01-ms steps and read it at each sample time."""
    n = int(duration_s * fs_hz)
    out, pos, v, i = np.empty(n), 0.5, 0.0, 0
    t = 0.0
    for k in range(n):
        target = k * 1000.0 / fs_hz
        while True:
            nxt = events[i][0] if i < len(events) else np.inf
            if nxt <= target:
                pos = min(1, max(0, pos + v * speed * (nxt - t) / 1000))
                t = nxt
                if events[i][1] == "v":
                    v = events[i][2]
                else:
                    pos = events[i][2]
                i += 1
            else:
                break
        pos = min(1, max(0, pos + v * speed * (target - t) / 1000))
        t = target
        out[k] = pos
    return out


def test_positions_match_a_step_by_step_reference():
    rng = np.random.default_rng(0)
    times = np.cumsum(rng.uniform(50, 700, 60))
    events = [[float(t), "v", int(rng.integers(-1, 2))] for t in times]
    events[20:22] = [[times[20], "p", 0.9], [times[21], "p", 0.1]]  # a pointer in between
    got = positions_from_events(events, 20.0, 50.0)
    np.testing.assert_allclose(got, reference_positions(events, 20.0, 50.0), atol=1e-12)
    assert got.min() >= 0 and got.max() <= 1


def test_held_key_stops_at_the_end_of_the_track():
    pos = positions_from_events([[0, "v", 1]], 3.0, 50.0)
    assert pos[0] == 0.5 and pos[-1] == 1.0
    assert np.argmax(pos >= 1.0) == round(0.5 / SPEED * 50)


def test_unsorted_event_log_is_refused():
    with pytest.raises(ParameterError, match="increasing order"):
        positions_from_events([[100, "v", 1], [50, "v", 0]], 1.0)


def _payload(**kw):
    base = {"kind": "mirror_a_leads", "elapsed_ms": 30_000, "planned_ms": 30_000, "events_a": [[0, "v", 1]]}
    base["events_b"] = [[300, "v", 1]]
    base.update(kw)
    return base


def test_a_clean_round_has_no_warning():
    out = round_from_capture(_payload(), pair="P02", round_id="P02-mirror_a_leads-1")
    assert out.analysable and out.warnings == []
    assert out.round.n_samples == 1500 and out.round.round_id == "P02-mirror_a_leads-1"


@pytest.mark.parametrize(
    ("extra", "words", "analysable"),
    [
        ({"stopped_early": True, "elapsed_ms": 20_000}, "stopped after 20 s of 30 s", True),
        ({"stopped_early": True, "elapsed_ms": 8_000}, "too short to analyse", False),
        ({"hidden_ms": 2500.0}, "in the background", True),
        ({"max_gap_ms": 1200.0}, "timers stalled", True),
        ({"held_ms": {"a": 15_000, "b": 0}}, "Player A held a key down for 15 s", True),
    ],
)
def test_problems_are_reported_and_the_round_is_kept(extra, words, analysable):
    out = round_from_capture(_payload(**extra))
    assert out.round is not None and out.analysable is analysable
    assert any(words in w for w in out.warnings), out.warnings


def test_virtual_partners_are_rebuilt_in_the_kernel():
    lead = leader_path(30, seed=2)
    out = round_from_capture(_payload(kind="mirror_solo_follow"), leader=lead)
    np.testing.assert_array_equal(out.round.player_b, lead)
    assert out.round.label_b == "computer"
    out = round_from_capture(_payload(kind="mirror_solo_lead"), settings={"delay_ms": 250, "gain": 0.8})
    np.testing.assert_allclose(out.round.player_b, follow(out.round.player_a, 50, delay_ms=250, gain=0.8))


def test_tapping_capture_becomes_a_tapping_round():
    out = round_from_capture(
        {
            "kind": "tap_mutual",
            "elapsed_ms": 30_000,
            "planned_ms": 30_000,
            "taps_a": [1000, 1600],
            "taps_b": [1020],
        }
    )
    assert out.round.tap_times_s("a").tolist() == [1.0, 1.6] and out.round.tap_times_s("b").tolist() == [1.02]


def test_widget_ships_its_code_and_takes_no_network():
    w = CaptureWidget()
    assert "export default" in w._esm and "http" not in w._esm
    assert not re.search(r"^\s*import\b|\bimport\(", w._esm, flags=re.MULTILINE)  # nothing to fetch
    assert ".ee-capture" in w._css and "http" not in w._css
    got = []
    w.on_round(got.append)
    w._receive(w, {"type": "ee-round", "kind": "mirror_joint"}, [])
    w._receive(w, {"type": "other"}, [])
    assert got == [{"type": "ee-round", "kind": "mirror_joint"}]
