"""The programme's facts as typed data, loaded and validated from the staff-editable files in
``data/``; plus the Korean formatting of money and dates, the funding calculator and D-day.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot import texts, yamlsafe
from bot.config import TZ

WEEKDAYS = "월화수목금토일"
DATA_FILES = ("program.yaml", "challenges.yaml", "faq.yaml", "synonyms.yaml", "entities.yaml", "intents.yaml")
# Intents learned from data/intents.yaml besides the FAQ entries (their replies live in bot/texts.py).
EXTRA_INTENTS = ("challenge", "calc_per_month", "calc_total", "calc_ratio", "smalltalk_greeting", "smalltalk_thanks",
                 "smalltalk_identity", "smalltalk_capability", "smalltalk_bye", "smalltalk_ack", "smalltalk_feedback",
                 "out_of_scope")
# Top-level word lists of data/intents.yaml (kept in Content.intents under these names).
CUE_LISTS = ("challenge_cues", "describe_cues", "programme_cues", "challenge_detail_cues")
FAQ_CATEGORIES = ("사업 소개", "지원 내용", "신청", "과제")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]{0,31}$")
PLACEHOLDERS = (
    "deadline", "deadline_date", "deadline_status", "max_total", "max_months", "gov_pct", "demand_pct",
    "sme_pct", "gov_max", "demand_min", "sme_min", "system", "documents", "contact", "name", "parent_program",
    "deadline_note", "next_round", "challenge_list", "challenge_count",
)
# An answer using one of these tells people when to apply: it needs an ``answer_closed`` (after the deadline).
DEADLINE_PLACEHOLDERS = ("deadline", "deadline_date", "deadline_status")
UNTIL_CONFIRMED = "until_deadline_confirmed"  # an FAQ entry's abstain value: honest only while the deadline is provisional
ROUND_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
# Where a fact comes from: a place in a published document (the article, later an official notice),
# or a staff member with the date ("staff: 김담당, 2026-12-01, 메모").
SOURCE_DOCUMENTS = ("기사", "공고")
STAFF_SOURCE_RE = re.compile(
    r"^staff:\s*(?P<who>[^,]*[^,\s][^,]*),\s*(?P<when>\d{4}-\d{2}-\d{2})(?:,.*)?$", re.S
)
# The programme facts in program.yaml (top-level keys, or keys of ``application``); each needs a source.
PROGRAM_FACTS = (
    "name", "short_name", "parent_program", "organizers", "summary", "purpose", "exemption", "discovery",
    "funding", "deadline", "deadline_as_written", "system_name", "system_short", "documents", "how",
    "contact",
)
PHASE_OPEN, PHASE_CLOSED = "open", "closed"


class DataError(ValueError):
    """A data file is malformed. The message names the file and the entry."""

    def __init__(self, file: str, entry: str | None, problem: str) -> None:
        where = f"{file}" + (f" [{entry}]" if entry else "")
        super().__init__(f"{where}: {problem}")
        self.file, self.entry, self.problem = file, entry, problem


# -- typed data ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Slot:
    """One reminder slot: ``days_before`` the deadline day at ``at``, or ``hours_before`` closing."""

    id: str
    days_before: int | None = None
    at: time | None = None
    hours_before: float | None = None

    def fire_at(self, deadline: datetime) -> datetime:
        if self.hours_before is not None:
            return deadline - timedelta(hours=self.hours_before)
        day = deadline.astimezone(TZ).date() - timedelta(days=self.days_before or 0)
        return datetime.combine(day, self.at or time(9, 0), tzinfo=TZ)

    @property
    def label(self) -> str:
        if self.hours_before is not None:
            hours = int(self.hours_before) if float(self.hours_before).is_integer() else self.hours_before
            return texts.SLOT_HOURS_BEFORE.format(hours=hours)
        when = format_clock(self.at or time(9, 0))
        if not self.days_before:
            return texts.SLOT_DEADLINE_DAY.format(when=when)
        return texts.SLOT_DAYS_BEFORE.format(days=self.days_before, when=when)


@dataclass(frozen=True)
class Challenge:
    id: str
    company: str
    title: str
    summary: str
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    source: str = ""
    # Words of the challenge's technical field ('초음파', '객체탐지'), used only to match a company's
    # description of itself; unlike keywords they do not teach the model what a challenge question is.
    field_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class FaqEntry:
    id: str
    category: str
    question: str
    answer: str
    source: str
    alternates: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    # True for entries whose answer is an honest "the programme's material does not say; ask here":
    # the bot shows them, but counts them as not answering (abstained).
    abstain: bool = False
    # ... only while staff have not confirmed the deadline (YAML ``abstain: until_deadline_confirmed``): the month
    # of '오는 26일' is not in the source, but once staff confirm the date their data answers it.
    abstain_until_confirmed: bool = False
    # Words (compared without spaces) that mark a question as this entry's: staff list them for the
    # honest entries, so "업력 3년인데 돼요?" is recognised as an eligibility question.
    triggers: tuple[str, ...] = ()
    # The answer after the round's deadline (no instructions to apply, no countdown); required when
    # ``answer`` uses a deadline placeholder.
    answer_closed: str = ""
    # An honest entry whose answer also states what the source does say (where to submit): a user checking a
    # claim about it ('우편으로 내는 거라던데 ㄹㅇ?') is corrected, and that reply counts as an answer.
    answers_claims: bool = False

    def abstains(self, program: Program) -> bool:
        """Whether this entry's answer is an honest "the source does not say" for the round as it stands."""
        return self.abstain and not (self.abstain_until_confirmed and program.deadline_confirmed)

    def answer_at(self, phase: str) -> str:
        return self.answer_closed if phase == PHASE_CLOSED and self.answer_closed else self.answer


