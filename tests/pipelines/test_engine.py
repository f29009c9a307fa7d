"""The engine end to end: real offline models and tiny random models, through the loading code
users run (catalog -> model manager -> role modules)."""
from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from pipelines.cancel import CancelToken
from pipelines.engine import Engine, clean_text, image_prompt
from pipelines.events import (
    Cancelled,
    Done,
    Failed,
    ImageEvidence,
    ImageOptions,
    ImageProgress,
    ImageResult,
    Notice,
    Routed,
    SearchResults,
    SpeechChunk,
    Started,
    Token,
    Transcript,
    Turn,
)
from pipelines.history import HistoryStore
from pipelines.settings import Settings


@pytest.fixture
def make_engine(warm_profile, tiny_clip_dir, tiny_sd_dir):
    engines = []

    def make(*, history=True, **model_overrides) -> Engine:
        s = Settings()
        s.chat.temperature = 0.0
        s.chat.max_new_tokens = 24
        s.models.vision = str(tiny_clip_dir)
        s.models.imagegen = str(tiny_sd_dir)
        s.imagegen.width = s.imagegen.height = 64
        s.imagegen.steps = 4
        for k, v in model_overrides.items():
            setattr(s.models, k, v)
        store = HistoryStore(warm_profile.history_db, warm_profile.attachments_dir) if history else None
        e = Engine(s, warm_profile, store=store)
        engines.append(e)
        return e

    yield make
    for e in engines:
        if e.store is not None:
            e.store.close()


def run(engine: Engine, turn: Turn, cancel: CancelToken | None = None) -> list:
    return list(engine.respond(turn, cancel or CancelToken()))


def kinds(events) -> list[str]:
    return [type(e).__name__ for e in events]


def test_a_failed_reply_keeps_its_error_as_code_and_params_for_the_window(make_engine, tmp_path):
    """The stored reply of a failed turn keeps the error's Text, so a reopened conversation says it in
    the window's language; the English line is stored beside it as before."""
    from desktop.messages import MessageItem
    from pipelines.errors import Text

    e = make_engine()
    events = run(e, Turn(text="what is in the picture?", intent="describe_image"))  # none in the conversation
    failed, started = events[-1], next(ev for ev in events if isinstance(ev, Started))
    assert isinstance(failed, Failed) and failed.localizable is not None
    stored = next(m for m in e.store.messages(started.conversation_id) if m.id == started.assistant_message_id)
    assert stored.meta["error"] == failed.message
    assert Text.from_record(stored.meta["error_text"]) == failed.localizable
    item = MessageItem.from_message(stored)
    assert item.meta["error_text"] == failed.localizable and str(item.meta["error_text"]) == item.error


@pytest.mark.weights
def test_chat_turn_streams_and_is_stored(make_engine):
    e = make_engine()
    events = run(e, Turn(text="What is the capital of France?"))
    names = kinds(events)
    assert names[0] == "Started" and names[1] == "Routed" and names[-1] == "Done", names
    routed = events[1]
    assert routed.intent == "chat" and routed.reason and routed.sentiment is not None
    tokens = [x.text for x in events if isinstance(x, Token)]
    assert len(tokens) > 3
    done = events[-1]
    assert "Paris" in done.text and done.text == "".join(tokens)
    assert done.timings["first_token_ms"] > 0 and done.models["chat"]
    msgs = e.store.messages(done.conversation_id)
    assert [m.role for m in msgs] == ["user", "assistant"]
    assert msgs[0].intent == "chat" and msgs[0].sentiment is not None
    assert msgs[1].text == done.text and msgs[1].status == "complete"
    # a second turn continues the same conversation and sees it
    events = run(e, Turn(text="Say that city again in one word.", conversation_id=done.conversation_id))
    assert isinstance(events[-1], Done) and events[-1].conversation_id == done.conversation_id
    assert len(e.store.messages(done.conversation_id)) == 4


@pytest.mark.weights
def test_cancel_mid_reply_keeps_the_partial_message(make_engine):
    e = make_engine()
    e.settings.chat.max_new_tokens = 200
    cancel = CancelToken()
    seen = []
    for ev in e.respond(Turn(text="Tell me a long story about a dragon."), cancel):
        seen.append(ev)
        if sum(isinstance(x, Token) for x in seen) == 3:
            cancel.cancel()
    assert isinstance(seen[-1], Cancelled)
    started = seen[0]
    msg = e.store.get_message(started.assistant_message_id)
    assert msg.status == "cancelled" and msg.text == seen[-1].partial_text and msg.text


@pytest.mark.tiny
def test_describe_gives_evidence_and_an_answer(make_engine, photos):
    e = make_engine()
    events = run(e, Turn(text="What colour is the cat?", images=(str(photos["chelsea"]),)))
    names = kinds(events)
    assert "ImageEvidence" in names and names[-1] == "Done", names
    routed = next(x for x in events if isinstance(x, Routed))
    assert routed.intent == "describe_image"
    ev = next(x for x in events if isinstance(x, ImageEvidence))
    assert ev.labels and all(0.0 <= lb.score <= 1.0 for lb in ev.labels)
    done = events[-1]
    assert done.text.strip()
    stored = e.store.get_message(done.message_id)
    assert [d["label"] for d in stored.meta["evidence"]] == [lb.label for lb in ev.labels]
    user = e.store.messages(done.conversation_id)[0]
    assert user.attachments and user.attachments[0] != str(photos["chelsea"])  # copied into the data dir


