"""No event carries a complainant's identity or contact data (CMP-8)."""

import re
import typing
from collections.abc import Iterator

import pytest
from pydantic import BaseModel, ValidationError

from liandong_contracts.complaint_v1 import ComplaintReceived
from liandong_contracts.export import sample_path
from liandong_contracts.registry import ALL_EVENTS
from liandong_contracts.samples import sample_of

pytestmark = [pytest.mark.unit, pytest.mark.rule("CMP-8")]

PERSONAL = re.compile(
    r"(^|_)(name|phone|mobile|tel|id_?card|id_?number|address|email|contact)s?($|_)"
)
# An organisation's name, and a liaison's name: a public official role (JNT-2), not a
# complainant.
ALLOWED = {("OrgRef", "name"), ("LiaisonPersonNamed", "liaison_name")}
MOBILE_OR_ID_NUMBER = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")


def models_in(annotation: object) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from models_in(argument)


def fields_of(model: type[BaseModel], seen: set[type] | None = None) -> Iterator[tuple[str, str]]:
    """(model name, field name) for the model and every model nested in it."""
    seen = seen if seen is not None else set()
    if model in seen:
        return
    seen.add(model)
    for name, field in model.model_fields.items():
        yield model.__name__, name
        for nested in models_in(field.annotation):
            yield from fields_of(nested, seen)


@pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda m: m.subject())
def test_no_field_is_named_for_personal_data(model: type[BaseModel]) -> None:
    suspicious = {
        (owner, name) for owner, name in fields_of(model) if PERSONAL.search(name)
    } - ALLOWED
    assert not suspicious, f"{model.__name__} has fields that suggest personal data: {suspicious}"


def test_the_field_check_would_catch_a_complainant_phone() -> None:
    class Leaky(BaseModel):
        complainant_phone: str
        contact_address: str

    assert {name for _, name in fields_of(Leaky) if PERSONAL.search(name)} == {
        "complainant_phone",
        "contact_address",
    }


def test_the_complainant_is_only_a_pseudonymous_reference() -> None:
    data = sample_of(ComplaintReceived).model_dump()
    with pytest.raises(ValidationError, match="complainant_ref"):
        ComplaintReceived.model_validate({**data, "complainant_ref": "13812345678"})


@pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda m: m.subject())
def test_no_sample_carries_a_mobile_or_id_card_number(model: type[BaseModel]) -> None:
    text = sample_path(model).read_text(encoding="utf-8")
    assert not MOBILE_OR_ID_NUMBER.search(text)
