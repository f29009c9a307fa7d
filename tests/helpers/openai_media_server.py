"""An OpenAI-compatible image server on the suite's tiny real models, as a process of its own, for
the real-engine tests of the image roles (tests/fixtures/servers.py starts it):

    python -m tests.helpers.openai_media_server [--sd DIR --sd-name NAME [--url-model NAME]]
        [--vlm DIR --vlm-name NAME] [--port P] [--max-side N] [--mm-processor-kwargs JSON] [--threads N]

- ``POST /v1/images/generations``: a diffusers ``StableDiffusionPipeline`` loaded from DIR (the tiny
  random SD). OpenAI's request (model, prompt, n, size "WxH", response_format b64_json | url) with
  the extensions SGLang diffusion and LocalAI read (negative_prompt, num_inference_steps,
  guidance_scale, seed): the ``n`` pictures are one pipeline call, ``num_images_per_prompt=n``,
  with one CPU generator seeded ``seed``, which is the plain diffusers call a test can repeat. The
  model ``--url-model`` is the same pipeline answering links (``/files/<id>.png`` on this server)
  whatever response_format says, as servers that store their pictures do. One picture at a time;
  when the client closes the connection the pipeline stops at the next step (the log says so).
- ``POST /v1/chat/completions``: an image-text-to-text transformers model (the tiny SmolVLM) with
  OpenAI content parts (text, image_url as a data: URL), streamed as server-sent events or not;
  temperature 0 is greedy decoding. The prompt is the processor's chat template; the processor
  gets ``--mm-processor-kwargs`` (vLLM's option of that name), e.g. ``{"do_image_splitting":
  false}``. Generation stops when the client goes away.
- ``GET /v1/models`` lists the models; ``GET /health`` answers once they are loaded.

Errors use OpenAI's envelope ``{"error": {"message", "type", "param", "code"}}``: 400 for a bad
request (a size this server does not make, among others), 404 for a model it does not have or a
path it does not know. Prints one JSON line ``{"port": P}`` once it listens; SIGTERM stops it.
"""
from __future__ import annotations

import argparse
import base64
import io
import json
import re
import secrets
import select
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _ClientGone(Exception):
    pass


class _Refused(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error", param: str | None = None,
                 code: str | None = None):
        super().__init__(message)
        self.status, self.message, self.kind, self.param, self.code = status, message, kind, param, code


