"""Facts the bot can stand behind, for the round it is in: the provisional deadline and its
confirmation, a source for every fact, the round's lifecycle (closed at its deadline, the next round
opened by staff) and the command line at any instant.

End to end: real SQLite files, the real scheduler with a controllable clock (time-machine) and real
HTTP through the emulator, as in test_reminders.py.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
import yaml

from bot.answer import dday_text, plain_text
from bot.app import running
from bot.config import PROJECT_ROOT, TZ
from bot.config import Settings
from bot.content import ContentManager
from bot.core import Core
from bot.program import (
    PHASE_CLOSED,
    PHASE_OPEN,
    DataError,
    deadline_label,
    deadline_status,
    load_files,
    round_phase,
)
from bot.rounds import RoundService
from bot.store import MIGRATIONS, Store
from tests.answering import NOW
from tests.conftest import ADMIN_ID

ROOT = Path(__file__).resolve().parent.parent
DEADLINE = datetime(2026, 12, 26, 18, 0, tzinfo=TZ)
DATE = "12월 26일(토)"
MARKERS = ("잠정", "확정 전")
D7, D3, D1 = (datetime(2026, 12, day, 9, 0, tzinfo=TZ) for day in (19, 23, 25))
LAST_CALL = datetime(2026, 12, 26, 15, 0, tzinfo=TZ)


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=TZ), tick=False) as traveller:
        yield traveller


def seed(settings, chat_ids, next_round=()):
    store = Store(settings.database_path)
    for chat_id in chat_ids:
        store.subscribe(chat_id)
    for chat_id in next_round:
        store.set_next_round(chat_id, True)
    store.close()


def edit_yaml(path: Path, mutate) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


async def fire(app, clock, when):
    clock.move_to(when)
    app.job_queue.scheduler.wakeup()
    await asyncio.sleep(0.2)


def reminders(user):
    return [m for m in user.inbox if "신청 마감 알림" in m.text]


# -- the deadline, provisional until staff confirm it ----------------------------------------------
async def deadline_everywhere(user, staff=None):
    """Every reply, card, inline result and button a user (and staff) can see the deadline in."""
    shown: list[tuple[str, str]] = []

    async def reply_to(text):
        user.mark_read()
        await user.send(text)
        reply = await user.wait_reply()
        shown.append((text, reply.text))
        shown.extend((f"{text} [button]", label) for label in reply.button_texts)
        return reply

    await reply_to("/start")
    await reply_to("/deadline")
    listing = await reply_to("/challenges")
    await user.press(listing, text="교보생명")
    card = await user.wait_edit(listing)
    shown.append(("challenge card", card.text))
    for question in ("마감 언제예요", "27일에 내도 돼요?", "어디서 신청해요", "지원 내용 정리해줘",
                     "12월 20일 기준 마감까지 며칠 남았어?", "교보생명 과제 뭐예요"):
        await reply_to(question)
    for query in ("", "마감 언제예요"):
        for result in await user.inline(query):
            shown.append((f"inline {query!r} title", result["title"]))
            shown.append((f"inline {query!r}", result["input_message_content"]["message_text"]))
    await reply_to("/subscribe")
    if staff is not None:
        for command in ("/start", "/stats"):
            staff.mark_read()
            await staff.send(command)
            shown.append((f"staff {command}", (await staff.wait_reply()).text))
        await asyncio.sleep(0.3)  # the /stats chart
        staff.mark_read()
    return shown


def assert_marked(shown, provisional: bool) -> None:
    with_date = [(where, text) for where, text in shown if DATE in text or "12월 26일" in text]
    assert len(with_date) >= 12, with_date  # the walk really met the deadline that often
    for where, text in with_date:
        marked = any(m in text for m in MARKERS)
        assert marked == provisional, (where, text)


async def test_deadline_is_marked_provisional_everywhere_until_staff_confirm_it(
        clock, emu, make_app, settings):
    user, staff, sub = emu.user(7001), emu.user(ADMIN_ID), emu.user(7002)
    seed(settings, [sub.id])
    app = make_app()
    async with running(app):
        shown = await deadline_everywhere(user, staff)
        assert_marked(shown, provisional=True)
        staff_start = next(text for where, text in shown if where == "staff /start")
        assert "확정 전" in staff_start and "/set_deadline 2026-12-26 18:00" in staff_start
        await fire(app, clock, D7 + timedelta(seconds=1))
        (reminder,) = await sub.wait_messages(1, timeout=10)
        assert reminder.text.startswith("⏰ D-7") and "(잠정, 센터 확정 전)" in reminder.text
        assert "오는 26일까지" in reminder.text  # the source's own words

        # Staff confirm the provisional deadline as it is (date and time both).
        await staff.send("/set_deadline 2026-12-26")
        assert "날짜와 시각 모두" in (await staff.wait_reply()).text
        await staff.send("/set_deadline 2026-12-26 18:00")
        ask = await staff.wait_reply()
        assert "확정할까요" in ask.text
        await staff.press(ask, text="확인")
        done = await staff.wait_edit(ask)
        assert "확정했어요" in done.text
        for who in (sub, user):  # both subscribed: each is told once
            await emu.wait_until(lambda who=who: confirmations(who), timeout=10, what="confirmation notice")
            (notice,) = confirmations(who)
            assert f"{DATE} 18:00" in notice.text and not any(m in notice.text for m in MARKERS[1:])
        await staff.send("/reload")  # a reload keeps the staff confirmation
        assert "다시 읽었어요" in (await staff.wait_reply()).text

        shown = await deadline_everywhere(user, staff)
        assert_marked(shown, provisional=False)
        staff_start = next(text for where, text in shown if where == "staff /start")
        assert f"확정됨 ({staff.first_name}" in staff_start
        sub.mark_read()
        await fire(app, clock, D3 + timedelta(seconds=1))
        (reminder,) = await sub.wait_messages(1, timeout=10)
        assert reminder.text.startswith("⏰ D-3") and f"{DATE} 18:00" in reminder.text
        assert not any(m in reminder.text for m in MARKERS)
    async with running(make_app()):  # a restart tells nobody again
        await asyncio.sleep(0.3)
    assert len(confirmations(sub)) == len(confirmations(user)) == 1


def confirmations(user):
    return [m for m in user.inbox if "마감 일시가 확정되었어요" in m.text]


@pytest.mark.parametrize(
    ("confirmed", "now", "expected", "absent"),
    [
        (False, datetime(2026, 12, 1, 10, tzinfo=TZ), "D-25, 잠정 마감일까지", "마감되었습니다"),
        (False, datetime(2026, 12, 26, 10, tzinfo=TZ), "잠정 마감일(D-day)", "마감되었습니다"),
        (True, datetime(2026, 12, 1, 10, tzinfo=TZ), "D-25, 마감까지", "잠정"),
        (False, datetime(2026, 12, 26, 18, 0, tzinfo=TZ), "(잠정, 센터 확정 전)에 마감되었습니다", "D-"),
        (True, datetime(2026, 12, 27, 10, tzinfo=TZ), "18:00에 마감되었습니다", "잠정"),
    ],
)
def test_deadline_status_by_phase_and_confirmation(data_dir, confirmed, now, expected, absent):
    program = load_files(data_dir).program
    if confirmed:
        program = program.with_deadline(DEADLINE, confirmed_by="담당자 (9001)",
                                        confirmed_at="2026-12-01T10:00")
    text = deadline_status(program, now)
    assert expected in text and absent not in text
    assert round_phase(program, now) == (PHASE_CLOSED if now >= DEADLINE else PHASE_OPEN)
    assert deadline_label(program).startswith(f"{DATE} 18:00")


def test_dday_counts_to_a_provisional_date_and_not_after_closing(data_dir):
    program = load_files(data_dir).program
    ref = datetime(2026, 12, 20, tzinfo=TZ).date()
    before = plain_text(dday_text(program, ref, datetime(2026, 12, 1, tzinfo=TZ)))
    assert "6일" in before and "잠정" in before
    after = plain_text(dday_text(program, ref, datetime(2026, 12, 27, tzinfo=TZ)))
    assert "마감되었습니다" in after and "D-" not in after and "남았" not in after


@pytest.mark.parametrize(
    ("question", "forbidden"),
    [
        ("2026년 마감 맞아요?", ("맞아요", "네,")),
        ("27일에 내도 돼요?", ("기사에 안내된",)),
        ("마감 몇 시예요?", ("마감 날짜(",)),
        ("참여한 대기업은 몇 곳", ("10곳",)),
        ("구매연계형 과제는 어떤 방식인가요?", ("때만",)),
        ("정식 명칭이 뭐예요", ("부르기도",)),
    ],
)
def test_no_reply_claims_more_than_the_source(shipped_core, question, forbidden):
    text = plain_text(shipped_core.answer(question, datetime(2026, 12, 1, tzinfo=TZ)).text)
    for phrase in forbidden:
        assert phrase not in text, (question, phrase, text)
    if "26일" in text:
        assert "잠정" in text, text


# -- every fact has a source; exact titles -------------------------------------------------------------
def test_the_list_answer_has_the_ten_exact_titles(shipped_core):
    text = plain_text(shipped_core.answer("10개 과제 뭐뭐야", datetime(2026, 12, 1, tzinfo=TZ)).text)
    path = PROJECT_ROOT / "data" / "challenges.yaml"
    titles = yaml.safe_load(path.read_text(encoding="utf-8"))["challenges"]
    assert len(titles) == 10
    lines = [line for line in text.splitlines() if line.startswith("• ")]
    assert lines == [f"• {c['company']}: {c['title']}" for c in titles]


@pytest.mark.parametrize(
    ("file", "mutate", "expected"),
    [
        ("faq.yaml", lambda d: d["entries"][4].pop("source"), "missing source"),
        ("faq.yaml", lambda d: d["entries"][4].update(source="인터넷 검색"), "source must start with"),
        ("faq.yaml", lambda d: d["entries"][4].update(source="staff: 김담당"), "staff source must be"),
        ("faq.yaml", lambda d: d["entries"][4].update(source="staff: 김담당, 2026-13-01"), "no valid date"),
        ("challenges.yaml", lambda d: d["challenges"][2].pop("source"), "missing source"),
        ("program.yaml", lambda d: d["sources"].pop("funding"), "sources.funding"),
        ("program.yaml", lambda d: d.pop("sources"), "every fact needs a source"),
        ("program.yaml", lambda d: d["sources"].update(fee="기사"), "not a programme fact"),
        ("faq.yaml", lambda d: d["entries"][0].pop("answer_closed"), "add answer_closed"),
        ("faq.yaml", lambda d: d["entries"][4].update(answer=d["entries"][4]["answer"] + "\n• GS리테일: 무인매장 플랫폼"),
         "exactly"),
        ("program.yaml", lambda d: d["application"].update(deadline_confirmed_by="김담당"), "go together"),
        ("program.yaml", lambda d: d["application"].update(deadline_time_confirmed=True), "is replaced by"),
    ],
)
def test_data_check_rejects_a_fact_without_a_source(data_dir, file, mutate, expected):
    edit_yaml(data_dir / file, mutate)
    with pytest.raises(DataError) as info:
        load_files(data_dir)
    assert expected in str(info.value)


def run_cli(args, tmp_path, data_dir=None, stdin=None):
    env = {"PATH": "/usr/bin:/bin", "BOT_ENV_FILE": "/nonexistent", "DATABASE_PATH": str(tmp_path / "cli.db")}
    if data_dir is not None:
        env["DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_cli_data_check_names_the_entry_without_a_source(tmp_path, data_dir):
    edit_yaml(data_dir / "faq.yaml", lambda d: d["entries"][4].pop("source"))
    result = run_cli(["data", "check"], tmp_path, data_dir)
    assert result.returncode == 1
    assert "faq.yaml [how_apply]" in result.stderr and "missing source" in result.stderr


def test_faq_export_includes_sources(tmp_path, data_dir):
    manager = ContentManager(Store(tmp_path / "bot.db"), data_dir)
    manager._import_files()  # what `faq export` reads, without building the search index
    exported = manager.export_faq()
    assert exported and all(e["source"].startswith(("기사", "staff:")) for e in exported)
    assert {"source", "answer_closed", "answers_claims"} <= set(exported[0])
    assert next(e for e in exported if e["id"] == "apply_online")["answers_claims"] is True  # kept by the store
    manager.store.close()


def test_answers_claims_must_be_true_or_false(tmp_path, data_dir):
    edit_yaml(data_dir / "faq.yaml", lambda d: d["entries"][4].__setitem__("answers_claims", "yes"))
    result = run_cli(["data", "check"], tmp_path, data_dir)
    assert result.returncode == 1 and "answers_claims must be true or false" in result.stderr


def test_abstain_is_true_false_or_until_the_deadline_is_confirmed(tmp_path, data_dir):
    edit_yaml(data_dir / "faq.yaml", lambda d: d["entries"][4].__setitem__("abstain", "sometimes"))
    result = run_cli(["data", "check"], tmp_path, data_dir)
    assert result.returncode == 1
    assert "abstain must be true, false or until_deadline_confirmed" in result.stderr


def test_the_deadlines_month_is_open_until_staff_confirm_it(tmp_path, data_dir):
    """The source says only '오는 26일': asked which month, the bot says so (not in the source) while the date
    is provisional; once staff confirm it, their date answers. A day confirmed ('26일 마감 맞죠?') is answered
    either way. The staff export keeps the entry's setting."""
    core = Core(Settings(database_path=tmp_path / "bot.db", data_dir=data_dir))
    month = "26일이 몇 월 26일이에요? 이번 달이에요?"
    asked = core.answer(month, NOW)
    assert (asked.kind, asked.abstained, asked.entry_id) == ("not_in_source", True, "faq:deadline_month_asked")
    text = plain_text(asked.text)
    assert "오는 26일" in text and "잠정" in text
    day = core.answer("26일 마감 맞죠?", NOW)
    assert (day.kind, day.abstained) == ("answer", False) and DATE in plain_text(day.text)
    exported = {e["id"]: e for e in core.content_manager.export_faq()}
    assert exported["deadline_month_asked"]["abstain"] == "until_deadline_confirmed"
    assert exported["deadline_month"]["abstain"] is False
    core.content_manager.set_deadline(DEADLINE, "담당자 (9001)", datetime(2026, 12, 1, 10, tzinfo=TZ))
    confirmed = core.answer(month, NOW)
    assert (confirmed.kind, confirmed.abstained) == ("answer", False)
    text = plain_text(confirmed.text)
    assert "확정한 일정" in text and DATE in text and "잠정" not in text
    core.close()


