"""Label vocabularies and question parsing for the vision role (pure text: no model needed).

The vocabularies are plain text files in assets/vocab/, one term per line; ``TEMPLATES`` are the
prompt ensembles their text embeddings are built from.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from .assets import asset
from .errors import BadInput

__all__ = [
    "VOCABULARIES",
    "ATTRIBUTE_VOCABULARIES",
    "TEMPLATES",
    "load_vocabulary",
    "question_kind",
    "find_terms",
]

#: Attribute vocabularies (each a file in assets/vocab/); "attributes" is all of them together.
ATTRIBUTE_VOCABULARIES = ("colours", "materials", "styles", "times", "weather", "moods", "patterns")
VOCABULARIES = ("objects", "scenes", "attributes") + ATTRIBUTE_VOCABULARIES

#: Prompt ensembles: each term's text embedding is the mean over its vocabulary's templates.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "objects": ("a photo of a {}.", "a photo of the {}.", "a close-up photo of a {}.",
                "a picture of a {}.", "a good photo of a {}."),
    "scenes": ("a photo of a {}.", "a photo taken in a {}.", "a picture of the {}.", "a view of a {}."),
    "colours": ("a photo of something {}.", "a {} object.", "the colour {}."),
    "materials": ("a photo of something made of {}.", "a close-up of {}.", "an object made of {}."),
    "styles": ("a {}.", "an image that is a {}.", "a {} of a scene."),
    "times": ("a photo taken at {}.", "a photo taken during the {}.", "{}."),
    "weather": ("a photo taken in {} weather.", "a {} day.", "{} weather."),
    "moods": ("a {} photo.", "a picture with a {} mood.", "a {} scene."),
    "patterns": ("a photo of something with a {} pattern.", "a {} surface.", "a {} texture."),
}


# ---------------------------------------------------------------------------------------------
# Vocabularies and question parsing (pure text: no model needed)
# ---------------------------------------------------------------------------------------------

def _vocab_file(name: str, vocab_dir: Path | None = None) -> Path:
    return (vocab_dir or asset("vocab")) / f"{name}.txt"


def load_vocabulary(name: str, vocab_dir: Path | None = None) -> list[str]:
    """Terms of a vocabulary, in file order, without duplicates, comments or blank lines."""
    if name == "attributes":
        terms: list[str] = []
        for sub in ATTRIBUTE_VOCABULARIES:
            terms.extend(load_vocabulary(sub, vocab_dir))
        return list(dict.fromkeys(terms))
    if name not in VOCABULARIES:
        raise BadInput(f"unknown vocabulary {name!r}; choose one of {', '.join(VOCABULARIES)}")
    path = _vocab_file(name, vocab_dir)
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [ln.strip().lower() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    return list(dict.fromkeys(out))


def _vocab_hash(name: str, vocab_dir: Path | None) -> str:
    h = hashlib.sha256()
    names = ATTRIBUTE_VOCABULARIES if name == "attributes" else (name,)
    for n in names:
        h.update(_vocab_file(n, vocab_dir).read_bytes())
    h.update(repr(_templates_for(name)).encode())
    return h.hexdigest()[:16]


def _templates_for(vocab: str) -> tuple[str, ...]:
    if vocab == "attributes":
        return ("a photo of something {}.", "a {} image.", "{}.")
    return TEMPLATES[vocab]


_AN = re.compile(r"\ba ([aeiou])", re.IGNORECASE)


def _fill(template: str, term: str) -> str:
    text = template.format(term)
    return _AN.sub(lambda m: "an " + m.group(1), text)


_KIND_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("colour", re.compile(r"\b(colou?rs?|colou?red|hue|shade of)\b")),
    ("count", re.compile(r"\bhow many\b")),
    ("weather", re.compile(r"\b(weather|raining|rainy|snowing|snowy|sunny|cloudy|foggy|stormy)\b")),
    ("time", re.compile(r"\b(time of (the )?day|what time|day or night|night or day|daytime|night ?time)\b")),
    ("material", re.compile(r"\b(made (of|from|out of)|materials?)\b")),
    ("style", re.compile(r"\b(style|art ?style|painting or|drawing or|photo or|a painting|a drawing|"
                         r"a photograph|a sketch|a cartoon|medium)\b")),
    ("mood", re.compile(r"\b(mood|feel|feeling|emotion|atmosphere|vibe|tone)\b")),
    ("presence", re.compile(r"^(is|are) there\b|\b(do|can|could) you see\b|\bis there\b|\bare there\b|"
                            r"\bany\b|\bcontains?\b|\bis (this|that|it) an?\b|\bis (this|that|it) the\b|"
                            r"\bdoes (it|this|the (image|picture|photo)) (show|have|contain)\b")),
    ("scene", re.compile(r"\bwhere\b|\b(place|location|setting|indoors|outdoors|inside or outside)\b")),
    ("object", re.compile(r"\bwhat\b|\bwhich\b|\bidentify\b|\bwho\b")),
)

_KIND_VOCAB = {
    "colour": "colours", "weather": "weather", "time": "times", "material": "materials",
    "style": "styles", "mood": "moods", "scene": "scenes", "object": "objects",
    "presence": "objects", "count": "objects", "describe": "objects",
}

_STOP = frozenset("""a an the is are was were be this that these those it its of in on at to for with
and or what which who where when how many much there do does did can could you see image picture
photo photograph show shows showing me tell please any some kind type colour color""".split())


def question_kind(question: str) -> str:
    """colour | count | weather | time | material | style | mood | presence | scene | object | describe."""
    q = " ".join(question.lower().split())
    for kind, cue in _KIND_CUES:
        if cue.search(q):
            return kind
    return "describe"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text.lower())


def _singular(word: str) -> list[str]:
    forms = [word]
    if len(word) > 3 and word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if len(word) > 3 and word.endswith("es"):
        forms.append(word[:-2])
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    return forms


def find_terms(text: str, terms: Iterable[str]) -> list[str]:
    """Vocabulary terms that occur in ``text`` (longest phrases first, plurals matched, in text order)."""
    vocab = set(terms)
    words = _words(text)
    found: list[tuple[int, str]] = []
    used: set[int] = set()
    for n in (4, 3, 2, 1):
        for i in range(len(words) - n + 1):
            if any(j in used for j in range(i, i + n)):
                continue
            gram = words[i:i + n]
            if n == 1 and gram[0] in _STOP:
                continue
            candidates = [" ".join(gram[:-1] + [last]) for last in _singular(gram[-1])]
            for c in candidates:
                if c in vocab:
                    found.append((i, c))
                    used.update(range(i, i + n))
                    break
    return list(dict.fromkeys(t for _, t in sorted(found)))


_PRESENCE_OBJECT = re.compile(
    r"(?:is there|are there|do you see|can you see|could you see|contains?|show|have|is (?:this|that|it))"
    r"\s+(?:an?|any|the|some)?\s*([a-z][a-z \-']*?)\s*(?:in\b|on\b|at\b|here\b|\?|$|\.)")


def _free_subject(question: str) -> str:
    m = _PRESENCE_OBJECT.search(" ".join(question.lower().split()))
    if not m:
        return ""
    words = [w for w in _words(m.group(1)) if w not in _STOP]
    return " ".join(words[:3])
