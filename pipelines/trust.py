"""Which weight files may be loaded.

Only safetensors, GGUF, CTranslate2 and ONNX load by default. A pickle checkpoint (.bin, .pt,
.ckpt, .pth, .pkl; Coqui checkpoints included) can run code when unpickled, so it is refused
with an explanation unless the user listed that exact file in ``models.trusted_files``. Even a
trusted pickle is read with ``torch.load(weights_only=True)``.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .errors import UntrustedFile

__all__ = ["PICKLE_SUFFIXES", "SAFE_SUFFIXES", "is_pickle", "ensure_loadable", "safe_torch_load"]

PICKLE_SUFFIXES = frozenset({".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle", ".tar"})
SAFE_SUFFIXES = frozenset({".safetensors", ".gguf", ".onnx"})


def is_pickle(path: Path, *, ctranslate2: bool = False) -> bool:
    """True for pickle checkpoints. CTranslate2's model.bin is its own safe format."""
    if ctranslate2 and path.name == "model.bin" and (path.parent / "config.json").exists():
        return False
    return path.suffix.lower() in PICKLE_SUFFIXES


def _trusted(path: Path, trusted_files: Iterable[str]) -> bool:
    target = path.expanduser().resolve()
    return any(Path(t).expanduser().resolve() == target for t in trusted_files if t)


def ensure_loadable(paths: Iterable[Path], trusted_files: Iterable[str], *, ctranslate2: bool = False) -> None:
    """Raise ``UntrustedFile`` for the first pickle checkpoint that is not explicitly trusted."""
    trusted_files = list(trusted_files)
    for p in paths:
        if is_pickle(p, ctranslate2=ctranslate2) and not _trusted(p, trusted_files):
            raise UntrustedFile(
                "refusing to load {name}: it is a pickle checkpoint, which can run code when opened; "
                "convert it to safetensors, or if you trust it add \"{path}\" to models.trusted_files in settings",
                code="trust.pickle_refused", name=p.name, path=p
            )


def safe_torch_load(path: Path, trusted_files: Iterable[str]):
    """Load a trusted pickle checkpoint with ``weights_only=True`` (tensors and plain containers only)."""
    ensure_loadable([path], trusted_files)
    import torch

    return torch.load(str(path), map_location="cpu", weights_only=True)
