"""The headless command line. Never imports Qt.

Every subcommand exits 0 on success and non-zero with a one-line error (no traceback) on bad
input. Progress for long work goes to stderr; results to stdout (`--json`: one JSON object).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from .catalog import ROLE_TITLES
from .errors import BadInput, SensoriumError, Text
from .paths import Profile

if TYPE_CHECKING:
    from .settings import Settings

__all__ = ["build_parser", "profile_from_args", "run", "main"]

log = logging.getLogger("sensorium")

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130
# pipelines.router.INTENTS, spelled out so that `--help` needs no import of the router (a test keeps them equal)
INTENT_NAMES = ("chat", "describe_image", "generate_image", "edit_image", "search_images", "transcribe_audio",
                "ask_documents")


def _size(value: str) -> tuple[int, int]:
    try:
        w, h = value.lower().split("x")
        return int(w), int(h)
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 512x512, not {value!r}") from None


#: The role a command's --server and --server-model are for (a turn's language model for ask and
#: voice-turn, the vision-language model for describe).
#: The API key for the server --server names, for this command only (a key kept in the keyring
#: is used otherwise); never sent to any other server.
API_KEY_ENV = "SENSORIUM_API_KEY"
SERVER_ROLE = {"chat": "chat", "ask": "chat", "voice-turn": "chat", "transcribe": "asr", "describe": "vlm",
               "imagine": "imagegen", "say": "tts"}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sensorium", description=(
        "Sensorium: a local-first assistant you can talk to, show pictures to and ask to draw. "
        "Without a command it opens the window."))
    p.add_argument("--version", action="version", version=f"sensorium {__version__}")
    p.add_argument("--profile-dir", metavar="DIR",
                   help="keep settings, history and data under DIR (also: SENSORIUM_HOME)")
    p.add_argument("--cache-dir", metavar="DIR",
                   help="the machine-wide cache of converted weights and checksums that profiles share "
                        "(default: the user's cache folder; also: SENSORIUM_CACHE_DIR)")
    p.add_argument("--isolated", action="store_true",
                   help="keep converted weights and checksums inside the profile instead of sharing them")
    p.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def cmd(name: str, help: str, model: bool = True) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.add_argument("--json", action="store_true", help="print one JSON object")
        if model:
            sp.add_argument("--model", metavar="NAME|PATH", help="catalog name or a local path for this role")
        role = SERVER_ROLE.get(name)
        if role:
            title = ROLE_TITLES[role]
            sp.add_argument("--server", metavar="URL", help=f"use the OpenAI-compatible server at URL (…/v1) for "
                                                            f"{title}, instead of a model on this computer (its "
                                                            f"API key: {API_KEY_ENV}, or the keyring's for URL)")
            sp.add_argument("--server-model", metavar="NAME", help=f"the model to ask that server for (with "
                                                                   f"--server, or the {title} server in settings)")
        return sp

    m = cmd("models", "list, check and download the models of every role", model=False)
    msub = m.add_subparsers(dest="models_command", metavar="ACTION")
    f = msub.add_parser("fetch", help="download a model (resumable, checksummed)")
    f.add_argument("role")
    f.add_argument("model", nargs="?")
    f.add_argument("--json", action="store_true")
    v = msub.add_parser("verify", help="check the sha256 of every installed model file")
    v.add_argument("--json", action="store_true")
    pr = msub.add_parser("prepare", help="load models once now (converts GGUF weights) so the first use is fast")
    pr.add_argument("roles", nargs="*", metavar="ROLE", help="roles to prepare (default: every ready role)")
    pr.add_argument("--json", action="store_true")
    r = msub.add_parser("remove", help="delete a downloaded model")
    r.add_argument("model")
    r.add_argument("--json", action="store_true")

    c = cmd("chat", "ask the language model; the reply streams to stdout")
    c.add_argument("prompt")
    c.add_argument("--conversation", type=int, metavar="ID", help="continue this conversation")
    c.add_argument("--temperature", type=float)
    c.add_argument("--seed", type=int)
    c.add_argument("--max-tokens", type=int)
    c.add_argument("--docs", action="store_true", help="answer from your indexed documents, citing them "
                                                      "(`sensorium docs add` indexes them)")

    a = cmd("ask", "one turn as the window takes it: the request is routed (chat, describe, draw, edit, search, "
                   "transcribe); when it could mean two things you are asked, or --intent decides", model=False)
    a.add_argument("text", nargs="?", default="", help="what you type or say")
    a.add_argument("--image", metavar="FILE", help="attach a picture")
    a.add_argument("--audio", metavar="FILE", help="attach an audio file (or: what was said)")
    a.add_argument("--intent", choices=INTENT_NAMES, help="what the request means, instead of guessing or asking")
    a.add_argument("--conversation", type=int, metavar="ID", help="continue this conversation")
    a.add_argument("-o", "--output", help="where a drawn or edited picture is copied (.png)")
    t = cmd("transcribe", "speech to text")
    t.add_argument("file")
    t.add_argument("--language", help="language code, e.g. en (default: detect)")
    t.add_argument("--word-timestamps", action="store_true")
    t.add_argument("--no-vad", action="store_true", help="do not filter silence and noise")

    d = cmd("describe", "answer a question about an image (the vision-language model), with the CLIP evidence")
    d.add_argument("image")
    d.add_argument("--vlm", metavar="NAME|PATH", help="vision-language model for the answer (catalog name or folder)")
    d.add_argument("--question", "-q", default="What is in this picture?")
    d.add_argument("--labels", help="comma-separated labels to score instead of the vocabularies")

    i = cmd("imagine", "generate an image from a prompt (or change a picture with --init-image)")
    i.add_argument("prompt")
    i.add_argument("-o", "--output", required=True, help="output PNG (best-of-N adds -1, -2 ...)")
    i.add_argument("--init-image")
    i.add_argument("--strength", type=float)
    i.add_argument("--seed", type=int)
    i.add_argument("--steps", type=int)
    i.add_argument("--size", type=_size, metavar="WxH")
    i.add_argument("--guidance", type=float)
    i.add_argument("--negative", help="negative prompt")
    i.add_argument("--best-of", type=int)
    i.add_argument("--scheduler")

    s = cmd("say", "speak text into a WAV file")
    s.add_argument("text")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--engine", choices=("coqui", "piper"))

    se = cmd("search", "find pictures in a folder by meaning")
    se.add_argument("folder")
    se.add_argument("query", help="text, or the path of an example image")
    se.add_argument("--top", type=int, default=5)

    h = cmd("history", "list, show, search and export conversations", model=False)
    hsub = h.add_subparsers(dest="history_command", metavar="ACTION", required=True)
    hl = hsub.add_parser("list")
    hl.add_argument("--json", action="store_true")
    hs = hsub.add_parser("show")
    hs.add_argument("conversation", type=int)
    hs.add_argument("--json", action="store_true")
    hq = hsub.add_parser("search")
    hq.add_argument("query")
    hq.add_argument("--json", action="store_true")
    he = hsub.add_parser("export")
    he.add_argument("conversation", type=int, nargs="?")
    he.add_argument("--format", choices=("markdown", "json", "preferences"), default="markdown")
    he.add_argument("-o", "--output", help="file to write (default: stdout)")
    he.add_argument("--json", action="store_true")

    dc = cmd("docs", "index your documents (PDF, Word, HTML, Markdown, text) to answer from them with citations",
             model=False)
    dsub = dc.add_subparsers(dest="docs_command", metavar="ACTION", required=True)
    da = dsub.add_parser("add", help="index files or folders (folders recursively); changed files are re-indexed")
    da.add_argument("paths", nargs="+", metavar="PATH")
    da.add_argument("--json", action="store_true")
    dl = dsub.add_parser("list", help="the indexed documents, and those that could not be read")
    dl.add_argument("--json", action="store_true")
    dd = dsub.add_parser("remove", help="forget a document, or every document under a folder")
    dd.add_argument("path")
    dd.add_argument("--json", action="store_true")
    le = cmd("learn", "learn from your ratings: train a LoRA adapter for the chat model, evaluate it against the "
                      "model without it, and switch it on only when it is better", model=False)
    le.add_argument("action", nargs="?", choices=("list", "on", "off", "delete"),
                    help="list the adapters, switch one on (ID), the chat model's off, or delete one (ID)")
    le.add_argument("id", nargs="?", metavar="ID", help="the adapter (see `learn list`)")
    le.add_argument("--from-ratings", action="store_true", help="train and evaluate a new adapter now")

    me = cmd("memory", "what Sensorium remembers about you (it goes into chat prompts): list, add, remove",
             model=False)
    mesub = me.add_subparsers(dest="memory_command", metavar="ACTION", required=True)
    ml = mesub.add_parser("list", help="every memory, oldest first")
    ml.add_argument("--json", action="store_true")
    ma = mesub.add_parser("add", help="remember TEXT (e.g. \"call me Lin\", \"answer in Chinese\")")
    ma.add_argument("text")
    ma.add_argument("--json", action="store_true")
    mr = mesub.add_parser("remove", help="forget the memory with this id (see `memory list`)")
    mr.add_argument("id", type=int)
    mr.add_argument("--json", action="store_true")

    vt = cmd("voice-turn", "one spoken turn: speech in, spoken reply out", model=False)
    vt.add_argument("input")
    vt.add_argument("-o", "--output", required=True)

    dr = cmd("doctor", "check each role: device, libraries, weights and a one-line self-test, with fixes",
             model=False)
    dr.add_argument("roles", nargs="*", metavar="ROLE", help="roles to check (default: all)")
    dr.add_argument("--model", action="append", default=[], metavar="ROLE=NAME|PATH",
                    help="check this model for a role instead of the chosen one (repeatable)")
    return p


def profile_from_args(args: argparse.Namespace, env: dict[str, str] | Any) -> Profile:
    return Profile.from_options(getattr(args, "profile_dir", None), dict(env),
                                cache_dir=getattr(args, "cache_dir", None), isolated=getattr(args, "isolated", False))


# ---- helpers -----------------------------------------------------------------------------
class Context:
    """What a command needs, made once: profile, settings, catalog, manager, engine."""

    def __init__(self, profile: Profile, *, out: TextIO, err: TextIO, inp: TextIO | None = None):
        from .settings import load_settings

        self.profile = profile.ensure()
        self.out, self.err = out, err
        self.inp = inp if inp is not None else sys.stdin
        loaded = load_settings(profile.settings_file)
        for problem in loaded.problems:
            print(f"settings: {problem}", file=err)
        self.settings = loaded.settings
        self._catalog = None
        self._manager = None
        #: (role, base URL, key): SENSORIUM_API_KEY for the server this command's --server names
        self.server_key: tuple[str, str, str] | None = None

    @property
    def catalog(self):
        if self._catalog is None:
            from .catalog import Catalog

            self._catalog = Catalog.load(self.settings, self.profile)
        return self._catalog

    def _server_key(self, settings: Settings, role: str) -> str | None:
        """The key for ``role``'s server: SENSORIUM_API_KEY when it is the server --server named in
        this command (never sent to another), else the OS keyring's key for that address."""
        if self.server_key is not None:
            key_role, url, key = self.server_key
            if role == key_role and settings.section(f"servers.{role}").base_url.strip() == url:
                return key
        from .secrets import get_api_key

        return get_api_key(settings, role)

    @property
    def manager(self):
        if self._manager is None:
            from .manager import ModelManager

            self._manager = ModelManager(self.catalog, self.settings, self.profile, api_key=self._server_key)
        return self._manager

    def engine(self, *, history: bool):
        from .engine import Engine

        store = None
        if history and self.settings.general.history_enabled:
            from .history import HistoryStore

            store = HistoryStore(self.profile.history_db, self.profile.attachments_dir)
        return Engine(self.settings, self.profile, store=store, manager=self.manager)


