"""Empathy Explorer: interactive teaching material on the neurobiology of empathy.

The package holds all the logic; notebooks only call it. One module per idea:

- :mod:`empathy_explorer.synchrony` -- physiological synchrony measures (windowed cross-correlation,
  rolling correlation, Marci concordance, phase synchrony, surrogate tests).
- :mod:`empathy_explorer.errors` -- the package's own error classes.

Simulated data are always labelled as simulated.
"""

from empathy_explorer.errors import EmpathyExplorerError, InputError, ParameterError, RecordingError

__version__ = "0.1.0"
__all__ = ["EmpathyExplorerError", "InputError", "ParameterError", "RecordingError", "__version__"]
