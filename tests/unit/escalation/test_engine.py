"""The deadline engine and the dispute desk on an in-memory store (fakes.py): pauses
(ESC-3), reported refusals, recording times (ESC-5), both parties' negotiation clocks
(DSP-1/DSP-2), refusals referred at once (REF-9) and dispute subjects."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from escalation.adapters.queries import DeskQueries
from escalation.service.desk import DisputeDesk
from escalation.service.duties import Close, Extend, Open, Pause, RaiseDispute, Report
from escalation.service.duties.actions import dispute_opened
from escalation.service.engine import DeadlineEngine
from liandong_contracts import complaint_v1 as cmp
from liandong_contracts import escalation_v1 as wire
from liandong_contracts import referral_v1 as ref
from liandong_contracts.samples import sample_of
from liandong_runtime.acting import Acting
from liandong_runtime.limits import Limits
from liandong_runtime.workdays import SHANGHAI, load_calendar
from tests.unit.escalation.fakes import Clock, CountingMetrics, FakeStore

CALENDAR = load_calendar()
T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
HOUR = timedelta(hours=1)
TOWN = {"id": "town-hexi", "kind": "township", "name": "河西镇人民政府"}
URBAN = {"id": "dept-urban", "kind": "department", "name": "示例区城市管理局"}


@pytest.fixture
def world(district):
    store, clock, metrics = FakeStore(), Clock(T0), CountingMetrics()
    government = district.directory.district_government().ref()
    engine = DeadlineEngine(store, Limits(), CALENDAR, government, clock=clock, metrics=metrics)
    return engine, clock, metrics, DisputeDesk(engine, district)


async def run(engine: DeadlineEngine, *actions, correlation_id: str = "case-1", cause=None,
              recorded: datetime | None = None):
    """Apply `actions` as one event recorded at `recorded` (default: the clock's now)."""
    if recorded is not None:
        engine.clock.now = recorded  # type: ignore[attr-defined]

    async def work(tx) -> None:
        await engine.apply(tx, actions, correlation_id, cause)

    await engine.store.transaction(work)


async def deadline(engine: DeadlineEngine, deadline_id: str) -> dict:
    doc = await engine.store.db.deadlines.find_one({"_id": deadline_id})
    assert doc is not None, deadline_id
    return doc


def dispute(dispute_id: str = "dsp-case-1", origin: str = "transfer_refused") -> RaiseDispute:
    return RaiseDispute(dispute_id, "M-AGR-002", (TOWN, URBAN), origin, "管辖有争议", "case-1")


def events_of(engine: DeadlineEngine, kind: type) -> list:
    return [e for e in engine.store.emitted if isinstance(e, kind)]


async def settle(desk: DisputeDesk, dispute_id: str, owner: str) -> None:
    for party in ("town-hexi", "dept-urban"):
        await desk.agree(dispute_id, Acting(party), owner)


# --- ESC-3: a duty blocked by an open dispute pauses ------------------------------------


@pytest.mark.rule("ESC-3")
async def test_a_paused_duty_is_neither_warned_nor_breached_nor_overdue_while_the_dispute_is_open(
        world) -> None:
    engine, clock, metrics, _ = world
    await run(engine, Open("transfer:case-1", "REF-5", "移送", TOWN, T0), dispute(),
              Pause("transfer:case-1", "dsp-case-1", T0 + 10 * HOUR))
    clock.now = T0 + 100 * HOUR
    assert await engine.tick() == 0  # nothing to look at: the paused duty has no next action
    d = await deadline(engine, "transfer:case-1")
    assert d["state"] == "paused" and d["paused_by"] == "dsp-case-1" and "next_action_at" not in d
    assert metrics.breaches == [] and events_of(engine, wire.DeadlineBreached) == []
    queries = DeskQueries(engine.store.db)  # type: ignore[arg-type]
    assert await queries.overdue() == []
    assert [x["_id"] for x in await queries.open_deadlines("town-hexi")] == ["transfer:case-1"]


@pytest.mark.rule("ESC-3")
async def test_an_hour_limit_resumes_with_the_owner_the_dispute_names_and_the_time_it_had_left(
        world) -> None:
    engine, clock, metrics, desk = world
    await run(engine, Open("transfer:case-1", "REF-5", "移送", TOWN, T0), dispute())
    await run(engine, Pause("transfer:case-1", "dsp-case-1", T0 + 10 * HOUR),
              recorded=T0 + 10 * HOUR)
    clock.now = T0 + 50 * HOUR
    await settle(desk, "dsp-case-1", "dept-urban")
    d = await deadline(engine, "transfer:case-1")
    assert d["state"] == "open" and d["responsible"]["id"] == "dept-urban"
    assert d["due_at"] == T0 + 50 * HOUR + 14 * HOUR  # 24 h limit, 10 h used before the pause
    [pause] = d["pauses"]
    assert pause["dispute_id"] == "dsp-case-1" and pause["resumed_at"] == T0 + 50 * HOUR
    assert pause["held_by"]["id"] == "town-hexi" and pause["handed_to"]["id"] == "dept-urban"
    assert pause["due_before"] == T0 + 24 * HOUR and "paused_by" not in d
    clock.now = T0 + 64 * HOUR + timedelta(seconds=1)
    await engine.tick()
    await engine.tick()
    [breach] = events_of(engine, wire.DeadlineBreached)
    assert breach.responsible.id == "dept-urban" and breach.late_by_seconds == 1
    assert metrics.breaches == ["transfer:case-1"]


@pytest.mark.rule("ESC-3")
@pytest.mark.rule("ESC-4")
async def test_a_working_day_limit_keeps_its_whole_working_days_left(world) -> None:
    engine, clock, _, desk = world
    # REF-4, 3 working days from Friday 27 Nov: due 24:00 Wednesday 2 Dec (Shanghai)
    await run(engine, Open("transfer:case-1", "REF-4", "移送", TOWN, T0), dispute())
    monday = datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)
    await run(engine, Pause("transfer:case-1", "dsp-case-1", monday), recorded=monday)
    clock.now = datetime(2026, 12, 4, 15, 0, tzinfo=SHANGHAI).astimezone(UTC)  # Friday
    await settle(desk, "dsp-case-1", "town-hexi")
    d = await deadline(engine, "transfer:case-1")
    # left: Tuesday and Wednesday; counted again after Friday: 24:00 Tuesday 8 Dec
    assert d["due_at"] == datetime(2026, 12, 9, 0, 0, tzinfo=SHANGHAI)
    assert d["responsible"]["id"] == "town-hexi" and d["state"] == "open"


