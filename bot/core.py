"""The Telegram-free core the bot, the CLI and the benchmarks share: store, content, answers."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
from datetime import datetime

from bot.answer import Answer, Answerer
from bot.config import TZ, Settings
from bot.content import ContentManager
from bot.kinds import KindModel
from bot.program import Content
from bot.store import Store

log = logging.getLogger(__name__)


def release_memory(analyzer) -> None:
    """After building the index and the intent model: give the dictionary pages the build touched and
    the heap its temporaries used back to the OS (about 60 MB of resident memory)."""
    analyzer.release_pages()
    gc.collect()
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


class Core:
    def __init__(self, settings: Settings, backend=None) -> None:
        self.settings = settings
        self.store = Store(settings.database_path)
        self.content_manager = ContentManager(self.store, settings.data_dir, backend=backend,
                                              cache_dir=settings.analyses_dir)
        self.content_manager.load()
        self.kinds = KindModel.load(settings.data_dir, settings.analyses_dir)
        self._answerer: Answerer | None = None

    @property
    def content(self) -> Content:
        assert self.content_manager.content is not None
        return self.content_manager.content

    @property
    def answerer(self) -> Answerer:
        index = self.content_manager.index
        if self._answerer is None or self._answerer.index is not index:
            self._answerer = Answerer(index, previous=self._answerer, kinds=self.kinds)
            release_memory(index.analyzer)
        return self._answerer

    def answer(self, question: str, now: datetime | None = None) -> Answer:
        return self.answerer.answer(question, now or datetime.now(TZ))

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids

    def close(self) -> None:
        self.store.close()
