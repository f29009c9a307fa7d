"""pipelines.speech_text: a streaming Markdown reply cut into segments to speak, with their spans."""
from __future__ import annotations

import random
import re

import pytest

from pipelines.speech_text import (
    CODE_POINTER,
    TABLE_POINTER,
    SpeechSegment,
    SpeechSegmenter,
    normalize_for_speech,
)


def whole(text: str, **kw) -> list[SpeechSegment]:
    seg = SpeechSegmenter(**kw)
    return seg.feed(text) + seg.flush()


def streamed(text: str, seed: int = 0, sizes: tuple[int, int] = (1, 3), **kw) -> list[SpeechSegment]:
    """Fed as a language model streams it: pieces of 1-3 characters."""
    seg, rnd, out, i = SpeechSegmenter(**kw), random.Random(seed), [], 0
    while i < len(text):
        k = rnd.randint(*sizes)
        out += seg.feed(text[i:i + k])
        i += k
    return out + seg.flush()


def said(segments) -> list[str]:
    return [s.text for s in segments if s.text]


def assert_spans_cover(text: str, segments: list[SpeechSegment]) -> None:
    pos = 0
    for s in segments:
        assert s.start == pos and s.end > s.start, segments
        pos = s.end
    assert pos == len(text), segments


REPLIES = [
    "The capital of France is Paris. It is known for the Eiffel Tower.",
    'Sure, here is how you delete a file in Python:\n\n```python\nimport os\nos.remove("x")\n```\n\n'
    "This removes the file for good.",
    "# Plan\n\n1. First step.\n2. Second step\n3. Third, with a [link](https://example.com/a) and `code`.\n\n"
    "- bullet one\n- bullet two\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\nThat's the table. See https://www.python.org/downloads/ for more.",
    "你好。今天天气很好，我们去公园散步吧！好的",
    "Dr. Smith arrived at 3 p.m. today, e.g. after lunch. He left! Did she?",
    "> quoted line one.\n> quoted line two\n\n---\n\nAfter the rule, **bold.** Then `a. b` here. Done",
    "Well, you see, the thing is, I do not know. Really.",
    "~~~\ncode\n~~~\nText after\n",
    "Here is code:\n```py\nprint(1)\n",
    "他说：“你好。”然后走了。",
    "- item with [a link. inside](http://x.org) and more.\n- next\n",
    "  * nested **bold** item\n    continued line.\n* * *\nend\n\n",
]


@pytest.mark.parametrize("text", REPLIES)
def test_token_by_token_gives_the_same_segments_as_the_whole_text(text):
    expected = whole(text)
    assert said(expected)
    for seed in range(12):
        assert streamed(text, seed) == expected
    assert streamed(text, sizes=(1, 1)) == expected
    assert whole(text, first_clause=False) == streamed(text, 3, first_clause=False)
    assert_spans_cover(text, expected)


# the pieces of Markdown that decide a line's kind, end a sentence or open a span, mixed at random
MIX = ["Hello", " world", ".", " ", "\n", "\n\n", "```", "~~~", "`", "|", " | ", "---", "- ", "* ", "1. ", "12", ")",
       "# ", "> ", "[", "]", "(", "http://a.b/c", ",", ":", "，", "。", "你好", "”", "!", "e.g.", "Dr.", " 3.5",
       "**", "_", "===", "\t", "[x]: http://y", "<b>", "、", " and the", " more words"]


def test_any_mix_of_markdown_gives_the_same_segments_however_it_is_cut():
    rnd = random.Random(0)
    for _ in range(150):
        text = "".join(rnd.choice(MIX) for _ in range(rnd.randint(5, 60)))
        for kw in ({}, {"on_screen": False}):
            expected = whole(text, **kw)
            assert streamed(text, rnd.randint(0, 99), **kw) == expected, text
            assert streamed(text, sizes=(1, 1), **kw) == expected, text
            assert_spans_cover(text, expected)


def test_prose_sentences_are_emitted_as_soon_as_they_end():
    seg = SpeechSegmenter()
    assert seg.feed("The capital of France is Paris.") == []  # the end mark alone: a quote may follow
    first = seg.feed(" ")
    assert [s.text for s in first] == ["The capital of France is Paris."]
    assert seg.feed("It is big") == []
    assert [s.text for s in seg.flush()] == ["It is big"]  # the stream ended: said at once
    seg = SpeechSegmenter()
    assert [s.text for s in seg.feed("One sentence.\n")] == ["One sentence."]


def test_spans_map_back_to_the_words_spoken():
    text = "Paris is the capital. It has about two million people! Is it big? Yes, very."
    segments = whole(text, first_clause=False)
    assert said(segments) == ["Paris is the capital.", "It has about two million people!", "Is it big?", "Yes, very."]
    for s in segments:
        assert s.text in text[s.start:s.end]
    assert_spans_cover(text, segments)


def test_a_code_block_is_one_pointer_and_waits_for_its_fence():
    text = 'Run this:\n```python\nimport os\nos.remove("x")\n```\nDone.'
    seg, fed, pointed_at = SpeechSegmenter(), 0, None
    for ch in text:
        fed += 1
        if any(s.text == CODE_POINTER for s in seg.feed(ch)):
            pointed_at = fed
    closing_line_end = text.index("```\nDone") + 4  # the closing fence and its newline
    assert pointed_at == closing_line_end
    segments = whole(text)
    assert said(segments) == ["Run this:", CODE_POINTER, "Done."]
    code = segments[1]
    assert "import os" in text[code.start:code.end] and text[code.start:code.end].endswith("```")
    assert not any("import" in s or "remove" in s for s in said(segments))