class Progress:
    """A one-line progress bar on stderr (only on a terminal, otherwise a few plain lines)."""

    def __init__(self, err: TextIO, label: str):
        self.err, self.label = err, label
        self.tty = hasattr(err, "isatty") and err.isatty()
        self._last = -1.0
        self._spin = -1
        self._said_busy = False

    def update(self, done: float, total: float, extra: str = "") -> None:
        frac = done / total if total else 0.0
        if self.tty:
            bar = "#" * int(frac * 30)
            self.err.write(f"\r{self.label} [{bar:<30}] {frac:5.1%} {extra}")
            self.err.flush()
        elif frac - self._last >= 0.25 or done == total:
            self._last = frac
            self.err.write(f"{self.label}: {frac:.0%} {extra}\n")

    def busy(self, extra: str = "") -> None:
        """Work without a count: a moving mark on a terminal, otherwise one line."""
        if self.tty:
            self._spin = (self._spin + 1) % 30
            bar = " " * self._spin + "#"
            self.err.write(f"\r{self.label} [{bar:<30}] {extra}")
            self.err.flush()
        elif not self._said_busy:
            self._said_busy = True
            self.err.write(f"{self.label}: {extra}\n")

    def close(self) -> None:
        if self.tty:
            self.err.write("\n")


def _print_json(obj: Any, out: TextIO) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _check_file(path: str, what: str) -> Path:
    """``path`` as a Path when it exists (and is a file, unless ``what`` is "folder"); ``what`` is
    "image", "audio file" or "folder"."""
    p = Path(path).expanduser()
    if not p.exists():
        if what == "image":
            raise BadInput("image {path} does not exist: check the path", code="cli.image_missing", path=path)
        if what == "audio file":
            raise BadInput("audio file {path} does not exist: check the path", code="cli.audio_missing", path=path)
        raise BadInput("folder {path} does not exist: check the path", code="cli.folder_missing", path=path)
    if p.is_dir() and what == "image":
        raise BadInput("{path} is a folder, not a image: give a file", code="cli.folder_not_image", path=path)
    if p.is_dir() and what == "audio file":
        raise BadInput("{path} is a folder, not a audio file: give a file", code="cli.folder_not_audio", path=path)
    return p


