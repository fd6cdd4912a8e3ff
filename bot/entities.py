"""Entities in a question, found from the data: the challenge companies (with their aliases), other
companies, the organisations and centres the article names, and numbers (money, dates, months,
percentages, counts).

Names are matched longest first, so a longer name that contains a shorter one wins ('교보문고' is not
'교보', 'SKT' is not 'KT', '서울창조경제혁신센터' is not '혁신센터'). A short alias (three characters or
fewer, or a Latin acronym) counts only as a whole word, optionally followed by particles: 'SK는' and
'엘지꺼' are companies, 'SK매직' and 'DBMS' are not.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from bot.korean import jamo, longest_at_each_place, normalize, one_deleted
from bot.program import Content, parse_date, parse_krw

# What may follow a name inside one word: particles, copulas and chat suffixes ('SK는', '엘지꺼', 'KT쪽은').
_TAIL = re.compile(
    r"(?:님|측|쪽|꺼|거|껀|건|것|꺼는|거는|에서|에선|에서는|에서도|의|은|는|이|가|을|를|도|만|랑|이랑|하고|과|와|께|한테|"
    r"이요|요|이에요|예요|이야|야|이지|지|이죠|죠|인데|인가|인가요|이랑은|랑은|과는|와는|과제|과제는|과제가|과제를|과제명|"
    r"계열|계열사|그룹|에게|로|으로|부터|까지|처럼|같은|말고|빼고|도요|만요|은요|는요|나|이나|든|이든|든지|이든지)*"
)
# What a three-syllable name may be followed by, glued to more words ('풀무원과제머에요', '케이티꺼는뭐임').
# Particles a staff term may begin with (it then starts inside the word it follows).
_PARTICLE_START = frozenset("에은는이가도를을의와과로랑")
_TAIL_START = re.compile(r"(?:과제|꺼|거|껀|쪽|측|은|는|이|가|을|를|도|의|에서|랑|하고|과|와)")
_CHALLENGE_WORD = re.compile(r"과제|과재|과졔")   # (as phones mistype it: '현중과재뭐임')
SPACED_MIN = 4  # a name this long (without spaces) is recognised with spaces inside ('교보 생명', '롯데 글로벌 로지스')
_NUMBER = r"(\d+(?:\.\d+)?)"
MONTHS_RE = re.compile(_NUMBER + r"\s*(?:개월|달)")
YEARS_RE = re.compile(r"(\d+)\s*년(?!\s*\d+\s*월)(?!도)")
PERCENT_RE = re.compile(_NUMBER + r"\s*(?:%|퍼센트|프로|퍼)")
COUNT_RE = re.compile(r"(\d+|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*(?:개(?!월)|곳|군데|과제|가지)"  # not '10개월'
                      # ... or with a word between ('그 두 보험 과제', '세 로봇 과제'), not '두 번째 과제'
                      r"|(?<![가-힣\d])(두|세|네|다섯|\d+)\s+(?!번째)[가-힣A-Za-z]{1,6}\s+과제")
KOREAN_COUNTS = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10,
                 "둘": 2, "셋": 3, "넷": 4}
ALL_OF_RE = re.compile(r"(?<![가-힣])(둘|셋|넷)\s*(?:다|모두|전부)(?![가-힣])")  # '둘 다 하면': two of them


@dataclass(frozen=True)
class Mention:
    kind: str      # company (one of the challenges) | other_company | org | other_org | centre | other_centre
    #                | person (named in the source)
    id: str        # challenge id, organisation id, region name or the company name
    name: str      # the canonical name to show
    start: int     # offsets into the normalised text
    end: int
    surface: str


@dataclass
class Entities:
    mentions: list[Mention] = field(default_factory=list)
    money: int | None = None
    date: date | None = None
    months: list[int] = field(default_factory=list)
    percents: list[float] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)

    def of(self, kind: str) -> list[Mention]:
        seen, out = set(), []
        for m in self.mentions:
            if m.kind == kind and m.id not in seen:
                seen.add(m.id)
                out.append(m)
        return out

    @property
    def companies(self) -> list[Mention]:
        return self.of("company")

    @property
    def other_companies(self) -> list[Mention]:
        return self.of("other_company")


@dataclass(frozen=True)
class _Name:
    surface: str
    kind: str
    id: str
    name: str

    @property
    def short(self) -> bool:
        s = self.surface.replace(" ", "")
        return len(s) <= 3 or bool(re.fullmatch(r"[a-z0-9&+.\- ]+", self.surface))


class EntityExtractor:
    """``is_proper(word)`` tells whether a word holds a proper noun (a company name such as '태영건설'
    rather than an industry such as '건강식품'); suffix-guessed company names need it. ``is_nouns(word)``
    tells whether a word is nouns only ('지에서' is a noun and a particle, no misspelt '지에스')."""

    def __init__(self, content: Content, is_proper=None, is_nouns=None) -> None:
        self._is_proper = is_proper or (lambda word: False)
        self._is_nouns = is_nouns or (lambda word: True)
        names: list[_Name] = []
        for c in content.challenges:
            for surface in (c.company, *c.aliases):
                names.append(_Name(normalize(surface), "company", c.id, c.company))
            base = re.sub(r"\(.*?\)", "", c.company).strip()
            if base != c.company:
                names.append(_Name(normalize(base), "company", c.id, c.company))
        ent = content.entities
        for org in ent.get("organizations", []):
            for surface in (org["name"], *org.get("aliases", [])):
                names.append(_Name(normalize(surface), "org", org["id"], org["name"]))
        for person in ent.get("people", []):
            for surface in (person["name"], *person.get("aliases", [])):
                names.append(_Name(normalize(surface), "person", person["id"], person["name"]))
        for group in ent.get("other_organizations", {}).get("names", []):
            for surface in group:
                names.append(_Name(normalize(str(surface)), "other_org", str(group[0]), str(group[0])))
        centres = ent.get("centres", {})
        suffixes = [normalize(s) for s in centres.get("suffixes", [])]
        for kind, regions in (("centre", centres.get("participating", [])),
                              ("other_centre", centres.get("other_regions", []))):
            for region in regions:
                for suffix in suffixes:
                    for sep in ("", " "):
                        names.append(_Name(normalize(region + sep + suffix), kind, region,
                                           f"{region}창조경제혁신센터"))
        for group in ent.get("other_companies", {}).get("names", []):
            for surface in group:
                names.append(_Name(normalize(str(surface)), "other_company", str(surface), str(surface)))
        # A name also listed for a challenge company stays the challenge company's.
        taken = {n.surface for n in names if n.kind == "company"}
        self._names = [n for n in names if n.surface and (n.kind == "company" or n.surface not in taken)]
        self._by_surface: dict[str, _Name] = {}
        for n in sorted(self._names, key=lambda n: n.kind != "company"):
            self._by_surface.setdefault(n.surface, n)
        # Names are matched with spaces ignored ('롯데 글로벌 로지스' is 롯데글로벌로지스).
        self._by_compact: dict[str, _Name] = {}
        for surface, n in self._by_surface.items():
            self._by_compact.setdefault(surface.replace(" ", ""), n)
        self._re = longest_at_each_place(self._by_compact)
        # Misspelt names ('교보생멍', '롯대글로벌', '에스케이 에코플렌트'): a Korean name of the challenge companies
        # or the organisations one letter (jamo) away, found by SymSpell's deletion keys.
        self._fuzzy: dict[str, set[str]] = {}
        for compact, n in self._by_compact.items():
            if n.kind in ("company", "org") and re.fullmatch(r"[가-힣]{3,}", compact):
                for key in one_deleted(jamo(compact)):
                    self._fuzzy.setdefault(key, set()).add(compact)
        # One changed letter changes one syllable: a misspelt name keeps its length and its first or its second
        # syllable.
        names = {n for ns in self._fuzzy.values() for n in ns}
        self._fuzzy_lengths = sorted({len(n) for n in names}, reverse=True)
        self._fuzzy_starts = {(i, n[i], len(n)) for n in names for i in (0, 1)}
        self._fuzzy_syllables = ({n[0] for n in names}, {n[1] for n in names})
        self._suffix_re = self._company_suffix_re(ent.get("company_suffixes", []))
        self._find = lru_cache(maxsize=512)(self._find_uncached)  # the same text is looked up by several steps
        self._misspelt_name = lru_cache(maxsize=4096)(self._misspelt_name)  # (words recur across messages)

    @staticmethod
    def _company_suffix_re(suffixes: list[str]) -> re.Pattern | None:
        if not suffixes:
            return None
        alt = "|".join(re.escape(normalize(s)) for s in sorted(suffixes, key=len, reverse=True))
        return re.compile(r"(?<![0-9a-z가-힣&])([0-9a-z&]{2,8}|[가-힣]{2,4})(" + alt + r")(?=" + _TAIL.pattern + r"(?![0-9a-z가-힣]))")

    def find(self, text: str) -> list[Mention]:
        """Names in ``text`` (normalised), longest first, without overlaps, in text order."""
        return list(self._find(text))

    def _find_uncached(self, text: str) -> tuple[Mention, ...]:
        norm = normalize(text)
        found: list[Mention] = []
        taken = [False] * len(norm)
        if self._re is not None:
            for start, end, surface in _longest_first(self._re, norm, " "):
                if any(taken[start:end]):
                    continue
                name = self._by_compact[surface]
                if " " in norm[start:end] and len(surface) < SPACED_MIN and " " not in name.surface:
                    continue  # a short name is not pieced together across spaces ('이 마트' is not 이마트)
                if not self._boundary_ok(norm, start, end, name):
                    continue
                for i in range(start, end):
                    taken[i] = True
                found.append(Mention(name.kind, name.id, name.name, start, end, surface))
        if self._fuzzy:
            for start, end, surface in self._misspelt(norm, taken):
                name = self._by_compact[surface]
                taken[start:end] = [True] * (end - start)
                found.append(Mention(name.kind, name.id, name.name, start, end, norm[start:end]))
        if self._suffix_re is not None:
            for m in self._suffix_re.finditer(norm):
                if any(taken[m.start():m.end()]):
                    continue
                if not (re.match(r"[0-9a-z]", m.group()) or self._is_proper(m.group())):
                    continue
                found.append(Mention("other_company", m.group(), m.group(), m.start(), m.end(), m.group()))
        return tuple(sorted(found, key=lambda m: m.start))

    def _misspelt(self, norm: str, taken: list[bool]) -> list[tuple[int, int, str]]:
        """(start, end, name) of the words, or two words written apart, one jamo from a name (then
        particles: '교보생멍과제는'). A three-syllable name allows only a changed vowel ('풀무언')."""
        firsts, seconds = self._fuzzy_syllables
        words = [m for m in _HANGUL_WORD.finditer(norm) if not taken[m.start()] and not taken[m.end() - 1]]
        out: list[tuple[int, int, str]] = []
        for i, w in enumerate(words):
            text = w.group()
            if (out and w.start() < out[-1][1]) or (text[0] not in firsts and (len(text) < 2 or text[1] not in seconds)):
                continue  # (a name one letter off keeps its first or its second syllable)
            spans = [(w.start(), text)]
            if i + 1 < len(words) and norm[w.end():words[i + 1].start()] == " ":
                spans.append((w.start(), w.group() + " " + words[i + 1].group()))
            for start, text in reversed(spans):  # the two words first: '에스케이 에코플렌트'
                hit = self._misspelt_name(text.replace(" ", ""))
                if hit is not None:
                    name, length = hit
                    end, seen = start, 0
                    while seen < length:  # the name's letters, spaces skipped
                        seen += norm[end] != " "
                        end += 1
                    out.append((start, end, name))
                    break
        return out

    def _misspelt_name(self, word: str) -> tuple[str, int] | None:
        firsts, seconds = self._fuzzy_syllables
        if len(word) < 3 or (word[0] not in firsts and word[1] not in seconds):
            return None
        starts = self._fuzzy_starts
        for length in self._fuzzy_lengths:
            if length > len(word) or ((0, word[0], length) not in starts and (1, word[1], length) not in starts) \
                    or _TAIL.fullmatch(word[length:]) is None:
                continue
            head = word[:length]
            if head in self._by_compact:
                continue  # spelt right: the exact matcher's (which found it no name here)
            j = jamo(head)
            for key in one_deleted(j):
                for name in self._fuzzy.get(key, ()):
                    if _one_edit(j, jamo(name)) \
                            and (len(name) > 3 or (_vowel_changed(j, jamo(name)) and self._is_nouns(head))):
                        return name, length
        return None

    @staticmethod
    def _boundary_ok(text: str, start: int, end: int, name: _Name) -> bool:
        before = text[start - 1] if start > 0 else " "
        if re.match(r"[0-9a-z]", before) and re.match(r"[0-9a-z]", name.surface[0]):
            return False  # a Latin name never continues a Latin word ('dbms' is not 'db')
        rest = re.match(r"[0-9a-z가-힣&]*", text[end:]).group()
        if " " in text[start:end] and " " not in name.surface and _TAIL.fullmatch(rest) is None:
            return False  # a name pieced together across a space ends a word ('중소기업 부담' holds no '중소기업부')
        if not name.short:
            return True
        if re.match(r"[가-힣]", before):
            return False  # a short name never continues a Korean word
        if len(name.surface) == 3 and re.fullmatch(r"[가-힣]+", name.surface) and _TAIL_START.match(rest):
            return True  # '풀무원과제머에요': a three-syllable name, then a particle or '과제', then more
        if len(name.surface) >= 2 and _CHALLENGE_WORD.match(rest):
            return True  # '교보과제뭐임', 'lg과제뭐': a short name written together with '과제' and the question
        return _TAIL.fullmatch(rest) is not None


_HANGUL_WORD = re.compile(r"[가-힣]+")


def _one_edit(a: str, b: str) -> bool:
    """Exactly one letter changed, added or dropped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


