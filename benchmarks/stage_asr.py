"""Speech recognition: real-time factor of WhisperTranscriber against faster-whisper's own
``WhisperModel.transcribe`` on the same audio, model and options; a spoken turn on the short
encoder window beside the library's 30 s one (latency, encoded frames, word error rate); a partial
transcript, and a final one while a partial runs on another thread."""
from __future__ import annotations

from .common import Stage, on_worker, overhead, paired, timed, timed_cpu

__all__ = ["run"]


def run(ctx) -> Stage:
    import numpy as np

    from pipelines.asr import Decoding, WhisperTranscriber
    from pipelines.audio import load_audio
    from pipelines.devices import cpu_threads

    st = Stage("asr", models=ctx.asr_label)
    threads = cpu_threads(ctx.cpu_threads)  # as the app loads it: every core (2 workers, weights shared)
    tr = WhisperTranscriber(ctx.asr_path, device=ctx.ct2_device, compute_type=ctx.ct2_compute, cpu_threads=threads)
    raw_model = tr._model  # the same loaded model: only our code differs
    clips = [load_audio(str(p)) for p, _ in ctx.speech_clips]
    audio = np.concatenate([clips[0], np.zeros(8000, np.float32), *clips[1:]])
    seconds = audio.shape[0] / 16000

    # greedy, as in a spoken turn, on the library's own window: the same options on both sides
    decoding = Decoding(beam_size=Decoding.for_turns().beam_size)

    def ours():
        return tr.transcribe(audio, language="en", vad=True, decoding=decoding).text()

    def raw():
        segs, _ = raw_model.transcribe(audio, language="en", vad_filter=True, **decoding.library_kwargs())
        return " ".join(s.text.strip() for s in segs)

    text = ours()
    pairs_ours, pairs_raw = paired(timed_cpu(ours), timed_cpu(raw), reps=max(ctx.reps, 9))
    t_ours, t_raw = [w for w, _ in pairs_ours], [w for w, _ in pairs_raw]
    st.info.update(audio_seconds=round(seconds, 2), transcript=text[:200], cpu_threads=threads)
    st.add("real-time factor (pipeline)", [t / seconds for t in t_ours], "x", target="< 1 (faster than speech)",
           check=lambda v: v < 1)
    st.add("real-time factor (faster-whisper)", [t / seconds for t in t_raw], "x")
    st.add("overhead vs faster-whisper transcribe (wall clock)", overhead(t_ours, t_raw))
    st.add("overhead vs faster-whisper transcribe (CPU time)", overhead([c for _, c in pairs_ours],
                                                                        [c for _, c in pairs_raw]),
           target="<= 1.05", check=lambda v: v <= 1.05,
           note="the library's 30 s window on both sides (the same decoding options and VAD); the target is "
                "held in CPU time, which another process on the cores does not change (the wall-clock ratio "
                "is reported above)")
    if hasattr(ctx, "question_audio"):  # the GPU device check's context has no Piper question
        question = ctx.question_audio()
        _spoken_turns(st, ctx, tr, question, clips)
        _partials(st, ctx, tr, question)
    return st


