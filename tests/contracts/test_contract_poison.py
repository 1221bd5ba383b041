"""A message that breaks its contract raises ContractViolation naming what is wrong."""

import json
from datetime import UTC

import pytest

from liandong_contracts.cloudevents import MAX_EVENT_BYTES, ContractViolation, encode, from_message
from liandong_contracts.common import Attachment
from liandong_contracts.referral_v1 import FindingRecorded
from liandong_contracts.samples import sample_of
from liandong_contracts.sharing_v1 import InfoPublished

pytestmark = pytest.mark.unit

EVENT = sample_of(FindingRecorded)
BODY, HEADERS = encode(EVENT)


def data() -> dict:
    return json.loads(BODY)


def body_of(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def violation(headers: dict | None, body: bytes) -> ContractViolation:
    with pytest.raises(ContractViolation) as caught:
        from_message(headers, body)
    return caught.value


def test_a_contract_violation_is_a_value_error() -> None:
    assert issubclass(ContractViolation, ValueError)


def test_a_body_over_256_kib_is_too_large() -> None:
    error = violation(HEADERS, BODY + b" " * MAX_EVENT_BYTES)
    assert error.code == "too_large"
    assert str(MAX_EVENT_BYTES) in error.reason


def test_an_event_too_large_to_publish_is_refused_before_it_leaves() -> None:
    many = tuple(
        Attachment(title=f"附件{n}", uri=f"https://files.example.gov.cn/a/{n}.pdf")
        for n in range(5000)
    )
    event = sample_of(InfoPublished).model_copy(update={"attachments": many})
    with pytest.raises(ContractViolation, match="over the limit") as caught:
        encode(event)
    assert caught.value.code == "too_large"


def test_a_body_that_is_not_utf8_is_refused() -> None:
    error = violation(HEADERS, b'{"type": "\xff\xfe"}')
    assert (error.code, "UTF-8" in error.reason) == ("not_utf8", True)


def test_a_body_that_is_not_json_is_refused() -> None:
    error = violation(HEADERS, b'{"event_id": ')
    assert (error.code, "not valid JSON" in error.reason) == ("not_json", True)


def test_a_json_value_that_is_not_an_object_is_refused() -> None:
    error = violation(HEADERS, b"[1, 2, 3]")
    assert (error.code, "not an object" in error.reason) == ("not_json", True)


def test_json_nested_too_deeply_is_refused() -> None:
    error = violation(HEADERS, b"[" * 100_000 + b"]" * 100_000)
    assert (error.code, "nested too deeply" in error.reason) == ("not_json", True)


def test_an_unknown_ce_type_is_refused() -> None:
    error = violation({**HEADERS, "ce-type": "liandong.referral.case_lost.v1"}, BODY)
    assert error.code == "unknown_type"
    assert "liandong.referral.case_lost.v1" in error.reason


def test_an_unknown_body_type_without_headers_is_refused() -> None:
    error = violation(None, body_of({**data(), "type": "CaseLost"}))
    assert (error.code, "CaseLost" in error.reason) == ("unknown_type", True)


def test_a_body_without_type_or_headers_is_refused() -> None:
    error = violation(None, body_of({k: v for k, v in data().items() if k != "type"}))
    assert (error.code, "no type" in error.reason) == ("unknown_type", True)


def test_an_unknown_schema_version_in_ce_type_is_refused() -> None:
    error = violation({**HEADERS, "ce-type": "liandong.referral.finding_recorded.v2"}, BODY)
    assert error.code == "wrong_version"
    assert "liandong.referral.finding_recorded.v1" in error.reason


def test_a_body_schema_version_the_subject_does_not_carry_is_refused() -> None:
    error = violation(HEADERS, body_of({**data(), "schema_version": 2}))
    assert (error.code, "schema_version" in error.reason) == ("wrong_version", True)


def test_an_unknown_body_schema_version_without_headers_is_refused() -> None:
    error = violation(None, body_of({**data(), "schema_version": 9}))
    assert (error.code, "known: v1" in error.reason) == ("wrong_version", True)


def test_a_ce_schemaversion_that_disagrees_is_refused() -> None:
    error = violation({**HEADERS, "ce-schemaversion": "2"}, BODY)
    assert error.code == "wrong_version"


def test_a_missing_field_is_named() -> None:
    error = violation(HEADERS, body_of({k: v for k, v in data().items() if k != "owner"}))
    assert error.code == "invalid_fields"
    assert "owner: Field required" in error.reason


def test_an_invalid_field_is_named() -> None:
    broken = {**data(), "actor": {**data()["actor"], "kind": "committee"}}
    error = violation(HEADERS, body_of(broken))
    assert error.code == "invalid_fields"
    assert "actor.kind" in error.reason


def test_a_ce_id_that_disagrees_with_the_event_id_is_refused() -> None:
    error = violation({**HEADERS, "ce-id": "00000000-0000-4000-8000-000000000000"}, BODY)
    assert error.code == "header_mismatch"
    assert "ce-id '00000000-0000-4000-8000-000000000000' disagrees" in error.reason
    assert str(EVENT.event_id) in error.reason


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("ce-source", "/liandong/complaint"),
        ("ce-time", "2026-03-09T10:00:01+08:00"),
        ("ce-subject", "AJ-2026-9999"),
        ("ce-correlationid", "AJ-2026-9999"),
        ("ce-actorid", "dept-market"),
        ("ce-actorkind", "department"),
        ("ce-causationid", "00000000-0000-4000-8000-000000000000"),
        ("ce-dataschema", "schemas/elsewhere.json"),
    ],
)
def test_a_header_that_disagrees_with_the_body_is_refused(header: str, value: str) -> None:
    error = violation({**HEADERS, header: value}, BODY)
    assert error.code == "header_mismatch"
    assert header in error.reason


def test_the_same_instant_in_another_offset_agrees() -> None:
    utc = EVENT.occurred_at.astimezone(UTC).isoformat()
    assert from_message({**HEADERS, "ce-time": utc}, BODY) == EVENT


def test_a_ce_type_that_disagrees_with_the_body_type_is_refused() -> None:
    error = violation({**HEADERS, "ce-type": "liandong.referral.case_closed.v1"}, BODY)
    assert (error.code, "FindingRecorded" in error.reason) == ("header_mismatch", True)


def test_another_cloudevents_spec_version_is_refused() -> None:
    error = violation({**HEADERS, "ce-specversion": "0.3"}, BODY)
    assert (error.code, "ce-specversion" in error.reason) == ("invalid_headers", True)


def test_a_content_type_other_than_json_is_refused() -> None:
    error = violation({**HEADERS, "content-type": "application/xml"}, BODY)
    assert (error.code, "content-type" in error.reason) == ("invalid_headers", True)
