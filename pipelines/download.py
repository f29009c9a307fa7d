"""Resumable, checksummed downloads with progress, a timeout and cancel.

A file is downloaded to ``NAME.part`` and renamed only once complete and verified, so an
interrupted download resumes where it stopped (HTTP Range) and a broken file never loads.

Cancel is checked as each block arrives: a cancelled download stops before writing the next
block, keeping its ``.part`` to resume from. While a connection is stalled no block arrives, so
cancel takes effect when data comes again or at the timeout; either way it is ``Cancelled``, not
a network error.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

from .cancel import Cancelled, CancelToken
from .errors import ChecksumMismatch, ModelUnavailable

__all__ = ["download_file"]

_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


def _linked_sha(response) -> str | None:
    """The Hugging Face hub sends an LFS file's sha256 as X-Linked-Etag (on the redirect)."""
    for r in [*response.history, response]:
        etag = (r.headers.get("x-linked-etag") or "").strip('"').lower()
        if _SHA_RE.match(etag):
            return etag
    return None


def download_file(url: str, dest: Path, *, expected_sha256: str | None = None, timeout: float = 30.0,
                  cancel: CancelToken | None = None, progress: Callable[[int, int], None] | None = None,
                  label: str = "", chunk: int = 1 << 20) -> Path:
    import httpx

    label = label or dest.name
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    if dest.exists() and not part.exists():
        if expected_sha256 is None or _sha256(dest) == expected_sha256:
            return dest
        dest.unlink()
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    h = hashlib.sha256()
    if have:
        with open(part, "rb") as f:
            while block := f.read(chunk):
                h.update(block)
    try:
        with httpx.Client(follow_redirects=True, timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
                          verify=True) as client, client.stream("GET", url, headers=headers) as resp:
            if resp.status_code == 416 and have:  # already complete
                total = have
            elif resp.status_code in (401, 403):
                raise ModelUnavailable("download of {label} was refused ({status}): the model may need "
                                       "a licence accepted on its hub page; download it there and set the folder "
                                       "in Settings", code="download.refused", label=label,
                                       status=resp.status_code)
            elif resp.status_code == 404:
                raise ModelUnavailable("download of {label} failed: not found at {url}",
                                       code="download.not_found", label=label, url=url)
            elif resp.status_code >= 400:
                raise ModelUnavailable("download of {label} failed with HTTP {status}: try again later",
                                       code="download.http_error", label=label, status=resp.status_code)
            else:
                if resp.status_code == 200 and have:  # server ignored Range: start again
                    have, h = 0, hashlib.sha256()
                    part.unlink(missing_ok=True)
                expected_sha256 = expected_sha256 or _linked_sha(resp)
                length = int(resp.headers.get("content-length") or 0)
                total = have + length if length else 0
                done = have
                with open(part, "ab") as f:
                    for block in resp.iter_bytes():  # as it arrives: a cut keeps what came
                        if cancel is not None and cancel.cancelled:
                            raise Cancelled()
                        f.write(block)
                        h.update(block)
                        done += len(block)
                        if progress:
                            progress(done, total)
                    f.flush()
                    os.fsync(f.fileno())
    except httpx.TimeoutException:
        if cancel is not None and cancel.cancelled:  # cancelled while the connection was stalled
            raise Cancelled() from None
        raise ModelUnavailable("download of {label} timed out after {seconds} s without data: check the "
                               "connection and run the same command again (it resumes)",
                               code="download.timed_out", label=label, seconds=f"{timeout:.0f}") from None
    except httpx.HTTPError as e:
        if cancel is not None and cancel.cancelled:
            raise Cancelled() from None
        raise ModelUnavailable("cannot download {label}: {kind} ({detail}); check the internet "
                               "connection, or copy the model folder here and set its path in Settings",
                               code="download.failed", label=label, kind=type(e).__name__, detail=_short(e)) from None
    if expected_sha256 and h.hexdigest() != expected_sha256:
        part.unlink(missing_ok=True)
        raise ChecksumMismatch("downloaded {label} does not match its sha256 checksum and was deleted: "
                               "run the command again", code="download.checksum_mismatch", label=label)
    os.replace(part, dest)
    return dest


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _short(e: Exception) -> str:
    text = " ".join(str(e).split())
    return text[:120] if text else "no details"
