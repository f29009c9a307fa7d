"""Word error rate with the usual normalisation (case, punctuation, small numbers, titles)."""
from __future__ import annotations

import re

_SMALL = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
          "7": "seven", "8": "eight", "9": "nine", "10": "ten", "11": "eleven", "12": "twelve"}
_SPELLING = {"mr": "mister", "mrs": "missus", "dr": "doctor"}


def normalize_words(text: str) -> list[str]:
    """Lower case, no punctuation, hyphens split, small numbers and titles spelled out."""
    text = re.sub(r"[-–—/]", " ", text.lower())
    words = re.sub(r"[^\w\s']", " ", text).split()
    return [_SPELLING.get(w, _SMALL.get(w, w)) for w in words]


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def wer(reference: str, hypothesis: str) -> float:
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    return edit_distance(ref, hyp) / max(1, len(ref))
