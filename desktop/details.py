"""The side panel: details of the selected message and the mood chart of the conversation."""
from __future__ import annotations

import time

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QT_TRANSLATE_NOOP, QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QPainter, QPen
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QToolTip, QVBoxLayout, QWidget

from .citations import CitationList
from .i18n import on_language, render, translate
from .theme import COLORS, current_theme
from .widgets import EvidenceBars

__all__ = ["DetailsPanel", "MoodChart", "voice_latency"]

# The tables' words are English source texts: each is shown with translate("DetailsPanel", ...).
INTENTS = {"chat": QT_TRANSLATE_NOOP("DetailsPanel", "Chat"),
           "describe_image": QT_TRANSLATE_NOOP("DetailsPanel", "Question about a picture"),
           "generate_image": QT_TRANSLATE_NOOP("DetailsPanel", "Draw a picture"),
           "edit_image": QT_TRANSLATE_NOOP("DetailsPanel", "Edit a picture"),
           "search_images": QT_TRANSLATE_NOOP("DetailsPanel", "Search pictures"),
           "transcribe_audio": QT_TRANSLATE_NOOP("DetailsPanel", "Transcribe"),
           "ask_documents": QT_TRANSLATE_NOOP("DetailsPanel", "Answer from documents"),
           "none": QT_TRANSLATE_NOOP("DetailsPanel", "Nothing to do")}
#: The sentiment labels of pipelines.sentiment.label_for.
MOODS = {"positive": QT_TRANSLATE_NOOP("DetailsPanel", "positive"),
         "negative": QT_TRANSLATE_NOOP("DetailsPanel", "negative"),
         "neutral": QT_TRANSLATE_NOOP("DetailsPanel", "neutral")}
#: A message's status as the row shows it ("" for a complete one; an unknown one as stored).
STATUSES = {"complete": "", "streaming": QT_TRANSLATE_NOOP("DetailsPanel", "writing…"),
            "pending": QT_TRANSLATE_NOOP("DetailsPanel", "pending"),
            "cancelled": QT_TRANSLATE_NOOP("DetailsPanel", "cancelled"),
            "interrupted": QT_TRANSLATE_NOOP("DetailsPanel", "interrupted"),
            "failed": QT_TRANSLATE_NOOP("DetailsPanel", "failed")}
#: The engine's timings (their key without "_ms", "_" as a space) and the roles of "Models".
TIMINGS = (QT_TRANSLATE_NOOP("DetailsPanel", "total"), QT_TRANSLATE_NOOP("DetailsPanel", "route"),
           QT_TRANSLATE_NOOP("DetailsPanel", "transcript"), QT_TRANSLATE_NOOP("DetailsPanel", "first token"),
           QT_TRANSLATE_NOOP("DetailsPanel", "llm first token"), QT_TRANSLATE_NOOP("DetailsPanel", "generate"),
           QT_TRANSLATE_NOOP("DetailsPanel", "first audio"), QT_TRANSLATE_NOOP("DetailsPanel", "tts first"),
           QT_TRANSLATE_NOOP("DetailsPanel", "vision"), QT_TRANSLATE_NOOP("DetailsPanel", "vlm"),
           QT_TRANSLATE_NOOP("DetailsPanel", "imagegen"), QT_TRANSLATE_NOOP("DetailsPanel", "model load"))
ROLES = (QT_TRANSLATE_NOOP("DetailsPanel", "asr"), QT_TRANSLATE_NOOP("DetailsPanel", "chat"),
         QT_TRANSLATE_NOOP("DetailsPanel", "tts"))  # vision, vlm and imagegen: in TIMINGS
#: The picture's settings, by their parameter names.
PICTURE = (QT_TRANSLATE_NOOP("DetailsPanel", "width"), QT_TRANSLATE_NOOP("DetailsPanel", "height"),
           QT_TRANSLATE_NOOP("DetailsPanel", "steps"), QT_TRANSLATE_NOOP("DetailsPanel", "guidance"),
           QT_TRANSLATE_NOOP("DetailsPanel", "scheduler"), QT_TRANSLATE_NOOP("DetailsPanel", "strength"),
           QT_TRANSLATE_NOOP("DetailsPanel", "negative_prompt"))
