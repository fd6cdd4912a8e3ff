"""Korean text analysis for matching chat questions: normalisation, synonyms, morphemes,
character n-grams and jamo-level typo correction.

The morphological analyser is python-mecab-ko by default (its dictionary ships on PyPI, loads in
~0.02 s and ~25 MB); kiwipiepy can be plugged in for comparison (``bench/qa.py --analyzer kiwi``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

# Parts of speech that carry meaning for matching (Sejong tags used by mecab-ko-dic and Kiwi).
CONTENT_TAGS = {"NNG", "NNP", "NR", "NP", "SL", "SN", "SH", "XR", "VV", "VA", "MAG", "MM", "NNBC", "XPN"}
# Nouns decide whether a question is about something the domain knows (see FaqIndex.oov_share).
NOUN_TAGS = {"NNG", "NNP", "SL", "SH"}
# Chat filler at the morpheme level, for any Korean domain ('알려주세요' -> 알리+주, '뭐임' -> 뭐+임).
GENERIC_STOPWORDS = frozenset(
    """알리 주 하 되 있 없 이 그 저 것 거 게 수 때 좀 뭐 머 뭘 무엇 모 임 음 어 아 네 예 응 요 혹시 궁금 질문
    말 말씀 가르치 정리 그냥 진짜 정말 너무 제발 다시 한번 여쭈 부탁 안녕 감사 고맙 ㅋㅋ ㅎㅎ ㅠㅠ 좀 약간 일단
    보 오 가 싶 드리 알 대하 관하 대해 관해 경우 부분 내용 정도 쪽 점 건 분 님 저희 우리 제 내 너 당신""".split()
)
HANGUL_RE = re.compile(r"[가-힣]")
WORD_RE = re.compile(r"[0-9a-z가-힣ㄱ-ㅎ]+")
_SPACE_RE = re.compile(r"\s+")

_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def normalize(text: str) -> str:
    """NFKC (full-width, compatibility jamo), lower case, one space between words."""
    text = unicodedata.normalize("NFKC", text)
    text = text.lower().replace("\u200b", "")
    return _SPACE_RE.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def jamo(text: str) -> str:
    """Decompose Hangul syllables into jamo: '서류' -> 'ㅅㅓㄹㅠ'."""
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            cho, rest = divmod(code, 588)
            jung, jong = divmod(rest, 28)
            out.append(_CHO[cho] + _JUNG[jung] + (_JONG[jong] if jong else ""))
        else:
            out.append(ch)
    return "".join(out)


def char_ngrams(text: str, n: int = 2) -> list[str]:
    """Character n-grams of the text with spaces and punctuation removed (spacing-proof)."""
    compact = "".join(WORD_RE.findall(text))
    if len(compact) < n:
        return [compact] if compact else []
    return [compact[i : i + n] for i in range(len(compact) - n + 1)]


class MecabBackend:
    name = "mecab"

    def __init__(self) -> None:
        import mecab  # python-mecab-ko

        self._mecab = mecab.MeCab()

    def analyze(self, text: str) -> list[tuple[str, str]]:
        """(lemma, tag) pairs; inflected forms reduced to their first stem."""
        out = []
        for m in self._mecab.parse(text):
            f = m.feature
            tag = f.pos
            form = m.surface
            if "+" in tag and f.expression:
                first = f.expression.split("+")[0].split("/")
                form, tag = first[0], first[1]
            out.append((form, tag))
        return out


class KiwiBackend:
    name = "kiwi"

    def __init__(self) -> None:
        from kiwipiepy import Kiwi

        self._kiwi = Kiwi()

    def analyze(self, text: str) -> list[tuple[str, str]]:
        return [(t.form, t.tag.split("-")[0]) for t in self._kiwi.tokenize(text)]


def make_backend(name: str = "mecab"):
    if name == "kiwi":
        return KiwiBackend()
    return MecabBackend()


class Analyzer:
    """Turns text into matching tokens, using the domain's synonyms and vocabulary."""

    def __init__(
        self,
        synonyms: dict[str, Iterable[str]] | None = None,
        stopwords: Iterable[str] = (),
        backend=None,
    ) -> None:
        self.backend = backend or make_backend()
        self.stopwords = {normalize(w) for w in stopwords}
        # variant -> canonical; long variants are replaced as substrings, short Hangul ones only as
        # whole words (so '돈' does not fire inside '돈까스', nor '퍼' inside '퍼센트').
        self._substring: list[tuple[str, str]] = []
        self._wordlevel: dict[str, str] = {}
        for canon, variants in (synonyms or {}).items():
            canon_n = normalize(canon)
            # The canonical form maps to itself, so a variant inside it ('혁신센터' inside
            # '창조경제혁신센터') is not replaced: the longest match at a position wins.
            if not (HANGUL_RE.search(canon_n) and len(canon_n) <= 2):
                self._substring.append((canon_n, canon_n))
            for v in variants:
                v_n = normalize(v)
                if not v_n or v_n == canon_n:
                    continue
                if HANGUL_RE.search(v_n) and len(v_n) <= 2:
                    self._wordlevel[v_n] = canon_n
                else:
                    self._substring.append((v_n, canon_n))
        self._substring.sort(key=lambda p: -len(p[0]))
        self._substring_re = (
            re.compile("|".join(re.escape(v) for v, _ in self._substring)) if self._substring else None
        )
        self._substring_map = dict(self._substring)
        self.vocabulary: set[str] = set()
        self._vocab_by_len: dict[int, list[str]] = {}
        self._vocab_jamo: dict[int, list[str]] = {}

    # -- vocabulary (for typo correction) -------------------------------------------------------
    def set_vocabulary(self, words: Iterable[str]) -> None:
        self.vocabulary = {w for w in words if w}
        by_len: dict[int, list[str]] = {}
        for w in self.vocabulary:
            if len(w) >= 2 and all(HANGUL_RE.match(c) for c in w):
                by_len.setdefault(len(w), []).append(w)
        self._vocab_by_len = {k: sorted(v) for k, v in by_len.items()}
        self._vocab_jamo = {k: [jamo(w) for w in v] for k, v in self._vocab_by_len.items()}
        self._correct_word.cache_clear()

    @lru_cache(maxsize=8192)  # noqa: B019 - bounded, one analyzer per index
    def _correct_word(self, word: str) -> str:
        """Fix a one-jamo typo in the leading part of an eojeol ('셔류를' -> '서류를')."""
        if not HANGUL_RE.match(word) or len(word) < 2:
            return word
        for length in range(min(len(word), 6), 1, -1):
            if word[:length] in self.vocabulary:
                return word
        for length in range(min(len(word), 6), 1, -1):
            prefix = word[:length]
            candidates = self._vocab_by_len.get(length)
            if not candidates:
                continue
            pj = jamo(prefix)
            hits = [
                w
                for w, wj in zip(candidates, self._vocab_jamo[length], strict=True)
                if Levenshtein.distance(pj, wj, score_cutoff=1) <= 1
            ]
            if len(hits) == 1 and not self._is_dictionary_word(prefix):
                return hits[0] + word[length:]
        return word

    def _is_dictionary_word(self, word: str) -> bool:
        """True if the analyser knows ``word`` as one real noun (so it is not a typo)."""
        parts = self.backend.analyze(word)
        return len(parts) == 1 and parts[0][1] in ("NNG", "NNP") and parts[0][0] == word

    # -- analysis -------------------------------------------------------------------------------
    def apply_synonyms(self, text: str) -> str:
        if self._substring_re is not None:
            text = self._substring_re.sub(lambda m: self._substring_map[m.group()], text)
        return _SPACE_RE.sub(" ", text).strip()

    def prepare(self, text: str, correct: bool = True) -> str:
        """Normalised text with synonyms applied and typos corrected (before morphemes)."""
        text = normalize(text)
        text = self.apply_synonyms(text)
        words = []
        for w in text.split(" "):
            if w in self._wordlevel:
                w = self._wordlevel[w]
            elif correct and self.vocabulary:
                fixed = self._correct_word(w)
                if fixed != w:
                    w = self.apply_synonyms(fixed)
            words.append(w)
        return " ".join(words)

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """(morpheme, tag) content pairs of prepared text: particles, endings, filler dropped."""
        out = []
        for form, tag in self.backend.analyze(text):
            if tag not in CONTENT_TAGS:
                continue
            form = form.lower()
            form = self._wordlevel.get(form, form)
            if form in self.stopwords or form in GENERIC_STOPWORDS:
                continue
            out.append((form, tag))
        return out

    def morphemes(self, text: str) -> list[str]:
        return [form for form, _ in self.tagged(text)]

    def analyze(self, text: str, correct: bool = True) -> tuple[list[tuple[str, str]], list[str]]:
        """(tagged content morphemes, character bigrams) for ``text``."""
        prepared = self.prepare(text, correct=correct)
        words = [w for w in prepared.split(" ") if w not in self.stopwords]
        prepared = " ".join(words)
        return self.tagged(prepared), char_ngrams(prepared, 2)

    def tokens(self, text: str, correct: bool = True) -> tuple[list[str], list[str]]:
        """(morpheme tokens, character-bigram tokens) for ``text``."""
        tagged, bigrams = self.analyze(text, correct=correct)
        return [form for form, _ in tagged], bigrams


def is_salient_noun(form: str, tag: str) -> bool:
    """A noun that names a topic: two or more Hangul syllables, or a Latin/Chinese word."""
    if tag not in NOUN_TAGS or form.isdigit():
        return False
    if tag in ("SL", "SH"):
        return len(form) >= 2
    return len(form) >= 2
