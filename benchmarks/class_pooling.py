"""How long the class page's whole analysis takes: 20 rounds of 60 s at 50 Hz, with every pseudo-pair.

The issue's target: a class of 20 rounds (20 pairs, one mirror-game kind, 60 s at 50 Hz; simulated by the
virtual players with known couplings) is analysed, **including all pseudo-pairs**, in under 10 s. The
script times, as the page does it,

1. reading the rounds from one ZIP of exported round CSVs (in memory, :func:`read_class_files`), and
2. :func:`analyse_class`: every round's synchrony, the pseudo-pair test (the statistic for each of the
   20 × 20 ordered pairs of player A and player B, 1,000 random re-pairings of the class), the leader /
   follower comparison;

and prints the median of ``--repeats`` runs. As a reference in the same run, the same statistic (mean peak r
of the windowed lagged cross-correlation) is computed for a sample of the ordered pairs with the naive
per-window, per-lag ``np.corrcoef`` loop of :mod:`empathy_explorer.bench`, scaled to all 400 pairs, and its
numbers are checked against ours. Exit status 1 when the target is missed or the numbers differ.

Run:  .venv/bin/python benchmarks/class_pooling.py            (≈ 10–20 s with the naive reference)
      .venv/bin/python benchmarks/class_pooling.py --repeats 5 --naive-pairs 4
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import zipfile

import numpy as np

TARGET_S = 10.0
N_ROUNDS = 20
DURATION_S = 60.0


def make_zip(n_rounds: int = N_ROUNDS, duration_s: float = DURATION_S) -> bytes:
    """One ZIP of ``n_rounds`` exported round CSVs (simulated pairs, couplings 0.3–0.9, A leads)."""
    from empathy_explorer.games.pooling import example_rounds
    from empathy_explorer.games.rounds import make_round, round_to_csv

    couplings = np.linspace(0.3, 0.9, n_rounds)
    rounds = example_rounds(couplings, kinds=("mirror_a_leads",), duration_s=duration_s)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for r in rounds:
            rnd = make_round(r.kind, r.a, r.b, r.fs_hz, pair=r.pair, round_id=r.round_id, simulated=True,
                             settings=r.settings)  # fmt: skip
            zf.writestr(f"class/{r.round_id}.csv", round_to_csv(rnd))
    return buf.getvalue()


def naive_mean_peak_r(x: np.ndarray, y: np.ndarray, fs: float) -> float:
    """Mean peak r with plain loops: ``np.corrcoef`` per window and lag, then a plain peak search."""
    from empathy_explorer.bench import naive_xcorr
    from empathy_explorer.games.pooling import SYNC_SETTINGS

    s = SYNC_SETTINGS["position"]
    mat = naive_xcorr(x, y, fs, window_s=s["window_s"], step_s=s["step_s"], max_lag_s=s["max_lag_s"])
    half = mat.shape[1] // 2
    peaks = []
    for row in mat:
        found = np.nan
        for d in range(half + 1):  # outward from lag 0; on a tie of distance the larger r
            best = np.nan
            for j in {half - d, half + d}:
                left = row[j - 1] if j > 0 else -np.inf
                right = row[j + 1] if j + 1 < row.size else -np.inf
                if row[j] > 0 and row[j] >= left and row[j] >= right and not row[j] <= best:
                    best = row[j]
            if not np.isnan(best):
                found = best
                break
        peaks.append(found)
    return float(np.nanmean(peaks))


def run(repeats: int = 3, naive_pairs: int = 6) -> dict[str, float]:
    """Time the whole analysis and the naive reference; return the figures."""
    from empathy_explorer.games.pooling import analyse_class, read_class_files, sync_signal

    archive = make_zip()
    times, read_times = [], []
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        data = read_class_files([("class.zip", archive)])
        t1 = time.perf_counter()
        result = analyse_class(data)
        t2 = time.perf_counter()
        read_times.append(t1 - t0)
        times.append(t2 - t0)
    assert result is not None
    test = result.tests["mirror_a_leads"]
    by_pair = {r.pair: r for r in data.rounds}
    # the naive reference on a sample of ordered pairs (i, j), scaled to all n × n
    rng = np.random.default_rng(0)
    n = test.n_pairs
    sample = [(int(i), int(j)) for i, j in rng.integers(0, n, size=(naive_pairs, 2))]
    values = {}
    full = test.pair_values
    t0 = time.perf_counter()
    for i, j in sample:
        a, b = by_pair[test.pairs[i]], by_pair[test.pairs[j]]
        x, y = sync_signal(a.a, 50.0, "position"), sync_signal(b.b, 50.0, "position")
        values[(i, j)] = naive_mean_peak_r(x, y, 50.0)
    naive_s = (time.perf_counter() - t0) / len(sample) * (n * n + n)  # statistics: n*n pairs + n rounds
    diff = max(abs(values[(i, j)] - full[i, j]) for i, j in sample)
    return {
        "rounds": float(len(data.rounds)),
        "pairs_computed": float(n * n),
        "pairings": float(test.n_pairings),
        "read_s": statistics.median(read_times),
        "total_s": statistics.median(times),
        "naive_s": naive_s,
        "max_abs_diff": diff,
        "p_value": test.p_value,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--naive-pairs", type=int, default=6, help="ordered pairs timed with the naive loop")
    args = parser.parse_args(argv)
    f = run(args.repeats, args.naive_pairs)
    ok_time = f["total_s"] < TARGET_S
    ok_num = f["max_abs_diff"] < 1e-9
    print(f"Class pooling: {f['rounds']:.0f} rounds of {DURATION_S:.0f} s at 50 Hz (simulated), one ZIP")
    print(f"  reading the ZIP (in memory)            {f['read_s'] * 1000:8.0f} ms")
    print(
        f"  whole analysis incl. reading          {f['total_s'] * 1000:8.0f} ms  (median of {args.repeats}; "
        f"{f['pairs_computed']:.0f} ordered pairs, {f['pairings']:.0f} re-pairings)"
    )
    print(
        f"  naive np.corrcoef loop, same stats    {f['naive_s'] * 1000:8.0f} ms  (timed on "
        f"{args.naive_pairs} pairs, scaled)  ratio {f['naive_s'] / f['total_s']:.0f}x"
    )
    print(f"  largest difference from the naive loop {f['max_abs_diff']:.1e}")
    verdict = f"{'PASS' if ok_time else 'FAIL'}; numbers {'PASS' if ok_num else 'FAIL'}"
    print(f"  target < {TARGET_S:.0f} s: {verdict}")
    return 0 if ok_time and ok_num else 1


if __name__ == "__main__":
    sys.exit(main())
