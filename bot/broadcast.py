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

from bot import texts
from bot.callbacks import encode
from bot.config import TZ
from bot.delivery import markup_from

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 3.0


def format_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}초"
    minutes, sec = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}분 {sec}초" if sec else f"{minutes}분"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}시간 {minutes}분"


def parse_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


REASON_LABELS = {
    "blocked": "봇 차단",
    "deactivated": "탈퇴한 계정",
    "chat_not_found": "대화방 없음",
    "kicked": "강퇴",
    "unsubscribed": "발송 전 구독 해지",
}


def reason_label(reason: str | None) -> str:
    if not reason:
        return "알 수 없음"
    if reason in REASON_LABELS:
        return REASON_LABELS[reason]
    head = reason.split(":", 1)[0]
    return {"network": "네트워크 오류", "bad_request": "요청 거부", "telegram": "텔레그램 오류"}.get(head, head)


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
        return (
            f"📤 공지 #{job['id']} 발송 중 {counts['sent']:,} / {total:,} · 실패 {failed:,}"
            f" · 남은 시간 약 {format_duration(eta)}"
        )

    def report_text(self, job: dict[str, Any]) -> str:
        counts = self.store.job_counts(job["id"])
        errors = self.store.job_errors(job["id"])
        started = parse_iso(job["started_at"]) or parse_iso(job["created_at"])
        finished = parse_iso(job["finished_at"]) or datetime.now(UTC)
        duration = (finished - started).total_seconds() if started else 0
        title = "공지 발송 완료" if job["status"] == "done" else "공지 발송 중지"
        lines = [
            f"📊 <b>{title}</b> (#{job['id']})",
            f"• 대상: {job['total']:,}명" + (f" (관심 과제: {job['segment']})" if job["segment"] else ""),
            f"• 성공: {counts['sent']:,}명",
            f"• 차단·탈퇴 등으로 비활성 처리: {counts['blocked']:,}명",
            f"• 실패: {counts['failed']:,}명",
        ]
        if counts["cancelled"]:
            lines.append(f"• 보내지 않음(중지·해지): {counts['cancelled']:,}명")
        by_reason: dict[str, int] = {}
        for reason, n in errors.items():
            label = reason_label(reason)
            by_reason[label] = by_reason.get(label, 0) + n
        if by_reason:
            lines.append("• 사유: " + ", ".join(f"{k} {v:,}" for k, v in by_reason.items()))
        lines.append(f"• 걸린 시간: {format_duration(duration)}")
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
            return "아직 보낸 공지가 없어요."
        labels = {"scheduled": "예약", "queued": "대기", "sending": "발송 중", "done": "완료",
                  "stopped": "중지", "cancelled": "취소"}
        lines = ["<b>최근 공지</b>"]
        for job in jobs:
            counts = self.store.job_counts(job["id"])
            when = parse_iso(job["scheduled_at"] if job["status"] == "scheduled" else job["created_at"])
            when_text = when.astimezone(TZ).strftime("%m/%d %H:%M") if when else "-"
            lines.append(
                f"#{job['id']} {labels.get(job['status'], job['status'])} · {when_text} · "
                f"대상 {job['total']:,} · 성공 {counts['sent']:,} · 실패 {counts['failed'] + counts['blocked']:,}"
                + (f" · 관심 과제 {job['segment']}" if job["segment"] else "")
            )
        return "\n".join(lines)

