"""Answering real Korean chat: tables of inputs (typos, spacing, particles, money, dates) and the
answers they must produce, on a real SQLite store built from the shipped data."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.answer import plain_text
from bot.config import TZ
from bot.korean import Analyzer, jamo, normalize
from tests.answering import NOW, ask


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        # deadline: spacing, typos, 반말/존댓말, English
        ("마감언제에요", ["12월 26일(토)", "D-26"]),
        ("마감일이언제", ["26일"]),
        ("마감잉 언제야", ["26일"]),
        ("신청 기한 알려주세요", ["26일"]),
        ("deadline?", ["26일"]),
        ("27일에 내면 늦은거죠?", ["26일"]),
        # where / documents
        ("어디서 신청해요?", ["종합관리시스템"]),
        ("신청은 어디로 하나요", ["SMTECH"]),
        ("준비해야 할 셔류 목록 알려줘요", ["연구개발계획서"]),
        # funding facts
        ("지원굼 얼마까지 나와?", ["3억 5천만 원"]),
        ("개발기간 1년 넘게 잡아도 됨?", ["14개월"]),
        ("중기부 60프로 맞나요", ["60%"]),
        ("수요처분담금?", ["30%"]),
        ("우리 회사는 얼마 내야 돼요?", ["10%"]),
        # programme facts
        ("상위사업 이름?", ["구매조건부"]),
        ("혁신센터 몇군데가 머리 맞댄거?", ["8곳"]),
        ("구매연계형이랑 뭐가 달라요?", ["면제"]),
        ("40개 중에 최종 몇개 남은거임?", ["10개"]),
    ],
)
def test_faq_answers_contain_the_facts(core, question, facts):
    answer, text = ask(core, question)
    assert not answer.abstained, (question, answer.kind, text[:80])
    for fact in facts:
        assert fact in text, (question, fact, text[:200])


@pytest.mark.parametrize(
    ("question", "company"),
    [
        ("폐배터리 물류 과제 어디서 냈어요", "롯데글로벌로지스"),
        ("라이다 쓰는 과제", "HD현대중공업"),
        ("AI 배합비", "풀무원"),
        ("KT 과제 머야", "KT"),
        ("엘지 과제 제목 정확히", "LG전자"),
        ("DB손보 과제 뭐예요", "DB손해보험"),
        ("아파트 재활용 쓰레기 자동으로 분류하는 과제 어디서 냈어요?", "SK에코플랜트"),
        ("제조시설 cctv 영상 분석해서 사고 막는 과제 어느회사?", "섹타나인"),
    ],
)
def test_challenges_found_by_company_topic_or_technology(core, question, company):
    answer, text = ask(core, question)
    assert not answer.abstained
    assert company in text


def test_topic_matching_several_challenges_lists_them(core):
    answer, text = ask(core, "센서 쓰는 과제 뭐뭐 있어?")
    assert "LG전자" in text and "현대중공업" in text


@pytest.mark.parametrize(
    ("question", "gov", "demand", "sme"),
    [
        ("총 사업비 3억이면 우리 부담금은?", "1억 8천만 원", "9천만 원", "3천만 원"),
        ("3억 5천 기준 분담금", "2억 1천만 원", "1억 500만 원", "3,500만 원"),
        ("2.5억 과제 정부 지원 최대?", "1억 5천만 원", "7,500만 원", "2,500만 원"),
        ("350,000,000원이면 각각 얼마", "2억 1천만 원", "1억 500만 원", "3,500만 원"),
        ("삼억이면 중소기업 부담은", "1억 8천만 원", "9천만 원", "3천만 원"),
        ("3억원이면 정부가 얼마 내줘", "1억 8천만 원", "9천만 원", "3천만 원"),
        ("2억 과제 정부지원 최대?", "1억 2천만 원", "6천만 원", "2천만 원"),
        ("총 1억 5천만원 과제면?", "9천만 원", "4,500만 원", "1,500만 원"),
    ],
)
def test_funding_calculator(core, question, gov, demand, sme):
    answer, text = ask(core, question)
    assert answer.kind == "answer" and answer.form == "calc"
    assert f"정부 지원: 최대 {gov}" in text
    assert f"수요처 부담: 최소 {demand}" in text
    assert f"중소기업 부담: 최소 {sme}" in text


def test_total_over_the_cap_is_explained(core):
    answer, text = ask(core, "총사업비 5억이면 정부 지원금은?")
    assert answer.form == "calc"
    assert "넘습니다" in text and "3억 5천만 원" in text and "2억 1천만 원" in text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("12월 20일 기준 마감까지 며칠 남았어?", "6일"),
        ("2026-12-19 기준 D-몇?", "D-7"),
        ("12/25 기준 디데이 몇이야", "D-1"),
        ("today is Dec 10, how many days left?", "D-16"),
    ],
)
def test_days_left_from_a_given_date(core, question, expected):
    answer, text = ask(core, question)
    assert answer.form == "dday"
    assert expected in text


def test_dday_relative_to_now_and_after_closing(core):
    before = core.answer("마감 언제예요", datetime(2026, 12, 20, 9, 0, tzinfo=TZ))
    assert "D-6" in plain_text(before.text)
    after = core.answer("마감 언제예요", datetime(2026, 12, 27, 9, 0, tzinfo=TZ))
    assert "마감되었습니다" in plain_text(after.text)


@pytest.mark.parametrize(
    "question",
    [
        "오늘 서울 날씨 어때?",
        "중기부 장관 누구야?",
        "예비창업자도 신청할 수 있나요? 아직 사업자 없어요",
        "KT 인터넷 요금제 추천해줘",
        "스마트공장 지원사업 신청기간 알려줘",
        "신청 수수료 있어요?",
        "선정 결과 발표는 언제 나요?",
        "비트코인 지금 사도 돼?",
        "파이썬으로 리스트 정렬 어떻게 해?",
        "교보생명 종신보험 괜찮아?",
    ],
)
def test_out_of_domain_questions_are_declined(core, question):
    answer, text = ask(core, question)
    assert answer.abstained, (question, answer.kind, text[:100])
    assert "26일까지입니다" not in text and "14개월" not in text


def test_low_confidence_offers_suggestions(core):
    answer, _ = ask(core, "과제 관련해서 궁금한 게 있는데요 지원")
    if answer.kind == "unclear":
        assert len(answer.buttons) <= 3


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [("ＳＭＴＥＣＨ  마감", "smtech 마감"), ("  마감\u200b언제  ", "마감언제"), ("Ｄ－ｄａｙ", "d-day")],
)
def test_normalize(raw, normalized):
    assert normalize(raw) == normalized


def test_jamo_and_typo_correction():
    assert jamo("서류") == "ㅅㅓㄹㅠ"
    analyzer = Analyzer()
    analyzer.set_vocabulary({"서류", "지원금", "마감"})
    assert analyzer.prepare("셔류 알려줘") .startswith("서류")
    assert analyzer.prepare("지원굼 얼마").startswith("지원금")
    assert analyzer.prepare("날씨 어때") == "날씨 어때"  # a real word is not "corrected"


@pytest.mark.parametrize(
    ("text", "morphemes"),
    [
        ("지원금은 얼마예요", ["지원금", "얼마"]),
        ("마감일이 언제야", ["마감", "언제"]),
        ("폐배터리를 옮기는 과제", ["폐", "배터리", "옮기", "과제"]),
    ],
)
def test_particles_and_endings_do_not_break_matching(text, morphemes):
    analyzer = Analyzer({"마감": ["마감일"]})
    assert analyzer.morphemes(analyzer.prepare(text, correct=False)) == morphemes


def test_two_unrelated_near_ties_ask_which_one_was_meant(core):
    import dataclasses

    from bot.answer import Answerer
    from bot.faq import FaqIndex
    from bot.program import FaqEntry

    content = core.content
    twins = (
        FaqEntry("alpha", "신청", "접수 창구는 어디인가요?", "창구 안내입니다.", "test", alternates=("창구 어디",)),
        FaqEntry("beta", "과제", "창구 담당 과제는 무엇인가요?", "과제 안내입니다.", "test", alternates=("창구 어디",)),
    )
    index = FaqIndex(dataclasses.replace(content, faq=twins, challenges=content.challenges[:1]))
    answer = Answerer(index).answer("창구 어디", NOW)
    assert answer.kind == "unclear" and answer.abstained
    assert {target for _, target in answer.buttons} == {"faq:alpha", "faq:beta"}


def test_trie_patterns_find_what_a_longest_first_list_finds():
    """The synonym, name and term patterns are tries for speed; they must match exactly what the plain
    longest-first alternation they replace matches, Latin word bounds included."""
    import random
    import re

    from bot.korean import _synonym_pattern, longest_at_each_place

    words = ["중기부", "중기", "중소벤처기업부", "ar", "ai", "aiot", "r&d", "kt", "sk에코", "sk", "에코플랜트", "부"]

    def bounded(w: str) -> str:
        latin = [c.isascii() and c.isalpha() for c in (w[0], w[-1])]
        return ("(?<![a-z])" if latin[0] else "") + re.escape(w) + ("(?![a-z])" if latin[1] else "")

    longest_first = sorted(words, key=len, reverse=True)
    plain_synonyms = re.compile("|".join(bounded(w) for w in longest_first))
    plain_places = re.compile("(?=(" + "|".join(re.escape(w) for w in longest_first) + "))")
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(words + ["a", "x", "가", " ", "e", "기"]) for _ in range(rng.randint(1, 6)))
        assert [(m.start(), m.group()) for m in _synonym_pattern(words).finditer(text)] == \
            [(m.start(), m.group()) for m in plain_synonyms.finditer(text)], text
        assert [(m.start(), m.group(1)) for m in longest_at_each_place(words).finditer(text)] == \
            [(m.start(), m.group(1)) for m in plain_places.finditer(text)], text


def test_a_one_syllable_noun_of_the_domain_with_its_particles_is_no_typo(core):
    """'봇이에요' is 봇 + 이에요, not a slip of '보이'; a real slip is still fixed ('셔류를' -> '서류를')."""
    answer, _ = ask(core, "무슨 봇이에요?")
    assert answer.kind == "smalltalk", answer.entry_id
    answer, _ = ask(core, "셔류를 뭐 내야 하나요")
    assert answer.entry_id == "faq:documents", answer.entry_id
