"""Arithmetic on the programme's numbers: amounts per month, totals over several challenges, a part of
the period, the rest after one share, the total behind a share, and ratios of the article's counts.

Which operation a question asks for, and for whom (정부, 수요처, 중소기업), is read from the cue words
in data/intents.yaml (``calc_cues``); the numbers come from the question's entities and program.yaml.
Every result says what it was computed from, so a person can check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from math import gcd

from bot import texts
from bot.entities import Entities
from bot.program import Program, format_krw, format_krw_full

PARTIES = ("gov", "demand", "sme")


@dataclass(frozen=True)
class Result:
    key: str      # calc:<operation>
    text: str     # HTML


def has_cue(text: str, cues: dict[str, tuple[str, ...]], name: str) -> bool:
    """``text`` uses one of the cue words ``name``; a space inside a cue may be left out ('몇배' is '몇 배',
    '한달에' is '한 달에'), but the text's own spaces still separate words ('최대 출연금' holds no '대출')."""
    pattern = _cue_pattern(cues.get(name, ()))
    return pattern is not None and pattern.search(text) is not None


@lru_cache(maxsize=64)
def _cue_pattern(words: tuple[str, ...]) -> re.Pattern | None:
    parts = [r"\s*".join(re.escape(p) for p in w.split()) for w in words if w.strip()]
    return re.compile("|".join(parts)) if parts else None


def parties(text: str, cues) -> list[str]:
    """The parties (정부, 수요처, 중소기업) the text names, by their cue words."""
    return [p for p in PARTIES if has_cue(text, cues, p)]


# Two parties written as one group ('정부+수요처', '수요처와 주관기관', '수요처 랑 우리'): only a particle or a sign between.
_JOIN = re.compile(r"^\s*(?:\+|&|/|,|와|과|랑|이랑|하고|및|그리고)\s*$")
# What two parties pay together, said as covering the rest ('정부+수요처가 메꿔주는 돈').
_COVERS = re.compile(r"메꿔|메워|메꾸|채워\s*주|대\s*주는|보태")
# 'A에서 B 빼면': B taken from A.
_TAKEN_FROM = re.compile(r"에서")
_TAKE = re.compile(r"빼|뺀|제하")


def _mentions(text: str, cues) -> list[tuple[int, int, str]]:
    """(start, end, party) of every party cue in the text, in order, overlapping ones dropped."""
    found = []
    for p in PARTIES:
        pattern = _cue_pattern(cues.get(p, ()))
        if pattern is not None:
            found += [(m.start(), m.end(), p) for m in pattern.finditer(text)]
    out: list[tuple[int, int, str]] = []
    for start, end, p in sorted(found, key=lambda f: (f[0], -f[1])):
        if not out or start >= out[-1][1]:
            out.append((start, end, p))
    return out


def joined_group(text: str, cues) -> list[str]:
    """The two parties written as one group ('정부+수요처가 메꿔주는 돈'), else []."""
    ms = _mentions(text, cues)
    for (_, end, a), (start, _, b) in zip(ms, ms[1:]):
        if a != b and _JOIN.match(text[end:start]):
            return [a, b]
    return []


def taken_from(text: str, cues) -> tuple[str, str] | None:
    """'정부 최대 출연금에서 우리 최소 부담액 빼면': (the party taken from, the party taken)."""
    ms = _mentions(text, cues)
    for (_, end, a), (start, b_end, b) in zip(ms, ms[1:]):
        if a != b and _TAKEN_FROM.search(text[end:start]) and _TAKE.search(text[b_end:b_end + 12]):
            return a, b
    return None


def _party(text: str, cues, program: Program, percents: list[float]) -> str | None:
    """The one party a question is about; else the party whose share a percentage in it names
    ('3.5억 기준 10%를 두 과제면' is the SME's share)."""
    found = parties(text, cues)
    if len(found) == 1:
        return found[0]
    if not found:
        by_pct = [p for p in PARTIES if any(_pct(program, p) == x for x in percents)]
        return by_pct[0] if len(by_pct) == 1 else None
    return None


