"""The first-run screen: what this computer is, which roles are ready, and the recommended models
to download, with their sizes and licences, downloaded here with progress and Cancel.

The check is ``sensorium doctor``'s host report plus what is on disk (pipelines.firstrun
``first_run_survey``), run on the controller's worker pool while the screen says "Checking this
computer…". Downloads run there too (``download_models``): first the free disk space where models
go is compared with what the chosen models still need (nothing starts when it is short), then each
model downloads through the model manager in turn, so the status bar shows it as well. A model
that fails says so on its own row and the others go on; Cancel stops through the CancelToken and
keeps what came, to resume from.

Skip (or Escape) closes it and changes nothing; Done also switches each role to the model chosen
here when that model is on this computer (``settingsChanged``). Either way a marker file in the
profile's config folder keeps it from showing again (``should_show_first_run``).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pipelines.cancel import CancelToken
from pipelines.firstrun import (
    MARKER_NAME,
    MB,
    DownloadBatch,
    ModelOutcome,
    disk_free,
    download_models,
    first_run_survey,
    format_size,
    licence_info,
    mark_first_run_done,
    should_show_first_run,
)
from pipelines.manager import DownloadState
from pipelines.paths import Profile

from .firstrun_rows import ROLE_NAMES, RoleRow, color, licence_words
from .i18n import on_language, render, translate

__all__ = ["FirstRunDialog", "should_show_first_run", "mark_first_run_done", "MARKER_NAME"]

log = logging.getLogger(__name__)


class FirstRunDialog(QDialog):
    """Shown on the first launch; ``settingsChanged(Settings)`` when Done switches roles to new models."""

    settingsChanged = Signal(object)

    def __init__(self, engine: Any, controller: Any, settings: Any, profile: Profile, parent: QWidget | None = None,
                 *, free_space: Callable[[Path], int] = disk_free):
        super().__init__(parent)
        self.resize(1000, 690)
        self.manager, self.controller, self.settings, self.profile = engine.manager, controller, settings, profile
        self.catalog = self.manager.catalog
        self._free_space = free_space
        self.survey: Any = None
        self.rows: dict[str, RoleRow] = {}
        self._job: tuple[int, CancelToken] | None = None
        self._bytes: dict[str, tuple[int, int]] = {}  # role -> (done, total) of the running batch
        self._downloaded = False
        # the state the texts are written from (again on a language switch)
        self._survey_error: str | None = None
        self._recommended: dict[str, str] = {}
        self._message: Callable[[], str] = str
        self._overall: Callable[[], str] = str
        self._close_done = False
        lay = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("EmptyTitle")  # the theme's large title
        lay.addWidget(self.title)
        self.intro = QLabel()
        self.intro.setObjectName("Muted")
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        self.pages = QStackedWidget()
        lay.addWidget(self.pages, 1)
        self.pages.addWidget(self._checking_page())
        self.pages.addWidget(self._main_page())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        self.download_button = QPushButton()
        self.download_button.clicked.connect(self.download)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_download)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self._close_clicked)
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        lay.addLayout(buttons)
        self.download_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.download_button.setDefault(True)
        on_language(self, self._retranslate)
        controller.taskDone.connect(self._on_task_done)
        controller.taskFailed.connect(self._on_task_failed)
        controller.taskProgress.connect(self._on_task_progress)
        self._survey_task = controller.run_task(first_run_survey, self.manager, free_space=free_space)

    def _retranslate(self) -> None:
        self.setWindowTitle(translate("FirstRunDialog", "Welcome to Sensorium"))
        self.setAccessibleName(translate("FirstRunDialog", "First run"))
        self.title.setText(translate("FirstRunDialog", "Welcome to Sensorium"))
        self.intro.setText(translate("FirstRunDialog", "Everything runs on this computer: what you say, show and draw "
                                     "stays here. Here is what is ready, and the models that suit this machine."))
        self.message.setAccessibleName(translate("FirstRunDialog", "Message"))
        self.download_button.setAccessibleName(translate("FirstRunDialog", "Download the selected models"))
        self.cancel_button.setText(translate("FirstRunDialog", "Cancel download"))
        self.cancel_button.setAccessibleName(translate("FirstRunDialog", "Cancel the download"))
        self._show_checking()
        self.hint.setText(translate("FirstRunDialog", "The processor, the graphics card, and the models already "
                                    "here. Nothing is downloaded yet."))
        self.busy.setAccessibleName(translate("FirstRunDialog", "Checking this computer"))
        self.head.setText(translate("FirstRunDialog", "This computer"))
        self.host_line.setAccessibleName(translate("FirstRunDialog", "This computer"))
        self.reason.setAccessibleName(translate("FirstRunDialog", "Recommendation"))
        names = (translate("FirstRunDialog", "Role"), translate("FirstRunDialog", "Model"),
                 translate("FirstRunDialog", "Size"), translate("FirstRunDialog", "Licence"), "")
        for h, text in zip(self.headers, names, strict=True):
            h.setText(text)
        self.warning.setAccessibleName(translate("FirstRunDialog", "Licences to note"))
        self.totals.setAccessibleName(translate("FirstRunDialog", "Download size and free space"))
        self.overall.setAccessibleName(translate("FirstRunDialog", "Overall download progress"))
        # the texts that follow the state: the survey, the choices, the download, the closing button
        self.message.setText(self._message())
        self.overall.setFormat(self._overall())
        self._set_close(self._close_done)
        if self.survey is None:
            self.download_button.setText(translate("FirstRunDialog", "Download"))
            return
        self._show_survey()
        for row in self.rows.values():
            for i in range(row.combo.count()):
                row.combo.setItemText(i, self._item_text(row.role, row.combo.itemData(i)))
        self._update_totals()

    # ---- layout ------------------------------------------------------------------------------
    def _checking_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.addStretch(1)
        self.checking = QLabel()
        self.checking.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.checking.setWordWrap(True)
        v.addWidget(self.checking)
        self.hint = QLabel()
        self.hint.setObjectName("Muted")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        v.addWidget(self.hint)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(320)
        v.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignHCenter)
        v.addStretch(2)
        return page

    def _main_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 6, 0, 0)
        card = QFrame()
        card.setObjectName("Card")
        c = QVBoxLayout(card)
        self.head = QLabel()
        self.head.setObjectName("CardTitle")
        self.host_line = QLabel()
        self.host_line.setWordWrap(True)
        self.host_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        for w in (self.head, self.host_line, self.reason):
            c.addWidget(w)
        v.addWidget(card)
        table = QWidget()
        self.grid = QGridLayout(table)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        self.headers: list[QLabel] = []  # Role, Model, Size, Licence and the last column's (none)
        for col in range(5):
            h = QLabel()
            h.setObjectName("Muted")
            self.headers.append(h)
            self.grid.addWidget(h, 0, col, Qt.AlignmentFlag.AlignRight if col == 2 else Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop of its own: it follows the focused row
        scroll.setWidget(table)
        v.addWidget(scroll, 1)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.RichText)
        self.warning.hide()
        v.addWidget(self.warning)
        self.totals = QLabel()
        v.addWidget(self.totals)
        self.overall = QProgressBar()
        self.overall.setRange(0, 1000)
        self.overall.hide()
        v.addWidget(self.overall)
        return page

    def _show_checking(self) -> None:
        if self._survey_error is None:
            self.checking.setText("<b>" + translate("FirstRunDialog", "Checking this computer…") + "</b>")
        else:
            self.checking.setText(translate("FirstRunDialog", "Could not check this computer: {message}").format(
                message=self._survey_error))

    def _show_survey(self) -> None:
        self.host_line.setText(host_line(self.survey.host))
        self.reason.setText(translate("FirstRunDialog", "{reason} Choose another model for a role, or untick it.")
                            .format(reason=recommendation_reason(self.survey.recommendation.reason)))

    def _item_text(self, role: str, name: str) -> str:
        if name == self._recommended.get(role):
            return translate("FirstRunDialog", "{model}  (recommended)").format(model=name)
        return name

    def _fill(self, survey: Any) -> None:
        self.survey = survey
        self._show_survey()
        now = {s.role: s for s in survey.roles}
        order = [r for r in ROLE_NAMES if r in now] + [r for r in now if r not in ROLE_NAMES]
        for i, role in enumerate(order):
            row = self.rows[role] = RoleRow(role, self.grid, 1 + 2 * i)
            recommended = self._recommended[role] = survey.recommendation.models.get(role, now[role].model)
            names = [e.name for e in self.catalog.entries(role)]
            for extra in (now[role].model, recommended):
                if extra and extra not in names:
                    names.insert(0, extra)
            for name in names:
                row.combo.addItem(self._item_text(role, name), name)
            row.combo.setCurrentIndex(max(0, names.index(recommended)) if recommended in names else 0)
            row.combo.currentIndexChanged.connect(lambda _i, r=row: self._update_row(r))
            row.check.toggled.connect(lambda _on: self._update_totals())
            self._show_state(row, now[role])
            self._update_row(row, totals=False)
        self._update_totals()
        self.pages.setCurrentIndex(1)
        chain = [w for r in self.rows.values() for w in (r.combo, r.check)]
        chain += [self.download_button, self.cancel_button, self.close_button]
        for a, b in zip(chain, chain[1:]):  # the rows were made after the buttons: read them first
            QWidget.setTabOrder(a, b)
        if chain:
            chain[0].setFocus()

    def _show_state(self, row: RoleRow, status: Any) -> None:
        server = self.settings.server(row.role)
        row.show_status(status, server=server.base_url if server is not None else "")

    # ---- the rows ---------------------------------------------------------------------------
    def _entry(self, name: str) -> Any:
        return next((e for e in self.catalog.entries() if e.name == name), None)

    def _on_disk(self, row: RoleRow) -> bool:
        name = row.chosen
        now = next(s for s in self.survey.roles if s.role == row.role)
        return name in self.survey.on_disk or (name == now.model and now.status == "ready")

    def _needs_download(self, row: RoleRow) -> bool:
        entry = self._entry(row.chosen)
        return entry is not None and entry.source == "hub" and not self._on_disk(row)

    def _update_row(self, row: RoleRow, *, totals: bool = True) -> None:
        row.show_choice(self._entry(row.chosen), on_disk=self._on_disk(row))
        if totals:
            self._update_totals()

    def _picks(self) -> list[tuple[str, str]]:
        return [(r.role, r.chosen) for r in self.rows.values() if self._needs_download(r) and r.check.isChecked()]

    def _update_totals(self) -> None:
        picks = self._picks()
        size = sum(self._entry(name).size_mb * MB for _role, name in picks)
        free, folder = self.survey.free_bytes, _short_path(self.survey.models_dir)
        where = (translate("FirstRunDialog", "{size} free in {folder}").format(size=format_size(free), folder=folder)
                 if free is not None else translate("FirstRunDialog", "downloads go to {folder}").format(folder=folder))
        n, total = len(picks), format_size(size)
        if picks:
            self.totals.setText((translate("FirstRunDialog", "To download: 1 model, {size}; {where}") if n == 1 else
                                 translate("FirstRunDialog", "To download: {n} models, {size}; {where}"))
                                .format(n=n, size=total, where=where))
        else:
            self.totals.setText(translate("FirstRunDialog", "Nothing to download; {where}").format(where=where))
        running = self._job is not None
        if not picks:
            self.download_button.setText(translate("FirstRunDialog", "Download"))
        else:
            self.download_button.setText((translate("FirstRunDialog", "Download 1 model ({size})") if n == 1 else
                                          translate("FirstRunDialog", "Download {n} models ({size})"))
                                         .format(n=n, size=total))
        self.download_button.setEnabled(bool(picks) and not running)
        if not self._downloaded:
            self._set_close(not picks)
        restricted = []
        for r in self.rows.values():
            entry = self._entry(r.chosen)
            lic = licence_info(entry.license) if entry else None
            if lic is not None and lic.restricted:
                name, _tag, terms = licence_words(lic)
                restricted.append(translate("FirstRunDialog", "<b>{model}</b> ({role}): {licence}: {terms}.").format(
                    model=entry.name, role=r.title.lower(), licence=name, terms=terms))
        self.warning.setText(f"<b style='color:{color('negative')}'>⚠ " + translate("FirstRunDialog", "Licences to note")
                             + "</b><br>" + "<br>".join(restricted))
        self.warning.setStyleSheet(f"QLabel {{ border: 1px solid {color('negative')}; border-radius: 8px; "
                                   "padding: 6px 8px; }")
        self.warning.setVisible(bool(restricted))

    def _set_close(self, done: bool) -> None:
        """The closing button: Done (which switches the roles to the models chosen here) or Skip."""
        self._close_done = done
        text = translate("FirstRunDialog", "Done") if done else translate("FirstRunDialog", "Skip")
        self.close_button.setText(text)
        self.close_button.setAccessibleName(text)

    def _set_message(self, text: Callable[[], str]) -> None:
        """The line under the table, from a function that writes it (again on a language switch)."""
        self._message = text
        self.message.setText(text())

    def _set_overall(self, text: Callable[[], str]) -> None:
        self._overall = text
        self.overall.setFormat(text())

    # ---- downloading ---------------------------------------------------------------------------
    def download(self) -> None:
        picks = self._picks()
        if not picks or self._job is not None or self.survey is None:
            return
        self._bytes = {role: (0, int(self._entry(name).size_mb * MB)) for role, name in picks}
        for r in self.rows.values():
            r.combo.setEnabled(False)
            r.check.setEnabled(False)
        for role, _name in picks:
            row = self.rows[role]
            row.show_note("")
            row.bar.setValue(0)
            row.set_bar_format(lambda: translate("FirstRunDialog", "waiting…"))
            row.show(row.bar)
        self.overall.setValue(0)
        self._set_overall(lambda: translate("FirstRunDialog", "checking the disk space…"))
        self.overall.show()
        self._set_message(str)
        self._job = self.controller.run_cancellable(download_models, self.manager, picks, free_space=self._free_space)
        self.download_button.setEnabled(False)
        self.cancel_button.setEnabled(True)

    def cancel_download(self) -> None:
        if self._job is not None:
            self._job[1].cancel()
            self.cancel_button.setEnabled(False)
            self._set_message(lambda: translate("FirstRunDialog", "Cancelling the download…"))

    def _progress(self, state: DownloadState) -> None:
        row = self.rows.get(state.role)
        if row is None:
            return
        self._bytes[state.role] = (state.done, state.total)
        row.bar.setValue(int(1000 * state.fraction))
        line = f"{state.fraction:.0%}  {state.detail}"
        row.set_bar_format(lambda: line)
        done = sum(d for d, _t in self._bytes.values())
        total = sum(t for _d, t in self._bytes.values()) or 1
        self.overall.setValue(int(1000 * min(1.0, done / total)))
        self._set_overall(lambda: translate("FirstRunDialog", "{percent}  {done} of {total}").format(
            percent=f"{done / total:.0%}", done=format_size(done), total=format_size(total)))

    def _outcome(self, outcome: ModelOutcome) -> None:
        row = self.rows.get(outcome.role)
        if row is None:
            return
        if outcome.status == "downloaded":
            self.survey = _with_on_disk(self.survey, outcome.model)
            self._bytes[outcome.role] = (self._bytes[outcome.role][1],) * 2
            row.show_note("")
        else:
            row.show_note(lambda: outcome_line(outcome), "negative" if outcome.status == "failed" else "muted")
        if outcome.status == "downloaded":
            now = next(s for s in self.survey.roles if s.role == outcome.role)
            if now.model == outcome.model:
                self._show_state(row, _ready(now))

    def _finish(self, batch: DownloadBatch | None, problem: str = "") -> None:
        """The batch's end (``batch``), or the task's failure (None and the ``problem``'s line)."""
        self._job = None
        self.cancel_button.setEnabled(False)
        self.overall.hide()
        for r in self.rows.values():
            r.combo.setEnabled(True)
            r.check.setEnabled(True)
            self._update_row(r, totals=False)
        if batch is None or batch.refused:
            if batch is None:
                self._set_message(lambda: translate("FirstRunDialog", "The download stopped: {message}").format(
                    message=problem))
            else:
                self._set_message(lambda: disk_line(batch.refused))
            self.message.setStyleSheet(f"color: {color('negative')};")
            self._update_totals()
            return
        counts = {k: sum(o.status == k for o in batch.outcomes) for k in ("downloaded", "failed", "cancelled")}
        self._downloaded = self._downloaded or counts["downloaded"] > 0
        self.overall.setVisible(counts["downloaded"] > 0)
        if counts["cancelled"] == len(batch.outcomes):
            self._set_message(lambda: translate("FirstRunDialog", "Download cancelled. What came is kept, and Download "
                                                "resumes from there."))
        else:
            self._set_message(lambda: finished_line(counts))
        self.message.setStyleSheet(f"color: {color('negative' if counts['failed'] else 'text')};")
        if self._downloaded:
            self._set_close(True)
        self._update_totals()

    # ---- controller signals ----------------------------------------------------------------------
    def _on_task_done(self, tid: int, result: Any) -> None:
        if tid == self._survey_task:
            self._fill(result)
        elif self._job is not None and tid == self._job[0]:
            self._finish(result)

    def _on_task_failed(self, tid: int, message: str) -> None:
        if tid == self._survey_task:
            self.busy.hide()
            self._survey_error = message
            self._show_checking()
            self._set_close(False)
        elif self._job is not None and tid == self._job[0]:
            self._finish(None, message)

    def _on_task_progress(self, tid: int, value: Any) -> None:
        if self._job is None or tid != self._job[0]:
            return
        if isinstance(value, DownloadState):
            self._progress(value)
        elif isinstance(value, ModelOutcome):
            self._outcome(value)

    # ---- closing -------------------------------------------------------------------------------------
    def _close_clicked(self) -> None:
        if self._close_done:
            self.accept()
        else:
            self.reject()

    def chosen_settings(self) -> Any:
        """The settings with each role switched to the model chosen here, where that model is on disk."""
        changes = {r.role: r.chosen for r in self.rows.values()
                   if r.chosen and self._on_disk(r) and r.chosen != self.catalog.chosen(r.role)}
        return self.settings.replace("models", **changes) if changes else self.settings

    def done(self, result: int) -> None:
        if self._job is not None:  # closing stops the download (what came is kept)
            self._job[1].cancel()
        accepted = result == QDialog.DialogCode.Accepted
        try:
            mark_first_run_done(self.profile, "done" if accepted else "skipped")
        except OSError as e:
            log.warning("could not write the first-run marker: %s", e)
        if accepted and self.survey is not None:
            new = self.chosen_settings()
            if new is not self.settings:
                self.settingsChanged.emit(new)
        super().done(result)


def finished_line(counts: dict[str, int]) -> str:
    """The line when a download batch ends: how many came, failed, were cancelled."""
    words = {"downloaded": translate("FirstRunDialog", "{n} downloaded"),
             "failed": translate("FirstRunDialog", "{n} failed"),
             "cancelled": translate("FirstRunDialog", "{n} cancelled")}
    parts = translate("FirstRunDialog", ", ").join(words[k].format(n=n) for k, n in counts.items() if n)
    if counts["failed"]:
        return translate("FirstRunDialog", "Download finished: {counts}. Each failed model says why on its row; "
                         "Download tries again.").format(counts=parts)
    return translate("FirstRunDialog", "Download finished: {counts}.").format(counts=parts)


def host_line(host: Any) -> str:
    """``sensorium doctor``'s host line (pipelines.doctor HostCheck.line) in the interface's language;
    in English, that line itself."""
    source = ("Sensorium {version} on {system}, Python {python}, {threads} CPU threads, {gpu}; "
              "device setting: {device}")
    template = translate("FirstRunDialog", "Sensorium {version} on {system}, Python {python}, {threads} CPU threads, "
                         "{gpu}; device setting: {device}")
    if template == source:
        return host.line()
    if host.nvidia_driver or host.gpus:
        gpu = translate("FirstRunDialog", "NVIDIA driver {version}").format(
            version=host.nvidia_driver or translate("FirstRunDialog", "(version unknown)"))
        gpu += (", " + ", ".join(host.gpus) if host.gpus else "") + (
            " (" + ", ".join(f"{m / 1024:.0f} GB" for m in host.gpu_memory_mb) + ")" if host.gpu_memory_mb else "")
    else:
        gpu = translate("FirstRunDialog", "no NVIDIA GPU")
    return template.format(version=host.sensorium, system=host.system, python=host.python,
                           threads=host.cpu_threads, gpu=gpu, device=host.device_setting)


_GPU_WITH_MEMORY = re.compile(r"An NVIDIA GPU with (\d+) GB of memory was found, so these are "
                              r"(the largest models that fit on it together|the standard GPU models)\.")
_NO_ROOM = re.compile(r"Not enough disk space: the download needs (.+?) and (.+) has (.+?) free; "
                      r"free some space or choose smaller models\.")


def recommendation_reason(reason: str) -> str:
    """pipelines.firstrun.recommend_models's reason in the interface's language: its fixed sentences
    are looked up under "catalog", the two with the GPU's memory through their templates."""
    m = _GPU_WITH_MEMORY.fullmatch(reason)
    if m is None:
        return translate("catalog", reason)
    if m.group(2).startswith("the largest"):
        return translate("catalog", "An NVIDIA GPU with {gb} GB of memory was found, so these are the largest "
                         "models that fit on it together.").format(gb=m.group(1))
    return translate("catalog", "An NVIDIA GPU with {gb} GB of memory was found, so these are the standard "
                     "GPU models.").format(gb=m.group(1))


def disk_line(refused: str) -> str:
    """pipelines.firstrun.disk_space_problem's line in the interface's language."""
    m = _NO_ROOM.fullmatch(refused)
    if m is None:
        return refused
    return translate("catalog", "Not enough disk space: the download needs {needed} and {folder} has {free} free; "
                     "free some space or choose smaller models.").format(needed=m.group(1), folder=m.group(2),
                                                                        free=m.group(3))


def outcome_line(outcome: ModelOutcome) -> str:
    """A model's failure or cancel, for its row: the cancel lines of pipelines.firstrun are looked
    up under "catalog"; a failure is rendered from its Text where the outcome carries one."""
    if outcome.status == "cancelled":
        text = translate("catalog", outcome.message)
    else:
        text = render(getattr(outcome, "localizable", None), outcome.message)
    return text[:1].upper() + text[1:]


def _short_path(path: Path) -> str:
    home = Path.home()
    return f"~/{path.relative_to(home)}" if path.is_relative_to(home) else str(path)


def _with_on_disk(survey: Any, name: str) -> Any:
    return replace(survey, on_disk=survey.on_disk | {name})


def _ready(status: Any) -> Any:
    return replace(status, status="ready", message="")
