"""Reliability end to end (the real Application over HTTP against the emulator): confirming buttons
act once, the stated policy for sends whose outcome is unknown, replies retried on passing errors,
every callback answered, and the small things an attacker tried (huge numbers, odd ids, groups,
edited commands)."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot import staff_texts, texts
from bot.app import running
from bot.delivery import Outbox
from bot.store import Store
from tests.conftest import ADMIN_ID
from tests.test_broadcast import compose, copies, seed

SEND = "v1:bc:send:0"
CONFIRM_SCHEDULE = "v1:bc:conf:0"


def broadcast_jobs(rt) -> list[dict]:
    return rt.store.recent_jobs("broadcast", 100)


async def test_double_taps_make_one_broadcast_whatever_the_timing(emu, make_app, settings):
    staff = emu.user(ADMIN_ID)
    subs = [emu.user(7900 + i) for i in range(3)]
    seed(settings, [u.id for u in subs])
    emu.inject("answerCallbackQuery", delay=0.25, times=None)  # a realistic, slow answerCallbackQuery
    gaps = (0.0, 0.05, 0.1, 0.15)
    drafts = []
    async with running(make_app()) as app:
        rt = app.bot_data["rt"]
        for i, gap in enumerate(gaps):
            sent = {}

            async def send_draft(i=i, sent=sent):
                sent.update(await staff.send(f"중복 탭 시험 {i}"))

            _, confirm = await compose(staff, send_draft)
            drafts.append(sent["message_id"])
            first = await staff.press_data(confirm, SEND)
            if gap:
                await asyncio.sleep(gap)
            second = await staff.press_data(confirm, SEND)
            answers = [await staff.wait_callback_answer(q, timeout=10) for q in (first, second)]
            # the second tap is told, not obeyed
            assert answers[0]["text"] is None and answers[1]["text"], answers
        await emu.wait_until(lambda: all(len(copies(u)) == len(gaps) for u in subs), timeout=15,
                             what="deliveries")

        # 예약 확정 tapped twice: one scheduled job
        _, confirm = await compose(staff, lambda: staff.send("예약 중복 탭"))
        await staff.press(confirm, text="예약 발송")
        await staff.wait_edit(confirm)
        staff.mark_read()
        await staff.send("12/30 10:00")
        ask_confirm = await staff.wait_reply()
        taps = [await staff.press_data(ask_confirm, CONFIRM_SCHEDULE) for _ in range(2)]
        for q in taps:
            await staff.wait_callback_answer(q, timeout=10)
        assert [j["status"] for j in broadcast_jobs(rt)].count("scheduled") == 1

        # the key itself: the same draft, created concurrently from many places, is one job
        same_draft = (rt.broadcasts.create(ADMIN_ID, ADMIN_ID, 99_999, None) for _ in range(5))
        results = await asyncio.gather(*same_draft)
        assert sorted(created for _, created in results) == [False, False, False, False, True]
        assert len({job_id for job_id, _ in results}) == 1
    emu.clear_faults()

    # across a restart: the old 보내기 button and the old draft make nothing new
    async with running(make_app()) as app:
        rt = app.bot_data["rt"]
        before = len(broadcast_jobs(rt))
        q = await staff.press_data(confirm, SEND)
        assert (await staff.wait_callback_answer(q))["text"]
        job_id, created = await rt.broadcasts.create(ADMIN_ID, ADMIN_ID, drafts[0], None)
        assert not created and job_id == broadcast_jobs(rt)[-1]["id"]
        assert len(broadcast_jobs(rt)) == before == len(gaps) + 2
    await asyncio.sleep(0.3)
    assert all(len(copies(u)) == len(gaps) for u in subs)


@pytest.mark.usefixtures("bot_app")
async def test_deadline_change_and_delete_me_confirm_once(emu, rt):
    staff, user = emu.user(ADMIN_ID), emu.user(7950)
    await rt.write(Store.subscribe, user.id)
    await staff.send("/set_deadline 2026-12-28 18:00")
    confirm = await staff.wait_reply()
    taps = [await staff.press(confirm, text="확인") for _ in range(2)]
    answers = [await staff.wait_callback_answer(q) for q in taps]
    assert answers[1]["text"]  # told that it is stale or done
    await emu.wait_until(lambda: any("바뀌었어요" in (m.text or "") for m in user.inbox), timeout=10,
                         what="the deadline notice")
    await asyncio.sleep(0.5)
    assert sum("바뀌었어요" in (m.text or "") for m in user.inbox) == 1
    assert rt.content.program.deadline.day == 28

    user.mark_read()
    await user.send("/delete_me")
    ask = await user.wait_reply()
    yes = ask.button("삭제")["callback_data"]
    taps = [await user.press_data(ask, yes) for _ in range(2)]
    answers = [await user.wait_callback_answer(q) for q in taps]
    assert answers[1]["text"] == texts.ALREADY_DONE
    assert rt.store.get_subscriber(user.id) is None
    await user.send("/subscribe")
    await user.wait_reply()
    q = await user.press_data(ask, yes)  # the old confirmation, tapped again later
    assert (await user.wait_callback_answer(q))["text"] == texts.ALREADY_DONE
    assert rt.store.get_subscriber(user.id)["status"] == "active"  # not deleted a second time


async def test_a_send_whose_outcome_is_unknown_is_sent_again_and_counted(emu, make_app, settings):
    """The README's policy: at-least-once; a duplicate only where an attempt's outcome was unknown."""
    staff = emu.user(ADMIN_ID)
    slow, dropped, failing, fine, asker = (emu.user(7960 + i) for i in range(5))
    seed(settings, [slow.id, dropped.id, failing.id, fine.id])
    async with running(make_app(send_timeout=0.5)) as app:
        rt = app.bot_data["rt"]
        _, confirm = await compose(staff, lambda: staff.send("결과 모름 시험"))
        # delivered after 1 s, but the bot stops waiting after 0.5 s: outcome unknown
        emu.inject("copyMessage", delay=1.0, chat_id=slow.id)
        emu.inject("copyMessage", drop=True, chat_id=dropped.id)      # outcome unknown, not delivered
        emu.inject("copyMessage", status=502, chat_id=failing.id)     # certainly not delivered
        await staff.press(confirm, text="보내기")
        await emu.wait_until(lambda: all(copies(u) for u in (slow, dropped, failing, fine)), timeout=15,
                             what="everyone")
        await emu.wait_until(lambda: len(copies(slow)) == 2, timeout=5, what="the late first copy")
        assert [len(copies(u)) for u in (dropped, failing, fine)] == [1, 1, 1]
        assert rt.outbox.unknown_outcomes == 2
        duplicates = sum(len(copies(u)) - 1 for u in (slow, dropped, failing, fine))
        assert duplicates <= rt.outbox.unknown_outcomes

        # a reply whose first attempt times out (but arrives): retried, and never followed by an error
        emu.inject("sendMessage", delay=1.0, chat_id=asker.id)
        await asker.send("마감 언제예요")
        await emu.wait_until(lambda: len(asker.inbox) >= 2, timeout=10, what="the answer and its late twin")
        await asyncio.sleep(0.5)
        assert all("26일" in m.text and texts.ERROR not in m.text for m in asker.inbox)


@pytest.mark.usefixtures("bot_app")
async def test_replies_are_retried_and_the_error_comes_only_when_retries_are_spent(emu):
    once, dropped, twice, never, tapper = (emu.user(7970 + i) for i in range(5))
    emu.inject("sendMessage", status=502, chat_id=once.id)
    emu.inject("sendMessage", drop=True, chat_id=dropped.id)
    emu.inject("sendMessage", status=503, chat_id=twice.id, times=2)
    emu.inject("sendMessage", status=502, chat_id=never.id, times=3)
    for user in (once, dropped, twice, never):
        await user.send("마감 언제예요")
    for user in (once, dropped, twice):
        reply = await user.wait_reply(timeout=10)
        assert "26일" in reply.text
    error = await never.wait_reply(timeout=10)
    assert error.text == texts.ERROR
    await asyncio.sleep(0.5)
    assert [len(u.inbox) for u in (once, dropped, twice, never)] == [1, 1, 1, 1]  # never both, never twice

    await tapper.send("/start")
    menu = await tapper.wait_reply()
    emu.inject("answerCallbackQuery", status=502)
    q = await tapper.press(menu, text="지원 내용")
    await tapper.wait_callback_answer(q, timeout=10)


@pytest.mark.usefixtures("bot_app")
async def test_odd_inputs_get_a_clear_answer(emu):
    user, staff = emu.user(7980), emu.user(ADMIN_ID)
    huge = "9" * 400 + "억"
    await user.send(huge)
    assert (await user.wait_reply()).text != texts.ERROR
    await user.send("/calc " + "9" * 400)
    assert "금액을 이해하지 못했어요" in (await user.wait_reply()).text
    results = await user.inline(huge)
    assert results  # answered
    q = await user.press_inline("v1:sub")  # a button on an inline message (the bot sends none): forged
    assert "사용할 수 없어요" in (await user.wait_callback_answer(q))["text"]

    for args in ("99999999999999999999999 deadline", "² deadline", "#-1 deadline"):
        await staff.send(f"/attach {args}")
        assert (await staff.wait_reply()).text.startswith("사용법"), args
    await staff.send("/set_deadline 9999-12-31 18:00")
    assert "5년 이내" in (await staff.wait_reply()).text

    # a message edited into /broadcast starts nothing
    original = await staff.send("안녕하세요")
    await staff.wait_reply()
    await staff.edit(original, "/broadcast")
    await user.send("마감 언제예요")  # a later update, so the edit has surely been handled
    await user.wait_reply()
    await asyncio.sleep(0.3)
    assert staff.unread == []


@pytest.mark.usefixtures("bot_app")
async def test_in_groups_only_admins_change_the_subscription_and_staff_tools_stay_private(emu, rt):
    admin, member = emu.user(7990), emu.user(7991)
    group = emu.group(-100777, "담당자방", admins=[admin.id, ADMIN_ID], members=[member.id])
    for command in ("/subscribe", "/company 우리회사", "/delete_me", "/unsubscribe"):
        await group.send(member, command)
        assert (await group.wait_reply()).text == texts.GROUP_ADMIN_ONLY, command
    assert rt.store.get_subscriber(group.id) is None
    await group.send(admin, "/subscribe")
    assert "신청했어요" in (await group.wait_reply()).text
    assert rt.store.get_subscriber(group.id)["status"] == "active"
    settings_button = group.last
    q = await group.press(member, settings_button, text="알림 설정")
    await emu.wait_until(lambda: emu._cqs[q]["answer"] is not None, what="an answer")
    await group.send(member, "/unsubscribe")
    await group.wait_reply()
    assert rt.store.get_subscriber(group.id)["status"] == "active"  # a member cannot switch it off

    await group.send(emu.user(ADMIN_ID), "/stats")
    reply = await group.wait_reply()
    assert reply.text == staff_texts.STAFF_PRIVATE_ONLY
    await asyncio.sleep(0.3)
    assert not any("활성 구독자" in (m.text or "") or m.kind == "photo" for m in group.inbox)


async def test_a_lost_cancellation_does_not_hang_the_stop():
    # asyncio.wait_for (before Python 3.12) can lose a cancellation that lands as its wait completes; the
    # send loop is then cancelled again, within the grace, instead of the stop waiting for it forever.
    outbox = Outbox.__new__(Outbox)
    outbox._stopping, outbox._in_flight, outbox.stop_grace = False, set(), 5.0
    lost = []

    async def send_loop():
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                if not lost:
                    lost.append(True)  # the first cancellation is lost
                    continue
                raise

    outbox._task = asyncio.create_task(send_loop())
    await asyncio.sleep(0)
    started = time.monotonic()
    await asyncio.wait_for(outbox.stop(), timeout=10)
    assert lost and time.monotonic() - started < 2.0 and outbox._task is None