def _pct(program: Program, party: str | None) -> int:
    return {"gov": program.gov_pct, "demand": program.demand_pct, "sme": program.sme_pct}.get(party or "", 100)


def _label(party: str | None) -> str:
    return {"gov": texts.PARTY_GOV, "demand": texts.PARTY_DEMAND, "sme": texts.PARTY_SME}.get(party or "",
                                                                                          texts.PARTY_TOTAL)


def _fraction(part: int, whole: int) -> str:
    g = gcd(part, whole) or 1
    return f"{whole // g}분의 {part // g}"


# The total budget given, not asked ('총사업비가 3억이라면 정부 최대 얼마'): its amount follows it.
_TOTAL_GIVEN = re.compile(r"(?:총\s*사업비|총\s*연구개발비|총액|총\s*예산)\s*(?:가|는|이|은|을|를)?\s*(?:약\s*)?\d")
_AMOUNT = re.compile(r"얼마|금액|액수|총액|규모|몇\s*(?:억|천|만)|돈으로|원으로|how much", re.I)
CENTRE_SUFFIX = "창조경제혁신센터"
_CENTRE_COUNT = re.compile(r"센터|곳|군데|centres|centers")
_HOW_MANY = re.compile(r"몇|개수|how many", re.I)  # '몇 개가 떨어졌어요?', not '안 뽑을 수도 있어요?'
# A monthly amount given ('월 2천만씩', '매달 2,000만 원', '한 달에 2천만'), to be multiplied by the months.
_MONTHLY_AMOUNT = re.compile(r"(?:(?<![가-힣])월|매달|매월|한\s*달에?|달마다)\s*(?:약\s*)?\d")
_PER_QUARTER = re.compile(r"(분기|반기)\s*(?:당|별|마다|에\s*한\s*번|평균|단위)|한\s*(분기|반기)")
# Spread evenly over the period ('고르게', '똑같이 나눠', '균등하게'), or the first months of it ('처음 6개월').
_SPREAD = re.compile(r"고르게|똑같이|균등|일정하게|나눠|나누어|처음(?=\s*\d)|첫\s*\d|evenly", re.I)
_EACH = re.compile(r"얼마씩|각각\s*얼마|각자\s*얼마")
_WHO = re.compile(r"누가|누구|어디서\s*내|who", re.I)
_PAYS = re.compile(r"내|부담|대|지원|pay", re.I)


# Money named without asking 'how much' ('총 연구비 최대?', '우리 부담 합계는?'): with a total's cue, a sum of money.
_MONEY_WORD = re.compile(r"연구비|연구개발비|사업비|지원금|지원액|정부\s*지원|예산|부담|합계|합산|총합")


# A party's own amount given as the figure ('부담금 3,500만 원을', '정부 지원금 2억 1천을').
# (a number of months or a percentage after it is no amount: '부담금을 12개월에 나눠')
_OWN_AMOUNT = re.compile(r"(?:부담금|부담액|지원금|지원액|출연금|몫)\s*(?:은|는|이|가|을|를)?\s*\d(?![\d.,]*\s*(?:개월|달|년|%|퍼))")


def _span(quarter: re.Match) -> tuple[str, int]:
    """('분기', 3) or ('반기', 6), as a _PER_QUARTER match names it."""
    name = quarter.group(1) or quarter.group(2)
    return name, 6 if name == "반기" else 3


def over_time(amount: int, text: str, cues, ents: Entities, program: Program) -> str:
    """The amount spread evenly over the maximum period, as the question asks: per month, per quarter (or
    half year), or the first months named ('6개월 누적'); '' when it asks none."""
    months = program.max_months
    quarter = _PER_QUARTER.search(text)
    part = next((m for m in ents.months if 0 < m < months), None)
    if part and has_cue(text, cues, "cumulative"):
        return " " + texts.CALC_OVER_MONTHS.format(months=months, part=part,
                                                  amount=format_krw_full(int(round(amount * part / months, -4))))
    if quarter:
        span_name, span = _span(quarter)
        return " " + texts.CALC_OVER_SPAN.format(months=months, span_name=span_name, span=span,
                                                amount=format_krw_full(int(round(amount * span / months, -4))))
    if has_cue(text, cues, "per_month"):
        return " " + texts.CALC_OVER_MONTH.format(months=months,
                                                 amount=format_krw_full(int(round(amount / months, -4))))
    return ""


