"""Pooling a class's rounds (page 09): real pairs against pseudo-pairs on classes with known couplings,
checked against plain recomputations, and every kind of bad upload set aside with a plain message."""

from __future__ import annotations

import io
import itertools
import math
import zipfile

import numpy as np
import pytest

from empathy_explorer.errors import InputError
from empathy_explorer.games import class_files, class_sync, pooling, simulated_class
from empathy_explorer.games.pooling import (
    ClassRound,
    analyse_class,
    example_class,
    example_rounds,
    make_round,
    pool_rounds,
    projected_ci,
    published_comparison,
    read_class_files,
    round_sync,
    sync_signal,
)
from empathy_explorer.games.rounds import round_to_csv
from empathy_explorer.games.virtual import follow, leader_path
from tests.support.paths import REPO_ROOT


def _csv(r: ClassRound) -> bytes:
    from empathy_explorer.games.rounds import make_round as game_round

    rnd = game_round(r.kind, r.a, r.b, r.fs_hz, pair=r.pair, round_id=r.round_id, simulated=r.simulated,
                     settings=r.settings)  # fmt: skip
    return round_to_csv(rnd).encode()


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _independent_class(n_pairs: int, duration_s: float, seed: int, kind: str = "mirror_a_leads"):
    """Pairs whose players ignore each other (coupling 0), from the virtual players' smooth paths."""
    return [
        make_round(f"P{i + 1:02d}", kind, leader_path(duration_s, seed=seed * 1000 + 2 * i),
                   leader_path(duration_s, seed=seed * 1000 + 2 * i + 1), 50.0, simulated=True)
        for i in range(n_pairs)
    ]  # fmt: skip


@pytest.fixture(scope="module")
def planted():
    return analyse_class(example_class())


@pytest.fixture(scope="module")
def null_class():
    return analyse_class(example_class(0.0))


# --------------------------------------------------------------------------------------------------
# Known ground truth
# --------------------------------------------------------------------------------------------------


def test_the_example_class_is_simulated_and_labelled(planted):
    rounds = example_rounds()
    assert len(rounds) == 36 and {r.pair for r in rounds} == {f"P{i:02d}" for i in range(1, 13)}
    assert all(r.simulated for r in rounds)
    assert planted.simulated and planted.table["simulated"].all()
    assert "SIMULATED" in example_class().notes[0]
    # Deterministic: built again, the same numbers.
    again = example_rounds()
    assert all(
        np.array_equal(a.a, b.a) and np.array_equal(a.b, b.b) for a, b in zip(rounds, again, strict=True)
    )


def test_real_pairs_beat_pseudo_pairs_when_couplings_are_planted(planted):
    assert set(planted.tests) == {"mirror_a_leads", "mirror_b_leads", "mirror_joint"}
    for test in planted.tests.values():
        assert test.n_pairs == 12 and test.pseudo.size == 132
        assert test.p_value < 0.01, test.describe()
        assert test.effect_size > 2, test.describe()
        assert test.ci_low > 0, test.describe()


def test_no_effect_when_every_coupling_is_zero(null_class):
    for test in null_class.tests.values():
        assert test.p_value > 0.05, test.describe()
        assert abs(test.effect_size) < 1, test.describe()
        assert test.ci_low < 0, test.describe()  # the interval does not put real pairs above pseudo-pairs


def test_false_positive_rate_of_the_class_test_is_near_five_percent():
    """40 classes of 8 independent pairs: the share with p < 0.05 stays near the nominal 5 %."""
    ps = [
        analyse_class(_independent_class(8, 24.0, seed), n_pseudo=500).tests["mirror_a_leads"].p_value
        for seed in range(40)
    ]
    rate = np.mean(np.array(ps) < 0.05)
    assert rate <= 0.15, f"{rate:.0%} of 40 null classes had p < 0.05"
    assert np.mean(ps) > 0.35  # p-values spread over (0, 1), not piled up near 0


