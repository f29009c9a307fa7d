"""Speech synthesis: real-time factor and time to first audio of the Synthesizer (text
normalisation, sentence streaming) over an engine, against the engine library's own synthesis
on the same text: piper's ``PiperVoice.synthesize`` and Coqui's ``Vits.synthesize``."""
from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from .common import Stage, overhead, paired, timed_cpu

__all__ = ["piper", "coqui", "PARAGRAPH"]

PARAGRAPH = ("The lighthouse stood at the edge of the cliff, white against the grey sky. Every night the "
             "keeper climbed the narrow stairs to light the lamp. Ships far out at sea saw the beam and "
             "knew where the rocks were.")


def _first_sentence() -> str:
    return PARAGRAPH.split(". ")[0] + "."


def piper(ctx) -> Stage:
    from pipelines.tts import PiperEngine, Synthesizer

    st = Stage("tts-piper", models=ctx.piper_label)
    eng = PiperEngine(ctx.piper_onnx, ctx.piper_config, use_cuda=ctx.device == "cuda")
    synth = Synthesizer(eng)
    voice, cfg = eng._voice, eng._syn_config
    text = PARAGRAPH

    def ours() -> dict:
        t0 = time.perf_counter()
        first, parts = None, []
        for chunk in synth.stream(text):
            first = first or time.perf_counter()
            parts.append(chunk.audio)
        end = time.perf_counter()
        return {"first": first - t0, "total": end - t0, "audio": sum(len(p) for p in parts) / synth.sample_rate}

    def raw() -> dict:
        t0 = time.perf_counter()
        first, parts = None, []
        for c in voice.synthesize(text, syn_config=cfg):
            first = first or time.perf_counter()
            parts.append(c.audio_float_array)
        end = time.perf_counter()
        return {"first": first - t0, "total": end - t0, "audio": sum(len(p) for p in parts) / eng.sample_rate}

    a, b = paired(ours, raw, reps=ctx.reps)
    st.info["audio_seconds"] = {"pipeline": round(a[0]["audio"], 2), "piper": round(b[0]["audio"], 2)}
    st.add("real-time factor (pipeline)", [r["total"] / r["audio"] for r in a], "x", target="< 1",
           check=lambda v: v < 1)
    st.add("real-time factor (piper)", [r["total"] / r["audio"] for r in b], "x")
    st.add("time to first audio (pipeline)", [r["first"] * 1000 for r in a], "ms")
    st.add("time to first audio (piper)", [r["first"] * 1000 for r in b], "ms")
    st.add("overhead vs piper synthesize (per audio second)",
           overhead([r["total"] / r["audio"] for r in a], [r["total"] / r["audio"] for r in b]),
           target="<= 1.05", check=lambda v: v <= 1.05)
    st.add("overhead, time to first audio", overhead([r["first"] for r in a], [r["first"] for r in b]),
           target="<= 1.05", check=lambda v: v <= 1.05)
    return st


def coqui(ctx) -> Stage:
    import torch

    from pipelines.tts import CoquiEngine, Synthesizer

    st = Stage("tts-vits", models=ctx.vits_label)
    eng = CoquiEngine(ctx.vits_dir, device="cuda" if ctx.device == "cuda" else "cpu")
    synth = Synthesizer(eng)
    model = eng._model
    sentence = _first_sentence()

    # VITS draws its durations and noise at random: both sides start from the same seed, so they
    # make the same audio and the ratio is the pipeline's own cost, not two different utterances
    # one sentence of the tiny model takes ~40 ms: each measurement is `rounds` of them, so that timer
    # and scheduler noise does not swamp the comparison
    rounds = 5

    def sync() -> None:
        if ctx.device == "cuda":
            torch.cuda.synchronize()

    def measured(samples_of_one: Callable[[], int], rate: int) -> Callable[[], dict]:
        """``rounds`` sentences from seed 0: wall and CPU seconds, and audio seconds, per sentence."""
        def run() -> dict:
            torch.manual_seed(0)
            samples: list[int] = []
            wall, cpu = timed_cpu(lambda: (samples.extend(samples_of_one() for _ in range(rounds)), sync()))()
            return {"total": wall / rounds, "cpu": cpu / rounds, "audio": sum(samples) / rate / rounds}
        return run

    ours = measured(lambda: len(synth.synthesize(sentence)), synth.sample_rate)
    raw = measured(lambda: np.asarray(model.synthesize(sentence, use_griffin_lim=True)["wav"], dtype=np.float32).size,
                   eng.sample_rate)

    a, b = paired(ours, raw, reps=max(ctx.reps, 9))
    st.info["audio_seconds"] = round(float(np.median([r["audio"] for r in a])), 2)
    st.add("real-time factor (pipeline)", [r["total"] / r["audio"] for r in a], "x")
    st.add("real-time factor (Vits.synthesize)", [r["total"] / r["audio"] for r in b], "x")
    st.add("time to first audio, one sentence (pipeline)", [r["total"] * 1000 for r in a], "ms")
    st.add("overhead vs Vits.synthesize, per audio second (wall clock)",
           overhead([r["total"] / r["audio"] for r in a], [r["total"] / r["audio"] for r in b]))
    st.add("overhead vs Vits.synthesize, per audio second (CPU time)",
           overhead([r["cpu"] / r["audio"] for r in a], [r["cpu"] / r["audio"] for r in b]),
           target="<= 1.05", check=lambda v: v <= 1.05,
           note="both sides seeded alike, so they synthesize the same audio; the target is held in CPU time, "
                "which another process on the cores does not change")
    return st
