"""Your documents in the window: the indexing strip (the file being read, a progress bar, Cancel),
the one-line summary of what indexing did, and the Documents dialog (what is indexed, Add, Add a
folder, Remove). Every call goes through desktop.knowledge (off the GUI thread)."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pipelines.events import Indexed, IndexProgress

from .i18n import on_language, render, translate

__all__ = ["IndexBar", "DocumentsDialog", "indexed_summary", "failed_lines", "choose_documents", "choose_folder"]


def indexed_summary(ev: Indexed) -> str:
    """What indexing did, in one line of the interface's language."""
    files = ev.added + ev.updated
    if ev.cancelled:
        return translate("Documents", "Indexing stopped: {count} documents were indexed before it; the rest "
                         "was left as it was.").format(count=files)
    if not files and not ev.removed and ev.failed:
        return translate("Documents", "No document was indexed: {count} could not be read.").format(
            count=len(ev.failed))
    if not files and not ev.removed:
        return translate("Documents", "Your documents are up to date ({count} unchanged).").format(count=ev.unchanged)
    line = translate("Documents", "Indexed {count} documents ({added} new, {updated} changed, {unchanged} "
                     "unchanged): {chunks} passages in {seconds} s.").format(
        count=files, added=ev.added, updated=ev.updated, unchanged=ev.unchanged,
        chunks=ev.chunks_embedded + ev.chunks_reused, seconds=f"{ev.seconds:.1f}")
    if ev.failed:
        line += " " + translate("Documents", "{count} could not be read.").format(count=len(ev.failed))
    return line


def failed_lines(ev: Indexed) -> list[str]:
    """Each file that could not be indexed, with its one-line reason."""
    return [translate("Documents", "{name}: {reason}").format(name=Path(f).name or f, reason=render(text, str(text)))
            for f, text in ev.failed]


def _patterns() -> str:
    from pipelines.knowledge.documents import SUPPORTED_SUFFIXES

    return " ".join(f"*{s}" for s in sorted(SUPPORTED_SUFFIXES))


def choose_documents(parent: QWidget) -> list[str]:
    files, _ = QFileDialog.getOpenFileNames(parent, translate("Documents", "Add documents"), str(Path.home()),
                                            translate("Documents", "Documents ({patterns})").format(
                                                patterns=_patterns()))
    return files


def choose_folder(parent: QWidget) -> list[str]:
    folder = QFileDialog.getExistingDirectory(parent, translate("Documents", "Add a folder of documents"),
                                              str(Path.home()))
    return [folder] if folder else []


