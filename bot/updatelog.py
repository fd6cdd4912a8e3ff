"""One log line per update handled: kind, handler, outcome, latency (never the message text).

:class:`InstrumentedApplication` is the PTB ``Application`` the bot runs (``application_class`` in
``bot/app.py``). Around every ``process_update`` it keeps a small record in a context variable;
the handler callbacks, wrapped once by :func:`instrument` after registration, write their names
into it, and ``process_error`` marks it failed (the error handler logs the traceback, once). Then
one line::

    update 812 message:command chat=700001 handler=start.start outcome=ok 14.2 ms

With ``LOG_FORMAT=json`` the same facts are JSON fields (``update_id``, ``kind``, ``chat_id``,
``handler``, ``outcome``, ``latency_ms``).
"""

from __future__ import annotations

import contextvars
import functools
import logging
import time
from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import Application, BaseHandler, ConversationHandler

log = logging.getLogger("bot.updates")

MESSAGE_KINDS = ("photo", "document", "sticker", "voice", "audio", "video", "animation", "video_note",
                 "location", "contact", "poll")


@dataclass
class _Handled:
    handlers: list[str] = field(default_factory=list)
    error: str | None = None


_current: contextvars.ContextVar[_Handled | None] = contextvars.ContextVar("handled_update", default=None)


def update_kind(update: object) -> str:
    """``message:text``, ``message:command``, ``message:photo``, ``callback_query``, ``inline_query`` ..."""
    if not isinstance(update, Update):
        return type(update).__name__
    for kind in Update.ALL_TYPES:
        value = getattr(update, kind, None)
        if value is None:
            continue
        if kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
            if value.text is not None:
                return f"{kind}:{'command' if value.text.startswith('/') else 'text'}"
            sub = next((k for k in MESSAGE_KINDS if getattr(value, k, None)), "other")
            return f"{kind}:{sub}"
        return kind
    return "unknown"


def _name(callback) -> str:
    module = getattr(callback, "__module__", "") or ""
    return f"{module.rpartition('.')[2]}.{getattr(callback, '__name__', type(callback).__name__)}"


def _wrap(handler: BaseHandler) -> None:
    if isinstance(handler, ConversationHandler):
        inner = [*handler.entry_points, *handler.fallbacks]
        for state_handlers in handler.states.values():
            inner.extend(state_handlers)
        for h in inner:
            _wrap(h)
        return
    callback = getattr(handler, "callback", None)
    if callback is None or getattr(callback, "_instrumented", False):
        return
    name = _name(callback)

    @functools.wraps(callback)
    async def wrapped(update, context):
        handled = _current.get()
        if handled is not None:
            handled.handlers.append(name)
        return await callback(update, context)

    wrapped._instrumented = True  # type: ignore[attr-defined]
    handler.callback = wrapped


def _log_update(update: object, handled: _Handled, latency_ms: float) -> None:
    if handled.error:
        outcome = f"error:{handled.error}"
    else:
        outcome = "ok" if handled.handlers else "unhandled"
    fields = {
        "update_id": getattr(update, "update_id", None),
        "kind": update_kind(update),
        "chat_id": getattr(getattr(update, "effective_chat", None), "id", None),
        "handler": "+".join(handled.handlers) or "-",
        "outcome": outcome,
        "latency_ms": round(latency_ms, 1),
    }
    log.info("update %s %s chat=%s handler=%s outcome=%s %.1f ms", fields["update_id"], fields["kind"],
             fields["chat_id"], fields["handler"], outcome, latency_ms, extra={"fields": fields})


def instrument(app: Application) -> None:
    """Wrap every registered handler callback so the update line can name it. Negative groups hold
    checks every update passes (the gate: flood control, ignored edits), not an update's handler."""
    for group, handlers in app.handlers.items():
        if group < 0:
            continue
        for handler in handlers:
            _wrap(handler)


class InstrumentedApplication(Application):
    async def process_update(self, update: object) -> None:
        handled = _Handled()
        token = _current.set(handled)
        start = time.perf_counter()
        try:
            await super().process_update(update)
        except BaseException as exc:  # PTB handles handler errors itself; this is cancellation or a bug
            handled.error = handled.error or type(exc).__name__
            raise
        finally:
            _current.reset(token)
            _log_update(update, handled, (time.perf_counter() - start) * 1000)

    async def process_error(self, update, error, job=None, coroutine=None) -> bool:
        handled = _current.get()
        if handled is not None and update is not None:
            handled.error = type(error).__name__
        return await super().process_error(update, error, job=job, coroutine=coroutine)
