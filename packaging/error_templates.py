"""Every user-facing error and notice template of pipelines/, and what is wrong with them.

    python packaging/error_templates.py [ROOT]

prints one line per problem (``file:line: what``) and exits 1 if there is any (``python -m
packaging.error_templates`` finds PyPI's ``packaging`` instead where that is installed).

A *site* is (a) a call of a ``SensoriumError`` subclass defined in pipelines/ (found here by the AST,
transitively from ``errors.SensoriumError``), ``raise BadInput("cannot read {name}: {why}",
code="image.unreadable", name=..., why=...)``, or (b) a ``Text.of(code, template, **params)`` call
(the helpers that build a notice, a failed event or a client's error take one). The window looks
each template up in its translations (context "errors", see packaging/i18n.py) and fills the same
params, so a template must be a plain literal, every field in it must be passed, and one code must
always mean one template. ``SensoriumError.from_text(text)`` passes on a ``Text`` made at another
site and is not a site itself. Only the standard library (ast) is used: no pipelines/ import.
"""
from __future__ import annotations

import ast
import re
import string
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Site", "scan", "problems", "error_classes", "main"]

#: ``ModelUnavailable`` (and its subclasses) take these as keywords for the error's attributes;
#: they go into the params as well, but the template need not show them.
_ATTRIBUTE_PARAMS = ("role", "model")
_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class Site:
    """One template. ``code`` or ``template`` is None where it is not a plain string literal (a
    problem); ``params`` are the names passed to fill it, in the order written; ``optional`` are
    those of them the template need not show (``role``/``model`` of a ``ModelUnavailable``);
    ``issues`` are what the scanner saw wrong in the call itself (an f-string, ``**params``)."""

    file: str
    line: int
    code: str | None
    template: str | None
    params: tuple[str, ...]
    optional: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()


