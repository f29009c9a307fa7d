"""Intent router: rules, context, folder extraction, and accuracy on a labelled set with MiniLM."""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import FrozenInstanceError
from pathlib import Path

import numpy as np
import pytest

from pipelines.catalog import ResolvedModel
from pipelines.errors import ModelUnavailable
from pipelines.router import (
    DEFAULT_EXAMPLES,
    INTENTS,
    Example,
    Intent,
    IntentRouter,
    extract_folder,
    load_examples,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "intents.tsv"


def load_eval() -> list[tuple[str, bool, bool, str]]:
    rows = []
    lines = [ln for ln in DATA.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines[0].split("\t") == ["intent", "has_image", "has_audio", "text"]
    for ln in lines[1:]:
        intent, img, aud, *text = ln.split("\t")
        rows.append((intent, img == "1", aud == "1", "\t".join(text)))
    return rows


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


# ------------------------------------------------------------------ the data sets
def test_eval_set_is_large_varied_and_disjoint_from_the_bank():
    rows = load_eval()
    assert len(rows) >= 150
    counts = Counter(r[0] for r in rows)
    assert set(counts) == set(INTENTS) and min(counts.values()) >= 15, counts
    chinese = sum(1 for r in rows if re.search(r"[\u4e00-\u9fff]", r[3]))
    assert 40 <= chinese <= len(rows) - 80
    assert any(r[1] for r in rows) and any(r[2] for r in rows)
    assert len({(_key(r[3]), r[1], r[2]) for r in rows}) == len(rows), "duplicate utterances in the eval set"
    bank = {_key(e.text) for e in load_examples()}
    overlap = [r[3] for r in rows if r[3] and _key(r[3]) in bank]
    assert not overlap, f"eval utterances also in the example bank: {overlap}"


def test_example_bank_covers_every_intent_in_both_languages():
    bank = load_examples(DEFAULT_EXAMPLES)
    for intent in INTENTS:
        texts = [e.text for e in bank if e.intent == intent]
        assert len(texts) >= 15, intent
        assert any(re.search(r"[\u4e00-\u9fff]", t) for t in texts), intent
        assert any(re.search(r"[a-z]", t) for t in texts), intent


# ------------------------------------------------------------------ accuracy with the real embedder
def _evaluate(router: IntentRouter):
    rows = load_eval()
    confusion: dict[str, Counter] = defaultdict(Counter)
    misses = []
    for intent, img, aud, text in rows:
        got = router.route(text, has_image=img, has_audio=aud)
        assert got.intent in INTENTS and 0.0 <= got.confidence <= 1.0 and got.reason
        confusion[intent][got.intent] += 1
        if got.intent != intent:
            misses.append(f"  expected {intent}, got {got.intent}: {text!r} ({got.reason})")
    correct = sum(c[i] for i, c in confusion.items())
    return correct / len(rows), len(rows), confusion, misses


def _report(title, accuracy, n, confusion, misses) -> list[str]:
    lines = [f"{title}: accuracy {accuracy:.1%} on {n} utterances"]
    for intent in INTENTS:
        c = confusion[intent]
        total = sum(c.values())
        wrong = ", ".join(f"{k} {v}" for k, v in c.most_common() if k != intent)
        lines.append(f"  {intent:17} {c[intent]:3}/{total:<3} {'(confused with: ' + wrong + ')' if wrong else ''}")
    return lines + misses


@pytest.mark.weights
def test_router_accuracy_with_minilm(intent_router, record_property, router_report):
    accuracy, n, confusion, misses = _evaluate(intent_router)
    lines = _report("router with MiniLM", accuracy, n, confusion, misses)
    print("\n".join(lines))
    router_report.extend(lines)
    record_property("router_accuracy", round(accuracy, 4))
    record_property("router_confusion", {k: dict(v) for k, v in confusion.items()})
    assert accuracy >= 0.90, "\n".join(lines)


def test_router_without_embedder_falls_back_to_rules_and_keywords(record_property, router_report):
    router = IntentRouter(None)
    accuracy, n, confusion, misses = _evaluate(router)
    lines = _report("router without embedder (rules + keywords)", accuracy, n, confusion, [])
    router_report.extend(lines)
    record_property("router_accuracy_no_embedder", round(accuracy, 4))
    assert accuracy >= 0.80
    # keyword decisions are less confident than rules
    got = router.route("something about dragons and castles maybe")
    assert got.method in ("keywords", "default") and got.confidence <= 0.6


@pytest.mark.weights
def test_nearest_example_reason_names_the_example(intent_router):
    got = intent_router.route("a majestic waterfall at dawn in a misty valley, digital painting")
    assert got.intent == "generate_image" and got.method == "embedding"
    assert re.fullmatch(r"closest example: '.+' \(0\.\d\d\)", got.reason), got.reason
    assert got.prompt


@pytest.mark.weights
def test_chat_is_the_default_for_unrelated_text(intent_router):
    for text in ("what's the tallest mountain in europe", "remind me how to cook rice", "我们聊聊天吧"):
        got = intent_router.route(text)
        assert got.intent == "chat", (text, got)


# ------------------------------------------------------------------ rules and context
@pytest.fixture(scope="module")
def rules() -> IntentRouter:
    return IntentRouter(None)


@pytest.mark.parametrize("text", [
    "draw a fox in the snow", "Paint me a lighthouse", "please sketch a robot", "generate an image of a red bicycle",
    "imagine a forest made of glass", "Can you create a picture of two cats playing chess?",
    "画一张海边的日落", "生成一张图片：雪山和湖", "帮我画一只小猫", "请生成一幅水彩风格的花",
])
def test_generation_phrases(rules, text):
    got = rules.route(text)
    assert got.intent == "generate_image" and got.method == "rule" and got.confidence >= 0.85, got
    assert got.prompt


def test_generation_reason_quotes_the_command(rules):
    got = rules.route("draw a cat wearing boots")
    assert got.reason == "starts with 'draw'"
    assert got.prompt == "a cat wearing boots"


@pytest.mark.parametrize("text", ["how do I draw hands?", "who painted the starry night", "我喜欢画画", "怎么画好人像"])
def test_talking_about_drawing_is_chat(rules, text):
    assert rules.route(text).intent == "chat"


def test_attached_image_alone_is_described(rules):
    got = rules.route("", has_image=True)
    assert got.intent == "describe_image" and got.method == "context" and "image is attached" in got.reason


def test_attached_audio_alone_is_transcribed(rules):
    got = rules.route("   ", has_audio=True)
    assert got.intent == "transcribe_audio" and got.method == "context"


@pytest.mark.parametrize("text", ["what is this", "what's in this picture?", "这是什么", "图里有几个人"])
def test_questions_about_an_attached_image(rules, text):
    got = rules.route(text, has_image=True)
    assert got.intent == "describe_image" and "image is attached" in got.reason and text in got.reason


@pytest.mark.parametrize("text", ["make it brighter", "change the background to a forest", "remove the person on the right",
                                  "把背景换成草地", "把它变成黑白照片"])
def test_edits_need_an_attached_image(rules, text):
    assert rules.route(text, has_image=True).intent == "edit_image"
    assert rules.route(text, has_image=False).intent != "describe_image"


def test_make_it_without_image_is_not_an_edit(rules):
    assert rules.route("make it shorter please").intent == "chat"


def test_draw_on_an_attached_picture_is_an_edit(rules):
    assert rules.route("draw a hat on him", has_image=True).intent == "edit_image"
    assert rules.route("draw a hat", has_image=False).intent == "generate_image"


def test_transcription(rules):
    assert rules.route("transcribe this", has_audio=True).intent == "transcribe_audio"
    assert rules.route("把这段录音转成文字", has_audio=True).intent == "transcribe_audio"
    no_audio = rules.route("please transcribe my voice memo")
    assert no_audio.intent == "transcribe_audio" and "no audio" in no_audio.reason and no_audio.confidence < 0.8
    # spoken turns arrive as their transcript with has_audio=True: routed by what they say
    assert rules.route("draw a whale", has_audio=True).intent == "generate_image"
    for spoken in ("hello there", "tell me about the meeting tomorrow", "call my mom", "我们明天的会议几点开始"):
        assert rules.route(spoken, has_audio=True).intent == "chat", spoken
    assert rules.route("what does he say in this voice memo", has_audio=True).intent == "transcribe_audio"


# ------------------------------------------------------------------ picture search: folder and query
@pytest.mark.parametrize("text, folder, query", [
    ("find photos of the sea in ~/Pictures", "~/Pictures", "sea"),
    ("search ~/Pictures/2021 for pictures of dogs", "~/Pictures/2021", "dogs"),
    ("look for screenshots with code on my desktop", "~/Desktop", "code"),
    ("find images of bridges in /media/usb/photos.", "/media/usb/photos", "bridges"),
    ('find pictures of snow in "/home/ann/My Photos"', "/home/ann/My Photos", "snow"),
    ("search C:\\Users\\ann\\Pictures for birthday cakes", "C:\\Users\\ann\\Pictures", "birthday cakes"),
    ("show me my photos of the grand canyon", None, "grand canyon"),
    ("在~/Pictures里找海边的照片", "~/Pictures", "海边"),
    ("搜索 /data/相片 中的日落照片", "/data/相片", "日落"),
    ("帮我在下载文件夹里找猫的图片", "~/Downloads", "猫"),
    ("查找桌面上的截图", "~/Desktop", "截图"),
])
def test_search_extracts_folder_and_query(rules, text, folder, query):
    got = rules.route(text)
    assert got.intent == "search_images", got
    assert got.folder == folder and got.query == query, got
    if folder:
        assert folder in got.reason


def test_extract_folder_ignores_plain_text():
    assert extract_folder("tell me about TCP/IP and and/or logic") == (None, "")


# ------------------------------------------------------------------ types and robustness
def test_intent_is_typed_and_frozen(rules):
    got = rules.route("hello there")
    assert isinstance(got, Intent)
    with pytest.raises(FrozenInstanceError):
        got.intent = "x"  # type: ignore[misc]


@pytest.mark.parametrize("text", ["", "?", "~", "/", "'; DROP TABLE x", "🙂" * 50, "a" * 5000, "画", "(((", "\t\n"])
def test_odd_input_never_fails(rules, text):
    for img in (False, True):
        got = rules.route(text, has_image=img)
        assert got.intent in INTENTS and 0 <= got.confidence <= 1


@pytest.mark.weights
def test_custom_examples_are_used(text_embedder):
    router = IntentRouter(text_embedder, examples=[Example("chat", "let's talk about the weather"),
                                                   Example("generate_image", "a photo of a cute puppy")])
    got = router.route("a cute kitten photo with a bow")
    assert got.intent == "generate_image" and "cute puppy" in got.reason


# ------------------------------------------------------------------ the embedder
@pytest.mark.weights
def test_embedder_returns_normalised_rows(text_embedder):
    v = text_embedder.embed(["a cat", "a kitten", "stock market report"])
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    assert text_embedder.embed([]).shape == (0, 384)


@pytest.mark.weights
def test_embed_factory_and_errors(minilm_dir, tmp_path, settings):
    from pipelines import embed

    model = embed.load(ResolvedModel("embed", "all-minilm-l6-v2", minilm_dir, "sentence-transformers", "package"), "cpu", settings)
    assert model.embed("hello").shape == (1, 384)
    with pytest.raises(ModelUnavailable, match="format"):
        embed.load(ResolvedModel("embed", "x", minilm_dir, "gguf", "package"), "cpu", settings)
    with pytest.raises(ModelUnavailable, match="not a sentence-transformers folder"):
        embed.TextEmbedder(tmp_path)


def test_importing_the_text_modules_is_cheap():
    code = ("import sys, pipelines.router, pipelines.embed, pipelines.sentiment, pipelines.history;"
            "heavy = [m for m in ('torch', 'sentence_transformers', 'jieba', 'vaderSentiment', 'numpy') if m in sys.modules];"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"


def test_prompts_without_command_words(rules):
    assert rules.route("画一只猫").prompt == "一只猫"
    assert rules.route("生成一张图片：雪山和湖").prompt == "雪山和湖"
    assert rules.route("generate an image of a red bicycle").prompt == "a red bicycle"
    edit = rules.route("make it brighter", has_image=True)
    assert edit.reason == "an image is attached and you asked to change it ('make it')"


@pytest.mark.weights
def test_requests_for_words_about_picturesque_topics_are_chat(intent_router):
    # MiniLM matches topics: "a story about a dragon" is close to "a picture of a dragon"
    for text in ("Tell me a long story about a dragon.", "write a poem about a sunset over the sea",
                 "explain how rainbows form"):
        assert intent_router.route(text).intent == "chat", text
    assert intent_router.route("what's being said here", has_audio=True).intent == "transcribe_audio"
