"""Sentence embeddings (sentence-transformers) from a local folder, never the network.

``TextEmbedder`` loads a sentence-transformers folder (safetensors) with ``local_files_only=True``
passed explicitly; ``embed`` returns L2-normalised float32 rows, so a dot product is the cosine
similarity. The library is imported inside the constructor: importing this module is free.

``TextEmbedder.passages()`` is the encoder for document passages and the questions asked of them.
On the CPU, for a BERT model with mean pooling (MiniLM), it is an int8 CTranslate2 copy made once
from the weights already in memory (never from a file of its own) into ``converted_dir``: about
1.5x the passages a second of the bfloat16 model, vectors within a cosine of 0.995 of float32
(measured on MiniLM). Anywhere else, or when CTranslate2 cannot convert the model, it is the model
itself: the vectors of one model at any precision are one index's (see knowledge.index).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BadInput, ModelUnavailable
from .footprint import Footprint, tensor_footprint

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from .catalog import ResolvedModel
    from .devices import DeviceChoice
    from .settings import Settings

__all__ = ["PassageEncoder", "TextEmbedder", "as_texts", "load"]

log = logging.getLogger(__name__)


def as_texts(texts: Sequence[str] | str) -> list[str]:
    """One text or a list of them as a list; anything else is refused in one line."""
    items = [texts] if isinstance(texts, str) else list(texts)
    if not all(isinstance(t, str) for t in items):
        raise BadInput("Text embeddings need strings; got something else.", code="embed.not_strings")
    return items


class TextEmbedder:
    """A sentence-transformers model loaded from ``model_dir`` on ``device`` (cpu, cuda, mps).

    Like every role, it loads safetensors only: a folder (or one of its module sub-folders) whose
    weights are pickles (``pytorch_model.bin``) is refused unless that file is in ``trusted_files``.
    """

    def __init__(self, model_dir: str | Path, device: str = "cpu", *, batch_size: int | None = None,
                 trusted_files: Sequence[str] = (), cpu_bf16: bool = False,
                 converted_dir: str | Path | None = None):
        model_dir = Path(model_dir)
        if not (model_dir / "modules.json").is_file() and not (model_dir / "config.json").is_file():
            raise ModelUnavailable(
                "Cannot load the text embedding model: {folder} is not a sentence-transformers "
                "folder (no modules.json or config.json); choose another folder in Settings > Models.",
                code="embed.not_a_model_folder", folder=model_dir,
                role="embed", model=str(model_dir))
        safetensors_only = _check_weights(model_dir, trusted_files)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:  # pragma: no cover - dependency is declared
            raise ModelUnavailable(
                "Cannot load the text embedding model: sentence-transformers is not installed ({error}); "
                "install it with pip install sentence-transformers.", code="embed.not_installed", error=e,
                role="embed") from e
        try:
            self._model = SentenceTransformer(
                str(model_dir), device=device, local_files_only=True, trust_remote_code=False,
                model_kwargs={"use_safetensors": True} if safetensors_only else None)
        except Exception as e:
            raise ModelUnavailable(
                "Cannot load the text embedding model from {folder}: {kind}: {error}; "
                "check that the folder is complete.", code="embed.load_failed", folder=model_dir,
                kind=type(e).__name__, error=e, role="embed", model=str(model_dir)) from e
        self.model_dir = model_dir
        self.device = device
        # on the CPU small batches are faster (MiniLM, 2 cores: 8 passages a batch ~55-70/s, 64 ~31/s:
        # less padding, and the activations stay in cache); a GPU wants large ones
        self.batch_size = batch_size or (8 if device == "cpu" else 64)
        # bfloat16 autocast on a CPU that computes it natively (AVX512-BF16, AMX): ~1.6x the passages a
        # second, vectors within a cosine of 0.9999 of float32 (measured on MiniLM); elsewhere float32
        self.autocast = cpu_bf16 and device == "cpu" and _cpu_has_bf16()
        self.dimension = int(self._model.get_embedding_dimension() or 0)
        self.converted_dir = Path(converted_dir) if converted_dir else None
        self._safetensors_only = safetensors_only
        self._passages: TextEmbedder | PassageEncoder | None = None

    def footprint(self) -> Footprint:
        """The parameter and buffer bytes of the sentence-transformers model, on its device, and of
        its int8 passage encoder once made."""
        own = tensor_footprint(self._model)
        if isinstance(self._passages, PassageEncoder):
            return Footprint(own.device_bytes, own.host_bytes + self._passages.host_bytes)
        return own

    def passages(self) -> TextEmbedder | PassageEncoder:
        """The encoder for document passages and questions about them: an int8 CTranslate2 copy on
        the CPU where the model allows one (see the module's docstring), else this model."""
        if self._passages is None:
            self._passages = self
            if self.device == "cpu" and self.converted_dir is not None and self._safetensors_only:
                try:
                    self._passages = PassageEncoder.from_embedder(self)
                except _Unsupported as e:
                    log.info("document passages use %s as loaded: %s", self.model_dir.name, e)
                except Exception as e:  # a converter that fails: the model itself still works
                    log.warning("cannot make the int8 passage encoder of %s (%s: %s); using the model as "
                                "loaded", self.model_dir, type(e).__name__, e)
        return self._passages

    def embed(self, texts: Sequence[str] | str) -> np.ndarray:
        """Embed one text or a list: an array of shape (n, dimension), rows of unit length."""
        import numpy as np

        texts = as_texts(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        import contextlib

        import torch

        with torch.autocast("cpu", dtype=torch.bfloat16) if self.autocast else contextlib.nullcontext():
            vectors = self._model.encode(
                texts, batch_size=self.batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    def __repr__(self) -> str:
        return f"TextEmbedder({str(self.model_dir)!r}, device={self.device!r})"


class _Unsupported(Exception):
    """The model has a module or an architecture the int8 passage encoder does not reproduce."""


class PassageEncoder:
    """A sentence-transformers BERT model with mean pooling, run by CTranslate2 in int8 on the CPU.

    Made by ``from_embedder`` from the torch model already loaded (its tokenizer too), converted
    once into ``converted_dir/embed-ct2-int8-<key>`` (the key: the folder, its weights' sizes and
    times, and the CTranslate2 version), written to a temporary folder and renamed into place."""

    COMPUTE_TYPE = "int8_float32"

    def __init__(self, ct2_dir: Path, tokenize: Any, dimension: int, threads: int, model_dir: Path):
        import ctranslate2

        # one single-threaded replica a core, each taking its own batch: on 2 cores ~1.8x the passages a
        # second of one replica on both (MiniLM's batches are too small to split well between threads)
        import torch

        self.workers = max(1, min(int(threads), 8))
        own = torch.get_num_threads()
        self._encoder = ctranslate2.Encoder(str(ct2_dir), device="cpu", compute_type=self.COMPUTE_TYPE,
                                            inter_threads=self.workers, intra_threads=1)
        torch.set_num_threads(own)  # CTranslate2 set this thread's OpenMP threads to its intra_threads
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._tokenize = tokenize
        self.dimension = dimension
        self.model_dir = model_dir
        self.ct2_dir = ct2_dir
        self.host_bytes = sum(f.stat().st_size for f in ct2_dir.iterdir() if f.is_file())
        # a batch of 4 is fastest here (MiniLM, 2 cores, 2 replicas: 2 and 4 ~100, 8 ~92, 16 ~72 passages/s)
        self.batch_size = 4

    @classmethod
    def from_embedder(cls, embedder: TextEmbedder) -> PassageEncoder:
        try:
            import ctranslate2
        except ImportError as e:
            raise _Unsupported("CTranslate2 is not installed") from e
        import torch

        model = embedder._model
        transformer, _ = _bert_mean_pooling(model)
        hf = transformer.auto_model
        files = sorted(p for p in embedder.model_dir.rglob("*.safetensors") if p.is_file())
        fingerprint = json.dumps([str(embedder.model_dir.resolve()), ctranslate2.__version__,
                                  [(str(p.relative_to(embedder.model_dir)), p.stat().st_size,
                                    p.stat().st_mtime_ns) for p in files]])
        key = hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
        target = Path(embedder.converted_dir or ".") / f"embed-ct2-int8-{key}"
        if not (target / "model.bin").is_file():
            _convert(hf, transformer.tokenizer, target)
        max_len = int(model.max_seq_length or hf.config.max_position_embeddings)
        tokenizer = transformer.tokenizer

        def tokenize(texts: list[str]) -> list[list[int]]:
            return tokenizer([t.strip() for t in texts], truncation=True, max_length=max_len)["input_ids"]

        return cls(target, tokenize, embedder.dimension, torch.get_num_threads(), embedder.model_dir)

    def embed(self, texts: Sequence[str] | str) -> np.ndarray:
        """Embed one text or a list: an array of shape (n, dimension), rows of unit length."""
        import numpy as np

        texts = as_texts(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        ids = self._tokenize(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(ids[i]))  # like lengths batched: less padding
        batches = [order[s:s + self.batch_size] for s in range(0, len(order), self.batch_size)]

        def pooled(rows: list[int]) -> tuple[list[int], np.ndarray]:
            batch = [ids[i] for i in rows]
            hidden = np.asarray(self._encoder.forward_batch(batch).last_hidden_state, dtype=np.float32)
            lengths = np.array([len(b) for b in batch])
            mask = (np.arange(hidden.shape[1])[None, :] < lengths[:, None]).astype(np.float32)
            vec = (hidden * mask[..., None]).sum(axis=1) / lengths[:, None]
            return rows, vec / np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12)

        if len(batches) == 1 or self.workers == 1:
            done = map(pooled, batches)
        else:  # the replicas work in parallel (CTranslate2 releases the GIL)
            done = self._executor().map(pooled, batches)
        for rows, vec in done:
            out[rows] = vec
        return out

    def _executor(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="sensorium-passages")
            return self._pool

    def __repr__(self) -> str:
        return f"PassageEncoder({str(self.model_dir)!r}, int8 CTranslate2)"


def _bert_mean_pooling(model: Any) -> tuple[Any, Any]:
    """The Transformer and Pooling modules of a sentence-transformers model that is exactly a BERT
    encoder, mean pooling (and normalisation): what ``PassageEncoder`` reproduces."""
    mods = list(model)
    names = [type(m).__name__ for m in mods]
    if names not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise _Unsupported(f"its modules are {' + '.join(names)}, not Transformer + mean Pooling")
    transformer, pooling = mods[0], mods[1]
    config = pooling.get_config_dict()
    if config.get("pooling_mode") != "mean" or config.get("include_prompt") is False:
        raise _Unsupported(f"its pooling is {config.get('pooling_mode')!r}, not mean")
    hf = getattr(transformer, "auto_model", None)
    if type(hf).__name__ != "BertModel" or getattr(hf.config, "position_embedding_type", "absolute") != "absolute":
        raise _Unsupported(f"its encoder is {type(hf).__name__}, not a BERT model")
    if getattr(hf, "pooler", None) is None:
        raise _Unsupported("its BERT model has no pooler layer, which CTranslate2's converter expects")
    return transformer, pooling


def _convert(loaded: Any, tokenizer: Any, target: Path) -> None:
    """Convert the loaded BERT model to CTranslate2 int8 in ``target`` (written beside it, then renamed).

    It converts a copy: the converter's spec holds the model's own tensors and quantizes them in
    place, which would leave the loaded model (the router's) with garbage weights."""
    import copy

    import torch
    from ctranslate2.converters.transformers import BertLoader

    loader = BertLoader()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    hf_model = copy.deepcopy(loaded).float()
    try:
        config = hf_model.config
        missing = not hasattr(config, "position_embedding_type")
        if missing:  # transformers 5's BERT has absolute positions only and no such field: the converter asks
            config.position_embedding_type = "absolute"
        try:
            with torch.no_grad():
                spec = loader(hf_model, tokenizer)
        finally:
            if missing:
                del config.position_embedding_type
            del hf_model
        spec.validate()
        spec.optimize(quantization="int8")
        spec.save(str(tmp))
        try:
            os.replace(tmp, target)
        except OSError:  # another process converted it first
            if not (target / "model.bin").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _cpu_has_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (oneDNN's own check)."""
    try:
        import torch

        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:  # an older torch, or a build without oneDNN
        return False


def _check_weights(model_dir: Path, trusted_files: Sequence[str]) -> bool:
    """Refuse pickle weights that are not trusted (``UntrustedFile``); True when every folder with
    weights has safetensors, so the library is told to load those and nothing else."""
    from .trust import PICKLE_SUFFIXES, ensure_loadable

    folders = [model_dir, *(p for p in sorted(model_dir.iterdir()) if p.is_dir())]  # modules: 1_Pooling, 2_Dense
    pickles = [f for d in folders if not any(d.glob("*.safetensors"))
               for f in sorted(d.iterdir()) if f.is_file() and f.suffix.lower() in PICKLE_SUFFIXES]
    ensure_loadable(pickles, trusted_files)
    return not pickles


def load(resolved: ResolvedModel, device: DeviceChoice | str, settings: Settings | None = None,
         converted_dir: str | Path | None = None) -> TextEmbedder:
    """Factory for the catalog: a ``ResolvedModel`` of format 'sentence-transformers'; its int8
    passage encoder (``passages()``) is converted into ``converted_dir``."""
    if resolved.format != "sentence-transformers":
        raise ModelUnavailable(
            "Cannot load {name} as a text embedding model: its format is {format}, "
            "expected 'sentence-transformers'; pick a sentence-transformers folder.",
            code="embed.wrong_format", name=resolved.name, format=repr(resolved.format),
            role="embed", model=resolved.name)
    dev = device if isinstance(device, str) else device.device
    trusted = tuple(settings.models.trusted_files) if settings is not None else ()
    bf16 = settings is None or settings.device.dtype in ("auto", "bfloat16")
    return TextEmbedder(resolved.path, device=dev, trusted_files=trusted, cpu_bf16=bf16,
                        converted_dir=converted_dir)
