"""Image questions through the vision-language model role (vlm): a tiny random SmolVLM (Idefics3, built
with the real classes, laid out as HuggingFaceTB/SmolVLM-256M-Instruct) found in a Hugging Face cache
folder by the catalog, loaded by the model manager, answering through the engine beside tiny CLIP."""
from __future__ import annotations

import time

import pytest

from pipelines.cancel import CancelToken
from pipelines.catalog import Catalog
from pipelines.doctor import NEEDS_DOWNLOAD, OK, run_doctor
from pipelines.engine import CLIP_CONFIDENT, Engine, disagreement
from pipelines.events import Cancelled, Done, Failed, ImageEvidence, Label, Notice, Routed, Token, Turn
from pipelines.history import HistoryStore
from pipelines.manager import ModelManager
from pipelines.settings import Settings
from pipelines.vlm import TransformersVlm
from tests.fixtures.hub import SMOLVLM_REPO, file_into_cache
from tests.helpers.profiles import warm_profile_at
from tests.helpers.report import record

pytestmark = pytest.mark.tiny

VLM = "smolvlm-256m-instruct"


@pytest.fixture(scope="module")
def hf_cache(tmp_path_factory, tiny_vlm_dir):
    """A Hugging Face cache folder holding only the SmolVLM-256M stand-in, filtered by its catalog files."""
    root = tmp_path_factory.mktemp("hf-cache")
    entry = Catalog.load(Settings(), warm_profile_at(root / "p"), gpu=False).entry(VLM)
    file_into_cache(root, SMOLVLM_REPO, list(entry.files), tiny_vlm_dir)
    return root


def _settings(hf_cache, tiny_clip_dir, **models) -> Settings:
    s = Settings()
    s.device.device = "cpu"
    s.models.profile = "cpu-offline"
    s.models.hf_cache_dir = str(hf_cache)
    s.models.vision = str(tiny_clip_dir)
    s.chat.max_new_tokens = 12
    for k, v in models.items():
        setattr(s.models, k, v)
    return s


@pytest.fixture(scope="module")
def manager(tmp_path_factory, hf_cache, tiny_clip_dir):
    """The standard set (tiny CLIP by path, SmolVLM from the cache), loaded once for the module."""
    profile = warm_profile_at(tmp_path_factory.mktemp("vlm-profile"))
    s = _settings(hf_cache, tiny_clip_dir)
    m = ModelManager(Catalog.load(s, profile, gpu=False), s, profile)
    yield m
    m.unload_all()


@pytest.fixture
def engine(manager, tmp_path):
    store = HistoryStore(tmp_path / "history.sqlite3", tmp_path / "attachments")
    yield Engine(manager.settings, manager.profile, store=store, manager=manager)
    store.close()


def _run(engine, turn, cancel=None) -> list:
    return list(engine.respond(turn, cancel or CancelToken()))


def test_the_catalog_finds_smolvlm_in_the_hub_cache_and_the_manager_leases_and_budgets_it(manager, request):
    resolved = manager.catalog.resolve("vlm")
    assert (resolved.name, resolved.source, resolved.format) == (VLM, "hf-cache", "transformers")
    assert resolved.path.parent.parent.name == "models--" + SMOLVLM_REPO.replace("/", "--")  # .../snapshots/<commit>
    manager.unload("vlm")
    from transformers import AutoModelForImageTextToText, AutoProcessor  # noqa: F401  (the import is not the load)

    t0 = time.perf_counter()
    with manager.lease("vlm") as vlm:
        load_s = time.perf_counter() - t0
        assert isinstance(vlm, TransformersVlm) and vlm.device == "cpu" and str(vlm.dtype) == "torch.float32"
        state = next(s for s in manager.statuses() if s.role == "vlm")
        assert state.state == "ready" and state.in_use == 1 and state.model == VLM
        # its footprint is the model's own parameter bytes: host memory on the CPU, nothing on a GPU
        assert state.host_bytes == vlm.footprint().host_bytes > 100_000 and state.device_bytes == 0
    record(request.node, "vlm_tiny_load_s", round(load_s, 2))
    assert manager.unload("vlm") and not manager.is_loaded("vlm")


