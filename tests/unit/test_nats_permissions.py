"""The one declaration of who may do what on NATS, and the settings a service logs in with."""

import pytest
from pydantic import ValidationError

from liandong_runtime.nats_permissions import FORBIDDEN, OPERATOR, declaration
from liandong_runtime.nats_permissions_cli import nsc_command
from liandong_runtime.settings import NatsSettings, ServiceSettings
from liandong_runtime.streams import PRODUCERS

GRANTS = {grant.user: grant for grant in declaration()}


def test_every_service_and_the_operator_has_a_user() -> None:
    assert set(GRANTS) == {*PRODUCERS, OPERATOR}


def test_a_service_publishes_events_only_under_its_own_name() -> None:
    for service in PRODUCERS:
        events = [s for s in GRANTS[service].publish if s.startswith("liandong.")]
        # its own events, and their copies addressed to organisations (`addressing`)
        assert events == [f"liandong.{service}.>", f"liandong.to.*.{service}.>"]


def test_each_durable_consumer_belongs_to_one_service_and_carries_its_name() -> None:
    owners: dict[str, str] = {}
    for service in PRODUCERS:
        for subject in GRANTS[service].publish:
            if subject.startswith("$JS.API.CONSUMER.MSG.NEXT."):
                durable = subject.rsplit(".", 1)[1]
                assert durable.startswith(f"{service}-") and durable not in owners
                owners[durable] = service
    assert len(owners) > 20 and "escalation-referral-case-transferred" in owners


def test_nobody_may_delete_or_purge_and_only_the_producer_may_change_its_stream() -> None:
    for grant in GRANTS.values():
        assert set(FORBIDDEN) <= set(grant.deny_publish)
        assert not [s for s in grant.publish if ".DELETE." in s or ".PURGE." in s]
        updates = [s for s in grant.publish if ".STREAM.UPDATE." in s]
        assert updates == ([] if grant.user == OPERATOR
                           else [f"$JS.API.STREAM.UPDATE.LIANDONG_{grant.user.upper()}",
                                 "$JS.API.STREAM.UPDATE.LIANDONG_ADDRESSED"])


def test_the_nsc_command_keeps_the_dollar_subjects_literal_for_the_shell() -> None:
    command = nsc_command(GRANTS["referral"], "LIANDONG", "add")
    assert command.startswith("nsc add user --account LIANDONG --name referral \\\n")
    assert "--allow-pub '$JS.ACK.LIANDONG_ESCALATION.referral-dispute-settled.>'" in command


def test_a_service_logs_in_with_its_user_and_a_password_kept_out_of_reprs(monkeypatch) -> None:
    monkeypatch.setenv("NATS_USER", "referral")
    monkeypatch.setenv("NATS_PASSWORD", "s3cret")
    nats = ServiceSettings().nats
    assert nats.user == "referral" and nats.password is not None
    assert nats.password.get_secret_value() == "s3cret" and "s3cret" not in repr(nats)


def test_a_creds_file_and_a_user_together_are_refused() -> None:
    with pytest.raises(ValidationError, match="not both"):
        NatsSettings(credentials_file="/secrets/nats.creds", user="referral")
