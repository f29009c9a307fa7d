"""The user's ratings as training data: preference pairs and good replies, with a held-out slice.

A pair is a user message with one reply rated good (+1) and one rated bad (-1) (regenerate a reply and
rate both); a good reply without a bad one is an SFT example. The held-out slice is chosen by
``pipelines.learning.session.split`` (a stable hash of the prompt).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import BadInput

__all__ = ["PreferencePair", "GoodReply", "RatingSet", "collect", "from_records",
           "MIN_PAIRS", "MIN_GOOD"]

#: the fewest pairs for DPO, and good replies for SFT (a quarter of them, at least 2, are held out)
MIN_PAIRS = 8
MIN_GOOD = 8


@dataclass(frozen=True)
class PreferencePair:
    prompt: str
    chosen: str
    rejected: str


@dataclass(frozen=True)
class GoodReply:
    prompt: str
    reply: str


@dataclass(frozen=True)
class RatingSet:
    pairs: tuple[PreferencePair, ...] = ()
    good: tuple[GoodReply, ...] = ()
    bad: tuple[GoodReply, ...] = ()

    def method(self, wanted: str = "auto") -> str:
        """dpo with enough pairs (or when asked for), else sft on the good replies; BadInput when the
        ratings are too few for the method, saying how many more are needed."""
        if wanted == "dpo" or (wanted == "auto" and len(self.pairs) >= MIN_PAIRS):
            if len(self.pairs) < MIN_PAIRS:
                raise BadInput("learning from pairs needs {need} replies rated both ways (a good and a bad reply to the "
                               "same message); there are {have}: regenerate replies and rate both, {more} more",
                               code="learning.too_few_pairs", need=MIN_PAIRS, have=len(self.pairs),
                               more=MIN_PAIRS - len(self.pairs))
            return "dpo"
        good = len(self.good) + len(self.pairs)
        if good < MIN_GOOD:
            raise BadInput("learning from ratings needs at least {need} replies rated good; there are {have}: rate "
                           "{more} more replies with a thumb up (or good and bad replies to the same message)",
                           code="learning.too_few_ratings", need=MIN_GOOD, have=good, more=MIN_GOOD - good)
        return "sft"

    def sft_examples(self) -> tuple[GoodReply, ...]:
        """The good replies, those of the pairs included."""
        return self.good + tuple(GoodReply(p.prompt, p.chosen) for p in self.pairs)


def from_records(records: list[Any]) -> RatingSet:
    """A RatingSet from ``HistoryStore.rated_replies()`` records: per user message, its good and bad
    replies are paired in order; what is left over is a good (or bad) reply on its own."""
    by_prompt: dict[int, list[Any]] = {}
    for r in records:
        by_prompt.setdefault(r.prompt_id, []).append(r)
    pairs: list[PreferencePair] = []
    good: list[GoodReply] = []
    bad: list[GoodReply] = []
    for replies in by_prompt.values():
        prompt = replies[0].prompt
        ups = [r for r in replies if r.rating > 0]
        downs = [r for r in replies if r.rating < 0]
        n = min(len(ups), len(downs))
        pairs += [PreferencePair(prompt, u.text, d.text) for u, d in zip(ups[:n], downs[:n])]
        good += [GoodReply(prompt, u.text) for u in ups[n:]]
        bad += [GoodReply(prompt, d.text) for d in downs[n:]]
    return RatingSet(tuple(pairs), tuple(good), tuple(bad))


def collect(store: Any) -> RatingSet:
    """The ratings of a ``HistoryStore``."""
    if store is None:
        raise BadInput("learning from ratings needs the conversation history: switch history on in Settings",
                       code="learning.needs_history")
    return from_records(store.rated_replies())
