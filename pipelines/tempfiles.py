"""Temporary files that a crash cannot leave behind for long.

Files are written to a hidden sibling named ``.NAME.pidPID.RANDOM.tmp`` and renamed into place, so
a reader never sees half a file. A process killed mid-write (kill -9, power cut) leaves its temp
file; ``remove_stale`` deletes the temp files of processes that are no longer running, and the
engine calls it for the profile's folders at start-up.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

__all__ = ["temp_path", "pid_tag", "remove_stale", "profile_temp_dirs"]

_PID = re.compile(r"\.pid(\d+)[.-]")


def pid_tag() -> str:
    """The marker put in every temp name: ``.pidPID.``."""
    return f".pid{os.getpid()}."


def temp_path(target: Path) -> Path:
    """A hidden temp name beside ``target`` (same folder, so ``os.replace`` is atomic)."""
    return target.with_name(f".{target.name}{pid_tag()}{secrets.token_hex(4)}.tmp")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OSError:
        return False
    return True


def remove_stale(folders: Iterable[Path]) -> list[Path]:
    """Delete temp files and folders (hidden, with a ``.pidPID.`` tag) whose process has ended."""
    removed: list[Path] = []
    for folder in folders:
        try:
            entries = list(Path(folder).iterdir())
        except OSError:
            continue
        for p in entries:
            if not p.name.startswith("."):
                continue
            m = _PID.search(p.name)
            if not m or _alive(int(m.group(1))):
                continue
            try:
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p)
                else:
                    p.unlink()
                removed.append(p)
            except OSError:
                pass
    return removed


def profile_temp_dirs(profile) -> list[Path]:
    """The profile folders that temp files are written in."""
    return [profile.config_dir, profile.data_dir, profile.images_dir, profile.attachments_dir,
            profile.models_dir, profile.cache_dir, profile.machine_cache, profile.converted_dir, profile.index_dir]
