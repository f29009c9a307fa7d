"""Word error rate on Whisper's own English normaliser (numbers, hyphens, spellings, titles), so a
transcript that says "10 of clubs." and a reference that says "ten of clubs" compare fairly."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _normalizer():
    from whisper_normalizer.english import EnglishTextNormalizer  # OpenAI Whisper's normaliser (MIT)

    return EnglishTextNormalizer()


def normalize_words(text: str) -> list[str]:
    """The words of ``text`` after Whisper's English normalisation."""
    return _normalizer()(text).split()


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(errors, reference words) after normalisation."""
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    return edit_distance(ref, hyp), len(ref)


def wer(reference: str, hypothesis: str) -> float:
    errors, words = word_errors(reference, hypothesis)
    return errors / max(1, words)
