"""Soak: many mixed turns (chat, describe, imagine, voice turn) through one engine and one history
store, on the offline packs (SmolLM2, Whisper tiny.en, Piper, MiniLM) and the tiny random CLIP and
Stable Diffusion models the tests build. Reports errors (must be 0), memory growth and latency.

    python -m tests.soak                 # 500 turns
    python -m tests.soak --turns 30 --json soak.json

Exit status 1 when any turn failed. The test suite runs a short version (tests/reliability/test_soak.py).
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MODEL_CACHE = REPO / ".cache" / "test-models"
SPEECH_DIR = REPO / "tests" / "data" / "speech"
KINDS = ("chat", "describe", "imagine", "voice")
CHAT_PROMPTS = (
    "What is the capital of France?", "Name a colour of the sky.", "Say hello in one word.",
    "What is two plus two?", "Give me a fruit.", "Which animal says moo?", "What do bees make?",
    "Is water wet?", "Suggest a name for a cat.", "What is the opposite of hot?",
)
DRAW_PROMPTS = ("a red apple", "a blue boat on the sea", "a green tree", "a yellow sun over hills")


@dataclass
class SoakReport:
    turns: int = 0
    errors: list[str] = field(default_factory=list)
    latency_ms: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    rss_start_mb: float = 0.0
    rss_end_mb: float = 0.0
    seconds: float = 0.0

    @property
    def growth_pct(self) -> float:
        return 100.0 * (self.rss_end_mb - self.rss_start_mb) / self.rss_start_mb if self.rss_start_mb else 0.0

    def percentile(self, q: float, kind: str | None = None) -> float:
        values = sorted(self.latency_ms[kind] if kind else [v for vs in self.latency_ms.values() for v in vs])
        if not values:
            return 0.0
        k = min(len(values) - 1, max(0, int(round(q / 100.0 * len(values) + 0.5)) - 1))
        return values[k]

    def as_dict(self) -> dict[str, Any]:
        return {
            "turns": self.turns, "errors": len(self.errors), "error_samples": self.errors[:10],
            "rss_start_mb": round(self.rss_start_mb, 1), "rss_end_mb": round(self.rss_end_mb, 1),
            "memory_growth_pct": round(self.growth_pct, 2), "seconds": round(self.seconds, 1),
            "p50_ms": round(self.percentile(50), 1), "p99_ms": round(self.percentile(99), 1),
            "per_kind": {k: {"turns": len(v), "p50_ms": round(self.percentile(50, k), 1),
                             "p99_ms": round(self.percentile(99, k), 1),
                             "mean_ms": round(statistics.fmean(v), 1) if v else 0.0}
                         for k, v in self.latency_ms.items()},
        }

    def text(self) -> str:
        d = self.as_dict()
        lines = [f"soak: {d['turns']} turns in {d['seconds']:.0f} s, {d['errors']} errors, memory "
                 f"{d['rss_start_mb']:.0f} -> {d['rss_end_mb']:.0f} MB ({d['memory_growth_pct']:+.1f}%), "
                 f"latency p50 {d['p50_ms']:.0f} ms, p99 {d['p99_ms']:.0f} ms"]
        for k, v in d["per_kind"].items():
            lines.append(f"  {k:8} {v['turns']:4} turns  p50 {v['p50_ms']:7.0f} ms  p99 {v['p99_ms']:7.0f} ms")
        lines += [f"  error: {e}" for e in self.errors[:10]]
        return "\n".join(lines)


def _rss_mb() -> float:
    import psutil

    gc.collect()
    try:  # give freed heap pages back so the figure is what is in use, not what glibc keeps
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass
    return psutil.Process().memory_info().rss / 2**20


def _tiny_models() -> tuple[Path, Path]:
    from tests.fixtures.vision import _build_once, build_tiny_clip, build_tiny_sd

    return (_build_once(MODEL_CACHE / "tiny-clip", build_tiny_clip),
            _build_once(MODEL_CACHE / "tiny-sd", build_tiny_sd))


def _photos(folder: Path) -> list[Path]:
    import skimage.data
    from PIL import Image

    out = []
    for name in ("astronaut", "chelsea", "coffee", "rocket"):
        p = folder / f"{name}.jpg"
        Image.fromarray(getattr(skimage.data, name)()).convert("RGB").save(p, quality=85)
        out.append(p)
    return out


def make_engine(root: Path, *, max_new_tokens: int = 12):
    from pipelines.engine import Engine
    from pipelines.history import HistoryStore
    from pipelines.settings import Settings
    from tests.helpers.profiles import warm_profile_at

    clip, sd = _tiny_models()
    profile = warm_profile_at(root)
    s = Settings()
    s.device.device = "cpu"
    s.chat.temperature = 0.0
    s.chat.max_new_tokens = max_new_tokens  # short replies keep 500 turns to minutes
    s.chat.context_tokens = 1024
    s.models.vision, s.models.imagegen = str(clip), str(sd)
    s.imagegen.width = s.imagegen.height = 64
    s.imagegen.steps = 4
    s.imagegen.preview_every = 2
    s.imagegen.safety_checker = False
    store = HistoryStore(profile.history_db, profile.attachments_dir)
    return Engine(s, profile, store=store), profile


def _turn(kind: str, i: int, cid: int | None, photos: list[Path], speech: list[Path]):
    from pipelines.events import Turn

    if kind == "chat":
        return Turn(text=CHAT_PROMPTS[i % len(CHAT_PROMPTS)], conversation_id=cid, intent="chat")
    if kind == "describe":
        return Turn(text="What is in this picture?", images=(str(photos[i % len(photos)]),), conversation_id=cid,
                    intent="describe_image")
    if kind == "imagine":
        from pipelines.events import ImageOptions

        return Turn(text=DRAW_PROMPTS[i % len(DRAW_PROMPTS)], conversation_id=cid, intent="generate_image",
                    image_options=ImageOptions(seed=i))
    return Turn(audio=str(speech[i % len(speech)]), conversation_id=cid, speak=True, speech_end=time.perf_counter())


def _check(kind: str, events: list) -> str | None:
    """None when the turn did what it should, else why not."""
    from pipelines.events import Done, Failed, ImageEvidence, ImageResult, SpeechChunk, Transcript

    if not events:
        return "no events"
    last = events[-1]
    if isinstance(last, Failed):
        return f"failed: {last.message}"
    if not isinstance(last, Done):
        return f"ended with {type(last).__name__}"
    need = {"describe": ImageEvidence, "imagine": ImageResult, "voice": Transcript}.get(kind)
    if need and not any(isinstance(e, need) for e in events):
        return f"no {need.__name__}"
    if kind == "voice" and last.text.strip() and not any(isinstance(e, SpeechChunk) for e in events):
        return "the reply was not spoken"
    if kind in ("chat", "describe") and not last.text.strip():
        return "empty reply"
    return None


def run(turns: int = 500, *, root: Path | None = None, progress=None, max_new_tokens: int = 12) -> SoakReport:
    from pipelines.cancel import CancelToken

    tmp = None
    if root is None:
        tmp = tempfile.TemporaryDirectory(prefix="sensorium-soak-")
        root = Path(tmp.name)
    try:
        engine, profile = make_engine(root / "profile", max_new_tokens=max_new_tokens)
        (root / "photos").mkdir(parents=True, exist_ok=True)
        photos = _photos(root / "photos")
        speech = sorted(SPEECH_DIR.glob("*.wav"))
        if not speech:
            raise SystemExit(f"no speech samples in {SPEECH_DIR}")
        report = SoakReport()
        # warm up: every kind once (models load), then the memory baseline
        cid = None
        for j, kind in enumerate(KINDS):
            list(engine.respond(_turn(kind, j, None, photos, speech), CancelToken()))
        report.rss_start_mb = _rss_mb()
        t_start = time.perf_counter()
        for i in range(turns):
            kind = KINDS[i % len(KINDS)]
            if i % 20 == 0:
                cid = None  # a new conversation now and then, as people do
            t0 = time.perf_counter()
            try:
                events = list(engine.respond(_turn(kind, i, cid, photos, speech), CancelToken()))
                problem = _check(kind, events)
            except Exception as e:  # respond must never raise; count it
                events, problem = [], f"raised {type(e).__name__}: {e}"
            report.latency_ms[kind].append((time.perf_counter() - t0) * 1000)
            report.turns += 1
            if problem:
                report.errors.append(f"turn {i} ({kind}): {problem}")
            else:
                cid = getattr(events[-1], "conversation_id", None) or cid
            if progress and (i + 1) % 50 == 0:
                progress(f"{i + 1}/{turns} turns, {len(report.errors)} errors, {_rss_mb():.0f} MB")
        report.seconds = time.perf_counter() - t_start
        report.rss_end_mb = _rss_mb()
        if not engine.store.integrity_ok():
            report.errors.append("the history database failed PRAGMA integrity_check")
        engine.store.close()
        engine.manager.unload_all()
        return report
    finally:
        if tmp is not None:
            tmp.cleanup()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.soak", description=__doc__.splitlines()[0])
    p.add_argument("--turns", type=int, default=500)
    p.add_argument("--max-new-tokens", type=int, default=12, help="reply length (short keeps it quick)")
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = p.parse_args(argv)
    report = run(args.turns, progress=lambda line: print(line, file=sys.stderr, flush=True),
                 max_new_tokens=args.max_new_tokens)
    print(report.text())
    if args.json:
        Path(args.json).write_text(json.dumps(report.as_dict(), indent=2) + "\n")
    return 1 if report.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
