"""llama.cpp's OpenAI-compatible server (xllamacpp) as a process of its own, for the real-engine tests.

    python -m tests.helpers.llama_server GGUF --alias NAME [--port P] [--embedding] [--threads N]
        [--ctx N] [--parallel N] [--api-key KEY]

starts ``xllamacpp.Server`` on 127.0.0.1, prints one JSON line ``{"port": P}`` to stdout once it
listens, and blocks until SIGTERM or SIGINT; then it stops the server and exits 0. A process with a
PID of its own is what lets a test SIGKILL the engine in the middle of a reply and start it again on
the same port (tests/fixtures/servers.py).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading


def _params(args: argparse.Namespace):
    import xllamacpp as xlc

    p = xlc.CommonParams()
    p.model.path = args.gguf
    p.model_alias = {args.alias}
    p.hostnames = ["127.0.0.1"]
    p.port = args.port
    p.n_ctx = args.ctx
    p.n_parallel = args.parallel
    p.n_gpu_layers = 0
    p.fit_params = False  # it would load the model twice to fit GPU memory
    p.cpuparams.n_threads = p.cpuparams_batch.n_threads = args.threads
    p.ui = False
    if args.embedding:
        # /v1/embeddings refuses pooling "none" (SmolLM2's own): one vector per input, the tokens' mean
        p.embedding = True
        p.pooling_type = xlc.llama_pooling_type.LLAMA_POOLING_TYPE_MEAN
    if args.api_key:
        p.api_keys = [args.api_key]  # every route but /health then wants "Authorization: Bearer KEY"
    return p


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.helpers.llama_server", description=__doc__.split("\n")[0])
    ap.add_argument("gguf")
    ap.add_argument("--alias", default="smollm2", help="the model name /v1/models lists")
    ap.add_argument("--port", type=int, default=0, help="0: a free port (printed)")
    ap.add_argument("--embedding", action="store_true", help="serve /v1/embeddings too (mean pooling)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--ctx", type=int, default=2048)
    ap.add_argument("--parallel", type=int, default=1, help="slots: requests answered at once")
    ap.add_argument("--api-key", default="")
    args = ap.parse_args(argv)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    import xllamacpp as xlc

    server = xlc.Server(_params(args))
    port = int(server.listening_address.rstrip("/").rsplit(":", 1)[1])
    os.write(sys.stdout.fileno(), (json.dumps({"port": port}) + "\n").encode())  # one write: not torn by C logs
    while not stop.wait(0.5):
        pass
    del server  # xllamacpp stops its threads and frees the model
    sys.stdout.flush()
    os._exit(0)  # no interpreter teardown racing native threads


if __name__ == "__main__":
    sys.exit(main())