@dataclass(frozen=True)
class Program:
    name: str
    short_name: str
    parent_program: str
    organizers: tuple[dict[str, str], ...]
    summary: str
    purpose: str
    exemption: dict[str, str]
    discovery: str
    max_months: int
    max_total: int
    gov_pct: int
    demand_pct: int
    sme_pct: int
    deadline: datetime
    # One confirmation state for date and time: staff who checked both in the official notice, and when.
    deadline_confirmed_by: str | None
    deadline_confirmed_at: str | None
    system_name: str
    system_short: str
    documents: tuple[str, ...]
    how: str
    contact: str
    slots: tuple[Slot, ...]
    round_id: str = ""
    deadline_as_written: str | None = None    # the source's own words, e.g. "오는 26일까지"
    sources: dict[str, str] = field(default_factory=dict, compare=False)
    source: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def system(self) -> str:
        return f"{self.system_name}({self.system_short})"

    @property
    def deadline_confirmed(self) -> bool:
        return self.deadline_confirmed_by is not None

    def with_deadline(self, deadline: datetime, confirmed_by: str | None = None,
                      confirmed_at: str | None = None) -> Program:
        """This programme with another deadline; confirmed when ``confirmed_by`` is given."""
        raw = dict(self.raw)
        raw["application"] = {
            **raw.get("application", {}),
            "deadline": deadline.isoformat(),
            "deadline_confirmed_by": confirmed_by,
            "deadline_confirmed_at": confirmed_at if confirmed_by else None,
        }
        return parse_program(raw)


@dataclass(frozen=True)
class Content:
    program: Program
    challenges: tuple[Challenge, ...]
    faq: tuple[FaqEntry, ...]
    synonyms: dict[str, tuple[str, ...]]
    stopwords: tuple[str, ...]
    fingerprint: str = ""
    out_of_scope: tuple[str, ...] = ()
    entities: dict[str, Any] = field(default_factory=dict)
    intents: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def challenge(self, challenge_id: str) -> Challenge | None:
        return next((c for c in self.challenges if c.id == challenge_id), None)

    @property
    def calc_cues(self) -> dict[str, tuple[str, ...]]:
        """Cue words of the arithmetic questions (data/intents.yaml ``calc_cues``)."""
        return {k.split(":", 1)[1]: v for k, v in self.intents.items() if k.startswith("calc_cues:")}

    def entry(self, entry_id: str) -> FaqEntry | None:
        return next((e for e in self.faq if e.id == entry_id), None)


# -- validation helpers -----------------------------------------------------------------------------
def _req(d: dict, key: str, kind: type | tuple, file: str, entry: str | None = None) -> Any:
    if not isinstance(d, dict):
        raise DataError(file, entry, "expected a mapping")
    if key not in d or d[key] is None:
        raise DataError(file, entry, f"missing field '{key}'")
    value = d[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float, (int, float))):
        raise DataError(file, entry, f"field '{key}' must be {getattr(kind, '__name__', kind)}")
    if isinstance(value, str) and not value.strip():
        raise DataError(file, entry, f"field '{key}' is empty")
    return value


def _str_list(d: dict, key: str, file: str, entry: str | None, required: bool = False) -> tuple[str, ...]:
    value = d.get(key)
    if value is None:
        if required:
            raise DataError(file, entry, f"missing field '{key}'")
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise DataError(file, entry, f"field '{key}' must be a list of strings")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _parse_datetime(value: Any, file: str, entry: str) -> datetime:
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value))
        except ValueError:
            raise DataError(file, entry, f"not an ISO date-time: {value!r}") from None
    if not 2000 <= dt.year <= 2100:  # e.g. 9999-12-31: reminders and D-days would overflow
        raise DataError(file, entry, f"date out of range (2000-2100): {value!r}")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=TZ)
    return dt.astimezone(TZ)


def _parse_clock(value: Any, file: str, entry: str) -> time:
    text = str(value)
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise DataError(file, entry, f"'at' must be HH:MM, got {text!r}")
    return time(int(m[1]), int(m[2]))


def parse_slots(items: Any, file: str = "program.yaml") -> tuple[Slot, ...]:
    if not isinstance(items, list) or not items:
        raise DataError(file, "reminders", "must be a non-empty list of slots")
    slots, seen = [], set()
    for i, item in enumerate(items):
        entry = f"reminders[{i}]"
        slot_id = _req(item, "id", str, file, entry)
        if not ID_RE.match(slot_id) or slot_id in seen:
            raise DataError(file, entry, f"slot id {slot_id!r} must be a unique lowercase slug")
        seen.add(slot_id)
        if "hours_before" in item:
            hours = _req(item, "hours_before", (int, float), file, slot_id)
            if not 0 < hours <= 24 * 30:
                raise DataError(file, slot_id, "hours_before must be between 0 and 720")
            slots.append(Slot(slot_id, hours_before=float(hours)))
        else:
            days = _req(item, "days_before", int, file, slot_id)
            if not 0 <= days <= 60:
                raise DataError(file, slot_id, "days_before must be between 0 and 60")
            slots.append(Slot(slot_id, days_before=days, at=_parse_clock(item.get("at", "09:00"), file, slot_id)))
    return tuple(slots)


