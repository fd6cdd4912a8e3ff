"""What the answer tables share: the fixed 'today' and asking the core a question."""

from __future__ import annotations

from datetime import datetime

from bot.answer import plain_text
from bot.config import TZ

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=TZ)  # D-26 before the provisional deadline


def ask(core, question):
    """(answer, its text without HTML) as the bot would reply at NOW."""
    answer = core.answer(question, NOW)
    return answer, plain_text(answer.text)
