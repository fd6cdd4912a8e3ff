"""Wiring: the PTB Application, its services and its lifecycle.

``build_application(settings)`` returns an Application whose ``post_init`` opens the store, loads
the data, builds the search index, resumes the outbox and schedules reminders; ``post_shutdown``
closes them. :func:`running` drives the same lifecycle for tests and the local chat, where
``run_polling`` is not used.
"""

from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager
from datetime import datetime

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot import __version__
from bot.broadcast import BroadcastService
from bot.commands import register_commands
from bot.config import TZ, Settings
from bot.core import Core
from bot.dbwriter import LOOP_BUSY_TIMEOUT_MS, DbWriter
from bot.delivery import Outbox, Pacer
from bot.lanes import ChatLanes, FloodGuard
from bot.program import deadline_confirmation
from bot.reminders import ReminderService, next_reminder
from bot.runtime import Runtime
from bot.updatelog import InstrumentedApplication, instrument
from handlers import register

log = logging.getLogger(__name__)


async def post_init(app: Application) -> None:
    rt: Runtime = app.bot_data["rt"]
    if rt.core is None:
        rt.core = Core(rt.settings)
    rt.core.answerer  # noqa: B018 - train the intent model now, not at the first user's question
    rt.db = DbWriter(rt.settings.database_path)
    rt.broadcasts = BroadcastService(rt, app)
    pacer = app.bot.rate_limiter if isinstance(app.bot.rate_limiter, Pacer) else None
    rt.outbox = Outbox(
        rt.core.store,
        app.bot,
        db=rt.db,
        pacer=pacer,
        concurrency=rt.settings.send_concurrency,
        max_attempts=rt.settings.max_attempts,
        on_job_finished=rt.broadcasts.on_job_finished,
    )
    rt.reminders = ReminderService(
        rt.core.store, lambda: rt.core.content, app.job_queue, wake_outbox=rt.outbox.wake, db=rt.db
    )
    rt.core.content_manager.listeners.append(rt.reminders.on_content_change)
    await rt.outbox.start()
    rt.reminders.startup()
    rt.broadcasts.startup()
    # From now on the event loop's connection must never wait long for a lock: writes go through rt.db.
    rt.core.store.set_busy_timeout(LOOP_BUSY_TIMEOUT_MS)
    await register_commands(app)
    log.info(startup_summary(app))


def startup_summary(app: Application) -> str:
    """The one line an operator reads at start: version, mode, who, how many, what is next."""
    rt: Runtime = app.bot_data["rt"]
    program = rt.content.program
    upcoming = next_reminder(program, datetime.now(TZ))
    mode = f"webhook {rt.settings.webhook_url}" if rt.settings.mode == "webhook" else "polling"
    return (
        f"Started sangsaeng-bot {__version__} ({mode}) as @{app.bot.username}: "
        f"{rt.store.count_active()} active subscribers, "
        f"next reminder {upcoming.isoformat() if upcoming else 'none'}, "
        f"round {program.round_id}, deadline {program.deadline.isoformat()}{deadline_confirmation(program)}, "
        f"{len(rt.content.challenges)} challenges, {len(rt.content.faq)} FAQ entries, "
        f"{rt.outbox.recovered if rt.outbox else 0} deliveries resumed"
    )


async def post_stop(app: Application) -> None:
    """Stop sending while the HTTP client is still open; in-flight sends finish first."""
    rt: Runtime = app.bot_data["rt"]
    rt.stopping_since = rt.stopping_since or time.monotonic()
    if rt.broadcasts is not None:
        await rt.broadcasts.shutdown()
    if rt.outbox is not None:
        await rt.outbox.stop()


async def post_shutdown(app: Application) -> None:
    rt: Runtime = app.bot_data["rt"]
    if rt.db is not None:
        await rt.db.close()
        rt.db = None
    if rt.core is not None:
        rt.core.close()
        rt.core = None
        took = time.monotonic() - rt.stopping_since if rt.stopping_since else 0.0
        log.info("Stopped cleanly: updates drained, sends finished or recorded unsent, database closed "
                 "(%.2f s of clean-up)", took)


def build_application(settings: Settings, core: Core | None = None) -> Application:
    # httpx logs request URLs, which contain the token: never below WARNING (see bot.logs too).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    defaults = Defaults(
        tzinfo=TZ,
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    app = (
        ApplicationBuilder()
        .application_class(InstrumentedApplication)
        .token(settings.token.get())
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .defaults(defaults)
        .rate_limiter(Pacer(settings.send_rate, settings.per_chat_interval))
        # one lane per chat (a chat's pacing never holds a worker another chat needs) + flood control
        .concurrent_updates(ChatLanes(FloodGuard(burst=settings.flood_limit, exempt=settings.admin_ids)))
        .connection_pool_size(settings.send_concurrency + 24)
        .read_timeout(settings.send_timeout)
        .write_timeout(settings.send_timeout)
        .pool_timeout(5.0)
        .get_updates_read_timeout(settings.poll_timeout + 10)
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["rt"] = Runtime(settings, core=core)
    register(app)
    instrument(app)
    return app


@asynccontextmanager
async def lifecycle(app: Application, start_receiving, stop_receiving):
    """The lifecycle of ``run_polling``/``run_webhook`` inside ``async with``, whatever brings the updates.

    Start: ``getMe`` (initialize), post_init, the application, then ``start_receiving()``. Stop:
    ``stop_receiving()`` (no new updates), the application (queued updates handled, jobs finished),
    post_stop (in-flight sends finished or recorded unsent), shutdown, post_shutdown (database closed).
    """
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        await app.start()
        try:
            await start_receiving()
            yield app
        finally:
            rt: Runtime = app.bot_data["rt"]
            rt.stopping_since = rt.stopping_since or time.monotonic()
            marks = [time.monotonic()]
            await stop_receiving()
            marks.append(time.monotonic())
            if app.running:
                await app.stop()
            marks.append(time.monotonic())
            if app.post_stop:
                await app.post_stop(app)
            marks.append(time.monotonic())
            # Which stage of the stop took the time (one slow stop, 115 s, was seen once in the test suite).
            log.info("Stop stages: receiving %.2f s, application %.2f s, sends %.2f s",
                     *(b - a for a, b in zip(marks, marks[1:], strict=False)))
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


@asynccontextmanager
async def running(app: Application, poll_timeout: float = 1.0, drop_pending: bool = False):
    """Run ``app`` (long polling) inside an ``async with``: the lifecycle of ``run_polling``."""

    async def start_polling():
        await app.updater.start_polling(
            poll_interval=0.0, timeout=poll_timeout, drop_pending_updates=drop_pending,
            allowed_updates=Update.ALL_TYPES,
        )

    async def stop_polling():
        if app.updater.running:
            await app.updater.stop()

    async with lifecycle(app, start_polling, stop_polling):
        yield app