# ---- commands ----------------------------------------------------------------------------
def cmd_models(args, ctx: Context) -> int:
    action = getattr(args, "models_command", None)
    cat = ctx.catalog
    if action == "fetch":
        prog = Progress(ctx.err, f"fetching {args.role}")
        from .cancel import CancelToken

        resolved = cat.fetch(args.role, args.model, progress=lambda p: prog.update(p.done, p.total or 0, p.file),
                             cancel=CancelToken())
        prog.close()
        if args.json:
            _print_json({"role": args.role, "model": resolved.name, "path": str(resolved.path)}, ctx.out)
        else:
            print(f"{resolved.name} is ready at {resolved.path}", file=ctx.out)
        return EXIT_OK
    if action == "prepare":
        roles = args.roles or [s.role for s in cat.statuses() if s.status == "ready"]
        done = {}
        for role in roles:
            t0 = time.perf_counter()
            ctx.manager.preload(role)
            done[role] = round(time.perf_counter() - t0, 2)
            if not args.json:
                print(f"{role:9} ready ({done[role]:.1f} s)", file=ctx.out)
        if args.json:
            _print_json({"prepared": done}, ctx.out)
        return EXIT_OK
    if action == "remove":
        removed = cat.remove(args.model)
        msg = f"removed {args.model}" if removed else f"{args.model} was not downloaded; nothing to remove"
        _print_json({"removed": removed}, ctx.out) if args.json else print(msg, file=ctx.out)
        return EXIT_OK
    statuses = cat.statuses()
    if args.json:
        _print_json({"profile": cat.active_profile, "roles": [s.as_json() for s in statuses]}, ctx.out)
    else:
        print(f"profile: {cat.active_profile}   (settings: {ctx.profile.settings_file})", file=ctx.out)
        for s in statuses:
            size = f"{s.size_mb:,.0f} MB" if s.size_mb else ""
            print(f"{s.role:9} {s.model:24} {s.status:17} {size:>9}  {s.path or s.source}", file=ctx.out)
            if s.message:
                print(f"{'':9} -> {s.message}", file=ctx.out)
        print("roles: " + ", ".join(f"{r} = {t}" for r, t in ROLE_TITLES.items()), file=ctx.out)
    if action == "verify":
        bad = [s for s in statuses if s.status == "checksum-mismatch"]
        return EXIT_ERROR if bad else EXIT_OK
    return EXIT_OK


def _drain(events: Iterable[Any], ctx: Context, *, stream_tokens: bool, label: str = "") -> dict[str, Any]:
    """Render engine events: tokens to stdout, progress to stderr. Returns what was seen."""
    from .events import (
        Cancelled,
        Citations,
        Done,
        Failed,
        ImageEvidence,
        ImageProgress,
        ImageResult,
        IntentQuestion,
        MemoryProposed,
        Notice,
        Routed,
        SearchResults,
        Token,
        Transcript,
    )

    seen: dict[str, Any] = {"tokens": []}
    prog: Progress | None = None
    for ev in events:
        if isinstance(ev, Token):
            seen["tokens"].append(ev.text)
            if stream_tokens:
                ctx.out.write(ev.text)
                ctx.out.flush()
        elif isinstance(ev, ImageProgress):
            prog = prog or Progress(ctx.err, label or "generating")
            if ev.total <= 0:  # no count (a serving engine's job): busy, with the time so far
                prog.busy(f"working, {ev.elapsed_s:.0f}s")
                continue
            eta = ""
            if ev.step:
                left = ev.elapsed_s / ev.step * (ev.total - ev.step)
                eta = f"step {ev.step}/{ev.total}, image {ev.index + 1}/{ev.count}, {left:.0f}s left"
            prog.update(ev.step + ev.index * ev.total, ev.total * ev.count, eta)
        elif isinstance(ev, Notice):
            print(f"note: {ev.text}", file=ctx.err)
        elif isinstance(ev, MemoryProposed):  # never stored here: the user says so with `memory add`
            for item in ev.proposals:
                note = Text.of("cli.memory_proposed", "say `sensorium memory add {quoted}` to remember: {memory}",
                               quoted=json.dumps(item.text, ensure_ascii=False), memory=item.text)
                print(f"note: {note}", file=ctx.err)
        elif isinstance(ev, (ImageEvidence, ImageResult, SearchResults, Transcript, Done, Routed, IntentQuestion,
                             Citations)):
            seen[type(ev).__name__] = ev
        elif isinstance(ev, Failed):
            if prog:
                prog.close()
            raise SensoriumError.from_text(ev.as_text())
        elif isinstance(ev, Cancelled):
            seen["Cancelled"] = ev
    if prog:
        prog.close()
    return seen


