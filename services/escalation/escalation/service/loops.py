"""The two background loops: the breach watcher and the webhook sender."""

import asyncio
import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime
from typing import Any

import httpx

from escalation.service.engine import DeadlineEngine
from escalation.service.notices import backoff
from liandong_runtime.storage import Store

log = logging.getLogger("liandong.escalation")


async def watch(engine: DeadlineEngine, max_sleep_s: float = 1.0) -> None:
    """ESC-1: sleep until the earliest next action (at most `max_sleep_s`), then tick."""
    while True:
        try:
            if await engine.tick() >= 100:
                continue
            upcoming = await engine.next_action_at()
        except Exception:
            log.exception("deadline watcher failed; retrying")
            upcoming = None
        wait = max_sleep_s
        if upcoming is not None:
            wait = min(max_sleep_s, max(0.02, (upcoming - engine.clock()).total_seconds()))
        await asyncio.sleep(wait)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookSender:
    """Posts each notification, signed, until the district's endpoint answers 2xx."""

    def __init__(self, store: Store, url: str, secret: str, poll_s: float = 0.5) -> None:
        self.store, self.url, self.secret, self.poll_s = store, url, secret, poll_s

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            while True:
                try:
                    await self.send_due(client)
                except Exception:
                    log.exception("webhook sender failed; retrying")
                await asyncio.sleep(self.poll_s)

    async def send_due(self, client: httpx.AsyncClient) -> None:
        notifications = self.store.db.notifications
        now = datetime.now(UTC)
        cursor = notifications.find({"webhook_next_at": {"$lte": now}}).limit(50)
        for doc in await cursor.to_list():
            ok = await self._post(client, doc)
            update: dict[str, Any] = {"$inc": {"webhook_attempts": 1}}
            if ok:
                update |= {"$unset": {"webhook_next_at": ""}, "$set": {"delivered_at": now}}
            else:
                update |= {"$set": {"webhook_next_at": now + backoff(doc["webhook_attempts"])}}
            await notifications.update_one({"_id": doc["_id"]}, update)

    async def _post(self, client: httpx.AsyncClient, doc: dict[str, Any]) -> bool:
        payload = {k: v for k, v in doc.items() if not k.startswith(("webhook_", "_"))}
        body = json.dumps({"notification_id": doc["_id"], **payload}, default=str,
                          ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "X-Liandong-Event-Id": doc["_id"],
                   "X-Liandong-Signature": signature(self.secret, body)}
        try:
            response = await client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            log.warning("webhook %s: %s", self.url, exc)
            return False
        return response.is_success
