"""Simulated users: the client side of a private chat, for tests and the local chat.

``user = emu.user(42, first_name="Kim")`` creates the user and their private chat (chat id == user
id); ``emu.add_users(range(...))`` registers many chats at once without producing updates.

Acting (each queues the update the bot will receive from ``getUpdates``):

* ``await user.send("text")`` - a ``message``; ``/word`` gets a ``bot_command`` entity
  (``user.command("start", "arg")``, ``user.send_html("<b>x</b>")``);
* ``send_photo``, ``send_document``, ``send_voice``, ``send_sticker``, ``send_location`` - media;
* ``await user.press(msg, text="Yes")`` or ``press(msg, data="cb:1")`` - a ``callback_query`` for an
  inline button (``press_data`` sends arbitrary, even forged, data); returns the query id;
* ``await user.inline("query")`` - an ``inline_query``; returns the bot's results;
* ``user.block()`` / ``unblock()`` - a ``my_chat_member`` update (sends then fail with 403
  ``bot was blocked by the user``); ``deactivate()`` - the account is deleted.

Reading: ``await user.wait_reply()``, ``wait_messages(n)``, ``wait_edit(msg)``,
``wait_callback_answer(qid)``; ``user.inbox``, ``user.last``, ``user.unread``, ``callback_answers``.
Waits raise ``TimeoutError`` with what the bot did instead (failed calls, unfetched updates).
"""

from __future__ import annotations

import mimetypes
import re
import time
from typing import TYPE_CHECKING, Any

from tgemu.entities import parse_html, trim, utf16_len
from tgemu.state import BotMessage, Chat

if TYPE_CHECKING:  # the server creates users; importing it here would be circular
    from tgemu.server import TelegramEmulator


class EmuUser:
    """Client side of one private chat: plays the user and reads the bot's messages."""

    def __init__(self, emu: TelegramEmulator, chat: Chat):
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
            ents.append({"offset": 0, "length": utf16_len(word), "type": "bot_command"})
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
        text, ents = trim(*parse_html(html))
        if text.startswith("/"):
            word = re.split(r"\s", text, maxsplit=1)[0]
            ents = [{"offset": 0, "length": utf16_len(word), "type": "bot_command"}, *ents]
        content: dict[str, Any] = {"text": text}
        if ents:
            content["entities"] = ents
        return self._new_message(**content)

    def _caption(self, caption: str | None) -> dict:
        return {"caption": caption} if caption else {}

    async def send_sticker(self, emoji: str = "👍") -> dict:
        f = self._emu._files.register(None, "sticker", None, "image/webp")
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
        f = self._emu._files.register(data, "photo", "photo.png", "image/png")
        return self._new_message(photo=self._emu._files.photo_sizes(f), **self._caption(caption))

    async def send_voice(self, duration: int = 3) -> dict:
        f = self._emu._files.register(b"OggS" + bytes(64), "voice", "voice.ogg", "audio/ogg")
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
        f = self._emu._files.register(content, "document", file_name, mime)
        return self._new_message(document=self._emu._files.document_dict(f), **self._caption(caption))

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