def cmd_chat(args, ctx: Context) -> int:
    from .cancel import CancelToken
    from .events import Turn

    s = ctx.settings
    if args.temperature is not None:
        s.chat.temperature = max(0.0, min(2.0, args.temperature))
    if args.max_tokens:
        s.chat.max_new_tokens = args.max_tokens
    if args.model:
        s.models.chat = args.model
    if not args.prompt.strip():
        raise BadInput("the prompt is empty: type what you want to ask", code="cli.empty_prompt")
    engine = ctx.engine(history=True)
    engine.seed = args.seed
    # the command says what is wanted: no intent routing (and no embedding model to load for it)
    turn = Turn(text=args.prompt, conversation_id=args.conversation, intent="ask_documents" if args.docs else "chat")
    seen = _drain(engine.respond(turn, CancelToken()), ctx,
                  stream_tokens=not args.json)
    done = seen.get("Done")
    reply = done.text if done else "".join(seen["tokens"])
    cited = seen.get("Citations")
    if args.json:
        # the turn's language ("zh" for Chinese characters; null when the text did not tell)
        out = {"reply": reply, "conversation": done.conversation_id if done else None,
               "language": (done.language or None) if done else None}
        if args.docs:
            out["citations"] = [p.as_citation() for p in cited.passages] if cited else []
        _print_json(out, ctx.out)
    else:
        ctx.out.write("\n")
        for p in cited.passages if cited else ():
            where = f", page {p.page}" if p.page is not None else (f", line {p.line}" if p.line else "")
            print(f"[{p.number}] {p.file}{where}", file=ctx.out)
        if done and done.conversation_id is not None:
            print(f"(conversation {done.conversation_id})", file=ctx.err)
    return EXIT_OK


def _png_output(path: str) -> Path:
    out = Path(path).expanduser()
    if out.suffix.lower() != ".png":
        raise BadInput("the output must be a .png file, not {name}", code="cli.output_not_png",
                       name=out.name)
    return out


def _copy_pictures(paths: Sequence[str], out: Path) -> list[str]:
    """Copy the pictures a turn made to ``out`` (best-of-N: ``out`` with -1, -2 ...); their new paths."""
    import shutil

    out.parent.mkdir(parents=True, exist_ok=True)
    targets = [out] if len(paths) == 1 else [out.with_name(f"{out.stem}-{i}{out.suffix}")
                                             for i in range(1, len(paths) + 1)]
    for src, dst in zip(paths, targets):
        shutil.copyfile(src, dst)
    return [str(t) for t in targets]


def _choose(question: Any, text: str, ctx: Context) -> str:
    """Ask on the terminal which reading was meant; without a terminal, say how to decide."""
    options = " or ".join(f"{c.label.lower()} ({c.probability:.0%}, --intent {c.intent})" for c in question.choices)
    if not (hasattr(ctx.inp, "isatty") and ctx.inp.isatty()):
        raise BadInput("not sure what {text} means: {options}; run it again with --intent",
                       code="cli.intent_unsure", text=repr(text[:60]), options=options)
    print("Not sure what you meant:", file=ctx.err)
    for n, c in enumerate(question.choices, 1):
        print(f"  {n}) {c.label} ({c.probability:.0%})", file=ctx.err)
    while True:
        print(f"choose 1-{len(question.choices)}: ", end="", file=ctx.err, flush=True)
        line = ctx.inp.readline()
        if not line:
            raise KeyboardInterrupt
        if line.strip().isdigit() and 1 <= int(line.strip()) <= len(question.choices):
            return question.choices[int(line.strip()) - 1].intent


def cmd_ask(args, ctx: Context) -> int:
    from .cancel import CancelToken
    from .events import Turn

    images = (str(_check_file(args.image, "image")),) if args.image else ()
    audio = str(_check_file(args.audio, "audio file")) if args.audio else None
    if not args.text.strip() and not images and audio is None:
        raise BadInput("there is nothing to ask: give a text, --image or --audio", code="cli.nothing_to_ask")
    out = _png_output(args.output) if args.output else None
    engine = ctx.engine(history=True)
    turn = Turn(text=args.text, images=images, audio=audio, conversation_id=args.conversation, intent=args.intent)
    seen = _drain(engine.respond(turn, CancelToken()), ctx, stream_tokens=not args.json)
    question = seen.get("IntentQuestion")
    if question is not None:
        chosen = _choose(question, args.text, ctx)
        if question.conversation_id is not None:  # the stored question is answered as the chosen intent
            turn = Turn(regenerate=True, intent=chosen, intent_source="choice", conversation_id=question.conversation_id)
        else:  # no history: the same turn again, decided
            turn = Turn(text=args.text, images=images, audio=audio, intent=chosen)
        seen = _drain(engine.respond(turn, CancelToken()), ctx, stream_tokens=not args.json)
    routed, done = seen.get("Routed"), seen.get("Done")
    reply = done.text if done else "".join(seen["tokens"])
    paths = list(seen["ImageResult"].paths) if "ImageResult" in seen else []
    if out is not None and paths:
        paths = _copy_pictures(paths, out)
    results = seen["SearchResults"].results if "SearchResults" in seen else ()
    if args.json:
        _print_json({
            "intent": routed.intent if routed else None,
            "confidence": round(routed.confidence, 4) if routed else None,
            "reason": routed.reason if routed else "",
            "alternatives": [{"intent": i, "probability": round(p, 4)} for i, p in (routed.alternatives if routed else ())],
            "asked": question is not None,
            "reply": reply, "images": paths,
            "results": [{"path": r.path, "score": round(r.score, 4)} for r in results],
            "citations": [p.as_citation() for p in seen["Citations"].passages] if "Citations" in seen else [],
            "conversation": done.conversation_id if done else None}, ctx.out)
        return EXIT_OK
    if reply and not reply.endswith("\n"):
        ctx.out.write("\n")
    for p in paths:
        print(p, file=ctx.out)
    for r in results:
        print(f"{r.score:.3f}  {r.path}", file=ctx.out)
    if routed is not None:
        print(f"(understood as {routed.intent}, {routed.confidence:.0%}: {routed.reason})", file=ctx.err)
    if done and done.conversation_id is not None:
        print(f"(conversation {done.conversation_id})", file=ctx.err)
    return EXIT_OK


