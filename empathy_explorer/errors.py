"""The package's own error classes.

Every mistake a user can make (a wrong file, a window longer than the recording, a probability
above 1) raises one of these with a message a medical student can act on. They subclass
``ValueError`` so generic ``except ValueError`` code keeps working, and the app catches
:class:`EmpathyExplorerError` to show the message instead of a traceback.
"""

from __future__ import annotations

__all__ = ["EmpathyExplorerError", "InputError", "ParameterError", "RecordingError"]


class EmpathyExplorerError(ValueError):
    """Base class of every error this package raises on purpose."""


class InputError(EmpathyExplorerError):
    """Signals or sampling rates that a synchrony method cannot use (unequal lengths, NaN, fs <= 0...)."""


class ParameterError(EmpathyExplorerError):
    """A model or method parameter outside its valid range (negative time constant, p > 1, ...)."""


class RecordingError(EmpathyExplorerError):
    """A recording file that cannot be read; the message names the file, the row and what to fix.

    Parameters
    ----------
    message
        What is wrong and how to fix it, in plain words.
    source
        The file name (or ``"<upload>"``) the problem was found in.
    row
        1-based line number in the file, when the problem sits on one line.
    hint
        For programmers: how to do it with the API (e.g. ``patient="a.zip"``); never shown in the app.
    choices
        When the files do not say who is who: the names to choose the patient's from (the app asks the
        user; the API takes the choice as ``load_recording(..., patient=name)``).
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        row: int | None = None,
        hint: str | None = None,
        choices: tuple[str, ...] = (),
    ) -> None:
        self.source = source
        self.row = row
        self.hint = hint
        self.choices = tuple(choices)
        where = ""
        if source is not None:
            where = f"{source}"
            if row is not None:
                where += f", line {row}"
            where += ": "
        super().__init__(where + message)
