"""The audit chain's hashes and its verifier, on entries held in memory; taking turns."""

import hashlib
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar, Literal

from liandong_contracts.envelope import Event, Producer
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_runtime.audit import (
    GENESIS,
    ChainWalk,
    Verdict,
    canonical,
    chained,
    describe,
    entry_hash,
)

AT = datetime(2026, 11, 27, 10, 0, 0, 123456, tzinfo=UTC)
HEXI = OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇")


class Noted(Event):
    producer: ClassVar[Producer] = "referral"
    type: Literal["Noted"] = "Noted"
    schema_version: Literal[1] = 1


def noted(case: str = "case-1", person: str | None = "p-7", **more: Any) -> Noted:
    return Noted(occurred_at=AT, actor=HEXI, acting_person=person, correlation_id=case, **more)


def chain(length: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """`length` entries as the writer chains them, and the head that ends them."""
    entries, prev = [], GENESIS
    for seq in range(1, length + 1):
        entry = chained(describe([noted(f"case-{seq}")], None, AT), seq, prev)
        entries.append(entry)
        prev = entry["hash"]
    return entries, {"_id": "head", "seq": length, "hash": prev}


def walk(entries: list[dict[str, Any]], head: dict[str, Any] | None) -> Verdict:
    checker = ChainWalk()
    for entry in entries:
        if not checker.feed(entry):
            break
    return checker.verdict(head)


def test_canonical_json_sorts_keys_and_writes_times_in_utc_with_milliseconds() -> None:
    beijing = timezone(timedelta(hours=8))
    at = datetime(2026, 11, 27, 18, 0, 0, 123999, tzinfo=beijing)
    assert canonical({"b": 1, "a": at, "c": "联动"}) == (
        '{"a":"2026-11-27T10:00:00.123+00:00","b":1,"c":"联动"}'.encode())


def test_a_naive_time_read_back_from_bson_counts_as_utc() -> None:
    assert canonical(AT.replace(tzinfo=None)) == canonical(AT)


def test_the_hash_is_sha256_of_the_canonical_entry_without_id_and_hash() -> None:
    entry = chained({"at": AT, "what": []}, 1, GENESIS)
    body = canonical({"at": AT, "what": [], "seq": 1, "prev_hash": GENESIS})
    assert entry["hash"] == hashlib.sha256(body).hexdigest() == entry_hash(entry)
    assert entry["_id"] == entry["seq"] == 1


def test_the_hash_covers_the_previous_hash() -> None:
    assert chained({"at": AT}, 2, "a" * 64)["hash"] != chained({"at": AT}, 2, "b" * 64)["hash"]


def test_who_what_and_why_come_from_the_emitted_events() -> None:
    cause = uuid.uuid4()
    first, second = noted(causation_id=cause), noted()
    entry = describe([first, second], None, AT)
    assert entry["who"] == {"actors": [{"org": "town-hexi", "kind": "township",
                                        "person": "p-7"}], "consumer": None,
                           "requested_by": None}
    assert [e["event_id"] for e in entry["what"]] == [str(first.event_id), str(second.event_id)]
    assert entry["what"][0]["subject"] == "liandong.referral.noted.v1"
    assert entry["correlation_ids"] == ["case-1"]
    assert entry["cause"] == {"consumed_event_id": None, "causation_ids": [str(cause)]}
    assert entry["at"] == AT.replace(microsecond=123000)


def test_a_consumer_that_emits_nothing_is_named_with_the_event_it_applied() -> None:
    entry = describe([], ("escalation-referral", "e-1"), AT)
    assert entry["who"] == {"actors": [], "consumer": "escalation-referral",
                            "requested_by": None}
    assert entry["what"] == [] and entry["cause"]["consumed_event_id"] == "e-1"


def test_an_intact_chain_verifies_and_names_its_head() -> None:
    entries, head = chain(5)
    assert str(walk(entries, head)) == f"ok: 5 entries, head {head['hash']}"


def test_an_empty_log_without_a_head_is_intact() -> None:
    assert walk([], None) == Verdict(0, GENESIS)


def test_an_edited_entry_is_reported_by_its_seq() -> None:
    entries, head = chain(5)
    entries[2]["who"]["actors"][0]["org"] = "dept-urban"
    verdict = walk(entries, head)
    assert (verdict.broken_seq, verdict.entries) == (3, 2)
    assert "hash mismatch" in str(verdict)


def test_an_edited_entry_with_its_hash_recomputed_breaks_the_next_link() -> None:
    entries, head = chain(5)
    entries[2]["correlation_ids"] = ["case-forged"]
    entries[2]["hash"] = entry_hash(entries[2])
    verdict = walk(entries, head)
    assert verdict.broken_seq == 4 and "prev_hash" in str(verdict)


def test_a_deleted_entry_leaves_a_gap_that_is_reported() -> None:
    entries, head = chain(5)
    del entries[1]
    verdict = walk(entries, head)
    assert verdict.broken_seq == 2 and "seq 2 is missing" in str(verdict)


def test_a_deleted_first_entry_is_reported() -> None:
    entries, head = chain(3)
    assert walk(entries[1:], head).broken_seq == 1


def test_a_cut_off_tail_disagrees_with_the_head() -> None:
    entries, head = chain(5)
    verdict = walk(entries[:3], head)
    assert verdict.broken_seq == 4 and "truncated" in str(verdict)


def test_a_head_whose_hash_differs_from_the_last_entry_is_reported() -> None:
    entries, head = chain(3)
    verdict = walk(entries, {**head, "hash": "f" * 64})
    assert verdict.broken_seq == 3 and "head's hash" in str(verdict)


def test_a_deleted_head_is_reported() -> None:
    entries, _ = chain(2)
    assert walk(entries, None).broken_seq == 3


def test_an_entry_renumbered_in_place_is_reported() -> None:
    entries, head = chain(3)
    entries[1]["seq"] = 7
    assert walk(entries, head).broken_seq == 2


def test_a_value_no_writer_stores_is_a_mismatch_not_a_crash() -> None:
    entries, head = chain(3)
    entries[0]["what"] = b"\x00"
    assert walk(entries, head).broken_seq == 1
