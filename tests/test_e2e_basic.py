"""End to end: the real Application over HTTP against the emulator, one test per user flow."""

from __future__ import annotations

import asyncio

import pytest

from bot.callbacks import decode
from bot.config import PROJECT_ROOT
from tests.conftest import ADMIN_ID

pytestmark = pytest.mark.usefixtures("bot_app")


async def test_start_shows_greeting_and_main_menu(emu):
    user = emu.user(1001, first_name="김철수")
    await user.send("/start")
    reply = await user.wait_reply()
    assert "김철수님" in reply.text
    assert "상생협력기반 혁신형도전과제" in reply.text
    assert "3억 5천만 원" in reply.text and "14개월" in reply.text
    assert any("과제" in t for t in reply.button_texts)
    assert any("알림" in t for t in reply.button_texts)
    for row in reply.buttons:
        for button in row:
            assert decode(button["callback_data"]) is not None


async def test_command_menu_registered_in_korean(emu):
    await emu.wait_until(lambda: "default" in emu.commands, what="setMyCommands")
    commands = {c["command"]: c["description"] for c in emu.commands["default"]}
    assert {"start", "challenges", "funding", "deadline", "subscribe", "help"} <= set(commands)
    assert "broadcast" not in commands  # staff commands are not in everyone's menu
    assert all(any("가" <= ch <= "힣" for ch in d) for d in commands.values())


async def test_challenges_card_and_back(emu):
    user = emu.user(1002)
    await user.send("/challenges")
    listing = await user.wait_reply()
    assert len([t for t in listing.button_texts if "처음" not in t]) == 10
    await user.press(listing, text="LG전자")
    card = await user.wait_edit(listing)
    assert "LG전자" in card.text and "수전용 유량 센싱 및 발전 시스템 개발" in card.text
    assert "과제명" in card.text
    await user.press(card, text="뒤로")
    back = await user.wait_edit(card)
    assert "과제 10개" in back.text


async def test_funding_card(emu):
    user = emu.user(1003)
    await user.send("/funding")
    reply = await user.wait_reply()
    for fact in ("14개월", "3억 5천만 원", "60%", "30%", "10%", "2억 1천만 원", "3,500만 원"):
        assert fact in reply.text, fact


async def test_deadline_card_has_date_weekday_dday_and_where(emu):
    user = emu.user(1004)
    await user.send("/deadline")
    reply = await user.wait_reply()
    assert "12월 26일(토)" in reply.text
    assert "D-" in reply.text or "마감되었습니다" in reply.text or "D-day" in reply.text
    assert "종합관리시스템" in reply.text and "연구개발계획서" in reply.text
    assert any("알림" in t for t in reply.button_texts)


async def test_free_text_question_is_answered(emu):
    user = emu.user(1005)
    await user.send("마감일이언제")
    reply = await user.wait_reply()
    assert "26일" in reply.text


async def test_non_text_messages_get_a_korean_explanation(emu):
    user = emu.user(1006)
    await user.send_sticker()
    sticker = await user.wait_reply()
    await user.send_voice()
    voice = await user.wait_reply()
    await user.send_photo()
    photo = await user.wait_reply()
    for reply in (sticker, voice, photo):
        assert "글자로" in reply.text


async def test_forged_and_stale_callbacks_are_answered_politely(emu):
    user = emu.user(1007)
    await user.send("/start")
    menu = await user.wait_reply()
    for data in ("v0:ch:kyobo", "v1:ch:nosuchchallenge", "v1:bc:send:0", "garbage", "v1:menu:../../etc"):
        cq = await user.press_data(menu, data)
        answer = await user.wait_callback_answer(cq)
        assert "더 이상 사용할 수 없어요" in answer["text"], data
    assert user.last.message_id == menu.message_id  # nothing new was sent, no crash


async def test_very_long_message_is_declined_in_korean(emu):
    user = emu.user(1008)
    await user.send("가" * 5000)
    reply = await user.wait_reply()
    assert "너무 길어요" in reply.text and "5,000자" in reply.text


async def test_unknown_command(emu):
    user = emu.user(1009)
    await user.send("/doesnotexist")
    reply = await user.wait_reply()
    assert "알 수 없는 명령어" in reply.text


