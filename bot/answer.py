"""From a question to an answer: structured answers computed from data (funding calculator,
challenge cards, deadline/D-day) and FAQ entries, with a calibrated decision to abstain.

Telegram-free: returns :class:`Answer` with HTML text and (label, target) button specs; the
handlers turn those into keyboards.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from bot import arithmetic, texts
from bot.config import TZ
from bot.entities import Entities, TermMatcher, extract, without_mentions
from bot.faq import DESCRIBED_KNOWN, TOPIC_KNOWN, ChallengeMatcher, FaqIndex
from bot.kinds import KindModel
from bot.korean import is_salient_noun, normalize
from bot.nlu import (COMPANY_SLOT, SHARE_ENTRIES, SPLIT_CONFIDENT, Segment, Understander, Understanding, compact,
                     is_statement, mark_after, mostly_english, split_sentences, without_introductions)
from bot.program import (
    PHASE_CLOSED,
    Challenge,
    Content,
    FaqEntry,
    Program,
    deadline_date_label,
    deadline_label,
    deadline_note,
    deadline_status,
    format_date,
    format_krw,
    format_krw_full,
    josa,
    months_as_years,
    parse_krw,
    round_phase,
    split_funding,
)

# Calibrated on the development sets (bench/qa.py: dev, own, patterns); see the README.
KIND_SURE = 0.95       # the learned kind's probability needed to override the reply's kind (bot.kinds)
ANSWER_PROB = 0.25      # intent probability needed to answer; below it the bot offers suggestions
TOPIC_TAGS = {"NNG", "NNP", "SL", "SN", "NR", "XR"}
SMALLTALK_SURE = 0.9    # small talk that also uses a word of the domain must be this sure
BARE_SURE = 0.9         # a question naming no noun of the domain ('언제까지 내야돼') must be this sure
AMBIGUOUS_RATIO = 0.8   # a runner-up this close to an unsure best intent: ask which one was meant
SUGGEST_PROB = 0.04     # suggestions shown when unclear must have at least this probability
OFF_TOPIC_SURE = 0.95   # the model this sure of off-topic ...
HONEST_UNLIKELY = 0.01  # ... and an honest trigger's entry this unlikely: the trigger is the other subject's
OOV_SCOPE = 0.45        # this share (IDF-weighted) of unknown topic nouns: out of scope ...
OOV_SURE = 0.9          # ... unless the model is this sure of one entry (with its related ones)
HONEST_ELSEWHERE_SURE = 0.6  # an open question's trigger among more words of another subject: the model this sure
TECH_MIN = 0.20         # a challenge must score this (0..1) to be named for a described technology
TECH_RATIO = 0.70       # ... and this share of the best challenge's score
ASPECT_SURE = 0.9       # a figure asked about a company's challenge, read this surely, needs no topic noun
TECH_RATIO_SEVERAL = 0.5  # ... when the question asks for all of them ('뭐뭐', '어디 어디', '각각')
DESCRIBED_FIT = 0.30    # a self-description the model finds off-topic still fits a challenge this well
DESCRIBED_ALONE = 0.5  # ... or at least TECH_MIN when the runner-up scores under this share of it
CALC_MIN = 1_000_000
DDAY_CUE = re.compile(r"며칠|몇\s*일|몇일|남[았은음아을]|d\s*-\s*\d*\s*day|d-?day|디데이|d\s*-\s*몇|days?\s+left|기준", re.I)
SUBMIT_CUE = re.compile(r"제출|접수|내도|내면|낼|보내|받아|늦")
# ... asking whether it is still in time, and nothing else ('26일까지 제출 서류 뭐예요?' asks for the documents)
IN_TIME_CUE = re.compile(r"(?:내|해|보내|제출해|접수해|신청해)도\s*(?:되|돼|괜찮)|늦|받아\s*주|받아줘|가능")
OTHER_QUESTION = re.compile(r"뭐|무엇|어디|얼마|몇\s*[개%곳]|누구|누가|매월|매달|이후|후에|보완|결과")
CHALLENGE_INTENTS = {"faq:challenge_list", "faq:participating_companies", "faq:who_proposes_tasks",
                     "faq:what_is_challenge_task", "faq:challenge_count"}
COUNT_INTENTS = {"faq:challenge_count", "faq:discovery_process", "faq:centers", "faq:max_period"}
FUNDING_INTENTS = {"faq:max_amount", "faq:funding_overview", "faq:gov_share", "faq:gov_max_amount",
                   "faq:demand_share", "faq:sme_share", "faq:share_amounts", "faq:share_calc", "faq:big_project"}
CLAIM_INTENTS = {"faq:max_amount", "faq:funding_overview"}
ORG_INTENTS = {"faq:organizers", "faq:tipa", "faq:seoul_center_role", "faq:what_is_program", "faq:program_name"}
GOV_INTENTS = {"faq:gov_share", "faq:gov_max_amount"}  # the government's share (an organisation's money, not its role)
# '네이버도 있음?': whether another company is among them, not whether a company like it may apply.
ELIGIBILITY_INTENTS = {"faq:eligibility"}
_ALSO_THERE = re.compile(r"도\s*(?:있|참여|들어|포함|나와|끼어|껴)")
# What a party is ('수요처가 무슨 뜻'): a share asked of it ('수요처가 몇 프로 내요?') is that party's share entry.
ROLE_INTENTS = {"faq:what_is_demand", "faq:what_is_lead_org", "faq:sme_role", "faq:large_company_role"}
_SHARE_ASKED_OF = re.compile(r"몇\s*(?:프로|퍼|%)|몇\s*퍼센트|비율|얼마나?\s*(?:내|부담)|부담\s*(?:률|비율|액|금)")
# A share or an amount asked ('몇 프로', '비율', '얼마', '%', '억'): the government's share, not the ministry's role.
_SHARE_OR_MONEY = re.compile(r"몇\s*(?:프로|퍼|%)|%|퍼센트|프로|비율|얼마|금액|지원금|돈|억|만\s*원|최대|최소|부담|이내|이상")
COUNT_CALCS = {"calc:ratio", "calc:difference", "calc:per_centre"}
SMALLTALK_ENTRY_NONE = 0.1  # ... or unsure small talk, when no entry is even this likely
DATES_ENTRY = "other_dates"  # the honest entry for dates other than the deadline
ELIGIBILITY_ENTRY = "eligibility"  # who may apply
CONCURRENT_ENTRY = "concurrent_projects"  # doing another programme at the same time
SELECTION_ENTRY = "evaluation"  # ... for how applicants are evaluated and how many are chosen
DEMAND_ENTRY = "what_is_demand"  # who the demand companies are
LIST_ENTRY = "challenge_list"  # the ten challenges with their companies
ORIGIN_ENTRY = "challenge_origin"  # which centre found which challenge (the source does not say)
SPECS_ENTRY = "challenge_specs"  # a challenge's detailed requirements (target specs, test site, what is lent)
FUNDING_RULES_ENTRY = "funding_rules"  # how the money may be spent or the asker's share paid
KIND_ENTRY = "kind_of_support"  # what kind of programme this is (R&D funding, not a contest, tender or job scheme)
CARDS_MAX = 3  # named challenges shown as full cards; more are listed by title
# Characters of answers in one reply: with the companies' titles before them and the note after, a reply stays
# under Telegram's 4,096 (a 500-character message of short questions, one per line, asks for far more).
REPLY_PARTS_MAX = 3200
_CONTACT_WORDS = re.compile(r"연락|전화|번호|메일|카톡|주소|문의|통화|찾아|contact|phone|e-?mail", re.I)
_TASK_REQUEST = re.compile(r"(?:써|작성해|만들어|번역해|짜|그려|고쳐|첨삭해|다듬어|검토해|지어)\s*"
                           r"(?:줘(?!야)|주세요|줄\s*수|줄래|주실|주라|달라|주시겠|주시면|주십시오)"
                           r"|(?:번역|맞춤법\s*(?:검사|체크)?|교정|첨삭|문장\s*작성|메일\s*작성)\s*(?:좀|부탁|해\s*(?:줘|주세요|줄|주실|달라|주시))")
# An area of the challenges asked for ('정수기 필터 유량 쪽 알려줘').
_AREA = re.compile(r"쪽|분야|관련")
# The bot told to give or work something out ('… 알려줘', '… 잡아줘', '… 정해 주세요').
_TOLD_TO_GIVE = re.compile(r"(?:알려|잡아|골라|정해|계산해|짜)\s*(?:줘(?!야)|주세요|줄래|주라|달라|봐)")
_APPLY_WORDS = frozenset({"신청", "지원", "참여", "접수", "가능", "possible", "apply", "ok"})
# Whether one may apply, asked bare ('신청 가능?', '지원 돼요?', '참여할 수 있나요', 'apply possible?').
_APPLY_OK = re.compile(r"(?:신청|지원|참여|접수|apply)\s*(?:이|도|은|는)?\s*(?:가능|돼|되|될|할\s*수|해도|possible|ok)", re.I)
# The programme's own words in English (a question in English that uses one is about the programme).
_PROGRAMME_EN = re.compile(r"\b(?:challenges?|sme'?s?|r&d|funding|funded|grants?|deadline|apply|applying|application|"
                           r"government|ministry|centres?|centers?|demand(?:ing)? compan(?:y|ies)|proposal|budget|"
                           r"co-?payment|contribution|smtech|tipa|lead organi[sz]ation|purchase obligation)\b", re.I)
# What is asked as a wish or a request ('… 궁금합니다', '… 문의드려요', '… 확인 부탁드립니다'; not '잘 부탁드립니다').
_REQUESTED = re.compile(r"궁금|여쭙|여쭤|알고\s*싶|확인\s*(?:부탁|해\s*주|좀)|문의\s*(?:드려요|드립니다|합니다|해요|드려봅니다)|"
                        r"(?<!잘 )(?<!잘)부탁")
# A recommendation asked for ('… 추천해줘', '추천 좀', '골라 주세요').
_RECOMMEND = re.compile(r"추천\s*(?:해\s*(?:줘|주세요|주실|줄래|주라|달라|봐)|좀|부탁|받고\s*싶|바랍|알려|요$|\?)|"
                        r"골라\s*(?:줘|주세요|주실)")
# The bot as the subject of the question ('귀하는 …', '이 봇은 …', '너는 …', '챗봇이에요? …').
_ABOUT_THE_BOT = re.compile(r"(?:귀하|당신|너|넌|니|그쪽|이\s*(?:봇|챗봇|서비스|대화\s*서비스)|본\s*(?:대화\s*)?서비스|챗봇|봇)"
                            r"\s*(?:는|은|이|가|께서|이는|[을를]\s*통하여|[을를]\s*통해|으로|로)?\s+(?=\S)")
_WHAT_IT_DOES = re.compile(r"답해|답변해|답변\s*가능|하는\s*(?:프로그램|봇|일)|어떤\s*(?:걸|것|일|질문|사항)|어떠한\s*(?:사항|질문|것)|"
                           r"무엇을\s*(?:하|할)|뭘\s*(?:하|할)|문의할\s*수|물어볼\s*수")
# Who made or runs the bot ('이 봇 누가 만든거임?', '귀하는 어떠한 기관에서 운영하는 상담 창구입니까?').
_WHO_MADE = re.compile(r"누가\s*만든|만든\s*(?:사람|곳|회사|데)|어디서\s*만든|어떠한\s*기관|어느\s*기관에서\s*운영|상담\s*창구")
_BOT_NOUN = re.compile(r"챗봇|(?<!로)봇|기계|(?<![a-z])ai(?![a-z])|상담원|자동응답", re.I)
# Someone else doing it ('센터에서 계획서 검토해 주실 수 있나요?', '수요처에 시제품 만들어 줘야'): a question, not a task.
_OTHER_DOER = re.compile(r"(?:센터|수요처|대기업|기관|정부)(?:에서|가|이|에)")
_NAME_AFTER_ROLE = r"\s*(?:님|분)?\s*(?:은|는|이|가|의)?\s*(?:성함|이름|누구|누군)"
# A role in the asker's own application or on the company side ('연구책임자를 팀장 이름으로 해도 되나요?',
# '수요처 담당자가 누구예요?').
_NOT_ABOUT_A_PERSON = re.compile(r"(?:으로|로)\s*(?:해도|해야|하면|써도|적어)|수요처|대기업|기업\s*쪽|신청서|계획서")
_LETTER = re.compile(r"[0-9a-z가-힣\u3131-\u318e]")
KINDS = ("answer", "not_in_source", "out_of_scope", "unclear", "smalltalk")


@dataclass
class Answer:
    kind: str                 # answer | not_in_source | out_of_scope | unclear | smalltalk (see KINDS)
    text: str                 # HTML, ready to send
    entry_id: str | None = None
    score: float = 0.0
    abstained: bool = False
    buttons: list[tuple[str, str]] = field(default_factory=list)   # (label, target: faq:<id> | ch:<id> | ...)
    form: str = ""            # how it was made: faq | challenge | challenges | calc | dday | ... (for handlers)

    def as_dict(self, question: str) -> dict:
        return {
            "question": question,
            "answer": plain_text(self.text),
            "entry_id": self.entry_id,
            "score": round(self.score, 4),
            "abstained": self.abstained,
            "kind": self.kind,
        }


def plain_text(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def esc(value: object) -> str:
    return html.escape(str(value), quote=False)


# -- rendering of program facts -------------------------------------------------------------------------
# Deadline wording goes through bot.program: deadline_label() (with "(잠정, 센터 확정 전)" until staff
# confirm), deadline_status() and round_phase() (PHASE_CLOSED from the deadline on: no countdown and no
# instructions to apply).
def placeholders(content: Content, now: datetime) -> dict[str, str]:
    program = content.program
    full = split_funding(program, program.max_total)
    return {
        "deadline": deadline_label(program),
        "deadline_date": deadline_date_label(program),
        "deadline_status": deadline_status(program, now),
        "deadline_note": deadline_note(program),
        "next_round": texts.NEXT_ROUND_HINT,
        "challenge_list": challenge_lines(content.challenges),
        "challenge_count": str(len(content.challenges)),
        "max_total": format_krw(program.max_total),
        "max_months": str(program.max_months),
        "gov_pct": str(program.gov_pct),
        "demand_pct": str(program.demand_pct),
        "sme_pct": str(program.sme_pct),
        "gov_max": format_krw(full.gov_max),
        "demand_min": format_krw(full.demand_min),
        "sme_min": format_krw(full.sme_min),
        "system": program.system,
        "documents": documents_list(program),
        "contact": program.contact,
        "name": program.name,
        "parent_program": program.parent_program,
    }


def documents_list(program: Program) -> str:
    return "\n".join(f"• {d}" for d in program.documents)


def render_entry(entry: FaqEntry, content: Content, now: datetime) -> str:
    """The entry's answer for the round's phase at ``now`` (``answer_closed`` after the deadline)."""
    values = placeholders(content, now)
    answer = entry.answer_at(round_phase(content.program, now))
    body = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), answer)
    return f"💬 <b>{esc(entry.question)}</b>\n\n{esc(body)}"


def challenge_card(challenge: Challenge, program: Program, now: datetime) -> str:
    closed = round_phase(program, now) == PHASE_CLOSED
    line = texts.CHALLENGE_CLOSED_LINE if closed else texts.CHALLENGE_DEADLINE_LINE
    return texts.CHALLENGE_CARD.format(
        company=esc(challenge.company),
        title=esc(challenge.title),
        summary=esc(challenge.summary),
        months=program.max_months,
        max_total=format_krw(program.max_total),
        deadline_line=line.format(deadline=deadline_label(program)),
    )


def challenges_list(challenges: list[Challenge] | tuple[Challenge, ...]) -> str:
    """HTML list with the exact titles."""
    return "\n".join(
        texts.CHALLENGE_LIST_ITEM.format(company=esc(c.company), title=esc(c.title)) for c in challenges
    )


def challenge_lines(challenges: list[Challenge] | tuple[Challenge, ...]) -> str:
    """Plain-text list with the exact titles (the {challenge_list} placeholder)."""
    return "\n".join(texts.CHALLENGE_LIST_LINE.format(company=c.company, title=c.title) for c in challenges)


def funding_card(program: Program) -> str:
    full = split_funding(program, program.max_total)
    return texts.FUNDING_CARD.format(
        months=program.max_months,
        years=months_as_years(program.max_months),
        max_total=format_krw(program.max_total),
        gov_pct=program.gov_pct,
        demand_pct=program.demand_pct,
        sme_pct=program.sme_pct,
        gov_max=format_krw(full.gov_max),
        demand_min=format_krw(full.demand_min),
        sme_min=format_krw(full.sme_min),
    )


def deadline_card(program: Program, now: datetime) -> str:
    fields = {
        "deadline": deadline_label(program),
        "status": deadline_status(program, now),
        "note": esc(deadline_note(program)),
    }
    if round_phase(program, now) == PHASE_CLOSED:
        return texts.DEADLINE_CARD_CLOSED.format(**fields, next_round=esc(texts.NEXT_ROUND_HINT))
    return texts.DEADLINE_CARD.format(
        **fields, how=esc(program.how), system=esc(program.system), documents=esc(documents_list(program)),
    )


def dday_text(program: Program, ref: date, now: datetime) -> str:
    """Days from ``ref`` to the deadline; says when the count is to a provisional date. After the
    deadline (at ``now``) there is no count: the round has closed."""
    if round_phase(program, now) == PHASE_CLOSED:
        return deadline_status(program, now) + "\n" + texts.NEXT_ROUND_HINT
    deadline = program.deadline
    n = (deadline.astimezone(TZ).date() - ref).days
    when = deadline_label(program)
    confirmed = program.deadline_confirmed
    if n > 0:
        template = texts.DDAY_FROM if confirmed else texts.DDAY_FROM_PROVISIONAL
        return template.format(ref=format_date(ref), deadline=when, n=n)
    if n == 0:
        template = texts.DDAY_SAME_DAY if confirmed else texts.DDAY_SAME_DAY_PROVISIONAL
        return template.format(ref=format_date(ref), deadline=when)
    template = texts.DDAY_AFTER if confirmed else texts.DDAY_AFTER_PROVISIONAL
    return template.format(ref=format_date(ref), deadline=when)


def calc_text(program: Program, total: int) -> str:
    split = split_funding(program, total)
    prefix = ""
    if split.capped:
        prefix = texts.CALC_OVER_CAP.format(asked=format_krw(split.asked), cap=format_krw(program.max_total))
    body = texts.CALC_RESULT.format(
        total=format_krw_full(split.total),
        gov=format_krw_full(split.gov_max),
        demand=format_krw_full(split.demand_min),
        sme=format_krw_full(split.sme_min),
        gov_pct=program.gov_pct,
        demand_pct=program.demand_pct,
        sme_pct=program.sme_pct,
    )
    return prefix + body + texts.CALC_FOOTER


# -- the decision: understanding -> parts -> one reply ------------------------------------------------------
@dataclass
class Part:
    kind: str                     # one of KINDS
    text: str
    keys: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    score: float = 0.0
    form: str = ""


_BARE_DAY = re.compile(r"(?<![\d월/.\-])(\d{1,2})\s*일\s*(?:날|에|쯤|까지|경|께)")


def _bare_day(text: str, deadline: datetime) -> date | None:
    m = _BARE_DAY.search(text)
    if not m:
        return None
    try:
        return deadline.astimezone(TZ).date().replace(day=int(m.group(1)))
    except ValueError:
        return None


def _another_subject(foreign: list[str], known: int) -> bool:
    """Several nouns the programme never uses, at least as many as its own: the question is about
    something else (one stray word, often a misread ending or a typo, is not)."""
    return len(foreign) >= 2 and len(foreign) >= known


def _asks_for_challenge(intent: str, prob: float, companies: list, others: bool, excluded: set) -> bool:
    """The answer is a challenge (or the challenges) rather than an entry."""
    named = bool(companies) or others
    return (
        (intent == "challenge" and (prob >= ANSWER_PROB or named))  # a sure guess, or a company named
        or (named and prob < ANSWER_PROB)  # a company and no clear question about it
        or (bool(companies) and intent.startswith("smalltalk_"))  # a name with chat around it ('엘지꺼 ㄱㄱ')
        or (bool(excluded) and not companies)  # 'X 말고 다른 과제': the others
    )


class Answerer:
    def __init__(self, index: FaqIndex, previous: Answerer | None = None, kinds: KindModel | None = None) -> None:
        self.index = index
        self.kinds = kinds
        # A retrain after a taught phrasing keeps the calibrated temperature (it barely moves).
        self.nlu = Understander(index.content, index, temperature=previous.nlu.model.temperature if previous else None)
        self.matcher = ChallengeMatcher(index.content, index.analyzer)
        # Staff-listed words: off-topic subjects, and the trigger words of the honest entries.
        terms = {t: "" for t in index.content.out_of_scope}
        terms.update({t: e.id for e in index.content.faq if e.abstain for t in e.triggers})
        self._terms = TermMatcher(terms)
        self._people = {p["id"]: p for p in index.content.entities.get("people", [])}
        # Each organisation's name as shown, with its short Latin name beside it where the organisations' texts use
        # that name, as the article writes '중소기업기술정보진흥원(TIPA)' (not 'MSS', which only staff listed).
        orgs = index.content.entities.get("organizations", [])
        org_texts = " ".join(o.get("role", "") for o in orgs)
        self._org_names = {}
        for o in orgs:
            short = next((a for a in o.get("aliases", ()) if re.fullmatch(r"[A-Z]{3,8}", a) and a in org_texts), None)
            self._org_names[o["id"]] = f"{o['name']}({short})" if short else o["name"]
        # The parent programme's name ('구매조건부 신제품 개발사업', written with or without its spaces).
        parent = index.content.program.parent_program.split()
        self._parent_re = re.compile(r"\s*".join(map(re.escape, parent))) if parent else None
        self._smalltalk_words = {t for name, examples in index.content.intents.items() if name.startswith("smalltalk_")
                                 for text in examples for t in index.analyzer.tokens(text, correct=False)[0]}

    @property
    def content(self) -> Content:
        return self.index.content

    def label(self, key: str) -> str:
        return self.index.labels.get(key, key)

    # -- entry point ---------------------------------------------------------------------------
    def answer(self, question: str, now: datetime | None = None) -> Answer:
        now = now or datetime.now(TZ)
        if not question.strip():
            return Answer("unclear", texts.MENU_PROMPT, abstained=True, form="empty")
        u = self.nlu.understand(question, self.content.program.deadline.year)
        return self._checked_kind(self._answer(u, now), u, question, now)

    def _checked_kind(self, answer: Answer, u: Understanding, question: str, now: datetime) -> Answer:
        """The learned kind of the whole message (bot.kinds) overrides the reply's kind where the model is
        very sure of another: a question the source leaves open gets the honest reply (the honest entries
        the reply held, or, for a question declined, not understood or answered with challenges guessed from
        its words, the general one with what was found offered as buttons); an off-topic question the reply
        took for an entry or an open question is declined; small talk taken for no question gets its reply.
        A day's count or a computation is not second-guessed."""
        if self.kinds is None or answer.form in ("dday", "calc"):
            return answer
        probs = self.kinds.probs(question)
        sure = max(probs, key=probs.get)
        if probs[sure] < KIND_SURE:
            return answer
        if sure == "nis" and answer.kind == "answer":
            # Only the honest entries the reply held ('컨소시엄으로 신청돼요? 기간은요?': the open question's own
            # entry, not the period): a reply of entries that answer is kept.
            keys = [k for k in (answer.entry_id or "").split(",") if k.startswith("faq:")]
            honest = [p for p in (self._entry_part(k, probs[sure], now, question) for k in keys)
                      if p.kind == "not_in_source"]
            if honest:
                return self._combine(honest, u)
            if answer.form != "challenges":
                return answer
            # (challenges guessed from the question's words, '연구비 집행은 어떤 시스템을 써요?': the general honest
            # reply, the guessed challenges offered as buttons)
        if sure == "nis" and (answer.kind in ("out_of_scope", "unclear") or answer.form == "challenges") \
                and not self._someone_elses(u):
            keys = [k for k in (answer.entry_id or "").split(",") if k.startswith(("faq:", "ch:"))]
            stated = self._not_stated(probs[sure])
            return Answer(stated.kind, stated.text, entry_id=",".join(stated.keys), score=stated.score,
                          abstained=True, buttons=[(self.label(k), k) for k in keys][:3], form=stated.form)
        if sure == "out" and (answer.kind == "not_in_source" and not self._programme_cue(self.nlu.asking(u.text))
                              or answer.kind == "answer" and (answer.form == "challenges" or self.nlu.unseen_words(u.text))):
            # (an answer is only declined for words the data does not know, '신청방법 알려주세요' is ours, or when it
            # is challenges guessed from the question's words; an open question only where it names none of this
            # programme's workings: '연구비로 …')
            return self._combine([self._out_of_scope(probs[sure])], u)
        if sure == "smalltalk" and (answer.kind in ("unclear", "not_in_source", "out_of_scope")
                                    or answer.form == "challenges"):
            chat = next((i for i, _ in u.segments[0].prediction.ranked if i.startswith("smalltalk_")), None)
            if chat is not None:
                return Answer("smalltalk", self._smalltalk(chat), entry_id=chat, score=probs[sure], form="smalltalk")
        return answer

    def _someone_elses(self, u: Understanding) -> bool:
        """The message names another company, organisation or grant, or a staff-listed off-topic subject (what
        it asks may be theirs, not a question this programme leaves open)."""
        return any(m.kind in ("other_company", "other_org") for m in u.entities.mentions) \
            or self.out_of_scope_term(u.text) is not None or any(self._another_grant(s) for s in u.segments)

    def _answer(self, u: Understanding, now: datetime) -> Answer:
        program = self.content.program
        # Days left from a date the user gives ("12월 20일 기준 며칠 남았어?", "12/25 기준 D-몇?").
        # ... and whether a day the user names is in time ('12월 28일에 내도 되나요?', '25일에 접수해도 늦지 않죠?':
        # a day without a month is one of the deadline's month, as the source's '오는 26일' is).
        in_time = SUBMIT_CUE.search(u.text) and IN_TIME_CUE.search(u.text) and not OTHER_QUESTION.search(u.text)
        day = u.entities.date or (_bare_day(u.text, program.deadline) if in_time else None)
        if day is not None and day < now.astimezone(TZ).date() - timedelta(days=60):
            day = day.replace(year=day.year + 1)  # '1월 5일' in December is next January
        if day is not None and (DDAY_CUE.search(u.text) or in_time):
            return Answer("answer", dday_text(program, day, now), entry_id="dday", score=1.0,
                          buttons=[(texts.BTN_DEADLINE, "deadline")], form="dday")
        # Figures the user states and asks to confirm ('14개월 / 3.5억 / 26일 이거 다 맞나요?', '정부 60 대기업 30 우리
        # 10 맞제?'): each one checked, right or wrong.
        checked = arithmetic.check_figures(u.text, u.entities, program, self.content.calc_cues,
                                           deadline_label(program))
        if checked is not None and self.not_in_source_entry(u.text) is None:
            # (not beside an open question: '대출 한도가 3.5억이고 상환 기간이 14개월 맞죠?' is answered piece by piece;
            # a question of its own beside the figures, with no figure in it, is answered too: '… 맞나요? 그리고 수요처
            # 구매 의무는 없는 거죠?')
            rest = [p for sentence in split_sentences(u.text) if not _DIGIT.search(sentence)
                    for p in self._parts(self.nlu.segment(sentence), u, now) if p.form != "calc"]
            return self._combine([_calc_part(checked.text, checked.key, 1.0), *rest], u)
        # A staff-listed off-topic subject (another programme ...) rules the whole message out,
        # unless some part of it is a question the source leaves open ('스마트공장 하는데 중복 지원 돼요?').
        about_us = bool(u.entities.companies) and self._uses_challenge_word(u.text)
        # (The subject must be in one of the questions, not in the background: '관내 입주기업 안내 목적으로
        # 문의드립니다.')
        # (nor in a piece that only tells: '저 핀테크 스타트업 인턴인데 팀장님이 조사하래서요')
        # (nor in sure small talk that asks nothing: '액셀러레이터에서 일하는 PM입니다. 이 봇 처음 써봐요. 잘 부탁드립니다.')
        named_off_topic = any(self.out_of_scope_term(s.text) for s in u.segments
                              if (len(u.segments) == 1 or not is_statement(s.text) or mark_after(u.text, s.text) == "?")
                              and not self._only_chat(s))
        if named_off_topic and not about_us and not any(self._about_challenge(s) for s in u.segments) \
                and not self._open_here(u.text) and all(self._ruled_out(s, u.text) for s in u.segments) \
                and not any(self._asked_as_a_kind(s, self.nlu.asking(s.text), _THIS_IS_IT_A) for s in u.segments):
            return self._combine([self._out_of_scope(max(seg.prob for seg in u.segments))], u)
        money_only = all(s.intent in FUNDING_INTENTS or s.intent.startswith("calc_") for s in u.segments)
        if len(u.segments) > 1 and money_only:
            # '정부+수요처 합계는?' is one sum, not two questions (but a sum beside other questions is one of
            # them).
            total = arithmetic.compute(u.text, u.entities, program, len(self.content.challenges), 0,
                                       self.content.calc_cues, "")
            if total is not None and total.key == "calc:shares":
                return self._combine([_calc_part(total.text, total.key, 1.0)], u)
            if total is None and u.entities.money and u.entities.money >= CALC_MIN \
                    and all(s.intent in SHARE_ENTRIES.values() or s.intent == "faq:share_amounts" for s in u.segments):
                # '총사업비는 2억이에요. 정부랑 수요처랑 저희 각각 얼마씩 내요?': each party's amount of that budget.
                return self._combine([_calc_part(calc_text(program, u.entities.money), "calc", 1.0)], u)
        parts = [part for seg in u.segments for part in self._parts(seg, u, now)]
        if len(u.segments) > 1 and u.entities.money and all(
                s.intent in FUNDING_INTENTS or s.intent.startswith("calc_") or s.intent == "faq:max_period"
                for s in u.segments):
            # '총사업비 3억, 기간 12개월로 잡으면 정부지원금 월 최대 얼마': the figures of one computation spread
            # over the pieces (no piece has both the amount and the per-month question).
            cues = self.content.calc_cues
            if not any(arithmetic.has_cue(s.text, cues, "per_month") and parse_krw(s.text) for s in u.segments):
                whole = arithmetic.compute(u.text, u.entities, program, len(self.content.challenges), 0, cues, "")
                if whole is not None and whole.key == "calc:per_month":
                    return self._combine([_calc_part(whole.text, whole.key, 1.0)], u)
        if len(u.segments) > 1 and not any(p.form == "calc" and p.keys != ["calc"] for p in parts) \
                and (len(arithmetic.parties(u.text, self.content.calc_cues)) >= 2 or u.entities.counts):
            # '정부출연금 상한액과 주관기관 최소 부담액 사이의 차액은?': one computation on two parties, split into
            # pieces at the '과' between them (no piece names both).
            whole = arithmetic.compute(u.text, u.entities, program, len(self.content.challenges), 0,
                                       self.content.calc_cues, "")
            if whole is not None and (whole.key in ("calc:gap", "calc:times", "calc:shares")
                                      or whole.key == "calc:total" and _SUM_ASKED.search(u.text) is not None):
                return self._combine([_calc_part(whole.text, whole.key, 1.0)], u)
        return self._combine(parts, u)

    def _open_here(self, text: str) -> bool:
        """An open question of this programme is asked, not one inside the off-topic subject (an open question's
        trigger in that subject is the subject's: '육아휴직 급여 신청 절차랑 필요 서류')."""
        return self.not_in_source_entry(text) is not None and not self._about_another_subject(text)

    def _about_challenge(self, seg: Segment) -> bool:
        """The question is about a challenge: the model says so and the question uses a challenge word."""
        return seg.intent == "challenge" and self._uses_challenge_word(seg.text)

    def _about_something_else(self, seg: Segment, foreign: list[str]) -> bool:
        """Chat about another subject ('연애 상담 해줄 수 있어?', '엑셀 vlookup 사용법 알려줘'): words no
        phrasing of the data uses, among nouns the programme's material never mentions."""
        unseen = self.nlu.unseen_words(without_introductions(seg.masked))
        # (Words of the small-talk phrasings are not the programme's, yet no other subject: '상담원이신가요')
        foreign = [f for f in foreign if f not in self._smalltalk_words]
        return len(unseen) >= 2 or (len(unseen) >= 1 and len(foreign) >= 2)

    def _fits_one(self, seg: Segment) -> bool:
        """A self-description that clearly fits one challenge more than the others (a word or two in
        common with several challenges is no fit: '교육용 코딩 플랫폼')."""
        if not self._describes(seg) or self._ruled_out(seg):
            return False
        scored = self.matcher.match(self._topic_text(seg), DESCRIBED_KNOWN)
        if not scored or scored[0][1] < TECH_MIN:
            return False
        runner = scored[1][1] if len(scored) > 1 else 0.0
        # (a weaker fit still counts when no other challenge comes near it)
        return runner < (TECH_RATIO if scored[0][1] >= DESCRIBED_FIT else DESCRIBED_ALONE) * scored[0][1]

    def _ruled_out(self, seg: Segment, text: str | None = None) -> bool:
        """``text`` (the piece's, by default) names a staff-listed off-topic subject, unless the piece is
        a company describing itself with a word that is also a challenge's ('견적': a consumer's
        insurance quote, and the damage estimate of DB손해보험's challenge)."""
        term = self.out_of_scope_term(seg.text if text is None else text)
        if term is None:
            return False
        return not (self._describes(seg) and any(term in words for words in self.matcher.words.values()))

    def _topic_text(self, seg: Segment) -> str:
        """The question without the organisations' and the parent programme's names (their words, such as
        '기술개발' and '시스템' in the name of SMTECH or '신제품' in '구매조건부 신제품 개발사업', do not describe a
        technology)."""
        text = seg.masked
        for m in seg.mentions:
            if m.kind in ("org", "other_org"):
                text = text.replace(m.name, " ")
        return self._parent_re.sub(" ", text) if self._parent_re else text

    def _answers_when(self, intent: str, question: str) -> bool:
        """The entry's own question asks when (or for how long, unless the ``question`` asks when something
        starts: that is no span), or its answer gives the deadline."""
        entry = self.content.entry(intent[4:]) if intent.startswith("faq:") else None
        if entry is None:
            return True
        start = _START_ASKED.search(question) is not None
        if _BEGINS.search(question) and _WHEN_ASKED.search(entry.question) and not _START_ASKED.search(entry.question) \
                and "{deadline" not in entry.answer:
            return False  # ('과제는 언제부터 시작됩니까' is not when the track was created)
        return bool(_WHEN_ASKED.search(entry.question) or (not start and _SPAN_ASKED.search(entry.question))
                    or "{deadline" in entry.answer)

    def _describes(self, seg: Segment) -> bool:
        """The asking company describes itself or asks which challenge fits it: a staff-listed cue, or a sentence
        that tells what it does or has, and asks nothing ('천장 카메라로 집은 상품을 추적해 자동결제까지 해요.',
        '… 앱 개발중'; not '도커에서 GPU 안 잡혀요')."""
        cues = self.content.intents.get("describe_cues", ())
        canonical = self.index.analyzer.apply_synonyms(seg.text)  # ('… 과재 있지 않나': a misspelt cue word)
        return any(c in seg.text or c in canonical for c in cues) \
            or any(is_statement(s) and _WE_DO.search(s) or _UNDER_WAY.search(s) for s in split_sentences(seg.text))

    def _uses_challenge_word(self, text: str) -> bool:
        """A challenge word, also one written in another language ('KT robot challenge')."""
        cues = self.content.intents.get("challenge_cues", ())
        # (in the synonyms' words, typos fixed: '엘지 과재가 맞을 것 같기도')
        if any(c in text for c in cues):
            return True
        prepared = self.index.analyzer.prepare(text)
        return any(c in prepared for c in cues)

    def out_of_scope_term(self, question: str) -> str | None:
        """A staff-listed topic the bot must not answer (other programmes, people ...), not where it is only
        compared with this programme ('디딤돌처럼 …', 'TIPS는 … 높은 편인데, 이 과제는 …')."""
        text = self.nlu.asking(question)
        norm = normalize(text)
        return next((term for start, end, term, entry in self._terms.spans(text)
                     if not entry and not _COMPARED.match(norm, end) and not _SET_ASIDE.match(norm, end)
                     and not _THIS_ONE_AFTER.search(norm, end)
                     and not _OURS_BEFORE.search(norm[:start])), None)

    def _first_terms(self, question: str) -> tuple[str, tuple | None, tuple | None]:
        """The asking text (normalised: the spans' offsets are into it), and the first staff-listed off-topic
        term's and the first honest trigger's spans (start, end, term, entry id), None where there is none."""
        text = self.nlu.asking(question)
        spans = self._terms.spans(text)
        other = next((sp for sp in spans if not sp[3]), None)
        trigger = next((sp for sp in spans if sp[3]), None)
        return normalize(text), other, trigger

    def _applying_for_it(self, question: str) -> bool:
        """The question asks how to apply for the thing an honest trigger names ('벤처기업 확인 신청 절차',
        '… 신청 어디서 해'), not whether it matters for applying here ('벤처기업 확인 없어도 신청 돼요?')."""
        text, _, trigger = self._first_terms(question)
        return trigger is not None and _FOR_IT.match(text[trigger[1]:]) is not None

    def _about_another_subject(self, question: str) -> bool:
        """A staff-listed off-topic subject comes before the question's first honest trigger, and nothing
        between them ties it to this programme ('팁스 받은 기업도 …', '창업패키지랑 중복 …')."""
        text, other, trigger = self._first_terms(question)
        if other is not None and mostly_english(question):
            # English names the subject after the verb ('how to extend D-8 visa'); a tie is its own words ('We got
            # TIPS, can we also apply?').
            return not _TIED_TO_THIS_EN.search(text)
        if other is not None and trigger is not None and other[0] > trigger[0] and trigger[3] != "contact":
            # The subject after the trigger, in the same noun phrase ('외국인근로자 E-9 | 고용허가', '사회적기업 직원
            # | 퇴직금 중간정산'): a Korean noun phrase ends in its head, and the trigger only qualifies it.
            return self._modifies(text[trigger[0]:other[1]], trigger[1] - trigger[0], other[0] - trigger[0]) \
                and not _ALONGSIDE_THIS.search(text[other[1]:])
        if other is None or trigger is None or trigger[3] == "contact":
            return False  # ('서울센터 사무실 주소': where the centre is, not the office chore '사무실')
        return not (_TIED_TO_THIS.search(text[other[1]:trigger[0]]) or _ALONGSIDE_THIS.search(text[other[1]:]))

    def _another_grant(self, seg: Segment) -> bool:
        """A grant of another name ('… 지원사업', '… 장려금', '… 바우처') whose name has a word the programme never uses,
        and nothing ties it to this programme ('창업패키지 하고 있는데 이것도 …' is tied)."""
        text = normalize(seg.text)
        m = _ANOTHER_GRANT.search(text)
        if m is None:
            return False
        before = text[:m.start()].rstrip()
        name = " ".join(before.split()[-3:])  # the grant's name: up to three words before its kind
        if not name or _THIS_PROGRAMME.search(name) or _OURS_BEFORE.search(before[:len(before) - len(name)]):
            return False
        rest = text[m.end():]
        if _DOING_IT_RE.search(rest) or _ALONGSIDE_THIS.search(rest) or _THIS_PROGRAMME.search(rest):
            return False
        return bool(self.index.oov_share(self.index.analyzer.analyze(name)[0])[1])

    def _of_another_organisation(self, seg: Segment) -> bool:
        """The question opens with another organisation's name right before a noun ('기보 보증 …', '중진공
        신성장기반자금 …': its product) and nothing after ties it to this programme ('중진공 정책자금 받은 기업도
        신청 돼요?' does)."""
        text = normalize(seg.text)
        first = min(seg.mentions, key=lambda m: m.start, default=None)
        if first is None or first.kind != "other_org" or text[:first.start].strip():
            return False
        rest = text[first.end:]
        if not re.match(r"\s+[가-힣a-z]", rest):
            return False  # a particle after the name ('중진공이 …', '기보랑 …') makes it no owner
        return not (_HAD_IT.search(rest) or _ALONGSIDE_THIS.search(rest) or _THIS_PROGRAMME.search(rest))

    def _modifies(self, phrase: str, first_end: int, second_start: int) -> bool:
        """Only nouns, names and figures between the phrase's first word (ending at ``first_end``) and its last
        (from ``second_start``): the first qualifies the second (no particle or ending closes a phrase:
        '사회적기업인데 퇴직금 …', '벤처인증이나 이노비즈' tell two things)."""
        spans = self.index.analyzer.backend.analyze_spans(phrase)
        return all(tag[0] == "N" or tag in ("SN", "SL", "SH", "SY")
                   for _, tag, start, end in spans if start >= first_end and end <= second_start)

    def _may_it_apply(self, text: str) -> bool:
        """A kind of company (a noun) 'also' applying ('협동조합도 지원할 수 있나요?'; not '우편으로 서류 보내도 접수되나요?'),
        or a company of some place or kind 'also' or 'only' allowed ('춘천 회사도 되나?', '서울 회사만 되는 거예요?')."""
        text = normalize(text)
        if _COMPANY_OF_A_KIND.search(text):
            return True
        m = _MAY_IT_APPLY.search(text)
        if m is None or _COST_ITEM.search(m.group(1)):
            return False  # ('시제품 제작비도 지원 가능해요?': whether a cost is covered)
        parts = self.index.analyzer.backend.analyze(m.group(1) + "도")
        # '도' must be the particle after a noun ('정도', '한도' end nouns of their own: '얼마정도 지원돼요?').
        return len(parts) >= 2 and parts[-1] == ("도", "JX") and parts[-2][1].startswith("NN")

    def not_in_source_entry(self, question: str) -> FaqEntry | None:
        """The honest entry whose staff-listed trigger words the question uses ('업력', '평가기준' ...), or the
        evaluation entry for how many companies are chosen ('과제 하나에 중소기업 몇 군데나 뽑아요')."""
        asking = self.nlu.asking(question)
        found = next((self.content.entry(entry) for _, entry in self._terms.find(asking) if entry), None)
        if found is None and asking != question and _APPLY_OK.search(asking) and not self._names_more(asking):
            # '대표가 외국인이에요. F-2 비자 있어요, 신청 possible?': who the asker is, told before asking whether
            # they may apply.
            if any(entry == ELIGIBILITY_ENTRY for _, entry in self._terms.find(question)):
                found = self.content.entry(ELIGIBILITY_ENTRY)
        if found is None and _SHARE_PAID_WITH.search(normalize(asking)):
            # '우리 10%는 기계로 내도 되나': how the asker's share may be paid, which the source leaves open.
            found = self.content.entry(FUNDING_RULES_ENTRY)
        if found is None and _COMPANIES_CHOSEN.search(asking):
            found = self.content.entry(SELECTION_ENTRY)
        if found is None and self._may_it_apply(asking):
            # '협동조합도 지원할 수 있나요?': whether a kind of company may apply, which the source leaves open.
            found = self.content.entry(ELIGIBILITY_ENTRY)
        if found is None:
            # Doing another programme alongside this one ('팁스 하고있는데 이거 같이 해도 됨?'): whether both may
            # run at once, which the source leaves open.
            norm, other, _ = self._first_terms(question)
            both = _ALONGSIDE_THIS.search(norm, other[1]) if other is not None else None
            if both is not None and _DOING_HERE.search(norm[other[1]:both.start()]):
                # (doing it is said between: '복합기랑 프린터 동시에 살까요?' is no programme done alongside)
                found = self.content.entry(CONCURRENT_ENTRY)
        if found is None and _LATIN_WORD.search(asking):
            # English words are read in their Korean canonical words ('webinar' is 사업설명회).
            prepared = self.index.analyzer.prepare(asking)
            found = next((self.content.entry(entry) for _, entry in self._terms.find(prepared) if entry), None)
        return found

    # -- one question ---------------------------------------------------------------------------
    def _parts(self, seg: Segment, u: Understanding, now: datetime) -> list[Part]:
        intent, prob = seg.intent, seg.prob
        excluded = _excluded(seg.text, seg.mentions)
        companies = _unique(m for m in seg.mentions if m.kind == "company" and m.id not in excluded)

        if (len(companies) >= 2 or (companies and _OTHER_CHALLENGES.search(seg.text))) and _SAME_OR_NOT.search(seg.text):
            # '교보 과제랑 KT 과제 금액 상한이 서로 달라요?': the figure compared is the same for every challenge.
            figures = [entry for entry, words in _FIGURES if words.search(seg.text)]
            if figures and all(self.content.entry(e) is not None for e in figures):
                return [self._entry_part(f"faq:{e}", max(prob, ANSWER_PROB), now) for e in figures]
        if len(companies) == 1 and len({compact(m.surface) for m in seg.mentions if m.kind == "company"}) >= 2 \
                and (_SAME_OR_NOT.search(seg.text) or _SAME_OR_APART.search(seg.text)):
            # '현중이랑 HD현대중공업 같은 회사예요?': two names of one company (the reply says so).
            return [self._challenge_part(seg, companies, excluded, max(prob, ANSWER_PROB), now)]
        if companies and _NAME_ONLY.fullmatch(without_mentions(seg.text, seg.mentions, " ")):
            # 'HD현대중공업은요?', '케이티꺼는?': a name alone asks for its challenge.
            return [self._challenge_part(seg, companies, excluded, max(prob, ANSWER_PROB), now)]
        if not _LETTER.search(seg.text):
            # Only emoji or punctuation ('👍', '?'): a nod, or a user who does not know what to ask.
            intent = "smalltalk_capability" if "?" in seg.text else "smalltalk_ack"
            return [Part("smalltalk", self._smalltalk(intent), [intent], score=1.0, form="smalltalk")]

        bot_asked = _ABOUT_THE_BOT.match(normalize(seg.text))
        if bot_asked and not companies and (self.not_in_source_entry(seg.text) is None
                                            or _WHAT_IT_DOES.search(bot_asked.string, bot_asked.end())) \
                and (_WHAT_IT_DOES.search(bot_asked.string, bot_asked.end())
                     or _BOT_NOUN.search(bot_asked.string, bot_asked.end())
                     or _WHO_MADE.search(bot_asked.string, bot_asked.end())):
            # '귀하는 어떤 일을 하는 프로그램입니까?', '이 봇은 어떤 걸 답해주는 건가요?': the bot itself is asked about
            # (not '너 로봇 과제 있어?', nor a contact asked of '그쪽').
            rest = bot_asked.string[bot_asked.end():]
            intent = "smalltalk_capability" if _WHAT_IT_DOES.search(rest) else "smalltalk_identity"
            return [Part("smalltalk", self._smalltalk(intent), [intent], score=1.0, form="smalltalk")]
        if _TASK_REQUEST.search(seg.text) and not _OTHER_DOER.search(seg.text) \
                and not self._uses_challenge_word(seg.text):
            # Writing, translating, coding for the user ('회의록 양식 만들어줘', '번역해줘'): the bot answers
            # questions about the programme, it does not do tasks.
            return [self._out_of_scope(prob)]
        if _RECOMMEND.search(seg.text) and not companies and not self._uses_challenge_word(seg.text) \
                and not any(c in seg.text for c in self.content.intents.get("describe_cues", ())) \
                and not _APPLYING_HERE.search(seg.text) \
                and not self.match_challenges(re.sub(r"추천|골라", " ", self._topic_text(seg))) \
                and self.not_in_source_entry(seg.text) is None:
            # '오픈 이노베이션 관련 경영 책 추천해줘', '기자님 다른 기사 추천해줘': the only thing the bot recommends is
            # a challenge (asked for as one, by a subject of the challenges, or for a company that describes itself).
            return [self._out_of_scope(prob)]
        ents = self._entities(seg, u)
        # The IDF-weighted share of the question's topic nouns the programme's material never uses.
        # (Unknown words in the statements before the question are the asker's background.)
        asking = self.nlu.asking(seg.masked)
        # (A noun made a modifier by '-적' is no topic: '기본적으로', '구체적인'.)
        tagged = self.index.analyzer.analyze(asking)[0]
        modifiers = {m.group(1) for m in _MODIFIER_WORD.finditer(asking)} if "적" in asking else ()
        if modifiers:
            unmodified = [(f, t) for f, t in tagged if not (len(f) > 1 and any(w.endswith(f) for w in modifiers))]
            if any(is_salient_noun(f, t) and f in self.index.domain_vocab for f, t in unmodified):
                tagged = unmodified  # (but '정치적으로 어떻게 생각해요?' is still about politics)
        oov, foreign = self.index.oov_share(tagged)
        known = len({f for f, t in tagged if is_salient_noun(f, t)}) - len(foreign)

        # Arithmetic on the article's counts ('40개 중 10개면 경쟁률 몇 대 몇?') is answerable even
        # where a word of it is also a trigger of a question the source leaves open ('경쟁률').
        calc = self._calc(seg, ents)
        if calc is not None and calc.keys[0] not in COUNT_CALCS and not (ents.money or ents.percents) \
                and oov >= OOV_SCOPE and not arithmetic.parties(seg.text, self.content.calc_cues) \
                and not (known >= 1 and self._cites_a_figure(ents) and arithmetic.asks_amount(seg.text)):
            # (a figure of the programme and an amount asked: '14개월 중 절반 지날 때까지 쓸 수 있는 금액은?')
            # (The programme's parties named are its own figures: '대기업부담이 우리꺼 몇배임', whose '배임' the tagger
            # reads as a word the programme never uses.)
            calc = None  # '판다스로 csv 두개 merge 하는 코드': a count, but nothing of the programme to compute
        claimed = self._claimed_share(seg, ents) if calc is None else None
        if claimed is not None:
            # '수요처가 20%만 낸다던데 맞아요?': that party's share, as the source gives it.
            return [self._entry_part(claimed, max(prob, ANSWER_PROB), now, seg.text)]
        # A challenge company beside a word the programme never uses, and no word of a challenge ('GS리테일
        # 배당금 언제 들어와요', 'HD현대 수주 뉴스'): the company's own business.
        if companies and foreign and intent != "challenge" and not self._uses_challenge_word(seg.text) and calc is None:
            return [self._out_of_scope(prob)]
        others = any(m.kind == "other_company" for m in seg.mentions)
        # (A question the model reads as another entry, or as about a challenge, keeps its own way: '네이버 과제
        # 있으면 … 마감이 언제예요?' answers the deadline beside 'not among the ten'.)
        asks_other = intent == "challenge" or (intent.startswith("faq:") and prob >= ANSWER_PROB
                                               and intent not in CHALLENGE_INTENTS
                                               and not (intent in ELIGIBILITY_INTENTS and _ALSO_THERE.search(seg.text)))
        if others and not companies and not asks_other \
                and any(_PARTICIPATES.search(t) for t in (seg.text, self.index.analyzer.prepare(seg.text))):
            # '한화오션도 수요처로 들어가 있나', 'Samsung Electronics 도 participating 해요?': not among the ten.
            return [self._challenge_part(seg, companies, excluded, max(prob, ANSWER_PROB), now)]
        titled = self._titles_with(seg)
        if titled is not None:
            return [titled]
        if _CENTRE_NOUN.search(seg.text):
            # '참여 센터 8곳 중에 수도권은 몇 퍼센트?': the centres in a group of regions (also where a region word is an
            # open question's trigger, '수도권 기업도 신청 돼요?').
            in_region = self._centres_in_region(seg)
            if in_region is not None:
                return [in_region]
        if _AS_DEMAND.search(seg.text) and not _AS_APPLICANT.search(seg.text) and not companies \
                and self.content.entry(DEMAND_ENTRY) is not None:
            # '대기업 말고 중견기업도 수요처로 들어가 있어요?': who the demand companies are (the source says: large and
            # mid-sized companies in the purchase-linked track), not whether a mid-sized company may apply.
            return [self._entry_part(f"faq:{DEMAND_ENTRY}", max(prob, ANSWER_PROB), now)]
        if companies and self.content.entry(SPECS_ENTRY) is not None and calc is None \
                and any(c in compact(seg.text) for c in self.content.intents.get("challenge_detail_cues", ())):
            # 'KT 로봇 과제면 하드웨어까지 우리가 납품해야 해요?', '현중 과제 라이다 꼭 넣어야 돼?': a detail of a named
            # challenge the source leaves open (the reply names the challenge: see _combine).
            return [self._entry_part(f"faq:{SPECS_ENTRY}", max(prob, ANSWER_PROB), now)]
        honest = self.not_in_source_entry(seg.text)
        if honest is not None and (_CHORE.search(seg.text) and not _APPLYING_HERE.search(seg.text)
                                   or self._applying_for_it(seg.text)):
            # The chore itself ('4대보험 요율', '세금계산서 역발행 하는 법', '벤처인증 받는 방법'), not whether it
            # matters for applying here ('4대보험 가입 안 돼 있어도 신청 돼요?').
            return [self._out_of_scope(prob)]
        if self._another_grant(seg):
            # '사회적기업 일자리창출 인건비 지원사업 신청 기간', '청년일자리도약장려금 지원 조건': another grant, named
            # by words the programme never uses.
            return [self._out_of_scope(prob)]
        if self._of_another_organisation(seg):
            # '기보 보증 받으려면 신용등급 얼마', '중진공 신성장기반자금 융자 한도': that organisation's own product.
            return [self._out_of_scope(prob)]
        if honest is not None and intent == "out_of_scope" and prob >= OFF_TOPIC_SURE \
                and seg.prediction.prob_of(f"faq:{honest.id}") < HONEST_UNLIKELY:
            # The model is sure it is off-topic and the open question is all but ruled out ('카톡 단체방 만드는 법',
            # 'MSDS 작성 대행 업체 추천해 주세요'): the trigger word ('카톡', '대행') belongs to the other subject.
            return [self._out_of_scope(prob)]
        if honest is not None and self._about_another_subject(seg.text):
            # '창업도약패키지 선정 발표 언제', '중진공 정책자금 융자 신청 자격': the open question is that
            # subject's, not this programme's.
            return [self._out_of_scope(prob)]
        if honest is not None and honest.id == "contact":
            shown = self._contact_in_source(seg)
            if shown is not None:
                # '기자 이메일 나와 있어요?': the article gives that person's address.
                return [self._entry_part(f"faq:{shown}", max(prob, ANSWER_PROB), now)]
        if companies and honest is not None and honest.id == "contact" and not _PROGRAMME_CONTACT.search(seg.text) \
                and not self._uses_challenge_word(seg.text):
            # How to reach one of the ten companies ('교보생명 고객센터 전화번호', 'DB손보 사고접수 번호'): its
            # own customer service, not this programme's contact (which a '과제' or '담당' would ask for).
            return [self._out_of_scope(prob)]
        counted = calc is not None and calc.keys[0] in COUNT_CALCS \
            and (bool(ents.counts) or (calc.keys[0] == "calc:difference" and _COUNT_ASKED.search(seg.text) is not None))
        # A trigger word inside another subject ('쿠팡윙 입점수수료', '신입 직원 4대보험 취득신고'): that
        # subject's words, unknown to the programme, outnumber the programme's own, unless the model is sure of
        # that open question too ('복합기 스캔이 이메일로 안 가는데' is no contact question at 0.43).
        if honest is not None and not counted \
                and (not _another_subject(foreign, known)
                     or (intent == f"faq:{honest.id}" and prob >= HONEST_ELSEWHERE_SURE)
                     # (the unknown words name the kind of company that asks whether it may apply: '영농조합법인도 …')
                     or (honest.id == ELIGIBILITY_ENTRY and self._may_it_apply(seg.text))):
            part = self._entry_part(f"faq:{honest.id}", max(prob, ANSWER_PROB), now, seg.text)
            if companies and intent == "challenge" and prob >= ANSWER_PROB and self._uses_challenge_word(seg.text) \
                    and _WHAT_CHALLENGE.search(seg.text) and honest.id != SPECS_ENTRY:
                # '교보랑 DB 과제 주제가 뭐고, 둘 다 넣어도 돼요?': the challenges asked about, and the open question.
                # ('LG 과제 목표 사양이 뭐예요?' asks what the challenge requires: its name, and that the source
                # does not say.)
                return [self._challenge_part(seg, companies, excluded, prob, now), part]
            return [part]
        if calc is not None:
            return [calc]
        person = self._person(seg)
        if person is not None:
            return [self._entry_part(f"faq:{person}", max(prob, ANSWER_PROB), now)]

        centres = self._centres(seg, now) or self._centres_in_region(seg)
        if centres is not None:
            return [centres]
        other_org = self._other_organizations(seg)
        if other_org is not None:
            return [other_org]

        # Off-topic: the model says so, or the question names a staff-listed off-topic subject (a
        # company's own products, another programme ...), or it is mostly about things the domain
        # never mentions.
        topical = self._has_domain_word(seg)
        # Small talk is decided as one group ('넌 이름이 뭐니' is unsure between identity and greeting,
        # sure that it is small talk); the best of the group says which reply.
        chat = sum(p for i, p in seg.prediction.ranked if i.startswith("smalltalk_"))
        # A word of the domain ('이 봇 뭐하는 봇임') needs surer small talk, unless no entry is likely at all.
        entry_prob = max((p for i, p in seg.prediction.ranked if i.startswith("faq:")), default=0.0)
        # (A question about a word of the domain asked in English, 'Do we need a 법인 in Korea?', is no chat: English
        # small-talk phrasings share its function words.)
        # (In a Korean question an English word is a word, not the language: 'bot 이에요? 사람 이에요?'.)
        english_question = topical and "?" in seg.text and mostly_english(seg.text) \
            and bool(re.search(r"[가-힣]{2}", seg.text))
        if intent.startswith("smalltalk_") and chat >= ANSWER_PROB and not english_question \
                and (not topical or chat >= SMALLTALK_SURE or (chat >= 0.5 and entry_prob < SMALLTALK_ENTRY_NONE)) \
                and not companies and (not self._about_something_else(seg, foreign)
                                       or (chat >= SMALLTALK_SURE and not _ASKS_SOMETHING.search(seg.text))
                                       # (who the bot is, in words of its own: '자네는 누구요? 사람이오 기계요?')
                                       or (intent == "smalltalk_identity" and chat >= SMALLTALK_SURE
                                           and _WHO_ASKED.search(seg.text) is not None)
                                       # (what it can do, in words of its own: '뭐 물어볼 수 있어요? features 소개 plz')
                                       or (intent == "smalltalk_capability" and chat >= SMALLTALK_SURE)):
            # (sure thanks that asks for nothing, in words no phrasing uses: '자세한 설명에 깊이 감사드립니다')
            return [Part("smalltalk", self._smalltalk(intent), [intent], score=chat, form="smalltalk")]
        courtesy = self._courtesy(seg, topical) if not companies and not calc else None
        if courtesy is not None:
            # An apology or a compliment that asks nothing ('아 방금 오타 죄송해요 😅', '말 참 잘하네 기계가').
            return [Part("smalltalk", self._smalltalk(courtesy), [courtesy], score=max(chat, ANSWER_PROB),
                         form="smalltalk")]
        chatted = self._chat_sentence(seg) if not companies and not calc else None
        if chatted is not None:
            # A message that asks nothing, one of whose sentences is sure small talk ('안녕하십니까. 처음 이용해
            # 봅니다.', '자세한 답변 감사드립니다. 큰 도움이 되었습니다.'): the rest is the asker's news.
            return [Part("smalltalk", self._smalltalk(chatted[0]), [chatted[0]], score=chatted[1], form="smalltalk")]
        # A company describing itself ('식당 서빙봇 경로 최적화 알고리즘 보유중. 어디 맞음?') uses words
        # the model never saw; the challenge data decides whether some challenge fits.
        if not companies and (intent in ("out_of_scope", "challenge") or prob < ANSWER_PROB) and self._fits_one(seg):
            return [self._challenge_part(seg, companies, excluded, max(prob, ANSWER_PROB), now)]
        if intent == "out_of_scope" and prob >= ANSWER_PROB:
            if not companies and _ASKS_FOR_A_CHALLENGE.search(seg.text) \
                    and self.match_challenges(self._topic_text(seg)):
                # 'AR 과제 추천해줘': a recommendation among the challenges is no shopping advice.
                return [self._challenge_part(seg, companies, excluded, prob, now)]
            return [self._declined(seg, prob, now)]
        if not self._about_challenge(seg):
            if self._ruled_out(seg):
                return [self._declined(seg, prob, now)]
            if intent == "challenge" and not companies and not self._describes(seg) \
                    and (_THE_THING_ITSELF.search(seg.text)
                         or (oov >= OOV_SCOPE and _TOLD_TO_GIVE.search(seg.text)
                             and not self._uses_challenge_word(seg.text) and not _AREA.search(seg.text))):
                # '라이다 센서 작동 원리', 'AR 글라스 추천좀', '전기차 배터리 교체 비용': the technology itself,
                # not a company asking which challenge fits it; nor is something the bot is told to give, in
                # words mostly foreign to the programme ('우리 빵집 식빵 반죽 배합비 좀 잡아줘').
                return [self._out_of_scope(prob)]
            # (a guess of 'challenge' barely above the others is no description: 'Jetson Orin 국내 재고 있는 곳')
            described = intent == "challenge" and not companies and (prob >= ANSWER_PROB or self._describes(seg)) \
                and self.match_challenges(self._topic_text(seg))
            # Mostly words the domain never uses: off-topic, also beside a company's name ('풀무원 만두
            # 칼로리'), unless the question asks about that company's challenge.
            sure = intent.startswith("faq:") and not _names_a_company(seg) \
                and seg.prediction.prob_of(intent) + self._sibling_prob(seg) >= OOV_SURE \
                and not _another_subject(foreign, known)  # stray words are no subject ('화물차 유가보조금 신청방법')
            relation = _ORG_RELATION.search(seg.text) and any(m.kind == "org" for m in seg.mentions)
            # (A company not among the ten, asked about as a demand company, is answered: '포스코는? 철강이니까 …'.)
            # ('SK하이닉스 반도체 과제 나왔다며': a challenge believed to be that company's.)
            named_other = others and ((intent == "challenge" and prob >= ANSWER_PROB)
                                      or self._uses_challenge_word(seg.text))
            # (A named company's challenge asked about, or whether the asker fits it: '… 하는데 롯데꺼랑 맞나요'.)
            # (An English question in the programme's own English words: 'What fraction of the initially sourced
            # challenges made the final list?' uses many words no Korean phrasing has.)
            english = mostly_english(seg.text) and bool(_PROGRAMME_EN.search(seg.text))
            # (A question about one of the programme's own figures, in a word no phrasing uses: '정부 60%는
            # 최대치인 거예요, 고정인 거예요?')
            cited = intent.startswith("faq:") and prob >= ANSWER_PROB and known >= 1 \
                and self._cites_a_figure(replace(ents, months=[]))  # (a share or the amount: '14개월 아기' is no figure)
            if oov >= OOV_SCOPE and not described and not sure and not relation and not named_other and not english \
                    and not cited \
                    and not (companies and (self._uses_challenge_word(seg.text) or _FIT_ASKED.search(seg.text))):
                return [self._declined(seg, prob, now)]

        asked = self._asked_beside_an_organisation(seg)
        if asked is not None:
            # 'smtech 마감일?': the organisation's long name ('… 종합관리시스템') outweighed the question.
            return [self._entry_part(asked.intent, asked.prob, now)]
        orgs = self._organizations(seg)
        if orgs is not None:
            return [orgs]

        if others and not companies and intent == "challenge" and self.match_challenges(self._topic_text(seg)):
            # '쿠팡 물류 과제에 지원하고 싶어요': a company not among the ten beside a subject of the challenges
            # (and what is asked about it: 'CJ 식품 과제 있다던데 그거 예산 얼마예요?').
            part = self._challenge_part(seg, companies, excluded, prob, now)
            aspect = self._aspect(seg)
            if aspect is None or not _ASKS_SOMETHING.search(aspect.text):
                return [part]  # ('… 과제 있으면 넣어보고 싶어요' asks nothing more)
            return [part, self._entry_part(aspect.intent, aspect.prob, now)]
        if (companies or others) and (intent == "challenge" or prob < ANSWER_PROB):
            # '케이티 로봇 과제 신청은 어디다 해': the challenge, and what is asked about it.
            aspect = self._aspect(seg)
            if aspect is not None:
                return [self._entry_part(aspect.intent, aspect.prob, now)]
        if not companies and not others and intent == "challenge" and prob < ANSWER_PROB \
                and self._uses_challenge_word(seg.text) and self.match_challenges(self._topic_text(seg)):
            # 'IoT 과제': the challenges on a subject the model knows little of, which the challenge data names.
            return [self._challenge_part(seg, companies, excluded, max(prob, ANSWER_PROB), now)]
        if _asks_for_challenge(intent, prob, companies, others, excluded):
            return [self._challenge_part(seg, companies, excluded, prob, now)]
        # An answer needs a word the programme's material uses; chat filler alone is not a question.
        if prob < ANSWER_PROB or not intent.startswith("faq:") or self.content.entry(intent[4:]) is None \
                or not (topical or (prob >= BARE_SURE and oov == 0)):
            if _LIST_REQUEST.search(seg.text) and (self._uses_challenge_word(seg.text) or _FIRMS.search(seg.text)) \
                    and not arithmetic.names_money(seg.text) and self.content.entry(LIST_ENTRY) is not None:
                # '선정된 10개 과제를 제시 기업명과 함께 전부 열거하여 주시기 바랍니다': the list, asked in words the
                # model weighs as a total ('10개 … 전부').
                return [self._entry_part(f"faq:{LIST_ENTRY}", max(prob, ANSWER_PROB), now)]
            return [self._unclear(seg)]
        # Two different entries nearly tied, or the data gives this very phrasing to two entries: ask
        # which one was meant.
        runner, runner_prob = seg.prediction.ranked[1] if len(seg.prediction.ranked) > 1 else ("", 0.0)
        written = [i for i in self.nlu.phrasings.get(compact(seg.text), ()) if i.startswith("faq:")]
        if len(written) > 1 or (prob < SPLIT_CONFIDENT and runner.startswith("faq:")
                                and runner_prob >= AMBIGUOUS_RATIO * prob and not self._siblings(intent, runner)):
            return [self._unclear(seg, sorted(written))]
        if intent in SHARE_ENTRIES.values() or (intent in ROLE_INTENTS and _SHARE_ASKED_OF.search(seg.text)):
            named = arithmetic.parties(seg.text, self.content.calc_cues)
            if len(named) == 1 and SHARE_ENTRIES.get(named[0], intent) != intent:
                # '수요처가 최소로 내야 하는 금액은?': the share of the one party the question names.
                intent = SHARE_ENTRIES[named[0]]
        if intent == f"faq:{BENEFITS_ENTRY}" and _DEMAND_SIDE.search(seg.text) and self.content.entry(DEMAND_GAIN_ENTRY):
            # '수요처 입장에서는 참여하면 뭐가 좋아요?': what the large company gains is why its purchase
            # obligation was waived (the benefits entry speaks for the SME).
            intent = f"faq:{DEMAND_GAIN_ENTRY}"
        if _WHEN_ASKED.search(seg.text) and self.content.entry(DATES_ENTRY) \
                and not self._answers_when(intent, seg.text):
            # '내년도 공고는 언제쯤 나와요?': when, of an entry that gives no date (whether there is a next round);
            # the dates the source leaves open.
            return [self._entry_part(f"faq:{DATES_ENTRY}", prob, now, seg.text)]
        return [self._entry_part(intent, prob, now, seg.text)]

    def _cites_a_figure(self, ents: Entities) -> bool:
        """Whether the question names one of the programme's own figures (a share, the maximum amount or
        period)."""
        program = self.content.program
        shares = {program.gov_pct, program.demand_pct, program.sme_pct}
        return any(p in shares for p in ents.percents) or ents.money == program.max_total \
            or program.max_months in ents.months

    def _person(self, seg: Segment) -> str | None:
        """The entry about a person the source names ('김영준 팀장님이 뭐라고 했어요?', 'who is 권택경?',
        '담당 팀장님 성함이?'), unless the question asks how to reach them (the contact entry answers that) or is surely about
        something else."""
        if _CONTACT_WORDS.search(seg.text):
            return None
        people = self._people
        named = [m.id for m in seg.mentions if m.kind == "person"]
        if not named and not _names_a_company(seg) \
                and not _NOT_ABOUT_A_PERSON.search(seg.text):
            # '담당 팀장님 성함이?': the name of someone in a role the source gives one person
            named = [pid for pid, p in people.items()
                     if any(re.search(re.escape(r) + _NAME_AFTER_ROLE, seg.text) for r in p.get("roles", ()))]
            named = named if len(named) == 1 else []
        if not named:
            return None
        entry = people.get(named[0], {}).get("entry")
        if not entry or self.content.entry(entry) is None:
            return None
        sure_elsewhere = seg.prob >= SPLIT_CONFIDENT and seg.intent.startswith("faq:") \
            and seg.intent not in (f"faq:{entry}", "faq:contact")
        return None if sure_elsewhere else entry

    def _contact_in_source(self, seg: Segment) -> str | None:
        """The entry of a person the question names (or one of whose roles it uses) whose contact the
        source itself gives (the reporter's e-mail in the article's header)."""
        for pid, p in self._people.items():
            if not p.get("contact_in_source"):
                continue
            named = any(m.kind == "person" and m.id == pid for m in seg.mentions) \
                or any(re.search(re.escape(r), seg.text) for r in p.get("roles", ()))
            if named and p.get("entry") and self.content.entry(p["entry"]) is not None:
                return p["entry"]
        return None

    def _sibling_prob(self, seg: Segment) -> float:
        """Probability of the entries related to the best one (a family of answers, e.g. the exemption
        and why it exists)."""
        return sum(p for i, p in seg.prediction.ranked[1:6]
                   if i.startswith("faq:") and self._siblings(seg.intent, i))

    def _siblings(self, a: str, b: str) -> bool:
        """Two entries the data relates ('max_amount' and 'gov_max_amount'): either answer serves,
        and each points to the other, so a near tie between them needs no question back."""
        ea, eb = self.content.entry(a[4:]), self.content.entry(b[4:])
        return bool(ea and eb) and not (ea.abstain or eb.abstain) and (eb.id in ea.related or ea.id in eb.related)

    def _aspect(self, seg: Segment) -> Segment | None:
        """What a question about a named company's challenge asks (its deadline, where to apply ...)."""
        words = [w for w in seg.masked.split(" ") if w != COMPANY_SLOT]
        cues = self.content.intents.get("challenge_cues", ())
        words = [w for w in words if not any(w.startswith(c) for c in cues)]
        # The challenge's own words ('현중 출입구 충돌방지 과제도 정부가 60% 대주나요?') say which
        # challenge, not what is asked about it.
        own = set().union(*(self.matcher.words.get(m.id, set()) for m in seg.mentions if m.kind == "company"))
        words = [w for w in words if not self._only_words_of(w, own)]
        if not words:
            return None
        aspect = self.nlu.segment(" ".join(words))
        if not any(is_salient_noun(f, t) and f in self.index.domain_vocab
                   for f, t in self.index.analyzer.analyze(aspect.text)[0]) \
                and not (aspect.prob >= ASPECT_SURE and _FIGURE_ASKED.search(aspect.text)):
            return None  # ('몇 개월짜리예요', '얼마짜리': a figure asked needs no noun)
        if aspect.prob >= SPLIT_CONFIDENT and aspect.intent.startswith("faq:") \
                and aspect.intent not in CHALLENGE_INTENTS:
            return aspect
        return None

    def _only_words_of(self, word: str, vocabulary: set[str]) -> bool:
        nouns = [f for f, t in self.index.analyzer.analyze(word)[0] if is_salient_noun(f, t)]
        return bool(nouns) and all(n in vocabulary for n in nouns)

    def _names_more(self, asking: str) -> bool:
        """The question names a subject of the programme besides applying ('마감 지나서도 신청 가능?', '온라인으로
        접수 가능?'): it asks about that, not whether the asker may apply."""
        return any(is_salient_noun(f, t) and f in self.index.domain_vocab and f not in _APPLY_WORDS
                   for f, t in self.index.analyzer.analyze(asking)[0])

    @staticmethod
    def _only_chat(seg: Segment) -> bool:
        """Sure small talk that asks nothing (a greeting with who the asker is, thanks with their news)."""
        chat = sum(p for i, p in seg.prediction.ranked if i.startswith("smalltalk_"))
        return chat >= SMALLTALK_SURE and not _ASKS_SOMETHING.search(seg.text)

    def _courtesy(self, seg: Segment, topical: bool) -> str | None:
        """The small talk of a message that asks nothing and names nothing of the programme: an apology for the
        asker's own writing or questions (answered as a remark on the conversation), or praise of the bot's replies
        (answered as thanks)."""
        if topical or _REQUESTED.search(seg.text) or self._describes(seg):
            return None
        if _ASKS_SOMETHING.search(seg.text):
            # (a short praise may end in a question mark that asks nothing: '오 대박 똑똑한디?')
            bare = seg.text.rstrip("?？!~ ㅋㅎ")
            if len(bare) <= PRAISE_ALONE_MAX and _PRAISE_WORD.search(bare) and not _ASKS_SOMETHING.search(bare) \
                    and not _SOMEONE_ELSE.search(bare):
                return "smalltalk_thanks"
            return None
        if _APOLOGY.search(seg.text):
            return "smalltalk_feedback"
        if (_PRAISE.search(seg.text) or (len(seg.text) <= PRAISE_ALONE_MAX and _PRAISE_WORD.search(seg.text))) \
                and not _SOMEONE_ELSE.search(seg.text):
            # ('설명 깔끔하다 👍', '오 생각보다 똑똑하네 ㅋㅋ': a short remark of praise with no subject named)
            return "smalltalk_thanks"
        return None

    def _chat_sentence(self, seg: Segment) -> tuple[str, float] | None:
        """The small-talk intent (and how sure) of a sentence of a message of several sentences that asks
        nothing and describes no company."""
        sentences = split_sentences(seg.text)
        if len(sentences) < 2 or _ASKS_SOMETHING.search(seg.text) or _REQUESTED.search(seg.text) \
                or self._describes(seg):
            return None
        for sentence in sentences:
            ranked = self.nlu.segment(sentence).prediction.ranked
            chat = sum(p for i, p in ranked if i.startswith("smalltalk_"))
            best = next((i for i, _ in ranked if i.startswith("smalltalk_")), None)
            if best is not None and chat >= SMALLTALK_SURE:
                return best, chat
        return None

    def _has_domain_word(self, seg: Segment) -> bool:
        """The question names something the programme's material talks about (a noun it uses), or
        it is word for word a phrasing of the data (staff may teach a question that names nothing)."""
        if seg.intent in self.nlu.phrasings.get(compact(seg.text), ()):
            return True
        return any(tag in TOPIC_TAGS and form in self.index.domain_vocab
                   for form, tag in self.index.analyzer.analyze(seg.masked)[0])

    def _entry_part(self, key: str, prob: float, now: datetime, question: str = "") -> Part:
        rendered = self.render_key(key, now, score=prob)
        kind = rendered.kind
        entry = self.content.entry(key[4:]) if key.startswith("faq:") else None
        if kind == "not_in_source" and entry is not None and entry.answers_claims and _CLAIM.search(question):
            kind = "answer"  # '우편으로 내는 거라던데 ㄹㅇ?': corrected with what the source does say
        return Part(kind, rendered.text, [key], rendered.buttons, prob, "faq")

    def _entities(self, seg: Segment, u: Understanding) -> Entities:
        if len(u.segments) == 1:
            return u.entities
        return extract(self.nlu.extractor, seg.text, self.content.program.deadline.year)

    def _calc(self, seg: Segment, ents: Entities) -> Part | None:
        """Arithmetic (per month, several challenges, ratios ...) or the funding calculator."""
        program = self.content.program
        intent = seg.intent
        cues = self.content.calc_cues

        def cue(name: str) -> bool:
            return arithmetic.has_cue(seg.text, cues, name)

        # Also a percentage or a total asked as money, whatever the model says ('20%를 자부담하면 얼마',
        # '선정된 과제 전체가 상한액이면 총 사업 규모는 얼마'), and who pays the rest after a claim.
        claim = _CLAIM.search(seg.text) is not None
        asked = (arithmetic.asks_amount(seg.text) and (ents.percents or cue("total") or cue("per_month"))) \
            or (arithmetic.names_money(seg.text) and cue("total") and (ents.counts or cue("all")))
        # '탈락한 후보 과제는 몇 개': a count of the article's numbers, also where a word of it is an open question's.
        asked = asked or (cue("difference") and _COUNT_ASKED.search(seg.text) is not None) \
            or arithmetic.party_at_limit(seg.text, cues)
        rest_after_claim = claim and ents.percents and cue("remainder")
        if intent.startswith("calc_") or intent in FUNDING_INTENTS or intent in COUNT_INTENTS or ents.money \
                or asked or rest_after_claim:
            companies = len(_unique(m for m in seg.mentions if m.kind == "company"))
            if claim:
                # '10개 다 합치면 50억이라는데 맞나요?': the figures are the claim to check, not the inputs.
                ents = replace(ents, money=None, percents=[])
            # Cue words are read in the synonyms' canonical words too ('국고 보조' is 정부's share).
            prepared = self.index.analyzer.prepare(seg.text)
            text = seg.text if prepared == seg.text else f"{seg.text} | {prepared}"
            result = arithmetic.compute(text, ents, program, len(self.content.challenges), companies,
                                        cues, intent if seg.prob >= ANSWER_PROB else "")
            if result is not None:
                return _calc_part(result.text, result.key, max(seg.prob, ANSWER_PROB))
        amount = ents.money
        if amount and cue("not_budget"):
            amount = None  # '우리 매출 80억인데': the company's own figures, not a budget to split
        parties = arithmetic.parties(seg.text, cues)
        if amount and intent in CLAIM_INTENTS and seg.prob >= ANSWER_PROB and not parties:
            amount = None  # '지원금 3억이라고 들었는데 맞나?': a claim about the maximum, answered by the entry
        if amount and amount >= CALC_MIN and (intent in FUNDING_INTENTS or intent.startswith("calc_")
                                              or amount >= 10_000_000):
            if intent == "out_of_scope" and seg.prob >= 0.9:
                return None
            return _calc_part(calc_text(program, amount), "calc", 1.0)
        return None

    def _titles_with(self, seg: Segment) -> Part | None:
        """The challenges whose exact titles contain, or end with, a word the user names ('10개 과제명 중 '개발'로
        끝나는 것은 몇 건입니까?', '과제명에 AI라는 단어 들어간 거 몇 개야?'), counted from the challenge data."""
        if not _TITLE_WORD.search(seg.text):
            return None
        verb = _TITLE_VERB.search(seg.text)
        if verb is None:
            return None
        quoted = _QUOTED.search(seg.text) or _CALLED.search(seg.text)
        m = quoted or _TITLE_TERM.search(seg.text)
        if m is None:
            return None
        term = m.group(1)
        ends = verb.group(1).startswith("끝")
        challenges = self.content.challenges
        chosen = [c for c in challenges if (c.title.lower().rstrip().endswith(term.lower()) if ends
                                            else term.lower() in c.title.lower())]
        if not chosen and quoted is None:
            return None  # (a word read from the sentence, not named as the word: no claim that no title has it)
        if chosen:  # (the word as the titles write it: 'AI', not the typed 'ai')
            title = chosen[0].title
            at = title.lower().find(term.lower())
            term = title[at:at + len(term)]
        head = (texts.TITLES_ENDING if ends else texts.TITLES_WITH).format(
            total=len(challenges), term=esc(term), count=len(chosen), ro=josa(term, "으로/로"), iga=josa(term, "이/가"))
        body = "\n\n" + challenge_lines(chosen) if chosen else ""
        return Part("answer", head + body, ["faq:challenge_list"], [(texts.BTN_CHALLENGES, "challenges")],
                    max(seg.prob, ANSWER_PROB), "challenges")

    def _centres_in_region(self, seg: Segment) -> Part | None:
        """The participating centres in a group of regions ('8개 센터 중에 경상도 쪽은 어데어데', '수도권은 몇
        퍼센트'): staff list the groups (entities.yaml centres.region_groups)."""
        centres = self.content.entities.get("centres", {})
        regions = centres.get("participating", [])
        if not regions or not _CENTRE_WORD.search(seg.text):
            return None
        norm = normalize(seg.text)
        group = next((g for g in sorted(centres.get("region_groups", {}), key=len, reverse=True)
                      if re.search(r"(?<![가-힣])" + re.escape(g), norm)), None)
        if group is None:
            return None
        inside = [r for r in regions if r in centres["region_groups"][group]]
        text = texts.CENTRES_IN_GROUP.format(
            count=len(regions), group=esc(group), names=", ".join(inside) if inside else texts.NONE_OF_THEM,
            copula=josa(inside[-1], "이에요/예요") if inside else "이에요",
            n=len(inside), pct=f"{100 * len(inside) / len(regions):g}", regions=", ".join(regions))
        return Part("answer", text, ["faq:centers"], score=max(seg.prob, ANSWER_PROB), form="faq")

    def _centres(self, seg: Segment, now: datetime) -> Part | None:
        """A regional creative-economy centre: one of the eight that found the challenges, or not."""
        centres = self.content.entities.get("centres", {})
        regions = centres.get("participating", [])
        named = _unique(m for m in seg.mentions if m.kind in ("centre", "other_centre"))
        if not named or not regions:
            return None
        entry = self.content.entry(seg.intent[4:]) if seg.intent.startswith("faq:") else None
        if entry is not None and entry.abstain and seg.prob >= ASPECT_SURE:
            return None  # what the source leaves open, asked of a centre ('대전센터 담당자 연락처'): that answer
        if _FOUND_BY_CENTRE.search(seg.text) and not _ALONE.search(seg.text) \
                and self.content.entry(ORIGIN_ENTRY) is not None:
            # '울산센터가 발굴한 과제는 뭐예요?', 'HD현대중공업 과제는 울산센터가 발굴한기가?': which centre found which
            # challenge, which the source leaves open.
            return self._entry_part(f"faq:{ORIGIN_ENTRY}", max(seg.prob, ANSWER_PROB), now)
        lines = []
        for kind in ("other_centre", "centre"):
            group = [m for m in named if m.kind == kind]
            if group:
                template = texts.CENTRES_NOT_AMONG if kind == "other_centre" else texts.CENTRES_AMONG
                names = ", ".join(m.name for m in group)
                lines.append(template.format(names=esc(names), josa=josa(names), count=len(regions),
                                             regions=", ".join(regions)))
        entry_text = self.render_key("faq:centers").text if self.content.entry("centers") else ""
        return Part("answer", "\n".join(lines) + ("\n\n" + entry_text if entry_text else ""), ["faq:centers"],
                    score=seg.prob, form="faq")

    def _challenge_part(self, seg: Segment, companies, excluded: set[str], prob: float, now: datetime) -> Part:
        program = self.content.program
        others = _unique(m for m in seg.mentions if m.kind == "other_company")
        if companies:
            keys = [f"ch:{m.id}" for m in companies]
            other = self._claimed_elsewhere(seg, companies)
            if other is not None:
                # '배터리 과제는 LG전자 거 맞죠?': the battery challenge is another company's; say so, and show both.
                named = self.content.challenge(companies[0].id)
                text = texts.CLAIM_OTHER_COMPANY.format(
                    company=esc(named.company), josa=josa(named.company, "이/가"), other=esc(other.company),
                    title=esc(other.title))
                text += "\n\n" + "\n\n".join(challenge_card(c, program, now) for c in (other, named))
                return Part("answer", text, [f"ch:{other.id}", f"ch:{named.id}"],
                            [(texts.BTN_OTHER_CHALLENGES, "challenges")], max(prob, 0.5), "challenge")
            if len(companies) > CARDS_MAX:
                # Four companies or more: every named one, as the compact list of titles.
                text = challenges_list([self.content.challenge(m.id) for m in companies])
            else:
                text = "\n\n".join(challenge_card(self.content.challenge(m.id), program, now) for m in companies)
            if len(companies) == 1:
                named = self.content.challenge(companies[0].id)
                surfaces = {compact(m.surface) for m in seg.mentions if m.kind == "company" and m.id == named.id}
                if len(surfaces) >= 2 and (_SAME_OR_NOT.search(seg.text) or _SAME_OR_APART.search(seg.text)):
                    # 'SPC 과제랑 섹타나인 과제가 따로 있는 거예요, 같은 거예요?': two names of one company, one challenge.
                    text = texts.SAME_COMPANY.format(company=esc(named.company)) + "\n\n" + text
                elif _COUNT_ASKED.search(seg.text) or _ONLY_ONE.search(seg.text):
                    # '롯데 과제 몇개임? 하나뿐?': how many challenges that company posted.
                    count = sum(1 for c in self.content.challenges if c.company == named.company)
                    text = texts.COMPANY_COUNT.format(company=esc(named.company), josa=josa(named.company, "이/가"),
                                                      count=count) + "\n\n" + text
            return Part("answer", text, keys, [(texts.BTN_OTHER_CHALLENGES, "challenges")], max(prob, 0.5),
                        "challenge")
        if others:
            fitting = [c for c, _ in self.match_challenges(self._topic_text(seg))]
            if fitting:
                # '쿠팡 물류 과제에 지원하고 싶어요': not among the ten, and the challenges on that subject.
                return _matched_part(self._not_among_ten(others) + "\n\n" + texts.TECH_MATCH, fitting, prob)
            return Part("answer", self._not_among_ten(others) + "\n\n" + self._full_list(), ["faq:challenge_list"],
                        [(texts.BTN_CHALLENGES, "challenges")], prob, "challenges")
        several = bool(_SEVERAL_ASKED.search(seg.text))
        items = _ENUMERATED.split(seg.text)[1:]
        if len(items) >= 2:
            # 'A사는 공장 CCTV 안전관리, B사는 아파트 재활용품 선별 로봇': each company's best fit, in their order.
            fits = [self.match_challenges(item, described=True)[:1] for item in items]
            if not all(fits):
                # (a company whose words alone fit nothing clearly: what the whole message fits, too)
                fits.append(self.match_challenges(self._topic_text(seg), True, several))
            matched = [(c, sc) for fit in fits for c, sc in fit if c.id not in excluded]
            matched = list({c.id: (c, sc) for c, sc in matched}.values())
        else:
            matched = [(c, sc) for c, sc in self.match_challenges(self._topic_text(seg), self._describes(seg), several)
                       if c.id not in excluded]
        if excluded and not matched:
            # '교보 말고 다른 과제': every challenge but the one set aside.
            matched = [(c, 0.0) for c in self.content.challenges if c.id not in excluded]
            text = texts.OTHER_THAN.format(names=esc(", ".join(self.content.challenge(i).company for i in excluded)))
            return Part("answer", text + "\n\n" + challenges_list([c for c, _ in matched]), ["faq:challenge_list"],
                        [(texts.BTN_CHALLENGES, "challenges")], prob, "challenges")
        if matched:
            total = len(self.content.challenges)
            if _SHARE_ASKED.search(seg.text):
                # '10개 중 보험사 과제 비율은?': the count, and its share of all the challenges.
                head = texts.TECH_MATCH_SHARE.format(count=len(matched), total=total,
                                                     pct=f"{100 * len(matched) / total:g}")
            elif _COUNT_ASKED.search(seg.text):
                head = texts.TECH_MATCH_COUNT.format(count=len(matched))
            else:
                head = texts.TECH_MATCH
            return _matched_part(head, [c for c, _ in matched], prob)
        text = texts.TECH_MATCH_NONE.format(count=len(self.content.challenges)) + "\n\n" + self._full_list()
        return Part("answer", text, ["faq:challenge_list"], [(texts.BTN_CHALLENGES, "challenges")], prob, "challenges")

    def _claimed_share(self, seg: Segment, ents: Entities) -> str | None:
        """The share entry of the one party a claimed figure is about ('정부 지원금 최대 2억 5천이라던데')."""
        if not (ents.percents or ents.money) or not _CLAIM.search(seg.text):
            return None
        named = arithmetic.parties(seg.text, self.content.calc_cues)
        key = SHARE_ENTRIES.get(named[0]) if len(named) == 1 else None
        return key if key and self.content.entry(key[4:]) is not None else None

    def _claimed_elsewhere(self, seg: Segment, companies) -> Challenge | None:
        """The challenge a claim about one company really describes, when it is another company's: the
        claim's words fit that challenge, and fit the named company's far less."""
        if len(companies) != 1 or not _CLAIM.search(seg.text):
            return None
        foreign = self.index.oov_share(self.index.analyzer.analyze(self.nlu.asking(seg.masked))[0])[1]
        # A word no challenge uses ('선박 자율운항'): no challenge is what the claim describes. (A word may be
        # the start of a challenge's word: '최적' is how '배합비 최적화' gets tagged.)
        known = set().union(*self.matcher.words.values())
        if any(not any(k.startswith(w) for k in known) for w in foreign):
            return None
        scored = self.matcher.match(self._topic_text(seg), TOPIC_KNOWN)
        if not scored or scored[0][0] == companies[0].id or scored[0][1] < TECH_MIN:
            return None
        # Words shared by several challenges ('AI') point at none of them.
        if any(s >= TECH_RATIO * scored[0][1] for cid, s in scored[1:]):
            return None
        return self.content.challenge(scored[0][0])

    def match_challenges(self, text: str, described: bool = False,
                         several: bool = False) -> list[tuple[Challenge, float]]:
        """Challenges whose data (title, summary, staff keywords) fits a described technology or industry
        (``several``: the question asks for all of them, '보험사 과제 뭐뭐', so a close second counts)."""
        known = DESCRIBED_KNOWN if described else TOPIC_KNOWN
        scored = [(self.content.challenge(cid), s) for cid, s in self.matcher.match(text, known)]
        if not scored or scored[0][1] < TECH_MIN:
            return []
        top = scored[0][1]
        ratio = TECH_RATIO_SEVERAL if several else TECH_RATIO
        return [(c, s) for c, s in scored if s >= ratio * top][:3]

    def _full_list(self) -> str:
        return challenges_list(self.content.challenges)

    def _not_among_ten(self, others) -> str:
        names = ", ".join(m.name for m in others)
        return texts.NOT_AMONG_TEN.format(
            names=esc(names), josa=josa(names), count=len(self.content.challenges),
            companies=", ".join(esc(c.company) for c in self.content.challenges),
        )

    def _smalltalk(self, intent: str) -> str:
        template = {
            "smalltalk_greeting": texts.SMALLTALK_GREETING, "smalltalk_thanks": texts.SMALLTALK_THANKS,
            "smalltalk_identity": texts.SMALLTALK_IDENTITY, "smalltalk_capability": texts.SMALLTALK_CAPABILITY,
            "smalltalk_bye": texts.SMALLTALK_BYE, "smalltalk_ack": texts.SMALLTALK_ACK,
            "smalltalk_feedback": texts.SMALLTALK_FEEDBACK,
        }[intent]
        return template.format(program=esc(self.content.program.name))

    def _unclear(self, seg: Segment, candidates: list[str] | None = None) -> Part:
        contact = texts.ASK_PERSON.format(contact=esc(self.content.program.contact))
        suggestions = candidates or [i for i, p in seg.prediction.ranked[:4]
                                     if i.startswith("faq:") and p >= SUGGEST_PROB][:3]
        buttons = [(self.label(i), i) for i in suggestions]
        text = (texts.FALLBACK if buttons else texts.FALLBACK_NO_SUGGESTIONS) + contact
        return Part("unclear", text, [seg.intent], buttons, seg.prob, "fallback")

    def _declined(self, seg: Segment, prob: float, now: datetime) -> Part:
        """What a question read as off-topic gets, unless it is about this programme after all: whether the
        programme is some other kind of thing ('이거 인턴 뽑는 프로그램이에요?': what kind of support it is), or an
        open question of its own workings ('선정되면 …', '연구비로 …': the source does not say)."""
        asking = self.nlu.asking(seg.text)
        if self._asked_as_a_kind(seg, asking, _THIS_IS_IT_A):
            # (this programme named as the subject: '이 사업 인턴 모집하는 거예요?' asks about it, whatever it is taken for)
            return self._entry_part(f"faq:{KIND_ENTRY}", max(prob, ANSWER_PROB), now)
        if self._names_someone_else(seg) or self.out_of_scope_term(seg.text) is not None or self._another_grant(seg):
            # ('창업패키지 선정되면 …', '중진공 정책자금은 어떤 사업이에요?': what it asks is theirs)
            return self._out_of_scope(prob)
        if self._asked_as_a_kind(seg, asking, _A_KIND_OF_PROGRAMME):
            return self._entry_part(f"faq:{KIND_ENTRY}", max(prob, ANSWER_PROB), now)
        if self._programme_cue(asking):
            return self._not_stated(prob)
        return self._out_of_scope(prob)

    def _programme_cue(self, asking: str) -> bool:
        """A staff-listed word of this programme's workings starts a word of the question ('선정되면', not
        '출산지원금으로'), and is not said of something else: selected as something other ('우수기업으로 선정되면'), a
        school's task ('학교 과제하면서'), or the background of a recommendation asked for ('선정되면 회식 장소 추천')."""
        if _RECOMMEND.search(asking):
            return False
        for cue in self.content.intents.get("programme_cues", ()):
            for m in re.finditer(r"(?<![가-힣])" + re.escape(cue), asking):
                before = asking[:m.start()]
                if not _SAID_OF_ANOTHER.search(before):
                    return True
        return False

    def _asked_as_a_kind(self, seg: Segment, asking: str, pattern: re.Pattern) -> bool:
        """The piece (its ``asking`` part) asks, yes or no, whether this programme is some kind of thing
        (``pattern``), and names no company or other organisation."""
        asking = normalize(asking)
        return self.content.entry(KIND_ENTRY) is not None and pattern.search(asking) is not None \
            and _KIND_TAKEN.search(asking) is not None and not _QUESTION_WORD_HERE.search(asking) \
            and not self._names_someone_else(seg)

    @staticmethod
    def _names_someone_else(seg: Segment) -> bool:
        """The piece names a company (one of the ten or another) or an organisation that does not run this."""
        return any(m.kind in ("other_company", "other_org", "company") for m in seg.mentions)

    def _not_stated(self, prob: float) -> Part:
        """The honest reply to a question of this programme that no entry covers."""
        text = texts.NOT_STATED + texts.ASK_PERSON.format(contact=esc(self.content.program.contact))
        return Part("not_in_source", text, ["not_stated"], [], prob, "not_in_source")

    def _out_of_scope(self, prob: float) -> Part:
        text = texts.OUT_OF_SCOPE.format(program=esc(self.content.program.name))
        text += texts.ASK_PERSON.format(contact=esc(self.content.program.contact))
        return Part("out_of_scope", text, [], [], prob, "out_of_scope")

    # -- one reply for every question in the message ---------------------------------------------
    def _combine(self, parts: list[Part], u: Understanding) -> Answer:
        seen, unique = set(), []
        for p in parts:
            # (Two computations share a key, 'calc:per_month' for two parties: their texts tell them apart.)
            key = (p.text,) if p.form == "calc" else tuple(p.keys) or (p.kind,)
            if key not in seen:
                seen.add(key)
                unique.append(p)
        substantive = [p for p in unique if p.kind in ("answer", "not_in_source")]
        chosen = substantive
        if not chosen:
            for kind in ("out_of_scope", "unclear", "smalltalk"):
                chosen = [p for p in unique if p.kind == kind][:1]
                if chosen:
                    break
        left_out = 0
        if substantive:
            kept, size = [], 0
            for p in chosen:
                if kept and size + len(p.text) + 2 > REPLY_PARTS_MAX:
                    break
                kept.append(p)
                size += len(p.text) + 2
            left_out, chosen = len(chosen) - len(kept), kept
        kind = next((k for k in KINDS if any(p.kind == k for p in chosen)), "unclear")
        texts_, keys = [p.text for p in chosen], [k for p in chosen for k in p.keys]
        if left_out:
            texts_.append(texts.QUESTIONS_LEFT_OUT.format(count=left_out))
        if substantive:
            # Where a company matters, the reply names its challenge (exact title), once.
            prefix = []
            excluded = _excluded(u.text, u.entities.mentions)
            for m in u.entities.companies:
                if f"ch:{m.id}" not in keys and m.id not in excluded:
                    challenge = self.content.challenge(m.id)
                    prefix.append(texts.COMPANY_CHALLENGE.format(company=esc(challenge.company),
                                                                 title=esc(challenge.title)))
                    keys.append(f"ch:{m.id}")
            others = u.entities.other_companies
            said = "\n".join(texts_)
            others = [m for m in others if m.name not in said]  # (a part may already say it)
            if others and not any(p.form == "challenges" and not u.entities.companies for p in chosen):
                prefix.append(self._not_among_ten(others))
            if prefix:
                texts_.insert(0, "\n".join(prefix))
        # Follow-up buttons, but not for what this reply already answers (suggestions stay as they are).
        answered = set(keys) if substantive else set()
        buttons = list(dict.fromkeys(b for p in chosen for b in p.buttons if b[1] not in answered))[:3]
        return Answer(kind, "\n\n".join(texts_), entry_id=",".join(dict.fromkeys(keys)) or None,
                      score=min(p.score for p in chosen), abstained=kind not in ("answer", "smalltalk"),
                      buttons=buttons,
                      form=chosen[0].form if len(chosen) == 1 else "composed")

    def _other_organizations(self, seg: Segment) -> Part | None:
        """An organisation that does not run this programme ('이거 중진공 사업임?'): say so, and who does."""
        others = _unique(m for m in seg.mentions if m.kind == "other_org")
        if not others or any(m.kind == "org" for m in seg.mentions):
            return None
        names = ", ".join(m.name for m in others)
        text = texts.OTHER_ORG.format(names=esc(names), josa=josa(names))
        organizers = self.render_key("faq:organizers").text if self.content.entry("organizers") else ""
        return Part("answer", text + ("\n\n" + organizers if organizers else ""), ["faq:organizers"],
                    score=max(seg.prob, ANSWER_PROB), form="faq")

    def _asked_beside_an_organisation(self, seg: Segment) -> Segment | None:
        """What a question naming an organisation asks, read without the name, when that is a sure
        entry other than the organisations' own ('smtech 마감일?' asks the deadline)."""
        if not any(m.kind == "org" for m in seg.mentions):
            return None
        rest = without_mentions(seg.text, seg.mentions, " ").strip(" ?!.~")
        # ('중기부가 이 부문 만든 이유': the ministry's name alone made it a question of the government's share.)
        by_name = seg.intent in GOV_INTENTS and _SHARE_OR_MONEY.search(rest) is None
        if seg.intent.startswith("faq:") and not by_name:
            return None
        if not by_name and not any(is_salient_noun(f, t) and f in self.index.domain_vocab
                                   for f, t in self.index.analyzer.analyze(rest)[0]):
            return None
        asked = self.nlu.segment(rest)
        if asked.prob >= (OOV_SURE if by_name else SPLIT_CONFIDENT) and asked.intent.startswith("faq:") \
                and asked.intent not in ORG_INTENTS | GOV_INTENTS and not _ORG_RELATION.search(rest):
            return asked
        return None

    def _organizations(self, seg: Segment) -> Part | None:
        """An organisation the article names (중기부, TIPA, 서울창경 ...): what it does here."""
        named = _unique(m for m in seg.mentions if m.kind == "org")
        if not named:
            return None
        # 'host org가 어디야? 중기부 맞지?': only an organisation and a confirmation asks whether it runs this.
        rest = without_mentions(seg.text, seg.mentions, " ").strip(" ?!.~")
        about_orgs = seg.intent in ORG_INTENTS or _CONFIRMATION_ONLY.fullmatch(rest) is not None \
            or _ORG_RELATION.search(rest) is not None \
            or (seg.intent in GOV_INTENTS and _SHARE_OR_MONEY.search(rest) is None)  # '중기부가 하는 거 맞아요?'
        if seg.intent.startswith("faq:") and seg.prob >= ANSWER_PROB and not about_orgs:
            return None
        if seg.intent == "out_of_scope" and seg.prob >= ANSWER_PROB:
            return None
        if seg.intent == "challenge" and seg.prob >= ANSWER_PROB and (
                _names_a_company(seg)
                or self.match_challenges(self._topic_text(seg), self._describes(seg))):
            return None  # a question about a challenge that also names an organisation
        roles = {o["id"]: o for o in self.content.entities.get("organizations", [])}
        lines = [texts.ORG_HEADER.format(program=esc(self.content.program.name))]
        for m in named:
            org = roles.get(m.id)
            if org:
                lines.append(texts.ORG_ROLE.format(name=esc(self._org_names[m.id]), role=esc(org["role"])))
        return Part("answer", "\n".join(lines), [f"org:{m.id}" for m in named], [(texts.BTN_ORGANIZERS, "faq:organizers")]
                    if self.content.entry("organizers") else [], max(seg.prob, ANSWER_PROB), "org")

    # -- rendering a known key (also used when a suggestion button is pressed) -----------------------
    def render_key(self, key: str, now: datetime | None = None, score: float = 1.0) -> Answer:
        now = now or datetime.now(TZ)
        program = self.content.program
        kind, _, ident = key.partition(":")
        if kind == "ch":
            challenge = self.content.challenge(ident)
            if challenge:
                return Answer("answer", challenge_card(challenge, program, now), entry_id=key, score=score,
                              buttons=[(texts.BTN_OTHER_CHALLENGES, "challenges")], form="challenge")
        if kind == "faq":
            entry = self.content.entry(ident)
            if entry:
                related = [f"faq:{r}" for r in entry.related if self.content.entry(r)]
                honest = entry.abstains(program)
                return Answer("not_in_source" if honest else "answer", render_entry(entry, self.content, now),
                              entry_id=key, score=score, abstained=honest,
                              buttons=[(self.label(r), r) for r in related], form="faq")
        raise KeyError(key)


