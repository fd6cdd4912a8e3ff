"""Database writes off the event loop.

The event loop keeps its own connection for reads: in WAL mode a reader never waits for a writer, so
answering a question is not slowed by a lock. Writes go through :class:`DbWriter`: one thread with
its own connection to the same file runs them one at a time. A lock held by another process, a full
disk or an I/O error is retried there with backoff, so it slows only the coroutine that needs that
write, and never the event loop.

    await rt.db.run(Store.subscribe, chat_id)                 # retried for up to 30 s, then DbUnavailable
    await rt.db.run(Store.finish_delivery, 7, "sent", patience=None)   # retried until it works
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from bot.store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")

# The writer thread waits this long inside SQLite for a lock before the attempt counts as failed
# (then it is retried with backoff). Short, so a stall is noticed and reported quickly.
WRITER_BUSY_TIMEOUT_MS = 1000
# The event loop's own connection: reads never wait in WAL mode; a write left on the loop (rare
# staff tools) fails after this instead of freezing every chat.
LOOP_BUSY_TIMEOUT_MS = 250
# How long a user-facing write (subscribe, settings ...) keeps trying before the user is told.
USER_PATIENCE = 30.0

# Passing conditions: retrying can help. Anything else (a bug, a constraint) is raised at once.
PASSING = {
    "SQLITE_BUSY": "locked", "SQLITE_LOCKED": "locked", "SQLITE_FULL": "disk_full",
    "SQLITE_IOERR": "io_error", "SQLITE_READONLY": "read_only", "SQLITE_CANTOPEN": "io_error",
}
_REOPEN = ("io_error", "read_only")


def problem_kind(exc: BaseException) -> str | None:
    """'locked', 'disk_full', 'io_error' or 'read_only' for a passing database condition, else None."""
    if isinstance(exc, DbUnavailable):
        return exc.kind
    if not isinstance(exc, sqlite3.OperationalError):
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    for prefix, kind in PASSING.items():
        if name.startswith(prefix):
            return kind
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "locked"
    if "disk is full" in text:
        return "disk_full"
    if "disk i/o" in text:
        return "io_error"
    return None


class DbUnavailable(RuntimeError):
    """A write kept failing for a passing reason (lock, full disk, I/O) until its patience ran out."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"database {kind}: {detail}")
        self.kind = kind


class DbWriter:
    """Runs ``fn(store, *args)`` on one writer thread with its own :class:`Store`; retries passing errors."""

    def __init__(self, path: Path | str, busy_timeout_ms: int = WRITER_BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer")
        self._store: Store | None = None  # created and used only on the writer thread
        self.problem: str | None = None   # the current passing condition, if writes are failing
        self.problem_since: float | None = None
        self.on_recovered: list[Callable[[], None]] = []  # called on the event loop when writes work again
        self._closed = False

    # -- on the writer thread -----------------------------------------------------------------------
    def _call(self, fn: Callable[..., T], args: tuple) -> T:
        if self._store is None:
            self._store = Store(self.path, self.busy_timeout_ms, check=False)
        try:
            return fn(self._store, *args)
        except sqlite3.Error as exc:
            if problem_kind(exc) in _REOPEN:  # start the next attempt on a fresh connection
                self._close_store()
            raise

    def _close_store(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            try:
                store.close()
            except sqlite3.Error:
                pass

    # -- on the event loop --------------------------------------------------------------------------
    async def run(self, fn: Callable[..., T], *args: Any, patience: float | None = USER_PATIENCE) -> T:
        """``fn(store, *args)`` on the writer thread. Passing errors are retried with backoff for up to
        ``patience`` seconds (None: until it works), then :class:`DbUnavailable`; others are raised."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        delay = 0.1
        while True:
            if self._closed:
                raise DbUnavailable("closed", "the bot is shutting down")
            try:
                result = await loop.run_in_executor(self._pool, self._call, fn, args)
            except sqlite3.Error as exc:
                kind = problem_kind(exc)
                if kind is None:
                    raise
                self._failed(kind, exc)
                if patience is not None and loop.time() - started + delay > patience:
                    raise DbUnavailable(kind, str(exc)) from exc
                await asyncio.sleep(delay)
                delay = min(2.0, delay * 2)
                continue
            self._succeeded()
            return result

    def _failed(self, kind: str, exc: BaseException) -> None:
        if self.problem != kind:
            log.warning("Database write failed (%s: %s); retrying in the background", kind, exc)
            if self.problem is None:
                self.problem_since = time.monotonic()
            self.problem = kind

    def _succeeded(self) -> None:
        if self.problem is not None:
            log.info("Database writable again after %.1f s (%s)",
                     time.monotonic() - (self.problem_since or time.monotonic()), self.problem)
            self.problem = None
            self.problem_since = None
            for callback in self.on_recovered:
                callback()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(loop.run_in_executor(self._pool, self._close_store), timeout=5)
        except (TimeoutError, RuntimeError):
            log.warning("Database writer did not close within 5 s")
        self._pool.shutdown(wait=False)
