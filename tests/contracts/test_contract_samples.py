"""Each committed sample is a valid event that survives the trip to JSON and back."""

import json

import pytest

from liandong_contracts.export import sample_path
from liandong_contracts.registry import ALL_EVENTS

pytestmark = pytest.mark.unit


def committed(model: type) -> dict:
    path = sample_path(model)
    assert path.exists(), f"no sample {path.name}: run `python -m liandong_contracts.export`"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda m: m.subject())
def test_the_sample_validates_against_its_model(model: type) -> None:
    event = model.model_validate(committed(model))
    assert event.subject() == model.subject()


@pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda m: m.subject())
def test_the_sample_round_trips_through_json(model: type) -> None:
    data = committed(model)
    event = model.model_validate_json(json.dumps(data))
    again = model.model_validate_json(event.model_dump_json())
    assert again == event
    assert json.loads(again.model_dump_json()) == data


@pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda m: m.subject())
def test_a_reader_ignores_fields_it_does_not_know(model: type) -> None:
    data = {**committed(model), "added_in_a_later_release": {"any": "thing"}}
    assert model.model_validate(data) == model.model_validate(committed(model))
