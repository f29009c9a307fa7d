#!/bin/sh
# Install Sensorium from this unpacked tarball, for the current user:
#   ./install.sh                       -> ~/.local (the app in ~/.local/lib/sensorium)
#   PREFIX=/opt/sensorium ./install.sh -> another prefix
#   DESTDIR=/tmp/stage ./install.sh    -> a staged install: files under /tmp/stage$PREFIX, paths as $PREFIX
# Installs: PREFIX/lib/sensorium (the app), PREFIX/bin/sensorium (a symlink), the .desktop entry in
# PREFIX/share/applications, icons in PREFIX/share/icons/hicolor, AppStream metainfo in
# PREFIX/share/metainfo. PREFIX/lib/sensorium/uninstall.sh removes them again.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-"$HOME/.local"}
DESTDIR=${DESTDIR:-}
ROOT="$DESTDIR$PREFIX"
APP="$ROOT/lib/sensorium"
DESKTOP=sensorium.desktop
METAINFO=io.sensorium.Sensorium.metainfo.xml

[ -x "$HERE/sensorium/sensorium" ] || { echo "install.sh: $HERE/sensorium/sensorium is missing: unpack the whole tarball" >&2; exit 1; }
case "$PREFIX" in /*) ;; *) echo "install.sh: PREFIX must be an absolute path, not '$PREFIX'" >&2; exit 1;; esac

echo "installing Sensorium $(cat "$HERE/VERSION") into $ROOT"
mkdir -p "$ROOT/lib" "$ROOT/bin" "$ROOT/share/applications" "$ROOT/share/metainfo" "$ROOT/share/icons"
# the new copy goes beside the old one first, so a failed copy leaves the installed app as it was
rm -rf "$APP.new"
cp -a "$HERE/sensorium" "$APP.new"
cp "$HERE/uninstall.sh" "$HERE/VERSION" "$APP.new/"
chmod +x "$APP.new/uninstall.sh"
rm -rf "$APP"
mv "$APP.new" "$APP"

if [ -e "$ROOT/bin/sensorium" ] && [ ! -L "$ROOT/bin/sensorium" ]; then
    echo "install.sh: $ROOT/bin/sensorium exists and is not a symlink: left as it is" >&2
else
    ln -sfn "$PREFIX/lib/sensorium/sensorium" "$ROOT/bin/sensorium"
fi
# the desktop session may not have PREFIX/bin on its PATH: the entry names the program by its full path
sed "s|^Exec=sensorium|Exec=$PREFIX/bin/sensorium|" "$HERE/share/applications/$DESKTOP" > "$ROOT/share/applications/$DESKTOP"
cp "$HERE/share/metainfo/$METAINFO" "$ROOT/share/metainfo/$METAINFO"
cp -R "$HERE/share/icons/hicolor" "$ROOT/share/icons/"

if [ -z "$DESTDIR" ]; then  # refresh the menus' caches (optional tools)
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$ROOT/share/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f "$ROOT/share/icons/hicolor" || true
fi

echo "installed: $PREFIX/bin/sensorium -> $PREFIX/lib/sensorium/sensorium, $PREFIX/share/applications/$DESKTOP,"
echo "           $PREFIX/share/icons/hicolor/*/apps/sensorium.*, $PREFIX/share/metainfo/$METAINFO"
echo "check it:  $PREFIX/bin/sensorium --self-test      uninstall: $PREFIX/lib/sensorium/uninstall.sh"
case ":${PATH:-}:" in
    *":$PREFIX/bin:"*) ;;
    *) echo "note: $PREFIX/bin is not on your PATH; add it to run 'sensorium' from a terminal" ;;
esac
