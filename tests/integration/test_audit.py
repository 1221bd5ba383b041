"""The audit log on the session's database: every committed transaction is one entry of a
hash chain, and an edited, deleted or cut-off entry is found by the verifier and the CLI."""

import asyncio
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Literal

import httpx
import pytest
from pymongo import AsyncMongoClient

from liandong_contracts.envelope import Event, Producer
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_runtime import audit
from liandong_runtime.audit_seal import seal, seal_all
from liandong_runtime.settings import MongoSettings, NatsSettings
from liandong_runtime.storage import AlreadyProcessed, Store, Tx, connect
from referral.bootstrap import ReferralSettings
from referral.bootstrap import build_app as build_referral
from tests.support import acting

HEXI = OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇")
TOWN = acting("town-hexi", "p-0042")
# a matter no other test moves to the township by a catalogue correction
FINDING = {"matter_code": "M-ENV-005", "locality": "town-hexi", "summary": "无证排污",
           "found_at": "2026-11-27T10:00:00+08:00"}
MATERIALS = {"materials": {"transfer_letter": "https://files.example/letter.pdf",
                           "case_source": ["https://files.example/record.pdf"],
                           "preliminary_evidence": ["https://files.example/photo.jpg"]}}


class Noted(Event):
    producer: ClassVar[Producer] = "referral"
    type: Literal["Noted"] = "Noted"
    schema_version: Literal[1] = 1


@pytest.fixture
async def client(mongo_url: str) -> AsyncIterator[AsyncMongoClient[dict[str, Any]]]:
    mongo = connect(MongoSettings(url=mongo_url))
    yield mongo
    await mongo.close()


def fresh_store(client: AsyncMongoClient[dict[str, Any]]) -> Store:
    return Store(client, f"liandong_audit_{uuid.uuid4().hex[:8]}")


async def note(store: Store, case: str, *, emit: bool = True,
               consumed: tuple[str, str] | None = None) -> str | None:
    """One state change in the services' way: a document written, perhaps an event emitted."""
    event = Noted(occurred_at=datetime.now(UTC), actor=HEXI, acting_person="p-7",
                  correlation_id=case)

    async def work(tx: Tx) -> None:
        await tx.db.notes.update_one({"_id": case}, {"$inc": {"n": 1}}, upsert=True,
                                     session=tx.session)
        if emit:
            tx.emit(event)

    await store.transaction(work, consumed=consumed)
    return str(event.event_id) if emit else None


async def entries(store: Store) -> list[dict[str, Any]]:
    """The chain, once the sealer has chained all that was committed."""
    await seal_all(store.db)
    return await store.db[audit.ENTRIES].find().sort("_id", 1).to_list()


async def cli(*args: str) -> tuple[int, str]:
    """`liandong-audit` as an operator runs it, in its own process."""
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "liandong-audit"), *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode or 0, out.decode()


async def test_every_committed_transaction_is_one_chained_entry(client) -> None:
    store = fresh_store(client)
    emitted = await note(store, "case-a")
    await note(store, "case-a", emit=False, consumed=("referral-corrections", "e-1"))
    with pytest.raises(AlreadyProcessed):  # a redelivery changes nothing, so no entry
        await note(store, "case-a", consumed=("referral-corrections", "e-1"))

    async def refused(tx: Tx) -> None:
        tx.emit(Noted(occurred_at=datetime.now(UTC), actor=HEXI, correlation_id="case-b"))
        raise ValueError("refused by a rule")

    with pytest.raises(ValueError, match="refused"):  # rolled back with its entry
        await store.transaction(refused)

    first, second = await entries(store)
    assert (first["seq"], first["prev_hash"], second["prev_hash"]) == (1, audit.GENESIS,
                                                                       first["hash"])
    assert first["who"]["actors"] == [{"org": "town-hexi", "kind": "township", "person": "p-7"}]
    assert [e["event_id"] for e in first["what"]] == [emitted]
    assert first["correlation_ids"] == ["case-a"]
    assert second["who"] == {"actors": [], "consumer": "referral-corrections",
                             "requested_by": None}
    assert second["cause"]["consumed_event_id"] == "e-1"
    assert str(await audit.verify(store.db)) == f"ok: 2 entries, head {second['hash']}"


@pytest.fixture
async def referral(nats_url: str, mongo_url: str) -> AsyncIterator[tuple[httpx.AsyncClient,
                                                                          str]]:
    database = f"liandong_audit_ref_{uuid.uuid4().hex[:8]}"
    app = build_referral(ReferralSettings(
        nats=NatsSettings(url=nats_url), outbox_poll_s=0.05,
        mongodb=MongoSettings(url=mongo_url, database=database)))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield http, database


