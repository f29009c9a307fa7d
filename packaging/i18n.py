"""The interface's translations: `make translations` runs ``python packaging/i18n.py build``.

Two .ts files per language live in assets/translations (Qt Linguist opens both):

- ``sensorium_<lang>.ts``: every ``translate("Context", "text")`` / ``QT_TRANSLATE_NOOP`` of
  desktop/, read by ``pyside6-lupdate`` (strings that left the code are dropped);
- ``data_<lang>.ts``: the texts that come from data rather than from desktop/'s code: the error and
  notice templates of pipelines/ (context ``errors``, found by packaging/error_templates.py, each
  with its code as a note, and the languages' and roles' names their params carry: ``params``), every setting's description and label and the words of its choices
  (``settings``), the catalog's model descriptions and role titles (``catalog``), and the
  readings' labels of the intent router (``intents``).

``build`` refreshes both from the sources (keeping every translation already made) and compiles them
into ``sensorium_<lang>.qm`` with ``pyside6-lrelease``; ``check`` lists what has no translation yet
(exit 1), and ``build --import F.json`` fills missing translations from ``{context: {source: text}}``.
English is the source language: it needs no file.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LANGS = ("zh_CN",)
OUT = ROOT / "assets" / "translations"
DATA_CONTEXTS = ("errors", "params", "settings", "catalog", "intents")

Entry = tuple[str, str]  # (context, source)


def _tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: it comes with PySide6 (run `make .venv/.stamps/base`)")
    return found


# ---- the data texts ----------------------------------------------------------------------------
def error_texts() -> dict[Entry, str]:
    """Every error/notice template of pipelines/, with its code as the translator's note."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        from error_templates import scan  # packaging/error_templates.py
    except ImportError:  # TODO(merge): the scanner lands with the err branch
        return {}

    return {("errors", site.template): site.code for site in scan(ROOT)}


def setting_texts() -> dict[Entry, str]:
    from desktop.settings_editors import choice_text, label_for, schema_meta
    from pipelines.settings import describe

    out: dict[Entry, str] = {}
    meta = schema_meta()
    for section, key, _default, description in describe():
        out[("settings", description)] = f"{section}.{key}"
        out[("settings", label_for(section, key))] = f"{section}.{key} (label)"
        for choice in meta[(section, key)].get("choices") or ():
            word = choice_text(choice)
            if word:
                out[("settings", word)] = f"{section}.{key} = {choice}"
    return out


def catalog_texts() -> dict[Entry, str]:
    from pipelines.catalog import ROLE_TITLES

    out: dict[Entry, str] = {("catalog", t): f"role {r}" for r, t in ROLE_TITLES.items()}
    data = tomllib.loads((ROOT / "assets" / "catalog.toml").read_text(encoding="utf-8"))
    for m in data.get("models", []):
        if m.get("description"):
            out[("catalog", m["description"])] = f"model {m.get('name', '')}"
    return out


