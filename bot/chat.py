"""``python -m bot chat``: the real bot, the local Bot API emulator and a terminal user in one process.

Buttons are shown as numbered choices: type the number to press one. Commands work as on
Telegram (/start, /challenges, ...). ``--admin`` makes the terminal user center staff.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys

from bot import texts
from bot.app import build_application, running
from bot.config import Secret, Settings
from bot.logs import setup_logging
from tgemu import TelegramEmulator

CHAT_USER_ID = 700_001
CHAT_TOKEN = "1000001:LOCAL-chat-token"


class Terminal:
    def __init__(self, out=None) -> None:
        self.out = out or sys.stdout
        self.buttons: list[tuple[int, dict]] = []  # (message_id, button)
        self.arrived = asyncio.Event()

    async def settle(self, timeout: float = 5.0) -> None:
        """Wait for the bot's answer (so piped input and button numbers stay in step)."""
        try:
            await asyncio.wait_for(self.arrived.wait(), timeout)
            while True:  # and for anything that follows right after it
                self.arrived.clear()
                await asyncio.wait_for(self.arrived.wait(), 0.3)
        except TimeoutError:
            pass
        self.arrived.clear()

    def show(self, chat_id: int, message, edited: bool) -> None:
        head = texts.CHAT_BOT_EDITED if edited else texts.CHAT_BOT
        body = message.text or ""
        if message.kind in ("photo", "document"):
            body = f"[{message.kind}] " + body
        lines = [f"\n{head} {body}"]
        rows = message.buttons
        if rows:
            self.buttons = []
            for row in rows:
                labels = []
                for button in row:
                    self.buttons.append((message.message_id, button))
                    labels.append(f"[{len(self.buttons)}] {button.get('text')}")
                lines.append("   " + "   ".join(labels))
        print("\n".join(lines), file=self.out, flush=True)
        self.arrived.set()


async def run_chat(settings: Settings, admin: bool = False, stdin=None, out=None) -> int:
    setup_logging("WARNING" if settings.log_level == "INFO" else settings.log_level, CHAT_TOKEN)
    stdin = stdin or sys.stdin
    term = Terminal(out)
    async with TelegramEmulator(token=CHAT_TOKEN, bot_username="sangsaeng_local_bot") as emu:
        user = emu.user(CHAT_USER_ID, first_name=texts.CHAT_USER_NAME if not admin else texts.CHAT_STAFF_NAME)
        local = dataclasses.replace(
            settings,
            token=Secret(CHAT_TOKEN),
            base_url=emu.base_url,
            admin_ids=settings.admin_ids | ({CHAT_USER_ID} if admin else frozenset()),
            poll_timeout=1,
        )
        emu.on_bot_message = term.show
        app = build_application(local)
        async with running(app, poll_timeout=1):
            print(texts.CHAT_BANNER + (texts.CHAT_STAFF_NOTE if admin else ""),
                  file=term.out, flush=True)
            await user.send("/start")
            await term.settle()
            loop = asyncio.get_running_loop()
            while True:
                line = await loop.run_in_executor(None, stdin.readline)
                if not line:
                    break
                text = line.strip()
                if not text:
                    continue
                if text in ("/quit", "/exit"):
                    break
                if text.isdigit() and 1 <= int(text) <= len(term.buttons):
                    message_id, button = term.buttons[int(text) - 1]
                    if "callback_data" in button:
                        await user.press(message_id, data=button["callback_data"])
                else:
                    await user.send(text)
                await term.settle()
    logging.shutdown()
    return 0
