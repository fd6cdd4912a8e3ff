"""The shared outbox: one paced delivery engine for reminders, notices and staff broadcasts.

* :class:`Pacer` is the application's rate limiter (PTB ``BaseRateLimiter``). Every message-sending
  API call goes through one global pace (default 28/s, under Telegram's ~30/s) and a per-chat pace
  (1.1 s). Interactive replies reserve the next slot at once; bulk sends take only free slots, so a
  running broadcast never starves a user's answer. A 429 ``retry_after`` pauses the chat it came
  from; 429s from two or more chats within a second (the global limit) pause every send. Replies,
  edits and button answers that meet a passing error (5xx, a dropped connection, a timeout) are
  retried a few times before the error reaches the handler.
* :class:`Outbox` sends the delivery rows of the store: each row is claimed (state ``sending``,
  written before the send) and finished (``sent``/``blocked``/``failed``/back to ``pending`` with
  backoff, written after). Reads run on the event loop; writes go through the database writer
  thread (:mod:`bot.dbwriter`). The loop cannot die: any error is logged once with its traceback,
  the loop backs off and resumes on its own, and :meth:`Outbox.stalled` tells staff why it waits.

Delivery policy (the README's guarantee): at-least-once. A send whose outcome is unknown (the
request may have reached Telegram but no answer came back: a read timeout, a connection dropped
mid-request) is sent again, so it can arrive twice; a send that certainly failed (no connection,
an error answer) is retried without that risk. On start, rows left in ``sending`` by a crash go
back to ``pending``: at most ``concurrency`` of them can be duplicates.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import BaseRateLimiter

from bot.dbwriter import DbWriter, problem_kind
from bot.store import BLOCKED, FAILED, PENDING, SENT, Store

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


NOT_SENT, UNKNOWN = "not_sent", "unknown"
# Errors that retrying cannot fix (BadRequest and friends are NetworkError subclasses in PTB).
PERMANENT = (BadRequest, Forbidden, InvalidToken, Conflict, ChatMigrated, EndPointNotFound)
GLOBAL_429_WINDOW = 1.0  # 429s from two chats within this many seconds: the global limit was hit


def send_outcome(exc: BaseException) -> str:
    """Whether a failed request may still have been delivered.

    ``not_sent``: no connection was made, or Telegram answered with an error (a 5xx included).
    ``unknown``: the request may have reached Telegram but its answer never came (a read timeout,
    a connection dropped mid-request).
    """
    cause = exc.__cause__
    if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return NOT_SENT
    if isinstance(exc, TimedOut) and "Pool timeout" in str(exc):
        return NOT_SENT
    if isinstance(exc, TimedOut) or isinstance(cause, httpx.HTTPError):
        return UNKNOWN
    if "Unknown error in HTTP implementation" in str(exc):
        return UNKNOWN
    return NOT_SENT  # an HTTP error answer (5xx): Telegram did not take the message


class Pacer(BaseRateLimiter[dict[str, Any]]):
    """Global + per-chat pacing with priority for interactive replies."""

    def __init__(self, rate: float = 28.0, per_chat_interval: float = 1.1, attempts: int = 3,
                 retry_backoff: float = 0.5) -> None:
        self.interval = 1.0 / rate
        self.per_chat_interval = per_chat_interval
        self.attempts = attempts  # for interactive calls; the outbox retries bulk sends itself
        self.retry_backoff = retry_backoff
        self._next_global = 0.0
        self._paused_until = 0.0
        self._chat_next: dict[Any, float] = {}
        self._recent_429: deque[tuple[float, Any]] = deque()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def retry_after(self, chat_id: Any, seconds: float, endpoint: str = "") -> str:
        """Honour a 429: that chat waits ``seconds``; if 429s came from two or more chats within
        :data:`GLOBAL_429_WINDOW` (or the call had no chat), every send waits. Returns 'chat' or 'global'."""
        now = self._now()
        if chat_id is not None:
            self._chat_next[chat_id] = max(self._chat_next.get(chat_id, 0.0), now + seconds)
        recent = self._recent_429
        while recent and now - recent[0][0] > GLOBAL_429_WINDOW:
            recent.popleft()
        recent.append((now, chat_id))
        chats = {c for _, c in recent}
        if chat_id is None or len(chats) >= 2:
            self.pause(seconds)
            log.warning("Telegram asked to slow down (429s from %d chats): pausing all sends for %.1f s (%s)",
                        len(chats), seconds, endpoint)
            return "global"
        log.info("Telegram asked to slow down for chat %s: pausing that chat for %.1f s (%s)",
                 chat_id, seconds, endpoint)
        return "chat"

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
            # First the chat's own spacing, which must not move the shared cursor: a reply due in
            # 1.1 s to a busy chat may not hold back everyone else's replies for 1.1 s.
            now = self._now()
            chat_slot = max(now, self._paused_until, self._chat_next.get(chat_id, 0.0))
            if chat_id is not None:
                self._chat_next[chat_id] = chat_slot + self.per_chat_interval
            if chat_slot > now:
                await asyncio.sleep(chat_slot - now)
            # Then the next global slot, reserved at once (ahead of bulk sends).
            now = self._now()
            slot = max(now, self._next_global, self._paused_until)
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
        sending = endpoint.lower() in SENDING_METHODS
        bulk = bool(rate_limit_args and rate_limit_args.get("bulk"))
        paced = bool(rate_limit_args and rate_limit_args.get("paced"))  # the outbox already waited
        chat_id = data.get("chat_id")
        if bulk:  # the outbox retries bulk sends itself, recording each attempt
            if sending and not paced:
                await self.acquire(chat_id, True)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.retry_after(chat_id, retry_after_seconds(exc), endpoint)
                raise
        unknown = False
        attempt = 0
        while True:
            attempt += 1
            if sending:
                await self.acquire(chat_id, False)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.retry_after(chat_id, retry_after_seconds(exc), endpoint)
                if attempt >= self.attempts:
                    raise
                if not sending:
                    await asyncio.sleep(retry_after_seconds(exc))
            except PERMANENT as exc:
                if unknown and isinstance(exc, BadRequest) and "query is too old" in str(exc):
                    return True  # an earlier attempt whose answer was lost did answer the query
                raise
            except NetworkError as exc:  # TimedOut included: a passing problem
                if send_outcome(exc) == UNKNOWN:
                    unknown = True
                if attempt >= self.attempts:
                    exc.outcome_unknown = unknown  # the error handler must not add an error to a maybe-answer
                    raise
                log.warning("%s failed (%s; outcome %s); attempt %d of %d", endpoint, exc,
                            UNKNOWN if unknown else NOT_SENT, attempt, self.attempts)
                await asyncio.sleep(self.retry_backoff * 2 ** (attempt - 1))


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


@dataclass
class Stall:
    """Why the outbox is not sending: a database condition, the network, or an unexpected error."""

    kind: str          # locked | disk_full | io_error | read_only | network | error
    since: float       # time.monotonic()
    detail: str = ""


# A network problem counts as a stall only when nothing at all got through for this long
# (one flaky recipient among many is not a stall).
NETWORK_STALL_AFTER = 5.0
LOOP_BACKOFF_CAP = 10.0
# The claim before a send gives up quickly (the loop then backs off and reports a stall); the
# outcome after a send is written whatever it takes, or a delivered message would be sent again.
CLAIM_PATIENCE = 1.5


class Outbox:
    def __init__(
        self,
        store: Store,
        bot,
        *,
        db: DbWriter,
        pacer: Pacer | None = None,
        concurrency: int = 8,
        max_attempts: int = 5,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        on_job_finished: Callable[[dict[str, Any]], Awaitable[None]] | None = None,
    ) -> None:
        self.store = store  # reads, on the event loop
        self.db = db        # writes, on the writer thread
        self.bot = bot
        self.pacer = pacer
        self.concurrency = concurrency
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.on_job_finished = on_job_finished
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._sem = asyncio.Semaphore(concurrency)
        self._in_flight: set[asyncio.Task] = set()
        self._in_flight_chats: set[int] = set()
        self._jobs: dict[int, dict[str, Any]] = {}
        self._failures = 0
        self._last_success = time.monotonic()
        self.problem: Stall | None = None
        self.recovered = 0
        self.unknown_outcomes = 0
        self.stop_grace = 10.0  # seconds in-flight sends get to finish on stop
        db.on_recovered.append(self.wake)  # resume as soon as the database takes writes again

    async def start(self) -> None:
        self.recovered = await self.db.run(Store.reset_in_flight, patience=None)
        if self.recovered:
            log.warning("Outbox: %d deliveries were in flight at the last stop; sending them again",
                        self.recovered)
        self._start_task()

    def _start_task(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox")
        self._task.add_done_callback(self._on_loop_end)

    def _on_loop_end(self, task: asyncio.Task) -> None:
        # _run never returns or raises; if it ever does, the bot must not go on without a sender.
        if self._stopping or task.cancelled():
            return
        log.error("Outbox: the send loop ended unexpectedly; restarting it", exc_info=task.exception())
        self._start_task()

    async def stop(self) -> None:
        self._stopping = True
        if self._task:
            # Cancelled again until it ends, within the grace: a cancellation that lands just as a wait inside
            # the loop completes can be lost (asyncio.wait_for before Python 3.12), and the stop must not hang.
            deadline = time.monotonic() + self.stop_grace
            while not self._task.done() and time.monotonic() < deadline:
                self._task.cancel()
                await asyncio.wait({self._task}, timeout=0.5)
            if not self._task.done():
                log.warning("Outbox: the send loop did not stop within %.0f s; left behind", self.stop_grace)
            elif not self._task.cancelled() and self._task.exception() is not None:
                log.warning("Outbox: the send loop had ended with %r", self._task.exception())
            self._task = None
        if self._in_flight:
            # Sends in flight finish (milliseconds, normally); any still hanging after the grace
            # period (a hung send, an outcome waiting for a locked database) are cancelled and
            # recorded at once on the event loop's connection, so no row stays 'sending'.
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

    def stalled(self) -> Stall | None:
        """The reason sending waits, for staff; None while it flows."""
        problem = self.problem
        if problem is None or problem.kind == "network":
            # Writes failing for a second or more stall every send, whether or not the loop noticed yet.
            if self.db.problem is not None and time.monotonic() - (self.db.problem_since or 0) > 1.0:
                return Stall(self.db.problem, self.db.problem_since or time.monotonic())
        if problem is None:
            return None
        if problem.kind == "network" and time.monotonic() - self._last_success < NETWORK_STALL_AFTER:
            return None
        return problem

    def _job(self, job_id: int) -> dict[str, Any] | None:
        job = self._jobs.get(job_id)
        if job is None:
            job = self.store.get_job(job_id)
            if job is not None:
                self._jobs[job_id] = job
        return job

    # -- the loop ---------------------------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            try:
                worked = await self._step()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                await self._back_off(self._stall(exc))
                continue
            if self.problem is not None and self.problem.kind != "network":
                self._resume()
            if not worked:
                try:
                    await self._finish_idle_jobs()
                    await self._sleep_until_work()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    await self._back_off(self._stall(exc))

    async def _back_off(self, seconds: float) -> None:
        """Wait after a failure; a recovered database (or freed work) wakes the loop early."""
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except TimeoutError:
            pass

    def _stall(self, exc: BaseException) -> float:
        """Log a new problem once (with its traceback) and return how long to back off."""
        kind = problem_kind(exc) or "error"
        if self.problem is None or self.problem.kind != kind:
            log.error("Outbox: sending paused (%s); it resumes on its own when the problem passes",
                      kind, exc_info=exc)
            self.problem = Stall(kind, time.monotonic(), str(exc)[:200])
        self._failures += 1
        return min(LOOP_BACKOFF_CAP, 0.25 * 2 ** min(self._failures, 8))

    def _resume(self) -> None:
        problem, self.problem = self.problem, None
        self._failures = 0
        if problem is None:
            return
        lasted = time.monotonic() - problem.since
        if problem.kind != "network" or lasted >= NETWORK_STALL_AFTER:  # (a passing send error is no stall)
            log.info("Outbox: sending resumed after %.1f s (%s)", lasted, problem.kind)

    async def _step(self) -> bool:
        batch = self.store.due_deliveries(
            time.time(), limit=self.concurrency * 4, exclude_chats=self._in_flight_chats
        )
        if not batch:
            return False
        for row in batch:
            await self._sem.acquire()
            started = False
            try:
                if not self._still_wanted(row):
                    continue
                if self.pacer is not None:
                    # Wait for a send slot *before* claiming, so a claimed row is really in flight
                    # (that bounds duplicates after a crash) and a stop takes effect at once.
                    await self.pacer.acquire(row["chat_id"], bulk=True)
                    if not self._still_wanted(row):
                        continue
                claimed = await self.db.run(Store.claim_delivery, row["id"], row["job_id"],
                                            patience=CLAIM_PATIENCE)
                if not claimed:
                    continue
                self._in_flight_chats.add(row["chat_id"])
                task = asyncio.create_task(self._deliver(row))
                self._in_flight.add(task)
                task.add_done_callback(self._done)
                started = True
            finally:
                if not started:
                    self._sem.release()
        return True

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

    async def _finish_idle_jobs(self) -> None:
        """Jobs left running with nothing open (an outcome written late, an empty audience)."""
        for job_id in self.store.running_job_ids():
            if not self.store.job_has_open_deliveries(job_id):
                await self._check_finished(job_id)

    # -- one delivery ------------------------------------------------------------------------------
    async def _deliver(self, row: dict[str, Any]) -> None:
        chat_id = row["chat_id"]
        try:
            try:
                outcome = await self._attempt(row)
            except asyncio.CancelledError:
                # Stopped mid-send: the outcome is unknown, so it counts as unsent and is sent again.
                self._record_now(row, (PENDING, "interrupted by shutdown", None, True, None))
                raise
            except Exception as exc:  # not a send error (e.g. a read failed): put the row back
                self._stall(exc)
                outcome = PENDING, "internal", time.time() + 2, True, None
            state, error, next_at, refund, inactive = outcome
            # Written whatever it takes: a lost outcome would send a delivered message again.
            try:
                await self.db.run(Store.finish_delivery, row["id"], state, error, next_at, refund, patience=None)
            except asyncio.CancelledError:  # stopped while the database was busy: the outcome is known
                self._record_now(row, outcome)
                raise
            if inactive and await self.db.run(Store.set_inactive, chat_id, inactive, patience=None):
                log.info("Subscriber %s marked inactive (%s)", chat_id, inactive)
        finally:
            self._in_flight_chats.discard(chat_id)
            self.wake()  # a retry time or a freed chat may change what is due
        try:
            await self._check_finished(row["job_id"])
        except Exception as exc:  # retried by the idle sweep
            self._stall(exc)

    def _record_now(self, row: dict[str, Any], outcome: tuple) -> None:
        """On stop: write an outcome at once on the event loop's own connection (it may not wait)."""
        state, error, next_at, refund, _ = outcome
        try:
            self.store.finish_delivery(row["id"], state, error, next_attempt_at=next_at, refund_attempt=refund)
        except sqlite3.Error as exc:  # left 'sending': sent again after the restart (the README's bound)
            log.warning("Outbox: could not record delivery %s on stop: %s", row["id"], exc)

    async def _attempt(self, row: dict[str, Any]) -> tuple[str, str | None, float | None, bool, str | None]:
        """Send one row: (state, error, next attempt time, refund the attempt, inactive reason)."""
        chat_id = row["chat_id"]
        job = self._job(row["job_id"])
        if job is None:
            return FAILED, "job missing", None, False, None
        if job["kind"] != "direct":
            sub = self.store.get_subscriber(chat_id)
            if sub is None or sub["status"] != "active":
                return "cancelled", "unsubscribed", None, False, None
        try:
            await self._send(chat_id, job["content"])
        except RetryAfter as exc:
            return PENDING, "retry_after", time.time() + retry_after_seconds(exc), True, None
        except TelegramError as exc:
            outcome, reason = classify_error(exc)
            attempts = row["attempts"] + 1
            if outcome == "inactive":
                return BLOCKED, reason, None, False, reason
            if outcome == "retry":
                self._network_trouble(exc)
                if send_outcome(exc) == UNKNOWN:
                    self.unknown_outcomes += 1
                    log.warning("Delivery %s to %s: outcome unknown (%s); it will be sent again and may "
                                "arrive twice", row["id"], chat_id, exc)
                if attempts < self.max_attempts:
                    delay = min(self.backoff_cap, self.backoff_base * 2 ** (attempts - 1))
                    log.info("Delivery %s to %s failed (%s); retry %d in %.0f s",
                             row["id"], chat_id, reason, attempts, delay)
                    return PENDING, reason, time.time() + delay, False, None
            log.warning("Delivery %s to %s failed for good: %s", row["id"], chat_id, reason)
            return FAILED, reason, None, False, None
        self._last_success = time.monotonic()
        if self.problem is not None and self.problem.kind == "network":
            self._resume()
        return SENT, None, None, False, None

    def _network_trouble(self, exc: BaseException) -> None:
        if self.problem is None:
            self.problem = Stall("network", time.monotonic(), str(exc)[:200])

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
        if not await self.db.run(Store.finish_job_if_done, job_id, patience=None):
            return
        self.forget_job(job_id)
        job = self.store.get_job(job_id)
        log.info("Job %s (%s) finished: %s", job_id, job["key"] if job else "?",
                 self.store.job_counts(job_id))
        if self.on_job_finished and job:
            try:
                await self.on_job_finished(job)
            except Exception:
                log.exception("Outbox: job-finished callback failed for job %s", job_id)
