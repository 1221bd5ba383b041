"""Settings shared by every service, read from the environment once and passed in.

`NATS_URL`, `MONGODB_URL`, `MONGODB_DATABASE`, `AUTH_JWKS_URL`, `HTTP_PORT`, `LOG_FORMAT`,
`OTEL_EXPORTER_OTLP_ENDPOINT` and friends: the nested parts
read `NATS_*`, `MONGODB_*` and `AUTH_*` variables. Pointing them at a NATS cluster and a MongoDB
replica set is all it takes to leave the embedded servers behind.
"""

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[3]
EMBEDDED_KEYS = REPO_ROOT / ".var" / "auth"  # the embedded identity provider (liandong-token)


class NatsSettings(BaseModel):
    url: str = "nats://127.0.0.1:4222"
    stream_replicas: int = Field(default=1, ge=1, le=5, description="3 in production")
    duplicate_window_s: float = Field(default=120, gt=0)
    ack_wait_s: float = Field(default=30, gt=0)
    max_deliver: int = Field(default=8, ge=2, description="then the message is dead-lettered")
    addressed_max_age_s: float = Field(default=7 * 24 * 3600, gt=0, description=(
        "how long the organisations' addressed events (LIANDONG_ADDRESSED) are kept for a "
        "consumer that was offline; set the same value for every service"))
    credentials_file: str | None = Field(
        default=None, description="NATS .creds of the service (production, nsc users)")
    user: str | None = Field(default=None, description="the service's user (embedded server)")
    password: SecretStr | None = None
    inbox_prefix: str = Field(default="_INBOX", description=(
        "replies to the service's requests and pulls come to `<prefix>.…`; a service's "
        "default is `_INBOX_<service>`, so that its NATS user listens to its own replies only"))

    @model_validator(mode="after")
    def _one_way_in(self) -> "NatsSettings":
        if self.credentials_file and self.user:
            raise ValueError("give NATS_CREDENTIALS_FILE or NATS_USER, not both")
        return self

    @property
    def servers(self) -> list[str]:
        """`NATS_URL` may list several servers of a cluster, comma-separated."""
        return [url.strip() for url in self.url.split(",") if url.strip()]


class MongoSettings(BaseModel):
    url: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    database: str = ""
    write_concern: str = Field(default="majority")


class AuthSettings(BaseModel):
    """`AUTH_JWKS_URL`, `AUTH_ISSUER`, `AUTH_AUDIENCE`, `AUTH_ORG_CLAIM`, ..."""

    jwks_url: str = Field(default=(EMBEDDED_KEYS / "jwks.json").as_uri(),
                          description="the identity provider's JWKS: https:// or file://")
    issuer: str = "liandong-embedded"
    audience: str = "liandong"
    org_claim: str = Field(default="org", description="the claim naming the organisation id")
    algorithms: list[str] = ["EdDSA", "ES256", "RS256"]
    leeway_s: int = Field(default=30, ge=0, le=300, description="clock skew tolerated")
    jwks_cache_s: int = Field(default=300, ge=1, description="how long fetched keys are kept")
    jwks_cooldown_s: float = Field(default=30, ge=0, description=(
        "at most one fetch per this time for a key not held: tokens with made-up key ids "
        "do not hammer the provider"))


class BackpressureSettings(BaseModel):
    """Bounded work per service: past it a fast 503 with Retry-After (`http_backpressure`)."""

    max_in_flight: int = Field(default=32, ge=1, description="requests worked on at once")
    max_waiting: int = Field(default=64, ge=0, description="requests waiting for a place")
    queue_wait_s: float = Field(default=0.25, ge=0, description="longest wait for a place")
    retry_after_s: int = Field(default=1, ge=1, description="the 503's Retry-After")


class ServiceSettings(BaseSettings):
    """What every service needs; each service subclasses it with its own parts."""

    model_config = SettingsConfigDict(
        env_nested_delimiter="_", env_nested_max_split=1, extra="ignore"
    )

    service: str = ""
    nats: NatsSettings = NatsSettings()
    mongodb: MongoSettings = MongoSettings()
    auth: AuthSettings = AuthSettings()
    backpressure: BackpressureSettings = BackpressureSettings()
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    log_level: str = "INFO"
    log_format: Literal["json", "text"] = Field(
        default="json", description="JSON lines for machines, text for a person at a terminal")
    otel_exporter_otlp_endpoint: str = Field(
        default="", description="OTLP/HTTP base URL; spans are exported only when it is set")
    refdata_dir: Path = REPO_ROOT / "data" / "district"
    calendar_file: Path = REPO_ROOT / "data" / "calendar" / "cn-workdays.toml"
    outbox_poll_s: float = Field(
        default=2.0, gt=0, description="the relay and the audit sealer are poked after each "
        "commit; this poll only picks up what a stopped replica left (idle cost: issue 13)")
    limits: dict[str, str] = Field(
        default_factory=dict, description='Per-rule limit overrides, e.g. {"REF-5": "24h"}; '
        "set the same value for every service")

    @property
    def database(self) -> str:
        return self.mongodb.database or f"liandong_{self.service}"

    @model_validator(mode="after")
    def _own_inbox(self) -> "ServiceSettings":
        if self.service and "inbox_prefix" not in self.nats.model_fields_set:
            self.nats = self.nats.model_copy(update={"inbox_prefix": inbox_of(self.service)})
        return self


def inbox_of(service: str) -> str:
    """The reply subjects' prefix of a service: `nats_permissions` lets it listen there only."""
    return f"_INBOX_{service}"
