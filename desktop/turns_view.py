"""The window's turns: sending them (typed, regenerate, variations, an edited picture), stopping
them, and showing their events. Every turn goes to the Controller's one runner with the window's
current chat; the TurnPresenter turns events into message models and this applies its ``Change``
to the widgets (the conversation view, the side panel, the message bar, the conversation list).

What a request meant: a reading picked on a "Did you mean…" question answers the stored question
that way (``choose``: a regenerate turn with ``intent_source="choice"``); "Not what I meant" on the
last reply makes it again as the reading picked (``correct``: ``intent_source="correction"``); the
engine stores and learns both. On an older reply it stores the correction only, on a worker."""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject

from pipelines.events import ImageOptions, SpeechChunk, Turn
from pipelines.turns import TurnQueued
from pipelines.voice import ReplyHeard

from .i18n import render, translate
from .intent_service import choice_label
from .messages import MessageItem
from .presenter import Change, TurnPresenter

__all__ = ["Turns", "MODES"]

log = logging.getLogger(__name__)
MODES = {"draw": "generate_image", "edit": "edit_image"}


class Turns(QObject):
    """The window's turns (``window.turns``); the window's public turn methods call these."""

    def __init__(self, window: Any):
        super().__init__(window)
        self.w = window
        self.presenter = TurnPresenter()

    def send_text(self, text: str, images: list | tuple = (), mode: str = "", options: ImageOptions | None = None,
                  *, audio: Any = None, sample_rate: int = 16000, interrupt: bool = False) -> int | None:
        """Send a turn in the current chat. While a reply runs it waits in the queue (shown), or with
        ``interrupt`` stops the reply and runs now. Returns the request id."""
        intent = MODES.get(mode)
        user = MessageItem(role="user", text=text if audio is None else (text or "🎤 …"), attachments=list(images),
                           status="pending")
        assistant = MessageItem(role="assistant", status="streaming", intent=intent, meta={"prompt": text})
        turn = Turn(text=text, images=tuple(str(p) for p in images), intent=intent, image_options=options,
                    speak=bool(self.w.settings.general.speak_replies), audio=audio, audio_sample_rate=sample_rate)
        return self._submit(turn, user, assistant, interrupt=interrupt)

    def _submit(self, turn: Turn, user: MessageItem | None, assistant: MessageItem, *, interrupt: bool = False,
                source: str = "typed") -> int:
        if self.w.temporary and not turn.temporary:  # a temporary chat: nothing of it is stored
            turn = replace(turn, temporary=True)
        if interrupt:
            self.w.voice_ctl.interrupt()
        waits = self.w.controller.busy and not interrupt
        for it in (user, assistant):
            if it is not None:
                if waits:
                    it.meta["queued"] = True  # shown as waiting until the runner takes it
                self.w.view.append(it)
        # the presenter knows the items before the runner's first event for them can arrive
        rid = self.w.controller.submit(turn, chat=self.w.chat, interrupt=interrupt, source=source)
        self.presenter.typed(rid, turn, user, assistant, source=source, chat=self.w.chat)
        return rid

    def regenerate(self) -> int | None:
        if self.w.controller.busy:
            self.w.show_problem(lambda: translate("Turns", "wait for the reply to finish (or press Esc) before "
                                                  "regenerating"))
            return None
        if self.w.cid is None or not self.w.view.items:
            self.w.show_problem(lambda: translate("Turns", "there is nothing to regenerate yet: send a message first"))
            return None
        for it in list(reversed(self.w.view.items)):
            if it.role != "assistant":
                break
            self.w.view.remove(it)
        last_user = self.w.view.items[-1] if self.w.view.items else None
        intent = last_user.intent if last_user is not None and last_user.intent in MODES.values() else None
        assistant = MessageItem(role="assistant", status="streaming", intent=intent,
                                meta={"prompt": last_user.text if last_user else ""})
        return self._submit(Turn(regenerate=True, intent=intent, speak=bool(self.w.settings.general.speak_replies)),
                            None, assistant, source="regenerate")

    def choose(self, item: MessageItem, intent: str) -> int | None:
        """A reading picked on the question ``item``: the stored question is answered as ``intent``
        (the reply takes the card's place) and the engine learns the choice."""
        if not item.meta.get("question"):
            return None
        if not self.w.view.is_last(item):
            self.w.show_problem(lambda: translate("Turns", "that question was passed over: send the request again to "
                                                  "be asked again"))
            return None
        if self.w.controller.busy:
            self.w.show_problem(lambda: translate("Turns", "wait for the reply to finish (or press Esc) before "
                                                  "choosing"))
            return None
        return self._again_as(intent, "choice")

    def correct(self, item: MessageItem, intent: str) -> int | None:
        """"Not what I meant" on the reply ``item``: the last reply is made again as ``intent`` (the
        engine learns it); an older one's request is learned as ``intent`` (on a worker), and said so."""
        if item.id is None:
            self.w.show_problem(lambda: translate("Turns", "this reply was not stored, so there is nothing to correct"))
            return None
        if self.w.view.is_last(item):
            if self.w.controller.busy:
                self.w.show_problem(lambda: translate("Turns", "wait for the reply to finish (or press Esc) before "
                                                      "correcting it"))
                return None
            return self._again_as(intent, "correction")

        def learned(_correction: Any) -> None:
            item.meta["corrected"] = intent
            self._refresh_item(item)

            def text() -> str:
                return translate("Turns", "Learned: next time such a request means ‘{reading}’.").format(
                    reading=choice_label(intent))

            self.w.message_bar.show_message(text, timeout_ms=5000)
            self.w.view.announce(text())

        self.w.intents.learn(item.id, intent, learned, lambda e: self.w.show_problem(
            lambda: translate("Turns", "the correction could not be stored ({problem})").format(problem=e)))
        return None

    def _again_as(self, intent: str, source: str) -> int:
        """Answer the conversation's last request again as ``intent``: its replies (or its question)
        make way for the new reply."""
        view = self.w.view
        for it in list(reversed(view.items)):
            if it.role != "assistant":
                break
            view.remove(it)
        last_user = view.items[-1] if view.items else None
        assistant = MessageItem(role="assistant", status="streaming", intent=intent,
                                meta={"prompt": last_user.text if last_user else ""})
        turn = Turn(regenerate=True, intent=intent, intent_source=source, conversation_id=self.w.cid,
                    speak=bool(self.w.settings.general.speak_replies))
        return self._submit(turn, None, assistant, source=source)

    def variations(self, item: MessageItem) -> int | None:
        img = item.image or {}
        prompt = img.get("prompt") or item.meta.get("prompt") or ""
        if not prompt:
            return None
        p = img.get("params") or {}
        opts = ImageOptions(width=p.get("width"), height=p.get("height"), steps=p.get("steps"),
                            guidance=p.get("guidance"), negative_prompt=p.get("negative_prompt"),
                            best_of=p.get("best_of"), seed=None)
        return self.send_text(prompt, (), "draw", opts)

    def edit_image(self, path: str) -> None:
        if path:
            self.w.input.set_edit_mode(path)
            self.w.message_bar.show_message(lambda: translate("Turns", "Describe the change and press Enter: the "
                                                              "picture is the starting point."), timeout_ms=5000)

    def stop(self) -> None:
        """Esc: stop the reply (typed or spoken), its speech, and every turn waiting behind it."""
        spoken = self.w.voice_ctl.interrupt()
        if self.w.controller.cancel() or spoken:
            self.w.message_bar.show_message(lambda: translate("Turns", "Stopping…"), timeout_ms=2000)
        else:
            self.w.voice_ctl.stop_recording()

    def rate(self, item: MessageItem, rating: int, comment: str = "") -> None:
        if item.id is None:
            return
        before = item.rating, item.rating_comment
        item.rating, item.rating_comment = rating, comment  # shown at once; saved in order off the GUI thread

        def failed(e: str) -> None:
            item.rating, item.rating_comment = before
            self._refresh_item(item)
            self.w.show_problem(lambda: translate("Turns", "the rating could not be saved ({problem})").format(problem=e))

        self._refresh_item(item)
        self.w.history.call(lambda s: s.rate(item.id, rating, comment), None, failed)

    def play(self, item: MessageItem) -> None:
        """Play a reply's speech again (stops what is playing)."""
        if not item.audio:
            return
        try:
            sink = self.w.speaker()
            sink.stop()
            for ch in item.audio:
                sink.play(ch.audio, ch.sample_rate)
        except Exception as e:
            text, line = getattr(e, "text", None), str(e)
            self.w.show_problem(lambda: translate("Turns", "the reply could not be played ({problem})").format(
                problem=render(text, line)))

    # ---- turn events -----------------------------------------------------------------------------
    def _on_event(self, rid: int, ev: Any) -> None:
        """Every event of every turn, on the GUI thread, in order."""
        try:
            if isinstance(ev, TurnQueued):
                self._queued(rid, ev)
            else:
                lv = self.presenter.live.get(rid)
                change = self.presenter.event(rid, ev)
                if lv is not None and lv.source == "voice" and change.notice and lv.assistant.id is None \
                        and self.w.voice_ctl.hands_free:
                    change.notice = ""  # "no speech was heard": in hands-free a cough is not worth a line
                self._show(change)
                if isinstance(ev, SpeechChunk) and lv is not None and lv.source != "voice":
                    self._play_chunk(rid, ev)  # a typed turn read aloud (the voice loop plays its own)
        except Exception:  # a rendering problem must never lose the turn
            log.exception("could not show %s", type(ev).__name__)
        self.w.turnEvent.emit(rid, ev)

    def _queued(self, rid: int, ev: TurnQueued) -> None:
        if ev.source == "voice":  # a spoken turn: its bubbles appear now
            _lv, change = self.presenter.spoken(rid, ev.turn, ev.chat)
            self._show(change)
        lv = self.presenter.live.get(rid)
        if lv is not None and ev.position > 0:
            for it in (lv.user, lv.assistant):
                if it is not None:
                    it.meta["queued"] = True
                    self.w.view.update_item(it)

    def _on_queue(self, waiting: list) -> None:
        for rid, lv in list(self.presenter.live.items()):
            if rid not in waiting:
                for it in (lv.user, lv.assistant):
                    if it is not None and it.meta.pop("queued", None):
                        self.w.view.update_item(it)

    def _show(self, ch: Change) -> None:
        view = self.w.view
        for it in ch.added:
            view.append(it)
        for it in ch.removed:
            if it in view.items:
                view.remove(it)
        for it in ch.updated:
            view.update_item(it, text_only=ch.text_only)
        mine = ch.live is not None and ch.live.chat is self.w.chat  # the turn belongs to the open chat
        if ch.citations is not None and mine and ch.citations in view.items:
            view.select(ch.citations)  # the side panel shows the passages the reply rests on
        elif not ch.text_only and view.selected is not None and view.selected in ch.updated:
            self.w.details.show_item(view.selected)  # what it used (memories, sources) as it arrives
        if ch.opened is not None and mine:
            self.w.sidebar.select(ch.opened)
        if ch.mood_changed:
            self.w.details.set_mood(view.items)
        if ch.notice:  # in the interface's language (the engine's own line when it has no Text)
            tone, notice, text = ch.tone, ch.notice, ch.notice_text
            self.w.message_bar.show_message(
                (lambda: translate("Turns", "Tone: {tone}").format(tone=tone)) if tone else
                (lambda: render(text, notice)), timeout_ms=4000)
        if ch.problem:
            problem, text = ch.problem, ch.problem_text
            self.w.show_problem(lambda: render(text, problem), ch.problem_role, english=problem)
        if ch.reload is not None:
            self._reload_item(ch.reload)
        if ch.finished is not None:
            if ch.finished.assistant in view.items:
                view.announce_reply(ch.finished.assistant)  # a screen reader says the reply is there
            self._unsent_back(ch.finished)
        if ch.history_changed:
            self.w.history.refresh()

    def _unsent_back(self, lv: Any) -> None:
        """A typed turn stopped before it started (it waited in the queue): nothing of it was stored,
        so its bubbles go and what was typed comes back into the message box (after what is there)."""
        u = lv.user
        if u is None or u.id is not None or lv.source != "typed" or lv.assistant.status != "cancelled" \
                or lv.turn.audio is not None:
            return
        for it in (u, lv.assistant):
            if it in self.w.view.items:
                self.w.view.remove(it)
        edit = self.w.input.edit
        typed = edit.toPlainText().rstrip()
        edit.setPlainText(f"{typed}\n\n{u.text}" if typed else u.text)
        self.w.input.add_files([p for p in u.attachments if p not in self.w.input.images])
        self.w.message_bar.show_message(lambda: translate("Turns", "Not sent: your message is back in the box."),
                                        timeout_ms=5000)

    def _reload_item(self, item: MessageItem) -> None:
        """Take what the store recorded (meta, attachments copied into the profile) after a turn."""
        if item.id is None or not hasattr(self.w.store, "get_message"):
            return

        def got(m: Any) -> None:
            if m is None:
                return
            stored = MessageItem.from_message(m)
            item.meta.update(stored.meta)
            item.timings = stored.timings or item.timings
            item.models = stored.models or item.models
            if stored.image and item.image:
                item.image = {**item.image, **{k: v for k, v in stored.image.items() if k != "paths"}}
            self._refresh_item(item)

        self.w.history.call(lambda s: s.get_message(item.id), got, lambda _e: None)

    def revise(self, ev: Any) -> None:
        """A spoken reply changed after its turn: cut to what was heard (ReplyHeard), or dated at the
        speaker (SpokenLatency). A reply of a conversation that is not open is in the store already."""
        mid = ev.message_id
        item = None if mid is None else (self.presenter.items_by_id().get(mid) or self.w.view.find(mid))
        if item is None:
            return
        if isinstance(ev, ReplyHeard):
            ch = self.presenter.heard(item, ev.text, ev.generated)
        else:
            ch = self.presenter.spoken_latency(item, ev.speech_to_speaker_ms, ev.breakdown)
        self._show(ch)
        if self.w.view.selected is item:
            self.w.details.show_item(item)

    def _refresh_item(self, item: MessageItem) -> None:
        """Show an item's new state in its bubble, and in the side panel when it is selected there."""
        self.w.view.update_item(item)
        if self.w.view.selected is item:
            self.w.details.show_item(item)

    def _play_chunk(self, rid: int, ev: SpeechChunk) -> None:
        try:  # with the turn's token: Esc (or a barge-in) cancels the turn and its speech with it
            self.w.speaker().play(ev.audio, ev.sample_rate, cancel=self.w.controller.runner.token(rid))
        except Exception as e:
            log.warning("playback failed: %s", e)