def test_the_follower_delay_is_recovered(planted):
    """Leader/follower rounds: the lag of the real pairs is the delay planted in each pair."""
    table = planted.table
    a_leads = table[table["kind"] == "mirror_a_leads"].set_index("pair")
    b_leads = table[table["kind"] == "mirror_b_leads"].set_index("pair")
    delays = {f"P{i + 1:02d}": d for i, d in enumerate(pooling.EXAMPLE_DELAYS_MS)}
    couplings = dict(zip(delays, pooling.EXAMPLE_COUPLINGS, strict=True))
    for pair, c in couplings.items():
        if c >= 0.45:  # who follows whom: right for every pair that follows at all clearly
            assert a_leads.loc[pair, "lag_ms"] > 0 > b_leads.loc[pair, "lag_ms"], pair
            assert a_leads.loc[pair, "leader"] == "A" and b_leads.loc[pair, "leader"] == "B", pair
        if c >= 0.85:  # the size of the lag: near the delay when the follower mostly copies the leader
            assert abs(a_leads.loc[pair, "lag_ms"] - delays[pair]) <= 100, pair
            assert abs(b_leads.loc[pair, "lag_ms"] + delays[pair]) <= 100, pair
    # With partial following the follower's own movements blur the lag profile (errors of ~100 ms), but
    # over the pairs that follow clearly the measured lags stay near the delays and rank them.
    from empathy_explorer.stats import spearman_rho

    strong = [p for p, c in couplings.items() if c >= 0.6]
    lags = (a_leads.loc[strong, "lag_ms"] - b_leads.loc[strong, "lag_ms"]).to_numpy() / 2
    set_delays = np.array([delays[p] for p in strong])
    assert np.mean(np.abs(lags - set_delays)) < 60
    assert spearman_rho(set_delays, lags) > 0.6


def test_round_sync_on_a_copied_path():
    lead = leader_path(30.0, seed=4)
    out = round_sync(make_round("P01", "mirror_a_leads", lead, follow(lead, 50.0, delay_ms=300), 50.0))
    assert out["lag_ms"] == pytest.approx(300, abs=20)
    assert out["sync_r"] > 0.95
    assert out["share_a_leads"] > 0.9


def test_round_sync_equals_a_plain_loop():
    """Mean peak r against per-window, per-lag np.corrcoef and a plain peak search."""
    from empathy_explorer.bench import naive_xcorr

    a, b = leader_path(20.0, seed=1), leader_path(20.0, seed=2)
    r = make_round("P01", "mirror_joint", a, b, 50.0)
    x, y = sync_signal(a, 50.0, "position"), sync_signal(b, 50.0, "position")
    s = pooling.SYNC_SETTINGS["position"]
    mat = naive_xcorr(x, y, 50.0, window_s=s["window_s"], step_s=s["step_s"], max_lag_s=s["max_lag_s"])
    lags = np.arange(mat.shape[1]) - mat.shape[1] // 2
    peaks = []
    for row in mat:  # plain peak picking: positive local maximum nearest lag 0, larger r on a tie
        best = None
        for j in np.argsort(np.abs(lags), kind="stable"):
            left = row[j - 1] if j > 0 else -np.inf
            right = row[j + 1] if j + 1 < row.size else -np.inf
            if row[j] > 0 and row[j] >= left and row[j] >= right:
                if best is None or (abs(lags[j]) == abs(lags[best]) and row[j] > row[best]):
                    best = j
                elif abs(lags[j]) > abs(lags[best]):
                    break
        peaks.append(np.nan if best is None else row[best])
    assert round_sync(r)["sync_r"] == pytest.approx(np.nanmean(peaks), abs=1e-9)


def test_sync_signal_is_a_smoothed_velocity_and_a_smoothed_tap_train():
    t = np.arange(0, 10, 0.02)
    v = sync_signal(0.5 + 0.1 * t, 50.0, "position")
    assert np.allclose(v, 0.1)  # constant speed 0.1 track/s, edges included
    taps = np.zeros(1000)
    taps[[100, 500]] = 1
    train = sync_signal(taps, 100.0, "taps")
    assert train.sum() == pytest.approx(2.0) and np.argmax(train[:300]) == 100


