"""The shared outbox: one paced delivery engine for reminders, notices and staff broadcasts.

* :class:`Pacer` is the application's rate limiter (PTB ``BaseRateLimiter``). Every message-sending
  API call goes through one global pace (default 28/s, under Telegram's ~30/s) and a per-chat pace
  (1/s). Interactive replies reserve the next slot at once; bulk sends take only free slots, so a
  running broadcast never starves a user's answer. A 429 ``retry_after`` pauses everyone.
* :class:`Outbox` sends the delivery rows of the store: each row is claimed (state ``sending``,
  written before the send) and finished (``sent``/``blocked``/``failed``/back to ``pending`` with
  backoff, written after). On start, rows left in ``sending`` by a crash go back to ``pending``:
  delivery is at-least-once, and the only possible duplicates are the rows that were in flight at
  the crash, at most ``concurrency`` of them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import BaseRateLimiter

from bot.store import BLOCKED, FAILED, PENDING, SENT, Store, utcnow_iso

log = logging.getLogger(__name__)

SENDING_METHODS = frozenset(
    {
        "sendmessage", "copymessage", "forwardmessage", "sendphoto", "senddocument", "sendaudio",
        "sendvideo", "sendvoice", "sendanimation", "sendsticker", "sendlocation", "sendmediagroup",
        "copymessages", "forwardmessages", "sendcontact", "sendpoll", "sendvenue", "senddice",
    }
)


def retry_after_seconds(exc: RetryAfter) -> float:
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Pacer(BaseRateLimiter[dict[str, Any]]):
    """Global + per-chat pacing with priority for interactive replies."""

    def __init__(self, rate: float = 28.0, per_chat_interval: float = 1.1, interactive_retries: int = 2) -> None:
        self.interval = 1.0 / rate
        self.per_chat_interval = per_chat_interval
        self.interactive_retries = interactive_retries
        self._next_global = 0.0
        self._paused_until = 0.0
        self._chat_next: dict[Any, float] = {}

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def _earliest(self, chat_id: Any, now: float) -> float:
        return max(now, self._next_global, self._paused_until, self._chat_next.get(chat_id, 0.0))

    def _reserve(self, chat_id: Any, slot: float) -> None:
        self._next_global = slot + self.interval
        if chat_id is not None:
            self._chat_next[chat_id] = slot + self.per_chat_interval
        if len(self._chat_next) > 20_000:
            now = self._now()
            self._chat_next = {k: v for k, v in self._chat_next.items() if v > now}

    async def acquire(self, chat_id: Any, bulk: bool) -> None:
        if not bulk:
            now = self._now()
            slot = self._earliest(chat_id, now)
            self._reserve(chat_id, slot)
            if slot > now:
                await asyncio.sleep(slot - now)
            return
        while True:
            now = self._now()
            slot = self._earliest(chat_id, now)
            if slot <= now:
                self._reserve(chat_id, now)
                return
            await asyncio.sleep(slot - now)

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if endpoint.lower() not in SENDING_METHODS:
            return await callback(*args, **kwargs)
        bulk = bool(rate_limit_args and rate_limit_args.get("bulk"))
        paced = bool(rate_limit_args and rate_limit_args.get("paced"))  # the outbox already waited
        chat_id = data.get("chat_id")
        attempt = 0
        while True:
            if not paced or attempt:
                await self.acquire(chat_id, bulk)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                self.pause(seconds)
                log.warning("Telegram asked to slow down: pausing all sends for %.1f s (%s)", seconds, endpoint)
                if bulk or attempt >= self.interactive_retries:
                    raise
                attempt += 1


def markup_from(buttons: list[list[list[str]]] | None) -> InlineKeyboardMarkup | None:
    """Stored button rows [[label, callback_data], ...] -> InlineKeyboardMarkup."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in buttons]
    )


