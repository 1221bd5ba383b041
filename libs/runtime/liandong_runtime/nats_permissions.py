"""Who may do what on NATS, declared once: the embedded server's users and the production
`nsc` commands (`liandong-nats-permissions`) are both generated from here.

A service publishes only its own subjects, `liandong.<service>.>` (each service is the
`Producer` of its name), and consumes only the durable consumers it owns: those its own
subscribers register, read off its composition root rather than listed a second time.
It may create any missing stream (a consumer may start before the producer) but change
only its own. The operator republishes dead letters (`liandong-dead-letters replay`) and
reads the streams. Nobody here deletes or purges a stream or deletes a consumer: that is
the account administrator's work, with credentials no service holds.

NATS matches permissions by whole tokens, so a consumer is allowed by its exact name;
a `<service>-` prefix cannot be expressed.

Each service also publishes the addressed copies of its own events
(`liandong.to.<org>.<service>.>`, `addressing`) and answers the commands organisations
send it (`liandong.cmd.<org>.<service>.<command>`, `bus_commands`): it subscribes to
those and may publish the one reply to each request (`allow_responses`).

Every organisation of the directory is a user too (`org_grant`, named by its id): it
reads only `liandong.to.<org>.>` of LIANDONG_ADDRESSED, through its own durables
`<org>-1` ... `<org>-<ORG_DURABLES>` (created with its own subjects as their filter, the
API subject that carries the filter: nothing else can be created), and sends only its
own commands, `liandong.cmd.<org>.>`. It reads no service's stream.
"""

import importlib
import json
import logging
import os
import secrets
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from liandong_contracts.envelope import SUBJECT_PREFIX, stream_subjects
from liandong_runtime.addressing import ADDRESSED_STREAM, TO, org_subjects
from liandong_runtime.bus_commands import command_subjects, served_subjects
from liandong_runtime.deadletters import ADVISORY
from liandong_runtime.metrics import durables
from liandong_runtime.refdata import default_dir, load_reference_data
from liandong_runtime.settings import inbox_of
from liandong_runtime.streams import PRODUCERS, stream_name

API = "$JS.API"
OPERATOR = "operator"
INBOX = "_INBOX.>"
FORBIDDEN = (f"{API}.STREAM.DELETE.>", f"{API}.STREAM.PURGE.>", f"{API}.STREAM.MSG.DELETE.>",
             f"{API}.CONSUMER.DELETE.>", f"{API}.ACCOUNT.>", f"{API}.META.>", f"{API}.SERVER.>")


@dataclass(frozen=True)
class Grant:
    """What one NATS user may publish and subscribe to; everything else is refused."""

    user: str
    publish: tuple[str, ...]
    subscribe: tuple[str, ...]
    deny_publish: tuple[str, ...] = FORBIDDEN
    responses: bool = False  # may answer the requests it receives (their reply subjects)


def service_grant(service: str, consumers: Mapping[str, str]) -> Grant:
    """`consumers`: the durables the service owns, name -> stream."""
    streams = [stream_name(producer) for producer in PRODUCERS]
    owned = sorted(consumers.items())
    return Grant(service, publish=(
        stream_subjects(service),  # type: ignore[arg-type]
        f"{SUBJECT_PREFIX}.{TO}.*.{service}.>",  # its events' addressed copies
        *(f"{API}.STREAM.INFO.{stream}" for stream in [*streams, ADDRESSED_STREAM]),
        *(f"{API}.STREAM.CREATE.{stream}" for stream in [*streams, ADDRESSED_STREAM]),
        f"{API}.STREAM.UPDATE.{stream_name(service)}",
        f"{API}.STREAM.UPDATE.{ADDRESSED_STREAM}",
        # the message JetStream gave up delivering, fetched to be parked
        *(f"{API}.STREAM.MSG.GET.{stream}" for stream in sorted(set(consumers.values()))),
        *(subject for durable, stream in owned for subject in _consuming(stream, durable)),
    ), subscribe=(f"{inbox_of(service)}.>",  # its own replies only: not another's pulls
                  *(f"{ADVISORY}.{stream}.{durable}" for durable, stream in owned),
                  served_subjects(service)), responses=True)


ORG_DURABLES = 3  # durable consumers an organisation may keep on its addressed events


