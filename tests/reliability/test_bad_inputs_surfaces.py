"""The generated bad inputs through the command line (the real argument parsing, commands and error
printing, in-process with one shared model manager; plus the real entry point in a subprocess) and
through the window (the real MainWindow, controller and engine). Every input ends with a handled
result or a one-line error that says what to do, and the next command or turn still works."""
from __future__ import annotations

import io

import pytest

from pipelines.events import Done, Failed, ImageOptions
from pipelines.settings import save_settings

from .conftest import check_message

pytestmark = [pytest.mark.slow, pytest.mark.tiny, pytest.mark.weights]

# one hour of audio costs ~20 s per surface: the engine suite covers it
SKIP_ON_SURFACES = {"one-hour.flac"}


def cli_args(case, corpus, out_png) -> list[str]:
    if case.kind == "image":
        return ["describe", str(case.path), "--labels", "a cat,a dog,a chart"]
    if case.kind == "audio":
        return ["transcribe", str(case.path)]
    if case.kind == "text":
        return ["chat", case.text]
    o = dict(case.options)
    args = ["imagine", o.pop("prompt", "a red square"), "-o", str(out_png)]
    init = o.pop("init", False)
    if init:
        args += ["--init-image", str(corpus.root / "images" / (init if isinstance(init, str) else "bitmap.bmp"))]
    if "width" in o:
        args += ["--size", f"{o.pop('width')}x{o.pop('height')}"]
    for key, flag in (("steps", "--steps"), ("strength", "--strength"), ("guidance", "--guidance"),
                      ("best_of", "--best-of"), ("seed", "--seed"), ("scheduler", "--scheduler")):
        if key in o:
            args += [flag, str(o.pop(key))]
    assert not o, o
    return args


@pytest.fixture
def cli(rel_models, warm_profile, monkeypatch):
    from pipelines import cli as cli_mod

    settings, manager = rel_models
    save_settings(settings, warm_profile.settings_file)
    monkeypatch.setattr(cli_mod.Context, "manager", property(lambda self: manager))

    def run(args: list[str]) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        ns = cli_mod.build_parser().parse_args(["--profile-dir", str(warm_profile.config_dir), *args])
        rc = cli_mod.run(ns, warm_profile, out=out, err=err)
        return rc, out.getvalue(), err.getvalue()

    return run


@pytest.mark.parametrize("kind", ["image", "audio", "text", "params"])
def test_command_line(kind, corpus, cli, tmp_path, bad_input_report):
    problems = []
    for case in corpus.of(kind):
        if case.name in SKIP_ON_SURFACES:
            continue
        where = f"cli {case}"
        rc, out, err = cli(cli_args(case, corpus, tmp_path / "out.png"))
        if rc == 0:
            bad_input_report("cli", kind, "handled")
        elif rc == 1:
            errors = [ln for ln in err.splitlines() if ln.startswith("error: ")]
            try:
                assert len(errors) == 1 and "Traceback" not in err, err
                check_message(errors[0].removeprefix("error: "), where)
                bad_input_report("cli", kind, "refused")
            except AssertionError as e:
                problems.append(str(e).splitlines()[0])
                bad_input_report("cli", kind, "FAILED")
        else:
            problems.append(f"{where}: exit code {rc}: {err[-300:]}")
            bad_input_report("cli", kind, "FAILED")
    rc, _, err = cli(["imagine", "a blue circle", "-o", str(tmp_path / "next.png")])
    assert rc == 0, err
    assert not problems, "\n".join(problems)


def test_real_entry_point_gives_one_line_errors(corpus, tmp_path):
    """A few of each kind through `python -m desktop.launcher` (the installed `sensorium`)."""
    from tests.helpers.run import sensorium

    prof = tmp_path / "p"
    for args in (["describe", str(corpus.root / "images" / "bomb-30000x30000.png")],
                 ["transcribe", str(corpus.root / "audio" / "corrupt-header.wav")],
                 ["imagine", "a cat", "-o", str(tmp_path / "x.png"), "--steps", "10000"],
                 ["chat", ""]):
        r = sensorium(*args, profile=prof, timeout=120)
        assert r.returncode == 1, (args, r.stderr)
        lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, r.stderr)
        check_message(lines[0], " ".join(args[:1]))


@pytest.mark.gui
def test_window(corpus, rel_engine, warm_profile, qtbot, bad_input_report):
    from tests.desktop.conftest import make_window, wait_turn

    w = make_window(qtbot, rel_engine, warm_profile)
    problems = []
    for case in corpus.cases:
        if case.name in SKIP_ON_SURFACES:
            continue
        where = f"window {case}"
        w.new_chat()  # each input in its own chat, as a person starts one per question: the turn costs
        # what the input costs, not the prefill of a hundred earlier bad inputs
        if case.kind == "image":
            rid = w.send_text("What is in this picture?", images=[str(case.path)])
        elif case.kind == "audio":
            rid = w.send_text("", audio=str(case.path))
        elif case.kind == "text":
            rid = w.send_text(case.text)
        else:
            o = dict(case.options)
            prompt = o.pop("prompt", "a red square")
            init = o.pop("init", False)
            images = [str(corpus.root / "images" / (init if isinstance(init, str) else "bitmap.bmp"))] if init else []
            rid = w.send_text(prompt, images=images, mode="edit" if init else "draw", options=ImageOptions(**o))
        assert rid is not None, f"{where}: the window would not send"
        final = wait_turn(qtbot, w, timeout=120000)
        if isinstance(final, Done):
            bad_input_report("window", case.kind, "handled")
        elif isinstance(final, Failed):
            try:
                check_message(final.message, where)
                assert w.view.items[-1].status == "failed" and w.view.items[-1].error == final.message
                bad_input_report("window", case.kind, "refused")
            except AssertionError as e:
                problems.append(str(e).splitlines()[0])
                bad_input_report("window", case.kind, "FAILED")
        else:
            problems.append(f"{where}: ended with {final}")
        assert not w.controller.busy
    # the next turn still works
    w.send_text("a small green square", mode="draw")
    assert isinstance(wait_turn(qtbot, w, timeout=120000), Done)
    assert rel_engine.store.integrity_ok()
    assert not problems, "\n".join(problems)
