"""Staff tools: unanswered questions, teaching phrasings, moving the deadline, reload, stats."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import ContextTypes

from bot import staff_texts, texts
from bot.answer import esc
from bot.callbacks import encode
from bot.chart import subscribers_chart
from bot.config import TZ
from bot.program import format_datetime
from bot.reminders import next_reminder
from bot.store import Store
from handlers.common import edit_or_send, keyboard, rt, short, small_int, staff_only
from handlers.start import staff_status

log = logging.getLogger("handlers.admin")
PAGE = 5
PENDING_DEADLINE = "pending_deadline"
MAX_DEADLINE_YEARS = 5
RELOAD_ERROR_CHARS = 3000  # escaped and wrapped, still far below Telegram's 4,096


def _entry_label(context, key: str | None) -> str:
    if not key:
        return staff_texts.UNANSWERED_NO_ENTRY
    return key.split(":", 1)[1] if ":" in key else key


def unanswered_view(context, offset: int = 0) -> tuple[str, object]:
    store = rt(context).store
    total = store.count_unanswered()
    items = store.list_unanswered(PAGE, offset)
    if not items:
        return staff_texts.UNANSWERED_EMPTY, None
    lines = [staff_texts.UNANSWERED_HEADER.format(count=total)]
    rows = []
    for item in items:
        when = datetime.fromisoformat(item["asked_at"]).astimezone(TZ).strftime("%m/%d %H:%M")
        lines.append(staff_texts.UNANSWERED_ITEM.format(
            id=item["id"], when=when, text=esc(item["text"][:200]),
            best=esc(_entry_label(context, item["best_entry"])), score=item["score"] or 0.0,
            reason=staff_texts.UNANSWERED_REASONS.get(item["reason"], item["reason"])))
        row = []
        best = item["best_entry"] or ""
        if best.startswith("faq:"):
            row.append((staff_texts.BTN_UNANSWERED_ATTACH.format(id=item["id"], entry=short(best[4:], 18)),
                        encode("una", item["id"], best[4:])))
        row.append((staff_texts.BTN_UNANSWERED_PICK.format(id=item["id"]), encode("un", "pick", item["id"])))
        row.append((staff_texts.BTN_UNANSWERED_DISMISS.format(id=item["id"]),
                    encode("un", "dismiss", item["id"])))
        rows.append(row)
    if total > offset + PAGE:
        rows.append([(staff_texts.BTN_NEXT_PAGE, encode("un", "page", offset + PAGE))])
    return "\n\n".join(lines), keyboard(rows)


@staff_only
async def unanswered_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text, markup = unanswered_view(context)
    await update.effective_message.reply_text(text, reply_markup=markup)


@staff_only
async def on_unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str, arg: str):
    number = small_int(arg)
    if number is None:
        return False
    store = rt(context).store
    if action == "page":
        await edit_or_send(update, *unanswered_view(context, number))
        return True
    item = store.get_unanswered(number)
    if item is None:
        return False
    if action == "dismiss":
        await rt(context).write(Store.resolve_unanswered, item["id"], None)
        await edit_or_send(update, *unanswered_view(context))
        return staff_texts.UNANSWERED_DISMISSED.format(id=item["id"])
    if action == "pick":
        result = rt(context).core.content_manager.index.search(item["text"], limit=12)
        keys = [m.id for m in result.matches if m.kind == "faq"][:8]
        keys += [e.id for e in rt(context).content.faq if e.id not in keys][: max(0, 8 - len(keys))]
        rows = [[(short(rt(context).content.entry(k).question), encode("una", item["id"], k))] for k in keys]
        rows.append([(texts.BTN_BACK, encode("un", "page", 0))])
        text = staff_texts.UNANSWERED_ATTACH_PROMPT.format(id=item["id"], text=esc(item["text"][:200]))
        text += staff_texts.UNANSWERED_ATTACH_HINT
        await edit_or_send(update, text, keyboard(rows))
        return True
    return False


async def _attach(context, item_id: int, entry_id: str) -> str | None:
    r = rt(context)
    item = r.store.get_unanswered(item_id)
    if item is None or r.content.entry(entry_id) is None:
        return None
    r.core.content_manager.attach_phrasing(entry_id, item["text"])
    r.store.resolve_unanswered(item_id, f"faq:{entry_id}")
    log.info("Staff attached unanswered #%s to FAQ entry %s", item_id, entry_id)
    return staff_texts.UNANSWERED_ATTACHED.format(id=item_id, entry=esc(entry_id))


@staff_only
async def on_attach(update: Update, context: ContextTypes.DEFAULT_TYPE, item_id: str, entry_id: str):
    number = small_int(item_id)
    if number is None:
        return False
    done = await _attach(context, number, entry_id)
    if done is None:
        return False
    await update.effective_chat.send_message(done)
    await edit_or_send(update, *unanswered_view(context))
    return True


@staff_only
async def attach_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    args = context.args or []
    number = small_int(args[0]) if len(args) == 2 else None
    if number is None:
        await update.effective_message.reply_text(staff_texts.ATTACH_USAGE)
        return
    done = await _attach(context, number, args[1])
    await update.effective_message.reply_text(done or staff_texts.ATTACH_NOT_FOUND)


def parse_deadline(text: str) -> datetime | None:
    """'2026-12-26 18:00' (KST). Date and time both: confirming means staff checked both."""
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})\s*", text)
    if not m:
        return None
    try:
        return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), tzinfo=TZ)
    except ValueError:
        return None


@staff_only
async def set_deadline_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    r = rt(context)
    new = parse_deadline(" ".join(context.args or []))
    if new is None:
        await update.effective_message.reply_text(staff_texts.SET_DEADLINE_USAGE)
        return
    program = r.content.program
    old = program.deadline
    if new == old and program.deadline_confirmed:
        await update.effective_message.reply_text(staff_texts.SET_DEADLINE_SAME)
        return
    if new <= datetime.now(TZ):
        await update.effective_message.reply_text(
            staff_texts.SET_DEADLINE_PAST.format(new=format_datetime(new)))
        return
    if new > datetime.now(TZ) + timedelta(days=365 * MAX_DEADLINE_YEARS):  # e.g. 9999-12-31
        await update.effective_message.reply_text(
            staff_texts.SET_DEADLINE_TOO_FAR.format(years=MAX_DEADLINE_YEARS, new=format_datetime(new)))
        return
    markup = keyboard([[(texts.BTN_CONFIRM, encode("dl", "yes")), (texts.BTN_CANCEL, encode("dl", "no"))]])
    count = len(r.store.active_chat_ids(round_id=program.round_id))
    if new == old:  # the provisional deadline is right: confirm it
        text = staff_texts.SET_DEADLINE_CONFIRM_SAME.format(new=format_datetime(new), count=count)
    else:
        mark = "" if program.deadline_confirmed else texts.PROVISIONAL_MARK
        text = staff_texts.SET_DEADLINE_CONFIRM.format(old=format_datetime(old) + mark,
                                                       new=format_datetime(new), count=count)
    confirm = await update.effective_message.reply_text(text, reply_markup=markup)
    # only this message confirms it
    context.user_data[PENDING_DEADLINE] = (confirm.message_id, new.isoformat())


@staff_only
async def on_deadline_confirm(update: Update, context: ContextTypes.DEFAULT_TYPE, choice: str):
    message_id = update.callback_query.message.message_id
    pending = context.user_data.get(PENDING_DEADLINE)
    if pending is None or pending[0] != message_id:  # an older confirmation, or none at all
        return False
    # One confirmation message changes the deadline at most once, whatever the taps (and restarts).
    key = f"deadline:{update.effective_chat.id}:{message_id}"
    if not await rt(context).write(Store.spend_confirmation, key):
        return texts.ALREADY_DONE
    context.user_data.pop(PENDING_DEADLINE, None)
    if choice != "yes":
        await edit_or_send(update, staff_texts.CANCELLED, None)
        return True
    r = rt(context)
    new = datetime.fromisoformat(pending[1])
    user = update.effective_user
    who = f"{user.full_name} ({user.id})"
    # listeners reschedule reminders and tell subscribers once
    r.core.content_manager.set_deadline(new, confirmed_by=who, confirmed_at=datetime.now(TZ))
    log.info("Staff %s set and confirmed the deadline %s", user.id, new.isoformat())
    nxt = next_reminder(r.content.program, datetime.now(TZ))
    next_text = format_datetime(nxt) if nxt else staff_texts.NO_NEXT_REMINDER
    await edit_or_send(update, staff_texts.SET_DEADLINE_DONE.format(
        new=format_datetime(new), next_reminder=next_text), None)
    return True


@staff_only
async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    r = rt(context)
    before = r.content.program.round_id
    ok, error = r.core.content_manager.reload()
    if ok:
        program = r.content.program
        text = staff_texts.RELOAD_OK.format(challenges=len(r.content.challenges), faq=len(r.content.faq))
        if program.round_id != before:
            text += staff_texts.RELOAD_NEW_ROUND.format(old=esc(before), round=esc(program.round_id),
                                                        notified=r.store.count_active())
        text += staff_status(program, datetime.now(TZ))
    else:
        text = staff_texts.RELOAD_FAILED.format(error=esc(_trim(error, RELOAD_ERROR_CHARS)))
    await update.effective_message.reply_text(text)


def _trim(text: str, limit: int) -> str:
    """At most ``limit`` characters, so the reply fits Telegram's 4,096 (the log keeps it all)."""
    return text if len(text) <= limit else text[:limit] + staff_texts.RELOAD_TRIMMED


