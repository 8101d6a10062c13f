"""The session explorer's widgets and their layout; :class:`~.page.SessionExplorer` gives them behaviour.

The setting sliders are the shared sliders of the method registry
(:data:`~empathy_explorer.synchrony.registry.SLIDERS`: range, step, default, help), built with the
shared slider helpers of :mod:`empathy_explorer.app.widgets`. The significance test is a
:class:`~empathy_explorer.app.jobs.LongJob` (start buttons, progress bar, cancel, outcome line).
"""

from __future__ import annotations

import ipywidgets as widgets

from empathy_explorer.app.charts import ChartPanel
from empathy_explorer.app.explorer import texts
from empathy_explorer.app.explorer.state import METHODS, SURROGATE_METHODS
from empathy_explorer.app.jobs import LongJob
from empathy_explorer.app.widgets import ControlGroup, choice, labelled_slider, slider_group
from empathy_explorer.recordings import MAX_FILE_BYTES
from empathy_explorer.synchrony import registry

__all__ = ["ExplorerControls", "setting_slider"]

_USED, _UNUSED = "#0072B2", "#6E6E6E"  # slider handle colours, both ≥ 3:1 on white


def setting_slider(name: str) -> widgets.FloatSlider:
    """One of the shared setting sliders (``window_s``, ``step_s``, ``max_lag_s``) of the method registry.

    It reports while it is dragged (the explorer computes only the latest position).

    Examples
    --------
    >>> s = setting_slider("window_s")
    >>> s.description, s.value, s.continuous_update
    ('Window (s)', 30.0, True)
    """
    spec = registry.SLIDERS[name]
    slider: widgets.FloatSlider = labelled_slider(
        spec.label,
        min=spec.low,
        max=spec.high,
        step=spec.step,
        value=spec.default,
        readout_format=".0f" if float(spec.step).is_integer() else ".1f",
        tooltip=spec.tooltip,
    )
    slider.continuous_update = True
    slider.add_class("ee-param")
    return slider


class ExplorerControls:
    """The explorer page's widgets (pickers, upload, sliders, messages, significance test) and layout.

    Parameters
    ----------
    options : list of (str, str)
        The session picker's (title, key) pairs.
    first : str
        The key selected first.
    n_surrogates : int
        Surrogates drawn by the significance test (named on its button).
    background : bool
        Run the significance test on a background thread.
    """

    def __init__(self, options: list[tuple[str, str]], first: str, n_surrogates: int, *, background: bool):
        self.session_picker = choice("Session:", options, value=first)
        self.kind_picker = widgets.ToggleButtons(options=[("EDA", "eda")], value="eda", description="Signal:")
        self.kind_picker.style.button_width = "70px"
        self.method_picker = choice(
            "Method:", [(m.display_name, key) for key, m in METHODS.items()], value="wcc"
        )
        self.sliders: ControlGroup = slider_group(**{name: setting_slider(name) for name in registry.SLIDERS})
        self.window_slider = self.sliders["window_s"]
        self.step_slider = self.sliders["step_s"]
        self.lag_slider = self.sliders["max_lag_s"]
        self.slider_note = widgets.HTML()
        self._build_upload()
        self._build_outputs()
        self._build_test(n_surrogates, background)

    def _build_upload(self) -> None:
        self.upload = widgets.FileUpload(
            # One two-person CSV, or both people's one-person exports: two files chosen together, or one
            # ZIP (Empatica E4 session ZIPs, Polar .hrm, RR files ...).
            accept=".csv,.tsv,.txt,.zip,.hrm",
            multiple=True,
            description=(
                f"Upload a recording (one CSV, or both people's files; up to {MAX_FILE_BYTES / 1e6:.0f} MB)"
            ),
            layout=widgets.Layout(width="auto"),
        )
        # Asked only when the file names do not say who is who.
        self.who_picker = widgets.RadioButtons(
            options=[], description="Patient's file:", style={"description_width": "initial"}
        )
        self.who_button = widgets.Button(description="Load with this choice", button_style="primary")
        self.who_box = widgets.VBox(
            [
                widgets.HTML("<b>Which file is the patient's?</b> (the other one is the clinician's)"),
                self.who_picker,
                self.who_button,
            ],
            layout=widgets.Layout(display="none"),
        )

    def _build_outputs(self) -> None:
        self.banner, self.message, self.takeaway, self.summary, self.csv_link = (
            widgets.HTML() for _ in range(5)
        )
        self._message_kind = ""
        self.csv_button = widgets.Button(
            description="Prepare the numbers as CSV",
            tooltip="Make download links for the numbers behind the current figure",
            layout=widgets.Layout(width="auto"),
        )

    def _build_test(self, n_surrogates: int, background: bool) -> None:
        self.surrogate_picker = choice(
            "Surrogates:", [(label, key) for key, label in SURROGATE_METHODS.items()], value="circular_shift"
        )
        self.test_button = widgets.Button(
            description=f"Run the significance test ({n_surrogates} surrogates)",
            tooltip="Compare the synchrony with pairs whose timing link was destroyed",
            layout=widgets.Layout(width="auto"),
        )
        self.pseudo_button = widgets.Button(
            description="Compare with pseudo-pairs (the 20 cohort dyads)",
            tooltip="Pair this patient with other dyads' clinicians, and this clinician with their patients",
            layout=widgets.Layout(width="auto"),
        )
        self.test_job = LongJob(
            [self.test_button, self.pseudo_button],
            background=background,
            hide_idle=True,
            name="explorer-test",
        )
        self.progress = self.test_job.progress
        self.test_result = self.test_job.status

    def layout(self, panel: ChartPanel) -> widgets.VBox:
        """The whole page around the figure ``panel``."""
        controls = widgets.VBox(
            [
                widgets.HBox([self.session_picker, self.upload]),
                self.who_box,
                widgets.HBox([self.kind_picker, self.method_picker]),
                self.sliders,
                self.slider_note,
            ]
        )
        test_box = widgets.VBox(
            [
                widgets.HTML("<h3>Is it more than chance?</h3>"),
                widgets.HTML(
                    "<p style='max-width:640px'>The test destroys the timing link between the two people "
                    "many times (surrogates) and asks how often chance alone gives synchrony as high as the "
                    "real one. It does <b>not</b> rule out a shared outside driver (see the session "
                    "“Shared stressor”).</p>"
                ),
                self.surrogate_picker,
                self.test_job,
                self.test_result,
            ]
        )
        page = widgets.VBox(
            [
                self.banner,
                controls,
                self.message,
                panel,
                self.takeaway,
                widgets.HTML("<h3>Session summary</h3>"),
                self.summary,
                widgets.HBox([self.csv_button]),
                self.csv_link,
                test_box,
            ]
        )
        page.add_class("ee-session-explorer")
        return page

    def show_message(self, text: str, *, kind: str = "error") -> None:
        """Show a friendly message above the figure (``kind``: "error" or "note"; empty text clears it)."""
        self._message_kind = kind if text else ""
        self.message.value = texts.message_html(text, kind)

    def slider_values(self) -> dict[str, float]:
        """The setting sliders' values, by name (``window_s``, ``step_s``, ``max_lag_s``)."""
        return {name: float(value) for name, value in self.sliders.values.items()}

    def show_method(self, method: str) -> None:
        """Mark the sliders ``method`` uses (blue handle) and say what it computes."""
        used = METHODS[method].sliders
        for name, slider in self.sliders.controls.items():
            slider.style.handle_color = _USED if name in used else _UNUSED
        unused = [s.description for name, s in self.sliders.controls.items() if name not in used]
        self.slider_note.value = texts.method_note_html(method, unused)
