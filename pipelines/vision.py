"""Image understanding with open_clip: labels, evidence for questions, and folder search.

``ClipModel`` wraps an open_clip model loaded from a ``local-dir:`` folder (open_clip_config.json
and open_clip_model.safetensors). The label vocabularies are plain text files in assets/vocab/;
their text embeddings (a prompt ensemble per term) are cached on disk, keyed by the model's
identity and the vocabulary file's hash, so only the first use of a vocabulary pays for it.

``evidence(image, question)`` reads the question with vision_questions.parse_question (English
or Chinese, whole words only) and scores its full candidate set with one softmax at CLIP's logit
scale: the probabilities it reports are CLIP's own, never re-normalised over the few shown.

torch and open_clip are imported inside the functions: importing this module is cheap.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .cancel import CancelToken
from .errors import BadInput, ModelUnavailable
from .events import Label
from .footprint import Footprint, tensor_footprint
from .images import SUPPORTED_SUFFIXES, ImageSource, open_image
from .vision_questions import (
    ATTRIBUTE_VOCABULARIES,
    TEMPLATES,
    VOCABULARIES,
    CandidateSet,
    Lexicon,
    _fill,
    _templates_for,
    _vocab_hash,
    candidates_for,
    find_terms,
    load_vocabulary,
    parse_question,
    presence_check,
    question_kind,
)

__all__ = [
    "VOCABULARIES",
    "ATTRIBUTE_VOCABULARIES",
    "TEMPLATES",
    "ClipModel",
    "Evidence",
    "SearchResult",
    "IndexProgress",
    "IndexReport",
    "FolderIndex",
    "load_vocabulary",
    "parse_question",
    "question_kind",
    "find_terms",
    "load",
]

_SEARCH_TEMPLATES = ("{}", "a photo of {}.")

ProgressFn = Callable[["IndexProgress"], None]


# ---------------------------------------------------------------------------------------------
# Result types
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Evidence:
    """What CLIP sees that bears on a question, for the language model to phrase an answer from.

    Every score is a real probability: CLIP's softmax (at its own logit scale) over the whole
    candidate set (``candidates`` of them), never re-normalised over the few shown, so low
    scores everywhere mean CLIP is unsure."""

    question: str
    kind: str  # yes_no | colour | count | weather | time | material | style | mood | pattern | scene | object | describe
    labels: tuple[Label, ...]  # the best candidates (and those the question names), best first
    subject: str = ""  # the thing asked about ("cat" in "what colour is the cat?"), as CLIP scored it
    mentioned: tuple[str, ...] = ()  # vocabulary terms found in the question
    context: tuple[Label, ...] = ()  # top objects of the whole objects vocabulary
    places: tuple[Label, ...] = ()  # top scenes of the whole scenes vocabulary
    language: str = "en"  # the question's: "zh" shows the labels in Chinese
    asks: str = ""  # yes_no: "presence" or the attribute checked ("colour", "scene", …); otherwise the kind
    target: str = ""  # yes_no: what is checked ("red", "dog")
    target_rank: int = 0  # yes_no: its rank among all candidates (1 = CLIP's first choice)
    target_score: float = 0.0  # yes_no: its probability among all candidates
    answer: str = ""  # yes_no: "yes" or "no"
    answer_score: float = 0.0  # yes_no: the probability behind the answer (see as_prompt)
    check: tuple[Label, ...] = ()  # presence: ("dog", p) and ("no dog", 1 - p) from the with/without prompts
    candidates: int = 0  # how many candidates the labels' softmax covered
    terms: tuple[str, ...] = ()  # the English term behind each label (a Chinese question shows Chinese labels)
    unknown: str = ""  # words of a Chinese question no label list has (not scored: CLIP reads English)

    def _name(self, i: int) -> str:
        label = self.labels[i].label
        term = self.terms[i] if i < len(self.terms) else label
        return f"{label} ({term})" if self.language == "zh" and term != label else label

    def as_prompt(self) -> str:
        def fmt(labels: Iterable[Label]) -> str:
            return ", ".join(f"{lb.label} {_prob(lb.score)}" for lb in labels)

        shown = ", ".join(f"{self._name(i)} {_prob(lb.score)}" for i, lb in enumerate(self.labels))
        n = self.candidates or len(self.labels)
        vocab = {"presence": "objects", "colour": "colours", "material": "materials", "style": "styles",
                 "time": "times of day", "weather": "kinds of weather", "mood": "moods", "pattern": "patterns",
                 "scene": "places", "count": "objects", "object": "objects", "describe": "objects"}
        lines = [f"Image evidence from CLIP (probabilities over all {n} candidates scored together; "
                 f"low everywhere means CLIP is unsure):"]
        k = self.kind
        target = next((self._name(i) for i, t in enumerate(self.terms) if t == self.target), self.target)
        if k == "yes_no" and self.asks == "presence":
            lines.append(f"asked whether the picture shows '{target}': CLIP says {self.answer} "
                         f"({self.answer_score:.2f}) comparing 'a photo with …' and 'a photo without …'")
            if self.target_rank:
                lines.append(f"'{target}' among {n} objects: {_prob(self.target_score)}, rank {self.target_rank}")
            lines.append(f"most likely: {shown}")
        elif k == "yes_no":
            what = f"the {self.subject}" if self.subject else "it"
            lines.append(f"asked whether {what} is '{target}': CLIP says {self.answer}; '{target}' has "
                         f"{_prob(self.target_score)}, rank {self.target_rank} of {n} "
                         f"{vocab.get(self.asks, 'candidates')}")
            lines.append(f"most likely: {shown}")
        elif k == "colour":
            lines.append(f"colour of {self.subject or 'the image'}: {shown}")
        elif k == "count":
            lines.append(f"most likely objects: {shown}")
            lines.append("CLIP cannot count; say so if the number matters.")
        elif k == "scene":
            lines.append(f"most likely places: {shown}")
        elif k in ("material", "style", "time", "weather", "mood", "pattern"):
            about = f" of {self.subject}" if self.subject and k in ("material", "pattern") else ""
            lines.append(f"most likely {k}{about}: {shown}")
        else:
            lines.append(f"most likely contents: {shown}")
        if self.unknown:
            lines.append(f"'{self.unknown}' is in no label list and CLIP reads only English: it was not scored.")
        if self.context or self.places:
            lines.append(f"overall: objects {fmt(self.context)}; places {fmt(self.places)}")
        return "\n".join(lines)


def _prob(p: float) -> str:
    """A probability as text: two decimals, three for small ones."""
    if p >= 0.095:
        return f"{p:.2f}"
    return f"{p:.3f}" if p >= 0.001 else "<0.001"


@dataclass(frozen=True)
class SearchResult:
    path: Path
    score: float  # cosine similarity in [-1, 1]


@dataclass(frozen=True)
class IndexProgress:
    done: int
    total: int
    path: str = ""


@dataclass(frozen=True)
class IndexReport:
    total: int  # images in the index after the update
    embedded: int  # new or changed files embedded this time
    unchanged: int
    removed: int
    skipped: int  # unreadable files (counted, not indexed)
    seconds: float = 0.0
    skipped_files: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------

def _model_identity(folder: Path, weights: Path) -> str:
    """Content-based identity: the config plus the weights' size and first and last megabyte."""
    h = hashlib.sha256()
    h.update((folder / "open_clip_config.json").read_bytes())
    size = weights.stat().st_size
    h.update(str(size).encode())
    with open(weights, "rb") as f:
        h.update(f.read(1 << 20))
        if size > 2 << 20:
            f.seek(size - (1 << 20))
            h.update(f.read())
    return h.hexdigest()[:16]