async def test_a_finding_and_its_transfer_are_audited_and_tampering_is_found(
    referral, client, mongo_url: str,
) -> None:
    http, database = referral
    # a township records a finding and transfers it to the owner, over HTTP
    answer = await http.post("/cases", json=FINDING, headers=TOWN)
    assert answer.status_code == 201, answer.text
    case_id = answer.json()["case_id"]
    answer = await http.post(f"/cases/{case_id}/transfer", json=MATERIALS, headers=TOWN)
    assert answer.status_code == 202, answer.text
    db = client[database]
    await seal_all(db)
    found, transferred = await db[audit.ENTRIES].find(
        {"correlation_ids": case_id}).sort("_id", 1).to_list()
    assert [e["type"] for e in found["what"]] == ["FindingRecorded"]
    assert "CaseTransferred" in [e["type"] for e in transferred["what"]]
    assert [(a["org"], a["person"]) for a in transferred["who"]["actors"]] == [
        ("town-hexi", "p-0042")]
    target = ("--mongodb-url", mongo_url, "--database", database)
    code, out = await cli("verify", *target)
    assert (code, out.startswith("ok: ")) == (0, True), out

    # someone rewrites who made the transfer, straight in the database
    await db[audit.ENTRIES].update_one({"_id": transferred["seq"]},
                                       {"$set": {"who.actors.0.org": "dept-urban"}})
    verdict = await audit.verify(db)
    assert verdict.broken_seq == transferred["seq"] and "hash mismatch" in str(verdict)
    code, out = await cli("verify", *target)
    assert code == 1 and f"broken at seq {transferred['seq']}: hash mismatch" in out, out

    # put back, it verifies again; then someone deletes the finding's entry
    await db[audit.ENTRIES].replace_one({"_id": transferred["seq"]}, transferred)
    assert (await audit.verify(db)).ok
    await db[audit.ENTRIES].delete_one({"_id": found["seq"]})
    verdict = await audit.verify(db)
    assert verdict.broken_seq == found["seq"] and "missing" in str(verdict)
    code, out = await cli("verify", *target)
    assert code == 1 and f"broken at seq {found['seq']}: seq {found['seq']} is missing" in out


async def test_a_cut_off_tail_is_found_and_show_lists_the_last_entries(client,
                                                                      mongo_url) -> None:
    store = fresh_store(client)
    for case in ("case-1", "case-2", "case-3"):
        await note(store, case)
    await seal_all(store.db)
    code, out = await cli("show", "--last", "2", "--mongodb-url", mongo_url,
                          "--database", store.db.name)
    assert code == 0 and len(out.splitlines()) == 2, out
    assert "who=town-hexi/p-7" in out and "on=case-3" in out, out
    await store.db[audit.ENTRIES].delete_one({"_id": 3})
    verdict = await audit.verify(store.db)
    assert verdict.broken_seq == 3 and "truncated" in str(verdict)


async def test_concurrent_transactions_of_two_replicas_make_one_chain_without_gaps(
    client, mongo_url: str,
) -> None:
    store = fresh_store(client)
    other = connect(MongoSettings(url=mongo_url))  # a second replica: its own client
    replicas = (store, Store(other, store.db.name))
    try:
        ids = await asyncio.gather(*(many(replicas[task % 2], 25, f"case-{task}")
                                     for task in range(4)))
    finally:
        await other.close()
    chain = await entries(store)
    assert [e["seq"] for e in chain] == list(range(1, 101))
    audited = sorted(w["event_id"] for e in chain for w in e["what"])
    assert audited == sorted(i for task in ids for i in task)  # each one once
    assert str(await audit.verify(store.db)).startswith("ok: 100 entries")


async def many(store: Store, count: int, case: str) -> list[str]:
    return [str(await note(store, case)) for _ in range(count)]


async def test_two_sealers_at_once_make_one_chain_without_gaps_or_repeats(client,
                                                                         mongo_url) -> None:
    """Each replica runs a sealer: they conflict on the head, and one line comes out."""
    store = fresh_store(client)
    other = connect(MongoSettings(url=mongo_url))
    try:
        ids = await many(store, 60, "case-s")
        sealed = await asyncio.gather(*(seal(db, batch=7) for db in
                                        (store.db, other[store.db.name]) for _ in range(4)))
        sealed_rest = await seal_all(store.db)
    finally:
        await other.close()
    assert sum(sealed) + sealed_rest == 60
    chain = await entries(store)
    assert [e["seq"] for e in chain] == list(range(1, 61))
    assert [w["event_id"] for e in chain for w in e["what"]] == ids  # committed order
    assert await store.db[audit.JOURNAL].count_documents({}) == 0


async def test_entries_wait_in_the_journal_until_sealed_and_verify_says_so(client) -> None:
    store = fresh_store(client)
    await note(store, "case-j")
    verdict = await audit.verify(store.db)
    assert (verdict.ok, verdict.entries, verdict.unsealed) == (True, 0, 1)
    assert str(verdict).endswith("; 1 awaiting the sealer")
    assert await seal(store.db) == 1
    assert str(await audit.verify(store.db)).startswith("ok: 1 entries")