@pytest.mark.rule("ESC-3")
async def test_a_duty_paused_on_its_last_day_gets_one_working_day_after_the_dispute(world) -> None:
    engine, _, _, _ = world
    due = CALENDAR.add_working_days(T0, 3)
    resumed = engine.resumed_due("REF-4", due - HOUR, due, due + 30 * HOUR)
    assert resumed == CALENDAR.add_working_days(due + 30 * HOUR, 1)


@pytest.mark.rule("ESC-3")
async def test_a_pause_that_overtakes_the_start_event_is_applied_on_opening(world) -> None:
    engine, clock, _, desk = world
    await run(engine, dispute(), Pause("transfer:case-1", "dsp-case-1", T0 + 2 * HOUR),
              recorded=T0 + 2 * HOUR)
    assert (await deadline(engine, "transfer:case-1"))["state"] == "pending"
    await run(engine, Open("transfer:case-1", "REF-5", "移送", TOWN, T0))
    d = await deadline(engine, "transfer:case-1")
    assert d["state"] == "paused" and d["rule"] == "REF-5" and d["paused_at"] == T0 + 2 * HOUR
    clock.now = T0 + 40 * HOUR
    await settle(desk, "dsp-case-1", "dept-urban")
    d = await deadline(engine, "transfer:case-1")
    assert d["due_at"] == T0 + 40 * HOUR + 22 * HOUR and d["responsible"]["id"] == "dept-urban"


@pytest.mark.rule("ESC-3")
async def test_a_start_event_after_the_dispute_ended_opens_and_resumes_at_once(world) -> None:
    engine, clock, _, desk = world
    await run(engine, dispute(), Pause("transfer:case-1", "dsp-case-1", T0 + 2 * HOUR),
              recorded=T0 + 2 * HOUR)
    clock.now = T0 + 5 * HOUR
    await settle(desk, "dsp-case-1", "dept-urban")
    clock.now = T0 + 9 * HOUR
    await run(engine, Open("transfer:case-1", "REF-5", "移送", TOWN, T0))
    d = await deadline(engine, "transfer:case-1")
    assert d["state"] == "open" and d["responsible"]["id"] == "dept-urban"
    assert d["due_at"] == T0 + 5 * HOUR + 22 * HOUR