# -- the round's lifecycle -------------------------------------------------------------------------------
async def test_deadline_crossing_stops_reminders_and_switches_replies(clock, emu, make_app, settings):
    sub, user = emu.user(7101), emu.user(7102)
    seed(settings, [sub.id])
    clock.move_to(LAST_CALL - timedelta(minutes=5))
    app = make_app()
    async with running(app):
        rt = app.bot_data["rt"]
        await emu.wait_until(lambda: len(reminders(sub)) == 1, timeout=10, what="the morning's reminder")
        await user.send("마감 언제예요")
        before = await user.wait_reply()
        assert "잠정 마감일(D-day)" in before.text and "접수하시면" in before.text
        await fire(app, clock, LAST_CALL + timedelta(seconds=1))
        await emu.wait_until(lambda: len(reminders(sub)) == 2, timeout=10, what="last call")
        await fire(app, clock, DEADLINE + timedelta(seconds=1))
        closing = (await sub.wait_messages(3, timeout=10))[-1]
        assert "마감 알림을 마칩니다" in closing.text and closing.button_texts == ["🔔 다음 공고 알림 받기"]
        for _ in range(2):  # later sweeps (the periodic one, a restart) send nothing more
            assert rt.reminders.sweep() is None
        await fire(app, clock, DEADLINE + timedelta(hours=20))

        user.mark_read()
        for question, expected in (("마감 언제예요", "마감되었습니다"), ("어디서 신청해요", "접수처는"),
                                   ("서류 뭐 필요해요", "안내된 서류는"),
                                   ("12월 20일 기준 며칠 남았어?", "마감되었습니다")):
            await user.send(question)
            reply = await user.wait_reply()
            assert expected in reply.text, (question, reply.text)
            assert "D-" not in reply.text and "남았습니다" not in reply.text, reply.text
            assert "접수하시면" not in reply.text and "접수해 주세요" not in reply.text, reply.text
            assert "다음 공고 알림 받기" in reply.text or "다음 공고" in " ".join(reply.button_texts)
        await user.send("/start")
        start = await user.wait_reply()
        assert "마감되었어요" in start.text and "🔔 다음 공고 알림 받기" in start.button_texts
        await user.send("/deadline")
        card = await user.wait_reply()
        assert "이번 공고 접수 마감" in card.text and "준비 서류" not in card.text
        await user.send("알림 신청")
        assert "다음 공고 알림을 신청했어요" in (await user.wait_reply()).text
        await sub.press(closing, text="다음 공고 알림 받기")
        assert "다음 공고 알림을 신청했어요" in (await sub.wait_reply()).text
        assert rt.store.active_chat_ids(next_round=True) == [sub.id, user.id]
    await asyncio.sleep(0.2)
    assert len(reminders(sub)) == 2
    assert len([m for m in sub.inbox if "마감 알림을 마칩니다" in m.text]) == 1


