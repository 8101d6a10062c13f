"""Tests for the shared long-job widget (app/jobs.py), driven directly: start, progress, cancel, errors.

The pages that use it (the session explorer, the surrogate and resampling demos) are tested in their own
files; here the widget alone, in the caller's thread and on its background thread.
"""

from __future__ import annotations

import doctest
import logging
import threading

import ipywidgets as widgets
import pytest

from empathy_explorer.app import jobs
from empathy_explorer.app.jobs import GENERIC_ERROR, STOPPED_HTML, JobCancelled, LatestOnly, LongJob
from empathy_explorer.app.widgets import takeaway_html
from empathy_explorer.errors import InputError


def _job(**kwargs):
    return LongJob([widgets.Button(description="Run"), widgets.Button(description="Other")], **kwargs)


def _counting(steps, during=None):
    """Work that reports ``steps`` chunks and returns how many it did."""

    def work(report):
        for done in range(1, steps + 1):
            report(done, steps)
            if during is not None:
                during(done)
        return steps

    return work


def test_docstring_examples_run():
    result = doctest.testmod(jobs, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 3


def test_start_shows_progress_disables_the_buttons_and_ends_with_the_outcome():
    job = _job()
    seen, disabled = [], []
    job.progress.observe(lambda ch: seen.append(ch["new"]), names="value")
    work = _counting(5, during=lambda _d: disabled.append([b.disabled for b in job.buttons]))
    job.start(work, lambda n: f"<p class='done'>{n} chunks</p>", total=5, note="<i>Running…</i>")
    assert seen[-5:] == [1, 2, 3, 4, 5] and job.progress.value == job.progress.max == 5
    assert disabled and all(d == [True, True] for d in disabled)  # both start buttons, while it ran
    assert job.status.value == "<p class='done'>5 chunks</p>"
    assert not any(b.disabled for b in job.buttons)
    assert list(job.children) == [*job.buttons, job.progress]


def test_the_note_is_shown_while_running_and_a_none_outcome_leaves_the_status():
    job = _job()
    notes = []
    job.start(
        _counting(2, during=lambda _d: notes.append(job.status.value)), lambda _n: None, note="<i>busy</i>"
    )
    assert notes == ["<i>busy</i>", "<i>busy</i>"] and job.status.value == "<i>busy</i>"


def test_the_progress_bar_is_shown_only_while_running_when_asked():
    job = _job(hide_idle=True)
    assert job.progress.layout.visibility == "hidden"
    visible = []
    job.start(_counting(3, during=lambda _d: visible.append(job.progress.layout.visibility)), str)
    assert visible == ["visible"] * 3 and job.progress.layout.visibility == "hidden"


def test_cancel_stops_the_job_at_its_next_report():
    job = _job()
    finished = []
    job.start(_counting(10, during=lambda d: d == 3 and job.cancel()), finished.append, total=10)
    assert finished == []  # the result of a cancelled job is never stored
    assert job.status.value == STOPPED_HTML and job.progress.value == 3
    assert not any(b.disabled for b in job.buttons)


def test_a_job_cancelled_after_its_last_report_is_not_stored_either():
    job = _job(stopped="<i>stopped</i>")
    finished = []
    job.start(_counting(2, during=lambda d: d == 2 and job.cancel()), finished.append)
    assert finished == [] and job.status.value == "<i>stopped</i>"


def test_a_mistake_is_shown_as_the_package_message():
    job = _job()

    def work(report):
        report(1, 4)
        raise InputError("Too few samples for 40 surrogates.")

    job.start(work, str)
    assert "Too few samples for 40 surrogates." in job.status.value and "ee-error" in job.status.value
    assert not any(b.disabled for b in job.buttons)


def test_an_unexpected_failure_is_logged_and_shown_politely(caplog):
    job = _job(errors=lambda message: f"<b>{message}</b>")

    def work(report):
        raise RuntimeError("internal detail /home/secret/path")

    with caplog.at_level(logging.ERROR, logger="empathy_explorer.app.jobs"):
        job.start(work, str)
    assert job.status.value == f"<b>{GENERIC_ERROR}</b>"
    assert "secret" not in job.status.value
    assert "internal detail" in caplog.text  # the details go to the log


def test_error_html_escapes_the_message():
    assert (
        jobs.error_html("<script>") == "<span class='ee-error' style='color:#8a1c00'>⚠ &lt;script&gt;</span>"
    )


def test_a_second_start_supersedes_the_first_on_the_background_thread():
    job = _job(background=True)
    started, release = threading.Event(), threading.Event()
    finished = []

    def slow(report):
        report(1, 100)
        started.set()
        release.wait(10)
        report(2, 100)  # out of date by now: stops here
        return "first"

    job.start(slow, lambda r: finished.append(r) or "first done", total=100)
    assert started.wait(10)
    assert all(b.disabled for b in job.buttons) and job.progress.max == 100
    job.start(_counting(4), lambda n: finished.append(n) or f"second done ({n})", total=4)
    release.set()
    assert job.wait(10)
    assert finished == [4]  # only the second job's result was stored
    assert job.status.value == "second done (4)"  # the stopped first job did not write over it
    assert job.progress.value == job.progress.max == 4
    assert not any(b.disabled for b in job.buttons)


def test_report_raises_job_cancelled_for_an_out_of_date_job():
    job = _job()
    raised = []

    def work(report):
        job.cancel()
        try:
            report(1, 2)
        except JobCancelled:
            raised.append(True)
            raise
        return 0

    job.start(work, str)
    assert raised == [True] and job.status.value == STOPPED_HTML


def test_latest_only_runs_the_newest_request_and_drops_the_waiting_ones():
    runner = LatestOnly(background=True, name="test-latest-only")
    running, gate, ran = threading.Event(), threading.Event(), []
    runner.submit(lambda: (running.set(), gate.wait(10), ran.append("first")))
    assert running.wait(10)
    for name in ("a", "b", "c"):  # arrive while the first runs: only the newest is kept
        runner.submit(lambda name=name: ran.append(name))
    gate.set()
    assert runner.wait_idle(10)
    assert ran == ["first", "c"] and runner.dropped == 2


def test_latest_only_survives_a_failing_job(caplog):
    runner = LatestOnly(background=True, name="test-latest-only-errors")
    ran = []
    with caplog.at_level(logging.ERROR, logger="empathy_explorer.app.jobs"):
        runner.submit(lambda: 1 / 0)
        assert runner.wait_idle(10)
    runner.submit(lambda: ran.append(1))
    assert runner.wait_idle(10) and ran == [1]
    assert "Background job failed" in caplog.text


def test_without_a_background_thread_jobs_run_at_once():
    ran = []
    LatestOnly(background=False, name="unused").submit(lambda: ran.append(threading.current_thread()))
    assert ran == [threading.current_thread()]


@pytest.mark.parametrize("total", [0, 1, 7])
def test_the_progress_bar_never_has_an_empty_range(total):
    job = _job()
    job.start(lambda report: report(0, total), str, total=total)
    assert job.progress.max == max(1, total)


def test_a_demo_job_writes_its_outcome_and_refusals_into_the_takeaway_under_the_chart():
    from empathy_explorer.app.charts import ChartPanel

    panel = ChartPanel(None, filename="demo")
    job = jobs.takeaway_job(
        widgets.Button(description="Run"),
        panel,
        "Press Run.",
        refused="These settings cannot be used",
        description="Progress",
        name="test-demo",
    )
    assert "Press Run." in job.status.value and "ee-takeaway" in job.status._dom_classes
    assert job.progress.description == "Progress" and job.buttons[0].description == "Run"
    job.start(_counting(2), lambda n: takeaway_html(f"Done after {n} chunks."))
    assert "Done after 2 chunks." in job.status.value

    def refused(report):
        raise InputError("n must be at least 3.")

    job.start(refused, str)
    assert "These settings cannot be used: n must be at least 3." in job.status.value
    assert "#a33f00" in job.status.value  # shown as a warning


def test_guarded_shows_the_package_error_and_hides_anything_else(caplog):
    """One guard for user actions: our error's words plus the page's suffix; anything else logged."""
    from empathy_explorer.app.jobs import guarded
    from empathy_explorer.errors import InputError

    shown: list[str] = []
    assert guarded(lambda: None, shown.append, where="Test page") is True and shown == []

    def refuse():
        raise InputError("This file is empty.")

    assert guarded(refuse, shown.append, where="Test page", suffix=" Nothing was lost.") is False
    assert shown[-1] == "This file is empty. Nothing was lost."

    def crash():
        raise ZeroDivisionError("internal detail")

    with caplog.at_level(logging.ERROR, logger="empathy_explorer.app.jobs"):
        assert guarded(crash, shown.append, where="Test page", generic="Sorry.") is False
    assert shown[-1] == "Sorry." and "internal detail" not in shown[-1]
    assert "Test page failed" in caplog.text and "internal detail" in caplog.text
