"""Handler registration, in order (one place, as in python-telegram-bot's rules-bot).

Group 0: the staff broadcast conversation (it must see media and text before anyone else).
Group 1: commands, buttons, text, inline queries, and finally the catch-alls.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.callbacks import decode
from handlers import admin, ask, broadcast, browse, errors, gate, members, start, subscribe

PRIVATE = filters.ChatType.PRIVATE


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Route every inline button; unknown, stale or forged data gets a polite answer."""
    query = update.callback_query
    if query.message is None:  # a button on an inline message: the bot sends none, so stale or forged
        await errors.stale_button(update, context)
        return
    parsed = decode(query.data)
    handled = False
    if parsed is not None:
        action, args = parsed
        route = {
            "menu": lambda: browse.on_menu(update, context, args[0]),
            "ch": lambda: browse.on_challenge(update, context, args[0]),
            "faqcat": lambda: browse.on_faq_category(update, context, args[0]),
            "faq": lambda: ask.on_faq_entry(update, context, args[0]),
            "ans": lambda: ask.on_answer_button(update, context, args[0]),
            "none": lambda: ask.on_none_of_these(update, context),
            "sub": lambda: _subscribe(update, context),
            "unsub": lambda: _unsubscribe(update, context),
            "slot": lambda: subscribe.on_toggle(update, context, "slot", args[0]),
            "int": lambda: subscribe.on_toggle(update, context, "int", args[0]),
            "nx": lambda: subscribe.on_toggle(update, context, "next", ""),
            "del": lambda: subscribe.on_delete(update, context, args[0]),
            "dl": lambda: admin.on_deadline_confirm(update, context, args[0]),
            "un": lambda: admin.on_unanswered(update, context, args[0], args[1]),
            "una": lambda: admin.on_attach(update, context, args[0], args[1]),
            "bc": lambda: broadcast.on_control(update, context, args[0], args[1]),
        }.get(action)
        if route is not None:
            handled = await route()
    if not handled:
        await errors.stale_button(update, context)
        return
    # Routes return True, or a short text to show as a toast.
    await query.answer(handled if isinstance(handled, str) else None)


async def _subscribe(update, context) -> bool | str:
    refused = await subscribe.subscribe(update, context)  # a text: a group member who is not an admin
    return refused if isinstance(refused, str) else True


async def _unsubscribe(update, context) -> bool | str:
    refused = await subscribe.unsubscribe(update, context)
    return refused if isinstance(refused, str) else True


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, gate.gate), group=-1)  # flood control; edits ignored
    app.add_handler(broadcast.conversation(), group=0)

    commands = {
        "start": start.start,
        "help": start.help_command,
        "challenges": browse.challenges_command,
        "funding": browse.funding_command,
        "deadline": browse.deadline_command,
        "calc": browse.calc_command,
        "subscribe": subscribe.subscribe,
        "unsubscribe": subscribe.unsubscribe,
        "settings": subscribe.settings_command,
        "company": subscribe.company_command,
        "privacy": subscribe.privacy_command,
        "delete_me": subscribe.delete_me_command,
        "unanswered": admin.unanswered_command,
        "attach": admin.attach_command,
        "set_deadline": admin.set_deadline_command,
        "reload": admin.reload_command,
        "stats": admin.stats_command,
        "broadcasts": admin.broadcasts_command,
        "cancel": admin.cancel_command,
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE), group=1)
    app.add_handler(CallbackQueryHandler(on_button), group=1)
    app.add_handler(InlineQueryHandler(ask.on_inline_query), group=1)
    app.add_handler(ChatMemberHandler(members.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER), group=1)
    app.add_handler(MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, errors.unknown_command), group=1)
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & PRIVATE & filters.UpdateType.MESSAGE, ask.on_text),
        group=1,
    )
    app.add_handler(
        MessageHandler(~filters.TEXT & PRIVATE & filters.UpdateType.MESSAGE, errors.non_text), group=1
    )
    app.add_error_handler(errors.on_error)
