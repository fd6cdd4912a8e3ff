"""Staff broadcast: compose -> preview (copyMessage) -> audience -> send now or schedule."""

from __future__ import annotations

import logging
import re
import warnings
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import staff_texts, texts
from bot.answer import esc
from bot.callbacks import decode, encode
from bot.config import TZ
from bot.program import format_datetime
from handlers.common import edit_or_send, keyboard, rt, short, staff_only

log = logging.getLogger("handlers.broadcast")
COMPOSE, CONFIRM, SCHEDULE = range(3)
DRAFT = "broadcast_draft"


def _audience_label(context, segment: str | None) -> str:
    if not segment:
        return staff_texts.BROADCAST_AUDIENCE_ALL
    challenge = rt(context).content.challenge(segment)
    company = esc(challenge.company if challenge else segment)
    return staff_texts.BROADCAST_AUDIENCE_SEGMENT.format(company=company)


def _confirm_view(context) -> tuple[str, object]:
    draft = context.user_data[DRAFT]
    count = rt(context).broadcasts.audience(draft.get("segment"))
    audience = _audience_label(context, draft.get("segment"))
    text = staff_texts.BROADCAST_AUDIENCE.format(
        note=staff_texts.BROADCAST_PREVIEW_NOTE, audience=audience, count=count)
    if not count:
        text += staff_texts.BROADCAST_AUDIENCE_EMPTY
    rows = []
    if count:
        rows.append([(texts.BTN_SEND, encode("bc", "send", 0)), (texts.BTN_SCHEDULE, encode("bc", "later", 0))])
    rows.append([(staff_texts.BTN_CHANGE_AUDIENCE, encode("bc", "seg", 0)),
                 (texts.BTN_CANCEL, encode("bc", "cancel", 0))])
    return text, keyboard(rows)


@staff_only
async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE):
    context.user_data.pop(DRAFT, None)
    await update.effective_message.reply_text(staff_texts.BROADCAST_PROMPT)
    raise ApplicationHandlerStop(COMPOSE)


async def on_content(update: Update, context: ContextTypes.DEFAULT_TYPE):
    message = update.effective_message
    chat_id = update.effective_chat.id
    context.user_data[DRAFT] = {"chat_id": chat_id, "message_id": message.message_id, "segment": None}
    await context.bot.copy_message(chat_id=chat_id, from_chat_id=chat_id, message_id=message.message_id)
    text, markup = _confirm_view(context)
    await context.bot.send_message(chat_id, text, reply_markup=markup)
    raise ApplicationHandlerStop(CONFIRM)


async def on_confirm_button(update: Update, context: ContextTypes.DEFAULT_TYPE):
    query = update.callback_query
    parsed = decode(query.data)
    draft = context.user_data.get(DRAFT)
    if parsed is None or parsed[0] != "bc" or draft is None:
        await query.answer(texts.STALE_BUTTON, show_alert=True)
        raise ApplicationHandlerStop(CONFIRM if draft else ConversationHandler.END)
    action, arg = parsed[1]
    r = rt(context)
    await query.answer()
    if action == "cancel":
        context.user_data.pop(DRAFT, None)
        await edit_or_send(update, staff_texts.CANCELLED, None)
        raise ApplicationHandlerStop(ConversationHandler.END)
    if action == "seg":
        everyone = staff_texts.BTN_AUDIENCE_ALL.format(count=r.store.count_active())
        rows = [[(everyone, encode("bc", "aud", "all"))]]
        for c in r.content.challenges:
            label = staff_texts.BTN_AUDIENCE_SEGMENT.format(company=c.company,
                                                            count=r.store.count_active(c.id))
            rows.append([(short(label), encode("bc", "aud", c.id))])
        await edit_or_send(update, staff_texts.BROADCAST_PICK_AUDIENCE, keyboard(rows))
        raise ApplicationHandlerStop(CONFIRM)
    if action == "aud":
        draft["segment"] = None if arg == "all" or r.content.challenge(arg) is None else arg
        await edit_or_send(update, *_confirm_view(context))
        raise ApplicationHandlerStop(CONFIRM)
    if action == "later":
        await edit_or_send(update, staff_texts.BROADCAST_ASK_TIME, None)
        raise ApplicationHandlerStop(SCHEDULE)
    if action == "send":
        job_id = r.broadcasts.create(update.effective_user.id, draft["chat_id"], draft["message_id"], draft["segment"])
        context.user_data.pop(DRAFT, None)
        await edit_or_send(update, staff_texts.BROADCAST_QUEUED.format(id=job_id), None)
        await r.broadcasts.post_progress(job_id)
        raise ApplicationHandlerStop(ConversationHandler.END)
    if action == "conf":
        when = datetime.fromisoformat(draft["when"])
        job_id = r.broadcasts.create(update.effective_user.id, draft["chat_id"], draft["message_id"],
                                     draft["segment"], scheduled_at=when)
        count = r.broadcasts.audience(draft["segment"])
        context.user_data.pop(DRAFT, None)
        await edit_or_send(update, staff_texts.BROADCAST_SCHEDULED.format(
            id=job_id, when=format_datetime(when), audience=_audience_label(context, draft["segment"]),
            count=count,
        ), None)
        raise ApplicationHandlerStop(ConversationHandler.END)
    raise ApplicationHandlerStop(CONFIRM)


