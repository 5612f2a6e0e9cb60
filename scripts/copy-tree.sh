#!/bin/sh
# Copies the source tree into DEST as a build sees it: git's files, committed or not, minus what
# .gitignore leaves out; without git, the whole tree minus the venv, builds, caches and outputs.
# Used by scripts/build-deb.sh (its clean build copy) and scripts/test-deb.sh (the tree in the
# throw-away root).
set -eu
dest=$1
cd "$(dirname "$0")/.."
mkdir -p "$dest"
if [ -d .git ] && command -v git >/dev/null 2>&1; then
    # shellcheck disable=SC2016
    git ls-files -z --cached --others --exclude-standard \
        | xargs -0 sh -c 'for f; do [ -e "$f" ] || [ -L "$f" ] && printf "%s\0" "$f"; done' sh \
        | tar -c --null -T - -f - | tar -x -C "$dest" -f -
else
    tar -c --exclude=./.venv --exclude=./dist --exclude=./build --exclude=./.git \
        --exclude=./preview --exclude=./mutants --exclude='__pycache__' --exclude='.*_cache' \
        -f - . | tar -x -C "$dest" -f -
fi