def test_an_image_question_streams_the_vlm_answer_beside_clips_evidence_and_stores_both(engine, photos, request):
    t0 = time.perf_counter()
    events = _run(engine, Turn(text="What is in this picture?", images=(str(photos["chelsea"]),)))
    record(request.node, "vlm_describe_turn_s", round(time.perf_counter() - t0, 2))
    done = events[-1]
    assert isinstance(done, Done), events[-1]
    assert next(e for e in events if isinstance(e, Routed)).intent == "describe_image"
    evidence = next(e for e in events if isinstance(e, ImageEvidence))
    assert evidence.labels and all(0.0 <= lb.score <= 1.0 for lb in evidence.labels)
    tokens = [e.text for e in events if isinstance(e, Token)]
    assert len(tokens) >= 2 and done.text == "".join(tokens)
    assert events.index(evidence) < next(i for i, e in enumerate(events) if isinstance(e, Token))  # bars first
    assert done.models["vlm"] == VLM and done.models["vision"] and "chat" not in done.models
    with engine.manager.lease("vlm") as vlm:
        assert 1 <= vlm.last_stats.new_tokens <= 12 and "What is in this picture?" in vlm.last_prompt
    stored = engine.store.get_message(done.message_id)
    meta = stored.meta["image_answer"]
    assert meta["answered_by"] == "vlm+clip" and meta["follow_up"] is False
    assert meta["description"] and done.text.strip().startswith(meta["description"])
    assert [e["label"] for e in meta["evidence"]] == [lb.label for lb in evidence.labels]
    assert stored.meta["evidence"] == meta["evidence"]  # what the window's bars read
    user = engine.store.messages(done.conversation_id)[0]
    assert meta["image"] == user.attachments[0]  # the stored copy, which later turns find


def test_a_yes_no_question_carries_clips_own_answer_for_the_panel(engine, photos):
    import re

    events = _run(engine, Turn(text="Is there a dog?", images=(str(photos["chelsea"]),)))
    evidence = next(e for e in events if isinstance(e, ImageEvidence))
    assert re.fullmatch(r"(yes|no) 'dog' \(\d+%\)", evidence.verdict), evidence.verdict
    stored = engine.store.get_message(events[-1].message_id)
    assert stored.meta["evidence_verdict"] == evidence.verdict == stored.meta["image_answer"]["verdict"]


def test_a_follow_up_without_the_picture_asks_about_it_with_the_earlier_answer(engine, photos):
    first = _run(engine, Turn(text="What is in this picture?", images=(str(photos["coffee"]),)))[-1]
    assert isinstance(first, Done)
    earlier = engine.store.get_message(first.message_id).meta["image_answer"]
    events = _run(engine, Turn(text="What colour is it?", conversation_id=first.conversation_id))
    done = events[-1]
    assert isinstance(done, Done), done
    routed = next(e for e in events if isinstance(e, Routed))
    assert routed.intent == "describe_image" and "follow-up about the picture" in routed.reason
    # the window's language: the follow-up is a Text of its own, holding the router's reason as a part
    assert routed.reason_text.code == "engine.picture_follow_up" and str(routed.reason_text) == routed.reason
    assert routed.reason_text.parts["reason"].code.startswith("router.")
    assert next(e for e in events if isinstance(e, ImageEvidence)).labels  # CLIP scored the same picture again
    with engine.manager.lease("vlm") as vlm:
        prompt = vlm.last_prompt
    # the model saw the earlier question and its answer, then the new question
    assert prompt.index("What is in this picture?") < prompt.index(earlier["description"]) \
        < prompt.index("What colour is it?")
    meta = engine.store.get_message(done.message_id).meta["image_answer"]
    assert meta["follow_up"] is True and meta["image"] == earlier["image"]
    # a chat reply later in the conversation sees what the picture turns stored
    from pipelines.engine import _TurnState

    history = engine._history(_TurnState(conversation_id=first.conversation_id))
    notes = [m.content for m in history if m.role == "assistant"]
    assert len(notes) == 2 and all("[About the picture: CLIP saw " in n for n in notes)
    assert earlier["evidence"][0]["label"] in notes[0]


