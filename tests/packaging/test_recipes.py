"""The packaging recipes as far as this machine can check them: the validators on the .desktop entry
and the AppStream metainfo, the macOS Info.plist and the Windows Inno Setup script against
pyproject.toml's version and the Linux layout of the PyInstaller folder."""
from __future__ import annotations

import plistlib
import shutil

import pytest

from .helpers import load

recipes = load("recipes")
VERSION = recipes.project_version()


def _needs(tool: str, package: str):
    return pytest.mark.skipif(shutil.which(tool) is None,
                              reason=f"{tool} is not installed (apt package {package}; `make package` installs it)")


@_needs("desktop-file-validate", "desktop-file-utils")
def test_desktop_entry_passes_desktop_file_validate():
    assert recipes.validate_desktop() == []


@pytest.mark.skipif(not (shutil.which("appstreamcli") or shutil.which("appstream-util")),
                    reason="neither appstreamcli (apt package appstream) nor appstream-util is installed")
def test_metainfo_passes_appstream_validation():
    assert recipes.validate_metainfo() == []


@_needs("desktop-file-validate", "desktop-file-utils")
def test_the_validator_catches_a_broken_entry(tmp_path):
    broken = tmp_path / "sensorium.desktop"
    broken.write_text("[Desktop Entry]\nType=Application\nName=Sensorium\nVersion=9.9\n")  # no Exec, bad Version
    assert recipes.validate_desktop(broken)


def test_metainfo_release_id_and_launchable_match():
    assert recipes.metainfo_problems() == []
    assert recipes.metainfo_problems(version="9.9.9") == [
        f"{recipes.METAINFO.name}: the newest release is '{VERSION}', pyproject.toml says '9.9.9'"]


def test_info_plist_parses_and_carries_the_version_and_microphone_text():
    assert recipes.plist_problems() == []
    with recipes.PLIST.open("rb") as f:
        info = plistlib.load(f)
    assert info["CFBundleIdentifier"] == "io.sensorium.Sensorium"
    assert info["CFBundleShortVersionString"] == VERSION
    assert "microphone" in info["NSMicrophoneUsageDescription"]
    assert len(recipes.plist_problems(version="9.9.9")) == 2


def test_the_spec_wraps_the_folder_in_an_app_on_macos():
    spec = (recipes.REPO / "packaging" / "sensorium.spec").read_text()
    darwin = spec[spec.index('if sys.platform == "darwin":\n    with open'):]
    assert "BUNDLE(coll" in darwin and "Info.plist" in darwin and "bundle_identifier" in darwin


def _linux_dist(root):
    """The Linux layout of dist/sensorium: the executable and the _internal folder."""
    app = root / "sensorium"
    (app / "_internal" / "assets").mkdir(parents=True)
    (app / "_internal" / "VERSION").write_text(VERSION)
    (app / "sensorium").write_text("#!/bin/sh\n")
    return app


def test_inno_setup_script_matches_the_version_and_the_dist_layout(tmp_path):
    sources = recipes.iss_sources()
    assert sources == ["..\\..\\dist\\sensorium\\sensorium.exe", "..\\..\\dist\\sensorium\\sensorium-cli.exe",
                       "..\\..\\dist\\sensorium\\_internal\\*"]
    assert recipes.iss_problems(_linux_dist(tmp_path)) == []
    assert recipes.iss_problems(None, version="9.9.9") == [
        f"sensorium.iss: AppVersion is '{VERSION}', pyproject.toml says '9.9.9'"]


def test_inno_setup_check_finds_a_missing_file(tmp_path):
    app = _linux_dist(tmp_path)
    shutil.rmtree(app / "_internal")
    problems = recipes.iss_problems(app)
    assert len(problems) == 1 and "_internal" in problems[0]


def test_the_windows_and_macos_icons_render(tmp_path):
    icons = load("icons")
    from PIL import Image

    svg = recipes.REPO / "assets" / "icons" / "sensorium.svg"
    with Image.open(icons.platform_icon(svg, tmp_path / "sensorium.ico")) as ico:
        assert (256, 256) in ico.info["sizes"] and (16, 16) in ico.info["sizes"]
    with Image.open(icons.platform_icon(svg, tmp_path / "sensorium.icns")) as icns:
        assert icns.size[0] >= 512
