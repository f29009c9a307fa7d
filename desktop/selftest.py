"""`sensorium --self-test`: the installed app checks itself end to end, in under a minute on a CPU.

1. window: the real main window opens (on Qt's offscreen platform when there is no display) with
   the real engine and model manager, on a throwaway profile: the user's settings, history and
   models folder are never read or written (only the machine-wide cache of converted weights and
   checksums is shared, as every profile shares it).
2. chat: one typed turn goes through the window's turn runner (routing, the offline chat model,
   the history store) exactly as a turn typed into the input bar; the reply must appear in the view.
3. say and hear: the doctor's speech checks (pipelines.doctor, on the controller's worker pool as
   Models > Check runs them) say a sentence with the offline Piper voice and transcribe it with the
   offline Whisper; the words heard are reported.

The offline catalog profile is used whatever the hardware (a GPU machine's default profile names
hub models that may not be downloaded); the device setting stays ``auto``, so a GPU is used when the
bundle can use one. One line per check with its time goes to stdout; the exit status is 0 only when
every check passed, else 1, with the first failure's reason as the last line (stderr). A failed run
keeps its profile folder, whose log holds the details.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

__all__ = ["CHAT_QUESTION", "Check", "main"]

CHAT_QUESTION = "What is the capital of France?"
CHAT_TIMEOUT_S = 600.0  # the first turn loads the router and the chat model (converting GGUF weights once)
SPEECH_TIMEOUT_S = 600.0
#: The engine's timings of a turn (Done.timings) shown on the chat line.
_TIMINGS = (("route_ms", "routed in"), ("llm_first_token_ms", "first token after"), ("generate_ms", "generated in"))


@dataclass(frozen=True)
class Check:
    name: str  # window | chat | say | hear
    ok: bool
    detail: str
    seconds: float

    def line(self) -> str:
        return f"{'ok' if self.ok else 'FAIL':4}  {self.name:6} {self.detail} ({self.seconds:.1f} s)"


class _Failed(Exception):
    pass


def _clip(text: str, n: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _wait(app: Any, done: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Run the event loop until ``done()`` (the GUI thread keeps painting and taking signals)."""
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise _Failed(f"{what} did not finish within {timeout_s:.0f} s")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)


def _settings() -> Any:
    from pipelines.settings import Settings

    s = Settings()
    s = s.replace("models", profile="cpu-offline")
    s = s.replace("chat", temperature=0.0, max_new_tokens=24)
    return s.replace("general", speak_replies=False)


def _check_window(app: Any, window: Any, t0: float) -> Check:
    _wait(app, lambda: window.isVisible() and window.windowHandle() is not None and window.windowHandle().isExposed(),
          30, "showing the main window")
    platform = app.platformName()
    return Check("window", True, f"the main window is up on the {platform!r} platform "
                                 f"({window.width()}x{window.height()})", time.perf_counter() - t0)


def _check_language(app: Any, window: Any) -> Check:
    """The Chinese translations are there (a bundle that lost its .qm files fails here): the menus
    relabel in 简体中文 and back in English."""
    t0 = time.perf_counter()
    menu = window.menuBar().actions()[0]
    english = menu.text()
    if not window.set_language("zh_CN"):
        raise _Failed("the 简体中文 translations are missing (assets/translations/sensorium_zh_CN.qm): "
                      "rebuild with make package")
    app.processEvents()
    chinese = menu.text()
    window.set_language("en")
    app.processEvents()
    if chinese == english or menu.text() != english:
        raise _Failed(f"the menus did not relabel: {english!r} -> {chinese!r} -> {menu.text()!r}")
    return Check("language", True, f"the menus relabel in 简体中文 ({english!r} -> {chinese!r}) and back",
                 time.perf_counter() - t0)


def _check_chat(app: Any, window: Any) -> Check:
    from pipelines.events import Cancelled, Done, Failed, Routed

    box: dict[str, Any] = {}
    rid_box: dict[str, int | None] = {"rid": None}

    def on_event(rid: int, ev: Any) -> None:
        if rid_box["rid"] is not None and rid != rid_box["rid"]:
            return
        if isinstance(ev, Routed):
            box["intent"] = ev.intent
        if isinstance(ev, (Done, Cancelled, Failed)):
            box["end"] = ev

    window.turnEvent.connect(on_event)
    t0 = time.perf_counter()
    rid_box["rid"] = window.send_text(CHAT_QUESTION)
    try:
        _wait(app, lambda: "end" in box, CHAT_TIMEOUT_S, "the chat turn")
    finally:
        window.turnEvent.disconnect(on_event)
    seconds = time.perf_counter() - t0
    end = box["end"]
    if isinstance(end, Failed):
        raise _Failed(f"the chat turn failed: {end.message}")
    if isinstance(end, Cancelled):
        raise _Failed("the chat turn was cancelled")
    reply = end.text.strip()
    if end.intent != "chat":
        raise _Failed(f"{CHAT_QUESTION!r} was routed to {end.intent!r}, not chat")
    if not reply:
        raise _Failed("the chat model gave an empty reply")
    shown = window.view.items[-1] if window.view.items else None
    if shown is None or shown.role != "assistant" or shown.text.strip() != reply:
        raise _Failed("the reply did not appear in the conversation view")
    model = end.models.get("chat", "")
    steps = ", ".join(f"{label} {end.timings[key] / 1000:.1f} s" for key, label in _TIMINGS if key in end.timings)
    return Check("chat", True, f"asked {CHAT_QUESTION!r}, {model or 'the chat model'} replied {_clip(reply)!r}"
                               + (f" ({steps})" if steps else ""), seconds)


