"""Logging for operators: English lines, and never the bot token.

Two layers: httpx (which logs request URLs, and Telegram URLs contain the token) is held at
WARNING, and every formatted line (tracebacks included) passes through a redacting formatter.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
NOISY = ("httpx", "httpcore", "apscheduler", "aiohttp.access", "bm25s", "telegram.ext.Updater")


class RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: list[str], fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, "[REDACTED]")
        return text


def setup_logging(level: str = "INFO", token: str = "", stream: TextIO | None = None) -> logging.Handler:
    """Install one root handler; returns it (tests pass their own stream)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    # The bot id part alone is public; redact the whole token and its secret half.
    secrets = [token, token.partition(":")[2]] if token else []
    handler.setFormatter(RedactingFormatter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING if name != "telegram.ext.Updater" else logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return handler


def redact(text: str, token: str) -> str:
    for secret in (token, token.partition(":")[2]):
        if secret:
            text = text.replace(secret, "[REDACTED]")
    return text


def install_excepthooks(token: str) -> None:
    """Uncaught exceptions (main thread and other threads) are printed with the token redacted."""

    def print_redacted(exc_type, exc, tb) -> None:
        sys.stderr.write(redact("".join(traceback.format_exception(exc_type, exc, tb)), token))

    sys.excepthook = print_redacted
    threading.excepthook = lambda args: print_redacted(args.exc_type, args.exc_value, args.exc_traceback)
