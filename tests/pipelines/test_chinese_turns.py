"""A Chinese conversation end to end, with the offline models: the turn's language (from the script of
typed text, from Whisper or the forced ``voice.language`` for speech), the reply instruction the chat
model is given, the voice that reads the reply, and the one notice when no voice speaks the language.

The offline speech model is English-only and the offline chat model seldom writes Chinese, so these
tests assert the plumbing (what the models were given and which voice spoke), never the words.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import shutil
import subprocess
import time

import numpy as np
import pytest

from pipelines.audio import load_audio
from pipelines.catalog import Catalog, ResolvedModel
from pipelines.devices import DeviceChoice
from pipelines.engine import Engine
from pipelines.events import Done, Notice, SpeechChunk, Transcript, Turn
from pipelines.history import HistoryStore
from pipelines.settings import Settings
from pipelines.voice import (
    chosen_voice_language,
    missing_voice_text,
    reply_language_instruction,
    text_language,
    voice_for_language,
)
from tests.helpers.engine import Heard, ListeningEngine
from tests.helpers.run import sensorium_here

CHINESE = reply_language_instruction("zh")  # " The user is speaking Chinese: always reply in Chinese."
CPU = DeviceChoice(device="cpu", dtype="float32", ctranslate2_compute="int8", reason="tests")


@pytest.fixture
def make_engine(warm_profile):
    engines = []

    def make(*, catalog_path=None, language: str = "") -> ListeningEngine:
        s = Settings()
        s.chat.temperature = 0.0
        s.chat.max_new_tokens = 8
        s.voice.language = language
        catalog = Catalog.load(s, warm_profile, catalog_path, gpu=False) if catalog_path else None
        e = ListeningEngine(s, warm_profile, store=HistoryStore(warm_profile.history_db, warm_profile.attachments_dir),
                            catalog=catalog)
        e.seen = []
        engines.append(e)
        return e

    yield make
    for e in engines:
        e.manager.unload_all()
        e.store.close()


def notices(events, code: str) -> list[Notice]:
    return [e for e in events if isinstance(e, Notice) and e.localizable is not None and e.localizable.code == code]


def system_of(engine: ListeningEngine, reply: int = -1) -> str:
    first = engine.seen[reply][0]
    assert first.role == "system"
    return first.content


def loaded_voice(engine: Engine) -> str:
    return {r.role: r.model for r in engine.manager.statuses()}["tts"]


@pytest.fixture
def zh_voice_catalog(tmp_path, zh_piper_voice):
    """The shipped catalog plus an installed Mandarin voice (a local entry on the stand-in voice)."""
    from pipelines.assets import asset

    path = tmp_path / "catalog.toml"
    path.write_text(asset("catalog.toml").read_text(encoding="utf-8") + f'''
[[models]]
role = "tts"
name = "my-mandarin-voice"
source = "local"
path = "{zh_piper_voice.onnx}"
format = "piper"
language = "zh"
size_mb = 63
license = "see model card"
''', encoding="utf-8")
    return path


# ---- the pieces, without models ------------------------------------------------------------------
def test_the_script_of_typed_text_tells_its_language():
    assert text_language("你好，今天天气怎么样？") == "zh"
    assert text_language("帮我写一个Python函数") == "zh"  # a Latin word in a Chinese sentence
    assert text_language("こんにちは、元気ですか") == "ja" and text_language("東京に行きたい") == "ja"  # kana
    assert text_language("안녕하세요") == "ko"
    for other in ("What is the capital of France?", "what does 你好 mean?", "Привет", "1234", ""):
        assert text_language(other) == "", other  # no language assumed: handled as before


def test_the_catalog_offers_a_mandarin_voice_to_download_and_an_installed_one_is_chosen(
        profile, tmp_path, zh_voice_catalog):
    s = Settings()
    shipped = Catalog.load(s, profile, gpu=False)
    assert chosen_voice_language(shipped) == "en"
    assert shipped.status("tts", "piper-zh-cn-huayan").status == "needs-download"  # listed, not on disk
    assert voice_for_language(shipped, "zh") is None  # so the default voice reads Chinese, and says so:
    text = missing_voice_text(shipped, "zh")
    assert text.code == "voice.missing_language" and dict(text.params) == {
        "language": "Chinese", "voice": "piper-zh-cn-huayan"}
    assert "no Chinese voice is installed" in str(text) and "sensorium models fetch tts piper-zh-cn-huayan" in str(text)
    assert "{language}" in text.template  # the window translates the template, not the English line
    installed = Catalog.load(s, profile, zh_voice_catalog, gpu=False)
    assert installed.status("tts", "my-mandarin-voice").status == "ready"
    assert voice_for_language(installed, "zh") == "my-mandarin-voice"
    assert voice_for_language(installed, "en") is None  # the default voice speaks English already
    s.models.tts = "my-mandarin-voice"  # a Chinese default voice: an English turn gets the English one
    assert chosen_voice_language(installed) == "zh" and voice_for_language(installed, "en") == "piper-en-us-joe"


@pytest.mark.weights
def test_a_hub_piper_voice_folder_loads_and_speaks_mandarin_phonemes(tmp_path, zh_piper_voice):
    """A downloaded hub voice is a folder in the repository's layout; the loader finds its .onnx, and
    piper-tts phonemizes with the espeak-ng voice its .onnx.json names ("cmn": tone digits)."""
    from pipelines import tts

    folder = tmp_path / "piper-zh-cn-huayan" / "zh" / "zh_CN" / "huayan" / "medium"
    folder.mkdir(parents=True)
    (folder / "zh_CN-huayan-medium.onnx").symlink_to(zh_piper_voice.onnx)
    (folder / "zh_CN-huayan-medium.onnx.json").symlink_to(zh_piper_voice.config)
    voice = tts.load(ResolvedModel("tts", "piper-zh-cn-huayan", tmp_path / "piper-zh-cn-huayan", "piper",
                                   "downloaded"), CPU, Settings())
    assert voice._voice.config.espeak_voice == "cmn"
    phonemes = "".join(voice._voice.phonemize("你好")[0])
    assert any(d in phonemes for d in "12345"), phonemes  # Mandarin tones, not English letter names
    audio = voice.synthesize("今天天气很好。")
    assert audio.ndim == 1 and len(audio) > voice.sample_rate * 0.3 and float(np.abs(audio).max()) > 0.01


# ---- typed turns ---------------------------------------------------------------------------------
@pytest.mark.weights
def test_a_typed_chinese_turn_asks_for_chinese_and_says_once_that_no_chinese_voice_is_installed(make_engine):
    e = make_engine()
    events = list(e.respond(Turn(text="你好，今天天气怎么样？", intent="chat", speak=True)))
    done = events[-1]
    assert isinstance(done, Done) and done.language == "zh", events
    assert system_of(e) == e.settings.chat.system_prompt + CHINESE  # what SmolLM2 was given
    assert done.models["tts"] == "piper-en-us-joe" and loaded_voice(e) == "piper-en-us-joe"  # the default voice
    missing = notices(events, "voice.missing_language")
    assert len(missing) == 1 and "no Chinese voice is installed" in missing[0].text
    assert missing[0].localizable.params["voice"] == "piper-zh-cn-huayan"  # what to download
    assert e.store.get_message(done.message_id).meta["language"] == "zh"
    # the next turn of the conversation is Chinese too: the same instruction, and no second notice
    events = list(e.respond(Turn(text="请再说一遍。", intent="chat", speak=True,
                                 conversation_id=done.conversation_id)))
    assert isinstance(events[-1], Done) and events[-1].language == "zh"
    assert system_of(e) == e.settings.chat.system_prompt + CHINESE
    assert not notices(events, "voice.missing_language")
    # an English turn (another conversation) is as before: no instruction, no notice, no language
    events = list(e.respond(Turn(text="What is the capital of France?", intent="chat", speak=True)))
    assert isinstance(events[-1], Done) and events[-1].language == ""
    assert system_of(e) == e.settings.chat.system_prompt and not any(isinstance(x, Notice) for x in events)


@pytest.mark.weights
def test_a_typed_chinese_turn_read_aloud_by_an_installed_chinese_voice(make_engine, zh_voice_catalog):
    e = make_engine(catalog_path=zh_voice_catalog)
    events = list(e.respond(Turn(text="你好，今天天气怎么样？", intent="chat", speak=True)))
    done = events[-1]
    assert isinstance(done, Done) and done.language == "zh", events
    assert system_of(e) == e.settings.chat.system_prompt + CHINESE
    assert done.models["tts"] == "my-mandarin-voice" and loaded_voice(e) == "my-mandarin-voice"
    assert not any(isinstance(x, Notice) for x in events)
    assert [c.sample_rate for c in events if isinstance(c, SpeechChunk)]  # it spoke
    # an English turn goes back to the English voice
    events = list(e.respond(Turn(text="Say hello.", intent="chat", speak=True)))
    assert events[-1].models["tts"] == "piper-en-us-joe" and loaded_voice(e) == "piper-en-us-joe"


@pytest.mark.weights
def test_sensorium_chat_in_chinese_gives_the_instruction_and_its_json_the_language(tmp_path, monkeypatch):
    seen: list = []
    lease = Engine.chat_lease

    @contextlib.contextmanager
    def listening(self, cancel=None):
        with lease(self, cancel) as backend:
            yield Heard(backend, seen)

    monkeypatch.setattr(Engine, "chat_lease", listening)
    r = sensorium_here("chat", "你好", "--max-tokens", "8", "--temperature", "0", "--json",
                       profile=tmp_path / "profile")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["language"] == "zh" and isinstance(out["conversation"], int)
    assert seen and seen[0][0].role == "system" and seen[0][0].content.endswith(CHINESE)
    r = sensorium_here("chat", "Hello", "--max-tokens", "4", "--temperature", "0", "--json",
                       profile=tmp_path / "profile")
    assert r.returncode == 0 and json.loads(r.stdout)["language"] is None  # nothing told it
    assert not seen[-1][0].content.endswith(CHINESE)


# ---- spoken turns --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mandarin_speech(tmp_path_factory):
    """Mandarin speech made by espeak-ng, 16 kHz mono float32."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        pytest.skip("espeak-ng is not installed (apt install espeak-ng): no Mandarin speech to play")
    wav = tmp_path_factory.mktemp("mandarin") / "nihao.wav"
    # "你好" alone: tiny.en makes up English for Mandarin, and on a longer sentence ("你好，今天天气怎么样")
    # its made-up words loop, which sends each decode through faster-whisper's temperature fallback
    # (seconds to tens of seconds on a loaded CPU); the plumbing is the same either way
    subprocess.run([espeak, "-v", "cmn", "-w", str(wav), "你好"], check=True, capture_output=True, timeout=60)
    return load_audio(str(wav))


