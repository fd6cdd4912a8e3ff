"""Staff broadcasts end to end through the emulator: compose, preview, confirm, pace, stop, report."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import datetime, timedelta

import pytest
import time_machine

from bot.app import build_application, running
from bot.config import TZ
from bot.store import Store
from tests.conftest import ADMIN_ID, eventually


def seed(settings, chat_ids, interest=None):
    store = Store(settings.database_path)
    for chat_id in chat_ids:
        store.subscribe(chat_id)
        if interest:
            store.toggle_interest(chat_id, interest)
    store.close()


def copies(user):
    return [m for m in user.inbox if m.copied_from is not None]


async def compose(staff, send):
    staff.mark_read()
    await staff.send("/broadcast")
    prompt = await staff.wait_reply()
    assert "보낼 메시지" in prompt.text
    await send()
    preview, audience = await staff.wait_messages(2, timeout=10)
    assert preview.copied_from is not None          # shown exactly as recipients will see it
    assert "대상" in audience.text and "명" in audience.text
    return preview, audience


@pytest.fixture
def app_with(emu, settings):
    def make(**changes):
        return build_application(dataclasses.replace(settings, base_url=emu.base_url, **changes))

    return make


async def test_formatted_text_to_a_segment(emu, app_with, settings):
    staff = emu.user(ADMIN_ID)
    lg_fans = [emu.user(7000 + i) for i in range(3)]
    others = [emu.user(7100 + i) for i in range(2)]
    seed(settings, [u.id for u in lg_fans], interest="lg")
    seed(settings, [u.id for u in others])
    async with running(app_with()):
        _, audience = await compose(staff, lambda: staff.send_html("<b>설명회</b> 안내: 12월 10일 <i>온라인</i>"))
        assert "5명" in audience.text
        await staff.press(audience, text="대상 바꾸기")
        choices = await staff.wait_edit(audience)
        await staff.press(choices, text="LG전자")
        confirm = await staff.wait_edit(choices)
        assert "3명" in confirm.text and "LG전자" in confirm.text
        await staff.press(confirm, text="보내기")
        await emu.wait_until(lambda: all(len(copies(u)) == 1 for u in lg_fans), timeout=10, what="segment")
        report = await _wait_report(staff)
        assert "성공: 3명" in report.text and "실패: 0명" in report.text
    for u in lg_fans:
        message = copies(u)[0]
        assert message.text == "설명회 안내: 12월 10일 온라인"
        assert {e["type"] for e in message.entities} == {"bold", "italic"}
    assert all(copies(u) == [] for u in others)


async def _wait_report(staff, timeout=15):
    await staff._emu.wait_until(lambda: any("공지 발송" in m.text and "성공" in m.text for m in staff.inbox),
                               timeout=timeout, what="the delivery report")
    return next(m for m in staff.inbox if "공지 발송" in m.text and "성공" in m.text)


async def test_document_broadcast_to_everyone(emu, app_with, settings):
    staff = emu.user(ADMIN_ID)
    subs = [emu.user(7200 + i) for i in range(4)]
    seed(settings, [u.id for u in subs])
    async with running(app_with()):
        await compose(staff, lambda: staff.send_document("공고문.pdf", b"%PDF-1.4 notice", caption="공고문 첨부"))
        await staff.press(staff.last, text="보내기")
        await emu.wait_until(lambda: all(len(copies(u)) == 1 for u in subs), timeout=10, what="documents")
    for u in subs:
        m = copies(u)[0]
        assert m.text == "공고문 첨부"
        assert m.document and m.document["file_name"] == "공고문.pdf"


async def test_non_staff_and_forged_confirm_are_rejected(emu, app_with, settings, caplog):
    stranger = emu.user(7300)
    subs = [emu.user(7301)]
    seed(settings, [u.id for u in subs] + [stranger.id])
    caplog.set_level(logging.WARNING)
    async with running(app_with()):
        await stranger.send("/broadcast")
        reply = await stranger.wait_reply()
        assert "알 수 없는 명령어" in reply.text
        await stranger.send("안녕하세요 여러분")  # not captured as broadcast content
        await stranger.wait_reply()
        for data in ("v1:bc:send:0", "v1:bc:stop:1", "v1:bc:conf:0"):
            cq = await stranger.press_data(reply, data)
            answer = await stranger.wait_callback_answer(cq)
            assert "사용할 수 없어요" in answer["text"]
        await asyncio.sleep(0.3)
        assert app_rt_jobs(emu, settings) == 0
    assert copies(subs[0]) == []
    assert any("7300" in r.getMessage() and "staff" in r.getMessage() for r in caplog.records)


def app_rt_jobs(emu, settings):
    store = Store(settings.database_path)
    try:
        return store.conn.execute("SELECT COUNT(*) FROM jobs WHERE kind = 'broadcast'").fetchone()[0]
    finally:
        store.close()


async def test_cancel_before_sending(emu, app_with, settings):
    staff = emu.user(ADMIN_ID)
    sub = emu.user(7400)
    seed(settings, [sub.id])
    async with running(app_with()):
        _, audience = await compose(staff, lambda: staff.send("보내지 말 것"))
        await staff.press(audience, text="취소")
        await staff.wait_edit(audience)
        # /cancel in the middle of composing also works
        await staff.send("/broadcast")
        await staff.wait_reply()
        await staff.send("/cancel")
        cancelled = await staff.wait_reply()
        assert "취소" in cancelled.text
        await staff.send("마감 언제예요")  # back to normal questions
        answer = await staff.wait_reply()
        assert "26일" in answer.text
        await asyncio.sleep(0.3)
    assert copies(sub) == []
    assert app_rt_jobs(emu, settings) == 0


async def test_stop_during_sending(emu, app_with, settings):
    staff = emu.user(ADMIN_ID)
    subs = [emu.user(7500 + i) for i in range(40)]
    seed(settings, [u.id for u in subs])
    async with running(app_with(send_rate=10.0)) as app:
        _, audience = await compose(staff, lambda: staff.send("긴 공지"))
        await staff.press(audience, text="보내기")
        await emu.wait_until(lambda: sum(len(copies(u)) for u in subs) >= 5, timeout=10, what="some sent")
        progress = next(m for m in reversed(staff.inbox) if "발송 중" in m.text)
        await staff.press(progress, text="중지")
        report = await _wait_report(staff)
        assert "중지" in report.text
        sent_at_stop = sum(len(copies(u)) for u in subs)
        await asyncio.sleep(1.0)
        assert sum(len(copies(u)) for u in subs) == sent_at_stop  # nothing more after the stop
        assert sent_at_stop < 40
        job = app.bot_data["rt"].store.recent_jobs("broadcast", 1)[0]
        counts = app.bot_data["rt"].store.job_counts(job["id"])
        assert job["status"] == "stopped" and counts["cancelled"] == 40 - counts["sent"]


async def test_progress_message_is_edited_with_counts(emu, app_with, settings):
    staff = emu.user(ADMIN_ID)
    subs = [emu.user(7600 + i) for i in range(60)]
    seed(settings, [u.id for u in subs])
    async with running(app_with(send_rate=12.0)):
        _, audience = await compose(staff, lambda: staff.send("진행률 확인"))
        await staff.press(audience, text="보내기")
        await emu.wait_until(lambda: any("발송 중" in m.text for m in staff.inbox), timeout=10, what="progress")
        progress = next(m for m in staff.inbox if "발송 중" in m.text)
        edited = await staff.wait_edit(progress, timeout=10)
        assert "/ 60" in edited.text and "남은 시간" in edited.text
        await _wait_report(staff, timeout=20)


def recipient_copies(emu):
    return [c for c in emu.calls_to("copyMessage") if str(c.params.get("chat_id")) != str(ADMIN_ID)]


async def test_retry_after_for_one_chat_pauses_only_that_chat(emu, app_with, settings):
    """A 429 for one chat (Telegram's per-chat limit) must not stop the other 29 recipients."""
    staff = emu.user(ADMIN_ID)
    subs = [emu.user(7700 + i) for i in range(30)]
    seed(settings, [u.id for u in subs])
    async with running(app_with(send_rate=20.0)):
        _, audience = await compose(staff, lambda: staff.send("429 테스트"))
        emu.inject("copyMessage", status=429, retry_after=2, chat_id=subs[0].id, times=1)
        await staff.press(audience, text="보내기")
        await emu.wait_until(lambda: all(len(copies(u)) == 1 for u in subs), timeout=15, what="all")
    calls = recipient_copies(emu)
    limited = next(c for c in calls if c.status == 429)
    others = [c.time - limited.time for c in calls if c.status == 200 and c.params["chat_id"] != str(subs[0].id)]
    assert any(0.3 < t < 1.6 for t in others), "the other chats waited for one chat's retry_after"
    (retry,) = [c for c in calls if c.status == 200 and c.params["chat_id"] == str(subs[0].id)]
    assert retry.time - limited.time >= 1.9  # that chat itself waited as asked


async def test_retry_after_from_many_chats_pauses_every_send(emu, app_with, settings):
    """429s from two chats at once mean the global limit: nothing new is sent until retry_after passes.

    Sends already on the wire when the 429s arrive may still land a few milliseconds later; no send may
    *start* during the pause, so none arrives between 0.5 s and 1.8 s after the second 429."""
    staff = emu.user(ADMIN_ID)
    subs = [emu.user(7740 + i) for i in range(30)]
    seed(settings, [u.id for u in subs])
    async with running(app_with(send_rate=20.0)):
        _, audience = await compose(staff, lambda: staff.send("429 테스트"))
        emu.inject("copyMessage", status=429, retry_after=2, times=2)
        await staff.press(audience, text="보내기")
        await emu.wait_until(lambda: all(len(copies(u)) == 1 for u in subs), timeout=20, what="all")
    calls = recipient_copies(emu)
    limited = [c for c in calls if c.status == 429]
    assert len({c.params["chat_id"] for c in limited}) == 2
    second = max(c.time for c in limited)
    during = [round(c.time - second, 3) for c in calls if c.status == 200 and 0.5 < c.time - second < 1.8]
    assert during == [], f"sends during the global pause: {during}"
    assert sum(1 for c in calls if c.status == 200 and c.time > second + 1.8) >= 2  # it went on afterwards


async def test_blocked_recipient_marked_inactive_and_5xx_retried(emu, app_with, settings):
    staff = emu.user(ADMIN_ID)
    fine, blocked, flaky = emu.user(7800), emu.user(7801), emu.user(7802)
    seed(settings, [fine.id, blocked.id, flaky.id])
    blocked.block(notify=False)
    emu.inject("copyMessage", status=502, chat_id=flaky.id, times=2)
    async with running(app_with()) as app:
        _, audience = await compose(staff, lambda: staff.send("재시도 테스트"))
        await staff.press(audience, text="보내기")
        await emu.wait_until(lambda: len(copies(flaky)) == 1 and len(copies(fine)) == 1, timeout=20,
                             what="the flaky chat after retries")
        report = await _wait_report(staff)
        store = app.bot_data["rt"].store
        assert store.get_subscriber(blocked.id)["status"] == "inactive"
        assert "비활성 처리: 1명" in report.text and "봇 차단" in report.text
        (row,) = [d for d in store.deliveries_for_chat(flaky.id)]
        assert row["state"] == "sent" and row["attempts"] == 3
    flaky_calls = [c for c in emu.calls_to("copyMessage") if str(c.params.get("chat_id")) == str(flaky.id)]
    assert [c.status for c in flaky_calls] == [502, 502, 200]


async def test_scheduled_broadcast_survives_a_restart(emu, app_with, settings):
    staff = emu.user(ADMIN_ID)
    sub = emu.user(7900)
    seed(settings, [sub.id])
    with time_machine.travel(datetime(2026, 12, 10, 9, 0, tzinfo=TZ), tick=False) as clock:
        async with running(app_with()):
            _, audience = await compose(staff, lambda: staff.send("예약 공지"))
            await staff.press(audience, text="예약 발송")
            await staff.wait_edit(audience)
            await staff.send("12/10 15:00")
            ask = await staff.wait_reply()
            await staff.press(ask, text="예약 확정")
            done = await staff.wait_edit(ask)
            assert "12월 10일(목) 15:00" in done.text
        # restart before the time
        clock.move_to(datetime(2026, 12, 10, 14, 0, tzinfo=TZ))
        async with running(app_with()) as app:
            await staff.send("/broadcasts")
            listing = await staff.wait_reply()
            assert "예약" in listing.text
            await asyncio.sleep(0.3)
            assert copies(sub) == []
            clock.move_to(datetime(2026, 12, 10, 15, 0, 1, tzinfo=TZ))
            app.job_queue.scheduler.wakeup()
            await emu.wait_until(lambda: len(copies(sub)) == 1, timeout=10, what="the scheduled broadcast")


async def test_stats_with_chart(emu, app_with, settings):
    staff = emu.user(ADMIN_ID)
    seed(settings, [8000, 8001, 8002], interest="kt")
    async with running(app_with()) as app:
        app.bot_data["rt"].store.unsubscribe(8002)
        await staff.send("/stats")
        text, chart = await staff.wait_messages(2, timeout=10)
        assert "활성 구독자: 2명" in text.text and "비활성: 1명" in text.text and "KT 2" in text.text
        assert chart.kind == "photo" and chart.file_bytes and chart.file_bytes[:8] == b"\x89PNG\r\n\x1a\n"
    await eventually(lambda: True)
    assert timedelta(0) < timedelta(seconds=1)
