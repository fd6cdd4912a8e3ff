"""Webhook mode: Telegram POSTs updates to WEBHOOK_URL; the bot serves them on WEBHOOK_LISTEN:WEBHOOK_PORT.

This is python-telegram-bot's documented *custom webhook* pattern (any asyncio web server puts
``Update`` objects into ``application.update_queue``), with aiohttp, which the project already
uses, so that one port also answers ``GET /healthz`` for the reverse proxy and the container:

* ``POST <path of WEBHOOK_URL>``: the ``X-Telegram-Bot-Api-Secret-Token`` header must equal
  WEBHOOK_SECRET (compared in constant time); otherwise 403, one log line, and no handler runs.
  A good request is queued and answered 200 at once; handlers run as in polling mode.
* ``GET /healthz``: 200 ``{"status": "ok"}`` while the application runs, the outbox loop is alive
  and the database answers; 503 with the failing checks otherwise.

``setWebhook`` is called with the secret, every update type and ``drop_pending_updates=False``;
the webhook is left registered on stop, so Telegram keeps (and retries) updates while the bot
restarts and nothing is lost. :func:`run_webhook` is the process lifecycle for ``python -m bot``
(SIGTERM/SIGINT stop it cleanly); :func:`running_webhook` is the same inside ``async with``.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import signal
import time
from contextlib import asynccontextmanager

from aiohttp import web
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application

from bot.app import lifecycle
from bot.config import Settings
from bot.runtime import Runtime

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
HEALTH_PATH = "/healthz"


def health(app: Application) -> dict[str, bool]:
    """Named checks, all True when the bot is healthy."""
    rt: Runtime = app.bot_data["rt"]
    checks = {"application": app.running, "outbox": bool(rt.outbox and rt.outbox.running), "database": False}
    if rt.core is not None:
        try:
            rt.store.conn.execute("SELECT 1").fetchone()
            checks["database"] = True
        except Exception:
            log.exception("Health check: the database did not answer")
    return checks


class WebhookServer:
    """The aiohttp server for the webhook path and the health endpoint."""

    def __init__(self, app: Application, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.path = settings.webhook_path
        self._secret = settings.webhook_secret.get().encode()
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self.refused = 0

    async def start(self) -> None:
        web_app = web.Application(client_max_size=1024 * 1024)
        web_app.router.add_post(self.path, self._on_update)
        web_app.router.add_get(HEALTH_PATH, self._on_health)
        # No access log: Telegram posts every update and the proxy polls /healthz; the bot logs
        # one line per update handled (bot.updatelog) and one per refused request.
        runner = web.AppRunner(web_app, access_log=None, handle_signals=False, shutdown_timeout=5.0)
        await runner.setup()
        site = web.TCPSite(runner, self.settings.webhook_listen, self.settings.webhook_port)
        await site.start()
        self._runner = runner
        self.port = runner.addresses[0][1]
        log.info("Webhook server listening on %s:%s (updates at %s, health at %s)",
                 self.settings.webhook_listen, self.port, self.path, HEALTH_PATH)

    async def stop(self) -> None:
        """Stop taking updates: close the listening socket, let requests being answered finish."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _on_update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None or not hmac.compare_digest(given.encode(), self._secret):
            self.refused += 1
            log.warning("Webhook request refused with 403: %s secret token (from %s)",
                        "missing" if given is None else "wrong", request.remote)
            return web.Response(status=403, text="Forbidden")
        if not self.app.running:
            # Stopping: Telegram will retry this update once the bot is back.
            return web.Response(status=503, text="Stopping")
        try:
            update = Update.de_json(await request.json(), self.app.bot)
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("Webhook request refused with 400: unreadable update (%s)", type(exc).__name__)
            return web.Response(status=400, text="Bad Request")
        await self.app.update_queue.put(update)
        return web.Response(status=200)

    async def _on_health(self, request: web.Request) -> web.Response:
        checks = health(self.app)
        ok = all(checks.values())
        body = {"status": "ok" if ok else "unhealthy", "mode": "webhook", "checks": checks}
        return web.json_response(body, status=200 if ok else 503)


class WebhookSetupError(Exception):
    """Telegram refused ``setWebhook``; the message is one line for the operator."""


async def register_webhook(app: Application, settings: Settings) -> None:
    try:
        await app.bot.set_webhook(
            url=settings.webhook_url,
            secret_token=settings.webhook_secret.get(),
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )
    except BadRequest as exc:
        raise WebhookSetupError(
            f"Telegram refused WEBHOOK_URL {settings.webhook_url}: {exc.message}"
        ) from None
    info = await app.bot.get_webhook_info()
    log.info("Webhook registered with Telegram: %s (%d updates waiting)", info.url, info.pending_update_count)


@asynccontextmanager
async def running_webhook(app: Application, settings: Settings):
    """Run ``app`` in webhook mode inside ``async with``; yields the :class:`WebhookServer`.

    The application starts before the server, and ``setWebhook`` comes last; on stop the server
    closes first, so no update is accepted that the application would not handle.
    """
    server = WebhookServer(app, settings)

    async def start_receiving():
        await server.start()
        await register_webhook(app, settings)

    async with lifecycle(app, start_receiving, server.stop):
        yield server


async def serve_webhook(app: Application, settings: Settings) -> None:
    """Serve until SIGTERM or SIGINT, then stop cleanly."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    rt: Runtime = app.bot_data["rt"]

    def on_signal(signum: int) -> None:
        if not stop.is_set():
            rt.stopping_since = time.monotonic()
            log.info("Received %s: stopping (no new updates; in-flight sends finish)",
                     signal.Signals(signum).name)
            stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal, signum)
    try:
        async with running_webhook(app, settings):
            await stop.wait()
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


def run_webhook(app: Application, settings: Settings) -> None:
    asyncio.run(serve_webhook(app, settings))
