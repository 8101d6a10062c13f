"""One widget for every long computation of the pages: start buttons, a progress bar, cancel, messages.

Surrogate tests and resampling take seconds. Every page that runs them (the session explorer, the
surrogate demo of notebook 05, the resampling demo of notebook 06) uses :class:`LongJob`, so they all
behave alike: the start buttons are disabled while a job runs, the progress bar moves between chunks of
work, a job is stopped as soon as it is cancelled or superseded by a newer start, and a mistake is shown
as a message (never a traceback). Its engine, :class:`LatestOnly`, runs jobs on one background thread,
always the most recent one; the session explorer also uses it for its slider updates.

Examples
--------
>>> import ipywidgets as widgets
>>> job = LongJob([widgets.Button(description="Run")])  # background=False: runs in the caller's thread
>>> def work(report):
...     for done in range(1, 4):
...         report(done, 3)  # moves the bar; raises JobCancelled when the job is out of date
...     return 42
>>> job.start(work, lambda answer: f"The answer is {answer}.")
>>> job.status.value, job.progress.value, job.progress.max
('The answer is 42.', 3, 3)
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import ipywidgets as widgets

from empathy_explorer.app.widgets import takeaway_html
from empathy_explorer.errors import EmpathyExplorerError

if TYPE_CHECKING:
    from empathy_explorer.app.charts import ChartPanel

__all__ = [
    "GENERIC_ERROR",
    "STOPPED_HTML",
    "JobCancelled",
    "LatestOnly",
    "LongJob",
    "Progress",
    "error_html",
    "guarded",
    "takeaway_job",
]

log = logging.getLogger(__name__)

#: Shown when something unexpected fails (the details go to the log, never to the page).
GENERIC_ERROR = (
    "Sorry, something went wrong while computing this. The app is still usable: try other settings or "
    "another session. (The details were written to the server log.)"
)

#: Shown when a running job is stopped because its settings changed.
STOPPED_HTML = "<i>The settings changed, so the test was stopped. Press the button again.</i>"

#: ``report(done, total)``: what a job's work calls between chunks.
Progress = Callable[[int, int], None]

T = TypeVar("T")


class JobCancelled(Exception):
    """Raised inside a job (by its ``report``) when the job was cancelled or superseded by a newer one."""


def error_html(message: str) -> str:
    """A message in the page's error style (text escaped)."""
    return f"<span class='ee-error' style='color:#8a1c00'>⚠ {html.escape(message)}</span>"


def guarded(
    action: Callable[[], object],
    show: Callable[[str], None],
    *,
    where: str,
    generic: str = GENERIC_ERROR,
    suffix: str = "",
) -> bool:
    """Run a user's action (a click, an upload); return whether it succeeded, never raise.

    The package's own error shows its message (plus ``suffix``) through ``show``; anything else is logged
    with ``where`` and shows ``generic`` (never a traceback).

    Examples
    --------
    >>> from empathy_explorer.errors import InputError
    >>> said = []
    >>> def refuse():
    ...     raise InputError("That file is empty.")
    >>> guarded(refuse, said.append, where="Demo", suffix=" Nothing was lost."), said
    (False, ['That file is empty. Nothing was lost.'])
    """
    try:
        action()
    except EmpathyExplorerError as err:
        show(f"{err}{suffix}")
        return False
    except Exception:
        log.exception("%s failed", where)
        show(generic)
        return False
    return True


class LatestOnly:
    """Runs submitted jobs on one background thread, always the most recent; older pending ones are dropped.

    Parameters
    ----------
    background : bool
        ``False`` runs each job at once in the caller's thread (tests, scripts, notebook demos).
    name : str
        Name of the worker thread (shown in logs).

    Attributes
    ----------
    dropped : int
        Pending jobs replaced by newer ones before they started.
    """

    def __init__(self, background: bool, name: str) -> None:
        self.background = background
        self.name = name
        self._cond = threading.Condition()
        self._pending: Callable[[], None] | None = None
        self._busy = False
        self._thread: threading.Thread | None = None
        self.dropped = 0

    def submit(self, job: Callable[[], None]) -> None:
        """Run ``job`` next (at once without a background thread); a job still waiting is dropped."""
        if not self.background:
            job()
            return
        with self._cond:
            if self._pending is not None:
                self.dropped += 1
            self._pending = job
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._pending is None:
                    self._cond.wait()
                job, self._pending = self._pending, None
                self._busy = True
            try:
                job()
            except Exception:  # jobs handle their own errors; this is a last line of defence
                log.exception("Background job failed")
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until no job is pending or running. Returns False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)