def org_durables(org_id: str) -> tuple[str, ...]:
    return tuple(f"{org_id}-{n}" for n in range(1, ORG_DURABLES + 1))


def org_grant(org_id: str) -> Grant:
    """An organisation's own system: its addressed events through its own durables (each
    created with its own subjects as the filter), its own commands, its own replies."""
    own = org_subjects(org_id)
    consuming = [subject for durable in org_durables(org_id) for subject in (
        f"{API}.CONSUMER.CREATE.{ADDRESSED_STREAM}.{durable}.{own}",
        f"{API}.CONSUMER.INFO.{ADDRESSED_STREAM}.{durable}",
        f"{API}.CONSUMER.MSG.NEXT.{ADDRESSED_STREAM}.{durable}",
        f"$JS.ACK.{ADDRESSED_STREAM}.{durable}.>")]
    return Grant(org_id, publish=(*consuming, command_subjects(org_id)),
                 subscribe=(f"{inbox_of(org_id)}.>",))


def _consuming(stream: str, durable: str) -> tuple[str, ...]:
    """Create (each API generation's subject), inspect, pull from and settle one durable."""
    return (f"{API}.CONSUMER.DURABLE.CREATE.{stream}.{durable}",
            f"{API}.CONSUMER.CREATE.{stream}.{durable}",
            f"{API}.CONSUMER.CREATE.{stream}.{durable}.>",
            f"{API}.CONSUMER.INFO.{stream}.{durable}",
            f"{API}.CONSUMER.MSG.NEXT.{stream}.{durable}",
            f"$JS.ACK.{stream}.{durable}.>")


def operator_grant() -> Grant:
    """Replay any liandong event; read the streams (ephemeral consumers included)."""
    return Grant(OPERATOR, publish=(
        f"{SUBJECT_PREFIX}.>", f"{API}.INFO", f"{API}.STREAM.NAMES", f"{API}.STREAM.LIST",
        f"{API}.STREAM.INFO.*", f"{API}.STREAM.MSG.GET.*", f"{API}.CONSUMER.NAMES.*",
        f"{API}.CONSUMER.LIST.*", f"{API}.CONSUMER.INFO.*.*", f"{API}.CONSUMER.CREATE.*",
        "$JS.FC.>",  # an ordered consumer's flow-control replies
    ), subscribe=(INBOX,))


@cache
def wired_consumers(service: str) -> Mapping[str, str]:
    """The durables `service` subscribes with, from its app built (once) but never started."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)  # the calendar's missing-year notice, five times
        try:
            app = importlib.import_module(f"{service}.bootstrap").build_app()
        finally:
            logging.disable(logging.NOTSET)
    return durables(app.state.runtime.broker)


def declaration() -> list[Grant]:
    """The services and the operator."""
    return [*(service_grant(s, wired_consumers(s)) for s in PRODUCERS), operator_grant()]


def organisations(refdata_dir: Path | None = None) -> list[str]:
    """The ids of the directory's organisations (`REFDATA_DIR`, else the district's)."""
    folder = refdata_dir or Path(os.environ.get("REFDATA_DIR") or default_dir())
    return [org.id for org in load_reference_data(folder).directory]


def everyone(refdata_dir: Path | None = None) -> list[Grant]:
    """The services, the operator and one user per organisation of the directory."""
    grants = declaration()
    taken = {grant.user for grant in grants}
    clash = taken & set(orgs := organisations(refdata_dir))
    if clash:
        raise ValueError(f"organisation ids {sorted(clash)} are taken by NATS users")
    return [*grants, *(org_grant(org) for org in orgs)]


def new_passwords(users: Iterable[str]) -> dict[str, str]:
    return {user: secrets.token_urlsafe(24) for user in users}


def authorization(grants: Iterable[Grant], passwords: Mapping[str, str]) -> str:
    """The nats-server `authorization` block (its config reads JSON), one user per grant."""
    users = [{"user": g.user, "password": passwords[g.user], "permissions": {
        "publish": {"allow": list(g.publish), "deny": list(g.deny_publish)},
        "subscribe": {"allow": list(g.subscribe)},
        **({"allow_responses": True} if g.responses else {})}} for g in grants]
    return f"authorization {{\n  users = {json.dumps(users, indent=2)}\n}}\n"
