"""Staff broadcasts on top of the outbox: create (now or scheduled), progress, stop, report.

A broadcast is one ``jobs`` row (kind ``broadcast``, content = a copy of the staff member's own
message, so formatting, photos and documents survive) plus one ``deliveries`` row per recipient.
Scheduled broadcasts keep status ``scheduled`` until their time; their APScheduler job is derived
from the database at start, and a time that passed while the bot was down fires at once.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from bot import staff_texts, texts
from bot.callbacks import encode
from bot.config import TZ
from bot.delivery import markup_from

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 3.0


def format_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return texts.DURATION_SECONDS.format(s=seconds)
    minutes, sec = divmod(seconds, 60)
    if minutes < 60:
        if sec:
            return texts.DURATION_MINUTES_SECONDS.format(m=minutes, s=sec)
        return texts.DURATION_MINUTES.format(m=minutes)
    hours, minutes = divmod(minutes, 60)
    return texts.DURATION_HOURS_MINUTES.format(h=hours, m=minutes)


def parse_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def reason_label(reason: str | None) -> str:
    if not reason:
        return staff_texts.REASON_UNKNOWN
    if reason in staff_texts.REASON_LABELS:
        return staff_texts.REASON_LABELS[reason]
    head = reason.split(":", 1)[0]
    return staff_texts.ERROR_KIND_LABELS.get(head, head)


class BroadcastService:
    def __init__(self, rt, app) -> None:
        self.rt = rt
        self.app = app
        self._progress_task: asyncio.Task | None = None
        self._last_progress: dict[int, str] = {}

    @property
    def store(self):
        return self.rt.core.store

    # -- lifecycle ----------------------------------------------------------------------------
    def startup(self) -> None:
        for job in self.store.jobs_with_status("scheduled"):
            self._schedule(job)
        self._progress_task = asyncio.create_task(self._progress_loop(), name="broadcast-progress")

    async def shutdown(self) -> None:
        if self._progress_task:
            self._progress_task.cancel()
            try:
                await self._progress_task
            except asyncio.CancelledError:
                pass

    # -- creating -----------------------------------------------------------------------------
    def audience(self, segment: str | None) -> int:
        return self.store.count_active(segment=segment)

    def create(self, staff_id: int, from_chat_id: int, message_id: int, segment: str | None,
               scheduled_at: datetime | None = None) -> int:
        content = {"type": "copy", "from_chat_id": from_chat_id, "message_id": message_id}
        key = f"broadcast:{uuid.uuid4().hex[:12]}"
        if scheduled_at is not None:
            job_id = self.store.create_job(
                key, "broadcast", content, None, status="scheduled", segment=segment, created_by=staff_id,
                scheduled_at=scheduled_at.astimezone(UTC).isoformat(timespec="seconds"), report_chat_id=from_chat_id,
            )
            self._schedule(self.store.get_job(job_id))
            log.info("Broadcast %s scheduled by staff %s for %s (segment %s)", job_id, staff_id,
                     scheduled_at.isoformat(), segment or "all")
            return job_id
        recipients = self.store.active_chat_ids(segment=segment)
        job_id = self.store.create_job(
            key, "broadcast", content, recipients, segment=segment, created_by=staff_id, report_chat_id=from_chat_id,
        )
        log.info("Broadcast %s queued by staff %s for %d recipients (segment %s)", job_id, staff_id,
                 len(recipients), segment or "all")
        self.rt.outbox.wake()
        return job_id

    def _schedule(self, job: dict[str, Any]) -> None:
        when = parse_iso(job["scheduled_at"]) or datetime.now(UTC)
        name = f"broadcast:{job['id']}"
        self.app.job_queue.run_once(
            self._fire_scheduled, when=max(when, datetime.now(UTC)), data=job["id"], name=name,
            job_kwargs={"id": name, "replace_existing": True, "misfire_grace_time": None, "coalesce": True},
        )

    async def _fire_scheduled(self, context) -> None:
        job_id = context.job.data
        job = self.store.get_job(job_id)
        if not job or job["status"] != "scheduled":
            return
        recipients = self.store.active_chat_ids(segment=job["segment"])
        total = self.store.start_job(job_id, recipients)
        log.info("Scheduled broadcast %s started for %d recipients", job_id, total)
        self.rt.outbox.wake()
        if job["report_chat_id"]:
            await self.post_progress(job_id)

    def cancel_scheduled(self, job_id: int) -> bool:
        if self.store.set_job_status_if(job_id, "cancelled", "scheduled"):
            for j in self.app.job_queue.get_jobs_by_name(f"broadcast:{job_id}"):
                j.schedule_removal()
            return True
        return False

    def stop(self, job_id: int) -> int:
        """Stop a running broadcast: nothing more is sent; in-flight sends finish."""
        if not self.store.set_job_status_if(job_id, "stopped", "queued", "sending"):
            return -1
        cancelled = self.store.cancel_pending(job_id)
        self.store.update_job(job_id, finished_at=datetime.now(UTC).isoformat(timespec="seconds"))
        self.rt.outbox.forget_job(job_id)
        log.info("Broadcast %s stopped; %d deliveries cancelled", job_id, cancelled)
        return cancelled

    # -- progress and reports --------------------------------------------------------------------
    def progress_text(self, job: dict[str, Any]) -> str:
        counts = self.store.job_counts(job["id"])
        total = job["total"]
        failed = counts["blocked"] + counts["failed"]
        remaining = counts["pending"] + counts["sending"]
        eta = remaining / max(1.0, self.rt.settings.send_rate)
        return staff_texts.BROADCAST_PROGRESS.format(
            id=job["id"], sent=counts["sent"], total=total, failed=failed, eta=format_duration(eta)
        )

    def report_text(self, job: dict[str, Any]) -> str:
        counts = self.store.job_counts(job["id"])
        errors = self.store.job_errors(job["id"])
        started = parse_iso(job["started_at"]) or parse_iso(job["created_at"])
        finished = parse_iso(job["finished_at"]) or datetime.now(UTC)
        duration = (finished - started).total_seconds() if started else 0
        title = staff_texts.BROADCAST_DONE if job["status"] == "done" else staff_texts.BROADCAST_HALTED
        lines = [
            staff_texts.REPORT_TITLE.format(title=title, id=job["id"]),
            staff_texts.REPORT_AUDIENCE.format(total=job["total"])
            + (staff_texts.REPORT_SEGMENT.format(segment=job["segment"]) if job["segment"] else ""),
            staff_texts.REPORT_SENT.format(n=counts["sent"]),
            staff_texts.REPORT_BLOCKED.format(n=counts["blocked"]),
            staff_texts.REPORT_FAILED.format(n=counts["failed"]),
        ]
        if counts["cancelled"]:
            lines.append(staff_texts.REPORT_CANCELLED.format(n=counts["cancelled"]))
        by_reason: dict[str, int] = {}
        for reason, n in errors.items():
            label = reason_label(reason)
            by_reason[label] = by_reason.get(label, 0) + n
        if by_reason:
            reasons = ", ".join(staff_texts.COUNT_ITEM.format(label=k, n=v) for k, v in by_reason.items())
            lines.append(staff_texts.REPORT_REASONS.format(reasons=reasons))
        lines.append(staff_texts.REPORT_DURATION.format(duration=format_duration(duration)))
        return "\n".join(lines)

    async def post_progress(self, job_id: int) -> None:
        job = self.store.get_job(job_id)
        if not job or not job["report_chat_id"]:
            return
        text = self.progress_text(job)
        markup = markup_from([[[texts.BTN_STOP, encode("bc", "stop", job_id)]]])
        try:
            if job["progress_message_id"]:
                if self._last_progress.get(job_id) == text:
                    return
                await self.app.bot.edit_message_text(
                    text, chat_id=job["report_chat_id"], message_id=job["progress_message_id"], reply_markup=markup
                )
            else:
                msg = await self.app.bot.send_message(job["report_chat_id"], text, reply_markup=markup)
                self.store.update_job(job_id, progress_message_id=msg.message_id)
            self._last_progress[job_id] = text
        except Exception as exc:  # progress is best effort; the report still comes
            log.info("Progress update for broadcast %s failed: %s", job_id, exc)

    async def _progress_loop(self) -> None:
        while True:
            await asyncio.sleep(PROGRESS_INTERVAL)
            try:
                for job in self.store.jobs_with_status("queued", "sending"):
                    if job["kind"] == "broadcast" and job["report_chat_id"]:
                        await self.post_progress(job["id"])
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Broadcast progress loop failed")

    async def on_job_finished(self, job: dict[str, Any]) -> None:
        if job["kind"] != "broadcast":
            return
        await self.send_report(job)

    async def send_report(self, job: dict[str, Any]) -> None:
        if not job.get("report_chat_id"):
            return
        report = self.report_text(job)
        if job["progress_message_id"]:
            try:
                await self.app.bot.edit_message_text(
                    report.split("\n", 1)[0], chat_id=job["report_chat_id"], message_id=job["progress_message_id"]
                )
            except Exception as exc:
                log.info("Could not close the progress message of broadcast %s: %s", job["id"], exc)
        await self.app.bot.send_message(job["report_chat_id"], report)
        self._last_progress.pop(job["id"], None)

    def recent_text(self, limit: int = 10) -> str:
        jobs = self.store.recent_jobs("broadcast", limit)
        if not jobs:
            return staff_texts.RECENT_EMPTY
        lines = [staff_texts.RECENT_HEADER]
        for job in jobs:
            counts = self.store.job_counts(job["id"])
            when = parse_iso(job["scheduled_at"] if job["status"] == "scheduled" else job["created_at"])
            when_text = when.astimezone(TZ).strftime("%m/%d %H:%M") if when else "-"
            lines.append(
                staff_texts.RECENT_ITEM.format(
                    id=job["id"], status=staff_texts.JOB_STATUS.get(job["status"], job["status"]),
                    when=when_text, total=job["total"], sent=counts["sent"],
                    failed=counts["failed"] + counts["blocked"],
                )
                + (staff_texts.RECENT_SEGMENT.format(segment=job["segment"]) if job["segment"] else "")
            )
        return "\n".join(lines)