def firstrun_texts() -> dict[Entry, str]:
    """The first-run screen's sentences that pipelines/firstrun.py makes: the licences, the reason of
    each recommendation without a GPU memory figure (the two with one are templates in desktop/),
    and the lines of a cancelled download."""
    import ast

    from pipelines.catalog import Catalog
    from pipelines.doctor import HostCheck
    from pipelines.firstrun import LICENCES, licence_info, recommend_models
    from pipelines.paths import Profile
    from pipelines.settings import Settings

    out: dict[Entry, str] = {}
    for lic in [*LICENCES.values(), licence_info("")]:
        for text in (lic.name, lic.tag, lic.terms, "" if lic.id in LICENCES else lic.id):
            if text:
                out[("catalog", text)] = f"licence {lic.id}"
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Catalog.load(Settings(), Profile.at(Path(tmp)))
    for device, driver in (("cpu", "550"), ("auto", ""), ("auto", "550")):
        host = HostCheck("", "", "", 1, device, nvidia_driver=driver)
        out[("catalog", recommend_models(catalog, host).reason)] = "first-run reason"
    tree = ast.parse((ROOT / "pipelines" / "firstrun.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):  # ModelOutcome(role, name, "cancelled", "<the line>")
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "ModelOutcome" and len(node.args) == 4:
            state, line = node.args[2], node.args[3]
            if isinstance(state, ast.Constant) and state.value == "cancelled" and isinstance(line, ast.Constant):
                out[("catalog", line.value)] = "download cancelled"
    return out


def param_texts() -> dict[Entry, str]:
    """The words the errors' params carry that are ours to say: languages' and roles' names, the
    folder hints, and the words of the intent router's reasons (the readings, the patterns' names)."""
    from pipelines.catalog import FOLDER_HINTS, ROLE_TITLES
    from pipelines.router import reason_words
    from pipelines.voice import LANGUAGE_NAMES

    out: dict[Entry, str] = {("params", name): f"language {code}" for code, name in LANGUAGE_NAMES.items()}
    out.update({("params", t): f"role {r}" for r, t in ROLE_TITLES.items()})
    out.update({("params", t): f"what models.{r} may name" for r, t in FOLDER_HINTS.items()})
    for word, note in reason_words().items():
        out.setdefault(("params", word), note)
    return out


def intent_texts() -> dict[Entry, str]:
    """The readings' labels the router gives its questions and "Not what I meant" offers."""
    from pipelines.router import INTENT_CHOICE_LABELS

    return {("intents", label): f"intent {intent}" for intent, label in INTENT_CHOICE_LABELS.items()}


def data_texts() -> dict[Entry, str]:
    return {**error_texts(), **param_texts(), **setting_texts(), **catalog_texts(), **firstrun_texts(),
            **intent_texts()}


# ---- .ts files -----------------------------------------------------------------------------------
def read_ts(path: Path) -> dict[Entry, str]:
    """(context, source) -> translation ("" when unfinished) of a .ts file."""
    if not path.exists():
        return {}
    out: dict[Entry, str] = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            done = tr is not None and tr.get("type") not in ("unfinished", "vanished", "obsolete")
            out[(name, msg.findtext("source") or "")] = (tr.text or "") if done and tr is not None else ""
    return out


def write_data_ts(path: Path, lang: str, entries: dict[Entry, str], known: dict[Entry, str]) -> None:
    root = ET.Element("TS", version="2.1", language=lang, sourcelanguage="en")
    for context in DATA_CONTEXTS:
        c = ET.SubElement(root, "context")
        ET.SubElement(c, "name").text = context
        for (ctx, source), note in sorted(entries.items()):
            if ctx != context:
                continue
            m = ET.SubElement(c, "message")
            ET.SubElement(m, "source").text = source
            if note:
                ET.SubElement(m, "extracomment").text = note
            t = ET.SubElement(m, "translation")
            t.text = known.get((ctx, source), "")
            if not t.text:
                t.set("type", "unfinished")
    ET.indent(root)
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                    + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")


def fill_ts(path: Path, translations: dict[Entry, str]) -> int:
    """Put ``translations`` into the unfinished messages of a .ts file; returns how many."""
    tree = ET.parse(path)
    n = 0
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            text = translations.get((name, msg.findtext("source") or ""))
            if tr is not None and text and tr.get("type") == "unfinished":
                tr.text = text
                del tr.attrib["type"]
                n += 1
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return n


def load_json(paths: list[Path]) -> dict[Entry, str]:
    out: dict[Entry, str] = {}
    for p in paths:
        for context, table in json.loads(p.read_text(encoding="utf-8")).items():
            out.update({(context, s): t for s, t in table.items() if t})
    return out


def code_sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "desktop").glob("*.py"))


def build(imports: list[Path], out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    lupdate, lrelease = _tool("pyside6-lupdate"), _tool("pyside6-lrelease")
    extra = load_json(imports)
    entries = data_texts()
    made = []
    for lang in LANGS:
        code_ts, data_ts = out / f"sensorium_{lang}.ts", out / f"data_{lang}.ts"
        update = [lupdate, *code_sources(), "-ts", str(code_ts), "-no-obsolete", "-locations", "none",
                  "-source-language", "en", "-target-language", lang, "-silent"]
        subprocess.run(update, cwd=ROOT, check=True)
        done = {k: v for k, v in read_ts(data_ts).items() if v}
        in_code = set(read_ts(code_ts))  # a text the code marks itself is translated there, once
        write_data_ts(data_ts, lang, {k: v for k, v in entries.items() if k not in in_code}, {**extra, **done})
        if extra and fill_ts(code_ts, extra):
            subprocess.run(update, cwd=ROOT, check=True)  # lupdate's own layout again: a rebuild changes nothing
        qm = out / f"sensorium_{lang}.qm"
        subprocess.run([lrelease, "-silent", str(code_ts), str(data_ts), "-qm", str(qm)], check=True)
        made.append(qm)
    return made


def unfinished(out: Path = OUT) -> list[str]:
    """'<lang> <context>: <source>' for every message without a translation."""
    missing = []
    for lang in LANGS:
        for name in (f"sensorium_{lang}.ts", f"data_{lang}.ts"):
            for (ctx, source), text in read_ts(out / name).items():
                if not text:
                    missing.append(f"{lang} {ctx}: {source}")
    return missing


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="packaging/i18n.py", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="refresh the .ts files and compile the .qm files")
    b.add_argument("--import", dest="imports", nargs="*", type=Path, default=[],
                   help="JSON files {context: {source: translation}} filling missing translations")
    sub.add_parser("check", help="list the strings that have no translation (exit 1 if any)")
    args = ap.parse_args(argv)
    if args.command == "build":
        for qm in build(args.imports):
            print(f"{qm.relative_to(ROOT)}: {qm.stat().st_size:,} bytes")
        missing = unfinished()
        if missing:
            print(f"{len(missing)} strings have no translation yet (packaging/i18n.py check lists them)")
        return 0
    missing = unfinished()
    for line in missing:
        print(line)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
