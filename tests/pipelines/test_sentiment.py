"""Sentiment: VADER for English, jieba words + a lexicon for Chinese, script detection for mixed text."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.events import Sentiment
from pipelines.sentiment import ZH_NEUTRAL_BAND, SentimentAnalyzer, analyze, is_upset
from tests.helpers import sentiment_eval
from tests.helpers.report import record

REPO = Path(__file__).resolve().parents[2]
FLOOR = 0.75  # the target is 85% (benchmarks/stage_sentiment.py); the test keeps a wide margin


@pytest.mark.parametrize("text, label", [
    ("I love this, thank you so much!", "positive"),
    ("This is wonderful news, great job", "positive"),
    ("This is terrible. I hate it.", "negative"),
    ("ugh, this is so frustrating and stupid", "negative"),
    ("The meeting starts at 3 pm in room 4.", "neutral"),
    ("Please convert this file to PDF.", "neutral"),
    # the topic of a request is not a mood; negation and "can't complain"
    ("How do I kill a zombie process?", "neutral"),
    ("Write a sad poem about autumn", "neutral"),
    ("not bad at all", "positive"),
    ("I can't complain", "positive"),
    ("Oh great, it crashed again.", "negative"),
])
def test_english(sentiment_analyzer, text, label):
    s = sentiment_analyzer.analyze(text)
    assert s.label == label and s.method == "vader", s
    assert -1.0 <= s.score <= 1.0


@pytest.mark.parametrize("text, label", [
    ("今天天气真好，我很开心", "positive"),
    ("谢谢你，帮了我大忙！", "positive"),
    ("这个产品太差了，我非常失望", "negative"),
    ("我真的很生气，你怎么又错了", "negative"),
    ("我很难过", "negative"),  # SnowNLP alone calls this positive
    ("我不开心", "negative"),
    ("会议在下午三点开始", "neutral"),
    ("北京是中国的首都", "neutral"),
    # the traps: a sentiment character inside a word, and a double negation
    ("美国…", "neutral"),
    ("美国的经济最近怎么样？", "neutral"),
    ("差不多就行", "neutral"),
    ("压力测试的结果", "neutral"),
    ("我没有不开心", "positive"),
    ("我不难过了", "positive"),
    ("不差", "positive"),
])
def test_chinese(sentiment_analyzer, text, label):
    s = sentiment_analyzer.analyze(text)
    assert s.label == label and s.method == "jieba+lexicon", s
    assert -1.0 <= s.score <= 1.0


def test_compound_words_stay_whole(sentiment_analyzer):
    words = sentiment_analyzer.segment("美国的美元差不多，压力测试的结果好像有好几个坏账，哭笑不得")
    for w in ("美国", "美元", "差不多", "压力测试", "好像", "好几个", "坏账", "哭笑不得"):
        assert w in words, words
    for char in ("美", "差", "压力", "好", "坏", "哭"):
        assert char not in words, words
    for text in ("美国…", "差不多就行", "压力测试的结果"):  # not just the label: no sentiment at all
        assert abs(sentiment_analyzer.analyze(text).score) < ZH_NEUTRAL_BAND / 2, text


def test_chinese_negation_scope_and_degree(sentiment_analyzer):
    score = lambda t: sentiment_analyzer.analyze(t).score  # noqa: E731
    assert score("不好用") < score("不太好用") < 0 < score("好用")  # 不太 weakens the negation
    assert score("一点也不开心") < score("不开心") < 0  # 一点也不: not at all
    assert 0 < score("我有点开心") < score("我很开心") < score("我非常开心")
    assert score("我有点不开心") > score("我非常不开心")
    assert score("不，我很开心") > 0.2  # a negation does not reach past the comma
    assert score("不错，但是太慢了") < 0  # what follows 但是 outweighs what came before
    assert score("别担心，我挺好的") > 0.2
    assert score("好棒哦，又死机了") < 0  # praise beside something going wrong is irony


def test_mixed_text_uses_both(sentiment_analyzer):
    pos = sentiment_analyzer.analyze("今天好开心, this is awesome!")
    neg = sentiment_analyzer.analyze("this app 太差了, I hate it")
    assert pos.label == "positive" and neg.label == "negative"
    assert "vader" in pos.method and "jieba" in pos.method


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_is_neutral(sentiment_analyzer, text):
    assert sentiment_analyzer.analyze(text) == Sentiment(0.0, "neutral", "empty")


def test_is_upset():
    assert is_upset(Sentiment(-0.8, "negative", "vader", "furious"))
    assert not is_upset(Sentiment(-0.8, "negative", "vader"))  # strongly negative, but nothing about the writer
    assert not is_upset(Sentiment(-0.1, "negative", "vader", "sad"))
    assert not is_upset(Sentiment(0.9, "positive", "vader"))
    assert not is_upset(None)
    assert is_upset(Sentiment(-0.3, "negative", "vader", "sad"), threshold=-0.2)


@pytest.mark.parametrize("text, upset", [
    ("This is useless, you keep getting it wrong and I'm furious", True),
    ("I can't take this anymore", True),
    ("烦死了，完全没用", True),
    ("我快崩溃了", True),
    ("thanks, that helped", False),
    ("This answer is terrible.", False),  # about the answer, not the writer
    ("I'm not upset, just curious", False),
    ("I'm a bit tired", False),  # one weak word
    ("Write a story about a furious dragon", False),  # the topic of a request
    ("我没有不开心", False),  # the trap: a double negation
    ("这个软件老是崩溃", False),  # the software crashes, not the writer
    ("今天好累", False),  # one weak word, however intensified
    ("生气的时候怎么控制情绪？", False),
])
def test_upset_needs_strong_evidence(sentiment_analyzer, text, upset):
    s = sentiment_analyzer.analyze(text)
    assert is_upset(s) is upset, s


def test_analyze_function_and_odd_input(sentiment_analyzer):
    assert analyze("I love it", sentiment_analyzer).label == "positive"
    for text in ("🙂🙂🙂", "!!!???", "12345", "，。！", "a" * 10000, "好" * 3000, "不" * 50, "？" * 20 + "开心"):
        s = sentiment_analyzer.analyze(text)
        assert s.label in ("negative", "neutral", "positive") and -1 <= s.score <= 1


def test_evaluation_sets_are_disjoint_and_complete():
    held, dev = sentiment_eval.load(sentiment_eval.HELDOUT), sentiment_eval.load(sentiment_eval.DEV)
    assert not {r.text for r in held} & {r.text for r in dev}
    for rows, least in ((held, 220), (dev, 120)):
        for lang in ("en", "zh"):
            mine = [r for r in rows if r.lang == lang]
            assert len(mine) >= least and {r.label for r in mine} == set(sentiment_eval.LABELS)
            assert any(r.upset for r in mine) and all(r.label == "negative" for r in mine if r.upset)


def test_accuracy_on_the_held_out_set(sentiment_analyzer, request):
    """A floor per language on the set never tuned on; the figures go to `make test`'s summary."""
    held = sentiment_eval.evaluate(sentiment_analyzer, sentiment_eval.load(sentiment_eval.HELDOUT))
    dev = sentiment_eval.evaluate(sentiment_analyzer, sentiment_eval.load(sentiment_eval.DEV))
    for name, figures in (("held-out", held), ("dev (tuned on)", dev)):
        for lang in ("en", "zh"):
            record(request.node, "sentiment_report", figures[lang].line(name))
    for lang in ("en", "zh"):
        f = held[lang]
        assert f.accuracy >= FLOOR, (lang, f.line("held-out"), [(r.text, s.label) for r, s in f.errors][:20])
        assert f.upset_precision >= 0.6, f.line("held-out")  # upset only on strong evidence


