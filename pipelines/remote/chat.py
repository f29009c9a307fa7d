"""The chat role on a serving engine: ``POST /chat/completions`` with ``stream: true`` (llama.cpp's
server, vLLM, SGLang, Ollama, LM Studio, or a hosted API).

Token counts are estimated (``estimate_tokens``): the Chat Completions API has no tokenize
endpoint, and the servers that have one disagree on it. ``context_window`` is whatever the user
configured (default 4096), since the API does not report it either.
"""
from __future__ import annotations

import json
import time
from collections.abc import Generator, Iterable, Iterator, Sequence
from typing import Any

from ..cancel import Cancelled, CancelToken
from ..errors import BadInput, Text
from ..llm import ChatMessage, GenerationParams, GenerationStats, _relay, _StopFilter
from ..settings import Settings
from .http import RemoteClient, ServerConfig, sse_events

__all__ = ["OpenAIChat", "estimate_tokens", "stream_completion"]


def estimate_tokens(messages: Sequence[ChatMessage]) -> int:
    """Rough prompt size for a server whose tokenizer we do not have: about 4 characters per
    token (the usual figure for English with BPE vocabularies), plus 4 tokens of chat-template
    framing per message and 3 for the reply prompt. Errs on the high side for English prose."""
    return sum(4 + (len(m.content) + 2) // 3 for m in messages) + 3


def _delta(client: RemoteClient, data: str) -> tuple[str, bool]:
    """The text in one streamed chunk ('' for role-only and usage chunks), and whether it is the
    last one (it carries a finish_reason)."""
    try:
        obj = json.loads(data)
    except ValueError:
        raise client.not_json(data) from None
    if isinstance(obj, dict) and obj.get("error"):
        err = obj["error"]
        msg = err.get("message", err) if isinstance(err, dict) else err
        raise client.fail(Text.of("server.chat_error", "the {title} server at {where} stopped with an error: "
                                  "{error}", title=client.title, where=client.where, error=str(msg)[:200]))
    try:
        choice = obj["choices"][0]
    except (KeyError, IndexError, TypeError):
        return "", False
    delta = choice.get("delta") or {}
    text = delta.get("content")
    if text is None:  # some servers send whole messages or legacy "text"
        text = (choice.get("message") or {}).get("content") or choice.get("text") or ""
    return (text if isinstance(text, str) else ""), bool(choice.get("finish_reason"))


def stream_completion(client: RemoteClient, body: dict[str, Any], stop: _StopFilter,
                      cancel: CancelToken | None) -> Generator[str, None, str]:
    """Stream one chat completion's text (the chat and image-question clients share it): the
    connection closes when the caller stops reading, is cancelled, or a stop string is seen; a
    break in the middle raises a one-line ModelUnavailable after the pieces that came.
    Returns the reason it stopped (``_relay``'s)."""
    finished = False

    def texts(events: Iterable[str]) -> Iterator[str]:
        nonlocal finished
        for event in events:
            if event == "[DONE]":
                finished = True
            if finished or (cancel is not None and cancel.cancelled):
                return
            text, finished = _delta(client, event)
            if text:
                yield text

    # idempotent=False: a request the server took is never sent twice (it may be generating)
    with client.open_stream("POST", "chat/completions", idempotent=False, cancel=cancel, json=body,
                       headers={"Accept": "text/event-stream"}) as resp:
        stopped = yield from _relay(texts(sse_events(resp.iter_lines())), stop, cancel)
    if stopped == "eos-or-length" and not finished:  # the stream ended without its last chunk
        raise client.fail(Text.of("server.chat_cut_short", "the {title} server at {where} stopped in the middle "
                                  "of its answer: what came so far is kept; try again, or check the server's log",
                                  title=client.title, where=client.where))
    return stopped


class OpenAIChat(RemoteClient):
    """A chat model behind an OpenAI-compatible server (a ``ChatBackend``)."""

    endpoint = "/chat/completions"

    def __init__(self, config: ServerConfig, *, settings: Settings | None = None, context_window: int = 0,
                 transport: Any = None):
        super().__init__(config, transport=transport)
        context_window = context_window or (settings.chat.context_tokens if settings is not None else 0)
        self.context_window = int(context_window) if context_window and context_window > 0 else 4096
        self.last_stats: GenerationStats | None = None

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return estimate_tokens(messages)

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams | None = None,
               cancel: CancelToken | None = None) -> Iterator[str]:
        params = params or GenerationParams()
        if cancel is not None:
            cancel.raise_if_cancelled()
        if not messages:
            raise BadInput("there is nothing to answer: the conversation has no messages",
                           code="chat.no_messages")
        body: dict[str, Any] = {"model": self.model, "messages": [m.as_dict() for m in messages], "stream": True,
                                "max_tokens": params.max_new_tokens}
        # sampling values left None are left to the server, which knows its model's recommendations
        if params.temperature is not None:
            body["temperature"] = float(params.temperature)
        if params.top_p is not None and not params.greedy:
            body["top_p"] = float(params.top_p)
        if params.top_k is not None and not params.greedy:
            body["top_k"] = int(params.top_k)  # an extension llama.cpp, vLLM and Ollama read
        if params.repetition_penalty is not None:
            body["repetition_penalty"] = float(params.repetition_penalty)
        if params.seed is not None:
            body["seed"] = int(params.seed)
        if params.stop:
            body["stop"] = list(params.stop)[:4]
        t0 = time.perf_counter()
        pieces = 0
        stopped = "eos-or-length"
        try:
            for piece in stream_completion(self, body, _StopFilter(params.stop), cancel):
                pieces += 1
                yield piece
        except GeneratorExit:
            stopped = "closed"
            raise
        except Cancelled:
            stopped = "cancelled"
            raise
        finally:
            self.last_stats = GenerationStats(0, pieces, time.perf_counter() - t0, stopped)
        if cancel is not None and cancel.cancelled:
            raise Cancelled()
