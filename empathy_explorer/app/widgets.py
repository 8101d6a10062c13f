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

from empathy_explorer.errors import EmpathyExplorerError, ParameterError

__all__ = [
    "ControlGroup",
    "Demo",
    "DemoOutput",
    "Quiz",
    "bar_chart",
    "choice",
    "histogram_rows",
    "labelled_slider",
    "line_chart",
    "quiz",
    "scatter_chart",
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
        make_chart: Callable[[Mapping[str, pd.DataFrame]], Any],
        *,
        filename: str = "figure",
    ) -> None:
        from empathy_explorer.app.charts import ChartPanel

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


# --------------------------------------------------------------------------------------------------
# Chart factories for demos (title, axis titles with units, colour-blind-safe colours)
# --------------------------------------------------------------------------------------------------

ChartFactory = Callable[[Mapping[str, pd.DataFrame]], Any]


def _title(title: str, subtitle: str | None) -> Any:
    import altair as alt

    return alt.TitleParams(title, subtitle=subtitle) if subtitle else title


def _color(series: str | None, series_title: str | None, colors: Mapping[str, str] | None) -> Any:
    import altair as alt

    from empathy_explorer.app.charts import CATEGORY_RANGE

    if series is None:
        return alt.value(CATEGORY_RANGE[0])
    scale = alt.Scale(domain=list(colors), range=list(colors.values())) if colors else alt.Scale()
    return alt.Color(
        f"{series}:N", title=series_title or None, scale=scale, legend=alt.Legend(labelLimit=600)
    )


def _scale(domain: tuple[float, float] | None) -> Any:
    import altair as alt

    return alt.Scale(domain=list(domain), zero=False) if domain else alt.Scale(zero=False)


def line_chart(
    data: str,
    *,
    x: str,
    y: str,
    title: str,
    x_title: str,
    y_title: str,
    subtitle: str | None = None,
    series: str | None = None,
    series_title: str | None = None,
    colors: Mapping[str, str] | None = None,
    x_domain: tuple[float, float] | None = None,
    y_domain: tuple[float, float] | None = None,
    points: str | None = None,
    vline: str | None = None,
    hline: float | None = None,
    dashed: str | None = None,
    height: int = 240,
) -> ChartFactory:
    """A chart factory for :class:`Demo`: lines of one named dataset, with optional markers.

    Parameters
    ----------
    data : str
        Name of the dataset holding the lines (columns ``x``, ``y`` and optionally ``series``).
    x, y : str
        Column names.
    title, x_title, y_title : str
        Chart title and axis titles; put units in the axis titles, e.g. "Time (ms)".
    subtitle : str, optional
        A second title line (e.g. "Simulated data").
    series : str, optional
        Column that splits the data into coloured lines; ``colors`` maps its values to colours
        (default: the Okabe–Ito category palette of :mod:`empathy_explorer.app.charts`).
    x_domain, y_domain : (float, float), optional
        Fixed axis ranges, so that moving a slider does not rescale the axes.
    points : str, optional
        Name of a dataset of points drawn on top (same ``x``/``y`` columns; optional ``series``).
    vline : str, optional
        Name of a dataset with an ``x`` column: vertical dashed lines.
    hline : float, optional
        A fixed horizontal reference line (black, dashed).
    dashed : str, optional
        A value of ``series`` drawn dashed (e.g. a threshold line).
    height : int, default 240

    Returns
    -------
    callable
        ``make_chart(datasets)`` returning the Altair chart with the datasets attached.
    """
    import altair as alt

    from empathy_explorer.app.charts import OKABE_ITO, series_dash, with_datasets

    def make_chart(datasets: Mapping[str, pd.DataFrame]) -> Any:
        x_enc = alt.X(f"{x}:Q", title=x_title, scale=_scale(x_domain))
        y_enc = alt.Y(f"{y}:Q", title=y_title, scale=_scale(y_domain))
        enc: dict[str, Any] = {"x": x_enc, "y": y_enc, "color": _color(series, series_title, colors)}
        tooltip = [
            alt.Tooltip(f"{x}:Q", title=x_title, format=".3~g"),
            alt.Tooltip(f"{y}:Q", title=y_title, format=".3~g"),
        ]
        if series:
            tooltip.append(alt.Tooltip(f"{series}:N", title=series_title or "series"))
            if dashed is not None:
                enc["strokeDash"] = alt.condition(
                    alt.datum[series] == dashed, alt.value([6, 4]), alt.value([1, 0])
                )
            elif colors:
                # Each line also gets its own style (patient solid, clinician dashed): not colour alone.
                enc["strokeDash"] = series_dash(
                    series, list(colors), title=series_title or None, legend=alt.Legend(labelLimit=600)
                )
        layers = [alt.Chart(alt.NamedData(data)).mark_line(clip=True).encode(**enc, tooltip=tooltip)]
        if points:
            p_enc = {"x": x_enc, "y": y_enc, "color": _color(series, series_title, colors)}
            layers.append(
                alt.Chart(alt.NamedData(points)).mark_point(size=90, filled=True, clip=True).encode(**p_enc)
            )
        if vline:
            layers.append(
                alt.Chart(alt.NamedData(vline))
                .mark_rule(strokeDash=[5, 4], color=OKABE_ITO["black"])
                .encode(x=alt.X(f"{x}:Q"))
            )
        if hline is not None:
            layers.append(
                alt.Chart(alt.Data(values=[{"_h": hline}]))
                .mark_rule(strokeDash=[2, 3], color=OKABE_ITO["black"])
                .encode(y="_h:Q")
            )
        chart = alt.layer(*layers).properties(title=_title(title, subtitle), height=height)
        return with_datasets(chart, {k: v for k, v in datasets.items()})

    return make_chart


