"""The escalation service's composition root."""

from typing import Self

from fastapi import FastAPI
from pydantic import Field, model_validator

from escalation.adapters import deadlines, disputes
from escalation.adapters.metrics import DutyMetrics
from escalation.adapters.queries import DeskQueries
from escalation.entrypoints import consumers, http, http_board, nats_commands
from escalation.service.desk import DisputeDesk
from escalation.service.engine import DeadlineEngine
from escalation.service.loops import WebhookSender, watch
from liandong_contracts import escalation_v1
from liandong_runtime import http_errors
from liandong_runtime.limits import Limits
from liandong_runtime.ops_api import create_app
from liandong_runtime.runtime import build_runtime
from liandong_runtime.settings import ServiceSettings


class EscalationSettings(ServiceSettings):
    service: str = "escalation"
    http_port: int = 8105
    warn_fraction: float = Field(default=0.8, gt=0, lt=1)
    watch_interval_s: float = Field(default=1.0, gt=0, le=10)
    webhook_url: str | None = None
    webhook_secret: str = Field(default="", repr=False,
                                description="the HMAC key of the webhook; required with its URL")
    business_metrics_interval_s: float = Field(default=15.0, gt=0)


    @model_validator(mode="after")
    def _a_webhook_is_signed(self) -> Self:
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("WEBHOOK_SECRET: a webhook is signed; set its key with WEBHOOK_URL")
        return self


def build_app(settings: EscalationSettings | None = None) -> FastAPI:
    settings = settings or EscalationSettings()
    rt = build_runtime(settings)
    government = rt.refdata.directory.district_government().ref()
    metrics = DutyMetrics(rt.registry, rt.calendar)
    engine = DeadlineEngine(rt.store, Limits(settings.limits), rt.calendar, government,
                            warn_fraction=settings.warn_fraction,
                            webhook=settings.webhook_url is not None, metrics=metrics)
    consumers.subscribe(rt.broker, engine, settings.nats)
    for event in escalation_v1.EVENTS:
        rt.broker.publisher(event.subject(), schema=event, title=event.subject())
    rt.on_start.append(lambda: deadlines.ensure_indexes(rt.store.db))
    rt.on_start.append(lambda: disputes.ensure_indexes(rt.store.db))
    rt.background.append(lambda: watch(engine, settings.watch_interval_s))
    rt.background.append(lambda: metrics.refresh_forever(
        rt.store.db, settings.business_metrics_interval_s))
    if settings.webhook_url:
        sender = WebhookSender(rt.store, settings.webhook_url, settings.webhook_secret)
        rt.background.append(sender.run)
    desk = DisputeDesk(engine, rt.refdata)
    app = create_app(rt, "liandong escalation", [http.router(DeskQueries(rt.store.db), desk),
                                                 http_board.router(rt.store.db),
                                                 nats_commands.serve(rt, desk).router()])
    http_errors.install(app)
    app.state.engine = engine  # for drills and tests that apply actions on the real store
    return app
