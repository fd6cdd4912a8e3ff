"""Tests for tgemu: real HTTP against the emulator, raw (httpx) and via PTB."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import pathlib
import sys
import time
import warnings

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    MessageId,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

# Make the project importable when pytest is run without an installed package.
_ROOT = str(pathlib.Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from tgemu import BotMessage, EmuUser, RateLimits, TelegramEmulator, parse_html

TOKEN = "123456:TEST-token"

# PTB itself warns about RetryAfter.retry_after becoming a timedelta; not our concern here.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
async def emu():
    async with TelegramEmulator(
        token=TOKEN, bot_id=123456, bot_username="sangsaeng_test_bot", bot_first_name="상생과제 알림봇"
    ) as e:
        yield e


@pytest.fixture
async def http(emu):
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{emu.port}", timeout=10) as client:
        yield client


@pytest.fixture
async def bot(emu):
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as b:
        yield b


def api(method: str) -> str:
    return f"/bot{TOKEN}/{method}"


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


KB = {
    "inline_keyboard": [
        [{"text": "구독하기", "callback_data": "sub:1"}, {"text": "홈페이지", "url": "https://example.com"}]
    ]
}


# ----------------------------------------------------------------------------- raw HTTP


async def test_urls_and_get_me_shape(emu, http):
    assert emu.base_url == f"http://127.0.0.1:{emu.port}/bot"
    assert emu.base_file_url == f"http://127.0.0.1:{emu.port}/file/bot"
    r = await http.get(api("getMe"))
    assert r.status_code == 200
    assert r.json() == {
        "ok": True,
        "result": {
            "id": 123456,
            "is_bot": True,
            "first_name": "상생과제 알림봇",
            "username": "sangsaeng_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        },
    }
    # method names are case-insensitive
    r = await http.post(api("GETME"))
    assert r.json()["result"]["id"] == 123456
    assert [c.method for c in emu.calls] == ["getMe", "getMe"]


async def test_wrong_token_and_unknown_method(emu, http):
    r = await http.get("/bot999:wrong/getMe")
    assert r.status_code == 401
    assert r.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    r = await http.post(api("sendPoll"), data={"chat_id": "1"})
    assert r.status_code == 404
    assert r.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert emu.calls[-1].status == 404 and emu.calls[-1].error_code == 404
    # the token never ends up in call records
    assert all(TOKEN not in repr(c) for c in emu.calls)


async def test_parameter_decoding_json_form_query_multipart(emu, http):
    u = emu.user(1001, first_name="김철수")
    # JSON body, typed values
    r = await http.post(api("sendMessage"), json={"chat_id": 1001, "text": "json", "reply_markup": KB})
    body = r.json()
    assert body["ok"] is True
    msg = body["result"]
    assert msg["message_id"] == 1
    assert msg["from"] == {
        "id": 123456,
        "is_bot": True,
        "first_name": "상생과제 알림봇",
        "username": "sangsaeng_test_bot",
    }
    assert msg["chat"] == {"id": 1001, "first_name": "김철수", "type": "private"}
    assert isinstance(msg["date"], int)
    assert msg["reply_markup"] == KB
    # urlencoded form with JSON-encoded reply_markup (what PTB sends)
    r = await http.post(
        api("sendMessage"),
        data={
            "chat_id": "1001",
            "text": "123",
            "reply_markup": json.dumps(KB),
            "disable_notification": "true",
        },
    )
    msg = r.json()["result"]
    assert msg["text"] == "123" and msg["message_id"] == 2 and msg["reply_markup"] == KB
    assert emu.calls[-1].params["reply_markup"] == KB
    assert emu.calls[-1].params["disable_notification"] is True
    assert emu.calls[-1].params["text"] == "123"  # not JSON-decoded into an int
    # query string
    r = await http.get(api("sendMessage"), params={"chat_id": 1001, "text": "query"})
    assert r.json()["result"]["text"] == "query"
    # multipart upload
    r = await http.post(
        api("sendDocument"),
        data={"chat_id": "1001", "caption": "<b>첨부</b>", "parse_mode": "HTML"},
        files={"document": ("notice.pdf", b"%PDF-1.4 test", "application/pdf")},
    )
    doc_msg = r.json()["result"]
    assert doc_msg["caption"] == "첨부"
    assert doc_msg["caption_entities"] == [{"offset": 0, "length": 2, "type": "bold"}]
    assert doc_msg["document"]["file_name"] == "notice.pdf"
    assert doc_msg["document"]["mime_type"] == "application/pdf"
    assert doc_msg["document"]["file_size"] == len(b"%PDF-1.4 test")
    assert [m.text for m in u.inbox] == ["json", "123", "query", "첨부"]
    assert u.last.kind == "document" and u.last.file_bytes == b"%PDF-1.4 test"
    assert emu.sent_count == 4


async def test_get_updates_offset_limit_and_negative_offset(emu, http):
    u = emu.user(1001)
    for t in ("a", "b", "c"):
        await u.send(t)
    r = await http.post(api("getUpdates"), data={"limit": "2"})
    ups = r.json()["result"]
    assert [x["message"]["text"] for x in ups] == ["a", "b"]
    first_id = ups[0]["update_id"]
    assert ups[1]["update_id"] == first_id + 1
    # without offset nothing is confirmed
    r = await http.post(api("getUpdates"))
    assert len(r.json()["result"]) == 3
    # offset confirms every update with a lower id
    r = await http.post(api("getUpdates"), json={"offset": first_id + 2})
    assert [x["message"]["text"] for x in r.json()["result"]] == ["c"]
    await u.send("d")
    await u.send("e")
    # negative offset: only the last N updates remain
    r = await http.post(api("getUpdates"), json={"offset": -1})
    assert [x["message"]["text"] for x in r.json()["result"]] == ["e"]
    last_id = r.json()["result"][0]["update_id"]
    r = await http.post(api("getUpdates"), json={"offset": last_id + 1, "timeout": 0})
    assert r.json() == {"ok": True, "result": []}


async def test_long_poll_returns_early_and_times_out(emu, http):
    u = emu.user(1001)
    t0 = time.monotonic()
    r = await http.post(api("getUpdates"), json={"timeout": 1})
    assert r.json()["result"] == []
    assert 0.9 <= time.monotonic() - t0 < 2.5

    async def poll():
        return await http.post(api("getUpdates"), json={"timeout": 10})

    task = asyncio.create_task(poll())
    await asyncio.sleep(0.2)
    assert not task.done()
    t0 = time.monotonic()
    sent = await u.send("/start hello")
    r = await asyncio.wait_for(task, 2)
    assert time.monotonic() - t0 < 1.0
    (update,) = r.json()["result"]
    assert update["message"] == sent
    assert update["message"]["entities"] == [{"offset": 0, "length": 6, "type": "bot_command"}]
    assert update["message"]["from"]["language_code"] == "ko"


async def test_overlapping_get_updates_conflict(emu, http):
    first = asyncio.create_task(http.post(api("getUpdates"), json={"timeout": 5}))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(http.post(api("getUpdates"), json={"timeout": 1}))
    r1 = await asyncio.wait_for(first, 2)
    assert r1.status_code == 409
    assert r1.json() == {
        "ok": False,
        "error_code": 409,
        "description": "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running",
    }
    assert (await second).json() == {"ok": True, "result": []}


async def test_allowed_updates_filter(emu, http):
    u = emu.user(1001)
    m = (await http.post(api("sendMessage"), json={"chat_id": 1001, "text": "x", "reply_markup": KB})).json()
    await u.send("hello")
    await u.press(m["result"]["message_id"], text="구독")
    r = await http.post(api("getUpdates"), data={"allowed_updates": json.dumps(["callback_query"])})
    ups = r.json()["result"]
    assert len(ups) == 1 and ups[0]["callback_query"]["data"] == "sub:1"


# ----------------------------------------------------------------------------- PTB end to end


async def test_ptb_html_keyboard_press_answer_edit(emu, bot):
    u = emu.user(1001, first_name="김철수")
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("구독하기", callback_data="sub"),
                InlineKeyboardButton("취소", callback_data="cancel"),
            ]
        ]
    )
    sent = await bot.send_message(1001, "<b>공지</b> 😀 <i>내용</i>", parse_mode="HTML", reply_markup=markup)
    assert sent.text == "공지 😀 내용"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 2), ("italic", 6, 2)]
    assert sent.reply_markup == markup
    assert sent.from_user.id == 123456 and sent.chat.id == 1001

    (bm,) = await u.wait_messages(1)
    assert isinstance(bm, BotMessage)
    assert bm.html == "<b>공지</b> 😀 <i>내용</i>" and bm.parse_mode == "HTML"
    assert bm.button_texts == ["구독하기", "취소"]
    assert bm.button("구독")["callback_data"] == "sub"
    assert bm.button("cancel")["text"] == "취소"

    cq_id = await u.press(bm, text="구독")
    updates = await bot.get_updates(timeout=1)
    assert len(updates) == 1 and isinstance(updates[0], Update)
    cq = updates[0].callback_query
    assert cq.id == cq_id and cq.data == "sub" and cq.from_user.id == 1001
    assert cq.message.message_id == sent.message_id

    assert await bot.answer_callback_query(cq.id, text="구독 완료", show_alert=True) is True
    answer = await u.wait_callback_answer(cq_id)
    assert answer == {"callback_query_id": cq_id, "text": "구독 완료", "show_alert": True}
    assert u.callback_answers[-1]["text"] == "구독 완료"
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query(cq.id)
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query("12345")

    edited = await bot.edit_message_text(
        "<u>구독됨</u>", chat_id=1001, message_id=sent.message_id, parse_mode="HTML"
    )
    assert edited.text == "구독됨" and edited.edit_date is not None
    assert edited.reply_markup is None  # edit without reply_markup removes the keyboard
    again = await u.wait_edit(sent.message_id)
    assert again.text == "구독됨" and again.edits == 1 and again.buttons == []
    with pytest.raises(TimeoutError, match="not edited"):
        await u.wait_edit(sent.message_id, timeout=0.2)
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text(
            "<u>구독됨</u>", chat_id=1001, message_id=sent.message_id, parse_mode="HTML"
        )
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=1001, message_id=999)
    r = await bot.edit_message_reply_markup(chat_id=1001, message_id=sent.message_id, reply_markup=markup)
    assert r.reply_markup == markup and u.last.edits == 2
    with pytest.raises(LookupError):
        await u.press(sent.message_id, text="없는 버튼")
    forged = await u.press_data(sent.message_id, "admin:delete_all")
    upd = (await bot.get_updates(offset=updates[0].update_id + 1, timeout=1))[0]
    assert upd.callback_query.id == forged and upd.callback_query.data == "admin:delete_all"


async def test_ptb_get_updates_types_and_inline(emu, bot):
    u = emu.user(1001, username="chulsoo")
    await u.command("start", "subscribe")
    await u.send_html("<b>공지</b> 내용")
    await u.send_sticker()
    await u.send_photo(caption="사진")
    await u.send_voice()
    await u.send_location(37.5, 127.0)
    await u.send_document(file_name="notice.pdf", content=b"%PDF-1.7", caption="첨부")
    task = asyncio.create_task(u.inline("질문", timeout=5))
    await asyncio.sleep(0)
    updates = await bot.get_updates(timeout=1)
    assert len(updates) == 8
    msg = updates[0].message
    assert msg.text == "/start subscribe"
    assert msg.parse_entities() == {msg.entities[0]: "/start"}
    assert msg.from_user.username == "chulsoo"
    assert updates[1].message.entities[0].type == "bold" and updates[1].message.text == "공지 내용"
    assert updates[2].message.sticker is not None
    assert updates[3].message.photo and updates[3].message.caption == "사진"
    assert updates[4].message.voice is not None
    assert updates[5].message.location.latitude == 37.5
    assert updates[6].message.document.file_name == "notice.pdf"
    iq = updates[7].inline_query
    assert iq.query == "질문" and iq.from_user.id == 1001

    # the bot can download what a user uploaded
    f = await bot.get_file(updates[6].message.document.file_id)
    assert bytes(await f.download_as_bytearray()) == b"%PDF-1.7"

    result = InlineQueryResultArticle("r1", "답변", InputTextMessageContent("<b>답</b>", parse_mode="HTML"))
    assert await bot.answer_inline_query(iq.id, [result], cache_time=0) is True
    results = await task
    assert results[0]["id"] == "r1" and results[0]["title"] == "답변"
    assert results[0]["input_message_content"]["message_text"] == "<b>답</b>"
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_inline_query(iq.id, [result])


async def test_ptb_copy_message(emu, bot):
    admin = emu.user(1, first_name="관리자")
    emu.add_users(range(10_000, 10_003))
    notice = await admin.send_html("<b>공지</b> 입니다")
    mid = await bot.copy_message(10_000, from_chat_id=1, message_id=notice["message_id"])
    assert isinstance(mid, MessageId) and mid.message_id == 1
    (copied,) = emu.messages_to(10_000)
    assert copied.kind == "copy" and copied.copied_from == (1, notice["message_id"])
    assert copied.text == "공지 입니다" and copied.entities == [{"offset": 0, "length": 2, "type": "bold"}]

    doc = await admin.send_document(file_name="a.pdf", content=b"PDFDATA", caption="old")
    await bot.copy_message(10_001, 1, doc["message_id"], caption="<i>new</i>", parse_mode="HTML")
    c2 = emu.messages_to(10_001)[0]
    assert c2.document["file_name"] == "a.pdf" and c2.file_bytes == b"PDFDATA"
    assert c2.text == "new" and c2.raw["caption_entities"][0]["type"] == "italic"

    # a bot message can be copied too
    sent = await bot.send_message(10_002, "봇 메시지")
    await bot.copy_message(10_000, 10_002, sent.message_id)
    assert emu.messages_to(10_000)[-1].text == "봇 메시지"

    with pytest.raises(BadRequest, match="(?i)message to copy not found"):
        await bot.copy_message(10_000, 1, 999)
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.copy_message(55_555, 1, notice["message_id"])
    assert emu.sent_count == 4


async def test_ptb_send_document_and_photo_bytes(emu, bot):
    u = emu.user(1001)
    m = await bot.send_document(1001, document=b"%PDF-1.4 hello", filename="notice.pdf", caption="첨부")
    assert m.document.file_name == "notice.pdf" and m.caption == "첨부"
    assert u.last.file_bytes == b"%PDF-1.4 hello" and u.last.document["file_name"] == "notice.pdf"
    # re-sending by file_id works and keeps the same file
    m2 = await bot.send_document(1001, document=m.document.file_id)
    assert m2.document.file_unique_id == m.document.file_unique_id and u.last.file_bytes == b"%PDF-1.4 hello"
    p = await bot.send_photo(1001, photo=b"\x89PNG fake", caption="<b>사진</b>", parse_mode="HTML")
    assert p.photo[-1].file_size == len(b"\x89PNG fake") and p.caption == "사진"
    assert u.last.kind == "photo" and u.last.photo["file_id"] == p.photo[-1].file_id
    with pytest.raises(BadRequest, match="(?i)message caption is too long"):
        await bot.send_photo(1001, photo=p.photo[-1].file_id, caption="가" * 1025)


async def test_ptb_commands_scopes(emu, bot):
    emu.user(1001)
    assert await bot.set_my_commands([BotCommand("start", "시작"), BotCommand("help", "도움말")])
    assert await bot.set_my_commands([BotCommand("admin", "관리")], scope=BotCommandScopeChat(1001))
    assert await bot.set_my_commands([BotCommand("start", "Start")], language_code="en")
    assert emu.commands["default"] == [
        {"command": "start", "description": "시작"},
        {"command": "help", "description": "도움말"},
    ]
    assert emu.commands["chat:1001"] == [{"command": "admin", "description": "관리"}]
    assert emu.commands["default:en"][0]["description"] == "Start"
    cmds = await bot.get_my_commands(scope=BotCommandScopeChat(1001))
    assert [c.command for c in cmds] == ["admin"]
    assert await bot.delete_my_commands(scope=BotCommandScopeChat(1001))
    assert "chat:1001" not in emu.commands
    assert await bot.get_my_commands(scope=BotCommandScopeChat(1001)) == ()
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.set_my_commands([BotCommand("x", "y")], scope=BotCommandScopeChat(42))
    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Bad-Cmd", "y")])
    assert len(emu.calls_to("setMyCommands")) == 5


async def test_misc_methods(emu, bot, http):
    u = emu.user(1001)
    assert await bot.send_chat_action(1001, "typing") is True
    with pytest.raises(BadRequest, match="(?i)wrong parameter action"):
        await bot.send_chat_action(1001, "dancing")
    assert await bot.delete_webhook(drop_pending_updates=True) is True
    info = await bot.get_webhook_info()
    assert info.url == "" and info.pending_update_count == 0
    m = await bot.send_message(1001, "지울 메시지")
    assert await bot.delete_message(1001, m.message_id) is True
    assert u.inbox == [] and u.last is None
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(1001, m.message_id)
    assert (await http.post(api("close"))).json() == {"ok": True, "result": True}
    assert (await http.post(api("logOut"))).json() == {"ok": True, "result": True}


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "html, fragment",
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("가<b", "Unclosed start tag at byte offset 3"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_html_parse_errors(emu, http, html, fragment):
    emu.user(1001)
    r = await http.post(api("sendMessage"), data={"chat_id": "1001", "text": html, "parse_mode": "HTML"})
    assert r.status_code == 400
    body = r.json()
    assert body["ok"] is False and body["error_code"] == 400
    assert body["description"].startswith("Bad Request: can't parse entities: ")
    assert fragment in body["description"]
    assert emu.sent_count == 0


def test_parse_html_entities_and_tags():
    text, ents = parse_html(
        "&lt;tag&gt; &amp; &quot;q&quot; &#44032;&#xAC00; &nbsp; "
        '<a href="https://ex.com/a?b=1&amp;c=2">링크</a> '
        "<tg-spoiler>s</tg-spoiler><span class=\"tg-spoiler\">p</span> <code>c</code> "
        '<pre><code class="language-python">x = 1</code></pre> <blockquote expandable>q</blockquote> '
        "<s>a</s><del>b</del><ins>u</ins><em>e</em><strong>g</strong> 😀<b>x</b>"
    )
    assert text.startswith('<tag> & "q" 가가 &nbsp; 링크 sp c x = 1 q abueg 😀x')
    types = [(e["type"], text_slice(text, e)) for e in ents]
    assert ("text_link", "링크") in types
    link = next(e for e in ents if e["type"] == "text_link")
    assert link["url"] == "https://ex.com/a?b=1&c=2"
    assert ("spoiler", "s") in types and ("spoiler", "p") in types
    assert ("code", "c") in types
    pre = next(e for e in ents if e["type"] == "pre")
    assert pre["language"] == "python" and text_slice(text, pre) == "x = 1"
    assert ("expandable_blockquote", "q") in types
    assert [t for t, _ in types[-6:]] == [
        "strikethrough", "strikethrough", "underline", "italic", "bold", "bold",
    ]
    # offsets are UTF-16: the emoji counts as 2 units
    bold_x = ents[-1]
    assert text_slice(text, bold_x) == "x"


def text_slice(text: str, ent: dict) -> str:
    raw = text.encode("utf-16-le")
    return raw[ent["offset"] * 2:(ent["offset"] + ent["length"]) * 2].decode("utf-16-le")


async def test_text_length_and_empty(emu, bot):
    u = emu.user(1001)
    # 4096 characters after parsing is fine even though the HTML source is longer
    m = await bot.send_message(1001, "<b>" + "가" * 4096 + "</b>", parse_mode="HTML")
    assert len(m.text) == 4096
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(1001, "가" * 4097)
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(1001, "   ")
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(1001, "<b></b>", parse_mode="HTML")
    # leading/trailing whitespace is trimmed like Telegram
    m = await bot.send_message(1001, "\n  안녕 \n")
    assert m.text == "안녕" and u.last.text == "안녕"


async def test_keyboard_validation(emu, http):
    emu.user(1001)

    async def send(markup):
        r = await http.post(api("sendMessage"), json={"chat_id": 1001, "text": "t", "reply_markup": markup})
        return r.status_code, r.json().get("description")

    ok64 = "가" * 21 + "a"  # 64 bytes in UTF-8
    assert (await send({"inline_keyboard": [[{"text": "b", "callback_data": ok64}]]}))[0] == 200
    assert await send({"inline_keyboard": [[{"text": "b", "callback_data": "가" * 22}]]}) == (
        400,
        "Bad Request: BUTTON_DATA_INVALID",
    )
    assert await send({"inline_keyboard": [[{"text": "b", "callback_data": ""}]]}) == (
        400,
        "Bad Request: BUTTON_DATA_INVALID",
    )
    status, desc = await send({"inline_keyboard": [[{"callback_data": "x"}]]})
    assert status == 400 and "can't parse inline keyboard button" in desc
    status, desc = await send({"inline_keyboard": [{"text": "b", "callback_data": "x"}]})
    assert status == 400 and "Array of Arrays" in desc
    status, desc = await send({"inline_keyboard": [[{"text": "only text"}]]})
    assert status == 400 and "Text buttons are unallowed" in desc
    bad = {"chat_id": "1001", "text": "t", "reply_markup": "{bad json"}
    r = await http.post(api("sendMessage"), data=bad)
    assert r.status_code == 400 and "reply keyboard markup" in r.json()["description"]


async def test_chat_not_found_blocked_deactivated(emu, bot):
    emu.add_users(range(10_000, 20_000))
    assert (await bot.send_message(15_000, "hi")).chat.id == 15_000
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(999, "hi")
    u = emu.user(1002)
    u.block()
    with pytest.raises(Forbidden, match="Forbidden: bot was blocked by the user"):
        await bot.send_message(1002, "hi")
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_document(1002, document=b"x", filename="x.txt")
    # blocking produced a my_chat_member update like Telegram
    ups = await bot.get_updates(timeout=0)
    assert ups[-1].my_chat_member.new_chat_member.status == "kicked"
    u.unblock()
    assert (await bot.send_message(1002, "back")).text == "back"
    u.deactivate()
    with pytest.raises(Forbidden, match="Forbidden: user is deactivated"):
        await bot.send_message(1002, "hi")
    assert [m.text for m in u.inbox] == ["back"]


# ----------------------------------------------------------------------------- faults


async def test_fault_injection(emu, bot, http):
    emu.user(1001)
    emu.user(1002)
    emu.inject("sendMessage", status=429, retry_after=3, times=1)
    with pytest.raises(RetryAfter) as ei:
        await bot.send_message(1001, "x")
    assert retry_seconds(ei.value) == 3
    assert (await bot.send_message(1001, "ok")).text == "ok"  # rule consumed
    assert emu.rate_limited_count == 0  # injected 429s are not rate enforcement

    emu.inject("sendmessage", status=403, description="Forbidden: bot was blocked by the user", chat_id=1002)
    assert (await bot.send_message(1001, "other chat unaffected")).text
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(1002, "x")

    emu.inject("copyMessage", status=400, description="Bad Request: chat not found")
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.copy_message(1001, 1001, 1)

    emu.inject("sendMessage", status=502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError) as ei:
            await bot.send_message(1001, "x")
        assert not isinstance(ei.value, (BadRequest, TimedOut)) and "Bad Gateway" in str(ei.value)
    assert (await bot.send_message(1001, "recovered")).text == "recovered"

    emu.inject("*", status=500, times=1)
    r = await http.post(api("sendChatAction"), data={"chat_id": "1001", "action": "typing"})
    assert r.status_code == 500
    assert r.json() == {"ok": False, "error_code": 500, "description": "Internal Server Error"}

    emu.inject("sendMessage", drop=True, times=1)
    with pytest.raises(NetworkError):
        await bot.send_message(1001, "dropped")
    assert emu.calls[-1].dropped

    emu.inject("sendMessage", delay=0.5, times=1)
    t0 = time.monotonic()
    assert (await bot.send_message(1001, "slow")).text == "slow"
    assert time.monotonic() - t0 >= 0.5

    rule = emu.inject("sendMessage", status=503, times=None)
    emu.clear_faults()
    assert (await bot.send_message(1001, "clean")).text == "clean"
    assert rule.hits == 0
    texts = [m.text for m in emu.messages_to(1001)]
    assert texts == ["ok", "other chat unaffected", "recovered", "slow", "clean"]
    statuses = [c.status for c in emu.calls_to("sendMessage")]
    assert statuses.count(429) == 1 and statuses.count(502) == 2 and 0 in statuses


async def test_rate_limit_global(emu, http):
    emu.add_users(range(5000, 5035))
    emu.rate_limits = RateLimits(global_per_second=30, per_chat_per_second=None)
    results = await asyncio.gather(
        *(http.post(api("sendMessage"), data={"chat_id": str(5000 + i), "text": "x"}) for i in range(35))
    )
    codes = [r.status_code for r in results]
    assert codes.count(200) == 30 and codes.count(429) == 5
    limited = next(r for r in results if r.status_code == 429).json()
    assert limited == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    assert emu.rate_limited_count == 5 and emu.sent_count == 30


async def test_rate_limit_paced_and_per_chat(emu, bot):
    emu.add_users(range(5000, 5040))
    emu.rate_limits = RateLimits(global_per_second=30, per_chat_per_second=1.0)
    for i in range(40):
        await bot.send_message(5000 + i, "paced")
        await asyncio.sleep(1 / 30)
    assert emu.rate_limited_count == 0 and emu.sent_count == 40
    assert emu.last_message_time - emu.first_message_time >= 39 / 30
    await asyncio.sleep(1.0)
    await bot.send_message(5000, "first")
    with pytest.raises(RetryAfter) as ei:
        await bot.send_message(5000, "second")
    assert retry_seconds(ei.value) == 1
    assert emu.rate_limited_count == 1
    emu.rate_limits = None
    await bot.send_message(5000, "unlimited")


# ----------------------------------------------------------------------------- client side


async def test_client_waits_and_observers(emu, bot):
    u = emu.user(1001)
    seen = []
    emu.on_bot_message = lambda chat_id, m, edited: seen.append((chat_id, m.text, edited))
    assert emu.first_message_time is None
    with pytest.raises(TimeoutError, match="expected 1 new bot message"):
        await u.wait_reply(timeout=0.2)

    async def later():
        await asyncio.sleep(0.1)
        for t in ("one", "two", "three"):
            await bot.send_message(1001, t)

    task = asyncio.create_task(later())
    got = await u.wait_messages(2, timeout=3)
    assert [m.text for m in got] == ["one", "two"]
    assert (await u.wait_reply()).text == "three"
    await task
    m = await bot.send_message(1001, "four")
    u.mark_read()
    with pytest.raises(TimeoutError):
        await u.wait_reply(timeout=0.1)
    await bot.edit_message_text("four!", chat_id=1001, message_id=m.message_id)
    assert (await u.wait_edit(m.message_id, timeout=1)).text == "four!"
    assert seen[-1] == (1001, "four!", True) and seen[0] == (1001, "one", False)
    assert [b.message_id for b in u.inbox] == [1, 2, 3, 4]
    assert isinstance(u, EmuUser) and emu.user(1001) is u


async def test_application_polling_end_to_end(emu):
    """A real PTB Application polls the emulator and answers a user."""

    async def start(update, context):
        kb = InlineKeyboardMarkup([[InlineKeyboardButton("구독", callback_data="sub")]])
        name = update.effective_user.first_name
        await update.message.reply_html(f"<b>{name}</b>님 환영합니다", reply_markup=kb)

    async def on_button(update, context):
        q = update.callback_query
        await q.answer("완료")
        await q.edit_message_text("구독되었습니다")

    async def echo(update, context):
        await update.message.reply_text(update.message.text)

    app = Application.builder().token(TOKEN).base_url(emu.base_url).base_file_url(emu.base_file_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    u = emu.user(1001, first_name="김철수")
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=5)
        try:
            await u.command("start")
            reply = await u.wait_reply(timeout=5)
            assert reply.text == "김철수님 환영합니다"
            assert reply.entities == [{"offset": 0, "length": 3, "type": "bold"}]
            cq = await u.press(reply, "구독")
            assert (await u.wait_callback_answer(cq))["text"] == "완료"
            assert (await u.wait_edit(reply)).text == "구독되었습니다"
            await u.send("<script>")
            assert (await u.wait_reply()).text == "<script>"
        finally:
            await app.updater.stop()
            await app.stop()
    polls = emu.calls_to("getUpdates")
    assert any(c.ok for c in polls)
    # the long poll PTB abandoned on shutdown is not reported as a 409
    assert all(c.status != 409 for c in polls)
