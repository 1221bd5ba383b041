"""The sharing duty mapping, one test per mapping: each fails if its mapping is removed."""

import pytest

from escalation.service.duties import Close, Open, duties_for
from liandong_contracts import sharing_v1 as shr
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_contracts.samples import sample_of

MARKET = OrgRef(id="dept-market", kind=OrgKind.DEPARTMENT, name="示例区市场监督管理局")


@pytest.mark.rule("SHR-2")
def test_a_departments_request_owes_the_township_an_answer_which_ends_it() -> None:
    asked = sample_of(shr.InfoRequested)
    [opened] = duties_for(asked)
    assert isinstance(opened, Open) and (opened.deadline_id, opened.rule) == (
        f"request:{asked.info_id}", "SHR-2")
    assert opened.responsible["id"] == asked.township.id
    assert opened.started_at == asked.occurred_at
    answer = sample_of(shr.InfoPublished).model_copy(
        update={"info_id": asked.info_id, "requested_by": MARKET})
    assert duties_for(answer)[-1] == Close(f"request:{asked.info_id}", answer.occurred_at)
    plain = sample_of(shr.InfoPublished)
    assert not [a for a in duties_for(plain) if a.deadline_id.startswith("request:")]