@pytest.mark.rule("ESC-3")
async def test_a_pause_after_the_dispute_ended_resumes_at_once(world) -> None:
    engine, clock, _, desk = world
    await run(engine, Open("transfer:case-1", "REF-5", "移送", TOWN, T0), dispute())
    clock.now = T0 + 3 * HOUR
    await settle(desk, "dsp-case-1", "dept-urban")
    await run(engine, Pause("transfer:case-1", "dsp-case-1", T0 + 1 * HOUR))
    d = await deadline(engine, "transfer:case-1")
    assert d["state"] == "open" and d["responsible"]["id"] == "dept-urban"
    assert d["due_at"] == T0 + 3 * HOUR + 23 * HOUR


@pytest.mark.rule("ESC-3")
async def test_a_duty_done_while_paused_is_done_and_never_late(world) -> None:
    engine, clock, metrics, _ = world
    await run(engine, Open("transfer:case-1", "REF-5", "移送", TOWN, T0), dispute(),
              Pause("transfer:case-1", "dsp-case-1", T0 + HOUR))
    await run(engine, Close("transfer:case-1", T0 + 90 * HOUR))
    clock.now = T0 + 100 * HOUR
    await engine.tick()
    d = await deadline(engine, "transfer:case-1")
    assert d["state"] == "done" and d["breached_at"] is None and metrics.breaches == []


@pytest.mark.rule("ESC-3")
async def test_a_duty_already_late_when_the_dispute_began_is_not_paused(world) -> None:
    engine, clock, metrics, _ = world
    await run(engine, Open("transfer:case-1", "REF-5", "移送", TOWN, T0), dispute())
    await run(engine, Pause("transfer:case-1", "dsp-case-1", T0 + 30 * HOUR),
              recorded=T0 + 30 * HOUR)
    clock.now = T0 + 31 * HOUR
    await engine.tick()
    assert (await deadline(engine, "transfer:case-1"))["state"] == "breached"
    assert metrics.breaches == ["transfer:case-1"]


@pytest.mark.rule("ESC-3")
async def test_resuming_finds_the_paused_duties_by_dispute_not_by_scanning(world) -> None:
    engine, clock, _, desk = world
    await run(engine, dispute(), dispute("dsp-other"),
              *(Open(f"transfer:c{i}", "REF-5", "移送", TOWN, T0) for i in range(3)),
              Pause("transfer:c0", "dsp-case-1", T0 + HOUR),
              Pause("transfer:c1", "dsp-other", T0 + HOUR))
    clock.now = T0 + 10 * HOUR
    await settle(desk, "dsp-case-1", "dept-urban")
    states = {i: (await deadline(engine, f"transfer:c{i}"))["state"] for i in range(3)}
    assert states == {0: "open", 1: "paused", 2: "open"}
    assert (await deadline(engine, "transfer:c0"))["responsible"]["id"] == "dept-urban"


# --- a refusal reported to the district government -----------------------------------------


def report(report_id: str = "rep-1") -> Report:
    return Report(report_id, "AST-1", "书面答复执法协助请求 req-1", URBAN, "人手不足", T0 + HOUR)


@pytest.mark.rule("ESC-1")
@pytest.mark.rule("AST-1")
async def test_a_reported_refusal_is_a_notice_of_its_own_kind_once_and_never_a_breach(
        world) -> None:
    engine, _, metrics, _ = world
    await run(engine, report(), correlation_id="req-1")
    await run(engine, report(), correlation_id="req-1")  # reported again: nothing new
    [notice] = events_of(engine, wire.DistrictGovernmentNotified)
    assert notice.kind == "refusal_reported" and notice.reason == "人手不足"
    assert notice.rule == "AST-1" and notice.responsible.id == "dept-urban"
    assert notice.late_by_seconds == 0 and notice.report_id == "rep-1"
    assert "人手不足" in notice.message
    [doc] = await engine.store.db.notifications.find({}).to_list()
    assert doc["kind"] == "refusal_reported" and doc["_id"] == str(notice.event_id)
    assert metrics.reports == [("AST-1", "dept-urban")] and metrics.breaches == []
    assert events_of(engine, wire.DeadlineBreached) == []
    queries = DeskQueries(engine.store.db)  # type: ignore[arg-type]
    assert await queries.notifications(10, "breach") == []
    assert len(await queries.notifications(10, "refusal_reported")) == 1


# --- ESC-5: the recording time beside the declared start ---------------------------------


