"""In-process Telegram Bot API emulator for end-to-end tests and terminal chats.

The emulator speaks the real Bot API wire format over HTTP on 127.0.0.1, so an
unmodified python-telegram-bot ``Application``/``Bot`` configured with
``base_url=emu.base_url`` and ``base_file_url=emu.base_file_url`` talks to it
exactly as it would talk to ``api.telegram.org``.

Two sides:

* **Bot side** - an ``aiohttp.web`` server implementing a subset of the Bot API
  (getMe, getUpdates, sendMessage, editMessageText, copyMessage, ...) with
  Telegram's validation rules and error wording (HTML entity parsing, 4096/1024
  limits, inline keyboard checks, blocked users, rate limits, ...).
* **Client side** - :class:`EmuUser` objects that play users (send text,
  commands, media, press inline buttons, run inline queries) and read what the
  bot sent back (:class:`BotMessage`).

Everything runs inside the caller's asyncio event loop; no threads.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import logging
import math
import mimetypes
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

__all__ = [
    "BotMessage",
    "CallRecord",
    "EmuUser",
    "FaultRule",
    "HTMLParseError",
    "RateLimits",
    "TelegramEmulator",
    "parse_html",
]

log = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64

# Parameters that PTB (and other clients) send as JSON-encoded strings in form fields.
_JSON_FIELDS = frozenset({
    "reply_markup", "entities", "caption_entities", "commands", "scope", "results",
    "link_preview_options", "allowed_updates", "reply_parameters", "button", "media",
    "input_message_content", "message_ids",
})
_BOOL_FIELDS = frozenset({
    "show_alert", "disable_notification", "protect_content", "drop_pending_updates",
    "is_personal", "disable_web_page_preview", "allow_sending_without_reply", "has_spoiler",
    "disable_content_type_detection", "show_caption_above_media", "allow_paid_broadcast",
})
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

_STATUS_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_QUERY_TOO_OLD = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_LANG_RE = re.compile(r"[a-z]{2}")


# --------------------------------------------------------------------------- errors


class ApiError(Exception):
    """A Bot API error response (``{"ok": false, ...}``)."""

    def __init__(self, code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class _ClientGone(Exception):
    """The HTTP client disconnected before the answer was ready."""


class HTMLParseError(ValueError):
    """Raised by :func:`parse_html` with Telegram's error wording."""


