"""The user's mood per message: a score in [-1, 1], a label, and whether they are upset.

English (and other Latin-script text) is scored with VADER, read per sentence so that the topic
of a request is not taken for a mood (pipelines/sentiment_en.py). Chinese is cut into words by
jieba and read with a lexicon that handles the scope of negation and degree words
(pipelines/sentiment_zh.py), so 美国 is not 美 and 我没有不开心 is not unhappy. Mixed text is
scored both ways and the parts are weighted by length.

"Upset" (``is_upset``) needs strong evidence, both of:
1. the message is clearly negative: score <= ``UPSET_THRESHOLD``;
2. it says so about the writer's own state in an explicitly negative word that is not negated
   and not the topic of a request ("I'm furious", "I can't take this anymore", 我快崩溃了,
   烦死了): ``Sentiment.upset_cue``. A complaint about a thing ("this answer is terrible",
   这个软件老是崩溃) or one weak word (累, "annoying") is not enough.

``SentimentAnalyzer`` owns its models and loads each on first use: VADER for English, a jieba
``Tokenizer`` of its own for Chinese. jieba would keep its prefix dictionary as a marshal file in
the shared temp folder; here it is built in memory, or kept in ``cache_dir`` (the user's own
cache) and read back only from a file and folder that this user owns and nobody else can write.
There is no module-level state. ``analyze(text)`` makes a fresh analyzer: keep one
``SentimentAnalyzer`` for repeated use.
"""
from __future__ import annotations

import hashlib
import logging
import marshal
import os
import re
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any

from . import sentiment_en, sentiment_zh
from .events import Sentiment

__all__ = ["SentimentAnalyzer", "analyze", "is_upset", "label_for", "UPSET_THRESHOLD", "EN_NEUTRAL_BAND",
           "ZH_NEUTRAL_BAND"]

log = logging.getLogger(__name__)

UPSET_THRESHOLD = -0.35
EN_NEUTRAL_BAND = 0.1  # VADER suggests 0.05; chat messages carry more stray words
ZH_NEUTRAL_BAND = 0.2

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f']+")


def label_for(score: float, band: float = EN_NEUTRAL_BAND) -> str:
    if score > band:
        return "positive"
    if score < -band:
        return "negative"
    return "neutral"


def is_upset(sentiment: Sentiment | None, threshold: float = UPSET_THRESHOLD) -> bool:
    """True when the engine should answer more gently: clearly negative (score <= threshold) and
    an explicit word about the writer's own state (``upset_cue``); see the module docstring."""
    return (sentiment is not None and sentiment.label == "negative" and sentiment.score <= threshold
            and bool(sentiment.upset_cue))


