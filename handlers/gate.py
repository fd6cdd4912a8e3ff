"""The first handler every update meets (group -1): flood notices, and updates the bot ignores.

* A user far above a human pace (``bot.lanes.FloodGuard``) gets one polite notice; while ignored,
  their button taps are still answered (with a short notice), so no query is left spinning.
* Edited messages and channel posts are ignored: an edit must never run a command again, or turn
  an old message into ``/broadcast``.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import texts
from bot.lanes import DROP, NOTICE

log = logging.getLogger("handlers.gate")


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.edited_message or update.edited_channel_post or update.channel_post:
        raise ApplicationHandlerStop
    verdicts = getattr(context.application.update_processor, "verdicts", None)
    verdict = verdicts.pop(update.update_id, None) if verdicts is not None else None
    if verdict is None:
        return
    query = update.callback_query
    if verdict == NOTICE:
        log.info("User %s is sending far above a human pace; ignoring them for a while",
                 update.effective_user.id if update.effective_user else None)
        if query is not None:
            await query.answer(texts.FLOOD_NOTICE_SHORT, show_alert=True)
        elif update.effective_message is not None:
            seconds = int(getattr(context.application.update_processor.flood, "cooldown", 30))
            await update.effective_message.reply_text(texts.FLOOD_NOTICE.format(seconds=seconds))
    elif verdict == DROP and query is not None:
        await query.answer(texts.FLOOD_NOTICE_SHORT)
    raise ApplicationHandlerStop