# Doing an office chore (computing, filing, issuing, getting a certificate), against asking whether it
# matters for this programme.
_CHORE = re.compile(r"계산|신고|요율|발행|환급|작성하는|받는\s*(?:방법|법)|받으려면|하는\s*법|설립\s*요건|처리\s*방법|"
                    r"출원|등기|초기\s*비용|설립하려면|설립\s*(?:절차|방법|하는\s*법)|가입\s*(?:시키|하는|절차|방법)|"
                    r"어디서\s*가입|얼마\s*(?:떼|공제)|유형(?:이랑|과|하고)?\s*절차")
# Applying for the very thing a trigger names: '벤처기업 확인 | 신청 절차', '… | 신청 어디서 해'.
# (Also with the kind of grant before: '벤처기업 | 인증 받는 절차', '부설연구소 | 인정 신청은 어떻게'.)
_FOR_IT = re.compile(r"\s*(?:을|를)?\s*(?:(?:인정|인증|확인|허가|지정)\s*(?:을|를)?\s*)?"
                     r"(?:신청|발급|등록|취득|받는|받으려면|받기)\s*(?:은|는|을|를)?\s*"
                     r"(?:절차|방법|하는\s*(?:법|방법)|어디|어떻게|하려면|위한|요건|조건|서류)")
