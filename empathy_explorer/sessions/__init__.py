"""Example sessions: the session object, the ground-truth simulator and the bundled catalogue.

- :mod:`~empathy_explorer.sessions.session` -- :class:`Session`: two people's signals, segments, ground truth.
- :mod:`~empathy_explorer.sessions.simulate` -- the ground-truth dyad simulator (simulated data).
- :mod:`~empathy_explorer.sessions.catalogue` -- list and load the bundled example sessions; build and
  check ``data/`` byte-for-byte (``python -m empathy_explorer.sessions build``).

Examples
--------
>>> from empathy_explorer.sessions import Session, list_sessions, load_session
>>> load_session("warm-rapport").simulated
True
"""

from empathy_explorer.sessions.catalogue import cohort_ids, cohort_sessions, list_sessions, load_session
from empathy_explorer.sessions.session import GroundTruth, Segment, Session

__all__ = [
    "GroundTruth",
    "Segment",
    "Session",
    "cohort_ids",
    "cohort_sessions",
    "list_sessions",
    "load_session",
]
