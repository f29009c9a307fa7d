"""Models (over the catalog) and the full-size image viewer. (Settings: desktop/settings_dialog.py.)

Their texts follow the interface's language: each dialog words its texts in ``_retranslate`` (run
again on every switch), and the lines that depend on what is going on are worded again from it.
The catalog's model notes are looked up under the context "catalog"."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from pipelines.settings import Settings

from .i18n import on_language, render, translate
from .server_panel import KeyStore, ServerPanel
from .statusbar import ROLE_LABELS

__all__ = ["ModelsDialog", "ImageViewer"]

#: A model's status (pipelines.catalog), as the table words it.
_STATUS = {"ready": QT_TRANSLATE_NOOP("ModelsDialog", "ready"),
           "needs-download": QT_TRANSLATE_NOOP("ModelsDialog", "needs download"),
           "missing": QT_TRANSLATE_NOOP("ModelsDialog", "missing"),
           "checksum-mismatch": QT_TRANSLATE_NOOP("ModelsDialog", "damaged (checksum mismatch)")}
#: The buttons, by their English names (``buttons[name]``), in screen order.
_BUTTONS = (QT_TRANSLATE_NOOP("ModelsDialog", "Download"), QT_TRANSLATE_NOOP("ModelsDialog", "Cancel"),
            QT_TRANSLATE_NOOP("ModelsDialog", "Verify"), QT_TRANSLATE_NOOP("ModelsDialog", "Remove"),
            QT_TRANSLATE_NOOP("ModelsDialog", "Use a local path…"), QT_TRANSLATE_NOOP("ModelsDialog", "Load now"),
            QT_TRANSLATE_NOOP("ModelsDialog", "Check"))


def _role_name(role: str) -> str:
    """A role's name as the status bar says it (its table and its translations)."""
    return translate("ModelStatusBar", ROLE_LABELS[role]) if role in ROLE_LABELS else role


def _error(e: BaseException) -> str:
    return render(getattr(e, "text", None), str(e))


