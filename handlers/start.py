"""/start (with deep links), /help and the main menu."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import ContextTypes

from bot import staff_texts, texts
from bot.answer import esc
from bot.commands import register_staff_commands
from bot.program import format_date, format_krw
from handlers.common import is_subscribed, main_menu, rt
from handlers.subscribe import subscribe


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    user = update.effective_user
    r = rt(context)
    if context.args and context.args[0].lower() == "subscribe":
        await subscribe(update, context)
        return
    if r.is_admin(user.id if user else None):
        await register_staff_commands(context.application, chat.id)
    program = r.content.program
    name = texts.START_NAME.format(name=escape(user.first_name)) if user and user.first_name else ""
    text = texts.START.format(
        name=name,
        program=esc(program.name),
        parent=esc(program.parent_program),
        months=program.max_months,
        max_total=format_krw(program.max_total),
        deadline_date=format_date(program.deadline),
    )
    await update.effective_message.reply_text(text, reply_markup=main_menu(is_subscribed(context, chat.id)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    r = rt(context)
    text = texts.HELP.format(username=escape(context.bot.username or "bot"))
    if r.is_admin(update.effective_user.id if update.effective_user else None):
        text += staff_texts.HELP
    await update.effective_message.reply_text(text)
