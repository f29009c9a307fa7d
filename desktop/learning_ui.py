"""Learn from my ratings: how many rated replies there are, Start (training on the learning
worker: stage, step, loss, Cancel), the before/after table of the evaluation and the gate's
verdict, and the adapters learned so far (switch on or off, delete). Closing the dialog while it
trains cancels the training cleanly (the engine keeps nothing half-made)."""
from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from pipelines.events import EvalRow, Learned, LearnProgress

from .i18n import on_language, render, translate

__all__ = ["LearnDialog", "STAGES", "measure_text", "sentence"]

STAGES = {"preparing": QT_TRANSLATE_NOOP("LearnDialog", "Preparing"),
          "training": QT_TRANSLATE_NOOP("LearnDialog", "Training"),
          "evaluating": QT_TRANSLATE_NOOP("LearnDialog", "Evaluating")}
#: The evaluation's measures (EvalRow.name) as the table says them; another one as it is named.
MEASURES = {"held-out pairs: chosen reply preferred": QT_TRANSLATE_NOOP("LearnDialog", "held-out pairs: chosen reply preferred"),
            "held-out pairs: mean margin, nats": QT_TRANSLATE_NOOP("LearnDialog", "held-out pairs: mean margin, nats"),
            "held-out good replies: loss per token": QT_TRANSLATE_NOOP("LearnDialog",
                                                                       "held-out good replies: loss per token"),
            "sanity questions answered": QT_TRANSLATE_NOOP("LearnDialog", "sanity questions answered"),
            "sanity: the base model's answers, loss per token": QT_TRANSLATE_NOOP(
                "LearnDialog", "sanity: the base model's answers, loss per token")}
RESULT_COLUMNS = (QT_TRANSLATE_NOOP("LearnDialog", "Measure"), QT_TRANSLATE_NOOP("LearnDialog", "Base model"),
                  QT_TRANSLATE_NOOP("LearnDialog", "With adapter"), QT_TRANSLATE_NOOP("LearnDialog", "Passed"))
ADAPTER_COLUMNS = (QT_TRANSLATE_NOOP("LearnDialog", "Adapter"), QT_TRANSLATE_NOOP("LearnDialog", "Model"),
                   QT_TRANSLATE_NOOP("LearnDialog", "Method"), QT_TRANSLATE_NOOP("LearnDialog", "Made"),
                   QT_TRANSLATE_NOOP("LearnDialog", "State"))


def measure_text(row: EvalRow) -> str:
    """The row's measure in the interface's language, with how many items it is over."""
    name = translate("LearnDialog", MEASURES[row.name]) if row.name in MEASURES else row.name
    return f"{name} ({row.count})" if row.count else name


def sentence(text: str) -> str:
    """A message line as a sentence of its own: a capital first letter and a full stop (Chinese as it is)."""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?。！？" else text + "."


def _cell(text: str, tip: str = "") -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if tip:
        it.setToolTip(tip)
    return it


