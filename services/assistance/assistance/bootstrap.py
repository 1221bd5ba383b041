"""The assistance service's composition root: the only place that wires things."""

from datetime import datetime

from fastapi import FastAPI

from assistance.adapters.mongo import MongoUnitOfWork
from assistance.adapters.queries import CallQueries, RequestQueries
from assistance.adapters.record_queries import RecordQueries
from assistance.entrypoints import http_calls, http_records, http_requests, nats_commands
from assistance.service.calls import JointService
from assistance.service.common import utc_now
from assistance.service.records import RecordService
from assistance.service.requests import AssistanceService
from liandong_contracts import assistance_v1, joint_v1
from liandong_runtime import http_errors
from liandong_runtime.limits import Limits
from liandong_runtime.ops_api import create_app
from liandong_runtime.runtime import build_runtime
from liandong_runtime.settings import ServiceSettings


class AssistanceSettings(ServiceSettings):
    service: str = "assistance"
    http_port: int = 8104


def build_app(settings: AssistanceSettings | None = None) -> FastAPI:
    settings = settings or AssistanceSettings()
    rt = build_runtime(settings)
    limits = Limits(settings.limits)

    def due(rule: str, start: datetime) -> datetime:
        return limits.due(rule, start, rt.calendar)

    uow = MongoUnitOfWork(rt.store, rt.refdata)
    rt.on_start.append(uow.ensure_indexes)
    for event in (*assistance_v1.EVENTS, *joint_v1.EVENTS):  # listed in the AsyncAPI document
        rt.broker.publisher(event.subject(), schema=event, title=event.subject())
    db, directory = rt.store.db, rt.refdata.directory
    app = create_app(rt, "liandong assistance", [
        nats_commands.serve(rt, uow, due).router(),
        http_requests.router(AssistanceService(uow, rt.refdata, due),
                             RequestQueries(db, directory)),
        http_calls.router(JointService(uow, rt.refdata, due), CallQueries(db, directory)),
        http_records.router(RecordService(uow, rt.refdata, due),
                            RecordQueries(db, directory, utc_now)),
    ])
    http_errors.install(app)
    return app
