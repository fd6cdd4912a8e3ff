"""What kind of question a whole message is: answerable from the source, about this programme but not in
the source, off-topic, or small talk (the contract's kinds), learned from labelled example questions.

The answer pipeline decides the kind from its intents, entities and staff-listed terms; it goes wrong in
ways no single rule sees (a question about a detail beyond an entry, 'the exact scope of "정당한 사유"',
gets that entry; an off-topic question sharing a word with a challenge gets that challenge). This model is
trained on a few thousand questions people wrote and labelled by kind (``data/question_kinds.jsonl``:
the project's development question sets, exported by ``bench/export_kinds.py``; never its sealed sets),
and overrides the pipeline's kind only when it is very sure and the pipeline's reply is of another kind
(see :meth:`bot.answer.Answerer._checked_kind`). Fitted without the sets it is measured on (eight folds of
whole development sets, ``bench/kinds_cv.py``), it turned 39 of 11,509 replies right (16 off-topic, 19 not
in the source, 4 small talk) and none wrong.

The model is the intent model's Complement Naive Bayes over word and character n-gram features of the
normalised text (no tagger: the examples are many and the features cheap). Fitting on the examples takes
one to two seconds, more than a start may spend, so the fitted arrays (not the training documents) ship
beside the examples (``data/question_kinds.npz``, written with them by ``bench/export_kinds.py``) and are
loaded in a few tens of milliseconds. Each saved model holds the hash of the examples it was fitted on:
when staff edit the examples, the shipped model no longer matches, and the bot fits a new one at its
next start and keeps it in the cache folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

from bot.intents import IntentModel
from bot.korean import char_ngrams, normalize

log = logging.getLogger(__name__)

FILE = "question_kinds.jsonl"
MODEL_FILE = "question_kinds.npz"   # the fitted model shipped beside the examples (bench/export_kinds.py)
KINDS = ("in", "out", "nis", "smalltalk")
VERSION = "1"          # of the features: a change makes earlier saved models stale
QUESTION_MAX = 2000    # characters of one example
MIN_DF = 2             # features of a single example are not kept (they are 60 % of the vocabulary)


def features(text: str) -> Counter:
    t = normalize(text)
    feats = Counter("w:" + w for w in t.split())
    feats.update("c:" + g for g in char_ngrams(t, 2))
    feats.update("t:" + g for g in char_ngrams(t, 3))
    return feats


def read_examples(path: Path, raw: bytes | None = None) -> list[tuple[str, str]]:
    """The labelled examples (of ``raw``, the file's bytes when already read); a malformed line is skipped
    with a warning naming it (the rest still teach)."""
    examples, problems = parse_examples(path.read_bytes() if raw is None else raw)
    for problem in problems:
        where, _, why = problem.partition(": ")
        log.warning("%s %s skipped: %s", path.name, where, why)
    return examples


def parse_examples(raw: bytes) -> tuple[list[tuple[str, str]], list[str]]:
    """(the examples, one 'line N: why' for each malformed line); raises UnicodeDecodeError."""
    examples, problems = [], []
    for n, line in enumerate(raw.decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            missing = [k for k in ("q", "kind") if not isinstance(row, dict) or k not in row]
            if missing:
                raise ValueError(f"missing field '{missing[0]}'")
            q, kind = row["q"], row["kind"]
            if not isinstance(q, str) or not q.strip() or len(q) > QUESTION_MAX or kind not in KINDS:
                raise ValueError(f"'q' must be a text of 1-{QUESTION_MAX} characters and 'kind' one of {KINDS}")
        except (ValueError, TypeError) as exc:
            problems.append(f"line {n}: {exc}")
            continue
        examples.append((q, kind))
    return examples, problems


def check(data_dir: Path) -> tuple[bool, str]:
    """For `python -m bot data check`: (the examples are usable, one line saying what was found)."""
    path = data_dir / FILE
    if not path.exists():
        return True, f"{FILE}: none (answers go without the kind check)"
    try:
        raw = path.read_bytes()
        examples, problems = parse_examples(raw)
    except (OSError, UnicodeDecodeError) as exc:
        return False, f"{FILE}: cannot read ({exc})"
    if problems:
        return False, f"{FILE}: {len(problems)} malformed line(s), first {problems[0]}"
    counts = {k: sum(1 for _, kind in examples if kind == k) for k in KINDS}
    if not all(counts.values()):
        return False, f"{FILE}: needs examples of every kind ({', '.join(f'{k} {n}' for k, n in counts.items())})"
    fitted = KindModel._saved(data_dir / MODEL_FILE, KindModel.key(raw)) is not None
    return True, (f"{FILE}: {len(examples)} examples ({', '.join(f'{k} {n}' for k, n in counts.items())}); "
                  + ("the shipped model matches them" if fitted else
                     "the shipped model was fitted on other examples: the bot fits a new one at its next start"))


class KindModel:
    def __init__(self, model: IntentModel) -> None:
        self.model = model

    @staticmethod
    def key(raw: bytes) -> str:
        """The examples' hash (and the features' version): which examples a saved model was fitted on."""
        return hashlib.sha256(raw + f"|{VERSION}|{MIN_DF}".encode()).hexdigest()[:16]

    @classmethod
    def load(cls, data_dir: Path, cache_dir: Path | None) -> KindModel | None:
        """The model of ``data_dir``'s examples: saved (in the cache, or shipped beside the examples) when a
        saved one was fitted on these examples, else fitted now (and kept in the cache). None, and the
        answers go without it, when there are no usable examples."""
        path = data_dir / FILE
        try:
            raw = path.read_bytes()
        except OSError as exc:
            log.warning("No question-kind examples (%s): answers go without the kind check", exc)
            return None
        key = cls.key(raw)
        saved = cache_dir / f"kinds-{key}.npz" if cache_dir is not None else None
        for candidate in (saved, data_dir / MODEL_FILE):
            model = cls._saved(candidate, key)
            if model is not None:
                return model
        try:
            examples = read_examples(path, raw)
        except UnicodeDecodeError as exc:
            log.error("Cannot read %s (%s): answers go without the kind check", path, exc)
            return None
        if len({kind for _, kind in examples}) < len(KINDS):
            log.error("%s has no examples of some kind (needs all of %s): answers go without the kind check",
                      path.name, ", ".join(KINDS))
            return None
        log.info("Fitting the question-kind model on %d examples (%s changed since its model was saved)",
                 len(examples), path.name)
        state = cls.fit(examples, key)
        if saved is not None:
            cls.save(state, saved)
        return cls(IntentModel.from_state(features, state))

    @classmethod
    def _saved(cls, path: Path | None, key: str) -> KindModel | None:
        if path is None or not path.exists():
            return None
        try:
            with np.load(path) as state:
                if str(state["key"]) != key:
                    return None   # fitted on other examples
                return cls(IntentModel.from_state(features, state))
        except (OSError, ValueError, KeyError, EOFError) as exc:
            log.warning("Saved question-kind model %s unreadable (%s): not used", path, exc)
            return None

    @staticmethod
    def fit(examples: list[tuple[str, str]], key: str) -> dict[str, np.ndarray]:
        """The fitted arrays (features of a single example left out), with the examples' ``key``."""
        return {**IntentModel(features, examples).state(MIN_DF), "key": np.array(key)}

    @staticmethod
    def save(state: dict[str, np.ndarray], path: Path) -> None:
        """Write atomically (earlier saved models in the cache folder are removed)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.name.startswith("kinds-"):
                for old in path.parent.glob("kinds-*.npz"):
                    old.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".kinds-", suffix=".npz")
            with os.fdopen(fd, "wb") as f:
                np.savez_compressed(f, **state)
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("Could not keep the question-kind model in %s: %s", path, exc)

    def probs(self, text: str) -> dict[str, float]:
        return dict(self.model.predict(text).ranked)