def parse_program(raw: Any, file: str = "program.yaml") -> Program:
    if not isinstance(raw, dict):
        raise DataError(file, None, "top level must be a mapping")
    funding = _req(raw, "funding", dict, file)
    application = _req(raw, "application", dict, file)
    organizers = _req(raw, "organizers", list, file)
    for i, org in enumerate(organizers):
        _req(org, "name", str, file, f"organizers[{i}]")
    exemption = _req(raw, "exemption", dict, file)
    _req(exemption, "what", str, file, "exemption")
    _req(exemption, "why", str, file, "exemption")
    pcts = {k: _req(funding, k, int, file, "funding") for k in ("government_max_pct", "demand_min_pct", "sme_min_pct")}
    if not all(0 <= v <= 100 for v in pcts.values()):
        raise DataError(file, "funding", "percentages must be between 0 and 100")
    if pcts["government_max_pct"] + pcts["demand_min_pct"] + pcts["sme_min_pct"] != 100:
        raise DataError(file, "funding", "government_max_pct + demand_min_pct + sme_min_pct must add up to 100")
    max_total = _req(funding, "max_total_krw", int, file, "funding")
    max_months = _req(funding, "max_months", int, file, "funding")
    if max_total <= 0 or max_months <= 0:
        raise DataError(file, "funding", "max_total_krw and max_months must be positive")
    documents = _str_list(application, "documents", file, "application", required=True)
    if not documents:
        raise DataError(file, "application", "documents must not be empty")
    if "deadline_time_confirmed" in application:
        raise DataError(file, "application", "deadline_time_confirmed is replaced by deadline_confirmed_by "
                        "and deadline_confirmed_at (who confirmed date and time, and when)")
    confirmed_by, confirmed_at = _confirmation(application, file)
    round_id = str(_req(raw, "round", (str, int), file))
    if not ROUND_RE.match(round_id):
        raise DataError(file, "round", f"round {round_id!r} must be a short id (letters, digits, . _ -)")
    written = application.get("deadline_as_written")
    if written is not None and (not isinstance(written, str) or not written.strip()):
        raise DataError(file, "application", "deadline_as_written must be the source's words, or left out")
    sources = _program_sources(raw, application, file)
    return Program(
        name=_req(raw, "name", str, file),
        short_name=raw.get("short_name") or raw["name"],
        parent_program=_req(raw, "parent_program", str, file),
        organizers=tuple(dict(o) for o in organizers),
        summary=_req(raw, "summary", str, file),
        purpose=_req(raw, "purpose", str, file),
        exemption=dict(exemption),
        discovery=_req(raw, "discovery", str, file),
        max_months=max_months,
        max_total=max_total,
        gov_pct=pcts["government_max_pct"],
        demand_pct=pcts["demand_min_pct"],
        sme_pct=pcts["sme_min_pct"],
        deadline=_parse_datetime(_req(application, "deadline", (str, datetime), file, "application"), file, "application"),
        deadline_confirmed_by=confirmed_by,
        deadline_confirmed_at=confirmed_at,
        system_name=_req(application, "system_name", str, file, "application"),
        system_short=_req(application, "system_short", str, file, "application"),
        documents=documents,
        how=_req(application, "how", str, file, "application"),
        contact=_req(raw, "contact", str, file),
        slots=parse_slots(raw.get("reminders"), file),
        round_id=round_id,
        deadline_as_written=written.strip() if written else None,
        sources=sources,
        source=str(raw.get("source", "")),
        raw=raw,
    )


def _confirmation(application: dict, file: str) -> tuple[str | None, str | None]:
    """(who, when) from ``deadline_confirmed_by``/``_at``: both given, or neither (provisional)."""
    by, at = application.get("deadline_confirmed_by"), application.get("deadline_confirmed_at")
    by = str(by).strip() if by is not None and str(by).strip() else None
    if isinstance(at, datetime | date):
        at = at.isoformat()
    at = str(at).strip() if at is not None and str(at).strip() else None
    if (by is None) != (at is None):
        raise DataError(file, "application", "deadline_confirmed_by and deadline_confirmed_at go together: "
                        "fill in both once staff have checked date and time, or leave both empty")
    if at is not None:
        try:
            datetime.fromisoformat(at)
        except ValueError:
            raise DataError(file, "application", f"deadline_confirmed_at is not a date: {at!r}") from None
    return by, at


def check_source(value: Any, file: str, entry: str | None) -> str:
    """A fact's source: a place in a published document ('기사 ...'), or 'staff: <who>, <YYYY-MM-DD>'."""
    if not isinstance(value, str) or not value.strip():
        raise DataError(file, entry, "missing source: say where in the article it is ('기사 ...'), "
                        "or who added it and when ('staff: 이름, YYYY-MM-DD')")
    text = value.strip()
    if text.lower().startswith("staff"):
        m = STAFF_SOURCE_RE.match(text)
        if not m:
            raise DataError(file, entry, f"staff source must be 'staff: <who>, <YYYY-MM-DD>[, note]': "
                            f"{text!r}")
        try:
            date.fromisoformat(m["when"])
        except ValueError:
            raise DataError(file, entry, f"staff source has no valid date: {text!r}") from None
    elif not text.startswith(SOURCE_DOCUMENTS):
        raise DataError(file, entry, f"source must start with one of {', '.join(SOURCE_DOCUMENTS)} "
                        f"(where in the published text) or 'staff:': {text!r}")
    return text


