"""The main window: conversations on the left, the conversation in the middle, details on the right.

It assembles parts that each do one job: the Controller (the one turn runner, and background
tasks), the TurnPresenter (engine events -> message models, no Qt), the VoiceController (the
microphone, the speaker, the voice loop), the HistoryService (SQLite off the GUI thread), the
SettingsService (one ``settingsChanged`` that everything listens to) and Conversations (the list's
actions). The window owns the current chat (``self.chat``, a ChatRef) and passes it with each turn.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from pipelines.assets import asset
from pipelines.events import ImageOptions, Indexed
from pipelines.settings import Settings
from pipelines.turns import ChatRef

from .citations import CitationViewer, make_reader, open_in_default_app
from .controller import Controller
from .conversation import ConversationView
from .conversations import Conversations
from .details import DetailsPanel
from .dialogs import ImageViewer, ModelsDialog, copy_image, save_image_as
from .documents_ui import (
    DocumentsDialog,
    IndexBar,
    choose_documents,
    choose_folder,
    failed_lines,
    indexed_summary,
)
from .drop import DropOverlay, DropTarget
from .geometry import restore_geometry, save_geometry
from .history_service import HistoryService
from .i18n import LANGUAGES, Translations, on_language, render, resolve_language, translate
from .inputbar import InputBar
from .intent_service import IntentLearning
from .knowledge import Knowledge, is_document
from .menus import build_menus
from .messages import MessageItem
from .presenter import TurnPresenter
from .settings_service import SettingsService
from .sidebar import Sidebar
from .statusbar import ModelStatusBar
from .theme import apply_theme, icon
from .turns_view import Turns
from .voice_controller import VoiceController
from .widgets import MessageBar

__all__ = ["MainWindow", "DropOverlay"]

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Public API (for the app, tests and screenshots):

    send_text(text, images=(), mode='', options=None, *, interrupt=False) -> request id | None
    open_conversation(cid | None), new_chat(), delete_conversation(cid), regenerate(), stop()
    choose_intent(question item, intent), correct_intent(reply item, intent): what a request meant
    rate(item, rating, comment), run_search(query), attach(paths), set_theme(name), apply_settings(s)
    Attributes: controller, store, history, settings_service, view, input, sidebar, details,
    message_bar, status_models, chat (the current ChatRef; ``cid`` is its id), intents (the learned
    corrections, on a worker), translations (the interface language's translators: a change of
    ``general.language`` switches them, and the open window relabels itself, conversation, draft
    and running turn untouched).
    Voice: voice (the VoiceLoop once made), voice_loop(), set_hands_free(on), set_muted(on), speaker().
    Signals: turnEvent(request id, event) after the window handled it (every turn, spoken ones too);
    voiceEvent(event) for every event of the voice loop, after the window handled it.
    """

    turnEvent = Signal(int, object)
    voiceEvent = Signal(object)

    def __init__(self, engine: Any, settings: Settings, profile: Any, *, controller: Controller | None = None,
                 audio_source: Any = None, audio_sink: Any = None, startup_problems: list[str] | tuple = (),
                 translations: Translations | None = None):
        super().__init__()
        if translations is None:  # the app's (desktop.app makes it and applies the language first)
            from .app import app_translations

            translations = app_translations(QApplication.instance())
        self.translations = translations
        self.engine, self.profile, self.store = engine, profile, engine.store
        self.settings_service = SettingsService(settings, profile.settings_file, self)
        self.history = HistoryService(engine.store, self)
        self.knowledge = Knowledge(engine, self.history, self)
        self.temporary = False  # a temporary chat: its turns store nothing (new_temporary_chat)
        self._dialogs: dict[str, Any] = {}  # the one open Documents / Memory / Learning dialog
        self.controller = controller or Controller(engine, QApplication.instance())
        self.intents = IntentLearning(engine, self.controller)
        self.chat = ChatRef()
        self.setWindowTitle("Sensorium")
        self.setWindowIcon(QIcon(str(asset("icons", "sensorium.svg"))))
        self.setAcceptDrops(True)
        self.setMinimumSize(760, 480)
        self._build()
        self.voice_ctl = VoiceController(self, engine, self.controller, self.input, chat=lambda: self.chat,
                                         audio_source=audio_source, audio_sink=audio_sink)
        self.conversations = Conversations(self)
        self.turns = Turns(self)
        build_menus(self)
        self._wire()
        restore_geometry(self)
        self.history.refresh()
        for st in self._manager_statuses():
            self.status_models.set_state(st.role, st.state, getattr(st, "detail", ""), getattr(st, "device", ""),
                                         detail_text=getattr(st, "detail_text", None))
        if settings.voice.mode == "hands-free":
            QTimer.singleShot(0, lambda: self.input.handsfree_button.setChecked(True))
        # the intent classifier loads (or, on the first run, trains: seconds) while the first message is typed
        self.input.edit.textChanged.connect(self._prepare_router)
        if startup_problems:  # one-line problems found at start-up (settings file, history database)
            first, more = startup_problems[0], len(startup_problems) - 1
            self.message_bar.show_message(
                (lambda: translate("MainWindow", "{problem} (and {count} more)").format(problem=first, count=more))
                if more else first, timeout_ms=12000)

    @property
    def settings(self) -> Settings:
        return self.settings_service.settings

    def _prepare_router(self) -> None:
        self.input.edit.textChanged.disconnect(self._prepare_router)
        prepare = getattr(self.engine, "prepare_router", None)
        if prepare is not None:
            self.controller.call(prepare)

    @property
    def cid(self) -> int | None:
        return self.chat.id

    # ---- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.sidebar = Sidebar()
        self.view = ConversationView()
        self.message_bar = MessageBar()
        self.input = InputBar(self.settings.imagegen, self.profile.attachments_dir / "incoming")
        self.input.send_handler = lambda text, images, mode, opts, now: self.send_text(text, images, mode, opts,
                                                                                       interrupt=now)
        center = QWidget()
        center.setObjectName("Center")
        v = QVBoxLayout(center)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(0)
        self.temporary_banner = QLabel()
        self.temporary_banner.setObjectName("TemporaryBanner")
        self.temporary_banner.setWordWrap(True)
        self.temporary_banner.hide()
        v.addWidget(self.temporary_banner)
        v.addWidget(self.view, 1)
        bar_box = QWidget()
        bl = QVBoxLayout(bar_box)
        bl.setContentsMargins(24, 0, 24, 4)
        self.index_bar = IndexBar()
        bl.addWidget(self.index_bar)
        bl.addWidget(self.message_bar)
        v.addWidget(bar_box)
        v.addWidget(self.input)
        self.details = DetailsPanel()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        for i, (part, stretch) in enumerate(((self.sidebar, 0), (center, 1), (self.details, 0))):
            self.splitter.addWidget(part)
            self.splitter.setStretchFactor(i, stretch)
        self.splitter.setSizes([240, 700, 300])
        self.setCentralWidget(self.splitter)
        self.overlay = DropOverlay(self.splitter)
        self.installEventFilter(DropTarget(self, self.overlay, self.splitter))
        self.status_models = ModelStatusBar()
        self.setStatusBar(self.status_models)
        # keyboard order: conversations, the conversation, the message box, the side panel
        QWidget.setTabOrder(self.sidebar, self.view)
        QWidget.setTabOrder(self.view, self.input)
        QWidget.setTabOrder(self.input, self.details)

    def _wire(self) -> None:
        c = self.controller
        c.event.connect(self.turns._on_event)
        c.busyChanged.connect(self.input.set_busy)
        c.queueChanged.connect(self.turns._on_queue)
        c.modelStatus.connect(lambda ev: self.status_models.set_state(ev.role, ev.state, ev.detail, ev.device,
                                                                      ev.progress, ev.detail_text))
        c.taskDone.connect(self._on_task_done)
        self.history.conversationsChanged.connect(lambda convs: self.sidebar.set_conversations(convs, self.cid))
        self.history.problem.connect(self.show_problem)
        self.settings_service.settingsChanged.connect(self._on_settings_changed)
        self.settings_service.problem.connect(self.show_problem)
        s, conv = self.sidebar, self.conversations
        s.newRequested.connect(self.new_chat)
        s.conversationActivated.connect(self.open_conversation)
        s.renameRequested.connect(conv.rename)
        s.deleteRequested.connect(conv.delete)
        s.searchRequested.connect(conv.search)
        s.hitActivated.connect(conv.open_hit)
        s.exportRequested.connect(conv.export)
        i = self.input
        i.stopRequested.connect(self.stop)
        i.problem.connect(self.show_problem)
        vc = self.voice_ctl
        vc.problem.connect(self.show_problem)
        vc.partial.connect(lambda text: self.turns._show(self.presenter.partial(text)))
        vc.event.connect(self.voiceEvent)
        vc.revised.connect(self.turns.revise)
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
        v.copied.connect(lambda _t: self.message_bar.show_message(
            lambda: translate("MainWindow", "Copied to the clipboard."), timeout_ms=2500))
        v.messageEdited.connect(conv.branch)
        v.intentChosen.connect(self.choose_intent)
        v.intentCorrected.connect(self.correct_intent)
        v.memoryAccepted.connect(self.remember)
        v.memoryDismissed.connect(self.not_now)
        self.details.citationActivated.connect(self.open_citation)
        k = self.knowledge
        k.indexStarted.connect(self._indexing)
        k.problem.connect(self.show_problem)
        k.memoriesChanged.connect(self.details.set_memories)
        if k.has("memory"):
            k.refresh_memories()  # "how it was understood" names a stored reply's memories
        on_language(self.temporary_banner, lambda: self.temporary_banner.setText(translate(
            "MainWindow", "Temporary chat — nothing is saved: not the messages, not the chat, no memories. "
            "Start a new chat (Ctrl+N) to keep what you write.")))
        QGuiApplication.instance().styleHints().colorSchemeChanged.connect(self._on_system_scheme)

    def _manager_statuses(self) -> list:
        try:
            return list(self.engine.manager.statuses())
        except Exception:
            return []

    # ---- conversations (the list's actions live in Conversations) ---------------------------
    def refresh_conversations(self) -> None:
        self.history.refresh()

    def new_chat(self) -> None:
        self.conversations.new_chat()

    def new_temporary_chat(self) -> None:
        """A chat that stores nothing (``Turn(temporary=True)``), marked as such over the conversation;
        it is not in the conversation list, and ends with the next chat opened or started."""
        self.conversations.new_chat(temporary=True)
        self.message_bar.show_message(lambda: translate("MainWindow", "Temporary chat: nothing of it is saved."),
                                      timeout_ms=4000)

    def set_temporary(self, on: bool) -> None:
        self.temporary = bool(on)
        self.temporary_banner.setVisible(self.temporary)
        if hasattr(self, "act_temporary"):
            self.act_temporary.setChecked(self.temporary)

    def open_conversation(self, cid: int | None) -> None:
        self.conversations.open(cid)

    def rename_conversation(self, cid: int, title: str) -> None:
        self.conversations.rename(cid, title)

    def delete_conversation(self, cid: int) -> None:
        self.conversations.delete(cid)

    def run_search(self, query: str) -> None:
        self.conversations.search(query)

    def open_hit(self, cid: int, mid: int) -> None:
        self.conversations.open_hit(cid, mid)

    def export(self, cid: int | None, fmt: str) -> None:
        self.conversations.export(cid, fmt)

    def delete_all_data(self) -> None:
        self.conversations.delete_all()

    # ---- turns (the work is in Turns) ------------------------------------------------------------
    def send_text(self, text: str, images: list | tuple = (), mode: str = "", options: ImageOptions | None = None,
                  *, audio: Any = None, sample_rate: int = 16000, interrupt: bool = False) -> int | None:
        """Send a turn in the current chat: it waits behind a running reply, or with ``interrupt``
        stops it and runs now. Returns the request id."""
        return self.turns.send_text(text, images, mode, options, audio=audio, sample_rate=sample_rate,
                                    interrupt=interrupt)

    def regenerate(self) -> int | None:
        return self.turns.regenerate()

    def variations(self, item: MessageItem) -> int | None:
        return self.turns.variations(item)

    def choose_intent(self, item: MessageItem, intent: str) -> int | None:
        return self.turns.choose(item, intent)

    def correct_intent(self, item: MessageItem, intent: str) -> int | None:
        return self.turns.correct(item, intent)

    def edit_image(self, path: str) -> None:
        self.turns.edit_image(path)

    def stop(self) -> None:
        self.turns.stop()

    def rate(self, item: MessageItem, rating: int, comment: str = "") -> None:
        self.turns.rate(item, rating, comment)

    def play(self, item: MessageItem) -> None:
        self.turns.play(item)

    @property
    def presenter(self) -> TurnPresenter:
        return self.turns.presenter

    def _on_task_done(self, tid: int, result: Any) -> None:
        if tid == getattr(self, "_load_all_task", None) and result:
            role, message, text = result[0]  # the first model that failed (Controller.preload)
            self.show_problem(lambda: translate("MainWindow", "some models could not be loaded: {role}: {problem}")
                              .format(role=role, problem=render(text, message)))

    # ---- voice (the VoiceController does the work) ----------------------------------------------
    @property
    def voice(self):
        return self.voice_ctl.loop

    def voice_loop(self):
        return self.voice_ctl.voice_loop()

    def speaker(self) -> Any:
        return self.voice_ctl.speaker()

    def set_hands_free(self, on: bool) -> None:
        self.voice_ctl.set_hands_free(on)

    def set_muted(self, muted: bool) -> None:
        self.voice_ctl.set_muted(muted)

    # ---- models and settings --------------------------------------------------------------------
    def load_all(self) -> None:
        self._load_all_task = self.controller.preload(["chat", "vision", "vlm", "imagegen", "asr", "tts"])
        self.message_bar.show_message(lambda: translate("MainWindow", "Loading all models in the background…"),
                                      timeout_ms=4000)

    def open_models(self, role: str | None = None) -> ModelsDialog:
        """The Models dialog (``role``: with that role's row selected, its download one click away)."""
        dlg = ModelsDialog(self.engine, self.controller, self.settings, self, focus_role=role)
        dlg.settingsChanged.connect(self.apply_settings)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def open_first_run(self):
        """The first-run screen (shown once at the first start; again from Models > Set up models…)."""
        from .firstrun import FirstRunDialog

        dlg = FirstRunDialog(self.engine, self.controller, self.settings, self.profile, self)
        dlg.settingsChanged.connect(self.apply_settings)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def open_settings(self):
        from pipelines import secrets

        from .settings_dialog import SettingsDialog

        dlg = SettingsDialog(self.settings_service, self, set_api_key=secrets.set_api_key,
                             api_key_status=secrets.has_api_key, corrections=self.intents)
        dlg.deleteAllRequested.connect(self.delete_all_data)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def apply_settings(self, new: Settings) -> None:
        self.settings_service.update(new)

    def _on_settings_changed(self, old: Settings, new: Settings) -> None:
        """Everything that depends on settings follows them at once."""
        for obj in (self.engine, getattr(self.engine, "manager", None), getattr(self.engine, "catalog", None)):
            if obj is not None and hasattr(obj, "settings"):
                obj.settings = new
        self.voice_ctl.apply_settings(old, new)
        if new.general.language != old.general.language:
            self.set_language(resolve_language(new.general.language))
        if new.general.theme != old.general.theme:
            self.set_theme(new.general.theme)
        if new.imagegen != old.imagegen:
            self.input.params.reset(new.imagegen)
        if new.memory.enabled != old.memory.enabled and hasattr(self, "act_pause_memory"):
            self.act_pause_memory.setChecked(not new.memory.enabled)
        if new.general.history_enabled != old.general.history_enabled:
            self.message_bar.show_message(
                lambda: translate("MainWindow", "History on/off takes effect the next time Sensorium starts."))

    def set_language(self, code: str) -> bool:
        """Switch the interface to ``code`` ("en", "zh_CN") now: Qt sends every widget a LanguageChange
        and each relabels itself (desktop/i18n.py); nothing is rebuilt or reloaded. False, and a line
        in the message bar, when that language's translations are missing."""
        if self.translations.apply(code):
            return True
        name = LANGUAGES.get(code, code)
        self.show_problem(lambda: translate("MainWindow", "the interface could not switch to {language}: its "
                                            "translations are missing (run make translations)").format(language=name))
        return False

    # ---- theme, focus, small helpers -------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        if name != self.settings.general.theme:
            self.settings_service.replace("general", theme=name)  # comes back here through settingsChanged
            return
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
        for part in (self.view, self.input, self.sidebar, self.details, self.status_models):
            part.restyle()

    def show_problem(self, text: str | Callable[[], str], role: str = "", *, english: str = "") -> None:
        """A one-line problem (or a function that says it in the current language: it is said again
        after a language switch). When it says a role's model must be fetched (a ModelUnavailable of a
        turn; ``english`` is its English line, which names the command), the bar offers the download:
        Download… opens Models with that role selected."""
        line = english or (text() if callable(text) else text)
        if role and "sensorium models fetch" in line:
            self.message_bar.show_message(text, action=lambda: translate("MainWindow", "Download…"),
                                          callback=lambda: self.open_models(role), timeout_ms=20000)
            return
        self.message_bar.show_message(text, timeout_ms=10000)

    def attach(self, paths: list[str]) -> list[str]:
        """Dropped or chosen files: documents (PDF, Markdown, text, HTML, Word) go to your documents'
        index, pictures to the message. Returns the pictures attached."""
        if self.knowledge.has("documents"):
            docs = [p for p in paths if is_document(p)]
            if docs:
                self.add_documents(docs)
                paths = [p for p in paths if p not in docs]
                if not paths:
                    return []
        added = self.input.add_files(paths)
        if added:
            n = len(self.input.images)
            self.message_bar.show_message(
                (lambda: translate("MainWindow", "1 picture attached: ask a question about it, or switch on the brush "
                                   "to edit.")) if n == 1 else
                (lambda: translate("MainWindow", "{count} pictures attached: ask a question about them, or switch on "
                                   "the brush to edit.").format(count=n)), timeout_ms=5000)
            self.input.edit.setFocus()
        return added

    # ---- documents, memory, learning (the work is in Knowledge, off the GUI thread) -------------
    def _unavailable(self, feature: str) -> bool:
        if self.knowledge.has(feature):
            return False
        self.show_problem(lambda: translate("MainWindow", "this engine has no {feature}").format(
            feature={"documents": translate("MainWindow", "documents index"),
                     "memory": translate("MainWindow", "memory"),
                     "learning": translate("MainWindow", "learning from ratings")}[feature]))
        return True

    def add_documents(self, paths: list[str] | None = None):
        """Index files (a file dialog when ``paths`` is None); progress shows over the message box."""
        if self._unavailable("documents"):
            return None
        paths = choose_documents(self) if paths is None else paths
        return self.knowledge.index(paths) if paths else None

    def add_folder(self):
        if self._unavailable("documents"):
            return None
        paths = choose_folder(self)
        return self.knowledge.index(paths) if paths else None

    def _indexing(self, job: Any) -> None:
        self.index_bar.watch(job)

        def ended(ev: Any) -> None:
            if isinstance(ev, Indexed):
                lines = [indexed_summary(ev), *failed_lines(ev)]
                self.message_bar.show_message(lambda: "\n".join([indexed_summary(ev), *failed_lines(ev)]),
                                              timeout_ms=12000 if ev.failed else 6000)
                self.view.announce(" ".join(lines))

        job.finished.connect(ended)
        job.cancelled.connect(ended)
        job.failed.connect(lambda e: self.show_problem(lambda: translate("MainWindow", "indexing failed ({problem})")
                                                       .format(problem=e)))

    def _dialog(self, name: str, make: Callable[[], Any]):
        dlg = self._dialogs.get(name)
        if dlg is None:
            dlg = self._dialogs[name] = make()
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dlg.destroyed.connect(lambda _o=None, n=name: self._dialogs.pop(n, None))
        dlg.show()
        dlg.raise_()
        dlg.activateWindow()
        return dlg

    def open_documents(self) -> DocumentsDialog | None:
        """The Documents dialog: what is indexed, Add, Add a folder, Remove."""
        if self._unavailable("documents"):
            return None
        return self._dialog("documents", lambda: DocumentsDialog(self.knowledge, self))

    def open_memory(self):
        """The Memory dialog: every memory, edit, delete, add, Forget all, Pause memory."""
        if self._unavailable("memory"):
            return None
        from .memory_ui import MemoryDialog

        return self._dialog("memory", lambda: MemoryDialog(self.knowledge, self.settings_service, self))

    def open_learning(self):
        """Learn from my ratings: train, the before/after table, the adapters."""
        if self._unavailable("learning"):
            return None
        from .learning_ui import LearnDialog

        return self._dialog("learning", lambda: LearnDialog(self.knowledge, self))

    def set_memory_paused(self, paused: bool) -> None:
        if paused == (not self.settings.memory.enabled):
            return
        self.settings_service.replace("memory", enabled=not paused)
        self.message_bar.show_message(
            (lambda: translate("MainWindow", "Memory paused: nothing is used or offered.")) if paused else
            (lambda: translate("MainWindow", "Memory is on again.")), timeout_ms=4000)

    def remember(self, item: MessageItem, n: int, text: str) -> None:
        """Remember on a reply's proposal: stored (with the user's text) on the history worker."""
        mem = item.meta.get("memory")
        if not mem or not 0 <= n < len(mem["proposals"]) or mem["states"][n] != "asking":
            return
        mem["states"][n], mem["texts"][n] = "saving", text
        self.view.update_item(item)

        def stored(m: Any) -> None:
            mem["states"][n], mem["texts"][n] = "remembered", getattr(m, "text", text)
            self.view.update_item(item)
            self.view.announce(translate("MainWindow", "Remembered: {text}").format(text=mem["texts"][n]))

        def failed(_e: str) -> None:
            mem["states"][n] = "asking"
            self.view.update_item(item)

        self.knowledge.accept_memory(mem["proposals"][n], mem.get("message_id"), text, stored, failed)

    def not_now(self, item: MessageItem, n: int) -> None:
        mem = item.meta.get("memory")
        if mem and 0 <= n < len(mem["states"]) and mem["states"][n] == "asking":
            mem["states"][n] = "dismissed"
            self.view.update_item(item)

    def open_citation(self, citation: dict) -> Any:
        """A source of a reply, where it is: a PDF in the default viewer at its page, another
        document in Sensorium's viewer at the passage. Returns the viewer (None for a PDF)."""
        path = str(citation.get("file", ""))
        if path.lower().endswith(".pdf"):
            if not open_in_default_app(path, citation.get("page")):
                self.show_problem(lambda: translate("MainWindow", "no application could open {file}").format(
                    file=path))
            return None
        viewer = CitationViewer(citation, make_reader(self.knowledge.docs), self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.open()
        return viewer

    def show_image(self, path: str) -> None:
        viewer = ImageViewer(path, self)
        viewer.useAsInput.connect(lambda p: self.attach([p]))
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.open()

    def copy_image(self, path: str) -> None:
        if copy_image(path):
            self.message_bar.show_message(lambda: translate("MainWindow", "Picture copied to the clipboard."),
                                          timeout_ms=2500)

    def focus_input(self) -> None:
        self.input.edit.setFocus()

    def focus_search(self) -> None:
        self.sidebar.search.setFocus()
        self.sidebar.search.selectAll()

    def cycle_focus(self, step: int) -> None:
        """F6 / Shift+F6: move between the window's areas (conversations, conversation, message box, panel)."""
        areas = [a for a in (self.sidebar, self.view, self.input.edit, self.details) if a.isVisible()]
        focus = QApplication.focusWidget()
        here = next((i for i, a in enumerate(areas) if focus is not None and (a is focus or a.isAncestorOf(focus))),
                    -1)
        target = areas[(here + step) % len(areas)]
        target.setFocus(Qt.FocusReason.TabFocusReason)
        if not target.hasFocus():
            target.focusNextChild()

    def toggle_panel(self) -> None:
        vis = not self.details.isVisible()
        self.details.setVisible(vis)
        self.act_panel.setChecked(vis)

    def closeEvent(self, e):
        """Cancel every turn, close the microphone and the speaker; the app joins the workers
        (``shutdown``) before the store closes."""
        self.controller.shutdown()
        self.knowledge.shutdown()  # indexing and learning are cancelled; each keeps what it finished
        self.voice_ctl.shutdown()
        save_geometry(self)
        self.history.call(lambda s: s.purge_deleted())
        super().closeEvent(e)

    def shutdown(self, timeout_s: float = 15.0) -> bool:
        """After the event loop: join the turn runner, the voice loop and the history worker, so that
        nothing is still writing when the store closes. True when all ended in time."""
        ok = self.controller.wait_idle(int(timeout_s * 1000))
        ok = self.knowledge.wait(timeout_s) and ok
        if self.voice_ctl.loop is not None:
            self.voice_ctl.loop.stop(timeout_s)
        return self.history.shutdown(timeout_s) and ok
