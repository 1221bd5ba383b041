"""Every event model is a frozen, versioned contract on a subject of its own."""

import re

import pytest
from pydantic import ValidationError

from liandong_contracts import (
    assistance_v1,
    complaint_v1,
    escalation_v1,
    joint_v1,
    referral_v1,
    sharing_v1,
)
from liandong_contracts.registry import ALL_EVENTS, BY_SUBJECT, model_for
from liandong_contracts.samples import samples

pytestmark = pytest.mark.unit

SUBJECT = re.compile(
    r"^liandong\.(referral|complaint|sharing|assistance|escalation)\.[a-z_]+\.v\d+$"
)
MODULES = (referral_v1, complaint_v1, sharing_v1, assistance_v1, joint_v1, escalation_v1)


def by_subject(model: type) -> str:
    return model.subject()


def test_the_registry_holds_every_event_of_every_producer_module() -> None:
    assert set(ALL_EVENTS) == {model for module in MODULES for model in module.EVENTS}
    assert {model.producer for model in ALL_EVENTS} == {
        "referral",
        "complaint",
        "sharing",
        "assistance",
        "escalation",
    }


def test_no_two_models_share_a_subject() -> None:
    assert len(BY_SUBJECT) == len(ALL_EVENTS)


def test_no_two_models_share_a_type_name_and_version() -> None:
    keys = [(model.event_name(), model.version()) for model in ALL_EVENTS]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("model", ALL_EVENTS, ids=by_subject)
def test_the_subject_names_producer_event_and_version(model: type) -> None:
    assert SUBJECT.match(model.subject())
    assert model.subject().split(".")[1] == model.producer
    assert model.subject().endswith(f".v{model.version()}")


@pytest.mark.parametrize("model", ALL_EVENTS, ids=by_subject)
def test_the_model_is_found_by_its_subject(model: type) -> None:
    assert model_for(model.subject()) is model


@pytest.mark.parametrize("model", ALL_EVENTS, ids=by_subject)
def test_the_model_is_frozen_and_tolerates_unknown_fields(model: type) -> None:
    config = model.model_config
    assert config.get("frozen") is True
    assert config.get("extra") == "ignore"


@pytest.mark.parametrize("model", ALL_EVENTS, ids=by_subject)
def test_the_model_names_the_rules_it_serves(model: type) -> None:
    assert re.search(r"\b[A-Z]{3}-\d+\b", model.__doc__ or "")


@pytest.mark.parametrize("event", samples(), ids=lambda e: type(e).subject())
def test_an_event_cannot_be_changed_after_it_is_made(event: object) -> None:
    with pytest.raises(ValidationError, match="frozen"):
        event.correlation_id = "changed"  # type: ignore[attr-defined]


def test_an_unknown_subject_is_named_in_the_error() -> None:
    with pytest.raises(KeyError, match=r"liandong\.referral\.nothing\.v1"):
        model_for("liandong.referral.nothing.v1")
