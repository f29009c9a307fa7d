"""Speech beside the thinking: a spoken reply's three stages run at once.

The language model's text is pulled on one thread and cut into segments to speak as it streams
(``speech_text.SpeechSegmenter``); a second thread synthesizes the segments in order; the caller's
generator hands out each piece of text and each chunk of audio the moment it is ready, from one
queue. Playback is the caller's (a sink whose ``play`` returns at once), so the model never waits
for the voice and the voice never waits for the next token.

Both threads end when the reply is done, when the turn's ``CancelToken`` fires, when either fails
(the error is raised to the caller), or when the caller stops iterating; they are joined before
the generator returns.
"""
from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cancel import Cancelled, CancelToken
from .events import SpeechChunk
from .speech_text import SpeechSegment, SpeechSegmenter

if TYPE_CHECKING:
    from .tts import Synthesizer

__all__ = ["ReplyPiece", "ReplyEnd", "ReplyAudio", "speak_while_thinking"]


@dataclass(frozen=True)
class ReplyPiece:
    """A piece of the reply's text, as the model produced it at ``at`` (on the caller's clock)."""

    text: str
    at: float


@dataclass(frozen=True)
class ReplyEnd:
    """The model finished the reply at ``at``."""

    at: float


@dataclass(frozen=True)
class ReplyAudio:
    """One chunk of speech, ready at ``at``, whose synthesis took ``synthesis_s`` seconds."""

    chunk: SpeechChunk
    at: float
    synthesis_s: float


@dataclass(frozen=True)
class _Failure:
    error: BaseException


_END = object()  # no more segments
_FINISHED = object()  # a thread is done


def speak_while_thinking(pieces: Callable[[], Iterable[str]], synth: Synthesizer, segmenter: SpeechSegmenter,
                         cancel: CancelToken, *, clock: Callable[[], float] = time.perf_counter
                         ) -> Iterator[ReplyPiece | ReplyEnd | ReplyAudio]:
    """Pull the reply from ``pieces()`` (the model's stream, which should honour ``cancel``) and
    speak it through ``synth`` (a ``tts.Synthesizer`` that takes the segments' text as it is);
    yield each piece, the end of the text, and each chunk of audio as soon as it is ready. The
    chunks are numbered through the reply and carry the span of the reply text they speak."""
    events: queue.SimpleQueue = queue.SimpleQueue()
    segments: queue.SimpleQueue = queue.SimpleQueue()
    stop = CancelToken()  # the caller is gone (the reply is over, failed, or was left): both threads end

    def think() -> None:
        try:
            stream = pieces()
            try:
                for piece in stream:
                    events.put(ReplyPiece(piece, clock()))
                    for segment in segmenter.feed(piece):
                        segments.put(segment)
                    cancel.raise_if_cancelled()
                    if stop.cancelled:
                        return
            finally:
                close = getattr(stream, "close", None)
                if close is not None:  # a generator: let it release the model now, on this thread
                    close()
            for segment in segmenter.flush():
                segments.put(segment)
            events.put(ReplyEnd(clock()))
        except BaseException as e:  # raised on the caller's thread
            events.put(_Failure(e))
        finally:
            segments.put(_END)
            events.put(_FINISHED)

    def speak() -> None:
        index = 0
        try:
            while not stop.cancelled:
                segment = segments.get()
                if segment is _END:
                    break
                for chunk in _synthesize(synth, segment, index, cancel, stop, clock):
                    events.put(chunk)
                    index += 1
        except BaseException as e:
            events.put(_Failure(e))
        finally:
            events.put(_FINISHED)

    threads = [threading.Thread(target=think, name="sensorium-reply-text", daemon=True),
               threading.Thread(target=speak, name="sensorium-reply-voice", daemon=True)]
    for th in threads:
        th.start()
    try:
        running = len(threads)
        while running:
            item = events.get()
            if cancel.cancelled:  # nothing more once the turn is cancelled, not even what is queued
                raise Cancelled()
            if item is _FINISHED:
                running -= 1
            elif isinstance(item, _Failure):
                raise item.error
            else:
                yield item
    finally:
        stop.cancel()
        segments.put(_END)  # wakes the voice if the text thread is still running
        for th in threads:
            th.join()


def _synthesize(synth: Synthesizer, segment: SpeechSegment, index: int, cancel: CancelToken, stop: CancelToken,
                clock: Callable[[], float]) -> Iterator[ReplyAudio]:
    """The chunks of one segment, one per sentence the synthesizer makes of it; a segment split
    into several chunks shares its span out in proportion to their text."""
    sentences = synth.sentences(segment.text) if segment.text else []
    total = sum(len(s) for s in sentences)
    width = segment.end - segment.start
    done = 0
    for sentence in sentences:
        if cancel.cancelled:
            raise Cancelled()
        if stop.cancelled:
            return
        t = clock()
        audio = synth.synthesize_sentence(sentence)
        now = clock()
        start = segment.start + width * done // total
        done += len(sentence)
        end = segment.start + width * done // total
        yield ReplyAudio(SpeechChunk(audio, synth.sample_rate, sentence, index, start, end), now, now - t)
        index += 1