def test_models_load_lazily_per_analyzer(tmp_path):
    """VADER for English only; jieba on the first Chinese message, without a cache in the temp folder."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    code = ("import json, sys; from pipelines.sentiment import SentimentAnalyzer; a = SentimentAnalyzer();"
            "a.analyze('I am happy'); before = sorted(m for m in ('jieba', 'snownlp', 'vaderSentiment') if m in sys.modules);"
            "a.analyze('我很开心'); after = sorted(m for m in ('jieba', 'snownlp', 'vaderSentiment') if m in sys.modules);"
            "print(json.dumps([before, after]))")
    env = dict(os.environ, TMPDIR=str(tmp), TEMP=str(tmp), TMP=str(tmp))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO, env=env)
    assert json.loads(out.stdout) == [["vaderSentiment"], ["jieba", "vaderSentiment"]]
    assert list(tmp.iterdir()) == []  # jieba's own initialize() would leave jieba.cache here


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file ownership checks are POSIX")
def test_jieba_cache_is_private_and_checked(tmp_path):
    import marshal

    cache = tmp_path / "cache" / "jieba"
    SentimentAnalyzer(cache_dir=cache).analyze("我很开心")
    (path,) = cache.glob("jieba-*.marshal")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(cache.stat().st_mode) == 0o700
    # a cache of ours is read back: mark it, and the next analyzer knows the marked word
    with open(path, "rb") as f:
        freq, total = marshal.load(f)
    freq.update({"卟": 0, "卟卟": 0, "卟卟卟": 0, "卟卟卟卟": 10**6})  # jieba keeps every prefix of a word
    path.write_bytes(marshal.dumps((freq, total)))
    assert "卟卟卟卟" in SentimentAnalyzer(cache_dir=cache).segment("卟卟卟卟")
    # one that others can write is neither read nor kept
    path.chmod(0o666)
    a = SentimentAnalyzer(cache_dir=cache)
    assert "卟卟卟卟" not in a.segment("卟卟卟卟")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert a.analyze("我很开心").label == "positive"
