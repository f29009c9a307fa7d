"""The learned part of intent routing: features, a softmax regression, calibration, its cache.

numpy only. A turn becomes

* a sentence embedding (MiniLM, when the embed role is there), scaled by ``emb_scale``;
* hashed sparse features: character n-grams (1-3 for Chinese characters, 2-5 for other text, so
  Chinese needs no word segmentation), word unigrams and bigrams, and named rule hits given by the
  caller (the router's patterns), each also crossed with the turn's context (picture, audio);
* a bias per intent.

``fit`` minimises the weighted cross-entropy plus an L2 penalty with L-BFGS. Intents a turn cannot
have (describing or editing without a picture) are masked out of the softmax, in training and in
prediction. ``train`` fits on folds of the training rows to get out-of-fold scores, fits a
temperature to them (calibration) and chooses the probability threshold and top-two margin below
which the router asks instead of guessing, then fits once more on every row.

Weights are stored with ``np.savez`` and read with ``np.load(allow_pickle=False)``.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .intent_data import HAN

__all__ = ["HyperParams", "Featurizer", "SparseRows", "Weights", "Model", "fit", "train", "cross_validate",
           "masked_softmax", "fit_temperature", "choose_threshold", "FEATURES_VERSION", "save_npz", "load_npz",
           "digest"]

FEATURES_VERSION = "intent-features-1"
_WORD = re.compile(r"[a-z0-9']+|" + HAN.pattern)


@dataclass(frozen=True)
class HyperParams:
    """Chosen by cross-validation on the training rows (benchmarks/intent_tune.py)."""

    l2: float = 1e-5
    emb_scale: float = 2.0
    char_scale: float = 2.0
    word_scale: float = 0.5
    rule_scale: float = 0.5
    cross_context: bool = True  # every sparse feature also in a copy for turns with a picture / audio
    buckets: int = 1 << 20
    max_iter: int = 250
    folds: int = 5
    sure_accuracy: float = 0.98  # the threshold keeps at least this accuracy on the turns it is sure of
    seed: int = 0

    def key(self) -> str:
        return repr(sorted((k, v) for k, v in asdict(self).items() if k not in ("folds", "sure_accuracy")))


@dataclass
class SparseRows:
    """CSR rows of hashed feature ids (not yet compacted) and their values."""

    indptr: np.ndarray
    indices: np.ndarray
    values: np.ndarray

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    def take(self, rows: np.ndarray) -> SparseRows:
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lens = ends - starts
        indptr = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
        pick = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends)]) if len(rows) else np.zeros(0, np.int64)
        return SparseRows(indptr, self.indices[pick], self.values[pick])


class Featurizer:
    """Text and context to hashed sparse features. ``rules(text, has_image, has_audio)`` names the
    patterns that match (the router's regexes); their names become features too."""

    def __init__(self, hp: HyperParams, rules: Callable[[str, bool, bool], Sequence[str]] | None = None):
        self.hp = hp
        self.rules = rules

    def _hash(self, s: str) -> int:
        return zlib.crc32(s.encode("utf-8")) & (self.hp.buckets - 1)

    @staticmethod
    def units(text: str) -> list[str]:
        """The feature strings of ``text`` with a kind prefix (c: char n-gram, w: word, b: word pair)."""
        low = " ".join(text.casefold().split())
        out: list[str] = []
        # character n-grams over runs of one script: CJK 1-3, other 2-5 (with word boundaries as spaces)
        for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", low):
            if HAN.match(run):
                for n in (1, 2, 3):
                    out += ["c:" + run[i:i + n] for i in range(len(run) - n + 1)]
            else:
                s = " " + " ".join(re.sub(r"[^\w'~/?]+", " ", run).split()) + " "
                if len(s.strip()) == 0:
                    continue
                for n in (2, 3, 4, 5):
                    out += ["c:" + s[i:i + n] for i in range(len(s) - n + 1)]
        words = _WORD.findall(low)
        out += ["w:" + w for w in words if not HAN.match(w)]
        out += ["b:" + a + " " + b for a, b in zip(["^", *words], [*words, "$"])]
        if "?" in low or "\uff1f" in text:
            out.append("w:?")
        return out

    def contexts(self, has_image: bool, has_audio: bool) -> list[str]:
        """The prefixes each feature is repeated under: plain, and crossed with the turn's context."""
        if not self.hp.cross_context:
            return [""]
        return [""] + (["I|"] if has_image else []) + (["A|"] if has_audio else [])

    def ids(self, names: Sequence[str], has_image: bool, has_audio: bool) -> np.ndarray:
        """Hashed ids of ``names`` under each context prefix: shape (len(names), contexts)."""
        ctx = self.contexts(has_image, has_audio)
        mask = self.hp.buckets - 1
        return np.array([[zlib.crc32((c + n).encode("utf-8")) & mask for c in ctx] for n in names],
                        np.int64).reshape(len(names), len(ctx))

    def row(self, text: str, has_image: bool, has_audio: bool,
            hits: Sequence[str] | None = None) -> tuple[list[int], list[float]]:
        """Hashed ids and values of one turn; ``hits`` are the rule hits if already known."""
        hp = self.hp
        feats: dict[int, float] = {}
        ctx = self.contexts(has_image, has_audio)

        def add(names: Sequence[str], scale: float) -> None:
            uniq = sorted(set(names))
            if not uniq:
                return
            v = scale / np.sqrt(len(uniq))
            for name in uniq:
                for c in ctx:
                    h = self._hash(c + name)
                    feats[h] = feats.get(h, 0.0) + v

        units = self.units(text)
        add([u for u in units if u.startswith("c:")], hp.char_scale)
        add([u for u in units if not u.startswith("c:")], hp.word_scale)
        if hits is None:
            hits = list(self.rules(text, has_image, has_audio)) if self.rules else []
        for name in sorted(set(hits)):
            for c in ctx:
                h = self._hash(c + "r:" + name)
                feats[h] = feats.get(h, 0.0) + hp.rule_scale
        for name, on in (("x:image", has_image), ("x:audio", has_audio), ("x:both", has_image and has_audio)):
            if on:
                feats[self._hash(name)] = 1.0
        return list(feats), list(feats.values())

    def rows(self, items: Sequence[tuple[str, bool, bool]], hits: Sequence[Sequence[str]] | None = None) -> SparseRows:
        indptr = [0]
        idx: list[int] = []
        val: list[float] = []
        for k, (text, img, aud) in enumerate(items):
            i, v = self.row(text, img, aud, None if hits is None else hits[k])
            idx += i
            val += v
            indptr.append(len(idx))
        return SparseRows(np.asarray(indptr, np.int64), np.asarray(idx, np.int64), np.asarray(val, np.float32))


@dataclass
class Weights:
    """A fitted softmax regression: ``vocab`` maps hashed ids to rows of ``sparse``."""

    vocab: np.ndarray  # sorted hashed ids seen in training (int64)
    sparse: np.ndarray  # (len(vocab), C) float32
    dense: np.ndarray  # (E, C) float32; E = 0 without embeddings
    bias: np.ndarray  # (C,) float32

    def compact(self, rows: SparseRows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row of each entry, column in vocab, value) for the entries whose id is in the vocabulary."""
        row_of = np.repeat(np.arange(rows.n), np.diff(rows.indptr))
        pos = np.searchsorted(self.vocab, rows.indices)
        pos = np.minimum(pos, max(len(self.vocab) - 1, 0))
        ok = (self.vocab[pos] == rows.indices) if len(self.vocab) else np.zeros(len(pos), bool)
        return row_of[ok], pos[ok], rows.values[ok]

    def logits(self, rows: SparseRows, emb: np.ndarray | None, emb_scale: float) -> np.ndarray:
        r, c, v = self.compact(rows)
        contrib = self.sparse[c].astype(np.float64) * v[:, None]
        out = np.stack([np.bincount(r, weights=contrib[:, k], minlength=rows.n) for k in range(self.bias.shape[0])],
                       axis=1)
        if emb is not None and self.dense.shape[0]:
            out += emb_scale * (emb @ self.dense)
        return out + self.bias


def masked_softmax(logits: np.ndarray, mask: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = np.where(mask, logits / temperature, -np.inf)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit(rows: SparseRows, emb: np.ndarray | None, y: np.ndarray, mask: np.ndarray, weight: np.ndarray,
        hp: HyperParams, n_classes: int, init: Weights | None = None) -> Weights:
    """Weighted, masked softmax regression with an L2 penalty, by L-BFGS."""
    vocab = np.unique(rows.indices)
    if init is not None:  # warm start: keep the old vocabulary's weights
        vocab = np.union1d(vocab, init.vocab)
    probe = Weights(vocab, np.zeros((len(vocab), n_classes), np.float32), np.zeros((0, n_classes), np.float32),
                    np.zeros(n_classes, np.float32))
    r, c, v = probe.compact(rows)
    v64 = v.astype(np.float64)
    d = len(vocab)
    e_dim = 0 if emb is None else emb.shape[1]
    X_e = None if emb is None else emb.astype(np.float64) * hp.emb_scale
    n = rows.n
    w = weight.astype(np.float64) / weight.sum()
    onehot = np.zeros((n, n_classes))
    onehot[np.arange(n), y] = 1.0
    sizes = (d * n_classes, e_dim * n_classes, n_classes)

    def unpack(theta: np.ndarray):
        a, b = sizes[0], sizes[0] + sizes[1]
        return theta[:a].reshape(d, n_classes), theta[a:b].reshape(e_dim, n_classes), theta[b:]

    def f_and_g(theta: np.ndarray) -> tuple[float, np.ndarray]:
        Ws, We, b = unpack(theta)
        contrib = Ws[c] * v64[:, None]
        z = np.stack([np.bincount(r, weights=contrib[:, k], minlength=n) for k in range(n_classes)], axis=1)
        if X_e is not None:
            z += X_e @ We
        z += b
        z = np.where(mask, z, -1e30)
        z -= z.max(axis=1, keepdims=True)
        ez = np.where(mask, np.exp(z), 0.0)
        s = ez.sum(axis=1, keepdims=True)
        logp = z - np.log(s)
        loss = -float(np.sum(w * np.sum(onehot * np.where(mask, logp, 0.0), axis=1)))
        loss += 0.5 * hp.l2 * (float(np.sum(Ws * Ws)) + float(np.sum(We * We)))
        g = (ez / s - onehot) * w[:, None]  # (n, C)
        gWs = np.zeros((d, n_classes))
        gv = g[r] * v64[:, None]
        for k in range(n_classes):
            gWs[:, k] = np.bincount(c, weights=gv[:, k], minlength=d)
        gWs += hp.l2 * Ws
        gWe = (X_e.T @ g + hp.l2 * We) if X_e is not None else np.zeros((0, n_classes))
        return loss, np.concatenate([gWs.ravel(), gWe.ravel(), g.sum(axis=0)])

    theta0 = np.zeros(sum(sizes))
    if init is not None:
        Ws0, We0, b0 = unpack(theta0)
        Ws0[np.searchsorted(vocab, init.vocab)] = init.sparse
        if init.dense.shape[0] == e_dim:
            We0[:] = init.dense
        b0[:] = init.bias
    theta = _lbfgs(f_and_g, theta0, hp.max_iter)
    Ws, We, b = unpack(theta)
    return Weights(vocab, Ws.astype(np.float32), We.astype(np.float32), b.astype(np.float32))


def _lbfgs(fg: Callable[[np.ndarray], tuple[float, np.ndarray]], x: np.ndarray, max_iter: int,
           memory: int = 10, tol: float = 1e-6) -> np.ndarray:
    """Minimise a smooth convex function (limited-memory BFGS, backtracking Armijo line search)."""
    f, g = fg(x)
    s_list: list[np.ndarray] = []
    y_list: list[np.ndarray] = []
    for _ in range(max_iter):
        q = g.copy()
        alphas = []
        for s, yv in reversed(list(zip(s_list, y_list))):
            rho = 1.0 / float(yv @ s)
            a = rho * float(s @ q)
            alphas.append((rho, a))
            q -= a * yv
        if s_list:
            q *= float(s_list[-1] @ y_list[-1]) / float(y_list[-1] @ y_list[-1])
        for (s, yv), (rho, a) in zip(zip(s_list, y_list), reversed(alphas)):
            q += s * (a - rho * float(yv @ q))
        direction = -q
        slope = float(g @ direction)
        if slope >= 0:  # not a descent direction: restart from the gradient
            s_list.clear()
            y_list.clear()
            direction, slope = -g, -float(g @ g)
        step = 1.0 if s_list else min(1.0, 1.0 / max(np.sqrt(float(g @ g)), 1e-12))
        for _ls in range(30):
            x_new = x + step * direction
            f_new, g_new = fg(x_new)
            if f_new <= f + 1e-4 * step * slope:
                break
            step *= 0.5
        else:
            break
        s, yv = x_new - x, g_new - g
        if float(s @ yv) > 1e-12:
            s_list.append(s)
            y_list.append(yv)
            if len(s_list) > memory:
                s_list.pop(0)
                y_list.pop(0)
        done = abs(f - f_new) <= tol * max(1.0, abs(f))
        x, f, g = x_new, f_new, g_new
        if done and float(np.max(np.abs(g))) < 1e-4:
            break
    return x


def fit_temperature(logits: np.ndarray, y: np.ndarray, mask: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood of held-back predictions."""
    grid = np.exp(np.linspace(np.log(0.05), np.log(20.0), 121))

    def nll(t: float) -> float:
        p = masked_softmax(logits, mask, t)
        return -float(np.mean(np.log(np.maximum(p[np.arange(len(y)), y], 1e-12))))

    best = min(grid, key=nll)
    fine = best * np.exp(np.linspace(-0.06, 0.06, 13))
    return float(min(fine, key=nll))


def choose_threshold(probs: np.ndarray, y: np.ndarray, target: float) -> tuple[float, float]:
    """(probability threshold, top-two margin) that leave the fewest turns unsure while the turns
    left sure keep accuracy >= ``target``; the top-two margin breaks near-ties."""
    order = np.sort(probs, axis=1)
    top, second = order[:, -1], order[:, -2]
    right = probs.argmax(axis=1) == y
    best = (2.0, 1.0, 0.0)  # (unsure rate, threshold, margin)
    for m in (0.0, 0.05, 0.1, 0.15, 0.2, 0.3):
        for t in np.linspace(0.3, 0.99, 70):
            sure = (top >= t) & (top - second >= m)
            if not sure.any():
                continue
            acc = right[sure].mean()
            rate = 1.0 - sure.mean()
            if acc >= target and rate < best[0] - 1e-9:
                best = (rate, float(t), m)
    if best[0] > 1.0:  # the target cannot be met: ask below the highest threshold tried
        return 0.99, 0.3
    return round(best[1], 3), best[2]


@dataclass
class Model:
    """Everything routing needs: weights, temperature, the unsure rule, and the CV figures."""

    weights: Weights
    temperature: float
    threshold: float
    margin: float
    emb_scale: float
    has_embedding: bool
    cv: dict[str, float] = field(default_factory=dict)  # accuracy, nll, unsure rate, sure accuracy (out of fold)

    def probs(self, rows: SparseRows, emb: np.ndarray | None, mask: np.ndarray) -> np.ndarray:
        return masked_softmax(self.weights.logits(rows, emb, self.emb_scale), mask, self.temperature)


def _folds(y: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    """Stratified: each intent spread evenly over the folds."""
    rng = np.random.default_rng(seed)
    fold_of = np.zeros(len(y), np.int64)
    for cls in np.unique(y):
        idx = np.flatnonzero(y == cls)
        rng.shuffle(idx)
        fold_of[idx] = np.arange(len(idx)) % k
    return [np.flatnonzero(fold_of == i) for i in range(k)]


def cross_validate(rows: SparseRows, emb: np.ndarray | None, y: np.ndarray, mask: np.ndarray, weight: np.ndarray,
                   hp: HyperParams, n_classes: int) -> np.ndarray:
    """Out-of-fold logits for every row (each row scored by a model that did not see it)."""
    out = np.zeros((rows.n, n_classes))
    for test in _folds(y, hp.folds, hp.seed):
        train_idx = np.setdiff1d(np.arange(rows.n), test)
        wts = fit(rows.take(train_idx), None if emb is None else emb[train_idx], y[train_idx], mask[train_idx],
                  weight[train_idx], hp, n_classes)
        out[test] = wts.logits(rows.take(test), None if emb is None else emb[test], hp.emb_scale)
    return out


def train(rows: SparseRows, emb: np.ndarray | None, y: np.ndarray, mask: np.ndarray, weight: np.ndarray,
          hp: HyperParams, n_classes: int) -> Model:
    """Cross-validate (calibration and the unsure rule), then fit on everything."""
    oof = cross_validate(rows, emb, y, mask, weight, hp, n_classes)
    temperature = fit_temperature(oof, y, mask)
    probs = masked_softmax(oof, mask, temperature)
    threshold, margin = choose_threshold(probs, y, hp.sure_accuracy)
    order = np.sort(probs, axis=1)
    sure = (order[:, -1] >= threshold) & (order[:, -1] - order[:, -2] >= margin)
    right = probs.argmax(axis=1) == y
    cv = {"accuracy": float(right.mean()), "nll": float(-np.mean(np.log(np.maximum(probs[np.arange(len(y)), y], 1e-12)))),
          "unsure_rate": float(1 - sure.mean()), "sure_accuracy": float(right[sure].mean()) if sure.any() else 0.0,
          "temperature": temperature, "rows": float(len(y))}
    weights = fit(rows, emb, y, mask, weight, hp, n_classes)
    return Model(weights, temperature, threshold, margin, hp.emb_scale, emb is not None, cv)


# ---------------------------------------------------------------------------------- storage
def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write atomically (a temporary file in the same folder, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)  # type: ignore[arg-type]  # numpy's stubs miss **kwds
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_npz(path: Path) -> dict[str, np.ndarray] | None:
    """The arrays of ``path``, or None when it is missing or unreadable (never unpickles)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except (OSError, ValueError, KeyError):
        return None


def digest(*parts: object) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(repr(p).encode("utf-8") if not isinstance(p, bytes) else p)
        h.update(b"\x00")
    return h.hexdigest()
