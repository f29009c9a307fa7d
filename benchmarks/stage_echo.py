"""Echo cancellation in the simulated room (tests/fakes/room.py) with WebRTC's module
(pipelines.echo): the far end is Piper's real reply, the near end LibriVox speech from tests/data.
The room runs faster than real time and every figure is counted on its sample clock: echo return
loss enhancement (ERLE), Silero false triggers on the echo alone, what double talk costs the user
(level, words), how long after the user's onset barge-in fires, the canceller's CPU, and echo delays
longer than the room's own."""
from __future__ import annotations

import dataclasses

import numpy as np

from .common import SPEECH_DIR, Stage

__all__ = ["run", "REPLY", "ONSETS_S"]

REPLY = ("The capital of France is Paris. It sits on the river Seine, in the north of the country. "
         "About two million people live in the city itself.")
ONSETS_S = (1.0, 1.5, 2.0, 2.5, 3.0, 3.5)  # where the user starts talking, seconds into a reply
RATE = 16000
REPLIES = 20


def _db(x: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.square(x, dtype=np.float64)) + 1e-12))


def _starts(audio: np.ndarray) -> int:
    from pipelines.vad import Endpointer, SpeechStarted

    return sum(isinstance(e, SpeechStarted) for e in Endpointer().feed(audio))


def _barge_ins(audio: np.ndarray) -> int:
    """Utterances on ``audio`` for which the barge-in rule fires."""
    from tests.fakes.room import BargeInRule

    rule = BargeInRule()
    rule.feed(audio)
    return len(rule.fired)


def _echo_alone(reply: np.ndarray, rate: int, replies: int, direct_ms: int = 60) -> dict:
    """``replies`` replies (one second of silence after each) and nothing else in the room."""
    from pipelines.echo import EchoCanceller
    from tests.fakes.room import BargeInRule, SimulatedRoom, room_impulse

    room, ec = SimulatedRoom(room_impulse(direct_ms=direct_ms)), EchoCanceller()
    room.sink.monitor = ec.far
    rule = BargeInRule(echo=ec)  # the loop's rule, frame by frame (its threshold follows the canceller)

    def near(frame: np.ndarray) -> np.ndarray:
        cleaned = ec.near(frame)
        rule.feed(cleaned)
        return cleaned

    n16 = len(reply) * RATE // rate
    mic, out, erle = [], [], []
    for k in range(replies):
        room.sink.play(reply, rate)
        m, o = room.run(n16 + RATE, near)
        mic.append(m)
        out.append(o)
        a = RATE if k == 0 else 0  # the first second is the module converging
        lat = EchoCanceller.LATENCY
        erle.append(_db(m[a:n16]) - _db(o[a + lat:n16 + lat]))
    return {"mic": np.concatenate(mic), "out": np.concatenate(out), "erle": erle, "stats": ec.stats,
            "barge_ins": len(rule.fired)}


