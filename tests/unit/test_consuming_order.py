"""A pull batch is handled concurrently, but one aggregate's messages one at a time, in the
order they were fetched (consuming.KeyedLocks, held around each message by Reliability)."""

import asyncio

from liandong_runtime.consuming import KeyedLocks


async def test_one_aggregates_messages_run_one_at_a_time_in_fetch_order_others_alongside() -> None:
    locks, log, running = KeyedLocks(), [], {"case-1": 0}
    most = {"case-1": 0, "all": 0}
    now = {"all": 0}

    async def handle(key: str, n: int, pause: float) -> None:
        async with locks.hold(key):
            now["all"] += 1
            most["all"] = max(most["all"], now["all"])
            if key == "case-1":
                running[key] += 1
                most[key] = max(most[key], running[key])
            await asyncio.sleep(pause)
            log.append((key, n))
            if key == "case-1":
                running[key] -= 1
            now["all"] -= 1

    # as FastStream starts a batch: every task at once, in the order fetched
    await asyncio.gather(handle("case-1", 1, 0.03), handle("case-2", 1, 0.01),
                         handle("case-1", 2, 0.0), handle("case-1", 3, 0.01))
    assert [n for key, n in log if key == "case-1"] == [1, 2, 3]
    assert most["case-1"] == 1  # never two of one aggregate at once
    assert most["all"] == 2  # another aggregate alongside
    assert log[0] == ("case-2", 1)
    assert not locks._locks and not locks._users  # nothing kept once all are done


async def test_a_message_without_an_aggregate_waits_for_nobody() -> None:
    locks, order = KeyedLocks(), []

    async def handle(n: int, pause: float) -> None:
        async with locks.hold(None):
            await asyncio.sleep(pause)
            order.append(n)
    await asyncio.gather(handle(1, 0.02), handle(2, 0.0))
    assert order == [2, 1]