@pytest.mark.weights
def test_a_spoken_turn_with_the_language_forced_to_chinese_on_the_english_only_model(make_engine, mandarin_speech):
    """voice.language = "zh" with Whisper tiny.en: faster-whisper decodes English-only models as English
    whatever the language asked for, so the words are not Chinese. The turn keeps the forced language
    (the reply is asked for in Chinese, a Chinese voice is looked for) and says once that the speech
    model cannot transcribe Chinese."""
    e = make_engine(language="zh")

    def say(conversation_id=None):
        return Turn(audio=mandarin_speech, audio_sample_rate=16000, spoken=True, speak=True, intent="chat",
                    speech_end=time.perf_counter(), conversation_id=conversation_id)

    events = list(e.respond(say()))
    transcript = next(x for x in events if isinstance(x, Transcript))
    assert transcript.language == "zh" and transcript.text, "tiny.en heard nothing in the Mandarin speech"
    done = events[-1]
    assert isinstance(done, Done) and done.language == "zh", events
    assert system_of(e) == e.settings.chat.system_prompt + CHINESE
    assert done.models["tts"] == "piper-en-us-joe"
    deaf = notices(events, "asr.language_unsupported")
    assert len(deaf) == 1 and "knows English only" in deaf[0].text and deaf[0].localizable.params["language"] == "Chinese"
    assert len(notices(events, "voice.missing_language")) == 1
    assert e.store.get_message(done.message_id).meta["language"] == "zh"
    # the next utterance, decoded by the voice loop while it waited for the silence (tiny.en says "en"):
    # the forced language again, and no notice again in this conversation
    heard = Transcript(transcript.text, "en", transcript.segments)
    events = list(e.respond(dataclasses.replace(say(done.conversation_id), transcript=heard)))
    assert [x.language for x in events if isinstance(x, Transcript)] == ["zh"]
    assert isinstance(events[-1], Done) and events[-1].language == "zh"
    assert not any(isinstance(x, Notice) for x in events)
    assert system_of(e) == e.settings.chat.system_prompt + CHINESE
