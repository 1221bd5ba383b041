"""CMP-8 in the domain: text shared with other bodies carries no personal data."""

import uuid

import pytest

from complaint.domain.complaint import Complaint, Intake
from complaint.domain.errors import RuleViolation
from complaint.domain.personal import Complainant, redact
from tests.unit.complaint.conftest import NOW, PERSON, received

pytestmark = pytest.mark.rule("CMP-8")


@pytest.mark.parametrize("summary", [
    "欧阳明月反映道路被占用",  # the complainant's name
    "回电 139 1234 5678",  # a mobile number
    "身份证11010519491231002X",  # an ID number
    "请回复 someone@example.cn",  # an e-mail address
    "住河西镇幸福路8号，楼下摆摊",  # the complainant's address
])
def test_a_summary_with_personal_data_is_refused(org, summary: str) -> None:
    intake = Intake("visit", NOW, NOW, summary)
    with pytest.raises(RuleViolation) as err:
        Complaint.receive("cmp-1", "TS-1", org("town-hexi"), uuid.uuid4(), intake, PERSON)
    assert (err.value.rule, err.value.field) == ("CMP-8", "summary")


def test_findings_and_results_with_contact_data_are_refused(org) -> None:
    complaint, town = received(org), org("town-hexi")
    with pytest.raises(RuleViolation) as err:
        complaint.verify(town, "no_violation", "已电话联系13912345678", None, None, town)
    assert (err.value.rule, err.value.field) == ("CMP-8", "findings")
    complaint.verify(town, "no_violation", "已电话联系举报人", None, None, town)
    with pytest.raises(RuleViolation) as err:
        complaint.answer(town, "结果已发至 a.b@example.cn", None, town)
    assert err.value.field == "result" and not complaint.answered


def test_the_complaint_holds_only_a_random_reference(org) -> None:
    complaint = received(org)
    held = repr({k: v for k, v in vars(complaint).items() if k != "events"})
    for value in PERSON.identifying_values():
        assert value not in held
    assert isinstance(complaint.complainant_ref, uuid.UUID)


def test_redaction_masks_a_citizens_own_contact_data_and_keeps_the_rest() -> None:
    person = Complainant(name="张小凡", phone="0351-6660001")
    text = redact("我是张小凡，电话0351-6660001或13812345678，邮箱x@y.cn，东关路占道", person)
    assert text == "我是＊＊＊，电话＊＊＊或＊＊＊，邮箱＊＊＊，东关路占道"
