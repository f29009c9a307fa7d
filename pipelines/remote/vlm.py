"""Image questions on a serving engine: ``POST /chat/completions`` streamed, with the picture as an
OpenAI image content part (vLLM, SGLang, llama.cpp's server with a multimodal projector, Ollama,
LM Studio, a hosted API), in place of the local ``vlm.TransformersVlm``.

The chat is the local one's: the picture goes in the first user turn, before its question, and
earlier questions and answers about it (``history``) are the earlier turns. The picture is opened
here (``open_image``: EXIF orientation, RGB), shrunk to ``max_side`` pixels on its longest side
when it is bigger (2048 by default, what the local model sees on a GPU), and sent as a data URL:
PNG (lossless) up to about a megapixel, JPEG (quality 90) above, so a photo stays a few hundred
kilobytes. The answer is greedy (temperature 0) like the local one; the server's own chat template
and image processing apply. The streaming, cancel and one-line errors are the chat client's
(``stream_completion``).
"""
from __future__ import annotations

import base64
import io
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..cancel import Cancelled, CancelToken
from ..errors import BadInput
from ..llm import _StopFilter
from ..settings import Settings
from ..vlm import DEFAULT_MAX_NEW_TOKENS, GPU_MAX_SIDE, QA, VlmStats
from .chat import stream_completion
from .http import RemoteClient, ServerConfig

if TYPE_CHECKING:
    from ..images import ImageSource

__all__ = ["RemoteVlm", "image_data_url", "PNG_MAX_PIXELS"]

#: Pictures up to this many pixels go as PNG (exact); larger ones as JPEG
PNG_MAX_PIXELS = 1024 * 1024
JPEG_QUALITY = 90


def image_data_url(image: ImageSource, *, max_side: int = GPU_MAX_SIDE, image_format: str = "auto") -> str:
    """The picture as a ``data:image/...;base64,`` URL, at most ``max_side`` pixels on its longest
    side (shrunk as ``TransformersVlm`` shrinks it). ``image_format``: auto, png or jpeg."""
    from ..images import open_image

    pil = open_image(image)
    if max(pil.size) > max_side:
        scale = max_side / max(pil.size)
        pil = pil.resize((max(1, round(pil.width * scale)), max(1, round(pil.height * scale))))
    fmt = image_format.lower()
    if fmt == "auto":
        fmt = "png" if pil.width * pil.height <= PNG_MAX_PIXELS else "jpeg"
    if fmt not in ("png", "jpeg"):
        raise BadInput("image format {image_format} cannot be sent: choose auto, png or jpeg",
                       code="server.vlm_bad_image_format", image_format=repr(image_format))
    buf = io.BytesIO()
    if fmt == "png":
        pil.save(buf, "PNG", compress_level=6)
    else:
        pil.save(buf, "JPEG", quality=JPEG_QUALITY)
    return f"data:image/{fmt};base64," + base64.b64encode(buf.getvalue()).decode("ascii")


class RemoteVlm(RemoteClient):
    """A vision-language model behind an OpenAI-compatible server (a ``VisionLanguageModel``)."""

    endpoint = "/chat/completions"

    def __init__(self, config: ServerConfig, *, settings: Settings | None = None, max_side: int = GPU_MAX_SIDE,
                 image_format: str = "auto", transport: Any = None):
        super().__init__(config, transport=transport)
        self.max_side = int(max_side)
        self.image_format = image_format
        self.last_stats: VlmStats | None = None

    @staticmethod
    def messages(question: str, image_url: str, history: Sequence[QA] = ()) -> list[dict[str, Any]]:
        """The chat in OpenAI's content-part form: the picture, then the first question; later turns
        are text (``TransformersVlm.messages``'s order)."""
        turns = [*history, QA(question, "")]
        out: list[dict[str, Any]] = []
        for i, qa in enumerate(turns):
            content: list[dict[str, Any]] = [{"type": "image_url", "image_url": {"url": image_url}}] if i == 0 else []
            content.append({"type": "text", "text": qa.question})
            out.append({"role": "user", "content": content})
            if i < len(turns) - 1:
                out.append({"role": "assistant", "content": qa.answer})
        return out

    def stream(self, image: ImageSource, question: str, *, history: Sequence[QA] = (),
               max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS, cancel: CancelToken | None = None) -> Iterator[str]:
        if cancel is not None:
            cancel.raise_if_cancelled()
        question = " ".join((question or "").split())
        if not question:
            raise BadInput("the question about the picture is empty: ask something about it",
                           code="vlm.empty_question")
        url = image_data_url(image, max_side=self.max_side, image_format=self.image_format)
        body: dict[str, Any] = {"model": self.model, "messages": self.messages(question, url, history),
                                "stream": True, "max_tokens": max(1, int(max_new_tokens)), "temperature": 0.0}
        t0 = time.perf_counter()
        pieces = 0
        stopped = "eos-or-length"
        try:
            for piece in stream_completion(self, body, _StopFilter(()), cancel):
                pieces += 1
                yield piece
        except GeneratorExit:
            stopped = "closed"
            raise
        except Cancelled:
            stopped = "cancelled"
            raise
        except Exception:
            stopped = "error"
            raise
        finally:
            if cancel is not None and cancel.cancelled and stopped == "eos-or-length":
                stopped = "cancelled"
            self.last_stats = VlmStats(0, pieces, time.perf_counter() - t0, stopped)
        if cancel is not None and cancel.cancelled:
            raise Cancelled()

    def answer(self, image: ImageSource, question: str, *, history: Sequence[QA] = (),
               max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS, cancel: CancelToken | None = None,
               on_token: Callable[[str], None] | None = None) -> str:
        pieces = []
        for piece in self.stream(image, question, history=history, max_new_tokens=max_new_tokens, cancel=cancel):
            pieces.append(piece)
            if on_token is not None:
                on_token(piece)
        return "".join(pieces).strip()

    def __repr__(self) -> str:
        return f"RemoteVlm({self.model!r}, {self.where!r})"