def _role_check(check: Any, name: str) -> Check:
    from pipelines.doctor import OK

    test = check.self_test
    seconds = check.load_seconds + (test.seconds if test is not None else 0.0)
    where = f"{check.model} on {check.device.upper()} via {check.backend}" if check.device else check.model
    if check.status != OK or test is None:
        raise _Failed(f"{check.title} ({check.model}): {check.status}: {check.problem}"
                      + (f"; fix: {check.fix}" if check.fix else ""))
    return Check(name, True, f"{test.what}: {test.result} ({where}, loaded in {check.load_seconds:.1f} s)", seconds)


def _check_speech(app: Any, window: Any) -> list[Check]:
    from pipelines.doctor import check_host, run_doctor

    manager = window.engine.manager
    box: dict[str, Any] = {}
    window.controller.call(lambda: run_doctor(manager, ("tts", "asr"), host=check_host(manager.settings)),
                           on_done=lambda report: box.update(report=report),
                           on_error=lambda reason: box.update(error=reason))
    _wait(app, lambda: bool(box), SPEECH_TIMEOUT_S, "the say -> transcribe round trip")
    if "error" in box:
        raise _Failed(f"the speech check failed: {box['error']}")
    by_role = {c.role: c for c in box["report"].roles}
    return [_role_check(by_role["tts"], "say"), _role_check(by_role["asr"], "hear")]


def run_self_test(profile: Any, out: TextIO) -> tuple[list[Check], str]:
    """Run the checks in order, printing each line as it is done; stops at the first failure.
    Returns the checks that passed and the failure's reason ("" when all passed)."""
    from desktop.app import _setup_logging, build_engine, close_session, create_window, make_app
    from desktop.theme import apply_theme

    checks: list[Check] = []
    t0 = time.perf_counter()
    step, t1 = "window", t0
    window = engine = None
    cleanup: list[str] = []
    try:
        profile.ensure()
        _setup_logging(profile)
        settings = _settings()
        app = make_app([])
        apply_theme(app, settings.general.theme)
        engine, cleanup = build_engine(settings, profile)
        window = create_window(settings, profile, engine=engine)
        window.resize(1100, 760)
        window.show()
        for step in ("window", "language", "chat", "speech"):
            t1 = time.perf_counter()
            if step == "window":
                new = [_check_window(app, window, t0)]
            elif step == "language":
                new = [_check_language(app, window)]
            elif step == "chat":
                new = [_check_chat(app, window)]
            else:
                new = _check_speech(app, window)
            for c in new:
                checks.append(c)
                print(c.line(), file=out, flush=True)
        return checks, ""
    except _Failed as e:
        reason = str(e)
    except Exception as e:  # a bundle missing a library fails here: say which, in one line
        import logging

        logging.getLogger(__name__).exception("self-test step %s failed", step)
        reason = f"{type(e).__name__}: {_clip(str(e), 200)}"
    finally:
        close_session(window, engine, cleanup)
    print(Check(step, False, reason, time.perf_counter() - t1).line(), file=out, flush=True)
    return checks, f"{step}: {reason}"


def main(args: argparse.Namespace, env: Mapping[str, str] | None = None, *, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """The launcher's ``--self-test``: honours ``--cache-dir`` and ``--isolated``; never the user's
    profile (``--profile-dir`` and SENSORIUM_HOME are ignored)."""
    out, err = out or sys.stdout, err or sys.stderr
    env = dict(os.environ if env is None else env)
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")) and not env.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported: no display, no window system
    from pipelines import __version__
    from pipelines.paths import Profile

    root = Path(tempfile.mkdtemp(prefix="sensorium-self-test-"))
    env.pop("SENSORIUM_HOME", None)
    profile = Profile.from_options(root, env, cache_dir=getattr(args, "cache_dir", None),
                                   isolated=bool(getattr(args, "isolated", False)))
    print(f"sensorium {__version__} self-test on a temporary profile ({root})", file=out, flush=True)
    t0 = time.perf_counter()
    checks, reason = run_self_test(profile, out)
    total = time.perf_counter() - t0
    if reason:
        print(f"self-test failed after {total:.1f} s: {reason} (details: {profile.log_file})", file=err, flush=True)
        return 1
    shutil.rmtree(root, ignore_errors=True)
    print(f"self-test passed: {len(checks)} checks in {total:.1f} s", file=out, flush=True)
    return 0

