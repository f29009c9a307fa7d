"""The window's menus and keyboard shortcuts (every action reachable from the keyboard).

The menus and actions are made once; their texts are set by ``retranslate_menus``, again on
every language switch."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QActionGroup, QKeySequence, QShortcut

from .i18n import on_language, translate
from .theme import icon

__all__ = ["build_menus", "retranslate_menus", "shortcuts_help", "SHORTCUTS_HELP", "THEME_NAMES"]

SHORTCUTS_HELP = QT_TRANSLATE_NOOP("Menus", "Ctrl+N new chat · Ctrl+F search · Ctrl+L message box · Enter send "
                                   "(after the reply) · Ctrl+Enter send now · Shift+Enter new line · Esc stop · "
                                   "Ctrl+R regenerate · Ctrl+B side panel · Ctrl+, settings · F6 next area · "
                                   "hold Ctrl+Space to talk · Alt+1 / Alt+2 answer “Did you mean…” · "
                                   "Ctrl+Shift+N temporary chat · Ctrl+Shift+O add documents · "
                                   "Ctrl+Shift+D your documents · Ctrl+Shift+M memory · Ctrl+Shift+P pause memory · "
                                   "Ctrl+Shift+L learn from my ratings")
THEME_NAMES = {"system": QT_TRANSLATE_NOOP("Menus", "System"), "light": QT_TRANSLATE_NOOP("Menus", "Light"),
               "dark": QT_TRANSLATE_NOOP("Menus", "Dark")}


def shortcuts_help() -> str:
    """The keyboard shortcuts in one line, in the interface's language."""
    return translate("Menus", SHORTCUTS_HELP)


def build_menus(w: Any) -> None:
    """Menus on ``w`` (a MainWindow); the actions become attributes of it (act_new, act_stop...)."""
    mb = w.menuBar()
    f = w.menu_file = mb.addMenu("")
    w.act_new = f.addAction(icon("plus"), "", w.new_chat)
    w.act_new.setShortcut(QKeySequence("Ctrl+N"))
    w.act_temporary = f.addAction(icon("plus"), "", w.new_temporary_chat)
    w.act_temporary.setShortcut(QKeySequence("Ctrl+Shift+N"))
    w.act_temporary.setCheckable(True)
    f.addSeparator()
    w.act_add_documents = f.addAction("", lambda: w.add_documents())
    w.act_add_documents.setShortcut(QKeySequence("Ctrl+Shift+O"))
    w.act_add_folder = f.addAction("", w.add_folder)
    w.act_documents = f.addAction("", w.open_documents)
    w.act_documents.setShortcut(QKeySequence("Ctrl+Shift+D"))
    f.addSeparator()
    w.act_export_md = f.addAction(icon("save"), "", lambda: w.export(w.cid, "md"))
    w.act_export_json = f.addAction(icon("save"), "", lambda: w.export(w.cid, "json"))
    f.addSeparator()
    w.act_settings = f.addAction(icon("settings"), "", w.open_settings)
    w.act_settings.setShortcut(QKeySequence("Ctrl+,"))
    f.addSeparator()
    w.act_quit = f.addAction("", w.close)
    w.act_quit.setShortcut(QKeySequence("Ctrl+Q"))
    e = w.menu_edit = mb.addMenu("")
    w.act_search = e.addAction(icon("search"), "", w.focus_search)
    w.act_search.setShortcut(QKeySequence("Ctrl+F"))
    w.act_focus = e.addAction("", w.focus_input)
    w.act_focus.setShortcut(QKeySequence("Ctrl+L"))
    w.act_regen = e.addAction(icon("refresh"), "", w.regenerate)
    w.act_regen.setShortcut(QKeySequence("Ctrl+R"))
    w.act_stop = e.addAction(icon("stop"), "", w.stop)
    view = w.menu_view = mb.addMenu("")
    w.act_panel = view.addAction(icon("panel"), "", w.toggle_panel)
    w.act_panel.setCheckable(True)
    w.act_panel.setChecked(True)
    w.act_panel.setShortcut(QKeySequence("Ctrl+B"))
    w.act_next_area = view.addAction("", lambda: w.cycle_focus(1))
    w.act_next_area.setShortcut(QKeySequence(Qt.Key.Key_F6))
    w.act_prev_area = view.addAction("", lambda: w.cycle_focus(-1))
    w.act_prev_area.setShortcut(QKeySequence("Shift+F6"))
    w.menu_theme = view.addMenu("")
    group = QActionGroup(w)
    w.theme_actions = {}
    for name in ("system", "light", "dark"):
        a = w.menu_theme.addAction("", lambda n=name: w.set_theme(n))
        a.setCheckable(True)
        a.setChecked(w.settings.general.theme == name)
        group.addAction(a)
        w.theme_actions[name] = a
    models = w.menu_models = mb.addMenu("")
    w.act_models = models.addAction(icon("chip"), "", w.open_models)
    w.act_first_run = models.addAction("", w.open_first_run)
    w.act_load_all = models.addAction("", w.load_all)
    tools = w.menu_tools = mb.addMenu("")
    w.act_memory = tools.addAction("", w.open_memory)
    w.act_memory.setShortcut(QKeySequence("Ctrl+Shift+M"))
    w.act_pause_memory = tools.addAction("", lambda: w.set_memory_paused(w.act_pause_memory.isChecked()))
    w.act_pause_memory.setCheckable(True)
    w.act_pause_memory.setChecked(not w.settings.memory.enabled)
    w.act_pause_memory.setShortcut(QKeySequence("Ctrl+Shift+P"))
    tools.addSeparator()
    w.act_learn = tools.addAction("", w.open_learning)
    w.act_learn.setShortcut(QKeySequence("Ctrl+Shift+L"))
    help_menu = w.menu_help = mb.addMenu("")
    w.act_shortcuts = help_menu.addAction("", lambda: w.message_bar.show_message(shortcuts_help, timeout_ms=15000))
    # Esc must work even while the prompt has focus
    w.esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), w, w.stop, context=Qt.ShortcutContext.WindowShortcut)
    on_language(mb, lambda: retranslate_menus(w))


