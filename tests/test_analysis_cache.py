"""Analyses of the data's phrasings are kept between starts: a second start reuses them and must behave
exactly like a start that analysed everything again; anything stale or broken is analysed again."""

from __future__ import annotations

import json
import logging
import shutil

from bot.config import PROJECT_ROOT, Settings
from bot.core import Core
from bot.korean import Analyzer, MecabBackend
from bot.nlu import training_samples
from tests.answering import NOW

DATA_DIR = PROJECT_ROOT / "data"
QUESTIONS = ["마감 언제예요", "풀무원 과제 뭐예요?", "저희는 냉장 물류 센서 만들어요", "오늘 점심 뭐 먹지",
             "교보생명이랑 KT 과제 기간하고 금액 알려주세요", "안녕하세요"]


def start(tmp_path, name: str, cache_dir) -> Core:
    core = Core(Settings(database_path=tmp_path / f"{name}.db", data_dir=DATA_DIR, cache_dir=cache_dir))
    core.answerer  # noqa: B018 - builds the index and the intent model, then keeps the analyses
    return core


def test_a_second_start_reuses_the_analyses_and_answers_the_same(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = start(tmp_path, "first", cache)
    kept = list(cache.glob("analyses-*.json"))
    assert len(kept) == 1
    stored = json.loads(kept[0].read_text(encoding="utf-8"))
    phrasings = [text for text, _ in training_samples(first.content)]
    assert sum(text in stored for text in phrasings) > 0.9 * len(set(phrasings))

    # The second start takes its analyses from the file: it hardly runs the tagger (counted, not replaced) ...
    tagged = []
    original = MecabBackend.analyze_spans
    monkeypatch.setattr(MecabBackend, "analyze_spans", lambda self, text: tagged.append(text) or original(self, text))
    second = start(tmp_path, "second", cache)
    calls_second = len(tagged)
    fresh = start(tmp_path, "fresh", tmp_path / "elsewhere")
    calls_fresh = len(tagged) - calls_second
    assert calls_fresh > 1000 and calls_second < 0.1 * calls_fresh, (calls_second, calls_fresh)
    a2, a_fresh = second.answerer.index.analyzer, fresh.answerer.index.analyzer
    # ... and its model is the fresh start's model.
    m2, m_fresh = second.answerer.nlu.model, fresh.answerer.nlu.model
    assert m2.vocab == m_fresh.vocab
    assert m2.temperature == m_fresh.temperature
    for text in phrasings[:300]:
        assert a2.tokens(text, correct=False) == a_fresh.tokens(text, correct=False), text
    for q in QUESTIONS:
        assert second.answer(q, NOW).as_dict(q) == fresh.answer(q, NOW).as_dict(q), q
    for core in (first, second, fresh):
        core.close()


def test_the_file_is_reused_only_by_the_same_synonyms_and_code(tmp_path):
    a = Analyzer({"중소벤처기업부": ["중기부"]}, ["좀"])
    same = Analyzer({"중소벤처기업부": ["중기부"]}, ["좀"], backend=a.backend)
    other = Analyzer({"중소벤처기업부": ["중기부", "중벤부"]}, ["좀"], backend=a.backend)
    assert a.fingerprint() == same.fingerprint() != other.fingerprint()

    a.load_analyses(tmp_path)
    a.tokens("중기부 사업 마감", correct=False)
    a.save_analyses()
    assert len(list(tmp_path.glob("analyses-*.json"))) == 1

    other.load_analyses(tmp_path)
    assert other._kept == {}  # another fingerprint's file is not read ...
    other.tokens("중벤부 사업", correct=False)
    other.save_analyses()
    files = list(tmp_path.glob("analyses-*.json"))
    assert [f.name for f in files] == [f"analyses-{other.fingerprint()}.json"]  # ... and is replaced


def test_a_broken_file_is_analysed_again_with_a_warning(tmp_path, caplog):
    cache = tmp_path / "cache"
    core = start(tmp_path, "first", cache)
    expected = core.answer("마감 언제예요", NOW).entry_id
    core.close()
    kept = next(cache.glob("analyses-*.json"))
    kept.write_text('{"마감": [1, 2', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="bot.korean"):
        again = start(tmp_path, "again", cache)
    assert any("Ignoring the kept analyses" in r.getMessage() for r in caplog.records)
    assert again.answer("마감 언제예요", NOW).entry_id == expected
    assert json.loads(kept.read_text(encoding="utf-8"))  # rewritten whole
    again.close()


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, caplog):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="bot.korean"):
        core = start(tmp_path, "db", blocked / "cache")
    assert core.answer("마감 언제예요", NOW).entry_id == "faq:deadline"
    assert any("Could not keep the analyses" in r.getMessage() for r in caplog.records)
    core.close()
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
