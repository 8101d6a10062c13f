"""Round files (ROUND_FORMAT.md, version 1): write, read back, and refuse what is not a round."""

from __future__ import annotations

import json

import numpy as np
import pytest

from empathy_explorer.errors import ParameterError, RecordingError
from empathy_explorer.games.rounds import (
    ROUND_KINDS,
    make_round,
    read_round,
    round_filename,
    round_from_taps,
    round_to_csv,
)


def _mirror(kind: str = "mirror_a_leads", n: int = 2000) -> object:
    t = np.arange(n) / 50.0
    return make_round(
        kind,
        0.5 + 0.4 * np.sin(t / 2),
        0.5 + 0.4 * np.sin((t - 0.3) / 2),
        50,
        pair="P03",
        round_id="P03-mirror_a_leads-1",
        settings={"delay_ms": 300, "gain": 1.0},
    )


def test_header_is_the_documented_one():
    text = round_to_csv(_mirror())
    lines = text.splitlines()
    assert lines[:12] == [
        "# empathy-explorer round: 1",
        "# kind: mirror_a_leads",
        "# pair: P03",
        "# player_a: A",
        "# player_b: B",
        "# round_id: P03-mirror_a_leads-1",
        "# fs_hz: 50",
        "# duration_s: 40.00",
        "# signal: position",
        "# unit: track",
        "# simulated: false",
        '# settings: {"delay_ms": 300, "gain": 1.0}',
    ]
    assert lines[12] == "time_s,player_a,player_b"
    assert lines[13] == "0.000,0.5000,0.4402"  # 0.5 + 0.4 sin(-0.15) = 0.44022...
    assert len(lines) == 13 + 2000


@pytest.mark.parametrize("kind", ROUND_KINDS)
def test_every_kind_round_trips(kind):
    if kind.startswith("tap"):
        rnd = round_from_taps(kind, [0.5, 1.1, 1.7], [0.52, 1.13], 3.0, settings={"alpha": 0.5})
    else:
        rnd = _mirror(kind)
    back = read_round(round_to_csv(rnd).encode("utf-8"), name="x.csv")
    assert back.kind == kind and back.fs_hz == rnd.fs_hz and back.pair == rnd.pair
    assert dict(back.settings) == dict(rnd.settings)
    np.testing.assert_allclose(back.player_a, rnd.player_a, atol=5e-5)
    np.testing.assert_allclose(back.player_b, rnd.player_b, atol=5e-5)
    np.testing.assert_allclose(back.time_s, rnd.time_s, atol=5e-4)


def test_tap_times_survive_the_file_to_10_ms():
    taps = [0.503, 1.104, 1.699, 2.3]
    rnd = read_round(round_to_csv(round_from_taps("tap_mutual", taps, [0.6], 3.0)))
    assert np.max(np.abs(rnd.tap_times_s("a") - taps)) <= 0.005
    assert rnd.signal == "taps" and rnd.unit == "count"


def test_unknown_header_keys_are_kept_and_written_back(tmp_path):
    text = round_to_csv(_mirror()).replace("# kind:", "# device: phone\n# kind:", 1)
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    rnd = read_round(path)
    assert rnd.extra["device"] == "phone"
    assert "# device: phone" in round_to_csv(rnd)
    assert round_filename(rnd) == "round-P03-mirror_a_leads-1.csv"


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda t: "time_s,player_a,player_b\n0,0.5,0.5\n", "not a round file"),
        (lambda t: t.replace("round: 1", "round: 2", 1), "version"),
        (lambda t: t.replace("kind: mirror_a_leads", "kind: tennis"), "unknown round kind"),
        (lambda t: t.replace("fs_hz: 50", "fs_hz: fast"), "fs_hz"),
        (lambda t: t.replace('{"delay_ms": 300, "gain": 1.0}', "{delay"), "JSON"),
        (lambda t: t.replace("time_s,player_a,player_b", "t,a,b"), "time_s,player_a,player_b"),
        (lambda t: t.replace("\n0.020,", "\n0.500,", 1), "grid"),
        (lambda t: t.replace("\n0.020,", "\n0.020,x", 1), "three numbers"),
        (lambda t: t.replace("\n0.020,0.", "\n0.020,7.", 1), "between 0"),
    ],
)
def test_bad_files_get_a_message_naming_the_file(mutate, words):
    text = mutate(round_to_csv(_mirror()))
    with pytest.raises(RecordingError) as err:
        read_round(text.encode(), name="round.csv")
    assert str(err.value).startswith("round.csv") and words.lower() in str(err.value).lower()


def test_not_utf8_and_missing_file(tmp_path):
    with pytest.raises(RecordingError, match="not UTF-8"):
        read_round(b"\xff\xfe\x00garbage\n", name="b.csv")
    with pytest.raises(RecordingError, match="no such file"):
        read_round(tmp_path / "missing.csv")


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"kind": "golf"}, "Unknown round kind"),
        ({"pair": "Anna Müller-Lüdenscheidt von Hohenzollern"}, "never a name"),
        ({"player_a": [0.5, 1.5]}, "between 0"),
        ({"player_b": [0.5]}, "same number"),
        ({"fs_hz": 0}, "positive number"),
        ({"settings": {"x": object()}}, "settings"),
        ({"player_a": [0.5, np.nan]}, "missing"),
    ],
)
def test_make_round_refuses_bad_input(kwargs, words):
    args = {"kind": "mirror_joint", "player_a": [0.5, 0.6], "player_b": [0.5, 0.5], "fs_hz": 50.0}
    args.update(kwargs)
    labels = {k: args.pop(k) for k in ("pair", "settings") if k in args}
    with pytest.raises(ParameterError, match=words):
        make_round(args["kind"], args["player_a"], args["player_b"], args["fs_hz"], **labels)


def test_settings_line_is_one_line_of_json():
    rnd = make_round("tap_solo", [0, 1], [1, 0], 100, settings={"alpha": 0.25, "note": "a\nb"})
    line = next(ln for ln in round_to_csv(rnd).splitlines() if ln.startswith("# settings:"))
    assert json.loads(line.split(":", 1)[1]) == {"alpha": 0.25, "note": "a\nb"}
    assert read_round(round_to_csv(rnd)).settings["note"] == "a\nb"
