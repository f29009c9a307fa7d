"""The "ask_documents" turn: answer from the passages of the user's documents, citing them.

``answer(engine, turn, text, cancel, st, t0, chat)`` embeds the question with the embed role,
takes the ``settings.documents.top_k`` passages above ``min_score``, yields ``Citations`` before
the reply, and streams a reply told to answer only from the numbered sources and cite them as
``[n]``; the reply's meta keeps ``citations``. With no document indexed, or none close to the
question, one notice says so and the turn is answered as a plain chat (``chat``).

``documents.answer`` quote (auto chooses it for a chat model whose catalog entry says so: SmolLM2-135M
cannot write from passages) answers instead with the passages' sentence closest in meaning to the
question and the closer of its neighbours, quoted with its ``[n]`` (``quote``): on the labelled
questions of tests/data/docs the quote holds the answer's phrase for 28 of the 31 with a passage.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import Text
from ..events import Citations, Event, Notice, Passage

__all__ = ["answer", "sources_prompt", "INSTRUCTION", "answer_mode", "sentences", "quote"]

INSTRUCTION = (" Answer the user's question using only the numbered sources below, which are passages of the "
               "user's own documents. Cite the source of each statement with its number in square brackets, "
               "like [1]. If the sources do not answer the question, say that the documents do not say.")


def _where(p: Passage) -> str:
    name = Path(p.file).name
    return f"{name}, page {p.page}" if p.page is not None else name


def sources_prompt(passages: list[Passage] | tuple[Passage, ...]) -> str:
    """The numbered sources as the system prompt lists them."""
    return "\n\nSources:\n" + "\n\n".join(f"[{p.number}] ({_where(p)}) {' '.join(p.text.split())}"
                                          for p in passages)


#: Where a sentence ends: after . ! ? ; before a capital, a digit or an opening quote; after 。！？；
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“‘(\[A-Z0-9])|(?<=[。！？；])")
_ENDS = re.compile(r"[.!?。！？:;)\]\"”’]$")


def sentences(text: str) -> list[str]:
    """A passage's sentences, in order; headings and titles (a line with no end punctuation) left out."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        block = " ".join(block.split())
        if not block or block.startswith("#") or (not _ENDS.search(block) and len(block) < 60):
            continue
        out += [s for s in (x.strip() for x in _SENTENCE_END.split(block)) if len(s.split()) >= 3 or len(s) >= 8]
    return out


def quote(question: Any, passages: Sequence[Passage], embed: Callable[[list[str]], Any]) -> str:
    """The sentence of ``passages`` closest in meaning to ``question`` (its embedding, by the index's
    model ``embed``) with the closer of its neighbours in the same passage, quoted and cited as
    ``[n]``; "" when the passages hold no sentence."""
    import numpy as np

    found = [(p.number, s) for p in passages for s in sentences(p.text)]
    if not found:
        return ""
    scores = np.asarray(embed([s for _, s in found]), dtype=np.float32) @ np.asarray(question, np.float32)
    best = int(np.argmax(scores))
    near = [j for j in (best - 1, best + 1) if 0 <= j < len(found) and found[j][0] == found[best][0]]
    chosen = sorted({best, max(near, key=lambda j: scores[j])} if near else {best})
    return "\u201c" + " ".join(found[j][1] for j in chosen) + f"\u201d [{found[best][0]}]"


def answer_mode(engine: Any) -> str:
    """``documents.answer``, auto resolved: the chosen catalog chat model's ``documents_answer``, else write
    (a model of the user's own, a server's)."""
    from ..errors import ModelUnavailable

    mode = engine.settings.documents.answer
    if mode != "auto":
        return mode
    if engine.settings.server("chat") is not None:
        return "write"
    try:
        entry = engine.catalog.entry(engine.catalog.chosen("chat"))
    except ModelUnavailable:  # a folder or a .gguf file of the user's own
        return "write"
    return entry.defaults.documents_answer or "write"


class _Quoted:
    """The reply of a quoted answer, as a chat backend streams one (so it is timed, stored and spoken
    like any reply)."""

    def __init__(self, name: str, text: str):
        self.name = name
        self.text = text

    def stream(self, messages: Any, params: Any, cancel: Any = None) -> Iterator[str]:
        yield self.text


def answer(engine: Any, turn: Any, text: str, cancel: Any, st: Any, t0: float,
           chat: Callable[[], Iterator[Event]]) -> Iterator[Event]:
    from ..llm import ChatMessage, fit_context

    index = engine.document_index()
    s = engine.settings.documents
    question = index.embedder.embed([text])[0] if len(index) and text.strip() else None
    passages = index.search_vector(question, top_k=s.top_k, min_score=s.min_score) if question is not None else []
    st.models["embed"] = engine._model_name("embed")
    if not passages:
        if not len(index):
            note = Text.of("documents.none_indexed", "no documents are indexed yet, so this is answered as a plain "
                           "chat: add some with `sensorium docs add PATH` or drop a file on the window")
        else:
            note = Text.of("documents.nothing_relevant", "nothing in your indexed documents is close to this "
                           "question, so it is answered as a plain chat: add the documents that cover it with "
                           "`sensorium docs add PATH` or drop them on the window")
        yield Notice.from_text(note)
        yield from chat()
        return
    yield Citations(text, tuple(passages))
    st.meta["citations"] = [p.as_citation() for p in passages]
    quoted = quote(question, passages, index.embedder.embed) if answer_mode(engine) == "quote" else ""
    if quoted:
        st.meta["answer"] = "quote"
        yield from engine._once(st, Text.of(
            "documents.quoting", "{model} is too small to write answers from your documents, so the sentences that "
            "answer the question are quoted: choose a larger chat model in Models, or set documents.answer to write",
            model=engine.catalog.chosen("chat")))
        yield from engine._stream_reply([], turn, cancel, st, t0, _Quoted(engine._model_name("embed"), quoted),
                                        role="embed")
        st.timings.pop("llm_first_token_ms", None)  # no language model ran
        return
    st.meta["answer"] = "write"
    system = engine.settings.chat.system_prompt
    if st.language:
        from ..voice import reply_language_instruction

        system += reply_language_instruction(st.language)
    system += INSTRUCTION + sources_prompt(passages)
    history = engine._history(st)
    if not history or history[-1].role != "user" or history[-1].content != text:
        history.append(ChatMessage("user", text))
    with engine.chat_lease(cancel) as backend:
        fit = fit_context(system, history, backend, engine.settings.chat.max_new_tokens)
        yield from engine._stream_reply(fit.messages, turn, cancel, st, t0, backend)