def log(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


class Models:
    """The loaded models and the lock that lets one job run at a time."""

    def __init__(self, args: argparse.Namespace):
        import torch

        torch.set_num_threads(max(1, args.threads))
        self.lock = threading.Lock()
        self.max_side = int(args.max_side)
        self.sd_names: list[str] = []
        self.url_models: set[str] = set()
        self.files: dict[str, bytes] = {}
        self.pipe: Any = None
        self.vlm_name = ""
        if args.sd:
            from diffusers import StableDiffusionPipeline

            self.pipe = StableDiffusionPipeline.from_pretrained(args.sd, local_files_only=True)
            self.pipe.set_progress_bar_config(disable=True)
            self.native = int(self.pipe.unet.config.sample_size) * int(self.pipe.vae_scale_factor)
            self.sd_names = [args.sd_name] + ([args.url_model] if args.url_model else [])
            self.url_models = {args.url_model} if args.url_model else set()
        if args.vlm:
            from transformers import AutoModelForImageTextToText, AutoProcessor

            self.processor = AutoProcessor.from_pretrained(args.vlm, local_files_only=True)
            self.vlm = AutoModelForImageTextToText.from_pretrained(args.vlm, dtype=torch.float32,
                                                                   local_files_only=True).eval()
            self.vlm_name = args.vlm_name
            self.mm_kwargs = json.loads(args.mm_processor_kwargs or "{}")
            tok = self.processor.tokenizer
            eos: list[int] = []
            for v in (self.vlm.generation_config.eos_token_id, tok.eos_token_id):  # what vLLM stops at too
                for i in v if isinstance(v, (list, tuple)) else [v]:
                    if i is not None and int(i) not in eos:
                        eos.append(int(i))
            self.eos = eos
            self.pad = tok.pad_token_id if tok.pad_token_id is not None else (eos[0] if eos else None)

    @property
    def names(self) -> list[str]:
        return self.sd_names + ([self.vlm_name] if self.vlm_name else [])


def _int(body: dict, key: str, default: int, low: int, high: int) -> int:
    value = body.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _Refused(400, f"'{key}' must be a whole number from {low} to {high}, not {value!r}", param=key)
    return value


def _float(body: dict, key: str, default: float, low: float, high: float) -> float:
    value = body.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= float(value) <= high:
        raise _Refused(400, f"'{key}' must be a number from {low:g} to {high:g}, not {value!r}", param=key)
    return float(value)


def _no_model(name: Any) -> _Refused:
    return _Refused(404, f"The model `{name}` does not exist or you do not have access to it.", param="model",
                    code="model_not_found")


def _decode_data_url(url: str) -> Any:
    from PIL import Image

    m = re.match(r"^data:image/[a-z0-9.+-]+;base64,(.*)$", url, re.S | re.I)
    if not m:
        raise _Refused(400, "image_url must be a data:image/...;base64 URL (this server fetches nothing)",
                       param="messages")
    try:
        image = Image.open(io.BytesIO(base64.b64decode(m.group(1), validate=True)))
        image.load()
    except Exception as e:
        raise _Refused(400, f"the image in image_url cannot be decoded ({type(e).__name__})", param="messages") from None
    return image.convert("RGB")


def make_handler(models: Models) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "sensorium-test-media/1"

        def log_message(self, format: str, *args: Any) -> None:
            log(f"{self.command} {self.path} {args[1] if len(args) > 1 else ''}")

        # ---- plumbing ------------------------------------------------------------------------
        def _send(self, status: int, obj: Any, content_type: str = "application/json") -> None:
            data = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _refuse(self, e: _Refused) -> None:
            self._send(e.status, {"error": {"message": e.message, "type": e.kind, "param": e.param, "code": e.code}})

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        def client_gone(self) -> bool:
            """True when the client closed its side (it never sends more on this connection mid-answer)."""
            try:
                readable, _, _ = select.select([self.connection], [], [], 0)
                return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
            except OSError:
                return True

        def _body(self) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                raise _Refused(400, "the request body is not JSON") from None
            if not isinstance(body, dict):
                raise _Refused(400, "the request body must be a JSON object")
            return body

        # ---- routes --------------------------------------------------------------------------
        def do_GET(self) -> None:
            try:
                if self.path == "/health":
                    self._send(200, {"status": "ok"})
                elif self.path == "/v1/models":
                    self._send(200, {"object": "list", "data": [
                        {"id": n, "object": "model", "created": 0, "owned_by": "sensorium-tests"} for n in models.names]})
                elif m := re.match(r"^/files/([0-9a-f]+)\.png$", self.path):
                    data = models.files.get(m.group(1))
                    if data is None:
                        raise _Refused(404, f"no file {self.path}", kind="not_found_error")
                    self._send(200, data, "image/png")
                else:
                    raise _Refused(404, f"no route GET {self.path}", kind="not_found_error")
            except _Refused as e:
                self._refuse(e)

        def do_POST(self) -> None:
            try:
                body = self._body()
                if self.path == "/v1/images/generations" and models.pipe is not None:
                    self.images(body)
                elif self.path == "/v1/chat/completions" and models.vlm_name:
                    self.chat(body)
                else:
                    raise _Refused(404, f"no route POST {self.path}", kind="not_found_error")
            except _Refused as e:
                self._refuse(e)
            except _ClientGone:
                self.close_connection = True
            except (BrokenPipeError, ConnectionResetError):
                log(f"{self.path}: the client went away while the answer was sent")
                self.close_connection = True
            except Exception as e:  # the server's own failure: 500 with its words
                log(f"{self.path}: failed: {type(e).__name__}: {e}")
                self._refuse(_Refused(500, f"{type(e).__name__}: {e}", kind="server_error"))

        # ---- /v1/images/generations --------------------------------------------------------------
        def images(self, body: dict) -> None:
            import torch

            model = body.get("model")
            if model not in models.sd_names:
                raise _no_model(model)
            prompt = body.get("prompt")
            if not isinstance(prompt, str) or not prompt.strip():
                raise _Refused(400, "'prompt' must be a non-empty string", param="prompt")
            n = _int(body, "n", 1, 1, 8)
            size = body.get("size") or f"{models.native}x{models.native}"
            m = re.match(r"^(\d+)x(\d+)$", str(size))
            w, h = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
            if not m or not all(64 <= s <= models.max_side and s % 8 == 0 for s in (w, h)):
                raise _Refused(400, f"Invalid size '{size}': this server makes pictures of 64 to {models.max_side} "
                                    f"pixels a side, in multiples of 8", param="size")
            fmt = body.get("response_format") or "url"
            if fmt not in ("b64_json", "url"):
                raise _Refused(400, f"'response_format' must be b64_json or url, not {fmt!r}", param="response_format")
            if model in models.url_models:
                fmt = "url"
            steps = _int(body, "num_inference_steps", 4, 1, 500)
            guidance = _float(body, "guidance_scale", 7.5, 0.0, 50.0)
            seed = body.get("seed")
            seed = secrets.randbelow(2**32) if seed is None else _int(body, "seed", 0, 0, 2**63 - 1)
            negative = body.get("negative_prompt") or None
            done = [0]

            def callback(pipe: Any, step: int, timestep: Any, kwargs: dict) -> dict:
                done[0] = step + 1
                if self.client_gone():
                    raise _ClientGone()
                return kwargs

            with models.lock:
                t0 = time.perf_counter()
                try:
                    out = models.pipe(prompt=prompt, negative_prompt=negative, height=h, width=w,
                                      num_inference_steps=steps, guidance_scale=guidance, num_images_per_prompt=n,
                                      generator=torch.Generator("cpu").manual_seed(seed), callback_on_step_end=callback)
                except _ClientGone:
                    log(f"images: stopped after {done[0]} of {steps} steps: the client closed the connection")
                    raise
                log(f"images: {n} of {w}x{h} in {steps} steps, seed {seed}, {time.perf_counter() - t0:.2f} s")
            data = []
            for image in out.images:
                buf = io.BytesIO()
                image.save(buf, "PNG")
                png = buf.getvalue()
                if fmt == "b64_json":
                    data.append({"b64_json": base64.b64encode(png).decode("ascii")})
                else:
                    key = secrets.token_hex(8)
                    models.files[key] = png
                    data.append({"url": f"http://{self.headers.get('Host')}/files/{key}.png"})
            self._send(200, {"created": int(time.time()), "data": data})

        # ---- /v1/chat/completions ----------------------------------------------------------------
        def _chat_inputs(self, body: dict) -> tuple[Any, int]:
            messages = body.get("messages")
            if not isinstance(messages, list) or not messages:
                raise _Refused(400, "'messages' must be a non-empty list", param="messages")
            chat, images = [], []
            for m in messages:
                if not isinstance(m, dict) or m.get("role") not in ("system", "user", "assistant"):
                    raise _Refused(400, "each message needs a role of system, user or assistant", param="messages")
                content = m.get("content")
                parts: list[dict] = []
                if isinstance(content, str):
                    parts.append({"type": "text", "text": content})
                elif isinstance(content, list):
                    for part in content:
                        kind = part.get("type") if isinstance(part, dict) else None
                        if kind == "text":
                            parts.append({"type": "text", "text": str(part.get("text", ""))})
                        elif kind == "image_url":
                            url = part.get("image_url")
                            url = url.get("url") if isinstance(url, dict) else url
                            images.append(_decode_data_url(str(url or "")))
                            parts.append({"type": "image"})
                        else:
                            raise _Refused(400, f"content part type {kind!r} is not supported", param="messages")
                else:
                    raise _Refused(400, "message content must be a string or a list of parts", param="messages")
                chat.append({"role": m["role"], "content": parts})
            text = models.processor.apply_chat_template(chat, add_generation_prompt=True, tokenize=False)
            inputs = models.processor(text=[text], images=images or None, return_tensors="pt", **models.mm_kwargs)
            return inputs, int(inputs["input_ids"].shape[-1])

        def chat(self, body: dict) -> None:
            import torch
            from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

            model = body.get("model")
            if model != models.vlm_name:
                raise _no_model(model)
            max_tokens = _int(body, "max_completion_tokens", 0, 0, 8192) or _int(body, "max_tokens", 256, 1, 8192)
            temperature = _float(body, "temperature", 1.0, 0.0, 2.0)
            seed = body.get("seed")
            stream = bool(body.get("stream"))
            halt = threading.Event()

            class Halt(StoppingCriteria):
                def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
                    return torch.full((input_ids.shape[0],), halt.is_set(), dtype=torch.bool)

            with models.lock:
                inputs, prompt_len = self._chat_inputs(body)
                streamer = TextIteratorStreamer(models.processor.tokenizer, skip_prompt=True, skip_special_tokens=True)
                result: dict[str, Any] = {}
                sampling = {"do_sample": False, "temperature": None, "top_p": None, "top_k": None}
                if temperature > 0:
                    sampling = {"do_sample": True, "temperature": temperature, "top_p": _float(body, "top_p", 1.0, 0, 1),
                                "top_k": None}
                    if seed is not None:
                        torch.manual_seed(int(seed))

                def work() -> None:
                    try:
                        with torch.inference_mode():
                            result["out"] = models.vlm.generate(
                                **inputs, streamer=streamer, max_new_tokens=max_tokens, **sampling,
                                stopping_criteria=StoppingCriteriaList([Halt()]), eos_token_id=models.eos or None,
                                pad_token_id=models.pad)
                    except BaseException as e:
                        result["error"] = e
                        streamer.end()

                worker = threading.Thread(target=work, daemon=True)
                worker.start()
                cid, created = f"chatcmpl-{secrets.token_hex(6)}", int(time.time())

                def chunk(delta: dict, finish: str | None = None) -> bytes:
                    return b"data: " + json.dumps({"id": cid, "object": "chat.completion.chunk", "created": created,
                                                   "model": model, "choices": [{"index": 0, "delta": delta,
                                                                                "finish_reason": finish}]}).encode() + b"\n\n"
                try:
                    if stream:
                        self.send_response(200)
                        self.send_header("Content-Type", "text/event-stream")
                        self.send_header("Cache-Control", "no-cache")
                        self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        self._chunk(chunk({"role": "assistant", "content": ""}))
                    pieces = []
                    for piece in streamer:
                        if not piece:
                            continue
                        pieces.append(piece)
                        if stream:
                            self._chunk(chunk({"content": piece}))
                except (BrokenPipeError, ConnectionResetError):
                    halt.set()
                    log("chat: stopped: the client closed the connection")
                    raise _ClientGone() from None
                finally:
                    worker.join()
                if "error" in result:
                    raise result["error"]
                new = result["out"][0, prompt_len:].tolist()
                finish = "stop" if new and new[-1] in models.eos else ("length" if len(new) >= max_tokens else "stop")
                log(f"chat: {len(new)} tokens after {prompt_len}, {finish}")
            if stream:
                self._chunk(chunk({}, finish))
                self._chunk(b"data: [DONE]\n\n")
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            else:
                self._send(200, {"id": cid, "object": "chat.completion", "created": created, "model": model,
                                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(pieces)},
                                              "finish_reason": finish}],
                                 "usage": {"prompt_tokens": prompt_len, "completion_tokens": len(new),
                                           "total_tokens": prompt_len + len(new)}})

    return Handler


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="openai_media_server", description=__doc__.split("\n\n")[0])
    p.add_argument("--sd", help="a diffusers Stable Diffusion folder")
    p.add_argument("--sd-name", default="tiny-sd")
    p.add_argument("--url-model", help="a second name for the SD model whose answers are always links")
    p.add_argument("--vlm", help="a transformers image-text-to-text folder")
    p.add_argument("--vlm-name", default="tiny-vlm")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--max-side", type=int, default=512, help="largest side of a picture it makes")
    p.add_argument("--mm-processor-kwargs", default="", help="JSON: extra arguments for the VLM's processor")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    if not args.sd and not args.vlm:
        p.error("give --sd, --vlm or both")
    t0 = time.perf_counter()
    models = Models(args)
    log(f"models {models.names} loaded in {time.perf_counter() - t0:.2f} s")
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(models))
    httpd.daemon_threads = True

    def stop(signum: int, frame: Any) -> None:
        threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(json.dumps({"port": httpd.server_address[1]}), flush=True)
    httpd.serve_forever(poll_interval=0.1)
    httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