def test_closing_cancels_reminders_not_yet_delivered(tmp_path, data_dir):
    store, content = Store(tmp_path / "bot.db"), load_files(data_dir)
    for chat_id in (1, 2, 3):
        store.subscribe(chat_id)
    rounds = RoundService(store, lambda: content)
    rounds.check(LAST_CALL)
    job = store.create_job("reminder:x", "reminder", {"type": "text", "text": "x"}, [1, 2, 3])
    assert rounds.close_if_due(DEADLINE - timedelta(seconds=1)) is None
    closed = rounds.close_if_due(DEADLINE)
    assert store.job_counts(job)["cancelled"] == 3 and store.job_status(job) == "done"
    assert store.job_counts(closed)["pending"] == 3
    assert rounds.close_if_due(DEADLINE + timedelta(hours=1)) is None  # once
    store.close()


def open_next_round(data_dir: Path) -> None:
    """What staff do for the next round: a new round id, deadline and challenges in data/."""
    def program(d):
        d["round"] = "2027-1"
        d["application"].update(deadline="2027-06-30T18:00:00+09:00", deadline_confirmed_by="김담당",
                                deadline_confirmed_at="2027-05-01", deadline_as_written="6월 30일 18시까지")
        d["sources"].update(deadline="공고문 2027-1 접수 기간", deadline_as_written="공고문 2027-1 접수 기간")

    def challenges(d):
        d["challenges"][-1] = {"id": "newco", "company": "새회사", "title": "새 과제 제목 원문",
                               "summary": "새 과제예요.",
                               "source": "staff: 김담당, 2027-05-01, 2027-1 공고문"}

    edit_yaml(data_dir / "program.yaml", program)
    edit_yaml(data_dir / "challenges.yaml", challenges)


