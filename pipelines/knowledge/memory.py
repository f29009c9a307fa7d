"""Personal memory: facts and preferences the user states about themselves.

``propose(text)`` recognises them (English and Chinese) without storing anything: the window asks,
and only an accepted proposal is stored (``HistoryStore.add_memory``). It is deliberately narrow:
a statement in the first person about the speaker, never a question, a hypothetical ("what if I
were ..."), a quote or someone else ("my friend is vegan"). Each proposal is one clean line
without the first person ("Call me Lin.", "Answer in Chinese.", "Vegetarian.").

``relevant(memories, query, embedder, k)`` picks what goes into a turn's prompt: the name and the
newest reply-language memory always, the others when their embedding is close to the turn's text;
``as_prompt`` writes them as one system-prompt paragraph; ``preferred_language`` is the language an
explicit "answer in ..." asked for (it wins over the script's or Whisper's language for the reply).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..events import MemoryItem

__all__ = ["propose", "relevant", "as_prompt", "preferred_language", "KINDS", "LANGUAGE_WORDS", "MIN_SIMILARITY"]

KINDS = ("name", "language", "diet", "preference", "fact")
ALWAYS = ("name", "language")  # kinds that go into every prompt
MIN_SIMILARITY = 0.3  # MiniLM cosine between the turn's text and a memory for it to be used

#: words for a language (English and Chinese) -> pipelines.voice's code
LANGUAGE_WORDS = {
    "english": "en", "chinese": "zh", "mandarin": "zh", "german": "de", "french": "fr", "spanish": "es",
    "italian": "it", "portuguese": "pt", "dutch": "nl", "russian": "ru", "japanese": "ja", "korean": "ko",
    "中文": "zh", "汉语": "zh", "普通话": "zh", "华语": "zh", "英文": "en", "英语": "en", "日语": "ja",
    "日文": "ja", "韩语": "ko", "德语": "de", "法语": "fr", "西班牙语": "es",
}
_ZH_NAMES = {"zh": "中文", "en": "英文", "ja": "日语", "ko": "韩语", "de": "德语", "fr": "法语", "es": "西班牙语"}

_SPLIT = re.compile(r"(?<=[.!。！；;\n])\s*|(?<=[?？])\s*")
_FILLER = re.compile(r"^(?:(?:hi|hello|hey|ok|okay|also|and|so|well|btw|by the way|fyi|just so you know|"
                     r"for the record|remember(?: that)?|note(?: that)?)[\s,!:]+)*", re.I)
_ZH_FILLER = re.compile(r"^(?:你好|嗨|另外|还有|对了|顺便说一下|记住|请记住|记一下)[，,：:！!\s]*")
_QUESTION_START = re.compile(r"^(?:what|who|whom|whose|why|how|when|where|which|is|are|am|was|were|do|does|did|"
                             r"can|could|would|should|will|shall|may|might|if|suppose|supposing|imagine|pretend|"
                             r"let's say|say|maybe|perhaps)\b", re.I)
_HYPOTHETICAL = re.compile(r"\b(?:what if|if i|i wish|were i|as if|i would|i'd|i might|maybe i|i used to|"
                           r"i was|pretend|imagine|suppose)\b", re.I)
_ZH_NOT = re.compile(r"[吗呢？?]|如果|假如|要是|假设|是不是|能不能|可不可以|会不会|以前|曾经|朋友|妈妈|爸爸|同事|"
                     r"老婆|老公|他|她|他们|孩子|哥哥|姐姐|弟弟|妹妹")
_QUOTES = re.compile(r"[\"“”「」『』‘’]|(?:^|\s)'|'(?:\s|$)")
_NOT_AN_OBJECT = {"it", "this", "that", "you", "them", "him", "her", "these", "those", "so", "too", "to"}

_NAME = r"([A-Za-z][\w'-]{0,30}(?:\s[A-Z][\w'-]{0,30})?)"
_EN = [
    ("name", re.compile(rf"^(?:please\s+)?(?:just\s+)?call me\s+{_NAME}(?:\s+from now on|\s+please)?$", re.I)),
    ("name", re.compile(rf"^my name is\s+{_NAME}$", re.I)),
    ("name", re.compile(rf"^(?:i'm|i am)\s+called\s+{_NAME}$", re.I)),
    ("language", re.compile(r"^(?:please\s+)?(?:from now on,?\s+)?(?:please\s+)?(?:always\s+)?"
                            r"(?:answer|reply|respond|talk|speak|write)(?:\s+to\s+me)?(?:\s+only)?\s+in\s+([a-z]+)"
                            r"(?:\s+only)?(?:,?\s+please)?(?:,?\s+from now on)?(?:,?\s+please)?$", re.I)),
    ("diet", re.compile(r"^(?:i'm|i am)\s+(?:a\s+)?(vegetarian|vegan|pescatarian)$", re.I)),
    ("diet", re.compile(r"^i\s+(?:don't|do not|never)\s+eat\s+([a-z][a-z ,-]{1,40})$", re.I)),
    ("fact", re.compile(r"^(?:i'm|i am)\s+allergic\s+to\s+([a-z][a-z ,-]{1,40})$", re.I)),
    ("fact", re.compile(r"^i\s+live\s+in\s+([A-Za-z][\w ,.'-]{1,40})$", re.I)),
    ("fact", re.compile(r"^i\s+work\s+as\s+(an?\s+[a-z][\w -]{1,40})$", re.I)),
    ("fact", re.compile(r"^(?:[Ii]'m|[Ii] am)\s+from\s+([A-Z][\w ,.'-]{1,40})$")),
    ("preference", re.compile(r"^i\s+(?:really\s+|much\s+)?(prefer|like|love|hate|dislike)\s+([a-z][\w ,'-]{1,60})$",
                              re.I)),
]
_ZH = [
    ("name", re.compile(r"^(?:请|以后)?(?:就)?叫我([\u4e00-\u9fffA-Za-z]{1,8}?)(?:吧|就好|就行|就可以了)?$")),
    ("name", re.compile(r"^(?:我叫|我的名字(?:叫|是))([\u4e00-\u9fff]{1,4}|[A-Za-z]{1,20})$")),
    ("language", re.compile(r"^(?:请|以后|从现在开始|从今以后|以后请)?[，,]?(?:请)?(?:都|一直|总是)?(?:只)?用"
                            r"(中文|汉语|普通话|华语|英文|英语|日语|日文|韩语|德语|法语|西班牙语)"
                            r"(?:来)?(?:回答|回复|回应|答复|和我说话|跟我说话|跟我聊|和我聊天|说)(?:我)?(?:吧)?$")),
    ("diet", re.compile(r"^我(?:吃素|是素食者|是素食主义者|只吃素)$")),
    ("diet", re.compile(r"^我(?:从来)?不吃([\u4e00-\u9fff]{1,8})$")),
    ("fact", re.compile(r"^我对([\u4e00-\u9fff]{1,8})过敏$")),
    ("fact", re.compile(r"^我(?:现在)?住在([\u4e00-\u9fff]{1,12})$")),
    ("fact", re.compile(r"^我是(?:一名|一个|个)?(护士|医生|老师|教师|学生|工程师|程序员|律师|厨师|设计师)$")),
    ("preference", re.compile(r"^我(?:更|比较|很|非常)?(喜欢|讨厌|不喜欢)([\u4e00-\u9fff]{2,20})$")),
]
_VEGETARIAN = {"vegetarian": "Vegetarian.", "vegan": "Vegan.", "pescatarian": "Pescatarian."}
_VERB = {"prefer": "Prefers", "like": "Likes", "love": "Loves", "hate": "Hates", "dislike": "Dislikes"}


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(text or "") if s and s.strip()]


def _language_item(word: str) -> MemoryItem | None:
    from ..voice import language_name

    code = LANGUAGE_WORDS.get(word.lower())
    return MemoryItem(f"Answer in {language_name(code)}.", "language", value=code) if code else None


def _english(s: str) -> MemoryItem | None:
    if s.endswith(("?", "？")) or _QUESTION_START.match(s) or _HYPOTHETICAL.search(s):
        return None
    s = re.sub(r"\s+", " ", s.rstrip(".!;。！ ")).replace("\u2019", "'")
    for kind, pattern in _EN:
        m = pattern.match(s)
        if not m:
            continue
        if kind == "name":
            name = m.group(1).strip()
            return MemoryItem(f"Call me {name}.", "name", value=name)
        if kind == "language":
            return _language_item(m.group(1))
        if kind == "diet" and m.group(1).lower() in _VEGETARIAN:
            return MemoryItem(_VEGETARIAN[m.group(1).lower()], "diet", value=m.group(1).lower())
        if kind == "diet":
            food = m.group(1).strip().lower()
            return MemoryItem(f"Does not eat {food}.", "diet", value=food)
        if kind == "preference":
            what = m.group(2).strip()
            if what.split()[0].lower() in _NOT_AN_OBJECT:
                return None
            verb = m.group(1).lower()
            return MemoryItem(f"{_VERB[verb]} {what}.", "preference", value=what)
        what = m.group(1).strip()
        lead = {"allergic": "Allergic to", "live": "Lives in", "work": "Works as", "from": "Is from"}
        key = next(k for k in lead if re.search(rf"\b{k}\b", s, re.I))
        return MemoryItem(f"{lead[key]} {what}.", "fact", value=what)
    return None


def _chinese(s: str) -> MemoryItem | None:
    if _ZH_NOT.search(s):
        return None
    s = re.sub(r"\s+", "", s.rstrip("。！!；;.~～"))
    for kind, pattern in _ZH:
        m = pattern.match(s)
        if not m:
            continue
        if kind == "name":
            return MemoryItem(f"叫我{m.group(1)}。", "name", value=m.group(1))
        if kind == "language":
            code = LANGUAGE_WORDS[m.group(1)]
            return MemoryItem(f"用{_ZH_NAMES.get(code, m.group(1))}回答。", "language", value=code)
        if kind == "diet" and m.lastindex:
            return MemoryItem(f"不吃{m.group(1)}。", "diet", value=m.group(1))
        if kind == "diet":
            return MemoryItem("吃素。", "diet", value="vegetarian")
        if kind == "preference":
            return MemoryItem(f"{m.group(1)}{m.group(2)}。", "preference", value=m.group(2))
        return MemoryItem(s.removeprefix("我") + "。", "fact", value=m.group(1))
    return None


def propose(text: str) -> tuple[MemoryItem, ...]:
    """The memories a message states (none for questions, hypotheticals, quotes or other people)."""
    if not text or _QUOTES.search(text) or len(text) > 400:
        return ()
    out: list[MemoryItem] = []
    for s in _sentences(text):
        zh = re.search(r"[\u4e00-\u9fff]", s) and not re.search(r"\b(?:in|call me|name)\b", s, re.I)
        item = _chinese(_ZH_FILLER.sub("", s)) if zh else _english(_FILLER.sub("", s))
        if item is not None and all(item.text != o.text for o in out):
            out.append(item)
    return tuple(out)


def preferred_language(memories: Iterable[MemoryItem]) -> str:
    """The language code of the newest "answer in ..." memory ("" when there is none)."""
    langs = [m for m in memories if m.kind == "language" and m.value]
    return max(langs, key=lambda m: m.id or 0).value if langs else ""


def _unit(vectors: Any):
    import numpy as np

    v = np.asarray(vectors, dtype=np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def relevant(memories: Sequence[MemoryItem], query: str, embedder: Any, k: int = 6,
             min_similarity: float = MIN_SIMILARITY) -> tuple[MemoryItem, ...]:
    """The memories for a turn: the newest name and language memories always, then the others whose
    embedding is at least ``min_similarity`` from the query's, closest first; at most ``k`` in all."""
    if k <= 0 or not memories:
        return ()
    newest = sorted(memories, key=lambda m: m.id or 0, reverse=True)
    always: list[MemoryItem] = []
    for kind in ALWAYS:
        found = next((m for m in newest if m.kind == kind), None)
        if found is not None:
            always.append(found)
    others = [m for m in newest if m.kind not in ALWAYS]
    picked: list[MemoryItem] = []
    if others and query.strip() and embedder is not None and len(always) < k:
        vectors = _unit(embedder.embed([query] + [m.text for m in others]))
        scores = vectors[1:] @ vectors[0]
        ranked = sorted(zip(scores.tolist(), range(len(others))), reverse=True)
        picked = [others[i] for score, i in ranked if score >= min_similarity]
    return tuple((always + picked)[:k])


def as_prompt(memories: Sequence[MemoryItem]) -> str:
    """The system-prompt paragraph for ``memories`` ('' for none)."""
    if not memories:
        return ""
    return "What you know about the user (they asked you to remember): " + " ".join(
        m.text.strip() for m in memories)
