"""What must happen once and only after the commit (a breach's log line and counter) runs
once however often the transaction is attempted, and never for one that fails."""

import uuid
from collections.abc import AsyncIterator
from functools import partial

import pytest
from pymongo.errors import OperationFailure

from liandong_runtime.settings import MongoSettings
from liandong_runtime.storage import ConcurrentUpdate, Store, Tx, connect

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(mongo_url: str) -> AsyncIterator[Store]:
    client = connect(MongoSettings(url=mongo_url))
    yield Store(client, f"liandong_after_{uuid.uuid4().hex[:8]}")
    await client.close()


def write_conflict() -> OperationFailure:
    """What the server answers when another transaction wrote the document first."""
    return OperationFailure("write conflict", code=112, details={
        "codeName": "WriteConflict", "errorLabels": ["TransientTransactionError"]})


@pytest.mark.parametrize("conflict", [ConcurrentUpdate("v"), write_conflict()],
                         ids=["version moved on", "server write conflict"])
async def test_an_effect_runs_once_after_the_commit_of_a_retried_transaction(
        store: Store, conflict: Exception) -> None:
    attempts, effects = [], []

    async def work(tx: Tx) -> None:
        attempt = len(attempts) + 1
        attempts.append(attempt)
        await tx.db.things.update_one({"_id": 1}, {"$inc": {"n": 1}}, upsert=True,
                                      session=tx.session)
        tx.after_commit(partial(effects.append, attempt))
        if attempt < 3:
            raise conflict

    await store.transaction(work)
    assert attempts == [1, 2, 3] and effects == [3]
    assert (await store.db.things.find_one({"_id": 1}))["n"] == 1


async def test_no_effect_for_a_transaction_that_fails(store: Store) -> None:
    effects: list[str] = []

    async def work(tx: Tx) -> None:
        tx.after_commit(lambda: effects.append("ran"))
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        await store.transaction(work)
    assert effects == []


async def test_a_failing_effect_does_not_undo_or_fail_the_change(store: Store) -> None:
    async def work(tx: Tx) -> str:
        await tx.db.things.insert_one({"_id": "kept"}, session=tx.session)
        tx.after_commit(lambda: 1 / 0)
        return "done"

    assert await store.transaction(work) == "done"
    assert await store.db.things.find_one({"_id": "kept"}) is not None