# --------------------------------------------------------------------------- helpers


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _to_int(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise ApiError(400, f"Bad Request: invalid {what} specified")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ApiError(400, f"Bad Request: invalid {what} specified")


def _opt_int(params: dict, key: str, default: int | None = None) -> int | None:
    value = params.get(key)
    if value is None or value == "":
        return default
    return _to_int(value, key)


def _opt_float(params: dict, key: str, default: float) -> float:
    value = params.get(key)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: invalid {key} specified") from None


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


# --------------------------------------------------------------------------- HTML

_HTML_TAGS = frozenset({
    "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre",
    "tg-spoiler", "span", "tg-emoji", "blockquote",
})
_SIMPLE_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_HTML_ENTITY_RE = re.compile(r"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z]+));?")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_SPACES = " \t\r\n\f\v"


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode ``&...;`` at ``pos`` like Telegram (the trailing ';' is optional)."""
    m = _HTML_ENTITY_RE.match(text, pos)
    if m is None:
        return None
    hex_digits, dec_digits, name = m.groups()
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
        return (char, m.end()) if char else None
    digits, base = (hex_digits, 16) if hex_digits is not None else (dec_digits, 10)
    if len(digits) > 8:
        return None
    code = int(digits, base)
    if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), m.end()


def _normalize_url(url: str) -> str:
    if "://" not in url and not url.startswith(("tg:", "mailto:")):
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and not parts.path and not parts.query and not parts.fragment:
        url += "/"
    return url


def parse_html(html: str) -> tuple[str, list[dict]]:
    """Parse Telegram-flavoured HTML into ``(plain_text, entities)``.

    Follows the Bot API server's parser (tdlib ``parse_html``): supported tags only,
    attributes per tag, ``&lt; &gt; &amp; &quot;`` and numeric character references.
    Entity offsets and lengths are in UTF-16 code units. Raises
    :class:`HTMLParseError` with Telegram's message on malformed input.
    """
    out: list[str] = []
    u16 = 0
    stack: list[tuple[str, str, int]] = []  # (tag, argument, utf16 start)
    entities: list[dict] = []
    n = len(html)
    i = 0

    def boff(pos: int) -> int:
        return len(html[:pos].encode("utf-8", "surrogatepass"))

    while i < n:
        c = html[i]
        if c == "&":
            decoded = _decode_html_entity(html, i)
            if decoded is not None:
                ch, i = decoded
                out.append(ch)
                u16 += 2 if ord(ch) > 0xFFFF else 1
                continue
        if c != "<":
            out.append(c)
            u16 += 2 if ord(c) > 0xFFFF else 1
            i += 1
            continue

        begin = i
        i += 1
        if i >= n or html[i] != "/":
            # ---- start tag
            tag_end = i
            while tag_end < n and html[tag_end] not in _HTML_SPACES and html[tag_end] != ">":
                tag_end += 1
            if tag_end >= n:
                raise HTMLParseError(f"Unclosed start tag at byte offset {boff(begin)}")
            tag = html[i:tag_end].lower()
            if tag not in _HTML_TAGS:
                raise HTMLParseError(
                    f'Unsupported start tag "{tag}" at byte offset {boff(begin)}'
                )
            argument = ""
            i = tag_end
            while True:
                while i < n and html[i] in _HTML_SPACES:
                    i += 1
                if i >= n:
                    raise HTMLParseError(
                        f'Unclosed start tag "{tag}" at byte offset {boff(begin)}'
                    )
                if html[i] == ">":
                    break
                attr_begin = i
                while i < n and html[i] not in _HTML_SPACES and html[i] not in "=>":
                    i += 1
                attr_name = html[attr_begin:i].lower()
                if not attr_name:
                    raise HTMLParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {boff(begin)}'
                    )
                while i < n and html[i] in _HTML_SPACES:
                    i += 1
                if i >= n:
                    raise HTMLParseError(
                        f'Unclosed start tag "{tag}" at byte offset {boff(begin)}'
                    )
                if html[i] != "=":
                    if tag == "blockquote" and attr_name == "expandable":
                        argument = "1"
                    continue
                i += 1
                while i < n and html[i] in _HTML_SPACES:
                    i += 1
                if i >= n:
                    raise HTMLParseError(f"Unclosed start tag at byte offset {boff(begin)}")
                if html[i] not in "'\"":
                    token_begin = i
                    while i < n and (html[i].isascii() and (html[i].isalnum() or html[i] in ".-")):
                        i += 1
                    value = html[token_begin:i].lower()
                    if i >= n or (html[i] not in _HTML_SPACES and html[i] != ">"):
                        raise HTMLParseError(
                            f"Unexpected end of name token at byte offset {boff(token_begin)}"
                        )
                else:
                    quote = html[i]
                    i += 1
                    chars: list[str] = []
                    while i < n and html[i] != quote:
                        if html[i] == "&":
                            decoded = _decode_html_entity(html, i)
                            if decoded is not None:
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                        chars.append(html[i])
                        i += 1
                    if i >= n:
                        raise HTMLParseError(f"Unclosed start tag at byte offset {boff(begin)}")
                    i += 1
                    value = "".join(chars)
                if tag == "a" and attr_name == "href":
                    argument = value
                elif tag == "code" and attr_name == "class" and value.startswith("language-"):
                    argument = value[len("language-"):]
                elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
                    argument = value[len("tg-"):]
                elif tag == "tg-emoji" and attr_name == "emoji-id":
                    argument = value
                elif tag == "blockquote" and attr_name == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise HTMLParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {boff(begin)}'
                )
            i += 1  # skip '>'
            if tag == "a" and not argument:
                # no href: the link text itself is the URL; remember where it starts
                argument = "\x00" + str(len(out))
            stack.append((tag, argument, u16))
            continue

        # ---- end tag
        if not stack:
            raise HTMLParseError(f"Unexpected end tag at byte offset {boff(begin)}")
        i += 1  # skip '/'
        name_begin = i
        while i < n and html[i] not in _HTML_SPACES and html[i] != ">":
            i += 1
        end_name = html[name_begin:i].lower()
        while i < n and html[i] in _HTML_SPACES:
            i += 1
        if i >= n or html[i] != ">":
            raise HTMLParseError(f"Unclosed end tag at byte offset {boff(begin)}")
        i += 1
        tag, argument, start = stack.pop()
        if end_name and end_name != tag:
            raise HTMLParseError(
                f"Unmatched end tag at byte offset {boff(begin)}, "
                f'expected "</{tag}>", found "</{end_name}>"'
            )
        length = u16 - start
        if length <= 0:
            continue
        if tag in _SIMPLE_ENTITY:
            entities.append({"offset": start, "length": length, "type": _SIMPLE_ENTITY[tag]})
        elif tag == "tg-emoji":
            if not argument:
                raise HTMLParseError("Custom emoji entity must contain a valid custom emoji identifier")
            entities.append(
                {"offset": start, "length": length, "type": "custom_emoji", "custom_emoji_id": argument}
            )
        elif tag == "a":
            if argument.startswith("\x00"):
                url = "".join(out[int(argument[1:]):])
            else:
                url = argument
            url = url.strip()
            if not url:
                continue
            m = re.fullmatch(r"tg://user\?id=(\d+)", url)
            if m:
                entities.append(
                    {
                        "offset": start,
                        "length": length,
                        "type": "text_mention",
                        "user": {"id": int(m.group(1)), "is_bot": False, "first_name": ""},
                    }
                )
            else:
                entities.append(
                    {"offset": start, "length": length, "type": "text_link", "url": _normalize_url(url)}
                )
        elif tag == "code":
            ent = {"offset": start, "length": length, "type": "code"}
            if argument:
                ent["_language"] = argument
            entities.append(ent)
        elif tag == "pre":
            last = entities[-1] if entities else None
            if (
                last is not None
                and last["type"] == "code"
                and last["offset"] == start
                and last["length"] == length
            ):
                entities.pop()
                ent = {"offset": start, "length": length, "type": "pre"}
                if last.get("_language"):
                    ent["language"] = last["_language"]
                entities.append(ent)
            else:
                entities.append({"offset": start, "length": length, "type": "pre"})
        elif tag == "blockquote":
            entities.append(
                {
                    "offset": start,
                    "length": length,
                    "type": "expandable_blockquote" if argument else "blockquote",
                }
            )
    if stack:
        raise HTMLParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"'
        )
    for ent in entities:
        ent.pop("_language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _trim(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Strip leading/trailing whitespace like Telegram, keeping entities consistent."""
    stripped = text.strip(_HTML_SPACES)
    if stripped == text:
        return text, entities
    lead = len(text) - len(text.lstrip(_HTML_SPACES))  # ASCII only: 1 char == 1 UTF-16 unit
    new_len = _utf16_len(stripped)
    fixed: list[dict] = []
    for ent in entities:
        start = max(0, ent["offset"] - lead)
        end = min(new_len, ent["offset"] + ent["length"] - lead)
        if end > start:
            if start == ent["offset"] and end - start == ent["length"]:
                fixed.append(ent)
            else:
                fixed.append({**ent, "offset": start, "length": end - start})
    return stripped, fixed


# --------------------------------------------------------------------------- data


@dataclass
class RateLimits:
    """Pace enforcement. ``None`` for a field disables that limit."""

    global_per_second: float | None = 30
    per_chat_per_second: float | None = 1.0


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


@dataclass
class Upload:
    """A file uploaded in a multipart request (as stored in ``CallRecord.params``)."""

    filename: str | None
    content_type: str | None
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class FaultRule:
    """An injected fault; see :meth:`TelegramEmulator.inject`."""

    method: str
    status: int | None = None
    description: str | None = None
    retry_after: int | None = None
    chat_id: int | None = None
    delay: float = 0.0
    drop: bool = False
    times: int | None = 1  # None = unlimited
    hits: int = 0

    @property
    def remaining(self) -> int | None:
        return None if self.times is None else max(0, self.times - self.hits)

    def matches(self, method_lc: str, chat_id: int | None) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method == "*":
            if method_lc == "getupdates":
                return False
        elif self.method.lower() != method_lc:
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError:
        status = int(self.status or 500)
        params = None
        if status == 429:
            retry = int(self.retry_after if self.retry_after is not None else 1)
            desc = self.description or f"Too Many Requests: retry after {retry}"
            params = {"retry_after": retry}
        else:
            desc = self.description or _STATUS_DESCRIPTIONS.get(status, "Error")
            if self.retry_after is not None:
                params = {"retry_after": int(self.retry_after)}
        return ApiError(status, desc, params)


@dataclass(eq=False, slots=True)
class BotMessage:
    """A message the bot created in a chat (current state; edits applied)."""

    message_id: int
    chat_id: int
    date: int
    kind: str  # "text" | "photo" | "document" | "copy"
    text: str | None = None  # plain text (or caption for media)
    html: str | None = None  # text/caption exactly as sent by the bot
    parse_mode: str | None = None
    entities: list[dict] = field(default_factory=list)  # (caption) entities
    reply_markup: dict | None = None
    photo: dict | None = None  # largest PhotoSize
    document: dict | None = None
    file_bytes: bytes | None = field(default=None, repr=False)
    edits: int = 0
    copied_from: tuple[int, int] | None = None
    deleted: bool = False
    edit_date: int | None = None
    raw: dict = field(default_factory=dict, repr=False)  # the Telegram Message object
    _edit_seq: int = field(default=0, repr=False)

    @property
    def buttons(self) -> list[list[dict]]:
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        return [list(row) for row in rows] if rows else []

    @property
    def button_texts(self) -> list[str]:
        return [b.get("text", "") for row in self.buttons for b in row]

    def button(self, text_or_data: str) -> dict:
        """Find a button by exact text, exact callback_data, or substring of its text."""
        flat = [b for row in self.buttons for b in row]
        for pred in (
            lambda b: b.get("text") == text_or_data,
            lambda b: b.get("callback_data") == text_or_data,
            lambda b: text_or_data in b.get("text", ""),
        ):
            for b in flat:
                if pred(b):
                    return b
        raise LookupError(
            f"no inline button matching {text_or_data!r} in message {self.message_id} "
            f"(buttons: {self.button_texts!r})"
        )

    def render(self) -> str:
        """Terminal-friendly rendering: text plus ``[button]`` rows."""
        head = {"photo": "[photo] ", "document": "[document] "}.get(self.kind, "")
        if self.kind == "copy":
            head = "[copy] "
        if self.document and self.document.get("file_name"):
            head += f"{self.document['file_name']} "
        lines = [head + (self.text or "")]
        for row in self.buttons:
            lines.append("  ".join(f"[{b.get('text', '')}]" for b in row))
        return "\n".join(lines)


class _File:
    __slots__ = ("file_id", "unique_id", "data", "size", "path", "name", "mime")

    def __init__(self, file_id, unique_id, data, name, mime, path):
        self.file_id = file_id
        self.unique_id = unique_id
        self.data = data
        self.size = len(data) if data is not None else None
        self.name = name
        self.mime = mime
        self.path = path


class _Chat:
    __slots__ = (
        "id",
        "first_name",
        "last_name",
        "username",
        "language_code",
        "next_mid",
        "user_msgs",
        "bot_msgs",
        "bot_by_id",
        "blocked",
        "deactivated",
        "_chat_dict",
        "_user_dict",
    )

    def __init__(self, chat_id: int, first_name: str, last_name=None, username=None, language_code=None):
        self.id = chat_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.next_mid = 1
        self.user_msgs: dict[int, dict] = {}
        self.bot_msgs: list[BotMessage] = []
        self.bot_by_id: dict[int, BotMessage] = {}
        self.blocked = False
        self.deactivated = False
        self._chat_dict: dict | None = None
        self._user_dict: dict | None = None

    def chat_dict(self) -> dict:
        if self._chat_dict is None:
            d: dict[str, Any] = {"id": self.id, "first_name": self.first_name}
            if self.last_name:
                d["last_name"] = self.last_name
            if self.username:
                d["username"] = self.username
            d["type"] = "private"
            self._chat_dict = d
        return self._chat_dict

    def user_dict(self) -> dict:
        if self._user_dict is None:
            d: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
            if self.last_name:
                d["last_name"] = self.last_name
            if self.username:
                d["username"] = self.username
            if self.language_code:
                d["language_code"] = self.language_code
            self._user_dict = d
        return self._user_dict

    def take_mid(self) -> int:
        mid = self.next_mid
        self.next_mid += 1
        return mid

    def find(self, mid: int) -> dict | None:
        bm = self.bot_by_id.get(mid)
        if bm is not None and not bm.deleted:
            return bm.raw
        return self.user_msgs.get(mid)


# --------------------------------------------------------------------------- markup


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


class EmuUser:
    """Client side of one private chat: plays the user and reads the bot's messages."""

    def __init__(self, emu: TelegramEmulator, chat: _Chat):
        self._emu = emu
        self._chat = chat
        self._cursor = 0
        self._mark_seq = 0
        self._edit_marks: dict[int, int] = {}

    # ---- identity
    @property
    def id(self) -> int:
        return self._chat.id

    chat_id = id

    @property
    def first_name(self) -> str:
        return self._chat.first_name

    @property
    def username(self) -> str | None:
        return self._chat.username

    @property
    def language_code(self) -> str | None:
        return self._chat.language_code

    def as_dict(self) -> dict:
        """The Telegram ``User`` object of this user."""
        return dict(self._chat.user_dict())

    def __repr__(self) -> str:
        return f"EmuUser(id={self.id}, first_name={self.first_name!r})"

    # ---- state
    def block(self, notify: bool = True) -> None:
        """User blocks the bot; message-creating calls to this chat then fail with 403.

        Like Telegram, a ``my_chat_member`` update (member -> kicked) is queued
        unless ``notify`` is false.
        """
        if not self._chat.blocked and notify:
            self._emu._my_chat_member(self._chat, "member", "kicked")
        self._chat.blocked = True

    def unblock(self, notify: bool = True) -> None:
        if self._chat.blocked and notify:
            self._emu._my_chat_member(self._chat, "kicked", "member")
        self._chat.blocked = False

    def deactivate(self) -> None:
        """The account is deleted: message-creating calls fail with 403."""
        self._chat.deactivated = True

    @property
    def blocked(self) -> bool:
        return self._chat.blocked

    # ---- sending
    def _new_message(self, **content: Any) -> dict:
        chat = self._chat
        msg: dict[str, Any] = {
            "message_id": chat.take_mid(),
            "from": chat.user_dict(),
            "chat": chat.chat_dict(),
            "date": int(time.time()),
        }
        msg.update(content)
        chat.user_msgs[msg["message_id"]] = msg
        self._mark_seq = self._emu._seq
        self._emu._enqueue("message", msg)
        return msg

    async def send(self, text: str, *, entities: list[dict] | None = None) -> dict:
        """Send a text message; a leading ``/word`` gets a ``bot_command`` entity."""
        if not text:
            raise ValueError("text must not be empty")
        ents = list(entities or [])
        if text.startswith("/") and not entities:
            word = re.split(r"\s", text, maxsplit=1)[0]
            ents.append({"offset": 0, "length": _utf16_len(word), "type": "bot_command"})
        content: dict[str, Any] = {"text": text}
        if ents:
            content["entities"] = ents
        return self._new_message(**content)

    async def command(self, name: str, *args: str) -> dict:
        text = "/" + name.lstrip("/")
        if args:
            text += " " + " ".join(str(a) for a in args)
        return await self.send(text)

    async def send_html(self, html: str) -> dict:
        """Send formatted text (entities parsed from Telegram-style HTML)."""
        text, ents = _trim(*parse_html(html))
        if text.startswith("/"):
            word = re.split(r"\s", text, maxsplit=1)[0]
            ents = [{"offset": 0, "length": _utf16_len(word), "type": "bot_command"}, *ents]
        content: dict[str, Any] = {"text": text}
        if ents:
            content["entities"] = ents
        return self._new_message(**content)

    def _caption(self, caption: str | None) -> dict:
        return {"caption": caption} if caption else {}

    async def send_sticker(self, emoji: str = "👍") -> dict:
        f = self._emu._register_file(None, "sticker", None, "image/webp")
        sticker = {
            "file_id": f.file_id,
            "file_unique_id": f.unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._new_message(sticker=sticker)

    async def send_photo(self, caption: str | None = None, content: bytes | None = None) -> dict:
        data = content if content is not None else b"\x89PNG\r\n\x1a\n" + bytes(32)
        f = self._emu._register_file(data, "photo", "photo.png", "image/png")
        return self._new_message(photo=self._emu._photo_sizes(f), **self._caption(caption))

    async def send_voice(self, duration: int = 3) -> dict:
        f = self._emu._register_file(b"OggS" + bytes(64), "voice", "voice.ogg", "audio/ogg")
        voice = {
            "file_id": f.file_id,
            "file_unique_id": f.unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": f.size,
        }
        return self._new_message(voice=voice)

    async def send_location(self, latitude: float, longitude: float) -> dict:
        return self._new_message(location={"latitude": latitude, "longitude": longitude})

    async def send_document(
        self,
        file_name: str = "file.bin",
        content: bytes = b"",
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> dict:
        mime = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        f = self._emu._register_file(content, "document", file_name, mime)
        return self._new_message(document=self._emu._document_dict(f), **self._caption(caption))

    # ---- buttons & inline
    def _resolve(self, message: Any) -> BotMessage:
        if isinstance(message, BotMessage):
            mid = message.message_id
        elif isinstance(message, dict):
            mid = int(message["message_id"])
        else:
            mid = int(message)
        bm = self._chat.bot_by_id.get(mid)
        if bm is None or bm.deleted:
            raise LookupError(f"no bot message {mid} in chat {self.id}")
        return bm

    async def press(self, message: Any, text: str | None = None, data: str | None = None) -> str:
        """Press an inline button (by text, substring of text, or callback_data).

        Returns the callback query id. Raises LookupError if there is no such button.
        """
        bm = self._resolve(message)
        flat = [b for row in bm.buttons for b in row]
        if text is None and data is None:
            cands = [b for b in flat if "callback_data" in b]
            if len(cands) != 1:
                raise LookupError(
                    f"message {bm.message_id} has {len(cands)} callback buttons; "
                    f"pass text= or data= (buttons: {bm.button_texts!r})"
                )
            button = cands[0]
        elif data is not None:
            cands = [b for b in flat if b.get("callback_data") == data]
            if text is not None:
                cands = [b for b in cands if text == b.get("text") or text in b.get("text", "")]
            if not cands:
                raise LookupError(
                    f"no button with callback_data {data!r} in message {bm.message_id} "
                    f"(buttons: {[b.get('callback_data') for b in flat]!r})"
                )
            button = cands[0]
        else:
            button = bm.button(text)  # type: ignore[arg-type]
        if "callback_data" not in button:
            raise LookupError(f"button {button.get('text')!r} has no callback_data")
        return await self.press_data(bm, button["callback_data"])

    async def press_data(self, message: Any, data: str) -> str:
        """Send a callback query with arbitrary (possibly forged) data for a bot message."""
        bm = self._resolve(message)
        emu = self._emu
        qid = str(next(emu._cq_ids))
        emu._cqs[qid] = {"user_id": self.id, "answered": False, "answer": None}
        self._mark_seq = emu._seq
        emu._enqueue(
            "callback_query",
            {
                "id": qid,
                "from": self._chat.user_dict(),
                "message": dict(bm.raw),
                "chat_instance": str(-(7_000_000_000_000_000 + self.id)),
                "data": data,
            },
        )
        return qid

    async def inline(self, query: str, timeout: float = 5.0, offset: str = "") -> list[dict]:
        """Send an inline query and wait for the bot's answerInlineQuery results."""
        emu = self._emu
        qid = str(next(emu._inline_ids))
        emu._inline[qid] = {"user_id": self.id, "answer": None}
        emu._enqueue(
            "inline_query",
            {
                "id": qid,
                "from": self._chat.user_dict(),
                "query": query,
                "offset": offset,
                "chat_type": "sender",
            },
        )
        await emu._wait_for(
            lambda: emu._inline[qid]["answer"] is not None,
            timeout,
            lambda: f"bot did not answer inline query {query!r} from user {self.id} "
            f"within {timeout}s{emu._diagnostics()}",
        )
        return emu._inline[qid]["answer"]["results"]

    def inline_answer(self, query_id: str) -> dict | None:
        """The full answerInlineQuery parameters for an inline query id (or None)."""
        entry = self._emu._inline.get(query_id)
        return entry["answer"] if entry else None

    # ---- reading
    @property
    def inbox(self) -> list[BotMessage]:
        return [m for m in self._chat.bot_msgs if not m.deleted]

    @property
    def last(self) -> BotMessage | None:
        for m in reversed(self._chat.bot_msgs):
            if not m.deleted:
                return m
        return None

    @property
    def unread(self) -> list[BotMessage]:
        return self._chat.bot_msgs[self._cursor:]

    def mark_read(self) -> None:
        self._cursor = len(self._chat.bot_msgs)

    async def wait_messages(self, n: int = 1, timeout: float = 5.0) -> list[BotMessage]:
        """Wait for ``n`` new bot messages after the read cursor; return them and advance."""
        msgs = self._chat.bot_msgs

        def describe() -> str:
            got = msgs[self._cursor:]
            return (
                f"expected {n} new bot message(s) in chat {self.id} within {timeout}s, "
                f"got {len(got)}: {[m.text for m in got]!r}{self._emu._diagnostics(self.id)}"
            )

        await self._emu._wait_for(lambda: len(msgs) - self._cursor >= n, timeout, describe)
        out = msgs[self._cursor:self._cursor + n]
        self._cursor += n
        return out

    async def wait_reply(self, timeout: float = 5.0) -> BotMessage:
        return (await self.wait_messages(1, timeout))[0]

    async def wait_edit(self, message: Any, timeout: float = 5.0) -> BotMessage:
        """Wait until the message is edited again.

        "Again" means: after this user's last action (send/press) and after the
        edit returned by the previous ``wait_edit`` for this message, so an edit
        that raced ahead of this call is not missed.
        """
        mid = message.message_id if isinstance(message, BotMessage) else int(
            message["message_id"] if isinstance(message, dict) else message
        )
        bm = self._chat.bot_by_id.get(mid)
        if bm is None:
            raise LookupError(f"no bot message {mid} in chat {self.id}")
        base = max(self._mark_seq, self._edit_marks.get(mid, 0))
        await self._emu._wait_for(
            lambda: bm._edit_seq > base,
            timeout,
            lambda: f"bot message {mid} in chat {self.id} was not edited within {timeout}s "
            f"(edits so far: {bm.edits}, text: {bm.text!r}){self._emu._diagnostics(self.id)}",
        )
        self._edit_marks[mid] = bm._edit_seq
        return bm

    @property
    def callback_answers(self) -> list[dict]:
        return self._emu._cq_answers.setdefault(self.id, [])

    async def wait_callback_answer(self, cq_id: str, timeout: float = 5.0) -> dict:
        emu = self._emu
        entry = emu._cqs.get(cq_id)
        if entry is None:
            raise LookupError(f"unknown callback query id {cq_id!r}")
        await emu._wait_for(
            lambda: entry["answer"] is not None,
            timeout,
            lambda: f"callback query {cq_id} of user {self.id} was not answered within "
            f"{timeout}s{emu._diagnostics(self.id)}",
        )
        return entry["answer"]


# --------------------------------------------------------------------------- emulator

Handler = Callable[[dict, web.Request], Awaitable[Any]]


class TelegramEmulator:
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

        self._chats: dict[int, _Chat] = {}
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
        self._files: dict[str, _File] = {}
        self._files_by_hash: dict[bytes, _File] = {}
        self._file_ids = itertools.count(1)
        self._rate_window: deque[float] = deque()
        self._chat_last_sent: dict[int, float] = {}
        self._runner: web.AppRunner | None = None
        self._handlers: dict[str, tuple[str, Handler]] = {}
        for name in (
            "getMe", "getUpdates", "sendMessage", "editMessageText", "editMessageCaption",
            "editMessageReplyMarkup", "answerCallbackQuery", "copyMessage", "sendChatAction",
            "setMyCommands", "getMyCommands", "deleteMyCommands", "deleteWebhook", "getWebhookInfo",
            "answerInlineQuery", "sendPhoto", "sendDocument", "deleteMessage", "getFile", "close",
            "logOut",
        ):
            self._handlers[name.lower()] = (name, getattr(self, "_m_" + name))

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
            chat = _Chat(user_id, first_name or f"User{user_id}", last_name, username, language_code)
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
                chats[uid] = _Chat(uid, f"User{uid}", None, None, language_code)

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

    # ------------------------------------------------------------------ faults
    def inject(
        self,
        method: str = "*",
        *,
        status: int | None = None,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | None = None,
        delay: float = 0.0,
        drop: bool = False,
        times: int | None = 1,
    ) -> FaultRule:
        """Add a fault rule; it applies to the next ``times`` matching calls (None = forever).

        ``method`` is case-insensitive; ``"*"`` matches every method except getUpdates
        (name getUpdates explicitly to disturb polling). ``chat_id`` restricts the rule
        to calls with that ``chat_id`` parameter.
        """
        if status is None and not drop and not delay:
            raise ValueError("a fault needs status=, drop=True or delay=")
        if status == 429 and retry_after is None:
            retry_after = 1
        rule = FaultRule(
            method=method,
            status=status,
            description=description,
            retry_after=retry_after,
            chat_id=chat_id,
            delay=delay,
            drop=drop,
            times=times,
        )
        self.faults.append(rule)
        return rule

    def clear_faults(self) -> None:
        self.faults.clear()

    def _take_fault(self, method_lc: str, params: dict) -> FaultRule | None:
        if not self.faults:
            return None
        try:
            chat_id = int(params["chat_id"]) if "chat_id" in params else None
        except (TypeError, ValueError):
            chat_id = None
        for rule in self.faults:
            if rule.matches(method_lc, chat_id):
                rule.hits += 1
                return rule
        return None

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

    def _my_chat_member(self, chat: _Chat, old: str, new: str) -> None:
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

    # ------------------------------------------------------------------ files
    def _register_file(self, data: bytes | None, kind: str, name: str | None, mime: str | None) -> _File:
        if data is not None:
            key = hashlib.sha1(kind.encode() + b"\0" + (name or "").encode() + b"\0" + data).digest()
            existing = self._files_by_hash.get(key)
            if existing is not None:
                return existing
        n = next(self._file_ids)
        prefix = {"photo": "AgAC", "document": "BQAC", "sticker": "CAAC", "voice": "AwAC"}.get(kind, "BAAC")
        file_id = f"{prefix}AgUAAxkBEmu{n:08d}{kind}"
        ext = ""
        if name and "." in name:
            ext = name[name.rfind("."):]
        path = f"{kind}s/file_{n}{ext}"
        f = _File(file_id, f"AQADEmu{n:06d}", data, name, mime, path)
        self._files[file_id] = f
        if data is not None:
            self._files_by_hash[key] = f
        return f

    def _file_from_param(self, value: Any, kind: str) -> _File:
        if isinstance(value, Upload):
            mime = value.content_type
            if not mime or mime == "application/octet-stream":
                mime = (mimetypes.guess_type(value.filename or "")[0]) or mime
            return self._register_file(value.data, kind, value.filename, mime)
        if isinstance(value, str) and value.strip():
            f = self._files.get(value)
            if f is not None:
                return f
            name = None
            if value.startswith(("http://", "https://")):
                name = urlsplit(value).path.rsplit("/", 1)[-1] or None
            n = next(self._file_ids)
            mime = mimetypes.guess_type(name or "")[0]
            f = _File(value, f"AQADExt{n:06d}", None, name, mime, f"{kind}s/ext_{n}")
            self._files[value] = f
            return f
        raise ApiError(400, f"Bad Request: there is no {kind} in the request")

    def _photo_sizes(self, f: _File) -> list[dict]:
        thumb_id = f.file_id + "_m"
        self._files.setdefault(thumb_id, f)
        size = f.size or 0
        return [
            {
                "file_id": thumb_id,
                "file_unique_id": f.unique_id + "m",
                "file_size": max(1, size // 10),
                "width": 320,
                "height": 180,
            },
            {
                "file_id": f.file_id,
                "file_unique_id": f.unique_id,
                "file_size": size,
                "width": 1280,
                "height": 720,
            },
        ]

    def _document_dict(self, f: _File) -> dict:
        d: dict[str, Any] = {"file_id": f.file_id, "file_unique_id": f.unique_id}
        if f.name:
            d["file_name"] = f.name
        if f.mime:
            d["mime_type"] = f.mime
        if f.size is not None:
            d["file_size"] = f.size
        return d

    def file_bytes(self, file_id: str) -> bytes | None:
        f = self._files.get(file_id)
        return f.data if f else None

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

    async def _read_params(self, request: web.Request) -> dict:
        params: dict[str, Any] = dict(request.query)
        if request.body_exists:
            ctype = request.content_type
            if ctype == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise ApiError(400, "Bad Request: can't parse JSON") from None
                if not isinstance(body, dict):
                    raise ApiError(400, "Bad Request: JSON object expected")
                params.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        data = value.file.read()
                        params[key] = Upload(value.filename, value.content_type, data)
                    else:
                        params[key] = value
        for key, value in list(params.items()):
            if key in _JSON_FIELDS and isinstance(value, str):
                try:
                    params[key] = json.loads(value)
                except ValueError:
                    pass
            elif key in _BOOL_FIELDS:
                params[key] = _as_bool(value)
            elif isinstance(value, str) and value.startswith("attach://"):
                attached = params.get(value[len("attach://"):])
                if isinstance(attached, Upload):
                    params[key] = attached
        return params

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
            rec.params = await self._read_params(request)
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
        except _ClientGone:
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
        for f in self._files.values():
            if f.path == file_path and f.data is not None:
                return web.Response(body=f.data, content_type=f.mime or "application/octet-stream")
        return self._json_response(404, ApiError(404, "Not Found").body())

    # ------------------------------------------------------------------ validation helpers
    def _chat_param(self, params: dict, key: str = "chat_id") -> _Chat:
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
    def _check_reachable(chat: _Chat) -> None:
        if chat.deactivated:
            raise ApiError(403, "Forbidden: user is deactivated")
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")

    def _check_rate(self, chat_id: int) -> None:
        limits = self.rate_limits
        if limits is None:
            return
        now = time.monotonic()
        window = self._rate_window
        while window and window[0] <= now - 1.0:
            window.popleft()
        wait = 0.0
        if limits.global_per_second is not None and len(window) + 1 > limits.global_per_second:
            wait = window[0] + 1.0 - now if window else 1.0
        if limits.per_chat_per_second:
            last = self._chat_last_sent.get(chat_id)
            interval = 1.0 / limits.per_chat_per_second
            if last is not None and now - last < interval - 1e-9:
                wait = max(wait, last + interval - now)
        if wait > 0:
            self.rate_limited_count += 1
            retry = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
        window.append(now)
        self._chat_last_sent[chat_id] = now

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
        text, entities = _trim(text, entities)
        if not text:
            if not caption:
                raise ApiError(400, "Bad Request: message text is empty")
            return None, [], raw, parse_mode
        if caption and _utf16_len(text) > MAX_CAPTION_LENGTH:
            raise ApiError(400, "Bad Request: message caption is too long")
        if not caption and _utf16_len(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        return text, entities, raw, parse_mode

    def _reply_to(self, chat: _Chat, params: dict) -> dict | None:
        rp = params.get("reply_parameters")
        mid = None
        allow = _as_bool(params.get("allow_sending_without_reply", False))
        if isinstance(rp, dict) and rp.get("message_id") is not None:
            mid = _to_int(rp["message_id"], "message_id")
            allow = allow or _as_bool(rp.get("allow_sending_without_reply", False))
        elif params.get("reply_to_message_id") not in (None, ""):
            mid = _to_int(params["reply_to_message_id"], "reply_to_message_id")
        if mid is None:
            return None
        target = chat.find(mid)
        if target is None:
            if allow:
                return None
            raise ApiError(400, "Bad Request: message to be replied not found")
        return {k: v for k, v in target.items() if k != "reply_to_message"}

    def _store_bot_message(
        self, chat: _Chat, bm: BotMessage, content: dict, reply_to: dict | None
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

    def _edit_target(self, params: dict) -> tuple[_Chat, int]:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat = self._chat_param(params)
        if params.get("message_id") in (None, ""):
            raise ApiError(400, "Bad Request: message identifier is not specified")
        return chat, _to_int(params["message_id"], "message_id")

    def _bot_message_for_edit(self, chat: _Chat, mid: int) -> BotMessage:
        bm = chat.bot_by_id.get(mid)
        if bm is None or bm.deleted:
            if mid in chat.user_msgs:
                raise ApiError(400, "Bad Request: message can't be edited")
            raise ApiError(400, "Bad Request: message to edit not found")
        return bm

    def _apply_edit(self, chat: _Chat, bm: BotMessage, raw_updates: dict, remove: Iterable[str]) -> dict:
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

    async def _m_deleteWebhook(self, p: dict, request: web.Request) -> bool:
        if _as_bool(p.get("drop_pending_updates", False)):
            self._updates.clear()
        return True

    async def _m_getWebhookInfo(self, p: dict, request: web.Request) -> dict:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    async def _m_getUpdates(self, p: dict, request: web.Request) -> list[dict]:
        offset = _opt_int(p, "offset")
        limit = min(100, max(1, _opt_int(p, "limit", 100) or 100))
        timeout = min(50.0, max(0.0, _opt_float(p, "timeout", 0.0)))
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
                    raise _ClientGone()
                raise ApiError(409, _STATUS_DESCRIPTIONS[409])
            if self._closing:
                return []
            if self._allowed_updates is not None and self._updates:
                allowed_set = self._allowed_updates
                self._updates = deque(
                    u for u in self._updates if any(k in allowed_set for k in u if k != "update_id")
                )
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
        f = self._file_from_param(p.get(kind), kind)
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
            sizes = self._photo_sizes(f)
            content["photo"] = sizes
            bm.photo = sizes[-1]
        else:
            doc = self._document_dict(f)
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
        mid = _to_int(p["message_id"], "message_id")
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
            bm.file_bytes = self.file_bytes(bm.photo["file_id"])
        if "document" in content:
            bm.document = content["document"]
            bm.file_bytes = self.file_bytes(bm.document["file_id"])
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
        mid = _to_int(p["message_id"], "message_id")
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
            "show_alert": _as_bool(p.get("show_alert", False)),
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
            "cache_time": _opt_int(p, "cache_time", 300),
            "is_personal": _as_bool(p.get("is_personal", False)),
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
                    key += f":{_to_int(scope['user_id'], 'user_id')}"
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
