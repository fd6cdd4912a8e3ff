"""Running the bot for real (``python -m bot run``): one clear line instead of a traceback, and
never a live but deaf process.

* A token Telegram rejects (401/404 from ``getMe`` at start, or from ``getUpdates`` later) ends the
  process with one line naming ``TELEGRAM_BOT_TOKEN`` and ``TELEGRAM_BASE_URL`` and status 2.
* Passing errors are retried: at start (no connection, 5xx) until Telegram answers, and while
  polling (PTB's own retry loop).
* A watchdog looks at the polling task every second; if it ends while the bot is meant to run, the
  process ends (so a supervisor restarts it) instead of living on without receiving anything.
* No traceback ever shows the token: uncaught exceptions (main thread and other threads) are
  printed redacted, like every log line (``bot.logs``).
"""

from __future__ import annotations

import asyncio
import logging
import sys

from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import Application

from bot.config import Settings
from bot.logs import redact
from bot.runtime import Runtime

log = logging.getLogger("bot")

EXIT_CONFIG = 2
POLLING_TASK = "Updater:start_polling:polling_task"  # the name PTB gives its polling task


def rejected_token_line(settings: Settings, where: str, exc: BaseException) -> str:
    # PTB re-raises getMe's 401/404 as "The token `...` was rejected"; the cause says which it was.
    reason = redact(str(exc.__cause__ or exc), settings.secrets)
    return (f"TELEGRAM_BOT_TOKEN / TELEGRAM_BASE_URL: Telegram rejected the bot token ({reason} from {where} "
            f"at {settings.base_url}). Check the token from @BotFather and the base URL.")


class _NoInvalidTokenTraceback(logging.Filter):
    """PTB logs a rejected token with a traceback; the process ends with one clear line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, InvalidToken):
            record.exc_info = None
            record.exc_text = None
        return True


async def watch_polling(app: Application, rt: Runtime, settings: Settings, interval: float = 1.0) -> None:
    """End the process if polling stops while the bot runs (e.g. getUpdates answered 401/404)."""
    polling: asyncio.Task | None = None
    while True:
        await asyncio.sleep(interval)
        if polling is None:
            polling = next((t for t in asyncio.all_tasks() if t.get_name() == POLLING_TASK), None)
            continue
        if not polling.done() or not app.updater.running:
            continue
        exc = None if polling.cancelled() else polling.exception()
        if isinstance(exc, InvalidToken):
            rt.fatal = rejected_token_line(settings, "getUpdates", exc)
        else:
            rt.fatal = (f"Polling for updates stopped unexpectedly ({exc!r}); "
                        "exiting so a supervisor can restart the bot.")
        log.critical("%s", rt.fatal)
        try:  # marks the updater stopped; awaiting the dead polling task re-raises its error here
            await app.updater.stop()
        except Exception:  # noqa: S110 - the reason is in rt.fatal already
            pass
        app.stop_running()
        return


def run(app: Application, settings: Settings) -> int:
    """``run_polling`` with the guarantees above. Returns the process exit status."""
    rt: Runtime = app.bot_data["rt"]
    for handler in logging.getLogger().handlers:
        handler.addFilter(_NoInvalidTokenTraceback())
    watchdog: list[asyncio.Task] = []
    original_post_init, original_post_stop = app.post_init, app.post_stop

    async def post_init(application: Application) -> None:
        if original_post_init:
            await original_post_init(application)
        task = asyncio.create_task(watch_polling(application, rt, settings), name="polling-watchdog")
        watchdog.append(task)

    async def post_stop(application: Application) -> None:
        for task in watchdog:
            task.cancel()
        if original_post_stop:
            await original_post_stop(application)

    app.post_init, app.post_stop = post_init, post_stop
    try:
        app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=settings.poll_timeout, bootstrap_retries=-1)
    except InvalidToken as exc:
        rt.fatal = rt.fatal or rejected_token_line(settings, "getMe", exc)
    if rt.fatal:
        print(rt.fatal, file=sys.stderr)
        return EXIT_CONFIG
    return 0
