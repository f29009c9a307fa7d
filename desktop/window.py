"""The main window: conversations on the left, the conversation in the middle, details on the right."""
from __future__ import annotations

import base64
import itertools
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QActionGroup,
    QColor,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPainter,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pipelines.assets import asset
from pipelines.events import (
    Cancelled,
    Done,
    Failed,
    ImageEvidence,
    ImageOptions,
    ImageProgress,
    ImageResult,
    ModelStatus,
    Notice,
    Routed,
    SearchResults,
    SpeechChunk,
    Started,
    Token,
    Transcript,
    Turn,
)
from pipelines.settings import Settings, save_settings
from pipelines.voice import BargeIn, ListeningState, UtteranceStarted, VoiceLoop, VoiceTurnStarted

from .controller import Controller
from .conversation import ConversationView, MessageItem
from .details import DetailsPanel
from .dialogs import ImageViewer, ModelsDialog, SettingsDialog, copy_image, save_image_as
from .inputbar import InputBar
from .sidebar import Sidebar
from .statusbar import ModelStatusBar
from .theme import COLORS, apply_theme, current_theme, icon
from .widgets import MessageBar

__all__ = ["MainWindow", "DropOverlay", "GEOMETRY_FILE"]

log = logging.getLogger(__name__)
GEOMETRY_FILE = "window.json"


class DropOverlay(QWidget):
    """Shown over the window while files are dragged over it."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("DropOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.text = "Drop pictures to ask about them"
        self.hide()

    def paintEvent(self, _e):
        c = COLORS[current_theme()]
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        bg = QColor(c["window"])
        bg.setAlphaF(0.88)
        p.fillRect(self.rect(), bg)
        pen = QPen(QColor(c["accent"]), 2.5, Qt.PenStyle.DashLine)
        p.setPen(pen)
        r = QRectF(self.rect()).adjusted(24, 24, -24, -24)
        p.drawRoundedRect(r, 16, 16)
        f = p.font()
        f.setPointSizeF(f.pointSizeF() * 1.6)
        f.setBold(True)
        p.setFont(f)
        p.setPen(QColor(c["text"]))
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, self.text)
        p.end()


class _PushToTalk(QObject):
    """Ctrl+Space held records; releasing Space sends (an application event filter)."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.active = False

    def eventFilter(self, obj, ev):
        t = ev.type()
        if t == QEvent.Type.KeyPress and ev.key() == Qt.Key.Key_Space and \
                ev.modifiers() & Qt.KeyboardModifier.ControlModifier and self.window.isActiveWindow():
            if not ev.isAutoRepeat() and not self.active:
                self.active = True
                self.window.input.mic_button.setChecked(True)
            return True
        if t == QEvent.Type.KeyRelease and ev.key() == Qt.Key.Key_Space and self.active:
            if not ev.isAutoRepeat():
                self.active = False
                self.window.input.mic_button.setChecked(False)
            return True
        return False


class _VoiceBridge(QObject):
    """Lives on the GUI thread: the voice loop's events, emitted from its threads, arrive queued."""

    event = Signal(object)


class _Live:
    """A turn in flight: its request id and the items it updates."""

    def __init__(self, rid: int, user: MessageItem | None, assistant: MessageItem, cid: int | None, turn: Turn):
        self.rid, self.user, self.assistant, self.cid, self.turn = rid, user, assistant, cid, turn


