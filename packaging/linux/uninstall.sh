#!/bin/sh
# Remove what install.sh put under PREFIX (the installed copy, PREFIX/lib/sensorium/uninstall.sh, knows
# its own; otherwise ~/.local unless PREFIX is given; DESTDIR as for install.sh). Settings,
# conversations and downloaded models are the user's and stay: ~/.config/sensorium,
# ~/.local/share/sensorium and ~/.cache/sensorium (delete those folders to remove them too).
set -eu

DESTDIR=${DESTDIR:-}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -n "${PREFIX:-}" ]; then
    ROOT="$DESTDIR$PREFIX"
elif [ "${HERE%/lib/sensorium}" != "$HERE" ]; then  # run from the installed copy: its own prefix
    ROOT="${HERE%/lib/sensorium}"
else
    ROOT="$DESTDIR$HOME/.local"
fi

if [ ! -x "$ROOT/lib/sensorium/sensorium" ]; then
    echo "uninstall.sh: Sensorium is not installed in $ROOT/lib/sensorium" >&2
    exit 1
fi
if [ -L "$ROOT/bin/sensorium" ]; then
    case "$(readlink "$ROOT/bin/sensorium")" in
        */lib/sensorium/sensorium) rm -f "$ROOT/bin/sensorium" ;;
    esac
fi
rm -f "$ROOT/share/applications/sensorium.desktop" "$ROOT/share/metainfo/io.sensorium.Sensorium.metainfo.xml"
for size in 16 22 24 32 48 64 128 256 512; do
    rm -f "$ROOT/share/icons/hicolor/${size}x${size}/apps/sensorium.png"
done
rm -f "$ROOT/share/icons/hicolor/scalable/apps/sensorium.svg"
rm -rf "$ROOT/lib/sensorium"

if [ -z "$DESTDIR" ]; then
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$ROOT/share/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f "$ROOT/share/icons/hicolor" || true
fi
echo "Sensorium removed from $ROOT (your settings, history and models are still in ~/.config/sensorium,"
echo "~/.local/share/sensorium and ~/.cache/sensorium)"