@pytest.mark.tiny
def test_describe_with_given_labels(make_engine, photos):
    e = make_engine(history=False)
    events = run(e, Turn(text="which?", images=(str(photos["coffee"]),), intent="describe_image",
                         labels=("cup of coffee", "rocket", "cat")))
    ev = next(x for x in events if isinstance(x, ImageEvidence))
    assert sorted(lb.label for lb in ev.labels) == ["cat", "cup of coffee", "rocket"]
    assert abs(sum(lb.score for lb in ev.labels) - 1.0) < 1e-3


@pytest.mark.tiny
def test_imagine_progress_preview_result_and_metadata(make_engine, warm_profile):
    e = make_engine()
    events = run(e, Turn(text="draw a red apple on a table", image_options=ImageOptions(seed=5)))
    progress = [x for x in events if isinstance(x, ImageProgress)]
    assert progress and progress[-1].step == progress[-1].total == 4
    assert any(p.preview_png for p in progress)
    res = next(x for x in events if isinstance(x, ImageResult))
    assert res.seed == 5 and res.prompt == "a red apple on a table"
    assert len(res.paths) == 1
    png = Image.open(res.paths[0])
    assert png.size == (64, 64)
    meta = json.loads(png.info["sensorium"])
    assert meta["prompt"] == "a red apple on a table" and meta["seed"] == 5
    assert str(warm_profile.images_dir) in res.paths[0]
    done = events[-1]
    assert isinstance(done, Done) and done.intent == "generate_image"
    assert e.store.get_message(done.message_id).attachments


@pytest.mark.tiny
def test_imagine_cancel_mid_run(make_engine):
    e = make_engine()
    e.settings.imagegen.steps = 30
    cancel = CancelToken()
    seen = []
    for ev in e.respond(Turn(text="paint a lighthouse"), cancel):
        seen.append(ev)
        if isinstance(ev, ImageProgress) and ev.step >= 2:
            cancel.cancel()
    assert isinstance(seen[-1], Cancelled)
    assert not any(isinstance(x, ImageResult) for x in seen)
    assert e.store.get_message(seen[0].assistant_message_id).status == "cancelled"


@pytest.mark.tiny
def test_edit_and_best_of(make_engine, photos):
    e = make_engine(history=False)
    events = run(e, Turn(text="make it look like winter", images=(str(photos["rocket"]),), intent="edit_image",
                         image_options=ImageOptions(seed=1, strength=0.5, width=64, height=64)))
    assert isinstance(events[-1], Done), kinds(events)
    events = run(e, Turn(text="draw a boat", image_options=ImageOptions(best_of=3, seed=11)))
    res = next(x for x in events if isinstance(x, ImageResult))
    assert len(res.paths) == 3 and len(res.scores) == 3
    assert list(res.scores) == sorted(res.scores, reverse=True)


@pytest.mark.tiny
def test_search_a_folder(make_engine, photos):
    e = make_engine(history=False)
    folder = next(iter(photos.values())).parent
    events = run(e, Turn(text="a cat", intent="search_images", folder=str(folder), top_k=3))
    res = next(x for x in events if isinstance(x, SearchResults))
    assert len(res.results) == 3 and res.indexed == len(photos)
    scores = [r.score for r in res.results]
    assert scores == sorted(scores, reverse=True)


def test_bad_input_is_a_failed_event_and_the_next_turn_works(make_engine, tmp_path):
    e = make_engine(history=False)
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not a png at all")
    for turn in (Turn(text=""), Turn(text="what is this?", images=(str(bad),)),
                 Turn(text="what is this?", images=(str(tmp_path / "missing.jpg"),))):
        events = run(e, turn)
        assert isinstance(events[-1], Failed), kinds(events)
        assert "\n" not in events[-1].message and events[-1].message
    events = run(e, Turn(text="find photos in /definitely/not/here", intent="search_images",
                         folder="/definitely/not/here"))
    assert isinstance(events[-1], Failed) and "not a folder" in events[-1].message


@pytest.mark.weights
def test_spoken_turn_and_silence(make_engine, speech_dir):
    e = make_engine()
    events = run(e, Turn(audio=str(speech_dir / "cards-001.wav"), speak=True, spoken=True))
    tr = next(x for x in events if isinstance(x, Transcript))
    assert "clubs" in tr.text.lower()
    assert any(isinstance(x, SpeechChunk) for x in events)
    done = events[-1]
    assert isinstance(done, Done) and done.timings["first_audio_ms"] > done.timings["first_token_ms"]
    before = len(e.store.list_conversations())
    silence = np.zeros(16000 * 2, dtype=np.float32)
    events = run(e, Turn(audio=silence, audio_sample_rate=16000))
    assert any(isinstance(x, Notice) for x in events) and isinstance(events[-1], Done)
    assert events[-1].text == "" and len(e.store.list_conversations()) == before


def test_clean_text_and_image_prompt():
    assert clean_text("a\x00b\x07c\ud800d\n\te") == "abc\ufffdd\n\te"
    assert image_prompt("Please draw me a picture of a cat on a sofa") == "a cat on a sofa"
    assert image_prompt("画一张猫的图片") == "猫的图片"
    assert image_prompt("generate an image of a red car") == "a red car"
