"""Subscribing to deadline reminders, preferences, privacy and deleting one's data."""

from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime

from telegram import Update
from telegram.ext import ContextTypes

from bot import texts
from bot.answer import esc
from bot.callbacks import encode
from bot.config import TZ
from bot.program import PHASE_CLOSED, deadline_label, format_datetime, round_phase
from bot.reminders import next_reminder
from bot.store import Store
from handlers.common import edit_or_send, group_admins_only, keyboard, rt, short, subscribe_button

log = logging.getLogger("handlers.subscribe")

UNSUBSCRIBE_RE = re.compile(
    r"(알림|구독|알람).{0,8}(취소|해지|끄|꺼|그만|중단|해제|끊|멈춰|싫)|(취소|해지|그만|중단).{0,4}(알림|구독|알람)"
)
SUBSCRIBE_RE = re.compile(
    r"(알림|구독|알람).{0,8}(신청|받|해\s*줘|해주|켜|등록|설정해|할래|하고\s*싶)|^(구독|알림 ?신청)$|"
    r"다음\s*공고.{0,6}(알림|알려)"
)
MAX_COMPANY_CHARS = 60


def _next_line(context, chat_id: int) -> str | None:
    program = rt(context).content.program
    sub = rt(context).store.get_subscriber(chat_id)
    when = next_reminder(program, datetime.now(TZ), sub["reminder_optout"] if sub else ())
    return format_datetime(when, with_year=False) if when else None


