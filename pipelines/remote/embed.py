"""Text embeddings on a serving engine: ``POST /embeddings`` (llama.cpp's server with
``--embedding``, vLLM, Ollama, LocalAI, TEI's OpenAI route, a hosted API).

Texts go in batches (``batch_size``, and llama.cpp's server rejects an input longer than its
batch, so long texts are cut to ``max_chars`` first); the rows come back in the order of
``index`` and are normalised here, so a dot product is the cosine similarity exactly as with the
local ``TextEmbedder``. ``dimension`` is learned from the first answer.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..cancel import CancelToken
from ..embed import as_texts
from ..errors import Text
from ..settings import Settings
from .http import RemoteClient, ServerConfig

__all__ = ["RemoteEmbedder"]


class RemoteEmbedder(RemoteClient):
    """An embedding model behind an OpenAI-compatible server (``TextEmbedder``'s ``embed``)."""

    endpoint = "/embeddings"

    def __init__(self, config: ServerConfig, *, settings: Settings | None = None, batch_size: int = 32,
                 max_chars: int = 1500, transport: Any = None):
        super().__init__(config, transport=transport)
        self.batch_size = max(1, int(batch_size))
        self.max_chars = int(max_chars)
        self.dimension = 0

    def embed(self, texts: Sequence[str] | str, cancel: CancelToken | None = None) -> np.ndarray:
        texts = as_texts(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        rows: list[np.ndarray] = []
        for i in range(0, len(texts), self.batch_size):
            batch = [t[: self.max_chars] if t.strip() else " " for t in texts[i:i + self.batch_size]]
            rows.extend(self._batch(batch, cancel))
        out = np.stack(rows).astype(np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)

    def _batch(self, batch: list[str], cancel: CancelToken | None) -> list[np.ndarray]:
        resp = self.call("POST", "embeddings", idempotent=True, cancel=cancel,
                         json={"model": self.model, "input": batch, "encoding_format": "float"})
        obj = self.json(resp)
        data = obj.get("data") if isinstance(obj, dict) else None
        if not isinstance(data, list):
            raise self.fail(Text.of("server.embed_none", "the {title} server at {where} answered no embeddings for "
                                    "{texts} texts: check that servers.embed.model is an embedding model and that "
                                    "the server runs with embeddings on (llama-server --embedding)",
                                    title=self.title, where=self.where, texts=len(batch)))
        if len(data) != len(batch):
            raise self.fail(Text.of("server.embed_count", "the {title} server at {where} answered {count} embeddings "
                                    "for {texts} texts: check that servers.embed.model is an embedding model and "
                                    "that the server runs with embeddings on (llama-server --embedding)",
                                    title=self.title, where=self.where, count=len(data), texts=len(batch)))
        ordered = sorted(data, key=lambda d: d.get("index", 0) if isinstance(d, dict) else 0)
        rows = []
        for item in ordered:
            vec = item.get("embedding") if isinstance(item, dict) else None
            if isinstance(vec, list) and vec and isinstance(vec[0], list):  # some servers nest per token
                vec = vec[0]
            if not isinstance(vec, list) or not vec:
                raise self.fail(Text.of("server.embed_not_numbers", "the {title} server at {where} sent an embedding "
                                        "that is not a list of numbers (base64 is not read): check the server's "
                                        "version", title=self.title, where=self.where))
            rows.append(np.asarray(vec, dtype=np.float32))
        if self.dimension and rows[0].shape[0] != self.dimension:
            raise self.fail(Text.of("server.embed_size_changed", "the {title} server at {where} changed its "
                                    "embedding size from {before} to {now}: it serves another model now; restart "
                                    "Sensorium's search after changing servers.embed.model", title=self.title,
                                    where=self.where, before=self.dimension, now=rows[0].shape[0]))
        self.dimension = int(rows[0].shape[0])
        return rows