_APPLYING_HERE = re.compile(r"신청|지원|자격|해당|가능|필수|있어야|없으면|안\s*되|불이익|가점|연구비|연구개발비|사업비|"
                            r"과제|계획서|사업(?!장|자|주)|선정|접수|수요처|정산")
_CONFIRMATION_ONLY = re.compile(r"(?:이|가|은|는)?\s*(?:맞(?:지|죠|아|아요|나요|습니까|는지|음|냐)?|인가요|이에요|예요|야|임|이지|이죠)")
# Whether a company takes part ('수요처로 들어가 있나', '참여했어요?'; '참여' also stands for 'participating').
_PARTICIPATES = re.compile(r"참여|수요처|수요기업|들어가|포함|과제\s*(?:냈|있|도)|명단|(?<=[가-힣a-z])도\s*있(?:음|어|나|습|니)")
# A count of challenges asked for ('보험 쪽 과제 몇 개').
_ONLY_ONE = re.compile(r"하나\s*(?:뿐|만|밖에)|한\s*(?:개|건)\s*(?:뿐|만|밖에)|1\s*(?:개|건)\s*(?:뿐|만|밖에)")
_SAME_OR_APART = re.compile(r"따로|별개|같은\s*(?:거|것|회사|과제|곳)|같은\s*건")
_COUNT_ASKED = re.compile(r"몇\s*(?:개|건|가지|곳|군데)|how many", re.I)
# A share of the challenges ('10개 중 보험사 과제 비율은?'), not a ratio the company works on ('원재료 비율
# 최적화 AI 만들어요'): the share word follows a word for challenges or a count, or asks 'how many percent'.
_SHARE_ASKED = re.compile(r"(?:과제|전체|\d\s*개\s*중|중에서?)\S{0,4}\s*(?:비율|비중)|퍼센트|몇\s*(?:프로|%)|몇\s*분의|"
                          r"percent|%\s*(?:나|야|예요|에요|인가|정도|쯤)", re.I)
