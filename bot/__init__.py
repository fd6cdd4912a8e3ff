"""상생협력 혁신형도전과제 알림봇: the domain and the wiring of the Telegram bot."""

import os


def __getattr__(name: str) -> str:
    """``bot.__version__``, read from the installed package when asked (importlib.metadata costs ~60 ms
    at import, which `python -m bot ask` would pay for nothing)."""
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version  # lazy: see the docstring

    try:
        return version("sangsaeng-bot")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


# python-telegram-bot 22 deprecates RetryAfter.retry_after as int; opt in to timedelta now
# (bot.delivery.retry_after_seconds handles both).
os.environ.setdefault("PTB_TIMEDELTA", "1")
