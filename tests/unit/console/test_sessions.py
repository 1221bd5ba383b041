"""Server-side sessions and what a case page offers."""

import time

from console.entrypoints.pages import case_actions, dispute_actions
from console.sessions import Session, SessionStore


def session(org: str, kind: str = "township") -> Session:
    return Session(org=org, org_name=org, org_kind=kind, person="p", token="t",
                   expires_at=time.time() + 60)


def test_a_session_is_found_by_its_id_only_and_expires() -> None:
    store = SessionStore(max_sessions=2)
    kept = store.add(session("town-hexi"))
    assert store.get(kept.id) is kept
    assert store.get("forged") is None and store.get(None) is None
    old = store.add(session("town-a"))
    old.expires_at = time.time() - 1
    assert store.get(old.id) is None
    store.add(session("town-b"))
    store.add(session("town-c"))  # bounded: the oldest goes
    assert store.get(kept.id) is None


def test_the_csrf_token_is_the_sessions_own() -> None:
    one, two = session("town-hexi"), session("town-hexi")
    assert one.csrf_ok(one.csrf)
    assert not one.csrf_ok(two.csrf) and not one.csrf_ok("") and not one.csrf_ok(None)


def test_a_case_offers_each_party_only_what_it_may_do_now() -> None:
    case = {"status": "found", "finder_id": "town-hexi", "owner_id": "dept-urban",
            "kind": "transfer", "ongoing": "none", "crime": "none"}
    assert case_actions(case, session("town-hexi")) == {"transfer", "ongoing", "crime"}
    assert case_actions(case, session("dept-urban")) == set()
    sent = {**case, "status": "transferred"}
    assert case_actions(sent, session("dept-urban")) == {"accept", "refuse"}
    assert case_actions(sent, session("town-hexi")) == {"crime"}
    taken = {**case, "status": "accepted"}
    assert case_actions(taken, session("dept-urban")) == {"crime", "close"}
    assert case_actions(taken, session("town-beishan")) == set()


def test_a_dispute_is_settled_by_its_parties_and_decided_by_the_government() -> None:
    dispute = {"parties": [{"id": "town-hexi"}, {"id": "dept-urban"}], "state": "negotiating"}
    assert dispute_actions(dispute, session("town-hexi")) == {"agreement", "escalation"}
    gov = session("district-gov", "district_government")
    assert dispute_actions(dispute, gov) == set()
    assert dispute_actions({**dispute, "state": "escalated"}, gov) == {"decision"}
