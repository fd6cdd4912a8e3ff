"""Understanding a chat message, in the steps Rasa and Dialogflow use: normalise, extract entities,
split the message into its questions, recognise each question's intent.

* Entities come from the data (:mod:`bot.entities`): the challenge companies with their aliases,
  other companies, organisations, centres, and numbers.
* A message is split where a person starts a new question: sentence ends, a new line, 그리고/또,
  and coordinated topics ('마감일하고 서류 둘 다'). A split is kept when at least two pieces name a
  topic and are different intents, each fairly sure (PIECE_SURE; the others are dropped); otherwise the message is
  one question.
* Intents come from :class:`bot.intents.IntentModel`, trained on every phrasing in the data. Company
  names are replaced by the word '회사' before classification, so '엘지 과제 기간' and 'KT 요금제'
  are recognised as '회사 과제 기간' (a question about a challenge's period) and '회사 요금제' (a
  company's own business: off-topic), whatever the company.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from bot.entities import Entities, EntityExtractor, Mention, extract, without_mentions
from bot.faq import FaqIndex
from bot.intents import IntentModel, Prediction
from bot.korean import HANGUL_RE, UNSPACED_RUN, char_ngrams, is_salient_noun, normalize, respace, standardize
from bot.program import EXTRA_INTENTS, Content

COMPANY_SLOT = "회사"
ORG_SLOT = "기관"
CENTRE_SLOT = "창조경제혁신센터"
_JAMO = re.compile(r"[\u3131-\u318e\u1100-\u11ff]")
_JAMO_WORD = re.compile(r"[\u3131-\u318e\u1100-\u11ff]+")
FEEDBACK = "smalltalk_feedback"  # a remark on the bot's replies (how they are said), asking nothing
SPLIT_CONFIDENT = 0.5       # an intent this sure is confident (a question's aspect, a near tie)
SHARE_ENTRIES = {"gov": "faq:gov_share", "demand": "faq:demand_share", "sme": "faq:sme_share"}  # a party's share
SHARE_INTENTS = frozenset(SHARE_ENTRIES.values())
PIECE_SURE = 0.4            # each question of a split message must be at least this sure of its intent
PIECE_ASKED = 0.25          # ... or this sure of an entry when it asks with a question word ('어디서', '몇')
BARE_TOPICS_MAX = 4         # a message of at most this many bare topic words may be that many questions
BARE_TOPIC_SURE = 0.6       # ... each word this sure of its own question
# One word in the adverbial case ('온라인으로', '메일로라도'), after a question: an option of that question.
_MANNER_OPTION = re.compile(r"[0-9a-z가-힣]+(?:(?:으로|로)(?:라도|도|요)?|이라도|라도)")
# A line break, and a bullet starting the next line ('- 월평균 총액').
_LINE_BREAK = re.compile(r"\s*\n+\s*(?:[-•·*▪]\s+)?")
# Bare topic words ('마감 기간 금액 ㄱㄱ'): the chat filler around them, a word that is part of a sentence
# (it ends in a particle or an ending), and a question word that makes one word a question.
_FILLER = re.compile(r"(?:ㄱㄱ|ㄱ|ㅇㅇ|좀|plz|pls|please|알려줘요?|알려주세요|정리|요약|\?|!|~)", re.I)
_NOT_BARE = re.compile(r"[요까니나죠지다야해돼줘냐는은을를에의로도만고서]$")
_QUESTION_WORD = re.compile(r"몇|얼마|언제|어디|뭐|무엇|누구|누가")
_BARE_QUESTION = re.compile(r"(?:몇\s*(?:개월|달|년|프로|%|퍼|곳|개)|얼마(?:나|까지)?|언제(?:까지|부터)?|어디(?:서|로|에)?)(?:요|예요|에요|임|인가요)?")
# Where a person starts another question: sentence ends, new lines, numbered items, 그리고/또/그럼.
_SENTENCE_END = re.compile(
    r"(?<=[?？!！])|(?<=[.。])(?=\s|$)|\n+|(?:^|\s)(?:\d[).](?=\s)|\(\d\)|[①-⑩]|[가-다]\)(?=\s))\s*"
    r"|\s(?:그리고|그리고요|또한|아울러|추가로|그리고 또|또|그럼|그러면|하나 더|아 그리고)\s"
    # a request or thanks that ends a sentence typed without a full stop ('… 알려주시면 감사하겠습니다 컴퓨터를 …')
    r"|(?:(?<=감사하겠습니다)|(?<=고맙겠습니다)|(?<=감사드립니다)|(?<=알려주세요)|(?<=알려주십시오))\s+(?=\S)"
)
_EMBEDDED = r"[는은인건던을될할]지"  # the end of an embedded question ('…인지', '…는지')
# Coordinated topics inside one question: '마감일하고 서류', '기간, 금액', '정부랑 수요처 비율'.
_COORDINATION = re.compile(
    r"\s*(?:,(?!\d)|(?<=[가-힣a-z])\s*/\s*(?=[가-힣a-z])|(?<=[가-힣a-z])\s*\+\s*(?=[가-힣a-z])|、|(?<=[가-힣a-z0-9%])\s+및|(?<=[가-힣])(?:이랑|랑|하고|와|과)(?=\s))\s*"
    r"|(?:(?<=언제)|(?<=어디)|(?<=얼마)|(?<=얼마주)|(?<=얼마 주)|(?<=얼마나와)|(?<=얼마 나와)|(?<=얼마받)|(?<=얼마 받)|(?<=몇)|(?<=뭐)|(?<=%)|(?<=누구)|(?<=몇개)|(?<=몇곳)|(?<=몇 개)|(?<=몇 곳)"
    r"|(?<=몇명)|(?<=몇월)|(?<=몇일)|(?<=며칠)|(?<=몇달)|(?<=몇년)|(?<=언제까지)|(?<=얼마까지)|(?<=어디까지)"
    r"|(?<=몇 개월)|(?<=몇개월)|(?<=몇 %)|(?<=몇%))\s*이?고\s+"
    r"|(?:(?<=있)|(?<=없)|(?<=주시)|(?<=해주)|(?<=알려주)|(?<=내))고\s+"
    # embedded questions in a row ('얼마까지 나오는지 기간은 얼마나 되는지 …'): each is one
    rf"|(?<={_EMBEDDED})\s+(?=\S+\s+\S)(?=[^?.!\n]*?(?:{_EMBEDDED}|뭐|언제|어디|얼마|몇|누구|누가|어떻게|왜))"
)
_EMBEDDED_END = re.compile(_EMBEDDED + "$")
# An English 'and' joins two questions ('deadline and max funding'); inside a comparison, so does a
# clause ending in '~고' before a new question word ('뭐가 다르고 누가 주관해요?').
_AND = re.compile(r"(?<=[0-9a-z가-힣?%])\s+and\s+(?=[0-9a-z가-힣])")
_AFTER_COMPARISON = re.compile(r"(?<=[가-힣]고)(?<!하고)\s+(?=(?:누가|누구|언제|어디|얼마|몇|무엇|어떻게|어느|왜))|"
                               # ... or after a comma, a question of its own ('뭐가 다르고, 대기업 입장에선 뭐가 좋아진 거예요?', '어떻게 다른지,
                               # 어느 센터에서 맡고 있는지')
                               r"(?<=[가-힣][고지]),\s*(?=[^,?]*?(?:누가|누구|언제|어디|얼마|몇|무엇|뭐|어떻게|어느|왜))")
# An open question ending in '-고' before a comparison ('누가 운영하는 사업이고 | 구매연계형이랑 뭐가 달라요?'): a
# question word, then the first word ending in '-고' (searched in two steps: one regex was quadratic in the length).
_ASKED_BEFORE_GO = re.compile(r"누가|누구|언제|어디|얼마|몇|무엇|어떻게|어느|왜")
_GO_ENDING = re.compile(r"[가-힣]고(?=\s)")
# 'A랑 B 차이가 뭐예요': a comparison asks one question about both.
_COMPARISON = re.compile(r"차이|차액|다른\s*(?:점|건|게|지|거)|다르|달라|비교|뭐가\s*나아|몇\s*배|몇\s*대\s*몇|합친|합하|합산|더한|메꿔|메워|"
                         r"difference|compare|versus|\bvs\b")
# Courtesy frames around a request ('안내해 주시면 대단히 감사하겠습니다'): the request is what counts.
_COURTESY = re.compile(r"(?:주시면|주신다면|주면)\s*(?:대단히|정말|너무|매우|진심으로)?\s*"
                       r"(?:감사하겠습니다|감사드리겠습니다|감사하겠어요|고맙겠습니다|고맙겠어요|감사해요|감사합니다)")
# A request's polite frame ('확인 부탁드립니다', '부탁해요') reads to the model like thanks or a nod;
# what is asked is in the words before it.
_REQUEST = re.compile(r"(?:확인\s*)?부탁\s*(?:드립니다|드려요|드릴게요|드릴께요|합니다|해요|드립니당|드림)")
_LETTERS_BEFORE_REQUEST = re.compile(r"[가-힣a-z0-9](?<!잘)\s*(?:확인\s*)?부탁|주시면|주신다면|주면")  # not '잘 부탁드려요'
# A conjunction opening a piece ('그리고 총괄은 어디서') and the frame of a question relayed for others ('…
# 궁금해합니다', '… 물어봐서요'): the piece asks the same without them.
_LEADING_CONJUNCTION = re.compile(r"^(?:그리고|그리고요|또한|또|아울러|그럼|그러면|근데|그런데|그리구|글구)\s+")
_RELAYED = re.compile(r"(?:궁금해\s*(?:해요|합니다|하십니다|하세요|하시네요|하네요|하더라고요|하던데요?|하셔서요?|해서요?)|"
                      r"물어\s*(?:봐서요?|보셔서요?|보네요|보시네요|보더라고요|보던데요?|오셨어요|왔어요|봅니다))$")
# A request frame ending a question ('… 문의드립니다', '… 궁금해요'): how it is asked, not what.
_REQUEST_FRAME = re.compile(r"\s*(?:좀\s*)?(?:궁금(?:해요|합니다|해서요|하네요|해요\s*ㅠ+)|알려\s*(?:주세요|주십시오|주실\s*수\s*(?:있나요|있을까요|있습니까)|주시겠어요|주시겠습니까|주실래요|줘요?|줄래요?)|"
                            r"알\s*수\s*(?:있을까요|있나요|있습니까)|"
                            r"문의\s*(?:드립니다|드려요|드려봅니다|합니다|해요)|여쭤\s*(?:봅니다|봐요)|여쭙니다|"
                            r"알고\s*싶(?:어요|습니다|네요)|부탁\s*(?:드립니다|드려요|해요|합니다))[\s.?!~]*$")
# '둘 다', '모두', '전부 알려주세요' (a word of its own: the '다' ending '부탁드립니다' is no quantifier).
_QUANTIFIER = re.compile(
    r"\s*(?:(?:둘|셋|세 개|두 개|세개|두개)\s*|(?<![가-힣]))(?:다|모두|전부|각각|같이|함께)\s*(?=알려|궁금|말해|설명|$)"
)


@dataclass
class Segment:
    text: str                  # the piece of the message, normalised
    masked: str                # with company names replaced by COMPANY_SLOT
    prediction: Prediction
    mentions: list[Mention] = field(default_factory=list)

    @property
    def intent(self) -> str:
        return self.prediction.intent

    @property
    def prob(self) -> float:
        return self.prediction.prob


@dataclass
class Understanding:
    text: str
    entities: Entities
    segments: list[Segment]    # the message's questions (one segment unless it was split)


# A sentence that tells rather than asks ('R&D 컨설팅사입니다.', '알바생인데 처음 해봐서요...'): it ends like a
# statement and has no question word, request or question mark.
_TRAILING = r"[\s.~!…ㅠㅜㅎㅋ^]*$"
# A greeting sentence before the question ('안녕하십니까.', '수고 많으십니다~') introduces it, like a statement.
_GREETING_SENTENCE = re.compile(r"(?:안녕하(?:세요|십니까|신가요|심까|셨어요)|안녕|반갑습니다|반가워요|처음 뵙겠습니다|"
                                r"수고\s*(?:하십니다|많으십니다|많으세요|하세요|많습니다)|좋은\s*(?:아침|하루)(?:입니다|이에요)?|"
                                r"hi|hello|hey)[\s.,~!…^ㅎㅋ]*")
# A declarative sentence ('…고객사가 있습니다', '…걱정입니다') before a later question is the asker's background.
# (also the old-fashioned 하오체 that tells: '금형 30년 했소.')
_DECLARATIVE_END = re.compile(r"(?:습니다|입니다|합니다|됩니다|[했었았였겠]소|이오)" + _TRAILING)
# A sentence that tells, closed by a full stop: a predicate's polite or plain ending ('3억이에요.', '만들어요.').
_TOLD = re.compile(r"(?:이에요|예요|에요|어요|아요|여요|해요|돼요)$")
_STATEMENT_END = re.compile(r"(?:요|다)" + _TRAILING)
# A piece that gives a reason or a plan ('서울센터가 주관이라서요', '다음달에 법인 낼 예정이에요').
# ... or introduces the asker ('기업지원단 담당자입니다', '기획팀 과장 이OO입니다').
_REASON_END = re.compile(r"(?:라서요?|(?:어|아|해|돼|되)서요|려고요|려구요|이라|예정이에요|예정입니다|예정이라|중이에요|중입니다|중이라|거든요|(?<![습입됩합봅깁겁냅갑]|ㅂ)니까요?|잖아요?"
                         r"|(?:담당자|담당|사원|주임|대리|과장|차장|부장|팀장|실장|이사|대표|매니저|컨설턴트|연구원|직원|인턴)"
                         r"(?:\s*[가-힣a-z○○*]{1,4})?\s*(?:입니다|이에요|예요|임))" + _TRAILING)
# A follow-up asked only if the answer before is yes ('낸다면 비율은요?', '그렇다면 언제요?', '있다면 얼마나?').
_IF_SO = re.compile(r"(?:만약\s*|만일\s*)?[가-힣]{1,4}다면\s*")
# The ending two alternatives of one question share ('중소기업 소유인가요, 공유인가요?').
_ALTERNATIVE_END = re.compile(r"(?:인가요|일까요|이에요|예요|입니까)$")
# A piece with a topic of its own ('신청은 온라인인가요?') asks a question of its own, not the other answer.
_OWN_TOPIC = re.compile(r"\S(?:은|는)\s")


def _alternatives(text: str, before: Segment, seg: Segment) -> bool:
    """``seg`` is the second of two answers offered to one sure question, after a comma and in the same ending,
    neither with a question word ('… 중소기업 소유인가요, 수요처 대기업과 공유인가요?'; not '… 언제예요, … 얼마예요?')."""
    first, second = _ALTERNATIVE_END.search(before.text), _ALTERNATIVE_END.search(seg.text)
    return bool(first and second and first.group() == second.group() and mark_after(text, before.text) == ","
                and before.prob >= PIECE_SURE and not _QUESTION_WORD.search(before.text)
                and not _QUESTION_WORD.search(seg.text) and not _OWN_TOPIC.search(seg.text))
# The asker or their company ('저희는 …', '당사 …'): a description of the asker, not a reason.
_ASKER_SELF = re.compile(r"저희|우리|당사|제가|저는|전\s|회사|업체|기업")
_ASKING = re.compile(r"뭐|무엇|언제|어디|얼마|몇|누구|누가|어떻게|어떤|왜|무슨|어느|알려|주세요|궁금|여쭙|여쭤|문의|가능|"
                     r"되나|될까|인가|나요|까요|는지|은지|맞|\?")


# Why the asker writes, which asks nothing itself ('관내 입주기업 안내 목적으로 문의드립니다').
_PURPOSE = re.compile(r"(?:목적으로|차원에서|위해서?)\s*문의\s*(?:드립니다|드려요|합니다|드리고자\s*합니다)" + _TRAILING)


# What a remark on the bot's replies is about: the replies, the way they are said, or the asker's own Korean.
_ABOUT_THE_REPLY = re.compile(r"답(?!답)|대답|말투|말씀|(?:니|네|너|당신|봇|챗봇)\s*말|설명이|미안|죄송|딱딱|"
                              r"(?:한국말|한국어)\S*\s*(?:잘\s*)?(?:못|서툴)|^(?:너무\s*)?(?:느려|늦|길다|길어)")


def mostly_english(text: str) -> bool:
    """More English words than Korean ones ('How many challenges are there?', 'ok so what about 마감?')."""
    return len(_LATIN.findall(text)) > len(_KOREAN_WORD.findall(text))


def is_statement(sentence: str, ending: re.Pattern = _STATEMENT_END) -> bool:
    """The sentence ends like ``ending`` (a statement, by default) and asks nothing; or it says why the
    asker writes."""
    return bool(ending.search(sentence)) and not _ASKING.search(sentence) or bool(_PURPOSE.search(sentence))


def mark_after(text: str, piece: str) -> str:
    """The character after ``piece`` where it stands in ``text`` ('.', '?', ... or '' where it does not)."""
    at = text.find(piece)
    return text[at + len(piece):at + len(piece) + 1] if at >= 0 else ""


# A new topic after it: a noun phrase with a topic or subject particle ('… 되고 정부 지원 비율은 몇 %인지').
_NEW_TOPIC = re.compile(r"\s+[가-힣a-z0-9% ]{1,16}?[은는이가]\s")


def _asked_parts(clause: str) -> list[str]:
    """The clause cut after each '-고' that closes a question-word question, when another question word follows
    ('과제 기간은 얼마나 되고 | 정부 지원 비율은 몇 %인지', '팀장 어디 소속이고 | 기사는 누가 썼냐')."""
    pieces = []
    while True:
        asked = _ASKED_BEFORE_GO.search(clause)
        go = asked and _GO_ENDING.search(clause, asked.end())
        if not go or clause[go.end() - 2:go.end()] == "하고" or not _ASKED_BEFORE_GO.search(clause, go.end()) \
                or not _NEW_TOPIC.match(clause, go.end()):
            break
        pieces.append(clause[:go.end()])
        clause = clause[go.end():]
    return [*pieces, clause]


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that hold a letter or a digit."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and re.search(r"[0-9a-z가-힣ㄱ-ㅎ]", s)]


def without_introductions(text: str) -> str:
    """The message without the sentences that introduce the asker or say why they write ('창업보육센터
    매니저입니다.'): their words are the asker's, not the subject's."""
    sentences = split_sentences(text)
    kept = [s for s in sentences if not is_statement(s, _REASON_END)]
    return " ".join(kept) if kept and len(kept) < len(sentences) else text


def asking_part(text: str) -> str:
    """The message without the statements that come before its question (a company's background):
    words listed by staff (an off-topic subject, a question the source leaves open) count only where
    something is asked ('대학 스핀오프 연구원입니다. ... 맞는 과제 있나요?' does not ask about universities)."""
    greeting = _GREETING_SENTENCE.match(text)
    if greeting and greeting.end() < len(text) and text[greeting.end() - 1] in " ~!.,^" \
            and _ASKING.search(text, greeting.end()):
        text = text[greeting.end():].strip()  # '안녕하세요~ 마감이 언제인가요?': the greeting opens the question
    sentences = split_sentences(text)
    if len(sentences) < 2:
        return text
    kept = [s for s in sentences[:-1] if not is_statement(s) and not _GREETING_SENTENCE.fullmatch(s)]
    return " ".join([*kept, sentences[-1]])


def compact(text: str) -> str:
    return re.sub(r"[\s?!.~]+", "", normalize(text))


def training_samples(content: Content) -> list[tuple[str, str]]:
    samples: list[tuple[str, str]] = []
    for e in content.faq:
        samples += [(t, f"faq:{e.id}") for t in (e.question, *e.alternates)]
    for name, phrasings in content.intents.items():
        if name in EXTRA_INTENTS:
            samples += [(t, name) for t in phrasings]
    # A challenge's own words (title, summary, staff keywords) mean "a question about a challenge".
    for c in content.challenges:
        samples += [(t, "challenge") for t in (c.title, c.summary, *c.keywords)]
    return samples


# '~랑/하고/와' before a verb of doing something together is 'with' ('수요처랑 사전 협의', '대기업하고 같이
# 신청'), not 'and' (which would make the company a question of its own).
_WITH_PARTICLES = {"이랑", "랑", "하고", "와", "과"}
_TOGETHER = re.compile(r"^[^,?!.]{0,12}?(?:미팅|협의|만나|만날|면담|상담|통화|공동|협업|계약|체결(?:하|해|할|했)|컨소|나누|나눠|나눌|공유"
                       r"|(?:같이|함께)(?!\s*(?:알려|말씀|보여|정리|설명|답|비교)))")  # not '같이 알려줘'
# A sum over the things coordinated ('A랑 B 합치면 얼마'; not '마감일하고 서류 둘 다 알려주세요').
_SUMMED = re.compile(r"^(?:(?!고\s)[^,?!.]){0,25}?(?:합치|합하|합산|더하|더해|합계|합이|총\s*(?:얼마|액|합))")
_BARE_PERCENT = re.compile(r"(?<![0-9])%")
# English function words left over after the synonyms have put a question's English words into the
# programme's Korean ('How many challenges are there?' -> '몇 과제 are there?'): their letters only pull
# towards the English small-talk phrasings, so they are left out of the features once Korean words stand.
_ENGLISH_FILLER = re.compile(
    r"\b(?:a|an|the|is|are|was|were|be|been|am|do|does|did|can|could|should|would|will|shall|may|might|must|"
    r"i|we|you|our|us|my|me|it|its|they|their|there|this|that|these|those|what|which|how|who|whom|whose|"
    r"of|to|for|in|on|at|by|with|from|about|into|per|as|and|or|so|if|then|any|some|get|got|have|has|had|"
    r"one|ok|okay|hi|hello|hey|please|pls|plz|just|also|too|still|there's|what's|it's|i'm|we're)\b")
# Formal sentence endings ('… 규정되어 있습니까', '… 취급됩니까'): their letters say how, not what, is asked.
_POLITE_END = re.compile(r"(?<=[가-힣])(?:습니까|입니까|됩니까|합니까|십니까)(?=[\s?.!,]|$)")
_LATIN = re.compile(r"[a-z]{2,}")
_KOREAN_WORD = re.compile(r"[가-힣]+")
_BARE_NUMBER = re.compile(r"(?:^|(?<=[\s:]))([1-9])\s+(?=[가-힣a-z])")
# Korean list letters as a formal letter numbers its questions: '가. 적합한 과제 나. 지원 기간 다. 신청처'.
_LIST_LETTER = re.compile(r"(?:^|(?<=[\s:]))([가나다라마바사])[.)]\s+")
_LIST_ORDER = "가나다라마바사"
# '(1) … (2) …', '1) … 2) …': numbers in a bracket number the questions too.
_BRACKET_NUMBER = re.compile(r"(?:^|(?<=[\s:]))\(?([1-9])\)\s*")
# Circled and bracketed number signs ('①A사: 마감일 ②B사: …'): NFKC would make them plain digits glued to the
# next word ('1a사'), so two or more of them become line breaks first.
_NUMBER_SIGN = re.compile(r"[\u2460-\u2468\u2474-\u247c\u2776-\u277e\u2780-\u2788\u278a-\u2792]")


# An open question's word, and what a short piece after it may offer as its answer (a party, a number).
_OPEN_QUESTION = re.compile(r"누구|누가|어디|어느|언제|몇|뭐|무엇|무슨|왜|얼마")
_OFFERED = re.compile(r"\d|^(?:우리|저희|수요처|수요기업|대기업|중소기업|정부|센터|공동|둘\s*다|같이)")
# What a company does not do ('저흰 제조 안 해요', '제조업 아니에요').
_NOT_DOING = re.compile(r"안\s*(?:해|하|만들|만드)|않|아니(?:에|예|야|고|라)|아닙니다|아닌데")
# A word for the challenges ('과제', '수요처'); a piece where the asking company tells about itself ('저희는 …',
# '… 만들어요', '… 보유'), not a request for the challenges on a subject.
_BY_SUBJECT = re.compile(r"과제|수요처|challenge")
_SELF_TOLD = re.compile(r"저희|우리|당사|제가|저는|본\s*연구실|만들|만드|개발하|개발 중|보유|하고\s*있|업체|회사(?:인데|입니다|예요|에요)|"
                        r"스타트업|we\s|our\s")


def _is_option(piece: str, before: str) -> bool:
    """A short piece after an open question ('누구', '몇 시') that offers an answer to it: a party or a
    number ('수요처?', '우리?', '26일 자정?'), not a new topic ('서류는?', '금액은 얼마')."""
    words = piece.split()
    return len(words) <= 2 and _OPEN_QUESTION.search(before) is not None and not _OPEN_QUESTION.search(piece) \
        and not re.search(r"(?:은|는|도)$", piece) and _OFFERED.search(piece) is not None


def _asks_by_subject(seg: Segment) -> bool:
    """A piece asks for the challenges on a subject ('영상 기반 과제 목록'), naming no company and telling
    nothing about the asking company."""
    return bool(_BY_SUBJECT.search(seg.text)) and not seg.mentions and not _SELF_TOLD.search(seg.text)


def _line_break(m: re.Match) -> str:
    """A sentence end for a line break, unless the line already ends one ('…인가요?\n')."""
    return " " if m.string[:m.start()].rstrip()[-1:] in ".?!。？！:" else ". "


def _numbered_lines(text: str) -> str:
    """'질문 3개: 1 누가 해요 2 과제 몇 개 3 서류 뭐 내요': bare numbers 1, 2, 3 … in order, each before a
    word, number the questions; they become line breaks. ('3 억' or a lone '2 과제' stays as written.)"""
    text = _break_at_run(text, _BARE_NUMBER, "123456789")
    text = _break_at_run(text, _BRACKET_NUMBER, "123456789")
    return _break_at_run(text, _LIST_LETTER, _LIST_ORDER)


def _break_at_run(text: str, marker: re.Pattern, order: str) -> str:
    """Line breaks for the markers that run in ``order`` from its first ('1 … 2 … 3', '가. … 나.'): two at
    least, so a lone '2 과제' or '가.' stays as written."""
    marks = list(marker.finditer(text))
    run = [m for m in marks if m.group(1) == order[0]][:1]
    for m in marks:
        if run and m.start() > run[-1].start() and order.find(m.group(1)) == order.find(run[-1].group(1)) + 1:
            run.append(m)
    if len(run) < 2:
        return text
    for m in reversed(run):
        text = text[:m.start()] + "\n" + text[m.end():]
    return text


class Understander:
    def __init__(self, content: Content, index: FaqIndex, temperature: float | None = None) -> None:
        self.content = content
        self.index = index
        self.analyzer = index.analyzer
        self.extractor = EntityExtractor(content, is_proper=self._is_proper, is_nouns=self._is_nouns)
        # Per-instance caches (a retrained model's Understander takes its caches with it): the same
        # question or piece is featurised and classified by several steps.
        self._question_features = lru_cache(maxsize=128)(self._question_features_uncached)
        self._segment = lru_cache(maxsize=128)(self._segment_uncached)
        self.asking = lru_cache(maxsize=128)(self._asking_uncached)
        program = content.program
        names = {normalize(n) for n in (program.name, program.short_name) if n}
        names |= {n.replace(" ", "") for n in names}
        # (only the forms that hold '도전과제': '혁신형 과제' would take the word '과제' with it)
        names |= {normalize(v) for v in content.synonyms.get(program.short_name, ()) if "도전" in v}
        names = sorted((n for n in names if len(n) >= 4), key=len, reverse=True)
        self._programme_re = re.compile("|".join(re.escape(n) for n in names)) if names else None
        samples = training_samples(content)
        # Phrasings the data (or staff) wrote word for word: such a question is recognised as written.
        self.phrasings: dict[str, set[str]] = {}
        for text, label in samples:
            self.phrasings.setdefault(compact(text), set()).add(label)
        self.model = IntentModel(self.features, samples,
                                 train_featurize=lambda text: self.features(text, correct=False),
                                 temperature=temperature, after_features=self._after_features)

    def _after_features(self) -> None:
        """Every phrasing is analysed: keep the analyses for the next start and give back what they
        touched before the model is fitted (the start-up's peak)."""
        self.analyzer.save_analyses()
        self.analyzer.release_pages()

    def _is_nouns(self, word: str) -> bool:
        return all(tag.startswith("N") or tag == "SL" for _, tag in self.analyzer.backend.analyze(word))

    def _is_proper(self, word: str) -> bool:
        return any(tag in ("NNP", "SL") for _, tag in self.analyzer.backend.analyze(word))

    def features(self, text: str, correct: bool = True) -> Counter:
        """Features of a question (``correct``: fix typos first; training phrasings need not). A
        question's features are cached (the model and the unseen-word check both read them): do not
        modify the returned Counter."""
        return self._question_features(text) if correct else self._features(text, False)

    def _question_features_uncached(self, text: str) -> Counter:
        return self._features(text, True)

    def _features(self, text: str, correct: bool) -> Counter:
        # The programme's long name says nothing about what is asked ('혁신형도전과제의 접수 마감일이
        # 언제인지'), but its many letters outweighed the question's own words.
        text = self._programme_re.sub(" 사업 ", normalize(text)) if self._programme_re else text
        tagged, _ = self.analyzer.analyze(text, correct=correct)
        prepared = self.analyzer.prepare(text, correct=correct)
        english_filler = bool(_LATIN.search(prepared)) and mostly_english(normalize(text)) and bool(HANGUL_RE.search(prepared))
        norm = normalize(text)
        chat = len(norm.split()) <= 2
        # (In a longer message bare jamo are tone, not words: '마감일 한번에 ㄱㄱ' thanks no one.)
        morphs = [form for form, tag in tagged
                  if not (english_filler and tag == "SL" and _ENGLISH_FILLER.fullmatch(form))
                  and (chat or not _JAMO_WORD.fullmatch(form))]
        feats = Counter("m:" + m for m in morphs)
        feats.update("b:" + a + "_" + b for a, b in zip(morphs, morphs[1:], strict=False))
        # 'How many percent' ('몇 %', '몇 퍼센트' are written '%'): a question about a share. Character
        # n-grams keep letters and digits only, so the sign is a feature of its own.
        feats.update("m:%" for _ in _BARE_PERCENT.findall(prepared))
        if english_filler:
            prepared = _ENGLISH_FILLER.sub(" ", prepared)
        prepared = _POLITE_END.sub("", prepared)  # ('… 규정되어 있습니까' read like '알겠습니다', a nod)
        feats.update("c:" + g for g in char_ngrams(prepared, 2))
        feats.update("t:" + g for g in char_ngrams(prepared, 3))
        # Chat shorthand written in bare jamo ('ㅎㅇ', 'ㄳ', 'ㅂㅂ') has no morphemes: keep its letters (in a
        # message of a word or two; in a longer one, 'ㄱㄱ' or 'ㅠㅠ' is tone, not a greeting or thanks).
        jamo_only = "".join(_JAMO.findall(norm))
        if jamo_only and chat:
            feats.update("j:" + g for g in jamo_only)
            feats.update("j:" + jamo_only[i:i + 2] for i in range(len(jamo_only) - 1))
        return feats

    def unseen_words(self, text: str) -> list[str]:
        """Words of ``text`` no phrasing of the data uses ('연애', '답장': a chat about something else)."""
        return [f[2:] for f in self.features(text) if f.startswith("m:") and f not in self.model.vocab]

    # -- steps ---------------------------------------------------------------------------------
    def mask(self, text: str, mentions: list[Mention]) -> str:
        """Names -> what they are: companies -> '회사' (the classifier learns what is asked, not about
        whom), an organisation's alias -> its full name, any centre -> '창조경제혁신센터'."""
        out, last = [], 0
        for m in mentions:
            slot = {"company": COMPANY_SLOT, "other_company": COMPANY_SLOT, "other_org": ORG_SLOT,
                    "centre": CENTRE_SLOT, "other_centre": CENTRE_SLOT}.get(m.kind, m.name)
            out += [text[last:m.start], f" {slot} "]
            last = m.end
        out.append(text[last:])
        return re.sub(r"\s+", " ", "".join(out)).strip()

    def segment(self, text: str) -> Segment:
        return self._segment(text)

    def _segment_uncached(self, text: str) -> Segment:
        mentions = self.extractor.find(text)
        masked = self.mask(text, mentions)
        if _LETTERS_BEFORE_REQUEST.search(masked):
            masked = _REQUEST.sub("알려주세요", _COURTESY.sub("주세요", masked))
        # What is asked is in the asking sentence; the statements before it are the asker's background.
        asked = self.asking(masked)
        # A request frame at the end ('… 문의드립니다', '… 궁금해요') says how, not what, is asked: it must not
        # outweigh a question's own words ('사업 총괄은 어디서 하는지 문의드립니다' is no thanks).
        bare = _REQUEST_FRAME.sub("", asked).strip(" ,.?!~")
        if bare != asked and len(bare) >= 4 and self._topical(bare):
            asked = bare
        prediction = self.model.predict(asked)
        if prediction.intent == FEEDBACK and not _ABOUT_THE_REPLY.search(asked):
            # A remark on the bot's replies names them ('답변이 어려워요', '니 말 너무 길다', '말투가 딱딱해요') or
            # apologises; '인사말 써 주세요 너무 길지 않게' is a task, '한국어 이름 어려워요' a word of a question.
            ranked = [(i, p) for i, p in prediction.ranked if i != FEEDBACK]
            total = sum(p for _, p in ranked) or 1.0
            ranked = [(i, p / total) for i, p in ranked]
            prediction = Prediction(ranked[0][0], ranked[0][1], ranked)
        return Segment(text, masked, prediction, mentions)

    def _asking_uncached(self, text: str) -> str:
        """The asking sentence without the statements before it, when it names a topic of its own ('R&D
        컨설팅사입니다. 접수는 어디서 해요?'); a bare confirmation ('신용등급이 낮아요. 괜찮을까요?') keeps them.
        Cached as ``asking``: the staff-term lookups, the unknown-noun share and the classifier all ask."""
        part = asking_part(text)
        if part == text:
            return text
        tagged = self.analyzer.analyze(part)[0]
        known = self.index.domain_vocab
        return part if any(is_salient_noun(f, t) and f in known for f, t in tagged) else text

    def split(self, text: str) -> list[str]:
        """The message's questions: sentences, then coordinated topics inside each."""
        pieces = []
        for sentence in _SENTENCE_END.split(_numbered_lines(text)):
            sentence = (sentence or "").strip(" ,.?!")
            if not sentence or not re.search(r"[0-9a-z가-힣]", sentence):
                continue
            sentence = _COURTESY.sub("주세요", sentence)
            coordinated = []
            for clause in ([sentence] if _COMPARISON.search(sentence) else _AND.split(sentence)):
                if _COMPARISON.search(clause):
                    # '누가 운영하는 사업이고 구매연계형이랑 뭐가 달라요?': an open question, then the comparison.
                    asked = _ASKED_BEFORE_GO.search(clause)
                    go = asked and _GO_ENDING.search(clause, asked.end())
                    if go and not _COMPARISON.search(clause[:go.end()]):
                        coordinated.append(clause[:go.end()])
                        clause = clause[go.end():]
                    coordinated += _AFTER_COMPARISON.split(clause)
                else:
                    for asked_part in _asked_parts(clause):
                        coordinated += self._coordinated(asked_part)
            parts = [_LEADING_CONJUNCTION.sub("", _RELAYED.sub("", _QUANTIFIER.sub(" ", p or "")).strip(" ,.?!'\""))
                     for p in coordinated]
            parts = [p for p in parts if p and re.search(r"[0-9a-z가-힣]", p)]
            # A piece that is only a name ('롯데로지스꺼랑 디비손보꺼 과제명') belongs to the next one.
            merged: list[str] = []
            for part in parts:
                if merged and self._only_names(merged[-1]):
                    merged[-1] = f"{merged[-1]} {part}"
                else:
                    merged.append(part)
            pieces += merged
        return pieces

    def _bare_topics(self, text: str) -> list[str]:
        """A message of bare topic words ('마감 기간 금액 ㄱㄱ', '우리부담몇프로 기간몇달'): each word is its own
        question when each is surely a different one (else the words make one question: '지원 기간')."""
        words = [w for w in _FILLER.sub(" ", text).split() if re.search(r"[0-9a-z가-힣]", w)]
        if not 2 <= len(words) <= BARE_TOPICS_MAX:
            return []
        if len(words) == 2 and not all(_QUESTION_WORD.search(w) for w in words):
            return []  # two nouns are one thing more often than two questions ('센터 전화번호', '수요기업 명단')
        if len(words) > 2 and any(_NOT_BARE.search(w) for w in words):
            return []  # a word with a particle or an ending is part of a sentence ('신청 마감 언제예요')
        if any(m.kind in ("org", "other_org") and m.start == 0 for m in self.extractor.find(words[0])) \
                and self._only_names(words[0]):
            return []  # an organisation's name first qualifies the words after it ('TIPA 콜센터 번호')
        segments = [self.segment(w) for w in words]
        intents = {s.intent for s in segments}
        if len(intents) < len(words) or any(s.prob < BARE_TOPIC_SURE or not s.intent.startswith("faq:") or
                                            not self._topical(s.masked) for s in segments):
            return []
        return words

    def _coordinated(self, clause: str) -> list[str]:
        """The clause cut at its coordinations, except where a '과/와' ends a noun ('선정 결과 발표
        언제예요' is one question: '결과' is a word, not '결' + the particle '과')."""
        pieces, start = [], 0
        for m in _COORDINATION.finditer(clause):
            word = clause[:m.start() + len(m.group().rstrip())].split(" ")[-1]
            if m.group().strip() in ("과", "와"):
                parts = self.analyzer.backend.analyze(word)
                if len(parts) == 1 and parts[0][1].startswith("NN"):  # the word is one noun
                    continue
            if m.group().strip() in _WITH_PARTICLES and _TOGETHER.search(clause[m.end():]):
                continue  # '수요처랑 미팅해요?': with whom, not a second topic
            if m.group().strip() in _WITH_PARTICLES and _SUMMED.search(clause[m.end():]):
                continue  # '풀무원 과제랑 섹타나인 과제 합치면 …': one sum over both
            if not m.group().strip():  # after an embedded question
                before = clause[start:m.start()].split()
                if len(before) < 2 or _EMBEDDED_END.search(before[-2]) \
                        or _EMBEDDED_END.search(clause[m.end():].split(" ")[0]):
                    continue  # '60%인지 70%인지', '온라인인지 방문인지': alternatives of one question
            pieces.append(clause[start:m.start()])
            start = m.end()
        pieces.append(clause[start:])
        return pieces

    def _topical(self, piece: str) -> bool:
        """A piece names a topic the domain knows, or says more than one word, or asks with a question word
        and a verb of its own ('언제까지 내냐, 얼마까지 주냐')."""
        tagged = self.analyzer.analyze(piece)[0]
        known = self.index.domain_vocab
        return len(tagged) >= 2 or any(is_salient_noun(f, t) and f in known for f, t in tagged) \
            or (_QUESTION_WORD.search(piece) is not None and len(piece.split()) >= 2)

    def _only_names(self, piece: str) -> bool:
        mentions = self.extractor.find(piece)
        return bool(mentions) and not re.search(r"[0-9a-z가-힣]{2,}", without_mentions(piece, mentions))

    def understand(self, text: str, default_year: int) -> Understanding:
        # A line break (and a bullet starting the next line: '- 월평균 총액') ends a sentence; normalising
        # would make it a plain space.
        if len(_NUMBER_SIGN.findall(text)) >= 2:
            text = _NUMBER_SIGN.sub("\n", text)
        text = _LINE_BREAK.sub(_line_break, text.strip())
        norm = standardize(normalize(text))
        if UNSPACED_RUN.search(norm):
            # A long message typed without spaces: its words and sentences, from the tagger.
            norm = respace(norm, self.analyzer.backend)
        entities = extract(self.extractor, norm, default_year)
        # A message that splits is not also classified as a whole (long messages are the slow ones).
        return Understanding(norm, entities, self._segments(norm) or [self.segment(norm)])

    def _segments(self, text: str) -> list[Segment] | None:
        """Several questions when the pieces are confidently different intents; else None (the
        message is one question)."""
        pieces = self.split(text)
        if len(pieces) < 2:
            pieces = self._bare_topics(text)
        if len(pieces) < 2:
            return None
        segments = [self.segment(p) for p in pieces]
        distinct: dict[str, Segment] = {}
        described: list[Segment] = []
        asked = ""  # the last piece that was not itself an option (the options offered follow a question)
        told_after = False  # a reason given after a question
        offered = False  # the second of two answers offered to a question
        for i, seg in enumerate(segments):
            if i and _MANNER_OPTION.fullmatch(seg.text):
                continue  # '사업설명회 하나요? 온라인으로?': how the question before is meant, not a new one
            if i and _is_option(seg.text, asked):
                continue  # '특허는 누구 소유예요? 수요처? 우리?', '몇 시까지예요? 26일 자정?': answers offered
            if i and _IF_SO.match(seg.text) and len(_IF_SO.sub("", seg.text).split()) <= 2 \
                    and not _QUESTION_WORD.search(seg.text) and not _QUESTION_WORD.search(segments[i - 1].text):
                continue  # '기술료를 내야 하나요? 낸다면 비율은요?': asked only if the answer before is yes
            if i and _alternatives(text, segments[i - 1], seg):
                offered = True
                continue  # '중소기업 소유인가요, 대기업과 공유인가요?': the second answer offered to one question
            asked = seg.text
            # A piece asks something of its own only if it names a topic ('대기업?' and '우리?' after
            # '특허는 누구 소유예요?' are options of that question, not questions).
            # A statement ('다음달에 법인 낼 예정이에요', '서울센터가 주관이라서요') is the reason for a question,
            # not another one; a company describing itself still counts (it asks for a fitting challenge).
            # (A '…요' sentence closed by a full stop before the question tells: '총사업비가 3억이에요. …')
            background = is_statement(seg.text, _REASON_END) \
                or (i < len(segments) - 1 and is_statement(seg.text, _DECLARATIVE_END)) \
                or (i < len(segments) - 1 and mark_after(text, seg.text) == "." and is_statement(seg.text, _TOLD)
                    and "뭔" not in seg.text)
            # (a company describing itself is a question for a fitting challenge; a reason given after a question,
            # naming no one, is not: '… 어디서 내려받나요? 기사에는 과제명만 있어서요')
            telling = background and (seg.intent != "challenge"
                                      or (bool(distinct) and mark_after(text, segments[i - 1].text) == "?"
                                          and is_statement(seg.text, _REASON_END)
                                          and not _ASKER_SELF.search(seg.text)
                                          and segments[i - 1].intent != "challenge"))
            told_after = told_after or (telling and bool(distinct) and is_statement(seg.text, _REASON_END))
            # What the company does not do ('저흰 제조 안 해요', '제조업 아니에요') describes no technology.
            telling = telling or (seg.intent == "challenge" and _NOT_DOING.search(seg.text) is not None
                                  and not _BY_SUBJECT.search(seg.text))
            sure = seg.prob >= PIECE_SURE or (seg.prob >= PIECE_ASKED and _OPEN_QUESTION.search(seg.text) is not None
                                              and seg.intent.startswith("faq:"))
            # (a subject's challenge beside another: 'IoT 과제, AR 과제 각각 어느 회사 거?')
            sure = sure or (seg.intent == "challenge" and _asks_by_subject(seg))
            # (a share asked of a party the model cannot tell: '저희가 내야 하는 최소 비율' is the SME's or the
            # demand company's share, a question of shares all the same)
            sure = sure or (seg.intent in SHARE_INTENTS
                            and sum(p for i, p in seg.prediction.ranked[:2] if i in SHARE_INTENTS) >= PIECE_SURE)
            # A question word alone, closed by its question mark ('몇개월? 얼마? 언제까지?'), is a question of its own.
            bare = bool(_BARE_QUESTION.fullmatch(seg.text)) and mark_after(text, seg.text) == "?" \
                and seg.intent.startswith("faq:")
            if (sure or bare) and not seg.intent.startswith("smalltalk_") and not telling \
                    and (bare or self._topical(seg.masked)):
                distinct.setdefault(seg.intent, seg)
                if seg.intent == "challenge":
                    described.append(seg)
        if len(described) > 1 and all(_asks_by_subject(seg) for seg in described):
            # Challenges asked for by subject, one list item each ('- AI가 들어간 과제', '- 영상 기반 과제
            # 목록'), not a company telling about itself: each is its own question.
            expanded: dict[str, Segment] = {}
            for key, seg in distinct.items():
                if key == "challenge":  # each request in its place
                    expanded.update((f"challenge#{j}", d) for j, d in enumerate(described))
                else:
                    expanded[key] = seg
            distinct = expanded
        elif len(described) > 1:
            # What a company says about itself over several sentences ('당사는 물류 장비를 만듭니다.
            # 고위험 화물 적재 기술이 있어요. 맞는 과제는?') is one description.
            joined = self.segment(" ".join(seg.text for seg in described))
            if joined.intent == "challenge":
                distinct["challenge"] = joined
        if len(distinct) >= 2:
            return list(distinct.values())
        if len(distinct) == 1 and (told_after or offered):
            # One question, then the reason for it ('사업 이름이 정확히 뭐예요? 보고서에 적어야 해서요'): the question.
            return list(distinct.values())
        return None
