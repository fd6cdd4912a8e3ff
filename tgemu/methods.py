"""The Bot API methods the emulator implements, with Telegram's validation and error wording.

Methods (names are case-insensitive, as on Telegram; see :data:`SUPPORTED_METHODS`):

* updates: ``getUpdates`` (long polling with ``offset``/``limit``/``timeout``/``allowed_updates``; a
  second concurrent poll ends the first with ``409 Conflict``, and so does a webhook being set);
  ``setWebhook``, ``deleteWebhook`` and ``getWebhookInfo`` are in :mod:`tgemu.webhook`;
* messages: ``sendMessage``, ``sendPhoto``, ``sendDocument``, ``copyMessage``, ``editMessageText``,
  ``editMessageCaption``, ``editMessageReplyMarkup``, ``deleteMessage``, ``sendChatAction``;
* answers: ``answerCallbackQuery``, ``answerInlineQuery``;
* bot: ``getMe``, ``setMyCommands`` / ``getMyCommands`` / ``deleteMyCommands`` (per scope and
  language), ``getFile``, ``close``, ``logOut``;
* groups (:mod:`tgemu.groups`): ``getChatMember``, ``getChatAdministrators``.

Update kinds the bot receives: ``message``, ``edited_message``, ``callback_query``, ``inline_query``,
``my_chat_member``.

Text is parsed with ``parse_mode=HTML`` (:mod:`tgemu.entities`) or explicit ``entities``;
``MarkdownV2`` is accepted and kept verbatim. Inline keyboards are validated (button text,
``callback_data`` of 1-64 bytes, URL buttons ...); reply keyboards are accepted as they are.
Sends to a user who blocked the bot or deleted the account fail with 403; an edit that changes
nothing fails with ``message is not modified``; replies to unknown messages fail unless
``allow_sending_without_reply``. The length and rate limits are in :mod:`tgemu.limits`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import time
from collections import deque
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from tgemu.entities import HTMLParseError, parse_html, trim, utf16_len
from tgemu.limits import MAX_CALLBACK_DATA_BYTES, MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH
from tgemu.state import BotMessage, Chat
from tgemu.wire import STATUS_DESCRIPTIONS, ApiError, ClientGone, as_bool, opt_float, opt_int, to_int

log = logging.getLogger(__name__)

SUPPORTED_METHODS = (
    "getMe", "getUpdates", "sendMessage", "editMessageText", "editMessageCaption",
    "editMessageReplyMarkup", "answerCallbackQuery", "copyMessage", "sendChatAction",
    "setMyCommands", "getMyCommands", "deleteMyCommands", "setWebhook", "deleteWebhook", "getWebhookInfo",
    "answerInlineQuery", "sendPhoto", "sendDocument", "deleteMessage", "getFile", "close",
    "logOut", "getChatMember", "getChatAdministrators",
)

_CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})
# Keys of a Message object that make up its copyable content.
_CONTENT_KEYS = (
    "text", "entities", "photo", "document", "sticker", "voice", "audio", "video", "animation",
    "video_note", "location", "contact", "venue", "caption", "caption_entities",
)
_MEDIA_KEYS = ("photo", "document", "sticker", "voice", "audio", "video", "animation", "video_note")

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_QUERY_TOO_OLD = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_LANG_RE = re.compile(r"[a-z]{2}")


def _validate_markup(markup: Any) -> dict | None:
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        # ReplyKeyboardMarkup / ReplyKeyboardRemove / ForceReply: accepted as-is.
        return markup
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list):
        raise ApiError(
            400, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array'
        )
    for row in rows:
        if not isinstance(row, list):
            raise ApiError(
                400,
                'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup '
                "must be an Array of Arrays",
            )
        for button in row:
            if not isinstance(button, dict):
                raise ApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: "
                    "InlineKeyboardButton must be an Object",
                )
            text = button.get("text")
            if not isinstance(text, str):
                raise ApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: "
                    'Field "text" must be of type String',
                )
            if not text.strip():
                raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            elif "url" in button:
                url = button["url"]
                if not isinstance(url, str) or not url.strip() or any(ch in url for ch in " \n"):
                    raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
            elif not any(
                k in button
                for k in (
                    "login_url",
                    "switch_inline_query",
                    "switch_inline_query_current_chat",
                    "switch_inline_query_chosen_chat",
                    "callback_game",
                    "pay",
                    "web_app",
                    "copy_text",
                )
            ):
                raise ApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard",
                )
    return markup


def _echo_markup(markup: dict | None) -> dict | None:
    """The part of reply_markup Telegram echoes in a Message (inline keyboards only)."""
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        if not markup["inline_keyboard"]:
            return None
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None


# --------------------------------------------------------------------------- users


class BotApiMethods:
    """The Bot API part of :class:`~tgemu.server.TelegramEmulator`: one ``_m_<method>`` per method.

    Each takes the decoded parameters and the request, and returns the ``result`` or raises
    :class:`~tgemu.wire.ApiError`.
    """

    def _chat_param(self, params: dict, key: str = "chat_id") -> Chat:
        raw = params.get(key)
        if raw is None or raw == "":
            raise ApiError(400, f"Bad Request: {key} is empty")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None
        chat = self._chats.get(chat_id)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    @staticmethod
    def _check_reachable(chat: Chat) -> None:
        if chat.deactivated:
            raise ApiError(403, "Forbidden: user is deactivated")
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")

    def _check_rate(self, chat_id: int) -> None:
        if self.rate_limits is None:
            return
        retry = self._rate.admit(self.rate_limits, chat_id)
        if retry:
            self.rate_limited_count += 1
            raise ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})

    def _parse_text(
        self,
        params: dict,
        key: str,
        entities_key: str,
        *,
        caption: bool,
    ) -> tuple[str | None, list[dict], str | None, str | None]:
        """Return (plain text, entities, raw text as sent, parse_mode)."""
        raw = params.get(key)
        if raw is None or raw == "":
            if not caption:
                raise ApiError(400, "Bad Request: message text is empty")
            return None, [], None, None
        if not isinstance(raw, str):
            raw = json.dumps(raw) if isinstance(raw, (dict, list)) else str(raw)
        parse_mode = params.get("parse_mode") or None
        explicit = params.get(entities_key)
        if explicit not in (None, "", []):
            if not isinstance(explicit, list) or not all(
                isinstance(e, dict) and "type" in e and "offset" in e and "length" in e for e in explicit
            ):
                raise ApiError(400, "Bad Request: can't parse entities JSON object")
            text, entities = raw, [dict(e) for e in explicit]
            parse_mode = None
        elif parse_mode is None:
            text, entities = raw, []
        elif str(parse_mode).lower() == "html":
            try:
                text, entities = parse_html(raw)
            except HTMLParseError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        elif str(parse_mode).lower() in ("markdownv2", "markdown"):
            text, entities = raw, []
        else:
            raise ApiError(400, "Bad Request: unsupported parse_mode")
        text, entities = trim(text, entities)
        if not text:
            if not caption:
                raise ApiError(400, "Bad Request: message text is empty")
            return None, [], raw, parse_mode
        if caption and utf16_len(text) > MAX_CAPTION_LENGTH:
            raise ApiError(400, "Bad Request: message caption is too long")
        if not caption and utf16_len(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        return text, entities, raw, parse_mode

    def _reply_to(self, chat: Chat, params: dict) -> dict | None:
        rp = params.get("reply_parameters")
        mid = None
        allow = as_bool(params.get("allow_sending_without_reply", False))
        if isinstance(rp, dict) and rp.get("message_id") is not None:
            mid = to_int(rp["message_id"], "message_id")
            allow = allow or as_bool(rp.get("allow_sending_without_reply", False))
        elif params.get("reply_to_message_id") not in (None, ""):
            mid = to_int(params["reply_to_message_id"], "reply_to_message_id")
        if mid is None:
            return None
        target = chat.find(mid)
        if target is None:
            if allow:
                return None
            raise ApiError(400, "Bad Request: message to be replied not found")
        return {k: v for k, v in target.items() if k != "reply_to_message"}

    def _store_bot_message(
        self, chat: Chat, bm: BotMessage, content: dict, reply_to: dict | None
    ) -> BotMessage:
        raw: dict[str, Any] = {
            "message_id": bm.message_id,
            "from": self.bot_user,
            "chat": chat.chat_dict(),
            "date": bm.date,
        }
        if reply_to is not None:
            raw["reply_to_message"] = reply_to
        raw.update(content)
        echo = _echo_markup(bm.reply_markup)
        if echo is not None:
            raw["reply_markup"] = echo
        bm.raw = raw
        chat.bot_msgs.append(bm)
        chat.bot_by_id[bm.message_id] = bm
        now = time.monotonic()
        self.sent_count += 1
        if self.first_message_time is None:
            self.first_message_time = now
        self.last_message_time = now
        self._bump()
        bm._edit_seq = 0
        self._notify(chat.id, bm, False)
        return bm

    def _notify(self, chat_id: int, bm: BotMessage, edited: bool) -> None:
        cb = self.on_bot_message
        if cb is None:
            return
        try:
            cb(chat_id, bm, edited)
        except Exception:  # pragma: no cover - user callback
            log.exception("emulator: on_bot_message callback failed")

    def _edit_target(self, params: dict) -> tuple[Chat, int]:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat = self._chat_param(params)
        if params.get("message_id") in (None, ""):
            raise ApiError(400, "Bad Request: message identifier is not specified")
        return chat, to_int(params["message_id"], "message_id")

    def _bot_message_for_edit(self, chat: Chat, mid: int) -> BotMessage:
        bm = chat.bot_by_id.get(mid)
        if bm is None or bm.deleted:
            if mid in chat.user_msgs:
                raise ApiError(400, "Bad Request: message can't be edited")
            raise ApiError(400, "Bad Request: message to edit not found")
        return bm

    def _apply_edit(self, chat: Chat, bm: BotMessage, raw_updates: dict, remove: Iterable[str]) -> dict:
        raw = dict(bm.raw)
        for key in remove:
            raw.pop(key, None)
        raw.update(raw_updates)
        echo = _echo_markup(bm.reply_markup)
        if echo is None:
            raw.pop("reply_markup", None)
        else:
            raw["reply_markup"] = echo
        bm.edits += 1
        bm.edit_date = int(time.time())
        raw["edit_date"] = bm.edit_date
        bm.raw = raw
        self._bump()
        bm._edit_seq = self._seq
        self._notify(chat.id, bm, True)
        return raw

    # ------------------------------------------------------------------ methods
    async def _m_getMe(self, p: dict, request: web.Request) -> dict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_close(self, p: dict, request: web.Request) -> bool:
        return True

    async def _m_logOut(self, p: dict, request: web.Request) -> bool:
        return True

    def _drop_disallowed_updates(self) -> None:
        """Updates of kinds outside ``allowed_updates`` (getUpdates or setWebhook) are dropped."""
        if self._allowed_updates is not None and self._updates:
            allowed_set = self._allowed_updates
            self._updates = deque(
                u for u in self._updates if any(k in allowed_set for k in u if k != "update_id")
            )

    async def _m_getUpdates(self, p: dict, request: web.Request) -> list[dict]:
        self._check_no_webhook()
        offset = opt_int(p, "offset")
        limit = min(100, max(1, opt_int(p, "limit", 100) or 100))
        timeout = min(50.0, max(0.0, opt_float(p, "timeout", 0.0)))
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = {str(a) for a in allowed} or None
        self._poll_seq += 1
        my_seq = self._poll_seq
        self._bump_updates()  # wakes an older long poll so it can fail with 409
        if offset is not None:
            if offset < 0:
                while len(self._updates) > -offset:
                    self._updates.popleft()
            else:
                while self._updates and self._updates[0]["update_id"] < offset:
                    self._updates.popleft()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._poll_seq != my_seq:
                if request.transport is None or request.transport.is_closing():
                    # The client already gave up on this poll (e.g. PTB cancelled it on
                    # shutdown); nobody will read a 409, so do not record one.
                    raise ClientGone()
                raise ApiError(409, STATUS_DESCRIPTIONS[409])
            if self._closing:
                return []
            self._check_no_webhook()  # a webhook was set during this long poll
            self._drop_disallowed_updates()
            if self._updates:
                return list(itertools.islice(self._updates, limit))
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            try:
                await asyncio.wait_for(self._updates_event.wait(), remaining)
            except TimeoutError:
                pass

    async def _m_sendMessage(self, p: dict, request: web.Request) -> dict:
        text, entities, raw_text, parse_mode = self._parse_text(p, "text", "entities", caption=False)
        markup = _validate_markup(p.get("reply_markup"))
        chat = self._chat_param(p)
        self._check_reachable(chat)
        reply_to = self._reply_to(chat, p)
        self._check_rate(chat.id)
        bm = BotMessage(
            message_id=chat.take_mid(),
            chat_id=chat.id,
            date=int(time.time()),
            kind="text",
            text=text,
            html=raw_text,
            parse_mode=parse_mode,
            entities=entities,
            reply_markup=markup,
        )
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        if isinstance(p.get("link_preview_options"), dict):
            content["link_preview_options"] = p["link_preview_options"]
        return self._store_bot_message(chat, bm, content, reply_to).raw

    async def _send_media(self, p: dict, kind: str) -> dict:
        caption, entities, raw_caption, parse_mode = self._parse_text(
            p, "caption", "caption_entities", caption=True
        )
        markup = _validate_markup(p.get("reply_markup"))
        if p.get(kind) in (None, ""):
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        chat = self._chat_param(p)
        self._check_reachable(chat)
        reply_to = self._reply_to(chat, p)
        f = self._files.from_param(p.get(kind), kind)
        self._check_rate(chat.id)
        bm = BotMessage(
            message_id=chat.take_mid(),
            chat_id=chat.id,
            date=int(time.time()),
            kind=kind,
            text=caption,
            html=raw_caption,
            parse_mode=parse_mode,
            entities=entities,
            reply_markup=markup,
            file_bytes=f.data,
        )
        content: dict[str, Any] = {}
        if kind == "photo":
            sizes = self._files.photo_sizes(f)
            content["photo"] = sizes
            bm.photo = sizes[-1]
        else:
            doc = self._files.document_dict(f)
            content["document"] = doc
            bm.document = doc
        if caption:
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        if p.get("has_spoiler"):
            content["has_media_spoiler"] = True
        return self._store_bot_message(chat, bm, content, reply_to).raw

    async def _m_sendPhoto(self, p: dict, request: web.Request) -> dict:
        return await self._send_media(p, "photo")

    async def _m_sendDocument(self, p: dict, request: web.Request) -> dict:
        return await self._send_media(p, "document")

    async def _m_copyMessage(self, p: dict, request: web.Request) -> dict:
        markup = _validate_markup(p.get("reply_markup"))
        chat = self._chat_param(p)
        if p.get("from_chat_id") in (None, ""):
            raise ApiError(400, "Bad Request: from_chat_id is empty")
        if p.get("message_id") in (None, ""):
            raise ApiError(400, "Bad Request: message identifier is not specified")
        mid = to_int(p["message_id"], "message_id")
        try:
            src_chat = self._chats.get(int(p["from_chat_id"]))
        except (TypeError, ValueError):
            src_chat = None
        source = src_chat.find(mid) if src_chat is not None else None
        if source is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        content = {k: source[k] for k in _CONTENT_KEYS if k in source}
        if not content:
            raise ApiError(400, "Bad Request: message can't be copied")
        is_media = any(k in content for k in _MEDIA_KEYS)
        raw_text = content.get("text")
        parse_mode = None
        if is_media and p.get("caption") is not None:
            caption, entities, raw_text, parse_mode = self._parse_text(
                p, "caption", "caption_entities", caption=True
            )
            content.pop("caption", None)
            content.pop("caption_entities", None)
            if caption:
                content["caption"] = caption
                if entities:
                    content["caption_entities"] = entities
        elif is_media:
            raw_text = content.get("caption")
        self._check_reachable(chat)
        reply_to = self._reply_to(chat, p)
        self._check_rate(chat.id)
        is_text = "text" in content
        bm = BotMessage(
            message_id=chat.take_mid(),
            chat_id=chat.id,
            date=int(time.time()),
            kind="copy",
            text=content.get("text") if is_text else content.get("caption"),
            html=raw_text,
            parse_mode=parse_mode,
            entities=list(content.get("entities" if is_text else "caption_entities", [])),
            reply_markup=markup,
            copied_from=(src_chat.id, mid),  # type: ignore[union-attr]
        )
        if "photo" in content:
            bm.photo = content["photo"][-1]
            bm.file_bytes = self._files.data(bm.photo["file_id"])
        if "document" in content:
            bm.document = content["document"]
            bm.file_bytes = self._files.data(bm.document["file_id"])
        self._store_bot_message(chat, bm, content, reply_to)
        return {"message_id": bm.message_id}

    async def _m_editMessageText(self, p: dict, request: web.Request) -> dict:
        chat, mid = self._edit_target(p)
        text, entities, raw_text, parse_mode = self._parse_text(p, "text", "entities", caption=False)
        markup = _validate_markup(p.get("reply_markup"))
        bm = self._bot_message_for_edit(chat, mid)
        if "text" not in bm.raw:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        same_markup = _echo_markup(markup) == _echo_markup(bm.reply_markup)
        if text == bm.text and entities == bm.entities and same_markup:
            raise ApiError(400, _NOT_MODIFIED)
        bm.text, bm.entities, bm.html, bm.parse_mode, bm.reply_markup = (
            text,
            entities,
            raw_text,
            parse_mode,
            markup,
        )
        updates: dict[str, Any] = {"text": text}
        if entities:
            updates["entities"] = entities
        return self._apply_edit(chat, bm, updates, ("entities",))

    async def _m_editMessageCaption(self, p: dict, request: web.Request) -> dict:
        chat, mid = self._edit_target(p)
        caption, entities, raw_caption, parse_mode = self._parse_text(
            p, "caption", "caption_entities", caption=True
        )
        markup = _validate_markup(p.get("reply_markup"))
        bm = self._bot_message_for_edit(chat, mid)
        if not any(k in bm.raw for k in _MEDIA_KEYS):
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        same_markup = _echo_markup(markup) == _echo_markup(bm.reply_markup)
        if caption == bm.text and entities == bm.entities and same_markup:
            raise ApiError(400, _NOT_MODIFIED)
        bm.text, bm.entities, bm.html, bm.parse_mode, bm.reply_markup = (
            caption,
            entities,
            raw_caption,
            parse_mode,
            markup,
        )
        updates: dict[str, Any] = {}
        if caption:
            updates["caption"] = caption
            if entities:
                updates["caption_entities"] = entities
        return self._apply_edit(chat, bm, updates, ("caption", "caption_entities"))

    async def _m_editMessageReplyMarkup(self, p: dict, request: web.Request) -> dict:
        chat, mid = self._edit_target(p)
        markup = _validate_markup(p.get("reply_markup"))
        bm = self._bot_message_for_edit(chat, mid)
        if _echo_markup(markup) == _echo_markup(bm.reply_markup):
            raise ApiError(400, _NOT_MODIFIED)
        bm.reply_markup = markup
        return self._apply_edit(chat, bm, {}, ())

    async def _m_deleteMessage(self, p: dict, request: web.Request) -> bool:
        chat = self._chat_param(p)
        if p.get("message_id") in (None, ""):
            raise ApiError(400, "Bad Request: message identifier is not specified")
        mid = to_int(p["message_id"], "message_id")
        bm = chat.bot_by_id.get(mid)
        if bm is not None and not bm.deleted:
            bm.deleted = True
        elif chat.user_msgs.pop(mid, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        self._bump()
        return True

    async def _m_answerCallbackQuery(self, p: dict, request: web.Request) -> bool:
        qid = str(p.get("callback_query_id") or "")
        entry = self._cqs.get(qid)
        if entry is None or entry["answered"]:
            raise ApiError(400, _QUERY_TOO_OLD)
        text = p.get("text")
        if text is not None and len(str(text)) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        answer = {
            "callback_query_id": qid,
            "text": text if text not in ("",) else None,
            "show_alert": as_bool(p.get("show_alert", False)),
        }
        if p.get("url"):
            answer["url"] = p["url"]
        entry["answered"] = True
        entry["answer"] = answer
        self._cq_answers.setdefault(entry["user_id"], []).append(answer)
        self._bump()
        return True

    async def _m_answerInlineQuery(self, p: dict, request: web.Request) -> bool:
        qid = str(p.get("inline_query_id") or "")
        entry = self._inline.get(qid)
        if entry is None or entry["answer"] is not None:
            raise ApiError(400, _QUERY_TOO_OLD)
        results = p.get("results")
        if not isinstance(results, list):
            raise ApiError(400, "Bad Request: can't parse inline query results JSON object")
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for r in results:
            if not isinstance(r, dict) or "type" not in r or "id" not in r:
                raise ApiError(400, "Bad Request: can't parse InlineQueryResult JSON object")
            rid = str(r["id"])
            if not 1 <= len(rid.encode("utf-8")) <= 64:
                raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
            if rid in seen:
                raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
            seen.add(rid)
            _validate_markup(r.get("reply_markup"))
            imc = r.get("input_message_content")
            if isinstance(imc, dict) and "message_text" in imc:
                self._parse_text(imc, "message_text", "entities", caption=False)
        entry["answer"] = {
            "inline_query_id": qid,
            "results": results,
            "cache_time": opt_int(p, "cache_time", 300),
            "is_personal": as_bool(p.get("is_personal", False)),
            "next_offset": p.get("next_offset") or "",
        }
        self._bump()
        return True

    async def _m_sendChatAction(self, p: dict, request: web.Request) -> bool:
        action = p.get("action")
        if action not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        chat = self._chat_param(p)
        self._check_reachable(chat)
        return True

    def _scope_key(self, p: dict) -> str:
        scope = p.get("scope")
        if scope is None or scope == "":
            key = "default"
        else:
            if not isinstance(scope, dict) or "type" not in scope:
                raise ApiError(400, "Bad Request: can't parse BotCommandScope JSON object")
            kind = scope["type"]
            if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
                key = kind
            elif kind in ("chat", "chat_administrators", "chat_member"):
                chat = self._chat_param(scope)
                key = f"{kind}:{chat.id}"
                if kind == "chat_member":
                    if scope.get("user_id") in (None, ""):
                        raise ApiError(400, "Bad Request: user not found")
                    key += f":{to_int(scope['user_id'], 'user_id')}"
            else:
                raise ApiError(400, "Bad Request: unsupported bot command scope type")
        lang = p.get("language_code")
        if lang:
            if not isinstance(lang, str) or not _LANG_RE.fullmatch(lang):
                raise ApiError(400, "Bad Request: invalid language code specified")
            key += f":{lang}"
        return key

    async def _m_setMyCommands(self, p: dict, request: web.Request) -> bool:
        commands = p.get("commands")
        if commands is None:
            raise ApiError(400, 'Bad Request: parameter "commands" is required')
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands")
        clean = []
        for c in commands:
            if not isinstance(c, dict):
                raise ApiError(400, "Bad Request: can't parse BotCommand JSON object")
            name = c.get("command")
            desc = c.get("description")
            if not isinstance(name, str) or not _COMMAND_RE.fullmatch(name.lstrip("/")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not isinstance(desc, str) or not 1 <= len(desc.strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            clean.append({"command": name.lstrip("/"), "description": desc})
        key = self._scope_key(p)
        if clean:
            self.commands[key] = clean
        else:
            self.commands.pop(key, None)
        return True

    async def _m_getMyCommands(self, p: dict, request: web.Request) -> list[dict]:
        return [dict(c) for c in self.commands.get(self._scope_key(p), [])]

    async def _m_deleteMyCommands(self, p: dict, request: web.Request) -> bool:
        self.commands.pop(self._scope_key(p), None)
        return True

    async def _m_getFile(self, p: dict, request: web.Request) -> dict:
        fid = p.get("file_id")
        f = self._files.get(fid) if isinstance(fid, str) else None
        if f is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        result: dict[str, Any] = {"file_id": fid, "file_unique_id": f.unique_id}
        if f.size is not None:
            result["file_size"] = f.size
        result["file_path"] = f.path
        return result
