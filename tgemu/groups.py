"""Group chats: several users, administrators and members, one chat the bot talks to.

::

    group = emu.group(-100123, "지원사업 담당자방", admins=[42], members=[43])
    await group.send(emu.user(43), "/subscribe")        # a member's command in the group
    reply = await group.wait_reply()                    # what the bot posted to the group
    await group.press(emu.user(42), reply, text="확인")  # an administrator taps a button

The bot can ask ``getChatMember`` (creator / administrator / member / left) and
``getChatAdministrators``, as on Telegram. Messages the bot sends to the group's id land in the
group, readable through :class:`EmuGroup` (``inbox``, ``last``, ``wait_reply``).
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tgemu.entities import utf16_len
from tgemu.state import BotMessage, Chat
from tgemu.wire import ApiError, to_int

if TYPE_CHECKING:
    from tgemu.users import EmuUser

_ADMIN_RIGHTS = (
    "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
    "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users",
    "can_post_stories", "can_edit_stories", "can_delete_stories",
)


class GroupChat(Chat):
    """A group: its title and each member's status (``creator``, ``administrator``, ``member``)."""

    __slots__ = ("title", "members")

    def __init__(self, chat_id: int, title: str, members: dict[int, str]) -> None:
        super().__init__(chat_id, title)
        self.title = title
        self.members = members

    def chat_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "type": "group"}


class EmuGroup:
    """The users' side of a group chat."""

    def __init__(self, emu, chat: GroupChat) -> None:
        self._emu = emu
        self._chat = chat
        self._cursor = 0

    @property
    def id(self) -> int:
        return self._chat.id

    def _user(self, user: EmuUser | int) -> dict:
        uid = user if isinstance(user, int) else user.id
        return self._emu.user(uid)._chat.user_dict()

    async def send(self, user: EmuUser | int, text: str) -> dict:
        """``user`` posts ``text`` in the group (a leading ``/word`` gets a ``bot_command`` entity)."""
        chat = self._chat
        msg: dict[str, Any] = {
            "message_id": chat.take_mid(),
            "from": self._user(user),
            "chat": chat.chat_dict(),
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            word = re.split(r"\s", text, maxsplit=1)[0]
            msg["entities"] = [{"offset": 0, "length": utf16_len(word), "type": "bot_command"}]
        chat.user_msgs[msg["message_id"]] = msg
        self._emu._enqueue("message", msg)
        return msg

    async def press(self, user: EmuUser | int, message: BotMessage, text: str | None = None,
                    data: str | None = None) -> str:
        """``user`` taps a button of a bot message in the group; returns the callback query id."""
        if data is None:
            data = message.button(text)["callback_data"] if text else message.buttons[0][0]["callback_data"]
        emu = self._emu
        sender = self._user(user)
        qid = str(next(emu._cq_ids))
        emu._cqs[qid] = {"user_id": sender["id"], "answered": False, "answer": None}
        emu._enqueue("callback_query", {
            "id": qid, "from": sender, "message": dict(message.raw),
            "chat_instance": str(-(8_000_000_000_000_000 + abs(self.id))), "data": data,
        })
        return qid

    @property
    def inbox(self) -> list[BotMessage]:
        return [m for m in self._chat.bot_msgs if not m.deleted]

    @property
    def last(self) -> BotMessage | None:
        inbox = self.inbox
        return inbox[-1] if inbox else None

    async def wait_reply(self, timeout: float = 5.0) -> BotMessage:
        msgs = self._chat.bot_msgs
        await self._emu._wait_for(
            lambda: len(msgs) > self._cursor, timeout,
            lambda: f"no bot message in group {self.id} within {timeout}s{self._emu._diagnostics(self.id)}",
        )
        self._cursor += 1
        return msgs[self._cursor - 1]


class GroupChats:
    """The group part of :class:`~tgemu.server.TelegramEmulator`."""

    def group(self, chat_id: int, title: str = "Group", admins=(), members=(),
              creator: int | None = None) -> EmuGroup:
        """Create (or get) a group chat; ``chat_id`` is negative, as on Telegram."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        chat = self._chats.get(chat_id)
        if not isinstance(chat, GroupChat):
            status = {uid: "member" for uid in members}
            status.update({uid: "administrator" for uid in admins})
            if creator is not None:
                status[creator] = "creator"
            chat = self._chats[chat_id] = GroupChat(chat_id, title, status)
            for uid in status:
                self.user(uid)
        return EmuGroup(self, chat)

    def _member_dict(self, chat: Chat, user_id: int) -> dict:
        if isinstance(chat, GroupChat):
            status = chat.members.get(user_id, "left")
        else:
            status = "member" if user_id in (chat.id, self.bot_id) else "left"
        user = self._chats[user_id].user_dict() if user_id in self._chats else {
            "id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "administrator":
            member.update({right: right not in ("is_anonymous", "can_be_edited") for right in _ADMIN_RIGHTS})
        elif status == "creator":
            member["is_anonymous"] = False
        return member

    async def _m_getChatMember(self, p: dict, request: web.Request) -> dict:
        chat = self._chat_param(p)
        if p.get("user_id") in (None, ""):
            raise ApiError(400, "Bad Request: user_id is empty")
        return self._member_dict(chat, to_int(p["user_id"], "user_id"))

    async def _m_getChatAdministrators(self, p: dict, request: web.Request) -> list[dict]:
        chat = self._chat_param(p)
        if not isinstance(chat, GroupChat):
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        admins = [uid for uid, status in chat.members.items() if status in ("creator", "administrator")]
        return [self._member_dict(chat, uid) for uid in admins]
