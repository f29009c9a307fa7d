"""Models (over the catalog) and the full-size image viewer. (Settings: desktop/settings_dialog.py.)"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
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

from .server_panel import KeyStore, ServerPanel
from .statusbar import ROLE_LABELS

__all__ = ["ModelsDialog", "ImageViewer"]

class ModelsDialog(QDialog):
    """The catalog per role: choose, download (progress, cancel), verify, remove, use a local path, load;
    Check runs `sensorium doctor` (pipelines.doctor) on a worker and shows its lines as they come.
    ``servers`` (a ``ServerPanel``) says where the selected role runs: here, or on a serving engine."""

    settingsChanged = Signal(object)

    COLS = ("Role", "Model", "Runs on", "Status", "Source", "Size")

    def __init__(self, engine: Any, controller: Any, settings: Settings, parent=None, *, focus_role: str | None = None,
                 keys: KeyStore | None = None):
        super().__init__(parent)
        self.setWindowTitle("Models")
        self.focus_role = focus_role  # selected once the statuses are in (a turn's "Download…" offer)
        self.resize(860, 560)
        self.engine, self.controller, self.settings = engine, controller, settings
        lay = QVBoxLayout(self)
        intro = QLabel("Each role uses one model. Offline packs work without a network; hub models download once "
                       "(resumable, checked). Choose a model, or point a role at a folder or file of your own.")
        intro.setWordWrap(True)
        intro.setObjectName("Muted")
        lay.addWidget(intro)
        self.table = QTableWidget(0, len(self.COLS))
        self.table.setHorizontalHeaderLabels(self.COLS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(4, 190)  # the source is long ("Hugging Face org/name"): its tooltip has it all
        self.table.setAccessibleName("Models")
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
        self.doctor_view.setAccessibleName("Check results")
        self.doctor_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.doctor_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.doctor_view.hide()
        lay.addWidget(self.doctor_view, 2)
        self.message = QLabel("Checking the models…")
        self.message.setWordWrap(True)
        self.message.setObjectName("Muted")
        lay.addWidget(self.message)
        row = QHBoxLayout()
        self.buttons = {}
        for name, slot in (("Download", self.download), ("Cancel", self.cancel_download), ("Verify", self.verify),
                           ("Remove", self.remove), ("Use a local path…", self.local_path), ("Load now", self.load_now),
                           ("Check", self.check)):
            b = QPushButton(name)
            b.setAccessibleName(name.rstrip("…"))
            b.clicked.connect(slot)
            row.addWidget(b)
            self.buttons[name] = b
        row.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        lay.addLayout(row)
        self.buttons["Cancel"].setEnabled(False)
        self.statuses: dict[str, Any] = {}
        self._task = None
        self._fetch: tuple[int, Any] | None = None
        self._doctor: tuple[int, Any] | None = None  # (task id, cancel token) of a running check
        self.buttons["Check"].setToolTip("Load each model and run a one-line test: device, libraries, weights, fixes")
        controller.taskDone.connect(self._on_doctor_done)
        controller.taskFailed.connect(self._on_doctor_failed)
        controller.taskProgress.connect(self._on_doctor_progress)
        controller.taskDone.connect(self._on_done)
        controller.taskFailed.connect(self._on_failed)
        controller.taskProgress.connect(self._on_progress)
        self.refresh()

    def role(self) -> str | None:
        r = self.table.currentRow()
        item = self.table.item(r, 0) if r >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def refresh(self) -> None:
        self._task = self.controller.run_task(self.engine.catalog.statuses)

    def _fill(self, statuses) -> None:
        cur, self.focus_role = self.focus_role or self.role(), None
        self.statuses = {s.role: s for s in statuses}
        self.table.setRowCount(len(statuses))
        for i, s in enumerate(statuses):
            role_item = QTableWidgetItem(ROLE_LABELS.get(s.role, s.role))
            role_item.setData(Qt.ItemDataRole.UserRole, s.role)
            self.table.setItem(i, 0, role_item)
            combo = QComboBox()
            names = [e.name for e in self.engine.catalog.entries(s.role)]
            if s.model and s.model not in names:
                names.insert(0, s.model)
            for n in names:
                combo.addItem(n, n)
            combo.setCurrentIndex(max(0, names.index(s.model)) if s.model in names else 0)
            combo.currentIndexChanged.connect(lambda _i, role=s.role, c=combo: self.choose(role, c.currentData()))
            self.table.setCellWidget(i, 1, combo)
            server = self.settings.server(s.role)
            where = QTableWidgetItem("this computer" if server is None else f"server: {_host(server.base_url)}")
            where.setToolTip("Runs on this computer" if server is None else
                             f"{server.model} on the server at {server.base_url}")
            self.table.setItem(i, 2, where)
            status = {"ready": "ready", "needs-download": "needs download", "missing": "missing",
                      "checksum-mismatch": "damaged (checksum mismatch)"}.get(s.status, s.status)
            st = QTableWidgetItem(status + (f": {s.message}" if s.message else ""))
            if server is not None:  # the local model stays chosen, for when the role comes back here
                st = QTableWidgetItem(f"{server.model} on the server (local model {status}, unused)")
            st.setToolTip(s.message or s.path)
            self.table.setItem(i, 3, st)
            source = QTableWidgetItem(s.source)
            source.setToolTip(s.source)
            self.table.setItem(i, 4, source)
            self.table.setItem(i, 5, QTableWidgetItem(f"{s.size_mb:,.0f} MB" if s.size_mb else ""))
            if s.role == cur:
                self.table.selectRow(i)
        if self.table.currentRow() < 0 and statuses:
            self.table.selectRow(0)
        s = self.statuses.get(cur or "")
        if s is not None and s.status == "needs-download":
            size = f" ({s.size_mb:,.0f} MB)" if s.size_mb else ""
            self.message.setText(f"{ROLE_LABELS.get(s.role, s.role)}: {s.model}{size} is not downloaded yet; "
                                 f"press Download to get it.")
        else:
            self.message.setText("Select a role, then download, verify or load its model.")

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
            self.message.setText(str(e))
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
        self.message.setText(f"Downloading {s.model if s else role}…")
        tid, token = self.controller.run_cancellable(
            lambda cancel, progress: self.engine.catalog.fetch(role, s.model if s else None, progress=progress,
                                                               cancel=cancel))
        self._fetch = (tid, token)

    def cancel_download(self) -> None:
        if self._fetch is not None:
            self._fetch[1].cancel()
            self.message.setText("Cancelling the download…")

    def verify(self) -> None:
        self.message.setText("Verifying checksums…")
        self.refresh()

    def remove(self) -> None:
        role = self.role()
        s = self.statuses.get(role) if role else None
        if s is None:
            return
        try:
            removed = self.engine.catalog.remove(s.model)
        except Exception as e:
            self.message.setText(str(e))
            return
        self.message.setText(f"{s.model} removed." if removed else f"{s.model} is not a downloaded model; nothing removed.")
        self.refresh()

    def local_path(self) -> None:
        role = self.role()
        if role is None:
            return
        path = QFileDialog.getExistingDirectory(self, f"Folder with the {ROLE_LABELS.get(role, role)} model")
        if path:
            self.choose(role, path)

    def load_now(self) -> None:
        role = self.role()
        if role is not None:
            self.controller.preload([role])
            self.message.setText(f"Loading the {ROLE_LABELS.get(role, role).lower()} model in the background…")

    def check(self) -> None:
        """Run the doctor over every role on the controller's worker pool (never on this thread)."""
        if self._doctor is not None:
            return
        if getattr(self.controller, "busy", False):
            self.message.setText("A reply is running; check the models when it has finished.")
            return
        from pipelines.doctor import check_host, run_doctor

        manager = self.engine.manager

        def work(cancel, progress):
            host = check_host(manager.settings)
            progress(host)
            return run_doctor(manager, host=host, on_role=progress, cancel=cancel)

        self.doctor_view.setPlainText("Checking each role: loading its model and running a one-line test…")
        self.doctor_view.show()
        self.buttons["Check"].setEnabled(False)
        self.message.setText("Checking the models…")
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
        self.doctor_view.appendPlainText(report.summary())
        self.message.setText(("Check passed: " if report.ok else "Check found problems: ") + report.summary())

    def _on_doctor_failed(self, tid: int, message: str) -> None:
        if self._doctor is not None and tid == self._doctor[0]:
            self._doctor = None
            self.buttons["Check"].setEnabled(True)
            self.doctor_view.appendPlainText(f"The check stopped: {message}")

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
            self.message.setText("Download complete.")
            self.refresh()

    def _on_failed(self, tid: int, message: str) -> None:
        if self._fetch is not None and tid == self._fetch[0]:
            self._fetch = None
            self.progress.hide()
            self.buttons["Cancel"].setEnabled(False)
        if tid == self._task or tid not in (None,):
            self.message.setText(message)

    def _on_progress(self, tid: int, value: Any) -> None:
        if self._fetch is None or tid != self._fetch[0]:
            return
        done, total = getattr(value, "done", 0), getattr(value, "total", 0)
        if total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * done / total))
            self.progress.setFormat(f"{getattr(value, 'file', '')}  {done / 2**20:,.0f} / {total / 2**20:,.0f} MB")


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
        else:
            self.image.setText("This picture can no longer be opened.")
        lay.addWidget(self.image, 1)
        row = QHBoxLayout()
        for name, slot in (("Save as…", self.save_as), ("Copy", self.copy), ("Use as input", self.use)):
            b = QPushButton(name)
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        lay.addLayout(row)

    def save_as(self) -> None:
        save_image_as(self, self.path)

    def copy(self) -> None:
        copy_image(self.path)

    def use(self) -> None:
        self.useAsInput.emit(self.path)
        self.accept()


def save_image_as(parent, path: str) -> str | None:
    target, _ = QFileDialog.getSaveFileName(parent, "Save picture as", str(Path.home() / Path(path).name),
                                            "Pictures (*.png *.jpg *.webp)")
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
