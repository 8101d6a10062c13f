"""Checks every lesson page's tests share: controls at their ends, chart row limits, speed, quiz feedback.

A new page's tests call these instead of writing them again (CONTRIBUTING.md, "A new lesson page").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from empathy_explorer.app.charts import MAX_ROWS
from empathy_explorer.app.widgets import Demo, quiz


def control_ends(control: Any) -> list[Any]:
    """The values at the ends of a control: every option of a drop-down, both states, or min and max."""
    if hasattr(control, "options"):
        return [v[1] if isinstance(v, tuple) else v for v in control.options]
    if isinstance(control.value, bool):
        return [False, True]
    return [control.min, control.max]


def assert_every_control_end_gives_a_finite_chart(demo: Demo) -> None:
    """Move each control to each of its ends: no "cannot be used" takeaway, every number drawn is finite."""
    for control in demo.controls.controls.values():
        for value in control_ends(control):
            control.value = value
            assert "cannot be used" not in demo.takeaway.value
            for frame in demo.panel.datasets.values():
                assert np.isfinite(frame.select_dtypes("number").to_numpy()).all()


def assert_rows_within_limit(demo: Demo, name: str, value: object) -> None:
    """Set one control; every dataset drawn stays under the chart's row limit."""
    demo.controls[name].value = value
    for frame in demo.panel.datasets.values():
        assert len(frame) <= MAX_ROWS


def assert_answers_quickly(
    computes: Iterable[Callable[[], object]],
    *,
    runs: int,
    summary: Callable[[list[float]], float],
    budget_s: float = 0.02,
) -> None:
    """Each compute function at its defaults: ``summary`` of ``runs`` timings stays under ``budget_s``."""
    for compute in computes:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            compute()
            times.append(time.perf_counter() - start)
        assert summary(times) < budget_s, (compute.__name__, times)


def assert_quiz_feedback_explains(question: Mapping[str, Any]) -> None:
    """The right answer says "Correct." with an explanation; each wrong one says "Not quite." and names it."""
    q = quiz(**question)
    right = q.check(q.correct)
    assert right.startswith("Correct.") and len(right) > 40
    for i in range(len(q.options)):
        if i != q.correct:
            wrong = q.check(i)
            assert wrong.startswith("Not quite.") and q.options[q.correct] in wrong
