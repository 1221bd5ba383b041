"""Our NATS headers are CloudEvents 1.0 binary mode: the CloudEvents SDK reads them."""

import json
import re
from datetime import datetime

import pytest
from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from cloudevents.v1.http import from_http as legacy_from_http

from liandong_contracts.cloudevents import (
    CONTENT_TYPE,
    DEDUP_HEADER,
    dataschema_for,
    encode,
    from_message,
    to_headers,
)
from liandong_contracts.envelope import Event
from liandong_contracts.export import sample_path
from liandong_contracts.referral_v1 import FindingRecorded
from liandong_contracts.registry import ALL_EVENTS
from liandong_contracts.samples import sample_of

pytestmark = pytest.mark.unit

FINDING = sample_of(FindingRecorded)
CONTRACTS_ROOT = sample_path(ALL_EVENTS[0]).parent.parent
EXTENSIONS = ("correlationid", "causationid", "actorid", "actorkind", "schemaversion")


def sample_events() -> list[Event]:
    return [
        model.model_validate_json(sample_path(model).read_text(encoding="utf-8"))
        for model in ALL_EVENTS
    ]


def by_subject(event: Event) -> str:
    return event.subject()


@pytest.mark.parametrize("event", sample_events(), ids=by_subject)
def test_the_cloudevents_sdk_reads_the_same_attributes(event: Event) -> None:
    body, headers = encode(event)
    read = from_http_event(HTTPMessage(headers=headers, body=body))
    assert read.get_specversion() == "1.0"
    assert read.get_id() == str(event.event_id)
    assert read.get_source() == f"/liandong/{event.producer}"
    assert read.get_type() == event.subject()
    assert read.get_time() == event.occurred_at
    assert read.get_subject() == event.correlation_id
    assert read.get_dataschema() == f"schemas/{event.subject()}.json"
    assert read.get_datacontenttype() == CONTENT_TYPE
    assert read.get_extension("correlationid") == event.correlation_id
    assert read.get_extension("actorid") == event.actor.id
    assert read.get_extension("actorkind") == event.actor.kind.value
    assert read.get_extension("schemaversion") == str(event.version())
    causation = read.get_extension("causationid")
    assert causation == (str(event.causation_id) if event.causation_id else None)
    assert read.get_data() == json.loads(body)


@pytest.mark.parametrize("event", sample_events(), ids=by_subject)
def test_the_legacy_sdk_api_reads_them_too(event: Event) -> None:
    body, headers = encode(event)
    read = legacy_from_http(headers, body)
    assert (read["id"], read["source"], read["type"]) == (
        str(event.event_id),
        f"/liandong/{event.producer}",
        event.subject(),
    )
    assert datetime.fromisoformat(read["time"]) == event.occurred_at
    assert read.get("correlationid") == event.correlation_id


@pytest.mark.parametrize("event", sample_events(), ids=by_subject)
def test_from_message_inverts_encode(event: Event) -> None:
    body, headers = encode(event)
    assert from_message(headers, body) == event


@pytest.mark.parametrize("event", sample_events(), ids=by_subject)
def test_the_dedup_id_is_the_event_id(event: Event) -> None:
    assert to_headers(event)[DEDUP_HEADER] == str(event.event_id)


@pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda m: m.subject())
def test_the_dataschema_points_at_the_committed_schema_file(model: type[Event]) -> None:
    assert (CONTRACTS_ROOT / dataschema_for(model)).is_file()


def test_extension_names_are_lowercase_alphanumeric_and_short() -> None:
    for name in EXTENSIONS:
        assert re.fullmatch(r"[a-z0-9]{1,20}", name)


def test_a_correlation_id_outside_printable_ascii_is_percent_encoded_and_restored() -> None:
    event = FINDING.model_copy(update={"correlation_id": '河西 AJ/2026 "50%"'})
    body, headers = encode(event)
    assert re.fullmatch(r"[!#-~]+", headers["ce-subject"])
    assert from_http_event(HTTPMessage(headers, body)).get_subject() == event.correlation_id
    assert from_message(headers, body).correlation_id == event.correlation_id


def test_header_names_are_read_case_insensitively() -> None:
    body, headers = encode(FINDING)
    shouting = {name.upper(): value for name, value in headers.items()}
    assert from_message(shouting, body) == FINDING


def test_a_body_without_headers_is_read_by_its_type_and_version() -> None:
    body, _ = encode(FINDING)
    assert from_message(None, body) == FINDING
    assert from_message({}, body) == FINDING
