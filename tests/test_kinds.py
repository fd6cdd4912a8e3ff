"""The learned kind of a whole message (bot/kinds.py): its examples file, its saved model, and how it
checks the answer pipeline's kind on the shipped data. The questions here are written for these tests
(they are not among the examples the model learns from)."""

from __future__ import annotations

import json
import logging
from datetime import datetime

import pytest

from bot.config import TZ
from bot.kinds import FILE, KindModel

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=TZ)

EXAMPLES = {
    "in": ["마감일이 언제예요", "정부 지원 비율 알려줘", "최대 얼마까지 받아요", "과제 목록 보여주세요"],
    "out": ["오늘 날씨 어때", "점심 메뉴 추천해줘", "주식 뭐 사요", "영화 추천 좀"],
    "nis": ["평가 기준이 뭐예요", "몇 개 기업을 뽑나요", "담당자 전화번호 알려줘", "발표평가 있나요"],
    "smalltalk": ["안녕하세요", "고마워요", "넌 누구야", "잘 있어요"],
}


def write_examples(path, extra_lines=()):
    lines = [json.dumps({"q": q, "kind": k}, ensure_ascii=False) for k, qs in EXAMPLES.items() for q in qs]
    path.write_text("\n".join([*lines, *extra_lines]) + "\n", encoding="utf-8")


def test_malformed_example_lines_are_skipped_with_a_warning_naming_them(tmp_path, caplog):
    write_examples(tmp_path / FILE, ['{"q": "이건 종류가 없음"}', "not json", '{"q": "", "kind": "in"}',
                                     '{"q": "질문", "kind": "maybe"}'])
    with caplog.at_level(logging.WARNING, logger="bot.kinds"):
        model = KindModel.load(tmp_path, tmp_path / "cache")
    assert model is not None
    skipped = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert [m.split(" skipped")[0] for m in skipped] == [f"{FILE} line {n}" for n in (17, 18, 19, 20)]
    probs = model.probs("노래 추천해줘")   # ('추천' is in two off-topic examples)
    assert max(probs, key=probs.get) == "out"
    assert "missing field 'kind'" in skipped[0]


def test_examples_missing_a_kind_or_the_file_leave_the_answers_without_the_check(tmp_path, caplog):
    assert KindModel.load(tmp_path, None) is None                      # no file
    (tmp_path / FILE).write_text('{"q": "마감 언제", "kind": "in"}\n', encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="bot.kinds"):
        assert KindModel.load(tmp_path, None) is None                  # one kind only
    assert any("no examples of some kind" in r.getMessage() for r in caplog.records)


def test_the_fitted_model_is_kept_and_a_damaged_copy_is_fitted_again(tmp_path, caplog):
    write_examples(tmp_path / FILE)
    cache = tmp_path / "cache"
    first = KindModel.load(tmp_path, cache)
    saved = list(cache.glob("kinds-*.npz"))
    assert len(saved) == 1
    again = KindModel.load(tmp_path, cache)
    for q in ("평가는 어떻게 해요", "안녕", "마감 알려줘요"):
        assert again.probs(q) == pytest.approx(first.probs(q))
    saved[0].write_bytes(b"not a model")
    with caplog.at_level(logging.WARNING, logger="bot.kinds"):
        refitted = KindModel.load(tmp_path, cache)
    assert any("unreadable" in r.getMessage() for r in caplog.records)
    assert refitted.probs("안녕") == pytest.approx(first.probs("안녕"))
    # Changed examples are a new model (the old saved one is replaced, not reused).
    write_examples(tmp_path / FILE, ['{"q": "노래 추천", "kind": "out"}'])
    KindModel.load(tmp_path, cache)
    assert len(list(cache.glob("kinds-*.npz"))) == 1 and not saved[0].exists()


@pytest.mark.parametrize("question, entry", [
    # When the agreement is signed and whether it is online: after selection, not where to apply.
    ("협약 체결은 언제 해요? 온라인이에요?", "faq:after_selection"),
])
def test_an_open_question_of_the_programme_gets_the_honest_reply(shipped_core, question, entry):
    a = shipped_core.answer(question, NOW)
    assert (a.kind, a.entry_id, a.abstained) == ("not_in_source", entry, True)
    assert "나와 있지 않" in a.text or "내용이 없" in a.text


@pytest.mark.parametrize("question, kind, entry", [
    ("신청방법 알려주세요", "answer", "faq:how_apply"),      # words of the data only: never declined
    ("4억 신청 가능?", "answer", "calc"),                    # a computation from the source stands
    ("전기차 충전기 설치 보조금 신청 방법 좀", "out_of_scope", None),
    # another programme's schedule is theirs, however sure the model is that it is an open question
    ("청년창업사관학교 합격자 발표는 언제죠?", "out_of_scope", None),
])
def test_what_the_kind_check_leaves_alone(shipped_core, question, kind, entry):
    a = shipped_core.answer(question, NOW)
    assert (a.kind, a.entry_id) == (kind, entry)