def bar_chart(
    data: str,
    *,
    x: str,
    y: str,
    title: str,
    x_title: str,
    y_title: str,
    subtitle: str | None = None,
    x_end: str | None = None,
    series: str | None = None,
    series_title: str | None = None,
    colors: Mapping[str, str] | None = None,
    x_domain: tuple[float, float] | None = None,
    y_domain: tuple[float, float] | None = None,
    vline: str | None = None,
    horizontal_categories: bool = False,
    height: int = 240,
) -> ChartFactory:
    """A chart factory for :class:`Demo`: bars (a histogram when ``x_end`` is given, else categories).

    Parameters
    ----------
    data : str
        Name of the dataset.
    x, y : str
        Column names: for a histogram ``x`` is the bin start and ``x_end`` the bin end, ``y`` the count;
        otherwise ``x`` is a category column.
    title, x_title, y_title, subtitle : str
        Titles (units in axis titles).
    series, series_title, colors : optional
        Colour the bars by a column.
    vline : str, optional
        A dataset with an ``x`` column (same name as ``x``): vertical dashed markers (histograms only).
    horizontal_categories : bool, default False
        Draw category bars horizontally (long labels stay readable).
    height : int, default 240
    """
    import altair as alt

    from empathy_explorer.app.charts import OKABE_ITO, with_datasets

    def make_chart(datasets: Mapping[str, pd.DataFrame]) -> Any:
        color = _color(series, series_title, colors)
        y_enc = alt.Y(
            f"{y}:Q", title=y_title, scale=alt.Scale(domain=list(y_domain)) if y_domain else alt.Scale()
        )
        if x_end is not None:
            enc = {
                "x": alt.X(f"{x}:Q", title=x_title, scale=_scale(x_domain)),
                "x2": alt.X2(f"{x_end}:Q"),
                "y": y_enc,
                # Without an explicit baseline Vega-Lite draws ranged-x bars as 5-px ticks at the count.
                "y2": alt.datum(0),
                "color": color,
            }
        elif horizontal_categories:
            enc = {
                "y": alt.Y(f"{x}:N", title=x_title, sort=None),
                "x": alt.X(
                    f"{y}:Q",
                    title=y_title,
                    scale=alt.Scale(domain=list(y_domain)) if y_domain else alt.Scale(),
                ),
                "color": color,
            }
        else:
            enc = {"x": alt.X(f"{x}:N", title=x_title, sort=None), "y": y_enc, "color": color}
        tooltip = [
            alt.Tooltip(f"{x}:{'Q' if x_end else 'N'}", title=x_title),
            alt.Tooltip(f"{y}:Q", title=y_title),
        ]
        layers = [
            alt.Chart(alt.NamedData(data)).mark_bar(opacity=0.85, clip=True).encode(**enc, tooltip=tooltip)
        ]
        if vline and x_end is not None:
            layers.append(
                alt.Chart(alt.NamedData(vline))
                .mark_rule(strokeDash=[5, 4], strokeWidth=2, color=OKABE_ITO["black"])
                .encode(x=alt.X(f"{x}:Q"))
            )
        chart = alt.layer(*layers).properties(title=_title(title, subtitle), height=height)
        return with_datasets(chart, dict(datasets))

    return make_chart


