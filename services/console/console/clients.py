"""The five services' HTTP APIs, called with the signed-in person's own bearer token: every
authorization decision stays with the services. The console keeps no business state."""

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx

SERVICES = ("referral", "complaint", "sharing", "assistance", "escalation")


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Services:
    def __init__(self, urls: dict[str, str], timeout_s: float = 10.0) -> None:
        self.urls = {name: url.rstrip("/") for name, url in urls.items()}
        self.http = httpx.AsyncClient(timeout=timeout_s)

    async def close(self) -> None:
        await self.http.aclose()

    async def call(self, service: str, method: str, path: str, token: str | None,
                   json: Any = None, params: dict[str, Any] | None = None) -> Answer:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            response = await self.http.request(method, f"{self.urls[service]}{path}",
                                               json=json, params=params, headers=headers)
        except httpx.HTTPError:
            return Answer(503, {"detail": f"{service} unreachable"})
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = {"detail": response.text[:200]}
        return Answer(response.status_code, body)

    async def get(self, service: str, path: str, token: str | None,
                  **params: Any) -> Answer:
        given = {k: v for k, v in params.items() if v is not None}
        # no params at all when none is given: httpx would drop the query `path` carries
        return await self.call(service, "GET", path, token, params=given or None)

    async def post(self, service: str, path: str, token: str | None,
                   json: Any = None) -> Answer:
        return await self.call(service, "POST", path, token, json=json if json else {})

    async def many(self, token: str | None, *calls: tuple[str, str]) -> list[Answer]:
        """Several reads at once: (service, path) each."""
        return list(await asyncio.gather(*(self.get(s, p, token) for s, p in calls)))

    async def health(self) -> dict[str, Answer]:
        answers = await asyncio.gather(*(self.get(name, "/readyz", None) for name in self.urls))
        return dict(zip(self.urls, answers, strict=True))