class IndexBar(QWidget):
    """While documents are indexed: "Indexing notes.md (2 of 5)", a progress bar and Cancel."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("IndexBar")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 2, 0, 2)
        self.label = QLabel()
        self.label.setObjectName("Muted")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.cancel_button = QPushButton()
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.bar, 1)
        lay.addWidget(self.cancel_button)
        self.job: Any = None
        self.last: IndexProgress | None = None
        self.hide()
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        self.cancel_button.setText(translate("IndexBar", "Cancel"))
        self.cancel_button.setAccessibleName(translate("IndexBar", "Cancel indexing"))
        self.bar.setAccessibleName(translate("IndexBar", "Indexing progress"))
        self._show_progress()

    def watch(self, job: Any) -> None:
        self.job, self.last = job, None
        job.progress.connect(self._on_progress)
        job.ended.connect(lambda j=job: self._ended(j))
        self.bar.setRange(0, 0)  # busy until the first file's progress
        self.cancel_button.setEnabled(True)
        self._show_progress()
        self.show()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(translate("IndexBar", "Stopping after this file…"))

    def _on_progress(self, ev: Any) -> None:
        if isinstance(ev, IndexProgress):
            self.last = ev
            self.bar.setRange(0, max(1, ev.total))
            self.bar.setValue(ev.done)
            self._show_progress()

    def _show_progress(self) -> None:
        if self.job is not None and self.job.token.cancelled:
            return
        ev = self.last
        if ev is None:
            self.label.setText(translate("IndexBar", "Reading your documents…"))
        else:
            name = Path(ev.file).name or ev.file
            self.label.setText(translate("IndexBar", "Indexing {name} ({done} of {total})").format(
                name=name, done=min(ev.done + 1, ev.total), total=ev.total))
        self.label.setToolTip(ev.file if ev is not None else "")

    def _ended(self, job: Any) -> None:
        if job is self.job:
            self.job = None
            self.hide()


def _when(ts: float | None) -> str:
    if not ts:
        return ""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))


class DocumentsDialog(QDialog):
    """The indexed documents (name, kind, pages, passages, when), Add documents…, Add a folder…,
    Remove, and a status line; indexing shows in its own strip with Cancel."""

    COLUMNS = (QT_TRANSLATE_NOOP("DocumentsDialog", "Name"), QT_TRANSLATE_NOOP("DocumentsDialog", "Kind"),
               QT_TRANSLATE_NOOP("DocumentsDialog", "Pages"), QT_TRANSLATE_NOOP("DocumentsDialog", "Passages"),
               QT_TRANSLATE_NOOP("DocumentsDialog", "Indexed"))
    #: a document's kind (DocumentInfo.kind) as the list says it; another one as it is stored
    KINDS = {"pdf": "PDF", "markdown": "Markdown", "md": "Markdown", "text": QT_TRANSLATE_NOOP("DocumentsDialog", "Text"),
             "txt": QT_TRANSLATE_NOOP("DocumentsDialog", "Text"), "html": "HTML", "docx": "Word"}

    def __init__(self, knowledge: Any, parent=None):
        super().__init__(parent)
        self.setObjectName("DocumentsDialog")
        self.knowledge = knowledge
        self.resize(720, 460)
        lay = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("Muted")
        lay.addWidget(self.intro)
        self.tree = QTreeWidget()
        self.tree.setObjectName("DocumentsList")
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setColumnCount(len(self.COLUMNS))
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemSelectionChanged.connect(self._selection)
        lay.addWidget(self.tree, 1)
        self.index_bar = IndexBar()
        lay.addWidget(self.index_bar)
        self.status = QLabel()
        self.status.setObjectName("DocumentsStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.status)
        row = QHBoxLayout()
        self.add_button, self.folder_button, self.remove_button, self.close_button = (QPushButton() for _ in range(4))
        for b in (self.add_button, self.folder_button, self.remove_button, self.close_button):
            b.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: self.add(choose_documents(self)))
        self.folder_button.clicked.connect(lambda: self.add(choose_folder(self)))
        self.remove_button.clicked.connect(self.remove_selected)
        self.remove_button.setEnabled(False)
        self.close_button.clicked.connect(self.accept)
        for b in (self.add_button, self.folder_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.close_button)
        lay.addLayout(row)
        self.docs: list = []
        self._line = ""  # the last summary, said again after a language switch
        self._line_fn = None
        knowledge.documentsChanged.connect(self.set_documents)
        knowledge.indexStarted.connect(self._watch)
        if knowledge.indexing is not None:
            self._watch(knowledge.indexing)
        self.set_documents(knowledge.documents)
        on_language(self, self._retranslate)
        knowledge.refresh_documents()

    def _retranslate(self) -> None:
        self.setWindowTitle(translate("DocumentsDialog", "Your documents"))
        self.intro.setText(translate("DocumentsDialog", "Sensorium answers questions from these files, with the "
                                     "passages it used. They are read and kept on this computer only. Drop files "
                                     "on the window to add them, too."))
        self.tree.setHeaderLabels([translate("DocumentsDialog", c) for c in self.COLUMNS])
        self.tree.setAccessibleName(translate("DocumentsDialog", "Indexed documents"))
        self.add_button.setText(translate("DocumentsDialog", "Add documents…"))
        self.folder_button.setText(translate("DocumentsDialog", "Add a folder…"))
        self.remove_button.setText(translate("DocumentsDialog", "Remove"))
        self.close_button.setText(translate("DocumentsDialog", "Close"))
        self.set_documents(self.docs)

    def add(self, paths: list[str]) -> None:
        if paths:
            self.knowledge.index(paths)

    def _watch(self, job: Any) -> None:
        self.index_bar.watch(job)
        job.finished.connect(self._indexed)
        job.cancelled.connect(self._indexed)
        job.failed.connect(lambda e: self._say(lambda: translate("DocumentsDialog", "Indexing failed: {problem}")
                                               .format(problem=e)))

    def _indexed(self, ev: Any) -> None:
        if isinstance(ev, Indexed):
            self._say(lambda: "\n".join([indexed_summary(ev), *failed_lines(ev)]))

    def _say(self, fn) -> None:
        self._line_fn = fn
        self._show_status()

    def set_documents(self, docs: list) -> None:
        self.docs = list(docs)
        self.tree.clear()
        for d in self.docs:
            path = str(getattr(d, "path", ""))
            kind = str(getattr(d, "kind", "") or "")
            it = QTreeWidgetItem([Path(path).name or path, translate("DocumentsDialog", self.KINDS.get(kind, kind)),
                                  str(getattr(d, "pages", "") or ""), str(getattr(d, "chunks", 0)),
                                  _when(getattr(d, "indexed_at", None))])
            it.setData(0, Qt.ItemDataRole.UserRole, path)
            it.setToolTip(0, path)
            error = getattr(d, "error", None)
            if error is not None:
                it.setToolTip(0, f"{path}\n{render(error, str(error))}")
            self.tree.addTopLevelItem(it)
        for i in range(1, len(self.COLUMNS)):
            self.tree.resizeColumnToContents(i)
        self._show_status()

    def _show_status(self) -> None:
        chunks = sum(int(getattr(d, "chunks", 0) or 0) for d in self.docs)
        count = translate("DocumentsDialog", "{count} documents, {chunks} passages.").format(
            count=len(self.docs), chunks=chunks) if self.docs else \
            translate("DocumentsDialog", "No documents yet: add files or a folder.")
        self.status.setText("\n".join(x for x in (count, self._line_fn() if self._line_fn else "") if x))

    def _selection(self) -> None:
        self.remove_button.setEnabled(bool(self.tree.selectedItems()))

    def selected_paths(self) -> list[str]:
        return [it.data(0, Qt.ItemDataRole.UserRole) for it in self.tree.selectedItems()]

    def remove_selected(self) -> None:
        paths = self.selected_paths()
        for p in paths:
            self.knowledge.remove_document(p)
        if paths:
            names = ", ".join(os.path.basename(p) for p in paths)
            self._say(lambda: translate("DocumentsDialog", "Removed {names} from your documents (the files stay "
                                        "where they are).").format(names=names))