async def test_next_round_published_with_reload_notifies_opted_in_subscribers_once(
        clock, emu, make_app, settings, data_dir):
    staff, keen, done = emu.user(ADMIN_ID), emu.user(7201), emu.user(7202)
    seed(settings, [keen.id, done.id])
    clock.move_to(D1 + timedelta(seconds=1))
    app = make_app()
    async with running(app):
        await emu.wait_until(lambda: len(reminders(keen)) == len(reminders(done)) == 1, timeout=10,
                             what="D-1")
        await fire(app, clock, DEADLINE + timedelta(hours=1))
        closing = (await keen.wait_messages(2, timeout=10))[-1]
        await keen.press(closing, text="다음 공고 알림 받기")
        await keen.wait_reply()
        keen.mark_read()
        done.mark_read()

        open_next_round(data_dir)
        await staff.send("/reload")
        reply = await staff.wait_reply()
        assert "새 회차 2027-1" in reply.text
        assert "1명" in reply.text and "확정됨" in reply.text
        (news,) = await keen.wait_messages(1, timeout=10)
        assert "새 공고가 나왔어요" in news.text and "6월 30일(수) 18:00" in news.text
        assert not any(m in news.text for m in MARKERS)
        names = {j.name for j in app.job_queue.jobs() if j.name.startswith("reminder:")}
        assert "reminder:2027-1:2027-06-30T18:00+09:00:d7" in names and len(names) == 5
        await staff.send("/reload")  # again: nobody is told twice
        await staff.wait_reply()
        await keen.send("마감 언제예요")
        answer = await keen.wait_reply()
        assert "6월 30일(수) 18:00" in answer.text and "접수하시면" in answer.text
    async with running(make_app()) as again:  # and across a restart
        await asyncio.sleep(0.5)
        store = again.bot_data["rt"].store
        old = store.reminder_runs("2026-1", "2026-12-26T18:00+09:00")  # the last round's ledger stays
        assert old["d1"]["state"] == "sent" and old["d3"]["state"] == "skipped"
        rounds = {(j["kind"], j["round"]) for j in map(store.get_job, range(1, 10)) if j}
        assert {("reminder", "2026-1"), ("notice", "2026-1"), ("notice", "2027-1")} <= rounds
        assert store.get_subscriber(done.id)["inactive_reason"] == "round_over"
        assert store.get_subscriber(keen.id)["round"] == "2027-1"
        staff.mark_read()
        await staff.send("/stats")
        stats = await staff.wait_reply()
        assert "2026-1: 마감 알림 1회" in stats.text and "2027-1" in stats.text
    assert [m.text for m in keen.inbox].count(news.text) == 1
    assert not any("새 공고" in m.text for m in done.inbox)


