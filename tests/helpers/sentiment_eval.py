"""The sentiment evaluation sets (tests/data/sentiment_*.tsv) and the figures measured on them,
shared by tests/pipelines/test_sentiment.py and the benchmark stage (benchmarks/stage_sentiment.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["HELDOUT", "DEV", "LABELS", "Row", "LangFigures", "load", "evaluate"]

DATA = Path(__file__).resolve().parents[1] / "data"
HELDOUT = DATA / "sentiment_heldout.tsv"  # never tuned on
DEV = DATA / "sentiment_dev.tsv"  # the tuning set
LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Row:
    lang: str
    label: str
    upset: bool
    text: str


@dataclass
class LangFigures:
    """Accuracy, the confusion counts (wanted -> got) and upset precision/recall for one language."""

    lang: str
    n: int = 0
    correct: int = 0
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    upset_tp: int = 0
    upset_fp: int = 0
    upset_fn: int = 0
    errors: list[tuple[Row, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else float("nan")

    @property
    def upset_precision(self) -> float:
        flagged = self.upset_tp + self.upset_fp
        return self.upset_tp / flagged if flagged else float("nan")

    @property
    def upset_recall(self) -> float:
        wanted = self.upset_tp + self.upset_fn
        return self.upset_tp / wanted if wanted else float("nan")

    def line(self, name: str) -> str:
        return (f"{name} {self.lang}: accuracy {self.accuracy:.1%} ({self.correct}/{self.n}); upset precision "
                f"{self.upset_precision:.0%} ({self.upset_tp}/{self.upset_tp + self.upset_fp}), recall "
                f"{self.upset_recall:.0%} ({self.upset_tp}/{self.upset_tp + self.upset_fn})")


def load(path: Path) -> list[Row]:
    """Rows of a sentiment TSV (lang, label, upset, text; '#' comments and the header skipped)."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("lang\t"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or parts[0] not in ("en", "zh") or parts[1] not in LABELS or parts[2] not in ("0", "1"):
            raise ValueError(f"{path.name}:{n}: want lang<TAB>label<TAB>upset<TAB>text, got {line!r}")
        rows.append(Row(parts[0], parts[1], parts[2] == "1", parts[3]))
    return rows


def evaluate(analyzer: Any, rows: list[Row]) -> dict[str, LangFigures]:
    """Score every row with ``analyzer`` (a SentimentAnalyzer); figures per language."""
    from pipelines.sentiment import is_upset

    out: dict[str, LangFigures] = {}
    for row in rows:
        f = out.setdefault(row.lang, LangFigures(row.lang))
        s = analyzer.analyze(row.text)
        upset = is_upset(s)
        f.n += 1
        f.correct += s.label == row.label
        f.confusion[(row.label, s.label)] = f.confusion.get((row.label, s.label), 0) + 1
        f.upset_tp += upset and row.upset
        f.upset_fp += upset and not row.upset
        f.upset_fn += row.upset and not upset
        if s.label != row.label or upset != row.upset:
            f.errors.append((row, s))
    return out
