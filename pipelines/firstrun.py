"""What the first run needs, without Qt: ``sensorium doctor``'s host report plus what is on disk
(``first_run_survey``), the recommended models for this machine (``recommend_models``: the catalog's
cpu or gpu profile, grown into the largest models that fit a big GPU together), each catalog licence
in words (``licence_info``), the disk-space check, the download of a chosen set through the model
manager (``download_models``: one model after another, each with its own outcome) and the marker that
says the first run is done (``mark_first_run_done``, in the profile's config folder).

Nothing here loads a model or touches the network, except ``download_models``, through the manager.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .cancel import Cancelled, CancelToken
from .catalog import ROLES, RoleStatus
from .doctor import HostCheck, check_host
from .errors import SensoriumError
from .paths import Profile

__all__ = [
    "MB", "MARKER_NAME", "Licence", "LICENCES", "licence_info", "Recommendation", "recommend_models",
    "FirstRunSurvey", "first_run_survey", "disk_free", "disk_space_problem", "format_size",
    "ModelOutcome", "DownloadBatch", "download_models", "should_show_first_run", "mark_first_run_done",
]

log = logging.getLogger(__name__)

MB = 2**20
MARKER_NAME = "first-run.json"


@dataclass(frozen=True)
class Licence:
    id: str  # as the catalog names it
    name: str  # what a person reads
    tag: str = ""  # a short badge where it restricts use ("non-commercial"); "" otherwise
    terms: str = ""  # one sentence on what it restricts

    @property
    def restricted(self) -> bool:
        return bool(self.tag)


#: The licences in assets/catalog.toml, in words. A licence missing here shows as written, with
#: "see the model card".
LICENCES: dict[str, Licence] = {lic.id: lic for lic in (
    Licence("MIT", "MIT License"),
    Licence("Apache-2.0", "Apache License 2.0"),
    Licence("CC0-1.0", "CC0 1.0 (public domain)"),
    Licence("sai-nc-community", "Stability AI Non-Commercial Research Community License", "non-commercial",
            "research and non-commercial use only; commercial use needs a licence from Stability AI"),
    Licence("qwen-research", "Qwen Research License", "non-commercial",
            "research and non-commercial use only; commercial use needs the licensor's permission"),
    Licence("creativeml-openrail-m", "CreativeML OpenRAIL-M", "use restrictions",
            "commercial use is allowed, but the licence forbids a list of harmful uses, also for anyone you "
            "share the model or its pictures with"),
)}


def licence_info(licence: str) -> Licence:
    """The catalog's licence field in words (an unknown one as written, pointing to the model card)."""
    known = LICENCES.get(licence)
    if known is not None:
        return known
    if not licence or licence == "see model card":
        return Licence(licence or "see model card", "not stated here: see the model card")
    return Licence(licence, f"{licence} (see the model card)")


#: The catalog profiles a recommendation starts from.
CPU_PROFILE, GPU_PROFILE = "cpu-offline", "gpu"
#: The share of a GPU's memory the recommended models may fill together (the rest: activations,
#: the picture being drawn, the desktop).
GPU_SHARE = 0.75
#: Which roles grow first when a GPU has room for bigger models.
GROW_ORDER = ("chat", "vlm", "asr", "vision", "imagegen", "tts", "embed")


@dataclass(frozen=True)
class Recommendation:
    models: dict[str, str]  # role -> catalog name (or the user's own path for a role they set)
    reason: str  # one line: why this set


def recommend_models(catalog: Any, host: HostCheck) -> Recommendation:
    """The model set for this machine. Without a usable NVIDIA GPU: the catalog's cpu profile (small
    models that run on the CPU). With one: the gpu profile, and when the GPU's memory is known, each
    role in turn (chat first) grows into the largest catalog model for a GPU that still lets the set
    fit in ``GPU_SHARE`` of it. A model the user chose in the settings stays."""
    entries = {e.name: e for e in catalog.entries()}
    size = lambda name: entries[name].size_mb if name in entries else 0.0  # noqa: E731
    has_gpu = bool(host.nvidia_driver or host.gpus)
    if not has_gpu or host.device_setting == "cpu":
        picks = dict(catalog.profiles.get(CPU_PROFILE, {}))
        reason = ("Settings > Device is set to the CPU" if has_gpu else "No NVIDIA GPU was found") + \
            ", so these are the small models that run well on the processor."
    else:
        picks = dict(catalog.profiles.get(GPU_PROFILE, {}))
        memory = max(host.gpu_memory_mb, default=0)
        reason = "An NVIDIA GPU was found (its memory could not be read), so these are the standard GPU models."
        if memory:
            budget, grown = memory * GPU_SHARE, False
            total = sum(size(n) for n in picks.values())
            for role in GROW_ORDER:
                now = size(picks.get(role, ""))
                for e in sorted(catalog.entries(role), key=lambda e: -e.size_mb):
                    if e.size_mb <= now:
                        break
                    if "gpu" in e.suitable and total - now + e.size_mb <= budget:
                        picks[role], total, grown = e.name, total - now + e.size_mb, True
                        break
            reason = (f"An NVIDIA GPU with {memory / 1024:.0f} GB of memory was found, so these are "
                      + ("the largest models that fit on it together." if grown else "the standard GPU models."))
    for role in ROLES:
        own = getattr(catalog.settings.models, role, "")
        if own:
            picks[role] = own
    return Recommendation({r: picks[r] for r in ROLES if picks.get(r)}, reason)


