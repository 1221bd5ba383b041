"""The AsyncAPI document of one organisation's view of one service: what it receives
(the service's events addressed to it) and what it may send (the service's commands in
its name, with their replies). Served by each service at
`/asyncapi/orgs/<org_id>.json`; generated from the contracts and the command routes, so
it says what the code does.

Subjects: `liandong.to.<org_id>.<producer>.<event>.v<N>`, the addressee right after `to`,
so that one permission, `liandong.to.<org_id>.>`, is the organisation's whole view, and
the rest is the event's own subject (filter by producer or event as a service does).
"""

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from liandong_contracts.envelope import Event
from liandong_contracts.registry import ALL_EVENTS
from liandong_runtime.addressing import ADDRESSED_STREAM, addressed_subject
from liandong_runtime.bus_commands import CommandMessage, command_subject

if TYPE_CHECKING:
    from liandong_runtime.bus_commands import Route

REF = "#/components/schemas/{model}"
ENVELOPE = ("CloudEvents 1.0 in binary mode: `ce-id`, `ce-source`, `ce-type`, "
            "`ce-specversion`, `ce-subject` (the case, complaint or matter), `ce-time` as "
            "NATS headers; the body is the event (JSON). `Nats-Msg-Id` is "
            "`<event id>.<org_id>`.")


def _schema(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template=REF)
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return {"$ref": REF.format(model=model.__name__)}


def events_of(service: str) -> list[type[Event]]:
    return [model for model in ALL_EVENTS if model.producer == service]


def org_document(org_id: str, service: str, routes: "dict[str, Route]",
                 server_url: str) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for model in events_of(service):
        name = f"{model.__name__}V{model.version()}"
        messages[name] = {"name": name, "title": model.event_name(),
                          "summary": (model.__doc__ or "").strip().split("\n")[0],
                          "description": ENVELOPE, "contentType": "application/json",
                          "payload": _schema(model, schemas)}
        key = f"to.{model.subject().split('.', 1)[1]}"
        channels[key] = {"address": addressed_subject(org_id, model.subject()),
                         "messages": {name: {"$ref": f"#/components/messages/{name}"}},
                         "bindings": {"nats": {"bindingVersion": "custom",
                                               "stream": ADDRESSED_STREAM}}}
        operations[f"receive.{key}"] = {
            "action": "receive", "channel": {"$ref": f"#/channels/{key}"},
            "summary": f"through a durable `{org_id}-1` … `{org_id}-3` on {ADDRESSED_STREAM}"}
    envelope = CommandMessage.model_json_schema(ref_template=REF)
    schemas["CommandReply"] = REPLY
    for command, route in sorted(routes.items()):
        name = f"Command_{command}"
        payload = {**envelope, "title": name, "properties": {
            **envelope["properties"],
            "input": _schema(route.input, schemas) if route.input else {
                "type": "object", "description": "none"}}}
        if route.needs_id:
            payload["required"] = [*payload.get("required", []), "id"]
            payload["properties"]["id"] = {**payload["properties"]["id"],
                                           "description": f"the {route.needs_id}"}
        schemas[name] = payload
        messages[name] = {"name": name, "contentType": "application/json",
                          "payload": {"$ref": REF.format(model=name)}}
        key = f"cmd.{service}.{command}"
        channels[key] = {"address": command_subject(org_id, service, command),
                         "messages": {name: {"$ref": f"#/components/messages/{name}"}}}
        operations[f"send.{key}"] = {
            "action": "send", "channel": {"$ref": f"#/channels/{key}"},
            "summary": f"answered {route.status} when done, else a refusal",
            "reply": {"messages": [{"$ref": "#/components/messages/CommandReply"}]}}
    messages["CommandReply"] = {"name": "CommandReply", "contentType": "application/json",
                                "payload": {"$ref": REF.format(model="CommandReply")}}
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"liandong {service} for {org_id}", "version": "1.0",
                 "description": "What this organisation receives from and may send to the "
                                f"{service} service (docs/integration.md)."},
        "defaultContentType": "application/json",
        "servers": {"district": {"host": server_url.split("://")[-1].split(",")[0],
                                 "protocol": "nats"}},
        "channels": channels, "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


REPLY = {"title": "CommandReply", "type": "object", "required": ["ok", "status"],
         "properties": {
             "ok": {"type": "boolean"},
             "status": {"type": "integer", "description": "as the HTTP API would answer"},
             "result": {"type": "object", "description": "ok: what the HTTP API returns"},
             "rule": {"type": "string", "description": "refused: the rule of RULES.md"},
             "field": {"anyOf": [{"type": "string"}, {"type": "null"}],
                       "description": "refused: the field or state at fault"},
             "detail": {"type": "string", "description": "refused: for a person to read"}}}
