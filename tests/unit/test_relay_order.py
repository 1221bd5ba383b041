"""The relay sends many events at once, but never two of one aggregate: each aggregate's
events reach the stream in commit order even if a publish fails half-way."""

from liandong_runtime.relay import first_of_each_aggregate


def doc(event_id: str, aggregate: str) -> dict[str, object]:
    return {"_id": event_id, "headers": {"ce-subject": aggregate}}


def test_only_the_oldest_pending_event_of_each_aggregate_goes_out_in_a_batch() -> None:
    batch = [doc("e1", "case-a"), doc("e2", "case-b"), doc("e3", "case-a"), doc("e4", "case-c"),
             doc("e5", "case-b")]
    assert [d["_id"] for d in first_of_each_aggregate(batch)] == ["e1", "e2", "e4"]


def test_events_without_a_subject_are_their_own_aggregate() -> None:
    batch = [{"_id": "e1", "headers": {}}, {"_id": "e2", "headers": {}}]
    assert [d["_id"] for d in first_of_each_aggregate(batch)] == ["e1", "e2"]
