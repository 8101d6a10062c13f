"""Rebuild the small example recordings in this folder (``python tests/data/recordings/make_examples.py``).

Every value comes from a closed-form formula so that tests can recompute it exactly; the files are plain
text, a few kB each. They are *made-up* recordings in real-world layouts, not data from people.

- ``generic.csv``: comma-separated, ``time_s,patient,clinician``, 4 Hz, 60 s, skin conductance in µS.
- ``german_semicolon.csv``: ``Zeit (s);Patient µS;Therapeut µS``, decimal commas, Latin-1, 4 Hz, 60 s.
- ``p_c_no_time.tsv``: tab-separated ``P`` / ``C`` without a time column (needs ``fs=8``), 45 s.
- ``both_kinds.csv``: ``Session.to_frame`` layout with EDA and heart rate, 2 Hz, 60 s, UTF-8 with BOM.
- ``irregular.csv``: ``t,person1,person2``, time stamps jittered around 0.25 s, one empty cell (short gap).
- ``e4_patient_EDA.csv`` / ``e4_clinician_EDA.csv``: Empatica E4 layout, 4 Hz, the clinician's starts
  3 s later (Unix 1600000000 and 1600000003).
- ``e4_clinician_8hz_EDA.csv``: like the clinician's, at 8 Hz.
- ``rr_patient.txt`` (header ``RR (ms)``) / ``rr_clinician.txt`` (no header): beat-to-beat intervals, ms.
- ``e4_pair.zip``: the two E4 files above as ``patient_EDA.csv`` and ``clinician_EDA.csv`` in one ZIP (how
  the app's single upload button takes a pair).
"""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

HERE = Path(__file__).parent


def zip_bytes(files: list[tuple[str, bytes]]) -> bytes:
    """A ZIP archive with fixed time stamps, so a rebuild is byte-for-byte identical."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


def eda_patient(t: float) -> float:
    return round(5.0 + 0.5 * math.sin(2 * math.pi * t / 20.0), 4)


def eda_clinician(t: float) -> float:
    return round(7.0 + 0.3 * math.cos(2 * math.pi * t / 15.0), 4)


def hr_patient(t: float) -> float:
    return round(72.0 + 5.0 * math.sin(2 * math.pi * t / 30.0), 2)


def hr_clinician(t: float) -> float:
    return round(65.0 + 4.0 * math.cos(2 * math.pi * t / 25.0), 2)


def rr_patient(k: int) -> int:
    return 800 + round(60 * math.sin(k / 5.0))


def rr_clinician(k: int) -> int:
    return 900 + round(50 * math.cos(k / 7.0))


def build() -> None:
    fs = 4.0
    ts = [i / fs for i in range(240)]
    rows = ["time_s,patient,clinician"] + [f"{t:.2f},{eda_patient(t)},{eda_clinician(t)}" for t in ts]
    (HERE / "generic.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    rows = ["Zeit (s);Patient µS;Therapeut µS"] + [
        f"{t:.2f};{eda_patient(t)};{eda_clinician(t)}".replace(".", ",") for t in ts
    ]
    (HERE / "german_semicolon.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("latin-1"))

    ts8 = [i / 8.0 for i in range(360)]
    rows = ["P\tC"] + [f"{eda_patient(t)}\t{eda_clinician(t)}" for t in ts8]
    (HERE / "p_c_no_time.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    ts2 = [i / 2.0 for i in range(120)]
    rows = ["time_s,eda_patient,eda_clinician,hr_patient,hr_clinician"] + [
        f"{t:.1f},{eda_patient(t)},{eda_clinician(t)},{hr_patient(t)},{hr_clinician(t)}" for t in ts2
    ]
    (HERE / "both_kinds.csv").write_bytes(b"\xef\xbb\xbf" + ("\n".join(rows) + "\n").encode())

    # Irregular stamps: 0.25 s +/- up to 0.05 s (deterministic jitter); line 12 misses person2's value.
    rows = ["t,person1,person2"]
    for i in range(200):
        t = i * 0.25 + 0.05 * math.sin(i * 1.7) * (0 < i < 199)
        p2 = "" if i == 10 else f"{eda_clinician(t)}"
        rows.append(f"{t:.4f},{eda_patient(t)},{p2}")
    (HERE / "irregular.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    def e4(start: int, fs: float, n: int, fn) -> str:
        samples = [f"{fn(start - 1600000000 + i / fs):.6f}" for i in range(n)]
        return "\n".join([f"{start:.6f}", f"{fs:.6f}", *samples]) + "\n"

    (HERE / "e4_patient_EDA.csv").write_text(e4(1600000000, 4.0, 320, eda_patient))
    (HERE / "e4_clinician_EDA.csv").write_text(e4(1600000003, 4.0, 320, eda_clinician))
    (HERE / "e4_clinician_8hz_EDA.csv").write_text(e4(1600000003, 8.0, 640, eda_clinician))

    pair = [
        ("patient_EDA.csv", (HERE / "e4_patient_EDA.csv").read_bytes()),
        ("clinician_EDA.csv", (HERE / "e4_clinician_EDA.csv").read_bytes()),
    ]
    (HERE / "e4_pair.zip").write_bytes(zip_bytes(pair))

    (HERE / "rr_patient.txt").write_text(
        "RR (ms)\n" + "\n".join(str(rr_patient(k)) for k in range(90)) + "\n"
    )
    (HERE / "rr_clinician.txt").write_text("\n".join(str(rr_clinician(k)) for k in range(80)) + "\n")


if __name__ == "__main__":
    build()
