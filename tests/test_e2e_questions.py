"""Question answering end to end through the emulator, and the staff tools that improve it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.callbacks import decode
from tests.conftest import ADMIN_ID

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("bot_app")

VAGUE = "그거 있잖아요 그거 어떻게 되는 거예요"
NONSENSE_BUT_TEACHABLE = "그거 어떻게 되는 거예요?"


async def test_confident_answer_with_follow_up_buttons(emu):
    user = emu.user(2001)
    await user.send("지원굼 얼마까지 나와?")
    reply = await user.wait_reply()
    assert "3억 5천만 원" in reply.text
    follow_ups = [b for row in reply.buttons for b in row]
    assert follow_ups and all(decode(b["callback_data"]) for b in follow_ups)
    await user.press(reply, data=follow_ups[0]["callback_data"])
    follow = await user.wait_reply()
    assert follow.message_id != reply.message_id and follow.text.startswith("💬")


async def test_fallback_offers_suggestions_and_a_pressed_suggestion_answers(emu, rt):
    user = emu.user(2002)
    await user.send(VAGUE)
    reply = await user.wait_reply()
    assert "확실한 답을 찾지 못했어요" in reply.text
    assert "서울창조경제혁신센터" in reply.text  # where to ask a person
    suggestions = [t for t in reply.button_texts if "찾는 내용이 없어요" not in t]
    assert 1 <= len(suggestions) <= 3
    assert "이 중에 찾으시는 내용이 있나요?" in reply.text
    await user.press(reply, text=suggestions[0])
    answer = await user.wait_reply()
    assert answer.text.startswith("💬") or "과제명" in answer.text
    logged = rt.store.list_unanswered()
    assert logged and logged[0]["text"] == VAGUE and logged[0]["reason"] == "unclear"
    assert "2002" not in json.dumps(logged)  # no user id is stored with misses


async def test_out_of_scope_question_gets_scope_message(emu, rt):
    user = emu.user(2003)
    await user.send("오늘 서울 날씨 어때?")
    reply = await user.wait_reply()
    assert "안내만 도와드릴 수 있어서" in reply.text
    assert rt.store.list_unanswered()[0]["reason"] == "out_of_scope"


async def test_inline_query_returns_answers(emu):
    user = emu.user(2004)
    results = await user.inline("마감 언제예요")
    assert results
    first = results[0]
    assert first["type"] == "article"
    assert "26일" in first["input_message_content"]["message_text"]
    empty = await user.inline("")
    assert empty and "마감" in empty[0]["title"]


async def test_staff_sees_unanswered_and_attaches_a_phrasing_by_button(emu, rt):
    user, staff = emu.user(2005), emu.user(ADMIN_ID)
    await user.send(NONSENSE_BUT_TEACHABLE)
    first = await user.wait_reply()
    assert "찾지 못했어요" in first.text or "도와드릴 수" in first.text
    await staff.send("/unanswered")
    listing = await staff.wait_reply()
    assert NONSENSE_BUT_TEACHABLE in listing.text
    item_id = rt.store.list_unanswered()[0]["id"]
    await staff.press(listing, text=f"#{item_id} 항목 고르기")
    picker = await staff.wait_edit(listing)
    await staff.press(picker, data=f"v1:una:{item_id}:how_apply")
    done = await staff.wait_reply()
    assert "how_apply" in done.text and "추가했어요" in done.text
    # the model was retrained without a restart: the same question now gets the right answer
    user.mark_read()
    await user.send(NONSENSE_BUT_TEACHABLE)
    again = await user.wait_reply()
    assert "신청 절차가 어떻게 되나요?" in again.text and "찾지 못했어요" not in again.text
    assert rt.store.count_unanswered() == 0


async def test_attach_command_and_non_staff_cannot(emu, rt):
    user, staff = emu.user(2006), emu.user(ADMIN_ID)
    await user.send("그건 어디로 하면 되는 건지 모르겠음")
    await user.wait_reply()
    item_id = rt.store.list_unanswered()[0]["id"]
    await user.send(f"/attach {item_id} where_apply")
    refused = await user.wait_reply()
    assert "알 수 없는 명령어" in refused.text
    await staff.send(f"/attach {item_id} where_apply")
    ok = await staff.wait_reply()
    assert "추가했어요" in ok.text
    await staff.send("/attach 99999 where_apply")
    missing = await staff.wait_reply()
    assert "찾지 못했어요" in missing.text
    assert "그건 어디로 하면 되는 건지 모르겠음" in rt.content.entry("where_apply").alternates


async def test_taught_phrasing_survives_a_data_reload(emu, rt):
    staff = emu.user(ADMIN_ID)
    rt.core.content_manager.attach_phrasing("documents", "챙길 종이 뭐뭐임")
    await staff.send("/reload")
    reply = await staff.wait_reply()
    assert "다시 읽었어요" in reply.text
    assert "챙길 종이 뭐뭐임" in rt.content.entry("documents").alternates


async def test_reload_with_a_broken_file_keeps_the_last_good_data(emu, rt, data_dir):
    staff, user = emu.user(ADMIN_ID), emu.user(2007)
    (data_dir / "faq.yaml").write_text("entries:\n  - id: broken\n    question: 질문\n", encoding="utf-8")
    await staff.send("/reload")
    reply = await staff.wait_reply()
    assert "이전 자료를 계속 사용합니다" in reply.text
    assert "faq.yaml" in reply.text and "broken" in reply.text
    await user.send("마감 언제예요")
    answer = await user.wait_reply()
    assert "26일" in answer.text


def run_cli(args, tmp_path, stdin=None):
    env = {"PATH": "/usr/bin:/bin", "BOT_ENV_FILE": "/nonexistent", "DATABASE_PATH": str(tmp_path / "cli.db")}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_cli_ask_one_question(tmp_path):
    result = run_cli(["ask", "마감 언제예요"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "26일" in result.stdout and "entry=faq:deadline" in result.stdout and "abstained=false" in result.stdout


def test_cli_ask_json_lines_from_stdin(tmp_path):
    result = run_cli(["ask"], tmp_path, stdin="마감 언제예요\n오늘 날씨 어때?\n3억이면 우리 부담금은?\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == ["마감 언제예요", "오늘 날씨 어때?", "3억이면 우리 부담금은?"]
    assert set(rows[0]) == {"question", "answer", "entry_id", "score", "abstained", "kind"}
    assert [r["kind"] for r in rows] == ["answer", "out_of_scope", "answer"]
    assert rows[0]["abstained"] is False and "26일" in rows[0]["answer"]
    assert rows[1]["abstained"] is True
    assert rows[2]["entry_id"] == "calc" and "3천만 원" in rows[2]["answer"]


def test_cli_faq_export_and_import(tmp_path):
    exported = run_cli(["faq", "export"], tmp_path)
    assert exported.returncode == 0, exported.stderr
    faq = json.loads(exported.stdout)
    assert len(faq) >= 30 and {"id", "question", "alternates", "keywords", "answer"} <= set(faq[0])
    faq[0]["alternates"].append("새로 추가한 표현")
    good = tmp_path / "faq.json"
    good.write_text(json.dumps(faq, ensure_ascii=False), encoding="utf-8")
    imported = run_cli(["faq", "import", str(good)], tmp_path)
    assert imported.returncode == 0 and "Imported" in imported.stdout
    again = json.loads(run_cli(["faq", "export"], tmp_path).stdout)
    assert "새로 추가한 표현" in again[0]["alternates"]

    bad = tmp_path / "bad.json"
    broken = [dict(e) for e in again]
    broken[3]["answer"] = "마감은 {없는자리}입니다"
    bad.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    rejected = run_cli(["faq", "import", str(bad)], tmp_path)
    assert rejected.returncode == 1 and "unknown placeholder" in rejected.stderr
    assert json.loads(run_cli(["faq", "export"], tmp_path).stdout) == again  # old data kept