def cmd_transcribe(args, ctx: Context) -> int:
    path = _check_file(args.file, "audio file")
    from .asr import Decoding

    segments = []
    with ctx.manager.lease("asr", args.model) as asr:  # decoding runs as the segments are read
        result = asr.transcribe(str(path), language=args.language, vad=not args.no_vad,
                                word_timestamps=args.word_timestamps, decoding=Decoding.for_files(ctx.settings))
        for seg in result.segments:
            segments.append(seg)
            if not args.json:
                print(f"[{seg.start:6.2f} -> {seg.end:6.2f}] {seg.text.strip()}", file=ctx.out)
    text = " ".join(s.text.strip() for s in segments).strip()
    if args.json:
        _print_json({"text": text, "language": result.language, "segments": [
            {"start": round(s.start, 3), "end": round(s.end, 3), "text": s.text.strip(),
             **({"words": [{"start": w.start, "end": w.end, "word": w.word} for w in s.words]} if s.words else {})}
            for s in segments]}, ctx.out)
    elif not segments:
        print("(no speech found)", file=ctx.err)
    return EXIT_OK


def cmd_describe(args, ctx: Context) -> int:
    from .cancel import CancelToken
    from .events import Turn

    path = _check_file(args.image, "image")
    if args.model:
        ctx.settings.models.vision = args.model
    if args.vlm:
        ctx.settings.models.vlm = args.vlm
    labels = tuple(x.strip() for x in (args.labels or "").split(",") if x.strip())
    engine = ctx.engine(history=False)
    turn = Turn(text=args.question, images=(str(path),), intent="describe_image", labels=labels)
    seen = _drain(engine.respond(turn, CancelToken()), ctx, stream_tokens=False)
    ev = seen.get("ImageEvidence")
    done = seen.get("Done")
    answer = done.text if done else "".join(seen["tokens"])
    if args.json:
        _print_json({"answer": answer, "labels": [{"label": lb.label, "score": round(lb.score, 4)}
                                                  for lb in (ev.labels if ev else ())]}, ctx.out)
    else:
        print(answer, file=ctx.out)
        for lb in ev.labels if ev else ():
            print(f"  {lb.label:30} {'#' * int(lb.score * 30):30} {lb.score:.3f}", file=ctx.out)
    return EXIT_OK


def cmd_imagine(args, ctx: Context) -> int:
    from .cancel import CancelToken
    from .events import ImageOptions, Turn

    if args.model:
        ctx.settings.models.imagegen = args.model
    images: tuple[str, ...] = ()
    if args.init_image:
        images = (str(_check_file(args.init_image, "image")),)
    w, h = args.size if args.size else (None, None)
    opts = ImageOptions(width=w, height=h, steps=args.steps, guidance=args.guidance, seed=args.seed,
                        negative_prompt=args.negative, strength=args.strength, best_of=args.best_of,
                        scheduler=args.scheduler)
    engine = ctx.engine(history=False)
    out = _png_output(args.output)
    turn = Turn(text=args.prompt, images=images, intent="edit_image" if images else "generate_image",
                image_options=opts)
    seen = _drain(engine.respond(turn, CancelToken()), ctx, stream_tokens=False, label="imagine")
    res = seen.get("ImageResult")
    if res is None:
        raise SensoriumError("no image was produced", code="cli.no_image")
    paths = _copy_pictures(res.paths, out)
    if args.json:
        _print_json({"paths": paths, "seed": res.seed, "safety_checked": res.safety_checked,
                     "flagged": list(res.flagged)}, ctx.out)
    else:
        for i, p in enumerate(paths):
            score = f"  (CLIP score {res.scores[i]:.3f})" if i < len(res.scores) else ""
            print(f"{p}{score}", file=ctx.out)
        print(f"seed {res.seed}; safety checker {'ran' if res.safety_checked else 'not available'}"
              + (f"; flagged: {sum(res.flagged)}" if any(res.flagged) else ""), file=ctx.err)
    return EXIT_OK


def cmd_say(args, ctx: Context) -> int:
    if args.model:
        ctx.settings.models.tts = args.model
    if not args.text.strip():
        raise BadInput("there is no text to say: give some words", code="cli.nothing_to_say")
    if args.engine:
        ctx.settings.voice.tts_engine = args.engine
        fmt = ctx.catalog.status("tts").format
        if fmt and fmt != args.engine:
            raise BadInput("the chosen voice is a {fmt} model, not {engine}: "
                           "give a {engine} voice with --model (a Coqui folder or a Piper .onnx)",
                           code="cli.wrong_voice_engine", fmt=fmt, engine=args.engine)
    from .tts import Synthesizer

    out = Path(args.output).expanduser()
    with ctx.manager.lease("tts") as engine:
        Synthesizer(engine).synthesize_to_file(args.text, out)
    import soundfile

    info = soundfile.info(str(out))
    seconds = info.frames / info.samplerate
    if args.json:
        _print_json({"path": str(out), "sample_rate": info.samplerate, "seconds": round(seconds, 3)}, ctx.out)
    else:
        print(f"{out} ({seconds:.1f} s at {info.samplerate} Hz)", file=ctx.out)
    return EXIT_OK


