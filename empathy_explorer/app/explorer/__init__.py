"""The session explorer: the app page where any session, or your own recording, meets every synchrony method.

Pick an example session (all simulated, and labelled so) or upload a two-person recording, choose the
signal (skin conductance or heart rate) and the method, and move the sliders for the window, the step and
the largest lag. The page shows both signals (thinned for drawing only), the synchrony over time, the lag
profile, the session summary, and on request a surrogate significance test with a progress bar (and, for
the simulated cohort, a comparison with pseudo-pairs of people who never met). The
session's segments are shaded by emotional tone. The figure can be saved as PNG/SVG (drawn by the
browser) and the numbers as CSV.

The package, one idea a module:

- :mod:`~empathy_explorer.app.explorer.state` -- the user's settings and the numbers behind the figure
  (:func:`compute_view`), all read from the method registry (:mod:`empathy_explorer.synchrony.registry`);
- :mod:`~empathy_explorer.app.explorer.controls` -- the widgets and their layout;
- :mod:`~empathy_explorer.app.explorer.texts` -- messages, takeaway, summary table, test results;
- :mod:`~empathy_explorer.app.explorer.uploads` -- uploaded files as data (size limit, pairs as a ZIP);
- :mod:`~empathy_explorer.app.explorer.page` -- :class:`SessionExplorer`: callbacks and background work;
- the figure is :func:`empathy_explorer.app.charts.explorer_figure.build_chart`.

How it stays fast and safe
--------------------------
- The widgets are built once. A slider step recomputes on the **full-rate** signals and sends only the new
  rows of the synchrony and lag datasets to the chart (:meth:`ChartPanel.update_data`); choosing another
  session, signal or method replaces the chart in place (:meth:`ChartPanel.update`; titles and units
  change). Nothing is ever re-displayed.
- Work runs on a background thread that always runs the **latest** request
  (:class:`~empathy_explorer.app.jobs.LatestOnly`): a fast slider drag never queues stale computations
  (older pending requests are dropped, and results of out-of-date requests are thrown away). Whether the
  chart must be replaced is decided by comparing what is drawn with what is asked for, so a slider move
  never swallows a pending change of session.
- The surrogate test is a :class:`~empathy_explorer.app.jobs.LongJob`: it runs on its own background
  thread, reports progress between chunks of surrogates and is cancelled as soon as any setting changes.
- Every user mistake (a wrong file, a window longer than the recording) shows the package's own message in
  the page (:class:`~empathy_explorer.errors.EmpathyExplorerError`); anything unexpected shows a generic
  message and is logged, never a traceback. The app stays usable.

Callbacks are plain methods (:meth:`SessionExplorer.on_param_change`,
:meth:`~SessionExplorer.on_session_change`, :meth:`~SessionExplorer.on_upload`, ...) that tests call
directly; pass ``background=False`` to run the work synchronously.
"""

from empathy_explorer.app.charts.explorer_figure import DISPLAY_POINTS, build_chart
from empathy_explorer.app.explorer.page import SessionExplorer
from empathy_explorer.app.explorer.state import (
    METHODS,
    SURROGATE_METHODS,
    SyncView,
    compute_view,
    headline_statistic,
)
from empathy_explorer.app.jobs import GENERIC_ERROR

__all__ = [
    "DISPLAY_POINTS",
    "GENERIC_ERROR",
    "METHODS",
    "SURROGATE_METHODS",
    "SessionExplorer",
    "SyncView",
    "build_chart",
    "compute_view",
    "headline_statistic",
]
