"""Korean text analysis for matching chat questions: normalisation, synonyms, morphemes,
character n-grams and jamo-level typo correction.

The morphological analyser is python-mecab-ko by default (its dictionary ships on PyPI, loads in
~0.02 s and ~25 MB); kiwipiepy can be plugged in for comparison (``bench/qa.py --analyzer kiwi``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import logging
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from functools import lru_cache, wraps
from importlib import metadata
from pathlib import Path

import mecab  # python-mecab-ko
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
PERCENT_RE = re.compile(r"(\d)\s*(?:%|퍼센트|프로|퍼|percent)")

_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


# NFKC turns a standalone jamo typed on a phone ('ㅠㅠ', 'ㅋㅋ', 'ㄹㅇ') into a conjoining one (U+1100-U+11FF); the
# patterns here are written with the jamo the keyboard types, so a standalone jamo is turned back.
_STANDALONE_JAMO = {unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0x3131, 0x3164)}
_CONJOINING_JAMO = re.compile("[" + "".join(sorted(_STANDALONE_JAMO)) + "]")


CACHED_TEXT_MAX = 300


def _cached_when_short(maxsize: int):
    """Cache a text function for texts of up to CACHED_TEXT_MAX characters (every step normalises the same pieces
    again); a long message is not kept (4,096 characters each would make the cache a memory cost). The cache is
    the function's ``cached`` attribute."""
    def wrap(fn):
        cached = lru_cache(maxsize=maxsize)(fn)

        @wraps(fn)
        def call(text: str) -> str:
            return cached(text) if len(text) <= CACHED_TEXT_MAX else fn(text)
        call.cached = cached
        return call
    return wrap