def cmd_search(args, ctx: Context) -> int:
    from .cancel import CancelToken
    from .events import Turn

    folder = _check_file(args.folder, "folder")
    if not folder.is_dir():
        raise BadInput("{folder} is not a folder: give the folder to search", code="cli.not_a_folder",
                       folder=args.folder)
    if args.model:
        ctx.settings.models.vision = args.model
    engine = ctx.engine(history=False)
    turn = Turn(text=args.query, intent="search_images", folder=str(folder), top_k=max(1, args.top))
    seen = _drain(engine.respond(turn, CancelToken()), ctx, stream_tokens=False, label="indexing")
    res = seen.get("SearchResults")
    results = res.results if res else ()
    if args.json:
        _print_json({"results": [{"path": r.path, "score": round(r.score, 4)} for r in results]}, ctx.out)
    else:
        for r in results:
            print(f"{r.score:.3f}  {r.path}", file=ctx.out)
        if not results:
            print("(no pictures found)", file=ctx.err)
    return EXIT_OK


def cmd_history(args, ctx: Context) -> int:
    from .history import HistoryStore

    store = HistoryStore(ctx.profile.history_db, ctx.profile.attachments_dir)
    try:
        a = args.history_command
        if a == "list":
            convs = store.list_conversations()
            if args.json:
                _print_json({"conversations": [{"id": c.id, "title": c.title, "updated": c.updated,
                                                "messages": c.message_count} for c in convs]}, ctx.out)
            else:
                for c in convs:
                    print(f"{c.id:5}  {c.updated}  {c.message_count:4} msgs  {c.title}", file=ctx.out)
        elif a == "show":
            _require_conversation(store, args.conversation)
            if args.json:
                _print_json(store.export_json(args.conversation), ctx.out)
            else:
                ctx.out.write(store.export_markdown(args.conversation))
        elif a == "search":
            hits = store.search(args.query)
            if args.json:
                _print_json({"results": [{"conversation": h.conversation_id, "role": h.role, "text": h.text}
                                         for h in hits]}, ctx.out)
            else:
                for h in hits:
                    print(f"[{h.conversation_id}] {h.conversation_title} | {h.role}: {h.snippet}", file=ctx.out)
        elif a == "export":
            if args.format == "preferences":
                out = Path(args.output or "preferences.jsonl")
                n = store.export_preferences_jsonl(out)
                print(f"wrote {n} rated exchanges to {out}", file=ctx.err)
                return EXIT_OK
            if args.conversation is None:
                raise BadInput("say which conversation to export: `sensorium history list` shows their ids",
                               code="cli.export_which")
            _require_conversation(store, args.conversation)
            text = (store.export_markdown(args.conversation) if args.format == "markdown"
                    else json.dumps(store.export_json(args.conversation), ensure_ascii=False, indent=2))
            if args.output:
                Path(args.output).write_text(text, encoding="utf-8")
                print(f"wrote {args.output}", file=ctx.err)
            else:
                ctx.out.write(text)
        return EXIT_OK
    finally:
        store.close()


def cmd_docs(args, ctx: Context) -> int:
    a = args.docs_command
    if a == "add":
        return _docs_add(args, ctx)
    from .knowledge.index import DocumentIndex

    # listing and removing need no model: the index is opened without an embedder
    index = DocumentIndex(ctx.profile.documents_db, None, chunk_chars=ctx.settings.documents.chunk_chars,
                          model_key=ctx.catalog.chosen("embed"))
    try:
        if a == "list":
            docs = index.documents()
            if args.json:
                _print_json({"documents": [
                    {"path": d.path, "kind": d.kind, "title": d.title, "pages": d.pages, "chunks": d.chunks,
                     "size": d.size, "indexed_at": d.indexed_at,
                     "error": d.error.as_dict() if d.error else None} for d in docs]}, ctx.out)
            else:
                for d in docs:
                    what = f"failed: {d.error}" if d.error else f"{d.pages:4} pages {d.chunks:5} passages"
                    print(f"{d.kind:8}  {what}  {d.path}", file=ctx.out)
                if not docs:
                    print("(no documents indexed: `sensorium docs add PATH` adds some)", file=ctx.err)
        else:
            n = index.remove(args.path)
            if not n:
                raise BadInput("{path} is not in the document index: `sensorium docs list` shows what is",
                               code="cli.docs_not_indexed", path=args.path)
            if args.json:
                _print_json({"removed": n}, ctx.out)
            else:
                print(f"removed {n} document(s)", file=ctx.out)
        return EXIT_OK
    finally:
        index.close()


def _docs_add(args, ctx: Context) -> int:
    from .cancel import CancelToken
    from .events import Indexed, IndexProgress

    for p in args.paths:
        if not Path(p).expanduser().exists():
            raise BadInput("{path} does not exist: check the path", code="cli.docs_missing", path=p)
    engine = ctx.engine(history=False)
    prog = Progress(ctx.err, "indexing")
    result: Indexed | None = None
    try:
        for ev in engine.index_documents(list(args.paths), CancelToken()):
            if isinstance(ev, IndexProgress):
                prog.update(ev.done, max(ev.total, 1), Path(ev.file).name if ev.file else "")
            elif isinstance(ev, Indexed):
                result = ev
    finally:
        prog.close()
        engine.document_index().close()
    assert result is not None
    for file, why in result.failed:
        print(f"failed: {file}: {why}", file=ctx.err)
    if args.json:
        _print_json({"added": result.added, "updated": result.updated, "unchanged": result.unchanged,
                     "removed": result.removed, "chunks_embedded": result.chunks_embedded,
                     "chunks_reused": result.chunks_reused, "pages": result.pages,
                     "seconds": round(result.seconds, 3),
                     "failed": [{"file": f, "error": t.as_dict()} for f, t in result.failed]}, ctx.out)
    else:
        print(f"{result.added} added, {result.updated} updated, {result.unchanged} unchanged, {result.removed} "
              f"removed, {len(result.failed)} failed; {result.chunks_embedded} passages embedded, "
              f"{result.chunks_reused} reused, in {result.seconds:.1f} s", file=ctx.out)
    indexed = result.added + result.updated + result.unchanged
    return EXIT_ERROR if result.failed and not indexed else EXIT_OK