def test_rows_from_before_rounds_are_adopted_into_the_current_round(tmp_path, data_dir):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:4]:
        for statement in migration:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 4")
    conn.execute("INSERT INTO subscribers (chat_id, status, subscribed_at, updated_at) "
                 "VALUES (42, 'active', 'x', 'x')")
    conn.execute("INSERT INTO reminder_runs (deadline, slot, state, fire_at, recorded_at) "
                 "VALUES ('2026-12-26T18:00+09:00', 'd7', 'sent', 'x', 'x')")
    conn.execute("INSERT INTO meta (key, value) VALUES ('announced_deadline', '2026-12-26T18:00+09:00')")
    conn.commit()
    conn.close()
    store, content = Store(path), load_files(data_dir)
    assert RoundService(store, lambda: content).check(datetime(2026, 12, 20, tzinfo=TZ)) is None
    assert store.reminder_runs("2026-1", "2026-12-26T18:00+09:00")["d7"]["state"] == "sent"
    assert store.active_chat_ids(round_id="2026-1") == [42]
    told = {"round": "2026-1", "deadline": "2026-12-26T18:00+09:00", "confirmed": False}
    assert store.round_state() == told
    store.close()


# -- the command line at any instant -----------------------------------------------------------------
def test_cli_ask_answers_as_at_the_given_instant(tmp_path):
    one = run_cli(["ask", "--now", "2026-12-27T10:00:00+09:00", "마감 언제예요"], tmp_path)
    assert one.returncode == 0, one.stderr
    assert "마감되었습니다" in one.stdout and "D-" not in one.stdout.split("[entry=")[0]
    batch = run_cli(["ask", "--now", "2026-12-20T10:00"], tmp_path, stdin="마감 언제예요\n어디서 신청해요\n")
    rows = [json.loads(line) for line in batch.stdout.splitlines()]  # no offset: KST
    assert "D-6" in rows[0]["answer"] and "잠정" in rows[0]["answer"]
    assert "접수하시면" in rows[1]["answer"]
    bad = run_cli(["ask", "--now", "yesterday", "마감"], tmp_path)
    assert bad.returncode == 2 and "not an ISO date-time" in bad.stderr
