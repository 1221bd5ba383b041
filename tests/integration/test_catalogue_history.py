"""Catalogue history through the real broker and database (JUR-1, DSP-2, JUR-2).

The district government's dispute desk (escalation) decides a dispute and corrects the
catalogue for one township from a day on; the referral service, which keeps its copy of the
corrections from the decision event, then finds the owner of each new finding as of its day
and its place: before that day the old owner, from it the new one, elsewhere unchanged.
"""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from escalation.bootstrap import EscalationSettings
from escalation.bootstrap import build_app as escalation_app
from liandong_contracts.escalation_v1 import DisputeDecided
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_runtime import corrections
from liandong_runtime.refdata import default_dir, load_reference_data
from liandong_runtime.settings import MongoSettings, NatsSettings
from liandong_runtime.storage import Store
from liandong_runtime.workdays import SHANGHAI
from referral.bootstrap import ReferralSettings
from referral.bootstrap import build_app as referral_app
from tests.support import acting, eventually

# A matter no other test uses, so that no other decision in the session's stream corrects it:
# never handed over, always the water department's, until this test's decision.
MATTER = "M-WAT-002"
TOWN, OTHER_TOWN, DEPT = "town-beishan", "town-liuzhuang", "dept-water"
GOV = acting("district-gov")


def settings_kwargs(nats_url: str, mongo_url: str, prefix: str) -> dict[str, Any]:
    return {"nats": NatsSettings(url=nats_url, ack_wait_s=2, max_deliver=3),
            "mongodb": MongoSettings(url=mongo_url,
                                     database=f"liandong_{prefix}_{uuid.uuid4().hex[:8]}"),
            "outbox_poll_s": 0.05}


@dataclass(frozen=True)
class District:
    desk: httpx.AsyncClient
    cases: httpx.AsyncClient
    referral_database: str  # where referral keeps its copy of the corrections


@pytest.fixture
async def district(nats_url: str, mongo_url: str) -> AsyncIterator[District]:
    """The dispute desk and the referral service, each with its own database."""
    desk = escalation_app(EscalationSettings(**settings_kwargs(nats_url, mongo_url, "hist_esc"),
                                             watch_interval_s=0.2))
    referral_settings = ReferralSettings(**settings_kwargs(nats_url, mongo_url, "hist_ref"))
    cases = referral_app(referral_settings)
    async with (desk.router.lifespan_context(desk), cases.router.lifespan_context(cases),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=desk),
                                  base_url="http://desk") as desk_client,
                httpx.AsyncClient(transport=httpx.ASGITransport(app=cases),
                                  base_url="http://referral") as cases_client):
        yield District(desk_client, cases_client, referral_settings.mongodb.database)


async def escalated_dispute(desk: httpx.AsyncClient) -> str:
    raised = await desk.post("/disputes", headers=acting(TOWN), json={
        "other_party": DEPT, "matter_code": MATTER, "subject_id": f"case-{uuid.uuid4().hex[:8]}",
        "reason": "取水口位于北山乡境内，水务局认为应由乡镇查处"})
    assert raised.status_code == 201, raised.text
    dispute_id = str(raised.json()["dispute_id"])
    up = await desk.post(f"/disputes/{dispute_id}/escalation", headers=acting(TOWN))
    assert up.json() == {"state": "escalated"}, up.text
    return dispute_id


async def find(cases: httpx.AsyncClient, finder: str, locality: str,
               found_at: datetime) -> httpx.Response:
    return await cases.post("/cases", headers=acting(finder), json={
        "matter_code": MATTER, "locality": locality, "found_at": found_at.isoformat(),
        "summary": "未经批准擅自取水"})


async def owner_of_new_case(cases: httpx.AsyncClient, finder: str, locality: str,
                            found_at: datetime) -> str:
    answer = await find(cases, finder, locality, found_at)
    assert answer.status_code == 201, answer.text
    case = await cases.get(f"/cases/{answer.json()['case_id']}", headers=acting(finder))
    assert case.status_code == 200, case.text
    return str(case.json()["owner_id"])


