"""/start (with deep links), /help and the main menu."""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import Update
from telegram.ext import ContextTypes

from bot import staff_texts, texts
from bot.answer import esc
from bot.commands import register_staff_commands
from bot.config import TZ
from bot.program import PHASE_CLOSED, deadline_date_label, deadline_label, format_krw, round_phase
from handlers.common import main_menu, rt
from handlers.subscribe import subscribe


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    user = update.effective_user
    r = rt(context)
    if context.args and context.args[0].lower() == "subscribe":
        await subscribe(update, context)
        return
    if r.is_admin(user.id if user else None) and chat.type == "private":  # never a group's command menu
        await register_staff_commands(context.application, chat.id)
    program = r.content.program
    now = datetime.now(TZ)
    name = texts.START_NAME.format(name=escape(user.first_name)) if user and user.first_name else ""
    if round_phase(program, now) == PHASE_CLOSED:
        alerts = texts.START_ALERTS_CLOSED.format(deadline=deadline_label(program))
    else:
        alerts = texts.START_ALERTS.format(deadline=deadline_date_label(program))
    text = texts.START.format(
        name=name,
        program=esc(program.name),
        parent=esc(program.parent_program),
        count=len(r.content.challenges),
        months=program.max_months,
        max_total=format_krw(program.max_total),
        alerts=alerts,
    )
    if r.is_admin(user.id if user else None):
        text += staff_status(program, now)
    await update.effective_message.reply_text(text, reply_markup=main_menu(context, chat.id))


def staff_status(program, now: datetime) -> str:
    """What staff should know about the round: its id and phase, and whether the deadline is confirmed."""
    phase = staff_texts.PHASES[round_phase(program, now)]
    deadline = deadline_label(program, with_year=True)
    if program.deadline_confirmed:
        confirmation = staff_texts.DEADLINE_CONFIRMED_BY.format(
            by=esc(program.deadline_confirmed_by), at=esc(program.deadline_confirmed_at))
    else:
        example = program.deadline.strftime("%Y-%m-%d %H:%M")
        confirmation = staff_texts.DEADLINE_UNCONFIRMED.format(example=example)
    return staff_texts.STAFF_ROUND.format(round=esc(program.round_id), phase=phase, deadline=deadline,
                                          confirmation=confirmation)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    r = rt(context)
    text = texts.HELP.format(username=escape(context.bot.username or "bot"))
    if r.is_admin(update.effective_user.id if update.effective_user else None) and \
            update.effective_chat.type == "private":
        text += staff_texts.HELP
    await update.effective_message.reply_text(text)