class LongJob(widgets.HBox):
    """A long computation started by buttons, with a progress bar, cancel and a friendly outcome line.

    The widget shows the start buttons and the progress bar in one row; the page places :attr:`status`
    (where outcomes and messages are written) wherever it reads best.

    Parameters
    ----------
    buttons : sequence of ipywidgets.Button
        The buttons that start jobs; they are disabled while a job runs. Their ``on_click`` is the page's.
    background : bool, default False
        Run jobs on a background thread (:class:`LatestOnly`), so the page stays usable; ``False`` runs
        them in the caller's thread.
    status : ipywidgets.HTML, optional
        Where outcomes go (default: a new, empty one).
    description : str, default "Progress:"
        Label of the progress bar.
    hide_idle : bool, default False
        Show the progress bar only while a job runs.
    errors : callable, default :func:`error_html`
        ``errors(message) -> html`` for a mistake (an
        :class:`~empathy_explorer.errors.EmpathyExplorerError`, or :data:`GENERIC_ERROR` for anything
        unexpected, which is also logged).
    stopped : str, default :data:`STOPPED_HTML`
        Outcome of a job stopped by :meth:`cancel`.
    name : str, default "long-job"
        Name of the background thread.

    Attributes
    ----------
    buttons : tuple of ipywidgets.Button
    progress : ipywidgets.IntProgress
    status : ipywidgets.HTML

    See Also
    --------
    empathy_explorer.synchrony.surrogate_test : its ``progress`` argument takes a job's ``report``.
    """

    def __init__(
        self,
        buttons: Sequence[widgets.Button],
        *,
        background: bool = False,
        status: widgets.HTML | None = None,
        description: str = "Progress:",
        hide_idle: bool = False,
        errors: Callable[[str], str] = error_html,
        stopped: str = STOPPED_HTML,
        name: str = "long-job",
    ) -> None:
        self.buttons = tuple(buttons)
        self.progress = widgets.IntProgress(
            value=0, min=0, max=1, description=description, style={"description_width": "initial"}
        )
        self.status = widgets.HTML() if status is None else status
        self._hide_idle = hide_idle
        self._errors = errors
        self._stopped = stopped
        self._runner = LatestOnly(background, name)
        self._lock = threading.RLock()
        self._generation = 0  # moved by every start and cancel: a job whose number differs is out of date
        self._newest = 0  # the number of the newest started job: only it may touch the widgets at its end
        if hide_idle:
            self.progress.layout.visibility = "hidden"
        super().__init__(children=[*self.buttons, self.progress])

    def start(
        self,
        work: Callable[[Progress], T],
        finish: Callable[[T], str | None],
        *,
        total: int = 1,
        note: str | None = None,
    ) -> None:
        """Start a job; an older one still running is stopped at its next ``report``.

        Parameters
        ----------
        work : callable
            ``work(report) -> result``: the computation; it calls ``report(done, total)`` between chunks.
        finish : callable
            ``finish(result) -> html or None``: called only while the job is still current; it stores or
            draws the result and returns the outcome line (``None`` leaves :attr:`status` as it is).
        total : int, default 1
            Size of the progress bar until the first ``report``.
        note : str, optional
            HTML shown in :attr:`status` while the job runs.
        """
        with self._lock:
            self._generation += 1
            ticket = self._newest = self._generation
        for button in self.buttons:
            button.disabled = True
        self.progress.max = max(1, int(total))
        self.progress.value = 0
        if self._hide_idle:
            self.progress.layout.visibility = "visible"
        if note is not None:
            self.status.value = note
        self._runner.submit(lambda: self._run(ticket, work, finish))

    def cancel(self) -> None:
        """Stop the running job at its next ``report`` (its outcome line says so)."""
        with self._lock:
            self._generation += 1

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until no job is pending or running. Returns False on timeout."""
        return self._runner.wait_idle(timeout)

    def _report(self, ticket: int, done: int, total: int) -> None:
        if ticket != self._generation:
            raise JobCancelled
        self.progress.max = max(1, int(total))
        self.progress.value = int(done)

    def _run(self, ticket: int, work: Callable[[Progress], T], finish: Callable[[T], str | None]) -> None:
        outcome: str | None
        try:
            result = work(lambda done, total: self._report(ticket, done, total))
            with self._lock:
                if ticket != self._generation:
                    raise JobCancelled
                outcome = finish(result)
                self.progress.value = self.progress.max
        except JobCancelled:
            outcome = self._stopped
        except EmpathyExplorerError as err:
            outcome = self._errors(str(err))
        except Exception:
            log.exception("Long job failed")
            outcome = self._errors(GENERIC_ERROR)
        with self._lock:
            if ticket != self._newest:
                return  # a newer job owns the widgets now
            if outcome is not None:
                self.status.value = outcome
            for button in self.buttons:
                button.disabled = False
            if self._hide_idle:
                self.progress.layout.visibility = "hidden"


def takeaway_job(
    button: widgets.Button, panel: ChartPanel, text: str, *, refused: str, description: str, name: str
) -> LongJob:
    """A demo's long job whose outcome is the takeaway line under its chart (made here, showing ``text``).

    Parameters
    ----------
    button : ipywidgets.Button
        Starts the job.
    panel : ChartPanel
        The demo's chart; screen readers hear the takeaway as its description.
    text : str
        The takeaway before the first run.
    refused : str
        Start of the warning when the settings are refused, e.g. "These settings cannot be used".
    description, name : str
        The progress bar's label and the job's name (see :class:`LongJob`).

    Returns
    -------
    LongJob
        Its :attr:`~LongJob.status` is the takeaway (class ``ee-takeaway``); ``finish`` returns
        :func:`~empathy_explorer.app.widgets.takeaway_html`.
    """
    takeaway = widgets.HTML(takeaway_html(text))
    takeaway.add_class("ee-takeaway")
    panel.describe_from(takeaway)
    return LongJob(
        [button],
        status=takeaway,
        description=description,
        errors=lambda message: takeaway_html(f"{refused}: {message}", warn=True),
        name=name,
    )
