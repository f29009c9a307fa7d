"""Checks of the packaging recipes that this machine can run, each returning a list of problems
(empty: fine). `make package` runs them through packaging/bundle.py; tests/packaging runs them too.

- the .desktop entry: ``desktop-file-validate``; the AppStream metainfo: ``appstreamcli validate
  --no-net`` (or ``appstream-util validate-relax --nonet``), and its newest release is the version;
- the macOS Info.plist parses (plistlib), names the bundle id and the microphone text, and carries
  pyproject's version;
- the Windows Inno Setup script carries pyproject's version and every file it takes from the
  PyInstaller folder exists in the Linux build of that folder (``sensorium.exe`` and
  ``sensorium-cli.exe`` are the Linux ``sensorium``; the .ico is the one the spec renders).

    python packaging/recipes.py [DIST_APP]   # DIST_APP: dist/sensorium, for the .iss file check
"""
from __future__ import annotations

import plistlib
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

__all__ = ["REPO", "DESKTOP", "METAINFO", "PLIST", "ISS", "BUNDLE_ID", "project_version", "validate_desktop",
           "validate_metainfo", "metainfo_problems", "plist_problems", "iss_problems", "iss_sources", "main"]

REPO = Path(__file__).resolve().parent.parent
DESKTOP = REPO / "packaging" / "sensorium.desktop"
METAINFO = REPO / "packaging" / "io.sensorium.Sensorium.metainfo.xml"
PLIST = REPO / "packaging" / "macos" / "Info.plist"
ISS = REPO / "packaging" / "windows" / "sensorium.iss"
BUNDLE_ID = "io.sensorium.Sensorium"


def project_version(repo: Path = REPO) -> str:
    return tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def _run(cmd: list[str]) -> tuple[int, str]:
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return p.returncode, (p.stdout + p.stderr).strip()


def validate_desktop(path: Path = DESKTOP) -> list[str]:
    """desktop-file-validate's errors (its hints do not fail it). Raises FileNotFoundError without the tool."""
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        raise FileNotFoundError("desktop-file-validate (apt package desktop-file-utils)")
    rc, text = _run([tool, str(path)])
    errors = [line for line in text.splitlines() if ": error:" in line]
    return errors or ([f"desktop-file-validate exited {rc}: {text}"] if rc else [])


def validate_metainfo(path: Path = METAINFO) -> list[str]:
    """appstreamcli validate --no-net (else appstream-util validate-relax --nonet): its complaint when
    it fails. Raises FileNotFoundError with neither tool."""
    if shutil.which("appstreamcli"):
        rc, text = _run(["appstreamcli", "validate", "--no-net", str(path)])
    elif shutil.which("appstream-util"):
        rc, text = _run(["appstream-util", "validate-relax", "--nonet", str(path)])
    else:
        raise FileNotFoundError("appstreamcli (apt package appstream) or appstream-util")
    return [f"{path.name}: {text}"] if rc else []


def metainfo_problems(path: Path = METAINFO, version: str | None = None) -> list[str]:
    """What the validator does not check: the newest release is pyproject's version, the launchable is
    the .desktop entry install.sh installs, the id is the bundle id."""
    version = version or project_version()
    root = ET.parse(path).getroot()
    problems = []
    if root.findtext("id") != BUNDLE_ID:
        problems.append(f"{path.name}: id {root.findtext('id')!r} is not {BUNDLE_ID!r}")
    releases = [r.get("version") for r in root.iter("release")]
    if not releases or releases[0] != version:
        problems.append(f"{path.name}: the newest release is {releases[0] if releases else None!r}, "
                        f"pyproject.toml says {version!r}")
    launchable = root.findtext("launchable")
    if launchable != DESKTOP.name:
        problems.append(f"{path.name}: launchable {launchable!r} is not {DESKTOP.name!r}")
    return problems


