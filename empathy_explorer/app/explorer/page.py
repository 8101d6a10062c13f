"""The session explorer's behaviour: callbacks, background work, sessions and uploads.

The widgets come from :class:`~empathy_explorer.app.explorer.controls.ExplorerControls`, the numbers from
:mod:`~empathy_explorer.app.explorer.state`, the words from :mod:`~empathy_explorer.app.explorer.texts`
and the figure from :mod:`empathy_explorer.app.charts.explorer_figure`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd

from empathy_explorer import recordings, sessions, synchrony
from empathy_explorer.app.charts import ChartPanel, download_link, enable_offline
from empathy_explorer.app.charts.explorer_figure import build_chart, sync_frames
from empathy_explorer.app.explorer import texts, uploads
from empathy_explorer.app.explorer.controls import ExplorerControls
from empathy_explorer.app.explorer.state import METHODS, Settings, SyncView
from empathy_explorer.app.jobs import GENERIC_ERROR, LatestOnly, Progress, guarded
from empathy_explorer.errors import EmpathyExplorerError, InputError, RecordingError
from empathy_explorer.sessions.session import Session
from empathy_explorer.synchrony.surrogate import SurrogateResult

__all__ = ["MAX_UPLOADS", "SessionExplorer"]

log = logging.getLogger(__name__)

MAX_UPLOADS = 5  # uploaded sessions kept in memory per page

#: A widget's change notification (ipywidgets passes a dict; the callbacks do not read it).
Change = Mapping[str, Any] | None


class SessionExplorer(ExplorerControls):
    """The session-explorer app (one object per page; display it, or its :attr:`widget`).

    Parameters
    ----------
    session_id : str, optional
        Example session shown first (default: the first in the catalogue).
    background : bool, default True
        Run computations on background threads (the app). ``False`` runs them at once (tests).
    n_surrogates : int, default 200
        Surrogates drawn by the significance test.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole page.
    panel : ChartPanel
        The figure (signals, synchrony over time, lag profile). Its :attr:`ChartPanel.datasets` hold what
        is drawn.
    session : Session
        The session shown.
    view : SyncView or None
        The numbers behind the current figure (``None`` when the settings do not fit the recording).
    message : ipywidgets.HTML
        Friendly messages (errors, notes) shown to the user.
    surrogate_result, pseudo_result : SurrogateResult or None
        The last completed significance test / pseudo-pair comparison for the current settings.

    Examples
    --------
    >>> app = SessionExplorer("warm-rapport", background=False)  # doctest: +SKIP
    >>> app.window_slider.value = 60  # the chart's data change in place  # doctest: +SKIP
    """

    def __init__(self, session_id: str | None = None, *, background: bool = True, n_surrogates: int = 200):
        enable_offline()
        self.n_surrogates = int(n_surrogates)
        self._catalogue = sessions.list_sessions()
        options = [(str(row["title"]), str(row["id"])) for _, row in self._catalogue.iterrows()]
        first = session_id if session_id is not None else options[0][1]
        super().__init__(options, first, self.n_surrogates, background=background)
        self._uploads: dict[str, Session] = {}
        self._n_uploads = 0
        self._pending_upload: tuple[str, bytes] | None = None
        self._lock = threading.RLock()
        self._generation = 0
        self._mute = 0
        self._drawn: tuple[str, str, str] | None = None
        self._session_key = ""
        self._compute = LatestOnly(background, "explorer-compute")
        self.session: Session  # set by self._load below
        self.view: SyncView | None = None
        self.surrogate_result: SurrogateResult | None = None
        self.pseudo_result: SurrogateResult | None = None
        # The first figure is computed synchronously, so the page shows data as soon as it appears.
        self._load(first)
        self.panel = ChartPanel(None, filename=f"synchrony-{self.session.id}")
        self.panel.describe_from(self.takeaway)  # screen readers hear what the figure shows now
        self._refresh(self._snapshot())
        self._observe()
        self.widget = self.layout(self.panel)
        self.show_method(self.method_picker.value)

    def _observe(self) -> None:
        self.session_picker.observe(self.on_session_change, names="value")
        self.kind_picker.observe(self.on_kind_change, names="value")
        self.method_picker.observe(self.on_method_change, names="value")
        for control in (*self.sliders.controls.values(), self.surrogate_picker):
            control.observe(self.on_param_change, names="value")
        self.upload.observe(self.on_upload, names="value")
        self.who_button.on_click(self.on_who_choice)
        self.test_button.on_click(self.on_run_test)
        self.pseudo_button.on_click(self.on_run_pseudo_pairs)
        self.csv_button.on_click(self.on_export_csv)

    # -------------------------------------------------------------------------------------------------
    # Display
    # -------------------------------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def show(self) -> widgets.VBox:
        """The page widget (for a notebook cell's last line)."""
        return self.widget

    def wait(self, timeout: float = 30.0) -> bool:
        """Wait until background work is done (tests). Returns False on timeout."""
        return self._compute.wait_idle(timeout) and self.test_job.wait(timeout)

    def _guard(self, action: Callable[[], None]) -> bool:
        """Run a user action; a mistake shows a friendly message, never a traceback."""
        return guarded(action, self.show_message, where="Session explorer")

    # -------------------------------------------------------------------------------------------------
    # Callbacks (plain methods; tests call them directly)
    # -------------------------------------------------------------------------------------------------

    def on_session_change(self, change: Change = None) -> None:
        """A session was picked: load it and replace the figure."""
        if self._mute:
            return
        key = self.session_picker.value
        self._new_generation()
        if self._guard(lambda: self._load(key)):
            self.show_message("")
            self._submit()

    def on_kind_change(self, change: Change = None) -> None:
        """EDA/HR switched: replace the figure with the other signal."""
        self.on_param_change()

    def on_method_change(self, change: Change = None) -> None:
        """Another synchrony method: set its usual window and replace the figure."""
        if self._mute:
            return
        method = self.method_picker.value
        with self._muted():
            self.window_slider.value = METHODS[method].default("window_s")
        self.show_method(method)
        self.on_param_change()

    def on_param_change(self, change: Change = None) -> None:
        """A slider moved: recompute on full-rate data and update the chart's data in place."""
        if self._mute:
            return
        self._new_generation()
        self._submit()

    def on_upload(self, change: Change = None) -> None:
        """A file was uploaded: check its size, read it, add it to the session list and show it."""
        if self._mute:
            return
        files = self.upload.value
        if not files:
            return
        try:
            self._guard(lambda: self._accept_upload(files))
        finally:
            with self._muted(), contextlib.suppress(Exception):
                self.upload.value = ()  # free the bytes; the same file can be chosen again

    def on_who_choice(self, _button: widgets.Button | None = None) -> None:
        """The user said which uploaded file is the patient's: load the pair with that choice."""
        if self._pending_upload is None or self.who_picker.value is None:
            return
        name, content = self._pending_upload
        choice = str(self.who_picker.value)

        def load() -> None:
            session = recordings.load_recording(content, name=name, patient=choice)
            self._pending_upload = None
            self.who_box.layout.display = "none"
            self.show_message("")  # the question is answered
            self._show_upload(session, name)

        self._guard(load)

    def on_run_test(self, _button: widgets.Button | None = None) -> None:
        """Start the surrogate test for the current settings (progress bar; cancelled by new settings)."""
        settings, surrogates, n = self._snapshot(), str(self.surrogate_picker.value), self.n_surrogates
        self.surrogate_result = None

        def work(report: Progress) -> SurrogateResult:
            x, y = settings.session.pair(settings.kind)
            return synchrony.surrogate_test(
                x, y, settings.session.fs, settings.statistic(), method=surrogates, n_surrogates=n, seed=0,
                progress=report, chunk=max(1, n // 20),
            )  # fmt: skip

        def finish(result: SurrogateResult) -> str:
            self.surrogate_result = result
            return texts.test_html(result, settings.method, surrogates)

        self.test_job.start(work, finish, total=n, note=texts.TEST_RUNNING)

    def on_run_pseudo_pairs(self, _button: widgets.Button | None = None) -> None:
        """Compare this cohort dyad with pseudo-pairs from the other cohort dyads (stops on new settings)."""
        settings = self._snapshot()
        self.pseudo_result = None

        def work(report: Progress) -> tuple[SurrogateResult, int]:
            ids = self._cohort_ids()
            if settings.key not in ids:
                raise InputError(
                    "Pseudo-pairs need a group of comparable dyads: pick one of the cohort sessions "
                    "('Cohort dyad 01' to '20')."
                )
            dyads = [sessions.load_session(i) for i in ids]
            stat = settings.statistic()
            result = synchrony.pseudo_pairs(dyads, stat, kind=settings.kind, seed=0, progress=report)
            return result, ids.index(settings.key)

        def finish(outcome: tuple[SurrogateResult, int]) -> str:
            self.pseudo_result = outcome[0]
            return texts.pseudo_html(*outcome, settings.method)

        self.test_job.start(work, finish, total=self.n_surrogates, note=texts.PSEUDO_RUNNING)

    def on_export_csv(self, _button: widgets.Button | None = None) -> None:
        """Make download links for the numbers behind the current figure (time course and summary)."""
        self._guard(self._export_csv)

    def _export_csv(self) -> None:
        with self._lock:
            view, settings = self.view, self._snapshot()
        if view is None:
            self.csv_link.value = "<i>No numbers to export for these settings.</i>"
            return
        s, kind, method, params = settings.session, settings.kind, settings.method, settings.params
        table = view.table.assign(session=s.id, signal=kind, method=method, **params)
        summary = pd.DataFrame(
            [*view.summary.items(), *((k, float(v)) for k, v in params.items())],
            columns=["quantity", "value"],
        )
        summary.insert(0, "session", s.id)
        summary.insert(1, "signal", kind)
        summary.insert(2, "method", method)
        self.csv_link.value = (
            download_link(table.to_csv(index=False), f"synchrony-{s.id}-{kind}-{method}.csv",
                          "⬇ Download the numbers over time (CSV)")
            + " &nbsp; "
            + download_link(summary.to_csv(index=False), f"summary-{s.id}-{kind}-{method}.csv",
                            "⬇ Download the summary (CSV)")
        )  # fmt: skip

    # -------------------------------------------------------------------------------------------------
    # Sessions
    # -------------------------------------------------------------------------------------------------

    def add_session(self, session: Session, label: str | None = None) -> str:
        """Add a session (e.g. an uploaded recording) to the picker, select it and show it.

        Parameters
        ----------
        session : Session
            The session to add.
        label : str, optional
            The name in the picker (default: the session's title).

        Returns
        -------
        str
            The picker key of the new entry.
        """
        self._n_uploads += 1
        key = f"upload:{self._n_uploads}:{session.id}"
        self._uploads[key] = session
        old = [k for k in self._uploads if k != key][: max(0, len(self._uploads) - MAX_UPLOADS)]
        for k in old:  # keep memory bounded: forget the oldest uploads
            del self._uploads[k]
        options = [
            o
            for o in self.session_picker.options
            if not (o[1].startswith("upload:") and o[1] not in self._uploads)
        ]
        with self._muted():
            self.session_picker.options = [*options, (label or str(session.title), key)]
            self.session_picker.value = key
        self._new_generation()
        self._load(key)
        self._submit()
        return key

    def _accept_upload(self, files: tuple[uploads.Upload, ...]) -> None:
        """Read one file (or two chosen together) and show it; ask who is who when the names do not say."""
        name, content = uploads.read_upload(files)
        self.who_box.layout.display = "none"
        try:
            session = recordings.load_recording(content, name=name)
        except RecordingError as err:
            if err.choices:  # the names do not say who is who: ask (the message says so too)
                self._pending_upload = (name, content)
                self.who_picker.options = list(err.choices)
                self.who_picker.value = err.choices[0]
                self.who_box.layout.display = None
            raise
        self._show_upload(session, name)

    def _show_upload(self, session: Session, name: str) -> None:
        self.add_session(session, f"Your upload: {name}")
        if self._message_kind != "error":
            self.show_message(f"Loaded {name}. {' '.join(session.notes)}".strip(), kind="note")

    def _cohort_ids(self) -> list[str]:
        cat = self._catalogue
        if "group" not in cat:
            return []
        return [str(i) for i in cat.loc[cat["group"] == "cohort", "id"]]

    def _load(self, key: str) -> None:
        session = self._uploads[key] if key in self._uploads else sessions.load_session(key)
        kinds = sorted(session.kinds, key=lambda k: {"eda": 0, "hr": 1}.get(k, 2))  # EDA and HR first
        with self._lock:
            self.session = session
            self._session_key = key
            with self._muted():
                self.kind_picker.options = [(k.upper(), k) for k in kinds]
                if self.kind_picker.value not in kinds:
                    self.kind_picker.value = kinds[0]
        self.pseudo_button.layout.display = None if key in self._cohort_ids() else "none"
        self.banner.value = texts.banner_html(session)

    # -------------------------------------------------------------------------------------------------
    # Work
    # -------------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _muted(self) -> Iterator[None]:
        """Change widgets from code without triggering their callbacks."""
        self._mute += 1
        try:
            yield
        finally:
            self._mute -= 1

    def _new_generation(self) -> int:
        """A new request: older results are thrown away and a running test stops."""
        self.test_job.cancel()
        with self._lock:
            self._generation += 1
            return self._generation

    def _snapshot(self) -> Settings:
        with self._lock:
            return Settings(
                gen=self._generation,
                key=self._session_key,
                session=self.session,
                kind=self.kind_picker.value,
                method=self.method_picker.value,
                params=self.slider_values(),
            )

    def _submit(self) -> None:
        """Ask for the figure of the current settings (latest request wins)."""
        settings = self._snapshot()
        self._compute.submit(lambda: self._refresh(settings))

    def _refresh(self, settings: Settings) -> None:
        """Compute and draw ``settings``; replace the chart only when session, signal or method changed.

        Never raises: anything unexpected is logged, the page shows :data:`GENERIC_ERROR`, and the next
        request redraws the whole chart.
        """
        try:
            self._refresh_unguarded(settings)
        except Exception:
            log.exception("Session explorer: showing %s failed", settings)
            with self._lock:
                self._drawn = None
                if settings.gen == self._generation:
                    self.show_message(GENERIC_ERROR)

    def _compute_view(self, settings: Settings) -> tuple[SyncView | None, str]:
        """The numbers for ``settings``, or ``None`` and the message to show."""
        try:
            return settings.view(), ""
        except EmpathyExplorerError as err:
            return None, str(err)
        except Exception:
            log.exception("Session explorer: computing %s failed", settings)
            return None, GENERIC_ERROR

    def _refresh_unguarded(self, settings: Settings) -> None:
        view, error = self._compute_view(settings)
        full = settings.chart_key != self._drawn
        chart = build_chart(settings.session, settings.kind, settings.method, view) if full else None
        frames = sync_frames(view) if chart is None else None
        with self._lock:
            if settings.gen != self._generation:
                return  # stale: newer settings are on their way
            if chart is not None:
                self.panel.update(chart)
                self.panel.filename = f"synchrony-{settings.session.id}-{settings.kind}"
                self._drawn = settings.chart_key
            elif frames is not None:
                self.panel.update_data(sync=frames[0], lag=frames[1])
            self.view = view
            self.csv_link.value = ""
            self._show_numbers(settings, view, error)

    def _show_numbers(self, settings: Settings, view: SyncView | None, error: str) -> None:
        if view is None:
            self.show_message(error)
            self.takeaway.value = ""
            self.summary.value = texts.no_numbers_html()
            return
        if self._message_kind == "error":
            self.show_message("")
        self.takeaway.value = texts.takeaway_html(view, settings.method)
        self.summary.value = texts.summary_html(settings, view)
