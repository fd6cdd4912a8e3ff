"""The limits the emulator enforces, as Telegram does.

Always enforced (answered with ``400 Bad Request`` and Telegram's wording):

* message text at most 4096 characters (``message is too long``), captions at most 1024
  (``message caption is too long``), both counted in UTF-16 code units after entity parsing;
* inline keyboard ``callback_data`` 1 to 64 bytes (``BUTTON_DATA_INVALID``);
* ``answerCallbackQuery`` text at most 200 characters, at most 50 inline query results with ids of
  1 to 64 bytes, at most 100 bot commands with names ``[a-z0-9_]{1,32}``.

Send rates, only when ``emu.rate_limits`` is set (off by default, so tests are not slowed down)::

    emu.rate_limits = RateLimits(global_per_second=30, per_chat_per_second=1)

Every message-creating call (sendMessage, sendPhoto, sendDocument, copyMessage) counts; a call over
either limit is answered ``429 Too Many Requests: retry after N`` with ``parameters.retry_after`` and
counted in ``emu.rate_limited_count`` (injected 429s are not counted there). ``None`` disables a limit.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64


@dataclass
class RateLimits:
    """Pace enforcement. ``None`` for a field disables that limit."""

    global_per_second: float | None = 30
    per_chat_per_second: float | None = 1.0


class RateLimiter:
    """Sliding one-second window for all chats plus the time of the last message per chat."""

    def __init__(self) -> None:
        self._window: deque[float] = deque()
        self._chat_last_sent: dict[int, float] = {}

    def admit(self, limits: RateLimits, chat_id: int) -> int:
        """Record a message to ``chat_id`` and return 0, or return the seconds to retry after."""
        now = time.monotonic()
        window = self._window
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
            return max(1, math.ceil(wait))
        window.append(now)
        self._chat_last_sent[chat_id] = now
        return 0