# What an organisation has to do with this ('중기부랑 뭔 상관', '중기부가 직접 하는 거야?').
_ORG_RELATION = re.compile(r"상관|관계|소속|직접\s*(?:하|운영|주관)|무슨\s*역할|뭐\s*하는\s*(?:곳|데)|"
                           r"하는\s*거(?:야|예요|에요|임|냐)|"
                           # its name in other forms: '… 진흥원을 영어 약자로 뭐라고 불러요?', '중기부 정식 명칭'
                           r"약자|약칭|줄임말|영문\s*(?:명|이름|명칭|표기)|영어\s*(?:이름|명칭)|정식\s*(?:명칭|이름)|풀\s*네임")
# A claim the user heard and wants checked ('~라던데', '~라고 들었는데', 'ㄹㅇ?', '맞죠?', '…거였죠?').
_CLAIM = re.compile(r"[라다]던데|[라다]고\s*(?:들었|하던|하더|그러)|들었는데|ㄹㅇ|사실인가|사실이에요|"
                    r"맞(?:죠|지|나요|아요|습니까|음|을까|는지|는\s*거)|이해했|(?:였|이었|거였|꺼였|거|꺼)(?:죠|지)\s*\??$|되네\s*\?*$")
# A challenge asked for by its subject ('AR 과제 추천해줘'); the technology itself asked about ('라이다 작동 원리').
_ASKS_FOR_A_CHALLENGE = re.compile(r"과제\s*(?:추천|골라|찾아|알려)")
_WE_DO = re.compile(r"(?:해요|합니다|했어요|있어요|있습니다|있음|만들어요|만듭니다|만듦|팔아요|판매해요|판매합니다|납품해요|"
                    r"납품합니다|공급해요|공급합니다|운영해요|운영합니다|해왔어요|해 왔어요|하고요)[\s.~!]*$")
