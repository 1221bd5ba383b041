"""Commands over NATS: an organisation's system asks a service by request-reply.

    request  liandong.cmd.<org_id>.<service>.<command>
             {"command_id": "...", "id": "<the path's id, e.g. a case>",
              "person": "<staff id, optional>", "input": {<the HTTP body>}}
    reply    {"ok": true, "status": 201, "result": {...}}
          or {"ok": false, "status": 422, "rule": "REF-7", "field": "...", "detail": "..."}

The acting organisation is the subject's `<org_id>`, which only that organisation's NATS
user may publish to (`nats_permissions.org_grant`): it is never a field of the message.
Each command is served by the same service method as its HTTP route, its `input`
checked by the same request model (`http_inputs.Body`), so the rules, refusals (status,
rule ID, field) and limits are the HTTP API's.

Idempotency: the first answer to `(org, command_id)` is kept for COMMAND_ID_TTL_S (a day);
the same id again gets that answer again and nothing runs. The id is claimed before the
work: a repeat arriving while the first is still being worked on is answered 409
`command_id` (ask again). A crash between the change's commit and keeping its answer
leaves the id unclaimed: a repeat runs again and gets the rule's refusal for a change
already made (nothing changes twice either way).
"""

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import APIRouter, HTTPException
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from liandong_contracts.envelope import SUBJECT_PREFIX
from liandong_runtime.acting import Acting
from liandong_runtime.errors import NotAllowed, NotFound, RuleViolation

if TYPE_CHECKING:
    from liandong_runtime.runtime import Runtime

log = logging.getLogger("liandong.commands")
CMD = "cmd"
COMMAND_ID_TTL_S = 24 * 3600
MAX_COMMAND_BYTES = 64 * 1024
MAX_IN_FLIGHT = 32
SHORT = 300
M = TypeVar("M", bound=BaseModel)


def command_subject(org_id: str, service: str, command: str) -> str:
    return f"{SUBJECT_PREFIX}.{CMD}.{org_id}.{service}.{command}"


def command_subjects(org_id: str) -> str:
    """Every command `org_id` may send."""
    return f"{SUBJECT_PREFIX}.{CMD}.{org_id}.>"


def served_subjects(service: str) -> str:
    """Every command `service` serves, whoever sends it."""
    return f"{SUBJECT_PREFIX}.{CMD}.*.{service}.>"


class CommandMessage(BaseModel):
    """The envelope of every command; `input` is checked by the command's own model."""

    model_config = ConfigDict(extra="forbid")

    command_id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$",
                            description="the sender's id; repeated within a day: same answer")
    id: str | None = Field(default=None, min_length=1, max_length=64,
                           description="what the command is about (the HTTP path's id)")
    person: str | None = Field(default=None, min_length=1, max_length=64)
    input: dict[str, Any] = Field(default_factory=dict, description="the HTTP body")


Handler = Callable[[Acting, CommandMessage, Any], Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True)
class Route:
    """`input`: the HTTP route's request model, which checks the command's `input` (and
    documents it); the handler gets the checked model (None for a command without one)."""

    handler: Handler
    status: int = 202
    needs_id: str | None = None  # the name of `id` in refusals, when the command needs one
    input: type[BaseModel] | None = None


class Refused(Exception):
    def __init__(self, status: int, field: str | None, detail: str,
                 rule: str | None = None) -> None:
        super().__init__(detail)
        self.answer = {"ok": False, "status": status, "field": field, "detail": detail[:SHORT],
                       **({"rule": rule} if rule else {})}


def refusal_of(exc: Exception) -> dict[str, Any] | None:
    """The answer a domain error gets, as the HTTP API gives it (`http_errors`)."""
    if isinstance(exc, Refused):
        return exc.answer
    if isinstance(exc, RuleViolation):
        return Refused(422, exc.field, exc.message, exc.rule).answer
    if isinstance(exc, NotAllowed):
        return Refused(409 if exc.field == "status" else 403, exc.field, exc.message).answer
    if isinstance(exc, NotFound):
        return Refused(404, None, f"not found: {exc.what}").answer
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        field = ".".join(map(str, first["loc"])) or "body"
        return Refused(422, field, f"{field}: {first['msg']}").answer
    return None


def parse_input(model: type[M], message: CommandMessage) -> M:
    """The command's input checked by its HTTP request model; fields named `input.…`."""
    try:
        return model.model_validate(message.input)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(["input", *map(str, first["loc"])])
        raise Refused(422, field, f"{field}: {first['msg']}") from None


