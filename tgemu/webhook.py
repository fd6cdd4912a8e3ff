"""Webhook delivery: ``setWebhook``, ``deleteWebhook``, ``getWebhookInfo`` and a sender that POSTs updates.

While a webhook is set, the queued updates are POSTed as JSON to its URL, one at a time and in
order, with the header ``X-Telegram-Bot-Api-Secret-Token`` when a ``secret_token`` was given. A
2xx answer confirms an update; anything else (a 403, a 5xx, a refused connection, a timeout)
leaves it queued, is reported by ``getWebhookInfo`` (``last_error_date``, ``last_error_message``
in Telegram's wording, e.g. ``Wrong response from the webhook: 403 Forbidden``) and is retried
after a backoff (``emu.webhook_retry_delay`` doubling up to ``emu.webhook_retry_cap``), so
updates wait while the bot restarts, as on Telegram. ``getUpdates`` fails with ``409 Conflict``
while a webhook is set. Every POST is recorded in ``emu.webhook_attempts``.

Differences from Telegram, on purpose: plain ``http://`` is accepted for loopback hosts
(``127.0.0.1``, ``localhost``) because tests have no TLS; other hosts need ``https://`` as on
Telegram. One update is in flight at a time (``max_connections`` is validated and reported, not
used), and a method call in the webhook's answer body is ignored.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from tgemu.wire import ApiError, as_bool, opt_int

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
NOT_HTTPS = "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
BAD_PORT = "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"


@dataclass
class WebhookAttempt:
    """One POST of an update to the webhook."""

    update_id: int
    url: str
    status: int | None  # the HTTP status; None when the connection failed or timed out
    error: str | None
    time: float  # time.monotonic()
    secret_sent: bool


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WebhookDelivery:
    """The webhook part of :class:`~tgemu.server.TelegramEmulator`."""

    webhook_retry_delay = 0.1
    webhook_retry_cap = 2.0
    webhook_timeout = 10.0

    def _init_webhook(self) -> None:
        self.webhook: dict[str, Any] | None = None
        self.webhook_attempts: list[WebhookAttempt] = []
        self._webhook_error: tuple[int, str] | None = None
        self._webhook_task: asyncio.Task | None = None
        self._webhook_session: aiohttp.ClientSession | None = None
        self._webhook_kick = asyncio.Event()

    # ------------------------------------------------------------------ methods
    async def _m_setWebhook(self, p: dict, request: web.Request) -> bool:
        url = str(p.get("url") or "").strip()
        if as_bool(p.get("drop_pending_updates", False)):
            self._updates.clear()
        if not url:
            self.webhook = None
            self._kick_webhook()
            self._bump()
            return True
        parts = urlsplit(url)
        loopback = bool(parts.hostname) and _is_loopback(parts.hostname)
        plain_http_elsewhere = parts.scheme == "http" and not loopback
        if not parts.hostname or parts.scheme not in ("http", "https") or plain_http_elsewhere:
            raise ApiError(400, NOT_HTTPS)
        if not loopback and parts.port not in (None, 80, 88, 443, 8443):
            raise ApiError(400, BAD_PORT)
        secret = p.get("secret_token")
        if secret not in (None, "") and not _SECRET_RE.fullmatch(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        max_connections = opt_int(p, "max_connections", 40)
        if not 1 <= max_connections <= 100:
            raise ApiError(400, "Bad Request: bad webhook: max_connections must be between 1 and 100")
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = {str(a) for a in allowed} or None
        self.webhook = {
            "url": url,
            "secret_token": str(secret) if secret not in (None, "") else None,
            "max_connections": max_connections,
            "ip_address": p.get("ip_address") or None,
        }
        self._webhook_error = None
        self._start_webhook_sender()
        self._kick_webhook()
        self._bump_updates()  # a long poll in progress ends with 409
        self._bump()
        return True

    async def _m_deleteWebhook(self, p: dict, request: web.Request) -> bool:
        if as_bool(p.get("drop_pending_updates", False)):
            self._updates.clear()
        self.webhook = None
        self._kick_webhook()
        self._bump()
        return True

    async def _m_getWebhookInfo(self, p: dict, request: web.Request) -> dict:
        info: dict[str, Any] = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
            if self.webhook["ip_address"]:
                info["ip_address"] = self.webhook["ip_address"]
            if self._allowed_updates is not None:
                info["allowed_updates"] = sorted(self._allowed_updates)
            if self._webhook_error:
                info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    def _check_no_webhook(self) -> None:
        """getUpdates is refused while a webhook is set, as on Telegram."""
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)

    # ------------------------------------------------------------------ the sender
    def _kick_webhook(self) -> None:
        ev, self._webhook_kick = self._webhook_kick, asyncio.Event()
        ev.set()

    def _start_webhook_sender(self) -> None:
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._webhook_loop(), name="tgemu-webhook")

    async def _stop_webhook_sender(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        if self._webhook_session is not None:
            session, self._webhook_session = self._webhook_session, None
            await session.close()

    async def _webhook_loop(self) -> None:
        delay = self.webhook_retry_delay
        while self.webhook is not None and not self._closing:
            self._drop_disallowed_updates()
            if not self._updates:
                woken = self._updates_event
                kicked = self._webhook_kick
                waits = [asyncio.ensure_future(woken.wait()), asyncio.ensure_future(kicked.wait())]
                try:
                    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for w in waits:
                        w.cancel()
                continue
            update = self._updates[0]
            if await self._post_update(update):
                if self._updates and self._updates[0] is update:
                    self._updates.popleft()
                delay = self.webhook_retry_delay
                continue
            kicked = self._webhook_kick
            try:
                await asyncio.wait_for(kicked.wait(), delay)
                delay = self.webhook_retry_delay  # setWebhook again: try at once
            except TimeoutError:
                delay = min(self.webhook_retry_cap, delay * 2)

    async def _post_update(self, update: dict) -> bool:
        hook = self.webhook
        if hook is None:
            return False
        if self._webhook_session is None:
            self._webhook_session = aiohttp.ClientSession()
        headers = {"Content-Type": "application/json"}
        if hook["secret_token"]:
            headers[SECRET_HEADER] = hook["secret_token"]
        status: int | None = None
        error: str | None = None
        try:
            async with self._webhook_session.post(
                hook["url"],
                data=json.dumps(update, ensure_ascii=False).encode(),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.webhook_timeout),
                allow_redirects=False,
            ) as response:
                await response.read()
                status = response.status
                if not 200 <= status < 300:
                    error = f"Wrong response from the webhook: {status} {response.reason or ''}".rstrip()
        except TimeoutError:
            error = "Read timeout expired"
        except aiohttp.ClientConnectorError:
            error = "Connection refused"
        except aiohttp.ClientError as exc:
            error = f"Connection error: {type(exc).__name__}"
        self.webhook_attempts.append(
            WebhookAttempt(update["update_id"], hook["url"], status, error, time.monotonic(),
                           bool(hook["secret_token"]))
        )
        if error:
            self._webhook_error = (int(time.time()), error)
        self._bump()
        return error is None