@pytest.mark.rule("ESC-5")
async def test_every_deadline_keeps_its_recording_time_and_the_notice_shows_both(world) -> None:
    engine, clock, _, _ = world
    found = sample_of(ref.FindingRecorded).model_copy(update={
        "urgent": True, "found_at": T0, "occurred_at": T0 + 3 * HOUR})
    await engine.handle(found, "test")
    d = await deadline(engine, f"transfer:{found.case_id}")
    assert d["started_at"] == T0 and d["recorded_at"] == T0 + 3 * HOUR
    assert d["counted_from"] == "started_at" and d["due_at"] == T0 + 24 * HOUR
    clock.now = T0 + 25 * HOUR
    await engine.tick()
    await engine.tick()
    [notice] = events_of(engine, wire.DistrictGovernmentNotified)
    assert notice.recorded_at == T0 + 3 * HOUR and notice.started_at == T0
    assert "系统登记 2026-11-27 13:00" in notice.message
    [breach] = events_of(engine, wire.DeadlineBreached)
    assert breach.recorded_at == T0 + 3 * HOUR


@pytest.mark.rule("ESC-5")
async def test_a_declared_start_after_its_recording_counts_from_the_recording(world) -> None:
    engine, _, _, _ = world
    found = sample_of(ref.FindingRecorded).model_copy(update={
        "urgent": True, "found_at": T0 + 48 * HOUR, "occurred_at": T0})
    await engine.handle(found, "test")
    d = await deadline(engine, f"transfer:{found.case_id}")
    assert d["counted_from"] == "recorded_at" and d["due_at"] == T0 + 24 * HOUR
    assert d["started_at"] == T0 + 48 * HOUR and "after the recording time" in d["start_note"]


@pytest.mark.rule("ESC-5")
async def test_an_unrepresentable_declared_start_neither_crashes_nor_switches_the_limit_off(
        world) -> None:
    engine, clock, metrics, _ = world
    year_one = datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=8)))
    found = sample_of(ref.FindingRecorded).model_copy(update={
        "urgent": True, "found_at": year_one, "occurred_at": T0})
    await engine.handle(found, "test")  # no OverflowError, no dead letter
    d = await deadline(engine, f"transfer:{found.case_id}")
    assert d["counted_from"] == "recorded_at" and d["due_at"] == T0 + 24 * HOUR
    assert d["started_at"] == T0 and "0001-01-01" in d["start_note"]
    clock.now = T0 + 25 * HOUR
    await engine.tick()
    await engine.tick()
    assert metrics.breaches == [f"transfer:{found.case_id}"]


# --- DSP-1 / DSP-2: both parties hold the negotiation clock; the dispute goes up once ------


@pytest.mark.rule("DSP-1")
@pytest.mark.rule("DSP-2")
async def test_the_negotiation_clock_is_charged_to_both_parties_and_escalates_once(world) -> None:
    engine, clock, metrics, _ = world
    refused = sample_of(ref.CaseTransferRefused).model_copy(update={
        "grounds": "jurisdiction", "occurred_at": T0})
    await engine.handle(refused, "test")
    dispute_id = f"dsp-{refused.case_id}"
    holders = {(await deadline(engine, f"dispute:{dispute_id}:{p.id}"))["responsible"]["id"]
               for p in (refused.transferred_by, refused.actor)}
    assert holders == {refused.transferred_by.id, refused.actor.id}
    clock.now = CALENDAR.add_working_days(T0, 5) + HOUR
    await engine.tick()
    await engine.tick()
    assert sorted(n.responsible.id for n in events_of(engine, wire.DistrictGovernmentNotified)
                  ) == sorted(holders)
    [escalated] = events_of(engine, wire.DisputeEscalated)
    assert escalated.reason == "negotiation_limit_passed" and len(metrics.breaches) == 2
    assert (await engine.store.db.disputes.find_one({"_id": dispute_id}))["state"] == "escalated"


@pytest.mark.rule("DSP-1")
async def test_settling_stops_both_parties_clocks(world) -> None:
    engine, clock, metrics, desk = world
    await run(engine, *dispute_opened(dispute(), TOWN, "协商", T0))
    clock.now = T0 + HOUR
    await settle(desk, "dsp-case-1", "town-hexi")
    for party in ("town-hexi", "dept-urban"):
        assert (await deadline(engine, f"dispute:dsp-case-1:{party}"))["state"] == "done"
    clock.now = T0 + 1000 * HOUR
    await engine.tick()
    assert metrics.breaches == []


