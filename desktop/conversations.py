"""The conversation list's actions in the window: open, new chat, rename, delete (with undo),
search, export, branch an edited message, delete all. Every store call goes through the
HistoryService (off the GUI thread); results are shown when they arrive, stale ones are dropped."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from pipelines.turns import ChatRef

from .i18n import translate
from .messages import MessageItem

__all__ = ["Conversations"]


class Conversations(QObject):
    """Works on the window's parts; the window owns the current chat (``window.chat``)."""

    def __init__(self, window: Any):
        super().__init__(window)
        self.w = window
        self._opening = 0  # the latest open request: older answers are stale

    @property
    def history(self):
        return self.w.history

    def new_chat(self, *, temporary: bool = False) -> None:
        """An empty chat; ``temporary``: one whose turns store nothing (Turn.temporary), marked so."""
        w = self.w
        self._opening += 1
        w.chat = ChatRef()
        w.set_temporary(temporary)
        w.view.set_messages([])
        w.details.show_item(None)
        w.details.set_mood([])
        w.sidebar.select(None)
        w.input.edit.setFocus()

    def open(self, cid: int | None, *, then: Any = None) -> None:
        """Show conversation ``cid`` (its messages load off the GUI thread); ``then()`` after."""
        w = self.w
        if cid is None:
            self.new_chat()
            return
        if cid == w.chat.id and w.view.items:
            if then is not None:
                then()
            return
        self._opening += 1
        ticket = self._opening
        w.chat = ChatRef(cid)
        w.set_temporary(False)
        w.sidebar.select(cid)

        def show(messages: list) -> None:
            if ticket != self._opening:
                return  # the person opened another one meanwhile
            live = w.presenter.items_by_id()
            items = [live.get(m.id) or MessageItem.from_message(m) for m in messages]
            asked = items[-1].meta.get("question") if items and items[-1].role == "user" else None
            if asked:  # the conversation ends with a request the router asked about: ask again
                items.append(MessageItem(role="assistant", status="complete", intent="ask", meta={"question": {
                    "choices": [tuple(c) for c in asked["choices"]], "message_id": items[-1].id}}))
            w.view.set_messages(items)
            w.details.show_item(None)
            w.details.set_mood(items)
            if then is not None:
                then()

        self.history.call(lambda s: s.messages(cid), show,
                          lambda e: w.show_problem(lambda: translate("Conversations", "that conversation could not be "
                                                                     "opened ({problem})").format(problem=e)))

    def rename(self, cid: int, title: str) -> None:
        if title:
            self.history.call(lambda s: s.rename_conversation(cid, title), None,
                              lambda e: self.w.show_problem(lambda: translate(
                                  "Conversations", "the conversation could not be renamed ({problem})").format(problem=e)))
        self.history.refresh()

    def delete(self, cid: int) -> None:
        w = self.w

        def deleted(title: str) -> None:
            was_open = cid == w.chat.id
            if was_open:
                self.new_chat()
            self.history.refresh()

            def undo():
                self.history.call(lambda s: s.restore_conversation(cid), lambda _r: (
                    self.history.refresh(), self.open(cid) if was_open else None))

            w.message_bar.show_message(
                (lambda: translate("Conversations", "Deleted “{title}”.").format(title=title)) if title else
                (lambda: translate("Conversations", "Deleted “the conversation”.")),
                action=lambda: translate("Conversations", "Undo"), callback=undo, timeout_ms=10000)

        def work(store) -> str:
            info = store.get_conversation(cid)
            store.delete_conversation(cid)
            return info.title if info and info.title else ""

        self.history.call(work, deleted, lambda e: w.show_problem(lambda: translate(
            "Conversations", "the conversation could not be deleted ({problem})").format(problem=e)))

    def search(self, query: str) -> None:
        w = self.w
        if not query:
            w.sidebar.show_hits(query, [])
            return
        self.history.call(lambda s: s.search(query), lambda hits: w.sidebar.show_hits(query, hits),
                          lambda e: (w.show_problem(lambda: translate("Conversations", "search failed ({problem})")
                                                    .format(problem=e)), w.sidebar.show_hits(query, [])))

    def open_hit(self, cid: int, mid: int) -> None:
        w = self.w

        def reveal() -> None:
            item = w.view.find(mid)
            if item is not None:
                w.view.reveal(item)

        self.open(cid, then=reveal)

    def export(self, cid: int | None, fmt: str) -> None:
        w = self.w
        if cid is None:
            w.show_problem(lambda: translate("Conversations", "open a conversation to export it"))
            return
        suffix = ".md" if fmt == "md" else ".json"
        target, _ = QFileDialog.getSaveFileName(w, translate("Conversations", "Export conversation"),
                                                str(Path.home() / f"conversation{suffix}"))
        if not target:
            return

        def work(store) -> str:
            data = store.export_markdown(cid) if fmt == "md" else json.dumps(store.export_json(cid), indent=2,
                                                                             ensure_ascii=False)
            Path(target).write_text(data, encoding="utf-8")
            return target

        self.history.call(work, lambda t: w.message_bar.show_message(
            lambda: translate("Conversations", "Exported to {path}.").format(path=t)),
            lambda e: w.show_problem(lambda: translate("Conversations", "export failed ({problem})").format(problem=e)))

    def branch(self, item: MessageItem, text: str) -> None:
        """An edited message: a new conversation holds everything before it, and the edited text is
        sent there. The original conversation stays as it was."""
        w = self.w
        cid = w.chat.id
        if cid is None or item.id is None:
            w.show_problem(lambda: translate("Conversations", "that message is not saved yet: wait for the reply, "
                                             "then edit it"))
            return

        def branched(new_cid: int) -> None:
            self.history.refresh()
            self.open(new_cid, then=lambda: w.send_text(text, list(item.attachments)))

        self.history.call(lambda s: s.branch_conversation(cid, item.id), branched,
                          lambda e: w.show_problem(lambda: translate(
                              "Conversations", "the conversation could not be branched ({problem})").format(problem=e)))

    def delete_all(self) -> None:
        w = self.w
        w.controller.cancel()

        def done(_r: Any) -> None:
            self.new_chat()
            self.history.refresh()
            w.knowledge.refresh_documents()
            w.knowledge.refresh_memories()
            w.message_bar.show_message(lambda: translate("Conversations", "All conversations, pictures, memories, "
                                                         "documents and learned adapters were deleted."))

        def delete(_s: Any) -> None:
            # conversations, pictures, learned corrections, memories, the document index and adapters
            w.engine.delete_all_data()

        # indexing and learning stop first: nothing they would still write may outlive the deletion
        w.knowledge.cancel_jobs(then=lambda: self.history.call(delete, done, lambda e: w.show_problem(
            lambda: translate("Conversations", "your data could not be deleted ({problem})").format(problem=e))))
