"""Properties of a deadline whatever the order of its events (ESC-1, ESC-3): events arrive
out of order, twice, or late, and the watcher ticks at any moment."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from escalation.domain.deadline import Breached, Deadline, Warned

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
# done may still become breached: a tombstone learns its due time and was late (ESC-3)
ALLOWED = {("pending", "open"), ("pending", "done"), ("open", "done"), ("open", "breached"),
           ("done", "breached")}

minutes = st.integers(min_value=0, max_value=24 * 60).map(lambda m: T0 + timedelta(minutes=m))
calls = st.one_of(
    st.tuples(st.just("open"), minutes, st.integers(min_value=1, max_value=24 * 60)),
    st.tuples(st.just("extend"), minutes),
    st.tuples(st.just("complete"), minutes),
    st.tuples(st.just("tick"), minutes),
)
starts = st.sampled_from(["fresh", "done_first", "extended_first"])


def begin(start: str) -> Deadline:
    if start == "done_first":
        return Deadline.closed_before_opened("transfer:case-1", T0 + timedelta(hours=3))
    if start == "extended_first":
        return Deadline.extended_before_opened("transfer:case-1", T0 + timedelta(hours=5))
    return Deadline("transfer:case-1", "REF-4", "移送案件", {"id": "town-hexi"}, "case-1")


def apply(d: Deadline, call: tuple) -> None:
    if call[0] == "open":
        d.open(call[1], call[1] + timedelta(minutes=call[2]), warn_fraction=0.8)
    else:
        getattr(d, call[0])(call[1])


@pytest.mark.rule("ESC-1")
@given(starts, st.lists(calls, max_size=12))
def test_a_deadline_breaches_at_most_once_and_never_comes_back(start, sequence) -> None:
    d = begin(start)
    for call in sequence:
        before = d.state
        apply(d, call)
        assert before == d.state or (before, d.state) in ALLOWED, (before, call, d.state)
    breaches = [e for e in d.events if isinstance(e, Breached)]
    warnings = [e for e in d.events if isinstance(e, Warned)]
    assert len(breaches) <= 1 and len(warnings) <= 1
    assert all(b.late_by_seconds >= 0 for b in breaches)
    assert (d.state == "breached") == bool(breaches)
    if warnings and breaches:
        assert d.events.index(warnings[0]) < d.events.index(breaches[0])
    if d.state in ("done", "breached"):
        assert d.next_action_at is None
    event(f"ends {d.state}")


@pytest.mark.rule("ESC-3")
@given(st.lists(calls, max_size=12))
def test_a_duty_done_in_time_is_never_a_breach(sequence) -> None:
    d = begin("fresh")
    d.open(T0, T0 + timedelta(hours=10), warn_fraction=0.8)
    d.complete(T0 + timedelta(hours=9))
    for call in sequence:
        apply(d, call)
    assert d.state == "done" and not [e for e in d.events if isinstance(e, Breached)]


paused_calls = st.one_of(
    st.tuples(st.just("extend"), minutes),
    st.tuples(st.just("tick"), minutes.map(lambda m: m + timedelta(days=30))),
    st.tuples(st.just("pause"), minutes),
)


@pytest.mark.rule("ESC-3")
@given(st.integers(min_value=0, max_value=10 * 60 - 1), st.lists(paused_calls, max_size=12),
       st.integers(min_value=0, max_value=60 * 24 * 30))
def test_a_paused_duty_is_never_warned_or_breached_and_resumes_open(pause_minute, sequence,
                                                                    resume_after) -> None:
    d = begin("fresh")
    d.open(T0, T0 + timedelta(hours=10), warn_fraction=0.8)
    paused_at = T0 + timedelta(minutes=pause_minute)
    assert d.pause("dsp-1", paused_at) and d.state == "paused"
    for call in sequence:
        if call[0] == "pause":
            d.pause("dsp-2", call[1])  # another dispute never takes over a paused duty
        else:
            apply(d, call)
    assert d.state == "paused" and d.events == [] and d.paused_by == "dsp-1"
    resumed_at = paused_at + timedelta(minutes=resume_after)
    d.resume(resumed_at, resumed_at + timedelta(hours=1), {"id": "dept-urban"}, 0.8)
    assert d.state == "open" and d.responsible == {"id": "dept-urban"} and d.paused_by is None
    assert d.pauses[-1]["handed_to"] == {"id": "dept-urban"}
    assert d.next_action_at is not None and d.next_action_at >= resumed_at
