"""tgemu: an in-process Telegram Bot API emulator over real HTTP, for tests and local chats.

An unmodified python-telegram-bot ``Application``/``Bot`` pointed at ``emu.base_url`` and
``emu.base_file_url`` talks to it exactly as it would talk to ``api.telegram.org``; simulated users
send messages, press buttons and read what the bot sent back. See ``tgemu/README.md``.

Where things are:

* :mod:`tgemu.server` - :class:`TelegramEmulator`: HTTP server, method dispatch, updates queue, waits
* :mod:`tgemu.methods` - the Bot API methods and update kinds supported, and their validation
* :mod:`tgemu.state` - chats, messages (:class:`BotMessage`) and files
* :mod:`tgemu.users` - :class:`EmuUser`: send, press, inline, wait_reply ...
* :mod:`tgemu.limits` - text/caption/callback-data limits and send rates (:class:`RateLimits`)
* :mod:`tgemu.faults` - fault injection (:meth:`TelegramEmulator.inject`)
* :mod:`tgemu.entities` - Telegram HTML into text and entities (:func:`parse_html`)
* :mod:`tgemu.wire` - parameter decoding and error answers (:class:`ApiError`)
"""

from tgemu.entities import HTMLParseError, parse_html
from tgemu.faults import FaultRule
from tgemu.limits import RateLimits
from tgemu.server import CallRecord, TelegramEmulator
from tgemu.state import BotMessage
from tgemu.users import EmuUser
from tgemu.wire import ApiError, Upload

__all__ = [
    "ApiError",
    "BotMessage",
    "CallRecord",
    "EmuUser",
    "FaultRule",
    "HTMLParseError",
    "RateLimits",
    "TelegramEmulator",
    "Upload",
    "parse_html",
]