def disk_free(path: Path) -> int:
    """Free bytes on the file system that holds ``path`` (its nearest existing folder)."""
    p = Path(path)
    while not p.exists() and p != p.parent:
        p = p.parent
    return shutil.disk_usage(p).free


def format_size(n: float) -> str:
    """Bytes as a person reads them: 2.6 GB, 605 MB, 12 KB."""
    if n >= 2**30:
        return f"{n / 2**30:.1f} GB"
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n / 1024:,.0f} KB"


def disk_space_problem(needed: int, free: int | None, where: Path) -> str:
    """One line when ``needed`` bytes do not fit in ``free``; "" when they do (or free is unknown)."""
    if free is None or needed <= free:
        return ""
    return (f"Not enough disk space: the download needs {format_size(needed)} and {where} has "
            f"{format_size(free)} free; free some space or choose smaller models.")


@dataclass(frozen=True)
class FirstRunSurvey:
    host: HostCheck
    roles: tuple[RoleStatus, ...]  # each role's model now, and whether its weights are here
    recommendation: Recommendation
    on_disk: frozenset[str]  # catalog models whose weights are on this computer
    models_dir: Path  # where downloads go
    free_bytes: int | None  # free space there (None: could not tell)


def first_run_survey(manager: Any, *, host: HostCheck | None = None,
                     free_space: Callable[[Path], int] = disk_free) -> FirstRunSurvey:
    """What the first-run screen shows, looked up on disk only (no model loads, no network)."""
    catalog = manager.catalog
    host = host or check_host(manager.settings)
    on_disk = frozenset(e.name for e in catalog.entries() if catalog.locate(e)[0] is not None)
    models_dir = catalog.profile.models_dir
    try:
        free: int | None = free_space(models_dir)
    except OSError:
        free = None
    return FirstRunSurvey(host, tuple(catalog.statuses()), recommend_models(catalog, host), on_disk, models_dir,
                          free)


# ---- the download, and the marker ---------------------------------------------------------------
def should_show_first_run(profile: Profile) -> bool:
    return not (profile.config_dir / MARKER_NAME).exists()


def mark_first_run_done(profile: Profile, how: str = "done") -> Path:
    """Write the marker (atomically: a temp file renamed into place) so the screen does not show again."""
    from . import __version__
    from .tempfiles import temp_path

    path = profile.config_dir / MARKER_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        tmp.write_text(json.dumps({"closed": how, "version": __version__,
                                   "at": datetime.now(UTC).isoformat(timespec="seconds")}), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


@dataclass(frozen=True)
class ModelOutcome:
    role: str
    model: str
    status: str  # downloaded | failed | cancelled
    message: str = ""  # one line for a failure or a cancel


@dataclass(frozen=True)
class DownloadBatch:
    outcomes: tuple[ModelOutcome, ...] = ()
    refused: str = ""  # the disk-space line when nothing was started


def _still_needed(entry: Any, models_dir: Path) -> int:
    """Bytes a download of ``entry`` still needs: its catalog size less what an earlier try left."""
    folder = models_dir / entry.name
    have = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) if folder.is_dir() else 0
    return max(0, int(entry.size_mb * MB) - have)


def download_models(manager: Any, picks: Sequence[tuple[str, str]], *, cancel: CancelToken,
                    progress: Callable[[Any], None], free_space: Callable[[Path], int] = disk_free) -> DownloadBatch:
    """Check the disk, then download each (role, model) through ``manager`` in turn. ``progress`` gets
    every DownloadState and each model's ModelOutcome as it ends."""
    catalog = manager.catalog
    models_dir = catalog.profile.models_dir
    needed = sum(_still_needed(catalog.entry(name), models_dir) for _role, name in picks)
    try:
        free: int | None = free_space(models_dir)
    except OSError:
        free = None
    problem = disk_space_problem(needed, free, models_dir)
    if problem:
        return DownloadBatch(refused=problem)
    outcomes = []
    for role, name in picks:
        if cancel.cancelled:
            outcome = ModelOutcome(role, name, "cancelled", "Not started: the download was cancelled.")
        else:
            try:
                manager.download(role, name, cancel=cancel, progress=progress)
                outcome = ModelOutcome(role, name, "downloaded")
            except Cancelled:
                outcome = ModelOutcome(role, name, "cancelled",
                                       "Cancelled: what came is kept, and Download resumes from there.")
            except SensoriumError as e:
                outcome = ModelOutcome(role, name, "failed", str(e))
            except Exception as e:  # a bug, not the network: the log has the traceback
                log.exception("downloading %s failed", name)
                outcome = ModelOutcome(role, name, "failed", f"the download of {name} failed ({type(e).__name__}); "
                                                             f"details are in {manager.profile.log_file}")
        outcomes.append(outcome)
        progress(outcome)
    return DownloadBatch(tuple(outcomes))
