"""The "ask_documents" turn: answer from the passages of the user's documents, citing them.

``answer(engine, turn, text, cancel, st, t0, chat)`` embeds the question with the embed role,
takes the ``settings.documents.top_k`` passages above ``min_score``, yields ``Citations`` before
the reply, and streams a reply told to answer only from the numbered sources and cite them as
``[n]``; the reply's meta keeps ``citations``. With no document indexed, or none close to the
question, one notice says so and the turn is answered as a plain chat (``chat``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Text
from ..events import Citations, Event, Notice, Passage

__all__ = ["answer", "sources_prompt", "INSTRUCTION"]

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


def answer(engine: Any, turn: Any, text: str, cancel: Any, st: Any, t0: float,
           chat: Callable[[], Iterator[Event]]) -> Iterator[Event]:
    from ..llm import ChatMessage, fit_context

    index = engine.document_index()
    s = engine.settings.documents
    passages = index.search(text, top_k=s.top_k, min_score=s.min_score) if len(index) else []
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
