"""The user's documents: parsing each format, chunking, the incremental index and its search with the
real MiniLM embedder, the one-line reasons for files that cannot be read, cancel, and
`sensorium chat --docs --json` with SmolLM2 citing file, page and passage."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from pipelines.cancel import CancelToken
from pipelines.knowledge import DocumentIndex, chunk, is_document, parse
from pipelines.paths import Profile
from tests.helpers.run import sensorium_here

DOCS = Path(__file__).resolve().parents[1] / "data" / "docs"
FILES = ("solar.md", "sourdough.txt", "volcanoes.html", "lighthouses.docx", "fish.pdf")


def _questions() -> list[dict[str, str]]:
    with (DOCS / "questions.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _flat(s: str) -> str:
    return " ".join(s.split())


class Counting:
    """The real embedder, counting the texts it was asked to embed."""

    def __init__(self, embedder):
        self.inner, self.texts = embedder, []

    def embed(self, texts):
        self.texts.extend(texts)
        return self.inner.embed(texts)


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in FILES:
        shutil.copy2(DOCS / name, folder / name)
    return folder


def test_each_format_parses_with_pages_titles_and_visible_text_only():
    pdf = parse(DOCS / "fish.pdf")
    assert pdf.kind == "pdf" and [p.number for p in pdf.pages] == [1, 2, 3, 4]
    assert "Sargasso Sea" in pdf.pages[3].text and "Sargasso" not in pdf.pages[0].text
    html = parse(DOCS / "volcanoes.html")
    assert html.title == "Volcanoes: a short guide" and "pyroclastic flow" in html.pages[0].text
    assert "zebra" not in html.pages[0].text and "document.write" not in html.pages[0].text
    assert "font-family" not in html.pages[0].text
    word = parse(DOCS / "lighthouses.docx")
    assert word.title == "Lighthouses and their keepers"
    assert "Bell Rock | Scotland | 1811" in word.pages[0].text  # tables too
    assert [h for _, h in word.pages[0].headings][:2] == ["Lighthouses and their keepers", "The Pharos of Alexandria"]
    md = parse(DOCS / "solar.md")
    chunks = chunk(md, 900)
    battery = next(c for c in chunks if "Lithium iron phosphate" in c.text)
    assert battery.title == "Batteries" and battery.page is None
    lines = (DOCS / "solar.md").read_text(encoding="utf-8").splitlines()
    assert battery.text.splitlines()[0] == lines[battery.line - 1]
    assert parse(DOCS / "sourdough.txt").title == "Sourdough bread, step by step"
    assert is_document(DOCS / "fish.pdf") and not is_document(DOCS / "make_docs.py")


def test_chunks_keep_to_the_size_on_sentence_ends_with_overlap(tmp_path):
    sentences = [f"Sentence number {i} says something about topic {i % 7} in plain words." for i in range(80)]
    f = tmp_path / "long.txt"
    f.write_text(" ".join(sentences), encoding="utf-8")
    doc = parse(f)
    chunks = chunk(doc, 300)
    assert len(chunks) > 10 and all(len(c.text) <= 300 for c in chunks)
    assert all(c.text.endswith(".") for c in chunks)  # cut at sentence ends
    assert all(doc.pages[0].text[c.start:c.end].strip() == c.text for c in chunks)
    assert any(chunks[i].start < chunks[i - 1].end for i in range(1, len(chunks)))  # they overlap
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    assert covered >= {i for i, ch in enumerate(doc.pages[0].text) if not ch.isspace()}


def test_retrieval_finds_each_labelled_answer_like_plain_sentence_transformers(tmp_path, corpus, text_embedder,
                                                                              passage_encoder, router_report):
    # the app's passage encoder (int8 CTranslate2 on this CPU) against the plain library in float32
    index = DocumentIndex(tmp_path / "docs.sqlite3", passage_encoder, model_key="minilm")
    result = index.add([corpus])
    assert (result.added, result.failed, result.cancelled) == (5, (), False) and result.pages == 8
    questions = _questions()
    assert len(questions) >= 30
    # the plain library on the same passages, for the same questions
    rows = index._conn().execute("SELECT d.path, c.page, c.text FROM chunks c JOIN documents d ON d.id = c.doc_id "
                                 "ORDER BY c.id").fetchall()
    model = text_embedder._model
    passages = model.encode([r[2] for r in rows], normalize_embeddings=True, convert_to_numpy=True)
    queries = model.encode([q["question"] for q in questions], normalize_embeddings=True, convert_to_numpy=True)
    ours = plain = 0
    for q, qv in zip(questions, queries, strict=True):
        page = int(q["page"]) if q["page"] else None

        def gold(file, pg, text, q=q, page=page):
            return Path(file).name == q["file"] and pg == page and q["phrase"] in _flat(text)

        found = index.search(q["question"], top_k=5)
        assert [p.number for p in found] == list(range(1, len(found) + 1))
        assert all(found[i].score >= found[i + 1].score for i in range(len(found) - 1))
        hit = any(gold(p.file, p.page, p.text) for p in found)
        assert hit, (q["question"], [(Path(p.file).name, p.page, p.text[:60]) for p in found])
        ours += hit
        top = np.argsort(-(passages @ qv))[:5]
        plain += any(gold(*rows[i]) for i in top)
    router_report.extend([f"documents recall@5: {ours}/{len(questions)} (plain sentence-transformers "
                          f"{plain}/{len(questions)})"])
    assert ours >= plain
    # a passage cites its place: page of a PDF, line of a text file
    eel = index.search("Where do European eels spawn?", top_k=1)[0]
    assert eel.page == 4 and eel.line is None and Path(eel.file).name == "fish.pdf"
    assert eel.as_citation()["file"] == eel.file and eel.as_citation()["page"] == 4
    assert index.search("Where do European eels spawn?", top_k=3, min_score=0.99) == []
    index.close()


def test_passage_encoder_is_the_model_in_int8_converted_once_beside_the_caches(tmp_path, minilm_dir, text_embedder,
                                                                               caplog):
    from pipelines.embed import PassageEncoder, TextEmbedder

    converted = tmp_path / "converted"
    model = TextEmbedder(minilm_dir, device="cpu", converted_dir=converted)
    before = model.footprint().host_bytes
    probe = ["Please call me Lin.", "Where do European eels spawn?"]
    own = model.embed(probe)
    import torch

    threads = torch.get_num_threads()
    encoder = model.passages()
    assert torch.get_num_threads() == threads  # CTranslate2 leaves torch's threads as they were
    # the model itself (the router's) is untouched by the conversion
    assert np.allclose(model.embed(probe), own, atol=1e-5)
    assert isinstance(encoder, PassageEncoder) and model.passages() is encoder
    made = [p for p in converted.iterdir()]
    assert len(made) == 1 and made[0].name.startswith("embed-ct2-int8-") and (made[0] / "model.bin").is_file()
    assert model.footprint().host_bytes == before + encoder.host_bytes > before
    # the same vectors as the plain library's float32 model, up to int8 rounding
    passages = [c.text for name in FILES for c in chunk(parse(DOCS / name))]
    questions = [q["question"] for q in _questions()]
    plain = text_embedder._model.encode(passages + questions, normalize_embeddings=True, convert_to_numpy=True)
    ours = encoder.embed(passages + questions)
    assert ours.shape == plain.shape and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-4)
    assert float(np.min(np.sum(ours * plain, axis=1))) > 0.98
    assert np.allclose(encoder.embed("Where do European eels spawn?"), encoder.embed(["Where do European eels spawn?"]))
    assert encoder.embed([]).shape == (0, model.dimension)
    # a second load finds the converted copy and does not convert again
    stamp = (made[0] / "model.bin").stat().st_mtime_ns
    again = TextEmbedder(minilm_dir, device="cpu", converted_dir=converted).passages()
    assert isinstance(again, PassageEncoder) and again.ct2_dir == made[0]
    assert (made[0] / "model.bin").stat().st_mtime_ns == stamp and len(list(converted.iterdir())) == 1
    # without a place to convert to, or with a pooling it does not reproduce, it is the model itself
    assert TextEmbedder(minilm_dir, device="cpu").passages().__class__ is TextEmbedder
    cls_pooled = tmp_path / "cls-pooled"
    shutil.copytree(minilm_dir, cls_pooled, ignore=shutil.ignore_patterns("*.safetensors"))
    (cls_pooled / "model.safetensors").symlink_to(minilm_dir / "model.safetensors")
    pooling = cls_pooled / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    config.update({k: False for k in config if k.startswith("pooling_mode")}, pooling_mode_cls_token=True)
    pooling.write_text(json.dumps(config))
    other = TextEmbedder(cls_pooled, device="cpu", converted_dir=converted)
    assert other.passages() is other and len(list(converted.iterdir())) == 1
    # a cache folder that cannot be written: a warning, and the model as loaded
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    fallback = TextEmbedder(minilm_dir, device="cpu", converted_dir=blocked)
    with caplog.at_level("WARNING", logger="pipelines.embed"):
        assert fallback.passages() is fallback
    assert "int8 passage encoder" in caplog.text


def test_reindexing_embeds_only_changed_chunks_and_removes_vanished_files(tmp_path, corpus, text_embedder):
    counting = Counting(text_embedder)
    index = DocumentIndex(tmp_path / "docs.sqlite3", counting, model_key="minilm")
    first = index.add([corpus])
    total = len(index)
    assert first.chunks_embedded == len(counting.texts) == total
    again = index.add([corpus])
    assert (again.unchanged, again.chunks_embedded) == (5, 0) and len(counting.texts) == total
    # edit one paragraph of one file: only its chunk is embedded again
    md = corpus / "solar.md"
    md.write_text(md.read_text(encoding="utf-8").replace("six thousand charge cycles", "seven thousand charge cycles"),
                  encoding="utf-8")
    counting.texts.clear()
    edited = index.add([corpus])
    assert (edited.updated, edited.unchanged) == (1, 4)
    assert edited.chunks_embedded == len(counting.texts) == 1 and "seven thousand" in counting.texts[0]
    assert edited.chunks_reused == len(chunk(parse(md))) - 1
    assert "seven thousand" in index.search("How many charge cycles does the battery survive?", top_k=1)[0].text
    # a file that vanished from the folder goes on the next add of the folder
    (corpus / "sourdough.txt").unlink()
    gone = index.add([corpus])
    assert gone.removed == 1 and len(index.documents()) == 4
    assert all(Path(p.file).name != "sourdough.txt" for p in index.search("sourdough starter", top_k=5))
    # removing a file, then the whole folder
    assert index.remove(corpus / "fish.pdf") == 1 and len(index.documents()) == 3
    assert index.remove(corpus) == 3 and len(index) == 0 and index.documents() == []
    assert index._conn().execute("SELECT COUNT(*) FROM vectors").fetchone()[0] == 0
    # another embedding model re-embeds (its vectors are its own)
    index.add([corpus / "solar.md"])
    other = DocumentIndex(tmp_path / "docs.sqlite3", counting, model_key="another-model")
    counting.texts.clear()
    redo = other.add([corpus / "solar.md"])
    assert redo.chunks_embedded == len(counting.texts) == len(chunk(parse(md))) and redo.updated == 1
    other.close()
    index.close()


def test_unreadable_files_get_a_one_line_reason_and_the_rest_is_indexed(tmp_path, corpus, text_embedder):
    from pypdf import PdfWriter

    bad = {}
    (corpus / "empty.md").write_bytes(b"")
    bad["empty.md"] = "documents.empty"
    (corpus / "broken.docx").write_bytes(b"this is not a zip file at all")
    bad["broken.docx"] = "documents.docx_corrupt"
    (corpus / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    bad["latin1.txt"] = "documents.not_utf8"
    w = PdfWriter()
    w.add_blank_page(612, 792)
    with (corpus / "scanned.pdf").open("wb") as f:
        w.write(f)
    bad["scanned.pdf"] = "documents.pdf_scanned"
    w = PdfWriter(clone_from=str(DOCS / "fish.pdf"))
    w.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with (corpus / "locked.pdf").open("wb") as f:
        w.write(f)
    bad["locked.pdf"] = "documents.pdf_encrypted"
    (corpus / "junk.pdf").write_bytes(b"%PDF-1.4\n garbage without objects")
    bad["junk.pdf"] = "documents.pdf_corrupt"
    index = DocumentIndex(tmp_path / "docs.sqlite3", text_embedder, model_key="minilm")
    result = index.add([corpus, tmp_path / "nowhere.md", DOCS / "make_docs.py"])
    assert result.added == 5
    reasons = {Path(f).name: t for f, t in result.failed}
    assert {k: reasons[k].code for k in bad} == bad
    assert reasons["nowhere.md"].code == "documents.missing"
    assert reasons["make_docs.py"].code == "documents.unsupported"
    assert all("\n" not in str(t) and ":" in str(t) for t in reasons.values())
    listed = {Path(d.path).name: d for d in index.documents()}
    assert listed["locked.pdf"].error.code == "documents.pdf_encrypted" and listed["locked.pdf"].chunks == 0
    assert listed["fish.pdf"].error is None and listed["fish.pdf"].pages == 4
    index.close()


def test_cancel_mid_way_keeps_a_consistent_index(tmp_path, corpus, text_embedder):
    token = CancelToken()
    seen = []

    def progress(p):
        seen.append(p)
        if p.done == 2:
            token.cancel()

    index = DocumentIndex(tmp_path / "docs.sqlite3", text_embedder, model_key="minilm")
    result = index.add([corpus], progress=progress, cancel=token)
    assert result.cancelled and result.added == 2
    assert seen[0].done == 0 and seen[0].total == 5 and seen[-1].done == 2 and seen[-1].chunks > 0
    docs = index.documents()
    assert len(docs) == 2 and sum(d.chunks for d in docs) == len(index)
    assert index.search("brown trout", top_k=3)  # what was done is searchable
    rest = index.add([corpus])
    assert (rest.added, rest.unchanged, rest.cancelled) == (3, 2, False) and len(index.documents()) == 5
    index.close()



def test_quoted_answers_hold_the_labelled_answer_like_plain_sentence_transformers(tmp_path, corpus, text_embedder,
                                                                                 passage_encoder, router_report):
    """documents.answer quote: the passages' sentence closest to the question and its closer neighbour,
    through the app's passage encoder, against the same choice made with the plain library in float32."""
    from pipelines.knowledge.answer import quote, sentences

    assert sentences("## Cleaning and care\n\nRain washes most dust away. Panels need cleaning only rarely; "
                     "never use a pressure washer.\n\nFamous lighthouses\n\n火山是地壳的开口。岩浆从这里喷出来。") == [
        "Rain washes most dust away.", "Panels need cleaning only rarely; never use a pressure washer.",
        "火山是地壳的开口。", "岩浆从这里喷出来。"]
    index = DocumentIndex(tmp_path / "docs.sqlite3", passage_encoder, model_key="minilm")
    index.add([corpus])
    model = text_embedder._model

    def plain(texts):
        return model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)

    ours = base = asked = 0
    for q in _questions():
        question = passage_encoder.embed([q["question"]])[0]
        found = index.search_vector(question, top_k=4, min_score=0.25)
        if not found:
            continue
        asked += 1
        said = quote(question, found, passage_encoder.embed)
        assert said.startswith("\u201c") and said.endswith(("[1]", "[2]", "[3]", "[4]"))
        number = int(said.rsplit("[", 1)[1].rstrip("]"))
        cited = " ".join(found[number - 1].text.split())
        assert said[1:said.rindex("\u201d")].split(" ", 1)[0] in cited  # quoted from the passage it cites
        ours += q["phrase"] in said
        base += q["phrase"] in quote(plain([q["question"]])[0], found, plain)
    router_report.extend([f"documents quoted answers holding the labelled phrase: {ours}/{asked} (plain "
                          f"sentence-transformers {base}/{asked})"])
    assert asked >= 28 and ours >= base - 1
    said = quote(passage_encoder.embed(["Can I clean my solar panels with a pressure washer?"])[0],
                 index.search("Can I clean my solar panels with a pressure washer?", top_k=4), passage_encoder.embed)
    assert "never a pressure washer" in said
    index.close()

