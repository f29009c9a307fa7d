"""History store: every API path on a real SQLite file, search, exports, crash recovery, threads."""
from __future__ import annotations

import json
import sqlite3
import threading

import pytest

from pipelines.errors import BadInput, SensoriumError
from pipelines.events import Sentiment
from pipelines.history import ConversationInfo, HistoryStore, Message, SearchHit


class Clock:
    def __init__(self, t: float = 1_700_000_000.0):
        self.t = t

    def __call__(self) -> float:
        self.t += 1.0
        return self.t


@pytest.fixture
def store(profile):
    s = HistoryStore(profile.history_db, profile.attachments_dir, clock=Clock())
    yield s
    s.close()


@pytest.fixture
def photo(tmp_path):
    p = tmp_path / "in" / "beach photo.png"
    p.parent.mkdir()
    p.write_bytes(b"\x89PNG fake image bytes")
    return p


# ------------------------------------------------------------------ the file
def test_database_file_settings(store, profile):
    assert profile.history_db.name == "history.sqlite3" and profile.history_db.exists()
    conn = sqlite3.connect(profile.history_db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    c = store._conn()
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.integrity_ok()


# ------------------------------------------------------------------ conversations
def test_conversation_lifecycle(store):
    a = store.create_conversation("first")
    b = store.create_conversation()
    store.add_message(b, "user", "hello there, how are you?")
    convs = store.list_conversations()
    assert [c.id for c in convs] == [b, a]  # newest (most recently updated) first
    assert all(isinstance(c, ConversationInfo) for c in convs)
    assert convs[0].title == "hello there, how are you?"  # an untitled conversation takes the first user line
    assert convs[0].message_count == 1 and convs[1].message_count == 0
    assert convs[0].updated >= convs[0].created

    store.rename_conversation(a, "renamed")
    assert store.get_conversation(a).title == "renamed"

    store.delete_conversation(a)
    assert [c.id for c in store.list_conversations()] == [b]
    deleted = [c for c in store.list_conversations(include_deleted=True) if c.id == a][0]
    assert deleted.deleted_at is not None
    with pytest.raises(BadInput, match="deleted"):
        store.add_message(a, "user", "hi")
    store.restore_conversation(a)
    assert {c.id for c in store.list_conversations()} == {a, b}

    store.delete_conversation(a)
    assert store.purge_deleted() == 1
    assert store.get_conversation(a) is None
    assert [c.id for c in store.list_conversations(include_deleted=True)] == [b]
    with pytest.raises(BadInput, match="does not exist"):
        store.rename_conversation(a, "x")


def test_long_first_message_title_is_shortened(store):
    cid = store.create_conversation()
    store.add_message(cid, "user", "word " * 50)
    title = store.get_conversation(cid).title
    assert len(title) <= 60 and title.endswith("\u2026")


# ------------------------------------------------------------------ messages
def test_add_message_with_every_field(store, photo, profile):
    cid = store.create_conversation("t")
    uid = store.add_message(cid, "user", "what is in this picture?", attachments=[photo, photo],
                            sentiment=Sentiment(0.2, "positive", "vader"))
    mid = store.add_message(
        cid, "assistant", "A beach at sunset.", intent="describe_image", intent_reason="an image is attached",
        intent_confidence=0.9, timings={"vision": 0.12, "llm": 1.5}, models={"vision": "clip-vit-b-32"},
        meta={"evidence": [{"label": "beach", "score": 0.8}], "seed": 42})
    user, reply = store.messages(cid)
    assert isinstance(user, Message) and user.id == uid and user.role == "user" and user.status == "complete"
    assert user.sentiment == Sentiment(0.2, "positive", "vader")
    assert len(user.attachments) == 2 and len(set(user.attachments)) == 2  # unique names for the same file
    for p in user.attachments:
        assert p.startswith(str(profile.attachments_dir.resolve() / str(cid)))
        assert open(p, "rb").read() == photo.read_bytes()
    assert reply.id == mid and reply.intent == "describe_image" and reply.intent_confidence == 0.9
    assert reply.intent_reason == "an image is attached"
    assert reply.timings == {"vision": 0.12, "llm": 1.5} and reply.models == {"vision": "clip-vit-b-32"}
    assert reply.meta["evidence"][0]["label"] == "beach" and reply.meta["seed"] == 42
    assert reply.sentiment is None and reply.rating == 0 and reply.rating_comment == "" and reply.attachments == []
    assert store.get_message(mid) == reply
    assert store.get_message(10_000) is None


def test_bad_messages_are_refused_and_leave_nothing(store, tmp_path, profile):
    cid = store.create_conversation()
    with pytest.raises(BadInput, match="does not exist"):
        store.add_message(cid, "user", "hi", attachments=[tmp_path / "missing.png"])
    with pytest.raises(BadInput, match="role"):
        store.add_message(cid, "robot", "hi")
    with pytest.raises(BadInput, match="status"):
        store.add_message(cid, "user", "hi", status="weird")
    with pytest.raises(BadInput, match="does not exist"):
        store.add_message(999, "user", "hi")
    with pytest.raises(BadInput, match="JSON"):
        store.add_message(cid, "user", "hi", meta={1j: 2})
    assert store.messages(cid) == []
    assert not any((profile.attachments_dir / str(cid)).glob("*"))


def test_streaming_message(store):
    cid = store.create_conversation()
    store.add_message(cid, "user", "tell me a story")
    mid = store.begin_message(cid, intent="chat", intent_reason="no picture words", intent_confidence=0.7)
    m = store.get_message(mid)
    assert m.status == "streaming" and m.text == "" and m.role == "assistant" and m.intent == "chat"
    store.update_message(mid, "Once upon")
    assert store.get_message(mid).text == "Once upon"
    assert store.search("upon") == []  # indexed when finished
    store.finish_message(mid, "Once upon a time.", timings={"llm": 0.5}, models={"chat": "smollm2"})
    m = store.get_message(mid)
    assert m.status == "complete" and m.text == "Once upon a time." and m.timings == {"llm": 0.5}
    assert [h.message_id for h in store.search("upon")] == [mid]
    store.update_message(mid, "changed after the end")  # ignored: only streaming messages grow
    assert store.get_message(mid).text == "Once upon a time."

    mid2 = store.begin_message(cid)
    store.update_message(mid2, "partial answ")
    store.finish_message(mid2, "partial answ", status="cancelled")
    assert store.get_message(mid2).status == "cancelled"
    mid3 = store.begin_message(cid)
    store.finish_message(mid3, "", status="failed", meta={"error": "out of memory"})
    assert store.get_message(mid3).meta == {"error": "out of memory"}
    with pytest.raises(BadInput):
        store.finish_message(mid3, "x", status="streaming")
    with pytest.raises(BadInput):
        store.finish_message(12345, "x")


def test_streaming_message_becomes_interrupted_on_reopen(profile):
    store = HistoryStore(profile.history_db, profile.attachments_dir)
    cid = store.create_conversation()
    mid = store.begin_message(cid)
    store.update_message(mid, "The answer is forty")
    # the app dies here: no finish_message; a new process opens the same file
    other = HistoryStore(profile.history_db, profile.attachments_dir)
    m = other.get_message(mid)
    assert m.status == "interrupted" and m.text == "The answer is forty"
    assert [h.message_id for h in other.search("forty")] == [mid]
    other.close()
    store.close()


def test_delete_message_for_regenerate(store, photo):
    cid = store.create_conversation()
    store.add_message(cid, "user", "draw a cat")
    mid = store.add_message(cid, "assistant", "here is a cat", attachments=[photo])
    path = store.get_message(mid).attachments[0]
    store.delete_message(mid)
    assert store.get_message(mid) is None and [m.role for m in store.messages(cid)] == ["user"]
    assert not __import__("os").path.exists(path)
    assert store.search("cat")[0].role == "user"


def test_rating(store):
    cid = store.create_conversation()
    mid = store.add_message(cid, "assistant", "Paris is the capital of France.")
    store.rate(mid, 1, "short and right")
    m = store.get_message(mid)
    assert m.rating == 1 and m.rating_comment == "short and right"
    store.rate(mid, -1)
    assert store.get_message(mid).rating == -1
    store.rate(mid, 0)
    assert store.get_message(mid).rating == 0
    for bad in (2, -5, True):
        with pytest.raises(BadInput):
            store.rate(mid, bad)
    with pytest.raises(BadInput):
        store.rate(999, 1)


# ------------------------------------------------------------------ search
@pytest.fixture
def filled(store):
    a = store.create_conversation("Trip planning")
    store.add_message(a, "user", "What should I pack for a beach holiday in Portugal?")
    store.add_message(a, "assistant", "Sunscreen, swimwear and a light jacket for the evenings.")
    b = store.create_conversation("中文对话")
    store.add_message(b, "user", "我想去北京旅游，有什么推荐的景点吗？")
    store.add_message(b, "assistant", "推荐故宫、长城和颐和园。")
    c = store.create_conversation("Photos")
    store.add_message(c, "user", "find photos of the sea in ~/Pictures")
    return store, a, b, c


def test_search_english(filled):
    store, a, b, c = filled
    hits = store.search("beach")
    assert [h.conversation_id for h in hits] == [a] and isinstance(hits[0], SearchHit)
    assert hits[0].conversation_title == "Trip planning" and hits[0].role == "user"
    assert "beach" in hits[0].snippet
    assert store.search("SUNSCREEN")[0].role == "assistant"  # case-insensitive
    assert store.search("sun")[0].role == "assistant"  # prefix
    assert store.search("beach portugal")[0].conversation_id == a  # all terms
    assert store.search("beach nonexistentword") == []
    assert store.search("Portugál")  # diacritics folded


def test_search_chinese(filled):
    store, a, b, c = filled
    assert [h.role for h in store.search("故宫")] == ["assistant"]  # two characters: substring scan
    assert [h.role for h in store.search("颐和园")] == ["assistant"]  # three or more: trigram index
    assert [h.role for h in store.search("北京旅游")] == ["user"]
    assert store.search("北京 景点")[0].conversation_id == b
    assert store.search("上海") == []
    assert "长城" in store.search("长城")[0].snippet


@pytest.mark.parametrize("query", ['"', '""', "AND OR", "OR", "NOT", "*", "a*b", "'; DROP TABLE messages; --", "(", ")",
                                   "beach)", "NEAR(beach sea)", "col:beach", "^", "-", "%", "_", "\\", "   ", "",
                                   "🙂", "故宫\"", "text:故宫", "a" * 2000])
def test_hostile_queries_never_fail(filled, query):
    store = filled[0]
    hits = store.search(query)
    assert isinstance(hits, list)
    assert store.integrity_ok() and len(store.list_conversations()) == 3


def test_search_treats_syntax_as_text(filled):
    store, a, *_ = filled
    assert store.search('"beach"')  # quotes are not syntax
    assert store.search("swimwear AND") and not store.search("beach AND")  # operators are plain words to match
    assert store.search("%") == [] and store.search("_") == []  # LIKE wildcards are escaped


def test_search_skips_deleted_conversations_and_respects_limit(filled):
    store, a, b, c = filled
    store.delete_conversation(a)
    assert store.search("beach") == []
    store.restore_conversation(a)
    assert store.search("beach")
    for i in range(30):
        store.add_message(c, "user", f"another beach note {i}")
    assert len(store.search("beach", limit=10)) == 10


# ------------------------------------------------------------------ exports
def test_export_markdown_and_json(store, photo):
    cid = store.create_conversation("Holiday")
    store.add_message(cid, "user", "Describe this", attachments=[photo])
    mid = store.add_message(cid, "assistant", "A sunny **beach**.", intent="describe_image",
                            sentiment=None, meta={"evidence": [["beach", 0.8]]})
    store.rate(mid, 1, "nice")
    md = store.export_markdown(cid)
    assert md.startswith("# Holiday\n")
    assert "## You" in md and "## Sensorium" in md and "describe image" in md
    assert "A sunny **beach**." in md and "![" in md and "file://" in md and "> Rating comment: nice" in md
    data = store.export_json(cid)
    assert data["format"] == "sensorium-conversation" and data["conversation"]["title"] == "Holiday"
    assert [m["role"] for m in data["messages"]] == ["user", "assistant"]
    assert data["messages"][1]["rating"] == 1 and data["messages"][1]["meta"] == {"evidence": [["beach", 0.8]]}
    assert json.loads(json.dumps(data)) == data
    with pytest.raises(BadInput):
        store.export_json(999)


def test_export_preferences_jsonl(store, tmp_path):
    cid = store.create_conversation()
    store.add_message(cid, "user", "capital of France?")
    good = store.add_message(cid, "assistant", "Paris.")
    bad = store.add_message(cid, "assistant", "Lyon, I think.")  # a regenerated reply kept for comparison
    store.rate(good, 1)
    store.rate(bad, -1)
    store.add_message(cid, "user", "and of Italy?")
    one = store.add_message(cid, "assistant", "Rome.")
    store.rate(one, 1)
    store.add_message(cid, "user", "and of Spain?")
    two = store.add_message(cid, "assistant", "Barcelona.")
    store.rate(two, -1, "wrong")
    store.add_message(cid, "assistant", "unrated")
    out = tmp_path / "prefs" / "prefs.jsonl"
    assert store.export_preferences_jsonl(out) == 3
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {"prompt": "capital of France?", "chosen": "Paris.", "rejected": "Lyon, I think."} in lines
    assert {"prompt": "and of Italy?", "completion": "Rome.", "label": True} in lines
    assert {"prompt": "and of Spain?", "completion": "Barcelona.", "label": False} in lines


# ------------------------------------------------------------------ deleting everything, closing
def test_delete_all(store, photo, profile):
    cid = store.create_conversation("secret")
    store.add_message(cid, "user", "my secret plans", attachments=[photo])
    store.delete_all()
    assert store.list_conversations(include_deleted=True) == []
    assert store.search("secret") == []
    assert list(profile.attachments_dir.iterdir()) == []
    assert store.integrity_ok()
    assert b"secret plans" not in profile.history_db.read_bytes()
    new = store.create_conversation()
    store.add_message(new, "user", "fresh start")
    assert store.search("fresh")


def test_closed_store_says_so(profile):
    s = HistoryStore(profile.history_db, profile.attachments_dir)
    s.close()
    s.close()
    with pytest.raises(SensoriumError, match="closed"):
        s.list_conversations()


def test_integrity_ok_detects_a_broken_file(tmp_path):
    db = tmp_path / "history.sqlite3"
    s = HistoryStore(db, tmp_path / "att")
    cid = s.create_conversation()
    for i in range(200):
        s.add_message(cid, "user", f"message number {i} " * 20)
    s.close()
    raw = bytearray(db.read_bytes())
    for i in range(8192, len(raw) - 4096, 3):
        raw[i] = 0x55
    db.write_bytes(bytes(raw))
    try:
        s2 = HistoryStore(db, tmp_path / "att")
    except SensoriumError:
        return  # refusing to open a broken file is fine too
    assert not s2.integrity_ok()
    s2.close()


# ------------------------------------------------------------------ threads
def test_writer_and_reader_threads(store):
    cid = store.create_conversation("busy")
    errors: list[BaseException] = []
    done = threading.Event()
    reads = [0]

    def writer():
        try:
            for i in range(40):
                store.add_message(cid, "user", f"question {i} about zebras")
                mid = store.begin_message(cid)
                for j in range(5):
                    store.update_message(mid, f"answer {i} part {j}")
                store.finish_message(mid, f"answer {i} complete zebra facts")
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            done.set()

    def reader():
        try:
            while not done.is_set():
                msgs = store.messages(cid)
                assert all(m.conversation_id == cid for m in msgs)
                store.search("zebra")
                store.list_conversations()
                reads[0] += 1
        except BaseException as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=writer), threading.Thread(target=reader), threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert reads[0] > 0
    msgs = store.messages(cid)
    assert len(msgs) == 80 and all(m.status == "complete" for m in msgs)
    assert len(store.search("zebra", limit=500)) == 80
    assert store.integrity_ok()