def _sources(root: Path) -> Iterator[tuple[str, ast.Module]]:
    for path in sorted((root / "pipelines").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        yield rel, ast.parse(path.read_text(encoding="utf-8"), filename=rel)


def _base_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def error_classes(trees: Iterable[ast.Module]) -> dict[str, bool]:
    """Class name -> whether it is a ``ModelUnavailable``, for every ``SensoriumError`` subclass
    (``SensoriumError`` itself included) defined in ``trees``."""
    bases: dict[str, set[str]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(n for b in node.bases if (n := _base_name(b)))
    found = {"SensoriumError": False}
    grew = True
    while grew:
        grew = False
        for name, parents in bases.items():
            hits = parents & found.keys()
            if name not in found and hits:
                found[name] = name == "ModelUnavailable" or any(found[p] for p in hits)
                grew = True
    if "ModelUnavailable" in found:
        found["ModelUnavailable"] = True
    return found


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _is_text_of(node: ast.expr) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "of"
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "Text")


def _one_line(s: str) -> str:
    return " ".join(s.split())  # as errors.Text.of stores it


def _describe(node: ast.expr | None, what: str) -> str:
    if node is None:
        return f"no {what}"
    if isinstance(node, ast.JoinedStr):
        return f"the {what} is an f-string"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return f"the {what} is %-formatted"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return f"the {what} is .format()-ed"
    return f"the {what} is not a string literal ({ast.unparse(node)[:60]})"


def _site(file: str, call: ast.Call, code_node: ast.expr | None, template_node: ast.expr | None,
          keywords: list[ast.keyword], optional: tuple[str, ...], extra_issues: list[str]) -> Site:
    issues = list(extra_issues)
    code = _literal(code_node)
    if code is None:
        issues.append(_describe(code_node, "code"))
    template = _literal(template_node)
    if template is None:
        issues.append(_describe(template_node, "template"))
    params = []
    for kw in keywords:
        if kw.arg is None:
            issues.append(f"params passed as **{ast.unparse(kw.value)[:40]}: pass each one by name")
        else:
            params.append(kw.arg)
    return Site(file, call.lineno, code, None if template is None else _one_line(template), tuple(params),
                tuple(p for p in optional if p in params), tuple(issues))


def _text_of_site(file: str, call: ast.Call) -> Site:
    args = list(call.args)
    kws = {kw.arg: kw.value for kw in call.keywords if kw.arg in ("code", "template")}
    code_node = args.pop(0) if args else kws.get("code")
    template_node = args.pop(0) if args else kws.get("template")
    issues = [f"{len(args)} more positional argument(s): pass the params by name"] if args else []
    keywords = [kw for kw in call.keywords if kw.arg not in ("code", "template")]
    return _site(file, call, code_node, template_node, keywords, (), issues)


def _error_site(file: str, call: ast.Call, model_error: bool) -> Site:
    args = list(call.args)
    first = args.pop(0) if args else None
    issues = [f"{len(args)} more positional argument(s): pass the params by name"] if args else []
    keywords = list(call.keywords)
    if first is not None and _is_text_of(first):  # raise BadInput(Text.of("code", "template", ...))
        assert isinstance(first, ast.Call)
        inner = _text_of_site(file, first)
        extra = [kw.arg for kw in keywords if kw.arg not in (None, *(_ATTRIBUTE_PARAMS if model_error else ()))]
        issues += [f"{name}= is ignored beside a Text.of(...): pass it to Text.of" for name in extra]
        return Site(file, call.lineno, inner.code, inner.template, inner.params, (), (*inner.issues, *issues))
    code_node = next((kw.value for kw in keywords if kw.arg == "code"), None)
    keywords = [kw for kw in keywords if kw.arg != "code"]
    optional = _ATTRIBUTE_PARAMS if model_error else ()
    return _site(file, call, code_node, first, keywords, optional, issues)


def scan(root: Path) -> list[Site]:
    """Every error and ``Text.of`` site of ``root``/pipelines, in file and line order. The
    definitions in pipelines/errors.py itself (the generic ``Text.of`` of ``SensoriumError``)
    are not sites."""
    trees = list(_sources(Path(root)))
    classes = error_classes(tree for _, tree in trees)
    sites: list[Site] = []
    for file, tree in trees:
        if file == "pipelines/errors.py":
            continue
        inner: set[int] = set()  # Text.of calls that are an error's first argument
        found: list[Site] = []
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _base_name(node.func)
            if name in classes and not _is_text_of(node):
                if node.args and _is_text_of(node.args[0]):
                    inner.add(id(node.args[0]))
                found.append(_error_site(file, node, classes[name]))
        for node in ast.walk(tree):
            if _is_text_of(node) and id(node) not in inner:
                assert isinstance(node, ast.Call)
                found.append(_text_of_site(file, node))
        sites += sorted(found, key=lambda s: s.line)
    return sites


def _fields(template: str) -> tuple[list[str], list[str]]:
    """The field names of ``template`` and what is wrong with its fields."""
    names: list[str] = []
    wrong: list[str] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as e:
        return [], [f"the template does not parse as a format string ({e}): double a literal brace"]
    for _text, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier():
            wrong.append(f"field {{{field}}} is not a plain name: pass the value as a param")
            continue
        if spec or conversion:
            wrong.append(f"field {{{field}}} has a conversion or format spec: pass the param formatted")
        names.append(field)
    return names, wrong


def problems(sites: Iterable[Site]) -> list[str]:
    """One line per problem, ``file:line: what``: a template or code that is not a literal, an
    f-string, a field without a param or a param without a field, a code that is not dotted
    lower_snake, and a code used with two different templates."""
    out: list[str] = []
    first: dict[str, Site] = {}
    for s in sites:
        where = f"{s.file}:{s.line}"
        out += [f"{where}: {issue}" for issue in s.issues]
        if s.code is not None and not _CODE.match(s.code):
            out.append(f"{where}: code {s.code!r} is not dotted lower_snake like 'image.unreadable'")
        if s.template is None:
            continue
        if not s.params:  # a template without params is shown as it is (errors.fill): braces are literal
            if "{" in s.template or "}" in s.template:
                fields, _ = _fields(s.template)
                what = (f"field(s) {', '.join('{' + f + '}' for f in fields)} are not passed as params"
                        if fields else "its braces would show doubled, as it has no params")
                out.append(f"{where}: {what}")
        else:
            fields, wrong = _fields(s.template)
            out += [f"{where}: {w}" for w in wrong]
            missing = [f for f in dict.fromkeys(fields) if f not in s.params]
            unused = [p for p in s.params if p not in fields and p not in s.optional]
            if missing:
                out.append(f"{where}: field(s) {', '.join('{' + f + '}' for f in missing)} are not passed as params")
            if unused:
                out.append(f"{where}: param(s) {', '.join(unused)} are not in the template")
        if s.code is not None:
            seen = first.setdefault(s.code, s)
            if seen is not s and seen.template != s.template:
                out.append(f"{where}: code {s.code!r} is used at {seen.file}:{seen.line} with another template "
                           f"({seen.template!r} there, {s.template!r} here): give each condition its own code")
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parent.parent
    found = scan(root)
    bad = problems(found)
    for line in bad:
        print(line)
    codes = {s.code for s in found}
    print(f"{len(found)} sites, {len(codes)} codes, {len(bad)} problem(s)", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
