"""PLUX OpenSignals text files (BITalino, biosignalsplux): skin conductance from the EDA channel.

Three header lines: ``# OpenSignals Text File Format``, then ``# `` and a JSON object (one entry per
device: ``sampling rate``, ``column`` names, ``sensor`` and ``label`` of each analogue channel,
``resolution`` in bits, ``device``, ``date`` and ``time`` of the start), then ``# EndOfHeader``; the samples
follow, tab-separated, one column per entry of ``column`` (``nSeq``, digital lines, then the analogue
channels as raw ADC values). Example::

    # OpenSignals Text File Format
    # {"00:07:80:0F:31:9C": {"sensor": ["EDA"], "label": ["A1"], "column": ["nSeq", "DI", "A1"],
    #   "sampling rate": 100, "resolution": [4, 1, 10], "device": "bitalino_rev", ...}}
    # EndOfHeader
    0	0	412
    1	0	413

The raw EDA values are converted to µS with the sensor's transfer function:

* BITalino (r)evolution EDA sensor: EDA(µS) = (ADC / 2^n) · VCC / 0.132, VCC = 3.3 V (range 0–25 µS);
* biosignalsplux EDA sensor: EDA(µS) = (ADC / 2^n) · VCC / 0.12, VCC = 3 V;

with n the channel's resolution in bits from the header. The note of every load states the formula used.

Sources of the BITalino formula: PLUX's 2020 BITalino EDA user manual (v1.0, section 1.3, read) gives a
range of 0–25 µS at VCC = 3.3 V, which this form gives at full scale (3.3 / 0.132 = 25 µS); PLUX's own
MIT-licensed ``biosignalsnotebooks`` converts ``bitalino_rev`` EDA the same way, as do other public readers.
The MIT-licensed ``opensignalsreader`` package subtracts an offset of 0.574 V (range 0–20.7 µS, which does
not match the manual); on PLUX's own real BITalino sample (tests/data/real/opensignals/eda_hot_surface.txt)
that form turns a brief electrode dropout into negative µS. The first BITalino EDA sensor (2015) used yet
another form (R = 1 − ADC / 2^n MΩ). The biosignalsplux form is from public code citing PLUX's biosignalsplux
EDA datasheet, whose 2015 revision (read) lists a range of 0–13 µS. Check the
formula against your sensor's own datasheet before relying on absolute µS values; synchrony measures that
z-score each signal do not depend on the gain or offset.

References
----------
PLUX (2020). *Electrodermal Activity (EDA) User Manual*, BITalino, v1.0 (section 1.3 read: range 0–25 µS
@ 3.3 V; section 1.6 "Transfer Function (Conversion Formula)" not readable here).
Gomes, P. ``opensignalsreader`` (MIT), ``opensignalsreader/transfer_functions/bit.py`` and ``bio.py``,
https://github.com/PGomes92/opensignalsreader (commit 12f95f776762384a9c28de5495d54229c002d91c).
PLUX (2015). *Electrodermal Activity (EDA) Sensor Data Sheet* EDA 15102015, biosignalsplux.
"""

from __future__ import annotations

import io
import json
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from empathy_explorer import preprocess
from empathy_explorer.errors import RecordingError
from empathy_explorer.recordings._common import Track, _Text
from empathy_explorer.recordings._grid import _check_values

NAME = "OpenSignals text (BITalino / biosignalsplux)"
#: (VCC in volts, offset in volts, gain in volts per µS) of each device family's EDA sensor.
TRANSFER = {"bitalino": (3.3, 0.0, 0.132), "biosignalsplux": (3.0, 0.0, 0.12)}
#: ``device`` names of PLUX's biosignalsplux family (as listed by PLUX's biosignalsnotebooks,
#: ``conversion.py``); a real biosignalsplux EDA file names its hub ``channeller`` (tests/data/real).
PLUX_DEVICES = (
    "bioplux",
    "bioplux_exp",
    "biosignalsplux",
    "rachimeter",
    "channeller",
    "swifter",
    "biosignalspluxsolo",
)


def _family(device: str) -> str:
    low = device.lower()
    if "bitalino" in low:
        return "bitalino"
    return "biosignalsplux" if "plux" in low or low in PLUX_DEVICES else "bitalino"


def eda_microsiemens(adc: np.ndarray, resolution_bits: int, device: str) -> np.ndarray:
    """Raw EDA ADC values to µS with the sensor's published transfer function.

    Parameters
    ----------
    adc : numpy.ndarray
        Raw values of the EDA channel (0 .. 2^n - 1).
    resolution_bits : int
        The channel's resolution n.
    device : str
        ``"bitalino..."`` or ``"biosignalsplux"`` (the header's ``device`` field).

    Returns
    -------
    numpy.ndarray
        Skin conductance, µS.

    Examples
    --------
    >>> float(eda_microsiemens(np.array([512.0]), 10, "bitalino_rev")[0]) == 0.5 * 3.3 / 0.132
    True
    """
    vcc, offset, gain = TRANSFER[_family(device)]
    return ((np.asarray(adc, dtype=np.float64) / 2.0**resolution_bits) * vcc - offset) / gain


def sniff(text: _Text, label: str) -> tuple[bool, str]:
    """Line 1 names the OpenSignals text format."""
    if text.lines and "opensignals" in text.lines[0].lower() and text.lines[0].lstrip().startswith("#"):
        return True, "line 1 names the OpenSignals text file format"
    return False, "line 1 is not an OpenSignals header"


