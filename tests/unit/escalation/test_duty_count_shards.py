"""Counting does not serialise writes: transactions of one process open at the same time
count the same rule and organisation in different counter documents; a shard is used again
once its transaction has ended (duty_counts._shard)."""

from dataclasses import dataclass

from escalation.adapters import duty_counts
from escalation.adapters.duty_counts import counted

KEY = ("open", "REF-4", "town-hexi")


@dataclass(eq=False)
class Session:
    in_transaction: bool = True


def test_open_transactions_take_different_shards_and_an_ended_ones_shard_is_reused() -> None:
    sessions = [Session() for _ in range(10)]
    shards = [duty_counts._shard(KEY, s) for s in sessions]
    assert len(set(shards)) == 10
    assert duty_counts._shard(KEY, sessions[3]) == shards[3]  # the same transaction again
    sessions[0].in_transaction = False
    assert duty_counts._shard(KEY, Session()) == shards[0]


def test_only_open_and_breached_undone_duties_are_counted() -> None:
    def doc(state: str, done: bool = False) -> dict[str, object]:
        return {"state": state, "rule": "REF-4", "responsible": {"id": "town-hexi"},
                "done_at": "x" if done else None}
    assert counted(doc("open")) == KEY
    assert counted(doc("breached")) == ("breached", "REF-4", "town-hexi")
    assert counted(doc("breached", done=True)) is None
    assert counted(doc("paused")) is None and counted(doc("done", True)) is None
    assert counted(None) is None