def _program_sources(raw: dict, application: dict, file: str) -> dict[str, str]:
    """Every programme fact present in the file has a source in ``sources``."""
    sources = raw.get("sources")
    if not isinstance(sources, dict):
        raise DataError(file, "sources", "missing: every fact needs a source (where in the article, "
                        "or staff)")
    present = [k for k in PROGRAM_FACTS if raw.get(k) is not None or application.get(k) is not None]
    for key in sources:
        if key not in PROGRAM_FACTS:
            raise DataError(file, f"sources.{key}",
                            f"not a programme fact (one of {', '.join(PROGRAM_FACTS)})")
    return {key: check_source(sources.get(key), file, f"sources.{key}") for key in present}


def _unique_id(item: Any, file: str, entry: str, seen: set[str]) -> str:
    """The entry's id: a lowercase slug not used before in the file (added to ``seen``)."""
    ident = _req(item, "id", str, file, entry)
    if not ID_RE.match(ident):
        raise DataError(file, entry, f"id {ident!r} must be a lowercase slug (a-z, 0-9, _)")
    if ident in seen:
        raise DataError(file, ident, "duplicate id")
    seen.add(ident)
    return ident


def parse_challenges(raw: Any, file: str = "challenges.yaml") -> tuple[Challenge, ...]:
    items = _req(raw, "challenges", list, file)
    out, seen = [], set()
    for i, item in enumerate(items):
        cid = _unique_id(item, file, f"challenges[{i}]", seen)
        out.append(
            Challenge(
                id=cid,
                company=_req(item, "company", str, file, cid),
                title=_req(item, "title", str, file, cid),
                summary=_req(item, "summary", str, file, cid),
                aliases=_str_list(item, "aliases", file, cid),
                keywords=_str_list(item, "keywords", file, cid),
                source=check_source(item.get("source"), file, cid),
                field_terms=_str_list(item, "field_terms", file, cid),
            )
        )
    if not out:
        raise DataError(file, None, "no challenges")
    return tuple(out)


def parse_faq(raw: Any, file: str = "faq.yaml", placeholders: tuple[str, ...] = PLACEHOLDERS) -> tuple[FaqEntry, ...]:
    items = _req(raw, "entries", list, file)
    out, seen = [], set()
    for i, item in enumerate(items):
        eid = _unique_id(item, file, f"entries[{i}]", seen)
        category = _req(item, "category", str, file, eid)
        if category not in FAQ_CATEGORIES:
            raise DataError(file, eid, f"category must be one of {', '.join(FAQ_CATEGORIES)}")
        answer = _answer_text(item, "answer", file, eid, placeholders)
        closed = ""
        if item.get("answer_closed"):
            closed = _answer_text(item, "answer_closed", file, eid, placeholders)
        uses = [name for name in DEADLINE_PLACEHOLDERS if f"{{{name}}}" in answer]
        if uses and not closed:
            raise DataError(file, eid, f"answer uses {{{uses[0]}}}: add answer_closed, the reply after the "
                            "deadline (no instructions to apply, no countdown)")
        abstain = item.get("abstain", False)
        until_confirmed = abstain == UNTIL_CONFIRMED
        if until_confirmed:
            abstain = True
        if not isinstance(abstain, bool):
            raise DataError(file, eid, f"abstain must be true, false or {UNTIL_CONFIRMED}")
        answers_claims = item.get("answers_claims", False)
        if not isinstance(answers_claims, bool):
            raise DataError(file, eid, "answers_claims must be true or false")
        out.append(
            FaqEntry(
                id=eid,
                category=category,
                question=_req(item, "question", str, file, eid).strip(),
                answer=answer,
                source=check_source(item.get("source"), file, eid),
                alternates=_str_list(item, "alternates", file, eid),
                keywords=_str_list(item, "keywords", file, eid),
                related=_str_list(item, "related", file, eid),
                abstain=abstain,
                abstain_until_confirmed=until_confirmed,
                triggers=_str_list(item, "triggers", file, eid),
                answer_closed=closed,
                answers_claims=answers_claims,
            )
        )
    if not out:
        raise DataError(file, None, "no entries")
    for e in out:
        for rid in e.related:
            if rid not in seen:
                raise DataError(file, e.id, f"related id {rid!r} does not exist")
    return tuple(out)


def _answer_text(item: dict, key: str, file: str, eid: str, placeholders: tuple[str, ...]) -> str:
    text = _req(item, key, str, file, eid).strip()
    for name in re.findall(r"\{([^{}]*)\}", text):
        if name not in placeholders:
            raise DataError(file, eid, f"unknown placeholder {{{name}}} in {key}")
    if re.search(r"[<>]", text):
        raise DataError(file, eid, f"{key} must be plain text (no < or >)")
    return text


_LIST_LINE = re.compile(r"^\s*•\s*(?P<company>[^:\n]+?)\s*:\s*(?P<title>.+?)\s*$", re.M)


def check_titles(faq: tuple[FaqEntry, ...], challenges: tuple[Challenge, ...],
                 file: str = "faq.yaml") -> None:
    """A '• 회사: 과제명' line in an answer names the challenge exactly as challenges.yaml does."""
    titles = {c.company: c.title for c in challenges}
    for entry in faq:
        for text in (entry.answer, entry.answer_closed):
            for m in _LIST_LINE.finditer(text):
                title = titles.get(m["company"])
                if title is not None and m["title"] != title:
                    raise DataError(file, entry.id, f"{m['company']}'s challenge title must be exactly "
                                    f"{title!r} (challenges.yaml), not {m['title']!r}")