@pytest.mark.rule("REF-9")
@pytest.mark.rule("DSP-2")
async def test_a_transfer_refused_on_other_grounds_goes_to_the_district_government_at_once(
        world) -> None:
    engine, _, _, _ = world
    actions = dispute_opened(dispute(origin="transfer_refused_other"), TOWN, "协商", T0)
    assert actions == [dispute(origin="transfer_refused_other")]  # no negotiation clock
    await run(engine, *actions)
    doc = await engine.store.db.disputes.find_one({"_id": "dsp-case-1"})
    assert doc["state"] == "escalated"
    [raised] = events_of(engine, wire.DisputeRaised)
    [escalated] = events_of(engine, wire.DisputeEscalated)
    assert raised.origin == "transfer_refused_other"
    assert escalated.reason == "refused_transfer_referred"
    assert await engine.store.db.deadlines.find({}).to_list() == []


# --- the dispute's subject on every dispute event ----------------------------------------


@pytest.mark.rule("DSP-1")
async def test_every_dispute_event_names_its_subject_and_what_it_is(world) -> None:
    engine, _, _, desk = world
    contested = sample_of(cmp.ComplaintForwardContested)
    await engine.handle(contested, "test")
    refused = sample_of(ref.CaseTransferRefused).model_copy(update={"grounds": "jurisdiction"})
    await engine.handle(refused, "test")
    direct = await desk.raise_direct(Acting("town-hexi"), "dept-urban", "M-AGR-002", "M-AGR-002",
                                     "边界不清")
    await desk.escalate(f"dsp-{refused.case_id}", Acting("town-hexi"))
    await desk.decide(f"dsp-{refused.case_id}", Acting("district-gov"), "dept-urban",
                      "区政府决定〔2026〕1号", False)
    await settle(desk, direct, "dept-urban")
    events = [e for e in engine.store.emitted if isinstance(e, wire.DisputeEvent)]
    subjects = {(type(e).__name__, e.dispute_id): (e.subject_id, e.subject_kind) for e in events}
    assert subjects == {
        ("DisputeRaised", f"dsp-{contested.complaint_id}"): (contested.complaint_id, "complaint"),
        ("DisputeRaised", f"dsp-{refused.case_id}"): (refused.case_id, "case"),
        ("DisputeEscalated", f"dsp-{refused.case_id}"): (refused.case_id, "case"),
        ("DisputeDecided", f"dsp-{refused.case_id}"): (refused.case_id, "case"),
        ("DisputeRaised", direct): ("M-AGR-002", "matter"),
        ("DisputeSettled", direct): ("M-AGR-002", "matter"),
    }


@pytest.mark.rule("DSP-1")
async def test_a_direct_dispute_may_name_a_case_or_a_complaint(world) -> None:
    engine, _, _, desk = world
    await desk.raise_direct(Acting("town-hexi"), "dept-urban", "M-AGR-002", "case-9", "r",
                            subject_kind="case")
    [raised] = events_of(engine, wire.DisputeRaised)
    assert (raised.subject_id, raised.subject_kind) == ("case-9", "case")


@pytest.mark.rule("ESC-5")
async def test_an_end_or_pause_declared_at_no_real_time_or_in_the_future_counts_when_recorded(
        world) -> None:
    engine, _, metrics, _ = world
    year_one = datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=8)))
    cause = sample_of(ref.CaseTransferred).model_copy(update={"occurred_at": T0 + 2 * HOUR})
    await run(engine, Open("transfer:a", "REF-5", "移送", TOWN, T0),
              Open("transfer:b", "REF-5", "移送", TOWN, T0),
              Close("transfer:a", year_one), Close("transfer:b", T0 + 400 * HOUR), cause=cause)
    for deadline_id in ("transfer:a", "transfer:b"):  # done when recorded, not late
        d = await deadline(engine, deadline_id)
        assert d["state"] == "done" and d["done_at"] == T0 + 2 * HOUR
    await run(engine, Open("transfer:c", "REF-5", "移送", TOWN, T0), dispute(),
              Pause("transfer:c", "dsp-case-1", year_one), cause=cause)
    assert (await deadline(engine, "transfer:c"))["paused_at"] == T0 + 2 * HOUR
    await run(engine, Extend("transfer:c", year_one), Extend("transfer:d", year_one), cause=cause)
    assert (await deadline(engine, "transfer:c"))["due_at"] == T0 + 24 * HOUR
    assert await engine.store.db.deadlines.find_one({"_id": "transfer:d"}) is None
    assert metrics.breaches == []
