"""History store: every API path on a real SQLite file, search, exports, crash recovery, threads."""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from pipelines.errors import BadInput, NewerFileFormat, SensoriumError
from pipelines.events import Sentiment
from pipelines.history import (
    MIGRATIONS,
    SCHEMA_VERSION,
    ConversationInfo,
    HistoryStore,
    Message,
    Migration,
    SearchHit,
)
from pipelines.paths import Profile
from tests.helpers.run import sensorium


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


# ------------------------------------------------------------------ schema upgrades
# Written by the schema-1 code of commit 098bb1b (tests/data/make_history_v1.py says what is in it).
V1_FILE = Path(__file__).resolve().parents[1] / "data" / "history-v1.sqlite3"
V1_TABLES = ("conversations", "messages", "attachments")


def read_rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of the schema-1 tables, schema-1 columns only, read with plain sqlite3."""
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table in V1_TABLES:
            cols = [c for c in (r[1] for r in conn.execute(f"PRAGMA table_info({table})")) if c != "parent_id"]
            out[table] = conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id").fetchall()
        return out
    finally:
        conn.close()


def pragma(db: Path, name: str):
    """The first value a PRAGMA returns, or None when it returns no row."""
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(f"PRAGMA {name}").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def schema_of(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    finally:
        conn.close()


def backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.bak"))


@pytest.fixture
def v1_db(tmp_path) -> Path:
    db = tmp_path / "data" / "history.sqlite3"
    db.parent.mkdir()
    shutil.copyfile(V1_FILE, db)
    return db


def test_the_schema_1_file_is_what_it_claims():
    assert V1_FILE.stat().st_size < 200_000 and not Path(f"{V1_FILE}-wal").exists()
    uri = V1_FILE.resolve().as_uri() + "?immutable=1"  # never write to the committed file
    conn = sqlite3.connect(uri, uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "parent_id" not in [r[1] for r in conn.execute("PRAGMA table_info(messages)")]
    statuses = {r[0] for r in conn.execute("SELECT status FROM messages")}
    assert statuses == {"complete", "streaming", "cancelled", "interrupted", "failed"}
    assert conn.execute("SELECT COUNT(*) FROM messages_fts_docsize").fetchone()[0] > 0
    assert conn.execute("SELECT COUNT(*) FROM messages_tri_docsize").fetchone()[0] > 0
    conn.close()


def test_a_schema_1_database_opens_upgrades_and_keeps_every_message(v1_db, tmp_path):
    before = read_rows(v1_db)
    assert len(before["messages"]) == 14 and len(before["attachments"]) == 3
    store = HistoryStore(v1_db, tmp_path / "att", clock=Clock())
    assert pragma(v1_db, "user_version") == SCHEMA_VERSION == MIGRATIONS[-1].version >= 2

    # every row and value survives; only the reply cut off by the "crash" is now interrupted
    streaming = [r[0] for r in before["messages"] if "streaming" in r]
    expected = {t: [tuple("interrupted" if (t == "messages" and r[0] in streaming and v == "streaming") else v
                          for v in r) for r in rows] for t, rows in before.items()}
    assert len(streaming) == 1 and read_rows(v1_db) == expected

    # through the API
    assert [(c.title, c.message_count) for c in store.list_conversations()] == [
        ("Drawings", 6), ("我想去北京旅游，有什么推荐的景点吗？", 3), ("Trip planning", 4)]
    gone = [c for c in store.list_conversations(include_deleted=True) if c.title == "Deleted notes"][0]
    assert gone.deleted_at is not None and store.messages(gone.id)[0].text == "remember my secret password hint"
    trip = store.messages(1)
    assert [m.role for m in trip] == ["system", "user", "assistant", "assistant"]
    assert trip[1].sentiment == Sentiment(0.4, "positive", "vader")
    assert [Path(p).name.split("-", 1)[1] for p in trip[1].attachments] == ["beach_photo.png", "chart.jpg"]
    assert (trip[2].rating, trip[2].rating_comment, trip[2].intent_confidence) == (1, "short and useful", 0.8)
    assert trip[2].timings == {"llm": 1.25} and trip[2].models == {"chat": "smollm2-135m"}
    assert trip[3].rating == -1
    drawings = store.messages(3)
    assert [m.status for m in drawings] == ["complete", "complete", "failed", "interrupted", "complete", "interrupted"]
    assert drawings[1].meta == {"prompt": "a cat wearing a hat", "seed": 42, "steps": 20}
    assert Path(drawings[1].attachments[0]).name.endswith("-cat.png")
    assert store.messages(2)[2].status == "cancelled"
    assert all(m.parent_id is None for c in range(1, 5) for m in store.messages(c))

    # both full-text indexes still find old messages, and new ones
    assert [h.message_id for h in store.search("sunscreen")] == [trip[2].id]
    assert store.search("Portugal")[0].message_id == trip[1].id
    assert [h.role for h in store.search("颐和园")] == ["assistant"]  # trigram
    assert [h.role for h in store.search("故宫")] == ["assistant"]  # substring scan
    assert store.search("北京旅游")[0].conversation_id == 2
    assert store.search("password") == []  # its conversation is deleted
    store.restore_conversation(gone.id)
    assert store.search("password")[0].conversation_id == gone.id
    assert [h.message_id for h in store.search("striped")] == [drawings[5].id]  # indexed when it became interrupted
    new = store.add_message(1, "user", "and for a week in 杭州西湖?")
    assert store.search("week")[0].message_id == new and store.search("杭州西湖")[0].message_id == new
    # schema 4: an upgraded file starts with no memories, and a memory outlives the message it came from
    assert store.memories() == []
    kept = store.add_memory("Call me Lin.", "name", "Lin", source_message_id=new)
    store.delete_message(new)
    assert store.memories() == [kept]
    assert store.integrity_ok()
    store.close()
    assert pragma(v1_db, "integrity_check") == "ok" and pragma(v1_db, "foreign_key_check") is None

    # an upgraded file has exactly the schema of a new one
    fresh = HistoryStore(tmp_path / "fresh" / "history.sqlite3", tmp_path / "fresh" / "att")
    fresh.close()
    assert schema_of(v1_db) == schema_of(fresh.db_path)

    # the copy made before the upgrade is the old file, whole, in one self-contained file
    [bak] = backups(v1_db.parent)
    assert bak == store.backup_path and re.fullmatch(r"history\.sqlite3\.v1-\d{8}-\d{6}\.bak", bak.name)
    assert pragma(bak, "integrity_check") == "ok" and pragma(bak, "user_version") == 1
    assert pragma(bak, "journal_mode") == "delete"
    assert read_rows(bak) == before


def test_upgrading_twice_is_a_no_op(v1_db, tmp_path):
    HistoryStore(v1_db, tmp_path / "att").close()
    first = backups(v1_db.parent)
    rows = read_rows(v1_db)
    again = HistoryStore(v1_db, tmp_path / "att")
    assert again.backup_path is None and len(again.messages(1)) == 4
    again.close()
    assert backups(v1_db.parent) == first and len(first) == 1
    assert read_rows(v1_db) == rows and pragma(v1_db, "user_version") == SCHEMA_VERSION


def test_a_new_file_runs_every_migration_and_is_not_backed_up(tmp_path):
    db = tmp_path / "history.sqlite3"
    store = HistoryStore(db, tmp_path / "att")
    assert store.backup_path is None and pragma(db, "user_version") == SCHEMA_VERSION
    cid = store.create_conversation()
    mid = store.add_message(cid, "user", "hi")
    assert store.get_message(mid).parent_id is None
    store.close()
    # a schema-1 file without a single row has nothing to lose: upgraded, not copied
    old = tmp_path / "empty-v1" / "history.sqlite3"
    HistoryStore(old, tmp_path / "att", migrations=MIGRATIONS[:1]).close()
    assert pragma(old, "user_version") == 1
    upgraded = HistoryStore(old, tmp_path / "att")
    assert upgraded.backup_path is None
    upgraded.close()
    assert pragma(old, "user_version") == SCHEMA_VERSION
    assert backups(tmp_path) == [] and backups(old.parent) == []


def make_newer(db: Path, journal_mode: str = "wal") -> int:
    store = HistoryStore(db, db.parent / "att")
    store.add_message(store.create_conversation(), "user", "written by a future Sensorium")
    store.close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute(f"PRAGMA journal_mode = {journal_mode}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return SCHEMA_VERSION + 1


@pytest.mark.parametrize("journal_mode", ["wal", "delete"])
def test_a_newer_database_is_refused_and_not_touched(tmp_path, journal_mode):
    db = tmp_path / "history.sqlite3"
    newer = make_newer(db, journal_mode)
    files = sorted(p.name for p in tmp_path.iterdir())
    data, mtime = db.read_bytes(), db.stat().st_mtime_ns
    with pytest.raises(NewerFileFormat) as e:
        HistoryStore(db, tmp_path / "att")
    message = str(e.value)
    assert isinstance(e.value, SensoriumError) and "\n" not in message
    assert f"{db} was written by a newer Sensorium (schema {newer}, this version knows {SCHEMA_VERSION})" in message
    assert "update Sensorium, or move the file away to start a new history" in message
    assert db.read_bytes() == data and db.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no -wal, -shm or backup appeared


def test_the_command_line_refuses_a_newer_history_in_one_line(tmp_path):
    profile = Profile.at(tmp_path / "p").ensure()
    newer = make_newer(profile.history_db)
    data = profile.history_db.read_bytes()
    r = sensorium("history", "list", profile=tmp_path / "p")
    assert r.returncode == 1 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in r.stderr
    assert f"newer Sensorium (schema {newer}, this version knows {SCHEMA_VERSION})" in lines[0]
    assert profile.history_db.read_bytes() == data


def _failing_step(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE messages ADD COLUMN doomed TEXT")
    conn.execute("DELETE FROM attachments")
    conn.execute("DELETE FROM conversations")
    raise RuntimeError("the disk caught fire")


@pytest.mark.parametrize("apply", [
    _failing_step,
    "ALTER TABLE messages ADD COLUMN doomed TEXT; DELETE FROM conversations; INSERT INTO no_such_table VALUES (1);",
], ids=["function", "sql"])
def test_a_failed_migration_rolls_back_and_leaves_the_file_usable(v1_db, tmp_path, apply):
    before = read_rows(v1_db)
    broken = (MIGRATIONS[0], Migration(2, "a step that fails half way", apply))
    with pytest.raises(SensoriumError) as e:
        HistoryStore(v1_db, tmp_path / "att", migrations=broken)
    message = str(e.value)
    assert "\n" not in message and "to schema 2 (a step that fails half way)" in message
    assert "left unchanged at schema 1" in message and "history.sqlite3.v1-" in message
    # nothing of the step stayed: not the column, not the deletes, not the version
    assert pragma(v1_db, "user_version") == 1 and read_rows(v1_db) == before
    conn = sqlite3.connect(v1_db)
    assert {"doomed", "parent_id"}.isdisjoint(r[1] for r in conn.execute("PRAGMA table_info(messages)"))
    conn.close()
    assert pragma(v1_db, "integrity_check") == "ok" and not Path(f"{v1_db}-wal").exists()
    assert len(backups(v1_db.parent)) == 1

    # the schema-1 code could still use the file; the real migrations now upgrade it
    store = HistoryStore(v1_db, tmp_path / "att")
    assert pragma(v1_db, "user_version") == SCHEMA_VERSION and len(store.messages(1)) == 4
    assert store.search("sunscreen") and store.integrity_ok()
    store.close()
    assert len(backups(v1_db.parent)) == 2  # a second copy, under its own name


def test_migrations_must_be_numbered_in_order(tmp_path):
    with pytest.raises(ValueError):
        HistoryStore(tmp_path / "h.sqlite3", tmp_path / "att", migrations=(MIGRATIONS[1],))
    assert not (tmp_path / "h.sqlite3").exists()


def test_deleting_a_message_deletes_the_branch_growing_from_it(store, photo):
    cid = store.create_conversation()
    question = store.add_message(cid, "user", "draw a cat")
    first = store.add_message(cid, "assistant", "here is a cat", attachments=[photo])
    follow = store.add_message(cid, "user", "now a dog")
    dog = store.add_message(cid, "assistant", "here is a dog", attachments=[photo])
    other = store.add_message(cid, "assistant", "a second cat", attachments=[photo])
    # a branch that grows from the first reply (the branching API will write parent_id itself)
    store._write(lambda c: c.executemany("UPDATE messages SET parent_id = ? WHERE id = ?",
                                         [(first, follow), (follow, dog), (question, other)]))
    assert store.get_message(dog).parent_id == follow and store.get_message(first).parent_id is None
    gone = store.get_message(first).attachments + store.get_message(dog).attachments
    kept = store.get_message(other).attachments
    store.delete_message(first)
    assert [m.id for m in store.messages(cid)] == [question, other]
    assert not any(os.path.exists(p) for p in gone) and all(os.path.exists(p) for p in kept)
    assert store.search("dog") == [] and store.search("second")[0].message_id == other
    assert store.integrity_ok()


def test_branching_before_an_edited_message_copies_everything_earlier(store, photo, profile):
    from dataclasses import replace

    cid = store.create_conversation("Cats")
    q1 = store.add_message(cid, "user", "draw a cat", attachments=[photo],
                           sentiment=Sentiment(0.3, "positive", "vader"))
    r1 = store.add_message(cid, "assistant", "here is a cat", intent="generate_image", intent_reason="asked to draw",
                           intent_confidence=0.8, timings={"total_ms": 900.0}, models={"imagegen": "tiny-sd"},
                           attachments=[photo], meta={"image": {"prompt": "a cat", "seed": 7}})
    store.rate(r1, 1, "cute")
    alt = store.add_message(cid, "assistant", "another cat", status="cancelled")
    store._write(lambda c: c.execute("UPDATE messages SET parent_id = ? WHERE id = ?", (q1, alt)))
    half = store.begin_message(cid, text="still writ")  # a reply being streamed when the user edits
    q2 = store.add_message(cid, "user", "now a dog")
    store.add_message(cid, "assistant", "here is a dog")
    before = store.messages(cid)

    new = store.branch_conversation(cid, q2)
    assert new != cid and store.get_conversation(new).title == "Cats (edited)"
    copies = store.messages(new)
    assert [m.text for m in copies] == ["draw a cat", "here is a cat", "another cat", "still writ"]
    for old, copy in zip(before, copies):
        assert copy.id not in {m.id for m in before} and copy.conversation_id == new
        status = "interrupted" if old.id == half else old.status
        # every other field is the original's: role, text, time, intent, sentiment, timings, models, meta, rating
        assert replace(copy, id=old.id, conversation_id=cid, attachments=old.attachments, parent_id=old.parent_id,
                       status=old.status) == old and copy.status == status
        assert len(copy.attachments) == len(old.attachments)
        for a, b in zip(old.attachments, copy.attachments):
            assert a != b and Path(b).parent == (profile.attachments_dir / str(new)).resolve()
            assert Path(b).read_bytes() == Path(a).read_bytes()
    assert copies[2].parent_id == copies[0].id and copies[1].parent_id is None  # the tree points at the copies
    assert store.messages(cid) == before  # the original is untouched
    assert {h.conversation_id for h in store.search("cat")} == {cid, new}
    assert {h.conversation_id for h in store.search("dog")} == {cid}
    # deleting the branch for good leaves the original's pictures, and the other way round
    store.delete_conversation(new)
    store.purge_deleted()
    assert all(os.path.exists(p) for m in before for p in m.attachments)
    again = store.branch_conversation(cid, r1, title="Only the question")
    assert store.get_conversation(again).title == "Only the question"
    [question] = store.messages(again)
    store.delete_conversation(cid)
    store.purge_deleted()
    assert Path(question.attachments[0]).read_bytes() == photo.read_bytes()
    assert store.branch_conversation(again, question.id) != again and store.integrity_ok()  # an empty branch
    with pytest.raises(BadInput, match="not in conversation"):
        store.branch_conversation(again, q2)