class CommandReplies:
    """The first answer to each (organisation, command id), kept a day."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db.command_replies

    async def ensure_indexes(self) -> None:
        await self.col.create_index("at", expireAfterSeconds=COMMAND_ID_TTL_S)

    async def claim(self, key: str, subject: str) -> dict[str, Any] | None:
        """None: the id is ours to run; else the answer it already got (or a refusal)."""
        now = datetime.now(UTC)
        try:
            await self.col.insert_one({"_id": key, "subject": subject, "at": now})
            return None
        except DuplicateKeyError:
            kept = await self.col.find_one({"_id": key})
        if kept is None:
            return await self.claim(key, subject)
        at = kept["at"] if kept["at"].tzinfo else kept["at"].replace(tzinfo=UTC)
        if now - at > timedelta(seconds=COMMAND_ID_TTL_S):  # expired, not yet swept
            await self.col.delete_one({"_id": key, "at": kept["at"]})
            return await self.claim(key, subject)
        if kept["subject"] != subject:
            return Refused(409, "command_id", "this command id was used for another "
                           "command").answer
        if "answer" not in kept:
            return Refused(409, "command_id", "a command with this id is being worked on; "
                           "ask again").answer
        return dict(kept["answer"])

    async def keep(self, key: str, answer: dict[str, Any]) -> None:
        await self.col.update_one({"_id": key}, {"$set": {"answer": answer}})

    async def release(self, key: str) -> None:
        await self.col.delete_one({"_id": key, "answer": {"$exists": False}})


class CommandBus:
    """The commands one service serves over NATS, each bound to its service method."""

    def __init__(self, service: str, replies: CommandReplies) -> None:
        self.service = service
        self.replies = replies
        self.routes: dict[str, Route] = {}
        self.slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.tasks: set[asyncio.Task[None]] = set()
        self.directory: Any = None
        self.server_url = ""

    def router(self) -> APIRouter:
        """`GET /asyncapi/orgs/<org_id>.json`: one organisation's view of this service."""
        from liandong_runtime.org_asyncapi import org_document

        api = APIRouter(tags=["operations"])

        @api.get("/asyncapi/orgs/{org_id}.json")
        async def org_asyncapi(org_id: str) -> dict[str, Any]:
            if self.directory is None or org_id not in self.directory:
                raise HTTPException(404, "no such organisation")
            return org_document(org_id, self.service, self.routes, self.server_url)

        return api

    @classmethod
    def of(cls, rt: "Runtime") -> "CommandBus":
        """The service's bus, served once its broker has connected."""
        bus = cls(rt.settings.service, CommandReplies(rt.store.db))
        bus.directory, bus.server_url = rt.refdata.directory, rt.settings.nats.url
        rt.on_start.append(bus.replies.ensure_indexes)
        rt.background.append(lambda: bus.serve(rt.broker.config.connection_state.connection))
        return bus

    def route(self, command: str, status: int = 202, needs_id: str | None = None,
              input: type[BaseModel] | None = None) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes[command] = Route(handler, status, needs_id, input)
            return handler
        return register

    async def serve(self, nc: NatsClient) -> None:
        """Until cancelled: one queue group per service, so replicas share the work."""
        sub = await nc.subscribe(served_subjects(self.service), queue=f"{self.service}-commands",
                                 cb=self._received)
        log.info("serving %d commands on %s", len(self.routes), served_subjects(self.service))
        try:
            await asyncio.Event().wait()
        finally:
            try:
                await sub.unsubscribe()
            except Exception:  # the connection is already closed at shutdown
                pass

    async def _received(self, msg: Msg) -> None:
        task = asyncio.create_task(self._answer(msg))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _answer(self, msg: Msg) -> None:
        async with self.slots:
            answer = await self.answer(msg.subject, msg.data)
        if msg.reply:
            await msg.respond(json.dumps(answer, default=str).encode())

    async def answer(self, subject: str, data: bytes) -> dict[str, Any]:
        tokens = subject.split(".")
        if len(tokens) != 5 or tokens[1] != CMD or tokens[3] != self.service:
            return Refused(404, "subject", f"no such command: {subject}").answer
        org, command = tokens[2], tokens[4]
        try:
            route = self.routes.get(command)
            if route is None:
                raise Refused(404, "command", f"{self.service} has no command {command!r}")
            message = self._message(data, route)
            body = parse_input(route.input, message) if route.input else None
        except Refused as exc:
            return exc.answer
        key = f"{org}:{message.command_id}"
        kept = await self.replies.claim(key, subject)
        if kept is not None:
            log.info("command %s %s from %s: answered again", command, message.command_id, org)
            return kept
        try:
            result = await route.handler(Acting(org, message.person), message, body)
            answer: dict[str, Any] = {"ok": True, "status": route.status, "result": result or {}}
        except Exception as exc:
            refused = refusal_of(exc)
            if refused is None:
                await self.replies.release(key)
                log.exception("command %s from %s failed", command, org)
                return {"ok": False, "status": 500, "field": None,
                        "detail": "internal error; the command may be sent again"}
            answer = refused
        await self.replies.keep(key, answer)
        log.info("command %s %s from %s: %s", command, message.command_id, org, answer["status"])
        return answer

    @staticmethod
    def _message(data: bytes, route: Route) -> CommandMessage:
        if len(data) > MAX_COMMAND_BYTES:
            raise Refused(413, "body", f"a command is at most {MAX_COMMAND_BYTES} bytes")
        try:
            message = CommandMessage.model_validate_json(data)
        except ValidationError as exc:
            answer = refusal_of(exc)
            assert answer is not None
            raise Refused(answer["status"], answer["field"], answer["detail"]) from None
        if route.needs_id and message.id is None:
            raise Refused(422, "id", f"id: the {route.needs_id} is required")
        return message