_VOWELS = frozenset("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")


def _vowel_changed(a: str, b: str) -> bool:
    return len(a) == len(b) and all(x == y or (x in _VOWELS and y in _VOWELS) for x, y in zip(a, b, strict=True))


def without_mentions(text: str, mentions, sep: str = "") -> str:
    """``text`` with every mention's span (offsets into ``text``) replaced by ``sep``."""
    for m in sorted(mentions, key=lambda m: -m.start):
        text = text[:m.start] + sep + text[m.end:]
    return text


def extract(extractor: EntityExtractor, text: str, default_year: int) -> Entities:
    norm = normalize(text)
    ents = Entities(mentions=extractor.find(text))
    ents.money = parse_krw(text)
    ents.date = parse_date(text, default_year)
    ents.months = [int(float(m)) for m in MONTHS_RE.findall(norm)]
    ents.percents = [float(p) for p in PERCENT_RE.findall(norm)]
    ents.counts = [int(c) if c.isdigit() else KOREAN_COUNTS[c]
                   for c in (a or b for a, b in COUNT_RE.findall(norm))]
    ents.counts += [KOREAN_COUNTS[c] for c in ALL_OF_RE.findall(norm)]
    return ents


def _longest_first(pattern: re.Pattern, norm: str, ignored: str) -> list[tuple[int, int, str]]:
    """Where ``pattern`` (``longest_at_each_place``: the longest surface at each place) matches ``norm``
    with the ``ignored`` characters taken out: (start, end, surface), the span's offsets in ``norm``,
    longest surface first, then leftmost. Callers keep the spans that do not overlap a longer one."""
    where = [i for i, ch in enumerate(norm) if ch not in ignored]
    flat = "".join(norm[i] for i in where)
    spans = []
    for m in pattern.finditer(flat):
        surface = m.group(1)
        spans.append((where[m.start()], where[m.start() + len(surface) - 1] + 1, surface))
    return sorted(spans, key=lambda c: (-len(c[2]), c[0]))