class LearnDialog(QDialog):
    """Over the window's Knowledge. ``counts`` is (pairs, good, bad) once read; ``table`` the
    before/after table, ``verdict`` the gate's line, ``adapters`` the learned adapters."""

    def __init__(self, knowledge: Any, parent=None):
        super().__init__(parent)
        self.setObjectName("LearnDialog")
        self.knowledge = knowledge
        self.resize(760, 620)
        lay = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("Muted")
        lay.addWidget(self.intro)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("LearnCounts")
        self.counts_label.setWordWrap(True)
        lay.addWidget(self.counts_label)
        row = QHBoxLayout()
        self.start_button = QPushButton()
        self.start_button.setObjectName("ChoiceButton")
        self.start_button.setAutoDefault(False)
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton()
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        row.addWidget(self.start_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.stage = QLabel()
        self.stage.setObjectName("Muted")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.stage.hide()
        self.bar.hide()
        lay.addWidget(self.stage)
        lay.addWidget(self.bar)
        self.results_title = QLabel()
        self.results_title.setObjectName("CardTitle")
        lay.addWidget(self.results_title)
        self.table = QTableWidget(0, len(RESULT_COLUMNS))
        self.table.setObjectName("LearnTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(170)
        lay.addWidget(self.table)
        self.verdict = QLabel()
        self.verdict.setObjectName("LearnVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.verdict)
        self.adapters_title = QLabel()
        self.adapters_title.setObjectName("CardTitle")
        lay.addWidget(self.adapters_title)
        self.adapters_table = QTableWidget(0, len(ADAPTER_COLUMNS))
        self.adapters_table.setObjectName("AdaptersTable")
        self.adapters_table.verticalHeader().hide()
        self.adapters_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.adapters_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.adapters_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.adapters_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.adapters_table.itemSelectionChanged.connect(self._adapter_selected)
        lay.addWidget(self.adapters_table, 1)
        arow = QHBoxLayout()
        self.switch_button, self.delete_button, self.close_button = QPushButton(), QPushButton(), QPushButton()
        for b in (self.switch_button, self.delete_button, self.close_button):
            b.setAutoDefault(False)
        self.switch_button.clicked.connect(self.switch_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.close_button.clicked.connect(self.accept)
        arow.addWidget(self.switch_button)
        arow.addWidget(self.delete_button)
        arow.addStretch(1)
        arow.addWidget(self.close_button)
        lay.addLayout(arow)
        self.counts: tuple[int, int, int] | None = None
        self.result: Learned | None = None
        self.adapters: list = []
        self.job: Any = None
        self.last: LearnProgress | None = None
        self._problem = ""
        self._closed = False
        self.table.hide()
        self.results_title.hide()
        on_language(self, self._retranslate)
        if knowledge.training is not None:
            self._watch(knowledge.training)
        knowledge.rating_counts(self._counted, self._count_failed)
        self.refresh_adapters()

    # ---- texts -------------------------------------------------------------------------------
    def _retranslate(self) -> None:
        self.setWindowTitle(translate("LearnDialog", "Learn from my ratings"))
        self.intro.setText(translate("LearnDialog", "Sensorium can train a small adapter for its language model "
                                     "from the replies you rated good or bad, here on this computer. It is switched on "
                                     "only if it beats the model without it on some of your own ratings kept aside, "
                                     "and does no worse on a fixed set of questions."))
        self.start_button.setText(translate("LearnDialog", "Start"))
        self.cancel_button.setText(translate("LearnDialog", "Cancel"))
        self.bar.setAccessibleName(translate("LearnDialog", "Training progress"))
        self.results_title.setText(translate("LearnDialog", "Before and after"))
        self.table.setHorizontalHeaderLabels([translate("LearnDialog", c) for c in RESULT_COLUMNS])
        self.table.setAccessibleName(translate("LearnDialog", "Before and after"))
        self.adapters_title.setText(translate("LearnDialog", "Learned adapters"))
        self.adapters_table.setHorizontalHeaderLabels([translate("LearnDialog", c) for c in ADAPTER_COLUMNS])
        self.adapters_table.setAccessibleName(translate("LearnDialog", "Learned adapters"))
        self.delete_button.setText(translate("LearnDialog", "Delete"))
        self.close_button.setText(translate("LearnDialog", "Close"))
        self._show_counts()
        self._show_progress()
        if self.result is not None:
            self.show_result(self.result)
        self.set_adapters(self.adapters)

    def _show_counts(self) -> None:
        if self._problem:
            self.counts_label.setText(self._problem)
        elif self.counts is None:
            self.counts_label.setText(translate("LearnDialog", "Counting your ratings…"))
        else:
            pairs, good, bad = self.counts  # good and bad: the replies that are in no pair
            self.counts_label.setText(translate("LearnDialog", "You rated {good} replies good and {bad} bad; {pairs} "
                                                "requests have both, a better and a worse reply to learn from.").format(
                good=good + pairs, bad=bad + pairs, pairs=pairs))

    def _counted(self, counts: tuple[int, int, int]) -> None:
        if self._closed:
            return
        self.counts = counts
        self.start_button.setEnabled(self.job is None and (counts[0] > 0 or counts[1] > 0))
        self._show_counts()

    def _count_failed(self, reason: str) -> None:
        if not self._closed:
            self._problem = translate("LearnDialog", "Your ratings could not be read ({problem}).").format(
                problem=reason)
            self._show_counts()

    # ---- training ------------------------------------------------------------------------------
    def start(self) -> None:
        if self.job is not None:
            return
        self.result = None
        self._problem = ""
        self._show_counts()
        self._watch(self.knowledge.learn())

    def _watch(self, job: Any) -> None:
        self.job, self.last = job, None
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_learned)
        job.cancelled.connect(self._on_cancelled)
        job.failed.connect(self._on_failed)
        job.ended.connect(self._ended)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.stage.show()
        self.bar.show()
        self.bar.setRange(0, 0)
        self.verdict.clear()
        self.table.hide()
        self.results_title.hide()
        self._show_progress()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.stage.setText(translate("LearnDialog", "Stopping…"))

    def _on_progress(self, ev: Any) -> None:
        if isinstance(ev, LearnProgress):
            self.last = ev
            if ev.total:
                self.bar.setRange(0, ev.total)
                self.bar.setValue(ev.step)
            else:
                self.bar.setRange(0, 0)
            self._show_progress()

    def _show_progress(self) -> None:
        if self.job is None or self.job.token.cancelled:
            return
        ev = self.last
        if ev is None:
            self.stage.setText(translate("LearnDialog", "Starting…"))
            return
        stage = translate("LearnDialog", STAGES.get(ev.stage, ev.stage))
        line = stage
        if ev.total:
            line = translate("LearnDialog", "{stage}: step {step} of {total}").format(stage=stage, step=ev.step,
                                                                                    total=ev.total)
        if ev.loss is not None:
            line += " · " + translate("LearnDialog", "loss {loss}").format(loss=f"{ev.loss:.4f}")
        self.stage.setText(line)

    def _on_learned(self, ev: Any) -> None:
        if isinstance(ev, Learned):
            self.show_result(ev)

    def _on_cancelled(self, ev: Any) -> None:
        self.verdict.setText(translate("LearnDialog", "Training was cancelled: nothing was changed."))
        if isinstance(ev, Learned) and ev.table:
            self.show_result(ev)

    def _on_failed(self, reason: str) -> None:
        self.verdict.setText(reason)

    def _ended(self) -> None:
        self.job = None
        self.cancel_button.hide()
        self.bar.hide()
        self.stage.hide()
        if not self._closed:
            self.start_button.setEnabled(self.counts is not None and (self.counts[0] > 0 or self.counts[1] > 0))
            self.refresh_adapters()

    def show_result(self, ev: Learned) -> None:
        """The before/after table and the gate's verdict."""
        self.result = ev
        self.table.setRowCount(len(ev.table))
        for r, row in enumerate(ev.table):
            better = translate("LearnDialog", "higher is better") if row.higher_is_better else \
                translate("LearnDialog", "lower is better")
            self.table.setItem(r, 0, _cell(measure_text(row), better))
            self.table.setItem(r, 1, _cell(row.value_text(row.base)))
            self.table.setItem(r, 2, _cell(row.value_text(row.adapter)))
            self.table.setItem(r, 3, _cell("✓" if row.passed else "✗"))
        for c in range(1, len(RESULT_COLUMNS)):
            self.table.resizeColumnToContents(c)
        self.table.setVisible(bool(ev.table))
        self.results_title.setVisible(bool(ev.table))
        reason = sentence(render(ev.reason, str(ev.reason)))
        if ev.cancelled:
            head = translate("LearnDialog", "Cancelled.")
        elif ev.accepted:
            head = translate("LearnDialog", "Switched on: replies now use the adapter.")
        elif ev.adapter_id:
            head = translate("LearnDialog", "Not switched on: the model stays as it was.")
        else:
            head = ""
        method = {"dpo": "DPO", "sft": "SFT"}.get(ev.method, ev.method)
        facts = translate("LearnDialog", "{method} on {pairs} pairs and {examples} examples in {seconds} s.").format(
            method=method, pairs=ev.pairs, examples=ev.examples, seconds=f"{ev.seconds:.0f}") if ev.adapter_id else ""
        self.verdict.setText("\n".join(x for x in (head, reason, facts) if x))

    # ---- adapters ------------------------------------------------------------------------------
    def refresh_adapters(self) -> None:
        self.knowledge.adapters(self.set_adapters, lambda e: self.verdict.setText(
            translate("LearnDialog", "The adapters could not be listed ({problem}).").format(problem=e)))

    def set_adapters(self, adapters: list) -> None:
        if self._closed:
            return
        self.adapters = list(adapters)
        t = self.adapters_table
        t.setRowCount(len(self.adapters))
        for r, a in enumerate(self.adapters):
            created = getattr(a, "created", None)
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(created)) if isinstance(created, (int, float)) \
                else str(created or "")
            state = translate("LearnDialog", "on") if a.active else (
                translate("LearnDialog", "off") if a.accepted else translate("LearnDialog", "refused by the gate"))
            method = {"dpo": "DPO", "sft": "SFT"}.get(a.method, a.method)
            for c, text in enumerate((a.id, a.model, method, when, state)):
                t.setItem(r, c, _cell(str(text)))
        for c in range(1, len(ADAPTER_COLUMNS)):
            t.resizeColumnToContents(c)
        self._adapter_selected()

    def selected_adapter(self) -> Any:
        rows = {i.row() for i in self.adapters_table.selectedItems()}
        return self.adapters[min(rows)] if rows and min(rows) < len(self.adapters) else None

    def _adapter_selected(self) -> None:
        a = self.selected_adapter()
        self.switch_button.setEnabled(a is not None and self.job is None)
        self.delete_button.setEnabled(a is not None and self.job is None)
        self.switch_button.setText(translate("LearnDialog", "Switch off") if a is not None and a.active
                                   else translate("LearnDialog", "Switch on"))

    def _adapter_failed(self, reason: str) -> None:
        self.verdict.setText(translate("LearnDialog", "The adapter could not be changed ({problem}).").format(
            problem=reason))
        self.refresh_adapters()

    def switch_selected(self) -> None:
        a = self.selected_adapter()
        if a is not None:
            self.knowledge.switch_adapter(a, not a.active, lambda _r: self.refresh_adapters(), self._adapter_failed)

    def delete_selected(self, *, confirm: bool = True) -> None:
        a = self.selected_adapter()
        if a is None:
            return
        if confirm and QMessageBox.question(
                self, translate("LearnDialog", "Delete the adapter"),
                translate("LearnDialog", "Delete the adapter {id}? Replies go back to the model without it.").format(
                    id=a.id)) != QMessageBox.StandardButton.Yes:
            return
        self.knowledge.delete_adapter(a, lambda _r: self.refresh_adapters(), self._adapter_failed)

    # ---- closing -------------------------------------------------------------------------------
    def done(self, result: int) -> None:
        """Closing while it trains cancels the training (it ends on the worker, cleanly)."""
        self._closed = True
        if self.job is not None:
            self.job.cancel()
        super().done(result)