def plist_problems(path: Path = PLIST, version: str | None = None) -> list[str]:
    version = version or project_version()
    try:
        with path.open("rb") as f:
            info = plistlib.load(f)
    except Exception as e:
        return [f"{path.name} does not parse: {e}"]
    problems = []
    for key in ("CFBundleShortVersionString", "CFBundleVersion"):
        if info.get(key) != version:
            problems.append(f"{path.name}: {key} is {info.get(key)!r}, pyproject.toml says {version!r}")
    if info.get("CFBundleIdentifier") != BUNDLE_ID:
        problems.append(f"{path.name}: CFBundleIdentifier is {info.get('CFBundleIdentifier')!r}, not {BUNDLE_ID!r}")
    if len(str(info.get("NSMicrophoneUsageDescription", "")).split()) < 5:
        problems.append(f"{path.name}: NSMicrophoneUsageDescription is missing (macOS refuses the microphone without it)")
    return problems


def _iss_defines(text: str) -> dict[str, str]:
    return dict(re.findall(r'^#define\s+(\w+)\s+"([^"]*)"', text, re.M))


def _expand(value: str, defines: dict[str, str]) -> str:
    return re.sub(r"\{#(\w+)\}", lambda m: defines.get(m.group(1), m.group(0)), value)


def iss_sources(path: Path = ISS) -> list[str]:
    """The Source: values of the [Files] section, with the #defines expanded (Windows paths)."""
    text = path.read_text(encoding="utf-8")
    defines = _iss_defines(text)
    section, out = "", []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Files]" and line.startswith("Source:"):
            m = re.match(r'Source:\s*"([^"]+)"', line)
            if m:
                out.append(_expand(m.group(1), defines))
    return out


def iss_problems(dist_app: Path | None, path: Path = ISS, version: str | None = None,
                 spec: Path = REPO / "packaging" / "sensorium.spec") -> list[str]:
    """The version matches, and (given the Linux dist/sensorium) every file it installs has its Linux
    counterpart there; the setup icon is the one the spec renders on Windows."""
    version = version or project_version()
    text = path.read_text(encoding="utf-8")
    defines = _iss_defines(text)
    problems = []
    if defines.get("AppVersion") != version:
        problems.append(f"{path.name}: AppVersion is {defines.get('AppVersion')!r}, pyproject.toml says {version!r}")
    source_dir = defines.get("SourceDir", "")
    if (path.parent / source_dir.replace("\\", "/")).resolve() != (REPO / "dist" / "sensorium").resolve():
        problems.append(f"{path.name}: SourceDir {source_dir!r} is not the spec's dist\\sensorium")
    icon = defines.get("IconFile", "")
    if Path(icon.replace("\\", "/")).name not in spec.read_text(encoding="utf-8"):
        problems.append(f"{path.name}: the spec does not write the setup icon {icon!r}")
    if dist_app is None:
        return problems
    for source in iss_sources(path):
        rel = source.replace("\\", "/")
        prefix = source_dir.replace("\\", "/") + "/"
        if not rel.startswith(prefix):
            problems.append(f"{path.name}: {source!r} is not from the PyInstaller folder")
            continue
        rel = rel[len(prefix):]
        rel = re.sub(r"^sensorium(-cli)?\.exe$", "sensorium", rel)  # one executable on Linux
        if rel.endswith("/*"):
            found = (dist_app / rel[:-2]).is_dir() and any((dist_app / rel[:-2]).iterdir())
        else:
            found = (dist_app / rel).is_file()
        if not found:
            problems.append(f"{path.name}: {source!r} has no counterpart {dist_app / rel} in the Linux build")
    return problems


def main(argv: list[str]) -> int:
    dist_app = Path(argv[0]) if argv else None
    problems = (validate_desktop() + validate_metainfo() + metainfo_problems() + plist_problems()
                + iss_problems(dist_app))
    for p in problems:
        print(p, file=sys.stderr)
    print("packaging recipes: " + ("ok" if not problems else f"{len(problems)} problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
