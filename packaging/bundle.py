"""`make package`, after PyInstaller: check the one-folder app and pack the Linux tarball around it.

    python packaging/bundle.py dist/sensorium [--format zst|gz] [--level N] [--no-tarball]

1. ``dist/sensorium/sensorium --version`` must print pyproject.toml's version;
2. the small files are staged in build/tarball/sensorium-VERSION-linux-ARCH/: install.sh,
   uninstall.sh, VERSION, share/applications/sensorium.desktop, share/metainfo/*.metainfo.xml and
   share/icons/hicolor/<N>x<N>/apps/sensorium.png (N = 16 .. 512, rendered from the SVG) plus the SVG;
3. the recipes are checked (packaging/recipes.py: desktop-file-validate, appstreamcli validate
   --no-net, the macOS plist and the Inno Setup script against this build);
4. dist/sensorium-VERSION-linux-ARCH.tar.zst holds the staged files and dist/sensorium as
   NAME/sensorium (tar, then zstd on every core: a multi-GB folder of mostly shared libraries packs
   in about a minute this way, where single-threaded gzip takes many; ``--format gz`` for gzip).

Prints each step's time and the folder and tarball sizes.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the recipes' checks and the icon renderer beside this file

import icons  # noqa: E402
import recipes  # noqa: E402

__all__ = ["tarball_name", "stage", "pack", "folder_size", "main"]


def tarball_name(version: str, machine: str | None = None) -> str:
    return f"sensorium-{version}-linux-{machine or platform.machine()}"


def folder_size(path: Path) -> int:
    """Bytes in the files under ``path`` (symlinks not followed)."""
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for f in files:
            p = os.path.join(dirpath, f)
            if not os.path.islink(p):
                total += os.path.getsize(p)
    return total


def stage(out: Path, version: str) -> Path:
    """The tarball's small files in ``out`` (made afresh): scripts, VERSION and share/."""
    if out.exists():
        shutil.rmtree(out)
    share = out / "share"
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir(parents=True)
    for script in ("install.sh", "uninstall.sh"):
        shutil.copyfile(HERE / "linux" / script, out / script)
        (out / script).chmod(0o755)
    (out / "VERSION").write_text(version + "\n", encoding="utf-8")
    shutil.copyfile(recipes.DESKTOP, share / "applications" / recipes.DESKTOP.name)
    shutil.copyfile(recipes.METAINFO, share / "metainfo" / recipes.METAINFO.name)
    icons.freedesktop_icons(recipes.REPO / "assets" / "icons" / "sensorium.svg", share)
    return out


def pack(staged: Path, app: Path, tarball: Path, fmt: str = "zst", level: int | None = None) -> Path:
    """``staged``'s files and ``app`` as ``staged.name``/sensorium in one compressed tarball."""
    name = staged.name
    if fmt == "zst":
        compressor = ["zstd", "-q", "-T0", f"-{level or 3}", "-o", str(tarball)]
    elif fmt == "gz":
        compressor = ["gzip", f"-{level or 6}"]
    else:
        raise ValueError(f"unknown format {fmt!r}: zst or gz")
    if shutil.which(compressor[0]) is None:
        raise SystemExit(f"bundle.py: {compressor[0]} is not installed (make package installs zstd with apt)")
    tarball.unlink(missing_ok=True)
    # two folders in one archive: the staged files, then the app renamed into NAME/sensorium (symlink
    # targets inside the app stay as they are: the transform applies to member names only)
    tar = ["tar", "--create", "--file=-", "--owner=0", "--group=0", "--numeric-owner",
           "-C", str(staged.parent), name,
           f"--transform=flags=rh;s,^{app.name}\\(/\\|$\\),{name}/sensorium\\1,",
           "-C", str(app.parent), app.name]
    with subprocess.Popen(tar, stdout=subprocess.PIPE) as producer:
        if fmt == "zst":
            consumer = subprocess.run(compressor, stdin=producer.stdout)
        else:
            with tarball.open("wb") as f:
                consumer = subprocess.run(compressor, stdin=producer.stdout, stdout=f)
        producer.stdout.close()
        producer.wait()
    if producer.returncode or consumer.returncode:
        tarball.unlink(missing_ok=True)
        raise SystemExit(f"bundle.py: packing failed (tar {producer.returncode}, {compressor[0]} {consumer.returncode})")
    return tarball


def _gb(n: int) -> str:
    return f"{n / 1e9:.2f} GB"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("app", type=Path, help="the PyInstaller folder (dist/sensorium)")
    p.add_argument("--format", choices=("zst", "gz"), default="zst")
    p.add_argument("--level", type=int, help="compression level (zstd default 3, gzip default 6)")
    p.add_argument("--no-tarball", action="store_true", help="check and stage only")
    args = p.parse_args(argv)
    app = args.app.resolve()
    version = recipes.project_version()
    exe = app / "sensorium"
    if not exe.is_file():
        raise SystemExit(f"bundle.py: {exe} is missing: run PyInstaller first (make package)")

    t0 = time.perf_counter()
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"})
    printed = out.stdout.strip()
    if out.returncode or printed != f"sensorium {version}":
        raise SystemExit(f"bundle.py: {exe} --version printed {printed!r} (exit {out.returncode}), "
                         f"expected 'sensorium {version}': {out.stderr.strip()[-300:]}")
    print(f"{exe} --version: {printed} ({time.perf_counter() - t0:.1f} s)")

    name = tarball_name(version)
    staged = stage(recipes.REPO / "build" / "tarball" / name, version)
    problems = (recipes.validate_desktop(staged / "share" / "applications" / recipes.DESKTOP.name)
                + recipes.validate_metainfo(staged / "share" / "metainfo" / recipes.METAINFO.name)
                + recipes.metainfo_problems() + recipes.plist_problems() + recipes.iss_problems(app))
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        raise SystemExit(f"bundle.py: {len(problems)} problems in the packaging recipes")
    print("desktop-file-validate, appstreamcli validate --no-net, Info.plist and sensorium.iss: ok")
    size = folder_size(app)
    print(f"{app}: {_gb(size)}")
    if args.no_tarball:
        return 0
    tarball = app.parent / f"{name}.tar.{args.format}"
    t1 = time.perf_counter()
    pack(staged, app, tarball, args.format, args.level)
    print(f"{tarball}: {_gb(tarball.stat().st_size)} ({tarball.stat().st_size / size:.0%} of the folder), "
          f"packed in {time.perf_counter() - t1:.0f} s")
    print(f"install: tar xf {tarball.name} && ./{name}/install.sh   (PREFIX=~/.local by default)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
