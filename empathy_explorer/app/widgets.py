"""Shared widget building blocks for the teaching notebooks: quizzes, labelled sliders, demo layouts.

Every notebook page is built from three pieces, so that a student (and a test) meets the same behaviour
everywhere:

- :func:`quiz` -- a "check your understanding" question answered by clicking; the feedback explains why
  the chosen option is right or wrong (and, when wrong, why the best answer is right).
- :class:`ControlGroup` (made with :func:`slider_group`) -- a titled group of labelled sliders, toggles and
  drop-downs, each with its unit in the label.
- :class:`Demo` -- controls + a :class:`~empathy_explorer.app.charts.ChartPanel` + a one-line takeaway text.
  When a control moves, :meth:`Demo.refresh` calls a plain ``compute(**values)`` function from the
  package, sends the new rows to the chart in place (no output is re-displayed: the Voilà-safe way) and
  rewrites the takeaway.

The charts themselves (the panel and every chart factory: ``line_chart``, ``scatter_chart``, ``bar_chart``,
``histogram_chart``, ``two_panel_chart``) live in :mod:`empathy_explorer.app.charts`.

All callbacks are plain methods (:meth:`Quiz.check`, :meth:`Demo.refresh`) that tests call directly,
without a browser. Widgets are created once and their values changed afterwards; nothing here calls
``display`` or ``clear_output``.

Examples
--------
>>> q = quiz("2 + 2?", ["3", "4"], correct=1, explanations=["Off by one.", "Yes: two and two make four."])
>>> q.check(1).startswith("Correct")
True
>>> q.check("3").startswith("Not quite")
True
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import pandas as pd

from empathy_explorer.app.charts import ChartFactory, ChartPanel
from empathy_explorer.errors import EmpathyExplorerError, ParameterError

__all__ = [
    "ControlGroup",
    "Demo",
    "DemoOutput",
    "Quiz",
    "choice",
    "labelled_slider",
    "quiz",
    "slider_group",
    "takeaway_html",
    "toggle",
]

_CORRECT_MARK = "✔"
_WRONG_MARK = "✘"


# --------------------------------------------------------------------------------------------------
# Quiz
# --------------------------------------------------------------------------------------------------


class Quiz(widgets.VBox):
    """A multiple-choice question answered by clicking, with feedback that explains why.

    Use :func:`quiz` to build one. Selecting an option (a click in the page, or setting
    ``quiz.choices.value`` in a test) calls :meth:`check` and shows its text in :attr:`feedback`.

    Attributes
    ----------
    question : str
    options : tuple of str
    correct : int
        Index of the best answer.
    explanations : tuple of str
        Why each option is right or wrong, in the order of ``options``.
    choices : ipywidgets.RadioButtons
        The clickable options (no option is selected at first).
    feedback : ipywidgets.HTML
        The feedback shown after a click.
    """

    def __init__(
        self, question: str, options: Sequence[str], correct: int, explanations: Sequence[str]
    ) -> None:
        options = tuple(str(o) for o in options)
        explanations = tuple(str(e) for e in explanations)
        if len(options) < 2:
            raise ParameterError("A quiz question needs at least two options.")
        if len(set(options)) != len(options):
            raise ParameterError("The options of a quiz question must all be different.")
        if len(explanations) != len(options):
            raise ParameterError(
                f"Give one explanation per option: {len(options)} options but {len(explanations)} "
                "explanations."
            )
        if not isinstance(correct, int) or not 0 <= correct < len(options):
            raise ParameterError(f"correct must be the index of the right option, 0 to {len(options) - 1}.")
        self.question = str(question)
        self.options = options
        self.correct = correct
        self.explanations = explanations
        self.answered: int | None = None
        title = widgets.HTML(
            "<div class='ee-quiz-question'><b>Check your understanding.</b> "
            f"{html.escape(self.question)}</div>"
        )
        self.choices = widgets.RadioButtons(
            options=list(options),
            value=None,
            layout=widgets.Layout(width="auto"),
            style={"description_width": "0px"},
        )
        self.choices.add_class("ee-quiz-choices")
        self.feedback = widgets.HTML("<i>Click the answer you think is best.</i>")
        self.feedback.add_class("ee-quiz-feedback")
        self.choices.observe(self._on_change, names="value")
        super().__init__(
            children=[title, self.choices, self.feedback],
            layout=widgets.Layout(border="1px solid #cccccc", padding="6px 10px", margin="10px 0"),
        )
        self.add_class("ee-quiz")

    def _index(self, choice: int | str) -> int:
        if isinstance(choice, bool):
            raise ParameterError("Give the option's number or its text, not True/False.")
        if isinstance(choice, int):
            if not 0 <= choice < len(self.options):
                raise ParameterError(
                    f"There is no option {choice}; options are 0 to {len(self.options) - 1}."
                )
            return choice
        if isinstance(choice, str) and choice in self.options:
            return self.options.index(choice)
        raise ParameterError(f"{choice!r} is not one of the options of this question.")

    def check(self, choice: int | str) -> str:
        """Feedback for one answer (plain text), and record it as the current answer.

        Parameters
        ----------
        choice : int or str
            The option's index or its exact text.

        Returns
        -------
        str
            "Correct. <why>" or "Not quite. <why this option is wrong> The best answer is "<...>":
            <why it is right>".
        """
        i = self._index(choice)
        self.answered = i
        if i == self.correct:
            return f"Correct. {self.explanations[i]}"
        best = self.options[self.correct]
        why = self.explanations[self.correct]
        return f"Not quite. {self.explanations[i]} The best answer is “{best}”: {why}"

    @property
    def is_correct(self) -> bool | None:
        """Whether the last answer was right (None before any answer)."""
        return None if self.answered is None else self.answered == self.correct

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if change["new"] is None:
            return
        text = self.check(change["new"])
        mark, colour = (_CORRECT_MARK, "#006b4f") if self.is_correct else (_WRONG_MARK, "#a33f00")
        # The mark and the words carry the meaning; colour is only a second cue.
        self.feedback.value = f"<div style='color:{colour}'><b>{mark}</b> {html.escape(text)}</div>"


def quiz(question: str, options: Sequence[str], correct: int, explanations: Sequence[str]) -> Quiz:
    """A "check your understanding" question answered by clicking, with explanatory feedback.

    Parameters
    ----------
    question : str
        The question, in plain words.
    options : sequence of str
        The answers to click (at least two, all different).
    correct : int
        Index of the best answer in ``options``.
    explanations : sequence of str
        One per option: why that option is right or wrong.

    Returns
    -------
    Quiz
        A widget to display; ``Quiz.check(choice)`` returns the feedback text.

    Examples
    --------
    >>> q = quiz("Is synchrony the same as empathy?", ["Yes", "No"], correct=1,
    ...          explanations=["Synchrony also rises in conflict.", "Right: it also rises in conflict."])
    >>> q.check("No")
    'Correct. Right: it also rises in conflict.'
    """
    return Quiz(question, options, correct, explanations)


# --------------------------------------------------------------------------------------------------
# Controls
# --------------------------------------------------------------------------------------------------


def _label(label: str, unit: str | None) -> str:
    return f"{label} ({unit})" if unit else label


def labelled_slider(
    label: str,
    *,
    min: float,
    max: float,
    step: float,
    value: float,
    unit: str | None = None,
    integer: bool = False,
    readout_format: str | None = None,
    tooltip: str | None = None,
) -> widgets.IntSlider | widgets.FloatSlider:
    """A slider whose label carries its unit, sized so long labels stay readable.

    Sliders update when released (``continuous_update=False``): one computation per move keeps a
    shared Binder machine responsive.

    Parameters
    ----------
    label : str
        What the slider sets, in plain words.
    min, max, step, value : float
        Range, step and starting value.
    unit : str, optional
        Shown in brackets after the label, e.g. "ms".
    integer : bool, default False
        An integer slider (counts such as "patients per doctor").
    readout_format : str, optional
        Format of the number next to the slider.
    tooltip : str, optional
        Extra help shown on hover.

    Returns
    -------
    ipywidgets.IntSlider or ipywidgets.FloatSlider

    Examples
    --------
    >>> s = labelled_slider("Delay", min=0, max=500, step=10, value=200, unit="ms", integer=True)
    >>> s.description, s.value
    ('Delay (ms)', 200)
    """
    if not min < max:
        raise ParameterError(f"Slider '{label}': min ({min}) must be below max ({max}).")
    if not min <= value <= max:
        raise ParameterError(f"Slider '{label}': the starting value {value} is outside {min}–{max}.")
    common = dict(
        description=_label(label, unit),
        continuous_update=False,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="480px"),
    )
    if tooltip:
        common["tooltip"] = tooltip
    if integer:
        return widgets.IntSlider(min=int(min), max=int(max), step=int(step), value=int(value), **common)
    return widgets.FloatSlider(
        min=float(min),
        max=float(max),
        step=float(step),
        value=float(value),
        readout_format=readout_format or ".2f",
        **common,
    )


def toggle(label: str, *, value: bool = False, tooltip: str | None = None) -> widgets.Checkbox:
    """An on/off control (a checkbox) with a readable label.

    Examples
    --------
    >>> toggle("Mask the face", value=True).value
    True
    """
    kwargs: dict[str, Any] = {"tooltip": tooltip} if tooltip else {}
    return widgets.Checkbox(
        value=bool(value), description=label, indent=False, layout=widgets.Layout(width="auto"), **kwargs
    )


def choice(label: str, options: Sequence[Any] | Mapping[str, Any], *, value: Any = None) -> widgets.Dropdown:
    """A drop-down list; ``options`` may map shown labels to values.

    Examples
    --------
    >>> choice("Signal", {"Skin conductance": "eda", "Heart rate": "hr"}).value
    'eda'
    """
    opts = list(options.items()) if isinstance(options, Mapping) else list(options)
    if not opts:
        raise ParameterError(f"Drop-down '{label}' needs at least one option.")
    dropdown = widgets.Dropdown(
        options=opts,
        description=label,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="480px"),
    )
    if value is not None:
        dropdown.value = value
    return dropdown


class ControlGroup(widgets.VBox):
    """A titled group of named controls (sliders, toggles, drop-downs).

    Parameters
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
        Name (the keyword the compute function receives) → control.
    title : str, optional
        A short heading above the controls.

    Attributes
    ----------
    controls : dict of str to ipywidgets.ValueWidget
    """

    def __init__(self, controls: Mapping[str, widgets.ValueWidget], title: str | None = None) -> None:
        if not controls:
            raise ParameterError("A control group needs at least one control.")
        self.controls = dict(controls)
        children: list[widgets.Widget] = []
        if title:
            children.append(widgets.HTML(f"<b>{html.escape(title)}</b>"))
        children.extend(self.controls.values())
        super().__init__(children=children)
        self.add_class("ee-controls")

    @property
    def values(self) -> dict[str, Any]:
        """Current value of every control, by name."""
        return {name: w.value for name, w in self.controls.items()}

    def __getitem__(self, name: str) -> widgets.ValueWidget:
        return self.controls[name]

    def observe_values(self, callback: Callable[[], Any]) -> None:
        """Call ``callback()`` (no arguments) whenever any control's value changes."""
        for w in self.controls.values():
            w.observe(lambda _change: callback(), names="value")


