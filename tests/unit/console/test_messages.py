"""The one message catalogue has Chinese text for every rule and every refusal."""

import re
from pathlib import Path

import pytest

from console import messages
from console.entrypoints.pages import ACTIONS

REPO = Path(__file__).parents[3]
# where the README says it is (beside the repository), or the shared folder of this machine
RULES_MD = [REPO.parent / "shared" / "RULES.md", Path("/work/shared/RULES.md")]
RULE_ID = re.compile(r"^- ([A-Z]{3}-\d+)\b", re.MULTILINE)
REFUSING = re.compile(r"RuleViolation\(\s*[\"']([A-Z]{3}-\d+)")
CJK = re.compile(r"[\u4e00-\u9fff]")


def rule_ids() -> set[str]:
    """The rule IDs RULES.md defines (its list items)."""
    path = next((p for p in RULES_MD if p.exists()), None)
    assert path is not None, f"RULES.md not found at {RULES_MD}"
    return set(RULE_ID.findall(path.read_text(encoding="utf-8")))


def refused_rules() -> set[str]:
    """Every rule ID a service's code refuses with."""
    found: set[str] = set()
    for source in (REPO / "services").rglob("*.py"):
        found |= set(REFUSING.findall(source.read_text(encoding="utf-8")))
    for source in (REPO / "libs").rglob("*.py"):
        found |= set(REFUSING.findall(source.read_text(encoding="utf-8")))
    return found


def test_every_rule_a_service_refuses_with_has_its_chinese_text() -> None:
    refused = refused_rules()
    assert len(refused) > 20
    assert not sorted(refused - set(messages.RULES))


def test_every_rule_of_the_rules_has_its_chinese_text() -> None:
    ids = rule_ids()
    assert len(ids) >= 46
    missing = sorted(ids - set(messages.RULES))
    assert not missing, f"no Chinese text for {missing}"
    assert not sorted(set(messages.RULES) - ids), "a text for a rule RULES.md does not have"
    assert all(CJK.search(text) for text in messages.RULES.values())


def test_every_refusal_status_a_service_answers_has_its_chinese_text() -> None:
    for status in (400, 401, 403, 404, 409, 413, 415, 422, 429, 503):
        assert CJK.search(messages.STATUS[status])
    assert CJK.search(messages.CSRF_REFUSED) and CJK.search(messages.UNREACHABLE)


def test_a_limit_of_its_own_reads_as_its_rule() -> None:
    assert messages.rule_text("REF-9-RESEND") == messages.RULES["REF-9"]
    assert messages.rule_text("REF-6-ACK") == messages.RULES["REF-6"]


@pytest.mark.rule("REF-7")
def test_a_rule_refusal_reads_as_the_rule_at_its_field() -> None:
    refused = messages.refusal(422, {"rule": "REF-7", "field": "materials.preliminary_evidence",
                                     "detail": "a transfer carries all three"})
    assert (refused.rule, refused.text) == ("REF-7", messages.RULES["REF-7"])
    assert refused.field_label == "初步证据材料"
    assert refused.detail == "a transfer carries all three"


def test_a_refusal_without_a_rule_reads_as_its_status() -> None:
    assert messages.refusal(403, {"field": "actor", "detail": "x"}).text == messages.STATUS[403]
    assert messages.refusal(404, None).text == messages.STATUS[404]
    invalid = messages.refusal(422, {"detail": [{"msg": "field required"}], "field": "summary"})
    assert invalid.text == messages.STATUS[422] and invalid.detail == "field required"
    assert messages.refusal(599, "garbage").text == messages.STATUS[400]


def test_every_field_a_form_sends_has_its_label() -> None:
    """A refusal naming any field a console form sends can say which field in Chinese."""
    sent: set[str] = set()
    for _service, _path, build in ACTIONS.values():
        body = build({})
        sent |= set(body)
        for value in body.values():
            if isinstance(value, dict):
                sent |= set(value)
    assert not sorted(sent - set(messages.FIELDS) - {"leader", "staff_count", "answer"})
