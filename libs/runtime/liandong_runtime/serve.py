"""Run one service's app with uvicorn, on its settings' host and port."""

import logging
from collections.abc import Callable
from typing import Any

import uvicorn

from liandong_runtime.settings import ServiceSettings


def serve(build_app: Callable[[Any], Any], settings: ServiceSettings) -> None:
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = build_app(settings)
    uvicorn.run(app, host=settings.http_host, port=settings.http_port,
                log_level=settings.log_level.lower(), timeout_graceful_shutdown=20)
