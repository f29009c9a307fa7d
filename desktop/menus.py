"""The window's menus and keyboard shortcuts (every action reachable from the keyboard)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QActionGroup, QKeySequence, QShortcut

from .theme import icon

__all__ = ["build_menus", "SHORTCUTS_HELP"]

SHORTCUTS_HELP = ("Ctrl+N new chat · Ctrl+F search · Ctrl+L message box · Enter send (after the reply) · "
                  "Ctrl+Enter send now · Shift+Enter new line · Esc stop · Ctrl+R regenerate · Ctrl+B side panel · "
                  "Ctrl+, settings · F6 next area · hold Ctrl+Space to talk · Alt+1 / Alt+2 answer “Did you mean…”")


def build_menus(w: Any) -> None:
    """Menus on ``w`` (a MainWindow); the actions become attributes of it (act_new, act_stop...)."""
    mb = w.menuBar()
    f = mb.addMenu("&File")
    w.act_new = f.addAction(icon("plus"), "New chat", w.new_chat)
    w.act_new.setShortcut(QKeySequence("Ctrl+N"))
    f.addAction(icon("save"), "Export conversation as Markdown…", lambda: w.export(w.cid, "md"))
    f.addAction(icon("save"), "Export conversation as JSON…", lambda: w.export(w.cid, "json"))
    f.addSeparator()
    w.act_settings = f.addAction(icon("settings"), "Settings…", w.open_settings)
    w.act_settings.setShortcut(QKeySequence("Ctrl+,"))
    f.addSeparator()
    quit_action = f.addAction("Quit", w.close)
    quit_action.setShortcut(QKeySequence("Ctrl+Q"))
    e = mb.addMenu("&Edit")
    w.act_search = e.addAction(icon("search"), "Search messages", w.focus_search)
    w.act_search.setShortcut(QKeySequence("Ctrl+F"))
    w.act_focus = e.addAction("Focus the message box", w.focus_input)
    w.act_focus.setShortcut(QKeySequence("Ctrl+L"))
    w.act_regen = e.addAction(icon("refresh"), "Regenerate the last reply", w.regenerate)
    w.act_regen.setShortcut(QKeySequence("Ctrl+R"))
    w.act_stop = e.addAction(icon("stop"), "Stop  (Esc)", w.stop)
    view = mb.addMenu("&View")
    w.act_panel = view.addAction(icon("panel"), "Side panel", w.toggle_panel)
    w.act_panel.setCheckable(True)
    w.act_panel.setChecked(True)
    w.act_panel.setShortcut(QKeySequence("Ctrl+B"))
    w.act_next_area = view.addAction("Next area", lambda: w.cycle_focus(1))
    w.act_next_area.setShortcut(QKeySequence(Qt.Key.Key_F6))
    w.act_prev_area = view.addAction("Previous area", lambda: w.cycle_focus(-1))
    w.act_prev_area.setShortcut(QKeySequence("Shift+F6"))
    theme = view.addMenu("Theme")
    group = QActionGroup(w)
    w.theme_actions = {}
    for name in ("system", "light", "dark"):
        a = theme.addAction(name.title(), lambda n=name: w.set_theme(n))
        a.setCheckable(True)
        a.setChecked(w.settings.general.theme == name)
        group.addAction(a)
        w.theme_actions[name] = a
    models = mb.addMenu("&Models")
    models.addAction(icon("chip"), "Models…", w.open_models)
    w.act_first_run = models.addAction("Set up models for this computer…", w.open_first_run)
    w.act_load_all = models.addAction("Load all now", w.load_all)
    help_menu = mb.addMenu("&Help")
    help_menu.addAction("Keyboard shortcuts", lambda: w.message_bar.show_message(SHORTCUTS_HELP, timeout_ms=15000))
    # Esc must work even while the prompt has focus
    w.esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), w, w.stop, context=Qt.ShortcutContext.WindowShortcut)