def parse_synonyms(
    raw: Any, file: str = "synonyms.yaml"
) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...], tuple[str, ...]]:
    """(synonym groups, stopwords, out-of-scope terms)."""
    if raw is None:
        return {}, (), ()
    groups = raw.get("synonyms") or {} if isinstance(raw, dict) else None
    if not isinstance(groups, dict):
        raise DataError(file, "synonyms", "must be a mapping of canonical term to a list of variants")
    out = {}
    for canon, variants in groups.items():
        if not isinstance(variants, list):
            raise DataError(file, str(canon), "variants must be a list")
        out[str(canon)] = tuple(str(v) for v in variants if str(v).strip())
    stopwords = _str_list(raw, "stopwords", file, "stopwords")
    out_of_scope = _str_list(raw, "out_of_scope", file, "out_of_scope")
    return out, stopwords, out_of_scope


def parse_entities(raw: Any, file: str = "entities.yaml") -> dict[str, Any]:
    """Organisations, people, centres and other companies (see data/entities.yaml)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DataError(file, None, "top level must be a mapping")
    orgs, seen = [], set()
    for i, item in enumerate(raw.get("organizations") or []):
        oid = _unique_id(item, file, f"organizations[{i}]", seen)
        orgs.append({"id": oid, "name": _req(item, "name", str, file, oid),
                     "aliases": list(_str_list(item, "aliases", file, oid)),
                     "role": _req(item, "role", str, file, oid), "source": _req(item, "source", str, file, oid)})
    centres = raw.get("centres") or {}
    if not isinstance(centres, dict):
        raise DataError(file, "centres", "must be a mapping")
    centres_out = {key: list(_str_list(centres, key, file, "centres")) for key in
                   ("participating", "other_regions", "suffixes")}
    centres_out["source"] = str(centres.get("source", ""))
    groups = centres.get("region_groups") or {}
    if not isinstance(groups, dict) or not all(isinstance(v, list) and all(isinstance(r, str) for r in v) and v
                                               for v in groups.values()):
        raise DataError(file, "centres", "region_groups must map a name to a non-empty list of regions")
    centres_out["region_groups"] = {str(k): list(v) for k, v in groups.items()}
    others = raw.get("other_companies") or {}
    names = others.get("names") if isinstance(others, dict) else None
    if names is not None and (not isinstance(names, list) or not all(isinstance(g, list) and g for g in names)):
        raise DataError(file, "other_companies", "names must be a list of non-empty lists of names")
    other_orgs = raw.get("other_organizations") or {}
    org_names = other_orgs.get("names") if isinstance(other_orgs, dict) else None
    if org_names is not None and (not isinstance(org_names, list)
                                  or not all(isinstance(g, list) and g for g in org_names)):
        raise DataError(file, "other_organizations", "names must be a list of non-empty lists of names")
    people, seen_people = [], set()
    for i, item in enumerate(raw.get("people") or []):
        pid = _unique_id(item, file, f"people[{i}]", seen_people)
        people.append({"id": pid, "name": _req(item, "name", str, file, pid),
                       "aliases": list(_str_list(item, "aliases", file, pid)),
                       "roles": list(_str_list(item, "roles", file, pid)),
                       "entry": _req(item, "entry", str, file, pid), "source": _req(item, "source", str, file, pid),
                       # The source itself gives this person's contact (the reporter's e-mail).
                       "contact_in_source": bool(item.get("contact_in_source", False))})
    return {
        "organizations": orgs,
        "people": people,
        "other_organizations": {"names": [[str(n) for n in g] for g in org_names or []],
                                "source": str(other_orgs.get("source", "")) if isinstance(other_orgs, dict) else ""},
        "centres": centres_out,
        "other_companies": {"names": [[str(n) for n in g] for g in names or []],
                            "source": str(others.get("source", "")) if isinstance(others, dict) else ""},
        "company_suffixes": list(_str_list(raw, "company_suffixes", file, "company_suffixes")),
    }


def parse_intents(raw: Any, file: str = "intents.yaml") -> dict[str, tuple[str, ...]]:
    """Example phrasings of the intents that are not FAQ entries (and the cue word lists)."""
    if raw is None:
        return {}
    intents = raw.get("intents") if isinstance(raw, dict) else None
    if not isinstance(intents, dict):
        raise DataError(file, "intents", "must be a mapping of intent name to a list of phrasings")
    out = {name: _str_list(raw, name, file, name) for name in CUE_LISTS}
    cues = raw.get("calc_cues") or {}
    if not isinstance(cues, dict):
        raise DataError(file, "calc_cues", "must be a mapping of cue name to a list of words")
    for name in cues:
        out[f"calc_cues:{name}"] = _str_list(cues, name, file, f"calc_cues.{name}")
    for name in intents:
        if name not in EXTRA_INTENTS:
            raise DataError(file, str(name), f"unknown intent (known: {', '.join(EXTRA_INTENTS)})")
        out[name] = _str_list(intents, name, file, str(name), required=True)
    return out


def _read_yaml(path: Path) -> Any:
    try:
        if path.stat().st_size > yamlsafe.MAX_BYTES:
            raise DataError(path.name, None, f"file too large (at most {yamlsafe.MAX_BYTES:,} bytes)")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(path.name, None, "file not found") from None
    except UnicodeDecodeError:
        raise DataError(path.name, None, "not UTF-8 text") from None
    except OSError as exc:
        raise DataError(path.name, None, f"cannot read file: {exc.strerror or exc}") from None
    try:
        return yamlsafe.load(text)  # dates, huge numbers, nesting, aliases, size: all a YAMLError
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        raise DataError(path.name, where, f"invalid YAML: {getattr(exc, 'problem', None) or exc}") from None


def _parsed(parse, raw: Any, file: str):
    """Every malformed structure is a DataError naming the file (the parsers name the entry when they can)."""
    try:
        return parse(raw)
    except DataError:
        raise
    except (TypeError, AttributeError, KeyError, IndexError, ValueError, OverflowError, RecursionError) as exc:
        raise DataError(file, None, f"unexpected structure ({type(exc).__name__}: {str(exc)[:200]})") from None


def fingerprint(data_dir: Path) -> str:
    h = hashlib.sha256()
    for name in DATA_FILES:
        path = data_dir / name
        h.update(name.encode())
        try:
            h.update(path.read_bytes() if path.exists() else b"<missing>")
        except OSError as exc:
            raise DataError(name, None, f"cannot read file: {exc.strerror or exc}") from None
    return h.hexdigest()[:16]


def load_files(data_dir: Path) -> Content:
    """Load and validate every data file; raises :class:`DataError` naming file and entry."""
    program = _parsed(parse_program, _read_yaml(data_dir / "program.yaml"), "program.yaml")
    challenges = _parsed(parse_challenges, _read_yaml(data_dir / "challenges.yaml"), "challenges.yaml")
    faq = _parsed(parse_faq, _read_yaml(data_dir / "faq.yaml"), "faq.yaml")
    _parsed(lambda entries: check_titles(entries, challenges), faq, "faq.yaml")
    synonyms, stopwords, out_of_scope = _parsed(parse_synonyms, _read_yaml(data_dir / "synonyms.yaml"),
                                                "synonyms.yaml")
    entities = _parsed(parse_entities, _read_yaml(data_dir / "entities.yaml"), "entities.yaml")
    intents = _parsed(parse_intents, _read_yaml(data_dir / "intents.yaml"), "intents.yaml")
    return Content(program, challenges, faq, synonyms, stopwords, fingerprint(data_dir), out_of_scope,
                   entities, intents)


# -- Korean formatting ---------------------------------------------------------------------------------
def format_krw(amount: int) -> str:
    """350000000 -> '3억 5천만 원', 180000000 -> '1억 8천만 원', 35000000 -> '3,500만 원' (as Korean news and
    official notices write amounts: whole thousands of 만 as 천만, others in digits)."""
    if amount == 0:
        return "0원"
    eok, rest = divmod(int(amount), 100_000_000)
    man, won = divmod(rest, 10_000)
    parts = []
    if eok:
        parts.append(f"{eok:,}억")
    if man:
        if man % 1000 == 0:
            parts.append(f"{man // 1000}천만")
        else:
            parts.append(f"{man:,}만")
    if won:
        parts.append(f"{won:,}")
    return " ".join(parts) + (" 원" if not won else "원")


def format_krw_full(amount: int) -> str:
    """'1억 8천만 원(180,000,000원)'."""
    return f"{format_krw(amount)}({amount:,}원)"


_DIGIT_BATCHIM = set("013678")
_RIEUL = 8  # the final consonant ㄹ's index in a Hangul syllable


def josa(word: str, pair: str = "은/는") -> str:
    """The particle that fits after ``word``: josa('삼성전자') -> '는', josa('한미약품') -> '은'."""
    with_batchim, without = pair.split("/")
    last = word.strip()[-1:] or " "
    if "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
        # (a final ㄹ takes '로', not '으로': '개발로', '서울로')
        has = final != 0 and not (pair == "으로/로" and final == _RIEUL)
    elif last.isdigit():
        has = last in _DIGIT_BATCHIM
    else:
        has = _latin_batchim(word.strip())
    return with_batchim if has else without


def _latin_batchim(word: str) -> bool:
    """Whether an English word or acronym, read in Korean, ends in a final consonant: an acronym's last letter
    (KT 케이티 -> no, LG 엘지 -> no, CJ 씨제이 -> no, HHI ... ; 'L, M, N, R' 엘·엠·엔·알 -> yes), a word's
    '-ng', '-m', '-n', '-l(e)' (Samsung 삼성, Google 구글, Amazon 아마존 -> yes; Naver 네이버, Tesla -> no)."""
    if not word or not word[-1].isalpha():
        return False
    if word.isupper() and (len(word) <= 2 or not set("AEIOU") & set(word)):  # an acronym, read letter by letter
        return word[-1] in "LMNR"
    w = word.lower()
    return w.endswith(("ng", "m", "n", "l", "le"))


def format_clock(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def format_date(d: date | datetime) -> str:
    """'12월 26일(토)' (KST for datetimes)."""
    if isinstance(d, datetime):
        d = d.astimezone(TZ).date()
    return f"{d.month}월 {d.day}일({WEEKDAYS[d.weekday()]})"


def format_datetime(dt: datetime, with_year: bool = True) -> str:
    """'2026년 12월 26일(토) 18:00' in KST."""
    local = dt.astimezone(TZ)
    year = f"{local.year}년 " if with_year else ""
    return f"{year}{format_date(local)} {format_clock(local.timetz())}"


def days_left(deadline: datetime, now: datetime) -> int:
    """Calendar days from today (KST) to the deadline day: 0 on the day itself."""
    return (deadline.astimezone(TZ).date() - now.astimezone(TZ).date()).days


def dday_label(deadline: datetime, now: datetime) -> str:
    n = days_left(deadline, now)
    return "D-day" if n == 0 else (f"D-{n}" if n > 0 else f"D+{-n}")


def deadline_confirmation(program: Program) -> str:
    """For logs and the command line: ' (confirmed by X at Y)' or ' (PROVISIONAL: not confirmed by staff)'."""
    if program.deadline_confirmed:
        return f" (confirmed by {program.deadline_confirmed_by} at {program.deadline_confirmed_at})"
    return " (PROVISIONAL: not confirmed by staff; /set_deadline confirms it)"


def deadline_key(program: Program) -> str:
    """The deadline as a ledger and job key: '2026-12-26T18:00+09:00'."""
    return program.deadline.astimezone(TZ).isoformat(timespec="minutes")


def round_phase(program: Program, now: datetime) -> str:
    """PHASE_OPEN until the round's deadline, PHASE_CLOSED from it on."""
    return PHASE_CLOSED if now >= program.deadline else PHASE_OPEN


