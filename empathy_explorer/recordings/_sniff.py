"""Which format a one-person file is: :data:`FORMATS`, asked in order, and :func:`sniff`.

A new format is one module with ``NAME``, ``sniff`` and ``parse`` (see :mod:`.rr` for a small one) and
one entry in :data:`FORMATS`.
"""

from __future__ import annotations

from types import ModuleType

from empathy_explorer.recordings import (
    e4,
    hrv_logger,
    movesense,
    opensignals,
    polar_hrm,
    polar_sensor_logger,
    rr,
    rr_annotated,
    shimmer,
    welltory,
)
from empathy_explorer.recordings._common import _Text

#: The one-person formats, asked in this order (the most specific header first); the two-person CSV
#: (:mod:`.generic`) is the fallback for a file given on its own.
FORMATS = (
    opensignals,
    shimmer,
    polar_hrm,
    polar_sensor_logger,
    hrv_logger,
    movesense,
    e4,
    rr_annotated,
    welltory,
    rr,
)


def sniff(text: _Text, label: str) -> tuple[ModuleType | None, str]:
    """The first format module whose ``sniff`` recognises ``text`` (or ``None``) and its reason.

    Parameters
    ----------
    text : _Text
        The decoded file (from :func:`~empathy_explorer.recordings._common._decode`).
    label : str
        The file name (some formats use it, e.g. E4 ``TEMP.csv``).

    Returns
    -------
    module or None, str
        The format module and why it matched, or ``None`` and the reasons every format declined.

    Examples
    --------
    >>> from empathy_explorer.recordings._common import _decode
    >>> fmt, why = sniff(_decode(b"1600000000.0\\n4.0\\n0.5\\n0.6\\n", "EDA.csv"), "EDA.csv")
    >>> fmt.NAME
    'Empatica E4'
    """
    reasons = []
    for fmt in FORMATS:
        ok, reason = fmt.sniff(text, label)
        if ok:
            return fmt, reason
        reasons.append(f"{fmt.NAME}: {reason}")
    return None, "; ".join(reasons)


def _describe(fmt: ModuleType, text: _Text, label: str) -> str:
    if fmt is e4:
        return e4.WHAT[e4.identify(text, label)]
    return f"a {fmt.NAME} file"
