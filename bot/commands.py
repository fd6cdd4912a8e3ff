"""The Telegram command menus (setMyCommands): everyone's, and staff's in their own chats only."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import Application

from bot import staff_texts, texts
from bot.runtime import Runtime

log = logging.getLogger(__name__)


async def register_commands(app: Application) -> None:
    """Korean command menu for everyone; staff get their commands in their own chats only."""
    rt: Runtime = app.bot_data["rt"]
    users = [BotCommand(c, d) for c, d in texts.COMMANDS]
    try:
        await app.bot.set_my_commands(users, scope=BotCommandScopeDefault())
    except TelegramError as exc:
        log.warning("Could not register the command menu: %s", exc)
    for admin_id in sorted(rt.settings.admin_ids):
        await register_staff_commands(app, admin_id)


async def register_staff_commands(app: Application, chat_id: int) -> None:
    commands = [BotCommand(c, d) for c, d in texts.COMMANDS + staff_texts.COMMANDS]
    try:
        await app.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
    except TelegramError as exc:
        # A staff member who never opened the bot has no chat yet; /start registers it later.
        log.info("Staff command menu for %s not registered yet: %s", chat_id, exc)
