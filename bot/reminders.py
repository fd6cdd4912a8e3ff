"""Deadline reminders: planned from data, fired through a ledger, delivered through the outbox.

``plan_reminders`` is pure. :meth:`ReminderService.sweep` is the one idempotent step every trigger
calls (a scheduled job, start-up catch-up, a periodic safety sweep): it sends the latest due slot
that has no ledger row yet and records older missed ones as skipped. The ledger row and the
fan-out (one delivery row per subscriber) are written in one transaction under a unique job key
``reminder:<round>:<deadline>:<slot>``, so a restart, a second instance or a double fire never sends a
slot twice. From the deadline on nothing more is sent: the sweep closes the round instead
(:meth:`bot.rounds.RoundService.close_if_due`).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot import texts
from bot.answer import documents_list, esc
from bot.callbacks import encode
from bot.config import TZ
from bot.program import (
    Content,
    Program,
    Slot,
    dday_label,
    deadline_key,
    deadline_label,
    deadline_note,
    deadline_status,
)
from bot.rounds import MOVED, OPENED, RoundService
from bot.store import Store

log = logging.getLogger(__name__)

MISFIRE_GRACE_SECONDS = 6 * 3600
SWEEP_INTERVAL_SECONDS = 300


@dataclass(frozen=True)
class PlannedReminder:
    slot: Slot
    fire_at: datetime

    @property
    def slot_id(self) -> str:
        return self.slot.id


def plan_reminders(program: Program, after: datetime | None = None) -> list[PlannedReminder]:
    """Reminder instants (KST) for the current deadline, in time order; only those after ``after``."""
    planned = [PlannedReminder(slot, slot.fire_at(program.deadline)) for slot in program.slots]
    planned = [p for p in planned if p.fire_at < program.deadline]
    if after is not None:
        planned = [p for p in planned if p.fire_at > after]
    return sorted(planned, key=lambda p: p.fire_at)


def job_name(program: Program, slot_id: str) -> str:
    return f"reminder:{program.round_id}:{deadline_key(program)}:{slot_id}"


def close_job_name(program: Program) -> str:
    return f"round-close:{program.round_id}:{deadline_key(program)}"


def next_reminder(program: Program, now: datetime, optout: list[str] | tuple[str, ...] = ()) -> datetime | None:
    for p in plan_reminders(program, after=now):
        if p.slot_id not in optout:
            return p.fire_at
    return None


def reminder_content(program: Program, now: datetime) -> dict[str, Any]:
    text = texts.REMINDER.format(
        dday=dday_label(program.deadline, now),
        program=esc(program.name),
        deadline=deadline_label(program),
        status=deadline_status(program, now),
        note="" if program.deadline_confirmed else esc(
            texts.REMINDER_NOTE.format(note=deadline_note(program))),
        how=esc(program.how),
        system=esc(program.system),
        documents=esc(documents_list(program)),
    )
    return {
        "type": "text",
        "text": text,
        "buttons": [[[texts.BTN_FAQ, encode("menu", "faq")], [texts.BTN_UNSUBSCRIBE, encode("unsub")]]],
    }


class ReminderService:
    """Schedules reminder jobs on an APScheduler-backed PTB JobQueue and runs sweeps."""

    def __init__(self, store: Store, get_content: Callable[[], Content], job_queue=None,
                 wake_outbox: Callable[[], None] | None = None, db=None) -> None:
        self.store = store
        self.get_content = get_content
        self.job_queue = job_queue
        self.wake_outbox = wake_outbox or (lambda: None)
        self.rounds = RoundService(store, get_content, self.wake_outbox)
        self.db = db  # bot.dbwriter.DbWriter: scheduled sweeps write off the event loop

    @property
    def program(self) -> Program:
        return self.get_content().program

    # -- the idempotent step ---------------------------------------------------------------------
    def sweep(self, now: datetime | None = None, store: Store | None = None) -> int | None:
        """Send the latest due, unrecorded slot; record older missed slots as skipped.

        Returns the created job id, or None when nothing was due (or it was already handled).
        ``store``: the connection to use (the database writer's, off the event loop).
        """
        store = store or self.store
        now = now or datetime.now(TZ)
        program = self.program
        if now >= program.deadline:
            if store is self.store:  # (off the event loop, _fire closes the round on the loop)
                self.rounds.close_if_due(now)  # after the deadline no reminder is sent
            return None
        key, round_id = deadline_key(program), program.round_id
        runs = store.reminder_runs(round_id, key)
        due = [p for p in plan_reminders(program) if p.fire_at <= now and p.slot_id not in runs]
        if not due:
            return None
        latest = due[-1]
        for older in due[:-1]:
            if store.record_skipped_run(round_id, key, older.slot_id, older.fire_at.isoformat()):
                log.info("Reminder %s for %s was missed during downtime; skipped (a later one is due)",
                         older.slot_id, key)
        recipients = store.active_chat_ids(
            slot_id=latest.slot_id,
            subscribed_before=latest.fire_at.astimezone(UTC).isoformat(timespec="seconds"),
            round_id=round_id,
        )
        job_id = store.create_job(
            key=job_name(program, latest.slot_id),
            kind="reminder",
            content=reminder_content(program, now),
            recipients=recipients,
            extra_sql=Store.ledger_insert(round_id, key, latest.slot_id, latest.fire_at.isoformat()),
            round_id=round_id,
        )
        if job_id is not None:
            late = (now - latest.fire_at).total_seconds()
            log.info("Reminder %s for deadline %s queued for %d subscribers%s", latest.slot_id, key,
                     len(recipients), f" ({late:.0f} s late)" if late > 60 else "")
            if store is self.store:  # (on the writer thread, the caller wakes the outbox on the loop)
                self.wake_outbox()
        return job_id

    # -- round and deadline changes ---------------------------------------------------------------
    def check_deadline_change(self, now: datetime | None = None) -> str | None:
        """Tell subscribers once about a new round, a moved or a confirmed deadline (bot.rounds).

        After a new round or a moved deadline, slots already past are recorded as skipped: the notice
        itself tells subscribers the new date, so no late reminder burst follows it.
        """
        now = now or datetime.now(TZ)
        event = self.rounds.check(now)
        if event in (OPENED, MOVED):
            program = self.program
            for p in plan_reminders(program):
                if p.fire_at <= now:
                    self.store.record_skipped_run(program.round_id, deadline_key(program), p.slot_id,
                                                  p.fire_at.isoformat())
        return event

    # -- scheduling ----------------------------------------------------------------------------
    def schedule(self, now: datetime | None = None) -> list[str]:
        """(Re)create one job per future slot with deterministic names; drop stale ones."""
        if self.job_queue is None:
            return []
        now = now or datetime.now(TZ)
        program = self.program
        wanted = {job_name(program, p.slot_id): p.fire_at for p in plan_reminders(program, after=now)}
        if program.deadline > now:
            wanted[close_job_name(program)] = program.deadline  # the sweep that closes the round
        for job in self.job_queue.jobs():
            if job.name and job.name.startswith(("reminder:", "round-close:")) and job.name not in wanted:
                job.schedule_removal()
        for name, when in wanted.items():
            self.job_queue.run_once(
                self._fire,
                when=when,
                name=name,
                job_kwargs={
                    "id": name,
                    "replace_existing": True,
                    "misfire_grace_time": MISFIRE_GRACE_SECONDS,
                    "coalesce": True,
                },
            )
        if not any(j.name == "reminder-sweep" for j in self.job_queue.jobs()):
            self.job_queue.run_repeating(
                self._fire, interval=SWEEP_INTERVAL_SECONDS, first=SWEEP_INTERVAL_SECONDS, name="reminder-sweep",
                job_kwargs={"id": "reminder-sweep", "replace_existing": True, "coalesce": True,
                            "misfire_grace_time": SWEEP_INTERVAL_SECONDS},
            )
        return sorted(n for n in wanted if n.startswith("reminder:"))

    async def _fire(self, context) -> None:
        try:
            if self.db is None:
                self.sweep()
            else:  # a lock or a full disk slows the sweep, never the event loop
                if await self.db.run(lambda store: self.sweep(store=store), patience=None):
                    self.wake_outbox()
                if datetime.now(TZ) >= self.program.deadline:
                    self.rounds.close_if_due()
        except Exception:
            log.exception("Reminder sweep failed")

    def startup(self, now: datetime | None = None) -> None:
        now = now or datetime.now(TZ)
        self.check_deadline_change(now)
        try:
            self.sweep(now)
        except sqlite3.OperationalError as exc:  # e.g. locked by another process: try again shortly
            log.warning("Reminder catch-up at start failed (%s); retrying in 5 s", exc)
            if self.job_queue is not None:
                self.job_queue.run_once(self._fire, when=5, name="reminder-catch-up")
        self.schedule(now)

    def on_content_change(self, previous: Content | None, current: Content) -> None:
        def state(program: Program) -> tuple:
            return program.round_id, program.deadline, program.deadline_confirmed, program.slots

        if previous is None or state(previous.program) == state(current.program):
            return
        now = datetime.now(TZ)
        self.check_deadline_change(now)
        self.schedule(now)