def retranslate_menus(w: Any) -> None:
    """The menus' and actions' texts in the interface's language."""
    w.menu_file.setTitle(translate("Menus", "&File"))
    w.act_new.setText(translate("Menus", "New chat"))
    w.act_temporary.setText(translate("Menus", "New temporary chat"))
    w.act_temporary.setToolTip(translate("Menus", "A chat that saves nothing: not the messages, no memories"))
    w.act_add_documents.setText(translate("Menus", "Add documents…"))
    w.act_add_folder.setText(translate("Menus", "Add a folder of documents…"))
    w.act_documents.setText(translate("Menus", "Your documents…"))
    w.act_export_md.setText(translate("Menus", "Export conversation as Markdown…"))
    w.act_export_json.setText(translate("Menus", "Export conversation as JSON…"))
    w.act_settings.setText(translate("Menus", "Settings…"))
    w.act_quit.setText(translate("Menus", "Quit"))
    w.menu_edit.setTitle(translate("Menus", "&Edit"))
    w.act_search.setText(translate("Menus", "Search messages"))
    w.act_focus.setText(translate("Menus", "Focus the message box"))
    w.act_regen.setText(translate("Menus", "Regenerate the last reply"))
    w.act_stop.setText(translate("Menus", "Stop  (Esc)"))
    w.menu_view.setTitle(translate("Menus", "&View"))
    w.act_panel.setText(translate("Menus", "Side panel"))
    w.act_next_area.setText(translate("Menus", "Next area"))
    w.act_prev_area.setText(translate("Menus", "Previous area"))
    w.menu_theme.setTitle(translate("Menus", "Theme"))
    for name, a in w.theme_actions.items():
        a.setText(translate("Menus", THEME_NAMES[name]))
    w.menu_models.setTitle(translate("Menus", "&Models"))
    w.act_models.setText(translate("Menus", "Models…"))
    w.act_first_run.setText(translate("Menus", "Set up models for this computer…"))
    w.act_load_all.setText(translate("Menus", "Load all now"))
    w.menu_tools.setTitle(translate("Menus", "&Tools"))
    w.act_memory.setText(translate("Menus", "Memory…"))
    w.act_pause_memory.setText(translate("Menus", "Pause memory"))
    w.act_learn.setText(translate("Menus", "Learn from my ratings…"))
    w.menu_help.setTitle(translate("Menus", "&Help"))
    w.act_shortcuts.setText(translate("Menus", "Keyboard shortcuts"))
