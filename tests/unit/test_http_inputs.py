"""The shared HTTP input layer on a small app: what every service gets from `install`."""

from datetime import date, datetime
from importlib import import_module
from inspect import getmembers, isclass

import httpx
import pytest
from fastapi import FastAPI
from pydantic import AwareDatetime, BaseModel, Field, ValidationError

from liandong_contracts.cloudevents import ContractViolation
from liandong_runtime import http_errors
from liandong_runtime.http_inputs import BODY_LIMITS, LIMITS, Body, body_limit


class Thing(Body):
    text: str = Field(default="", max_length=50_000)  # the table's limit is stricter
    count: int = 0
    flag: bool = False
    at: AwareDatetime | None = None
    on: date | None = None
    tags: list[str] = Field(default_factory=list)
    ratio: float = 0.0


def app() -> FastAPI:
    made = FastAPI()

    @made.post("/things")
    async def things(body: Thing) -> dict[str, str]:
        return {"text": body.text[:10]}

    @made.post("/too-big")
    async def too_big(body: Thing) -> None:
        raise ContractViolation("body is 300000 bytes, over the limit of 262144",
                                code="too_large")

    @made.post("/broken")
    async def broken(body: Thing) -> None:
        raise ContractViolation("wrong", code="invalid_fields")

    http_errors.install(made)
    return made


@pytest.fixture
async def client() -> httpx.AsyncClient:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()),
                                 base_url="http://t") as client:
        yield client


@pytest.mark.parametrize(("fields", "field"), [
    ({"text": "a\x00"}, "text"), ({"text": "\udc00"}, "text"),
    ({"tags": ["ok", "\ud800"]}, "tags"), ({"tags": ["x"] * (LIMITS.list_items + 1)}, "tags"),
    ({"text": "x" * (LIMITS.text_chars + 1)}, "text"),
    ({"count": 2**63}, "count"), ({"count": True}, "count"), ({"flag": 0}, "flag"),
    ({"at": datetime(1, 1, 1).isoformat() + "+14:00"}, "at"),
    ({"at": "1899-12-31T23:00:00Z"}, "at"),
    ({"at": "2200-01-01T00:00:00Z"}, "at"), ({"on": "0001-01-01"}, "on"),
    ({"ratio": float("nan")}, "ratio"), ({"ratio": float("inf")}, "ratio"),
    ({"extra": 1}, "extra"),
])
def test_the_base_refuses_what_no_service_can_hold(fields: dict, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Thing.model_validate(fields)
    assert [e["loc"][0] for e in refused.value.errors()] == [field]


def test_the_base_takes_ordinary_input() -> None:
    thing = Thing.model_validate({"text": "占道经营\t\n", "count": 2**63 - 1, "flag": True,
                                  "at": "2026-03-10T08:00:00+08:00", "on": "2026-03-10",
                                  "tags": ["a"] * LIMITS.list_items, "ratio": 0.5})
    assert thing.count == 2**63 - 1 and thing.flag is True


async def test_an_event_over_the_contracts_size_is_a_413_naming_what(
        client: httpx.AsyncClient) -> None:
    answer = await client.post("/too-big", json={})
    assert answer.status_code == 413
    assert answer.json()["field"] == "body" and "too big" in answer.json()["detail"]
    broken = await client.post("/broken", json={})
    assert broken.status_code == 422 and broken.json()["field"] == "body"


async def test_a_validation_refusal_names_the_field_and_not_the_input(
        client: httpx.AsyncClient) -> None:
    answer = await client.post("/things", json={"count": "x" * 40_000})
    assert answer.status_code == 422
    assert answer.json()["field"] == "count"
    assert "xxxx" not in answer.text and len(answer.content) < 1000
    assert set(answer.json()["detail"][0]) == {"loc", "msg", "type"}


@pytest.mark.rule("ESC-5")
async def test_a_time_the_system_cannot_count_from_is_refused_naming_esc_5(
        client: httpx.AsyncClient) -> None:
    answer = await client.post("/things", json={"at": "9999-12-31T23:59:59-12:00"})
    assert answer.status_code == 422
    assert (answer.json()["rule"], answer.json()["field"]) == ("ESC-5", "at")
    other = await client.post("/things", json={"count": "x"})
    assert "rule" not in other.json()  # only the refusals a rule makes name one


async def test_invalid_json_says_where(client: httpx.AsyncClient) -> None:
    answer = await client.post("/things", content=b'{"text": ',
                               headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and "not valid JSON" in answer.text


async def test_a_body_over_its_limit_is_refused_before_it_is_parsed(
        client: httpx.AsyncClient) -> None:
    big = b'{"text": "' + b"x" * LIMITS.json_body_bytes + b'"}'
    answer = await client.post("/things", content=big,
                               headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and answer.json()["detail"].startswith("body:")
    fits = ('{"tags": ["' + '", "'.join(["x" * LIMITS.text_chars] * 16) + '"]}').encode()
    assert len(fits) <= LIMITS.json_body_bytes
    assert (await client.post("/things", content=fits,
                              headers={"Content-Type": "application/json"})).status_code == 200


async def test_a_false_content_length_is_a_400(client: httpx.AsyncClient) -> None:
    answer = await client.post("/things", content=b"{}",
                               headers={"Content-Type": "application/json",
                                        "Content-Length": "lots"})
    assert answer.status_code == 400


async def test_json_not_declared_json_is_a_415(client: httpx.AsyncClient) -> None:
    answer = await client.post("/things", content=b'{"text": "a"}',
                               headers={"Content-Type": "text/plain"})
    assert answer.status_code == 415 and answer.json()["field"] == "content-type"


def test_the_form_endpoint_has_its_own_limit() -> None:
    assert body_limit("/open311/v2/requests.json") == LIMITS.form_body_bytes
    assert body_limit("/cases") == LIMITS.json_body_bytes
    assert set(BODY_LIMITS) == {"/open311/v2/requests.json"}


def test_bodies_cannot_make_events_over_the_contracts_size() -> None:
    """A body (JSON escapes included) within its limit leaves room for the envelope."""
    assert max(LIMITS.json_body_bytes, *BODY_LIMITS.values()) * 2 <= LIMITS.event_bytes


def test_the_openapi_document_names_413_and_415() -> None:
    operation = app().openapi()["paths"]["/things"]["post"]
    assert {"413", "415"} <= set(operation["responses"])


REQUEST_MODULES = [f"{service}.entrypoints.schemas" for service in
                   ("referral", "complaint", "sharing", "assistance", "escalation")] + [
    "complaint.entrypoints.georeport_form"]


@pytest.mark.parametrize("module", REQUEST_MODULES)
def test_every_request_model_derives_from_the_shared_body(module: str) -> None:
    """A request model added later gets the limits too (and fails here if it does not)."""
    found = import_module(module)
    models = [cls for _, cls in getmembers(found, isclass)
              if issubclass(cls, BaseModel) and cls.__module__ == found.__name__]
    assert models, f"no request models in {module}"
    assert [m.__name__ for m in models if not issubclass(m, Body)] == []