def deadline_label(program: Program, with_year: bool = False) -> str:
    """'12월 26일(토) 18:00 (잠정, 센터 확정 전)' until staff confirm it, then '12월 26일(토) 18:00'."""
    return format_datetime(program.deadline, with_year=with_year) + _provisional_mark(program)


def deadline_date_label(program: Program) -> str:
    """'12월 26일(토) (잠정, 센터 확정 전)' until staff confirm it, then '12월 26일(토)'."""
    return format_date(program.deadline) + _provisional_mark(program)


def _provisional_mark(program: Program) -> str:
    return "" if program.deadline_confirmed else texts.PROVISIONAL_MARK


def deadline_note(program: Program) -> str:
    """One sentence on where the deadline comes from: the source's words and that it is provisional,
    or that staff confirmed it."""
    when = format_datetime(program.deadline, with_year=False)
    if program.deadline_confirmed:
        return texts.DEADLINE_NOTE_CONFIRMED.format(deadline=when)
    if program.deadline_as_written:
        return texts.DEADLINE_NOTE_AS_WRITTEN.format(written=program.deadline_as_written, deadline=when)
    return texts.DEADLINE_NOTE_PROVISIONAL.format(deadline=when)


def deadline_status(program: Program, now: datetime) -> str:
    """Closed (no countdown), today with the time left, or days left; provisional deadlines say so."""
    deadline = program.deadline
    if round_phase(program, now) == PHASE_CLOSED:
        return texts.DEADLINE_CLOSED.format(deadline=deadline_label(program))
    confirmed = program.deadline_confirmed
    n = days_left(deadline, now)
    if n == 0:
        left = deadline - now
        hours, minutes = divmod(int(left.total_seconds()) // 60, 60)
        if hours:
            remain = texts.DURATION_HOURS_MINUTES.format(h=hours, m=minutes)
        else:
            remain = texts.DURATION_MINUTES.format(m=minutes)
        return (texts.DEADLINE_TODAY if confirmed else texts.DEADLINE_TODAY_PROVISIONAL).format(remain=remain)
    template = texts.DEADLINE_DAYS_LEFT if confirmed else texts.DEADLINE_DAYS_LEFT_PROVISIONAL
    return template.format(n=n)


_MONTHS_EN = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>20\d\d)\s*[-./년]\s*(?P<m>\d{1,2})\s*[-./월]\s*(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"),
    re.compile(r"(?<![\d.])(?P<m>\d{1,2})\s*/\s*(?P<d>\d{1,2})(?![\d억만천%])"),
    re.compile(r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*(?P<d>\d{1,2})(?!\d)", re.I),
)


def parse_date(text: str, default_year: int) -> date | None:
    """A calendar date written in the text: '12월 20일', '12/20', '2026-12-19', 'Dec 10'."""
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        parts = m.groupdict()
        month = _MONTHS_EN[parts["mon"][:3].lower()] if parts.get("mon") else int(parts["m"])
        year = int(parts["y"]) if parts.get("y") else default_year
        try:
            return date(year, month, int(parts["d"]))
        except ValueError:
            continue
    return None


# -- funding -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FundingSplit:
    total: int
    capped: bool            # the asked total was over the cap and the cap was used
    asked: int
    gov_max: int
    demand_min: int
    sme_min: int


def split_funding(program: Program, total: int) -> FundingSplit:
    used = min(total, program.max_total)
    return FundingSplit(
        total=used,
        capped=total > program.max_total,
        asked=total,
        gov_max=used * program.gov_pct // 100,
        demand_min=used * program.demand_pct // 100,
        sme_min=used * program.sme_pct // 100,
    )


def months_as_years(months: int) -> str:
    years, rest = divmod(months, 12)
    if not years:
        return f"{rest}개월"
    return f"{years}년" + (f" {rest}개월" if rest else "")


# -- Korean money expressions -------------------------------------------------------------------------
_HANGUL_DIGITS = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6, "칠": 7, "팔": 8, "구": 9}
_SMALL_UNITS = {"십": 10, "백": 100, "천": 1000}
_BIG_UNITS = {"만": 10_000, "억": 100_000_000}  # no 조: '구조' is not 9조
MAX_WON = 10**16  # larger "amounts" (hundreds of digits) are not money: ignored, never an overflow
_MONEY_SPAN = re.compile(
    r"(?:\d[\d,]*(?:\.\d+)?|[영공일이삼사오육륙칠팔구십백천만억])"
    r"(?:\s*(?:\d[\d,]*(?:\.\d+)?|[영공일이삼사오육륙칠팔구십백천만억]))*"
)