def test_pseudo_pair_numbers_equal_recombined_rounds_and_a_brute_force_p_value():
    """With 4 pairs every re-pairing (9 derangements) is used: the p-value and the effect size follow
    from the pair values by plain counting, and each pseudo-pair value is the synchrony of a round made
    of A of one pair and B of another."""
    rounds = example_rounds([0.6, 0.4, 0.2, 0.0], kinds=("mirror_joint",), duration_s=20.0)
    res = analyse_class(rounds)
    test = res.tests["mirror_joint"]
    assert test.n_pairings == 9
    by_pair = {r.pair: r for r in rounds}
    values = np.full((4, 4), np.nan)
    for i, j in itertools.product(range(4), repeat=2):
        ri, rj = by_pair[test.pairs[i]], by_pair[test.pairs[j]]
        values[i, j] = round_sync(make_round("X", "mirror_joint", ri.a, rj.b, 50.0))["sync_r"]
    assert np.allclose(test.real, np.diag(values))
    off = ~np.eye(4, dtype=bool)
    assert np.allclose(np.sort(test.pseudo), np.sort(values[off]))
    perms = [p for p in itertools.permutations(range(4)) if all(p[i] != i for i in range(4))]
    null = np.array([np.mean([values[i, p[i]] for i in range(4)]) for p in perms])
    observed = np.mean(np.diag(values))
    assert test.p_value == pytest.approx((1 + np.sum(null >= observed)) / (1 + len(perms)))
    d = (observed - values[off].mean()) / values[off].std(ddof=1)
    assert test.effect_size == pytest.approx(d)
    own = np.array([values[i, off[i]].mean() for i in range(4)])
    assert np.allclose(test.excess, np.diag(values) - own)


def test_leader_follower_against_joint_pair_by_pair(planted):
    cmp = planted.comparison
    assert cmp is not None and cmp.n_pairs == 12
    t = planted.table.set_index(["pair", "kind"])["sync_r"]
    for k, pair in enumerate(cmp.pairs):
        led = (t[(pair, "mirror_a_leads")] + t[(pair, "mirror_b_leads")]) / 2
        assert cmp.led[k] == pytest.approx(led)
        assert cmp.joint[k] == pytest.approx(t[(pair, "mirror_joint")])
    diff = cmp.joint - cmp.led
    assert cmp.mean_diff == pytest.approx(diff.mean())
    from scipy import stats as sps  # the reference, in the test only

    assert cmp.p_value == pytest.approx(sps.ttest_rel(cmp.joint, cmp.led).pvalue)
    # Joint rounds follow a shared intention 30 ms late: their lags are short; led rounds lag ~200-420 ms.
    assert np.median(cmp.joint_lag_ms) < 60 < 150 < np.median(cmp.led_lag_ms)


def test_projected_interval_and_the_published_design(planted):
    test = planted.tests["mirror_joint"]
    proj = projected_ci(test)
    assert proj["width"].is_monotonic_decreasing
    row = proj[proj["is_class"]].iloc[0]
    assert row["pairs"] == 12
    assert row["ci_low"] == pytest.approx(test.ci_low) and row["ci_high"] == pytest.approx(test.ci_high)
    # about half as wide with four times the pairs
    w = proj.set_index("pairs")["width"]
    assert w[20] / w[80] == pytest.approx(2.0, rel=0.1)
    from empathy_explorer.stats import r_confidence_interval

    table = published_comparison(test).set_index("pairs")
    assert (table.loc[20, "ci_low"], table.loc[20, "ci_high"]) == r_confidence_interval(0.47, 20)
    assert table.loc[12, "estimate"] == pytest.approx(test.mean_excess)


# --------------------------------------------------------------------------------------------------
# Uploads and bad input
# --------------------------------------------------------------------------------------------------


def test_a_zip_of_exported_rounds_reads_back_every_round():
    rounds = example_rounds(kinds=("mirror_joint",), duration_s=20.0)
    archive = _zip({f"class/{r.round_id}.csv": _csv(r) for r in rounds} | {"__MACOSX/._x.csv": b"junk"})
    data = read_class_files([("class.zip", archive)])
    assert len(data.rounds) == 12 and not data.skipped
    back = {r.round_id: r for r in data.rounds}
    for r in rounds:
        got = back[r.round_id]
        assert got.pair == r.pair and got.kind == r.kind and got.player_a == "A" and got.simulated
        assert np.allclose(got.a, r.a, atol=1e-4) and np.allclose(got.b, r.b, atol=1e-4)
        assert got.source == f"class.zip/{r.round_id}.csv"


