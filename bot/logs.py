"""Logging for operators: English lines, and never the bot token.

Two layers: httpx (which logs request URLs, and Telegram URLs contain the token) is held at
WARNING, and every formatted line (tracebacks included) passes through a redacting formatter.
``LOG_FORMAT=json`` writes one JSON object per line instead (``time``, ``level``, ``logger``,
``message``, the record's structured ``fields`` such as an update's kind and latency, and ``exc``
with the traceback), for log collectors; it is redacted the same way.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
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


class JsonFormatter(RedactingFormatter):
    """One JSON object per line; ``extra={"fields": {...}}`` on a record adds its keys."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        text = json.dumps(entry, ensure_ascii=False, default=str)
        for secret in self.secrets:
            # A secret may contain characters JSON escapes; redact both spellings.
            for spelling in {secret, json.dumps(secret)[1:-1]}:
                if spelling in text:
                    text = text.replace(spelling, "[REDACTED]")
        return text


def setup_logging(
    level: str = "INFO",
    token: str = "",
    stream: TextIO | None = None,
    fmt: str = "text",
    secrets: Iterable[str] = (),
) -> logging.Handler:
    """Install one root handler; returns it (tests pass their own stream).

    ``secrets``: more values never to print (the webhook secret, the dashboard password).
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    # The bot id part alone is public; redact the whole token and its secret half.
    redact = [token, token.partition(":")[2]] if token else []
    redact += [s for s in secrets if s and s not in redact]
    handler.setFormatter(JsonFormatter(redact) if fmt == "json" else RedactingFormatter(redact))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING if name != "telegram.ext.Updater" else logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return handler


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[REDACTED]")
    return text


def install_excepthooks(secrets: Iterable[str]) -> None:
    """Uncaught exceptions (main thread and other threads) are printed with every secret redacted
    (``Settings.secrets``: the token, its secret half, the webhook secret, the dashboard password)."""
    secrets = list(secrets)

    def print_redacted(exc_type, exc, tb) -> None:
        sys.stderr.write(redact("".join(traceback.format_exception(exc_type, exc, tb)), secrets))

    sys.excepthook = print_redacted
    threading.excepthook = lambda args: print_redacted(args.exc_type, args.exc_value, args.exc_traceback)
