"""Intent recognition: which role answers a turn, how sure we are, and why.

Three layers, each giving a reason a person can read:

1. Context: an attached picture or audio file with no text decides on its own.
2. Rules: clear phrasings in English and Chinese ("draw ...", "画一张 ...", "find photos of ... in
   ~/Pictures", "transcribe ...", "make it ..." with a picture attached).
3. A nearest-example classifier over sentence embeddings (MiniLM) of a labelled example bank
   (``assets/intents/examples.tsv``), restricted by the context: without a picture, describing
   or editing one is not a candidate. Without an embedder, a keyword score with lower confidence.

``has_audio`` means the turn came with audio: a dropped file or speech from the microphone (the
engine routes the transcript as the text). So audio alone routes to transcription only when there
is no text at all, or when the text asks for it ("transcribe", "what does he say", "把这段录音转成
文字") or points at this audio ("this voice memo"); "draw a cat" or "tell me about the meeting"
said aloud is routed by what it says.

For ``search_images`` the folder and the query are extracted (``Intent.folder``/``Intent.query``);
for ``generate_image`` and ``edit_image`` the instruction without the command words
(``Intent.prompt``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .assets import asset
from .errors import BadInput

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = [
    "INTENTS",
    "Intent",
    "Correction",
    "INTENT_CHOICE_LABELS",
    "Example",
    "IntentRouter",
    "Embedder",
    "load_examples",
    "extract_folder",
    "extract_search_query",
    "DEFAULT_EXAMPLES",
]

INTENTS = ("chat", "describe_image", "generate_image", "edit_image", "search_images", "transcribe_audio")
NEEDS_IMAGE = ("describe_image", "edit_image")
DEFAULT_EXAMPLES = asset("intents", "examples.tsv")


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Intent:
    """The routing decision for one turn.

    ``confidence`` is in [0, 1]; ``reason`` is one sentence for the user; ``method`` says which
    layer decided (context, rule, embedding, keywords, default).
    """

    intent: str
    confidence: float
    reason: str
    method: str = "rule"
    folder: str | None = None  # search_images: the folder to search ("~/Pictures"), if named
    query: str | None = None  # search_images: what to look for ("the sea")
    prompt: str | None = None  # generate_image / edit_image: the instruction without command words
    alternatives: tuple[tuple[str, float], ...] = ()  # (intent, probability), best first, over the allowed intents
    unsure: bool = False  # ask the user between alternatives[0] and alternatives[1]


@dataclass(frozen=True)
class Correction:
    """What the user said a request meant ("not what I meant", or the reading picked when asked)."""

    text: str
    intent: str
    has_image: bool = False
    has_audio: bool = False


# the buttons that offer a reading of an unclear request
INTENT_CHOICE_LABELS: dict[str, str] = {
    "chat": "Talk about it", "generate_image": "Draw it", "describe_image": "Answer about the picture",
    "edit_image": "Change the picture", "search_images": "Search my pictures", "transcribe_audio": "Transcribe it",
}


@dataclass(frozen=True)
class Example:
    intent: str
    text: str


def load_examples(path: str | Path = DEFAULT_EXAMPLES) -> list[Example]:
    """Read a TSV of ``intent<TAB>text`` lines (``#`` comments and blank lines skipped)."""
    out: list[Example] = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2 or parts[0].strip() not in INTENTS or not parts[1].strip():
            raise BadInput(f"Intent examples {path}, line {n}: expected 'intent<TAB>text' with a known intent; fix the line.")
        out.append(Example(parts[0].strip(), parts[1].strip()))
    return out


# ---------------------------------------------------------------------------------- text helpers
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\uff1f": "?",
                         "\uff01": "!", "\uff0c": ",", "\u3002": ".", "\uff1a": ":", "\uff5e": "~"})


