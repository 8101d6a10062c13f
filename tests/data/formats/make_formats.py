"""Build the format examples of ``tests/data/formats/`` (deterministic; run from the repository root).

These files are NOT real recordings: they are written here, from each format's published description
(cited in the reader module's docstring and in README.md next to this script), for the formats of which no
public example with a licence that allows copying was found. The signals are known functions, so the tests
can check what the loader gives against the truth. Real files are in ``tests/data/real/``.

    .venv/bin/python tests/data/formats/make_formats.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
START = pd.Timestamp("2024-03-01 10:00:00")  # local wall-clock time of the patient's first beat
LAG_S = 3.0  # the clinician's recording starts this much later on the clock
DURATION_S = 180.0


def hr_true(t: np.ndarray, person: str) -> np.ndarray:
    """The heart rate (bpm) each file is built from, as a function of clock seconds after START."""
    phase = 0.0 if person == "patient" else 1.0
    return 70.0 + 6.0 * np.sin(2 * np.pi * t / 45.0 + phase)


def eda_true(t: np.ndarray, person: str) -> np.ndarray:
    """The skin conductance (µS) each EDA file is built from (clock seconds after START)."""
    base = 4.0 if person == "patient" else 7.0
    return base + 0.8 * np.sin(2 * np.pi * t / 50.0) + 0.1 * t / DURATION_S


def beats(person: str) -> tuple[np.ndarray, np.ndarray]:
    """Beat times (clock s after START) and RR intervals (ms) that follow hr_true."""
    t = LAG_S if person == "clinician" else 0.0
    times, rr = [], []
    while t < DURATION_S + LAG_S:
        interval = 60.0 / float(hr_true(np.array([t]), person)[0])
        t += interval
        times.append(t)
        rr.append(round(interval * 1000.0))
    return np.array(times), np.array(rr, dtype=float)


def stamp(s: float, sep: str = " ") -> str:
    return (START + pd.Timedelta(seconds=s)).strftime(f"%Y-%m-%d{sep}%H:%M:%S.%f")[:-3]


def main() -> None:
    for person in ("patient", "clinician"):
        t, rr = beats(person)
        # HRV Logger RRIntervals.csv (timestamp, rr, since start)
        since = np.cumsum(rr)
        rows = [f"{stamp(ti)},{int(r)},{int(s)}" for ti, r, s in zip(t, rr, since, strict=True)]
        (HERE / f"hrvlogger_{person}_RRIntervals.csv").write_text(
            "timestamp,rr,since start\n" + "\n".join(rows) + "\n"
        )
        # Polar Sensor Logger RR file
        rows = [f"{stamp(ti, 'T')};{int(r)}" for ti, r in zip(t, rr, strict=True)]
        (HERE / f"polarsensorlogger_{person}_RR.txt").write_text(
            "Phone timestamp;RR-interval [ms]\n" + "\n".join(rows) + "\n"
        )
        # Welltory: intervals on one line, space-separated
        (HERE / f"welltory_{person}_RR.txt").write_text(" ".join(str(int(r)) for r in rr))
        # RR with an annotation column (space for the patient, tab for the clinician)
        sep = " " if person == "patient" else "\t"
        labels = ["V" if i % 97 == 50 else "N" for i in range(rr.size)]
        (HERE / f"annotated_{person}_RR.txt").write_text(
            "\n".join(f"{int(r)}{sep}{lab}" for r, lab in zip(rr, labels, strict=True)) + "\n"
        )
        # Movesense HR export as observed (title line, Average,RRData, rows avg,rr or rr alone)
        rows = [f"{60000.0 / r:.5f},{int(r)}" if i % 3 else f"{int(r)}" for i, r in enumerate(rr)]
        when = (START + pd.Timedelta(seconds=LAG_S if person == "clinician" else 0.0)).strftime(
            "%Y_%m_%d-%H_%M_%S"
        )
        # the clock in the name is the start of the recording; the first beat comes one interval later
        (HERE / f"movesense_{person}_HR-{when}.csv").write_text(
            " " * 20 + "HeartRate" + " " * 20 + "\nAverage,RRData\n" + "\n".join(rows) + "\n"
        )
        # Shimmer GSR+ CSV export: sep line, names, units, Unix ms and µS, 51.2 Hz
        fs = 51.2
        n = int(DURATION_S * fs)
        ts = (LAG_S if person == "clinician" else 0.0) + np.arange(n) / fs
        unix_ms = (START.tz_localize("UTC").value / 1e6) + ts * 1000.0
        sc = eda_true(ts, person)
        dev = "Shimmer_8A3B" if person == "patient" else "Shimmer_91C2"
        rows = [f"{u:.3f},{1000.0 / s:.4f},{s:.5f}" for u, s in zip(unix_ms, sc, strict=True)]
        (HERE / f"shimmer_{person}_GSR.csv").write_text(
            '"sep=,"\n'
            f"{dev}_Timestamp_Unix_CAL,{dev}_GSR_CAL,{dev}_GSR_Skin_Conductance_CAL\n"
            "ms,kOhms,uS\n" + "\n".join(rows) + "\n"
        )
        # OpenSignals text file (BITalino), EDA on A1 at 100 Hz, 10 bits: raw ADC from the transfer function
        fs = 100
        n = int(DURATION_S * fs)
        ts = (LAG_S if person == "clinician" else 0.0) + np.arange(n) / fs
        adc = np.round(eda_true(ts, person) * 0.132 / 3.3 * 2**10).astype(int)
        begin = START + pd.Timedelta(seconds=LAG_S if person == "clinician" else 0.0)
        header = {
            "98:D3:41:FD:4F:D9": {
                "sensor": ["EDA"], "device name": "98:D3:41:FD:4F:D9",
                "column": ["nSeq", "I1", "I2", "O1", "O2", "A1"],
                "sync interval": 2, "time": begin.strftime("%H:%M:%S.%f")[:-3], "comments": "",
                "device connection": "BTH98:D3:41:FD:4F:D9", "channels": [1], "keywords": "",
                "convertedValues": 0, "mode": 0, "digital IO": [0, 0, 1, 1], "firmware version": 1281,
                "device": "bitalino_rev", "position": 0, "sampling rate": fs, "label": ["A1"],
                "resolution": [4, 1, 1, 1, 1, 10], "date": begin.strftime("%Y-%m-%d"), "special": [{}],
            }
        }  # fmt: skip
        rows = [f"{i % 16}\t0\t0\t0\t0\t{a}\t" for i, a in enumerate(adc)]
        (HERE / f"opensignals_{person}_EDA.txt").write_text(
            "# OpenSignals Text File Format\n# "
            + json.dumps(header)
            + "\n# EndOfHeader\n"
            + "\n".join(rows)
            + "\n"
        )


if __name__ == "__main__":
    main()
