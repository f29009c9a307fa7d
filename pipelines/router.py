"""Intent recognition: which role answers a turn, how sure it is, and why.

The deciding layer is a learned, calibrated classifier (``pipelines.intent_model``): a softmax
regression over a MiniLM sentence embedding (the embed role), hashed character n-grams (which work
for Chinese without word segmentation), word pairs, the hits of the patterns below, and the turn's
context (a picture or audio attached). It is trained at first use, in seconds on the CPU, from the
``split=train`` rows of the labelled sets in ``assets/intents`` and cached as an ``.npz`` keyed by
the data, the embedder and the corrections. Describing or editing a picture needs one attached:
those intents are masked out otherwise.

Its probabilities are calibrated (a temperature fitted on cross-validated predictions). Below a
threshold chosen on cross-validation, or when the two likeliest readings are close, the result is
``unsure``: the window or the command line asks the user between ``alternatives[0]`` and
``alternatives[1]`` (labels in ``INTENT_CHOICE_LABELS``).

Corrections (``learn``) take effect at once: a near-duplicate of a corrected utterance routes to the
corrected intent, and the classifier is refitted with the correction weighted up (in the background
by default). ``forget`` drops them all.

``has_audio`` means the turn came with audio: a dropped file or speech from the microphone (the
engine routes the transcript as the text); a spoken request is routed by what it says.

The patterns stay for pulling out slots: for ``search_images`` the folder and the query
(``Intent.folder``/``Intent.query``); for ``generate_image`` and ``edit_image`` the instruction
without the command words (``Intent.prompt``).
"""
from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .assets import asset
from .errors import Text
from .intent_data import (
    HAN,
    INTENTS,
    NEEDS_IMAGE,
    Example,
    allowed_intents,
    han_share,
    load_examples,
    load_many,
)

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from .intent_model import Featurizer, HyperParams, Model

__all__ = [
    "INTENTS",
    "NEEDS_IMAGE",
    "INTENT_CHOICE_LABELS",
    "Intent",
    "Correction",
    "Example",
    "IntentRouter",
    "RouterStats",
    "Embedder",
    "load_examples",
    "extract_folder",
    "extract_search_query",
    "rule_hits",
    "DEFAULT_DATA",
]

log = logging.getLogger(__name__)

#: the labelled sets the classifier learns from (their split=train rows)
DEFAULT_DATA = (asset("intents", "en.tsv"), asset("intents", "zh.tsv"))

#: the buttons that ask the user between two readings
INTENT_CHOICE_LABELS: dict[str, str] = {
    "chat": "Talk about it", "generate_image": "Draw it", "describe_image": "Answer about the picture",
    "edit_image": "Change the picture", "search_images": "Search my pictures", "transcribe_audio": "Transcribe it",
    "ask_documents": "Answer from my documents",
}
#: how a reason names each reading (the window says them in its language: packaging/i18n.py
#: puts them in the context "params")
_READING = {
    "chat": "a conversation", "generate_image": "a request for a new picture",
    "describe_image": "a question about the picture", "edit_image": "a request to change the picture",
    "search_images": "a search of your pictures", "transcribe_audio": "a request to transcribe the audio",
    "ask_documents": "a question about your documents",
}


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Intent:
    """The routing decision for one turn.

    ``confidence`` is the calibrated probability of ``intent`` in [0, 1]; ``reason`` is one sentence
    for the user (English), ``reason_text`` the same sentence as a ``Text`` for the window's language
    (``reason == str(reason_text)`` where there is one); ``method`` says which layer decided
    (context, learned, correction).
    ``alternatives`` are (intent, calibrated probability) over the intents this turn can have, best
    first; ``unsure`` asks the user to choose between ``alternatives[0]`` and ``alternatives[1]``.
    """

    intent: str
    confidence: float
    reason: str
    method: str = "rule"
    folder: str | None = None  # search_images: the folder to search ("~/Pictures"), if named
    query: str | None = None  # search_images: what to look for ("the sea")
    prompt: str | None = None  # generate_image / edit_image: the instruction without command words
    alternatives: tuple[tuple[str, float], ...] = ()
    unsure: bool = False
    reason_text: Text | None = field(default=None, compare=False)

    @classmethod
    def because(cls, intent: str, confidence: float, reason: Text, method: str = "rule", **kw: Any) -> Intent:
        """An Intent whose reason is ``reason`` (its English line and the Text)."""
        return cls(intent, confidence, str(reason), method, reason_text=reason, **kw)


@dataclass(frozen=True)
class Correction:
    """The user said a turn meant ``intent`` ("not what I meant")."""

    text: str
    intent: str
    has_image: bool = False
    has_audio: bool = False


@dataclass(frozen=True)
class RouterStats:
    """How the classifier was made: cross-validated figures on the training rows, and timings."""

    rows: int
    embeddings: bool
    cv_accuracy: float
    cv_unsure_rate: float
    cv_sure_accuracy: float
    temperature: float
    threshold: float
    margin: float
    train_seconds: float
    from_cache: bool
    corrections: int = 0


# ---------------------------------------------------------------------------------- text helpers
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\uff1f": "?",
                         "\uff01": "!", "\uff0c": ",", "\u3002": ".", "\uff1a": ":", "\uff5e": "~"})