@pytest.mark.weights
def test_chat_docs_json_cites_file_page_and_passage(tmp_path, corpus):
    profile = tmp_path / "profile"
    # nothing indexed yet: one line says so, and it is answered as a plain chat
    r = sensorium_here("chat", "Where do eels spawn?", "--docs", "--json", "--temperature", "0", "--max-tokens", "8",
                       profile=profile)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["citations"] == [] and "sensorium docs add" in r.stderr
    (corpus / "empty.txt").write_bytes(b"")
    r = sensorium_here("docs", "add", str(corpus), "--json", profile=profile)
    assert r.returncode == 0, r.stderr
    added = json.loads(r.stdout)
    assert added["added"] == 5 and [f["error"]["code"] for f in added["failed"]] == ["documents.empty"]
    listed = json.loads(sensorium_here("docs", "list", "--json", profile=profile).stdout)
    assert len(listed["documents"]) == 6 and sum(d["error"] is not None for d in listed["documents"]) == 1
    # SmolLM2-135M (documents.answer auto: its catalog entry says quote): the sentences that answer, cited
    r = sensorium_here("chat", "Where do European eels swim to spawn?", "--docs", "--json", "--temperature", "0",
                       "--max-tokens", "40", profile=profile)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["conversation"] and "too small to write answers" in r.stderr
    first = out["citations"][0]
    assert Path(first["file"]).name == "fish.pdf" and first["page"] == 4 and "Sargasso" in first["text"]
    assert first["number"] == 1
    assert out["reply"].startswith("\u201c") and "Sargasso Sea" in out["reply"] and out["reply"].endswith("[1]")
    stored = json.loads(sensorium_here("history", "show", str(out["conversation"]), "--json", profile=profile).stdout)
    reply = stored["messages"][-1]
    assert reply["intent"] == "ask_documents" and reply["meta"]["citations"] == out["citations"]
    assert reply["meta"]["answer"] == "quote" and reply["text"] == out["reply"]
    # documents.answer write: the model writes the reply from the same passages
    settings = Profile.at(profile).settings_file
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('[documents]\nanswer = "write"\n', encoding="utf-8")
    r = sensorium_here("chat", "Where do European eels swim to spawn?", "--docs", "--json", "--temperature", "0",
                       "--max-tokens", "24", profile=profile)
    assert r.returncode == 0, r.stderr
    wrote = json.loads(r.stdout)
    assert wrote["reply"].strip() and wrote["reply"] != out["reply"] and wrote["citations"] == out["citations"]
    assert "too small" not in r.stderr
    stored = json.loads(sensorium_here("history", "show", str(wrote["conversation"]), "--json", profile=profile).stdout)
    assert stored["messages"][-1]["meta"]["answer"] == "write" and "chat" in stored["messages"][-1]["models"]
    r = sensorium_here("docs", "remove", str(corpus / "fish.pdf"), "--json", profile=profile)
    assert r.returncode == 0 and json.loads(r.stdout) == {"removed": 1}
    r = sensorium_here("docs", "remove", str(corpus / "fish.pdf"), profile=profile)
    assert r.returncode == 1 and r.stderr.startswith("error: ")
    # every file failing: a nonzero exit, each failure on a line of its own
    r = sensorium_here("docs", "add", str(corpus / "empty.txt"), profile=profile)
    assert r.returncode == 1 and r.stderr.count("failed: ") == 1 and "empty.txt is empty" in r.stderr


def test_docs_list_and_remove_import_no_model_library(tmp_path):
    import subprocess
    import sys

    code = ("import sys, json; from desktop.launcher import main; rc = main(['--profile-dir', sys.argv[1], 'docs', "
            "sys.argv[2], *sys.argv[3:]]); print('LOADED', json.dumps(sorted({m.split('.')[0] for m in sys.modules} "
            "& {'torch', 'sentence_transformers', 'transformers', 'pypdf', 'docx', 'PySide6'})))")
    repo = Path(__file__).resolve().parents[2]
    for args in (["list", "--json"], ["remove", str(tmp_path / "x.md")]):
        r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "p"), *args], capture_output=True, text=True,
                           cwd=repo, timeout=120)
        assert r.stdout.rsplit("LOADED ", 1)[1].strip() == "[]", r.stdout + r.stderr
