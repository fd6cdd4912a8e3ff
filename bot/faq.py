"""The FAQ index: ranks FAQ entries and challenges for a Korean chat question.

Every entry is indexed through each of its phrasings (question, alternates, keywords; for a
challenge: company, aliases, title, summary, keywords). Two BM25 indexes (bm25s) score a question:
one over content morphemes and one over character bigrams (robust to missing spaces and typos).
Each index's score is normalised by what the question would score against itself, so scores are
comparable across questions; an entry's score is its best phrasing's. Alongside the ranking the
index reports how much of the question is foreign to the domain (``oov``), which the answer layer
uses to abstain.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import bm25s
import numpy as np

from bot import texts
from bot.korean import GENERIC_NOUNS, Analyzer, char_ngrams, is_salient_noun, normalize
from bot.program import Content

K1, B = 1.2, 0.75
MORPH_WEIGHT = 0.6  # the bigram channel gets the rest
TOPIC_KNOWN = 0.25  # share of a described technology's words that some challenge must know
PROGRAMME_DF = 8  # a word in this many entries' phrasings is the programme's, not a challenge's topic
DESCRIBED_KNOWN = 0.1  # ... when the question says it describes the asking company ('저희는 ... 만들어요')


@dataclass(frozen=True)
class Match:
    key: str          # "faq:<id>" or "ch:<id>"
    score: float      # combined, roughly 0..1
    morph: float
    bigram: float

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def id(self) -> str:
        return self.key.split(":", 1)[1]


@dataclass
class SearchResult:
    query: str
    matches: list[Match]
    morphemes: list[str]
    oov: float                  # IDF-weighted share of the question's topic nouns unknown to the domain
    unknown: list[str] = field(default_factory=list)

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    def top(self, n: int) -> list[Match]:
        return self.matches[:n]


class _Channel:
    """One BM25 index over one kind of token."""

    def __init__(self, docs: list[list[str]]) -> None:
        self.retriever = bm25s.BM25(k1=K1, b=B, method="lucene")
        self.retriever.index([d if d else [""] for d in docs], show_progress=False)
        self.n_docs = len(docs)
        df: Counter[str] = Counter()
        for d in docs:
            df.update(set(d))
        self.idf = {t: math.log(1 + (self.n_docs - n + 0.5) / (n + 0.5)) for t, n in df.items()}
        self.avgdl = max(1.0, sum(len(d) for d in docs) / max(1, len(docs)))

    def scores(self, tokens: list[str]) -> np.ndarray:
        known = [t for t in tokens if t in self.idf]
        if not known:
            return np.zeros(self.n_docs, dtype=np.float32)
        raw = self.retriever.get_scores(known)
        return raw / self.self_score(known)

    def self_score(self, tokens: list[str]) -> float:
        """Score of the question against itself as a document: the normaliser."""
        tf = Counter(tokens)
        length = len(tokens)
        norm = K1 * (1 - B + B * length / self.avgdl)
        return sum(self.idf[t] * (n * (K1 + 1)) / (n + norm) for t, n in tf.items()) or 1.0


class FaqIndex:
    def __init__(self, content: Content, analyzer: Analyzer | None = None) -> None:
        started = time.perf_counter()
        self.content = content
        self.analyzer = analyzer or Analyzer(content.synonyms, content.stopwords)
        self.labels: dict[str, str] = {}
        phrasings: list[tuple[str, str]] = []
        for e in content.faq:
            key = f"faq:{e.id}"
            self.labels[key] = e.question
            phrases = [e.question, *e.alternates, *e.keywords, " ".join([e.question, *e.keywords])]
            phrasings += [(key, t) for t in phrases]
        for c in content.challenges:
            key = f"ch:{c.id}"
            self.labels[key] = texts.CHALLENGE_LABEL.format(company=c.company)
            phrases = [
                c.company, *c.aliases, c.title, c.summary, *c.keywords,
                f"{c.company} 과제", f"{c.company} {c.title}",
            ]
            phrasings += [(key, t) for t in phrases]
        p = content.program
        program_texts = [p.name, p.parent_program, p.summary, p.purpose, p.discovery, p.how, p.contact,
                         *p.exemption.values(), *p.documents, p.system_name, p.system_short,
                         *(o.get("name", "") + " " + o.get("role", "") for o in p.organizers),
                         *content.synonyms]

        # Every text is analysed once, without typo correction (there is no vocabulary yet).
        morph_docs, bigram_docs = [], []
        for _, text in phrasings:
            morphs, bigrams = self.analyzer.tokens(text, correct=False)
            morph_docs.append(morphs)
            bigram_docs.append(bigrams)
        answer_tokens = {f"faq:{e.id}": self.analyzer.tokens(e.answer, correct=False, cache=False)[0]
                         for e in content.faq}

        # The domain vocabulary (for typo correction and unknown-noun detection).
        vocab: set[str] = set()
        for text in program_texts:
            vocab.update(self.analyzer.tokens(text, correct=False, cache=False)[0])
        for doc in (*morph_docs, *answer_tokens.values()):
            vocab.update(doc)
        # The staff's trigger words of the honest entries ('업력', 'RFP', '신용등급') are questions about
        # this programme that the source leaves open: in scope, so not unknown words.
        for e in content.faq:
            for trigger in e.triggers:
                vocab.update(self.analyzer.tokens(trigger, correct=False)[0])
        # The words of questions about challenges and arithmetic, and the cue words ('월평균', '맞는 과제'),
        # belong to the domain too (small talk and off-topic examples do not).
        for name, examples in content.intents.items():
            if name == "challenge" or name.startswith("calc_") or name.endswith("_cues"):
                for text in examples:  # cached: the intent model analyses these phrasings again
                    vocab.update(self.analyzer.tokens(text, correct=False)[0])
        self.analyzer.set_vocabulary(vocab)
        self.domain_vocab = vocab

        self.keys = [k for k, _ in phrasings]
        self.entry_keys = list(dict.fromkeys(self.keys))
        entry_pos = {k: i for i, k in enumerate(self.entry_keys)}
        self._doc_entry = np.array([entry_pos[k] for k in self.keys])
        assert np.all(np.diff(self._doc_entry) >= 0), "phrasings of an entry must be contiguous"
        self._entry_starts = np.flatnonzero(np.r_[True, np.diff(self._doc_entry) != 0])
        self.morph = _Channel(morph_docs)
        self.bigram = _Channel(bigram_docs)
        self.max_idf = max(self.morph.idf.values(), default=1.0)
        self.build_seconds = time.perf_counter() - started
        self.analyzer.release_pages()  # the build touched much of the dictionary

    def _per_entry_max(self, doc_scores: np.ndarray) -> np.ndarray:
        # An entry's phrasings are contiguous, so each entry's best is one reduceat segment.
        return np.maximum.reduceat(doc_scores, self._entry_starts).astype(np.float32)

    def oov_share(self, tagged: list[tuple[str, str]]) -> tuple[float, list[str]]:
        """IDF-weighted share of the question's topic nouns that the domain has never seen."""
        nouns = {form for form, tag in tagged if is_salient_noun(form, tag)}
        if not nouns:
            return 0.0, []
        unknown = sorted(n for n in nouns if n not in self.domain_vocab)
        weights = {n: self.morph.idf.get(n, self.max_idf) for n in nouns}
        total = sum(weights.values())
        return sum(weights[n] for n in unknown) / total, unknown

    def search(self, question: str, limit: int = 5) -> SearchResult:
        tagged, bigrams = self.analyzer.analyze(question)
        morphs = [form for form, _ in tagged]
        m = self._per_entry_max(self.morph.scores(morphs))
        b = self._per_entry_max(self.bigram.scores(bigrams))
        combined = MORPH_WEIGHT * m + (1 - MORPH_WEIGHT) * b
        order = np.argsort(-combined)[:limit]
        matches = [
            Match(self.entry_keys[i], float(combined[i]), float(m[i]), float(b[i]))
            for i in order
            if combined[i] > 0
        ]
        oov, unknown = self.oov_share(tagged)
        return SearchResult(normalize(question), matches, morphs, oov, unknown)


