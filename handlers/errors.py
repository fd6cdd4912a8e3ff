"""Non-text messages, unknown commands, stale buttons and the error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Conflict, Forbidden, NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot import texts
from bot.dbwriter import DbUnavailable, problem_kind

log = logging.getLogger("handlers.errors")


async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    kinds = [k for k in ("sticker", "photo", "voice", "audio", "video", "document", "location", "contact",
                         "animation", "video_note", "poll") if getattr(message, k, None)]
    log.info("Non-text message (%s) in chat %s", ",".join(kinds) or "other", update.effective_chat.id)
    await message.reply_text(texts.NON_TEXT)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text = (update.effective_message.text or "").split()[0][:40]
    log.info("Unknown command %r in chat %s", text, update.effective_chat.id)
    await update.effective_message.reply_text(texts.UNKNOWN_COMMAND)


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    log.info("Unknown or stale button %r from user %s", (query.data or "")[:64], query.from_user.id)
    await query.answer(texts.STALE_BUTTON, show_alert=True)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log first (with the update id, never the token), then tell the user in Korean: a pressed
    button always gets an answer; a chat gets the generic error only if no answer may have reached it."""
    err = context.error
    if isinstance(err, Forbidden):
        log.info("User blocked the bot while we were replying: %s", err)
        return
    if update is None and isinstance(err, NetworkError | Conflict):  # getUpdates: PTB retries on its own
        hint = " (is another instance polling this token?)" if isinstance(err, Conflict) else ""
        log.warning("Polling for updates failed: %s%s; retrying", err, hint)
        return
    update_id = getattr(update, "update_id", None)
    log.error("Error while handling update %s: %s", update_id, err, exc_info=err)
    if not isinstance(update, Update):
        return
    busy = isinstance(err, DbUnavailable) or problem_kind(err) is not None
    text = texts.DB_BUSY if busy else texts.ERROR
    try:
        if update.callback_query:
            await update.callback_query.answer(text)
        elif update.inline_query:
            await update.inline_query.answer([], cache_time=0, is_personal=True)
        elif getattr(err, "outcome_unknown", False):
            log.info("Not sending the error message: the reply may have arrived (its outcome is unknown)")
        elif update.effective_chat:
            await update.effective_chat.send_message(text)
    except TelegramError as exc:
        log.warning("Could not tell chat %s about the error: %s",
                    update.effective_chat.id if update.effective_chat else None, exc)
