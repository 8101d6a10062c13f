import pytest

from empathy_explorer.errors import EmpathyExplorerError, InputError, ParameterError, RecordingError


def test_recording_error_names_file_and_row():
    err = RecordingError("the value 'abc' is not a number", source="patient.csv", row=12)
    assert str(err) == "patient.csv, line 12: the value 'abc' is not a number"
    assert err.source == "patient.csv" and err.row == 12


def test_recording_error_without_location_is_just_the_message():
    assert str(RecordingError("the file is empty")) == "the file is empty"
    assert str(RecordingError("the file is empty", source="a.csv")) == "a.csv: the file is empty"


@pytest.mark.parametrize("cls", [InputError, ParameterError, RecordingError])
def test_every_error_is_caught_by_the_base_class_and_by_valueerror(cls):
    with pytest.raises(EmpathyExplorerError):
        raise cls("x")
    with pytest.raises(ValueError):
        raise cls("x")
