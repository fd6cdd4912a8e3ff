"""상생협력 혁신형도전과제 알림봇: the domain and the wiring of the Telegram bot."""

import os
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sangsaeng-bot")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

# python-telegram-bot 22 deprecates RetryAfter.retry_after as int; opt in to timedelta now
# (bot.delivery.retry_after_seconds handles both).
os.environ.setdefault("PTB_TIMEDELTA", "1")