def test_cancel_stops_the_vlm_mid_answer(engine, photos):
    engine.settings.chat.max_new_tokens = 200
    cancel = CancelToken()
    seen = []
    try:
        for ev in engine.respond(Turn(text="Describe this picture in detail.", images=(str(photos["rocket"]),)),
                                 cancel):
            seen.append(ev)
            if sum(isinstance(e, Token) for e in seen) == 2:
                cancel.cancel()
    finally:
        engine.settings.chat.max_new_tokens = 12
    assert isinstance(seen[-1], Cancelled), seen[-1]
    with engine.manager.lease("vlm") as vlm:
        assert vlm.last_stats.stopped == "cancelled" and vlm.last_stats.new_tokens < 200
    msg = engine.store.get_message(seen[0].assistant_message_id)
    assert msg.status == "cancelled" and msg.text == seen[-1].partial_text


def _alone(tmp_path, hf_cache, tiny_clip_dir, **models):
    profile = warm_profile_at(tmp_path / "p")
    s = _settings(hf_cache, tiny_clip_dir, **models)
    return Engine(s, profile, manager=ModelManager(Catalog.load(s, profile, gpu=False), s, profile))


def test_with_only_one_of_clip_and_the_vlm_it_answers_alone_and_says_so(tmp_path, hf_cache, tiny_clip_dir, photos):
    turn = Turn(text="What is in this picture?", images=(str(photos["astronaut"]),), intent="describe_image")
    # no CLIP (its catalog model is not downloaded): the VLM answers, without bars
    e = _alone(tmp_path / "a", hf_cache, tiny_clip_dir, vision="clip-vit-b-32")
    events = _run(e, turn)
    notices = [n.text for n in events if isinstance(n, Notice)]
    assert isinstance(events[-1], Done) and not any(isinstance(x, ImageEvidence) for x in events)
    assert len(notices) == 1 and "vision-language model alone" in notices[0] and "fetch vision" in notices[0]
    assert events[-1].text and events[-1].models["vlm"] == VLM
    e.manager.unload_all()
    # no VLM (another catalog model, not downloaded) and no chat model: CLIP's labels answer
    e = _alone(tmp_path / "b", hf_cache, tiny_clip_dir, vlm="smolvlm-500m-instruct", chat="qwen2.5-1.5b-instruct")
    events = _run(e, turn)
    notices = [n.text for n in events if isinstance(n, Notice)]
    evidence = next(x for x in events if isinstance(x, ImageEvidence))
    assert isinstance(events[-1], Done) and "vlm" not in events[-1].models
    assert "CLIP's labels alone" in notices[0] and "sensorium models fetch vlm" in notices[0]
    assert evidence.labels[0].label in events[-1].text
    e.manager.unload_all()


def test_with_neither_the_reply_is_one_line_naming_the_model_to_fetch(tmp_path, hf_cache, tiny_clip_dir, photos):
    e = _alone(tmp_path, tmp_path / "empty-cache", tiny_clip_dir, vision="clip-vit-b-32")
    events = _run(e, Turn(text="Is there a cat?", images=(str(photos["chelsea"]),), intent="describe_image"))
    failed = events[-1]
    assert isinstance(failed, Failed) and failed.role == "vlm"
    assert "\n" not in failed.message and f"sensorium models fetch vlm` ({VLM}, 513 MB)" in failed.message
    assert "sensorium models fetch vision" in failed.message