class TermMatcher:
    """Staff-listed terms (off-topic subjects, words of questions the source leaves open) found in a
    question the way names are: spaces ignored ('부가세 환급' is '부가세환급'), longest term first
    without overlaps (so '예비창업패키지' is the programme, not '예비창업'), and a term of two
    characters or fewer only at the start of a word ('연말정산' does not contain the term '정산'), and a
    term across a space only from the start of a word ('원재료 비율' does not contain '재료비') unless it begins
    with a particle ('부산에 있는 회사' contains '에있는회사')."""

    SHORT = 2

    def __init__(self, terms: dict[str, str]) -> None:
        self._labels = {k: v for k, v in ((re.sub(r"\s+", "", normalize(t)), label) for t, label in terms.items()) if k}
        # A lookahead matches at every position where some term starts (the longest term there), in one
        # pass of the regex engine.
        self._re = longest_at_each_place(self._labels)
        self.spans = lru_cache(maxsize=512)(self._spans)  # the same text is looked up several times

    def find(self, text: str) -> list[tuple[str, str]]:
        """(term, label) pairs in text order."""
        return [(term, label) for _, _, term, label in self.spans(text)]

    def _spans(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, term, label) in text order; positions are in ``normalize(text)``."""
        if self._re is None:
            return []
        norm = normalize(text)
        taken = [False] * len(norm)
        found = []
        for start, end, term in _longest_first(self._re, norm, string.whitespace):
            word_start = start == 0 or not re.match(r"[0-9a-z가-힣]", norm[start - 1])
            if any(taken[start:end]) or (len(term) <= self.SHORT and not word_start):
                continue
            if not word_start and term[0] not in _PARTICLE_START and any(c.isspace() for c in norm[start:end]):
                continue  # begun inside one word and ended in the next: '원재료 비율' holds no '재료비'
            taken[start:end] = [True] * (end - start)
            found.append((start, end, term))
        return [(start, end, term, self._labels[term]) for start, end, term in sorted(found)]