@staff_only
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    r = rt(context)
    stats = r.store.subscriber_stats()
    totals = r.store.delivery_totals()
    program = r.content.program
    count = staff_texts.COUNT_ITEM
    inactive = ", ".join(count.format(label=k or staff_texts.STATS_REASON_OTHER, n=v)
                         for k, v in stats["inactive_by_reason"].items())
    lines = [
        staff_texts.STATS_SUBSCRIBERS,
        staff_texts.STATS_ACTIVE.format(n=stats["active"]),
        staff_texts.STATS_INACTIVE.format(n=stats["inactive"])
        + (staff_texts.STATS_INACTIVE_REASONS.format(reasons=inactive) if inactive else ""),
    ]
    if stats["by_interest"]:
        lines.append(staff_texts.STATS_BY_INTEREST.format(items=", ".join(
            count.format(label=esc(c.company), n=stats["by_interest"].get(c.id, 0))
            for c in r.content.challenges if stats["by_interest"].get(c.id))))
    lines += [
        "",
        staff_texts.STATS_DELIVERIES,
        staff_texts.STATS_DELIVERY_TOTALS.format(
            sent=totals["sent"], blocked=totals["blocked"], failed=totals["failed"],
            pending=totals["pending"] + totals["sending"]),
        staff_texts.STATS_UNANSWERED.format(n=r.store.count_unanswered()),
        "",
        staff_texts.STATS_ROUNDS,
    ]
    report = r.store.round_report()
    for item in report:
        lines.append(staff_texts.STATS_ROUND_ITEM.format(
            round=esc(item["round"] or "-"), reminders=item["slots"].get("sent", 0),
            skipped=item["slots"].get("skipped", 0), sent=item["deliveries"].get("sent", 0),
            failed=item["deliveries"].get("failed", 0), cancelled=item["deliveries"].get("cancelled", 0)))
    if not report:
        lines.append(staff_texts.STATS_ROUNDS_EMPTY)
    lines += ["", staff_status(program, datetime.now(TZ)).strip()]
    await update.effective_message.reply_text("\n".join(lines))
    series = r.store.subscription_series()
    if series:
        png = subscribers_chart(series, staff_texts.STATS_CHART_TITLE)
        await update.effective_chat.send_photo(png, caption=staff_texts.STATS_CHART_CAPTION)


@staff_only
async def broadcasts_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(rt(context).broadcasts.recent_text())


async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel outside a conversation: nothing to cancel."""
    context.user_data.pop(PENDING_DEADLINE, None)
    await update.effective_message.reply_text(staff_texts.NOTHING_TO_CANCEL)