def _norm(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


def _has_cjk(text: str) -> bool:
    return bool(HAN.search(text))


_POLITE_EN = re.compile(
    r"^(?:(?:hey|hi|hello|ok|okay|so|um|uh|now|please|pls|sensorium|alright|right)\b[,!.\s]*"
    r"|(?:can|could|would|will) you(?: please)?\b\s*"
    r"|i(?:'d| would) like (?:you )?to\b\s*|i (?:want|need) (?:you )?to\b\s*|i wanna\b\s*"
    r"|let'?s\b\s*|go ahead and\b\s*|try (?:to|and)\b\s*|help me\b\s*|quickly\b\s*|just\b\s*)",
)
_POLITE_ZH = re.compile(r"^(?:请你|请|麻烦你|麻烦|帮我|帮忙|给我|替我|你能不能|能不能|你可以|可以|你能|能|我想要|我想|我要|想要|你|嗯|那个|好的|好)[，,\s]*")


def _strip_polite(t: str) -> str:
    prev = None
    while prev != t:
        prev = t
        t = _POLITE_EN.sub("", t)
        t = _POLITE_ZH.sub("", t)
        t = t.strip(" ,.!")
    return t


def _quote(s: str, n: int = 60) -> str:
    s = s.strip()
    return "'" + (s if len(s) <= n else s[: n - 1] + "\u2026") + "'"


# ---------------------------------------------------------------------------------- folders
_KNOWN_FOLDERS = {
    "pictures": "~/Pictures", "photos": "~/Pictures", "images": "~/Pictures", "photo library": "~/Pictures",
    "desktop": "~/Desktop", "downloads": "~/Downloads", "download": "~/Downloads",
    "documents": "~/Documents", "home": "~", "camera roll": "~/Pictures", "gallery": "~/Pictures",
    "图片": "~/Pictures", "相册": "~/Pictures", "桌面": "~/Desktop", "下载": "~/Downloads", "文档": "~/Documents",
}
_PATH = re.compile(
    r"""(?P<q>["'`])(?P<quoted>(?:~|/|[A-Za-z]:[\\/]|\.{1,2}/)[^"'`]*)(?P=q)"""  # a quoted path with spaces
    r"""|(?P<bare>(?<![A-Za-z0-9_.~])(?:~(?:[/\\][^\s,;"'`，。、？！?!)）]*)?|[A-Za-z]:[\\/][^\s,;"'`，。、？！?!]*"""
    r"""|\.{1,2}/[^\s,;"'`，。、？！?!]*|/(?:[^\s,;"'`，。、？！?!/]+/?)+))""",
)
_NAMED_FOLDER_EN = re.compile(
    r"\b(?:in|from|under|inside|within|on|across|through)\s+(?:my|the)\s+"
    r"(pictures|photos|images|desktop|downloads?|documents|home|camera roll|gallery|photo library)"
    r"(?:\s+(?:folder|directory|dir))?\b")
_NAMED_FOLDER_EN2 = re.compile(r"\b(?:in|from|under|inside)\s+(pictures|downloads|desktop|documents)\b")
_NAMED_FOLDER_ZH = re.compile(r"(?:在|从)?(?:我的)?(?:(图片|下载|文档)(?:文件夹|目录)|(相册|桌面)(?:文件夹|目录|里|中|上|里面)?)")


def extract_folder(text: str) -> tuple[str | None, str]:
    """(folder, the matched span) for a path or a well-known folder named in ``text``."""
    t = _norm(text)
    for m in _PATH.finditer(t):
        path = m.group("quoted") or m.group("bare") or ""
        path = path.rstrip(".,;:!?)）里中内下")
        # Chinese words glued to a path end it: "~/Pictures里找" -> "~/Pictures", "/data/相片" stays
        span = m.group(0)
        glued = re.search(r"(?<=[^/\\\u4e00-\u9fff])[\u4e00-\u9fff]", path)
        if glued:
            path = span = path[: glued.start()].rstrip(".,;:!?")
        if path and path not in ("/",) and not re.fullmatch(r"/\w{1,3}", path) or path == "~":
            return path, span
    low = t.lower()
    for rx in (_NAMED_FOLDER_EN, _NAMED_FOLDER_EN2):
        named = rx.search(low)
        if named:
            return _KNOWN_FOLDERS[named.group(1)], named.group(0)
    zh = _NAMED_FOLDER_ZH.search(t)
    if zh:
        return _KNOWN_FOLDERS[zh.group(1) or zh.group(2)], zh.group(0)
    return None, ""


_SEARCH_NOISE_EN = re.compile(
    r"\b(?:please|can you|could you|would you|help me|i want to|i need to|i'd like to|for me|me|my|our|all(?: the)?|any|anything|some|the|for|"
    r"photo library|library|gallery|camera roll|that contains?|contain|containing|that show|that have|which|"
    r"find|search(?: through)?(?: for)?|look(?:ing)? (?:for|up|through)|locate|show|pull up|dig up|fetch|get|list|grab|bring up|"
    r"where (?:are|is)|do i have|have i got|which(?: of)?|folder|directory|dir|"
    r"photos?|pictures?|pics?|images?|snaps|shots|screenshots?|selfies?|jpe?gs?|pngs?|files?|"
    r"of|with|showing|that show|that have|containing|featuring|where there (?:is|are)|taken|there)\b")
_SEARCH_NOISE_ZH = re.compile(
    r"请|帮我|帮忙|给我|麻烦|一下|找找|搜搜|搜索|查找|寻找|找出|找到|找|搜|翻出|翻|列出|显示|看看|"
    r"有没有|所有|全部|一些|那些|哪些|里面|里|中的|中|下面|的照片|的图片|的相片|的截图|照片|图片|相片|截图|自拍|文件夹|目录|在|从|我的|我")


def extract_search_query(text: str, folder_span: str = "") -> str | None:
    """What to look for in a picture search, without the command words and the folder."""
    t = _norm(text)
    if folder_span:
        t = " ".join(t.replace(folder_span, " ").split())
    if _has_cjk(t):
        q = _SEARCH_NOISE_ZH.sub(" ", t)
        q = re.sub(r"^[的有\s]+|[的\s]+$", "", " ".join(q.split()))
        q = q.strip(" ,.!?~")
        return q.replace(" ", "") or None
    low = t.lower()
    low = re.sub(r"\b(?:in|from|under|inside|within|on)\s*$", " ", low)
    q = _SEARCH_NOISE_EN.sub(" ", low)
    q = re.sub(r"\b(?:in|from|under|inside|on|within|a|an)\s*$", "", " ".join(q.split()).strip(" ,.!?"))
    q = re.sub(r"^(?:a|an|of|in|from)\s+", "", q).strip(" ,.!?")
    return q or None


# ---------------------------------------------------------------------------------- rules
def _rx(*parts: str) -> re.Pattern:
    return re.compile("|".join(parts))


# transcription
_TRANSCRIBE = _rx(
    r"\btranscri(?:be|bing|pt|ption)\b", r"\bspeech[- ]to[- ]text\b", r"\bsubtitles?\b",
    r"\b(?:type|write|jot) (?:out|down) (?:what|everything) (?:is|was|they|he|she|i|you|people|the speaker)",
    r"\bwhat (?:is|was) (?:being )?said\b", r"\bwhat (?:do|does|did) (?:he|she|they|it|the speaker|the caller|people) say\b",
    r"\b(?:convert|turn) (?:this|the|that|my) (?:audio|recording|voice ?memo|voice ?note|speech|clip|podcast|interview)s? (?:in)?to text\b",
    r"转写", r"转录", r"转成文字", r"转为文字", r"变成文字", r"听写", r"语音识别", r"识别(?:一下)?(?:这段)?语音", r"字幕",
    r"(?:说|讲)了(?:些)?什么", r"语音转", r"录音(?:内容)?(?:写|整理)", r"整理(?:一下)?(?:成|为)?文字", r"记下来",
)
# words that point at *this* attached audio; spoken turns arrive as text with has_audio too,
# so merely mentioning a meeting or a call must not turn a spoken question into a transcription
_AUDIO_REF = _rx(
    r"\b(?:this|that|these|the attached|attached|the|my)\s+(?:\w+\s+)?(?:audio|recording|voice ?memo|voice ?note|"
    r"voicemail|voice message|clip|podcast|sound file|audio file|mp3|wav|lecture recording|song)s?\b",
    r"\bwhat (?:does|did) (?:it|this) say\b", r"\bwhat(?:'s| is) (?:he|she|it|this|that|the speaker) saying\b",
    r"\b(?:the )?(?:text|words|lyrics) (?:of|in|from) (?:this|it|that)\b", r"\bword for word\b", r"\bverbatim\b",
    r"这段|这(?:个|条|份)?.{0,4}?(?:录音|音频|语音)|录音里|音频里|语音消息",
)

# picture search
_SEARCH_VERB_EN = re.compile(
    r"\b(?:find|search|look(?:ing)? for|look through|locate|show me|pull up|dig up|fetch|get me|list|grab|bring up|"
    r"where (?:are|is|did i put)|do i have|have i got|which of my|any)\b")
_PHOTO_NOUN_EN = re.compile(r"\b(?:photos|pictures|pics|images|snaps|shots|screenshots|selfies|jpe?gs|pngs|wallpapers|photographs)\b")
_PHOTO_NOUN_SG = re.compile(r"\b(?:photo|picture|pic|image|snapshot|screenshot|selfie|shot|photograph)\b")
_MY_PHOTOS = re.compile(r"\b(?:my|our|the|in) (?:\w+ ){0,3}(?:photos|pictures|pics|images|photo library|gallery|camera roll|screenshots|selfies|snaps)\b")
_SEARCH_VERB_ZH = re.compile(r"找|搜|查|翻出|列出|有没有|哪些|哪张|哪几张")
_PHOTO_NOUN_ZH = re.compile(r"照片|图片|相片|相册|截图|自拍|壁纸|图库")

# generation
_GEN_START_EN = re.compile(
    r"^(?:draw|paint|sketch|illustrate|doodle|render|imagine (?:a|an|the|some|what)\b|visuali[sz]e|depict|"
    r"design (?:a|an|me)\b(?! (?:plan|schedule|strategy|database|api|system|workout|diet|menu|curriculum|course|algorithm|function|class))|"
    r"picture (?:a|an)\b|an? (?:\w+ ){0,4}(?:painting|drawing|illustration|sketch|render|watercolou?r|oil painting|pixel art|digital art|photo|photograph|portrait) of)")
# text that reads like an image prompt: a description with style words, not a question
_GEN_STYLE_EN = re.compile(
    r"^(?!(?:what|who|why|how|when|where|which|is|are|do|does|can|could|should|tell|explain|list|write)\b)(?!.*\?)"
    r".*?\b(?P<style>pixel art|oil painting|watercolou?r painting|digital art|concept art|photorealistic|hyperrealistic|3d render|"
    r"anime style|low[- ]poly|isometric|studio lighting|cinematic lighting|highly detailed|trending on artstation|unreal engine|"
    r"octane render|\d+k resolution|[48]k|bokeh|macro shot|wide[- ]angle shot)\b")
_GEN_PHRASE_EN = re.compile(
    r"\b(?:generate|create|make|produce|give me|show me|render|design|craft|whip up|come up with|i want|i need|i'd like)\b"
    r"(?: me| us)?(?: an?| one| some| two| three| \d+| another| new| the)?(?: \w+){0,3}? "
    r"(?:image|picture|photo|illustration|drawing|painting|artwork|art|wallpaper|logo|icon|poster|portrait|sticker|emoji|"
    r"render|sketch|avatar|banner|cover|meme|comic|landscape|scene|graphic|mockup|concept art|pixel art|card|greeting card|"
    r"invitation|flyer|postcard|tattoo design|mascot|character design|emblem|badge)s?\b"
    r"(?! (?:from|in|on) (?:my|the|~|/))"
)
_GEN_ZH = re.compile(
    r"^画(?!家|面|质|廊|展|风|师|册|画(?:很|挺|真|的时候|技巧)|了吗|得)"
    r"|(?:生成|创作|制作|绘制|设计|来|做|出|画)(?:一|两|几|\d+)?(?:张|幅|副|个|只|些)?.{0,20}?(?:图|画|插画|壁纸|海报|头像|照片|logo|Logo|LOGO|图标|表情包|漫画)"
    r"|(?:画|生成|绘制)(?:一|两|几)?(?:张|幅|副|个|只|条|朵|座|片|位|辆)|^来(?:一|两|几)?(?:张|幅|副)"
    r"|帮我画|给我画|画个|画只|画出")
_GEN_ZH_NOT = re.compile(r"怎么画|如何画|画画|学画|画家|动画片?|图表|流程图.*(?:怎么|如何)|意思")

# edits (need a picture)
_EDIT_EN = re.compile(
    r"\bmake (?:it|him|her|them|this|that|these|the (?:\w+ ){0,2}(?:sky|background|image|photo|picture|colou?rs?|lighting|face|hair|cat|dog|person|man|woman|car|house|water|grass|trees?))\b"
    r"|\b(?:change|replace|swap|remove|erase|delete|get rid of|take out|cut out|add|put|place|insert|turn|convert|transform|"
    r"recolou?r|colou?ri[sz]e|restyle|stylize|apply|crop|blur|brighten|darken|sharpen|enhance|upscale|retouch|edit|modify|"
    r"adjust|tweak|fix|clean up|repaint|redraw|rotate|flip|invert|desaturate|saturate|give (?:it|him|her|them|this)|"
    r"swap out|paint over|photoshop|cartoonify|animeify|age|de-?age|extend|outpaint|inpaint|zoom|fill)\b"
    r"|\bin the style of\b|\bas (?:a|an) (?:\w+ ){0,2}(?:painting|cartoon|sketch|drawing|anime|watercolou?r|oil painting|pixel art)\b"
    r"|\b(?:more|less) (?:colou?rful|vibrant|saturated|bright|dark|realistic|cartoonish|dramatic|contrast)\b"
    r"|\b(?:black and white|sepia|vintage look|night time|nighttime|winter|snowy)\b(?=.*\b(?:it|this|the|make|turn)\b)"
    r"|\bwhat would (?:it|this|he|she|they) look like (?:as|with|in)\b")
_EDIT_OBJ_EN = re.compile(r"\b(?:it|him|her|them|this|that|these|the (?:\w+ ){0,2}\w+|my (?:\w+ ){0,2}\w+)\b")
_EDIT_ZH = re.compile(
    r"把|改成|换成|变成|改为|改一下|换一下|去掉|去除|删掉|删除|移除|抹掉|加上|加个|加一|添加|加点|换个|换一个|背景|修改|修一下|调亮|调暗|"
    r"变亮|变暗|提亮|看起来像|看上去像|让(?:它|他|她|这张|这幅|图|照片|画面)|风格|上色|美化|修图|抠图|p掉|P掉|P一下|变得|弄得|弄成|处理成|转换成|转成(?!文字)|卡通化|动漫化|放大|裁剪|模糊|滤镜")
_IMAGE_REF = re.compile(
    r"\b(?:photo|picture|pic|image|background|foreground|sky)\b|\bthis (?:one|shot|selfie|snapshot)\b|照片|图片|这张|图里|图中|背景|画面")

# describing a picture
_DESCRIBE_EN = re.compile(
    r"\b(?:what|what's|whats|who|who's|where|which|how many|how much|how old|why|when|is (?:this|that|it|there|he|she)|are (?:these|those|there|they)|"
    r"does|do you see|can you see|describe|caption|explain|tell me about|identify|recogni[sz]e|read|translate|count|name|"
    r"summari[sz]e|analy[sz]e|look at|check|rate|review|is it|anything)\b|\?")
_DESCRIBE_ZH = re.compile(r"这是|什么|谁|哪|几|多少|描述|说说|讲讲|介绍|识别|看看|看一下|图里|图中|图片里|照片里|有没有|是不是|吗|\?|？|分析|解释|翻译|读一下|认识")
_QUESTION_EN = re.compile(r"(?:how|why|what|who|whom|whose|when|where|which|is|are|was|were|do|does|did|can i|could i|should|would|tell me|explain)\b")
_QUESTION_ZH = re.compile(r"怎么|怎样|如何|为什么|为何|什么是|是什么|吗[?？。!！]?$|呢[?？。]?$|[?？]$")
_CHAT_LEAD = re.compile(
    r"(?:tell|write|explain|compose|summari[sz]e|translate|list|recommend|suggest|teach|remind|answer|define|compare|"
    r"calculate|convert|plan|proofread|rewrite|reword|correct|continue|give me (?:some |a few |\d+ )?(?:ideas|tips|advice|"
    r"reasons|examples|facts|a list|a summary|a recipe|suggestions)|how|why|what|who|whom|whose|when|where|which|"
    r"is|are|was|were|do|does|did|can i|could i|should|would|will|shall)\b")
_CHAT_ONLY_EN = re.compile(r"^(?:thanks?|thank you|thx|ty|cool|nice|great|awesome|ok|okay|lol|haha|wow|bye|good night|good morning)\b[\s!.]*$")

def _rule_transcribe(raw, low, core, has_image, has_audio):
    m = _TRANSCRIBE.search(low)
    if m:
        if has_audio:
            return Intent("transcribe_audio", 0.97, f"an audio file is attached and you asked to {_quote(m.group(0))}", "rule")
        if not has_image and (_AUDIO_REF.search(low) or re.search(r"\btranscri", low)):
            return Intent("transcribe_audio", 0.7, f"you asked to {_quote(m.group(0))}, but no audio file is attached", "rule")
    if has_audio and _AUDIO_REF.search(low) and not _GEN_START_EN.search(core):
        ref = _AUDIO_REF.search(low).group(0)
        return Intent("transcribe_audio", 0.85, f"an audio file is attached and you mentioned {_quote(ref)}", "rule")
    return None

def _rule_search(raw, low, core, has_image, has_audio):
    folder, span = extract_folder(raw)
    if _has_cjk(raw):
        verb = _SEARCH_VERB_ZH.search(raw)
        noun = _PHOTO_NOUN_ZH.search(raw)
        if not (noun and (verb or folder)) or _GEN_ZH.search(_strip_polite(raw)) and not verb:
            return None
        if has_image and _EDIT_ZH.search(raw) and not verb:
            return None
        why = f"you asked to {_quote((verb or noun).group(0))} {noun.group(0)}"
    else:
        verb = _SEARCH_VERB_EN.search(low)
        plural = _PHOTO_NOUN_EN.search(low)
        mine = _MY_PHOTOS.search(low)
        single = _PHOTO_NOUN_SG.search(low)
        ok = (verb and (plural or mine or folder)) or (folder and (plural or single)) or \
             (mine and re.search(r"\b(?:search|find|look|show|which|where)\b", low))
        if not ok:
            return None
        if _GEN_START_EN.search(core) and not folder:
            return None
        if _GEN_PHRASE_EN.search(low) and not folder and not verb:
            return None
        if verb and verb.group(0) in ("any",) and not folder and not plural:
            return None
        what = plural or mine or single
        if verb:
            why = f"you asked to {_quote(verb.group(0))} " + (_quote(what.group(0)) if what else "a folder")
        else:
            why = f"you named pictures ({_quote(what.group(0))}) and a folder"
    query = extract_search_query(raw, span)
    if query is None:  # "find my screenshots": the kind of picture is the query
        kind = re.search(r"screenshots?|selfies?|截图|自拍", low)
        query = kind.group(0) if kind else None
    where = f" in {folder}" if folder else ""
    return Intent("search_images", 0.92 if folder else 0.85, why + where, "rule", folder=folder, query=query)

def _rule_edit(raw, low, core, has_image, has_audio):
    if _has_cjk(raw):
        m = _EDIT_ZH.search(raw)
        if not m:
            return None
        if has_image:
            return Intent("edit_image", 0.9, f"an image is attached and you asked to change it ({_quote(m.group(0))})", "rule",
                          prompt=_strip_polite(raw))
        return None
    m = _EDIT_EN.search(core)
    if not m:
        return None
    if has_image:
        # a verb that changes things, aimed at the picture (it, this, the sky, ...)
        if _EDIT_OBJ_EN.search(core[m.start():]) or m.group(0).startswith(("make", "in the style", "as a", "as an", "more", "less")):
            if _DESCRIBE_EN.match(core) and not core.startswith(("make", "can", "could")) and "?" in core and \
                    not re.match(r"(?:what would|how would)", core):
                return None  # "what did they add to ...?" is a question about the picture
            return Intent("edit_image", 0.9, f"an image is attached and you asked to change it ({_quote(m.group(0))})",
                          "rule", prompt=core)
        return None
    if _IMAGE_REF.search(core) and re.match(r"(?:make|change|replace|remove|add|turn|crop|blur|brighten|darken|recolou?r)\b", core) \
            and re.search(r"\b(?:this|the|my)\b", core):
        return Intent("edit_image", 0.55, f"you asked to {_quote(m.group(0))} a picture, but no image is attached", "rule",
                      prompt=core)
    return None

def _rule_generate(raw, low, core, has_image, has_audio):
    if _has_cjk(raw):
        zcore = _strip_polite(raw)
        if _GEN_ZH_NOT.search(raw):
            return None
        m = _GEN_ZH.search(zcore)
        if not m:
            return None
        if has_image and re.search(r"这|它|他|她|上面|图里|图中", raw):
            return Intent("edit_image", 0.85, f"an image is attached and you asked to {_quote(m.group(0))} on it", "rule", prompt=zcore)
        return Intent("generate_image", 0.93, f"you asked to draw or generate a picture ({_quote(m.group(0))})", "rule",
                      prompt=_zh_gen_prompt(zcore))
    m = _GEN_START_EN.search(core)
    how = "starts with"
    style = None if m else _GEN_STYLE_EN.search(core)
    if style:
        m, how = style, "style"
    if not m:
        m = _GEN_PHRASE_EN.search(low)
        how = "asks to"
        if not m or re.search(r"\b(?:how (?:do|to|can|should)|what (?:makes|is)|why|tips|advice|explain|describe|tell me about)\b", low):
            return None
    prompt = _gen_prompt(core)
    if has_image and re.search(r"\b(?:it|this|him|her|them|these|the (?:photo|picture|image))\b", core):
        return Intent("edit_image", 0.85, f"an image is attached and you asked to {_quote(m.group(0))} from it", "rule", prompt=core)
    if how == "starts with":
        first = m.group(0).split()[0]
        reason = f"starts with {_quote(first)}" if first not in ("a", "an") else \
            f"describes {_quote(m.group(0))}, which reads as a request for a picture"
    elif how == "style":
        reason = f"reads like an image prompt (style words {_quote(m.group('style'))})"
    else:
        reason = f"asks to {_quote(m.group(0))}"
    return Intent("generate_image", 0.95 if how == "starts with" else 0.9, reason, "rule", prompt=prompt)

def _rule_describe(raw, low, core, has_image, has_audio):
    if not has_image:
        return None
    if _CHAT_ONLY_EN.match(core):
        return None
    m = _DESCRIBE_ZH.search(raw) if _has_cjk(raw) else _DESCRIBE_EN.search(low)
    if m:
        return Intent("describe_image", 0.9, f"an image is attached and you asked {_quote(raw)}", "rule")
    return None



def _rule_decision(raw: str, low: str, core: str, has_image: bool, has_audio: bool) -> Intent | None:
    """The first pattern layer that matches (transcribe, search, edit, generate, describe): a
    feature of the classifier (``rule_hits`` takes its intent), so its reason is never shown."""
    for rule in (_rule_transcribe, _rule_search, _rule_edit, _rule_generate, _rule_describe):
        hit = rule(raw, low, core, has_image, has_audio)
        if hit is not None:
            return hit
    return None


# Chinese cues, as features only (they decide nothing alone): the labelled data weighs them
_ZH_MINE = re.compile(r"我(?:的|拍的?|存的?|保存的?|下载的?|电脑|手机|相册|以前|之前|去年|上次)|相册里|图库|(?:图片|照片|截图)(?:文件夹|目录)?里|"
                      r"(?:文件夹|目录)里|云盘")
_ZH_FIND = re.compile(r"在哪|哪儿|找不到|找出|翻出|翻一翻|找找|找一下|搜一下|搜索|查找|找到|有没有(?:拍|存)")
_ZH_THIS_IMAGE = re.compile(r"这张|这幅|这个图|图里|图中|图上|图片里|照片里|画面|左边|右边|中间|旁边|背景里|上面的|里面的|他|她|它")
_ZH_WHAT_LIKE = re.compile(r"什么样|效果|看起来会|会怎样|会变成")
_ZH_WORDS = re.compile(r"写|代码|文案|诗|故事|文章|邮件|总结|解释|建议|推荐|计划|流程|方案|报告|PPT|ppt|笑话|介绍一下|讲讲|聊")
_ZH_HOWTO = re.compile(r"怎么|如何|怎样|有什么(?:建议|技巧|方法|推荐)|为什么|是不是|吗[？?。]?$|呢[？?。]?$")
_ZH_AUDIO = re.compile(r"录音|音频|语音|播客|备忘录|这段|说的|说了|讲了|歌词|字幕|听写|听不|听一下|听听|逐字|文字记录|转成字|转文字|声音")
_ZH_PICTURE = re.compile(r"图|画|照片|插画|壁纸|海报|头像|logo|Logo|LOGO|图标|贴纸|表情包?|封面|班徽|标志|徽章")
_ZH_MAKE = re.compile(r"画|绘|生成|来一张|来张|来一幅|做一张|做个|做一个|设计|出一张|弄一张|P一|p一|想象")
_ZH_MORE = re.compile(r"再.{0,3}(?:一点|一些|点)|一些$|一点$|(?:亮|暗|大|小|高|低|多|少)(?:一点|一些)")
# the user's own documents (ask_documents): cues only, the labelled data weighs them
_DOCS_EN = re.compile(
    r"\b(?:my|our|the|this|that|these|those)\s+(?:\w+[\s']+){0,3}?(?:documents?|docs|files|notes|notebook|pdfs?|manuals?|"
    r"contracts?|lease|agreements?|handbook|policy|policies|report|slides|minutes|invoices?|statements?|syllabus|"
    r"whitepaper|paper|thesis|proposal|guide)\b"
    r"|\baccording to\b|\b(?:based on|from|using|per|in) (?:my|our|the) (?:\w+ ){0,2}(?:notes|documents|docs|files)\b"
    r"|\b(?:i|we) (?:uploaded|added|indexed|imported|saved)\b|\b(?:uploaded|indexed|imported)\b")
_DOCS_ZH = re.compile(r"文档|文件|笔记|合同|协议|资料|手册|守则|说明书|报告|论文|白皮书|纪要|记录|大纲|条款|"
                      r"上传|导入|添加的|加进来|根据我")
_LIST_LIKE = re.compile(r"^(?!.*[?？])[^,，]+(?:[,，][^,，]+){2,}$")
_MIXED = re.compile(r"[\u4e00-\u9fff].*[A-Za-z]{2}|[A-Za-z]{2}.*[\u4e00-\u9fff]")

# (name, pattern, which form of the text it reads, what a person would call it)
_FEATURE_PATTERNS: tuple[tuple[str, re.Pattern, str, str], ...] = (
    ("transcribe", _TRANSCRIBE, "low", "a word for transcribing"),
    ("audio_ref", _AUDIO_REF, "low", "a mention of the recording"),
    ("search_verb_en", _SEARCH_VERB_EN, "low", "a word for finding"),
    ("photo_nouns", _PHOTO_NOUN_EN, "low", "a word for photos"),
    ("photo_noun", _PHOTO_NOUN_SG, "low", "a word for a photo"),
    ("my_photos", _MY_PHOTOS, "low", "'my photos'"),
    ("search_verb_zh", _SEARCH_VERB_ZH, "raw", "a word for finding"),
    ("photo_noun_zh", _PHOTO_NOUN_ZH, "raw", "a word for photos"),
    ("gen_start", _GEN_START_EN, "core", "a drawing verb at the start"),
    ("gen_style", _GEN_STYLE_EN, "core", "image-prompt style words"),
    ("gen_phrase", _GEN_PHRASE_EN, "low", "a request to make a picture"),
    ("gen_zh", _GEN_ZH, "zcore", "a request to draw"),
    ("gen_zh_not", _GEN_ZH_NOT, "raw", "talk about drawing"),
    ("edit_en", _EDIT_EN, "core", "a word for changing something"),
    ("edit_obj", _EDIT_OBJ_EN, "core", "a word pointing at the picture"),
    ("edit_zh", _EDIT_ZH, "raw", "a word for changing something"),
    ("image_ref", _IMAGE_REF, "core", "a mention of the picture"),
    ("describe_en", _DESCRIBE_EN, "low", "a question word"),
    ("describe_zh", _DESCRIBE_ZH, "raw", "a question word"),
    ("question_en", _QUESTION_EN, "core^", "a question"),
    ("question_zh", _QUESTION_ZH, "raw", "a question"),
    ("chat_lead", _CHAT_LEAD, "core^", "a request for words"),
    ("chat_only", _CHAT_ONLY_EN, "core^", "a short remark"),
    ("zh_mine", _ZH_MINE, "raw", "your own pictures"),
    ("zh_find", _ZH_FIND, "raw", "a word for finding"),
    ("zh_this_image", _ZH_THIS_IMAGE, "raw", "a mention of the picture"),
    ("zh_what_like", _ZH_WHAT_LIKE, "raw", "'what would it look like'"),
    ("zh_words", _ZH_WORDS, "raw", "a request for words"),
    ("zh_howto", _ZH_HOWTO, "raw", "a question"),
    ("zh_audio", _ZH_AUDIO, "raw", "a mention of the recording"),
    ("zh_picture", _ZH_PICTURE, "raw", "a word for a picture"),
    ("zh_make", _ZH_MAKE, "raw", "a word for drawing"),
    ("zh_more", _ZH_MORE, "raw", "'a bit more'"),
    ("docs_en", _DOCS_EN, "low", "a mention of your documents"),
    ("docs_zh", _DOCS_ZH, "raw", "a mention of your documents"),
    ("list_like", _LIST_LIKE, "raw", "a list of image-prompt phrases"),
    ("mixed", _MIXED, "raw", "mixed Chinese and English"),
)
_RULE_WORDS = {name: words for name, _, _, words in _FEATURE_PATTERNS} | {
    "folder": "a folder", "route:chat": "the patterns", "route:describe_image": "a question about the picture",
    "route:generate_image": "a drawing request", "route:edit_image": "a change to the picture",
    "route:search_images": "a picture search", "route:transcribe_audio": "a transcription request",
    "short": "a very short message", "zh": "Chinese",
}
_ATTACHED_PICTURE, _WHOLE_MESSAGE = "the attached picture", "the message as a whole"


def reason_words() -> dict[str, str]:
    """The fixed words a reason carries as params (the readings, the patterns' names, the evidence
    of last resort), each with a note for the translator: the window says them in its language."""
    out = {reading: f"the reading {intent}" for intent, reading in _READING.items()}
    out.update({words: f"evidence: the pattern {name}" for name, words in _RULE_WORDS.items()})
    out.update({_ATTACHED_PICTURE: "evidence: a picture and no words", _WHOLE_MESSAGE: "evidence: nothing stood out"})
    return out


def _listed(parts: Sequence[str | Text]) -> str | Text:
    """The evidence's parts as one phrase: "'draw', 'cat', a drawing request and its likeness to ..."."""
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return Text.of("router.evidence_two", "{first} and {second}", first=parts[0], second=parts[1])
    if len(parts) == 3:
        return Text.of("router.evidence_three", "{first}, {second} and {third}", first=parts[0], second=parts[1],
                       third=parts[2])
    # four at most (two phrases, a pattern or a third phrase, the closest example); more share the third
    third = parts[2] if len(parts) == 4 else ", ".join(map(str, parts[2:-1]))
    return Text.of("router.evidence_four", "{first}, {second}, {third} and {fourth}", first=parts[0],
                   second=parts[1], third=third, fourth=parts[-1])


def _learned_reason(unsure: bool, note: str, reading: str, confidence: str, other: str, other_confidence: str,
                    evidence: str | Text) -> Text:
    """The classifier's reason: the reading (and the runner-up when unsure), what weighed most, and
    a note when it judged without sentence embeddings."""
    if unsure and note == _NO_EMBEDDINGS:
        return Text.of("router.unsure_without_embeddings", "Not sure: {reading} ({confidence}) or {other} "
                       "({other_confidence}); {evidence} pointed to the first (no sentence embeddings: judged on "
                       "words and patterns only).", reading=reading, confidence=confidence, other=other,
                       other_confidence=other_confidence, evidence=evidence)
    if unsure and note == _EMBEDDING_FAILED:
        return Text.of("router.unsure_embedding_failed", "Not sure: {reading} ({confidence}) or {other} "
                       "({other_confidence}); {evidence} pointed to the first (the sentence embedding failed, so "
                       "words and patterns decided).", reading=reading, confidence=confidence, other=other,
                       other_confidence=other_confidence, evidence=evidence)
    if unsure:
        return Text.of("router.unsure", "Not sure: {reading} ({confidence}) or {other} ({other_confidence}); "
                       "{evidence} pointed to the first.", reading=reading, confidence=confidence, other=other,
                       other_confidence=other_confidence, evidence=evidence)
    if note == _NO_EMBEDDINGS:
        return Text.of("router.read_as_without_embeddings", "Read as {reading} ({confidence}): {evidence} weighed "
                       "most (no sentence embeddings: judged on words and patterns only).", reading=reading,
                       confidence=confidence, evidence=evidence)
    if note == _EMBEDDING_FAILED:
        return Text.of("router.read_as_embedding_failed", "Read as {reading} ({confidence}): {evidence} weighed "
                       "most (the sentence embedding failed, so words and patterns decided).", reading=reading,
                       confidence=confidence, evidence=evidence)
    return Text.of("router.read_as", "Read as {reading} ({confidence}): {evidence} weighed most.", reading=reading,
                   confidence=confidence, evidence=evidence)


def rule_hits(text: str, has_image: bool = False, has_audio: bool = False) -> list[str]:
    """Names of the patterns that match ``text``: features of the learned classifier."""
    raw = _norm(text or "")
    low = raw.lower()
    core = _strip_polite(low)
    forms = {"raw": raw, "low": low, "core": core, "zcore": _strip_polite(raw)}
    hits = []
    for name, rx, form, _ in _FEATURE_PATTERNS:
        target = forms[form.rstrip("^")]
        if (rx.match(target) if form.endswith("^") else rx.search(target)):
            hits.append(name)
    decision = _rule_decision(raw, low, core, has_image, has_audio)
    if decision is not None:
        hits.append("route:" + decision.intent)
    if extract_folder(raw)[0]:
        hits.append("folder")
    if len(raw.split()) <= 3 and not _has_cjk(raw):
        hits.append("short")
    if han_share(raw) > 0.3:
        hits.append("zh")
    return hits


def _rules_version() -> str:
    return "|".join(rx.pattern for _, rx, _, _ in _FEATURE_PATTERNS) + "|v1"




# ---------------------------------------------------------------------------------- the router
@dataclass(frozen=True)
class _Noted:
    """A learned correction with what near-duplicate matching needs."""

    correction: Correction
    grams: frozenset[str]
    vector: Any = None  # its sentence embedding (np.ndarray) or None


@dataclass
class _State:
    """One consistent snapshot the routing reads (swapped whole, never changed in place)."""

    featurizer: Featurizer
    model: Model  # with the corrections, once refitted
    base: Model  # the training rows only
    texts: list[str]
    labels: np.ndarray
    flags: list[tuple[bool, bool]]
    emb: np.ndarray | None  # training embeddings (unit rows) or None without an embedder
    images: np.ndarray  # has_image of each training row (bool)
    base_key: str
    stats: RouterStats
    noted: tuple[_Noted, ...] = ()
    fitted_with: int = 0  # how many of ``noted`` the model was fitted with
    note: str = ""  # said in every learned reason: _NO_EMBEDDINGS when there are none


_MAX_CHARS = 600
# the notes a learned reason ends with: judged without embeddings (none at all / this one failed)
_NO_EMBEDDINGS, _EMBEDDING_FAILED = "no embeddings", "embedding failed"
_STOP = frozenset("a an the of in on to for and or with at by from as be is are was i you me my we our it its "
                  "this that please can could would will do".split())


def _same_turn(c: Correction) -> tuple[str, bool, bool]:
    return " ".join(c.text.casefold().split()), c.has_image, c.has_audio


def _grams(text: str) -> frozenset[str]:
    from .intent_model import Featurizer

    return frozenset(u for u in Featurizer.units(text) if u.startswith("c:"))


def _gram_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / ((len(a) * len(b)) ** 0.5) if a and b else 0.0


class IntentRouter:
    """Decides the intent of a turn: ``route(text, has_image=, has_audio=) -> Intent``.

    ``embedder`` is anything with ``embed(texts) -> unit rows`` (``pipelines.embed.TextEmbedder``, or
    the engine's leased one); without it the classifier uses n-grams and patterns only, and says so.
    ``data`` is the labelled set (``Example`` rows or TSV paths; only ``split=train`` rows are used).
    ``cache_dir`` keeps the trained weights between runs (None: train in memory each time): they hold
    only the shipped labelled set, so a machine-wide cache can share them. ``learned_dir`` (default:
    ``cache_dir``) keeps the weights refitted with the user's corrections, which ``forget()`` deletes.
    ``background`` refits after a correction on a worker thread (``wait()`` joins it); near-duplicates
    of a correction route to it at once either way. The first ``route`` trains (or loads) the model;
    ``prepare()`` does it ahead of time. Thread-safe.
    """

    def __init__(self, embedder: Embedder | None = None, *, corrections: Iterable[Correction] = (),
                 cache_dir: str | Path | None = None, learned_dir: str | Path | None = None, data: Iterable[Example] | Sequence[str | Path] | None = None,
                 hyper: HyperParams | None = None, background: bool = True, correction_weight: float = 8.0,
                 near_embedding: float = 0.9, near_grams: float = 0.8, embedder_id: str | None = None):
        from .intent_model import HyperParams

        self.embedder = embedder
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.learned_dir = Path(learned_dir) if learned_dir is not None else self.cache_dir
        self.hyper = hyper or HyperParams()
        self.background = background
        self.correction_weight = correction_weight
        self.near_embedding = near_embedding
        self.near_grams = near_grams
        self._embedder_id = embedder_id
        self._data = data
        latest = {_same_turn(c): c for c in map(self._checked, corrections)}  # a later correction of a turn wins
        self._corrections: list[Correction] = list(latest.values())
        self._lock = threading.RLock()
        self._state: _State | None = None
        self._generation = 0  # bumped by learn/forget: a refit of an older generation is dropped
        self._worker: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()

    # ------------------------------------------------------------------ public
    @property
    def corrections_count(self) -> int:
        return len(self._corrections)

    @property
    def corrections(self) -> tuple[Correction, ...]:
        return tuple(self._corrections)

    @property
    def stats(self) -> RouterStats:
        return self._ensure().stats

    def prepare(self) -> RouterStats:
        """Train or load the classifier now (the first ``route`` does it otherwise)."""
        return self.stats

    def route(self, text: str, *, has_image: bool = False, has_audio: bool = False) -> Intent:
        raw = _norm(text or "")
        if not raw:
            if has_audio:
                return Intent.because("transcribe_audio", 0.95, Text.of(
                    "router.audio_without_text", "an audio file is attached and there is no text, so it will be "
                    "transcribed"), "context", alternatives=(("transcribe_audio", 0.95),))
            if has_image:
                return Intent.because("describe_image", 0.95, Text.of(
                    "router.image_without_text", "an image is attached with no question, so it will be described"),
                    "context", alternatives=(("describe_image", 0.95),))
            return Intent.because("chat", 0.3, Text.of("router.empty_message", "the message is empty"), "context",
                                  alternatives=(("chat", 0.3),))
        st = self._ensure()
        vector, emb_note = self._embed_one(raw, st)
        return self._decide(st, raw, has_image, has_audio, vector, emb_note)

    def route_many(self, turns: Iterable[tuple[str, bool, bool]]) -> list[Intent]:
        """``route`` for many (text, has_image, has_audio) at once: the embeddings in one batch."""
        import numpy as np

        items = [(_norm(t or ""), bool(i), bool(a)) for t, i, a in turns]
        st = self._ensure()
        texts = [t for t, _, _ in items if t]
        vectors: dict[str, np.ndarray] = {}
        if st.emb is not None and texts:
            assert self.embedder is not None
            vectors = dict(zip(texts, np.asarray(self.embedder.embed(texts), np.float32)))
        return [self.route(t, has_image=i, has_audio=a) if not t else
                self._decide(st, t, i, a, vectors.get(t), "") for t, i, a in items]

    def _decide(self, st: _State, raw: str, has_image: bool, has_audio: bool, vector: np.ndarray | None,
                emb_note: str) -> Intent:
        near = self._nearest_correction(st, raw, has_image, has_audio, vector)
        if near is not None:
            return near
        return self._with_slots(self._classify(st, raw, has_image, has_audio, vector, emb_note), raw)

    def learn(self, correction: Correction) -> None:
        """Take a correction into account from the next ``route`` on."""
        c = self._checked(correction)
        st = self._ensure()
        vector = None
        if st.emb is not None:
            vector, _ = self._embed_one(_norm(c.text), st)
        with self._lock:
            same = _same_turn(c)
            self._corrections = [*(o for o in self._corrections if _same_turn(o) != same), c]  # the latest wins
            self._generation += 1
            cur = self._state
            assert cur is not None
            noted = tuple(n for n in cur.noted if _same_turn(n.correction) != same)
            self._state = replace(cur, noted=(*noted, _Noted(c, _grams(c.text), vector)))
        self._schedule_refit()

    def forget(self) -> None:
        """Drop every correction, and the weights refitted with them: back to the classifier of the
        training rows."""
        with self._lock:
            if self.learned_dir is not None:
                for f in self.learned_dir.glob("intent-*-*.npz"):
                    f.unlink(missing_ok=True)
            self._corrections.clear()
            self._generation += 1
            if self._state is not None:
                st = self._state
                self._state = replace(st, model=st.base, noted=(), fitted_with=0,
                                      stats=replace(st.stats, corrections=0))

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background refit to finish; False if it is still running after ``timeout``."""
        return self._idle.wait(timeout)

    # ------------------------------------------------------------------ routing
    def _embed_one(self, raw: str, st: _State) -> tuple[np.ndarray | None, str]:
        import numpy as np

        if st.emb is None:
            return None, ""
        assert self.embedder is not None
        try:
            v = np.asarray(self.embedder.embed([raw]), dtype=np.float32)[0]
            return v, ""
        except Exception as e:  # the model could not load now: words and patterns decide alone
            log.warning("intent router: sentence embedding failed, routing on words only: %s", e)
            return np.zeros(st.emb.shape[1], np.float32), _EMBEDDING_FAILED

    def _nearest_correction(self, st: _State, raw: str, has_image: bool, has_audio: bool,
                            vector: np.ndarray | None) -> Intent | None:
        if not st.noted:
            return None
        grams = _grams(raw)
        best: tuple[float, _Noted] | None = None
        for n in st.noted:
            c = n.correction
            if c.has_image != has_image or c.has_audio != has_audio:
                continue
            score = _gram_similarity(grams, n.grams) / self.near_grams
            if vector is not None and n.vector is not None:
                score = max(score, float(vector @ n.vector) / self.near_embedding)
            if score >= 1.0 and (best is None or score > best[0]):
                best = (score, n)
        if best is None:
            return None
        c = best[1].correction
        conf = 0.95
        return self._with_slots(Intent.because(
            c.intent, conf, Text.of("router.corrected", "You corrected a similar message ({message}) to {reading}.",
                                    message=_quote(c.text), reading=_READING[c.intent]),
            "correction", alternatives=((c.intent, conf),)), raw)

    def _classify(self, st: _State, raw: str, has_image: bool, has_audio: bool, vector: np.ndarray | None,
                  emb_note: str) -> Intent:
        import numpy as np

        raw = raw[:_MAX_CHARS]  # the request is in its first sentences; patterns on long text are slow
        hits = rule_hits(raw, has_image, has_audio)
        rows = st.featurizer.rows([(raw, has_image, has_audio)], [hits])
        allowed = allowed_intents(has_image)
        mask = np.array([[i in allowed for i in INTENTS]])
        emb = None if vector is None else vector[None, :]
        p = st.model.probs(rows, emb, mask)[0]
        order = [int(k) for k in np.argsort(-p) if mask[0, k]]
        alternatives = tuple((INTENTS[k], round(float(p[k]), 4)) for k in order)
        top, second = alternatives[0], (alternatives[1] if len(alternatives) > 1 else (alternatives[0][0], 0.0))
        unsure = len(alternatives) > 1 and (top[1] < st.model.threshold or top[1] - second[1] < st.model.margin)
        evidence = self._evidence(st, raw, has_image, has_audio, hits, vector, order[0],
                                  order[1] if len(order) > 1 else None)
        reason = _learned_reason(unsure, emb_note or st.note, _READING[top[0]], f"{top[1]:.0%}",
                                 _READING[second[0]], f"{second[1]:.0%}", evidence)
        return Intent.because(top[0], float(top[1]), reason, "learned", alternatives=alternatives, unsure=unsure)

    def _evidence(self, st: _State, raw: str, has_image: bool, has_audio: bool, hits: Sequence[str],
                  vector: np.ndarray | None, best: int, runner: int | None) -> str | Text:
        """The words, patterns or closest example that pushed ``best`` above ``runner`` the most."""
        import numpy as np

        from .intent_model import Featurizer

        w = st.model.weights
        f = st.featurizer
        units = Featurizer.units(raw)
        chars = sorted({u for u in units if u.startswith("c:")})
        wordish = sorted({u for u in units if not u.startswith("c:")})
        names = chars + wordish + ["r:" + h for h in hits]
        ids = f.ids(names, has_image, has_audio)
        pos = np.minimum(np.searchsorted(w.vocab, ids), len(w.vocab) - 1)
        known = w.vocab[pos] == ids
        rows = w.sparse[pos]  # (names, contexts, C)
        diff = rows[..., best] - (rows[..., runner] if runner is not None else rows.mean(axis=-1))
        weight = np.where(known, diff, 0.0).sum(axis=1)
        char_w = weight[:len(chars)] * f.hp.char_scale / max(len(chars), 1) ** 0.5
        word_w = weight[len(chars):len(chars) + len(wordish)] * f.hp.word_scale / max(len(wordish), 1) ** 0.5
        rule_w = weight[len(chars) + len(wordish):] * f.hp.rule_scale

        score: dict[str, float] = {}
        words = set(re.findall(r"[a-z0-9']+", raw.casefold()))
        for u, v in zip(chars, char_w):  # a Latin n-gram counts for the words it is part of; a Chinese one alone
            g = u[2:]
            if HAN.search(g):
                if len(g) >= 2:
                    score[g] = score.get(g, 0.0) + float(v)
                continue
            g = g.strip()
            owners = [x for x in words if len(g) >= 2 and g in x]
            for x in owners:
                score[x] = score.get(x, 0.0) + float(v) / len(owners)
        for u, v in zip(wordish, word_w):
            g = u[2:].replace("^", "").replace("$", "").strip()
            if not g or g == "?" or HAN.search(g):  # Chinese pairs repeat the character n-grams
                continue
            score[g] = score.get(g, 0.0) + float(v)
        picked: list[str] = []
        for k, v in sorted(score.items(), key=lambda kv: -kv[1]):
            if v <= 0.05 or len(picked) == 3 or all(x in _STOP for x in k.split()):
                continue
            if any(k in p or p in k or (HAN.search(k) and set(k) & set(p)) for p in picked):
                continue  # overlapping Chinese n-grams say the same thing
            picked.append(k)
        phrases = [f"'{k}'" for k in picked]
        rules = sorted(((float(v), h) for v, h in zip(rule_w, hits)), reverse=True)
        parts: list[str | Text] = list(phrases[:2])
        if rules and rules[0][0] > 0.2:
            parts.append(_RULE_WORDS.get(rules[0][1], rules[0][1]))
        elif len(phrases) > 2:
            parts.append(phrases[2])
        if vector is not None and w.dense.shape[0] and st.emb is not None and float(np.abs(vector).sum()) > 0:
            sims = st.emb @ vector
            same = (st.labels == best) & (st.images == has_image)
            if same.any():
                ex = int(np.argmax(np.where(same, sims, -2.0)))
                if sims[ex] >= 0.5:
                    parts.append(Text.of("router.likeness", "its likeness to {example}",
                                         example=_quote(st.texts[ex], 50)))
        if has_image and not parts:
            parts.append(_ATTACHED_PICTURE)
        if not parts:
            return _WHOLE_MESSAGE
        return _listed(parts)

    @staticmethod
    def _with_slots(intent: Intent, raw: str) -> Intent:
        if intent.intent == "search_images":
            folder, span = extract_folder(raw)
            query = extract_search_query(raw, span)
            if query is None:  # "find my screenshots": the kind of picture is the query
                kind = re.search(r"screenshots?|selfies?|截图|自拍", raw.lower())
                query = kind.group(0) if kind else None
            return replace(intent, folder=folder, query=query)
        if intent.intent in ("generate_image", "edit_image"):
            if _has_cjk(raw):
                core = _strip_polite(raw)
                return replace(intent, prompt=_zh_gen_prompt(core) if intent.intent == "generate_image" else core)
            core = _strip_polite(raw.lower())
            return replace(intent, prompt=_gen_prompt(core) if intent.intent == "generate_image" else core)
        return intent

    # ------------------------------------------------------------------ training
    @staticmethod
    def _checked(c: Correction) -> Correction:
        from .errors import BadInput

        if c.intent not in INTENTS:
            raise BadInput("Unknown intent {intent} in a correction; use one of {choices}.",
                           code="router.correction_unknown_intent", intent=repr(c.intent),
                           choices=', '.join(INTENTS))
        if c.intent in NEEDS_IMAGE and not c.has_image:
            raise BadInput("A correction to {intent} needs a picture attached to the turn.",
                           code="router.correction_needs_picture", intent=c.intent)
        return Correction(_norm(c.text), c.intent, bool(c.has_image), bool(c.has_audio))

    def _rows(self) -> list[Example]:
        data = self._data
        if data is None:
            data = list(DEFAULT_DATA)
        items = list(data)
        if items and isinstance(items[0], (str, Path)):
            rows = load_many([Path(p) for p in items])  # type: ignore[arg-type]
        else:
            rows = [r for r in items if isinstance(r, Example)]
        return [r for r in rows if r.split == "train" and r.text]  # an empty turn is decided by its context

    def _identity(self) -> str:
        """Which embedder: its own name if it gives one, else a hash of its embedding of a probe sentence."""
        import numpy as np

        if self.embedder is None:
            return "none"
        if self._embedder_id:
            return self._embedder_id
        v = np.asarray(self.embedder.embed(["a probe sentence for the intent router: draw a cat"]), np.float32)[0]
        from .intent_model import digest

        return f"probe:{v.shape[0]}:" + digest(np.round(v, 2).tobytes())[:16]

    def _ensure(self) -> _State:
        st = self._state
        if st is not None:
            return st
        with self._lock:
            if self._state is None:
                self._state = self._build()
                if self._corrections:
                    self._refit_now()
            return self._state

    def _build(self) -> _State:
        import numpy as np

        from .intent_model import (
            FEATURES_VERSION,
            Featurizer,
            Model,
            Weights,
            digest,
            load_npz,
            save_npz,
            train,
        )

        t0 = time.perf_counter()
        rows = self._rows()
        if not rows:
            from .errors import BadInput

            raise BadInput("No labelled intent data was found (assets/intents); reinstall Sensorium.",
                           code="router.no_intent_data")
        note = ""
        try:
            emb_id = self._identity()
        except Exception as e:  # the embed role failed to load: learn from words and patterns
            log.warning("intent router without embeddings: %s", e)
            self.embedder, emb_id = None, "none"
        if self.embedder is None:
            note = _NO_EMBEDDINGS
        hp = self.hyper
        featurizer = Featurizer(hp, rule_hits)
        texts = [r.text for r in rows]
        labels = np.array([INTENTS.index(r.intent) for r in rows], np.int64)
        flags = [(r.has_image, r.has_audio) for r in rows]
        key = digest(FEATURES_VERSION, hp.key(), _source_version(), emb_id,
                     [(r.intent, r.text, r.has_image, r.has_audio) for r in rows])
        path = self.cache_dir / f"intent-{key[:24]}.npz" if self.cache_dir else None
        z = load_npz(path) if path else None
        if z is not None and str(z.get("key", "")) == key:
            emb = z["emb"].astype(np.float32) if z["emb"].size else None
            weights = Weights(z["vocab"], z["sparse"], z["dense"], z["bias"])
            cv = {k[3:]: float(z[k]) for k in z if k.startswith("cv_")}
            model = Model(weights, float(z["temperature"]), float(z["threshold"]), float(z["margin"]),
                          hp.emb_scale, emb is not None, cv)
            from_cache = True
        else:
            emb = None
            if self.embedder is not None:
                emb = np.asarray(self.embedder.embed(texts), np.float32)
            sparse = featurizer.rows([(t, i, a) for t, (i, a) in zip(texts, flags)])
            mask = np.array([[i in allowed_intents(img) for i in INTENTS] for img, _ in flags])
            model = train(sparse, emb, labels, mask, np.ones(len(rows)), hp, len(INTENTS))
            from_cache = False
            if path is not None:
                try:
                    save_npz(path, {
                        "key": np.array(key), "vocab": model.weights.vocab, "sparse": model.weights.sparse,
                        "dense": model.weights.dense, "bias": model.weights.bias,
                        "temperature": np.array(model.temperature), "threshold": np.array(model.threshold),
                        "margin": np.array(model.margin),
                        "emb": emb.astype(np.float16) if emb is not None else np.zeros((0,), np.float16),
                        **{"cv_" + k: np.array(v) for k, v in model.cv.items()}})
                    _prune(path.parent)
                except OSError as e:
                    log.warning("intent router: could not cache its weights in %s: %s", path, e)
        cv = model.cv
        stats = RouterStats(len(rows), emb is not None, cv.get("accuracy", float("nan")),
                            cv.get("unsure_rate", float("nan")), cv.get("sure_accuracy", float("nan")),
                            model.temperature, model.threshold, model.margin, time.perf_counter() - t0, from_cache)
        built = _State(featurizer, model, model, texts, labels, flags, emb, np.array([i for i, _ in flags], bool), key,
                       stats, (), 0, note)
        return replace(built, noted=self._noted(emb))

    def _noted(self, emb: np.ndarray | None) -> tuple[_Noted, ...]:
        import numpy as np

        out = []
        vectors = None
        if emb is not None and self.embedder is not None and self._corrections:
            vectors = np.asarray(self.embedder.embed([c.text for c in self._corrections]), np.float32)
        for k, c in enumerate(self._corrections):
            out.append(_Noted(c, _grams(c.text), None if vectors is None else vectors[k]))
        return tuple(out)

    def _schedule_refit(self) -> None:
        if not self.background:
            with self._lock:
                self._refit_now()
            return
        with self._lock:
            self._idle.clear()
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._refit_loop, name="sensorium-intent-refit", daemon=True)
                self._worker.start()

    def _refit_loop(self) -> None:
        try:
            while True:
                with self._lock:
                    gen = self._generation
                done = self._refit_now(generation=gen)
                with self._lock:
                    if done and gen == self._generation:
                        self._idle.set()
                        self._worker = None
                        return
        except Exception:  # keep routing with the old weights; the override still applies
            log.exception("intent router: refitting with the corrections failed")
            with self._lock:
                self._idle.set()
                self._worker = None

    def _refit_now(self, generation: int | None = None) -> bool:
        """Fit the classifier with the corrections (warm start from the training-rows model). Returns
        False when a newer learn/forget came while it ran (its result is then dropped)."""
        import numpy as np

        from .intent_model import Model, Weights, digest, fit, load_npz, save_npz

        with self._lock:
            st = self._state
            assert st is not None
            corrections = tuple(self._corrections)
            gen = self._generation if generation is None else generation
        if not corrections:
            return True
        ckey = digest(st.base_key, [(c.text, c.intent, c.has_image, c.has_audio) for c in corrections],
                      self.correction_weight)
        path = self.learned_dir / f"intent-{st.base_key[:24]}-{ckey[:16]}.npz" if self.learned_dir else None
        z = load_npz(path) if path else None
        if z is not None and str(z.get("key", "")) == ckey:
            weights = Weights(z["vocab"], z["sparse"], z["dense"], z["bias"])
        else:
            texts = st.texts + [c.text for c in corrections]
            flags = st.flags + [(c.has_image, c.has_audio) for c in corrections]
            labels = np.concatenate([st.labels, [INTENTS.index(c.intent) for c in corrections]]).astype(np.int64)
            emb = None
            if st.emb is not None and self.embedder is not None:
                extra = np.asarray(self.embedder.embed([c.text for c in corrections]), np.float32)
                emb = np.concatenate([st.emb, extra])
            sparse = st.featurizer.rows([(t, i, a) for t, (i, a) in zip(texts, flags)])
            mask = np.array([[i in allowed_intents(img) for i in INTENTS] for img, _ in flags])
            weight = np.concatenate([np.ones(len(st.texts)), np.full(len(corrections), self.correction_weight)])
            hp = replace(self.hyper, max_iter=max(60, self.hyper.max_iter // 2))
            weights = fit(sparse, emb, labels, mask, weight, hp, len(INTENTS), init=st.base.weights)
            if path is not None:
                try:
                    for old in path.parent.glob(f"intent-{st.base_key[:24]}-*.npz"):
                        old.unlink(missing_ok=True)
                    save_npz(path, {"key": np.array(ckey), "vocab": weights.vocab, "sparse": weights.sparse,
                                    "dense": weights.dense, "bias": weights.bias})
                except OSError as e:
                    log.warning("intent router: could not cache the corrected weights in %s: %s", path, e)
        with self._lock:
            if gen != self._generation or self._state is None:
                return False
            cur = self._state
            model = Model(weights, cur.base.temperature, cur.base.threshold, cur.base.margin, cur.base.emb_scale,
                          cur.base.has_embedding, cur.base.cv)
            self._state = replace(cur, model=model, fitted_with=len(corrections),
                                  stats=replace(cur.stats, corrections=len(corrections)))
            return True




def _prune(folder: Path, keep: int = 4) -> None:
    """Keep the newest few trained models (with and without embeddings, a previous version) in ``folder``."""
    bases = sorted((p for p in folder.glob("intent-*.npz") if re.fullmatch(r"intent-[0-9a-f]{24}\.npz", p.name)),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    for old in bases[keep:]:
        for f in (old, *folder.glob(old.stem + "-*.npz")):
            f.unlink(missing_ok=True)


def _source_version() -> str:
    """This module's patterns are features: a change to them retrains."""
    from .intent_model import digest

    try:
        return digest(Path(__file__).read_bytes())[:16]
    except OSError:  # pragma: no cover - frozen builds without sources
        return digest(_rules_version())[:16]

_GEN_LEAD = re.compile(
    r"^(?:draw|paint|sketch|illustrate|doodle|render|imagine|visuali[sz]e|depict|design|picture|generate|create|make|produce|"
    r"give|show|craft|whip up|come up with|i want|i need|i'd like)\b(?: me| us)?"
    r"(?:(?: an?| one| some| another| new| the)?(?: \w+){0,2}? (?:image|picture|photo|illustration|drawing|painting|artwork|art|render|wallpaper)s?(?: of| showing| with)?)?\s*")


def _gen_prompt(core: str) -> str:
    p = _GEN_LEAD.sub("", core).strip(" ,.:!")
    return p or core


def _zh_gen_prompt(core: str) -> str:
    p = re.sub(r"^(?:画|生成|绘制|创作|来|设计|做)出?", "", core)
    p = re.sub(r"^(?:(?:一|两|几)?(?:张|幅|副)|个)?(?:图片|图|画)?[：:，,\s]*", "", p)
    p = re.sub(r"(?:的)?(?:图片|图|画)$", "", p).strip(" ，。,.!！")
    return p or core
