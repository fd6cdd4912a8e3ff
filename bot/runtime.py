"""The services the running bot shares, kept in ``application.bot_data["rt"]``.

The application (``bot/app.py``) creates them; handlers and services read them through :func:`runtime`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.broadcast import BroadcastService
from bot.config import Settings
from bot.core import Core
from bot.delivery import Outbox
from bot.reminders import ReminderService


@dataclass
class Runtime:
    """Services shared by handlers, kept in ``application.bot_data['rt']``."""

    settings: Settings
    core: Core | None = None
    outbox: Outbox | None = None
    reminders: ReminderService | None = None
    broadcasts: BroadcastService | None = None
    stopping_since: float | None = None  # time.monotonic() when a stop began (signal or shutdown)

    @property
    def store(self):
        return self.core.store

    @property
    def content(self):
        return self.core.content

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids


def runtime(context_or_app) -> Runtime:
    app = getattr(context_or_app, "application", context_or_app)
    return app.bot_data["rt"]
