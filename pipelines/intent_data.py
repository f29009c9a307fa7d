"""The labelled utterances the intent classifier learns from, and their checks.

Files are UTF-8, TAB separated, ``#`` lines are comments. The first other line names the columns:
``intent split has_image has_audio text`` (the training sets in ``assets/intents``), ``intent lang
has_image has_audio text`` (the outside set in tests/data), ``intent has_image has_audio text``. A file
without a header is ``intent<TAB>text``: its flags follow from the intent (a picture for describing
or editing, audio for transcribing). The label definitions are in ``assets/intents/README.md``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import BadInput

__all__ = ["INTENTS", "NEEDS_IMAGE", "HAN", "Example", "load_examples", "load_many", "han_share", "language_of",
           "text_key", "check_examples", "allowed_intents"]

INTENTS = ("chat", "describe_image", "generate_image", "edit_image", "search_images", "transcribe_audio",
           "ask_documents")
NEEDS_IMAGE = ("describe_image", "edit_image")
_COLUMNS = ("intent", "split", "lang", "has_image", "has_audio", "text")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # a Chinese character (the router's and features' too)


@dataclass(frozen=True)
class Example:
    """One labelled utterance: the text, the turn's context flags and where it belongs."""

    intent: str
    text: str
    has_image: bool = False
    has_audio: bool = False
    split: str = "train"  # train or heldout (outside for the outside set)
    lang: str = ""  # en or zh ("" until known: ``language_of`` decides)


def han_share(text: str) -> float:
    """The share of the letters and digits of ``text`` that are Chinese characters (0 without any)."""
    letters = [c for c in text if c.isalnum()]
    return sum(1 for c in letters if HAN.match(c)) / len(letters) if letters else 0.0


def language_of(text: str) -> str:
    """``zh`` when at least a fifth of the letters are Chinese characters, else ``en``."""
    return "zh" if han_share(text) >= 0.2 else "en"


def text_key(text: str) -> str:
    """What makes two texts the same utterance: case and spacing do not count."""
    return " ".join(text.casefold().split())


def allowed_intents(has_image: bool) -> tuple[str, ...]:
    """Describing or editing a picture needs one attached."""
    return INTENTS if has_image else tuple(i for i in INTENTS if i not in NEEDS_IMAGE)


def _flag(value: str, path: Path, n: int, name: str) -> bool:
    if value not in ("0", "1"):
        raise BadInput("Intent data {path}, line {line}: {column} must be 0 or 1, not {value}; fix the line.",
                       code="intent_data.bad_flag", path=path, line=n, column=name, value=repr(value))
    return value == "1"


def load_examples(path: str | Path, *, lang: str = "", split: str = "train") -> list[Example]:
    """Read one labelled file (any of the layouts in the module docstring). Rows of a file without a
    split column get ``split`` (e.g. ``outside`` for the outside set)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise BadInput("Cannot read the intent data {path}: {reason}; check the path.",
                       code="intent_data.unreadable", path=path, reason=e.strerror or e) from e
    header: tuple[str, ...] | None = None
    out: list[Example] = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if header is None and parts[0].strip() == "intent" and "text" in parts:
            header = tuple(p.strip() for p in parts)
            unknown = [c for c in header if c not in _COLUMNS]
            if unknown or header[-1] != "text":
                raise BadInput("Intent data {path}, line {line}: unknown columns {unknown} or text not last; "
                               "use {columns}.", code="intent_data.unknown_columns", path=path, line=n,
                               unknown=unknown, columns=', '.join(_COLUMNS))
            continue
        if header is None:
            header = ("intent", "text")  # the example bank: intent<TAB>text
        if len(parts) != len(header):
            raise BadInput("Intent data {path}, line {line}: expected {count} tab-separated columns "
                           "({columns}); fix the line.", code="intent_data.wrong_column_count", path=path,
                           line=n, count=len(header), columns=', '.join(header))
        row = dict(zip(header, (p.strip() for p in parts)))
        intent = row["intent"]
        if intent not in INTENTS:
            raise BadInput("Intent data {path}, line {line}: unknown intent {intent}; use one of {choices}.",
                           code="intent_data.unknown_intent", path=path, line=n, intent=repr(intent),
                           choices=', '.join(INTENTS))
        if "has_image" in row:
            img, aud = _flag(row["has_image"], path, n, "has_image"), _flag(row.get("has_audio", "0"), path, n, "has_audio")
        else:  # the example bank has no flags: the intent implies them
            img, aud = intent in NEEDS_IMAGE, intent == "transcribe_audio"
        row_split = row.get("split", split)
        if "split" in row and row_split not in ("train", "heldout"):
            raise BadInput("Intent data {path}, line {line}: split must be train or heldout, not {split}.",
                           code="intent_data.bad_split", path=path, line=n, split=repr(row_split))
        text = " ".join(row["text"].split())
        if not text and not (img or aud):
            raise BadInput("Intent data {path}, line {line}: the text is empty; fix the line.",
                           code="intent_data.empty_text", path=path, line=n)
        out.append(Example(intent, text, img, aud, row_split, row.get("lang") or lang or language_of(text)))
    return out


def load_many(paths: Iterable[str | Path]) -> list[Example]:
    """Several files in order; a file named ``en.tsv`` or ``zh.tsv`` gives its rows that language."""
    out: list[Example] = []
    for p in paths:
        stem = Path(p).stem
        out += load_examples(p, lang=stem if stem in ("en", "zh") else "")
    return out


def check_examples(rows: Sequence[Example]) -> list[str]:
    """Problems with a labelled set: impossible flags and duplicate utterances (same text and flags)."""
    problems = []
    seen: dict[tuple[str, bool, bool], Example] = {}
    for r in rows:
        if r.intent in NEEDS_IMAGE and not r.has_image:
            problems.append(f"{r.intent} without a picture: {r.text!r}")
        key = (text_key(r.text), r.has_image, r.has_audio)
        if key in seen:
            problems.append(f"duplicate: {r.text!r} ({seen[key].intent}/{r.intent})")
        seen[key] = r
    return problems
