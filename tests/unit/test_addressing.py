"""Who each event is addressed to, read off the event itself; and what each organisation's
NATS user may do, from the directory."""

import pytest

from liandong_contracts import assistance_v1 as ast
from liandong_contracts import complaint_v1 as cmp
from liandong_contracts import escalation_v1 as esc
from liandong_contracts import joint_v1 as jnt
from liandong_contracts import referral_v1 as ref
from liandong_contracts.cloudevents import encode
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_contracts.registry import ALL_EVENTS
from liandong_contracts.samples import sample_of
from liandong_runtime.addressing import (
    addressed_subject,
    addressees,
    org_subjects,
    original_subject,
)
from liandong_runtime.nats_permissions import everyone, org_durables, org_grant, organisations
from liandong_runtime.relay import addressees_of

TOWN = OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇")
URBAN = OrgRef(id="dept-urban", kind=OrgKind.DEPARTMENT, name="城管局")
GOV = OrgRef(id="district-gov", kind=OrgKind.DISTRICT_GOVERNMENT, name="区政府")


def test_the_addressee_is_one_token_after_to_and_the_rest_is_the_events_subject() -> None:
    subject = ref.CaseTransferred.subject()
    addressed = addressed_subject("dept-urban", subject)
    assert addressed == "liandong.to.dept-urban.referral.case_transferred.v1"
    assert original_subject(addressed) == ("dept-urban", subject)
    assert org_subjects("dept-urban") == "liandong.to.dept-urban.>"
    with pytest.raises(ValueError, match="not an addressed"):
        original_subject(subject)


def test_a_transfer_goes_to_the_finder_and_the_receiver() -> None:
    event = sample_of(ref.CaseTransferred).model_copy(update={"actor": TOWN, "receiver": URBAN})
    assert addressees(event) == ["town-hexi", "dept-urban"]


def test_an_acceptance_goes_to_the_receiver_and_the_body_that_transferred() -> None:
    event = sample_of(ref.CaseTransferAccepted).model_copy(
        update={"actor": URBAN, "transferred_by": TOWN})
    assert addressees(event) == ["dept-urban", "town-hexi"]


def test_a_joint_call_goes_to_every_body_called() -> None:
    event = sample_of(jnt.JointEnforcementCalled)
    assert set(addressees(event)) == {event.actor.id, *(org.id for org in event.called)}


def test_a_deadline_notice_goes_to_the_responsible_body_and_the_district_government() -> None:
    event = sample_of(esc.DistrictGovernmentNotified).model_copy(
        update={"actor": GOV, "responsible": URBAN})
    assert addressees(event) == ["district-gov", "dept-urban"]


def test_a_dispute_goes_to_both_parties() -> None:
    event = sample_of(esc.DisputeRaised).model_copy(update={"actor": TOWN,
                                                            "parties": (TOWN, URBAN)})
    assert addressees(event) == ["town-hexi", "dept-urban"]


def test_an_assistance_request_goes_to_the_body_asked() -> None:
    event = sample_of(ast.AssistanceRequested).model_copy(update={"actor": TOWN,
                                                                  "receiver": URBAN})
    assert addressees(event) == ["town-hexi", "dept-urban"]


@pytest.mark.rule("CMP-8")
def test_a_complaint_goes_to_bodies_only_and_its_copy_is_the_event_as_published() -> None:
    event = sample_of(cmp.ComplaintForwarded)
    expected = list(dict.fromkeys([event.actor.id, event.receiver.id]))
    assert addressees(event) == expected
    body, headers = encode(event)
    doc = {"_id": str(event.event_id), "subject": event.subject(), "body": body,
           "headers": headers}
    assert addressees_of(doc) == expected  # from the bytes on the bus
    # organisations of the directory only: the complainant is no addressee
    assert set(expected) <= set(organisations())
    received = sample_of(cmp.ComplaintReceived)
    assert set(addressees(received)) <= set(organisations())


@pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda m: m.__name__)
def test_every_event_reaches_at_least_its_actor_and_only_organisations(model) -> None:
    event = sample_of(model)
    orgs = addressees(event)
    assert orgs[0] == event.actor.id and len(orgs) == len(set(orgs))


def test_every_organisation_of_the_directory_has_a_user_of_its_own() -> None:
    users = {grant.user: grant for grant in everyone()}
    assert set(organisations()) <= set(users) and "dept-urban" in users


def test_an_organisation_consumes_its_own_subjects_through_its_own_durables_only() -> None:
    grant = org_grant("dept-urban")
    assert not grant.responses
    assert grant.subscribe == ("_INBOX_dept-urban.>",)
    creates = [s for s in grant.publish if ".CONSUMER.CREATE." in s]
    assert creates == [f"$JS.API.CONSUMER.CREATE.LIANDONG_ADDRESSED.{d}.liandong.to.dept-urban.>"
                       for d in org_durables("dept-urban")]
    assert [s for s in grant.publish if s.startswith("liandong.")] == [
        "liandong.cmd.dept-urban.>"]
    assert all("town-hexi" not in s and "LIANDONG_REFERRAL" not in s and "*" not in s
               for s in grant.publish)


def test_what_is_not_a_contracts_event_is_addressed_to_nobody_and_still_published() -> None:
    doc = {"_id": "x", "subject": "liandong.referral.case_noted.v1", "body": b"{}",
           "headers": {"ce-type": "CaseNoted"}}
    assert addressees_of(doc) == []