_MONEY_EN = re.compile(r"(?<![\w.])(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>m|mil|million|b|bn|billion|k)\b", re.I)
_EN_SCALE = {"m": 1_000_000, "b": 1_000_000_000, "k": 1_000}


def _parse_small(tokens: list[str | float]) -> float | None:
    """Parse a number below 10,000 from digits/hangul digits and 십/백/천."""
    total, current = 0.0, None
    for tok in tokens:
        if isinstance(tok, float):
            if current is not None:
                return None
            current = tok
        elif tok in _SMALL_UNITS:
            total += (1 if current is None else current) * _SMALL_UNITS[tok]
            current = None
        else:
            return None
    if current is not None:
        total += current
    return total


def _tokenize_number(span: str) -> list[str | float]:
    tokens: list[str | float] = []
    for m in re.finditer(r"\d[\d,]*(?:\.\d+)?|\S", span):
        t = m.group()
        if t[0].isdigit():
            tokens.append(float(t.replace(",", "")))
        elif t in _HANGUL_DIGITS:
            tokens.append(float(_HANGUL_DIGITS[t]))
        else:
            tokens.append(t)
    return tokens


def _parse_span(span: str) -> tuple[int, bool] | None:
    """Value of one number span, and whether it carried a unit (만/억/천...)."""
    tokens = _tokenize_number(span)
    # A hangul digit not followed by a unit is a particle or a word (3억'이'면, '사'업비): drop it.
    cleaned: list[str | float] = []
    for i, tok in enumerate(tokens):
        if isinstance(tok, float) and not re.match(r"\d", _raw_piece(span, i)):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if not (isinstance(nxt, str) and (nxt in _SMALL_UNITS or nxt in _BIG_UNITS)):
                break
        cleaned.append(tok)
    tokens = cleaned
    if not tokens:
        return None
    has_unit = any(isinstance(t, str) for t in tokens)
    total, group = 0.0, []
    last_big = None
    for tok in tokens:
        if isinstance(tok, str) and tok in _BIG_UNITS:
            small = _parse_small(group) if group else 1.0
            if small is None:
                return None
            total += small * _BIG_UNITS[tok]
            last_big = tok
            group = []
        else:
            group.append(tok)
    if group:
        small = _parse_small(group)
        if small is None:
            return None
        if last_big == "억" and any(t in _SMALL_UNITS for t in group if isinstance(t, str)):
            small *= 10_000  # "3억 5천" means 3억 5천만
        elif last_big is None and group and group[-1] == "천" and len(group) <= 2 and re.match(r"\d", span):
            small *= 10_000  # a bare "5천" in a budget question means 5천만 (but '이천' is a city)
        total += small
    if not math.isfinite(total) or total > MAX_WON:
        return None  # '9' * 400 + '억': not an amount anyone budgets
    return int(round(total)), has_unit