@pytest.mark.rule("DSP-2")
@pytest.mark.rule("JUR-1")
@pytest.mark.rule("JUR-2")
async def test_a_correction_for_one_township_from_a_day_keeps_earlier_days_and_others(
        district: District) -> None:
    """Before: the correction reassigned the matter for every place and every earlier date,
    so a finding dated before the decision was refused with JUR-2."""
    desk, cases = district.desk, district.cases
    dispute_id = await escalated_dispute(desk)
    today = datetime.now(SHANGHAI).date()
    decided = await desk.post(f"/disputes/{dispute_id}/decision", headers=GOV, json={
        "owner": TOWN, "decision_ref": "区政府管辖争议决定〔2026〕21号",
        "catalogue_correction": True, "correction_places": [TOWN],
        "correction_effective_from": today.isoformat()})
    assert decided.json() == {"state": "decided"}, decided.text

    [kept] = [c for c in (await desk.get("/catalogue-corrections", headers=GOV)).json()
              if c.get("dispute_id") == dispute_id]
    assert (kept["matter_code"], kept["owner"], kept["places"], kept["effective_from"]) == (
        MATTER, "township", [TOWN], today.isoformat())

    now = datetime.now(UTC)

    async def corrected_in_referral() -> bool:  # the decision reaches referral by the stream
        answer = await find(cases, TOWN, TOWN, now)
        return answer.status_code == 422 and answer.json()["rule"] == "JUR-2"

    await eventually(corrected_in_referral, what="the correction applied by referral")
    # the day before the correction applies, the water department still owned it there
    assert await owner_of_new_case(cases, TOWN, TOWN, now - timedelta(days=1)) == DEPT
    # from that day, in that township, the township owns it: the department hands it over
    assert await owner_of_new_case(cases, DEPT, TOWN, now) == TOWN
    # another township is not covered by the correction: unchanged
    assert await owner_of_new_case(cases, OTHER_TOWN, OTHER_TOWN, now) == DEPT


@pytest.mark.rule("DSP-2")
@pytest.mark.rule("JUR-1")
async def test_bad_correction_scopes_are_refused_naming_the_field_and_change_nothing(
        district: District) -> None:
    desk = district.desk
    dispute_id = await escalated_dispute(desk)
    yesterday = (datetime.now(SHANGHAI).date() - timedelta(days=1)).isoformat()
    base = {"owner": TOWN, "decision_ref": "区政府管辖争议决定〔2026〕22号",
            "catalogue_correction": True}
    refusals = [
        ({"correction_places": [DEPT]}, "DSP-2", "correction_places"),
        ({"correction_places": [TOWN, "unit-market-hexi"]}, "DSP-2", "correction_places"),
        ({"correction_places": ["town-nowhere"]}, "JUR-1", "correction_places"),
        ({"correction_effective_from": yesterday}, "JUR-1", "correction_effective_from"),
        ({"catalogue_correction": False, "correction_places": [TOWN]}, "DSP-2",
         "correction_places"),
        ({"catalogue_correction": False, "correction_effective_from": date.today().isoformat()},
         "DSP-2", "correction_effective_from"),
    ]
    for change, rule, field in refusals:
        answer = await desk.post(f"/disputes/{dispute_id}/decision", headers=GOV,
                                 json={**base, **change})
        assert answer.status_code == 422, (change, answer.text)
        assert (answer.json()["rule"], answer.json()["field"]) == (rule, field), change

    for change, field in [({"correction_effective_from": "2026-02-30"},
                           "correction_effective_from"),
                          ({"correction_places": "town-beishan"}, "correction_places"),
                          ({"correction_places": ["x" * 65]}, "correction_places")]:
        answer = await desk.post(f"/disputes/{dispute_id}/decision", headers=GOV,
                                 json={**base, **change})
        assert answer.status_code == 422, (change, answer.text)
        assert field in str(answer.json()["detail"][0]["loc"]), answer.text

    state = await desk.get(f"/disputes/{dispute_id}", headers=GOV)
    assert state.json()["state"] == "escalated"
    corrections = (await desk.get("/catalogue-corrections", headers=GOV)).json()
    assert [c for c in corrections if c.get("dispute_id") == dispute_id] == []


@pytest.mark.rule("DSP-2")
async def test_a_correction_without_a_day_or_places_covers_every_township_from_the_decision_day(
        district: District) -> None:
    desk = district.desk
    dispute_id = await escalated_dispute(desk)
    decided = await desk.post(f"/disputes/{dispute_id}/decision", headers=GOV, json={
        "owner": DEPT, "decision_ref": "区政府管辖争议决定〔2026〕23号",
        "catalogue_correction": True})
    assert decided.json() == {"state": "decided"}, decided.text

    [kept] = [c for c in (await desk.get("/catalogue-corrections", headers=GOV)).json()
              if c.get("dispute_id") == dispute_id]
    assert (kept["owner"], kept["places"], kept["effective_from"]) == (
        DEPT, [], datetime.now(SHANGHAI).date().isoformat())


