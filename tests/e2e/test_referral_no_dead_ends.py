"""Issue 12, referral: every refusal, notice and start time keeps the district government's eye.

Referral and escalation run as separate processes over the real NATS server and the real
database; each duty is read back from the escalation service that watches it.
"""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.support import acting, poll

TOWN, URBAN, GOV = acting("town-hexi", "staff-007"), acting("dept-urban"), acting("district-gov")
MATERIALS = {"transfer_letter": "https://files.example/letter.pdf",
             "case_source": ["https://files.example/record.pdf"],
             "preliminary_evidence": ["https://files.example/photo.jpg"]}


def ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


class Desk:
    """The two services over HTTP, with the reads the scenarios repeat."""

    def __init__(self, referral: str, escalation: str) -> None:
        self.http, self.referral, self.escalation = httpx.Client(timeout=10), referral, escalation

    def post(self, path: str, headers: dict[str, str], body: object = None,
             expect: int = 202) -> dict[str, str]:
        answer = self.http.post(self.referral + path, json=body, headers=headers)
        assert answer.status_code == expect, answer.text
        return answer.json() if answer.content else {}  # type: ignore[no-any-return]

    def get(self, path: str, headers: dict[str, str]) -> list[dict[str, object]]:
        answer = self.http.get(self.referral + path, headers=headers)
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]

    def finding(self, **more: object) -> str:
        return self.post("/cases", TOWN, {"matter_code": "M-URB-009", "locality": "town-hexi",
                                          "found_at": ago(minutes=30), "summary": "无证建设",
                                          **more}, expect=201)["case_id"]

    def open_duty(self, case_id: str, rule: str, org: str) -> dict[str, object] | None:
        duties = self.http.get(f"{self.escalation}/deadlines", params={"org": org},
                               headers=GOV).json()
        return next((d for d in duties if d["correlation_id"] == case_id and d["rule"] == rule),
                    None)

    def notices(self, case_id: str) -> list[dict[str, object]]:
        every = self.http.get(f"{self.escalation}/notifications?limit=1000", headers=GOV).json()
        return [n for n in every if n["correlation_id"] == case_id]

    def dispute(self, case_id: str) -> dict[str, object] | None:
        every = self.http.get(f"{self.escalation}/disputes", headers=GOV).json()
        return next((d for d in every if d["subject_id"] == case_id), None)


