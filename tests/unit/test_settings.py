"""Settings read from the environment."""

import pytest

from liandong_runtime.settings import NatsSettings, ServiceSettings


def test_a_cluster_url_list_becomes_the_server_list() -> None:
    nats = NatsSettings(url="nats://nats-0:4222, nats://nats-1:4222,nats://nats-2:4222")
    assert nats.servers == ["nats://nats-0:4222", "nats://nats-1:4222", "nats://nats-2:4222"]


def test_nested_settings_come_from_their_prefixed_variables(monkeypatch) -> None:
    monkeypatch.setenv("NATS_URL", "nats://a:4222,nats://b:4222")
    monkeypatch.setenv("NATS_STREAM_REPLICAS", "3")
    monkeypatch.setenv("MONGODB_WRITE_CONCERN", "majority")
    monkeypatch.setenv("LIMITS", '{"REF-5": "12h"}')
    settings = ServiceSettings()
    assert settings.nats.servers == ["nats://a:4222", "nats://b:4222"]
    assert settings.nats.stream_replicas == 3 and settings.mongodb.write_concern == "majority"
    assert settings.limits == {"REF-5": "12h"}


def test_a_webhook_without_its_signing_key_is_refused_at_start() -> None:
    from pydantic import ValidationError

    from escalation.bootstrap import EscalationSettings

    with pytest.raises(ValidationError, match="WEBHOOK_SECRET"):
        EscalationSettings(webhook_url="https://district.example/hook")
    assert EscalationSettings(webhook_url="https://d.example/hook", webhook_secret="k").webhook_url
    assert EscalationSettings().webhook_secret == ""  # no webhook, no key needed
