"""Property-based tests (hypothesis): the router, the Markdown sanitizer, the settings loader and the
catalog parser hold their promises for any input, not just the examples we thought of."""
from __future__ import annotations

import math
import string
import tomllib
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.catalog import FORMATS, ROLES, SOURCES, CatalogError, ModelEntry, parse_catalog
from pipelines.router import INTENTS
from pipelines.settings import Settings, from_dict, load_settings, save_settings

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)
words = st.sampled_from(["draw", "paint", "picture", "photo", "find", "in", "~/Pictures", "describe", "this",
                         "what", "is", "transcribe", "make", "it", "blue", "cat", "the", "sea", "画", "猫", "?", "!",
                         "edit", "image", "of", "search", "me", "a", "please", "\n", "\u202e", "\x00"])
sentences = st.lists(words, max_size=25).map(" ".join)


# ---- router --------------------------------------------------------------------------------
@FAST
@given(text=st.one_of(any_text, sentences), has_image=st.booleans(), has_audio=st.booleans())
def test_router_always_decides_with_a_reason(intent_router_no_embedder, text, has_image, has_audio):
    router = intent_router_no_embedder  # trained once per run (the learned router without embeddings)
    a = router.route(text, has_image=has_image, has_audio=has_audio)
    assert a.intent in INTENTS
    assert 0.0 <= float(a.confidence) <= 1.0 and not math.isnan(float(a.confidence))
    assert isinstance(a.reason, str) and a.reason.strip() and "\n" not in a.reason
    assert router.route(text, has_image=has_image, has_audio=has_audio) == a  # deterministic
    if a.intent == "search_images":
        assert a.query is None or isinstance(a.query, str)


@pytest.mark.weights
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(any_text, sentences), has_image=st.booleans())
def test_router_with_embeddings_always_decides(intent_router, text, has_image):
    a = intent_router.route(text, has_image=has_image)
    assert a.intent in INTENTS and 0.0 <= float(a.confidence) <= 1.0 and a.reason.strip()


# ---- Markdown sanitizer ----------------------------------------------------------------------
HOSTILE = [
    '<img src="http://evil.example/x.png">', "![x](http://evil.example/t.png)", "[a](javascript:alert(1))",
    "[b](JaVaScRiPt:alert(1))", "[c](data:text/html;base64,PHNjcmlwdD4=)", "[d](file:///etc/passwd)",
    "<script>alert(1)</script>", "<iframe src=http://e.example></iframe>", '<a href="http://ok.example" onclick="x()">',
    "<style>body{background:url(http://e.example/b)}</style>", '<div style="background:url(http://e.example)">',
    "<object data=http://e.example></object>", "<svg onload=alert(1)>", "<math><mi xlink:href=javascript:1>",
    "[e](\x01javascript:alert(1))", "[f]( javascript:alert(1))", "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<link rel=stylesheet href=http://e.example/s.css>", "<base href=http://e.example/>", "| a | b |\n|---|---|\n| 1 | 2 |",
    "```html\n<img src=http://e.example>\n```", "<img src=x onerror=alert(1)>", "<video src=http://e.example/v>",
    "<audio src=http://e.example/a>", "<table background=http://e.example/bg.png><tr><td>x</td></tr></table>",
    "<td style=\"text-align:left;background:url(http://e.example)\">", "<meta http-equiv=refresh content=0;url=http://e>",
]
markdownish = st.lists(st.one_of(st.sampled_from(HOSTILE), any_text, sentences), max_size=8).map("\n".join)


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _check_safe_html(out: str, *, style_prefix: bool) -> None:
    from desktop.markdown import ALLOWED_ATTRS, ALLOWED_TAGS, SAFE_SCHEMES

    c = _Collect()
    c.feed(out)
    c.close()
    tags = c.tags[1:] if style_prefix else c.tags
    if style_prefix:
        assert c.tags and c.tags[0][0] == "style"
    for tag, attrs in tags:
        assert tag in ALLOWED_TAGS, (tag, out[:300])
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRS.get(tag, set()), (tag, name, out[:300])
            assert "url(" not in (value or "").lower()
            if name == "href":
                scheme = (value or "").split(":", 1)[0].strip().lower()
                assert ":" in (value or "") and scheme in SAFE_SCHEMES, value
    body = out.split("</style>", 1)[1] if style_prefix else out
    low = body.lower()
    for bad in ("<img", "<script", "<iframe", "<object", "<style", "<link", "<base", "<meta", "<svg", "<video",
                "<audio"):
        # they may appear as escaped text (&lt;img ...), never as markup
        assert bad not in low, (bad, body[:300])


@pytest.mark.gui
@FAST
@given(text=markdownish)
def test_rendered_markdown_is_always_safe(text):
    from desktop.markdown import render_markdown

    _check_safe_html(render_markdown(text), style_prefix=True)


