"""Sentence embeddings (sentence-transformers) from a local folder, never the network.

``TextEmbedder`` loads a sentence-transformers folder (safetensors) with ``local_files_only=True``
passed explicitly; ``embed`` returns L2-normalised float32 rows, so a dot product is the cosine
similarity. The library is imported inside the constructor: importing this module is free.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BadInput, ModelUnavailable
from .footprint import Footprint, tensor_footprint

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from .catalog import ResolvedModel
    from .devices import DeviceChoice
    from .settings import Settings

__all__ = ["TextEmbedder", "as_texts", "load"]


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
                 trusted_files: Sequence[str] = (), cpu_bf16: bool = False):
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

    def footprint(self) -> Footprint:
        """The parameter and buffer bytes of the sentence-transformers model, on its device."""
        return tensor_footprint(self._model)

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


def load(resolved: ResolvedModel, device: DeviceChoice | str, settings: Settings | None = None) -> TextEmbedder:
    """Factory for the catalog: a ``ResolvedModel`` of format 'sentence-transformers'."""
    if resolved.format != "sentence-transformers":
        raise ModelUnavailable(
            "Cannot load {name} as a text embedding model: its format is {format}, "
            "expected 'sentence-transformers'; pick a sentence-transformers folder.",
            code="embed.wrong_format", name=resolved.name, format=repr(resolved.format),
            role="embed", model=resolved.name)
    dev = device if isinstance(device, str) else device.device
    trusted = tuple(settings.models.trusted_files) if settings is not None else ()
    bf16 = settings is None or settings.device.dtype in ("auto", "bfloat16")
    return TextEmbedder(resolved.path, device=dev, trusted_files=trusted, cpu_bf16=bf16)
