"""Every user-facing error and notice of pipelines/ is a literal template with a code and named
params (packaging/error_templates.py), so the window can show it in the user's language; the
command line prints the same English as before, and with --json the code and params too."""
from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
import textwrap
from pathlib import Path

import pytest

from pipelines.errors import BadInput, ModelUnavailable, SensoriumError, Text
from pipelines.events import Failed, Notice
from tests.helpers.run import REPO, sensorium_here


def _load_checker():
    # packaging/ is not a package (PyPI's `packaging` owns the name): load the file itself, as
    # packaging/i18n.py does
    spec = importlib.util.spec_from_file_location("error_templates", REPO / "packaging" / "error_templates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("error_templates", module)
    spec.loader.exec_module(module)
    return module


et = _load_checker()


def _raise_lines(root: Path) -> set[tuple[str, int]]:
    """(file, line) of every ``raise <SensoriumError subclass>(`` line, found by a plain regex."""
    files = sorted((root / "pipelines").rglob("*.py"))
    classes = et.error_classes(ast.parse(p.read_text(encoding="utf-8")) for p in files)
    pattern = re.compile(r"\braise\s+(?:[A-Za-z_][A-Za-z0-9_]*\.)*(" + "|".join(map(re.escape, classes)) + r")\(")
    found = set()
    for p in files:
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.add((p.relative_to(root).as_posix(), n))
    return found


def test_the_scanner_finds_every_raise_site():
    sites = et.scan(REPO)
    raised = _raise_lines(REPO)
    assert len(raised) > 200  # the regex itself still works
    assert len(sites) >= len(raised)
    scanned = {(s.file, s.line) for s in sites}
    missed = sorted(raised - scanned)
    assert not missed, "raise sites the scanner does not see:\n" + "\n".join(f"{f}:{n}" for f, n in missed)
    classes = et.error_classes(ast.parse(p.read_text()) for p in (REPO / "pipelines").rglob("*.py"))
    assert {"SensoriumError", "BadInput", "ModelUnavailable", "ChecksumMismatch", "EchoUnavailable"} <= classes.keys()
    assert classes["EchoUnavailable"] and classes["ChecksumMismatch"] and not classes["BadInput"]


def test_every_template_of_pipelines_is_literal_complete_and_has_one_code():
    sites = et.scan(REPO)
    bad = et.problems(sites)
    assert not bad, f"{len(bad)} problem(s) with error templates:\n" + "\n".join(bad)
    assert all(s.code and s.template for s in sites)
    assert len({s.code for s in sites}) > 200


SYNTHETIC_ERRORS = '''
class SensoriumError(Exception):
    pass

class BadInput(SensoriumError):
    pass

class ModelUnavailable(SensoriumError):
    pass

class Other(Exception):
    pass
'''

SYNTHETIC_USE = '''
from .errors import BadInput, ModelUnavailable, Text

class Mine(BadInput):  # a subclass defined elsewhere is found too
    pass

def f(path, n, msg, e):
    raise BadInput(f"cannot read {path}")                                            # 8: f-string
    raise BadInput("cannot read {path}: {why}", code="image.unreadable", path=path)   # 9: {why} not passed
    raise BadInput("cannot read {path}", code="image.unreadable", path=path, n=n)     # 10: n unused, reused code
    raise Mine("no code here")                                                        # 11: no code
    raise BadInput(msg, code="x.y")                                                   # 12: not a literal
    raise ModelUnavailable("{name} is gone", code="model.gone", name=n, role="asr")   # 13: fine (role optional)
    raise BadInput("{a} or {b}", code="Bad Code", a=1, b=2)                           # 14: code not dotted
    return Text.of("ok.fine", "all {count} good", count=n)                            # 15: fine
    return Text.of("ok.other", "{count:,} items", count=n)                            # 16: format spec
    raise BadInput(Text.of("image.wrapped", "wrapped {x}", x=1))                      # 17: fine
    raise BadInput("{x}", "{y}", code="two.args", x=1)                                # 18: extra positional
    raise BadInput("{x}", code="spread.params", **e)                                  # 19: **params
    raise Other(f"not ours {n}")                                                      # 20: not a site
    raise BadInput("braces {{}} without params", code="lit.braces")                   # 21: shown doubled
'''


def test_problems_catch_fstrings_missing_params_and_code_reuse(tmp_path):
    (tmp_path / "pipelines").mkdir()
    (tmp_path / "pipelines" / "errors.py").write_text(textwrap.dedent(SYNTHETIC_ERRORS))
    (tmp_path / "pipelines" / "use.py").write_text(textwrap.dedent(SYNTHETIC_USE))
    sites = et.scan(tmp_path)
    by_line = {s.line: s for s in sites}
    assert sorted(by_line) == [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21]  # not 20 (Other), nothing in errors.py
    assert by_line[9] == et.Site("pipelines/use.py", 9, "image.unreadable", "cannot read {path}: {why}", ("path",))
    assert by_line[13].params == ("name", "role") and by_line[13].optional == ("role",)
    assert by_line[17].code == "image.wrapped" and by_line[17].template == "wrapped {x}"
    bad = et.problems(sites)
    text = "\n".join(bad)

    def said(line: int, *words: str) -> bool:
        return any(p.startswith(f"pipelines/use.py:{line}: ") and all(w in p for w in words) for p in bad)

    assert said(8, "f-string") and said(8, "no code"), text
    assert said(9, "{why}", "not passed"), text
    assert said(10, "n", "not in the template"), text
    assert said(10, "image.unreadable", "another template", "pipelines/use.py:9"), text
    assert said(11, "no code"), text
    assert said(12, "not a string literal"), text
    assert said(14, "dotted"), text
    assert said(16, "format spec"), text
    assert said(18, "positional"), text
    assert said(19, "**"), text
    assert said(21, "doubled"), text
    assert not any(p.startswith(("pipelines/use.py:13:", "pipelines/use.py:15:", "pipelines/use.py:17:")) for p in bad), text
    # the command prints the same lines and fails
    assert et.main([str(tmp_path)]) == 1


def test_the_english_line_is_the_filled_template_on_one_line():
    e = BadInput("cannot read {name} ({why}); check the file", code="image.unreadable", name="a b.png",
                 why="no\n  such file ")
    assert str(e) == "cannot read a b.png (no such file); check the file"
    assert e.code == "image.unreadable" and e.text.params == {"name": "a b.png", "why": "no such file"}
    assert str(BadInput("pixels{own}; done", code="x.y", own="")) == "pixels; done"
    assert str(BadInput("{a} {b} end", code="x.z", a="", b="")) == "end"  # no double or leading space
    m = ModelUnavailable("{name} is gone", code="model.gone", name="tiny", role="asr", model="tiny")
    assert (m.role, m.model, str(m)) == ("asr", "tiny", "tiny is gone")
    again = SensoriumError.from_text(m.text)
    assert str(again) == "tiny is gone" and again.text is m.text
    t = Text.of("engine.no_speech", "no speech was heard, so nothing was sent")
    assert Notice.from_text(t) == Notice("no speech was heard, so nothing was sent", localizable=t)
    assert Failed("plain").as_text() == Text.of("turn.failed", "{message}", message="plain")
    assert Failed.from_text(m.text, "asr").as_text() is m.text


def test_the_command_line_prints_code_and_params_with_json(tmp_path):
    missing = tmp_path / "missing.wav"
    r = sensorium_here("transcribe", str(missing), "--json", profile=tmp_path / "p")
    assert r.returncode == 1
    assert r.stderr.strip() == f"error: audio file {missing} does not exist: check the path"
    got = json.loads(r.stdout)
    assert got == {"error": {"code": "cli.audio_missing", "params": {"path": str(missing)},
                             "message": f"audio file {missing} does not exist: check the path"}}
    plain = sensorium_here("transcribe", str(missing), profile=tmp_path / "p")
    assert plain.returncode == 1 and plain.stdout == "" and plain.stderr == r.stderr


@pytest.mark.parametrize("code", ["history.no_such_conversation", "chat.no_messages", "vlm.empty_question"])
def test_a_code_shared_by_several_sites_has_one_template(code):
    templates = {s.template for s in et.scan(REPO) if s.code == code}
    assert len(templates) == 1
