"""The complaint service's composition root: the only place that wires things."""

from datetime import date

from fastapi import FastAPI
from pydantic import Field

from complaint.adapters.georeport import GeoReportViews
from complaint.adapters.mongo import MongoComplaintUnitOfWork
from complaint.adapters.queries import ComplaintQueries
from complaint.entrypoints import consumers, http, nats_commands, open311
from complaint.service.handlers import ComplaintService
from liandong_contracts import complaint_v1
from liandong_runtime import corrections, http_errors
from liandong_runtime.corrections import CorrectedOwners
from liandong_runtime.ops_api import create_app
from liandong_runtime.runtime import build_runtime
from liandong_runtime.settings import ServiceSettings


class ComplaintSettings(ServiceSettings):
    service: str = "complaint"
    http_port: int = 8102
    transition_ends_on: date | None = Field(
        default=None, description="CMP-1: the day the transition period (过渡期) has ended "
        "by (Asia/Shanghai): from that day on, no first-receiver responsibility. Operator "
        "data (env TRANSITION_ENDS_ON); unset: not ended")


def build_app(settings: ComplaintSettings | None = None) -> FastAPI:
    settings = settings or ComplaintSettings()
    rt = build_runtime(settings)
    uow = MongoComplaintUnitOfWork(rt.store, rt.refdata)
    rt.on_start.append(uow.ensure_indexes)
    service = ComplaintService(uow, rt.refdata, owners=CorrectedOwners(rt.store.db, rt.refdata),
                               transition_ends_on=settings.transition_ends_on)
    consumers.subscribe(rt.broker, service, settings.nats)
    corrections.subscribe(rt.broker, rt.store, settings.nats, "complaint")
    for event in complaint_v1.EVENTS:  # declared so the AsyncAPI document lists them
        rt.broker.publisher(event.subject(), schema=event, title=event.subject())
    app = create_app(rt, "liandong complaint", [
        nats_commands.serve(rt, service).router(),
        http.router(service, ComplaintQueries(rt.store.db, rt.refdata.directory)),
        open311.router(service, GeoReportViews(rt.store.db, rt.refdata), rt.refdata),
    ])
    http_errors.install(app)
    open311.install(app)
    return app
