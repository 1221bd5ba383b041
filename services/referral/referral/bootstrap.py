"""The referral service's composition root: the only place that wires things."""

from fastapi import FastAPI

from liandong_contracts import referral_v1
from liandong_runtime import corrections, http_errors
from liandong_runtime.corrections import CorrectedOwners
from liandong_runtime.ops_api import create_app
from liandong_runtime.runtime import build_runtime
from liandong_runtime.settings import ServiceSettings
from referral.adapters.mongo import MongoCaseUnitOfWork
from referral.adapters.queries import CaseQueries
from referral.entrypoints import consumers, http, nats_commands
from referral.service.handlers import ReferralService


class ReferralSettings(ServiceSettings):
    service: str = "referral"
    http_port: int = 8101


def build_app(settings: ReferralSettings | None = None) -> FastAPI:
    rt = build_runtime(settings or ReferralSettings())
    uow = MongoCaseUnitOfWork(rt.store, rt.refdata)
    rt.on_start.append(uow.ensure_indexes)
    service = ReferralService(uow, rt.refdata, owners=CorrectedOwners(rt.store.db, rt.refdata))
    consumers.subscribe(rt.broker, service, rt.settings.nats)
    corrections.subscribe(rt.broker, rt.store, rt.settings.nats, "referral")
    for event in referral_v1.EVENTS:  # declared so the AsyncAPI document lists them
        rt.broker.publisher(event.subject(), schema=event, title=event.subject())
    app = create_app(rt, "liandong referral", [
        nats_commands.serve(rt, service).router(),
        http.router(service,
                    CaseQueries(rt.store.db, rt.refdata.directory)),
    ])
    http_errors.install(app)
    return app
