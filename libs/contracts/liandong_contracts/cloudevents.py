"""The envelope as a CloudEvents 1.0 message in binary content mode, over NATS.

Attributes travel as `ce-` headers (the NATS binding uses the HTTP binding's header
names and percent-encoding), the body is the event JSON with `content-type:
application/json`, and `Nats-Msg-Id` carries the event id for JetStream deduplication.
Extensions: correlationid, causationid (if any), actorid, actorkind, schemaversion.
"""

from collections.abc import Mapping
from urllib.parse import quote, unquote

from pydantic import ValidationError

from liandong_contracts import checks
from liandong_contracts.checks import CONTENT_TYPE, MAX_EVENT_BYTES, SPEC_VERSION
from liandong_contracts.envelope import SUBJECT_PREFIX, Event, Producer
from liandong_contracts.errors import ContractViolation

__all__ = [
    "CONTENT_TYPE",
    "DEDUP_HEADER",
    "MAX_EVENT_BYTES",
    "SPEC_VERSION",
    "ContractViolation",
    "attributes",
    "dataschema_for",
    "encode",
    "from_message",
    "source_for",
    "to_headers",
]

DEDUP_HEADER = "Nats-Msg-Id"
# HTTP binding 3.1.3.2: printable ASCII except space, double quote and percent goes as is.
_SAFE = "".join(c for c in map(chr, range(0x21, 0x7F)) if c not in ' "%')


def source_for(producer: Producer) -> str:
    return f"/{SUBJECT_PREFIX}/{producer}"


def dataschema_for(model: type[Event]) -> str:
    """The committed JSON Schema of `model`, relative to `libs/contracts`."""
    return f"schemas/{model.subject()}.json"


def attributes(event: Event) -> dict[str, str]:
    """The CloudEvents attributes of `event`, unencoded, by attribute name."""
    model = type(event)
    found = {
        "id": str(event.event_id),
        "source": source_for(model.producer),
        "type": model.subject(),
        "specversion": SPEC_VERSION,
        "time": event.model_dump(mode="json", include={"occurred_at"})["occurred_at"],
        "subject": event.correlation_id,
        "dataschema": dataschema_for(model),
        "correlationid": event.correlation_id,
        "actorid": event.actor.id,
        "actorkind": event.actor.kind.value,
        "schemaversion": str(model.version()),
    }
    if event.causation_id is not None:
        found["causationid"] = str(event.causation_id)
    return found


def to_headers(event: Event) -> dict[str, str]:
    """The NATS headers of `event`: `ce-` attributes, content-type and `Nats-Msg-Id`."""
    ce = {f"ce-{name}": quote(value, safe=_SAFE) for name, value in attributes(event).items()}
    return {**ce, "content-type": CONTENT_TYPE, DEDUP_HEADER: str(event.event_id)}


def encode(event: Event) -> tuple[bytes, dict[str, str]]:
    """The body and headers to publish `event` with."""
    body = event.model_dump_json().encode()
    checks.check_size(body)
    return body, to_headers(event)


def from_message(headers: Mapping[str, str] | None, body: bytes) -> Event:
    """The event in a message; ContractViolation says why a message is not one.

    The model is chosen by ce-type, or without it by the body's type and schema_version;
    every known `ce-` header present must agree with the body.
    """
    checks.check_size(body)
    lowered = {name.lower(): value for name, value in (headers or {}).items()}
    ce = {name[3:]: unquote(value) for name, value in lowered.items() if name[:3] == "ce-"}
    checks.check_transport(ce, lowered.get("content-type"))
    text, data = checks.parse(body)
    model = checks.model_for(ce, data)
    try:
        event = model.model_validate_json(text)
    except ValidationError as error:
        raise ContractViolation(
            f"{model.subject()}: {checks.describe(error)}",
            code="invalid_fields",
        ) from None
    checks.check_agreement(ce, attributes(event))
    return event
