"""The class page (notebook 09): its callbacks called directly, as a click or an upload would."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import numpy as np
import pandas as pd
import pytest

from empathy_explorer.games.pooling import example_rounds
from empathy_explorer.games.pooling import make_round as class_round
from empathy_explorer.games.rounds import make_round, round_to_csv
from empathy_explorer.lessons import class_data
from empathy_explorer.lessons.class_data import EXAMPLES, ClassDataPage


def _csv(r) -> bytes:
    rnd = make_round(r.kind, r.a, r.b, r.fs_hz, pair=r.pair, round_id=r.round_id, simulated=r.simulated)
    return round_to_csv(rnd).encode()


def _zip(rounds) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for r in rounds:
            zf.writestr(f"{r.round_id}.csv", _csv(r))
    return buf.getvalue()


def _upload_item(name: str, data: bytes) -> dict:
    return {"name": name, "type": "", "size": len(data), "content": memoryview(data),
            "last_modified": datetime.datetime.now(tz=datetime.UTC)}  # fmt: skip


@pytest.fixture(scope="module")
def page():
    return ClassDataPage(n_pseudo=300)


@pytest.fixture(scope="module")
def my_class():
    """A 'real' class of 6 pairs (not marked simulated), A-leads and joint rounds of 30 s."""
    rounds = example_rounds(
        [0.8, 0.7, 0.6, 0.8, 0.7, 0.6], kinds=("mirror_a_leads", "mirror_joint"), duration_s=30
    )
    return [class_round(r.pair, r.kind, r.a, r.b, 50.0, round_id=r.round_id) for r in rounds]


def test_the_page_opens_on_the_simulated_example_class(page):
    page.use_example()
    assert page.analysis.simulated
    assert "SIMULATED" in page.banner.value
    assert "never names" in page.privacy.value and "not written to disk" in page.privacy.value
    assert page.kind_picker.options and set(page.analysis.tests) == set(
        dict(page.kind_picker.options).values()
    )
    pairs = page.dist_panel.datasets["pairs"]
    test = page.analysis.tests[page.kind_picker.value]
    assert (pairs["group"] == class_data.REAL).sum() == 12 and (
        pairs["group"] == class_data.PSEUDO
    ).sum() == 132
    assert np.allclose(np.sort(pairs.loc[pairs["group"] == class_data.REAL, "value"]), np.sort(test.real))
    assert "SIMULATED" in str(page.dist_panel.chart.to_dict()["title"])
    assert "p = < 0.001" in page.dist_takeaway.value or "p = 0.00" in page.dist_takeaway.value
    assert len(page.led_panel.datasets["points"]) == 12
    assert "Marci et al. 2007" in page.compare_html.value
    assert page.message.value == ""


def test_the_zero_coupling_example_shows_no_effect(page):
    out = page.use_example(list(EXAMPLES)[1])
    assert all(t.p_value > 0.05 for t in out.tests.values())
    assert "not clearly more in sync" in page.dist_takeaway.value
    page.use_example()


def test_picking_another_kind_changes_the_charts_in_place(page):
    page.use_example()
    page.kind_picker.value = "mirror_joint"
    means = page.dist_panel.datasets["means"].set_index("group")["value"]
    assert means[class_data.REAL] == pytest.approx(page.analysis.tests["mirror_joint"].mean_real)
    lines = page.ci_panel.datasets["lines"]
    assert set(lines["line"]) == {"95% CI lower limit", "95% CI upper limit", "This class's difference"}


def test_uploading_a_zip_of_rounds_replaces_the_example_and_frees_the_bytes(page, my_class):
    page.use_example()
    data = _zip(my_class)
    page.upload.value = (_upload_item("our-class.zip", data),)
    assert page.upload.value == ()  # the bytes are not kept in the widget
    a = page.analysis
    assert (
        not a.simulated
        and "Your class" in page.banner.value
        and "12 rounds from 6 pairs" in page.banner.value
    )
    assert set(a.tests) == {"mirror_a_leads", "mirror_joint"}
    assert "ee-note" in page.message.value and "Read 12 round(s)" in page.message.value
    assert "SIMULATED" not in str(page.dist_panel.chart.to_dict()["title"])
    # a second upload adds to the class; the same files again count once
    more = example_rounds([0.5], kinds=("mirror_joint",), duration_s=30, seed=9)[0]
    extra = class_round("P20", more.kind, more.a, more.b, 50.0, round_id="P20-mirror_joint-1")
    page.upload.value = (_upload_item("late.csv", _csv(extra)), _upload_item("again.zip", data))
    assert len(page.data.rounds) == 13
    assert page.message.value.count("same round as") == 12
    assert page.analysis.tests["mirror_joint"].n_pairs == 7


def test_a_wrong_file_gets_a_message_and_the_class_stays(page, my_class):
    page.add_files([("our-class.zip", _zip(my_class))])
    before = page.analysis
    page.upload.value = (_upload_item("holiday.jpg", b"\xff\xd8\xff\xe0 jpeg"),)
    assert page.analysis is before
    text = re.sub("<[^>]+>", "", page.message.value)
    assert "ee-error" in page.message.value and "holiday.jpg" in text and "not a round file" in text
    assert "still shows the class" in text
    assert "Traceback" not in text and "Error" not in text


def test_too_few_pairs_is_said_and_the_numbers_still_shown(page, my_class):
    page.start_over()
    page.add_files([(f"{r.round_id}.csv", _csv(r)) for r in my_class if r.kind == "mirror_joint"][:2])
    assert page.analysis.tests == {}
    text = page.message.value
    assert "at least 3 pairs" in text
    assert "no round kind has at least 3 pairs" in page.headline.value
    assert page.kind_picker.layout.display == "none"
    assert len(page.dist_panel.datasets["pairs"]) == 0
    assert "P01" in page.class_table.value and "P02" in page.class_table.value


def test_the_export_has_labels_and_numbers_only(page, my_class):
    page.start_over()
    page.add_files([("Anna-and-Ben.zip", _zip(my_class))])  # a file name with names in it
    csv = page.export_csv()
    table = pd.read_csv(io.StringIO(csv))
    assert list(table.columns) == list(page.analysis.EXPORT_COLUMNS)
    assert "Anna" not in csv and "Ben" not in csv
    assert 'download="class-rounds.csv"' in page.csv_link.value


def test_tables_are_accessible_html(page):
    page.use_example()
    for value in (page.tests_html.value, page.class_table.value, page.compare_html.value):
        assert "<caption" in value and "scope='col'" in value
    assert "tabindex='0'" in page.class_table.value and "role='region'" in page.class_table.value


def test_start_over_forgets_uploads(page, my_class):
    page.add_files([("c.zip", _zip(my_class))])
    page.start_over()
    assert page.analysis.simulated and page._uploaded == []