def _raw_piece(span: str, index: int) -> str:
    pieces = re.findall(r"\d[\d,]*(?:\.\d+)?|\S", span)
    return pieces[index] if index < len(pieces) else ""


def parse_krw(text: str) -> int | None:
    """Find a Korean money expression in ``text`` and return its value in won.

    Understands '3억', '3억 5천', '3억5천만원', '2.5억', '350,000,000원', '삼억', '5천만 원', '3억원이면'.
    Returns None when the text holds no money amount (plain numbers like '60%' or '14개월' are ignored).
    """
    best = None
    for m in _MONEY_EN.finditer(text):  # '150M won', '1.5 million', '0.35 billion'
        amount = float(m["n"].replace(",", "")) * _EN_SCALE[m["u"].lower()[0]]
        if not math.isfinite(amount) or amount > MAX_WON:
            continue
        value = int(round(amount))
        best = value if best is None else max(best, value)
    for m in _MONEY_SPAN.finditer(text):
        span = m.group().strip()
        after = text[m.end():m.end() + 2].lstrip()
        parsed = _parse_span(span)
        if not parsed:
            continue
        value, has_unit = parsed
        if not re.search(r"[\d영공일이삼사오육륙칠팔구]", span) and not re.fullmatch(r"[십백천]+[만억]", span):
            continue  # unit words without a numeral: '만약', '천천히' (but '천만', '십억' are amounts)
        if span[0] in "만억조":
            continue  # a big unit with no figure before it ('몇 억 이에요': the copula's 이 is no 2)
        if after.startswith(("%", "퍼", "프로", "개", "달", "년", "월", "일", "곳", "시", "분", "명", "건", "가", "번")):
            if not has_unit:
                continue
            # '3.5억 14개월': the last number counts months, not won.
            head = re.sub(r"\s+[\d,.]+$", "", span)
            if head != span:
                parsed = _parse_span(head)
                if not parsed:
                    continue
                value, has_unit = parsed
        if not has_unit and not after.startswith("원") and value < 1_000_000:
            continue
        if value < 10_000:
            continue
        if best is None or value > best:
            best = value
    return best
