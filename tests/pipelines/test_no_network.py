"""No network connection is attempted at start-up or in offline mode.

Each command runs in a subprocess with a Python audit hook that records every socket
connect (and name lookup) and refuses it: any attempt is a failure.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers.run import REPO

GUARD = r"""
import socket, sys
attempts = []
def hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto"):
        target = args[1] if event in ("socket.connect", "socket.sendto") else args[0]
        family = getattr(args[0], "family", None) if event == "socket.connect" else None
        if family == socket.AF_UNIX:
            return
        host = target[0] if isinstance(target, tuple) and target else target
        if host in ("127.0.0.1", "::1"):  # loopback (the in-process llama.cpp server) never leaves the machine
            return
        attempts.append((event, repr(target)))
        raise OSError("network disabled by the test")
sys.addaudithook(hook)
import atexit
atexit.register(lambda: print("NETWORK-ATTEMPTS", __import__("json").dumps(attempts), file=sys.stderr))
from desktop.launcher import main
rc = main(sys.argv[1:])
sys.stdout.flush()
raise SystemExit(rc)
"""


def run_guarded(*args: str) -> tuple[subprocess.CompletedProcess, list]:
    r = subprocess.run([sys.executable, "-c", GUARD, *args], capture_output=True, text=True, cwd=REPO, timeout=300)
    line = next(ln for ln in r.stderr.splitlines() if ln.startswith("NETWORK-ATTEMPTS"))
    return r, json.loads(line.split(" ", 1)[1])


def test_models_listing_opens_no_socket(tmp_path):
    r, attempts = run_guarded("--profile-dir", str(tmp_path), "models", "--json")
    assert r.returncode == 0, r.stderr
    assert attempts == []


@pytest.mark.weights
def test_offline_roles_open_no_socket(tmp_path, speech_dir):
    r, attempts = run_guarded("--profile-dir", str(tmp_path), "transcribe", str(speech_dir / "cards-001.wav"))
    assert r.returncode == 0, r.stderr
    assert attempts == []
    r, attempts = run_guarded("--profile-dir", str(tmp_path), "say", "Hello there.", "-o", str(tmp_path / "a.wav"))
    assert r.returncode == 0, r.stderr
    assert attempts == []


def test_missing_model_in_offline_mode_does_not_try_the_network(tmp_path):
    img = tmp_path / "x.png"
    from PIL import Image

    Image.new("RGB", (32, 32), "red").save(img)
    r, attempts = run_guarded("--profile-dir", str(tmp_path), "describe", str(img))
    assert r.returncode == 1
    assert "sensorium models fetch vision" in r.stderr
    assert attempts == []


@pytest.mark.weights
def test_documents_and_memory_open_no_socket(tmp_path):
    """Issue 18's features offline: indexing a document, answering from it with citations, and memory."""
    from tests.helpers.profiles import MACHINE_CACHE

    docs = REPO / "tests" / "data" / "docs"
    base = ("--profile-dir", str(tmp_path / "profile"), "--cache-dir", str(MACHINE_CACHE))
    for args in (("docs", "add", str(docs / "solar.md"), str(docs / "fish.pdf"), "--json"),
                 ("docs", "list", "--json"),
                 ("chat", "Where do eels spawn?", "--docs", "--json", "--max-tokens", "12"),
                 ("memory", "add", "call me Lin", "--json"),
                 ("memory", "list", "--json")):
        r, attempts = run_guarded(*base, *args)
        assert r.returncode == 0, (args, r.stderr)
        assert attempts == [], args
    assert [m["value"] for m in json.loads(r.stdout)["memories"]] == ["Lin"]
