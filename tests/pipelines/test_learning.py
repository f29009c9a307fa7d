"""Learning from ratings with the real SmolLM2-135M on the CPU: ratings from a real history, a LoRA
trained by DPO on a synthetic preference set (tests/helpers/ratings.py), the gate, the registry, and the
chat role loading the adapter. Few steps and short replies: the long run is the bench's (stage learning)."""
from __future__ import annotations

import pytest

from pipelines.errors import BadInput
from pipelines.learning import evaluate as E
from pipelines.learning.adapters import AdapterRegistry
from pipelines.learning.ratings import collect
from pipelines.learning.session import learn, split
from pipelines.learning.train import Example, LearnParams, encode, save_adapter
from tests.helpers.ratings import MARKER, style_ratings

pytestmark = pytest.mark.weights
SYSTEM = "You are Sensorium, a helpful assistant running on the user's own computer. Answer clearly and briefly."


def test_ratings_come_from_the_history_and_too_few_say_how_many(tmp_path):
    from pipelines.history import HistoryStore

    with HistoryStore(tmp_path / "h.sqlite3", tmp_path / "att") as store:
        cid = store.create_conversation("t")
        store.add_message(cid, "user", "What is 2+2?")
        good = store.add_message(cid, "assistant", "4.")
        bad = store.add_message(cid, "assistant", "Maybe five?")
        store.add_message(cid, "user", "And 3+3?")
        alone = store.add_message(cid, "assistant", "6.")
        store.rate(good, 1)
        store.rate(bad, -1)
        store.rate(alone, 1)
        rated = collect(store)
        n = store.export_preferences_jsonl(tmp_path / "p.jsonl")
    assert [(p.prompt, p.chosen, p.rejected) for p in rated.pairs] == [("What is 2+2?", "4.", "Maybe five?")]
    assert [(g.prompt, g.reply) for g in rated.good] == [("And 3+3?", "6.")]
    assert n == 2  # the export reads the same records
    with pytest.raises(BadInput) as e:
        rated.method()
    assert e.value.code == "learning.too_few_ratings" and "6 more" in str(e.value)


def test_the_split_is_stable_and_keeps_prompts_apart():
    pairs = list(style_ratings().pairs)
    train, held = split(pairs, lambda p: p.prompt)
    assert {p.prompt for p in split(list(reversed(pairs)), lambda p: p.prompt)[1]} == {p.prompt for p in held}
    assert not {p.prompt for p in train} & {p.prompt for p in held}
    assert len(held) >= 2 and len(train) + len(held) == len(pairs)


@pytest.fixture(scope="module")
def trained(smollm2_gguf, llm_converted_dir, tmp_path_factory):
    """One DPO run on 30 pairs (12 steps), evaluated by the gate; the adapter saved."""
    from pipelines.llm import TransformersChat

    chat = TransformersChat(smollm2_gguf, converted_dir=llm_converted_dir, name="smollm2-135m-instruct")
    out = tmp_path_factory.mktemp("adapters") / "smollm2-135m-instruct"
    steps = []
    event, model = learn(chat.model, chat.tokenizer, style_ratings(30), system=SYSTEM,
                         params=LearnParams(epochs=1, max_steps=12, learning_rate=5e-4), out_dir=out,
                         model_name="smollm2-135m-instruct", progress=steps.append)
    yield chat, model, event, out / event.adapter_id, steps
    chat.close()


def _marker_logprob(model, tokenizer, prompts, adapter: bool) -> float:
    """Mean log-probability that the reply begins with the preferred style's marker, by plain torch."""
    import torch

    end = tokenizer.convert_tokens_to_ids("<|im_end|>")
    marker = tokenizer(MARKER, add_special_tokens=False)["input_ids"]
    total = 0.0
    ctx = model.disable_adapter() if not adapter else torch.no_grad()
    with torch.no_grad(), ctx:
        for p in prompts:
            head = encode(tokenizer, SYSTEM, p, "", 192, end)
            ids = torch.tensor([list(head.ids[:head.prompt_len]) + marker])
            logp = torch.log_softmax(model(input_ids=ids).logits[0, :-1].float(), -1)
            n = len(marker)
            total += float(logp[-n:].gather(-1, ids[0, -n:].unsqueeze(-1)).sum())
    return total / len(prompts)