def _atomic_save_npy(path: Path, array: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".tmp.pid{os.getpid()}.", suffix=".npy", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.save(f, array)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _as_upright_rgb(im: ImageSource):
    """A decoded, upright RGB picture is used as it is (only read, never changed, so no copy);
    anything else goes through open_image."""
    from PIL import Image

    if isinstance(im, Image.Image) and im.mode == "RGB" and im.getexif().get(0x0112, 1) == 1:
        return im
    return open_image(im)


def _centre_band(pil, max_aspect: int = 8):
    """Keep the centre of an extremely long picture (at most ``max_aspect``:1). CLIP's centre crop only
    looks at the middle anyway, and resizing a 200000x1 strip to the model's size first would need
    gigabytes."""
    w, h = pil.size
    short = max(1, min(w, h))
    if max(w, h) <= max_aspect * short:
        return pil
    cw, ch = min(w, max_aspect * short), min(h, max_aspect * short)
    left, top = (w - cw) // 2, (h - ch) // 2
    return pil.crop((left, top, left + cw, top + ch))


class ClipModel:
    """An open_clip model: image and text embeddings, zero-shot labels, question evidence."""

    def __init__(self, path: str | Path, device: Any = "cpu", *, name: str = "",
                 cache_dir: str | Path | None = None, trusted_files: Iterable[str] = (),
                 vocab_dir: str | Path | None = None):
        folder = Path(path).expanduser()
        self.path = folder
        self.name = name or folder.name
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.vocab_dir = Path(vocab_dir) if vocab_dir else None
        dev = getattr(device, "device", device) or "cpu"
        dtype_name = getattr(device, "dtype", "float32")
        self.device = str(dev)
        config = folder / "open_clip_config.json"
        if not config.is_file():
            raise ModelUnavailable(
                "{folder} is not an open_clip model folder (no open_clip_config.json); choose a folder "
                "with open_clip_config.json and open_clip_model.safetensors in Settings > Models",
                code="vision.not_a_model_folder", folder=folder,
                role="vision", model=self.name)
        weights = self._find_weights(folder)
        from .trust import ensure_loadable

        ensure_loadable([weights], trusted_files)
        self.identity = _model_identity(folder, weights)
        try:
            import open_clip
            import torch

            model, _, preprocess = open_clip.create_model_and_transforms(
                f"local-dir:{folder}", device=self.device, weights_only=True)
            self._tokenizer = open_clip.get_tokenizer(f"local-dir:{folder}")
        except Exception as e:  # a broken folder or config
            raise ModelUnavailable(
                "could not load the image understanding model from {folder} ({kind}: "
                "{error}); check the folder or choose another model", code="vision.load_failed",
                folder=folder, kind=type(e).__name__, error=str(e).splitlines()[0] if str(e) else '',
                role="vision", model=self.name) from e
        self._dtype = torch.float32
        if self.device != "cpu" and dtype_name in ("float16", "bfloat16"):
            self._dtype = getattr(torch, dtype_name)
            model = model.to(self._dtype)
        self._model = model.eval()
        self._preprocess = preprocess
        self.logit_scale = float(min(100.0, model.logit_scale.exp().item()))
        size = getattr(model.visual, "image_size", 224)
        self.image_size = int(size[0] if isinstance(size, (tuple, list)) else size)
        self.embed_dim = int(self.embed_texts(["a"]).shape[1])
        self._vocab_cache: dict[str, tuple[list[str], np.ndarray]] = {}
        self._lexicon: Lexicon | None = None
        self._lock = threading.Lock()

    def footprint(self) -> Footprint:
        """The parameter and buffer bytes of the CLIP model, on its device."""
        return tensor_footprint(self._model)

    @staticmethod
    def _find_weights(folder: Path) -> Path:
        preferred = ("open_clip_model.safetensors", "open_clip_pytorch_model.safetensors", "model.safetensors",
                     "open_clip_pytorch_model.bin", "open_clip_pytorch_model.pth", "pytorch_model.bin")
        for n in preferred:
            if (folder / n).is_file():
                return folder / n
        found = sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin")) + sorted(folder.glob("*.pth"))
        if not found:
            raise ModelUnavailable(
                "{folder} has no weights (open_clip_model.safetensors); copy the model's weights there "
                "or choose another folder in Settings > Models", code="vision.no_weights", folder=folder,
                role="vision", model=folder.name)
        return found[0]

    def __repr__(self) -> str:
        return f"ClipModel({self.name!r}, device={self.device!r}, dim={getattr(self, 'embed_dim', '?')})"

    # ---- embeddings -----------------------------------------------------------------------
    def preprocess(self, images: Sequence[ImageSource]):
        import torch

        tensors = []
        for im in images:
            pil = _centre_band(_as_upright_rgb(im))
            tensors.append(self._preprocess(pil))
        return torch.stack(tensors)

    def embed_images(self, images: Sequence[ImageSource], *, batch_size: int = 32) -> np.ndarray:
        """(N, D) float32, L2-normalised. Items are paths, bytes or PIL images."""
        import torch

        out = []
        for start in range(0, len(images), batch_size):
            batch = self.preprocess(list(images[start:start + batch_size]))
            with torch.inference_mode():
                feats = self._model.encode_image(batch.to(self.device, self._dtype), normalize=True)
            out.append(feats.float().cpu().numpy())
        if not out:
            return np.zeros((0, getattr(self, "embed_dim", 0)), dtype=np.float32)
        return _normalize(np.concatenate(out))

    def embed_texts(self, texts: Sequence[str], *, templates: Sequence[str] | None = None,
                    batch_size: int = 256, cancel: CancelToken | None = None) -> np.ndarray:
        """(N, D) float32, L2-normalised; with ``templates``, each text is the mean over its prompts."""
        import torch

        texts = list(texts)
        temps = list(templates) if templates else ["{}"]
        prompts = [_fill(t, x) for x in texts for t in temps]
        chunks = []
        for start in range(0, len(prompts), batch_size):
            if cancel is not None:
                cancel.raise_if_cancelled()
            tokens = self._tokenizer(prompts[start:start + batch_size]).to(self.device)
            with torch.inference_mode():
                feats = self._model.encode_text(tokens, normalize=True)
            chunks.append(feats.float().cpu().numpy())
        if not chunks:
            return np.zeros((0, getattr(self, "embed_dim", 0)), dtype=np.float32)
        emb = np.concatenate(chunks).reshape(len(texts), len(temps), -1).mean(axis=1)
        return _normalize(emb)

    def similarity(self, image: ImageSource, text: str) -> float:
        """Cosine similarity of an image and a text, in [-1, 1]."""
        return float(self.similarities([image], text)[0])

    def similarities(self, images: Sequence[ImageSource], text: str) -> np.ndarray:
        img = self.embed_images(images)
        txt = self.embed_texts([text], templates=("{}", "a picture of {}."))
        return (img @ txt[0]).astype(np.float32)

    # ---- vocabularies ---------------------------------------------------------------------
    def vocabulary(self, name: str, cancel: CancelToken | None = None) -> tuple[list[str], np.ndarray]:
        """(terms, (N, D) text embeddings) for a vocabulary, from the disk cache when possible."""
        cached = self._vocab_cache.get(name)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._vocab_cache.get(name)
            if cached is not None:
                return cached
            terms = load_vocabulary(name, self.vocab_dir)
            key = f"{self.identity}-{name}-{_vocab_hash(name, self.vocab_dir)}"
            file = self.cache_dir / "clip-text" / f"{key}.npy" if self.cache_dir else None
            emb = None
            if file is not None and file.is_file():
                try:
                    emb = np.load(file)
                    if emb.shape != (len(terms), self.embed_dim):
                        emb = None
                except (OSError, ValueError):
                    emb = None
            if emb is None:
                emb = self.embed_texts(terms, templates=_templates_for(name), cancel=cancel)
                if file is not None:
                    _atomic_save_npy(file, emb.astype(np.float32))
            self._vocab_cache[name] = (terms, emb)
            return terms, emb

    def _image_vector(self, image: ImageSource | np.ndarray) -> np.ndarray:
        if isinstance(image, np.ndarray):
            return image.reshape(-1).astype(np.float32)
        return self.embed_images([image])[0]

    def _softmax_labels(self, img: np.ndarray, terms: Sequence[str], emb: np.ndarray) -> list[Label]:
        logits = self.logit_scale * (emb @ img)
        probs = _softmax(logits)
        order = np.argsort(-probs, kind="stable")
        return [Label(terms[i], float(probs[i])) for i in order]

    def zero_shot(self, image: ImageSource | np.ndarray, vocab: str = "objects", top_k: int = 5) -> list[Label]:
        """The ``top_k`` terms of a vocabulary, scored by softmax over the whole vocabulary."""
        terms, emb = self.vocabulary(vocab)
        img = self._image_vector(image)
        probs = _softmax(self.logit_scale * (emb @ img))
        order = np.argsort(-probs, kind="stable")[: max(1, top_k)]
        return [Label(terms[i], float(probs[i])) for i in order]

    def labels_for(self, image: ImageSource | np.ndarray, candidates: Sequence[str],
                   *, templates: Sequence[str] | None = None) -> list[Label]:
        """Softmax over the given candidates (scores sum to 1), best first."""
        cands = list(dict.fromkeys(c.strip() for c in candidates if c and c.strip()))
        if not cands:
            raise BadInput("no candidate labels given; give at least one word or phrase to score",
                           code="vision.no_labels")
        emb = self.embed_texts(cands, templates=templates or ("a photo of {}.", "{}."))
        return self._softmax_labels(self._image_vector(image), cands, emb)

    # ---- questions --------------------------------------------------------------------------
    @property
    def lexicon(self) -> Lexicon:
        """The vocabularies in English and Chinese, read once per model."""
        if self._lexicon is None:
            with self._lock:
                if self._lexicon is None:
                    self._lexicon = Lexicon(self.vocab_dir)
        return self._lexicon

    def probabilities(self, image: ImageSource | np.ndarray, candidates: CandidateSet) -> np.ndarray:
        """CLIP's softmax over every candidate of the set (one probability each, in set order).

        A set that starts with a whole vocabulary uses that vocabulary's cached embeddings."""
        img = self._image_vector(image)
        if candidates.cached:
            terms, emb = self.vocabulary(candidates.vocab)
            if tuple(terms) != candidates.terms[:candidates.cached]:
                raise BadInput("the candidates do not start with the {vocab} vocabulary; "
                               "build them with candidates_for()", code="vision.wrong_vocabulary",
                               vocab=candidates.vocab)
            rest = candidates.phrases[candidates.cached:]
            if rest:
                emb = np.concatenate([emb, self.embed_texts(rest, templates=candidates.templates)])
        else:
            emb = self.embed_texts(candidates.phrases, templates=candidates.templates)
        return _softmax(self.logit_scale * (emb @ img))

    def _vocab_labels(self, img: np.ndarray, vocab: str, top_k: int, language: str) -> tuple[Label, ...]:
        lex = self.lexicon
        return tuple(Label(lex.label(vocab, lb.label, language), lb.score)
                     for lb in self.zero_shot(img, vocab, top_k))

    def evidence(self, image: ImageSource | np.ndarray, question: str, top_k: int = 5) -> Evidence:
        """Score what a question asks about against the image: one softmax over the full candidate
        set (every colour for "what colour is the car?", every object and the asked thing for
        "is there a wombat?"), with the yes/no answer for yes/no questions."""
        question = question or ""
        img = self._image_vector(image)
        lex = self.lexicon
        q = parse_question(question, lex)
        cands = candidates_for(q, lex)
        probs = self.probabilities(img, cands)
        index = {t: i for i, t in enumerate(cands.terms)}
        named = [q.value, q.subject if q.vocab == "objects" else ""]
        named += [m.term for m in q.mentioned if m.vocab == q.vocab]
        must = [index[t] for t in dict.fromkeys(named) if t in index]
        order = list(np.argsort(-probs, kind="stable"))
        chosen = order[:max(1, top_k)] + [i for i in must if i not in order[:max(1, top_k)]]
        chosen.sort(key=lambda i: (-probs[i], i))
        labels = tuple(Label(cands.label(i), float(probs[i])) for i in chosen)
        terms = tuple(cands.terms[i] for i in chosen)

        answer, answer_score = "", 0.0
        check: tuple[Label, ...] = ()
        rank, score = 0, 0.0
        if q.kind == "yes_no" and q.target in index:
            rank, score = order.index(index[q.target]) + 1, float(probs[index[q.target]])
        if q.kind == "yes_no" and q.asks == "presence":
            pair = presence_check(q.subject, lex.label("objects", q.subject, q.language), q.language)
            yes, no = (float(x) for x in self.probabilities(img, pair))
            answer, answer_score = ("yes", yes) if yes >= no else ("no", no)
            check = (Label(pair.label(0), yes), Label(pair.label(1), no))
        elif q.kind == "yes_no" and rank:
            answer, answer_score = ("yes", score) if rank == 1 else ("no", 1.0 - score)

        mentioned = tuple(dict.fromkeys(m.term for m in q.mentioned))
        return Evidence(question=question, kind=q.kind, labels=labels, subject=q.subject, mentioned=mentioned,
                        context=self._vocab_labels(img, "objects", 3, q.language),
                        places=self._vocab_labels(img, "scenes", 2, q.language),
                        language=q.language, asks=q.asks, target=q.target, target_rank=rank,
                        target_score=score, answer=answer,
                        answer_score=answer_score, check=check, candidates=len(cands), terms=terms,
                        unknown=q.unknown)


def _normalize(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.float32, copy=False)
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


def _softmax(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.float64)
    e = np.exp(x - x.max())
    return e / e.sum()


# ---------------------------------------------------------------------------------------------
# Folder search
# ---------------------------------------------------------------------------------------------

class FolderIndex:
    """Searchable CLIP embeddings of the pictures under a folder, updated incrementally.

    Embeddings live in one sqlite file per (folder, model) under ``cache_dir``, keyed by path,
    size and mtime: an update embeds only new or changed files, drops removed ones, and
    remembers unreadable files (counted in ``IndexReport.skipped``) until they change.
    """

    def __init__(self, root: str | Path, clip: ClipModel, cache_dir: str | Path, *, batch_size: int = 16,
                 decode_workers: int = 2):
        self.root = Path(root).expanduser().resolve()
        if not self.root.is_dir():
            raise BadInput("{root} is not a folder; choose a folder of pictures to search",
                           code="vision.search_not_a_folder", root=root)
        self.clip = clip
        self.batch_size = max(1, batch_size)
        self.decode_workers = max(1, decode_workers)
        cache = Path(cache_dir)
        cache.mkdir(parents=True, exist_ok=True)
        key = hashlib.sha256(str(self.root).encode()).hexdigest()[:16]
        self.db_path = cache / f"folder-{key}-{clip.identity}.sqlite"
        self._matrix: tuple[list[str], np.ndarray] | None = None
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, "
                       "mtime_ns INTEGER, emb BLOB, error TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('root', ?), ('model', ?)",
                       (str(self.root), json.dumps({"name": clip.name, "identity": clip.identity})))

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection that commits on success and is always closed."""
        db = sqlite3.connect(self.db_path, timeout=30)
        try:
            # WAL with NORMAL sync: a commit per batch costs no fsync, and a crash loses at most
            # the last batches (they are re-embedded on the next update)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            with db:
                yield db
        finally:
            db.close()

    def _scan(self) -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for fn in sorted(filenames):
                if fn.startswith(".") or Path(fn).suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                p = os.path.join(dirpath, fn)
                try:
                    st = os.stat(p)
                except OSError:
                    continue
                found[p] = (st.st_size, st.st_mtime_ns)
        return found

    def __len__(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM files WHERE emb IS NOT NULL").fetchone()[0])

    def update(self, progress: ProgressFn | None = None, cancel: CancelToken | None = None) -> IndexReport:
        """Embed new and changed pictures, drop removed ones. Cancel between batches (work so far is kept)."""
        from concurrent.futures import ThreadPoolExecutor

        t0 = time.monotonic()
        on_disk = self._scan()
        with self._connect() as db:
            known = {p: (s, m) for p, s, m in db.execute("SELECT path, size, mtime_ns FROM files")}
            removed = [p for p in known if p not in on_disk]
            db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in removed])
        todo = [p for p, sm in on_disk.items() if known.get(p) != sm]
        unchanged = len(on_disk) - len(todo)
        self._matrix = None
        embedded = 0
        skipped: list[str] = []
        draft = (self.clip.image_size * 2, self.clip.image_size * 2)

        def decode(p: str):
            try:
                return open_image(p, draft=draft), None
            except Exception as e:  # BadInput for bad files; anything else is skipped too
                return None, str(e) or type(e).__name__

        total = len(todo)
        if progress:
            progress(IndexProgress(0, total))
        batches = [todo[i:i + self.batch_size] for i in range(0, total, self.batch_size)]
        with ThreadPoolExecutor(max_workers=self.decode_workers) as pool, self._connect() as db:
            # decode the next batch while the current one is embedded
            pending = [pool.submit(decode, p) for p in batches[0]] if batches else []
            for n, batch in enumerate(batches):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                decoded = [f.result() for f in pending]
                pending = [pool.submit(decode, p) for p in batches[n + 1]] if n + 1 < len(batches) else []
                good = [(p, im) for p, (im, err) in zip(batch, decoded) if im is not None]
                bad = [(p, err) for p, (im, err) in zip(batch, decoded) if im is None]
                embs = self.clip.embed_images([im for _, im in good]) if good else np.zeros((0, 0))
                rows = [(p, *on_disk[p], embs[i].astype(np.float32).tobytes(), None) for i, (p, _) in enumerate(good)]
                rows += [(p, *on_disk[p], None, err) for p, err in bad]
                db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", rows)
                db.commit()  # each batch is kept even if a later one is cancelled
                embedded += len(good)
                skipped.extend(p for p, _ in bad)
                if progress:
                    progress(IndexProgress(min(n * self.batch_size + len(batch), total), total, batch[-1]))
        with self._connect() as db:
            previously_bad = [p for (p,) in db.execute("SELECT path FROM files WHERE emb IS NULL")]
            count = int(db.execute("SELECT COUNT(*) FROM files WHERE emb IS NOT NULL").fetchone()[0])
        all_skipped = sorted(set(previously_bad) | set(skipped))
        return IndexReport(total=count, embedded=embedded, unchanged=unchanged, removed=len(removed), skipped=len(all_skipped), seconds=time.monotonic() - t0,
                           skipped_files=tuple(all_skipped))

    def _load_matrix(self) -> tuple[list[str], np.ndarray]:
        if self._matrix is None:
            with self._connect() as db:
                rows = db.execute("SELECT path, emb FROM files WHERE emb IS NOT NULL ORDER BY path").fetchall()
            paths = [p for p, _ in rows]
            mat = (np.stack([np.frombuffer(b, dtype=np.float32) for _, b in rows]) if rows
                   else np.zeros((0, self.clip.embed_dim), dtype=np.float32))
            self._matrix = (paths, mat)
        return self._matrix

    def _search(self, vector: np.ndarray, top_k: int) -> list[SearchResult]:
        paths, mat = self._load_matrix()
        if not paths:
            return []
        scores = mat @ vector
        order = np.argsort(-scores, kind="stable")[: max(1, top_k)]
        return [SearchResult(Path(paths[i]), float(scores[i])) for i in order]

    def search_text(self, query: str, top_k: int = 10) -> list[SearchResult]:
        """Pictures best matching a description, best first."""
        if not query or not query.strip():
            raise BadInput("the search text is empty; describe what the pictures show",
                           code="vision.empty_search")
        vec = self.clip.embed_texts([query.strip()], templates=_SEARCH_TEMPLATES)[0]
        return self._search(vec, top_k)

    def search_image(self, example: ImageSource, top_k: int = 10) -> list[SearchResult]:
        """Pictures most like an example picture, best first."""
        return self._search(self.clip.embed_images([example])[0], top_k)


# ---------------------------------------------------------------------------------------------
# Factory
# ---------------------------------------------------------------------------------------------

def load(resolved, device, settings, *, cache_dir: str | Path | None = None) -> ClipModel:
    """Build the vision role from a catalog resolution (format 'open_clip')."""
    if resolved.format != "open_clip":
        raise ModelUnavailable(
            "{name} is a {format} model, not an open_clip one; choose an open_clip "
            "model for image understanding in Settings > Models", code="vision.wrong_format",
            name=resolved.name, format=resolved.format, role="vision", model=resolved.name)
    return ClipModel(resolved.path, device, name=resolved.name, cache_dir=cache_dir,
                     trusted_files=tuple(settings.models.trusted_files))
