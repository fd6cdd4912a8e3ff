"""What the emulated Telegram holds: private chats, their messages (both ways) and files.

* :class:`Chat` - one private chat with a user (chat id == user id): the user's profile, the messages
  the user sent (Telegram ``Message`` dicts) and the ones the bot created (:class:`BotMessage`, with
  edits applied and deletions marked), plus whether the user blocked the bot or deleted the account.
* :class:`BotMessage` - what a test reads: plain text, entities, the HTML exactly as sent, the inline
  keyboard (``buttons``, ``button("text")``), photo/document and their bytes, edit count.
* :class:`FileStore` - every file the bot or a user uploaded or referenced: ``file_id`` and
  ``file_unique_id`` in Telegram's shape, identical uploads deduplicated, served by ``getFile`` and
  ``GET /file/bot<token>/<file_path>``.
"""

from __future__ import annotations

import hashlib
import itertools
import mimetypes
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tgemu.wire import ApiError, Upload


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


class File:
    __slots__ = ("file_id", "unique_id", "data", "size", "path", "name", "mime")

    def __init__(self, file_id, unique_id, data, name, mime, path):
        self.file_id = file_id
        self.unique_id = unique_id
        self.data = data
        self.size = len(data) if data is not None else None
        self.name = name
        self.mime = mime
        self.path = path


class Chat:
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


class FileStore:
    """Files by ``file_id``; uploads with the same kind, name and bytes share one id."""

    def __init__(self) -> None:
        self._by_id: dict[str, File] = {}
        self._by_hash: dict[bytes, File] = {}
        self._ids = itertools.count(1)

    def get(self, file_id: str) -> File | None:
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> File | None:
        """The stored file (with bytes) behind a ``file_path`` that ``getFile`` returned."""
        for f in self._by_id.values():
            if f.path == file_path and f.data is not None:
                return f
        return None

    def register(self, data: bytes | None, kind: str, name: str | None, mime: str | None) -> File:
        if data is not None:
            key = hashlib.sha1(kind.encode() + b"\0" + (name or "").encode() + b"\0" + data).digest()
            existing = self._by_hash.get(key)
            if existing is not None:
                return existing
        n = next(self._ids)
        prefix = {"photo": "AgAC", "document": "BQAC", "sticker": "CAAC", "voice": "AwAC"}.get(kind, "BAAC")
        file_id = f"{prefix}AgUAAxkBEmu{n:08d}{kind}"
        ext = ""
        if name and "." in name:
            ext = name[name.rfind("."):]
        path = f"{kind}s/file_{n}{ext}"
        f = File(file_id, f"AQADEmu{n:06d}", data, name, mime, path)
        self._by_id[file_id] = f
        if data is not None:
            self._by_hash[key] = f
        return f

    def from_param(self, value: Any, kind: str) -> File:
        if isinstance(value, Upload):
            mime = value.content_type
            if not mime or mime == "application/octet-stream":
                mime = (mimetypes.guess_type(value.filename or "")[0]) or mime
            return self.register(value.data, kind, value.filename, mime)
        if isinstance(value, str) and value.strip():
            f = self._by_id.get(value)
            if f is not None:
                return f
            name = None
            if value.startswith(("http://", "https://")):
                name = urlsplit(value).path.rsplit("/", 1)[-1] or None
            n = next(self._ids)
            mime = mimetypes.guess_type(name or "")[0]
            f = File(value, f"AQADExt{n:06d}", None, name, mime, f"{kind}s/ext_{n}")
            self._by_id[value] = f
            return f
        raise ApiError(400, f"Bad Request: there is no {kind} in the request")

    def photo_sizes(self, f: File) -> list[dict]:
        thumb_id = f.file_id + "_m"
        self._by_id.setdefault(thumb_id, f)
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

    def document_dict(self, f: File) -> dict:
        d: dict[str, Any] = {"file_id": f.file_id, "file_unique_id": f.unique_id}
        if f.name:
            d["file_name"] = f.name
        if f.mime:
            d["mime_type"] = f.mime
        if f.size is not None:
            d["file_size"] = f.size
        return d

    def data(self, file_id: str) -> bytes | None:
        f = self._by_id.get(file_id)
        return f.data if f else None
