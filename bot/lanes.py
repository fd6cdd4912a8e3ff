"""Per-chat lanes for incoming updates, and per-user flood control.

PTB runs updates concurrently up to a fixed number of workers. A reply waits for its chat's 1.1 s
pacing inside the handler, so one user sending twenty messages used to fill every worker with
that one chat's waits while everybody else queued behind it. :class:`ChatLanes` gives each chat a
lane of its own: a chat's updates run one after another, in arrival order, and different chats run
side by side, so a chat's pacing only ever delays that chat.

:class:`FloodGuard` counts each user's messages and button taps as they arrive (a token bucket: a
burst of ``burst``, refilled at ``per_second``). A user far above a human pace gets one polite
notice and is then ignored for ``cooldown`` seconds (button taps are still answered, with a short
notice). The verdict is left in :attr:`ChatLanes.verdicts` for the first handler
(``handlers/gate.py``), which sends the notice.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

OK, NOTICE, DROP = "ok", "notice", "drop"
# Far more than ever run at once; each waiting update costs one small coroutine. The limit that
# matters is per chat (one at a time) and per user (FloodGuard).
MAX_CONCURRENT_UPDATES = 512


class FloodGuard:
    def __init__(self, burst: int = 10, per_second: float = 1.0, cooldown: float = 30.0,
                 exempt: frozenset[int] = frozenset()) -> None:
        self.burst = burst
        self.per_second = per_second
        self.cooldown = cooldown
        self.exempt = exempt  # center staff: composing a broadcast is a quick series of taps
        self._users: dict[int, list[float]] = {}  # user -> [tokens, last refill, ignored until]

    def check(self, user_id: int, now: float | None = None) -> str:
        """OK to go on, NOTICE (the first update over the pace) or DROP (ignored during the cooldown)."""
        if self.burst <= 0 or user_id in self.exempt:
            return OK
        now = time.monotonic() if now is None else now
        state = self._users.get(user_id)
        if state is None:
            if len(self._users) > 50_000:
                self._prune(now)
            state = self._users[user_id] = [float(self.burst), now, 0.0]
        if now < state[2]:
            return DROP
        state[0] = min(float(self.burst), state[0] + (now - state[1]) * self.per_second)
        state[1] = now
        if state[0] >= 1.0:
            state[0] -= 1.0
            return OK
        state[0] = float(self.burst)  # a fresh start after the cooldown
        state[2] = now + self.cooldown
        return NOTICE

    def _prune(self, now: float) -> None:
        full = self.burst / self.per_second if self.per_second else self.cooldown
        self._users = {u: s for u, s in self._users.items() if now - s[1] < full or now < s[2]}


def lane_key(update: object) -> Any:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return ("user", update.effective_user.id) if update.effective_user else None


def flood_user(update: object) -> int | None:
    """The user whose pace is counted: messages and button taps (inline queries come per keystroke)."""
    if not isinstance(update, Update) or update.effective_user is None:
        return None
    if update.message is not None or update.callback_query is not None:
        return update.effective_user.id
    return None


class ChatLanes(BaseUpdateProcessor):
    """One lane per chat: in order within a chat, concurrent across chats."""

    def __init__(self, flood: FloodGuard | None = None, max_concurrent: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent)
        self.flood = flood
        self.verdicts: dict[int, str] = {}  # update_id -> NOTICE / DROP, read by the gate handler
        self._lanes: dict[Any, list] = {}    # key -> [lock, number of updates using it]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        user = flood_user(update) if self.flood is not None else None
        if user is not None:
            verdict = self.flood.check(user)
            if verdict == DROP and update.callback_query is None:
                coroutine.close()  # ignored: it never reaches a handler
                return
            if verdict != OK:  # the notice (or a tap's short answer) does not queue behind the flood
                self.verdicts[update.update_id] = verdict
                await coroutine
                return
        key = lane_key(update)
        if key is None:
            await coroutine
            return
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = [asyncio.Lock(), 0]
        lane[1] += 1
        try:
            async with lane[0]:
                await coroutine
        finally:
            lane[1] -= 1
            if lane[1] == 0:
                self._lanes.pop(key, None)
