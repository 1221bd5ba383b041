"""SHR-2 (7), CMP-8: complaint handling is shared from structured facts, never free text."""

import pytest

from liandong_contracts import complaint_v1 as cmp
from liandong_contracts.samples import complaint
from sharing.adapters.complaint_facts import FED, facts_of
from sharing.domain import complaint_digest as digest

NAME, PHONE, ID_NO = "欧阳锦绣", "13912345678", "11010519491231002X"
PRIVATE = f"{NAME}（电话 {PHONE}，身份证 {ID_NO}）"
FREE_TEXT = ("summary", "findings", "result", "reason")


def leaky(event: cmp.ComplaintEvent) -> cmp.ComplaintEvent:
    """The sample event with personal data in every free-text field it has."""
    update = {name: PRIVATE for name in FREE_TEXT if name in type(event).model_fields}
    return event.model_copy(update=update)


SAMPLES = {type(e): leaky(e) for e in complaint() if type(e) in FED}


@pytest.mark.rule("CMP-8")
@pytest.mark.rule("SHR-2")
@pytest.mark.parametrize("model", FED, ids=lambda m: m.event_name())
def test_no_free_text_of_a_complaint_reaches_the_shared_item(model) -> None:
    facts = facts_of(SAMPLES[model])
    text = digest.title(facts) + digest.summary(facts) + repr(facts)
    for private in (NAME, PHONE, ID_NO):
        assert private not in text
    assert SAMPLES[model].complaint_id in text


@pytest.mark.rule("SHR-2")
def test_a_received_complaint_is_told_by_reference_channel_matter_and_receiver() -> None:
    facts = facts_of(SAMPLES[cmp.ComplaintReceived])
    assert digest.title(facts) == "投诉举报受理 12345-0309-117"
    summary = digest.summary(facts)
    for fact in ("示例市生态环境局示例分局", "2026-03-09 14:05", "12345政务服务便民热线",
                 "M-ENV-003", "河西镇人民政府"):
        assert fact in summary


@pytest.mark.rule("SHR-2")
def test_each_step_says_who_did_what() -> None:
    said = {m.event_name(): digest.summary(facts_of(SAMPLES[m])) for m in FED}
    assert "转送河西镇人民政府" in said["ComplaintForwarded"]
    assert "应予行政处罚" in said["ComplaintVerified"] and "AJ-2026-0322" in said[
        "ComplaintVerified"]
    assert "告知投诉举报人" in said["ComplainantAnswered"]
    assert "反馈示例市生态环境局示例分局" in said["ComplaintFeedbackSent"]
    assert "依法立案" in said["ComplaintCaseNamed"] and "AJ-2026-0322" in said[
        "ComplaintCaseNamed"]


def test_a_contested_forward_is_not_a_handling_step_to_share() -> None:
    assert cmp.ComplaintForwardContested not in FED
