"""The tarball's install.sh and uninstall.sh on a stand-in app, into a temporary DESTDIR/PREFIX; the
staged icons are the freedesktop sizes, rendered from the SVG."""
from __future__ import annotations

import os
import subprocess

from PIL import Image

from .helpers import load

bundle = load("bundle")
icons = load("icons")
VERSION = bundle.recipes.project_version()


def _run(script, env, **kw):
    return subprocess.run(["sh", str(script)], env={"PATH": "/usr/bin:/bin", "HOME": env.pop("HOME"), **env},
                          capture_output=True, text=True, timeout=60, **kw)


def test_stage_install_and_uninstall(tmp_path):
    staged = bundle.stage(tmp_path / bundle.tarball_name(VERSION, "x86_64"), VERSION)
    assert staged.name == f"sensorium-{VERSION}-linux-x86_64"
    for n in icons.FREEDESKTOP_SIZES:
        with Image.open(staged / "share" / "icons" / "hicolor" / f"{n}x{n}" / "apps" / "sensorium.png") as im:
            assert im.size == (n, n) and im.mode == "RGBA"
            assert im.getpixel((n // 2, n // 2))[3] == 255 and im.getpixel((0, 0))[3] == 0  # drawn, transparent corner
    app = staged / "sensorium"  # stand-in for the PyInstaller folder
    (app / "_internal").mkdir(parents=True)
    (app / "sensorium").write_text(f"#!/bin/sh\necho sensorium {VERSION}\n")
    (app / "sensorium").chmod(0o755)

    dest, prefix, home = tmp_path / "dest", "/home/someone/.local", tmp_path / "home"
    home.mkdir()
    r = _run(staged / "install.sh", {"HOME": str(home), "DESTDIR": str(dest), "PREFIX": prefix})
    assert r.returncode == 0, r.stderr
    root = dest / prefix.lstrip("/")
    link = root / "bin" / "sensorium"
    assert link.is_symlink() and os.readlink(link) == f"{prefix}/lib/sensorium/sensorium"
    assert (root / "lib" / "sensorium" / "sensorium").is_file()
    assert (root / "lib" / "sensorium" / "uninstall.sh").is_file()
    entry = (root / "share" / "applications" / "sensorium.desktop").read_text()
    assert f"Exec={prefix}/bin/sensorium\n" in entry and "Icon=sensorium\n" in entry
    assert (root / "share" / "metainfo" / "io.sensorium.Sensorium.metainfo.xml").is_file()
    for n in icons.FREEDESKTOP_SIZES:
        assert (root / "share" / "icons" / "hicolor" / f"{n}x{n}" / "apps" / "sensorium.png").is_file()
    assert (root / "share" / "icons" / "hicolor" / "scalable" / "apps" / "sensorium.svg").is_file()
    ver = subprocess.run([str(root / "lib" / "sensorium" / "sensorium"), "--version"], capture_output=True, text=True)
    assert ver.stdout.strip() == f"sensorium {VERSION}"

    # a second install replaces the first; the installed uninstall.sh finds its own prefix
    assert _run(staged / "install.sh", {"HOME": str(home), "DESTDIR": str(dest), "PREFIX": prefix}).returncode == 0
    r = _run(root / "lib" / "sensorium" / "uninstall.sh", {"HOME": str(home)})
    assert r.returncode == 0, r.stderr
    caches = {"mimeinfo.cache", "icon-theme.cache"}  # refreshed by the menus' tools, when they are installed
    left = [p for p in root.rglob("*") if not p.is_dir() and p.name not in caches]
    assert left == [], left
    again = _run(staged / "uninstall.sh", {"HOME": str(home), "DESTDIR": str(dest), "PREFIX": prefix})
    assert again.returncode == 1 and "not installed" in again.stderr


def test_install_refuses_a_relative_prefix(tmp_path):
    staged = bundle.stage(tmp_path / "s", VERSION)
    (staged / "sensorium").mkdir()
    (staged / "sensorium" / "sensorium").write_text("#!/bin/sh\n")
    (staged / "sensorium" / "sensorium").chmod(0o755)
    r = _run(staged / "install.sh", {"HOME": str(tmp_path), "PREFIX": "relative/dir"})
    assert r.returncode == 1 and "absolute" in r.stderr


def test_pack_puts_the_app_under_the_tarball_folder(tmp_path):
    import tarfile

    staged = bundle.stage(tmp_path / "build" / "sensorium-1.0-linux-x86_64", "1.0")
    app = tmp_path / "dist" / "sensorium"
    (app / "_internal").mkdir(parents=True)
    (app / "sensorium").write_text("#!/bin/sh\n")
    os.symlink("_internal", app / "link")  # symlinks inside the app stay as they are
    tarball = bundle.pack(staged, app, tmp_path / "dist" / "s.tar.gz", "gz")
    with tarfile.open(tarball) as tf:
        names = tf.getnames()
        assert "sensorium-1.0-linux-x86_64/install.sh" in names
        assert "sensorium-1.0-linux-x86_64/sensorium/sensorium" in names
        assert "sensorium-1.0-linux-x86_64/sensorium/_internal" in names
        assert tf.getmember("sensorium-1.0-linux-x86_64/sensorium/link").linkname == "_internal"
        assert not any(n.startswith("sensorium/") for n in names)