class ChallengeMatcher:
    """Which challenges fit a described technology or industry, from the challenge data alone.

    One document per challenge (title, summary and staff keywords together, so several matching
    words add up), scored with BM25 over morphemes and character bigrams. The words people use to
    *ask* ('저희 회사', '맞는 과제', '기술', '있을까요': the phrasings of the ``challenge`` intent)
    are left out of the question first, so only what the question says about the technology counts.
    """

    def __init__(self, content: Content, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.challenges = list(content.challenges)
        morph_docs, bigram_docs = [], []
        for c in self.challenges:
            text = " ".join([c.title, c.summary, *c.keywords, *c.field_terms])
            morphs, _ = analyzer.tokens(text, correct=False)
            morph_docs.append(morphs)
            bigram_docs.append([g for m in morphs for g in char_ngrams(m, 2)])
        self.words = {c.id: set(doc) for c, doc in zip(self.challenges, morph_docs, strict=True)}
        self._match = lru_cache(maxsize=256)(self._match_uncached)  # several steps ask about the same text
        self.morph = _Channel(morph_docs)
        self.bigram = _Channel(bigram_docs)
        template: set[str] = set()
        for phrasing in (*content.intents.get("challenge", ()), *content.intents.get("challenge_cues", ())):
            template.update(analyzer.tokens(phrasing, correct=False)[0])
        # Asking words only: a word that describes some challenge stays a topic word (but '과제' itself,
        # a challenge cue, says nothing about which challenge).
        cues = {t for c in content.intents.get("challenge_cues", ()) for t in analyzer.tokens(c, correct=False)[0]}
        self.template = (template - {t for doc in morph_docs for t in doc}) | cues
        # The programme's own words ('지원', in many entries' phrasings) say nothing about which challenge,
        # even where a staff field term uses them ('원격 지원'), unless a title or summary does.
        entry_df: Counter = Counter()
        for e in content.faq:
            entry_df.update({t for text in (e.question, *e.alternates) for t in analyzer.tokens(text, correct=False)[0]})
        own = {t for c in self.challenges for t in analyzer.tokens(f"{c.title} {c.summary}", correct=False)[0]}
        self.template |= {t for t, n in entry_df.items() if n >= PROGRAMME_DF} - own
        analyzer.release_pages()

    def topic_tokens(self, text: str) -> list[str]:
        return [m for m in self.analyzer.tokens(text)[0] if m not in self.template and m not in GENERIC_NOUNS]

    def match(self, text: str, known_share: float = TOPIC_KNOWN) -> list[tuple[str, float]]:
        return self._match(text, known_share)

    def _match_uncached(self, text: str, known_share: float) -> list[tuple[str, float]]:
        """(challenge id, score 0..1) best first, for the topic words of ``text`` (``known_share``:
        how many of them some challenge must know; lower when the question says it describes a
        company, whose own technical words are expected to be new)."""
        morphs = self.topic_tokens(text)
        if not morphs:
            return []
        m = self.morph.scores(morphs)
        b = self.bigram.scores([g for t in morphs for g in char_ngrams(t, 2)])
        combined = MORPH_WEIGHT * m + (1 - MORPH_WEIGHT) * b
        order = np.argsort(-combined)
        # A challenge is named only when some whole word of the question describes it, and when the
        # question's topic words are not mostly foreign to every challenge.
        known = sum(1 for t in morphs if t in self.morph.idf)
        if known / len(morphs) < known_share:
            return []
        return [(self.challenges[i].id, float(combined[i])) for i in order if m[i] > 0]
