"""Personal memory (issue 18, part 2): proposals from what the user states, the store, and the real
engine (SmolLM2, MiniLM) putting accepted memories into the prompt."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.events import Done, MemoriesUsed, MemoryItem, MemoryProposed, Routed, Started, Token, Turn
from pipelines.history import HistoryStore
from pipelines.knowledge.memory import as_prompt, preferred_language, propose, relevant
from pipelines.settings import Settings
from pipelines.voice import reply_language_instruction
from tests.helpers.engine import ListeningEngine

DATA = Path(__file__).resolve().parents[1] / "data" / "memory_statements.tsv"


def labelled() -> list[tuple[str, str]]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, kind = line.split("\t")
            rows.append((text, kind))
    return rows


def test_the_labelled_statements_are_proposed_with_the_right_kind_and_nothing_else(capsys):
    rows = labelled()
    positives = [(t, k) for t, k in rows if k]
    assert len(rows) >= 60 and 25 <= len(positives) <= len(rows) - 25
    tp = sum(1 for t, k in positives if [p.kind for p in propose(t)] == [k])
    fp = sum(1 for t, k in rows if not k and propose(t))
    wrong = [(t, k, propose(t)) for t, k in rows if (k and [p.kind for p in propose(t)] != [k]) or (not k and propose(t))]
    precision = tp / max(1, tp + fp)
    recall = tp / len(positives)
    with capsys.disabled():
        print(f"\nmemory proposals: precision {precision:.2f}, recall {recall:.2f} on {len(rows)} statements")
    assert wrong == []


def test_proposals_are_clean_lines_and_keep_the_value_that_matters():
    assert propose("Please call me Lin.") == (MemoryItem("Call me Lin.", "name", value="Lin"),)
    assert propose("Please answer in Chinese from now on.") == (MemoryItem("Answer in Chinese.", "language", value="zh"),)
    assert propose("请用英文回答我") == (MemoryItem("用英文回答。", "language", value="en"),)
    assert propose("I'm vegetarian") == (MemoryItem("Vegetarian.", "diet", value="vegetarian"),)
    assert [p.text for p in propose("Hi! My name is Lin. I live in Berlin.")] == ["Call me Lin.", "Lives in Berlin."]
    assert preferred_language([MemoryItem("Answer in Chinese.", "language", 1, "zh"),
                               MemoryItem("Answer in English.", "language", 2, "en")]) == "en"
    assert as_prompt([MemoryItem("Call me Lin.", "name", 1, "Lin")]) == (
        "What you know about the user (they asked you to remember): Call me Lin.")


def test_the_store_keeps_edits_and_forgets_memories(tmp_path):
    with HistoryStore(tmp_path / "h.sqlite3", tmp_path / "att") as store:
        cid = store.create_conversation("t")
        mid = store.add_message(cid, "user", "call me Lin")
        lin = store.add_memory("Call me Lin.", "name", "Lin", source_message_id=mid)
        veg = store.add_memory("Vegetarian.", "diet", "vegetarian")
        assert store.memories() == [lin, veg] and lin.id is not None
        assert store.update_memory(veg.id, "  Vegan. ") == MemoryItem("Vegan.", "diet", veg.id, "vegetarian")
        assert store.delete_memory(veg.id) and not store.delete_memory(veg.id)
        store.delete_message(mid)  # the memory outlives the message it was stated in
        assert store.memories() == [lin]
        store.delete_all()
        assert store.memories() == [] and store.clear_memories() == 0


@pytest.fixture
def engine(warm_profile):
    s = Settings()
    s.chat.temperature = 0.0
    s.chat.max_new_tokens = 6
    e = ListeningEngine(s, warm_profile, store=HistoryStore(warm_profile.history_db, warm_profile.attachments_dir))
    e.seen = []
    yield e
    e.manager.unload_all()
    e.store.close()


def system_of(e: ListeningEngine) -> str:
    assert e.seen[-1][0].role == "system"
    return e.seen[-1][0].content


def test_a_stated_preference_becomes_a_memory_and_changes_a_later_answer(engine):
    e = engine
    events = list(e.respond(Turn(text="Please answer in Chinese from now on.", intent="chat")))
    kinds = [type(x) for x in events]
    assert kinds[:2] == [Started, Routed] and kinds[2] is MemoryProposed, kinds
    proposed = events[2]
    assert proposed.proposals == (MemoryItem("Answer in Chinese.", "language", value="zh"),)
    assert proposed.message_id is not None and proposed.message_id == events[0].user_message_id
    assert e.memories() == []  # proposed, not stored
    kept = e.accept_memory(proposed.proposals[0], proposed.message_id)
    # the same statement again proposes nothing: it is remembered already
    again = list(e.respond(Turn(text="Please answer in Chinese from now on.", intent="chat")))
    assert not any(isinstance(x, MemoryProposed) for x in again)

    events = list(e.respond(Turn(text="What is the capital of France?", intent="chat")))
    done = events[-1]
    assert isinstance(done, Done) and done.language == "zh"
    used = next(x for x in events if isinstance(x, MemoriesUsed))
    assert used.memories == (kept,)
    assert events.index(used) < next(i for i, x in enumerate(events) if isinstance(x, Token))
    assert system_of(e) == (e.settings.chat.system_prompt + reply_language_instruction("zh") + " "
                            + as_prompt([kept]))
    assert e.store.get_message(done.message_id).meta["memories_used"] == [kept.id]

    # a name is in every prompt, and the turn lists it
    lin = e.accept_memory(propose("call me Lin")[0])
    events = list(e.respond(Turn(text="Good morning!", intent="chat")))
    assert next(x for x in events if isinstance(x, MemoriesUsed)).memories == (lin, kept)
    assert "Call me Lin." in system_of(e) and reply_language_instruction("zh") in system_of(e)

    # memory paused: no proposals, no memories used, detection decides the language again
    e.settings.memory.enabled = False
    events = list(e.respond(Turn(text="My name is Sam. What is two plus two?", intent="chat")))
    assert not any(isinstance(x, (MemoryProposed, MemoriesUsed)) for x in events)
    assert events[-1].language == "" and system_of(e) == e.settings.chat.system_prompt
    e.settings.memory.enabled = True
    e.update_memory(lin.id, "Call me Lin Wei.")
    assert [m.text for m in e.memories()] == ["Answer in Chinese.", "Call me Lin Wei."]
    assert e.delete_memory(kept.id) and [m.id for m in e.memories()] == [lin.id]


def test_a_relevant_memory_is_used_and_an_unrelated_one_is_not(engine):
    e = engine
    from pipelines.engine import _LeasedEmbedder

    berlin = MemoryItem("Lives in Berlin.", "fact", 1, "Berlin")
    peanuts = MemoryItem("Allergic to peanuts.", "fact", 2, "peanuts")
    embedder = _LeasedEmbedder(e.manager)
    assert relevant([berlin, peanuts], "Is there a snack with peanuts I could try?", embedder, 6) == (peanuts,)
    assert relevant([berlin, peanuts], "What should I visit in Berlin this weekend?", embedder, 6) == (berlin,)
    assert relevant([berlin, peanuts], "What should I visit in Berlin this weekend?", embedder, 0) == ()


def test_a_temporary_turn_stores_nothing_and_proposes_nothing(engine):
    e = engine
    before = len(e.store.list_conversations(include_deleted=True))
    e.accept_memory(MemoryItem("Call me Lin.", "name", value="Lin"))
    events = list(e.respond(Turn(text="I'm vegetarian. What should I cook tonight?", intent="chat", temporary=True)))
    done = events[-1]
    assert isinstance(done, Done) and done.text and done.conversation_id is None and done.message_id is None
    assert not any(isinstance(x, (MemoryProposed, MemoriesUsed)) for x in events)
    assert len(e.store.list_conversations(include_deleted=True)) == before
    assert [m.role for m in e.seen[-1]] == ["system", "user"]  # only the turn itself
    assert "Call me Lin." not in system_of(e)


def test_delete_all_data_removes_memories_the_document_index_and_adapters(engine):
    e = engine
    e.accept_memory(MemoryItem("Vegan.", "diet", value="vegan"))
    e.store.add_message(e.store.create_conversation("t"), "user", "hello")
    db = e.profile.documents_db
    db.parent.mkdir(parents=True, exist_ok=True)
    for p in (db, db.with_name(db.name + "-wal")):
        p.write_bytes(b"x")
    (e.profile.adapters_dir / "smollm2" / "a1").mkdir(parents=True)
    (e.profile.adapters_dir / "smollm2" / "a1" / "adapter.safetensors").write_bytes(b"x")
    e.delete_all_data()
    assert e.memories() == [] and e.store.list_conversations(include_deleted=True) == []
    assert not db.exists() and not db.with_name(db.name + "-wal").exists() and not e.profile.adapters_dir.exists()


def test_the_memory_command_adds_lists_and_removes_without_importing_torch(tmp_path):
    code = ("import sys; from pipelines.cli import main; rc = main(sys.argv[1:]); "
            "assert 'torch' not in sys.modules, 'torch was imported'; sys.exit(rc)")

    def sensorium(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", code, "--profile-dir", str(tmp_path), *args],
                              capture_output=True, text=True, timeout=60)

    added = sensorium("memory", "add", "call me Lin", "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout) == {"id": 1, "text": "Call me Lin.", "kind": "name", "value": "Lin"}
    assert json.loads(sensorium("memory", "add", "Berlin is home", "--json").stdout)["kind"] == "fact"
    listed = json.loads(sensorium("memory", "list", "--json").stdout)["memories"]
    assert [m["text"] for m in listed] == ["Call me Lin.", "Berlin is home"]
    assert json.loads(sensorium("memory", "remove", "2", "--json").stdout) == {"removed": True, "id": 2}
    gone = sensorium("memory", "remove", "2")
    assert gone.returncode == 1 and "there is no memory 2" in gone.stderr