class ModelsDialog(QDialog):
    """The catalog per role: choose, download (progress, cancel), verify, remove, use a local path, load;
    Check runs `sensorium doctor` (pipelines.doctor) on a worker and shows its lines as they come.
    ``servers`` (a ``ServerPanel``) says where the selected role runs: here, or on a serving engine."""

    settingsChanged = Signal(object)

    COLS = (QT_TRANSLATE_NOOP("ModelsDialog", "Role"), QT_TRANSLATE_NOOP("ModelsDialog", "Model"),
            QT_TRANSLATE_NOOP("ModelsDialog", "Runs on"), QT_TRANSLATE_NOOP("ModelsDialog", "Status"),
            QT_TRANSLATE_NOOP("ModelsDialog", "Source"), QT_TRANSLATE_NOOP("ModelsDialog", "Size"))

    def __init__(self, engine: Any, controller: Any, settings: Settings, parent=None, *, focus_role: str | None = None,
                 keys: KeyStore | None = None):
        super().__init__(parent)
        self.focus_role = focus_role  # selected once the statuses are in (a turn's "Download…" offer)
        self.resize(860, 560)
        self.engine, self.controller, self.settings = engine, controller, settings
        lay = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("Muted")
        lay.addWidget(self.intro)
        self.table = QTableWidget(0, len(self.COLS))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(4, 190)  # the source is long ("Hugging Face org/name"): its tooltip has it all
        lay.addWidget(self.table, 1)
        self.servers = ServerPanel(controller, self, keys=keys)
        self.servers.applied.connect(self._server_applied)
        self.table.itemSelectionChanged.connect(lambda: self.servers.show_role(self.role(), self.settings))
        lay.addWidget(self.servers)
        self.progress = QProgressBar()
        self.progress.hide()
        lay.addWidget(self.progress)
        self.doctor_view = QPlainTextEdit()  # the doctor's report, shown once Check is pressed
        self.doctor_view.setReadOnly(True)
        self.doctor_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.doctor_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.doctor_view.hide()
        lay.addWidget(self.doctor_view, 2)
        self.message = QLabel()
        self._message = lambda: translate("ModelsDialog", "Checking the models…")  # the line, in the current language
        self.message.setWordWrap(True)
        self.message.setObjectName("Muted")
        lay.addWidget(self.message)
        row = QHBoxLayout()
        self.buttons = {}
        for name, slot in zip(_BUTTONS, (self.download, self.cancel_download, self.verify, self.remove,
                                         self.local_path, self.load_now, self.check)):
            b = QPushButton()
            b.clicked.connect(slot)
            row.addWidget(b)
            self.buttons[name] = b
        row.addStretch(1)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.close_button)
        lay.addLayout(row)
        self.buttons["Cancel"].setEnabled(False)
        self.statuses: dict[str, Any] = {}
        self._order: list[Any] = []  # the statuses in table order, to word the rows again
        self._notes: dict[str, dict[str, str]] = {}  # role -> model name -> its catalog description
        self._task = None
        self._fetch: tuple[int, Any] | None = None
        self._doctor: tuple[int, Any] | None = None  # (task id, cancel token) of a running check
        controller.taskDone.connect(self._on_doctor_done)
        controller.taskFailed.connect(self._on_doctor_failed)
        controller.taskProgress.connect(self._on_doctor_progress)
        controller.taskDone.connect(self._on_done)
        controller.taskFailed.connect(self._on_failed)
        controller.taskProgress.connect(self._on_progress)
        on_language(self, self._retranslate)
        self.refresh()

    def _retranslate(self) -> None:
        self.setWindowTitle(translate("ModelsDialog", "Models"))
        self.intro.setText(translate("ModelsDialog", "Each role uses one model. Offline packs work without a network; "
                                                     "hub models download once (resumable, checked). Choose a model, "
                                                     "or point a role at a folder or file of your own."))
        self.table.setHorizontalHeaderLabels([translate("ModelsDialog", c) for c in self.COLS])
        self.table.setAccessibleName(translate("ModelsDialog", "Models"))
        self.doctor_view.setAccessibleName(translate("ModelsDialog", "Check results"))
        for name, b in self.buttons.items():
            b.setText(translate("ModelsDialog", name))
            b.setAccessibleName(translate("ModelsDialog", name).rstrip("…"))
        self.buttons["Check"].setToolTip(translate("ModelsDialog", "Load each model and run a one-line test: device, "
                                                                   "libraries, weights, fixes"))
        self.close_button.setText(translate("ModelsDialog", "Close"))
        for i, s in enumerate(self._order):
            self._label_row(i, s)
        self.message.setText(self._message())

    def _say(self, text: Any) -> None:
        """The message line: ``text`` words it in the current language (again on a switch)."""
        self._message = text
        self.message.setText(text())

    def role(self) -> str | None:
        r = self.table.currentRow()
        item = self.table.item(r, 0) if r >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def refresh(self) -> None:
        self._task = self.controller.run_task(self.engine.catalog.statuses)

    def _fill(self, statuses) -> None:
        cur, self.focus_role = self.focus_role or self.role(), None
        self.statuses = {s.role: s for s in statuses}
        self._order = list(statuses)
        self.table.setRowCount(len(statuses))
        for i, s in enumerate(statuses):
            role_item = QTableWidgetItem()
            role_item.setData(Qt.ItemDataRole.UserRole, s.role)
            self.table.setItem(i, 0, role_item)
            combo = QComboBox()
            entries = {e.name: e for e in self.engine.catalog.entries(s.role)}
            names = list(entries)
            if s.model and s.model not in names:
                names.insert(0, s.model)
            for n in names:
                combo.addItem(n, n)
            self._notes[s.role] = {n: d for n, e in entries.items() if (d := getattr(e, "description", ""))}
            combo.setCurrentIndex(max(0, names.index(s.model)) if s.model in names else 0)
            combo.currentIndexChanged.connect(lambda _i, role=s.role, c=combo: self.choose(role, c.currentData()))
            self.table.setCellWidget(i, 1, combo)
            for col in (2, 3, 5):
                self.table.setItem(i, col, QTableWidgetItem())
            where = render(getattr(s, "source_text", None), s.source)
            source = QTableWidgetItem(where)
            source.setToolTip(where)
            self.table.setItem(i, 4, source)
            self._label_row(i, s)
            if s.role == cur:
                self.table.selectRow(i)
        if self.table.currentRow() < 0 and statuses:
            self.table.selectRow(0)
        s = self.statuses.get(cur or "")
        if s is not None and s.status == "needs-download":
            self._say(lambda: translate("ModelsDialog", "{role}: {model}{size} is not downloaded yet; press Download "
                                                        "to get it.").format(
                role=_role_name(s.role), model=s.model,
                size=translate("ModelsDialog", " ({size} MB)").format(size=f"{s.size_mb:,.0f}") if s.size_mb else ""))
        else:
            self._say(lambda: translate("ModelsDialog", "Select a role, then download, verify or load its model."))

    def _label_row(self, i: int, s: Any) -> None:
        """Word row ``i`` (status ``s``) in the current language: its items stay, their texts change."""
        self.table.item(i, 0).setText(_role_name(s.role))
        combo, notes = self.table.cellWidget(i, 1), self._notes.get(s.role, {})
        for j in range(combo.count()):  # each model's note from the catalog, as its tooltip
            note = notes.get(combo.itemData(j))
            if note:
                combo.setItemData(j, translate("catalog", note), Qt.ItemDataRole.ToolTipRole)
        server = self.settings.server(s.role)
        where = self.table.item(i, 2)
        where.setText(translate("ModelsDialog", "this computer") if server is None else
                      translate("ModelsDialog", "server: {host}").format(host=_host(server.base_url)))
        where.setToolTip(translate("ModelsDialog", "Runs on this computer") if server is None else
                         translate("ModelsDialog", "{model} on the server at {url}").format(model=server.model,
                                                                                          url=server.base_url))
        status = translate("ModelsDialog", _STATUS[s.status]) if s.status in _STATUS else s.status
        st = self.table.item(i, 3)
        if server is not None:  # the local model stays chosen, for when the role comes back here
            st.setText(translate("ModelsDialog", "{model} on the server (local model {status}, unused)").format(
                model=server.model, status=status))
        elif s.message:
            message = render(getattr(s, "message_text", None), s.message)
            st.setText(translate("ModelsDialog", "{status}: {message}").format(status=status, message=message))
        else:
            st.setText(status)
        st.setToolTip(render(getattr(s, "message_text", None), s.message) or s.path)
        self.table.item(i, 5).setText(translate("ModelsDialog", "{size} MB").format(size=f"{s.size_mb:,.0f}")
                                      if s.size_mb else "")

    def _server_applied(self, new: Settings) -> None:
        role = self.servers.role
        self.settings = new
        self.settingsChanged.emit(new)
        manager = getattr(self.engine, "manager", None)
        if role is not None and manager is not None:
            manager.unload(role)  # the model it had (local weights or a client) goes; the next use opens the new one
        self.refresh()

    def choose(self, role: str, name: str) -> None:
        try:
            self.settings = self.settings.replace("models", **{role: name})
        except ValueError as e:
            self._say(lambda err=e: _error(err))
            return
        self.settingsChanged.emit(self.settings)
        self.refresh()

    def download(self) -> None:
        role = self.role()
        if role is None or self._fetch is not None:
            return
        s = self.statuses.get(role)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.buttons["Cancel"].setEnabled(True)
        model = s.model if s else role
        self._say(lambda: translate("ModelsDialog", "Downloading {model}…").format(model=model))
        tid, token = self.controller.run_cancellable(
            lambda cancel, progress: self.engine.catalog.fetch(role, s.model if s else None, progress=progress,
                                                               cancel=cancel))
        self._fetch = (tid, token)

    def cancel_download(self) -> None:
        if self._fetch is not None:
            self._fetch[1].cancel()
            self._say(lambda: translate("ModelsDialog", "Cancelling the download…"))

    def verify(self) -> None:
        self._say(lambda: translate("ModelsDialog", "Verifying checksums…"))
        self.refresh()

    def remove(self) -> None:
        role = self.role()
        s = self.statuses.get(role) if role else None
        if s is None:
            return
        try:
            removed = self.engine.catalog.remove(s.model)
        except Exception as e:
            self._say(lambda err=e: _error(err))
            return
        self._say(lambda: (translate("ModelsDialog", "{model} removed.") if removed else
                           translate("ModelsDialog", "{model} is not a downloaded model; nothing removed.")).format(
            model=s.model))
        self.refresh()

    def local_path(self) -> None:
        role = self.role()
        if role is None:
            return
        path = QFileDialog.getExistingDirectory(
            self, translate("ModelsDialog", "Folder with the {role} model").format(role=_role_name(role)))
        if path:
            self.choose(role, path)

    def load_now(self) -> None:
        role = self.role()
        if role is not None:
            self.controller.preload([role])
            self._say(lambda: translate("ModelsDialog", "Loading the {role} model in the background…").format(
                role=_role_name(role).lower()))

    def check(self) -> None:
        """Run the doctor over every role on the controller's worker pool (never on this thread)."""
        if self._doctor is not None:
            return
        if getattr(self.controller, "busy", False):
            self._say(lambda: translate("ModelsDialog", "A reply is running; check the models when it has finished."))
            return
        from pipelines.doctor import check_host, run_doctor

        manager = self.engine.manager

        def work(cancel, progress):
            host = check_host(manager.settings)
            progress(host)
            return run_doctor(manager, host=host, on_role=progress, cancel=cancel)

        self.doctor_view.setPlainText(translate("ModelsDialog", "Checking each role: loading its model and running a "
                                                                "one-line test…"))
        self.doctor_view.show()
        self.buttons["Check"].setEnabled(False)
        self._say(lambda: translate("ModelsDialog", "Checking the models…"))
        self._doctor = self.controller.run_cancellable(work)

    def _on_doctor_progress(self, tid: int, value: Any) -> None:
        if self._doctor is None or tid != self._doctor[0]:
            return
        from pipelines.doctor import HostCheck, role_lines

        if isinstance(value, HostCheck):
            self.doctor_view.setPlainText(value.line())
        else:
            self.doctor_view.appendPlainText("\n".join(role_lines(value)))

    def _on_doctor_done(self, tid: int, report: Any) -> None:
        if self._doctor is None or tid != self._doctor[0]:
            return
        self._doctor = None
        self.buttons["Check"].setEnabled(True)
        summary = report.summary()  # pipelines.doctor's report is the command line's, in English
        self.doctor_view.appendPlainText(summary)
        self._say(lambda: (translate("ModelsDialog", "Check passed: {summary}") if report.ok else
                           translate("ModelsDialog", "Check found problems: {summary}")).format(summary=summary))

    def _on_doctor_failed(self, tid: int, message: str) -> None:
        if self._doctor is not None and tid == self._doctor[0]:
            self._doctor = None
            self.buttons["Check"].setEnabled(True)
            self.doctor_view.appendPlainText(translate("ModelsDialog", "The check stopped: {message}").format(
                message=message))

    def done(self, result: int) -> None:
        if self._doctor is not None:  # closing stops the check after the role it is on
            self._doctor[1].cancel()
        super().done(result)

    def _on_done(self, tid: int, result: Any) -> None:
        if tid == self._task:
            self._fill(result)
        elif self._fetch is not None and tid == self._fetch[0]:
            self._fetch = None
            self.progress.hide()
            self.buttons["Cancel"].setEnabled(False)
            self._say(lambda: translate("ModelsDialog", "Download complete."))
            self.refresh()

    def _on_failed(self, tid: int, message: str) -> None:
        if self._fetch is not None and tid == self._fetch[0]:
            self._fetch = None
            self.progress.hide()
            self.buttons["Cancel"].setEnabled(False)
        if tid == self._task or tid not in (None,):
            self._say(lambda: message)

    def _on_progress(self, tid: int, value: Any) -> None:
        if self._fetch is None or tid != self._fetch[0]:
            return
        done, total = getattr(value, "done", 0), getattr(value, "total", 0)
        if total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * done / total))
            self.progress.setFormat(translate("ModelsDialog", "{file}  {done} / {total} MB").format(
                file=getattr(value, "file", ""), done=f"{done / 2**20:,.0f}", total=f"{total / 2**20:,.0f}"))


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.netloc.rpartition("@")[2] or url