_WHEN_ASKED = re.compile(r"언제|몇\s*월|며칠|날짜|(?<![가-힣])시기(?![가-힣])|(?<![가-힣])시기[가는를도]|일정|\bwhen\b")
_START_ASKED = re.compile(r"언제\s*부터|언제\s*시작|시작(?:일|은|하는|해요|되)|착수")  # when something starts
_BEGINS = re.compile(r"(?<!처음)(?<!처음 )시작(?!했|됐|된|하였|되었)|착수|개시")  # (a project's start, not when something was created: '언제부터 생긴 거')
_SPAN_ASKED = re.compile(r"기간|마감|기한|얼마나\s*(?:걸|되)")
# How many companies are chosen (not how many challenges): a company word, a count and a choosing verb, in either
# order ('중소기업 몇 군데나 뽑아요', '몇 개 기업 선정', '선정 몇 개 기업임', '몇 개 회사가 붙어요').
_COMPANY_WORD = r"(?:중소기업|기업|회사|업체|주관기관|개사)"
_CHOOSING = r"(?:뽑|선정|선발|붙|채택|합격)"
# A kind of company 'also' applying ('협동조합도 지원할 수 있나요?', '예비창업자도 신청 가능?').
_MAY_IT_APPLY = re.compile(r"(?<![가-힣a-z0-9])([가-힣a-z0-9]{2,})도\s*(?:(?:이\s*사업|여기|이거|이번)에?\s*)?"
                           r"(?:(?:신청|참여|응모|접수)\s*(?:할\s*수\s*있|가능|되|돼|해도|하면\s*되|할\s*자격)"
                           r"|지원\s*(?:할\s*수\s*있|해도|하면\s*되|할\s*자격|가능한가|가능해|가능할))")