def _spoken_turns(st: Stage, ctx, tr, question, clips) -> None:
    """A spoken turn as the voice loop hands it over (the utterance, no VAD): ``Decoding.for_turns``
    on the short window against the plain library call with ``for_turns().library_kwargs()``."""
    from pipelines.asr import Decoding
    from tests.helpers.text import word_errors

    turns = Decoding.for_turns()

    def short(a):
        return tr.transcribe(a, language="en", vad=False, decoding=turns).text()

    def library(a):
        segs, _ = tr._model.transcribe(a, language="en", vad_filter=False, **turns.library_kwargs())
        return " ".join(s.text.strip() for s in segs)

    named = [("question", question)] + [(p.stem, c) for (p, _), c in zip(ctx.speech_clips, clips)]
    reps = max(ctx.reps, 9)
    for name, a in named:
        what = f"{a.shape[0] / 16000:.1f} s {'question' if name == 'question' else 'clip ' + name}"
        t_short, t_lib = paired(timed(lambda a=a: short(a)), timed(lambda a=a: library(a)), reps=reps)
        st.add(f"spoken turn (short window), {what}", [t * 1000 for t in t_short], "ms")
        st.add(f"spoken turn (library, 30 s window), {what}", [t * 1000 for t in t_lib], "ms")
    before = tr.counts.frames_encoded
    st.info["question_transcript"] = short(question)
    st.info["frames_encoded_question_short"] = tr.counts.frames_encoded - before
    st.info["frames_encoded_question_library"] = 3000

    errors = {"short": 0, "library": 0}
    words = 0
    for (_, reference), a in zip(ctx.speech_clips, clips):
        e_short, n = word_errors(reference, short(a))
        e_lib, _ = word_errors(reference, library(a))
        errors["short"] += e_short
        errors["library"] += e_lib
        words += n
    st.add("WER on the clips, spoken turn (short window)", [100 * errors["short"] / words], "%",
           target="<= library + 2 points", check=lambda v: v <= 100 * errors["library"] / words + 2)
    st.add("WER on the clips, spoken turn (library)", [100 * errors["library"] / words], "%",
           note=f"{words} words, Whisper's English normaliser")


def _partials(st: Stage, ctx, tr, question) -> None:
    """A partial transcript, and the final turn while a partial runs on its own thread: with two
    CTranslate2 workers the final does not queue behind it, it only shares the cores, as beside a
    partial on another model (one worker, which queues, shown for comparison)."""
    import statistics
    import threading

    from pipelines.asr import Decoding, WhisperTranscriber

    partial_audio = question[: question.shape[0] * 2 // 3]  # the speech so far
    turns, partials = Decoding.for_turns(), Decoding.for_partials()

    def decode(model, a, d):
        return timed(lambda: model.transcribe(a, language="en", vad=False, decoding=d).text())()

    def beside_a_partial(final_model, partial_model):
        """The final's latency when the utterance ends while a partial is under way."""
        started = threading.Event()

        def partial():
            started.set()
            decode(partial_model, partial_audio, partials)

        t = threading.Thread(target=partial)
        t.start()
        started.wait()
        took = decode(final_model, question, turns)
        t.join()
        return took

    reps = max(ctx.reps, 9)
    one = WhisperTranscriber(ctx.asr_path, device=ctx.ct2_device, compute_type=ctx.ct2_compute,
                             cpu_threads=st.info["cpu_threads"], num_workers=1)
    for model in (tr, one):  # warm-up
        decode(model, question, turns)
        decode(model, partial_audio, partials)
    jobs = {"partial alone": lambda: decode(tr, partial_audio, partials),
            "final alone": lambda: decode(tr, question, turns),
            "same model, 2 workers": lambda: beside_a_partial(tr, tr),
            "another model": lambda: beside_a_partial(tr, one),
            "same model, 1 worker": lambda: beside_a_partial(one, one)}
    rows: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(reps):  # interleaved, each on a worker thread as in the app (see common.on_worker)
        for name, job in jobs.items():
            rows[name].append(on_worker(job) * 1000)
    st.add(f"partial transcript (short window, {partial_audio.shape[0] / 16000:.1f} s so far)",
           rows["partial alone"], "ms")
    st.add("final turn alone (short window)", rows["final alone"], "ms")
    contention = statistics.median(rows["another model"])
    st.add("final turn while a partial runs (same model, 2 workers)", rows["same model, 2 workers"], "ms",
           target="<= CPU contention only + 15%", check=lambda v: v <= 1.15 * contention,
           note="a partial starts just before the final")
    st.add("final turn while a partial runs on another model (CPU contention only)", rows["another model"], "ms",
           note="the reference: two models cannot queue on each other, they only share the cores")
    st.add("final turn while a partial runs (same model, 1 worker, for comparison)", rows["same model, 1 worker"],
           "ms", note="one CTranslate2 worker queues the final behind the partial")