def test_bad_files_are_set_aside_and_the_rest_still_loads(tmp_path):
    rounds = example_rounds(kinds=("mirror_joint",), duration_s=20.0)[:4]
    files = [(f"{r.round_id}.csv", _csv(r)) for r in rounds]
    files += [
        ("again.csv", _csv(rounds[0])),  # the same round under another name
        ("notes.txt", b"These are my notes from the workshop."),
        ("recording.csv", b"time_s,patient,clinician\n0,1,2\n1,2,3\n"),
        ("broken.zip", b"PK\x03\x04 not really a zip"),
        ("photo.png", b"\x89PNG\r\n\x1a\n...."),
    ]
    other = make_round("P01", "mirror_joint", rounds[1].b, rounds[1].a, 50.0, round_id=rounds[0].round_id)
    files.append(("same-id.csv", _csv(other)))  # a different round claiming the same id
    data = read_class_files(files)
    assert [r.round_id for r in data.rounds] == [r.round_id for r in rounds]
    reasons = dict(data.skipped)
    assert "same round as" in reasons["again.csv"]
    assert "not a round file" in reasons["notes.txt"]
    assert "not a round file" in reasons["recording.csv"]
    assert "cannot be opened" in reasons["broken.zip"]
    assert "not a round file" in reasons["photo.png"]
    assert "already has round id" in reasons["same-id.csv"]
    for text in data.messages:
        assert "Error" not in text and "Traceback" not in text and "/tmp" not in text


def test_nothing_usable_is_one_plain_error():
    with pytest.raises(InputError, match="None of the uploaded files is a round"):
        read_class_files([("a.txt", b"hello")])
    with pytest.raises(InputError, match="No file was uploaded"):
        read_class_files([])


def test_files_above_the_upload_limit_are_refused_before_parsing(monkeypatch):
    from empathy_explorer import recordings

    big = _csv(example_rounds(kinds=("mirror_joint",), duration_s=20.0)[0])
    monkeypatch.setattr(recordings, "MAX_FILE_BYTES", len(big) - 1)
    with pytest.raises(InputError) as err:
        read_class_files([("big.csv", big), ("class.zip", _zip({"inner.csv": big}))])
    text = str(err.value)
    assert (
        f"up to {(len(big) - 1) / 1e6:.0f} MB" in text and "big.csv" in text and "class.zip/inner.csv" in text
    )


def test_mixed_lengths_duplicates_and_few_pairs_each_get_a_message():
    rounds = example_rounds(kinds=("mirror_joint",), duration_s=20.0)[:5]
    short = example_rounds(kinds=("mirror_joint",), duration_s=15.0, seed=3)[5]
    two_kinds = example_rounds(kinds=("mirror_a_leads",), duration_s=20.0)[:2]
    second = make_round("P01", "mirror_joint", rounds[2].a, rounds[3].b, 50.0, round_id="P01-mirror_joint-2")
    res = analyse_class(pool_rounds([*rounds, short, *two_kinds, second]))
    text = " ".join(res.messages)
    assert "15.0 s" in text and "20.0 s" in text and "same length" in text  # the short round is named
    assert "P01 has more than one" in text
    assert "Only 2 pair(s)" in text and "at least 3 pairs" in text  # A leads: 2 pairs, no test
    assert "Pairs P03, P04, P05 and P06 have only one round" in text
    assert set(res.tests) == {"mirror_joint"}
    t = res.table.set_index("round_id")
    assert not t.loc[short.round_id, "in_test"] and not t.loc["P01-mirror_joint-2", "in_test"]
    assert t.loc["P01-mirror_joint-1", "in_test"]
    assert res.tests["mirror_joint"].n_pairs == 5