@group_admins_only
async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Deadline reminders while the round is open; after its deadline, news of the next round."""
    chat_id = update.effective_chat.id
    r = rt(context)
    program = r.content.program
    result = await r.write(Store.subscribe, chat_id, program.round_id)
    deadline = deadline_label(program)
    if round_phase(program, datetime.now(TZ)) == PHASE_CLOSED:
        changed = await r.write(Store.set_next_round, chat_id, True)
        if changed:
            log.info("Chat %s asked to hear about the next round (%s)", chat_id, result)
        text = texts.NEXT_ROUND_SUBSCRIBED.format(deadline=deadline) if changed else texts.NEXT_ROUND_ALREADY
        await _reply(update, text, keyboard([[(texts.BTN_SETTINGS, encode("menu", "settings"))]]))
        return
    nxt = _next_line(context, chat_id)
    if result == "already":
        text = texts.ALREADY_SUBSCRIBED.format(next_reminder=nxt) if nxt else texts.ALREADY_SUBSCRIBED_NO_MORE
    else:
        log.info("Chat %s subscribed (%s)", chat_id, result)
        text = texts.SUBSCRIBED.format(next_reminder=nxt, deadline=deadline) if nxt else \
            texts.SUBSCRIBED_NO_MORE.format(deadline=deadline)
    await _reply(update, text, keyboard([[(texts.BTN_SETTINGS, encode("menu", "settings"))]]))


async def _reply(update: Update, text: str, markup) -> None:
    if update.callback_query:
        await update.effective_chat.send_message(text, reply_markup=markup)
    else:
        await update.effective_message.reply_text(text, reply_markup=markup)


@group_admins_only
async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat_id = update.effective_chat.id
    changed = await rt(context).write(Store.unsubscribe, chat_id)
    if changed:
        log.info("Chat %s unsubscribed", chat_id)
    text = texts.UNSUBSCRIBED if changed else texts.NOT_SUBSCRIBED
    if update.callback_query:
        await update.effective_chat.send_message(text)
    else:
        await update.effective_message.reply_text(text)


async def text_intent(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> bool:
    """'알림 신청', '구독 취소해줘' in plain text."""
    compact = text.strip()
    if len(compact) > 40:
        return False
    if UNSUBSCRIBE_RE.search(compact):
        await unsubscribe(update, context)
        return True
    if SUBSCRIBE_RE.search(compact):
        await subscribe(update, context)
        return True
    return False


def settings_view(context, chat_id: int) -> tuple[str, object]:
    r = rt(context)
    sub = r.store.get_subscriber(chat_id)
    if not sub or sub["status"] != "active":
        return texts.SETTINGS_NOT_SUBSCRIBED, keyboard([[subscribe_button(context, chat_id)]])
    content = r.content
    optout = set(sub["reminder_optout"])
    interests = set(sub["interests"])
    rows = [[(f"— {texts.SETTINGS_SLOTS} —", encode("menu", "settings"))]]
    for slot in content.program.slots:
        mark = "✅" if slot.id not in optout else "⬜"
        rows.append([(f"{mark} {slot.label}", encode("slot", slot.id))])
    rows.append([(f"— {texts.SETTINGS_INTERESTS} —", encode("menu", "settings"))])
    pair = []
    for c in content.challenges:
        mark = "✅" if c.id in interests else "⬜"
        pair.append((short(f"{mark} {c.company}", 30), encode("int", c.id)))
        if len(pair) == 2:
            rows.append(pair)
            pair = []
    if pair:
        rows.append(pair)
    mark = "✅" if sub["next_round"] else "⬜"
    rows.append([(f"{mark} {texts.SETTINGS_NEXT_ROUND}", encode("nx"))])
    rows.append([(texts.BTN_UNSUBSCRIBE, encode("unsub")), (texts.BTN_MENU, encode("menu", "main"))])
    company = esc(sub["company"]) if sub["company"] else texts.SETTINGS_NO_COMPANY
    return texts.SETTINGS.format(company=company), keyboard(rows)


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text, markup = settings_view(context, update.effective_chat.id)
    await update.effective_message.reply_text(text, reply_markup=markup)


@group_admins_only
async def on_toggle(update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str, ident: str) -> bool:
    r = rt(context)
    chat_id = update.effective_chat.id
    sub = r.store.get_subscriber(chat_id)
    if not sub or sub["status"] != "active":
        await edit_or_send(update, *settings_view(context, chat_id))
        return True
    if kind == "next":
        await r.write(Store.set_next_round, chat_id, not sub["next_round"])
    elif kind == "slot":
        if ident not in {s.id for s in r.content.program.slots}:
            return False
        await r.write(Store.toggle_reminder_optout, chat_id, ident)
    else:
        if r.content.challenge(ident) is None:
            return False
        await r.write(Store.toggle_interest, chat_id, ident)
    await edit_or_send(update, *settings_view(context, chat_id))
    return True


@group_admins_only
async def company_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    r = rt(context)
    chat_id = update.effective_chat.id
    name = " ".join(context.args or []).strip()
    sub = r.store.get_subscriber(chat_id)
    if not sub:
        await update.effective_message.reply_text(texts.SETTINGS_NOT_SUBSCRIBED)
        return
    if not name:
        await update.effective_message.reply_text(texts.COMPANY_USAGE)
        return
    if name in ("삭제", "지우기", "없음"):
        await r.write(Store.set_company, chat_id, None)
        await update.effective_message.reply_text(texts.COMPANY_CLEARED)
        return
    name = name[:MAX_COMPANY_CHARS]
    await r.write(Store.set_company, chat_id, name)
    await update.effective_message.reply_text(texts.COMPANY_SAVED.format(company=esc(name)))


async def privacy_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(texts.PRIVACY)


@group_admins_only
async def delete_me_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    # A random nonce names this confirmation (and nothing about the chat, which is being deleted):
    # its first tap - yes or no - spends it, so a double tap or an old button acts at most once.
    nonce = secrets.token_hex(6)
    markup = keyboard([[(texts.BTN_YES_DELETE, encode("del", f"yes-{nonce}")),
                        (texts.BTN_NO, encode("del", f"no-{nonce}"))]])
    await update.effective_message.reply_text(texts.DELETE_CONFIRM, reply_markup=markup)


@group_admins_only
async def on_delete(update: Update, context: ContextTypes.DEFAULT_TYPE, choice: str) -> bool | str:
    answer, _, nonce = choice.partition("-")
    if answer not in ("yes", "no"):
        return False
    r = rt(context)
    if nonce and not await r.write(Store.spend_confirmation, f"delete:{nonce}"):
        return texts.ALREADY_DONE
    if answer == "yes":
        chat_id = update.effective_chat.id
        await r.write(Store.delete_user, chat_id)
        log.info("Chat %s deleted its data", chat_id)
        await edit_or_send(update, texts.DELETED, None)
        return True
    await edit_or_send(update, texts.DELETE_CANCELLED, None)
    return True
