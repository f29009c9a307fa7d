"""Sentiment: VADER for English, SnowNLP + a lexicon for Chinese, script detection for mixed text."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.events import Sentiment
from pipelines.sentiment import analyze, is_upset


@pytest.mark.parametrize("text, label", [
    ("I love this, thank you so much!", "positive"),
    ("This is wonderful news, great job", "positive"),
    ("This is terrible. I hate it.", "negative"),
    ("ugh, this is so frustrating and stupid", "negative"),
    ("The meeting starts at 3 pm in room 4.", "neutral"),
    ("Please convert this file to PDF.", "neutral"),
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
])
def test_chinese(sentiment_analyzer, text, label):
    s = sentiment_analyzer.analyze(text)
    assert s.label == label and s.method.startswith("snownlp"), s
    assert -1.0 <= s.score <= 1.0


def test_mixed_text_uses_both(sentiment_analyzer):
    pos = sentiment_analyzer.analyze("今天好开心, this is awesome!")
    neg = sentiment_analyzer.analyze("this app 太差了, I hate it")
    assert pos.label == "positive" and neg.label == "negative"
    assert "vader" in pos.method and "snownlp" in pos.method


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_is_neutral(sentiment_analyzer, text):
    assert sentiment_analyzer.analyze(text) == Sentiment(0.0, "neutral", "empty")


def test_is_upset():
    assert is_upset(Sentiment(-0.8, "negative", "vader"))
    assert not is_upset(Sentiment(-0.1, "negative", "vader"))
    assert not is_upset(Sentiment(0.9, "positive", "vader"))
    assert not is_upset(None)
    assert is_upset(Sentiment(-0.3, "negative"), threshold=-0.2)


def test_upset_user_in_both_languages(sentiment_analyzer):
    assert is_upset(sentiment_analyzer.analyze("This is useless, you keep getting it wrong and I'm furious"))
    assert is_upset(sentiment_analyzer.analyze("烦死了，完全没用"))
    assert not is_upset(sentiment_analyzer.analyze("thanks, that helped"))


def test_analyze_function_and_odd_input(sentiment_analyzer):
    assert analyze("I love it", sentiment_analyzer).label == "positive"
    for text in ("🙂🙂🙂", "!!!???", "12345", "，。！", "a" * 10000, "好" * 3000):
        s = sentiment_analyzer.analyze(text)
        assert s.label in ("negative", "neutral", "positive") and -1 <= s.score <= 1


def test_models_load_lazily_per_analyzer():
    code = ("import sys; from pipelines.sentiment import SentimentAnalyzer; a = SentimentAnalyzer();"
            "a.analyze('I am happy'); print('snownlp' in sys.modules, 'vaderSentiment' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.split() == ["False", "True"]