@_cached_when_short(8192)
def normalize(text: str) -> str:
    """NFKC (full-width forms), lower case, one space between words; a jamo typed alone stays the jamo the
    keyboard types ('ㅠㅠ')."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONJOINING_JAMO.sub(lambda m: _STANDALONE_JAMO[m.group()], text)
    text = text.lower().replace("\u200b", "")
    return _SPACE_RE.sub(" ", text).strip()


# Regional (mostly 경상도) question and sentence endings, rewritten to the standard forms the tagger and
# the intent model know: '대기업은 몇프로 내노' is '... 내냐', '이거 누가 하는기고' is '... 하는거야',
# '고맙데이' is '고맙다'. Only word endings at the end of a sentence (before '?', '!', '.', '~' or the end)
# are rewritten, and only forms that standard Korean does not also use there.
_ENDS_SENTENCE = r"(?=[\s?!.~,]*(?:$|[?!.~,]\s))"


def _past(syllable: str) -> bool:
    """A syllable whose final consonant is ㅆ (the past tense: '냈', '왔', '했')."""
    code = ord(syllable) - 0xAC00
    return 0 <= code < 11172 and code % 28 == 20


def _deuraeyo(m: re.Match) -> str:
    """강원 '-드래요' after a stem ending in a consonant: the plain polite '-아요/-어요' ('맞드래요' 맞아요, '했드래요'
    했어요, '고맙드래요' 고마워요); after a vowel it stays."""
    stem = m.group(1)
    code = ord(stem) - 0xAC00
    # (no final consonant, or ㄴ, ㄹ: a noun, '브랜드래요', '펀드래요')
    if not 0 <= code < 11172 or code % 28 in (0, 4, 8):
        return m.group()
    if stem in "맙렵쉽롭":  # ㅂ-irregular adjectives: '고맙드래요', '어렵드래요', '까다롭드래요'
        return chr(0xAC00 + code - code % 28) + "워요"
    return stem + ("아요" if (code // 28) % 21 in (0, 8) else "어요")  # (ㅏ, ㅗ take '-아요')


def _question_no(m: re.Match) -> str:
    """'내노', '받노', '냈노' (a question ending in 노 after a verb): '내냐', '받냐', '냈냐'; nouns such as
    '나노' or '피아노' stay."""
    stem = m.group(1)
    return stem + "냐" if _past(stem[-1]) or stem[-1] in _VERB_BEFORE_NO else m.group()


_VERB_BEFORE_NO = set("하내되돼주가오보받들있없드해대")
_DIALECT = [
    (re.compile(r"하우꽈"), "하세요"),  # 제주: '안녕하우꽈'
    (re.compile(r"(?<![가-힣])(치|따지|나누|환산하|계산하)모(?![가-힣])"), r"\1면"),  # 경상: '햇수로 치모'
    (re.compile(r"(?<![가-힣])(?:머|뭐|무어)(?:꼬|고)" + _ENDS_SENTENCE), "뭐야"),
    (re.compile(r"(?<![가-힣])누고" + _ENDS_SENTENCE), "누구야"),
    (re.compile(r"(?<![가-힣])(얼마|어디|언제|누구|몇\s*[가-힣]{1,2}?)(이)?고" + _ENDS_SENTENCE), r"\1\2야"),
    (re.compile(r"([가-힣])기고" + _ENDS_SENTENCE), r"\1거야"),
    (re.compile(r"([는은])기고(?![가-힣])"), r"\1거야"),  # mid-sentence too: '누가 하는기고 정부가?'
    # ... written apart after a verb's '-는' ('어데서 하는 기고?', '운영하는 기가?'; not '용량은 기가?', '이 글은 기고')
    (re.compile(r"([하되있없주내받가오보]는)\s?기(?:고|가)" + _ENDS_SENTENCE), r"\1 거야"),
    (re.compile(r"(?<![가-힣])아니제" + _ENDS_SENTENCE), "아니지"),
    (re.compile(r"([가-힣])다\s?카(?:모|믄|면)(?![가-힣])"), r"\1다고 하면"),  # '30% 낸다카모' 낸다고 하면
    (re.compile(r"줄\s*아노" + _ENDS_SENTENCE), "줄 아냐"),
    (re.compile(r"([가-힣]+)노" + _ENDS_SENTENCE), _question_no),
    (re.compile(r"([가-힣])데이" + _ENDS_SENTENCE), r"\1다"),
    (re.compile(r"하능교" + _ENDS_SENTENCE), "하세요"),
    (re.compile(r"([가-힣])능교" + _ENDS_SENTENCE), r"\1나요"),
    (re.compile(r"(?<![가-힣])욕(?:봤|보셨)[가-힣]*"), "수고했어요"),
    (re.compile(r"(?<![가-힣])우째"), "어떻게"),
    (re.compile(r"(?<![가-힣])멫"), "몇"),  # '멫개 회사 뽑노
    (re.compile(r"(?<![가-힣])을마(?=나|에|까지|예|야|냐|\s|$|[?!.])"), "얼마"),  # '을마나 준대요'
    (re.compile(r"(?<![가-힣])아이면(?![가-힣])"), "아니면"),
    (re.compile(r"(?<![가-힣])누기(?=요|야|예요|\s|$|[?!.])"), "누구"),  # 연변·경상: '니 누기요?
    (re.compile(r"(?<![가-힣])(?:무스거|무시기|무슨거)(?=[을를이가도]?(?![가-힣]))"), "무엇"),  # 연변: '무스거 했슴까
    (re.compile(r"(?<![가-힣])은제(?=[가-힣]{0,3}(?:\s|$|[?!.]))"), "언제"),  # '은제 알려준대요', '은제까지
    (re.compile(r"(?<![가-힣])어데(?=서|에|로|가|\s|$|[?!.])"), "어디"),
    (re.compile(r"([가-힣]\s?)기제" + _ENDS_SENTENCE), r"\1거지"),
    (re.compile(r"(?<![가-힣])맹글"), "만들"),
    (re.compile(r"(?<![가-힣])맹그"), "만드"),  # '맹그는 회사
    (re.compile(r"(?<![가-힣])니(?= (?:누구|뭐|머|뭘|멀|무슨))"), "너"),
    (re.compile(r"(?<![가-힣])머(?=[^가-힣]|$|[가를](?!리))"), "뭐"),  # also '머가다름', '머를' (not '머가리')
    (re.compile(r"(?<![가-힣])그라고(?![가-힣])"), "그리고"),
    (re.compile(r"(?<![가-힣])그라믄(?![가-힣])"), "그러면"),
    (re.compile(r"([가-힣])믄(?![가-힣])"), r"\1면"),   # '빼믄', '뽑았으믄': '빼면', '뽑았으면'
    # 제주: '맞수꽈' 맞습니까, '이름이 뭐우꽈' 뭐예요, '회사우다' 회사예요, '…마씸' …요
    (re.compile(r"([가-힣])수꽈" + _ENDS_SENTENCE), r"\1습니까"),
    (re.compile(r"([가-힣])(?:이)?우꽈" + _ENDS_SENTENCE), r"\1예요"),
    (re.compile(r"(회사|업체|기업|공장)(?:이)?우다" + _ENDS_SENTENCE), r"\1예요"),
    (re.compile(r"([가-힣])마씸" + _ENDS_SENTENCE), r"\1요"),
    # 전라: '맞당께' 맞다니까, '…했는디' …했는데, '뭐여?' 뭐야, '어떻게 혀' 어떻게 해, 끝의 '잉'
    (re.compile(r"([가-힣])당께" + _ENDS_SENTENCE), r"\1다니까"),
    (re.compile(r"([가-힣])(?:는|던|은)디(?![가-힣])"), lambda m: m.group()[:-1] + "데"),
    (re.compile(r"(?<![가-힣])(뭐|머|누구|어디|언제|얼마)여" + _ENDS_SENTENCE), r"\1야"),
    (re.compile(r"(?<![가-힣])혀" + _ENDS_SENTENCE), "해"),
    (re.compile(r"([가-힣]요)잉" + _ENDS_SENTENCE), r"\1"),
    # Hearsay asked back ('정부가 70% 준다면서요', 강원 '준다매요'; the tagger reads '서요', '매요' as nouns) and 강원
    # '된다드만' (된다던데), '맞드래요?', '모르겠드래요' (맞아요, 모르겠어요), '아이래요' (아니에요), '마카' (모두)
    (re.compile(r"([가-힣])([다라])(?<!바라|자라)(?:매|면서)(요?)(?=[\s?!.~]*(?:$|[?!.~]\s))"), r"\1\2던데\3"),
    (re.compile(r"(?<=\S)([다라])(?:드|더)만" + _ENDS_SENTENCE), r"\1던데"),
    (re.compile(r"([가-힣])드래요" + _ENDS_SENTENCE), _deuraeyo),
    (re.compile(r"(?<![가-힣])아이래요" + _ENDS_SENTENCE), "아니에요"),
    (re.compile(r"(?<![가-힣])마카(?=\s+(?:다|내|주|줘|해|하|받|들))"), "모두"),  # (not the plant: '마카 원료')
    # 충청: '맞어유' 맞아요, '뭐유' 뭐예요, '했슈' 했어요
    (re.compile(r"(?<![가-힣])(뭐|머|누구|어디|언제|얼마)유" + _ENDS_SENTENCE), r"\1예요"),
    (re.compile(r"(?<![가-힣])아니유" + _ENDS_SENTENCE), "아니에요"),
    (re.compile(r"([가-힣])어유" + _ENDS_SENTENCE), r"\1아요"),
    (re.compile(r"([가-힣])슈" + _ENDS_SENTENCE), r"\1어요"),
    # ... '써야 하는 거유' 거예요, '0원이어도 돼유' 돼요, '맞지유' 맞지요 (endings, not words such as '이유', '공유')
    (re.compile(r"(?<=[가-힣\s])(거|돼|되|해|지|래|데|대|까|나)유" + _ENDS_SENTENCE), r"\1요"),
]


# 연변 endings with a final ㅁ: '맞슴까' 맞습니까, '뽑힘까' 뽑힙니까, '물어봄다' 물어봅니다 (syllables whose final consonant is ㅁ).
_M_BEFORE_DA = frozenset("슴임함됨봄씀줌음")  # '-슴다', '-임다' …; not a verb's own stem ('남다', '담다')
_M_ENDING = re.compile(r"([가-힣])(까|다)(?=[\s?!.~,]*(?:$|[?!.~,]\s|\s))")


# Old-fashioned spelling and very formal endings, as older writers use them: '고맙읍니다' 고맙습니다, '되겠읍니까'
# 되겠습니까 (the spelling before 1988), '것이옵니까' 것입니까, '궁금하옵니다' 궁금합니다, '있사옵니다' 있습니다, '몇일' 며칠.
_OLD_SPELLING = [
    (re.compile(r"([가-힣])읍니(다|까)"), r"\1습니\2"),
    (re.compile(r"([가-힣])사옵니(다|까)"), r"\1습니\2"),
    (re.compile(r"몇\s?일"), "며칠"),
]
_OPNI = re.compile(r"([하이되시])옵니(다|까)")  # (not '나옵니까', the plain '나오다')


def _opni(m: re.Match) -> str:
    """'하옵니다' 합니다, '이옵니까' 입니까: a syllable without a final consonant takes ㅂ; one with a final consonant
    ('좋옵니다', rare) reads as '-습니다'."""
    syllable, end = m.group(1), m.group(2)
    if (ord(syllable) - 0xAC00) % 28 == 0:
        return chr(ord(syllable) + 17) + "니" + end  # (ㅂ is final consonant 17)
    return syllable + "습니" + end


# Native Korean numbers of months ('여섯 달', '열두 달'): figures, as the arithmetic reads them ('6개월'); '한 달' stays
# (it is how a monthly amount is asked: '한 달에 얼마').
_NATIVE_MONTHS = {"두": 2, "세": 3, "석": 3, "네": 4, "넉": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
                  "열": 10, "열한": 11, "열두": 12, "열세": 13, "열네": 14}
_NATIVE_MONTH_RE = re.compile(r"(?<![가-힣])(" + "|".join(sorted(_NATIVE_MONTHS, key=len, reverse=True)) + r")\s?달")


# A particle or copula written apart from its noun, as learners of Korean often write ('부산 센터 도 참여 했어요?',
# '중기부 는 무슨 뜻 이에요?'): joined to it (only those that are never a word of their own; '도' only after a word of
# two syllables or more: '각 도', '시 도' are words).
_LONE_PARTICLE = re.compile(r"(?<=[가-힣]) (는|(?<=[가-힣]{2} )도|를|을|은|에서|에게|한테|이에요|예요|인가요|인데요|이야|이에요\?|이랑|하고는)"
                            r"(?=[\s?!.,~]|$)")


# Hanja glossing a Hangul word, as formal Korean writes it: '모(母)사업' is '모사업'.
_HANJA_GLOSS = re.compile(r"\([\u4e00-\u9fff]+\)")


def _m_to_b(m: re.Match) -> str:
    """'임까' -> '입니까', '슴다' -> '습니다': a final ㅁ before 까/다 read as ㅂ니 (연변 endings)."""
    syllable, end = m.group(1), m.group(2)
    if (ord(syllable) - 0xAC00) % 28 != 16 or (end == "다" and syllable not in _M_BEFORE_DA):
        return m.group()
    return chr(ord(syllable) + 1) + "니" + end  # (ㅁ is the final consonant just before ㅂ)


# Sino-Korean numbers spoken or written out before a unit ('삼억오천', '십사개월', '이십육일'): figures.
_DIGITS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6, "칠": 7, "팔": 8, "구": 9}
_SMALL_UNITS = {"십": 10, "백": 100, "천": 1000}
_NUMBER_WORD = re.compile(r"(?<![가-힣0-9.,])([일이삼사오육륙칠팔구십백천]+(?:억[일이삼사오육륙칠팔구십백천]*)?(?:만)?)"
                          r"(?=\s*(?:개월|달|억|만|천|원|프로|퍼센트|일|개|곳|년))")


def _spoken_number(word: str) -> str:
    def small(part: str) -> int | None:
        total, digit = 0, None
        for ch in part:
            if ch in _DIGITS:
                if digit is not None:
                    return None
                digit = _DIGITS[ch]
            elif ch in _SMALL_UNITS:
                total += (digit or 1) * _SMALL_UNITS[ch]
                digit = None
            else:
                return None
        return total + (digit or 0)
    out = []
    for part in re.split(r"(억|만)", word):
        if part in ("억", "만"):
            out.append(part)
        elif part:
            value = small(part)
            if value is None:
                return word
            out.append(str(value))
    spoken = "".join(out)
    # a single syllable ('이 일', '사 개월') is as likely a word ('이', '사') as a figure
    return spoken if len(word) >= 2 and any(c.isdigit() for c in spoken) else word


@_cached_when_short(1024)
def standardize(text: str) -> str:
    """A user's message (normalised) with regional endings in their standard forms (see _DIALECT), numbers
    said in words as figures ('삼억오천' 3억5천) and without hanja glosses."""
    if not HANGUL_RE.search(text):
        return text
    text = _HANJA_GLOSS.sub("", text)
    for pattern, repl in _DIALECT:
        text = pattern.sub(repl, text)
    if "읍니" in text or "옵니" in text or "몇" in text:
        for pattern, repl in _OLD_SPELLING:
            text = pattern.sub(repl, text)
        text = _OPNI.sub(_opni, text)
    text = _LONE_PARTICLE.sub(r"\1", text)
    if "달" in text:
        text = _NATIVE_MONTH_RE.sub(lambda m: f"{_NATIVE_MONTHS[m.group(1)]}개월", text)
    text = _M_ENDING.sub(_m_to_b, text)
    return _NUMBER_WORD.sub(lambda m: _spoken_number(m.group(1)), text)


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


def one_deleted(j: str) -> set[str]:
    """A jamo string and every string one letter shorter (SymSpell's deletion keys)."""
    return {j, *(j[:i] + j[i + 1:] for i in range(len(j)))}


# Words that begin with one of these are real words, not typos of a noun.
_NOT_TYPO_TAGS = {"VV", "VA", "VX", "VCP", "VCN", "MAG", "MAJ", "MM", "NP", "IC"}


log = logging.getLogger(__name__)


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


class MecabBackend:
    name = "mecab"
    # Dictionary pages touched by analyses are released (see trim, ~4 ms) at most every TRIM_SECONDS
    # and after at least TRIM_AFTER analyses: memory stays bounded in a long-running bot, while a burst
    # of questions is not slowed by a trim in the middle of an answer. Bulk analyses (building the
    # index and the intent model) release them between stages (Analyzer.release_pages).
    # (Every 60 s, not 10 s: the pages a trim drops are faulted back by the next questions, which cost
    # the qa bench's p99 about 0.5 ms; the resident set grew by 2 MB over 7,769 questions.)
    TRIM_SECONDS = 60.0
    TRIM_AFTER = 25

    def __init__(self) -> None:
        self._mecab = mecab.MeCab()
        self._since_trim = 0
        self._last_trim = time.monotonic()
        self._mecab.parse("가")
        # Lookups jump around the dictionary: read-ahead would map whole neighbourhoods for each
        # page actually needed. MADV_RANDOM keeps the resident set to the pages really used.
        self._madvise_dictionary(1)

    @staticmethod
    def version() -> str:
        """The tagger and its dictionary (an analysis kept from another version is not reused)."""
        return f"mecab {_package_version('python-mecab-ko')} {_package_version('python-mecab-ko-dic')}"

    def analyze(self, text: str) -> list[tuple[str, str]]:
        """(lemma, tag) pairs; inflected forms reduced to their first stem."""
        return [(form, tag) for form, tag, _, _ in self.analyze_spans(text)]

    def analyze_spans(self, text: str) -> list[tuple[str, str, int, int]]:
        """(lemma, tag, start, end) with character offsets into ``text``."""
        self._since_trim += 1
        if self._since_trim >= self.TRIM_AFTER and time.monotonic() - self._last_trim >= self.TRIM_SECONDS:
            self._since_trim = 0
            self._last_trim = time.monotonic()
            self.trim()
        # The tagger's plain text output, read here: five times faster than building python-mecab-ko's
        # Morpheme objects (lines are "surface\tPOS,semantic,jongseong,reading,type,start,end,expression").
        # (tag_spans reads the same lines for the full tags; this hot loop stays inline: a shared token list
        # cost 4 % of the per-question time.)
        out, pos = [], 0
        for line in self._mecab._tagger.parse(text).split("\n"):
            if not line or line == "EOS":
                continue
            surface, _, feature = line.partition("\t")
            fields = feature.split(",")
            tag = fields[0]
            start = text.find(surface, pos)
            start = start if start >= 0 else pos
            pos = start + len(surface)
            form = surface
            expression = fields[7] if len(fields) > 7 else "*"
            if "+" in tag and expression != "*":
                first = expression.split("+")[0].split("/")
                form, tag = first[0], first[1]
            out.append((form, tag, start, pos))
        return out

    def tag_spans(self, text: str) -> list[tuple[str, int, int]]:
        """(full tag, start, end) of each token as the tagger gives it ('VCP+EF' for '예요'): the lines
        analyze_spans reads, without reducing a compound tag to its first part."""
        out, pos = [], 0
        for line in self._mecab._tagger.parse(text).split("\n"):
            if not line or line == "EOS":
                continue
            surface, _, feature = line.partition("\t")
            start = text.find(surface, pos)
            start = start if start >= 0 else pos
            pos = start + len(surface)
            out.append((feature.split(",")[0], start, pos))
        return out


    @staticmethod
    def _madvise_dictionary(advice: int) -> int:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            with open("/proc/self/maps") as maps:
                ranges = [line.split()[0] for line in maps if "mecab_ko_dic" in line]
        except OSError:
            return 0
        done = 0
        for r in ranges:
            start, end = (int(x, 16) for x in r.split("-"))
            if libc.madvise(ctypes.c_void_p(start), ctypes.c_size_t(end - start), advice) == 0:
                done += end - start
        return done

    @staticmethod
    def trim() -> int:
        """Drop this process's resident pages of the memory-mapped dictionary; returns bytes released.

        mecab-ko-dic is ~100 MB of read-only files mapped into memory. Analysing a few thousand FAQ
        phrasings at start touches much of it, and those clean file-backed pages then count in the
        bot's resident set although the OS page cache holds them anyway. madvise(MADV_DONTNEED)
        unmaps them from this process; a later lookup faults the page back in from the page cache.
        """
        return MecabBackend._madvise_dictionary(4)  # MADV_DONTNEED


class KiwiBackend:
    name = "kiwi"

    def __init__(self) -> None:
        # Lazy: kiwipiepy is optional (the `bench` extra, for comparison) and not installed to run the bot.
        from kiwipiepy import Kiwi

        self._kiwi = Kiwi()

    @staticmethod
    def version() -> str:
        return f"kiwi {_package_version('kiwipiepy')} {_package_version('kiwipiepy_model')}"

    def analyze(self, text: str) -> list[tuple[str, str]]:
        return [(form, tag) for form, tag, _, _ in self.analyze_spans(text)]

    def analyze_spans(self, text: str) -> list[tuple[str, str, int, int]]:
        return [(t.form, t.tag.split("-")[0], t.start, t.start + t.len) for t in self._kiwi.tokenize(text)]

    def tag_spans(self, text: str) -> list[tuple[str, int, int]]:
        return [(tag, start, end) for _, tag, start, end in self.analyze_spans(text)]

    @staticmethod
    def trim() -> int:
        return 0


# Re-spacing a message typed without spaces ('…낸거예요그리고그회사가…'): a word ends with a particle or an ending
# (or is an adverb, a determiner, a conjunction); a sentence ends with a final ending.
UNSPACED_RUN = re.compile(r"[0-9a-z가-힣]{25,}")
_WORD_START = {"NNG", "NNP", "NNB", "NP", "NR", "MM", "MAG", "MAJ", "IC", "SL", "SH", "VV", "VA", "XR", "XPN", "SN"}
_WORD_END = {"MAG", "MAJ", "MM", "IC", "XSN", "ETM", "ETN"}  # (not after a connective ending: '하고', '는데' join clauses)


_LINKING_EC = re.compile(r"(?:고|어|아|여|게|서|야|(?<![는인은던을])지)$")  # ('-는지', '-인지' end an embedded question)


def respace(text: str, backend) -> str:
    """``text`` with spaces put back into its runs of 25 or more letters typed without a space, and a full stop
    after each final ending inside them (a question or a statement ends there)."""
    def run(m: re.Match) -> str:
        chunk, out, last = m.group(), [], 0
        previous, linked = "", False
        for tag, start, end in backend.tag_spans(chunk):
            first, final = tag.split("+")[0], tag.split("+")[-1]
            if start >= last and previous:
                if previous == "EF":
                    out.append(". ")
                elif first == "MAJ" or (first in _WORD_START and (previous[0] == "J" or previous in _WORD_END
                                                                  or (previous == "EC" and not linked))):
                    out.append(" ")
            out.append(chunk[last:end])
            last = max(last, end)
            previous = final
            # (a connective ending that links clauses or verbs, '-고', '-어/아', '-게', '-서', stays glued: '입사하고
            # 며칠' would read as two questions)
            linked = final == "EC" and _LINKING_EC.search(chunk[start:end]) is not None
        out.append(chunk[last:])
        return "".join(out)
    return UNSPACED_RUN.sub(run, text)


def make_backend(name: str = "mecab"):
    if name == "kiwi":
        return KiwiBackend()
    return MecabBackend()


def trie_pattern(words: Iterable[str], latin_bounds: bool = False) -> str:
    """A regex source matching, at a place, the longest of ``words`` there, as a longest-first list of
    alternatives does, but written as a trie ('중기부|중기청' -> '중기(?:부|청)'): every branch begins with
    one literal character, so the regex engine tries one path at a place instead of every word in turn,
    and skips the places where no word can start (a list of 750 synonyms took ~0.1 ms per question
    piece; the trie takes a few microseconds). At each node the longer continuations are tried before
    the word ending there, so the longest word wins.

    ``latin_bounds``: a word that starts or ends with a Latin letter matches only where the text has no
    Latin letter on that side ('ar' is not inside 'are' or 'startup'); a Korean particle may follow."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def latin(ch: str) -> bool:
        return latin_bounds and ch.isascii() and ch.isalpha()

    def pattern(node: dict, last: str, first: bool) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            # A Latin first letter must not continue a Latin word: the character before the match (one
            # before this letter) is not a Latin letter.
            start_check = "(?<![a-z].)" if first and latin(ch) else ""
            branches.append(re.escape(ch) + start_check + pattern(node[ch], ch, False))
        if "" in node:
            branches.append("(?![a-z])" if latin(last) else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return pattern(root, "", True) if root else ""


def longest_at_each_place(words: Iterable[str]) -> re.Pattern | None:
    """A pattern whose matches are empty, one at every place where one of ``words`` starts, with the
    longest word there as group 1 (a lookahead: words that overlap are all found). The first-letter
    class in front lets the engine skip places where no word starts."""
    words = [w for w in words if w]
    if not words:
        return None
    first = "".join(sorted({w[0] for w in words}))
    return re.compile("(?=[" + re.escape(first) + "])(?=(" + trie_pattern(words) + "))")


def _synonym_pattern(variants: list[str]) -> re.Pattern:
    """One pattern for the synonyms' variants: the longest variant at each place, Latin-bounded."""
    return re.compile(trie_pattern(variants, latin_bounds=True))


class Analyzer:
    """Turns text into matching tokens, using the domain's synonyms and vocabulary."""

    def __init__(
        self,
        synonyms: dict[str, Iterable[str]] | None = None,
        stopwords: Iterable[str] = (),
        backend=None,
    ) -> None:
        self.backend = backend or make_backend()
        self.source = None  # what the analyser was built from (set by its owner, to reuse it)
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
        self._substring_re = _synonym_pattern([v for v, _ in self._substring]) if self._substring else None
        self._substring_map = dict(self._substring)
        # Canonical terms that the analyser would split (compound names) are kept whole.
        terms = sorted(
            {c for c in self._substring_map.values() if len(c) >= 4 and HANGUL_RE.search(c) and " " not in c},
            key=len, reverse=True,
        )
        self._terms_re = re.compile("|".join(re.escape(t) for t in terms)) if terms else None
        self.vocabulary: set[str] = set()
        self._near: dict[tuple[int, str], set[str]] = {}
        # Uncorrected analyses kept across runs (see load_analyses): text -> (prepared, tagged, bigrams).
        self._kept: dict[str, tuple[str, list[tuple[str, str]], list[str]]] = {}
        self._kept_path: Path | None = None
        self._kept_loaded = 0

    # -- analyses kept across runs -----------------------------------------------------------------
    def fingerprint(self) -> str:
        """Everything an uncorrected analysis depends on: this module's code, the tagger and its
        dictionary, the synonyms and the stop words."""
        digest = hashlib.sha256(Path(__file__).read_bytes())
        version = getattr(self.backend, "version", None)
        digest.update((version() if version else type(self.backend).__name__).encode())
        digest.update(json.dumps([sorted(self._substring), sorted(self._wordlevel.items()), sorted(self.stopwords)],
                                 ensure_ascii=False).encode())
        return digest.hexdigest()[:20]

    def load_analyses(self, directory: Path) -> None:
        """Reuse the analyses of the data's phrasings that an earlier run with the same fingerprint kept
        in ``directory`` (analysing them is about half of the start-up), and keep the ones made until
        ``save_analyses``. A missing, stale or unreadable file only means analysing again."""
        self._kept_path = Path(directory) / f"analyses-{self.fingerprint()}.json"
        try:
            raw = json.loads(self._kept_path.read_text(encoding="utf-8"))
            self._kept = {text: (prepared, [(f, t) for f, t in tagged], list(bigrams))
                          for text, (prepared, tagged, bigrams) in raw.items()}
        except FileNotFoundError:
            self._kept = {}
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning("Ignoring the kept analyses in %s (%s); analysing again", self._kept_path, exc)
            self._kept = {}
        self._kept_loaded = len(self._kept)

    def save_analyses(self) -> None:
        """Write the kept analyses if this run made new ones (atomically; stale files of other
        fingerprints are removed), then stop keeping them: they live on in the caches while used."""
        path, kept = self._kept_path, self._kept
        self._kept_path, self._kept = None, {}
        if path is None or len(kept) == self._kept_loaded:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for old in path.parent.glob("analyses-*.json"):
                if old != path:
                    old.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".analyses-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(kept, f, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
            log.info("Kept %d analyses for the next start in %s", len(kept), path)
        except OSError as exc:
            log.warning("Could not keep the analyses in %s: %s", path, exc)

    def release_pages(self) -> None:
        """Give back the dictionary pages a bulk of analyses touched (bounds the start-up peak)."""
        trim = getattr(self.backend, "trim", None)
        if trim:
            trim()

    # -- vocabulary (for typo correction) -------------------------------------------------------
    def set_vocabulary(self, words: Iterable[str]) -> None:
        self.vocabulary = {w for w in words if w}
        by_len: dict[int, list[str]] = {}
        for w in self.vocabulary:
            if len(w) >= 2 and all(HANGUL_RE.match(c) for c in w):
                by_len.setdefault(len(w), []).append(w)
        # Every word's jamo with one letter deleted (and whole), by syllable length: two jamo strings within
        # one edit share such a key (SymSpell's deletion index), so candidates are looked up, not scanned.
        self._near: dict[tuple[int, str], set[str]] = {}
        for length, words in by_len.items():
            for w in words:
                for key in one_deleted(jamo(w)):
                    self._near.setdefault((length, key), set()).add(w)
        self._correct_word.cache_clear()
        self._prepare.cache_clear()
        self._analyze_corrected.cache_clear()  # corrections depend on the vocabulary; raw analyses do not

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
            # All vocabulary words of this length within one jamo edit.
            j = jamo(prefix)
            near = set().union(*(self._near.get((length, key), ()) for key in one_deleted(j)))
            hits = [w for w in near if Levenshtein.distance(j, jamo(w)) <= 1]
            # Only a noun is corrected to ('없으면' is not a typo of the verb '없애'), and a verb, adjective
            # or adverb the analyser knows is no typo ('빼고' is not a slip of '재고').
            if len(hits) == 1 and not self._is_dictionary_word(prefix) and self._is_noun(hits[0]) \
                    and not self._is_known_non_noun(word) and not self._starts_with_real_noun(word, length):
                return hits[0] + word[length:]
        return word

    def _starts_with_real_noun(self, word: str, length: int) -> bool:
        """The analyser reads the word as a real noun where the slip-looking prefix is: a known noun longer
        than the prefix ('인테리어를' starts with '인테리어': correcting would cut a real word in two), or a
        noun the domain uses followed by particles or endings only ('봇이에요' is 봇 + 이에요, no slip of
        '보이')."""
        parts = self.backend.analyze(word)
        if len(parts) > 1 and len(parts[0][0]) == 1 and parts[0][1] in ("NNG", "NNB") and word.startswith(parts[0][0]) \
                and parts[1][1] in ("JKB", "JKG") and all(t[0] in "JEXS" for _, t in parts[1:]):
            return True  # a one-syllable noun and a case particle: '중에', '중에서' ('14개월 중에'), not '중요'
        if not parts or parts[0][1] not in NOUN_TAGS or not word.startswith(parts[0][0]):
            return False
        return len(parts[0][0]) > length or (
            parts[0][0] in self.vocabulary and all(t[0] in "JEXS" or t == "VCP" for _, t in parts[1:]))

    def _is_known_non_noun(self, word: str) -> bool:
        return self._first_tag(word) in _NOT_TYPO_TAGS

    def _is_noun(self, word: str) -> bool:
        return self._first_tag(word) in NOUN_TAGS

    def _first_tag(self, word: str) -> str:
        parts = self.backend.analyze(word)
        return parts[0][1] if parts else ""

    def _is_dictionary_word(self, word: str) -> bool:
        """True if the analyser knows ``word`` as one real noun (so it is not a typo)."""
        parts = self.backend.analyze(word)
        return len(parts) == 1 and parts[0][1] in ("NNG", "NNP") and parts[0][0] == word

    # -- analysis -------------------------------------------------------------------------------
    @lru_cache(maxsize=256)  # noqa: B019 - bounded; an analyser's synonyms never change (a new one is built)
    def apply_synonyms(self, text: str) -> str:
        """``text`` with every variant replaced by its canonical term (cached: several steps check the
        same pieces)."""
        if self._substring_re is not None:
            text = self._substring_re.sub(self._replace, text)
        return _SPACE_RE.sub(" ", text).strip()

    def _replace(self, match: re.Match) -> str:
        canon = self._substring_map[match.group()]
        # English words are written apart from Korean ones; keep them apart so a particle that
        # followed ('minimum은') is not glued onto the Korean replacement ('최소은').
        return f" {canon} " if match.group()[:1].isascii() and match.group()[:1].isalpha() else canon

    def prepare(self, text: str, correct: bool = True) -> str:
        """Normalised text with synonyms applied and typos corrected (before morphemes). Cached: a
        question's analysis and its intent features both start from it."""
        if not correct and text in self._kept:
            return self._kept[text][0]
        return self._prepare(text, correct)

    @lru_cache(maxsize=256)  # noqa: B019 - bounded; cleared when the vocabulary changes
    def _prepare(self, text: str, correct: bool) -> str:
        text = PERCENT_RE.sub(r"\1%", normalize(text))
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
        # Multi-morpheme names the domain knows ('중소벤처기업부', 'HD현대중공업') count as one token:
        # split into four pieces they would outweigh everything else in the question.
        protected = [(m.start(), m.end(), m.group()) for m in self._terms_re.finditer(text)] if self._terms_re else []
        pairs = self.backend.analyze_spans(text)
        p = 0
        for i, (form, tag, start, end) in enumerate(pairs):
            while p < len(protected) and protected[p][1] <= start:
                p += 1
            if p < len(protected) and protected[p][0] <= start < protected[p][1]:
                term_start, _, term = protected[p]
                if start == term_start or not out or out[-1][0] != term:
                    out.append((term, "NNP"))
                continue
            if tag == "SN" and i + 1 < len(pairs) and pairs[i + 1][0] == "%":
                form = form + "%"  # '60%' is one fact, distinct from '60' (days, months ...)
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

    def analyze(self, text: str, correct: bool = True, cache: bool = True) -> tuple[list[tuple[str, str]], list[str]]:
        """(tagged content morphemes, character bigrams) for ``text`` (cached: several steps, the
        index and the intent model analyse the same texts; long texts read once need no cache)."""
        if not cache:
            return self._analyze(text, correct=correct and bool(self.vocabulary))
        return self._analyze_corrected(text) if correct and self.vocabulary else self._analyze_raw(text)

    @lru_cache(maxsize=4096)  # noqa: B019 - bounded; kept across vocabulary changes
    def _analyze_raw(self, text: str) -> tuple[list[tuple[str, str]], list[str]]:
        return self._analyze(text, correct=False)

    @lru_cache(maxsize=1024)  # noqa: B019 - bounded; cleared when the vocabulary changes
    def _analyze_corrected(self, text: str) -> tuple[list[tuple[str, str]], list[str]]:
        return self._analyze(text, correct=True)

    def _analyze(self, text: str, correct: bool) -> tuple[list[tuple[str, str]], list[str]]:
        if not correct and text in self._kept:
            _, tagged, bigrams = self._kept[text]
            return tagged, bigrams
        prepared = self.prepare(text, correct=correct)
        words = [w for w in prepared.split(" ") if w not in self.stopwords]
        content = " ".join(words)
        tagged, bigrams = self.tagged(content), char_ngrams(content, 2)
        if not correct and self._kept_path is not None:
            self._kept[text] = (prepared, tagged, bigrams)
        return tagged, bigrams

    def tokens(self, text: str, correct: bool = True, cache: bool = True) -> tuple[list[str], list[str]]:
        """(morpheme tokens, character-bigram tokens) for ``text``."""
        tagged, bigrams = self.analyze(text, correct=correct, cache=cache)
        return [form for form, _ in tagged], bigrams


# Everyday nouns that say nothing about a question's topic (time expressions, light nouns): a
# question is not "about something else" because it mentions Christmas or today.
GENERIC_NOUNS = frozenset(
    """오늘 내일 어제 모레 그제 이번 다음 지난 올해 작년 금년 연말 연초 월말 월초 주말 평일 주중 요일 월요일 화요일
    수요일 목요일 금요일 토요일 일요일 크리스마스 크리스마스이브 이브 성탄절 설날 추석 연휴 휴일 공휴일 아침 점심
    저녁 밤 새벽 오전 오후 시간 시각 날 날짜 하루 이틀 사흘 며칠 몇일 일주일 주일 개월 달 년 분 초 지금 현재
    요즘 최근 나중 이따 방금 아까 당장 사람 분들 회사 업체 우리 저희 처음 나머지 전부 전체 모두 다른 기타 정도
    문제 경우 상황 관련 내용 부분 쪽 거기 여기 저기 이거 그거 저거 이것 그것 저것 뭔지 얘기 말씀 설명 정보
    확인 답 답변 대답 질문 문의 궁금 도움 부탁 주인 상태 느낌 생각 계획 예정 기준 정리 요약 한줄 한마디 구요 라구요
    사실 숫자 소문 루머 이야기 팩트 진위 여부
    today tomorrow yesterday now day days week weeks month months year years time date jan feb mar apr may jun
    jul aug sep oct nov dec january february march april june july august september october november december
    how many much what which who whom whose when where why is are was were be been do does did can could
    will would should shall may might must a an the this that these those it its i me my we us our you your
    they them their he she of to in on at for from by with about per as and or but if then than so not no yes
    please tell know want need get got let left any some all each every there here program programme
    one two three four five six seven eight nine ten first second third th st nd rd s t ll ve re won krw
    like have has had having ok okay something anything nothing thing things stuff both either neither among include
    includes including actually basically really pretty sure think thought go goes going gone went come comes doing
    done make makes made use uses used using say says said see seen look looking find found give gives given take
    taken put keep also too still just only even very much more most less least few fewer many lot lots little big
    small good bad great new old same other another such own right wrong true false yes no not out off over under
    up down into onto through thru across between within without again already yet ever never always often quick
    short long whole kind sort way ways part parts end start thing question questions answer ask asking wonder
    wondering wait hmm um uh lol haha yo hey thx thanks please plz pls kindly could would should shall gotta wanna
    gonna whats what's whether while since because though although however anyway btw fyi etc via per vs versus
    exactly exact specific specifically overall total basically currently current recently state stated says mentioned
    according article's someone somebody anyone everyone people person guy guys folks us we our ours related
    relevant usual usually expect expected expecting accepted accept acceptable alternative alternatively possible
    possibly allowed allow able necessary needed required require requires regarding concerning instead else
    otherwise maybe perhaps probably definitely certainly literally
    이상 이하 미만 초과 이내""".split()
)


def is_salient_noun(form: str, tag: str) -> bool:
    """A noun that names a topic: two or more Hangul syllables, or a Latin/Chinese word."""
    if tag not in NOUN_TAGS or form.isdigit() or form in GENERIC_NOUNS:
        return False
    if tag in ("SL", "SH"):
        return len(form) >= 2
    return len(form) >= 2