_COST_ITEM = re.compile(r"(?:비|비용|금|료)$")
# A company of some place or kind, a word apart, also or only allowed ('춘천 회사도 되나', '서울 회사만 되는 거'; not
# '중소기업도 되나요', which the source answers).
_COMPANY_OF_A_KIND = re.compile(r"(?<![가-힣])[가-힣]{2,}\s+(?:회사|기업|업체|법인)(?:도|만)\s*(?:되|돼|가능|신청\s*(?:되|돼|가능))")
# The asker's share paid with something ('우리 10%는 기계로 내도 되나', '저희 몫 10%를 장비로 대신해도 돼요?').
_SHARE_PAID_WITH = re.compile(r"(?:\d+\s*%|몫|부담금|자부담|분담금)\s*(?:은|는|을|를|도)?\s+(?:[가-힣a-z0-9]+\s+)?"
                              r"(?!밑|아래|이하|이상|미만|초과)[가-힣a-z0-9]+(?:으로|로)\s*"
                              r"(?:내(?!려|리)|대신|채우|충당|납부|갈음|메꾸|메우)")
_COMPANIES_CHOSEN = re.compile(
    _COMPANY_WORD + r"\s*(?:은|는|이|가|을|를)?\s*몇\s*(?:개|곳|군데|개사|명|팀)?\s*(?:나|이나|정도|쯤)?\s*(?:를|을|가|이)?\s*" + _CHOOSING
    + r"|몇\s*(?:개|곳|군데)?\s*" + _COMPANY_WORD + r"\s*(?:을|를|이|가|나)?\s*" + _CHOOSING
    + r"|" + _CHOOSING + r"[가-힣]*\s*몇\s*(?:개|곳|군데)?\s*" + _COMPANY_WORD)