def slider_group(title: str | None = None, **controls: widgets.ValueWidget) -> ControlGroup:
    """Group labelled controls under a title; keyword names become the compute function's arguments.

    Examples
    --------
    >>> g = slider_group("Model", delay_ms=labelled_slider("Delay", min=0, max=500, step=10, value=200,
    ...                                                      unit="ms", integer=True))
    >>> g.values
    {'delay_ms': 200}
    """
    return ControlGroup(controls, title=title)


# --------------------------------------------------------------------------------------------------
# Demo = controls + chart panel + takeaway
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoOutput:
    """What a demo's compute function returns.

    Attributes
    ----------
    datasets : dict of str to pandas.DataFrame
        New rows for each named dataset of the chart.
    takeaway : str
        One plain sentence saying what the chart shows now.
    """

    datasets: Mapping[str, pd.DataFrame]
    takeaway: str
    extra: Mapping[str, Any] = field(default_factory=dict)


class Demo(widgets.VBox):
    """An interactive demo: controls, a chart that updates in place, and a one-line takeaway.

    Parameters
    ----------
    controls : ControlGroup
        The sliders; their names are passed as keywords to ``compute``.
    compute : callable
        ``compute(**values) -> DemoOutput``: a plain function of the package (fast: it runs on every
        slider release).
    make_chart : callable
        ``make_chart(datasets) -> altair chart``: builds the chart once, on named datasets
        (``alt.NamedData``) attached with :func:`empathy_explorer.app.charts.with_datasets`.
    filename : str, default "figure"
        Base name for exported images.

    Attributes
    ----------
    panel : empathy_explorer.app.charts.ChartPanel
    takeaway : ipywidgets.HTML
    output : DemoOutput
        The last computed output.
    """

    def __init__(
        self,
        controls: ControlGroup,
        compute: Callable[..., DemoOutput],
        make_chart: ChartFactory,
        *,
        filename: str = "figure",
    ) -> None:
        self.controls = controls
        self.compute = compute
        self.output = compute(**controls.values)
        self.panel = ChartPanel(make_chart(self.output.datasets), filename=filename)
        self.takeaway = widgets.HTML(takeaway_html(self.output.takeaway))
        self.takeaway.add_class("ee-takeaway")
        self.panel.describe_from(self.takeaway)
        controls.observe_values(self.refresh)
        super().__init__(children=[controls, self.panel, self.takeaway])
        self.add_class("ee-demo")

    def refresh(self) -> DemoOutput:
        """Recompute from the current control values and update the chart and takeaway in place.

        A parameter the model refuses (an :class:`~empathy_explorer.errors.EmpathyExplorerError`) is
        shown in the takeaway line instead of a traceback; the chart keeps its last data.
        """
        try:
            out = self.compute(**self.controls.values)
        except EmpathyExplorerError as err:
            self.takeaway.value = takeaway_html(f"These settings cannot be used: {err}", warn=True)
            return self.output
        self.panel.update_data(**dict(out.datasets))
        self.takeaway.value = takeaway_html(out.takeaway)
        self.output = out
        return out


def takeaway_html(text: str, *, warn: bool = False) -> str:
    """The one-line "Takeaway:" under a demo, as HTML (text escaped; ``warn`` shows it as a warning)."""
    colour = "#a33f00" if warn else "#222222"
    style = f"font-size:1.05em;color:{colour};margin:4px 0 12px"
    return f"<div style='{style}'><b>Takeaway:</b> {html.escape(text)}</div>"