class MainWindow(QMainWindow):
    """Public API (for the app, tests and screenshots):

    send_text(text, images=(), mode='', options=None) -> request id | None
    open_conversation(cid | None), new_chat(), delete_conversation(cid), regenerate(), stop()
    rate(item, rating, comment), run_search(query), attach(paths), set_theme(name)
    Attributes: controller, store, view, input, sidebar, details, message_bar, status_models.
    Voice: voice_loop(), set_hands_free(on), set_muted(on), speaker(); the mic button is push-to-talk.
    Signals: turnEvent(request id, event) after the window handled it (voice turns have negative ids);
    voiceEvent(event) for every event of the voice loop, after the window handled it.
    """

    turnEvent = Signal(int, object)
    voiceEvent = Signal(object)

    def __init__(self, engine: Any, settings: Settings, profile: Any, *, controller: Controller | None = None,
                 audio_source: Any = None, audio_sink: Any = None, startup_problems: list[str] | tuple = ()):
        super().__init__()
        self.engine = engine
        self.settings = settings
        self.profile = profile
        self.store = engine.store
        self.controller = controller or Controller(engine, QApplication.instance())
        self.audio_source = audio_source  # a microphone (pipelines.voice.AudioSource); None = sounddevice
        self.audio_sink = audio_sink  # a speaker (pipelines.voice.AudioSink); None = sounddevice
        self.voice: VoiceLoop | None = None  # made on first use of the mic
        self._voice_bridge = _VoiceBridge(self)
        self._voice_bridge.event.connect(self._on_voice_event)
        self._voice_ids = itertools.count(-1, -1)  # voice turns have negative request ids
        self._voice_rid: int | None = None
        self._voice_user: MessageItem | None = None
        self.cid: int | None = None
        self.live: dict[int, _Live] = {}
        self._recording = False
        self.setWindowTitle("Sensorium")
        self.setWindowIcon(QIcon(str(asset("icons", "sensorium.svg"))))
        self.setAcceptDrops(True)
        self.setMinimumSize(760, 480)
        self._build()
        self._menus()
        self._shortcuts()
        self._wire()
        self._ptt = _PushToTalk(self)
        QApplication.instance().installEventFilter(self._ptt)
        self.restore_geometry()
        self.refresh_conversations()
        for st in self._manager_statuses():
            self.status_models.set_state(st.role, st.state, getattr(st, "detail", ""), getattr(st, "device", ""))
        if settings.voice.mode == "hands-free":
            QTimer.singleShot(0, lambda: self.input.handsfree_button.setChecked(True))
        if startup_problems:  # one-line problems found at start-up (settings file, history database)
            self.message_bar.show_message(startup_problems[0]
                                          + (f" (and {len(startup_problems) - 1} more)" if len(startup_problems) > 1
                                             else ""), timeout_ms=12000)

    # ---- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.sidebar = Sidebar()
        self.view = ConversationView()
        self.message_bar = MessageBar()
        self.input = InputBar(self.settings.imagegen, self.profile.attachments_dir / "incoming")
        center = QWidget()
        center.setObjectName("Center")
        v = QVBoxLayout(center)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(0)
        v.addWidget(self.view, 1)
        bar_box = QWidget()
        bl = QVBoxLayout(bar_box)
        bl.setContentsMargins(24, 0, 24, 4)
        bl.addWidget(self.message_bar)
        v.addWidget(bar_box)
        v.addWidget(self.input)
        self.details = DetailsPanel()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(center)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([240, 700, 300])
        self.setCentralWidget(self.splitter)
        self.overlay = DropOverlay(self.splitter)
        self.status_models = ModelStatusBar()
        self.setStatusBar(self.status_models)

    def _menus(self) -> None:
        mb = self.menuBar()
        f = mb.addMenu("&File")
        self.act_new = f.addAction(icon("plus"), "New chat", self.new_chat)
        self.act_new.setShortcut(QKeySequence("Ctrl+N"))
        f.addAction(icon("save"), "Export conversation as Markdown…", lambda: self.export(self.cid, "md"))
        f.addAction(icon("save"), "Export conversation as JSON…", lambda: self.export(self.cid, "json"))
        f.addSeparator()
        self.act_settings = f.addAction(icon("settings"), "Settings…", self.open_settings)
        self.act_settings.setShortcut(QKeySequence("Ctrl+,"))
        f.addSeparator()
        quit_action = f.addAction("Quit", self.close)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        e = mb.addMenu("&Edit")
        self.act_search = e.addAction(icon("search"), "Search messages", self.focus_search)
        self.act_search.setShortcut(QKeySequence("Ctrl+F"))
        self.act_focus = e.addAction("Focus the message box", self.focus_input)
        self.act_focus.setShortcut(QKeySequence("Ctrl+L"))
        self.act_regen = e.addAction(icon("refresh"), "Regenerate the last reply", self.regenerate)
        self.act_regen.setShortcut(QKeySequence("Ctrl+R"))
        self.act_stop = e.addAction(icon("stop"), "Stop", self.stop)
        self.act_stop.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.act_stop.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        view = mb.addMenu("&View")
        self.act_panel = view.addAction(icon("panel"), "Side panel", self.toggle_panel)
        self.act_panel.setCheckable(True)
        self.act_panel.setChecked(True)
        self.act_panel.setShortcut(QKeySequence("Ctrl+B"))
        theme = view.addMenu("Theme")
        group = QActionGroup(self)
        self.theme_actions = {}
        for name in ("system", "light", "dark"):
            a = theme.addAction(name.title(), lambda n=name: self.set_theme(n))
            a.setCheckable(True)
            a.setChecked(self.settings.general.theme == name)
            group.addAction(a)
            self.theme_actions[name] = a
        models = mb.addMenu("&Models")
        models.addAction(icon("chip"), "Models…", self.open_models)
        self.act_load_all = models.addAction("Load all now", self.load_all)
        help_menu = mb.addMenu("&Help")
        help_menu.addAction("Keyboard shortcuts", lambda: self.message_bar.show_message(
            "Ctrl+N new chat · Ctrl+F search · Ctrl+L message box · Enter send · Shift+Enter new line · "
            "Esc stop · Ctrl+R regenerate · Ctrl+B side panel · hold Ctrl+Space to talk", timeout_ms=15000))

    def _shortcuts(self) -> None:
        # Esc must work even while the prompt has focus
        self.esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.stop,
                             context=Qt.ShortcutContext.WindowShortcut)
        self.act_stop.setShortcut(QKeySequence())

    def _wire(self) -> None:
        c = self.controller
        c.event.connect(self._on_event)
        c.busyChanged.connect(self.input.set_busy)
        c.modelStatus.connect(self._on_model_status)
        c.taskFailed.connect(self._on_task_failed)
        c.taskDone.connect(self._on_task_done)
        s = self.sidebar
        s.newRequested.connect(self.new_chat)
        s.conversationActivated.connect(self.open_conversation)
        s.renameRequested.connect(self.rename_conversation)
        s.deleteRequested.connect(self.delete_conversation)
        s.searchRequested.connect(self.run_search)
        s.hitActivated.connect(self.open_hit)
        s.exportRequested.connect(self.export)
        i = self.input
        i.sendRequested.connect(self.send_text)
        i.stopRequested.connect(self.stop)
        i.problem.connect(self.show_problem)
        i.micToggled.connect(self._on_mic)
        i.handsFreeToggled.connect(self.set_hands_free)
        i.muteToggled.connect(self.set_muted)
        v = self.view
        v.regenerateRequested.connect(lambda _item: self.regenerate())
        v.rateRequested.connect(self.rate)
        v.playRequested.connect(self.play)
        v.variationsRequested.connect(self.variations)
        v.editRequested.connect(self.edit_image)
        v.imageClicked.connect(self.show_image)
        v.saveRequested.connect(lambda p: save_image_as(self, p))
        v.copyImageRequested.connect(self.copy_image)
        v.cancelRequested.connect(self.stop)
        v.messageSelected.connect(self.details.show_item)
        v.copied.connect(lambda _t: self.message_bar.show_message("Copied to the clipboard.", timeout_ms=2500))
        app = QGuiApplication.instance()
        app.styleHints().colorSchemeChanged.connect(self._on_system_scheme)
        self._level_timer = QTimer(self, interval=40, timeout=self._poll_level)

    def _manager_statuses(self) -> list:
        try:
            return list(self.engine.manager.statuses())
        except Exception:
            return []

    # ---- conversations -------------------------------------------------------------------------
    def refresh_conversations(self) -> None:
        try:
            convs = self.store.list_conversations()
        except Exception as e:
            self.show_problem(f"the history could not be read ({e})")
            convs = []
        self.sidebar.set_conversations(convs, self.cid)

    def new_chat(self) -> None:
        self.cid = None
        if self.voice is not None:
            self.voice.conversation_id = None
        self.view.set_messages([])
        self.details.show_item(None)
        self.details.set_mood([])
        self.sidebar.select(None)
        self.input.edit.setFocus()

    def open_conversation(self, cid: int | None) -> None:
        if cid is None:
            self.new_chat()
            return
        if cid == self.cid and self.view.items:
            return
        try:
            messages = self.store.messages(cid)
        except Exception as e:
            self.show_problem(f"that conversation could not be opened ({e})")
            return
        live_items = {}
        for lv in self.live.values():
            for it in (lv.user, lv.assistant):
                if it is not None and it.id is not None:
                    live_items[it.id] = it
        items = [live_items.get(m.id) or MessageItem.from_message(m) for m in messages]
        self.cid = cid
        if self.voice is not None:
            self.voice.conversation_id = cid
        self.view.set_messages(items)
        self.details.show_item(None)
        self.details.set_mood(items)
        self.sidebar.select(cid)

    def rename_conversation(self, cid: int, title: str) -> None:
        if not title:
            self.refresh_conversations()
            return
        try:
            self.store.rename_conversation(cid, title)
        except Exception as e:
            self.show_problem(f"the conversation could not be renamed ({e})")
        self.refresh_conversations()

    def delete_conversation(self, cid: int) -> None:
        info = next((c for c in self.store.list_conversations() if c.id == cid), None)
        try:
            self.store.delete_conversation(cid)
        except Exception as e:
            self.show_problem(f"the conversation could not be deleted ({e})")
            return
        was_open = cid == self.cid
        if was_open:
            self.new_chat()
        self.refresh_conversations()
        title = info.title if info and info.title else "the conversation"

        def undo():
            self.store.restore_conversation(cid)
            self.refresh_conversations()
            if was_open:
                self.open_conversation(cid)

        self.message_bar.show_message(f"Deleted \u201c{title}\u201d.", action="Undo", callback=undo, timeout_ms=10000)

    def run_search(self, query: str) -> list:
        hits = []
        if query:
            try:
                hits = self.store.search(query)
            except Exception as e:
                self.show_problem(f"search failed ({e})")
        self.sidebar.show_hits(query, hits)
        return hits

    def open_hit(self, cid: int, mid: int) -> None:
        self.open_conversation(cid)
        item = self.view.find(mid)
        if item is not None:
            self.view.reveal(item)

    def export(self, cid: int | None, fmt: str) -> None:
        if cid is None:
            self.show_problem("open a conversation to export it")
            return
        suffix = ".md" if fmt == "md" else ".json"
        target, _ = QFileDialog.getSaveFileName(self, "Export conversation", str(Path.home() / f"conversation{suffix}"))
        if not target:
            return
        try:
            data = self.store.export_markdown(cid) if fmt == "md" else json.dumps(
                self.store.export_json(cid), indent=2, ensure_ascii=False)
            Path(target).write_text(data, encoding="utf-8")
            self.message_bar.show_message(f"Exported to {target}.")
        except Exception as e:
            self.show_problem(f"export failed ({e})")

    # ---- turns ------------------------------------------------------------------------------------
    def send_text(self, text: str, images: list | tuple = (), mode: str = "", options: ImageOptions | None = None,
                  *, audio: Any = None, sample_rate: int = 16000) -> int | None:
        if self.controller.busy or (self.voice is not None and self.voice.busy):
            self.show_problem("Sensorium is still answering: press Esc to stop it, then send again")
            return None
        intent = {"draw": "generate_image", "edit": "edit_image"}.get(mode)
        user = MessageItem(role="user", text=text if audio is None else (text or "🎤 …"), attachments=list(images),
                           status="pending")
        assistant = MessageItem(role="assistant", status="streaming", intent=intent, meta={"prompt": text})
        self.view.append(user)
        self.view.append(assistant)
        turn = Turn(text=text, images=tuple(str(p) for p in images), conversation_id=self.cid, intent=intent,
                    image_options=options, speak=bool(self.settings.general.speak_replies), audio=audio,
                    audio_sample_rate=sample_rate)
        return self._submit(turn, user, assistant)

    def _submit(self, turn: Turn, user: MessageItem | None, assistant: MessageItem) -> int:
        rid = self.controller.submit(turn)
        self.live[rid] = _Live(rid, user, assistant, self.cid, turn)
        return rid

    def regenerate(self) -> int | None:
        if self.controller.busy:
            self.show_problem("wait for the reply to finish (or press Esc) before regenerating")
            return None
        if self.cid is None or not self.view.items:
            self.show_problem("there is nothing to regenerate yet: send a message first")
            return None
        for it in [it for it in reversed(self.view.items)]:
            if it.role != "assistant":
                break
            self.view.remove(it)
        last_user = self.view.items[-1] if self.view.items else None
        intent = last_user.intent if last_user is not None and last_user.intent in ("generate_image", "edit_image") \
            else None
        assistant = MessageItem(role="assistant", status="streaming", intent=intent,
                                meta={"prompt": last_user.text if last_user else ""})
        self.view.append(assistant)
        return self._submit(Turn(conversation_id=self.cid, regenerate=True, intent=intent,
                                 speak=bool(self.settings.general.speak_replies)), None, assistant)

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
            self.input.set_edit_mode(path)
            self.message_bar.show_message("Describe the change and press Enter: the picture is the starting point.",
                                          timeout_ms=5000)

    def stop(self) -> None:
        spoken = self.voice is not None and self.voice.interrupt()
        if self.audio_sink is not None and self.voice is None:
            self.audio_sink.stop()
        if self.controller.cancel() or spoken:
            self.message_bar.show_message("Stopping…", timeout_ms=2000)
        elif self._recording:
            self.input.mic_button.setChecked(False)

    def rate(self, item: MessageItem, rating: int, comment: str = "") -> None:
        if item.id is None:
            return
        try:
            self.store.rate(item.id, rating, comment)
        except Exception as e:
            self.show_problem(f"the rating could not be saved ({e})")
            return
        item.rating, item.rating_comment = rating, comment
        self.view.update_item(item)
        if self.view.selected is item:
            self.details.show_item(item)

    def play(self, item: MessageItem) -> None:
        """Play a reply's speech again (stops what is playing)."""
        if not item.audio:
            return
        try:
            sink = self.speaker()
            sink.stop()
            for ch in item.audio:
                sink.play(ch.audio, ch.sample_rate)
        except Exception as e:
            self.show_problem(f"the reply could not be played ({e})")

    # ---- engine events -----------------------------------------------------------------------------
    def _on_event(self, rid: int, ev: Any) -> None:
        lv = self.live.get(rid)
        if lv is None:
            return
        try:
            self._apply(lv, ev)
        except Exception:  # a rendering problem must never lose the turn
            log.exception("could not show %s", type(ev).__name__)
        if isinstance(ev, SpeechChunk) and rid > 0:  # a typed turn read aloud: the voice loop plays its own
            try:
                self.speaker().play(ev.audio, ev.sample_rate)
            except Exception as e:
                log.warning("playback failed: %s", e)
        if isinstance(ev, (Done, Cancelled, Failed)):
            self.live.pop(rid, None)
        self.turnEvent.emit(rid, ev)

    def _apply(self, lv: _Live, ev: Any) -> None:
        a, u, view = lv.assistant, lv.user, self.view
        if isinstance(ev, Started):
            a.id = ev.assistant_message_id
            if u is not None:
                u.id = ev.user_message_id
                u.status = "complete"
                view.update_item(u)
            if lv.cid is None and ev.conversation_id is not None:
                lv.cid = ev.conversation_id
                if self.cid is None and a in view.items:
                    self.cid = ev.conversation_id
            self.refresh_conversations()
        elif isinstance(ev, Routed):
            a.intent, a.intent_reason, a.intent_confidence = ev.intent, ev.reason, ev.confidence
            if u is not None:
                u.intent, u.intent_reason, u.intent_confidence, u.sentiment = (ev.intent, ev.reason, ev.confidence,
                                                                               ev.sentiment)
                view.update_item(u)
                if a in view.items:
                    self.details.set_mood(view.items)
            if ev.tone:
                self.message_bar.show_message(f"Tone: {ev.tone}", timeout_ms=4000)
            view.update_item(a)
        elif isinstance(ev, Transcript):
            if u is not None:
                u.text = ev.text or u.text
                view.update_item(u)
        elif isinstance(ev, Token):
            a.text += ev.text
            view.update_item(a, text_only=True)
        elif isinstance(ev, ImageEvidence):
            a.evidence = [(lb.label, float(lb.score)) for lb in ev.labels]
            view.update_item(a)
        elif isinstance(ev, ImageProgress):
            a.progress = ev
            if not a.is_image_turn and a.intent not in ("search_images",):
                a.intent = "generate_image"
            if a.is_image_turn:
                view.update_item(a)
        elif isinstance(ev, ImageResult):
            a.image = {"prompt": ev.prompt, "seed": ev.seed, "paths": list(ev.paths), "params": dict(ev.params),
                       "flagged": list(ev.flagged), "scores": list(ev.scores)}
            a.attachments = list(ev.paths)
            view.update_item(a)
        elif isinstance(ev, SearchResults):
            a.meta["search"] = {"folder": ev.folder, "results": [(h.path, h.score) for h in ev.results]}
        elif isinstance(ev, SpeechChunk):
            a.audio.append(ev)
        elif isinstance(ev, Notice):
            self.message_bar.show_message(ev.text)
        elif isinstance(ev, Done):
            if ev.text:
                a.text = ev.text
            a.status = "complete"
            a.timings, a.models = dict(ev.timings), dict(ev.models)
            a.id = ev.message_id if ev.message_id is not None else a.id
            self._reload_item(a)
            view.update_item(a)
            self.refresh_conversations()
            if view.selected is a:
                self.details.show_item(a)
        elif isinstance(ev, Cancelled):
            if ev.partial_text:
                a.text = ev.partial_text
            a.status = "cancelled"
            self._finish_user(u)
            view.update_item(a)
            self.refresh_conversations()
        elif isinstance(ev, Failed):
            a.status = "failed"
            a.error = ev.message
            self._finish_user(u)
            view.update_item(a)
            self.show_problem(ev.message)
            self.refresh_conversations()

    def _finish_user(self, u: MessageItem | None) -> None:
        if u is not None and u.status == "pending":
            u.status = "complete"
            self.view.update_item(u)

    def _reload_item(self, item: MessageItem) -> None:
        """Take what the store recorded (meta, attachments copied into the profile) after a turn."""
        if item.id is None or not hasattr(self.store, "get_message"):
            return
        try:
            m = self.store.get_message(item.id)
        except Exception:
            return
        if m is None:
            return
        stored = MessageItem.from_message(m)
        item.meta.update(stored.meta)
        item.timings = stored.timings or item.timings
        item.models = stored.models or item.models
        if stored.image and item.image:
            item.image = {**item.image, **{k: v for k, v in stored.image.items() if k != "paths"}}

    def _on_model_status(self, ev: ModelStatus) -> None:
        self.status_models.set_state(ev.role, ev.state, ev.detail, ev.device, ev.progress)

    def _on_task_failed(self, _tid: int, message: str) -> None:
        pass  # dialogs show their own task errors

    def _on_task_done(self, tid: int, result: Any) -> None:
        if tid == getattr(self, "_load_all_task", None) and result:
            self.show_problem("some models could not be loaded: " + result[0])

    # ---- input helpers ----------------------------------------------------------------------------
    def attach(self, paths: list[str]) -> list[str]:
        added = self.input.add_files(paths)
        if added:
            n = len(self.input.images)
            self.message_bar.show_message(
                f"{n} picture{'s' if n != 1 else ''} attached: ask a question about "
                f"{'them' if n != 1 else 'it'}, or switch on the brush to edit.", timeout_ms=5000)
            self.input.edit.setFocus()
        return added

    def show_image(self, path: str) -> None:
        viewer = ImageViewer(path, self)
        viewer.useAsInput.connect(lambda p: self.attach([p]))
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.open()

    def copy_image(self, path: str) -> None:
        if copy_image(path):
            self.message_bar.show_message("Picture copied to the clipboard.", timeout_ms=2500)

    def show_problem(self, text: str) -> None:
        self.message_bar.show_message(text, timeout_ms=10000)

    def focus_input(self) -> None:
        self.input.edit.setFocus()

    def focus_search(self) -> None:
        self.sidebar.search.setFocus()
        self.sidebar.search.selectAll()

    def toggle_panel(self) -> None:
        vis = not self.details.isVisible()
        self.details.setVisible(vis)
        self.act_panel.setChecked(vis)

    # ---- drag and drop -------------------------------------------------------------------------------
    def dragEnterEvent(self, e):
        if e.mimeData().hasUrls() or e.mimeData().hasImage():
            e.acceptProposedAction()
            self.overlay.setGeometry(self.splitter.rect())
            self.overlay.raise_()
            self.overlay.show()
        else:
            e.ignore()

    def dragMoveEvent(self, e):
        if e.mimeData().hasUrls() or e.mimeData().hasImage():
            e.acceptProposedAction()

    def dragLeaveEvent(self, e):
        self.overlay.hide()

    def dropEvent(self, e):
        self.overlay.hide()
        md = e.mimeData()
        if md.hasUrls():
            paths = [u.toLocalFile() for u in md.urls() if u.isLocalFile()]
            remote = len(md.urls()) - len(paths)
            if remote and not paths:
                self.show_problem("only files on this computer can be dropped (web addresses are not fetched)")
            else:
                self.attach(paths)
            e.acceptProposedAction()
        elif md.hasImage():
            self.input.add_image_data(md.imageData())
            e.acceptProposedAction()

    # ---- voice ---------------------------------------------------------------------------------------
    def speaker(self) -> Any:
        """The speaker: the injected sink, or the default sounddevice output (opened when it plays)."""
        if self.audio_sink is None:
            from .audio import SoundDeviceSink

            self.audio_sink = SoundDeviceSink(self.settings.voice.output_device,
                                              on_error=lambda msg: self._voice_bridge.event.emit(Notice(msg)))
        return self.audio_sink

    def voice_loop(self) -> VoiceLoop:
        """The voice loop (made on first use; no device is opened here)."""
        if self.voice is None:
            from .audio import SoundDeviceSource, as_frame_source

            source = as_frame_source(self.audio_source) if self.audio_source is not None else \
                SoundDeviceSource(self.settings.voice.input_device)
            self.voice = VoiceLoop.from_settings(self.engine, source, self.speaker(), self.settings,
                                                 on_event=self._voice_bridge.event.emit, conversation_id=self.cid)
        return self.voice

    def _on_mic(self, on: bool) -> None:
        """The mic button (or Ctrl+Space) held: interrupt any reply and record; released: send."""
        if on:
            try:
                loop = self.voice_loop()
                self.controller.cancel()  # speaking over a typed turn interrupts it too
                loop.press()
            except Exception as e:
                self._mic_failed(e)
                return
            self._recording = True
            self._level_timer.start()
        elif self._recording:
            self._recording = False
            if not self.input.handsfree_button.isChecked():
                self._level_timer.stop()
                self.input.meter.set_level(0)
            try:
                self.voice.release()
            except Exception as e:
                self._mic_failed(e)

    def set_hands_free(self, on: bool) -> None:
        """Hands-free: the microphone stays open and the VAD decides where each utterance ends."""
        if self.input.handsfree_button.isChecked() != on:
            self.input.handsfree_button.setChecked(on)  # shows the mute toggle, then comes back here
            return
        try:
            loop = self.voice_loop()
            loop.set_mode("hands-free" if on else "push-to-talk")
            if on:
                loop.start()
        except Exception as e:
            if self.voice is not None:
                self.voice.set_mode("push-to-talk")
            self._mic_failed(e)
            return
        if on:
            self._level_timer.start()
        elif not self._recording:
            self._level_timer.stop()
            self.input.meter.set_level(0)
        if self.settings.voice.mode != ("hands-free" if on else "push-to-talk"):
            self.settings = self.settings.replace("voice", mode="hands-free" if on else "push-to-talk")
            try:
                save_settings(self.settings, self.profile.settings_file)
            except OSError:
                pass

    def set_muted(self, muted: bool) -> None:
        if self.voice is not None:
            self.voice.set_muted(muted)

    def _mic_failed(self, e: Exception) -> None:
        self._recording = False
        self._level_timer.stop()
        self.input.mic_button.setChecked(False)  # restyles the button; the window ignores it (not recording)
        hf = self.input.handsfree_button
        hf.blockSignals(True)
        hf.setChecked(False)
        hf.blockSignals(False)
        self.input.mute_button.hide()
        self.input.meter.hide()
        self.input.set_voice_state("idle")
        msg = " ".join(str(e).split())[:200]
        if type(e).__name__ == "AudioDeviceError":
            self.show_problem(msg)
        else:
            self.show_problem(f"the microphone could not be used ({msg}): check that one is connected, "
                              "or choose another in Settings > Voice")

    def _poll_level(self) -> None:
        if self.voice is not None:
            try:
                self.input.meter.set_level(self.voice.level)
            except Exception:
                pass

    def _on_voice_event(self, ev: Any) -> None:
        """Events of the voice loop, on the GUI thread."""
        try:
            self._voice_event(ev)
        except Exception:
            log.exception("could not show voice event %s", type(ev).__name__)
        self.voiceEvent.emit(ev)

    def _voice_event(self, ev: Any) -> None:
        view = self.view
        if isinstance(ev, ListeningState):
            self.input.set_voice_state(ev.state if (self.input.handsfree_button.isChecked() or self._recording
                                                    or ev.state in ("thinking", "speaking")) else "idle")
            return
        if isinstance(ev, BargeIn):
            self.controller.cancel()
            return
        if isinstance(ev, UtteranceStarted):
            return
        if isinstance(ev, Transcript) and not ev.final:  # partial: shown in the user's bubble as it grows
            u = self._voice_user
            if u is None:
                u = self._voice_user = MessageItem(role="user", text="", status="pending", meta={"spoken": True})
                view.append(u)
            u.text = ev.text + " …"
            view.update_item(u)
            return
        if isinstance(ev, VoiceTurnStarted):
            self.controller.cancel()
            u = self._voice_user
            if u is None:
                u = MessageItem(role="user", text="🎤 …", status="pending", meta={"spoken": True})
                view.append(u)
            self._voice_user = None
            a = MessageItem(role="assistant", status="streaming")
            view.append(a)
            rid = next(self._voice_ids)
            self._voice_rid = rid
            self.live[rid] = _Live(rid, u, a, self.cid, Turn(speak=True, conversation_id=self.cid))
            return
        rid = self._voice_rid
        lv = self.live.get(rid) if rid is not None else None
        if lv is None:  # not part of a turn: a device problem, a too-short recording
            if isinstance(ev, (Notice, Failed)):
                self.show_problem(ev.text if isinstance(ev, Notice) else ev.message)
            return
        no_message = lv.assistant.id is None and not isinstance(ev, Started)
        if isinstance(ev, Notice) and no_message and self.input.handsfree_button.isChecked():
            return  # "no speech was heard": in hands-free a cough or a noise is not worth a line
        self._on_event(rid, ev)
        if isinstance(ev, (Done, Cancelled, Failed)):
            self._voice_rid = None
            if isinstance(ev, Done) and ev.intent == "none" and lv.assistant.id is None:
                for it in (lv.user, lv.assistant):  # nothing was heard: no message
                    if it is not None and it in view.items:
                        view.remove(it)

    # ---- models and settings --------------------------------------------------------------------------
    def load_all(self) -> None:
        roles = ["chat", "vision", "imagegen", "asr", "tts"]
        self._load_all_task = self.controller.preload(roles)
        self.message_bar.show_message("Loading all models in the background…", timeout_ms=4000)

    def open_models(self) -> ModelsDialog:
        dlg = ModelsDialog(self.engine, self.controller, self.settings, self)
        dlg.settingsChanged.connect(self.apply_settings)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def open_settings(self) -> SettingsDialog:
        from pipelines import secrets

        dlg = SettingsDialog(self.settings, self, set_api_key=secrets.set_api_key,
                             has_api_key=False)
        dlg.deleteAllRequested.connect(self.delete_all_data)
        dlg.accepted.connect(lambda: dlg.result_settings and self.apply_settings(dlg.result_settings))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def apply_settings(self, new: Settings) -> None:
        old = self.settings
        self.settings = new
        for obj in (self.engine, getattr(self.engine, "manager", None), getattr(self.engine, "catalog", None)):
            if obj is not None and hasattr(obj, "settings"):
                obj.settings = new
        try:
            save_settings(new, self.profile.settings_file)
        except OSError as e:
            self.show_problem(f"settings could not be saved ({e.strerror}); they apply until you quit")
        if new.general.theme != old.general.theme:
            self.set_theme(new.general.theme, save=False)
        if new.imagegen != old.imagegen:
            self.input.params.reset(new.imagegen)
        if new.general.history_enabled != old.general.history_enabled:
            self.message_bar.show_message("History on/off takes effect the next time Sensorium starts.")

    def delete_all_data(self) -> None:
        self.controller.cancel()
        try:
            self.store.delete_all()
        except Exception as e:
            self.show_problem(f"the history could not be deleted ({e})")
            return
        self.new_chat()
        self.refresh_conversations()
        self.message_bar.show_message("All conversations and pictures were deleted.")

    # ---- theme ----------------------------------------------------------------------------------------------
    def set_theme(self, name: str, *, save: bool = True) -> None:
        if save and name != self.settings.general.theme:
            self.settings = self.settings.replace("general", theme=name)
            try:
                save_settings(self.settings, self.profile.settings_file)
            except OSError:
                pass
        if name in self.theme_actions:
            self.theme_actions[name].setChecked(True)
        apply_theme(QApplication.instance(), name)
        self.restyle()

    def _on_system_scheme(self, *_):
        if self.settings.general.theme == "system":
            apply_theme(QApplication.instance(), "system")
            self.restyle()

    def restyle(self) -> None:
        from PySide6.QtWidgets import QToolButton

        for b in self.findChildren(QToolButton):
            name = b.property("icon_name")
            if name and b.objectName() != "SendButton" and b.property("recording") != "true":
                b.setIcon(icon(name))
        self.view.restyle()
        self.input.restyle()
        self.sidebar.restyle()
        self.details.restyle()
        self.status_models.restyle()

    # ---- geometry -------------------------------------------------------------------------------------------
    def _geometry_path(self) -> Path:
        return Path(self.profile.config_dir) / GEOMETRY_FILE

    def restore_geometry(self) -> None:
        try:
            data = json.loads(self._geometry_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.resize(1240, 800)
            return
        try:
            if data.get("geometry"):
                self.restoreGeometry(QByteArray(base64.b64decode(data["geometry"])))
            if data.get("splitter"):
                self.splitter.restoreState(QByteArray(base64.b64decode(data["splitter"])))
            self.details.setVisible(bool(data.get("panel", True)))
            self.act_panel.setChecked(self.details.isVisible())
        except Exception:
            self.resize(1240, 800)

    def save_geometry(self) -> None:
        data = {"geometry": base64.b64encode(bytes(self.saveGeometry())).decode("ascii"),
                "splitter": base64.b64encode(bytes(self.splitter.saveState())).decode("ascii"),
                "panel": not self.details.isHidden(), "size": [self.width(), self.height()]}
        path = self._geometry_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".window-", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f)
            os.replace(tmp, path)
        except OSError as e:
            log.warning("window geometry not saved: %s", e)

    def resizeEvent(self, e):
        super().resizeEvent(e)
        if self.overlay.isVisible():
            self.overlay.setGeometry(self.splitter.rect())

    def closeEvent(self, e):
        self.controller.shutdown()  # cancels running work; the engine keeps what finished
        if self.voice is not None:
            self.voice.stop()  # closes the microphone, cancels the spoken reply, stops playback
        elif self.audio_sink is not None:
            self.audio_sink.stop()
        self.save_geometry()
        try:
            self.store.purge_deleted()
        except Exception:
            pass
        QApplication.instance().removeEventFilter(self._ptt)
        super().closeEvent(e)
