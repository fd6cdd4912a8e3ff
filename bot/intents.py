"""Intent recognition: a calibrated linear classifier trained on the data's phrasings.

Every FAQ entry is an intent (its question and alternates are the training phrasings); data/intents.yaml
adds the intents that are not entries: questions about a challenge, small talk and off-topic
questions. Features are TF-IDF weighted morphemes, morpheme bigrams and character bi- and trigrams of
the normalised text (so missing spaces and typos still share features). The model is Complement Naive
Bayes (Rennie et al. 2003, the variant scikit-learn recommends for short, unevenly sized text classes)
with its class scores turned into probabilities by a softmax whose temperature is fitted by
cross-validation on the phrasings themselves. Training is counting, so it takes milliseconds and a
phrasing taught by staff retrains the model at once.

Why not scikit-learn itself: importing it costs about 95 MB of resident memory and 1.5 s (measured in
bench/qa.py's notes), which the bot's 150 MB budget and 2 s cold start cannot pay; this is the same
model in numpy.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

ALPHA = 0.3      # additive smoothing of the complement counts
FOLDS = 5        # cross-validation folds for the temperature


@dataclass(frozen=True)
class Prediction:
    intent: str
    prob: float
    ranked: list[tuple[str, float]]   # every intent with its probability, best first

    def prob_of(self, intent: str) -> float:
        return next((p for i, p in self.ranked if i == intent), 0.0)


class IntentModel:
    def __init__(self, featurize: Callable[[str], Counter], samples: Sequence[tuple[str, str]]) -> None:
        self.featurize = featurize
        self.labels = sorted({label for _, label in samples})
        self._label_index = {label: i for i, label in enumerate(self.labels)}
        self.vocab: dict[str, int] = {}
        rows = []
        for text, label in samples:
            feats = featurize(text)
            for f in feats:
                self.vocab.setdefault(f, len(self.vocab))
            rows.append((self._label_index[label], {self.vocab[f]: c for f, c in feats.items()}))
        self._rows = rows
        n_docs = len(rows)
        df = np.zeros(len(self.vocab), dtype=np.float64)
        for _, feats in rows:
            for j in feats:
                df[j] += 1
        self.idf = np.log((1 + n_docs) / (1 + df)) + 1.0
        self._x = [self._weigh(feats) for _, feats in rows]
        self._y = np.array([label for label, _ in rows])
        self.weights = self._fit(range(n_docs))
        self.temperature = self._calibrate()

    # -- features ------------------------------------------------------------------------------
    def _weigh(self, feats: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
        idx = np.fromiter(feats.keys(), dtype=np.int64, count=len(feats))
        tf = np.fromiter(feats.values(), dtype=np.float64, count=len(feats))
        vals = (1.0 + np.log(tf)) * self.idf[idx] if len(idx) else tf
        norm = math.sqrt(float((vals**2).sum())) or 1.0
        return idx, vals / norm

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        feats = {self.vocab[f]: c for f, c in self.featurize(text).items() if f in self.vocab}
        return self._weigh(feats)

    # -- training ------------------------------------------------------------------------------
    def _fit(self, docs) -> np.ndarray:
        n_labels, n_feats = len(self.labels), len(self.vocab)
        counts = np.zeros((n_labels, n_feats), dtype=np.float64)
        for d in docs:
            idx, vals = self._x[d]
            counts[self._y[d], idx] += vals
        complement = counts.sum(axis=0, keepdims=True) - counts + ALPHA
        logp = np.log(complement / complement.sum(axis=1, keepdims=True))
        # Weight normalisation (Rennie et al., section 3.2): no class wins by having longer phrasings.
        w = logp / np.abs(logp).sum(axis=1, keepdims=True)
        return (-w).astype(np.float32)   # higher is better

    def _scores(self, weights: np.ndarray, vec: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        idx, vals = vec
        if not len(idx):
            return np.zeros(len(self.labels), dtype=np.float64)
        raw = weights[:, idx] @ vals
        # Centre and scale per question so the temperature is comparable across questions.
        return (raw - raw.mean()) / (raw.std() or 1.0)

    def _calibrate(self) -> float:
        """Temperature minimising the held-out negative log-likelihood over k folds of the phrasings."""
        n = len(self._x)
        if n < FOLDS * 2 or len(self.labels) < 2:
            return 1.0
        folds = np.arange(n) % FOLDS
        held_scores, held_y = [], []
        for k in range(FOLDS):
            train = [d for d in range(n) if folds[d] != k]
            weights = self._fit(train)
            for d in range(n):
                if folds[d] == k:
                    held_scores.append(self._scores(weights, self._x[d]))
                    held_y.append(self._y[d])
        scores, y = np.array(held_scores), np.array(held_y)
        best_t, best_nll = 1.0, float("inf")
        for t in np.geomspace(0.05, 5.0, 60):
            z = scores / t
            z -= z.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            nll = -logp[np.arange(len(y)), y].mean()
            if nll < best_nll:
                best_t, best_nll = float(t), nll
        return best_t

    # -- prediction ----------------------------------------------------------------------------
    def predict(self, text: str) -> Prediction:
        scores = self._scores(self.weights, self.vector(text)) / self.temperature
        scores -= scores.max()
        probs = np.exp(scores)
        probs /= probs.sum()
        order = np.argsort(-probs)
        ranked = [(self.labels[i], float(probs[i])) for i in order]
        return Prediction(ranked[0][0], ranked[0][1], ranked)

    def known_share(self, text: str) -> float:
        """Share of the text's features the model has seen in training (0..1)."""
        feats = self.featurize(text)
        if not feats:
            return 0.0
        return sum(c for f, c in feats.items() if f in self.vocab) / sum(feats.values())
