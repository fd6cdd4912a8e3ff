"""The intent model's calibration and the staff-term matcher, on small inputs whose answers are known."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from bot.entities import TermMatcher
from bot.intents import FOLDS, IntentModel

SAMPLES = [
    ("마감 언제 마감일", "deadline"), ("마감 날짜", "deadline"), ("언제까지 내요 마감", "deadline"),
    ("마감 며칠 남음", "deadline"), ("서류 뭐 내요", "documents"), ("제출 서류 목록", "documents"),
    ("계획서 서류", "documents"), ("서류 양식", "documents"), ("지원금 얼마", "amount"), ("최대 얼마 지원금", "amount"),
    ("금액 한도", "amount"), ("얼마 받아요", "amount"), ("", "amount"),  # a phrasing with no features at all
]


def words(text: str) -> Counter:
    return Counter(text.split())


def reference_held_scores(model: IntentModel) -> np.ndarray:
    """The held-out scores one phrasing at a time, as the calibration computed them before it was vectorised."""
    n = len(model._x)
    folds = np.arange(n) % FOLDS
    held = np.zeros((n, len(model.labels)))
    for k in range(FOLDS):
        weights = model._fit(folds != k)
        for d in np.flatnonzero(folds == k):
            held[d] = model._scores(weights, model._x[d])
    return held


def test_calibration_matches_scoring_each_phrasing_on_its_own():
    model = IntentModel(words, SAMPLES)
    held = reference_held_scores(model)
    np.testing.assert_allclose(model._held_out_scores(), held, rtol=1e-5, atol=1e-6)
    y = model._y

    def nll(t: float) -> float:
        z = held / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(y)), y].mean())

    # The fitted temperature minimises the reference likelihood (to the search's precision).
    t = model.temperature
    assert nll(t) <= min(nll(t * 1.05), nll(t / 1.05)) + 1e-9
    assert math.isfinite(t) and t > 0
    # And the model it calibrates predicts its own phrasings.
    assert model.predict("마감 언제").intent == "deadline"
    assert model.predict("서류 목록").intent == "documents"


def test_staff_terms_longest_first_spaces_ignored_short_ones_at_word_starts():
    matcher = TermMatcher({"예비창업": "eligibility", "창업패키지": "", "정산": "funding_rules", "부가세환급": "funding_rules"})
    assert matcher.find("예비창업패키지 마감 언제") == [("창업패키지", "")]     # the longer term wins the overlap
    assert matcher.find("예비창업자도 되나요") == [("예비창업", "eligibility")]
    assert matcher.find("연말정산 서류") == []                                     # a short term inside a word
    assert matcher.find("연구비 정산은 어떻게") == [("정산", "funding_rules")]     # ... and as a word of its own
    assert matcher.find("부가세 환급 언제") == [("부가세환급", "funding_rules")]    # spaces ignored