def scatter_chart(
    data: str,
    *,
    x: str,
    y: str,
    title: str,
    x_title: str,
    y_title: str,
    subtitle: str | None = None,
    series: str | None = None,
    series_title: str | None = None,
    colors: Mapping[str, str] | None = None,
    x_domain: tuple[float, float] | None = None,
    y_domain: tuple[float, float] | None = None,
    line: str | None = None,
    error_low: str | None = None,
    error_high: str | None = None,
    height: int = 260,
) -> ChartFactory:
    """A chart factory for :class:`Demo`: points, optional error bars and an optional fitted line.

    Parameters
    ----------
    data : str
        Name of the dataset of points.
    x, y : str
        Column names.
    error_low, error_high : str, optional
        Columns of the lower and upper ends of vertical error bars (e.g. a 95% interval).
    line : str, optional
        Name of a dataset with the same ``x``/``y`` columns drawn as a line (e.g. a regression line).
    Other parameters as in :func:`line_chart`.
    """
    import altair as alt

    from empathy_explorer.app.charts import OKABE_ITO, with_datasets

    def make_chart(datasets: Mapping[str, pd.DataFrame]) -> Any:
        x_enc = alt.X(f"{x}:Q", title=x_title, scale=_scale(x_domain))
        y_enc = alt.Y(f"{y}:Q", title=y_title, scale=_scale(y_domain))
        color = _color(series, series_title, colors)
        tooltip = [
            alt.Tooltip(f"{x}:Q", title=x_title, format=".3~g"),
            alt.Tooltip(f"{y}:Q", title=y_title, format=".3~g"),
        ]
        layers = []
        if error_low and error_high:
            layers.append(
                alt.Chart(alt.NamedData(data))
                .mark_rule(opacity=0.6, strokeWidth=2, clip=True)
                .encode(
                    x=x_enc,
                    y=alt.Y(f"{error_low}:Q", title=y_title, scale=_scale(y_domain)),
                    y2=f"{error_high}:Q",
                    color=color,
                )
            )
        layers.append(
            alt.Chart(alt.NamedData(data))
            .mark_point(size=70, filled=True, opacity=0.9, clip=True)
            .encode(x=x_enc, y=y_enc, color=color, tooltip=tooltip)
        )
        if line:
            layers.append(
                alt.Chart(alt.NamedData(line)).mark_line(color=OKABE_ITO["black"]).encode(x=x_enc, y=y_enc)
            )
        chart = alt.layer(*layers).properties(title=_title(title, subtitle), height=height)
        return with_datasets(chart, dict(datasets))

    return make_chart


def histogram_rows(
    values: Any, *, bins: int | Any = 30, value_range: tuple[float, float] | None = None
) -> pd.DataFrame:
    """Counts per bin as rows ``bin_start``, ``bin_end``, ``count`` for :func:`bar_chart` (NaN dropped).

    Examples
    --------
    >>> histogram_rows([0.1, 0.2, 0.8], bins=2, value_range=(0, 1))["count"].tolist()
    [2, 1]
    """
    import numpy as np

    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v)]
    counts, edges = np.histogram(v, bins=bins, range=value_range)
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "count": counts})