#: The rows' names (the keys of ``DetailsPanel.values`` stay these English ones).
ROWS = (QT_TRANSLATE_NOOP("DetailsPanel", "From"), QT_TRANSLATE_NOOP("DetailsPanel", "Time"),
        QT_TRANSLATE_NOOP("DetailsPanel", "Intent"), QT_TRANSLATE_NOOP("DetailsPanel", "Why"),
        QT_TRANSLATE_NOOP("DetailsPanel", "Mood"), QT_TRANSLATE_NOOP("DetailsPanel", "Status"),
        QT_TRANSLATE_NOOP("DetailsPanel", "Models"), QT_TRANSLATE_NOOP("DetailsPanel", "Voice latency"),
        QT_TRANSLATE_NOOP("DetailsPanel", "Timings"), QT_TRANSLATE_NOOP("DetailsPanel", "Picture"),
        QT_TRANSLATE_NOOP("DetailsPanel", "Rating"), QT_TRANSLATE_NOOP("DetailsPanel", "Error"),
        QT_TRANSLATE_NOOP("DetailsPanel", "Memories used"))


VOICE_LATENCY = (("speech_to_speaker_ms", QT_TRANSLATE_NOOP("DetailsPanel", "end of speech → reply heard")),
                 ("speech_to_transcript_ms", QT_TRANSLATE_NOOP("DetailsPanel", "end of speech → transcript")),
                 ("speech_to_first_token_ms", QT_TRANSLATE_NOOP("DetailsPanel", "→ first reply word")),
                 ("speech_to_first_audio_ms", QT_TRANSLATE_NOOP("DetailsPanel", "→ first reply audio")))
BREAKDOWN = (("endpointing", QT_TRANSLATE_NOOP("DetailsPanel", "waiting for the end")),
             ("transcript", QT_TRANSLATE_NOOP("DetailsPanel", "speech recognition")),
             ("routing", QT_TRANSLATE_NOOP("DetailsPanel", "routing")),
             ("first_token", QT_TRANSLATE_NOOP("DetailsPanel", "first word written")),
             ("first_audio", QT_TRANSLATE_NOOP("DetailsPanel", "first words spoken")),
             ("to_speaker", QT_TRANSLATE_NOOP("DetailsPanel", "to the speaker")))


def _word(text: str) -> str:
    return translate("DetailsPanel", text)


def voice_latency(timings: dict, breakdown: dict | None = None) -> str:
    """The figures of a spoken turn, measured from the end of the person's speech ('' otherwise):
    to the first sample at the speaker, with where that time went, then the engine's milestones."""
    lines = [f"{_word(label)}: {timings[key]:,.0f} ms" for key, label in VOICE_LATENCY if key in timings]
    if breakdown:
        lines[1:1] = [f"  {_word(label)} {breakdown[key]:,.0f} ms" for key, label in BREAKDOWN if key in breakdown]
    return "\n".join(lines)