def test_a_player_who_never_moved_is_named_and_the_class_still_analysed():
    rounds = example_rounds(kinds=("mirror_joint",), duration_s=20.0)[:4]
    idle = make_round("P09", "mirror_joint", rounds[0].a, np.full(rounds[0].n_samples, 0.5), 50.0)
    res = analyse_class([*rounds, idle])
    assert any("Player B hardly moved" in m for m in res.messages)
    assert math.isnan(res.table.set_index("pair").loc["P09", "sync_r"])
    assert res.tests["mirror_joint"].n_pairs == 4


def test_the_export_holds_labels_and_numbers_only(planted):
    out = planted.export_table()
    assert list(out.columns) == list(planted.EXPORT_COLUMNS)
    assert "source" not in out.columns  # a file name may hold a student's name; it is not exported
    assert set(out["pair"]) == {f"P{i:02d}" for i in range(1, 13)}
    assert set(out["player_a"]) | set(out["player_b"]) == {"A", "B"}


def test_progress_is_reported_up_to_the_total():
    calls = []
    analyse_class(example_rounds([0.5] * 4, kinds=("mirror_joint",), duration_s=20.0),
                  progress=lambda d, t: calls.append((d, t)))  # fmt: skip
    assert calls[-1][0] == calls[-1][1]
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_docstring_examples_run():
    import doctest

    attempted = 0
    for module in (pooling, class_files, class_sync, simulated_class):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__
        attempted += result.attempted
    assert attempted >= 8


def test_the_benchmark_class_of_20_rounds_is_analysed_within_10_s():
    """benchmarks/class_pooling.py in a quick run: 20 rounds of 60 s at 50 Hz, all pseudo-pairs, < 10 s,
    and its numbers equal the naive per-window, per-lag loop."""
    import importlib.util

    path = REPO_ROOT / "benchmarks" / "class_pooling.py"
    spec = importlib.util.spec_from_file_location("class_pooling", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    f = bench.run(repeats=1, naive_pairs=1)
    assert f["rounds"] == 20 and f["pairs_computed"] == 400
    assert f["total_s"] < bench.TARGET_S
    assert f["max_abs_diff"] < 1e-9
    assert f["p_value"] < 0.01  # couplings 0.3-0.9 are planted


def test_tapping_rounds_pool_with_mirror_rounds_kind_by_kind():
    """Tapping rounds (onsets at 100 Hz) from the game's virtual tappers pool next to mirror rounds: each
    kind gets its own pseudo-pair test of the same length and rate."""
    from empathy_explorer.games.pooling import ClassRound
    from empathy_explorer.games.virtual import simulated_round

    taps = [
        ClassRound.from_round(
            simulated_round("tap_mutual", duration_s=30, seed=i, pair=f"P{i + 1:02d}"), "t.csv"
        )
        for i in range(5)
    ]
    mirror = example_rounds([0.8] * 5, kinds=("mirror_joint",), duration_s=30)
    res = analyse_class([*taps, *mirror])
    assert set(res.tests) == {"tap_mutual", "mirror_joint"}
    tap_test = res.tests["tap_mutual"]
    assert tap_test.n_pairs == 5 and tap_test.duration_s == pytest.approx(30.0)
    t = res.table.set_index("kind")
    assert np.isfinite(t.loc["tap_mutual", "sync_r"]).all()
    # mutually adapting tappers are more in step with their own partner than with another pair's tapper
    assert tap_test.mean_real > tap_test.mean_pseudo


def test_more_files_than_the_limit_are_named_not_read(monkeypatch):
    monkeypatch.setattr(class_files, "MAX_FILES", 3)
    rounds = example_rounds(kinds=("mirror_joint",), duration_s=20.0)[:5]
    loose = [(f"{r.round_id}.csv", _csv(r)) for r in rounds[:4]]
    data = read_class_files([*loose, ("more.zip", _zip({"x.csv": _csv(rounds[4])}))])
    assert len(data.rounds) == 3
    reasons = dict(data.skipped)
    assert "more than 3 files" in reasons[loose[3][0]] and "more than 3 files" in reasons["more.zip/x.csv"]