def test_training_moves_the_model_toward_the_preferred_style_on_held_out_prompts(trained):
    chat, model, event, folder, steps = trained
    assert event.method == "dpo" and event.pairs == 30 and not event.cancelled
    training = [s for s in steps if s.stage == "training"]
    assert [s.step for s in training] == list(range(1, 13)) and all(s.total == 12 for s in training)
    assert training[-1].loss < training[0].loss  # the DPO loss went down
    rows = {r.name.split(" (")[0]: r for r in event.table}
    margin = rows["held-out pairs: mean margin, nats"]
    assert margin.adapter > margin.base and margin.passed
    # the same direction by a computation of its own: the marker of the preferred replies became likelier
    # at the start of replies to prompts the adapter never trained on
    _, held = split(list(style_ratings(30).pairs), lambda p: p.prompt)
    prompts = [p.prompt for p in held]
    assert _marker_logprob(model, chat.tokenizer, prompts, True) > _marker_logprob(model, chat.tokenizer, prompts,
                                                                                      False)
    # saved as safetensors with its manifest, nothing pickled
    names = {p.name for p in folder.iterdir()}
    assert {"adapter_model.safetensors", "adapter_config.json", "sensorium-adapter.json"} <= names
    assert not any(n.endswith((".bin", ".pt", ".pkl")) for n in names)


def test_the_gate_refuses_an_adapter_that_does_worse(trained, tmp_path):
    """A LoRA with large random weights: the held-out ratings and the sanity questions get worse."""
    import torch
    from peft import LoraConfig, get_peft_model

    chat, model, event, folder, _ = trained
    base = model.get_base_model()
    bad = get_peft_model(base, LoraConfig(r=8, lora_alpha=64, target_modules=["q_proj", "v_proj"],
                                          init_lora_weights=False), adapter_name="broken")
    torch.manual_seed(0)
    with torch.no_grad():
        for name, p in bad.named_parameters():
            if "broken" in name:
                p.normal_(0, 0.2)
    tok = chat.tokenizer
    end = tok.convert_tokens_to_ids("<|im_end|>")
    _, held = split(list(style_ratings(30).pairs), lambda p: p.prompt)
    pairs = [(encode(tok, SYSTEM, p.prompt, p.chosen, 192, end), encode(tok, SYSTEM, p.prompt, p.rejected, 192, end))
             for p in held]
    sanity = E.sanity_set()[:3]
    prompts = [encode(tok, SYSTEM, q.question, "", 192, end) for q in sanity]
    prompts = [Example(p.ids[:p.prompt_len], p.prompt_len) for p in prompts]

    def answered(p, a):
        return Example(p.ids + tuple(tok(a, add_special_tokens=False)["input_ids"]) + (end,), p.prompt_len)

    bad.set_adapter("broken")
    with torch.no_grad():
        verdict = E.gate(bad, tok, method="dpo", heldout_pairs=pairs, heldout_good=[], sanity_prompts=prompts,
                         sanity=sanity, end_ids=[end], pad_id=tok.pad_token_id or end, encode_answer=answered)
    assert not verdict.accepted
    assert verdict.reason.code in ("learning.gate_not_better", "learning.gate_sanity", "learning.gate_fluency")
    assert any(not r.passed for r in verdict.table)
    # a refused adapter is stored, but never switched on
    registry = AdapterRegistry(tmp_path / "adapters")
    save_adapter(bad, registry.folder_for("smollm2-135m-instruct", "refused"),
                 {"model": "smollm2-135m-instruct", "method": "dpo", "accepted": False, "table": []})
    assert [a.id for a in registry.list()] == ["refused"] and registry.active("smollm2-135m-instruct") is None
    bad.delete_adapter("broken")


def test_the_chat_role_loads_the_switched_on_adapter_and_off_restores_the_base(trained, warm_profile):
    """Through the engine: switched on, replies come from the merged adapter; off, greedy replies are the
    base model's again, token for token."""
    import shutil

    from pipelines.engine import Engine
    from pipelines.settings import Settings

    _, _, event, folder, _ = trained
    registry = AdapterRegistry(warm_profile.adapters_dir)
    shutil.copytree(folder, registry.folder_for("smollm2-135m-instruct", event.adapter_id))
    s = Settings()
    s.chat.runtime = "transformers"  # llama.cpp cannot take the adapter: compare like with like
    s.chat.temperature = 0.0
    s.chat.max_new_tokens = 12
    engine = Engine(s, warm_profile)
    question = "What is the tallest mountain on Earth?"

    def reply() -> tuple[str, str]:
        from pipelines.llm import ChatMessage, GenerationParams

        with engine.chat_lease() as backend:
            text = "".join(backend.stream([ChatMessage("system", SYSTEM), ChatMessage("user", question)],
                                          GenerationParams(temperature=0.0, max_new_tokens=12)))
            return backend.name, text

    name0, base = reply()
    engine.set_adapter(event.adapter_id)
    name1, adapted = reply()
    engine.set_adapter(None)
    name2, again = reply()
    engine.manager.unload_all()
    assert "+adapter-" not in name0 and name1.endswith(f"+adapter-{event.adapter_id}") and "+adapter-" not in name2
    assert again == base
    assert [a.id for a in engine.adapters().list()] == [event.adapter_id]


