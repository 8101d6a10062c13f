"""Small, slider-sized models of the empathic brain (illustrative teaching models, simulated data).

One module per model; each model is a pure function of keyword parameters that returns a frozen
result with arrays, the numbers a chart shows and ``.to_frame()`` for Altair:

- :mod:`~empathy_explorer.models.associative` -- associative sequence learning (Rescorla–Wagner):
  counter-mirror training and "being imitated" (Heyes 2001; Catmur, Walsh & Heyes 2009).
- :mod:`~empathy_explorer.models.coupled_agents` -- from mimicry to synchrony: two coupled agents,
  attention (Marci & Orr 2006) and a shared driver that mimics coupling.
- :mod:`~empathy_explorer.models.hebbian` -- spike-timing-dependent (Hebbian) learning of predictive
  mirror links from doing-then-seeing a multi-phase action (Keysers & Gazzola 2014).
- :mod:`~empathy_explorer.models.intention` -- Bayesian inference of an intention ("to cure" or
  "to hurt") from kinematics and context (Kilner, Friston & Frith 2007).
- :mod:`~empathy_explorer.models.routes` -- fast and slow routes: facial EMG before awareness
  (Dimberg & Thunberg 1998; Dimberg, Thunberg & Elmehed 2000).

None of these models is fitted to data: defaults come from published timings where they exist and are
marked "illustrative" otherwise.
"""

from empathy_explorer.models.associative import AssociativeResult, associative_sequence_learning
from empathy_explorer.models.coupled_agents import (
    CoupledAgentsResult,
    shared_driver_dyads,
    simulate_coupled_agents,
)
from empathy_explorer.models.hebbian import HebbianResult, hebbian_mirror_learning
from empathy_explorer.models.intention import IntentionResult, infer_intention
from empathy_explorer.models.routes import RoutesResult, fast_slow_routes

__all__ = [
    "AssociativeResult",
    "CoupledAgentsResult",
    "HebbianResult",
    "IntentionResult",
    "RoutesResult",
    "associative_sequence_learning",
    "fast_slow_routes",
    "hebbian_mirror_learning",
    "infer_intention",
    "shared_driver_dyads",
    "simulate_coupled_agents",
]
