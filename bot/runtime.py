"""The services the running bot shares, kept in ``application.bot_data["rt"]``.

The application (``bot/app.py``) creates them; handlers and services read them through :func:`runtime`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.broadcast import BroadcastService
from bot.config import Settings
from bot.core import Core
from bot.dbwriter import USER_PATIENCE, DbWriter
from bot.delivery import Outbox
from bot.reminders import ReminderService

T = TypeVar("T")


@dataclass
class Runtime:
    """Services shared by handlers, kept in ``application.bot_data['rt']``."""

    settings: Settings
    core: Core | None = None
    outbox: Outbox | None = None
    reminders: ReminderService | None = None
    broadcasts: BroadcastService | None = None
    db: DbWriter | None = None
    fatal: str | None = None  # set when the process must end (a rejected token): one line for the operator
    stopping_since: float | None = None  # time.monotonic() when a stop began (signal or shutdown)

    @property
    def store(self):
        return self.core.store

    @property
    def content(self):
        return self.core.content

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids

    async def write(self, fn: Callable[..., T], *args: Any, patience: float | None = USER_PATIENCE) -> T:
        """``fn(store, *args)`` off the event loop (see :mod:`bot.dbwriter`), e.g. ``write(Store.subscribe, 42)``."""
        if self.db is None:  # not started (CLI tools): the loop's own connection
            return fn(self.store, *args)
        return await self.db.run(fn, *args, patience=patience)


def runtime(context_or_app) -> Runtime:
    app = getattr(context_or_app, "application", context_or_app)
    return app.bot_data["rt"]