def _require_conversation(store, cid: int) -> None:
    if not any(c.id == cid for c in store.list_conversations()):
        raise BadInput("there is no conversation {cid}: `sensorium history list` shows their ids",
                       code="cli.no_such_conversation", cid=cid)


def _memory_json(m: Any) -> dict[str, Any]:
    return {"id": m.id, "text": m.text, "kind": m.kind, "value": m.value}


def _adapter_json(a: Any) -> dict[str, Any]:
    return {"id": a.id, "model": a.model, "method": a.method, "created": a.created, "accepted": a.accepted,
            "active": a.active, "pairs": a.pairs, "examples": a.examples, "table": [_row_json(r) for r in a.table]}


def _row_json(r: Any) -> dict[str, Any]:
    return {"name": r.name, "count": r.count, "unit": r.unit, "base": round(r.base, 4),
            "adapter": round(r.adapter, 4), "higher_is_better": r.higher_is_better, "passed": r.passed}


def cmd_learn(args, ctx: Context) -> int:
    """`learn --from-ratings` trains and evaluates (progress on stderr, the before/after table on stdout);
    `learn list|on ID|off|delete ID` manage the adapters (no model loads for those)."""
    from .learning.adapters import AdapterRegistry

    if not args.from_ratings:
        registry = AdapterRegistry(ctx.profile.adapters_dir)
        action = args.action or "list"
        if action in ("on", "delete") and not args.id:
            raise BadInput("say which adapter: `sensorium learn {action} ID` (`sensorium learn list` shows them)",
                           code="cli.learn_needs_id", action=action)
        if action == "on":
            registry.activate(args.id)
        elif action == "delete":
            registry.delete(args.id)
        elif action == "off":
            registry.deactivate(args.id or ctx.catalog.chosen("chat"))
        adapters = registry.list()
        if args.json:
            _print_json({"adapters": [_adapter_json(a) for a in adapters]}, ctx.out)
        else:
            for a in adapters:
                state = "on " if a.active else "off"
                verdict = "passed" if a.accepted else "refused"
                print(f"{state}  {a.id}  {a.model}  {a.method}  gate {verdict}", file=ctx.out)
            if not adapters:
                print("(no adapters: `sensorium learn --from-ratings` trains one)", file=ctx.err)
        return EXIT_OK
    from .cancel import CancelToken
    from .events import Learned, LearnProgress

    engine = ctx.engine(history=True)
    prog: Progress | None = None
    learned = None
    for ev in engine.learn_from_ratings(CancelToken()):
        if isinstance(ev, LearnProgress):
            prog = prog or Progress(ctx.err, "learning")
            if ev.stage == "training" and ev.total:
                prog.update(ev.step, ev.total, f"step {ev.step}/{ev.total}, loss {ev.loss:.4f}")
            else:
                prog.busy(ev.stage)
        elif isinstance(ev, Learned):
            learned = ev
    if prog:
        prog.close()
    assert learned is not None
    if args.json:
        _print_json({"adapter": learned.adapter_id, "method": learned.method, "accepted": learned.accepted,
                     "reason": str(learned.reason), "code": learned.reason.code, "pairs": learned.pairs,
                     "examples": learned.examples, "seconds": round(learned.seconds, 1),
                     "table": [_row_json(r) for r in learned.table]}, ctx.out)
        return EXIT_OK
    print(f"{'measure':56} {'before':>9} {'after':>9}", file=ctx.out)
    for r in learned.table:
        print(f"{r.label:56} {r.value_text(r.base):>9} {r.value_text(r.adapter):>9}  "
              f"{'ok' if r.passed else 'worse'}", file=ctx.out)
    print(f"{learned.method}, {learned.examples} examples, {learned.seconds:.0f} s: {learned.reason}", file=ctx.out)
    return EXIT_OK


def cmd_memory(args, ctx: Context) -> int:
    """Memories are rows of the history file: no model is loaded (nor torch imported) for them."""
    if not ctx.settings.general.history_enabled:
        raise BadInput("memories are kept with the history, which is off: turn history on in Settings to "
                       "remember things", code="cli.memory_needs_history")
    from .events import MemoryItem
    from .history import HistoryStore
    from .knowledge.memory import propose

    with HistoryStore(ctx.profile.history_db, ctx.profile.attachments_dir) as store:
        action = args.memory_command
        if action == "add":
            if not args.text.strip():
                raise BadInput("the memory is empty: write what Sensorium should remember",
                               code="cli.memory_empty")
            guessed = propose(args.text)
            item = guessed[0] if len(guessed) == 1 else MemoryItem(args.text.strip(), "fact")
            m = store.add_memory(item.text, item.kind, item.value)
            _print_json(_memory_json(m), ctx.out) if args.json else print(f"{m.id}  [{m.kind}] {m.text}", file=ctx.out)
            return EXIT_OK
        if action == "remove":
            removed = store.delete_memory(args.id)
            if args.json:
                _print_json({"removed": removed, "id": args.id}, ctx.out)
            elif not removed:
                raise BadInput("there is no memory {memory}: see `sensorium memory list`", code="cli.no_such_memory",
                               memory=args.id)
            else:
                print(f"forgot memory {args.id}", file=ctx.out)
            return EXIT_OK if removed else EXIT_ERROR
        memories = store.memories()
        if args.json:
            _print_json({"memories": [_memory_json(m) for m in memories]}, ctx.out)
        elif not memories:
            print("(no memories)", file=ctx.err)
        for m in memories if not args.json else ():
            print(f"{m.id:4}  [{m.kind}] {m.text}", file=ctx.out)
    return EXIT_OK