_UNDER_WAY = re.compile(r"(?:개발|준비|제작|연구|운영|생산)\s*중(?:이에요|입니다|임)?[\s.~!]*$")
_THE_THING_ITSELF = re.compile(r"원리|작동|추천|사는\s*게|살\s*만한|싸게|가격|값이|교체|수리|고장|고치|고쳐|새는|요일|"
                               r"허가|신고|보조금|위탁|왜\s*(?:나|생기|일어나)|설명해|쉽게|뭐가\s*(?:나아|좋아|나을)|"
                               r"중에\s*(?:뭐|어느)|차이(?:가|는|점)|다른\s*점|안\s*(?:잡혀|잡히|돼|되|켜|먹)|에러|오류|"
                               r"이유가\s*(?:뭐|뭔)|공식|효율\s*계산|일당|시세|브랜드|매입가|단가|요금|비교\s*(?:좀|해)|"
                               r"제일\s*[가-힣]+\s*제품|사고\s*났|규정|법규|법령|인허가|표시\s*기준|"
                               r"살까|뭐\s*사|순수익|수익(?:이|은|률)|시장\s*(?:전망|규모)|전망|요약해|과실\s*비율|"
                               r"쓰는\s*게\s*(?:좋|나)|뭘\s*써야|어디\s*(?:다\s*)?(?:팔|버리|버려)|팔면|버리는|시험\s*과목|자격증|"
                               # (a consumer's or an office's own errand: '화재보험 워디가 싸유', '가입 방법', '벌금 얼마')
                               r"싸[유요]|저렴|요약\s*(?:부탁|좀)|가입\s*(?:방법|절차|하려)|레시피|recipe|벌금|과태료|"
                               r"하는\s*법|시효|임대료|월세|보험료")
