"""Non-text messages, unknown commands, stale buttons and the error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot import texts

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
    """Log first (with the update id, never the token), then tell the user in Korean."""
    err = context.error
    if isinstance(err, Forbidden):
        log.info("User blocked the bot while we were replying: %s", err)
        return
    update_id = getattr(update, "update_id", None)
    log.error("Error while handling update %s: %s", update_id, err, exc_info=err)
    if isinstance(update, Update) and update.effective_chat:
        try:
            if update.callback_query:
                await update.callback_query.answer(texts.ERROR)
            else:
                await update.effective_chat.send_message(texts.ERROR)
        except TelegramError:
            log.warning("Could not send the error message to chat %s", update.effective_chat.id)