async def test_help_lists_commands_and_staff_get_more(emu):
    user = emu.user(1010)
    staff = emu.user(ADMIN_ID)
    await user.send("/help")
    plain = await user.wait_reply()
    await staff.send("/help")
    more = await staff.wait_reply()
    assert "/challenges" in plain.text and "/broadcast" not in plain.text
    assert "/broadcast" in more.text


async def test_calc_command(emu):
    user = emu.user(1011)
    await user.send("/calc 3억")
    reply = await user.wait_reply()
    assert "1억 8천만 원" in reply.text and "9천만 원" in reply.text and "3천만 원" in reply.text
    await user.send("/calc 5억")
    over = await user.wait_reply()
    assert "넘습니다" in over.text and "2억 1천만 원" in over.text
    await user.send("/calc")
    usage = await user.wait_reply()
    assert "/calc 3억" in usage.text


async def test_replies_keep_html_valid_with_user_text(emu):
    # The emulator rejects unescaped HTML; a name with markup must still produce a reply.
    user = emu.user(1012, first_name="<b>해커</b> & co")
    await user.send("/start")
    reply = await user.wait_reply()
    assert "<b>해커</b> & co님" in reply.text
    await asyncio.sleep(0)


async def test_main_menu_buttons_and_faq_browsing(emu):
    user = emu.user(1013)
    await user.send("/start")
    menu = await user.wait_reply()
    await user.press(menu, text="지원 내용")
    funding = await user.wait_edit(menu)
    assert "60%" in funding.text
    await user.press(funding, text="처음으로")
    menu = await user.wait_edit(funding)
    await user.press(menu, text="마감일")
    deadline = await user.wait_edit(menu)
    assert "12월 26일(토)" in deadline.text
    await user.press(deadline, text="처음으로")
    menu = await user.wait_edit(deadline)
    await user.press(menu, text="자주 묻는 질문")
    index = await user.wait_edit(menu)
    assert len([t for t in index.button_texts if t.startswith("📂")]) == 4
    await user.press(index, text="📂 신청")
    category = await user.wait_edit(index)
    question = next(t for t in category.button_texts if "서류" in t)
    await user.press(category, text=question)
    entry = await user.wait_edit(category)
    assert "연구개발계획서" in entry.text
    await user.press(entry, text="뒤로")
    back = await user.wait_edit(entry)
    assert "신청" in back.text


async def test_privacy_and_settings_require_subscription(emu):
    user = emu.user(1014)
    await user.send("/privacy")
    privacy = await user.wait_reply()
    assert "저장" in privacy.text and "/delete_me" in privacy.text
    await user.send("/settings")
    settings = await user.wait_reply()
    assert "구독자만" in settings.text
    await user.press(settings, text="알림 받기")
    confirm = await user.wait_reply()
    assert "신청했어요" in confirm.text


def test_start_with_broken_data_and_no_good_copy_exits_with_one_line(tmp_path, data_dir):
    import subprocess
    import sys

    (data_dir / "challenges.yaml").write_text("challenges: [", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "마감"], capture_output=True, text=True, timeout=60,
        cwd=str(PROJECT_ROOT),
        env={"PATH": "/usr/bin:/bin", "BOT_ENV_FILE": "/x", "DATA_DIR": str(data_dir),
             "DATABASE_PATH": str(tmp_path / "fresh.db")},
    )
    assert result.returncode == 1
    assert "challenges.yaml" in result.stderr and "Traceback" not in result.stderr


async def test_bad_data_at_start_keeps_the_last_good_copy(emu, make_app, data_dir, settings):
    from bot.app import running

    user = emu.user(1015)
    (data_dir / "faq.yaml").write_text("entries: []\n", encoding="utf-8")  # store already has good data
    async with running(make_app()) as app:
        assert app.bot_data["rt"].core.content_manager.last_error.startswith("faq.yaml")
        await user.send("마감 언제예요")
        reply = await user.wait_reply()
        assert "26일" in reply.text


async def test_staff_get_staff_commands_in_their_own_chat_only(emu):
    staff = emu.user(ADMIN_ID)
    await staff.send("/start")
    await staff.wait_reply()
    scoped = {c["command"] for c in emu.commands[f"chat:{ADMIN_ID}"]}
    assert {"broadcast", "stats", "unanswered", "set_deadline", "start"} <= scoped
    everyone = {c["command"] for c in emu.commands["default"]}
    assert not everyone & {"broadcast", "stats", "unanswered", "set_deadline"}