def cmd_voice_turn(args, ctx: Context) -> int:
    from .voice import voice_turn

    result = voice_turn(ctx, Path(args.input), Path(args.output))
    if args.json:
        _print_json(result, ctx.out)
    else:
        print(f"you said: {result['transcript']}\nreply: {result['reply']}\naudio: {result['audio']}", file=ctx.out)
    return EXIT_OK


def cmd_doctor(args, ctx: Context) -> int:
    from .catalog import ROLES
    from .doctor import check_host, check_roles, parse_overrides, role_lines, run_doctor

    roles, overrides = check_roles(args.roles or ROLES), parse_overrides(args.model)
    host = check_host(ctx.settings)
    if not args.json:
        print(host.line(), file=ctx.out)

    def show(check) -> None:
        if not args.json:
            print("\n".join(role_lines(check)), file=ctx.out, flush=True)

    report = run_doctor(ctx.manager, roles, overrides=overrides, host=host, on_role=show)
    if args.json:
        _print_json(report.as_json(), ctx.out)
    else:
        print(report.summary(), file=ctx.out)
    return EXIT_OK if report.ok else EXIT_ERROR


COMMANDS = {
    "models": cmd_models, "ask": cmd_ask, "chat": cmd_chat, "transcribe": cmd_transcribe, "describe": cmd_describe,
    "imagine": cmd_imagine, "say": cmd_say, "search": cmd_search, "history": cmd_history, "memory": cmd_memory, "learn": cmd_learn,
    "voice-turn": cmd_voice_turn, "doctor": cmd_doctor, "docs": cmd_docs,
}


def _use_server(args: argparse.Namespace, ctx: Context) -> None:
    """``--server URL`` / ``--server-model NAME``: the command's role runs on that server, for this
    command only (the settings file is not changed)."""
    role = SERVER_ROLE.get(args.command)
    url, model = getattr(args, "server", None), getattr(args, "server_model", None)
    if role is None or (url is None and model is None):
        return
    if getattr(args, "model", None) or (role == "vlm" and getattr(args, "vlm", None)):
        raise BadInput("--server and --model (or --vlm) both choose the model: give one of them",
                       code="cli.server_and_model")
    section = f"servers.{role}"
    if url is None:
        if ctx.settings.server(role) is None:
            raise BadInput("--server-model needs --server URL, or a {title} server set in "
                           "{section}.base_url", code="cli.server_model_needs_server",
                           title=ROLE_TITLES[role], section=section)
        ctx.settings = ctx.settings.replace(section, model=model)
        return
    if not url.strip():
        raise BadInput("--server needs the server's address, e.g. --server http://localhost:8080/v1",
                       code="cli.server_needs_url")
    configured = ctx.settings.section(section)
    model = model or (configured.model if configured.base_url.rstrip("/") == url.rstrip("/") else "")
    if not model:
        raise BadInput("--server needs --server-model NAME too: the model to ask {url} for (`curl {models_url}"
                       "/models` lists them)", code="cli.server_needs_model", url=url,
                       models_url=url.rstrip('/'))
    ctx.settings = ctx.settings.replace(section, use_server=True, base_url=url.strip(), model=model)
    key = os.environ.get(API_KEY_ENV, "").strip()
    if key:
        ctx.server_key = (role, url.strip(), key)


def _setup_logging(profile: Profile, verbose: bool) -> None:
    root = logging.getLogger()
    if getattr(root, "_sensorium_configured", False):
        return
    root.setLevel(logging.INFO)
    try:
        profile.log_file.parent.mkdir(parents=True, exist_ok=True)
        fh = logging.FileHandler(profile.log_file, encoding="utf-8")
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(fh)
    except OSError:
        pass
    if verbose:
        sh = logging.StreamHandler(sys.stderr)
        sh.setLevel(logging.INFO)
        root.addHandler(sh)
    root._sensorium_configured = True  # type: ignore[attr-defined]


def _report(args: argparse.Namespace, text: Text, out: TextIO, err: TextIO) -> None:
    """The one-line English error on stderr; with --json also ``{"error": {"code", "params", "message"}}``
    on stdout, so that a program reading the JSON can show the error in its own language."""
    print(f"error: {text}", file=err)
    if getattr(args, "json", False):
        _print_json({"error": text.as_dict()}, out)


def run(args: argparse.Namespace, profile: Profile, *, out: TextIO | None = None, err: TextIO | None = None,
        inp: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    _setup_logging(profile, getattr(args, "verbose", False))
    t0 = time.perf_counter()
    try:
        ctx = Context(profile, out=out, err=err, inp=inp)
        _use_server(args, ctx)
        return COMMANDS[args.command](args, ctx)
    except SensoriumError as e:
        _report(args, e.text, out, err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("cancelled", file=err)
        if getattr(args, "json", False):
            _print_json({"error": Text.of("cli.cancelled", "cancelled").as_dict()}, out)
        return EXIT_CANCELLED
    except Exception as e:  # never a traceback on the terminal: it goes to the log
        log.exception("command %s failed", args.command)
        _report(args, Text.of("cli.crashed", "{command} failed unexpectedly ({kind}: {detail}); details are in {log}",
                              command=args.command, kind=type(e).__name__, detail=" ".join(str(e).split())[:200],
                              log=profile.log_file), out, err)
        return EXIT_ERROR
    finally:
        log.info("%s finished in %.2f s", args.command, time.perf_counter() - t0)


def main(argv: Iterator[str] | None = None) -> int:
    import os

    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    return run(args, profile_from_args(args, os.environ))