@pytest.mark.rule("REF-6")
@pytest.mark.rule("JUR-3")
@pytest.mark.rule("REF-9")
@pytest.mark.rule("ESC-5")
@pytest.mark.rule("CRM-1")
@pytest.mark.rule("CRM-2")
def test_notices_refusals_and_resends_are_all_watched(start_service) -> None:
    desk = Desk(start_service("referral").url, start_service("escalation").url)

    # ESC-5: a finding dated in the future is refused, naming the field; nothing is recorded
    answer = desk.http.post(desk.referral + "/cases", headers=TOWN, json={
        "matter_code": "M-URB-009", "locality": "town-hexi", "summary": "无证建设",
        "found_at": "2027-03-01T09:00:00+08:00"})
    assert answer.status_code == 422 and answer.json()["rule"] == "ESC-5"
    assert answer.json()["field"] == "found_at"

    # REF-6: Hexi ordered the builder to stop three hours ago and tells urban management only
    # now (2 hours allowed): informing late is reported; the owner's acknowledgement is due
    ongoing = desk.finding(stop_ordered_at=ago(hours=3))
    late = poll(lambda: desk.notices(ongoing), what="the late notice reported")
    assert [(n["rule"], n["responsible"]["id"]) for n in late] == [("REF-6", "town-hexi")]
    assert poll(lambda: desk.open_duty(ongoing, "REF-6-ACK", "dept-urban"))
    assert ongoing in [c["case_id"] for c in desk.get("/cases/ongoing", URBAN)]
    assert desk.get("/cases/ongoing", TOWN) == []  # the owner's work list, not the finder's

    # JUR-3: urban management registers its own case and names it in the acknowledgement
    own = desk.post("/cases/own", URBAN, {"matter_code": "M-URB-009", "locality": "town-hexi",
                                          "found_at": ago(minutes=5), "summary": "本局立案查处"},
                    expect=201)["case_id"]
    desk.post(f"/cases/{ongoing}/ongoing/acknowledge", URBAN, {"case_id": own})
    poll(lambda: desk.open_duty(ongoing, "REF-6-ACK", "dept-urban") is None,
         what="the acknowledgement ends the owner's duty")
    assert desk.get("/cases/ongoing", URBAN) == []

    # CRM on the own case: watched until it reaches the police; no outcome closes it while
    # the crime is pending, a court is refused, and once accepted it closes as handed over
    desk.post(f"/cases/{own}/crime", URBAN, {"grounds": "涉嫌非法占用农用地罪"})
    assert poll(lambda: desk.open_duty(own, "CRM-1", "dept-urban"))
    refused = desk.post(f"/cases/{own}/close", URBAN, {"outcome": "other"}, expect=422)
    assert refused["rule"] == "CRM-2"
    to_court = {"judicial_organ": "court", "materials": ["https://files.example/crm.pdf"]}
    refused = desk.post(f"/cases/{own}/judiciary", URBAN, to_court, expect=422)
    assert (refused["rule"], refused["field"]) == ("CRM-1", "judicial_organ")
    desk.post(f"/cases/{own}/judiciary", URBAN, {**to_court, "judicial_organ": "police-bureau"})
    poll(lambda: desk.open_duty(own, "CRM-1", "dept-urban") is None,
         what="the transfer to the police ends the CRM-1 duty")
    desk.post(f"/cases/{own}/judiciary/decision", acting("police-bureau"),
              {"decision": "accepted"})
    refused = desk.post(f"/cases/{own}/close", URBAN, {"outcome": "administrative_penalty"},
                        expect=422)
    assert refused["rule"] == "CRM-2"
    desk.post(f"/cases/{own}/close", URBAN, {"outcome": "judicial_accepted"})

    # REF-9: refused for material, the case returns to Hexi, which owes a resend
    returned = desk.finding()
    desk.post(f"/cases/{returned}/transfer", TOWN, {"materials": MATERIALS})
    assert poll(lambda: desk.open_duty(returned, "REF-9", "dept-urban"))
    desk.post(f"/cases/{returned}/refuse", URBAN, {"grounds": "materials", "reason": "缺现场照片"})
    assert poll(lambda: desk.open_duty(returned, "REF-9-RESEND", "town-hexi"))
    assert desk.open_duty(returned, "REF-9", "dept-urban") is None
    assert returned in [c["case_id"] for c in desk.get("/cases/returned", TOWN)]
    desk.post(f"/cases/{returned}/transfer", TOWN, {"materials": MATERIALS})
    poll(lambda: desk.open_duty(returned, "REF-9-RESEND", "town-hexi") is None,
         what="the resend ends the finder's duty")
    assert poll(lambda: desk.open_duty(returned, "REF-9", "dept-urban"))
    desk.post(f"/cases/{returned}/accept", URBAN)
    poll(lambda: desk.open_duty(returned, "REF-9", "dept-urban") is None)

    # REF-9: any other refusal goes to the district government's desk as a dispute
    other = desk.finding()
    desk.post(f"/cases/{other}/transfer", TOWN, {"materials": MATERIALS})
    desk.post(f"/cases/{other}/refuse", URBAN, {"grounds": "other", "reason": "人手不足"})
    dispute = poll(lambda: desk.dispute(other), what="the refusal on the district's desk")
    assert dispute["origin"] == "transfer_refused_other"  # type: ignore[index]
    assert not desk.notices(returned) and not desk.notices(other)


@pytest.mark.rule("REF-9")
@pytest.mark.rule("ESC-1")
def test_a_receiver_that_neither_accepts_nor_refuses_is_reported(start_service) -> None:
    desk = Desk(start_service("referral").url,
                start_service("escalation", LIMITS='{"REF-9": "3s"}', WATCH_INTERVAL_S="0.5").url)
    case = desk.finding()
    desk.post(f"/cases/{case}/transfer", TOWN, {"materials": MATERIALS})
    notices = poll(lambda: desk.notices(case), what="the silent receiver reported")
    assert [(n["rule"], n["responsible"]["id"]) for n in notices] == [("REF-9", "dept-urban")]
