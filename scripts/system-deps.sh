#!/bin/sh
# Installs what a fresh Debian/Ubuntu machine lacks to run the kiosk: Python's venv, the
# system libraries Qt needs (offscreen, on a real X11/XCB screen and under a Wayland
# compositor: its wayland platform plugin loads libwayland-client, -cursor and -egl) and
# libmpv2, the video player (docs/video.md; loaded only when content has a clip). With --tests,
# only what the test suite needs besides: Xvfb and xdotool, for tests/ui/test_xvfb.py (the real
# kiosk on a real X server); cage (with xwayland, without which Debian 12's cage 0.1.4 does not
# start) and grim, for tests/ui/test_wayland.py (the real kiosk under the Wayland compositor
# of the kiosk's session, and a screenshot of it); Xephyr and xrandr, for tests/ui/test_rotation.py
# (an X screen turned under the running kiosk); ffmpeg, which makes the tests' small
# video clips; and chromium, the real browser Playwright drives in tests/editor/test_browser.py
# (/usr/bin/chromium: Playwright never downloads a browser). bench/versus_chromium.py (`make
# bench`) needs Xvfb and chromium from this list too, nothing more (`make test` asks for them, a
# kiosk does not need them). As root it
# installs them with apt; otherwise it prints the exact command to run and stops. With
# --build-deb: what `make deb` needs to build the package (debian/control's Build-Depends).
set -eu

PYTHON=${PYTHON:-python3}
PACKAGES="libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 libx11-xcb1
libwayland-client0 libwayland-cursor0 libwayland-egl1 libmpv2"
TESTS=no
what="The kiosk needs"
again="make again"
if [ "${1:-}" = "--tests" ]; then
    TESTS=yes
    what="The tests need"
    PACKAGES="xvfb xdotool cage xwayland grim xserver-xephyr x11-xserver-utils ffmpeg chromium"
elif [ "${1:-}" = "--build-deb" ]; then
    # `make deb` (scripts/build-deb.sh): debian/control's Build-Depends.
    TESTS=build
    what="Building the package needs"
    again="make deb again"
    PACKAGES="build-essential dpkg-dev debhelper dh-virtualenv python3.11 python3.11-venv"
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    if [ "$TESTS" = build ]; then
        echo "system-deps: not a Debian system: build the package on Debian 12 (or in make test-deb)" >&2
        exit 1
    elif [ "$TESTS" = yes ]; then
        echo "system-deps: not a Debian/Ubuntu system; install Xvfb, xdotool, cage, Xwayland, grim, Xephyr, xrandr, ffmpeg and Chromium yourself." >&2
    else
        echo "system-deps: not a Debian/Ubuntu system; install Qt 6's runtime libraries and libmpv yourself." >&2
    fi
    exit 0
fi

missing=""
if [ "$TESTS" = no ] && ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
    missing="python3-venv"
fi
for package in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $package" ;;
    esac
done
missing=$(echo "$missing" | xargs)
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "system-deps: installing $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "$what these system packages. Install them, then run $again:" >&2
    echo "  sudo apt-get install -y --no-install-recommends $missing" >&2
    exit 1
fi