@pytest.mark.rule("DSP-2")
@pytest.mark.rule("JUR-1")
async def test_a_correction_from_a_later_day_leaves_todays_owner_until_then(
        mongo_url: str, district: District) -> None:
    desk, cases = district.desk, district.cases
    dispute_id = await escalated_dispute(desk)
    tomorrow = datetime.now(SHANGHAI).date() + timedelta(days=1)
    decided = await desk.post(f"/disputes/{dispute_id}/decision", headers=GOV, json={
        "owner": TOWN, "decision_ref": "区政府管辖争议决定〔2026〕24号",
        "catalogue_correction": True, "correction_places": ["town-shiqiao"],
        "correction_effective_from": tomorrow.isoformat()})
    assert decided.json() == {"state": "decided"}, decided.text

    async with AsyncMongoClient(mongo_url, tz_aware=True) as client:
        async def kept_by_referral() -> dict[str, Any] | None:
            return await client[district.referral_database].catalogue_corrections.find_one(
                {"dispute_id": dispute_id})

        kept = await eventually(kept_by_referral, what="the correction kept by referral")
    assert (kept["places"], kept["effective_from"]) == (["town-shiqiao"], tomorrow.isoformat())
    now = datetime.now(UTC)
    assert await owner_of_new_case(cases, "town-shiqiao", "town-shiqiao", now) == DEPT


@pytest.mark.rule("DSP-2")
@pytest.mark.rule("JUR-1")
async def test_corrections_are_kept_by_decision_idempotently_and_the_newest_wins(
        mongo_url: str) -> None:
    """`record` and the owner lookup on the real database: a redelivery keeps one document;
    an older decision arriving after a newer one does not undo it; a correction kept in the
    old shape (one per matter) applies from its decision's day only."""
    refdata = load_reference_data(default_dir())
    async with AsyncMongoClient(mongo_url, tz_aware=True) as client:
        store = Store(client, f"liandong_hist_{uuid.uuid4().hex[:8]}")
        newer = decision("town-hexi", ("town-hexi",), date(2026, 4, 1), datetime(2026, 3, 20))
        older = decision("dept-urban", (), date(2026, 3, 10), datetime(2026, 3, 10))
        for event in (newer, newer, older, older):
            await store.transaction(lambda tx, e=event: corrections.record(tx, e))
        db = client[store.db.name]
        assert await db.catalogue_corrections.count_documents({}) == 2

        owners = corrections.CorrectedOwners(db, refdata)

        async def owner(code: str, on: date, township: str) -> str:
            return (await owners.owner_of(code, on, township)).id

        assert await owner("M-WAT-002", date(2026, 3, 9), "town-hexi") == "dept-water"
        assert await owner("M-WAT-002", date(2026, 3, 31), "town-hexi") == "dept-urban"
        assert await owner("M-WAT-002", date(2026, 4, 1), "town-hexi") == "town-hexi"
        assert await owner("M-WAT-002", date(2026, 4, 1), "town-beishan") == "dept-urban"

        await db.catalogue_corrections.insert_one({  # as schema 1 kept it
            "_id": "M-URB-009", "owner": "township", "dispute_id": "dsp-old",
            "decision_ref": "区政府管辖争议决定〔2026〕1号",
            "effective_at": datetime(2026, 3, 10, 2, 0, tzinfo=UTC)})
        assert await owner("M-URB-009", date(2026, 3, 9), "town-hexi") == "dept-urban"
        assert await owner("M-URB-009", date(2026, 3, 10), "town-hexi") == "town-hexi"


def decision(owner: str, places: tuple[str, ...], effective_from: date,
             at: datetime) -> DisputeDecided:
    kind = OrgKind.TOWNSHIP if owner.startswith("town-") else OrgKind.DEPARTMENT
    parties = (OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇人民政府"),
               OrgRef(id=DEPT, kind=OrgKind.DEPARTMENT, name="示例区水务局"))
    return DisputeDecided(
        occurred_at=at.replace(tzinfo=UTC), dispute_id=f"dsp-{uuid.uuid4().hex[:16]}",
        actor=OrgRef(id="district-gov", kind=OrgKind.DISTRICT_GOVERNMENT, name="示例区人民政府"),
        correlation_id="case-1", matter_code=MATTER, parties=parties, subject_id="case-1",
        subject_kind="case", owner=OrgRef(id=owner, kind=kind, name=owner),
        decision_ref="区政府管辖争议决定〔2026〕25号", catalogue_correction=True,
        correction_places=places, correction_effective_from=effective_from)
