"""Telegram tells the bot when a user blocks or unblocks it (my_chat_member updates)."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.ext import ContextTypes

from bot.store import Store
from handlers.common import rt

log = logging.getLogger("handlers.members")


async def on_my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    status = change.new_chat_member.status
    if status in (ChatMember.BANNED, ChatMember.LEFT):
        if await rt(context).write(Store.set_inactive, change.chat.id, "blocked"):
            log.info("Chat %s blocked the bot; subscriber marked inactive", change.chat.id)