# All the challenges on a subject are asked for ('보험사 과제 뭐뭐', '어디 어디인가요', '각각의 과제명').
_SEVERAL_ASKED = re.compile(r"뭐뭐|어디\s*어디|어느\s*어느|각각|각\s*과제|모두|전부|목록|리스트|들\s*(?:은|이|을)?\s*(?:뭐|어디)|"
                            r"둘\s*다|두\s*(?:개|곳|가지)|다\s*(?:알려|보여|말해|뽑아|정리)")
_LATIN_WORD = re.compile(r"[a-zA-Z]{3,}")
# Two challenges' figures compared ('서로 달라요?', '똑같나요', '차이 있어요?'), and the entries of the figures.
_SAME_OR_NOT = re.compile(r"서로\s*(?:달라|다르|다른|같|틀려)|(?:달라|다르|같)(?:요|나요|아요|은가요|습니까|니)?\s*\??$|"
                          r"차이(?:가|는)?\s*(?:있|나|없)|똑같|동일")
_OTHER_CHALLENGES = re.compile(r"다른\s*(?:과제|데|곳|회사)")  # ('HD현대중공업 과제도 다른 과제랑 똑같이 14개월이에요?')
_FIGURES = (("max_period", re.compile(r"(?<!신청 )(?<!접수 )(?<!신청)(?<!접수)기간|개월|몇\s*달")),
            ("max_amount", re.compile(r"금액|지원금|상한|한도|예산|(?<![가-힣])돈|\d\s*억")))
# Whether the asker fits a challenge ('롯데꺼랑 맞나요', '해당될까요', 'KT랑 fit 해요?').
_FIT_ASKED = re.compile(r"맞(?:나|는지|을까|아요|아\?|음\?|습니까|는\s*(?:거|건|과제))|해당(?:되|돼|될|하|사항)|적합|어울|\bfit", re.I)
# Companies told apart by a letter ('A사는 …, B사는 …', 'A사(보험 업무 분석)').
_ENUMERATED = re.compile(r"(?<![A-Za-z가-힣])[A-Za-z]\s*사(?:는|은|의|가)?(?![가-힣])\s*[:(]?")
# A figure asked about a challenge ('몇 개월짜리', '얼마까지', '언제까지').
_FIGURE_ASKED = re.compile(r"몇\s*(?:개월|달|년|프로|%)|얼마|언제")
# What may surround a name that asks nothing else ('HD현대중공업은요?', '케이티 꺼는?', '풀무원 과제요').
_NAME_ONLY = re.compile(r"[\s?!.~,]*(?:(?:은|는|이|가|도|요|꺼|거|껀|것|과제|쪽|측)[\s?!.~,]*)*")
# What a challenge is about, asked ('과제 주제가 뭐고', '과제명 알려주시고').
_WHAT_CHALLENGE = re.compile(r"주제|과제\s*명|제목|내용|무슨\s*과제|어떤\s*과제|뭐(?:고|예요|에요|야|임|냐|지)")
# Words tying another programme to applying here ('팁스 받은 회사도', '창업패키지랑 중복').
# Another programme only compared with this one: 'X처럼', 'X보다', 'X와 달리', 'X에 비해' ...
_COMPARED = re.compile(r"\s*(?:은|는|이|가)?\s*(?:처럼|보다|에\s*비해|(?:과|와|랑|이랑|하고)\s*(?:달리|비교|다르게|비슷하게))")
# ... or set aside ('취업 얘기 말고 그냥 궁금한데 …', '대출 빼고').
_SET_ASIDE = re.compile(r"\s*(?:(?:관련|쪽|얘기|이야기|문제|건|같은\s*거)\s*)?(?:은|는)?\s*(?:말고|빼고|제외하고|아니고)요?(?![가-힣])")
# ... or this one named as the topic after it ('TIPS는 … 높은 편인데, 이 과제는 정부가 몇 %').
_THIS_ONE_AFTER = re.compile(r"(?<![가-힣])(?:이|이번)\s*(?:과제|사업|부문|프로그램|도전과제)\s*(?:은|는|에서는|에선|의|도)(?![가-힣])")
_WHO_ASKED = re.compile(r"누구|누군|정체|챗봇|봇이|기계|로봇이|뭐하는|무엇을\s*하는|who are|what are you")
_TIED_TO_THIS = re.compile(r"랑|하고|와|과|도|받(?!으려면|을\s*때|는\s*(?:법|방법)|기\s*위)|했|하는\s*중|수행|중복|같이|동시|때문|처럼|있는데|있어|인데|이라")
# ... or, anywhere after it, doing both ('창업도약패키지 협약 기간 중인데 동시에 이것도 가능해요?')
_ALONGSIDE_THIS = re.compile(r"동시에|중복|병행|같이\s*(?:해|할|받|신청|지원)|이것도|이거도|이번\s*(?:것|거)도")
_DOING_IT = r"받은|받았|받고|하고\s*있|하는\s*중|수행|했|중인|중이"  # having had or doing the other thing
_HAD_IT = re.compile(_DOING_IT + r"|신청|접수|응모|맞(?:나|아|죠|지|는|습|음)")  # ... or applying here, or confirming
_DOING_IT_RE = re.compile(_DOING_IT)
_DOING_HERE = re.compile(_DOING_IT + r"|하는데|있는데|받는데|중인데|인데")
# (Only the kind is searched: a pattern for the name's words too was quadratic or worse on a long run of digits.)
BENEFITS_ENTRY = "benefits"
DEMAND_GAIN_ENTRY = "why_exemption"
_DEMAND_SIDE = re.compile(r"(?:대기업|수요처|수요기업)\s*(?:입장|쪽에서|측에서|으로서는|로서는)")
_MODIFIER_WORD = re.compile(r"([가-힣]{2,})적(?:으로|인|이다|임)")
_ANOTHER_GRANT = re.compile(r"(?:지원\s*사업|장려금|바우처|지원금|(?<!과)제도)(?=\s|$|[?.!,]|은|는|이|가|을|를|도|에|의)")
# This programme asked to be some kind of thing: a yes-or-no question with this programme as its subject ('이거 인턴
# 뽑는 프로그램이에요?', '혁신형도전과제가 취업 프로그램인가요?'), or with a kind of programme as what it is ('장학금 주는
# 사업인가요?').
_IS_IT_END = r"(?:인가요|인가|이에요|예요|에요|거예요|건가요|거죠|건가|거야|거임|임|아니에요|아닌가요|맞나요|인지요|입니까|이냐|냐)\s*[?？]*$"
_THIS_IS_IT_A = re.compile(
    r"^(?:혹시\s*)?(?:이거|이건|이게|요거|이\s*(?:사업|과제|프로그램|부문)|이번\s*(?:사업|과제)|혁신형도전과제|도전과제)"
    r"(?:는|은|가|이|도)?\s.*" + _IS_IT_END)
_A_KIND_OF_PROGRAMME = re.compile(r"사업\s*" + _IS_IT_END)
# ... and what it is taken for, a kind of scheme ('이거 스팸이에요?', '노션은 무료 프로그램인가요?' take it for nothing).
_KIND_TAKEN = re.compile(r"모집|채용|뽑|인턴|취업|일자리|장학|대출|융자|공모|입찰|경진|대회|교육|컨설팅|보조금|투자|상금|알바|"
                         r"봉사|대외\s*활동|창업\s*지원")
# What makes a programme cue another thing's: selected as something ('우수기업으로 선정되면'), a school's task.
_SAID_OF_ANOTHER = re.compile(r"(?:으로|[가-힣]로)\s*$|(?:학교|대학|수업|숙제|강의|조별)\S*\s*$")
_QUESTION_WORD_HERE = re.compile(r"뭐|무엇|어떤|무슨|어디|언제|얼마|몇|누구|누가|왜|어떻게|어느")
_THIS_PROGRAMME = re.compile(r"(?:이|이번|여기|본)\s*(?:사업|과제|부문|프로그램)|도전과제|혁신형|과제")
# ... or what comes before it makes it this programme's: '이 사업 전체 예산', '선정되면 … 멘토링', '우리 부담금 … 정책자금',
# '이거 산업통상자원부 사업 맞지요?' (a claim about this one).
_OURS_BEFORE = re.compile(r"(?<![가-힣])(?:이|이번|본|이거|이건|이게)\s*$|선정\s*(?:되면|된\s*후|후|되고|돼서|되서)|붙으면|합격하면|부담금|부담분|자부담|분담금")
_TIED_TO_THIS_EN = re.compile(r"\b(?:with|and|also|both|same time|received|got|already|while|concurrent(?:ly)?|"
                              r"alongside|together|too|as well|if we|because)\b")
# An apology ('오타 죄송해요', '말을 막 해서 미안하우', '연달아 여쭈어 송구합니다') and praise of the bot's replies ('말 참
# 잘하네 기계가', '답변 속도 amazing 👍').
_APOLOGY = re.compile(r"죄송|미안|송구|실례\s*(?:했|가\s*많|많았)|sorry", re.I)
_PRAISE = re.compile(r"(?<![가-힣])(?:말|답|답변|대답|설명|속도|봇|챗봇|기계)\S{0,2}\s*(?:참|정말|진짜|되게|완전|넘|너무)?\s*"
                     r"(?:잘\s*하|빠르|빠름|좋|친절|똑똑|최고|대박|amazing|awesome|great|nice|good|굿)", re.I)
_DIGIT = re.compile(r"\d")
_FOUND_BY_CENTRE = re.compile(r"(?:발굴|찾|제안|추천)\S{0,2}\s*(?:한|했|은|던)\s*(?:과제|기|거|건)|(?:발굴|찾아)\s*낸|"
                              r"어느\s*과제를\s*(?:발굴|찾)")
_ALONE = re.compile(r"혼자|단독|홀로|다\s*(?:발굴|찾)")  # ('경남센터가 혼자 발굴한 거죠?': the eight together did)
_FIRMS = re.compile(r"회사|기업|업체")
_LIST_REQUEST = re.compile(r"(?:열거|나열|목록|리스트|명단|쭉|전부|모두|다)\s*(?:해|하여|알려|말해|불러|보여|적어|정리|뽑아)")
_TITLE_WORD = re.compile(r"과제\s*명|제목|과제\s*이름|명칭|title", re.I)
# The word asked about in the titles: quoted ('개발'), called a word ('AI라는 단어'), or before the verb ('로봇 들어간').
_QUOTED = re.compile(r"['‘’\"“”]([^'‘’\"“”]{1,20})['‘’\"“”]")
_CALLED = re.compile(r"([A-Za-z]{2,12}|[가-힣]{2,6})\s*(?:이)?라는\s*(?:단어|말|글자|표현)")
_IN_TITLE = r"끝나|끝난|들어간|들어가|들어있|포함|붙은|붙어"
_TITLE_VERB = re.compile(f"({_IN_TITLE})")
_TITLE_TERM = re.compile(r"(?<![가-힣A-Za-z])([A-Za-z]{2,12}|[가-힣]{2,6}?)\s*(?:으로|로|이|가)?\s*"
                         rf"(?:직접|명시적으로|그대로|정확히|실제로)?\s*(?:{_IN_TITLE})")
_CENTRE_NOUN = re.compile(r"센터|센타|쎈타|쎈터|창경|CCEI", re.I)
_CENTRE_WORD = re.compile(_CENTRE_NOUN.pattern + r"|곳|군데|지역", re.I)  # (also a count of places: '8곳 중에 수도권은')
_SUM_ASKED = re.compile(r"얼마|합계|합산|총액|몇\s*억|sum|total", re.I)  # (a sum over the challenges named, asked as money)
# Mid-sized companies asked about as demand companies ('중견기업도 수요처로 …', '수요처는 대기업만이에요? 중견은?'), not as
# applicants ('중견기업인데 주관기관으로 신청돼요?').
_AS_DEMAND = re.compile(r"중견\S*\s*.{0,12}?수요(?:처|기업)|수요(?:처|기업)\S*\s*.{0,20}?중견|대기업만\s*수요|"
                        r"수요(?:처|기업)\S*\s*대기업만")
_AS_APPLICANT = re.compile(r"주관|신청|지원\s*(?:가능|할|해도|돼|되)|참여\s*기관|공동|저희|우리|당사")
# A word of praise in a short remark of its own ('오 생각보다 똑똑하네 ㅋㅋ', '설명 깔끔하다 👍👍').
_PRAISE_WORD = re.compile(r"똑똑|깔끔|최고|짱|훌륭|유용|멋지|멋있|굿|👍|대박|쩐다|쩌네|잘\s*만들|잘하네|잘\s*하네|감동|"
                          r"(?:고생|수고)\s*(?:한다|하네|했|하셨|하시|많|해)")  # ('너도 고생한다': kind words for the bot)
PRAISE_ALONE_MAX = 25  # characters: longer messages say more than praise
# ... of someone else ('사장님 말씀이 좋네', '우리 딸 말 참 잘하네'): no praise of the bot.
_SOMEONE_ELSE = re.compile(r"님|씨(?![가-힣])|우리\s*\S|딸|아들|엄마|아빠|동생|친구|선생|애가|아이가")
_ASKS_SOMETHING = re.compile(r"[?？]|뭐|무엇|언제|어디|얼마|몇(?!\s*가지\s*(?:여쭙|여쭈|물어|질문|문의))|누구|누가|어떻게|어떤|왜|무슨|어느|알려|주세요|주십시오|해\s*줘|"
                             r"해\s*줄|할\s*수|가능|나요|까요|습니까|ㄴ가요|인가|냐|니\s*$")
_PROGRAMME_CONTACT = re.compile(r"담당|문의처|사업\s*문의|신청\s*문의")
_EXCLUDING = re.compile(r"(?:\s*과제)?\s*(?:은|는|이|가|꺼|거)?\s*(?:말고|빼고|외에|외의|외|제외하고|제외한|말구|아닌)(?![가-힣])")


def _names_a_company(seg: Segment) -> bool:
    """The piece names a company, one of the ten or another."""
    return any(m.kind in ("company", "other_company") for m in seg.mentions)


def _matched_part(head: str, matched: list[Challenge], prob: float) -> Part:
    """The challenges that fit, after ``head``, with a button for each."""
    return Part("answer", head + "\n\n" + challenges_list(matched), [f"ch:{c.id}" for c in matched],
                [(texts.CHALLENGE_LABEL.format(company=c.company), f"ch:{c.id}") for c in matched], prob, "challenges")


def _calc_part(text: str, key: str, score: float) -> Part:
    return Part("answer", text, [key], [(texts.BTN_FUNDING_ALL, "funding")], score, "calc")


def _excluded(text: str, mentions) -> set[str]:
    """Challenge companies the question sets aside ('교보생명 말고 보험 과제 또 있어요?')."""
    return {m.id for m in mentions if m.kind == "company" and _EXCLUDING.match(text, m.end)}


def _unique(mentions) -> list:
    seen, out = set(), []
    for m in mentions:
        if m.id not in seen:
            seen.add(m.id)
            out.append(m)
    return out