@pytest.mark.gui
@FAST
@given(fragment=st.lists(st.one_of(st.sampled_from(HOSTILE), any_text), max_size=8).map("".join))
def test_sanitizer_output_is_always_safe(fragment):
    from desktop.markdown import sanitize_html

    _check_safe_html(sanitize_html(fragment), style_prefix=False)


# ---- settings loader -------------------------------------------------------------------------
_sections = {name: list(getattr(Settings(), name).__dataclass_fields__) for name in Settings.__dataclass_fields__}
toml_scalar = st.one_of(st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False), st.text(max_size=30),
                        st.lists(st.text(max_size=10), max_size=3))
section_values = st.fixed_dictionaries({}, optional={k: toml_scalar for k in sum(_sections.values(), [])})
settings_data = st.dictionaries(st.sampled_from([*_sections, "bogus"]),
                                st.one_of(section_values, toml_scalar), max_size=7)


@FAST
@given(data=settings_data)
def test_settings_loader_never_crashes_and_keeps_only_valid_values(data, tmp_path_factory):
    loaded = from_dict(data)
    assert all(isinstance(p, str) and "\n" not in p for p in loaded.problems)
    # whatever was loaded validates cleanly and survives a save/load round trip
    again = from_dict(loaded.settings.to_dict())
    assert again.problems == [] and again.settings == loaded.settings
    path = tmp_path_factory.mktemp("s") / "settings.toml"
    save_settings(loaded.settings, path)
    assert load_settings(path).settings == loaded.settings
    assert [p.name for p in path.parent.iterdir()] == ["settings.toml"]  # no temp file left


@FAST
@given(raw=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_settings_file_with_any_bytes_loads_defaults_or_values(raw, tmp_path_factory):
    path = tmp_path_factory.mktemp("raw") / "settings.toml"
    path.write_bytes(raw)
    loaded = load_settings(path)
    assert isinstance(loaded.settings, Settings)
    assert from_dict(loaded.settings.to_dict()).problems == []


# ---- catalog parser --------------------------------------------------------------------------
_fields = list(ModelEntry.__dataclass_fields__)
field_value = st.one_of(st.text(max_size=20), st.sampled_from([*ROLES, *SOURCES, *FORMATS, "cpu", "gpu"]),
                        st.integers(-5, 5), st.floats(), st.booleans(), st.lists(st.text(max_size=8), max_size=3),
                        st.dictionaries(st.text(max_size=8), st.text(alphabet="0123456789abcdefxyz", min_size=63,
                                                                     max_size=65), max_size=2))
sha_value = st.dictionaries(st.text(max_size=8), st.text(alphabet="0123456789abcdefx", min_size=64, max_size=64),
                            min_size=1, max_size=2)
model_table = st.fixed_dictionaries(
    {"role": st.sampled_from(ROLES), "name": st.text(string.ascii_lowercase, min_size=1, max_size=8),
     "source": st.sampled_from(SOURCES), "format": st.sampled_from(FORMATS)},
    optional={k: field_value for k in _fields if k not in ("role", "name", "source", "format", "sha256")}
    | {"extra": field_value, "sha256": st.one_of(sha_value, field_value)})
catalog_data = st.fixed_dictionaries({}, optional={
    "models": st.one_of(st.lists(st.one_of(model_table, field_value), max_size=4), field_value),
    "profiles": st.one_of(st.dictionaries(st.text(max_size=6), st.dictionaries(
        st.sampled_from([*ROLES, "nope"]), st.text(string.ascii_lowercase, max_size=8), max_size=3), max_size=2),
        field_value)})


@FAST
@given(data=catalog_data)
def test_catalog_parser_accepts_only_well_formed_entries(data):
    try:
        entries, profiles = parse_catalog(data)
    except CatalogError as e:
        assert str(e).strip() and "\n" not in str(e)
        return
    raw = {m["name"]: m for m in data.get("models", []) if isinstance(m, dict)}
    for e in entries:
        for key in ("files", "suitable"):  # a string is not a list of file names ("model.gguf" -> m, o, d...)
            assert key not in raw[e.name] or isinstance(raw[e.name][key], list), (key, raw[e.name][key])
        assert e.role in ROLES and e.source in SOURCES and e.format in FORMATS
        assert isinstance(e.files, tuple) and all(isinstance(f, str) and f for f in e.files), e.files
        assert isinstance(e.suitable, tuple) and all(isinstance(s, str) for s in e.suitable), e.suitable
        assert all(len(v) == 64 and all(c in "0123456789abcdef" for c in v.lower()) for v in e.sha256.values())
        assert math.isfinite(e.size_mb) and e.size_mb >= 0
        assert all(isinstance(getattr(e, k), str) for k in ("description", "license", "package", "module",
                                                              "subpath", "repo", "revision", "variant", "path"))


def test_the_shipped_catalog_parses():
    from pipelines.assets import asset

    data = tomllib.loads(asset("catalog.toml").read_text())
    entries, _ = parse_catalog(data)
    assert entries