def _double_talk(reply: np.ndarray, rate: int, user: np.ndarray, onset_s: float, *, stop: bool,
                 playing: bool = True, canceller=None) -> dict:
    """A reply to converge on and half a second of silence, then the reply twice more with the user
    starting ``onset_s`` into it (``playing=False``: no reply at all). Barge-in is decided on the
    canceller's output from the start of that reply; ``stop``: it stops the reply, as the voice loop
    does."""
    from pipelines.echo import EchoCanceller
    from tests.fakes.room import BargeInRule, SimulatedRoom, speech_onset

    room, ec = SimulatedRoom(), canceller or EchoCanceller()
    room.sink.monitor = ec.far
    if playing:
        room.sink.play(reply, rate)
        room.run(len(reply) * RATE // rate + RATE // 2, ec.near)
        room.sink.play(reply, rate)
        room.sink.play(reply, rate)
    start, rule = room.position, BargeInRule(echo=ec if playing else None)  # the loop's threshold
    onset = room.say(user, at=start + int(onset_s * RATE))

    def near(frame: np.ndarray) -> np.ndarray:
        cleaned = ec.near(frame)
        if rule.feed(cleaned) is not None and stop and room.sink.playing:
            room.sink.stop()
        return cleaned

    mic, out = room.run(onset - start + len(user) + RATE // 2, near)
    a, lat = onset - start, EchoCanceller.LATENCY
    fired = None if rule.fired_at is None else start + rule.fired_at - (onset + speech_onset(user))
    return {"out": out[a - RATE // 4 + lat:a + len(user) + RATE // 4 + lat],
            "user_out_db": _db(out[a + lat:a + len(user) + lat]), "user_db": _db(user),
            "barge_in_ms": None if fired is None else fired * 1000 / RATE,
            "covered": room.sink.playing or stop or not playing}


def run(ctx) -> Stage:
    from pipelines.asr import WhisperTranscriber
    from pipelines.audio import load_audio
    from pipelines.echo import EchoCanceller
    from pipelines.tts import PiperEngine
    from tests.helpers.text import wer

    st = Stage("echo", models="WebRTC AEC3 (livekit 1.2 AudioProcessingModule, 10 ms int16 frames); far end: "
                              "Piper en_US-joe-medium (real weights); near end: LibriVox (tests/data); Silero VAD; "
                              "Whisper tiny.en int8 for the words")
    eng = PiperEngine(ctx.piper_onnx, ctx.piper_config)
    # the voice's sampling noise off: Piper does not seed it, and the figures depend on the reply
    config = dataclasses.replace(eng._syn_config, noise_scale=0.0, noise_w_scale=0.0)
    reply = np.concatenate([c.audio_float_array for c in eng._voice.synthesize(REPLY, syn_config=config)])
    rate = eng.sample_rate
    users = [(p.stem, load_audio(str(p)), p.with_suffix(".txt").read_text().strip())
             for p in sorted(SPEECH_DIR.glob("librivox-*.wav"))]
    st.info["reply_seconds"] = round(len(reply) / rate, 2)
    st.info["room"] = "tests/fakes/room.py room_impulse(): direct path 60 ms (gain 0.5), 4 reflections, 40 ms tail; noise 1e-3"

    # ---- the echo alone ------------------------------------------------------------------------
    alone = _echo_alone(reply, rate, REPLIES)
    stats = alone["stats"]
    st.add(f"ERLE, echo alone, per reply ({REPLIES} replies; the first after 1 s)", alone["erle"], "dB",
           target=">= 25 dB", check=lambda v: v >= 25, higher=True,
           note=f"min {min(alone['erle']):.1f} dB; the mic's noise floor (1e-3: -60 dBFS) bounds it at about 37 dB")
    st.add(f"Silero utterance starts on the echo alone, raw mic ({REPLIES} replies)", [_starts(alone["mic"])], "")
    st.add(f"Silero utterance starts on the echo alone, cancelled ({REPLIES} replies)", [_starts(alone["out"])], "",
           note="the first second of the first reply included, while the module converges")
    st.add(f"Silero utterance starts on the echo alone, cancelled, after its first second ({REPLIES} replies)",
           [_starts(alone["out"][RATE + EchoCanceller.LATENCY:])], "", target="0", check=lambda v: v == 0)
    st.add(f"false barge-ins on the echo alone, raw mic ({REPLIES} replies)", [_barge_ins(alone["mic"])], "")
    st.add(f"false barge-ins on the echo alone, cancelled ({REPLIES} replies)", [alone["barge_ins"]], "",
           target="0", check=lambda v: v == 0)
    audio_s = stats.near_frames * EchoCanceller.FRAME / RATE
    st.add("canceller CPU per second of audio", [100 * stats.cpu_s / audio_s], "% of one core",
           note=f"{stats.near_frames} frames, {stats.far_dropped} far frames dropped; thread CPU time of the native calls")

    # ---- echo later than the room's own 60 ms --------------------------------------------------
    for extra in (100, 200, 300):
        late = _echo_alone(reply, rate, 3, direct_ms=60 + extra)
        st.add(f"ERLE, echo {extra} ms later than the room's (direct path {60 + extra} ms)", late["erle"], "dB",
               target=">= 25 dB", check=lambda v: v >= 25, higher=True)

    # ---- double talk and barge-in ---------------------------------------------------------------
    tr = WhisperTranscriber(ctx.m.whisper, device="cpu", compute_type="int8", cpu_threads=2)
    atten, barge, quiet_barge, wer_over, wer_cut, misses, false_ = [], [], [], [], [], 0, 0
    for name, user, text in users:
        clean = wer(text, tr.transcribe(user).text())
        quiet = _double_talk(reply, rate, user, 1.0, stop=False, playing=False)
        quiet_barge.append(quiet["barge_in_ms"])
        for onset_s in ONSETS_S:
            over = _double_talk(reply, rate, user, onset_s, stop=False)
            assert over["covered"], "the reply ended before the user did"
            atten.append(over["user_db"] - over["user_out_db"])
            if over["barge_in_ms"] is None:
                misses += 1
            elif over["barge_in_ms"] < 0:  # it fired on the echo, before the user spoke
                false_ += 1
            else:
                barge.append(over["barge_in_ms"])
            wer_over.append(100 * (wer(text, tr.transcribe(over["out"]).text()) - clean))
            cut = _double_talk(reply, rate, user, onset_s, stop=True)
            wer_cut.append(100 * (wer(text, tr.transcribe(cut["out"]).text()) - clean))
        st.info[f"clean_wer_{name}"] = round(clean, 3)
    takes = len(users) * len(ONSETS_S)
    st.add("double talk: the user's voice attenuated by", atten, "dB",
           note=f"{takes} takes ({', '.join(n for n, _, _ in users)} x onsets {ONSETS_S} s into the reply); the "
                "output's level over the user's words against the clean recording's")
    st.add("barge-in after the user's speech onset, during double talk", barge, "ms", target="<= 400 ms",
           check=lambda v: v <= 400,
           note=f"by sample position: Silero on the canceller's output, >= 8 voiced 32 ms frames at probability >= 0.3 "
                f"(the loop's threshold while a reply plays); onset = first 10 ms "
                f"20 dB above the recording's floor; {misses} of {takes} takes never fired")
    st.add("barge-in after the user's speech onset, no reply playing", [v for v in quiet_barge if v is not None], "ms",
           note="the rule's own cost (8 voiced frames after the VAD's first)")
    st.add("false barge-ins on the echo before the user spoke (double talk takes)", [false_], "", target="0",
           check=lambda v: v == 0,
           note=f"over {takes} takes (each a whole reply plus the start of the next)")
    st.add("double talk WER minus clean, reply under every word", wer_over, "points", target="<= 10",
           check=lambda v: v <= 10)
    st.add("double talk WER minus clean, reply stopped at barge-in", wer_cut, "points", target="<= 10",
           check=lambda v: v <= 10, note="as the voice loop does: the reply stops when barge-in fires")

    # ---- why the high-pass filter is off ----------------------------------------------------------
    class _WithHighPass(EchoCanceller):
        def _new_apm(self):
            return self._rtc.AudioProcessingModule(echo_cancellation=True, noise_suppression=False,
                                                   high_pass_filter=True, auto_gain_control=False)

    name, user, _ = users[0]
    a = _double_talk(reply, rate, user, 1.5, stop=False)
    b = _double_talk(reply, rate, user, 1.5, stop=False, canceller=_WithHighPass())
    st.info["high_pass_filter"] = ("bit-identical output with it on and off" if np.array_equal(a["out"], b["out"])
                                   else f"outputs differ by {np.abs(a['out'] - b['out']).max():.2e}")
    return st