def parse(text: _Text, label: str, *, kind: str | None, max_gap_s: float, person: str) -> Track:
    """The EDA channel in µS at the header's sampling rate (resampled later if above 32 Hz)."""
    head = _read_header(text, label)
    device_key, meta, fs, columns, sensors = head.device_key, head.meta, head.fs, head.columns, head.sensors
    eda = _eda_channel(sensors, kind, label)
    channel = head.labels[eda] if eda < len(head.labels) else None
    col = columns.index(channel) if channel in columns else len(columns) - len(sensors) + eda
    device = str(meta.get("device", "bitalino"))
    bits = _resolution_bits(head.resolution, columns, sensors, col, eda, device)
    adc, skip = _read_adc(text, col, columns, label)
    values = eda_microsiemens(adc, bits, device)
    lines = np.arange(values.size) + skip + 1
    _check_values(values, lines, "eda", f"{person}'s", label)
    report = preprocess.fill_gaps(values, fs, max_gap_s=max_gap_s)
    start = None
    try:
        start = pd.Timestamp(f"{meta['date']} {meta['time']}").value / 1e9
    except (KeyError, ValueError):
        pass
    family = "biosignalsplux" if _family(device) == "biosignalsplux" else "BITalino"
    formula = "(ADC/2^n)·3/0.12" if family == "biosignalsplux" else "(ADC/2^n)·3.3/0.132"
    notes = [
        f"{label}: OpenSignals file ({device}, {device_key}), {fs:g} Hz, EDA channel {channel} converted to "
        f"µS with the {family} EDA sensor's transfer function ({formula}, n = {bits}; check it against your "
        "sensor's datasheet)."
    ]
    return Track(np.asarray(report.values), fs, start, "eda", label, "OpenSignals", notes, clock="local")


class _Header(NamedTuple):
    device_key: str
    meta: dict[str, Any]
    fs: float
    columns: list[Any]
    sensors: list[str]
    labels: list[Any]
    resolution: list[Any]


def _read_header(text: _Text, label: str) -> _Header:
    """The device's header object (the JSON on line 2) and its sampling rate and channel lists."""
    try:
        header = json.loads(text.lines[1].lstrip("#").strip())
        device_key, meta = next(iter(header.items()))
        columns = list(meta["column"])
        sensors = [str(s).upper() for s in meta.get("sensor", [])]
        labels = list(meta.get("label", []))
        fs = float(meta["sampling rate"])
        resolution = list(meta.get("resolution", []))
    except (IndexError, ValueError, KeyError, TypeError, AttributeError, StopIteration):
        raise RecordingError(
            "Line 2 of this OpenSignals file should be its header (a JSON object with the sampling rate "
            "and channels); it cannot be read. Export the recording again from OpenSignals.",
            source=label,
            row=2,
        ) from None
    if len(header) > 1:
        raise RecordingError(
            f"This OpenSignals file holds {len(header)} devices; export one file per device (per person).",
            source=label,
        )
    return _Header(str(device_key), meta, fs, columns, sensors, labels, resolution)


def _eda_channel(sensors: list[str], kind: str | None, label: str) -> int:
    """Index (among the sensors) of the one EDA channel; anything else is refused."""
    eda = [i for i, s in enumerate(sensors) if s.startswith("EDA") or s.startswith("GSR")]
    if kind == "hr" or not eda:
        have = ", ".join(sensors) or "none named"
        raise RecordingError(
            f"This OpenSignals file has no skin-conductance (EDA) channel (its channels: {have}); it cannot "
            "be used as skin conductance, and raw ECG or pulse signals are not read as heart rate here. "
            "Record with an EDA sensor, or export heart rate from another program.",
            source=label,
        )
    if len(eda) > 1:
        raise RecordingError(
            "This OpenSignals file has several EDA channels; keep one per file.", source=label
        )
    return eda[0]


def _resolution_bits(
    resolution: list[Any], columns: list[Any], sensors: list[str], col: int, eda: int, device: str
) -> int:
    """ADC resolution of the EDA channel. BITalino headers give a resolution for every column (nSeq, I1,
    ... A3); biosignalsplux headers give one per analogue channel (e.g. "column": ["nSeq", "DI",
    "PORT3_CHN1"], "resolution": [16])."""
    if len(resolution) == len(columns):
        return int(resolution[col])
    if len(resolution) == len(sensors):
        return int(resolution[eda])
    return 16 if _family(device) == "biosignalsplux" else 10


def _read_adc(text: _Text, col: int, columns: list[Any], label: str) -> tuple[np.ndarray, int]:
    """The raw ADC values of column ``col`` and the number of header lines before them."""
    skip = next(i for i, ln in enumerate(text.lines) if "endofheader" in ln.lower()) + 1
    try:
        frame = pd.read_csv(io.BytesIO(text.data), sep=r"\s+", header=None, skiprows=skip, engine="c",
                            encoding=text.encoding)  # fmt: skip
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, UnicodeError):
        frame = None
    if frame is None or frame.shape[1] <= col or frame.shape[0] < 2:
        raise RecordingError(
            f"The samples of this OpenSignals file do not have the {len(columns)} columns its header names "
            f"({', '.join(map(str, columns))}). Export the recording again from OpenSignals.",
            source=label,
            row=skip + 1,
        )
    return pd.to_numeric(frame.iloc[:, col], errors="coerce").to_numpy(dtype=np.float64), skip