def test_a_code_block_still_open_is_held_then_pointed_at_on_flush():
    seg = SpeechSegmenter()
    got = seg.feed("Here you go.\n```bash\nrm -rf build\nls")
    assert said(got) == ["Here you go."]
    assert seg.feed("\n-la") == []  # still inside the fence: nothing is read
    rest = seg.flush()
    assert said(rest) == [CODE_POINTER] and rest[-1].end == len("Here you go.\n```bash\nrm -rf build\nls\n-la")
    # a fence split between pieces, even its backticks
    text = "Look:\n``" + "`js\nlet a = 1;\n``" + "`\nOk."
    assert said(streamed(text, sizes=(1, 1))) == ["Look:", CODE_POINTER, "Ok."]


def test_tables_are_a_pointer():
    text = "Scores:\n\n| name | score |\n|------|------:|\n| Ann | 3 |\n| Bob | 12 |\nBob won."
    segments = whole(text)
    assert said(segments) == ["Scores:", TABLE_POINTER, "Bob won."]
    assert "| Bob | 12 |" in text[segments[1].start:segments[1].end]
    assert not any("|" in s or "twelve" in s for s in said(segments))


def test_urls_read_as_their_domain_links_as_their_text():
    segments = whole("See https://docs.python.org/3/library/os.html for details. Or read [the guide](https://x.org/g). "
                     "Mail jo@mail.example.net today. ![a cat](cat.png)")
    assert said(segments) == ["See docs dot python dot org for details.", "Or read the guide.",
                              "Mail jo at mail dot example dot net today.", "a cat"]
    assert said(whole("Visit https://example.com. Then stop.")) == ["Visit example dot com.", "Then stop."]


def test_the_sources_a_reply_cites_are_not_read_out():
    text = "\u201cRain washes most dust away.\u201d [1] Eels spawn in the Sargasso Sea [2, 3]. It erupted in 1883 [4]."
    assert said(whole(text)) == ["\u201cRain washes most dust away.\u201d", "Eels spawn in the Sargasso Sea.",
                                 "It erupted in eighteen eighty-three."]
    assert said(whole("Item [a] stays.")) == ["Item [a] stays."]  # only a number in brackets is a citation


def test_inline_code_reads_if_short():
    assert said(whole("Call `len(x)` here. Or `" + "x" * 60 + "` there.")) == [
        "Call len(x) here.", "Or the code on screen there."]


def test_lists_read_one_item_per_sentence_and_no_markers():
    text = "Steps:\n1. Open the box\n2. Take out the phone.\n10. Switch it on\n\n- red\n- green\n* blue\n"
    assert said(whole(text, first_clause=False)) == [
        "Steps:", "Open the box.", "Take out the phone.", "Switch it on.", "red.", "green.", "blue."]
    words = set(re.findall(r"\w+", " ".join(said(whole(text)))))
    assert not words & {"one", "two", "ten", "period"}


def test_headings_emphasis_html_and_quotes_lose_their_markup():
    text = "## The **big** _plan_ ##\n\n> A <b>bold</b> ~~old~~ claim.\n\n---\n\nDone!"
    assert said(whole(text)) == ["The big plan.", "A bold old claim.", "Done!"]


def test_numbers_go_through_the_speech_normaliser():
    assert said(whole("It costs $1,234.56. Growth was 12.5% in 1999.")) == [
        "It costs one thousand, two hundred and thirty-four dollars and fifty-six cents.",
        "Growth was twelve point five percent in nineteen ninety-nine."]


def test_chinese_sentences_and_the_first_clause():
    text = "今天天气很好，我们去公园散步吧！好的。明天见，再会。"
    assert said(whole(text)) == ["今天天气很好，", "我们去公园散步吧！", "好的。", "明天见，再会。"]
    assert said(whole(text, first_clause=False))[0] == "今天天气很好，我们去公园散步吧！"
    assert said(whole("你好，世界。")) == ["你好，世界。"]  # too short to say on its own


def test_only_the_first_segment_may_be_a_clause():
    text = "Well, to be quite honest, I think so; but then, who knows what the others say, really."
    assert said(whole(text)) == ["Well, to be quite honest,",
                                 "I think so; but then, who knows what the others say, really."]
    assert said(whole("Yes, I do. Sure.")) == ["Yes, I do.", "Sure."]  # too few words before the comma
    assert len(said(whole(text, first_clause=False))) == 1


def test_the_last_segment_reaches_the_end_of_the_reply():
    text = "All done.\n\n---\n"
    segments = whole(text)
    assert said(segments) == ["All done."] and segments[-1].end == len(text) and segments[-1].text == ""
    assert whole("") == [] and whole("   \n") == [SpeechSegment("", 0, 4)]
    seg = SpeechSegmenter()
    seg.feed("Hi there")
    seg.flush()
    with pytest.raises(RuntimeError, match="new SpeechSegmenter"):
        seg.feed("more")


def test_normalize_for_speech_uses_the_same_reading_without_a_screen():
    out = normalize_for_speech("# Title\n\n```\ncode\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert out.split("\n\n") == ["Title.", "(code omitted).", "a, b.", "one, two."]
