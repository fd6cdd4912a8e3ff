"""From a question to an answer: structured answers computed from data (funding calculator,
challenge cards, deadline/D-day) and FAQ entries, with a calibrated decision to abstain.

Telegram-free: returns :class:`Answer` with HTML text and (label, target) button specs; the
handlers turn those into keyboards.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from bot import texts
from bot.config import TZ
from bot.faq import FaqIndex, Match, SearchResult
from bot.korean import normalize
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
    months_as_years,
    parse_date,
    parse_krw,
    round_phase,
    split_funding,
)

# Calibrated on the development sets (bench/qa.py); see the README for the measured effect.
CONFIDENT = 0.15        # best score needed to answer when every topic noun is known to the domain
CONFIDENT_OOV = 0.30    # ... when some topic noun is unknown (the question may be about something else)
SUGGEST = 0.08          # below this, no suggestions are worth showing
OOV_SCOPE = 0.50        # this share (IDF-weighted) of unknown topic nouns: out of scope
STRONG = 0.50
AMBIGUOUS_RATIO = 0.98  # second-best this close to the best (and not related): ask which one was meant
LIST_RATIO = 0.85
HONEST_YIELD = 0.9      # an honest "not in the material" entry gives way to a real one this close
CH_COVERAGE = 0.6       # a challenge answer needs this coverage of the question, or a challenge cue
CHALLENGE_CUE = re.compile(
    r"과제|주제|제목|기술|개발|솔루션|시스템|플랫폼|수요처|참여|어느\s*(회사|기업|곳)|어디|뭐\s*(해|하|냈|낸)|"
    r"challenge|task|project|topic",
    re.I,
)
CALC_MIN = 1_000_000
FUNDING_WORDS = re.compile(
    r"정부|수요처|부담|지원|사업비|연구개발비|개발비|총|기준|계산|얼마|분담|우리|중소|대기업|매칭|내야|받|비율|최대|최소|과제|예산|억"
)
DDAY_CUE = re.compile(r"며칠|몇\s*일|몇일|남[았은음아을]|d\s*-\s*\d*\s*day|d-?day|디데이|d\s*-\s*몇|days?\s+left|기준", re.I)
LIST_INTENT = re.compile(r"뭐뭐|어떤|무슨|목록|리스트|관련|있어|있나|있는|있을|종류|어느|들")


@dataclass
class Answer:
    kind: str                 # faq | challenge | challenges | calc | fallback | out_of_scope | ambiguous | empty
    text: str                 # HTML, ready to send
    entry_id: str | None = None
    score: float = 0.0
    abstained: bool = False
    buttons: list[tuple[str, str]] = field(default_factory=list)   # (label, target: faq:<id> | ch:<id> | ...)
    matches: list[Match] = field(default_factory=list)

    def as_dict(self, question: str) -> dict:
        return {
            "question": question,
            "answer": plain_text(self.text),
            "entry_id": self.entry_id,
            "score": round(self.score, 4),
            "abstained": self.abstained,
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


# -- the decision --------------------------------------------------------------------------------------------
class Answerer:
    def __init__(self, index: FaqIndex) -> None:
        self.index = index
        # Staff-listed out-of-scope topics, compared with the question with spaces removed.
        self._oos_terms = sorted(
            {re.sub(r"\s+", "", normalize(t)) for t in index.content.out_of_scope} - {""}, key=len
        )

    @property
    def content(self) -> Content:
        return self.index.content

    def label(self, key: str) -> str:
        return self.index.labels.get(key, key)

    def _buttons(self, matches: list[Match]) -> list[tuple[str, str]]:
        return [(self.label(m.key), m.key) for m in matches]

    def answer(self, question: str, now: datetime | None = None) -> Answer:
        now = now or datetime.now(TZ)
        program = self.content.program
        if not question.strip():
            return Answer("empty", texts.MENU_PROMPT, abstained=True)
        result = self.index.search(question, limit=6)
        best = result.best
        best_score = best.score if best else 0.0

        # 1. A staff-listed topic the programme's material does not cover: say so, never guess.
        if self.out_of_scope_term(question):
            return self._out_of_scope(result)

        # 2. Days left counted from a date the user gives ("12월 20일 기준 며칠 남았어?").
        if DDAY_CUE.search(question):
            ref = parse_date(question, program.deadline.year)
            if ref is not None:
                return Answer("dday", dday_text(program, ref, now), entry_id="dday", score=1.0,
                              buttons=[(texts.BTN_DEADLINE, "deadline")])

        # 3. A money amount: the funding calculator.
        amount = parse_krw(question)
        if amount and amount >= CALC_MIN and (amount >= 10_000_000 or FUNDING_WORDS.search(question)):
            return Answer("calc", calc_text(program, amount), entry_id="calc", score=1.0,
                          buttons=[(texts.BTN_FUNDING_ALL, "funding")])

        # 4. Mostly about things the domain has never heard of: out of scope.
        if result.oov >= OOV_SCOPE:
            return self._out_of_scope(result)

        # An honest "not in the material" entry only wins clearly over a real answer.
        if best and self._is_honest(best) and len(result.matches) > 1:
            runner = result.matches[1]
            if runner.score >= HONEST_YIELD * best.score and not self._is_honest(runner):
                result.matches[0], result.matches[1] = runner, best
                best = runner
        best_score = best.score if best else 0.0

        if best is None or best_score < SUGGEST:
            return self._fallback(result, suggest=False)
        if best_score < (CONFIDENT_OOV if result.oov > 0 else CONFIDENT):
            return self._fallback(result, suggest=True)

        # A company name alone does not make a question about its challenge ("교보생명 종신보험 괜찮아?").
        if best.kind == "ch" and result.coverage < CH_COVERAGE and not CHALLENGE_CUE.search(question):
            return self._out_of_scope(result)

        # Several challenges fit a topic question ("센서 쓰는 과제 뭐뭐 있어?"): list them.
        challenge_hits = [m for m in result.matches if m.kind == "ch" and m.score >= LIST_RATIO * best_score]
        if best.kind == "ch" and len(challenge_hits) >= 2 and LIST_INTENT.search(question):
            chosen = [self.content.challenge(m.id) for m in challenge_hits]
            text = texts.CHALLENGES_MATCHED + "\n\n" + challenges_list([c for c in chosen if c])
            return Answer("challenges", text, entry_id=",".join(m.key for m in challenge_hits),
                          score=best_score, buttons=self._buttons(challenge_hits))

        # Two different entries nearly tied: ask which one was meant.
        second = result.matches[1] if len(result.matches) > 1 else None
        if second and second.score >= AMBIGUOUS_RATIO * best_score and best_score < STRONG:
            if not self._related(best, second):
                return Answer("ambiguous", texts.AMBIGUOUS, entry_id=best.key, score=best_score,
                              abstained=True, buttons=self._buttons([best, second]), matches=result.matches)

        return self.render_key(best.key, now, score=best_score, matches=result.matches)

    def out_of_scope_term(self, question: str) -> str | None:
        """A staff-listed topic the bot must not answer (other programmes, people, fees ...)."""
        compact = re.sub(r"\s+", "", normalize(question))
        for term in self._oos_terms:
            if term in compact:
                return term
        return None

    def _is_honest(self, match: Match) -> bool:
        entry = self.content.entry(match.id) if match.kind == "faq" else None
        return bool(entry and entry.abstain)

    def _related(self, a: Match, b: Match) -> bool:
        """Close scores between related entries are not ambiguity: the best one answers well."""
        entries = {m.kind: m for m in (a, b)}
        if a.kind == "faq" and b.kind == "faq":
            ea, eb = self.content.entry(a.id), self.content.entry(b.id)
            return bool(ea and eb and (ea.category == eb.category or b.id in ea.related or a.id in eb.related))
        if "ch" in entries and "faq" in entries:  # a challenge and a list that names it
            challenge = self.content.challenge(entries["ch"].id)
            entry = self.content.entry(entries["faq"].id)
            return bool(challenge and entry and challenge.company in entry.answer)
        return False

    def render_key(self, key: str, now: datetime | None = None, score: float = 1.0,
                   matches: list[Match] | None = None) -> Answer:
        """The answer for a known entry key (also used when a suggestion button is pressed)."""
        now = now or datetime.now(TZ)
        program = self.content.program
        kind, _, ident = key.partition(":")
        if kind == "ch":
            challenge = self.content.challenge(ident)
            if challenge:
                return Answer("challenge", challenge_card(challenge, program, now), entry_id=key, score=score,
                              buttons=[(texts.BTN_OTHER_CHALLENGES, "challenges")], matches=matches or [])
        if kind == "faq":
            entry = self.content.entry(ident)
            if entry:
                related = [f"faq:{r}" for r in entry.related if self.content.entry(r)]
                return Answer("faq", render_entry(entry, self.content, now), entry_id=key, score=score,
                              abstained=entry.abstain,
                              buttons=[(self.label(r), r) for r in related], matches=matches or [])
        raise KeyError(key)

    def _fallback(self, result: SearchResult, suggest: bool) -> Answer:
        contact = texts.ASK_PERSON.format(contact=esc(self.content.program.contact))
        candidates = [m for m in result.matches[:3] if m.score >= SUGGEST] if suggest else []
        if candidates:
            text = texts.FALLBACK + contact
        else:
            text = texts.FALLBACK_NO_SUGGESTIONS + contact
        best = result.best
        return Answer("fallback", text, entry_id=best.key if best else None,
                      score=best.score if best else 0.0, abstained=True,
                      buttons=self._buttons(candidates), matches=result.matches)

    def _out_of_scope(self, result: SearchResult) -> Answer:
        text = texts.OUT_OF_SCOPE.format(program=esc(self.content.program.name))
        text += texts.ASK_PERSON.format(contact=esc(self.content.program.contact))
        best = result.best
        return Answer("out_of_scope", text, entry_id=best.key if best else None,
                      score=best.score if best else 0.0, abstained=True, matches=result.matches)
