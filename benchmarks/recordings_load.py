"""Speed of loading your own recording, against plain references measured in the same run.

1. A 9-hour Empatica E4 EDA pair (4 Hz, 129,600 lines per file; made here, start times 7.25 s apart):
   ``load_recording`` against ``pandas.read_csv`` of the same two files (the bare parsing cost).
2. The first load that needs resampling (a 64 Hz two-person CSV, 2 min) in a *fresh* Python process:
   the time of the call, and whether ``scipy.signal`` was imported (it costs 0.5-1.8 s on a first upload).
3. The numpy resampler used by the loader against ``preprocess.resample`` (scipy's polyphase filter).

    .venv/bin/python benchmarks/recordings_load.py
"""

from __future__ import annotations

import io
import subprocess
import sys
import time

import numpy as np
import pandas as pd

FRESH = """
import sys, time
import numpy as np
from empathy_explorer.recordings import load_recording
t = np.arange(0, 120, 1 / 64)
rows = "\\n".join(f"{x:.6f},{5 + np.sin(x):.4f},{7 + np.cos(x):.4f}" for x in t)
data = ("time,patient,clinician\\n" + rows).encode()
t0 = time.perf_counter()
s = load_recording(data, name="fast.csv")
print(time.perf_counter() - t0, s.fs, "scipy.signal" in sys.modules)
"""


def e4_file(start: float, values: np.ndarray) -> bytes:
    return (f"{start:.6f}\n4.000000\n" + "\n".join(f"{v:.6f}" for v in values) + "\n").encode()


def nine_hour_pair() -> tuple[bytes, bytes]:
    rng = np.random.default_rng(0)
    n = 9 * 3600 * 4
    p = 5 + np.abs(np.cumsum(rng.normal(0, 0.01, n)))
    c = 7 + np.abs(np.cumsum(rng.normal(0, 0.01, n)))
    return e4_file(1_600_000_000.0, p), e4_file(1_600_000_007.25, c)


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> dict[str, float]:
    from empathy_explorer import preprocess
    from empathy_explorer.recordings import load_recording
    from empathy_explorer.recordings._common import resample_np

    p, c = nine_hour_pair()
    load_s = best_of(lambda: load_recording({"patient": p, "clinician": c}, name=("p_EDA.csv", "c_EDA.csv")))
    read_s = best_of(lambda: [pd.read_csv(io.BytesIO(b), header=None, skiprows=2) for b in (p, c)])
    out = subprocess.run(
        [sys.executable, "-c", FRESH], capture_output=True, text=True, check=True
    ).stdout.split()
    first_s, scipy_loaded = float(out[0]), out[2] == "True"
    x = np.random.default_rng(1).normal(size=64 * 3600)
    ours = best_of(lambda: resample_np(x, 64.0, 32.0))
    ref = best_of(lambda: preprocess.resample(x, 64.0, 32.0))
    print(f"9-hour E4 pair: load_recording {load_s:.3f} s, pandas.read_csv of both {read_s:.3f} s "
          f"(ratio {load_s / read_s:.2f}); limit 0.5 s")  # fmt: skip
    print(f"first load needing resampling, fresh process: {first_s:.3f} s (limit 1 s); "
          f"scipy.signal imported: {scipy_loaded}")  # fmt: skip
    print(f"resampling 1 h at 64 -> 32 Hz: numpy {ours * 1e3:.1f} ms, scipy polyphase {ref * 1e3:.1f} ms "
          f"(ratio {ours / ref:.2f})")  # fmt: skip
    return {"load_s": load_s, "read_s": read_s, "first_s": first_s, "scipy": float(scipy_loaded)}


if __name__ == "__main__":
    main()
