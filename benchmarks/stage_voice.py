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
    from pipelines.voice import FileSource, RecordingSink, SpokenLatency, VoiceLoop

    st = Stage("voice-to-voice", models=ctx.voice_label)
    settings, profile = ctx.engine_settings(), ctx.profile()
    settings.voice.mode = "hands-free"
    store = HistoryStore(profile.history_db, profile.attachments_dir)
    engine = Engine(settings, profile, store=store)
    question = ctx.question_audio()
    speech_s = _speech_end(question) / 16000  # the synthesized question ends in a little silence

    class Mic(FileSource):
        first_frame: float | None = None

        def start(self, on_frames):
            def wrapped(frames):
                if self.first_frame is None:
                    self.first_frame = time.perf_counter()
                on_frames(frames)
            super().start(wrapped)

    def one_turn() -> dict:
        mic, spk = Mic(question, tail_silence_s=2.0), RecordingSink()
        done, events = threading.Event(), {}

        def on_event(ev):
            if isinstance(ev, Transcript) and ev.final:
                events["transcript"] = ev.text
            elif isinstance(ev, Routed):
                events["intent"] = getattr(ev, "intent", "")
            elif isinstance(ev, (Done, Failed)):
                events["end"] = ev
            elif isinstance(ev, SpokenLatency):
                events["latency"] = ev
                done.set()

        loop = VoiceLoop(engine, mic, spk, on_event=on_event, mode="hands-free",
                         end_silence_ms=settings.voice.end_silence_ms)
        loop.start()
        ok = done.wait(timeout=ctx.voice_timeout)
        loop.stop(timeout=5)
        end, lat = events.get("end"), events.get("latency")
        if not ok or not isinstance(end, Done) or lat is None:
            raise RuntimeError(f"voice turn did not finish with audio: {end!r} {events}")
        # from the true end of speech in the signal the fake microphone played (at real-time pace) to
        # the first sample at the speaker, as the loop dated it
        true_end = mic.first_frame + speech_s
        return {"latency": (lat.heard_at - true_end) * 1000, "loop_latency": lat.speech_to_speaker_ms,
                "transcript": events.get("transcript", ""), "intent": events.get("intent", ""), "reply": end.text,
                "parts": lat.breakdown}

    try:
        one_turn()  # warm-up: loads every model and the router
        runs = [one_turn() for _ in range(ctx.voice_reps)]
    finally:
        store.close()
    st.info.update(question_seconds=round(speech_s, 2), transcript=runs[-1]["transcript"],
                   intent=runs[-1]["intent"], reply=runs[-1]["reply"][:200],
                   end_silence_ms=settings.voice.end_silence_ms)
    if ctx.device == "cuda":
        target, limit = "< 500 ms (GPU: Whisper small + 1.5B LM + VITS)", 500.0
    else:
        target, limit = "<= 900 ms (median)", 900.0
    fig = st.add("end of speech -> first sample at the speaker", [r["latency"] for r in runs], "ms", target=target,
                 check=lambda v: v <= limit)
    parts = (("endpointing", "  endpointing (the silence that ends the utterance, then hand-over)"),
             ("transcript", "  speech recognition after the end (0: decoded during the silence wait)"), ("routing", "  routing + sentiment"),
             ("first_token", "  language model first token"),
             ("first_audio", "  first token -> first audio (first clause + synthesis)"),
             ("to_speaker", "  first audio -> speaker"))
    for key, label in parts:
        st.add(label, [r["parts"].get(key, 0.0) for r in runs], "ms")
    st.add("  (the loop's own figure, from its estimate of the end of speech)", [r["loop_latency"] for r in runs], "ms")
    fig.note = (f"the endpointer waits 200 ms of silence after a finished sentence ({settings.voice.end_silence_ms} ms "
                "when it cannot tell) before it knows the user stopped")
    return st


def _speech_end(audio) -> int:
    """The sample where speech ends: the end of the last 10 ms 20 dB above the recording's quietest tenth."""
    import numpy as np

    n = 160
    frames = np.asarray(audio[:len(audio) // n * n], dtype=np.float64).reshape(-1, n)
    level = 10 * np.log10(np.mean(frames * frames, axis=1) + 1e-12)
    loud = np.flatnonzero(level > np.percentile(level, 10) + 20)
    return int(loud[-1] + 1) * n if len(loud) else len(audio)