def _norm(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


def _cjk_share(text: str) -> float:
    letters = [c for c in text if c.isalnum()]
    return sum(1 for c in letters if _CJK.match(c)) / len(letters) if letters else 0.0


def _has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


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


class IntentRouter:
    """Decides the intent of a turn: ``route(text, has_image=, has_audio=) -> Intent``.

    ``embedder`` is anything with ``embed(texts) -> normalised array`` (``pipelines.embed.TextEmbedder``);
    without it the router uses rules and keyword scores, with lower confidence. ``examples``
    is a list of ``Example`` or a path to a TSV; the bank is embedded once, on first use.
    A non-chat intent wins the nearest-example vote only when its closest example has cosine
    similarity >= ``min_similarity`` and beats the closest chat example by ``chat_margin``.
    """

    def __init__(self, embedder: Embedder | None = None,
                 examples: Iterable[Example] | str | Path = DEFAULT_EXAMPLES, *,
                 min_similarity: float = 0.5, chat_margin: float = 0.12,
                 corrections: Iterable[Correction] = (), cache_dir: str | Path | None = None):
        self.embedder = embedder
        self._corrections = {self._key(c.text, c.has_image, c.has_audio): c for c in corrections}
        self.examples = load_examples(examples) if isinstance(examples, (str, Path)) else list(examples)
        self.min_similarity = min_similarity
        self.chat_margin = chat_margin
        self._bank = None  # (matrix, intents) once embedded

    # ------------------------------------------------------------------ corrections
    @staticmethod
    def _key(text: str, has_image: bool, has_audio: bool) -> tuple[str, bool, bool]:
        return _norm(text).lower(), bool(has_image), bool(has_audio)

    def learn(self, correction: Correction) -> None:
        self._corrections[self._key(correction.text, correction.has_image, correction.has_audio)] = correction

    def forget(self) -> None:
        self._corrections.clear()

    @property
    def corrections_count(self) -> int:
        return len(self._corrections)

    # ------------------------------------------------------------------ public
    def route(self, text: str, *, has_image: bool = False, has_audio: bool = False) -> Intent:
        learned = self._corrections.get(self._key(text or "", has_image, has_audio))
        if learned is not None:
            return Intent(learned.intent, 0.99, "you said this is what such a request means", "correction")
        raw = _norm(text or "")
        if not raw:
            if has_audio:
                return Intent("transcribe_audio", 0.95, "an audio file is attached and there is no text, so it will be transcribed", "context")
            if has_image:
                return Intent("describe_image", 0.95, "an image is attached with no question, so it will be described", "context")
            return Intent("chat", 0.3, "the message is empty", "default")
        low = raw.lower()
        core = _strip_polite(low)
        for rule in (self._transcribe, self._search, self._edit, self._generate, self._describe):
            hit = rule(raw, low, core, has_image, has_audio)
            if hit is not None:
                return hit
        if self.embedder is not None and self.examples:
            return self._nearest(raw, has_image, has_audio)
        return self._keywords(raw, low, has_image, has_audio)

    # ------------------------------------------------------------------ rules
    def _transcribe(self, raw, low, core, has_image, has_audio):
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

    def _search(self, raw, low, core, has_image, has_audio):
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

    def _edit(self, raw, low, core, has_image, has_audio):
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

    def _generate(self, raw, low, core, has_image, has_audio):
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

    def _describe(self, raw, low, core, has_image, has_audio):
        if not has_image:
            return None
        if _CHAT_ONLY_EN.match(core):
            return None
        m = _DESCRIBE_ZH.search(raw) if _has_cjk(raw) else _DESCRIBE_EN.search(low)
        if m:
            return Intent("describe_image", 0.9, f"an image is attached and you asked {_quote(raw)}", "rule")
        return None

    # ------------------------------------------------------------------ classifiers
    def _ensure_bank(self):
        if self._bank is None:
            import numpy as np

            vectors = np.asarray(self.embedder.embed([e.text for e in self.examples]), dtype=np.float32)
            self._bank = (vectors, [e.intent for e in self.examples])
        return self._bank

    def _nearest(self, raw, has_image, has_audio) -> Intent:
        """Nearest examples in embedding space; chat is the default a close example must beat."""
        import numpy as np

        if _cjk_share(raw) > 0.3:
            # MiniLM is an English model: its similarities between Chinese sentences carry
            # little meaning, so Chinese text that no rule matched is a conversation.
            return self._default(raw, has_image, has_audio,
                                 "no Chinese phrase asks for a picture, a search or a transcription")
        lead = _CHAT_LEAD.match(_strip_polite(raw.lower()))
        if lead and not has_audio:
            # MiniLM matches topics ("a story about a dragon" is near "a picture of a dragon"):
            # a request for words, with no picture phrase the rules know, is a conversation
            return self._default(raw, has_image, has_audio,
                                 f"it starts with {_quote(lead.group(0).strip())}, a request for words, not for a picture", 0.75)
        vectors, labels = self._ensure_bank()
        assert self.embedder is not None  # route() only comes here with an embedder
        q = np.asarray(self.embedder.embed([raw]), dtype=np.float32)[0]
        sims = vectors @ q
        allowed = set(INTENTS)
        if not has_image:
            allowed -= set(NEEDS_IMAGE)
        if lead:  # with audio: a question is about the audio or a conversation
            allowed = {"chat", "transcribe_audio"}
        best_of: dict[str, int] = {}
        for i, lab in enumerate(labels):
            if lab in allowed and (lab not in best_of or sims[i] > sims[best_of[lab]]):
                best_of[lab] = i
        chat_sim = float(sims[best_of["chat"]]) if "chat" in best_of else 0.0
        ranked = sorted(((float(sims[i]), lab, i) for lab, i in best_of.items() if lab != "chat"), reverse=True)
        if ranked:
            sim, best, idx = ranked[0]
            example = self.examples[idx].text
            if sim >= self.min_similarity and sim - chat_sim >= self.chat_margin:
                runner_up = max([chat_sim] + [r[0] for r in ranked[1:2]])
                confidence = max(0.3, min(0.9, 0.3 + 0.6 * sim + 1.0 * (sim - runner_up)))
                reason = f"closest example: {_quote(example)} ({sim:.2f})"
                folder = query = prompt = None
                if best == "search_images":
                    folder, span = extract_folder(raw)
                    query = extract_search_query(raw, span)
                elif best in ("generate_image", "edit_image"):
                    prompt = _gen_prompt(_strip_polite(raw.lower()))
                return Intent(best, round(confidence, 3), reason, "embedding", folder=folder, query=query, prompt=prompt)
        why = "no example of a picture, search or transcription request is close"
        if "chat" in best_of:
            why += f" (closest example: {_quote(self.examples[best_of['chat']].text)}, {chat_sim:.2f})"
        return self._default(raw, has_image, has_audio, why, 0.55 + 0.3 * max(0.0, min(1.0, chat_sim)))

    def _default(self, raw, has_image, has_audio, why: str, confidence: float = 0.55) -> Intent:
        if has_image:
            return Intent("describe_image", 0.6, f"an image is attached and {why}, so it is taken as a question about the picture", "default")
        return Intent("chat", round(min(0.85, confidence), 3), f"{why}, so this is a conversation", "default")

    _KEYWORDS = {
        "generate_image": ("draw", "paint", "sketch", "generate", "illustration", "wallpaper", "logo", "poster", "render", "artwork", "画", "生成", "插画", "壁纸", "海报"),
        "search_images": ("find", "search", "photos", "pictures", "folder", "gallery", "找", "搜", "照片", "相册"),
        "transcribe_audio": ("transcribe", "recording", "audio", "voice memo", "podcast", "转写", "录音", "音频", "语音"),
        "edit_image": ("make it", "change", "remove", "background", "replace", "style", "改", "换", "去掉", "背景"),
        "describe_image": ("what is this", "describe", "picture", "photo", "image", "what's in", "这是", "描述", "图片"),
    }

    def _keywords(self, raw, low, has_image, has_audio) -> Intent:
        if not has_image and not has_audio and (_QUESTION_EN.match(_strip_polite(low)) or _QUESTION_ZH.search(raw)
                                                or _GEN_ZH_NOT.search(raw)):
            return Intent("chat", 0.5, "a question or remark with no request for a picture or audio, so this is a conversation",
                          "keywords")
        scores: dict[str, list[str]] = {}
        for intent, words in self._KEYWORDS.items():
            if intent in NEEDS_IMAGE and not has_image:
                continue
            hits = [w for w in words if (w in raw if _has_cjk(w) else re.search(rf"\b{re.escape(w)}\b", low))]
            if hits:
                scores[intent] = hits
        if not scores:
            if has_image:
                return Intent("describe_image", 0.5, "an image is attached and nothing asks to change it, so it will be described", "keywords")
            return Intent("chat", 0.5, "no words about pictures or audio, so this is a conversation", "keywords")
        best = max(scores, key=lambda i: len(scores[i]))
        found = ", ".join(_quote(w, 20) for w in scores[best][:3])
        folder = query = None
        if best == "search_images":
            folder, span = extract_folder(raw)
            query = extract_search_query(raw, span)
        return Intent(best, round(min(0.6, 0.35 + 0.1 * len(scores[best])), 3), f"keywords {found}", "keywords",
                      folder=folder, query=query)


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
