"""Properties of a case under any sequence of commands by anyone (REF, CRM, JUR-2): status,
the judicial path and the owner's notice move only along their graphs, and a refused command
changes nothing."""

import copy
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from liandong_runtime.refdata import default_dir, load_reference_data
from referral.domain.case import Case, Finding
from referral.domain.errors import NotAllowed, RuleViolation
from referral.domain.events import Materials

DISTRICT = load_reference_data(default_dir())
ORG = DISTRICT.directory.get
SHANGHAI = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)
MATERIALS = Materials("https://files.example/letter.pdf", ("https://files.example/record.pdf",),
                      ("https://files.example/photo.jpg",))
STATUS = {("found", "transferred"), ("transferred", "accepted"), ("transferred", "refused"),
          ("transferred", "returned"), ("returned", "transferred"), ("refused", "accepted"),
          ("accepted", "closed")}
ONGOING = {("none", "none"), ("none", "reported"), ("reported", "reported"),
           ("reported", "acknowledged"), ("acknowledged", "acknowledged")}
CRIME = {("none", "suspected"), ("declined", "suspected"), ("suspected", "transferred"),
         ("transferred", "accepted"), ("transferred", "declined")}

# who acts: mostly the body the command is for (so sequences get far), sometimes anyone
RIGHT = {"report_ongoing": "finder", "acknowledge_ongoing": "owner",
         "raise_historical_dispute": "owner", "transfer": "finder", "accept": "owner",
         "refuse": "owner",
         "settle_ownership": "owner", "suspect_crime": "handler",
         "transfer_to_judiciary": "handler", "record_judiciary_decision": "judicial_organ",
         "close": "handler"}
actors = st.sampled_from(["right"] * 6 + ["town-hexi", "dept-urban", "dept-market",
                                          "police-bureau"])
organs = st.sampled_from(["police-bureau", "court", "dept-market"]).map(ORG)
ARGS = {
    "report_ongoing": st.tuples(st.just(AT), st.just("仍在施工")),
    "acknowledge_ongoing": st.tuples(st.none(), st.sampled_from(["", "已有许可"])),
    "raise_historical_dispute": st.tuples(st.just("应由区局办理")),
    "transfer": st.tuples(st.just(MATERIALS), st.just(DISTRICT)),
    "accept": st.tuples(),
    "refuse": st.tuples(st.sampled_from(["jurisdiction", "materials", "other", "maybe"]),
                        st.sampled_from(["", "不属本局管辖"])),
    "settle_ownership": st.tuples(st.just("dsp-1"), st.just("agreement")),
    "suspect_crime": st.tuples(st.just("涉嫌犯罪")),
    "transfer_to_judiciary": st.tuples(
        organs, st.sampled_from([(), ("https://files.example/record.pdf",)])),
    "record_judiciary_decision": st.tuples(st.sampled_from(["accepted", "declined"]),
                                           st.just("理由")),
    "close": st.tuples(st.sampled_from(["administrative_penalty", "no_violation",
                                        "judicial_accepted", "other"]), st.just(AT)),
}
calls = st.sampled_from(sorted(ARGS)).flatmap(
    lambda verb: st.tuples(st.just(verb), actors, ARGS[verb]))


def actor(case: Case, verb: str, who: str):
    if who != "right":
        return ORG(who)
    if verb == "settle_ownership":  # the owner the dispute settled on: not an actor
        return ORG("dept-market")
    return getattr(case, RIGHT[verb]) or ORG("police-bureau")


def found_case() -> Case:
    finding = Finding(DISTRICT.catalogue.matter("M-URB-009"), ORG("town-hexi"), AT,
                      urgent=False, summary="无证建设")
    return Case.record("case-1", ORG("town-hexi"), ORG("dept-urban"), finding, DISTRICT)


@pytest.mark.rule("REF-9")
@pytest.mark.rule("CRM-2")
@settings(max_examples=300)
@given(st.lists(calls, min_size=4, max_size=25))
def test_a_case_moves_only_along_its_graph_and_refusals_change_nothing(sequence) -> None:
    case = found_case()
    for verb, who, args in sequence:
        before = copy.deepcopy(case)
        try:
            getattr(case, verb)(actor(case, verb, who), *args)
        except (NotAllowed, RuleViolation):
            assert case == before, f"{verb} was refused but changed the case"
            continue
        assert before.status == case.status or (before.status, case.status) in STATUS, verb
        assert before.crime == case.crime or (before.crime, case.crime) in CRIME, verb
        assert (before.ongoing, case.ongoing) in ONGOING, verb
        assert len(case.events) == len(before.events) + 1, f"{verb} recorded no event"
        if verb == "close":  # CRM-2: never while pending; only as handed over
            assert case.crime not in ("suspected", "transferred"), case.crime
            assert (case.crime == "accepted") == (case.events[-1].outcome == "judicial_accepted")
    event(f"ends {case.status}, crime {case.crime}")  # --hypothesis-show-statistics
