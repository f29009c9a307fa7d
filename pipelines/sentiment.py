"""The user's mood per message: a score in [-1, 1] and a label.

English (and other Latin-script text) is scored with VADER's compound score. Chinese is scored
with SnowNLP (its [0, 1] probability mapped to [-1, 1]) blended with a small conversational
lexicon: SnowNLP is trained on shopping reviews and on its own calls "我很难过" positive and
plain statements negative, so it only decides when the lexicon has nothing to say, and then
with a damped score. Mixed text is split by script and the parts are weighted by length.

``SentimentAnalyzer`` holds the models and loads each one on first use (SnowNLP takes about two
seconds to import); there is no module-level state. ``analyze(text)`` is a convenience that
makes a fresh analyzer: keep one ``SentimentAnalyzer`` for repeated use.
"""
from __future__ import annotations

import re
import threading

from .events import Sentiment

__all__ = ["SentimentAnalyzer", "analyze", "is_upset", "label_for", "UPSET_THRESHOLD"]

UPSET_THRESHOLD = -0.4
EN_NEUTRAL_BAND = 0.05  # VADER's own convention
ZH_NEUTRAL_BAND = 0.2

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f']+")

# A small lexicon for conversational Chinese (weights in [-1, 1]); negators flip what follows.
_ZH_POSITIVE = {
    "开心": 0.8, "高兴": 0.8, "快乐": 0.8, "幸福": 0.9, "喜欢": 0.6, "爱": 0.5, "棒": 0.7, "太好了": 0.9,
    "好极了": 0.9, "不错": 0.5, "满意": 0.6, "谢谢": 0.5, "感谢": 0.6, "多谢": 0.5, "厉害": 0.6, "完美": 0.9,
    "兴奋": 0.7, "激动": 0.5, "舒服": 0.5, "顺利": 0.5, "优秀": 0.7, "精彩": 0.7, "漂亮": 0.6, "美": 0.4,
    "好用": 0.6, "有用": 0.5, "帮了大忙": 0.8, "哈哈": 0.6, "赞": 0.6, "惊喜": 0.7, "期待": 0.4, "放心": 0.4,
    "轻松": 0.4, "成功": 0.5, "升职": 0.5, "喜悦": 0.8, "欣慰": 0.6, "温暖": 0.5, "可爱": 0.5, "好": 0.25,
}
_ZH_NEGATIVE = {
    "难过": -0.8, "伤心": -0.8, "生气": -0.8, "愤怒": -0.9, "气死": -0.9, "失望": -0.8, "讨厌": -0.7, "烦": -0.6,
    "烦死": -0.9, "糟糕": -0.8, "糟透": -0.9, "差劲": -0.8, "太差": -0.8, "垃圾": -0.8, "崩溃": -0.9, "郁闷": -0.7,
    "焦虑": -0.7, "压力": -0.5, "痛苦": -0.9, "难受": -0.7, "累死": -0.7, "好累": -0.6, "哭": -0.6, "绝望": -1.0,
    "害怕": -0.6, "担心": -0.5, "无聊": -0.4, "后悔": -0.6, "孤独": -0.6, "寂寞": -0.5, "可恶": -0.8, "恶心": -0.8,
    "受不了": -0.8, "没用": -0.6, "废物": -0.9, "错了": -0.4, "又错": -0.7, "失败": -0.6, "倒霉": -0.7, "睡不着": -0.5,
    "不爽": -0.7, "委屈": -0.7, "心累": -0.7, "抑郁": -0.9, "怎么又": -0.5, "坏": -0.4, "差": -0.4, "慢死": -0.7,
}
_POLITE = re.compile(r"\b(?:please|pls|plz|kindly)\b", re.IGNORECASE)
_ZH_NEGATORS = ("不", "没", "没有", "别", "不太", "不是很", "并不", "一点也不", "毫不")


def label_for(score: float, band: float = EN_NEUTRAL_BAND) -> str:
    if score > band:
        return "positive"
    if score < -band:
        return "negative"
    return "neutral"


