"""No log line contains the bot token, at any level, even for errors with tracebacks."""

from __future__ import annotations

import dataclasses
import io
import logging

import pytest

from bot.app import build_application, running
from bot.logs import RedactingFormatter, setup_logging
from tests.conftest import TOKEN


def test_formatter_redacts_token_and_its_secret_half():
    formatter = RedactingFormatter([TOKEN, TOKEN.partition(":")[2]])
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1,
                               "HTTP Request: POST https://api.telegram.org/bot%s/getMe", (TOKEN,), None)
    line = formatter.format(record)
    assert TOKEN not in line and TOKEN.partition(":")[2] not in line
    assert "[REDACTED]" in line


@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING"])
async def test_no_log_line_contains_the_token(emu, settings, level):
    stream = io.StringIO()
    handler = setup_logging(level, TOKEN, stream=stream)
    try:
        app = build_application(dataclasses.replace(settings, base_url=emu.base_url, log_level=level))
        user = emu.user(3001)
        emu.inject("sendMessage", status=500, times=1)       # an error with a traceback
        emu.inject("sendMessage", drop=True, times=1)        # a dropped connection (httpx error text)
        async with running(app):
            await user.send("/start")
            await user.send("마감 언제예요")
            await user.send("/start")
            await emu.wait_until(lambda: len(user.inbox) >= 1, timeout=10, what="a reply")
            await user.press_data(user.inbox[0], "v1:bogus")
            await user.send("/start")
            await user.wait_messages(1, timeout=10)
    finally:
        logging.getLogger().removeHandler(handler)
    output = stream.getvalue()
    assert output.strip(), "nothing was logged"
    assert TOKEN not in output
    assert TOKEN.partition(":")[2] not in output
    if level == "DEBUG":
        assert " DEBUG " in output  # the test really ran at DEBUG
    assert "Error while handling update" in output or "NetworkError" in output or "failed" in output.lower()
