"""Deadline reminders with a controllable clock (time-machine), real SQLite files, the real
scheduler (PTB JobQueue on APScheduler 3) and real HTTP to the emulator."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime, timedelta

import pytest
import time_machine

from bot.app import build_application, running
from bot.config import TZ
from bot.core import Core
from bot.reminders import ReminderService, deadline_key, job_name, plan_reminders
from bot.store import Store
from tests.conftest import ADMIN_ID, eventually

DEADLINE = datetime(2026, 12, 26, 18, 0, tzinfo=TZ)
SLOT_TIMES = {
    "d7": datetime(2026, 12, 19, 9, 0, tzinfo=TZ),
    "d3": datetime(2026, 12, 23, 9, 0, tzinfo=TZ),
    "d1": datetime(2026, 12, 25, 9, 0, tzinfo=TZ),
    "d0": datetime(2026, 12, 26, 9, 0, tzinfo=TZ),
    "last_call": datetime(2026, 12, 26, 15, 0, tzinfo=TZ),
}
EXPECTED_DDAY = {"d7": "D-7", "d3": "D-3", "d1": "D-1", "d0": "D-day", "last_call": "D-day"}


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=TZ), tick=False) as traveller:
        yield traveller


@pytest.fixture
def app_factory(emu, settings):
    def make():
        return build_application(dataclasses.replace(settings, base_url=emu.base_url))

    return make


def seed_subscribers(settings, chat_ids, at=None):
    store = Store(settings.database_path)
    for chat_id in chat_ids:
        store.subscribe(chat_id)
    store.close()


def reminders_received(user):
    return [m for m in user.inbox if "신청 마감 알림" in m.text]


def test_plan_is_in_kst_at_the_configured_slots(data_dir):
    from bot.program import load_files

    program = load_files(data_dir).program
    planned = {p.slot_id: p.fire_at for p in plan_reminders(program)}
    assert planned == SLOT_TIMES
    assert all(t.utcoffset() == timedelta(hours=9) for t in planned.values())
    after = plan_reminders(program, after=datetime(2026, 12, 25, 9, 0, tzinfo=TZ))
    assert [p.slot_id for p in after] == ["d0", "last_call"]


async def test_each_slot_fires_at_the_right_kst_instant(clock, emu, app_factory, settings):
    users = [emu.user(5000 + i) for i in range(3)]
    seed_subscribers(settings, [u.id for u in users])
    app = app_factory()
    async with running(app):
        names = sorted(j.name for j in app.job_queue.jobs() if j.name.startswith("reminder:"))
        assert names == sorted(f"reminder:2026-1:2026-12-26T18:00+09:00:{slot}" for slot in SLOT_TIMES)
        for job in app.job_queue.jobs():
            if job.name.startswith("reminder:"):
                slot = job.name.rsplit(":", 1)[1]
                assert job.next_t == SLOT_TIMES[slot]
        scheduler = app.job_queue.scheduler
        for n, (slot, when) in enumerate(SLOT_TIMES.items(), start=1):
            clock.move_to(when - timedelta(seconds=2))
            scheduler.wakeup()
            await asyncio.sleep(0.3)
            assert all(len(reminders_received(u)) == n - 1 for u in users), f"{slot} fired early"
            clock.move_to(when + timedelta(seconds=1))
            scheduler.wakeup()
            await emu.wait_until(lambda n=n: all(len(reminders_received(u)) == n for u in users),
                                 timeout=10, what=f"reminder {slot}")
            latest = reminders_received(users[0])[-1]
            assert latest.text.startswith("⏰ " + EXPECTED_DDAY[slot]), latest.text
            assert "12월 26일(토) 18:00" in latest.text and "종합관리시스템" in latest.text
            assert "연구개발계획서" in latest.text
            assert any("알림 끄기" in t for t in latest.button_texts)
        rt = app.bot_data["rt"]
        runs = rt.store.reminder_runs("2026-1", deadline_key(rt.content.program))
        assert {k: v["state"] for k, v in runs.items()} == {slot: "sent" for slot in SLOT_TIMES}
    await asyncio.sleep(0.2)
    assert all(len(reminders_received(u)) == len(SLOT_TIMES) for u in users)


async def test_restart_between_enqueue_and_send_does_not_double_send(clock, emu, app_factory, settings):
    users = [emu.user(5100 + i) for i in range(4)]
    seed_subscribers(settings, [u.id for u in users])
    clock.move_to(SLOT_TIMES["d3"] + timedelta(minutes=1))
    # The slot fires and is enqueued, then the process dies before any send.
    core = Core(settings)
    service = ReminderService(core.store, lambda: core.content)
    service.check_deadline_change()
    first = service.sweep()
    assert first is not None
    assert service.sweep() is None          # the same slot firing twice is a no-op
    assert core.store.job_counts(first)["pending"] == 4
    core.close()
    # A second instance started by mistake sweeps the same slot: still one job.
    other = Core(settings)
    assert ReminderService(other.store, lambda: other.content).sweep() is None
    other.close()
    app = app_factory()
    async with running(app):
        await emu.wait_until(lambda: all(len(reminders_received(u)) == 1 for u in users), timeout=10,
                             what="the pending reminders")
        await asyncio.sleep(0.5)
    app2 = app_factory()
    async with running(app2):  # and one more restart
        await asyncio.sleep(0.5)
    assert [len(reminders_received(u)) for u in users] == [1, 1, 1, 1]


async def test_downtime_across_one_slot_sends_it_once(clock, emu, app_factory, settings):
    user = emu.user(5200)
    seed_subscribers(settings, [user.id])
    clock.move_to(SLOT_TIMES["d7"] + timedelta(seconds=5))
    app = app_factory()
    async with running(app):
        await user.wait_messages(1, timeout=10)
    # down from Dec 19 until Dec 23 10:00, after the D-3 slot
    clock.move_to(SLOT_TIMES["d3"] + timedelta(hours=1))
    app = app_factory()
    async with running(app):
        await emu.wait_until(lambda: len(reminders_received(user)) == 2, timeout=10, what="catch-up")
        await asyncio.sleep(0.3)
    texts = [m.text for m in reminders_received(user)]
    assert len(texts) == 2 and texts[1].startswith("⏰ D-3")


async def test_downtime_across_two_slots_sends_only_the_latest(clock, emu, app_factory, settings):
    user = emu.user(5300)
    seed_subscribers(settings, [user.id])
    clock.move_to(SLOT_TIMES["d7"] + timedelta(seconds=5))
    app = app_factory()
    async with running(app):
        await user.wait_messages(1, timeout=10)
    clock.move_to(SLOT_TIMES["d1"] + timedelta(hours=2))  # D-3 and D-1 both passed while down
    app = app_factory()
    async with running(app):
        await emu.wait_until(lambda: len(reminders_received(user)) == 2, timeout=10, what="catch-up")
        await asyncio.sleep(0.5)
        runs = app.bot_data["rt"].store.reminder_runs("2026-1", "2026-12-26T18:00+09:00")
    texts = [m.text for m in reminders_received(user)]
    assert len(texts) == 2 and texts[1].startswith("⏰ D-1")
    assert runs["d3"]["state"] == "skipped" and runs["d1"]["state"] == "sent"


async def test_after_the_deadline_nothing_is_sent(clock, emu, app_factory, settings):
    user = emu.user(5400)
    seed_subscribers(settings, [user.id])
    clock.move_to(DEADLINE + timedelta(minutes=1))
    app = app_factory()
    async with running(app):
        assert not [j for j in app.job_queue.jobs() if j.name.startswith("reminder:")]
        assert app.bot_data["rt"].reminders.sweep() is None
        await asyncio.sleep(0.5)
    assert reminders_received(user) == []


async def test_subscriber_who_joins_after_a_slot_gets_the_next_one(clock, emu, app_factory, settings):
    early, late = emu.user(5500), emu.user(5501)
    seed_subscribers(settings, [early.id])
    clock.move_to(SLOT_TIMES["d7"] - timedelta(minutes=1))
    app = app_factory()
    async with running(app):
        clock.move_to(SLOT_TIMES["d7"] + timedelta(seconds=1))
        app.job_queue.scheduler.wakeup()
        await early.wait_messages(1, timeout=10)
        clock.move_to(SLOT_TIMES["d7"] + timedelta(hours=1))
        await late.send("/subscribe")
        confirm = await late.wait_reply()
        assert "12월 23일(수) 09:00" in confirm.text  # the next reminder, D-3
        app.bot_data["rt"].reminders.sweep()
        await asyncio.sleep(0.3)
        assert reminders_received(late) == []
        clock.move_to(SLOT_TIMES["d3"] + timedelta(seconds=1))
        app.job_queue.scheduler.wakeup()
        await emu.wait_until(lambda: len(reminders_received(late)) == 1 and len(reminders_received(early)) == 2,
                             timeout=10, what="D-3 for both")


async def _move_deadline(staff, emu, text):
    await staff.send(f"/set_deadline {text}")
    ask = await staff.wait_reply()
    assert "바꿀까요" in ask.text
    await staff.press(ask, text="확인")
    done = await staff.wait_edit(ask)
    return done


async def test_deadline_moved_later_reschedules_and_notifies_once(clock, emu, app_factory, settings):
    staff = emu.user(ADMIN_ID)
    subs = [emu.user(5600 + i) for i in range(3)]
    seed_subscribers(settings, [u.id for u in subs])
    clock.move_to(datetime(2026, 12, 20, 12, 0, tzinfo=TZ))  # after D-7
    app = app_factory()
    async with running(app):
        await asyncio.sleep(0.3)
        for u in subs:
            u.mark_read()
        done = await _move_deadline(staff, emu, "2026-12-28 18:00")
        assert "12월 28일(월) 18:00" in done.text
        for u in subs:
            (notice,) = await u.wait_messages(1, timeout=10)
            assert "바뀌었어요" in notice.text and "12월 26일(토)" in notice.text and "12월 28일(월) 18:00" in notice.text
        names = sorted(j.name for j in app.job_queue.jobs() if j.name.startswith("reminder:"))
        assert names and all(n.startswith("reminder:2026-1:2026-12-28T18:00+09:00:") for n in names)
        assert "reminder:2026-1:2026-12-28T18:00+09:00:d7" in names  # Dec 21 09:00 is still ahead
        # a restart does not repeat the notice
    app = app_factory()
    async with running(app):
        await asyncio.sleep(0.5)
    for u in subs:
        assert len([m for m in u.inbox if "바뀌었어요" in m.text]) == 1
    program = Core(settings).content.program
    assert program.deadline == datetime(2026, 12, 28, 18, 0, tzinfo=TZ)


async def test_deadline_moved_earlier_skips_passed_slots(clock, emu, app_factory, settings):
    staff = emu.user(ADMIN_ID)
    sub = emu.user(5700)
    seed_subscribers(settings, [sub.id])
    clock.move_to(datetime(2026, 12, 18, 12, 0, tzinfo=TZ))  # before D-7 of the 26th
    app = app_factory()
    async with running(app):
        await _move_deadline(staff, emu, "2026-12-22 18:00")
        notice = (await sub.wait_messages(1, timeout=10))[0]
        assert "12월 22일(화) 18:00" in notice.text
        await asyncio.sleep(0.5)
        # D-7 (Dec 15) and D-3 (Dec 19 is ahead!) of the new deadline: only passed ones are skipped
        store = app.bot_data["rt"].store
        runs = store.reminder_runs("2026-1", "2026-12-22T18:00+09:00")
        assert runs["d7"]["state"] == "skipped"
        assert "d3" not in runs
        names = {j.name for j in app.job_queue.jobs() if j.name.startswith("reminder:")}
        assert job_name(app.bot_data["rt"].content.program, "d3") in names
    assert len(reminders_received(sub)) == 0


async def test_non_staff_cannot_move_the_deadline(clock, emu, app_factory, settings):
    user = emu.user(5800)
    app = app_factory()
    async with running(app):
        await user.send("/set_deadline 2026-12-30 18:00")
        reply = await user.wait_reply()
        assert "알 수 없는 명령어" in reply.text
        assert app.bot_data["rt"].content.program.deadline == DEADLINE


async def test_blocked_subscriber_is_marked_inactive_and_kept(clock, emu, app_factory, settings):
    ok, blocked = emu.user(5900), emu.user(5901)
    seed_subscribers(settings, [ok.id, blocked.id])
    blocked.block(notify=False)  # Telegram answers 403 to every send
    clock.move_to(SLOT_TIMES["d3"] + timedelta(seconds=5))
    app = app_factory()
    async with running(app):
        await ok.wait_messages(1, timeout=10)
        store = app.bot_data["rt"].store
        await eventually(lambda: store.get_subscriber(blocked.id)["status"] == "inactive", what="inactive")
        sub = store.get_subscriber(blocked.id)
        assert sub["inactive_reason"] == "blocked"
        assert store.subscriber_stats()["inactive"] == 1


async def test_delete_me_leaves_nothing_behind(clock, emu, app_factory, settings):
    user = emu.user(6000)
    app = app_factory()
    async with running(app):
        await user.send("/subscribe")
        await user.wait_reply()
        await user.send("/company 테스트전자")
        await user.wait_reply()
        await user.send("/settings")
        panel = await user.wait_reply()
        await user.press(panel, text="LG전자")
        await user.wait_edit(panel)
        clock.move_to(SLOT_TIMES["d7"] + timedelta(seconds=1))
        app.job_queue.scheduler.wakeup()
        await emu.wait_until(lambda: len(reminders_received(user)) == 1, timeout=10, what="reminder")
        store = app.bot_data["rt"].store
        assert store.rows_about_chat(user.id)["deliveries"] == 1
        assert store.get_subscriber(user.id)["interests"] == ["lg"]
        user.mark_read()
        await user.send("/delete_me")
        ask = await user.wait_reply()
        await user.press(ask, text="삭제")
        await user.wait_edit(ask)
        assert store.rows_about_chat(user.id) == {"subscribers": 0, "subscriber_interests": 0, "deliveries": 0}
        assert store.get_subscriber(user.id) is None
        row = store.conn.execute("SELECT COUNT(*) FROM subscribers WHERE company = '테스트전자'").fetchone()[0]
        assert row == 0


async def test_deep_link_subscribe_reminder_then_unsubscribe_by_text(clock, emu, app_factory, settings):
    user = emu.user(6100)
    clock.move_to(SLOT_TIMES["d3"] - timedelta(hours=5))
    app = app_factory()
    async with running(app):
        await user.send("/start subscribe")  # t.me/<bot>?start=subscribe
        confirm = await user.wait_reply()
        assert "알림을 신청했어요" in confirm.text and "12월 23일(수) 09:00" in confirm.text
        clock.move_to(SLOT_TIMES["d3"] + timedelta(seconds=1))
        app.job_queue.scheduler.wakeup()
        reminder = (await user.wait_messages(1, timeout=10))[0]
        assert reminder.text.startswith("⏰ D-3")
        await user.send("구독 취소해줘")
        bye = await user.wait_reply()
        assert "해지했어요" in bye.text
        for slot in ("d1", "d0", "last_call"):
            clock.move_to(SLOT_TIMES[slot] + timedelta(seconds=1))
            app.job_queue.scheduler.wakeup()
            await asyncio.sleep(0.3)
    assert len(reminders_received(user)) == 1


async def test_settings_opt_out_of_a_slot(clock, emu, app_factory, settings):
    user = emu.user(6200)
    app = app_factory()
    async with running(app):
        await user.send("알림 신청")
        await user.wait_reply()
        await user.send("/settings")
        panel = await user.wait_reply()
        await user.press(panel, text="마감 7일 전")
        panel = await user.wait_edit(panel)
        assert any(t.startswith("⬜") and "7일 전" in t for t in panel.button_texts)
        clock.move_to(SLOT_TIMES["d7"] + timedelta(seconds=1))
        app.job_queue.scheduler.wakeup()
        await asyncio.sleep(0.5)
        assert reminders_received(user) == []
        clock.move_to(SLOT_TIMES["d3"] + timedelta(seconds=1))
        app.job_queue.scheduler.wakeup()
        await emu.wait_until(lambda: len(reminders_received(user)) == 1, timeout=10, what="D-3")
