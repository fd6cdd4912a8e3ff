"""Keeps the programme content current: data files -> store -> typed content -> search index.

The store holds the effective content. Data files are imported when they change (by fingerprint)
or when the store is empty; staff edits made in the chat (a moved or confirmed deadline, phrasings
attached to FAQ entries) are written to the store and re-applied after every import: taught phrasings
always, the deadline as long as the files still hold the deadline it replaced.
A bad file never replaces good data: the error names file and entry, and the last good content
stays in use.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from bot import yamlsafe
from bot.faq import FaqIndex
from bot.korean import Analyzer
from bot.program import (
    CUE_LISTS,
    UNTIL_CONFIRMED,
    Content,
    DataError,
    check_titles,
    fingerprint,
    load_files,
    parse_challenges,
    parse_entities,
    parse_faq,
    parse_intents,
    parse_program,
    parse_synonyms,
)
from bot.store import Store

log = logging.getLogger(__name__)

FINGERPRINT_KEY = "data_fingerprint"
SYNONYMS_KEY = "synonyms"
ENTITIES_KEY = "entities"
INTENTS_KEY = "intents"
FILE_DEADLINE_KEY = "file_deadline"          # the deadline as the data files last had it
DEADLINE_OVERRIDE_KEY = "deadline_override"  # a staff /set_deadline, and the file deadline it replaced
FAQ_EXPORT_FIELDS = ("id", "category", "question", "alternates", "keywords", "answer", "answer_closed",
                     "source", "related", "abstain", "triggers", "answers_claims")


def _challenge_dict(c) -> dict[str, Any]:
    return {"id": c.id, "company": c.company, "aliases": list(c.aliases), "title": c.title,
            "summary": c.summary, "keywords": list(c.keywords), "source": c.source,
            "field_terms": list(c.field_terms)}


def faq_dict(e) -> dict[str, Any]:
    return {"id": e.id, "category": e.category, "question": e.question, "alternates": list(e.alternates),
            "keywords": list(e.keywords), "answer": e.answer, "source": e.source, "related": list(e.related),
            "abstain": UNTIL_CONFIRMED if e.abstain_until_confirmed else e.abstain,
            "answer_closed": e.answer_closed, "triggers": list(e.triggers), "answers_claims": e.answers_claims}


def intents_dict(intents: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """Parsed intents back into the shape of data/intents.yaml (for the store)."""
    return {
        "intents": {k: list(v) for k, v in intents.items() if k not in CUE_LISTS and not k.startswith("calc_cues:")},
        **{name: list(intents.get(name, ())) for name in CUE_LISTS},
        "calc_cues": {k.split(":", 1)[1]: list(v) for k, v in intents.items() if k.startswith("calc_cues:")},
    }


def _deadline_fields(program) -> dict[str, Any]:
    return {"round": program.round_id, "deadline": program.deadline.isoformat(),
            "confirmed_by": program.deadline_confirmed_by, "confirmed_at": program.deadline_confirmed_at}


class ContentManager:
    def __init__(self, store: Store, data_dir: Path, backend=None, cache_dir: Path | None = None) -> None:
        self.store = store
        self.data_dir = data_dir
        self.cache_dir = cache_dir
        self._backend = backend
        self.content: Content | None = None
        self.index: FaqIndex | None = None
        self.last_error: str | None = None
        self.listeners: list[Callable[[Content | None, Content], None]] = []

    # -- loading --------------------------------------------------------------------------------
    def load(self, force_files: bool = False) -> Content:
        """Import the data files if they changed (or ``force_files``), then build from the store.

        Raises :class:`DataError` only when there is no good content at all to fall back on.
        """
        try:
            current = fingerprint(self.data_dir)
            if force_files or not self.store.has_content() or self.store.get_meta(FINGERPRINT_KEY) != current:
                self._import_files()
            self.last_error = None
        except DataError as exc:
            self.last_error = str(exc)
            if not self.store.has_content() and self.content is None:
                raise
            log.error("Data files rejected, keeping the last good data: %s", exc)
        return self._rebuild_from_store()

    def _import_files(self) -> None:
        files = load_files(self.data_dir)  # validates everything before anything is written
        file_deadline = json.dumps(_deadline_fields(files.program), ensure_ascii=False)
        self.store.replace_content(
            program=files.program.raw,
            challenges=[_challenge_dict(c) for c in files.challenges],
            faq=[faq_dict(e) for e in files.faq],
            meta={
                FINGERPRINT_KEY: files.fingerprint,
                SYNONYMS_KEY: json.dumps(
                    {"synonyms": {k: list(v) for k, v in files.synonyms.items()},
                     "stopwords": list(files.stopwords), "out_of_scope": list(files.out_of_scope)},
                    ensure_ascii=False,
                ),
                ENTITIES_KEY: json.dumps(files.entities, ensure_ascii=False),
                INTENTS_KEY: json.dumps(intents_dict(files.intents), ensure_ascii=False),
                FILE_DEADLINE_KEY: file_deadline,
            },
        )
        for entry_id, text in self.store.learned_phrasings():
            self.store.add_learned_phrasing(entry_id, text)
        override = json.loads(self.store.get_meta(DEADLINE_OVERRIDE_KEY) or "null")
        if override and override.get("basis") == json.loads(file_deadline):
            self.store.set_program_value("application", override["application"])  # staff's edit still applies
        elif override:
            log.info("The data files changed the deadline; the earlier /set_deadline no longer applies")
            self.store.set_meta(DEADLINE_OVERRIDE_KEY, None)
        log.info("Imported data files (%d challenges, %d FAQ entries)", len(files.challenges), len(files.faq))

    def _rebuild_from_store(self) -> Content:
        previous = self.content
        raw_program = self.store.get_program()
        raw_program.get("application", {}).pop("deadline_time_confirmed", None)  # written by older versions
        program = parse_program(raw_program, file="store:program")
        challenges = parse_challenges({"challenges": self.store.get_challenges()}, file="store:challenges")
        faq = parse_faq({"entries": self.store.get_faq()}, file="store:faq")
        syn_raw = json.loads(self.store.get_meta(SYNONYMS_KEY) or "{}")
        synonyms, stopwords, out_of_scope = parse_synonyms(syn_raw, file="store:synonyms")
        entities = parse_entities(json.loads(self.store.get_meta(ENTITIES_KEY) or "{}"), file="store:entities")
        intents = parse_intents(json.loads(self.store.get_meta(INTENTS_KEY) or '{"intents": {}}'), file="store:intents")
        content = Content(program, challenges, faq, synonyms, stopwords,
                          self.store.get_meta(FINGERPRINT_KEY) or "", out_of_scope, entities, intents)
        self.content = content
        self.index = FaqIndex(content, self._analyzer(synonyms, stopwords))
        for listener in self.listeners:
            listener(previous, content)
        return content

    def _analyzer(self, synonyms, stopwords) -> Analyzer:
        """The previous analyser (and its cache of analyses) while the synonyms and stopwords stay."""
        previous = self.index.analyzer if self.index is not None else None
        if previous is not None and previous.source == (synonyms, stopwords):
            return previous
        analyzer = Analyzer(synonyms, stopwords, backend=self._backend_instance())
        analyzer.source = (synonyms, stopwords)
        if self.cache_dir is not None:
            analyzer.load_analyses(self.cache_dir)  # saved once every phrasing is featurised (Understander)
        return analyzer

    def _backend_instance(self):
        if self._backend is None and self.index is not None:
            return self.index.analyzer.backend  # reuse the loaded analyser
        return self._backend

    def reload(self) -> tuple[bool, str | None]:
        """Staff reload: re-read the files. Returns (ok, error message)."""
        try:
            self._import_files()
        except DataError as exc:
            log.error("Reload rejected, keeping the last good data: %s", exc)
            return False, str(exc)
        self._rebuild_from_store()
        return True, None

    # -- staff edits ----------------------------------------------------------------------------
    def set_deadline(self, deadline: datetime, confirmed_by: str, confirmed_at: datetime) -> Content:
        """Staff set and confirm the deadline (date and time). Kept across reloads until the data files
        themselves change the deadline."""
        assert self.content is not None
        program = self.content.program.with_deadline(
            deadline, confirmed_by=confirmed_by, confirmed_at=confirmed_at.isoformat(timespec="minutes"))
        application = program.raw["application"]
        basis = json.loads(self.store.get_meta(FILE_DEADLINE_KEY) or "null")
        self.store.set_program_value("application", application)
        self.store.set_meta(DEADLINE_OVERRIDE_KEY, json.dumps({"basis": basis, "application": application},
                                                              ensure_ascii=False))
        return self._rebuild_from_store()

    def attach_phrasing(self, entry_id: str, text: str) -> bool:
        if not self.store.add_learned_phrasing(entry_id, text):
            return False
        self._rebuild_from_store()
        return True

    def export_faq(self) -> list[dict[str, Any]]:
        return [{k: e[k] for k in FAQ_EXPORT_FIELDS} for e in self.store.get_faq()]

    def import_faq(self, path: Path) -> int:
        """Validate a JSON (or YAML) FAQ export and replace the FAQ atomically."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(path.name, None, f"cannot read file: {exc}") from None
        try:
            raw = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            try:
                raw = yamlsafe.load(text)  # (YAML is a superset of JSON: deep JSON nesting is caught here)
            except yaml.YAMLError as exc:
                raise DataError(path.name, None, f"neither JSON nor YAML: {exc}") from None
        if isinstance(raw, list):
            raw = {"entries": raw}
        try:
            entries = parse_faq(raw, file=path.name)
        except (TypeError, AttributeError, KeyError, ValueError) as exc:
            raise DataError(path.name, None, f"unexpected structure ({type(exc).__name__}: {exc})") from None
        if self.content is not None:
            check_titles(entries, self.content.challenges, file=path.name)
        self.store.replace_content(faq=[faq_dict(e) for e in entries])
        self._rebuild_from_store()
        return len(entries)

