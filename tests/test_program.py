"""Programme data: validation messages, Korean money and date formatting, the calculator."""

from __future__ import annotations

from datetime import datetime

import pytest
import yaml

from bot.config import TZ
from bot.program import (
    DataError,
    days_left,
    deadline_status,
    format_date,
    format_datetime,
    format_krw,
    josa,
    load_files,
    months_as_years,
    parse_krw,
    split_funding,
)


@pytest.mark.parametrize(
    ("text", "won"),
    [
        ("3억", 300_000_000),
        ("3억 5천", 350_000_000),
        ("3억5천만원", 350_000_000),
        ("2.5억", 250_000_000),
        ("350,000,000원", 350_000_000),
        ("120,000,000", 120_000_000),
        ("삼억", 300_000_000),
        ("삼억오천", 350_000_000),
        ("이억", 200_000_000),
        ("3억원이면", 300_000_000),
        ("총 사업비 3억이면 우리 부담금은?", 300_000_000),
        ("5천만원", 50_000_000),
        ("오천만원", 50_000_000),
        ("35000만", 350_000_000),
        ("1억 2천 5백만", 125_000_000),
        ("2억3천 과제", 230_000_000),
        ("최대 금액 3.5억 기준으로 중소기업 최소 부담 금액", 350_000_000),
        ("십억", 1_000_000_000),
    ],
)
def test_parse_krw(text, won):
    assert parse_krw(text) == won


@pytest.mark.parametrize(
    "text",
    ["60%", "14개월", "마감일이 언제", "사업비 얼마", "만약에 받으면", "천천히 알려줘", "26일까지", "010-1234-5678"],
)
def test_parse_krw_ignores_non_money(text):
    assert parse_krw(text) is None


@pytest.mark.parametrize(
    ("won", "text"),
    [
        (350_000_000, "3억 5천만 원"),
        (180_000_000, "1억 8천만 원"),
        (105_000_000, "1억 500만 원"),
        (35_000_000, "3,500만 원"),
        (30_000_000, "3천만 원"),
        (9_000_000, "900만 원"),
        (200_000_000, "2억 원"),
        (12_345_678, "1,234만 5,678원"),
    ],
)
def test_format_krw(won, text):
    assert format_krw(won) == text


def test_dates_in_korean_with_weekday():
    deadline = datetime(2026, 12, 26, 18, 0, tzinfo=TZ)
    assert format_date(deadline) == "12월 26일(토)"
    assert format_datetime(deadline) == "2026년 12월 26일(토) 18:00"
    # 23:30 UTC on the 25th is already the 26th in Seoul
    utc_evening = datetime.fromisoformat("2026-12-25T23:30:00+00:00")
    assert format_date(utc_evening) == "12월 26일(토)"
    assert days_left(deadline, datetime(2026, 11, 30, 23, 59, tzinfo=TZ)) == 26
    assert days_left(deadline, datetime(2026, 12, 26, 0, 1, tzinfo=TZ)) == 0


def test_deadline_status_before_on_and_after(data_dir):
    program = load_files(data_dir).program
    assert "D-26" in deadline_status(program, datetime(2026, 11, 30, 10, tzinfo=TZ))
    assert "D-day" in deadline_status(program, datetime(2026, 12, 26, 9, tzinfo=TZ))
    assert "마감되었습니다" in deadline_status(program, datetime(2026, 12, 26, 18, 1, tzinfo=TZ))


def test_funding_split_and_cap(data_dir):
    program = load_files(data_dir).program
    split = split_funding(program, 300_000_000)
    assert (split.gov_max, split.demand_min, split.sme_min, split.capped) == (180_000_000, 90_000_000, 30_000_000, False)
    over = split_funding(program, 500_000_000)
    assert over.capped and over.total == 350_000_000 and over.gov_max == 210_000_000
    assert months_as_years(14) == "1년 2개월"


def test_shipped_data_is_valid_and_complete(data_dir):
    content = load_files(data_dir)
    assert len(content.challenges) == 10
    assert len(content.faq) >= 30
    assert content.program.deadline == datetime(2026, 12, 26, 18, 0, tzinfo=TZ)
    assert {c.company for c in content.challenges} >= {"교보생명", "풀무원", "SK에코플랜트", "LG전자", "KT"}
    for entry in content.faq:
        assert entry.alternates, entry.id
        assert entry.source, entry.id


def _edit(path, mutate):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "mutate", "expected"),
    [
        ("faq.yaml", lambda d: d["entries"][1].update(id=d["entries"][0]["id"]), "duplicate id"),
        ("faq.yaml", lambda d: d["entries"][2].pop("answer"), "missing field 'answer'"),
        ("faq.yaml", lambda d: d["entries"][0].update(answer="마감은 {nonsense}"), "unknown placeholder"),
        ("faq.yaml", lambda d: d["entries"][0].update(related=["nope"]), "related id 'nope'"),
        ("faq.yaml", lambda d: d["entries"][0].update(category="기타"), "category"),
        ("challenges.yaml", lambda d: d["challenges"][3].pop("title"), "missing field 'title'"),
        ("program.yaml", lambda d: d["funding"].update(sme_min_pct=20), "add up to 100"),
        ("program.yaml", lambda d: d["application"].update(deadline="26th of December"), "not an ISO date-time"),
        ("program.yaml", lambda d: d["reminders"].append({"id": "d7", "days_before": 2}), "unique"),
    ],
)
def test_malformed_files_name_file_and_entry(data_dir, file, mutate, expected):
    _edit(data_dir / file, mutate)
    with pytest.raises(DataError) as info:
        load_files(data_dir)
    assert info.value.file == file
    assert expected in str(info.value)
    assert info.value.entry  # the entry is named


def test_broken_yaml_names_the_line(data_dir):
    (data_dir / "faq.yaml").write_text("entries:\n  - id: x\n    question: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_files(data_dir)
    assert info.value.file == "faq.yaml" and "line" in (info.value.entry or "")


@pytest.mark.parametrize("text", ["우리 제품 안 사줘도 되는 구조야?", "이천 공장 과제", "구조조정", "사업비 기준"])
def test_hangul_words_that_look_like_numbers_are_not_money(text):
    assert parse_krw(text) is None


@pytest.mark.parametrize(("word", "pair", "expected"), [
    ("개발", "으로/로", "로"), ("구축", "으로/로", "으로"), ("서버", "으로/로", "로"),
    ("개발", "이/가", "이"), ("삼성전자", "은/는", "는"), ("KT", "이/가", "가"),
])
def test_the_particle_after_a_word(word, pair, expected):
    assert josa(word, pair) == expected
