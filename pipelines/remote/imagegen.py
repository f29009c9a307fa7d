"""Image generation on a serving engine: ``POST /images/generations`` (SGLang diffusion, LocalAI's
diffusers backend, a hosted API), in place of the local ``imagegen.ImageGenerator``.

The request is OpenAI's (``model``, ``prompt``, ``n``, ``size`` "WxH", ``response_format``
"b64_json") plus the extensions Stable Diffusion servers read (``negative_prompt``,
``num_inference_steps``, ``guidance_scale``, ``seed``); a value the request leaves unset (None
steps, guidance or size) is not sent, so the server's model uses its own default. The answer's
``data`` holds base64 PNGs, or links, which are fetched from the same server only (the API key
goes nowhere else). The pictures are decoded here, ranked by CLIP when there are several and a
``ClipModel`` is given, and saved exactly as the local generator saves them (``save_images``: the
same names and PNG text chunks), so the engine, the desktop and the command line cannot tell the
two apart.

What the API cannot do is said, not faked:

* changing a picture (img2img, an ``init_image``) is not in the generations API (``/images/edits``
  is inpainting with a mask, another operation): a one-line ``BadInput`` says what to do;
* there are no steps to count and no previews: ``on_progress`` gets ``ImageProgress`` with
  ``total=0`` ("busy, no count") when the request starts and about every ``tick_s`` seconds
  while the server works, with the elapsed time;
* the sampler (``scheduler``) has no field: it is the server's, and the result's ``notes`` say so;
* all ``n`` pictures come from one request seeded ``seed``, so each image's seed is the request's
  (its ``rank`` in the PNG says which of the batch it was); the server's safety checker, if it
  has one, is not reported, so ``safety_checked`` is False.

A picture is not idempotent work: a request the server may have begun is never sent twice, and
cancel closes the connection at once (``RemoteClient.call``); nothing is saved then.
"""
from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..cancel import CancelToken
from ..catalog import ModelDefaults
from ..errors import BadInput, ModelUnavailable, Text
from ..events import ImageProgress
from ..imagegen import MAX_SIDE, GenerationResult, ImageRequest, plan_size, save_images, validate_request
from ..settings import Settings
from .http import RemoteClient, ServerConfig

__all__ = ["RemoteImageGenerator"]

ProgressFn = Callable[[ImageProgress], None]


class _Heartbeat(CancelToken):
    """The caller's cancel token as ``RemoteClient.call`` polls it while the server works: each wait
    also reports, about every ``every`` seconds, that the job is still running (on the caller's
    thread, as a local generator's step callback would)."""

    __slots__ = ("_outer", "_beat", "_every", "_next")

    def __init__(self, outer: CancelToken | None, beat: Callable[[], None], every: float):
        super().__init__()
        self._outer = outer or CancelToken()
        self._beat, self._every = beat, every
        self._next = time.monotonic() + every

    def cancel(self) -> None:
        self._outer.cancel()

    @property
    def cancelled(self) -> bool:
        return self._outer.cancelled

    def raise_if_cancelled(self) -> None:
        self._outer.raise_if_cancelled()

    def wait(self, timeout: float) -> bool:
        now = time.monotonic()
        if now >= self._next:
            self._next = now + self._every
            self._beat()
        return self._outer.wait(timeout)


