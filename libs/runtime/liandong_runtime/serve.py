"""Run one service's app with uvicorn, on its settings' host and port."""

from collections.abc import Callable
from typing import Any

import uvicorn

from liandong_runtime import logs
from liandong_runtime.settings import ServiceSettings


def serve(build_app: Callable[[Any], Any], settings: ServiceSettings) -> None:
    """Logs go through `logs.configure` (uvicorn's access log too: log_config=None)."""
    logs.configure(settings.service, settings.log_level, settings.log_format)
    app = build_app(settings)
    uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None,
                log_level=settings.log_level.lower(), timeout_graceful_shutdown=20)