class MoodChart(QChartView):
    """Sentiment of each user message over the conversation; hover a point to see the message."""

    def __init__(self, parent=None):
        chart = QChart()
        super().__init__(chart, parent)
        self.setObjectName("MoodChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(170)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(6)
        self.line = QLineSeries()
        self.points = QScatterSeries()
        self.points.setMarkerSize(9)
        chart.addSeries(self.line)
        chart.addSeries(self.points)
        self.ax = QValueAxis()
        self.ay = QValueAxis()
        self.ay.setRange(-1, 1)
        self.ay.setTickCount(3)
        self.ay.setLabelFormat("%.0f")
        self.ax.setLabelsVisible(False)
        self.ax.setTickCount(2)
        f = self.ax.titleFont()
        f.setPointSizeF(8)
        self.ax.setTitleFont(f)
        chart.addAxis(self.ax, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.ay, Qt.AlignmentFlag.AlignLeft)
        for s in (self.line, self.points):
            s.attachAxis(self.ax)
            s.attachAxis(self.ay)
        self.points.hovered.connect(self._hover)
        self.texts: list[str] = []
        self.restyle()
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        self.setAccessibleName(translate("MoodChart", "Mood chart"))
        self.ax.setTitleText(translate("MoodChart", "your messages, oldest to newest"))
        self._show_tip()

    def _show_tip(self) -> None:
        self.setToolTip("" if self.points.count() else
                        translate("MoodChart", "The mood of your messages appears here as you write"))

    def set_points(self, values: list[tuple[float, str]]) -> None:
        """(score in [-1, 1], message text) per user message, in order."""
        self.texts = [t for _, t in values]
        pts = [QPointF(i + 1, max(-1.0, min(1.0, s))) for i, (s, _) in enumerate(values)]
        self.line.replace(pts)
        self.points.replace(pts)
        n = max(2, len(pts))
        self.ax.setRange(0.5, n + 0.5)
        self._show_tip()

    def tooltip_for(self, point: QPointF) -> str:
        i = int(round(point.x())) - 1
        if 0 <= i < len(self.texts):
            text = " ".join(self.texts[i].split())
            return translate("MoodChart", "Message {number} · mood {score}").format(
                number=i + 1, score=f"{point.y():+.2f}") + f"\n{text[:200]}"
        return ""

    def _hover(self, point: QPointF, state: bool) -> None:
        if state:
            QToolTip.showText(QCursor.pos(), self.tooltip_for(point), self)
        else:
            QToolTip.hideText()

    def restyle(self) -> None:
        c = COLORS[current_theme()]
        chart = self.chart()
        chart.setBackgroundBrush(QColor(c["base"]))
        chart.setPlotAreaBackgroundVisible(False)
        self.setBackgroundBrush(QColor(c["window"]))
        pen = QPen(QColor(c["accent"]))
        pen.setWidthF(2.0)
        self.line.setPen(pen)
        self.points.setColor(QColor(c["accent"]))
        self.points.setBorderColor(QColor(c["base"]))
        self.ax.setTitleBrush(QColor(c["muted"]))
        for ax in (self.ax, self.ay):
            ax.setLabelsColor(QColor(c["muted"]))
            ax.setGridLineColor(QColor(c["line"]))
            ax.setLinePenColor(QColor(c["line"]))


class DetailsPanel(QScrollArea):
    """The selected message: how it was understood (intent, why, the memories it used), its
    sources (the passages of your documents, each opens where it is: ``citationActivated``),
    timings, picture settings, image evidence; and the mood over the conversation."""

    citationActivated = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("DetailsPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setMinimumWidth(240)
        inner = QWidget()
        inner.setObjectName("DetailsInner")
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(14, 12, 14, 12)
        lay.setSpacing(6)
        self.mood_title = self._title()
        lay.addWidget(self.mood_title)
        self.chart = MoodChart()
        lay.addWidget(self.chart)
        self.selected_title = self._title()
        lay.addWidget(self.selected_title)
        self.hint = QLabel()
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        self.form_box = QWidget()
        self.form = QFormLayout(self.form_box)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        lay.addWidget(self.form_box)
        self.sources_title = self._title()
        self.sources = CitationList()
        self.sources.activated.connect(self.citationActivated)
        lay.addWidget(self.sources_title)
        lay.addWidget(self.sources)
        self.evidence_title = self._title()
        self.evidence = EvidenceBars(limit=8)
        lay.addWidget(self.evidence_title)
        lay.addWidget(self.evidence)
        lay.addStretch(1)
        self.setWidget(inner)
        self.values: dict[str, str] = {}
        self.item = None
        self.memory_texts: dict[int, str] = {}
        self.show_item(None)
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        self.setAccessibleName(translate("DetailsPanel", "Message details"))
        self.mood_title.setText(translate("DetailsPanel", "Mood over the conversation"))
        self.selected_title.setText(translate("DetailsPanel", "Selected message"))
        self.hint.setText(translate("DetailsPanel", "Click a message to see how it was understood and answered."))
        self.evidence_title.setText(translate("DetailsPanel", "Image evidence"))
        self.sources_title.setText(translate("DetailsPanel", "Sources"))
        self.sources.setAccessibleName(translate("DetailsPanel", "Sources of the reply"))
        if self.item is not None:
            self.show_item(self.item)  # its rows again, in the new language

    @staticmethod
    def _title() -> QLabel:
        lab = QLabel()
        lab.setObjectName("SectionTitle")
        return lab

    def show_item(self, item) -> None:
        """The rows of ``item`` (a conversation item; None: the hint). ``values`` keeps each row's
        text by its English name."""
        while self.form.rowCount():
            self.form.removeRow(0)
        self.values = {}
        self.item = item
        self.hint.setVisible(item is None)
        citations = list((item.meta or {}).get("citations") or ()) if item is not None else []
        self.sources.set_citations(citations)
        self.sources_title.setVisible(bool(citations))
        if item is None:
            self.evidence_title.hide()
            self.evidence.set_labels([])
            return

        def row(name: str, value: str) -> None:
            if not value:
                return
            self.values[name] = value
            v = QLabel(value)
            v.setWordWrap(True)
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            k = QLabel(_word(name))
            k.setObjectName("Muted")
            self.form.addRow(k, v)

        row("From", translate("DetailsPanel", "You") if item.role == "user" else "Sensorium")
        row("Time", time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(item.created)))
        if item.intent:
            conf = f" ({item.intent_confidence:.0%})" if item.intent_confidence is not None else ""
            row("Intent", (_word(INTENTS[item.intent]) if item.intent in INTENTS else item.intent) + conf)
            row("Why", render(item.intent_reason_text, item.intent_reason))
        used = (item.meta or {}).get("memories_used")
        if used is not None and item.role == "assistant":
            row("Memories used", "\n".join(f"• {m}" for m in self._memory_texts(item)) if used
                else translate("DetailsPanel", "none"))
        s = item.sentiment
        if s is not None:
            row("Mood", f"{_word(MOODS[s.label]) if s.label in MOODS else s.label} ({s.score:+.2f})")
        status = STATUSES.get(item.status, item.status)
        row("Status", _word(status) if status else "")
        if item.models:
            row("Models", "\n".join(f"{_word(k)}: {v}" for k, v in item.models.items()))
        voice = voice_latency(item.timings or {}, (item.meta or {}).get("latency_breakdown"))
        if voice:
            row("Voice latency", voice)
        if item.timings:
            order = sorted(((k, v) for k, v in item.timings.items() if not k.startswith("speech_to_")),
                           key=lambda kv: kv[0] != "total_ms")
            row("Timings", "\n".join(f"{_word(k.removesuffix('_ms').replace('_', ' '))}: {v:,.0f} ms"
                                      for k, v in order))
        if item.image:
            p = item.image.get("params") or {}
            bits = [translate("DetailsPanel", "seed {seed}").format(seed=item.image.get("seed"))]
            bits += [f"{_word(k)} {v}" for k, v in p.items()
                     if k in ("width", "height", "steps", "guidance", "scheduler", "strength", "negative_prompt")
                     and v not in (None, "")]
            row("Picture", "\n".join(bits))
        if item.rating:
            row("Rating", ("👍" if item.rating > 0 else "👎") + (f" {item.rating_comment}" if item.rating_comment else ""))
        if item.error:
            row("Error", item.error)
        self.evidence.set_labels(item.evidence)
        self.evidence_title.setVisible(bool(item.evidence))

    def _memory_texts(self, item) -> list[str]:
        """The memories a reply used: their texts as the turn had them, else (a stored reply keeps
        their ids) as they are remembered now."""
        live = item.meta.get("memories_used_texts")
        if live:
            return list(live)
        return [self.memory_texts.get(i) or translate("DetailsPanel", "(a memory since deleted)")
                for i in item.meta.get("memories_used") or ()]

    def set_memories(self, memories) -> None:
        """The memories remembered now (MemoryItem), for the stored replies' ``memories_used`` ids."""
        self.memory_texts = {m.id: m.text for m in memories}
        if self.item is not None and (self.item.meta or {}).get("memories_used"):
            self.show_item(self.item)

    def set_mood(self, items) -> None:
        vals = [(float(it.sentiment.score), it.text) for it in items if it.role == "user" and it.sentiment is not None]
        self.chart.set_points(vals)

    def restyle(self) -> None:
        self.chart.restyle()
        self.evidence.update()
