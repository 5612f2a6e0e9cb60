#!/bin/sh
# `make deb`: builds the Debian package dist/kiosk_<version>_<arch>.deb (docs/deploy.md §1).
#
# The build runs in a clean copy of the tree (build/deb/), so the checkout gets nothing but the
# .deb in dist/: git's files (committed and not, minus what .gitignore leaves out), or without
# git the whole tree minus .venv, dist, build and caches. The build dependencies (debian/control:
# debhelper, dh-virtualenv, Python 3.11's venv) are installed with apt when run as root, or the
# exact apt command is printed. Needs the network for pip (the locked wheels from PyPI).
set -eu

cd "$(dirname "$0")/.."
TOP=$(pwd)
sh scripts/system-deps.sh --build-deb

# The package's version is the changelog's; it must be the program's own (pyproject.toml), or
# that plus a Debian suffix ("0.1.0+1": a packaging-only change).
version=$(dpkg-parsechangelog -S Version)
project=$(sed -n 's/^version *= *"\(.*\)"/\1/p' pyproject.toml | head -n 1)
case "$version" in
    "$project"|"$project"+*) ;;
    *)
        echo "build-deb: debian/changelog says $version, pyproject.toml says $project;" \
            "add a changelog entry (dch -v $project)" >&2
        exit 1
        ;;
esac

STAGE="$TOP/build/deb"
SRC="$STAGE/kiosk-$version"
rm -rf "$STAGE"
mkdir -p "$SRC" dist
sh scripts/copy-tree.sh "$SRC"

echo "build-deb: building kiosk $version in $SRC"
start=$(date +%s)
# The pyenv or venv Python of a developer's shell must not leak into the build: the venv is
# made with /usr/bin/python3.11 explicitly, and PATH puts the system's tools first.
(cd "$SRC" && env -u VIRTUAL_ENV -u PYTHONHOME -u PYTHONPATH \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin nice dpkg-buildpackage -b -us -uc)
arch=$(dpkg-architecture -q DEB_HOST_ARCH)
deb="kiosk_${version}_${arch}.deb"
mv "$STAGE/$deb" dist/
rm -rf "$STAGE"; rmdir build 2>/dev/null || true
echo "build-deb: dist/$deb ($(du -h "dist/$deb" | cut -f1), built in $(( $(date +%s) - start )) s)"
