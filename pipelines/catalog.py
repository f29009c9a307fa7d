"""Model catalog (placeholder types; full implementation in progress)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("asr", "vision", "chat", "imagegen", "tts", "embed")


@dataclass(frozen=True)
class ResolvedModel:
    """Where a role's weights are. ``path`` is a folder or a single file (a .gguf, a .onnx)."""

    role: str
    name: str
    path: Path
    format: str  # ctranslate2 | open_clip | transformers | gguf | diffusers | piper | coqui | sentence-transformers
    source: str  # user-path | package | hf-cache | downloaded
    extra: dict = field(default_factory=dict)
