"""Helpers shared by the handlers: keyboards, safe replies, staff checks."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import staff_texts, texts
from bot.callbacks import encode
from bot.config import TZ
from bot.program import PHASE_CLOSED, round_phase
from bot.runtime import Runtime, runtime

log = logging.getLogger("handlers")
MAX_QUESTION_CHARS = 500
BUTTON_LABEL_CHARS = 40


def rt(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    return runtime(context)


def small_int(text: str | None, limit: int = 10**12) -> int | None:
    """A plain ASCII number such as '12' or '#12' below ``limit``, else None ('²', 99999999999999999999)."""
    text = (text or "").strip().lstrip("#")
    if not (0 < len(text) <= 13) or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value < limit else None


def short(label: str, limit: int = BUTTON_LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def target_callback(target: str) -> str:
    """Answer button targets (faq:<id>, ch:<id>, funding, challenges) -> callback data."""
    kind, _, ident = target.partition(":")
    if kind == "faq":
        return encode("ans", f"f-{ident}")
    if kind == "ch":
        return encode("ans", f"c-{ident}")
    if target in ("funding", "challenges", "deadline", "main", "faq"):
        return encode("menu", target)
    raise ValueError(f"unknown button target {target!r}")


def keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    rows = [row for row in rows if row]
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(short(label), callback_data=data) for label, data in row] for row in rows]
    )


def round_closed(context: ContextTypes.DEFAULT_TYPE) -> bool:
    """The round's deadline has passed (replies say so; subscribing means the next round)."""
    return round_phase(rt(context).content.program, datetime.now(TZ)) == PHASE_CLOSED


def subscribe_button(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> tuple[str, str] | None:
    """'마감 알림 받기' while the round is open, '다음 공고 알림 받기' after its deadline; None when the
    chat already has what the button offers."""
    sub = rt(context).store.get_subscriber(chat_id)
    active = bool(sub and sub["status"] == "active")
    if round_closed(context):
        return None if active and sub["next_round"] else (texts.BTN_NEXT_ROUND, encode("sub"))
    return None if active else (texts.BTN_SUBSCRIBE, encode("sub"))


def main_menu(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> InlineKeyboardMarkup:
    last = subscribe_button(context, chat_id) or (texts.BTN_SETTINGS, encode("menu", "settings"))
    return keyboard(
        [
            [(texts.BTN_CHALLENGES, encode("menu", "challenges")), (texts.BTN_FUNDING, encode("menu", "funding"))],
            [(texts.BTN_DEADLINE, encode("menu", "deadline")), (texts.BTN_FAQ, encode("menu", "faq"))],
            [last],
        ]
    )


async def edit_or_send(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Show ``text`` in place of the pressed message (navigation), or as a new message."""
    query = update.callback_query
    if query and query.message:
        try:
            await query.edit_message_text(text, reply_markup=markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            log.info("Could not edit message, sending a new one: %s", exc)
    chat = update.effective_chat
    if chat:
        await chat.send_message(text, reply_markup=markup)


def staff_only(func):
    """Non-staff get the ordinary unknown-command reply; the attempt is logged with the user id.
    Staff tools work only in a private chat with the bot (never post statistics into a group)."""

    async def wrapper(update: Update, context: ContextTypes.DEFAULT_TYPE, *args, **kwargs):
        user = update.effective_user
        chat = update.effective_chat
        if rt(context).is_admin(user.id if user else None) and (chat is None or chat.type != "private"):
            log.warning("Staff user %s tried a staff tool outside a private chat", user.id)
            if update.callback_query:
                return staff_texts.STAFF_PRIVATE_ONLY
            if update.effective_message:
                await update.effective_message.reply_text(staff_texts.STAFF_PRIVATE_ONLY)
            raise ApplicationHandlerStop
        if not rt(context).is_admin(user.id if user else None):
            if update.callback_query:
                log.warning("Non-staff user %s pressed a staff button: %r", user.id if user else None,
                            (update.callback_query.data or "")[:64])
                return texts.STALE_BUTTON  # the button router shows it as a toast
            text = (update.effective_message.text or "") if update.effective_message else ""
            log.warning("Non-staff user %s tried a staff command: %r", user.id if user else None, text[:40])
            if update.effective_message:
                await update.effective_message.reply_text(texts.UNKNOWN_COMMAND)
            raise ApplicationHandlerStop  # no other handler may act on it

        return await func(update, context, *args, **kwargs)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


async def may_change_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Subscription and privacy changes in a group come only from its administrators (or the group
    itself posting anonymously); in a private chat the user is the chat. Others get a polite refusal."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or chat.type == "private":
        return True
    message = update.effective_message
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous group administrator
    allowed = False
    if user is not None:
        try:
            member = await context.bot.get_chat_member(chat.id, user.id)
            allowed = member.status in ("creator", "administrator")
        except TelegramError as exc:
            log.info("Could not check the admin status of user %s in chat %s: %s", user.id, chat.id, exc)
    if not allowed:
        log.info("Non-admin user %s tried to change the subscription of group %s",
                 user.id if user else None, chat.id)
    return allowed


def group_admins_only(func):
    """For commands that change what is stored about the chat (see :func:`may_change_chat`)."""

    async def wrapper(update: Update, context: ContextTypes.DEFAULT_TYPE, *args, **kwargs):
        if not await may_change_chat(update, context):
            if update.callback_query:
                return texts.GROUP_ADMIN_ONLY  # the button router shows it as a toast
            if update.effective_message:
                await update.effective_message.reply_text(texts.GROUP_ADMIN_ONLY)
            return None
        return await func(update, context, *args, **kwargs)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper
