"""`python -m console`: the console on HTTP_HOST:HTTP_PORT (default 127.0.0.1:8106)."""

import uvicorn

from console.bootstrap import ConsoleSettings, build_app


def main() -> None:
    settings = ConsoleSettings()
    uvicorn.run(build_app(settings), host=settings.http_host, port=settings.http_port,
                log_level=settings.log_level.lower())


if __name__ == "__main__":
    main()