class ImageViewer(QDialog):
    """A picture at full size with Save as, Copy and Use as input."""

    useAsInput = Signal(str)

    def __init__(self, path: str, parent=None):
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(Path(path).name)
        lay = QVBoxLayout(self)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pm = QPixmap(path)
        screen = QGuiApplication.primaryScreen().availableGeometry()
        if not pm.isNull():
            pm = pm.scaled(min(pm.width(), int(screen.width() * 0.8)), min(pm.height(), int(screen.height() * 0.75)),
                           Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            self.image.setPixmap(pm)
        lay.addWidget(self.image, 1)
        row = QHBoxLayout()
        self.buttons = {}
        for name, slot in ((QT_TRANSLATE_NOOP("ImageViewer", "Save as…"), self.save_as),
                           (QT_TRANSLATE_NOOP("ImageViewer", "Copy"), self.copy),
                           (QT_TRANSLATE_NOOP("ImageViewer", "Use as input"), self.use)):
            b = self.buttons[name] = QPushButton()
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.close_button)
        lay.addLayout(row)
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        if self.image.pixmap().isNull():
            self.image.setText(translate("ImageViewer", "This picture can no longer be opened."))
        for name, b in self.buttons.items():
            b.setText(translate("ImageViewer", name))
        self.close_button.setText(translate("ImageViewer", "Close"))

    def save_as(self) -> None:
        save_image_as(self, self.path)

    def copy(self) -> None:
        copy_image(self.path)

    def use(self) -> None:
        self.useAsInput.emit(self.path)
        self.accept()


def save_image_as(parent, path: str) -> str | None:
    target, _ = QFileDialog.getSaveFileName(parent, translate("ImageViewer", "Save picture as"),
                                            str(Path.home() / Path(path).name),
                                            translate("ImageViewer", "Pictures (*.png *.jpg *.webp)"))
    if target:
        shutil.copyfile(path, target)
        return target
    return None


def copy_image(path: str) -> bool:
    img = QImage(path)
    if img.isNull():
        return False
    QGuiApplication.clipboard().setImage(img)
    return True