def classify_error(exc: TelegramError) -> tuple[str, str]:
    """(outcome, reason): outcome is 'inactive', 'retry' or 'fail'."""
    message = str(exc).lower()
    if isinstance(exc, Forbidden):
        if "deactivated" in message:
            return "inactive", "deactivated"
        if "kicked" in message:
            return "inactive", "kicked"
        return "inactive", "blocked"
    if isinstance(exc, BadRequest):
        if "chat not found" in message or "user not found" in message:
            return "inactive", "chat_not_found"
        return "fail", "bad_request: " + str(exc)[:120]
    if isinstance(exc, TimedOut | NetworkError):
        return "retry", "network: " + str(exc)[:120]
    return "fail", "telegram: " + str(exc)[:120]


class Outbox:
    def __init__(
        self,
        store: Store,
        bot,
        *,
        pacer: Pacer | None = None,
        concurrency: int = 8,
        max_attempts: int = 5,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        on_job_finished: Callable[[dict[str, Any]], Awaitable[None]] | None = None,
    ) -> None:
        self.store = store
        self.bot = bot
        self.pacer = pacer
        self.concurrency = concurrency
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.on_job_finished = on_job_finished
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._sem = asyncio.Semaphore(concurrency)
        self._in_flight: set[asyncio.Task] = set()
        self._in_flight_chats: set[int] = set()
        self._jobs: dict[int, dict[str, Any]] = {}
        self.recovered = 0
        self.stop_grace = 10.0  # seconds in-flight sends get to finish on stop

    async def start(self) -> None:
        self.recovered = self.store.reset_in_flight()
        if self.recovered:
            log.warning("Outbox: %d deliveries were in flight at the last stop; sending them again", self.recovered)
        self._task = asyncio.create_task(self._run(), name="outbox")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        if self._in_flight:
            # Sends in flight finish (milliseconds, normally); any still hanging after the grace
            # period are cancelled and recorded as unsent (pending), so no row stays 'sending'.
            _, hanging = await asyncio.wait(set(self._in_flight), timeout=self.stop_grace)
            for task in hanging:
                task.cancel()
            if hanging:
                await asyncio.wait(hanging)
                log.warning("Outbox: %d sends did not finish within %.0f s of the stop; recorded as unsent",
                            len(hanging), self.stop_grace)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def wake(self) -> None:
        self._wake.set()

    def forget_job(self, job_id: int) -> None:
        self._jobs.pop(job_id, None)

    def _job(self, job_id: int) -> dict[str, Any] | None:
        job = self._jobs.get(job_id)
        if job is None:
            job = self.store.get_job(job_id)
            if job is not None:
                self._jobs[job_id] = job
        return job

    async def _run(self) -> None:
        while True:
            try:
                batch = self.store.due_deliveries(
                    time.time(), limit=self.concurrency * 4, exclude_chats=self._in_flight_chats
                )
            except Exception:
                log.exception("Outbox: reading due deliveries failed")
                batch = []
            if not batch:
                await self._sleep_until_work()
                continue
            for row in batch:
                await self._sem.acquire()
                if not self._still_wanted(row):
                    self._sem.release()
                    continue
                if self.pacer is not None:
                    # Wait for a send slot *before* claiming, so a claimed row is really in flight
                    # (that bounds duplicates after a crash) and a stop takes effect at once.
                    await self.pacer.acquire(row["chat_id"], bulk=True)
                    if not self._still_wanted(row):
                        self._sem.release()
                        continue
                if not self.store.claim_delivery(row["id"]):
                    self._sem.release()
                    continue
                if self.store.job_status(row["job_id"]) == "queued":
                    self.store.set_job_status_if(row["job_id"], "sending", "queued")
                    self.store.update_job(row["job_id"], started_at=utcnow_iso())
                self._in_flight_chats.add(row["chat_id"])
                task = asyncio.create_task(self._deliver(row))
                self._in_flight.add(task)
                task.add_done_callback(self._done)

    def _still_wanted(self, row: dict[str, Any]) -> bool:
        status = self.store.job_status(row["job_id"])
        return status in ("queued", "sending") and row["chat_id"] not in self._in_flight_chats

    def _done(self, task: asyncio.Task) -> None:
        self._in_flight.discard(task)
        self._sem.release()
        if not task.cancelled() and task.exception():
            log.error("Outbox: delivery task crashed", exc_info=task.exception())

    async def _sleep_until_work(self) -> None:
        self._wake.clear()
        next_retry = self.store.next_retry_time()
        timeout = 5.0
        if next_retry is not None:
            timeout = min(timeout, max(0.05, next_retry - time.time()))
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=timeout)
        except TimeoutError:
            pass

    async def _deliver(self, row: dict[str, Any]) -> None:
        chat_id = row["chat_id"]
        try:
            job = self._job(row["job_id"])
            if job is None:
                self.store.finish_delivery(row["id"], FAILED, "job missing")
                return
            if job["kind"] != "direct":
                sub = self.store.get_subscriber(chat_id)
                if sub is None or sub["status"] != "active":
                    self.store.finish_delivery(row["id"], "cancelled", "unsubscribed")
                    return
            try:
                await self._send(chat_id, job["content"])
            except asyncio.CancelledError:
                # Stopped mid-send: the outcome is unknown, so it counts as unsent and is sent again.
                self.store.finish_delivery(row["id"], PENDING, "interrupted by shutdown", refund_attempt=True)
                raise
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                self.store.finish_delivery(
                    row["id"], PENDING, "retry_after", next_attempt_at=time.time() + seconds, refund_attempt=True
                )
                return
            except TelegramError as exc:
                outcome, reason = classify_error(exc)
                attempts = row["attempts"] + 1
                if outcome == "inactive":
                    self.store.finish_delivery(row["id"], BLOCKED, reason)
                    if self.store.set_inactive(chat_id, reason):
                        log.info("Subscriber %s marked inactive (%s)", chat_id, reason)
                elif outcome == "retry" and attempts < self.max_attempts:
                    delay = min(self.backoff_cap, self.backoff_base * 2 ** (attempts - 1))
                    self.store.finish_delivery(row["id"], PENDING, reason, next_attempt_at=time.time() + delay)
                    log.warning("Delivery %s to %s failed (%s); retry %d in %.0f s",
                                row["id"], chat_id, reason, attempts, delay)
                else:
                    self.store.finish_delivery(row["id"], FAILED, reason)
                    log.warning("Delivery %s to %s failed for good: %s", row["id"], chat_id, reason)
                return
            self.store.finish_delivery(row["id"], SENT)
        finally:
            self._in_flight_chats.discard(chat_id)
            self.wake()  # a retry time or a freed chat may change what is due
            await self._check_finished(row["job_id"])

    async def _send(self, chat_id: int, content: dict[str, Any]) -> None:
        markup = markup_from(content.get("buttons"))
        limit = {"bulk": True, "paced": self.pacer is not None}
        if content.get("type") == "copy":
            await self.bot.copy_message(
                chat_id=chat_id,
                from_chat_id=content["from_chat_id"],
                message_id=content["message_id"],
                reply_markup=markup,
                rate_limit_args=limit,
            )
        else:
            await self.bot.send_message(
                chat_id=chat_id, text=content["text"], reply_markup=markup, rate_limit_args=limit
            )

    async def _check_finished(self, job_id: int) -> None:
        if self.store.job_has_open_deliveries(job_id):
            return
        if self.store.set_job_status_if(job_id, "done", "queued", "sending"):
            counts = self.store.job_counts(job_id)
            self.store.update_job(job_id, finished_at=utcnow_iso())
            self.forget_job(job_id)
            job = self.store.get_job(job_id)
            log.info("Job %s (%s) finished: %s", job_id, job["key"], counts)
            if self.on_job_finished and job:
                try:
                    await self.on_job_finished(job)
                except Exception:
                    log.exception("Outbox: job-finished callback failed for job %s", job_id)