def parse_when(text: str, now: datetime) -> datetime | None:
    text = text.strip()
    m = re.fullmatch(r"(?:(\d{4})[-./]\s*)?(\d{1,2})[-./]\s*(\d{1,2})\.?\s+(\d{1,2}):(\d{2})", text)
    if not m:
        return None
    year = int(m[1]) if m[1] else now.year
    try:
        when = datetime(year, int(m[2]), int(m[3]), int(m[4]), int(m[5]), tzinfo=TZ)
    except ValueError:
        return None
    if not m[1] and when < now - timedelta(days=1):
        when = when.replace(year=year + 1)
    return when


async def on_time(update: Update, context: ContextTypes.DEFAULT_TYPE):
    draft = context.user_data.get(DRAFT)
    now = datetime.now(TZ)
    when = parse_when(update.effective_message.text or "", now)
    if when is None:
        await update.effective_message.reply_text(staff_texts.BROADCAST_BAD_TIME)
        raise ApplicationHandlerStop(SCHEDULE)
    if when <= now:
        await update.effective_message.reply_text(staff_texts.BROADCAST_PAST_TIME)
        raise ApplicationHandlerStop(SCHEDULE)
    draft["when"] = when.isoformat()
    count = rt(context).broadcasts.audience(draft["segment"])
    text = staff_texts.BROADCAST_CONFIRM_SCHEDULE.format(
        when=format_datetime(when), audience=_audience_label(context, draft["segment"]), count=count)
    markup = keyboard([[(staff_texts.BTN_CONFIRM_SCHEDULE, encode("bc", "conf", 0)),
                        (texts.BTN_CANCEL, encode("bc", "cancel", 0))]])
    await update.effective_message.reply_text(text, reply_markup=markup)
    raise ApplicationHandlerStop(CONFIRM)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE):
    context.user_data.pop(DRAFT, None)
    await update.effective_message.reply_text(staff_texts.CANCELLED)
    raise ApplicationHandlerStop(ConversationHandler.END)


async def waiting_for_button(update: Update, context: ContextTypes.DEFAULT_TYPE):
    await update.effective_message.reply_text(staff_texts.BROADCAST_USE_BUTTONS)
    raise ApplicationHandlerStop(CONFIRM)


@staff_only
async def on_control(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str, arg: str):
    """Buttons outside the conversation: [중지] on a progress message; stale confirm buttons."""
    r = rt(context)
    if action == "stop" and arg.isdigit():
        job_id = int(arg)
        job = r.store.get_job(job_id)
        if job and job["status"] == "scheduled":
            r.broadcasts.cancel_scheduled(job_id)
            await edit_or_send(update, staff_texts.BROADCAST_SCHEDULE_CANCELLED.format(id=job_id), None)
            return True
        n = r.broadcasts.stop(job_id)
        if n < 0:
            return staff_texts.BROADCAST_NOT_RUNNING
        job = r.store.get_job(job_id)
        await update.effective_chat.send_message(staff_texts.BROADCAST_STOPPED.format(id=job_id, n=n))
        await r.broadcasts.send_report(job)
        return True
    return staff_texts.BROADCAST_NO_DRAFT


def conversation() -> ConversationHandler:
    private = filters.ChatType.PRIVATE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # per_message=False with a CallbackQueryHandler is intended
        return ConversationHandler(
            entry_points=[CommandHandler("broadcast", begin, filters=private)],
            states={
                COMPOSE: [MessageHandler(~filters.COMMAND & private, on_content)],
                CONFIRM: [
                    CallbackQueryHandler(on_confirm_button, pattern=r"^v1:bc:"),
                    MessageHandler(~filters.COMMAND & private, waiting_for_button),
                ],
                SCHEDULE: [MessageHandler(filters.TEXT & ~filters.COMMAND & private, on_time)],
            },
            fallbacks=[CommandHandler("cancel", cancel)],
            conversation_timeout=timedelta(minutes=30),
            name="broadcast",
            allow_reentry=True,
        )
