"""The committed JSON Schemas are the models' schemas: drift fails here, not in production."""

import json

import pytest

from liandong_contracts.export import SCHEMA_DIR, differences, index, schema_of, schema_path
from liandong_contracts.registry import ALL_EVENTS

pytestmark = pytest.mark.unit

FIX = "run `python -m liandong_contracts.export` and commit the result"


@pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda m: m.subject())
def test_the_committed_schema_equals_the_models_schema(model: type) -> None:
    path = schema_path(model)
    assert path.exists(), f"{path.name} is missing: {FIX}"
    committed = json.loads(path.read_text(encoding="utf-8"))
    assert committed == schema_of(model), f"{path.name} drifted from the model: {FIX}"


@pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda m: m.subject())
def test_the_schema_is_identified_by_its_file_name(model: type) -> None:
    schema = schema_of(model)
    assert schema["$id"] == schema_path(model).name
    assert model.subject() in schema["title"]


def test_the_committed_index_lists_every_subject() -> None:
    committed = json.loads((SCHEMA_DIR / "index.json").read_text(encoding="utf-8"))
    assert committed == index(), f"index.json drifted: {FIX}"
    assert set(committed) == {model.subject() for model in ALL_EVENTS}


def test_export_check_finds_nothing_to_do() -> None:
    assert differences() == [], FIX