def _private(path: Path) -> bool:
    """True when ``path`` is a regular file or folder (not a link) that only this user can write."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(st.st_mode) or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


class SentimentAnalyzer:
    """Holds VADER and a jieba tokenizer, each made on first use; safe to share between threads.

    ``cache_dir``: where jieba's prefix dictionary may be kept between runs (created private);
    None builds it in memory each time (about half a second)."""

    def __init__(self, cache_dir: str | Path | None = None) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._vader: Any = None
        self._jieba: Any = None
        self._lock = threading.Lock()

    # ---- lazy models
    def _vader_model(self) -> Any:
        with self._lock:
            if self._vader is None:
                from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

                self._vader = sentiment_en.prepare(SentimentIntensityAnalyzer())
            return self._vader

    def _tokenizer(self) -> Any:
        with self._lock:
            if self._jieba is None:
                self._jieba = self._make_tokenizer()
            return self._jieba

    def _make_tokenizer(self) -> Any:
        import jieba

        tok = jieba.Tokenizer()
        dict_path = Path(jieba.__file__).resolve().parent / jieba.DEFAULT_DICT_NAME
        loaded = self._read_cache(dict_path, jieba.__version__)
        if loaded is None:
            with tok.get_dict_file() as f:
                loaded = tok.gen_pfdict(f)
            self._write_cache(dict_path, jieba.__version__, loaded)
        tok.FREQ, tok.total = loaded
        tok.initialized = True  # jieba's own initialize() would read and write a cache in the temp folder
        for word in sentiment_zh.USER_WORDS:
            tok.add_word(word)
        return tok

    def _cache_file(self, dict_path: Path, version: str) -> Path | None:
        if self.cache_dir is None:
            return None
        st = dict_path.stat()
        key = hashlib.sha256(f"{dict_path}|{st.st_size}|{st.st_mtime_ns}|{version}".encode()).hexdigest()[:16]
        return self.cache_dir / f"jieba-{key}.marshal"

    def _read_cache(self, dict_path: Path, version: str) -> tuple[dict[str, int], int] | None:
        path = self._cache_file(dict_path, version)
        if path is None or not path.is_file():
            return None
        if not (_private(path) and _private(path.parent)):
            log.warning("not reading %s: another user could have written it", path)
            return None
        try:
            freq, total = marshal.loads(path.read_bytes())  # marshal.load(file) reads piecemeal: 5x slower
        except (OSError, EOFError, ValueError, TypeError) as e:
            log.info("jieba cache %s unreadable (%s): rebuilding it", path, e)
            return None
        if not isinstance(freq, dict) or not isinstance(total, int):
            return None
        return freq, total

    def _write_cache(self, dict_path: Path, version: str, loaded: tuple[dict[str, int], int]) -> None:
        path = self._cache_file(dict_path, version)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not _private(path.parent):
                log.warning("not caching jieba's dictionary in %s: another user can write there", path.parent)
                return
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".jieba-", suffix=".tmp")  # mode 0600
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(marshal.dumps(loaded))
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as e:
            log.info("could not cache jieba's dictionary in %s: %s", path.parent, e)

    # ---- scoring
    def segment(self, text: str) -> list[str]:
        """The words jieba cuts ``text`` into, as the Chinese scorer reads them (spaces dropped)."""
        return [w for w in self._tokenizer().cut(text, HMM=False) if w.strip()]

    def _english(self, text: str) -> sentiment_en.EnScore:
        return sentiment_en.score(text, self._vader_model())

    def _chinese(self, text: str) -> sentiment_zh.ZhScore:
        return sentiment_zh.score(text, self.segment)

    def analyze(self, text: str) -> Sentiment:
        text = (text or "").strip()
        if not text:
            return Sentiment(0.0, "neutral", "empty")
        n_cjk = sum(len(run) for run in _CJK.findall(text))
        n_latin = sum(len(w) for w in _LATIN_WORD.findall(text)) / 2.5  # ~ a Chinese character per 2.5 letters
        if n_cjk == 0:
            en = self._english(text)
            return Sentiment(round(en.score, 4), label_for(en.score), "vader", en.upset_cue)
        zh = self._chinese(text)
        if n_latin < 0.15 * n_cjk:
            return Sentiment(round(zh.score, 4), label_for(zh.score, ZH_NEUTRAL_BAND), "jieba+lexicon", zh.upset_cue)
        # mixed: score each script on its own; where both have sentiment words, weight them by length
        en = self._english(_CJK.sub(" ", text))
        w = n_cjk / (n_cjk + n_latin)
        if not en.hits:
            w = 1.0
        elif not zh.hits:
            w = 0.0
        score = w * zh.score + (1 - w) * en.score
        band = w * ZH_NEUTRAL_BAND + (1 - w) * EN_NEUTRAL_BAND
        return Sentiment(round(score, 4), label_for(score, band), "mixed: vader+jieba", zh.upset_cue or en.upset_cue)

    __call__ = analyze


def analyze(text: str, analyzer: SentimentAnalyzer | None = None) -> Sentiment:
    """Score one text. Pass an ``analyzer`` to reuse its loaded models (the engine keeps one)."""
    return (analyzer or SentimentAnalyzer()).analyze(text)
