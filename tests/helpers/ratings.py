"""A synthetic preference set with a clear style, for learning from ratings (tests and the bench).

The user prefers replies that start with "In short:" and give the answer in one sentence; the replies
rated down hedge around the same answer (about as long, so length alone does not tell them apart). 32 prompts on different topics, so a held-out prompt is one the
adapter never saw."""
from __future__ import annotations

from pipelines.learning.ratings import PreferencePair, RatingSet

__all__ = ["STYLE_PAIRS", "style_ratings", "reversed_ratings", "MARKER"]

MARKER = "In short:"

_FACTS = [
    ("What is the boiling point of water at sea level?", "water boils at 100 degrees Celsius"),
    ("How many legs does a spider have?", "a spider has eight legs"),
    ("What gas do plants take in?", "plants take in carbon dioxide"),
    ("Who wrote Romeo and Juliet?", "William Shakespeare wrote it"),
    ("What is the largest ocean?", "the Pacific is the largest ocean"),
    ("How many minutes are in an hour?", "an hour has sixty minutes"),
    ("What is the chemical symbol for gold?", "the symbol for gold is Au"),
    ("What is the tallest mountain on Earth?", "Mount Everest is the tallest"),
    ("How many continents are there?", "there are seven continents"),
    ("What do cows drink?", "cows drink water"),
    ("What is the freezing point of water?", "water freezes at 0 degrees Celsius"),
    ("Which animal is known as the king of the jungle?", "the lion is called that"),
    ("What is the main language of Brazil?", "Brazilians speak Portuguese"),
    ("How many sides does a hexagon have?", "a hexagon has six sides"),
    ("What is the closest star to Earth?", "the Sun is the closest star"),
    ("What instrument has 88 keys?", "the piano has 88 keys"),
    ("What is the hardest natural material?", "diamond is the hardest"),
    ("How many hours are in a day?", "a day has twenty-four hours"),
    ("What is the capital of Italy?", "Rome is the capital of Italy"),
    ("Which planet is known as the red planet?", "Mars is the red planet"),
    ("What do caterpillars turn into?", "they turn into butterflies or moths"),
    ("What is frozen water called?", "frozen water is ice"),
    ("How many wheels does a bicycle have?", "a bicycle has two wheels"),
    ("What is the largest mammal?", "the blue whale is the largest mammal"),
    ("What colour are ripe bananas?", "ripe bananas are yellow"),
    ("What is the primary source of energy for Earth?", "the Sun provides it"),
    ("How many strings does a standard guitar have?", "a standard guitar has six strings"),
    ("What organ pumps blood through the body?", "the heart pumps blood"),
    ("What is the longest river in Africa?", "the Nile is the longest"),
    ("What do you call a baby cat?", "a baby cat is a kitten"),
    ("How many months have 28 days?", "all twelve months have at least 28 days"),
    ("What is the square root of nine?", "the square root of nine is three"),
]


def _chosen(answer: str) -> str:
    return f"{MARKER} {answer[0].upper()}{answer[1:]}."


def _rejected(question: str, answer: str) -> str:
    return f"Well, let me think about that one. I believe {answer}, more or less."


STYLE_PAIRS = tuple(PreferencePair(q, _chosen(a), _rejected(q, a)) for q, a in _FACTS)


def style_ratings(n: int = 30) -> RatingSet:
    return RatingSet(pairs=STYLE_PAIRS[:n])


def reversed_ratings(n: int = 30) -> RatingSet:
    """The same pairs with the ratings the other way round: learning them moves away from the style."""
    return RatingSet(pairs=tuple(PreferencePair(p.prompt, p.rejected, p.chosen) for p in STYLE_PAIRS[:n]))