def party_at_limit(text: str, cues) -> bool:
    """One party's amount at the budget's limit is asked ('수요처가 최소 얼마 내야 함? 풀예산 기준')."""
    return len(parties(text, cues)) == 1 and _AT_LIMIT.search(text) is not None and _HOW_MUCH_PAID.search(text) is not None


def asks_amount(text: str) -> bool:
    """The text asks for an amount of money ('얼마', '총액', '몇 억' ...)."""
    return _AMOUNT.search(text) is not None


def names_money(text: str) -> bool:
    """The text asks for an amount or names money ('총 연구비', '부담 합계')."""
    return asks_amount(text) or _MONEY_WORD.search(text) is not None


def _ratio(a: int, b: int) -> str:
    g = gcd(a, b) or 1
    return f"{a // g}:{b // g}"


def discovery_counts(program: Program, chosen: int) -> tuple[int, int, int]:
    """(challenges found, challenges chosen, centres) from the programme's discovery sentence."""
    numbers = [int(n) for n in re.findall(r"(\d+)\s*개", program.discovery)]
    centres = [int(n) for n in re.findall(r"(\d+)\s*곳", program.discovery)]
    found = max(numbers) if numbers else chosen
    return max(found, chosen), chosen, (centres[0] if centres else 0)


def compute(text: str, ents: Entities, program: Program, n_challenges: int, n_companies: int,
            cues: dict[str, tuple[str, ...]], intent: str) -> Result | None:
    """The arithmetic a question asks for, or None when it asks for none."""
    party = _party(text, cues, program, ents.percents)
    money = ents.money if ents.money and ents.money >= 1_000_000 else None
    pct = _pct(program, party)

    named = parties(text, cues)
    if len(named) == 3 and has_cue(text, cues, "times") and not money and not ents.percents and not _AMOUNT.search(text):
        # '정부:수요처:중소기업 몇 대 몇 대 몇?': the three shares at their limits, as one ratio.
        pcts = [_pct(program, p) for p in PARTIES]
        g = gcd(*pcts) or 1
        return Result("calc:ratio3", texts.CALC_RATIO3.format(
            gov=program.gov_pct, demand=program.demand_pct, sme=program.sme_pct,
            ratio=" : ".join(str(p // g) for p in pcts)))
    if len(named) == 2 and has_cue(text, cues, "times"):
        # '정부가 우리보다 몇 배 더 내요?': the ratio of two shares.
        a, b = sorted(named, key=lambda p: -_pct(program, p))
        times = _pct(program, a) / _pct(program, b)
        total = money or program.max_total
        return Result("calc:times", texts.CALC_TIMES.format(
            a=_label(a), a_pct=_pct(program, a), b=_label(b), b_pct=_pct(program, b), times=f"{times:g}",
            ratio=_ratio(_pct(program, a), _pct(program, b)),
            total=format_krw(total), a_amount=format_krw_full(total * _pct(program, a) // 100),
            b_amount=format_krw_full(total * _pct(program, b) // 100)))
    taken = taken_from(text, cues) if len(named) >= 2 and not ents.percents else None
    if (len(named) == 2 and has_cue(text, cues, "between")) or taken:
        # '정부 지원 최대치랑 우리 최소 부담금 차이', '정부 최대 출연금에서 우리 최소 부담액 빼면': the gap between
        # two shares.
        a, b = sorted(taken or named, key=lambda p: -_pct(program, p))
        gap = _pct(program, a) - _pct(program, b)
        total = money or program.max_total
        return Result("calc:gap", texts.CALC_GAP.format(
            a=_label(a), a_pct=_pct(program, a), b=_label(b), b_pct=_pct(program, b), gap=gap,
            total=format_krw(total), amount=format_krw_full(total * gap // 100)))
    if has_cue(text, cues, "remainder") and len(ents.percents) >= 2:
        # '3.5억에서 정부 60%랑 수요처 30% 빼면 우리 몫은?': what is left after the percentages named.
        total = money or program.max_total
        given = sum(dict.fromkeys(ents.percents))
        if given < 100:
            return Result("calc:remainder", texts.CALC_REMAINDER.format(
                total=format_krw(total), given=f"{given:g}", rest_pct=f"{100 - given:g}",
                rest=format_krw_full(round(total * (100 - given) / 100))))
    # (a group is added up only where the question adds or covers: '정부랑 우리 금액' asks for each)
    group = joined_group(text, cues) if has_cue(text, cues, "plus") or _COVERS.search(text) else []
    stated = stated_shares(text, cues)
    if len(named) >= 3 and not group and len(stated) == 2 and has_cue(text, cues, "plus"):
        # '수요처가 30프로 내고 정부가 60 내믄 합이 몇프로고, 나머지는 우리가': the two with a share stated are added.
        group = [p for p in PARTIES if p in stated]
    if len(named) >= 3 and group:
        # '우리가 최소만 내면 나머지 정부+수요처가 메꿔주는 돈': the two written as one group are added up.
        named = group
    if len(named) >= 2 and (has_cue(text, cues, "plus") or has_cue(text, cues, "remainder") or group):
        # '정부랑 수요처 합치면 몇 %고 나머지는?': the named shares added up, and who pays the rest.
        rest = [p for p in PARTIES if p not in named]
        sum_pct = sum(_pct(program, p) for p in named)
        amounts = ""
        # An amount asked for without a budget ('돈으로 얼마예요?'), or the sum over time ('정부+수요처 돈 합쳐서
        # 매달 얼마씩'), is at the maximum budget.
        over = has_cue(text, cues, "per_month") or _PER_QUARTER.search(text) is not None
        base = money or (program.max_total if _AMOUNT.search(text) or over else None)
        if base:
            total_sum = base * sum_pct // 100
            amounts = texts.CALC_SHARES_AMOUNTS.format(total=format_krw(base), sum=format_krw_full(total_sum),
                                                       rest=format_krw_full(base - total_sum))
            amounts += over_time(total_sum, text, cues, ents, program)
        return Result("calc:shares", texts.CALC_SHARES.format(
            named="·".join(f"{_label(p)} {_pct(program, p)}%" for p in named), sum_pct=sum_pct,
            rest_pct=100 - sum_pct, rest=", ".join(_label(p) for p in rest) if rest else "없음", amounts=amounts,
            gov_pct=program.gov_pct, demand_pct=program.demand_pct, sme_pct=program.sme_pct))

    if intent == "calc_ratio" or has_cue(text, cues, "ratio") or has_cue(text, cues, "difference") \
            or has_cue(text, cues, "per_centre"):
        found, chosen, centres = discovery_counts(program, n_challenges)
        if has_cue(text, cues, "per_centre") and centres:
            if has_cue(text, cues, "chosen_count") and not has_cue(text, cues, "count_words"):
                # '최종 과제 10개를 참여 센터 수로 나누면': the chosen challenges per centre.
                return Result("calc:per_centre", texts.CALC_PER_CENTRE_CHOSEN.format(
                    chosen=chosen, centres=centres, per=f"{chosen / centres:.3g}"))
            return Result("calc:per_centre", texts.CALC_PER_CENTRE.format(
                found=found, centres=centres, per=f"{found / centres:g}"))
        if has_cue(text, cues, "difference") and (_HOW_MANY.search(text) or has_cue(text, cues, "ratio")):
            return Result("calc:difference", texts.CALC_DIFFERENCE.format(
                found=found, chosen=chosen, rest=found - chosen, rest_pct=f"{100 * (found - chosen) / found:g}%"))
        if intent == "calc_ratio" or has_cue(text, cues, "count_words"):
            return Result("calc:ratio", texts.CALC_RATIO.format(
                found=found, chosen=chosen, percent=f"{100 * chosen / found:g}%", fraction=_fraction(chosen, found),
                ratio=_ratio(found, chosen)))

    # (the Seoul centre is also an organisation of its own: '서울센터' names 서울창조경제혁신센터)
    regions = list(dict.fromkeys([m.id for m in ents.of("centre")] + [
        m.name.removesuffix(CENTRE_SUFFIX) for m in ents.of("org") if m.name.endswith(CENTRE_SUFFIX)
        and m.name != CENTRE_SUFFIX]))
    if regions and has_cue(text, cues, "except_some") and _HOW_MANY.search(text) and _CENTRE_COUNT.search(text):
        # '서울 센터를 제외하면 나머지 참여 센터는 몇 곳': the participating centres less those named.
        _, _, centres = discovery_counts(program, n_challenges)
        if centres > len(regions):
            return Result("calc:centres_left", texts.CALC_CENTRES_LEFT.format(
                centres=centres, named=", ".join(regions), left=centres - len(regions)))
    if has_cue(text, cues, "half") and has_cue(text, cues, "period"):
        months = program.max_months
        text_out = texts.CALC_HALF_PERIOD.format(months=months, half=f"{months / 2:g}")
        if _AMOUNT.search(text):
            # '14개월 중 절반 지날 때까지 쓸 수 있는 금액은? 균등하게 쓴다 치고': the maximum (or the party's share
            # of it: '절반 기간 동안 정부 지원금은') spread evenly.
            total = (money or program.max_total) * pct // 100
            text_out += "\n" + texts.CALC_HALF_AMOUNT.format(party=_label(party), total=format_krw(total),
                                                             half=f"{months / 2:g}", months=months,
                                                             amount=format_krw_full(total // 2))
        return Result("calc:half_period", text_out)
    part = next((m for m in ents.months if 0 < m < program.max_months), None)
    if part and program.max_months in ents.months and _AMOUNT.search(text) and _SPREAD.search(text) \
            and not _MONTHLY_AMOUNT.search(text):
        # '최대 금액을 14개월 동안 고르게 쓰면 처음 6개월 동안 쓰는 돈은?': the (party's) amount spread evenly,
        # for the first months named.
        months = program.max_months
        total = (money or program.max_total) * pct // 100
        return Result("calc:part_period", texts.CALC_PART_AMOUNT.format(
            party=_label(party), total=format_krw(total), months=months, part=part,
            amount=format_krw_full(total * part // months)))
    monthly = _MONTHLY_AMOUNT.search(text)
    if monthly and money and ents.months and (has_cue(text, cues, "total") or _AMOUNT.search(text)):
        # '월 2천만씩 14개월 쓰면 총 얼마고 한도 안 넘어요?': a monthly amount times the months.
        months = next((m for m in ents.months if 0 < m <= 120), None)
        if months:
            total = money * months
            limit = texts.CALC_WITHIN if total <= program.max_total else texts.CALC_OVER
            return Result("calc:months_total", texts.CALC_MONTHS_TOTAL.format(
                per=format_krw(money), months=months, total=format_krw_full(total),
                limit=limit.format(max_total=format_krw(program.max_total))))

    if has_cue(text, cues, "inverse") and money and party and not _TOTAL_GIVEN.search(text):
        total = money * 100 // pct
        return Result("calc:inverse", texts.CALC_INVERSE.format(
            party=_label(party), amount=format_krw_full(money), pct=pct, total=format_krw_full(total)))

    if has_cue(text, cues, "remainder") and party and _WHO.search(text) and _PAYS.search(text) \
            and (not ents.percents or ents.percents[0] == _pct(program, party)):
        # '우리가 10%만 내면 나머지 90%는 누가 내요?': the other parties and their shares.
        others = [p for p in PARTIES if p != party]
        text_out = texts.CALC_REST_WHO.format(
            party=_label(party), pct=_pct(program, party), rest_pct=100 - _pct(program, party),
            others=", ".join(f"{_label(p)} {_pct(program, p)}% {'이내' if p == 'gov' else '이상'}" for p in others),
            particle="로" if others[-1] == "gov" else "으로")
        if money or _AMOUNT.search(text) or _EACH.search(text):
            # '3억 5천에서 저희가 10% 내면 나머지는 누가 얼마씩 내요?': each one's amount too.
            total = money or program.max_total
            text_out += "\n" + texts.CALC_REST_AMOUNTS.format(total=format_krw(total), amounts=", ".join(
                f"{_label(p)} {texts.CALC_AT_MOST if p == 'gov' else texts.CALC_AT_LEAST} "
                f"{format_krw(total * _pct(program, p) // 100)}" for p in others))
        return Result("calc:rest_who", text_out)
    if has_cue(text, cues, "remainder") and (ents.percents or party):
        # '3.5억에서 40% 빼면', '최대 금액에서 정부 지원분 빼면 얼마 남아?'
        total = money or program.max_total
        given = ents.percents[0] if ents.percents else pct
        rest = round(total * (100 - given) / 100)
        return Result("calc:remainder", texts.CALC_REMAINDER.format(
            total=format_krw(total), given=f"{given:g}", rest_pct=f"{100 - given:g}", rest=format_krw_full(rest)))

    several = n_companies > 1 or any(1 < c <= n_challenges for c in ents.counts)
    # A total is of money: '10개 회사 전부 말해줘' asks for the list.
    asks_money = bool(money or ents.percents or names_money(text) or has_cue(text, cues, "plus"))
    if (intent == "calc_total" or has_cue(text, cues, "total")) and (several or has_cue(text, cues, "all")) \
            and asks_money:
        counts = [c for c in ents.counts if 1 < c <= n_challenges]
        # (the largest count is the whole: '보험 두 과제 + KT 로봇 과제까지 세 개 총 예산')
        n = max([n_companies, *counts]) if n_companies > 1 or counts else n_challenges
        per = (money or program.max_total) * pct // 100
        # (and over time, if asked: '… 정부 지원 합계를 14개월로 나누면 월 평균')
        return Result("calc:total", texts.CALC_TOTAL.format(
            n=n, party=_label(party), per=format_krw(per), total=format_krw_full(per * n))
            + over_time(per * n, text, cues, ents, program))

    at_max = not money and ents.percents and _AMOUNT.search(text) and party is not None
    if (money or at_max) and ents.percents and not has_cue(text, cues, "per_month"):
        # '3.5억의 10%면 얼마야?': a percentage of an amount (and whose share that is, if it is one); each
        # percentage named ('3.5억의 10%랑 30% 각각'). '20%를 자부담하면 얼마' is of the maximum budget.
        base = money or program.max_total
        lines = []
        for pct_given in dict.fromkeys(ents.percents):
            owner = next((p for p in PARTIES if _pct(program, p) == pct_given), None)
            said = texts.CALC_PERCENT_OWNER.format(party=_label(owner), pct=_pct(program, owner)) if owner else ""
            lines.append(texts.CALC_PERCENT.format(amount=format_krw(base), pct=f"{pct_given:g}",
                                                   result=format_krw_full(round(base * pct_given / 100)), owner=said))
        return Result("calc:percent", "\n".join(lines))

    quarter = _PER_QUARTER.search(text)
    if quarter and (money or _AMOUNT.search(text) or has_cue(text, cues, "per_month")):
        # '14개월, 3.5억 기준 분기별 균등 집행 시 분기당 얼마': the months of a quarter (or half year) at once.
        total = money or program.max_total
        # (a party's share of it: '자부담 최소치를 분기마다 낸다 치면')
        share = total if money and party and _OWN_AMOUNT.search(text) else total * pct // 100
        months = next((m for m in ents.months if 3 < m <= 120), program.max_months)
        span_name, span = _span(quarter)
        label = f"{_label(party)} " if party else ""
        return Result("calc:per_quarter", texts.CALC_PER_SPAN.format(
            total=label + format_krw(share), months=months, span_name=span_name, span=span,
            amount=format_krw_full(int(round(share * span / months, -4)))))
    if intent == "calc_per_month" or has_cue(text, cues, "per_month"):
        total = money or program.max_total
        counted = [c for c in ents.counts if 1 < c <= n_challenges]
        if counted and (has_cue(text, cues, "total") or has_cue(text, cues, "plus")) and not money:
            # '보험 두 과제 max 기준 정부 지원 합계를 14개월로 나누면 월 평균': the share over the challenges, per month.
            total = total * max(counted)
        part = next((m for m in ents.months if 0 < m < program.max_months), None)
        if part and has_cue(text, cues, "cumulative") and not (money and _OWN_AMOUNT.search(text)):
            # '수요처 최소 분담을 월로 치고 6개월 누적하면': the share spread evenly, for the first months named.
            share = total * pct // 100
            return Result("calc:part_period", texts.CALC_PART_AMOUNT.format(
                party=_label(party), total=format_krw(share), months=program.max_months, part=part,
                amount=format_krw_full(share * part // program.max_months)))
        months = next((m for m in ents.months if 0 < m <= 120), program.max_months)
        # '최소 부담금 3,500만 원을 14개월로 나누면': the amount given is already that party's share.
        share = total if money and party and _OWN_AMOUNT.search(text) else total * pct // 100
        return Result("calc:per_month", texts.CALC_PER_MONTH.format(
            party=_label(party), total=format_krw(share), months=months,
            per_month=format_krw_full(int(round(share / months, -4)))))
    if party and party_at_limit(text, cues) and not money and not ents.percents and not ents.months:
        # '교보 과제 수요처가 최소 얼마 내야 함? 풀예산 기준': the party's share of the maximum budget.
        return Result("calc:party_at_max", texts.CALC_PARTY_AT_MAX.format(
            total=format_krw(program.max_total), party=_label(party), pct=pct,
            bound=texts.CHECK_WITHIN if party == "gov" else texts.CHECK_AT_LEAST,
            limit=texts.CALC_AT_MOST if party == "gov" else texts.CALC_AT_LEAST,
            amount=format_krw_full(program.max_total * pct // 100)))
    return None


# -- checking the figures a user states ('14개월 / 3.5억 / 26일 이거 다 맞나요?', '정부 60 대기업 30 우리 10 맞제?') --
_CONFIRM = re.compile(r"맞(?:나|아|죠|지|제|나요|습니까|는지|는\s*거|음|냐|니|을까|는데|을까요)|이해하면|이해했|틀린\s*거|틀렸")
# A share stated right after a party's word ('정부 60', '대기업 30%', '우리10'), or the three as a ratio ('6:3:1').
_STATED_NUMBER = re.compile(r"^\s*(?:은|는|이|가|측|쪽)?\s*(\d{1,3}(?:\.\d+)?)\s*(?:%|퍼센트|퍼|프로)?(?![\d.,]*\s*(?:억|만|천|개월|달|년|일|곳|개))")
_HOW_MUCH_PAID = re.compile(r"얼마\S{0,3}\s*(?:내|부담|분담|지원|출연|대|받|나와|줘|줌)")
_AT_LIMIT = re.compile(r"최소|최대|max|풀\s*예산|full|한도|상한|꽉", re.I)
_OPERATIONS = ("per_month", "total", "plus", "times", "between", "remainder", "inverse", "half", "cumulative")
_BIG_COMPANY = re.compile(r"대기업(?=\s*\d)")
_SME_WORD = re.compile(r"(?<![가-힣])(?:중기|중소|나|내)(?=\s*\d)")  # ('중기 10', '나 10': the asker's share)
_RATIO3 = re.compile(r"(?<![\d.])(\d{1,2})\s*:\s*(\d{1,2})\s*:\s*(\d{1,2})(?![\d.])")
_ASKS_ELSE = re.compile(r"얼마|몇|언제|어디|뭐|무엇|무슨|어떻게|어느|누가|누구|how|what|when|where", re.I)
_DAY = re.compile(r"(?<![\d.])(\d{1,2})\s*일(?!\s*(?:남|동안|간|이내|째|전))")


def stated_shares(text: str, cues) -> dict[str, float]:
    """The share stated for each party, by the number right after its word, or by an 'a:b:c' ratio of the three
    in the programme's order when all three are named."""
    out: dict[str, float] = {}
    # ('대기업 30' states the demand companies' share, though '대기업' alone names no party elsewhere)
    spans = _mentions(text, cues) + [(m.start(), m.end(), "demand") for m in _BIG_COMPANY.finditer(text)] \
        + [(m.start(), m.end(), "sme") for m in _SME_WORD.finditer(text)]
    for _, end, party in sorted(spans):
        m = _STATED_NUMBER.match(text[end:end + 12])
        if m and party not in out:
            out[party] = float(m.group(1))
    ratio = _RATIO3.search(text)
    if ratio and len(out) < 3 and len(set(parties(text, cues))) == 3:
        a, b, c = (int(x) for x in ratio.groups())
        total = a + b + c
        if total:
            out = {"gov": 100 * a / total, "demand": 100 * b / total, "sme": 100 * c / total}
    return out


def _checked_share(program: Program, party: str, said: float, base: int | None = None) -> str:
    """One stated share, right or not, with the programme's bound (and its amount at ``base``, when given)."""
    right = _pct(program, party)
    fields = {"party": _label(party), "said": f"{said:g}", "pct": right,
              "verdict": texts.CHECK_RIGHT if abs(said - right) < 0.5 else texts.CHECK_WRONG,
              "bound": texts.CHECK_WITHIN if party == "gov" else texts.CHECK_AT_LEAST}
    if base is None:
        return texts.CHECK_SHARE_ALONE.format(**fields)
    limit = texts.CALC_AT_MOST if party == "gov" else texts.CALC_AT_LEAST
    return texts.CHECK_SHARE.format(**fields, total=format_krw(base), amount=f"{limit} {format_krw(base * right // 100)}")


def check_figures(text: str, ents: Entities, program: Program, cues, deadline: str) -> Result | None:
    """The figures a user states and asks to confirm, each checked against the programme's: the three shares
    (all three stated), or two or more of the period, the maximum budget and the deadline's day. None when the
    message does not state such figures or asks to confirm nothing."""
    if not _CONFIRM.search(text) or _ASKS_ELSE.search(text) \
            or any(has_cue(text, cues, op) for op in _OPERATIONS) or _PER_QUARTER.search(text):
        return None  # (a computation to check is computed: '3.5억을 14개월로 나누면 월 3천 맞죠?')
    lines = []
    shares = stated_shares(text, cues)
    if len(shares) == 3:
        base = ents.money if ents.money and ents.money >= 1_000_000 else program.max_total
        lines += [_checked_share(program, party, shares[party], base) for party in PARTIES]
    else:
        months = [m for m in ents.months if 0 < m <= 60]
        day = next((int(d) for d in _DAY.findall(text) if 1 <= int(d) <= 31), None)
        # (an amount beside a share is that share's amount, checked by the claim's entry: '수요처 30%면 1억 맞죠?')
        money = ents.money if ents.money and ents.money >= 10_000_000 and not shares else None
        stated = sum(x is not None for x in (months[0] if months else None, money, day))
        if stated == 0 or stated + len(shares) < 2:
            return None
        # ('2) 정부 60% 이내': one share stated among other figures)
        lines += [_checked_share(program, party, said) for party, said in shares.items()]
        if months:
            ok = months[0] == program.max_months
            lines.append(texts.CHECK_MONTHS.format(said=months[0], verdict=texts.CHECK_RIGHT if ok else
                                                   texts.CHECK_WRONG, months=program.max_months))
        if money:
            ok = money == program.max_total
            lines.append(texts.CHECK_MONEY.format(said=format_krw(money), verdict=texts.CHECK_RIGHT if ok else
                                                  texts.CHECK_WRONG, total=format_krw(program.max_total)))
        if day:
            ok = day == program.deadline.day
            lines.append(texts.CHECK_DAY.format(said=day, verdict=texts.CHECK_RIGHT if ok else texts.CHECK_WRONG,
                                                deadline=deadline))
    return Result("calc:check", texts.CHECK_HEAD + "\n" + "\n".join(lines))