def test_the_disagreement_rule():
    from pipelines.vision import Evidence

    cat = (Label("cat", 0.8), Label("dog", 0.15), Label("sofa", 0.05))
    assert disagreement("What is in this picture?", "A cat on a sofa.", cat) == ""
    line = disagreement("What is in this picture?", "A small dog sleeping.", cat)
    assert "top label is \u201ccat\u201d (80%)" in line and "\n" not in line
    assert disagreement("What is this?", "A dog.", (Label("cat", CLIP_CONFIDENT - 0.01), Label("dog", 0.49))) == ""
    assert disagreement("What is this?", "一只猫。", cat) == ""  # an English label cannot be named in Chinese
    zh = Evidence("这是什么？", "object", (Label("猫", 0.8),), language="zh", terms=("cat",))
    assert disagreement("这是什么？", "A cat.", zh.labels, zh) == ""  # named by its English term
    assert "\u201c猫\u201d" in disagreement("这是什么？", "一只狗。", zh.labels, zh)
    # yes/no: CLIP's own answer (a presence check), when it is sure
    no_cat = Evidence("Is there a cat?", "yes_no", cat, subject="cat", asks="presence", target="cat", answer="no",
                      answer_score=0.9)
    assert "says yes, but CLIP says no to \u201ccat\u201d (90%)" in disagreement(no_cat.question, "Yes, a grey cat.",
                                                                              cat, no_cat)
    assert disagreement(no_cat.question, "No.", cat, no_cat) == ""
    assert disagreement(no_cat.question, "There is a cat.", cat, no_cat) == ""  # neither yes nor no
    unsure = Evidence("有猫吗？", "yes_no", cat, answer="no", answer_score=0.6, target="cat")
    assert disagreement(unsure.question, "有，一只猫。", cat, unsure) == ""  # CLIP is not sure enough
    sure = Evidence("有猫吗？", "yes_no", cat, answer="no", answer_score=0.95, target="cat")
    assert "says yes" in disagreement(sure.question, "有，一只猫。", cat, sure)


def test_doctor_checks_the_vlm_or_says_what_to_fetch(manager, tmp_path, tiny_clip_dir):
    report = run_doctor(manager, ("vlm",))
    check = report.roles[0]
    assert (check.role, check.status, check.model, check.backend) == ("vlm", OK, VLM, "torch"), check
    assert check.self_test.what == "asked what a drawn red circle is" and check.self_test.result.startswith("replied")
    assert {lib.name for lib in check.libraries} == {"transformers", "torch"}
    missing = _alone(tmp_path, tmp_path / "empty-cache", tiny_clip_dir).manager
    check = run_doctor(missing, ("vlm",)).roles[0]
    assert check.status == NEEDS_DOWNLOAD and "sensorium models fetch vlm" in check.fix and check.self_test is None


@pytest.mark.gpu
def test_on_cuda_the_vlm_runs_in_half_precision_and_counts_against_the_gpu_budget(tmp_path, hf_cache, tiny_clip_dir,
                                                                                 photos):
    import torch

    s = _settings(hf_cache, tiny_clip_dir)
    s.device.device = "cuda"
    profile = warm_profile_at(tmp_path / "p")
    manager = ModelManager(Catalog.load(s, profile, gpu=True), s, profile)
    try:
        with manager.lease("vlm") as vlm:
            assert vlm.device == "cuda" and vlm.dtype in (torch.float16, torch.bfloat16) and vlm._split
            assert vlm.model.dtype == vlm.dtype and next(vlm.model.parameters()).device.type == "cuda"
            answer = vlm.answer(photos["chelsea"], "What is in this picture?", max_new_tokens=6)
            assert 1 <= vlm.last_stats.new_tokens <= 6 and isinstance(answer, str)
            state = next(x for x in manager.statuses() if x.role == "vlm")
            assert state.device_bytes == vlm.footprint().device_bytes > 0 and state.host_bytes == 0
    finally:
        manager.unload_all()