def test_the_shipped_core_has_the_kind_check(shipped_core):
    assert shipped_core.kinds is not None
    probs = shipped_core.kinds.probs("오늘 저녁 회식 장소 추천 좀")
    assert max(probs, key=probs.get) == "out" and sum(probs.values()) == pytest.approx(1.0)


def test_the_shipped_model_was_fitted_on_the_shipped_examples(caplog):
    """bench/export_kinds.py writes both; a start on the shipped data loads the model and fits nothing."""
    from bot.config import PROJECT_ROOT
    from bot.kinds import MODEL_FILE

    import numpy as np

    data = PROJECT_ROOT / "data"
    with np.load(data / MODEL_FILE) as state:
        assert str(state["key"]) == KindModel.key((data / FILE).read_bytes())
    with caplog.at_level(logging.INFO, logger="bot.kinds"):
        assert KindModel.load(data, None) is not None
    assert not any("Fitting" in r.getMessage() for r in caplog.records)


def test_edited_examples_are_fitted_again_not_answered_by_the_stale_shipped_model(tmp_path, caplog):
    write_examples(tmp_path / FILE)
    KindModel.save(KindModel.fit([("아무 질문", "in")] * 2 + [("x", "out"), ("y", "nis"), ("z", "smalltalk")],
                                 "stale-key"), tmp_path / "question_kinds.npz")
    with caplog.at_level(logging.INFO, logger="bot.kinds"):
        model = KindModel.load(tmp_path, None)
    assert any("Fitting" in r.getMessage() for r in caplog.records)
    probs = model.probs("노래 추천해줘")
    assert max(probs, key=probs.get) == "out"


def test_challenges_guessed_from_a_thanks_give_way_to_small_talk(shipped_core):
    """A reply of challenges guessed from a message's words ('업무' is a word of a challenge) is the weakest
    answer: where the kind model is sure of small talk, the message gets the small-talk reply. (A model of
    examples written for this test, so that it is sure.)"""
    from bot.answer import Answerer
    from bot.intents import IntentModel
    from bot.kinds import KindModel, features

    thanks = ["답변 감사합니다 업무에 참고하겠습니다", "감사합니다 참고하겠습니다", "안내 감사합니다 참고할게요",
              "고맙습니다 업무에 참고하겠습니다", "감사합니다 업무에 잘 참고하겠습니다"] * 3
    examples = [(q, "smalltalk") for q in thanks] + [(q, k) for k, qs in EXAMPLES.items() if k != "smalltalk"
                                                      for q in qs * 3]
    model = KindModel(IntentModel.from_state(features, KindModel.fit(examples, "test")))
    question = "안내 감사합니다. 업무에 참고하겠습니다."
    assert model.probs(question)["smalltalk"] >= 0.95
    index = shipped_core.content_manager.index
    without = Answerer(index).answer(question, NOW)
    assert (without.kind, without.form) == ("answer", "challenges")    # what the pipeline alone replies
    checked = Answerer(index, kinds=model).answer(question, NOW)
    assert checked.kind == "smalltalk" and checked.entry_id.startswith("smalltalk_")


def test_data_check_reports_the_examples_and_rejects_a_malformed_line(tmp_path):
    """`python -m bot data check` says what the kind check will learn from, and names a malformed line."""
    import shutil
    import subprocess
    import sys

    from bot.config import PROJECT_ROOT
    from bot.program import DATA_FILES

    data = tmp_path / "data"
    data.mkdir()
    for name in (*DATA_FILES, FILE, "question_kinds.npz"):
        shutil.copy(PROJECT_ROOT / "data" / name, data / name)

    def check():
        env = {"PATH": "/usr/bin:/bin", "BOT_ENV_FILE": "/nonexistent", "DATA_DIR": str(data),
               "DATABASE_PATH": str(tmp_path / "bot.db")}
        return subprocess.run([sys.executable, "-m", "bot", "data", "check"], cwd=PROJECT_ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    ok = check()
    assert ok.returncode == 0 and "the shipped model matches them" in ok.stdout, ok.stdout + ok.stderr
    lines = (data / FILE).read_text(encoding="utf-8").splitlines()
    (data / FILE).write_text("\n".join([*lines, '{"q": "마감 언제", "kind": "answer"}']) + "\n", encoding="utf-8")
    bad = check()
    assert bad.returncode == 1 and f"line {len(lines) + 1}" in bad.stderr and "Traceback" not in bad.stderr
