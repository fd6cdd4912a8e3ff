"""Free-text questions, suggestion/follow-up buttons, FAQ entries and inline mode."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from uuid import uuid4

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import ContextTypes

from bot import texts
from bot.answer import Answer, deadline_card, esc, plain_text
from bot.callbacks import encode
from bot.config import TZ
from bot.program import FAQ_CATEGORIES, deadline_label
from bot.store import Store
from handlers.common import (
    MAX_QUESTION_CHARS,
    edit_or_send,
    keyboard,
    round_closed,
    rt,
    subscribe_button,
    target_callback,
)
from handlers.subscribe import text_intent

log = logging.getLogger("handlers.ask")
LOGGED_KINDS = ("unclear", "out_of_scope", "not_in_source")
MISS_LOG_WAIT = 0.2  # seconds a reply waits for its miss to be recorded


def answer_markup(context, answer: Answer, chat_id: int | None):
    rows = [[(label, target_callback(target))] for label, target in answer.buttons]
    if answer.kind == "unclear" and answer.buttons:
        rows.append([(texts.BTN_NONE_OF_THESE, encode("none"))])
    if answer.form == "faq" and chat_id is not None:
        entry = rt(context).content.entry(answer.entry_id.split(",")[0].split(":", 1)[1])
        button = subscribe_button(context, chat_id) if entry and entry.category == "신청" else None
        if button:
            rows.append([button])
    return keyboard(rows)


async def log_miss(context, question: str, answer: Answer) -> asyncio.Task | None:
    """Keep a miss for /unanswered, off the event loop. Waits a moment for it (so it is recorded before
    the reply, as a rule); a busy database never holds the reply longer than that. Returns what is
    left to await after the reply, if anything."""
    if answer.kind not in LOGGED_KINDS:
        return None
    log.info("Question not answered confidently (%s, best %s %.2f)", answer.kind, answer.entry_id, answer.score)
    task = asyncio.create_task(
        rt(context).write(Store.log_unanswered, question, answer.entry_id, answer.score, answer.kind))
    done, _ = await asyncio.wait({task}, timeout=MISS_LOG_WAIT)
    if done:
        await finish_miss(task)
        return None
    return task


async def finish_miss(task: asyncio.Task | None) -> None:
    if task is None:
        return
    try:
        await task
    except Exception:
        log.warning("Could not record an unanswered question", exc_info=True)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    question = message.text or ""
    if len(question) > MAX_QUESTION_CHARS:
        log.info("Rejected a %d-character message from chat %s", len(question), update.effective_chat.id)
        await message.reply_text(texts.TOO_LONG.format(length=len(question), limit=MAX_QUESTION_CHARS))
        return
    if await text_intent(update, context, question):
        return
    answer = rt(context).core.answer(question, datetime.now(TZ))
    pending = await log_miss(context, question, answer)
    await message.reply_text(answer.text, reply_markup=answer_markup(context, answer, update.effective_chat.id))
    await finish_miss(pending)


async def on_answer_button(update: Update, context: ContextTypes.DEFAULT_TYPE, arg: str) -> bool:
    """A suggestion or follow-up: answer it as a new message."""
    kind, _, ident = arg.partition("-")
    key = {"f": "faq", "c": "ch"}.get(kind)
    if key is None:
        return False
    try:
        answer = rt(context).core.answerer.render_key(f"{key}:{ident}", datetime.now(TZ))
    except KeyError:
        return False
    await update.effective_chat.send_message(
        answer.text, reply_markup=answer_markup(context, answer, update.effective_chat.id)
    )
    return True


async def on_faq_entry(update: Update, context: ContextTypes.DEFAULT_TYPE, entry_id: str) -> bool:
    """An entry picked while browsing the FAQ index: shown in place, with a way back."""
    r = rt(context)
    entry = r.content.entry(entry_id)
    if entry is None:
        return False
    answer = r.core.answerer.render_key(f"faq:{entry_id}", datetime.now(TZ))
    back = encode("faqcat", str(FAQ_CATEGORIES.index(entry.category)))
    rows = [[(label, target_callback(t))] for label, t in answer.buttons]
    rows.append([(texts.BTN_BACK, back), (texts.BTN_MENU, encode("menu", "main"))])
    await edit_or_send(update, answer.text, keyboard(rows))
    return True


async def on_none_of_these(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    contact = texts.ASK_PERSON.format(contact=esc(rt(context).content.program.contact))
    await edit_or_send(update, texts.NONE_OF_THESE.format(contact=contact), None)
    return True


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    text = (query.query or "").strip()[:MAX_QUESTION_CHARS]
    r = rt(context)
    results = []
    pending = None
    if text:
        answer = r.core.answer(text, datetime.now(TZ))
        pending = await log_miss(context, text, answer)
        used = set((answer.entry_id or "").split(","))
        if not answer.abstained:
            first = (answer.entry_id or "").split(",")[0]
            title = texts.INLINE_CALC_TITLE if answer.form == "calc" else r.core.answerer.label(first) if first else text
            results.append(_article(title, answer.text))
        matches = r.core.answerer.index.search(text, limit=3).matches
        for key in [m.key for m in matches if m.key not in used and m.score >= 0.2][: 3 - len(results)]:
            rendered = r.core.answerer.render_key(key, datetime.now(TZ))
            results.append(_article(r.core.answerer.label(key), rendered.text))
        if not results:
            results.append(_article(texts.INLINE_NO_RESULT, answer.text))
    else:
        program = r.content.program
        closed = round_closed(context)
        title = texts.INLINE_CLOSED_TITLE if closed else texts.INLINE_DEADLINE_TITLE.format(
            deadline=deadline_label(program))
        results.append(_article(title, deadline_card(program, datetime.now(TZ))))
    await query.answer(results, cache_time=30, is_personal=False)
    await finish_miss(pending)


def _article(title: str, html_text: str) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=uuid4().hex,
        title=title[:60],
        description=plain_text(html_text)[:100],
        input_message_content=InputTextMessageContent(html_text[:4000]),
    )
