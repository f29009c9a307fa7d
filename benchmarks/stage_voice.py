"""Voice to voice, end to end: the real Engine inside a VoiceLoop, a FileSource fake microphone
playing a spoken question at real-time pace and a RecordingSink speaker. Measured from the true
end of speech in the microphone signal to the first reply audio handed to the speaker, with the
engine's own breakdown (endpointing, transcript, first token, first audio)."""
from __future__ import annotations

import threading
import time

from .common import Stage

__all__ = ["run"]


def run(ctx) -> Stage:


    from pipelines.engine import Engine
    from pipelines.events import Done, Failed, Routed, Transcript
    from pipelines.history import HistoryStore
    from pipelines.voice import FileSource, RecordingSink, VoiceLoop

    st = Stage("voice-to-voice", models=ctx.voice_label)
    settings, profile = ctx.engine_settings(), ctx.profile()
    settings.voice.mode = "hands-free"
    store = HistoryStore(profile.history_db, profile.attachments_dir)
    engine = Engine(settings, profile, store=store)
    question = ctx.question_audio()
    speech_s = len(question) / 16000

    class Mic(FileSource):
        first_frame: float | None = None

        def start(self, on_frames):
            def wrapped(frames):
                if self.first_frame is None:
                    self.first_frame = time.perf_counter()
                on_frames(frames)
            super().start(wrapped)

    class Speaker(RecordingSink):
        first_play: float | None = None

        def play(self, audio, sample_rate, cancel=None):
            if self.first_play is None:
                self.first_play = time.perf_counter()
            super().play(audio, sample_rate, cancel)

    def one_turn() -> dict:
        mic, spk = Mic(question, tail_silence_s=2.0), Speaker()
        done, events = threading.Event(), {}

        def on_event(ev):
            if isinstance(ev, Transcript) and ev.final:
                events["transcript"] = ev.text
            elif isinstance(ev, Routed):
                events["intent"] = getattr(ev, "intent", "")
            elif isinstance(ev, (Done, Failed)):
                events["end"] = ev
                done.set()

        loop = VoiceLoop(engine, mic, spk, on_event=on_event, mode="hands-free",
                         end_silence_ms=settings.voice.end_silence_ms)
        loop.start()
        ok = done.wait(timeout=ctx.voice_timeout)
        loop.stop()
        end = events.get("end")
        if not ok or not isinstance(end, Done) or spk.first_play is None:
            raise RuntimeError(f"voice turn did not finish with audio: {end!r} {events}")
        true_end = mic.first_frame + speech_s
        t = end.timings
        return {"latency": (spk.first_play - true_end) * 1000, "transcript": events.get("transcript", ""),
                "intent": events.get("intent", ""), "reply": end.text,
                "endpointing": t.get("speech_to_transcript_ms", 0) - t.get("transcript_ms", 0),
                "asr": t.get("transcript_ms", 0),
                "route": t.get("route_ms", 0),
                "first_token": t.get("llm_first_token_ms", 0),
                "tts_first": t.get("first_audio_ms", 0) - t.get("first_token_ms", 0),
                "loop_end_estimate": t.get("speech_to_first_audio_ms", 0)}

    try:
        one_turn()  # warm-up: loads every model and the router
        runs = [one_turn() for _ in range(ctx.voice_reps)]
    finally:
        store.close()
    st.info.update(question_seconds=round(speech_s, 2), transcript=runs[-1]["transcript"],
                   intent=runs[-1]["intent"], reply=runs[-1]["reply"][:200],
                   end_silence_ms=settings.voice.end_silence_ms)
    target = "< 500 ms (GPU: Whisper small + 1.5B LM + VITS)" if ctx.device == "cuda" else ""
    fig = st.add("end of speech -> first reply audio", [r["latency"] for r in runs], "ms", target=target,
                 check=(lambda v: v < 500) if target else None)
    st.add("  endpointing (silence wait, then hand-over)", [r["endpointing"] for r in runs], "ms")
    st.add("  speech recognition", [r["asr"] for r in runs], "ms")
    st.add("  routing + sentiment", [r["route"] for r in runs], "ms")
    st.add("  language model first token", [r["first_token"] for r in runs], "ms")
    st.add("  first token -> first audio (sentence + synthesis)", [r["tts_first"] for r in runs], "ms")
    fig.note = (f"includes the {settings.voice.end_silence_ms} ms of silence the endpointer waits for "
                "before it knows the user stopped")
    return st
