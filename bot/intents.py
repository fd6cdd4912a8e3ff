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

ALPHA = 0.6      # additive smoothing of the complement counts
FOLDS = 4        # cross-validation folds for the temperature
CALIBRATE_DOCS = 64   # phrasings scored together while calibrating (bounds the temporary arrays)
RANKED = 24      # intents kept in a prediction's ranking, best first (the rest are negligible)
WORD_PREFIX = "m:"  # feature names of content words (see bot.nlu.Understander.features)


@dataclass(frozen=True)
class Prediction:
    intent: str
    prob: float
    ranked: list[tuple[str, float]]   # the best RANKED intents with their probabilities, best first

    def prob_of(self, intent: str) -> float:
        return next((p for i, p in self.ranked if i == intent), 0.0)


class IntentModel:
    def __init__(self, featurize: Callable[[str], Counter], samples: Sequence[tuple[str, str]],
                 train_featurize: Callable[[str], Counter] | None = None,
                 temperature: float | None = None, after_features: Callable[[], object] | None = None) -> None:
        self.featurize = featurize
        self._train_featurize = train_featurize or featurize
        self.labels = sorted({label for _, label in samples})
        self._label_index = {label: i for i, label in enumerate(self.labels)}
        self.vocab: dict[str, int] = {}
        # Each phrasing becomes two small arrays at once (feature ids, counts): no per-phrasing dicts of
        # feature strings stay alive while the model trains (that kept the start-up peak high).
        ids, counts, y = [], [], []
        for text, label in samples:
            feats = self._train_featurize(text)
            ids.append(np.fromiter((self.vocab.setdefault(f, len(self.vocab)) for f in feats), np.int64, len(feats)))
            counts.append(np.fromiter(feats.values(), np.float64, len(feats)))
            y.append(self._label_index[label])
        if after_features:
            after_features()  # e.g. release what featurising touched before fitting needs memory
        n_docs = len(ids)
        df = np.bincount(np.concatenate(ids), minlength=len(self.vocab)) if ids else np.zeros(0)
        self.idf = np.log((1 + n_docs) / (1 + df)) + 1.0
        self._df = df
        self._idf_max = float(self.idf.max()) if len(self.idf) else 1.0
        self._x = [self._weigh_counts(i, c) for i, c in zip(ids, counts, strict=True)]
        del ids, counts
        self._y = np.array(y)
        # All (document, feature, weight) triples, for fitting on any subset of documents at once.
        self._doc = np.concatenate([np.full(len(idx), d) for d, (idx, _) in enumerate(self._x)])
        self._col = np.concatenate([idx for idx, _ in self._x])
        self._val = np.concatenate([vals for _, vals in self._x])
        self.weights = self._fit(np.ones(n_docs, dtype=bool))
        self.temperature = temperature if temperature is not None else self._calibrate()

    # -- saved state (a model of a large fixed set of examples need not be fitted at every start) ------
    def state(self, min_df: int = 1) -> dict[str, np.ndarray]:
        """The fitted arrays :meth:`from_state` needs (not the training documents); features fewer than
        ``min_df`` documents had are left out (a model of many documents then keeps a smaller vocabulary)."""
        keep = self._df >= min_df
        words = [f for f, i in self.vocab.items() if keep[i]]   # (the vocabulary is in id order)
        vocab = np.frombuffer("\n".join(words).encode(), dtype=np.uint8)   # (one text, not padded strings)
        return {"labels": np.array(self.labels), "vocab": vocab, "idf": self.idf[keep],
                "weights": self.weights[keep], "temperature": np.array(self.temperature)}

    @classmethod
    def from_state(cls, featurize: Callable[[str], Counter], state) -> IntentModel:
        """A model that predicts as the saved one did; it cannot be refitted (it keeps no documents)."""
        model = cls.__new__(cls)
        model.featurize = model._train_featurize = featurize
        model.labels = [str(label) for label in state["labels"]]
        model._label_index = {label: i for i, label in enumerate(model.labels)}
        words = bytes(state["vocab"]).decode()
        model.vocab = {f: i for i, f in enumerate(words.split("\n"))} if words else {}
        model.idf = np.asarray(state["idf"], dtype=np.float64)
        model._idf_max = float(model.idf.max()) if len(model.idf) else 1.0
        model.weights = np.asarray(state["weights"])
        model.temperature = float(state["temperature"])
        if model.idf.shape != (len(model.vocab),) or model.weights.shape != (len(model.vocab), len(model.labels)):
            raise ValueError("saved model arrays do not match its vocabulary")
        return model

    # -- features ------------------------------------------------------------------------------
    def _weigh(self, feats: dict[int, float], normalise: bool = True) -> tuple[np.ndarray, np.ndarray]:
        idx = np.fromiter(feats.keys(), dtype=np.int64, count=len(feats))
        tf = np.fromiter(feats.values(), dtype=np.float64, count=len(feats))
        return self._weigh_counts(idx, tf, normalise)

    def _weigh_counts(self, idx: np.ndarray, tf: np.ndarray, normalise: bool = True) -> tuple[np.ndarray, np.ndarray]:
        vals = (1.0 + np.log(tf)) * self.idf[idx] if len(idx) else tf
        if not normalise:
            return idx, vals
        norm = math.sqrt(float((vals**2).sum())) or 1.0
        return idx, vals / norm

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The question's known features, weighted as in training; features the model never saw
        still count in the length, so a question mostly about other things gives weak evidence."""
        known, unseen = {}, 0.0
        for f, c in self.featurize(text).items():
            i = self.vocab.get(f)
            if i is not None:
                known[i] = c
            elif f.startswith(WORD_PREFIX):
                # Unseen content words dilute the evidence; unseen character n-grams are mostly inflections.
                unseen += (1.0 + math.log(c)) ** 2
        idx, vals = self._weigh(known, normalise=False)
        norm = math.sqrt(float((vals**2).sum()) + unseen * self._idf_max**2) or 1.0
        return idx, vals / norm

    # -- training ------------------------------------------------------------------------------
    def _fit(self, chosen: np.ndarray) -> np.ndarray:
        """Weights (feature x intent: a question's few features are contiguous rows) from the documents
        where ``chosen`` (a boolean mask over documents) is true."""
        n_labels, n_feats = len(self.labels), len(self.vocab)
        keep = chosen[self._doc]
        flat = self._col[keep] * n_labels + self._y[self._doc[keep]]
        counts = np.bincount(flat, weights=self._val[keep], minlength=n_labels * n_feats)
        counts = counts.astype(np.float32).reshape(n_feats, n_labels)
        # Complement counts, smoothed, as log probabilities (in place: one feature x label matrix).
        # Sums accumulate in float64: the temperature (about 0.01) magnifies float32 rounding.
        w = np.subtract(counts.sum(axis=1, keepdims=True, dtype=np.float64), counts, out=counts, casting="same_kind")
        w += ALPHA
        w /= w.sum(axis=0, keepdims=True, dtype=np.float64)
        np.log(w, out=w)
        # Weight normalisation (Rennie et al., section 3.2): no class wins by having longer phrasings.
        w /= -np.abs(w).mean(axis=0, keepdims=True, dtype=np.float64)   # and negated: higher is better
        return w

    def _scores(self, weights: np.ndarray, vec: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        idx, vals = vec
        if not len(idx):
            return np.zeros(len(self.labels), dtype=np.float64)
        raw = vals @ weights[idx]
        return raw - raw.mean()

    def _calibrate(self) -> float:
        """Temperature minimising the held-out negative log-likelihood over k folds of the phrasings."""
        n = len(self._x)
        if n < FOLDS * 2 or len(self.labels) < 2:
            return 1.0
        held_scores = self._held_out_scores()
        y = self._y

        def nll(log_t: float) -> float:
            z = held_scores / math.exp(log_t)
            z -= z.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            return float(-logp[np.arange(n), y].mean())

        # Golden-section search on log T (the held-out likelihood is unimodal in T).
        lo, hi = math.log(0.001), math.log(100.0)
        ratio = (math.sqrt(5) - 1) / 2
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        fa, fb = nll(a), nll(b)
        for _ in range(25):
            if fa < fb:
                hi, b, fb = b, a, fa
                a = hi - ratio * (hi - lo)
                fa = nll(a)
            else:
                lo, a, fa = a, b, fb
                b = lo + ratio * (hi - lo)
                fb = nll(b)
        return math.exp((lo + hi) / 2)

    def _held_out_scores(self) -> np.ndarray:
        """Each phrasing's class scores from a model fitted without its fold (phrasings x intents)."""
        n = len(self._x)
        folds = np.arange(n) % FOLDS
        held_scores = np.zeros((n, len(self.labels)), dtype=np.float64)
        for k in range(FOLDS):
            weights = self._fit(folds != k)
            # The held-out documents' scores at once: each (document, feature) weight times the weights of
            # that feature, summed per document (the triples are ordered by document).
            sel = folds[self._doc] == k
            docs, cols, vals = self._doc[sel], self._col[sel], self._val[sel]
            if not len(docs):
                continue
            starts = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
            ends = np.r_[starts[1:], len(docs)]
            for i in range(0, len(starts), CALIBRATE_DOCS):  # a few documents at a time: bounded temporaries
                a, b = starts[i], ends[min(i + CALIBRATE_DOCS, len(starts)) - 1]
                part = weights[cols[a:b]] * vals[a:b, None]   # (entries x intents): contiguous rows
                held_scores[docs[starts[i:i + CALIBRATE_DOCS]]] = np.add.reduceat(
                    part, starts[i:i + CALIBRATE_DOCS] - a, axis=0)
        scored = np.unique(self._doc)
        held_scores[scored] -= held_scores[scored].mean(axis=1, keepdims=True)
        return held_scores

    # -- prediction ----------------------------------------------------------------------------
    def predict(self, text: str) -> Prediction:
        scores = self._scores(self.weights, self.vector(text)) / self.temperature
        scores -= scores.max()
        probs = np.exp(scores)
        probs /= probs.sum()
        order = np.argsort(-probs)[:RANKED]
        ranked = list(zip([self.labels[i] for i in order], probs[order].tolist(), strict=True))
        return Prediction(ranked[0][0], ranked[0][1], ranked)
