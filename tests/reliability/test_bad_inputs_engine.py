"""Every generated bad input through the engine: a handled result or a one-line error that says
what to do, never an exception, and the next turn still works."""
from __future__ import annotations

import time

import pytest

from pipelines.events import Done, Failed, ImageOptions, ImageResult, Notice, Started, Turn

from .conftest import check_message

pytestmark = [pytest.mark.slow, pytest.mark.tiny, pytest.mark.weights]

QUESTION = "What is in this picture?"


def turn_for(case, corpus) -> Turn:
    if case.kind == "image":
        return Turn(text=QUESTION, images=(str(case.path),), intent="describe_image")
    if case.kind == "audio":
        return Turn(audio=str(case.path))
    if case.kind == "text":
        return Turn(text=case.text)
    opts = dict(case.options)
    prompt = opts.pop("prompt", "a red square on a white table")
    init = opts.pop("init", False)
    if init:
        images = (str(corpus.root / "images" / (init if isinstance(init, str) else "bitmap.bmp")),)
    else:
        images = ()
    return Turn(text=prompt, images=images, intent="edit_image" if init else "generate_image",
                image_options=ImageOptions(**opts))


def outcome(events, where: str) -> str:
    assert events, f"{where}: no events"
    last = events[-1]
    assert isinstance(last, (Done, Failed)), f"{where}: the turn ended with {type(last).__name__}"
    if isinstance(last, Failed):
        check_message(last.message, where)
        return "refused"
    for ev in events:
        if isinstance(ev, Notice):
            assert "\n" not in ev.text, f"{where}: a notice of several lines: {ev.text!r}"
    return "handled"


def follow_up_works(engine) -> None:
    events = list(engine.respond(Turn(text="a small blue circle", intent="generate_image")))
    assert isinstance(events[-1], Done), f"the turn after a bad input failed: {events[-1]}"
    assert any(isinstance(e, ImageResult) for e in events)


@pytest.mark.parametrize("kind", ["image", "audio", "text", "params"])
def test_every_bad_input_is_handled_or_refused(kind, corpus, rel_engine, bad_input_report):
    cases = corpus.of(kind)
    assert len(cases) >= 15
    problems = []
    for case in cases:
        where = str(case)
        t0 = time.perf_counter()
        try:
            events = list(rel_engine.respond(turn_for(case, corpus)))
            result = outcome(events, where)
        except AssertionError as e:
            problems.append(str(e).splitlines()[0])
            bad_input_report("engine", kind, "FAILED")
            continue
        except Exception as e:  # respond must never raise
            problems.append(f"{where}: respond raised {type(e).__name__}: {e}")
            bad_input_report("engine", kind, "FAILED")
            continue
        elapsed = time.perf_counter() - t0
        if elapsed > 2:  # for the log; a hang is the suite timeout's to catch, on any CPU
            print(f"{where}: {elapsed:.1f} s")
        bad_input_report("engine", kind, result)
        if result == "refused" or kind == "params":
            try:
                follow_up_works(rel_engine)
            except AssertionError as e:
                problems.append(f"after {where}: {e}")
    assert rel_engine.store.integrity_ok()
    assert not problems, "\n".join(problems)


def test_refusals_are_specific(corpus, rel_engine):
    """The formats and limits the issue names get their own explanation, not a generic one."""
    expect = {
        "bomb-30000x30000.png": "30000x30000",
        "vector.svg": "SVG",
        "svg-named.png": "SVG",
        "photo.heic": "HEIC",
        "heic-named.jpg": "HEIC",
        "zero-bytes.png": "empty",
        "truncated.png": "truncated",
        "truncated.jpg": "truncated",
        "text-named.png": "text file",
    }
    by_name = {c.name: c for c in corpus.of("image")}
    loaded = set(rel_engine.manager.loaded_roles())
    for name, word in expect.items():
        events = list(rel_engine.respond(turn_for(by_name[name], corpus)))
        assert isinstance(events[-1], Failed) and word in events[-1].message, (name, events[-1])
        # refused from what the file is, before any model was needed (a bomb is never decoded)
        assert not isinstance(events[0], Started) and set(rel_engine.manager.loaded_roles()) == loaded, name


def test_exif_orientation_is_honoured(corpus):
    from pipelines.images import open_image

    im = open_image(corpus.root / "images" / "exif-orientation-6.jpg")
    assert im.size == (40, 80)  # stored 80x40, rotated 90 degrees clockwise
    top, bottom = im.getpixel((20, 10)), im.getpixel((20, 70))
    assert top[0] > 200 and top[2] < 60, top  # the red half is on top after the rotation
    assert bottom[2] > 200 and bottom[0] < 60, bottom


def test_supported_odd_images_are_described(corpus, rel_engine):
    """CMYK, 16-bit, palette+alpha, animated GIF, WebP, huge EXIF: all give an answer with evidence."""
    for name in ("cmyk.jpg", "gray16.png", "rgb16.png", "palette-transparent.png", "animated.gif", "photo.webp",
                 "huge-exif.jpg", "huge-text-chunk.png"):
        events = list(rel_engine.respond(Turn(text=QUESTION, images=(str(corpus.root / "images" / name),),
                                              intent="describe_image")))
        assert isinstance(events[-1], Done), (name, events[-1])
        assert any(type(e).__name__ == "ImageEvidence" for e in events), name


def test_out_of_range_parameters_say_the_range(corpus, rel_engine):
    for name, word in (("steps-0", "between 1 and"), ("steps-10000", "between 1 and"), ("size-7x7", "out of range"),
                       ("size-8192x8192", "out of range"), ("strength-negative", "between 0 and 1")):
        case = next(c for c in corpus.of("params") if c.name == name)
        events = list(rel_engine.respond(turn_for(case, corpus)))
        assert isinstance(events[-1], Failed) and word in events[-1].message, (name, events[-1])