def is_upset(sentiment: Sentiment | None, threshold: float = UPSET_THRESHOLD) -> bool:
    """True when the engine should answer more gently: clearly negative (score <= threshold)."""
    return sentiment is not None and sentiment.label == "negative" and sentiment.score <= threshold


def _zh_lexicon(text: str) -> float | None:
    """Sum of lexicon hits (longest match first, negation-aware), squashed to [-1, 1]; None without hits."""
    import math

    words = sorted({**_ZH_POSITIVE, **_ZH_NEGATIVE}.items(), key=lambda kv: -len(kv[0]))
    taken = [False] * len(text)
    total, hits = 0.0, 0
    for word, weight in words:
        for m in re.finditer(re.escape(word), text):
            if any(taken[m.start():m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            before = text[max(0, m.start() - 4):m.start()]
            if weight > 0 and any(before.endswith(n) or before[:-1].endswith(n) for n in _ZH_NEGATORS):
                weight = -0.6 * weight  # 不开心: negative
            elif weight < 0 and any(before.endswith(n) for n in _ZH_NEGATORS):
                weight = -0.3 * weight  # 不难过: mildly positive
            total += weight
            hits += 1
    if not hits:
        return None
    return math.tanh(1.5 * total)


class SentimentAnalyzer:
    """Holds VADER and SnowNLP, each imported on first use; safe to share between threads."""

    def __init__(self) -> None:
        self._vader = None
        self._snownlp = None
        self._lock = threading.Lock()

    # ---- lazy models
    def _vader_model(self):
        with self._lock:
            if self._vader is None:
                from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

                self._vader = SentimentIntensityAnalyzer()
            return self._vader

    def _snownlp_class(self):
        with self._lock:
            if self._snownlp is None:
                from snownlp import SnowNLP

                self._snownlp = SnowNLP
            return self._snownlp

    # ---- scoring
    def _english(self, text: str) -> float:
        # Politeness in a request ("please convert this") is not a mood; VADER scores it +0.32.
        text = _POLITE.sub(" ", text)
        return float(self._vader_model().polarity_scores(text)["compound"])

    def _chinese(self, text: str) -> float:
        lex = _zh_lexicon(text)
        try:
            p = float(self._snownlp_class()(text).sentiments)
        except Exception:  # SnowNLP fails on some inputs (e.g. only punctuation): no opinion
            p = 0.5
        s = 2.0 * p - 1.0
        if lex is None:
            return 0.25 * s
        return 0.75 * lex + 0.25 * s

    def analyze(self, text: str) -> Sentiment:
        text = (text or "").strip()
        if not text:
            return Sentiment(0.0, "neutral", "empty")
        cjk = "".join(_CJK.findall(text))
        latin = _LATIN_WORD.findall(text)
        n_cjk, n_latin = len(cjk), sum(len(w) for w in latin) / 2.5  # ~ a Chinese character per 2.5 letters
        if n_cjk == 0:
            score = self._english(text)
            return Sentiment(round(score, 4), label_for(score), "vader")
        if n_latin < 0.15 * n_cjk:
            score = self._chinese(text)
            return Sentiment(round(score, 4), label_for(score, ZH_NEUTRAL_BAND), "snownlp+lexicon")
        # mixed: score each script on its own, weighted by length
        zh = self._chinese(text if n_latin == 0 else "，".join(_CJK.findall(text)))
        en_text = _CJK.sub(" ", text)
        en = self._english(en_text)
        w = n_cjk / (n_cjk + n_latin)
        score = w * zh + (1 - w) * en
        band = w * ZH_NEUTRAL_BAND + (1 - w) * EN_NEUTRAL_BAND
        return Sentiment(round(score, 4), label_for(score, band), "mixed: vader+snownlp")

    __call__ = analyze


def analyze(text: str, analyzer: SentimentAnalyzer | None = None) -> Sentiment:
    """Score one text. Pass an ``analyzer`` to reuse its loaded models (the engine keeps one)."""
    return (analyzer or SentimentAnalyzer()).analyze(text)
