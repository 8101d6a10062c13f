import numpy as np
import pytest

from empathy_explorer.errors import InputError, ParameterError
from empathy_explorer.sessions.session import GroundTruth, Segment, Session


def _session(**kw):
    x = np.linspace(2.0, 3.0, 80)
    args = dict(
        id="t",
        title="T",
        description="test",
        fs=8.0,
        signals={"eda": (x, x + 1), "hr": (np.full(80, 70.0), np.full(80, 75.0))},
        segments=(Segment(0.0, 4.0, "positive"), Segment(4.0, 10.0, "conflict")),
        ground_truth=GroundTruth(coupling=0.8, lag_s=2.0, leader="patient", shared_driver=0.0),
        rating=5.5,
        simulated=True,
    )
    args.update(kw)
    return Session(**args)


def test_accessors_and_frame():
    s = _session()
    assert s.kinds == ("eda", "hr")
    assert s.n_samples == 80 and s.duration_s == 10.0
    np.testing.assert_allclose(s.times_s, np.arange(80) / 8.0)
    x, y = s.pair("eda")
    np.testing.assert_allclose(y - x, 1.0)
    assert dict(s.units) == {"eda": "µS", "hr": "bpm"}
    df = s.to_frame()
    assert df.columns.tolist() == ["time_s", "eda_patient", "eda_clinician", "hr_patient", "hr_clinician"]
    assert len(df) == 80 and df["hr_clinician"].iloc[3] == 75.0
    assert list(s.tone_at([1.0, 5.0, 20.0])) == ["positive", "conflict", ""]
    assert "simulated" in repr(s)


def test_signals_are_private_readonly_copies():
    x = np.ones(10)
    s = Session(id="c", title="", description="", fs=1.0, signals={"eda": (x, x)})
    x[0] = 99.0
    assert s.pair("eda")[0][0] == 1.0
    with pytest.raises(ValueError):
        s.pair("eda")[0][0] = 5.0
    with pytest.raises(TypeError):
        s.signals["hr"] = (x, x)  # type: ignore[index]


def test_unknown_kind_lists_available():
    with pytest.raises(InputError, match="has no 'scl' signal; it has: eda, hr"):
        _session().pair("scl")


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"fs": 0.0}, "greater than 0 Hz"),
        ({"fs": float("nan")}, "finite"),
        ({"signals": {"eda": (np.ones(80), np.ones(79))}}, "same length"),
        ({"signals": {"eda": (np.ones(80), np.ones(80)), "hr": (np.ones(70), np.ones(70))}}, "one time base"),
        ({"signals": {"eda": (np.r_[np.ones(79), np.nan], np.ones(80))}}, "missing or infinite"),
        ({"signals": {}}, "at least one signal"),
        ({"signals": {"eda": (np.ones((2, 40)), np.ones((2, 40)))}}, "one-dimensional"),
        ({"signals": {"resp": (np.ones(80), np.ones(80))}}, "needs a unit"),
        ({"segments": (Segment(0.0, 60.0, "neutral"),)}, "after the end"),
        ({"segments": (Segment(0.0, 5.0, "neutral"), Segment(4.0, 6.0, "neutral"))}, "overlap"),
        ({"id": ""}, "non-empty"),
    ],
)
def test_invalid_sessions_raise_input_error(kw, message):
    with pytest.raises(InputError, match=message):
        _session(**kw)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Segment(3.0, 2.0, "neutral"), "must come after"),
        (lambda: Segment(-1.0, 2.0, "neutral"), "cannot be negative"),
        (lambda: Segment(0.0, 2.0, "sad"), "tone must be one of"),
        (lambda: GroundTruth(coupling=1.5, lag_s=0, leader="patient", shared_driver=0), "between 0 and 1"),
        (
            lambda: GroundTruth(coupling=0.5, lag_s=-1, leader="patient", shared_driver=0),
            "cannot be negative",
        ),
        (lambda: GroundTruth(coupling=0.5, lag_s=1, leader="none", shared_driver=0), "needs a leader"),
        (lambda: GroundTruth(coupling=0.5, lag_s=1, leader="boss", shared_driver=0), "leader must be"),
    ],
)
def test_invalid_parts_raise_parameter_error(build, message):
    with pytest.raises(ParameterError, match=message):
        build()


def test_custom_kind_with_unit_and_dicts():
    s = Session(
        id="r", title="", description="", fs=1.0, signals={"resp": ([1, 2], [3, 4])}, units={"resp": "a.u."}
    )
    assert s.units["resp"] == "a.u."
    assert Segment(0, 1, "neutral").to_dict() == {"start_s": 0.0, "end_s": 1.0, "tone": "neutral"}
    gt = GroundTruth(coupling=0, lag_s=0, leader="none", shared_driver=0.3)
    assert gt.to_dict()["shared_driver"] == 0.3
