"""Browsing: challenges, funding, deadline, the FAQ index, the calculator, menu buttons."""

from __future__ import annotations

from datetime import datetime

from telegram import Update
from telegram.ext import ContextTypes

from bot import texts
from bot.answer import calc_text, challenge_card, deadline_card, esc, funding_card
from bot.callbacks import encode
from bot.config import TZ
from bot.program import FAQ_CATEGORIES, parse_krw
from handlers.common import edit_or_send, keyboard, main_menu, rt, short, subscribe_button
from handlers.subscribe import settings_view

BACK_TO_MENU = [(texts.BTN_MENU, encode("menu", "main"))]


def challenges_view(context) -> tuple[str, object]:
    content = rt(context).content
    text = texts.CHALLENGES_HEADER.format(program=esc(content.program.name), count=len(content.challenges))
    rows = [[(f"{c.company}", encode("ch", c.id))] for c in content.challenges]
    return text, keyboard([*rows, BACK_TO_MENU])


def challenge_view(context, challenge_id: str) -> tuple[str, object] | None:
    content = rt(context).content
    challenge = content.challenge(challenge_id)
    if challenge is None:
        return None
    text = challenge_card(challenge, content.program, datetime.now(TZ))
    return text, keyboard([[(texts.BTN_BACK, encode("menu", "challenges"))], BACK_TO_MENU])


def deadline_view(context, chat_id: int) -> tuple[str, object]:
    program = rt(context).content.program
    text = deadline_card(program, datetime.now(TZ))
    button = subscribe_button(context, chat_id)
    return text, keyboard([[button] if button else [], BACK_TO_MENU])


def funding_view(context) -> tuple[str, object]:
    return funding_card(rt(context).content.program), keyboard([BACK_TO_MENU])


def faq_index_view(context) -> tuple[str, object]:
    rows = [[(texts.BTN_FAQ_CATEGORY.format(category=cat), encode("faqcat", str(i)))]
            for i, cat in enumerate(FAQ_CATEGORIES)]
    return texts.FAQ_INDEX, keyboard([*rows, BACK_TO_MENU])


def faq_category_view(context, index: int) -> tuple[str, object] | None:
    if not 0 <= index < len(FAQ_CATEGORIES):
        return None
    category = FAQ_CATEGORIES[index]
    entries = [e for e in rt(context).content.faq if e.category == category]
    rows = [[(short(e.question), encode("faq", e.id))] for e in entries[:40]]
    text = texts.FAQ_CATEGORY_HEADER.format(category=esc(category), count=len(entries))
    return text, keyboard([*rows, [(texts.BTN_BACK, encode("menu", "faq"))], BACK_TO_MENU])


async def challenges_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text, markup = challenges_view(context)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def funding_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text, markup = funding_view(context)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def deadline_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text, markup = deadline_view(context, update.effective_chat.id)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def calc_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    raw = " ".join(context.args or [])
    if not raw:
        await update.effective_message.reply_text(texts.CALC_USAGE)
        return
    amount = parse_krw(raw)
    digits = raw.replace(",", "")
    if amount is None and digits.isascii() and digits.isdigit() and len(digits) <= 16:
        amount = int(digits)
    if not amount:
        await update.effective_message.reply_text(texts.CALC_BAD_AMOUNT)
        return
    text = calc_text(rt(context).content.program, amount)
    markup = keyboard([[(texts.BTN_FUNDING_ALL, encode("menu", "funding"))]])
    await update.effective_message.reply_text(text, reply_markup=markup)


async def on_menu(update: Update, context: ContextTypes.DEFAULT_TYPE, target: str) -> bool:
    chat_id = update.effective_chat.id
    if target == "main":
        view = (texts.MENU_PROMPT, main_menu(context, chat_id))
    elif target == "challenges":
        view = challenges_view(context)
    elif target == "funding":
        view = funding_view(context)
    elif target == "deadline":
        view = deadline_view(context, chat_id)
    elif target == "faq":
        view = faq_index_view(context)
    elif target == "settings":
        view = settings_view(context, chat_id)
    else:
        return False
    await edit_or_send(update, *view)
    return True


async def on_challenge(update: Update, context: ContextTypes.DEFAULT_TYPE, challenge_id: str) -> bool:
    view = challenge_view(context, challenge_id)
    if view is None:
        return False
    await edit_or_send(update, *view)
    return True


async def on_faq_category(update: Update, context: ContextTypes.DEFAULT_TYPE, index: str) -> bool:
    view = faq_category_view(context, int(index)) if index.isdigit() else None
    if view is None:
        return False
    await edit_or_send(update, *view)
    return True
