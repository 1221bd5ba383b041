"""The sharing service's composition root: the only place that wires things."""

from fastapi import FastAPI

from liandong_contracts import sharing_v1
from liandong_runtime import http_errors
from liandong_runtime.limits import Limits
from liandong_runtime.ops_api import create_app
from liandong_runtime.runtime import build_runtime
from liandong_runtime.settings import ServiceSettings
from sharing.adapters.mongo import MongoSharingUnitOfWork
from sharing.adapters.queries import InfoQueries
from sharing.entrypoints import consumers, http, nats_commands
from sharing.service.handlers import SharingService


class SharingSettings(ServiceSettings):
    service: str = "sharing"
    http_port: int = 8103


def build_app(settings: SharingSettings | None = None) -> FastAPI:
    settings = settings or SharingSettings()
    rt = build_runtime(settings)
    limits = Limits(settings.limits)
    uow = MongoSharingUnitOfWork(rt.store)
    rt.on_start.append(uow.ensure_indexes)
    service = SharingService(uow, rt.refdata,
                             limit=lambda rule, start: limits.due(rule, start, rt.calendar))
    consumers.subscribe(rt.broker, service, settings.nats)
    for event in sharing_v1.EVENTS:  # declared so the AsyncAPI document lists them
        rt.broker.publisher(event.subject(), schema=event, title=event.subject())
    app = create_app(rt, "liandong sharing", [
        nats_commands.serve(rt, service).router(),
        http.router(service, InfoQueries(rt.store.db, rt.refdata.directory))])
    http_errors.install(app)
    return app