class RemoteImageGenerator(RemoteClient):
    """A Stable Diffusion (or other text-to-image) model behind an OpenAI-compatible server, with
    ``ImageGenerator.generate``'s signature and result (see the module docstring)."""

    endpoint = "/images/generations"
    has_safety_checker = False  # a server's own checker is not reported by the API

    def __init__(self, config: ServerConfig, *, settings: Settings | None = None,
                 output_dir: str | Path | None = None, tick_s: float = 1.0, transport: Any = None):
        super().__init__(config, transport=transport)
        self.output_dir = Path(output_dir) if output_dir else None
        self.defaults = ModelDefaults()  # the server's model decides what the request leaves unset
        self.tick_s = float(tick_s)

    def max_pixels(self) -> int:
        """The largest picture asked for: the server's memory is its own business (it refuses a size
        it cannot make, and that refusal is reported)."""
        return MAX_SIDE * MAX_SIDE

    def generate(self, request: ImageRequest, cancel: CancelToken | None = None,
                 on_progress: ProgressFn | None = None, *, clip: Any = None,
                 output_dir: str | Path | None = None,
                 on_oom: Callable[[], Sequence[str]] | None = None) -> GenerationResult:
        """Run one request on the server. Raises BadInput, Cancelled (nothing saved) or a one-line
        ModelUnavailable. ``on_oom`` is accepted for the local generator's signature and unused:
        nothing on this computer holds the server's memory."""
        if request.init_image is not None:
            raise BadInput("the {title} server at {where} can only draw new pictures (changing one is "
                           "not part of the OpenAI image API): switch servers.imagegen.use_server off to change "
                           "pictures on this computer, or describe the whole picture you want",
                           code="server.imagegen_cannot_edit", title=self.title, where=self.where)
        req, notes = validate_request(request)
        if cancel is not None:
            cancel.raise_if_cancelled()
        seed = int(req.seed) if req.seed is not None else secrets.randbelow(2**32)
        body: dict[str, Any] = {"model": self.model, "prompt": req.prompt, "n": int(req.best_of),
                                "response_format": "b64_json", "seed": seed}
        size = None
        if req.width is not None or req.height is not None:
            w0, h0 = int(req.width or req.height or 0), int(req.height or req.width or 0)
            w, h, size_notes = plan_size(w0, h0, None)
            notes += size_notes
            size = (w, h)
            body["size"] = f"{w}x{h}"
        if req.negative_prompt:
            body["negative_prompt"] = req.negative_prompt
        if req.steps is not None:
            body["num_inference_steps"] = int(req.steps)
        if req.guidance is not None:
            body["guidance_scale"] = float(req.guidance)
        if req.scheduler != "default":
            notes.append(Text.of("server.imagegen_scheduler_ignored", "the sampler is the server's own: "
                                 "imagegen.scheduler {scheduler} was not sent (the image API has no field for it)",
                                 scheduler=repr(req.scheduler)))

        t0 = time.monotonic()
        count = int(req.best_of)

        def beat() -> None:
            if on_progress is not None:  # total 0: busy, no count (the API reports no steps)
                on_progress(ImageProgress(step=0, total=0, index=0, count=count, elapsed_s=time.monotonic() - t0))

        beat()
        token = _Heartbeat(cancel, beat, self.tick_s)
        try:
            # idempotent=False: a picture the server may be drawing is never asked for twice
            resp = self.call("POST", "images/generations", idempotent=False, cancel=token, json=body)
        except ModelUnavailable as e:
            status, detail = getattr(e, "status", 0), getattr(e, "detail", "") or ""
            if status in (400, 422) and "size" in detail.lower():
                if size:
                    raise BadInput("the {title} server at {where} cannot make a {size} picture (HTTP {status}; it "
                                   "said: {detail}): choose a size that servers.imagegen.model supports (imagine "
                                   "--size, or imagegen.width and imagegen.height)",
                                   code="server.imagegen_size_refused", title=self.title, where=self.where,
                                   size=f"{size[0]}x{size[1]}", status=status, detail=detail) from None
                raise BadInput("the {title} server at {where} cannot make a picture of its default size (HTTP "
                               "{status}; it said: {detail}): choose a size that servers.imagegen.model supports "
                               "(imagine --size, or imagegen.width and imagegen.height)",
                               code="server.imagegen_default_size_refused", title=self.title, where=self.where,
                               status=status, detail=detail) from None
            raise
        images = self._pictures(self.json(resp), token)
        if len(images) != count:
            if len(images) == 1:
                notes.append(Text.of("server.imagegen_count_one", "the server made 1 picture of the {count} asked for",
                                     count=count))
            else:
                notes.append(Text.of("server.imagegen_count_differs", "the server made {made} pictures of the {count} "
                                     "asked for", made=len(images), count=count))
        if cancel is not None:
            cancel.raise_if_cancelled()

        scores: list[float] = []
        order = list(range(len(images)))
        if clip is not None and len(images) > 1:
            sims = clip.similarities(images, req.prompt)
            order = sorted(order, key=lambda i: -float(sims[i]))
            scores = [float(sims[i]) for i in order]
        images = [images[i] for i in order]
        width, height = images[0].size
        params = {
            "prompt": req.prompt, "negative_prompt": req.negative_prompt, "seed": seed, "steps": req.steps,
            "guidance": float(req.guidance) if req.guidance is not None else None, "width": width, "height": height,
            "scheduler": "default", "sampler": None, "model": self.model, "server": self.where,
            "best_of": count, "strength": None, "init_image": None, "safety_checked": False,
            "seconds": round(time.monotonic() - t0, 3),
        }
        seeds = [seed] * len(images)
        out_dir = Path(output_dir) if output_dir else self.output_dir
        paths = save_images(images, seeds, scores, params, out_dir) if out_dir else []
        return GenerationResult(images=images, paths=paths, seed=seed, safety_checked=False,
                                flagged=[False] * len(images), scores=scores, params=params, seeds=seeds,
                                notes=[str(t) for t in notes], texts=notes)

    # ---- the answer ------------------------------------------------------------------------
    def _pictures(self, obj: Any, cancel: CancelToken) -> list:
        data = obj.get("data") if isinstance(obj, dict) else None
        if not isinstance(data, list) or not data:
            raise self.fail(Text.of("server.imagegen_no_pictures", "the {title} server at {where} answered without "
                                    "pictures (no \"data\" list): check that servers.imagegen.base_url is an "
                                    "OpenAI-compatible image server and servers.imagegen.model an image model",
                                    title=self.title, where=self.where))
        images = []
        for i, item in enumerate(data):
            if not isinstance(item, dict):
                raise self._unreadable(i, "not an object")
            if isinstance(item.get("b64_json"), str) and item["b64_json"]:
                try:
                    raw = base64.b64decode(item["b64_json"], validate=True)
                except ValueError:
                    raise self._unreadable(i, "not base64") from None
            elif isinstance(item.get("url"), str) and item["url"]:
                raw = self._fetch(item["url"], cancel)
            else:
                raise self._unreadable(i, "neither b64_json nor url")
            images.append(self._decode(raw, i))
        return images

    def _fetch(self, link: str, cancel: CancelToken) -> bytes:
        if link.startswith("data:"):
            head, _, payload = link.partition(",")
            if ";base64" not in head:
                raise self._unreadable(0, "a data: link that is not base64")
            try:
                return base64.b64decode(payload, validate=True)
            except ValueError:
                raise self._unreadable(0, "not base64") from None
        url = self.same_server(link)
        if url is None:
            from .http import safe_url

            raise self.fail(Text.of("server.imagegen_foreign_link", "the {title} server at {where} answered with a "
                                    "link to another place ({link}), which Sensorium does not follow: set the server "
                                    "to answer b64_json, or to link to its own address", title=self.title,
                                    where=self.where, link=safe_url(link)[:80]))
        return self.call("GET", url, idempotent=True, cancel=cancel).content

    def _decode(self, raw: bytes, index: int) -> Any:
        from ..images import open_image

        try:
            return open_image(raw, name=f"picture {index + 1}")
        except BadInput as e:
            raise self._unreadable(index, str(e).split(";")[0]) from None

    def _unreadable(self, index: int, why: str) -> ModelUnavailable:
        return self.fail(Text.of("server.imagegen_unreadable", "the {title} server at {where} sent picture {number} "
                                 "in a form that cannot be read ({why}): check the server's log, or that "
                                 "servers.imagegen.model is an image model", title=self.title, where=self.where,
                                 number=index + 1, why=why))

    def __repr__(self) -> str:
        return f"RemoteImageGenerator({self.model!r}, {self.where!r})"
