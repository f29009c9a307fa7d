"""Markdown is rendered safely: no raw HTML, no scripts, no remote resources, safe links only."""
from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from desktop.markdown import SafeTextBrowser, render_markdown, safe_link, sanitize_html


def test_markdown_features_render():
    html = render_markdown("# Title\n\n- one\n- two\n\n```python\nprint('x')\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    for tag in ("<h1>", "<ul>", "<li>", "<pre>", "<code", "<table>", "<td>"):
        assert tag in html


def test_raw_html_and_scripts_are_text_or_gone():
    html = render_markdown("<script>alert(1)</script> <b onclick='x()'>hi</b> <img src=http://evil/x.png>")
    assert "<script" not in html and "<img" not in html and "<b onclick" not in html
    assert "&lt;script&gt;" in html  # html disabled in markdown-it: shown as text
    cleaned = sanitize_html('<p onmouseover="x()">a<script>bad()</script><iframe src="http://e"></iframe>'
                            '<a href="javascript:alert(1)">j</a><a href="https://ok.example/">ok</a></p>')
    assert "bad()" not in cleaned and "iframe" not in cleaned and "javascript" not in cleaned
    assert '<a href="https://ok.example/">ok</a>' in cleaned and "onmouseover" not in cleaned


def test_images_become_alt_text_and_links_are_filtered():
    html = render_markdown("![a cat](http://example.com/cat.png) [click](javascript:alert(1)) [mail](mailto:a@b.c)")
    assert "<img" not in html and "[image: a cat]" in html
    assert 'href="javascript' not in html and 'href="mailto:a@b.c"' in html
    assert safe_link("file:///etc/passwd") is None and safe_link("data:text/html,x") is None
    assert safe_link("https://example.com") == "https://example.com"


def test_browser_refuses_remote_resources(qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr("desktop.markdown.QDesktopServices.openUrl", lambda url: opened.append(url.toString()) or True)
    b = SafeTextBrowser()
    qtbot.addWidget(b)
    assert b.loadResource(int(QTextDocument.ResourceType.ImageResource), QUrl("http://example.com/x.png")) is None
    assert b.loadResource(int(QTextDocument.ResourceType.ImageResource), QUrl("file:///etc/hosts")) is None
    assert "http://example.com/x.png" in b.refused
    # even raw HTML with an image set directly never fetches it
    b.setHtml('<img src="https://example.com/track.png">')
    assert not b.openLinks() and not b.openExternalLinks()
    b._on_anchor(QUrl("javascript:alert(1)"))
    b._on_anchor(QUrl("https://example.com/page"))
    assert opened == ["https://example.com/page"]


def test_only_code_colours_survive_on_spans():
    kept = sanitize_html('<span style="color:#cf222e;font-weight:bold;">def</span>')
    assert kept == '<span style="color:#cf222e;font-weight:bold;">def</span>'
    for bad in ('color:#cf222e;background:url(http://e/x.png);', "color:red;", "position:fixed;"):
        assert "style" not in sanitize_html(f'<span style="{bad}">x</span>')
    # a reply cannot smuggle styled spans through Markdown: raw HTML is text
    assert "<span" not in render_markdown('<span style="color:#000000;">x</span>')
