"""The envelope every event travels in, and the subject naming scheme.

Subjects are `liandong.<producer>.<event_in_snake_case>.v<schema_version>`, for example
`liandong.referral.case_transferred.v1`. Within a version, changes are additions with
defaults; anything else is a new model with a new version on a new subject.
"""

import re
from datetime import datetime
from typing import ClassVar, Literal
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from liandong_contracts.orgs import OrgRef

Producer = Literal["referral", "complaint", "sharing", "assistance", "escalation"]
SUBJECT_PREFIX = "liandong"


def snake(name: str) -> str:
    """`CaseTransferred` -> `case_transferred`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class Event(BaseModel):
    """Common envelope: identity, type, version, time, producer, actor and lineage.

    Consumers are tolerant readers: fields they do not know are ignored.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    producer: ClassVar[Producer]

    event_id: UUID = Field(default_factory=uuid4)
    type: str
    schema_version: int
    occurred_at: AwareDatetime
    actor: OrgRef = Field(description="The organisation in whose name the event happened")
    acting_person: str | None = Field(
        default=None, max_length=64, description="Staff identifier within the actor, if any"
    )
    correlation_id: str = Field(
        min_length=1, max_length=64, description="The case, complaint or matter it belongs to"
    )
    causation_id: UUID | None = Field(default=None, description="The event that caused it")

    @classmethod
    def event_name(cls) -> str:
        return cls.model_fields["type"].default

    @classmethod
    def version(cls) -> int:
        return cls.model_fields["schema_version"].default

    @classmethod
    def subject(cls) -> str:
        return f"{SUBJECT_PREFIX}.{cls.producer}.{snake(cls.event_name())}.v{cls.version()}"

    @property
    def time(self) -> datetime:
        return self.occurred_at


def stream_subjects(producer: Producer) -> str:
    """The wildcard that covers every subject one producer publishes."""
    return f"{SUBJECT_PREFIX}.{producer}.>"
