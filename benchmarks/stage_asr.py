"""Speech recognition: real-time factor of WhisperTranscriber against faster-whisper's own
``WhisperModel.transcribe`` on the same audio, model and options."""
from __future__ import annotations

from .common import Stage, overhead, paired, timed_cpu

__all__ = ["run"]


def run(ctx) -> Stage:
    import numpy as np

    from pipelines.asr import Decoding, WhisperTranscriber
    from pipelines.audio import load_audio

    st = Stage("asr", models=ctx.asr_label)
    tr = WhisperTranscriber(ctx.asr_path, device=ctx.ct2_device, compute_type=ctx.ct2_compute,
                            cpu_threads=ctx.cpu_threads)
    raw_model = tr._model  # the same loaded model: only our code differs
    clips = [load_audio(str(p)) for p, _ in ctx.speech_clips]
    audio = np.concatenate([clips[0], np.zeros(8000, np.float32), *clips[1:]])
    seconds = audio.shape[0] / 16000

    decoding = Decoding.for_turns()  # greedy, as in a spoken turn; the same options on both sides

    def ours():
        return tr.transcribe(audio, language="en", vad=True, decoding=decoding).text()

    def raw():
        segs, _ = raw_model.transcribe(audio, language="en", vad_filter=True, **decoding.library_kwargs())
        return " ".join(s.text.strip() for s in segs)

    text = ours()
    pairs_ours, pairs_raw = paired(timed_cpu(ours), timed_cpu(raw), reps=max(ctx.reps, 9))
    t_ours, t_raw = [w for w, _ in pairs_ours], [w for w, _ in pairs_raw]
    st.info.update(audio_seconds=round(seconds, 2), transcript=text[:200])
    st.add("real-time factor (pipeline)", [t / seconds for t in t_ours], "x", target="< 1 (faster than speech)",
           check=lambda v: v < 1)
    st.add("real-time factor (faster-whisper)", [t / seconds for t in t_raw], "x")
    st.add("overhead vs faster-whisper transcribe (wall clock)", overhead(t_ours, t_raw))
    st.add("overhead vs faster-whisper transcribe (CPU time)", overhead([c for _, c in pairs_ours],
                                                                        [c for _, c in pairs_raw]),
           target="<= 1.05", check=lambda v: v <= 1.05,
           note="the same decoding options and VAD on both sides; the target is held in CPU time, which "
                "another process on the cores does not change (the wall-clock ratio is reported above)")
    return st
