"""The emulator itself: an HTTP server on 127.0.0.1 that speaks the Bot API, and its state.

:class:`TelegramEmulator` serves ``/bot<token>/<method>`` (query, JSON, form or multipart parameters;
see :mod:`tgemu.wire`) and ``/file/bot<token>/<file_path>``, checks the token (401), applies
injected faults (:mod:`tgemu.faults`), then runs the method (:mod:`tgemu.methods`) and records the
call in ``emu.calls`` (:class:`CallRecord`: method, parameters, status, time). It also queues the
updates that users (:mod:`tgemu.users`) produce, and offers what a test inspects:
``messages_to(chat_id)``, ``calls_to("sendMessage")``, ``pending_updates``, ``commands`` (per
scope), ``sent_count``, ``wait_until(pred)``, and ``on_bot_message`` (a callback for every message
the bot creates or edits; the local chat prints them). Updates reach the bot by ``getUpdates`` or,
once it calls ``setWebhook``, by POSTs to its webhook (:mod:`tgemu.webhook`, ``webhook_attempts``).

Everything runs inside the caller's asyncio event loop; no threads. Point an unmodified
python-telegram-bot ``Application`` at ``base_url=emu.base_url`` and
``base_file_url=emu.base_file_url``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from aiohttp import web

from tgemu.faults import FaultInjection, FaultRule
from tgemu.groups import GroupChats
from tgemu.limits import RateLimiter, RateLimits
from tgemu.methods import SUPPORTED_METHODS, BotApiMethods
from tgemu.state import BotMessage, Chat, FileStore
from tgemu.users import EmuUser
from tgemu.webhook import WebhookDelivery
from tgemu.wire import ApiError, ClientGone, read_params

log = logging.getLogger(__name__)

Handler = Callable[[dict, web.Request], Awaitable[Any]]


@dataclass
class CallRecord:
    """One HTTP call made by the bot."""

    method: str
    params: dict
    status: int = 0  # HTTP status; 0 while pending or when the connection was dropped
    ok: bool = False
    error_code: int | None = None
    time: float = 0.0  # time.monotonic() when the request arrived
    description: str | None = None
    dropped: bool = False


class TelegramEmulator(FaultInjection, GroupChats, WebhookDelivery, BotApiMethods):
    """A local Telegram Bot API server plus a scriptable set of users."""

    def __init__(
        self,
        token: str = "123456:TEST-token",
        bot_id: int | None = None,
        bot_username: str = "emulator_test_bot",
        bot_first_name: str = "Emulator Bot",
        host: str = "127.0.0.1",
    ):
        self.token = token
        if bot_id is None:
            head = token.split(":", 1)[0]
            bot_id = int(head) if head.isdigit() else 123456
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.host = host
        self.port: int | None = None
        self.bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }

        self.calls: list[CallRecord] = []
        self.commands: dict[str, list[dict]] = {}
        self.rate_limits: RateLimits | None = None
        self.on_bot_message: Callable[[int, BotMessage, bool], None] | None = None
        self.sent_count = 0
        self.rate_limited_count = 0
        self.first_message_time: float | None = None
        self.last_message_time: float | None = None
        self.faults: list[FaultRule] = []

        self._chats: dict[int, Chat] = {}
        self._users: dict[int, EmuUser] = {}
        self._updates: deque[dict] = deque()
        self._next_update_id = 1
        self._allowed_updates: set[str] | None = None
        self._updates_event = asyncio.Event()
        self._changed = asyncio.Event()
        self._seq = 0  # bumped on every observable change
        self._poll_seq = 0
        self._closing = False
        self._closed = asyncio.Event()  # set by stop(); interrupts injected delays
        self._cqs: dict[str, dict] = {}
        self._cq_answers: dict[int, list[dict]] = {}
        self._cq_ids = itertools.count(4_300_000_000_000_000_001)
        self._inline: dict[str, dict] = {}
        self._inline_ids = itertools.count(9_100_000_000_000_000_001)
        self._files = FileStore()
        self._rate = RateLimiter()
        self._runner: web.AppRunner | None = None
        self._init_webhook()
        self._handlers: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, getattr(self, "_m_" + name)) for name in SUPPORTED_METHODS
        }

    # ------------------------------------------------------------------ lifecycle
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    async def start(self) -> TelegramEmulator:
        if self._runner is not None:
            return self
        self._closing = False
        self._closed = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, self.host, 0)
        await site.start()
        self._runner = runner
        self.port = runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is None:
            return
        self._closing = True
        self._closed.set()
        self._bump_updates()
        self._bump()
        await self._stop_webhook_sender()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> TelegramEmulator:
        return await self.start()

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    # ------------------------------------------------------------------ users
    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ko",
        last_name: str | None = None,
    ) -> EmuUser:
        """Get or create a user (and their private chat, whose id equals the user id)."""
        chat = self._chats.get(user_id)
        if chat is None:
            chat = Chat(user_id, first_name or f"User{user_id}", last_name, username, language_code)
            self._chats[user_id] = chat
        else:
            changed = False
            for attr, value in (
                ("first_name", first_name),
                ("last_name", last_name),
                ("username", username),
                ("language_code", language_code),
            ):
                if value is not None and getattr(chat, attr) != value:
                    setattr(chat, attr, value)
                    changed = True
            if changed:
                chat._chat_dict = chat._user_dict = None
        u = self._users.get(user_id)
        if u is None:
            u = self._users[user_id] = EmuUser(self, chat)
        return u

    def add_users(self, user_ids: Iterable[int], language_code: str | None = "ko") -> None:
        """Register many private chats at once (no updates are produced)."""
        chats = self._chats
        for uid in user_ids:
            if uid not in chats:
                chats[uid] = Chat(uid, f"User{uid}", None, None, language_code)

    def has_chat(self, chat_id: int) -> bool:
        return chat_id in self._chats

    def messages_to(self, chat_id: int) -> list[BotMessage]:
        chat = self._chats.get(chat_id)
        return [m for m in chat.bot_msgs if not m.deleted] if chat else []

    def calls_to(self, method: str) -> list[CallRecord]:
        lc = method.lower()
        return [c for c in self.calls if c.method.lower() == lc]

    @property
    def pending_updates(self) -> list[dict]:
        """Updates queued but not yet confirmed by the bot."""
        return list(self._updates)

    def file_bytes(self, file_id: str) -> bytes | None:
        return self._files.data(file_id)

    # ------------------------------------------------------------------ waiting
    def _bump(self) -> None:
        self._seq += 1
        ev, self._changed = self._changed, asyncio.Event()
        ev.set()

    def _bump_updates(self) -> None:
        ev, self._updates_event = self._updates_event, asyncio.Event()
        ev.set()

    async def _wait_for(self, pred: Callable[[], bool], timeout: float, describe: Callable[[], str]) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not pred():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(describe())
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                pass

    def _diagnostics(self, chat_id: int | None = None) -> str:
        parts = []
        if self._updates:
            parts.append(f"{len(self._updates)} update(s) not yet fetched/confirmed by the bot")
        failed = [
            c
            for c in self.calls
            if not c.ok
            and c.method != "getUpdates"
            and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ][-5:]
        if failed:
            parts.append(
                "recent failed calls: "
                + "; ".join(f"{c.method} -> {c.status} {c.description}" for c in failed)
            )
        return (" [" + " | ".join(parts) + "]") if parts else ""

    async def wait_until(
        self, pred: Callable[[], bool], timeout: float = 5.0, what: str = "condition"
    ) -> None:
        """Wait until ``pred()`` is true; re-checked after every bot-side change."""
        await self._wait_for(
            pred, timeout, lambda: f"timed out after {timeout}s waiting for {what}{self._diagnostics()}"
        )

    # ------------------------------------------------------------------ updates
    def _enqueue(self, kind: str, obj: dict) -> dict:
        update = {"update_id": self._next_update_id, kind: obj}
        self._next_update_id += 1
        self._updates.append(update)
        self._bump_updates()
        return update

    def _my_chat_member(self, chat: Chat, old: str, new: str) -> None:
        now = int(time.time())
        new_member: dict[str, Any] = {"status": new, "user": self.bot_user}
        old_member: dict[str, Any] = {"status": old, "user": self.bot_user}
        for member in (new_member, old_member):
            if member["status"] == "kicked":
                member["until_date"] = 0
        self._enqueue(
            "my_chat_member",
            {
                "chat": chat.chat_dict(),
                "from": chat.user_dict(),
                "date": now,
                "old_chat_member": old_member,
                "new_chat_member": new_member,
            },
        )

    # ------------------------------------------------------------------ HTTP plumbing
    @staticmethod
    def _json_response(status: int, body: dict) -> web.Response:
        return web.json_response(body, status=status, dumps=partial(json.dumps, ensure_ascii=False))

    def _finish_error(self, rec: CallRecord, err: ApiError) -> web.Response:
        rec.status = err.code
        rec.ok = False
        rec.error_code = err.code
        rec.description = err.description
        return self._json_response(err.code, err.body())

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):
            return await self._serve_file(path[len("/file/bot"):])
        if not path.startswith("/bot"):
            return self._json_response(404, ApiError(404, "Not Found").body())
        token, _, method = path[len("/bot"):].partition("/")
        method_lc = method.lower()
        entry = self._handlers.get(method_lc)
        rec = CallRecord(method=entry[0] if entry else method, params={}, time=time.monotonic())
        self.calls.append(rec)
        if token != self.token:
            return self._finish_error(rec, ApiError(401, "Unauthorized"))
        try:
            rec.params = await read_params(request)
        except ApiError as err:
            return self._finish_error(rec, err)

        rule = self._take_fault(method_lc, rec.params)
        if rule is not None:
            if rule.delay:
                try:
                    await asyncio.wait_for(self._closed.wait(), rule.delay)
                except TimeoutError:
                    pass
            if rule.drop or self._closing:
                rec.dropped = True
                rec.description = "connection dropped (injected)"
                if request.transport is not None:
                    request.transport.close()
                # aiohttp cannot write to the closed transport and ignores that quietly.
                return web.Response(status=204)
            if rule.status:
                return self._finish_error(rec, rule.error())

        if entry is None or "/" in method:
            return self._finish_error(rec, ApiError(404, "Not Found"))
        try:
            result = await entry[1](rec.params, request)
        except ApiError as err:
            return self._finish_error(rec, err)
        except ClientGone:
            rec.description = "client disconnected"
            return web.Response(status=204)
        except Exception as exc:  # pragma: no cover - emulator bug
            log.exception("emulator: internal error in %s", rec.method)
            return self._finish_error(rec, ApiError(500, f"Internal Server Error: {exc!r}"))
        rec.status = 200
        rec.ok = True
        return self._json_response(200, {"ok": True, "result": result})

    async def _serve_file(self, rest: str) -> web.StreamResponse:
        token, _, file_path = rest.partition("/")
        if token != self.token:
            return self._json_response(401, ApiError(401, "Unauthorized").body())
        f = self._files.by_path(file_path)
        if f is not None:
            return web.Response(body=f.data, content_type=f.mime or "application/octet-stream")
        return self._json_response(404, ApiError(404, "Not Found").body())
