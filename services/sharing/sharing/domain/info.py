"""A piece of shared information (共享信息), from its forming to its publication.

Status: `delayed` (SHR-4: the producer said before the day's limit that it cannot share
on the day) -> `published`; `requested` (SHR-2: a department asked a township for (3) or
(4)) -> `published`; or `published` at once. A publication after its due time is
accepted and recorded as late: the information must still flow, and the escalation
service reports the breach from the event's `formed_at` and `occurred_at`.
"""

from dataclasses import dataclass, field
from datetime import datetime

from liandong_runtime.refdata.model import Organisation
from sharing.domain import events as ev
from sharing.domain import rules
from sharing.domain.errors import NotAllowed
from sharing.domain.info_parts import Content, Delay, Heading, instant


@dataclass
class SharedInfo:
    id: str
    producer: Organisation
    heading: Heading
    due_at: datetime  # SHR-4: 24:00 of the day formed, or of the next working day
    delay: Delay | None = None
    content: Content | None = None
    published_at: datetime | None = None
    caused_by: str | None = None
    requested_by: Organisation | None = None  # SHR-2: the department that asked for it
    recorded_at: datetime | None = None  # ESC-5: when the platform first recorded it
    case_id: str | None = None  # SHR-3: the closed case it was fed from
    version: int = 0
    events: list[ev.InfoEvent] = field(default_factory=list)

    @classmethod
    def share(cls, info_id: str, producer: Organisation, heading: Heading, content: Content,
              *, due_at: datetime, now: datetime, person: str | None = None) -> "SharedInfo":
        """SHR-1 … SHR-4: a department or township shares information it formed."""
        rules.may_share(producer)
        rules.publishes(producer, heading.category)
        rules.formed_by(heading.formed_at, now)
        rules.no_contact_data(heading, content.summary)
        info = cls(info_id, producer, heading, instant(due_at), recorded_at=instant(now))
        info._publish(heading, content, now, person)
        return info

    @classmethod
    def request(cls, info_id: str, requester: Organisation, township: Organisation,
                heading: Heading, *, due_at: datetime, now: datetime,
                person: str | None = None) -> "SharedInfo":
        """SHR-2 (3)/(4): a department asks a township; `due_at` is the answer's limit."""
        rules.may_request(requester, township, heading.category)
        info = cls(info_id, township, heading, instant(due_at), requested_by=requester,
                   recorded_at=instant(now))
        info.events.append(ev.InfoRequested(heading, requester, instant(now), person))
        return info

    @classmethod
    def record_penalty_decision(cls, info_id: str, township: Organisation, heading: Heading,
                                content: Content, *, due_at: datetime, now: datetime,
                                caused_by: str, case_id: str) -> "SharedInfo":
        """SHR-3/SHR-2 (3): a township's closed case with a penalty, fed from where it is
        recorded, in the township's name."""
        rules.publishes(township, heading.category)
        info = cls(info_id, township, heading, instant(due_at), caused_by=caused_by,
                   recorded_at=instant(now), case_id=case_id)
        info._publish(heading, content, now, None)
        return info

    @classmethod
    def record_complaint_step(cls, info_id: str, handler: Organisation, heading: Heading,
                              content: Content, *, due_at: datetime, now: datetime,
                              caused_by: str) -> "SharedInfo":
        """SHR-2 (7): how a complaint was accepted and handled, in the handler's name."""
        info = cls(info_id, handler, heading, instant(due_at), caused_by=caused_by,
                   recorded_at=instant(now))
        info._publish(heading, content, now, None)
        return info

    @classmethod
    def declare_delay(cls, info_id: str, producer: Organisation, heading: Heading, reason: str,
                      new_due_at: datetime, *, due_at: datetime, latest: datetime,
                      now: datetime, person: str | None = None) -> "SharedInfo":
        """SHR-4/ESC-3: before the day's limit, the producer moves it, with a reason, by at
        most `latest` (SHR-4-MAX beyond the ordinary due time)."""
        rules.may_share(producer)
        rules.publishes(producer, heading.category)
        rules.formed_by(heading.formed_at, now)
        rules.reason_given(reason)
        rules.delay_declared_in_time(now, due_at)
        rules.new_due_after(new_due_at, due_at)
        rules.new_due_within(new_due_at, latest)
        delay = Delay(reason, instant(new_due_at), instant(now))
        info = cls(info_id, producer, heading, instant(due_at), delay=delay,
                   recorded_at=instant(now))
        info.events.append(ev.InfoSharingDelayed(heading, reason, delay.new_due_at,
                                                 delay.declared_at, person))
        return info

    def publish(self, actor: Organisation, heading: Heading, content: Content, now: datetime,
                person: str | None = None) -> None:
        """SHR-4: the information whose delay was declared is shared at last."""
        if actor.id != self.producer.id:
            what = "asked of" if self.requested_by else "declared by"
            raise NotAllowed("acting_org", f"the information was {what} {self.producer.name}")
        if self.published_at is not None:
            raise NotAllowed("status", f"information {self.id} is already published")
        if self.requested_by is not None:  # SHR-2: the answer, in the category asked for
            rules.same_category(self.heading, heading)
            content = content.including(self.requested_by.id)
        else:
            rules.same_information(self.heading, heading)
        rules.no_contact_data(heading, content.summary)
        self._publish(heading, content, now, person)

    @property
    def status(self) -> str:
        if self.published_at is not None:
            return "published"
        return "requested" if self.requested_by is not None and not self.delay else "delayed"

    @property
    def effective_due_at(self) -> datetime:
        return self.delay.new_due_at if self.delay else self.due_at

    @property
    def late(self) -> bool | None:
        """Published after its due time (or the declared new one); None until published."""
        return None if self.published_at is None else self.published_at > self.effective_due_at

    def _publish(self, heading: Heading, content: Content, now: datetime,
                 person: str | None) -> None:
        rules.audience_named(content.audience)
        self.heading, self.content, self.published_at = heading, content, instant(now)
        self.events.append(ev.InfoPublished(heading, content, self.published_at, person,
                                            self.caused_by, self.requested_by, self.case_id))
