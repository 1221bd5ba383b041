"""Properties of a jurisdiction dispute under any sequence of calls, by parties and by
outsiders (DSP-1, DSP-2): one owner at most, a refused call changes nothing."""

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from escalation.domain.dispute import Decided, Dispute, Settled
from liandong_runtime.errors import NotAllowed, RuleViolation

TOWN = {"id": "town-hexi", "kind": "township", "name": "河西镇"}
DEPT = {"id": "dept-urban", "kind": "department", "name": "城管局"}
OTHER = {"id": "dept-water", "kind": "department", "name": "水务局"}
ORGS = st.sampled_from([TOWN, DEPT, OTHER])
ALLOWED = {("negotiating", "settled"), ("negotiating", "escalated"), ("escalated", "decided")}

calls = st.one_of(
    st.tuples(st.just("agree"), ORGS, ORGS),
    st.tuples(st.just("escalate"), st.sampled_from(["negotiation_limit_passed",
                                                    "party_requested"]), st.none() | ORGS),
    st.tuples(st.just("decide"), ORGS, st.sampled_from(["区政府决定〔2026〕1号", " "]),
              st.booleans()),
)


@pytest.mark.rule("DSP-2")
@given(st.lists(calls, max_size=10))
def test_a_dispute_ends_with_one_owner_and_refusals_change_nothing(sequence) -> None:
    d = Dispute("dsp-1", "M-URB-009", (DEPT, TOWN), "transfer_refused", "case-1", "不属本镇")
    for verb, *args in sequence:
        before = copy.deepcopy(d)
        try:
            getattr(d, verb)(*args)
        except (NotAllowed, RuleViolation):
            assert d == before, f"{verb}{args} was refused but changed the dispute"
            continue
        assert before.state == d.state or (before.state, d.state) in ALLOWED
    endings = [e for e in d.events if isinstance(e, Settled | Decided)]
    assert len(endings) <= 1
    assert (d.owner is not None) == (d.state in ("settled", "decided"))
    if d.state == "settled":
        assert d.owner in (DEPT, TOWN)