def test_cancelled_learning_through_the_engine_leaves_nothing(warm_profile):
    """Ratings stored in a real history; a cancelled run says so (a typed outcome) and writes no adapter."""
    from pipelines.cancel import CancelToken
    from pipelines.engine import Engine
    from pipelines.events import Learned, LearnProgress
    from pipelines.history import HistoryStore
    from pipelines.settings import Settings

    store = HistoryStore(warm_profile.history_db, warm_profile.attachments_dir)
    try:
        for p in style_ratings(10).pairs:
            cid = store.create_conversation(p.prompt)
            store.add_message(cid, "user", p.prompt)
            store.rate(store.add_message(cid, "assistant", p.chosen), 1)
            store.rate(store.add_message(cid, "assistant", p.rejected), -1)
        s = Settings()
        s.chat.runtime = "transformers"
        engine = Engine(s, warm_profile, store=store)
        token = CancelToken()
        token.cancel()
        events = list(engine.learn_from_ratings(token))
    finally:
        store.close()
    assert isinstance(events[-1], Learned) and events[-1].cancelled and not events[-1].accepted
    assert events[-1].reason.code == "learning.cancelled"
    assert all(isinstance(e, LearnProgress) for e in events[:-1])
    assert engine.adapters().list() == []
    assert not any(warm_profile.adapters_dir.rglob("*.safetensors"))


@pytest.mark.parametrize("bf16, setting, want", [
    (True, "auto", ("cuda", "bfloat16")), (False, "auto", ("cuda", "float32")),
    (True, "float32", ("cuda", "float32")), (True, "float16", ("cuda", "float32"))])
def test_a_cuda_gpu_with_bfloat16_trains_in_it_and_float16_never(monkeypatch, bf16, setting, want):
    """The GPU is faked (none here): select_device's two questions to torch answer as a GPU's would."""
    import torch

    from pipelines import devices
    from pipelines.learning.session import training_device

    monkeypatch.setattr(devices, "_cuda_available", lambda backend: True)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: bf16)
    d = training_device("auto", setting)
    assert (d.device, d.dtype) == want and d.is_gpu
    monkeypatch.setattr(devices, "_cuda_available", lambda backend: False)
    assert (training_device("auto", setting).device, training_device("auto", "auto").dtype) == ("cpu", "float32")


def test_a_bfloat16_model_trains_float32_lora_weights_that_merge_back(trained, tmp_path):
    """The GPU path's precision on this CPU: a tiny random Llama (the real class) in bfloat16 with
    SmolLM2's tokenizer trains by DPO with LoRA weights kept in float32, the loss falls on a pair seen
    again and again, and the saved adapter merged into a bfloat16 copy (as the chat role loads it on a GPU)
    gives the trained model's logits."""
    import copy

    import torch
    from safetensors.torch import load_file
    from transformers import LlamaConfig, LlamaForCausalLM

    from pipelines.learning.train import add_lora, sequence_logprobs, train_dpo
    from pipelines.llm import _merge_adapter

    tok = trained[0].tokenizer
    end = tok.convert_tokens_to_ids("<|im_end|>")
    torch.manual_seed(0)
    base = LlamaForCausalLM(LlamaConfig(vocab_size=len(tok), hidden_size=64, intermediate_size=128,
                                        num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                                        max_position_embeddings=512)).to(torch.bfloat16).eval()
    pristine = copy.deepcopy(base)
    pair = next(iter(style_ratings(30).pairs))
    example = (encode(tok, SYSTEM, pair.prompt, pair.chosen, 96, end), encode(tok, SYSTEM, pair.prompt, pair.rejected,
                                                                             96, end))
    params = LearnParams(epochs=1, learning_rate=5e-3)
    model = add_lora(base, params)
    lora = {n: p for n, p in model.named_parameters() if p.requires_grad}
    assert lora and {p.dtype for p in lora.values()} == {torch.float32}
    assert {p.dtype for n, p in model.named_parameters() if not p.requires_grad} == {torch.bfloat16}
    losses = train_dpo(model, [example] * 6, params, pad_id=end)
    assert all(torch.isfinite(torch.tensor(losses))) and losses[-1] < losses[0]
    folder = save_adapter(model, tmp_path / "bf16", {"model": "tiny", "method": "dpo", "accepted": True, "table": []})
    assert {t.dtype for t in load_file(str(folder / "adapter_model.safetensors")).values()} == {torch.float32}
    with torch.no_grad():
        model.eval()
        before = sequence_logprobs(pristine, list(example), end)[0]
        want = sequence_logprobs(model, list(example), end)[0]
        got = sequence_logprobs(_merge_adapter(pristine, folder), list(example), end)[0]
    moved = (want - before).abs().max()
    assert moved > 1.0  # the adapter changed the reply's log-probabilities...
    assert (got - want).abs().max() < 0.2 * moved  # ...and merged in bfloat16 it changes them the same way
