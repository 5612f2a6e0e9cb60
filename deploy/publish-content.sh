#!/bin/sh
# Publish a content folder on this kiosk PC: check it, copy it to a new release folder, and
# switch the kiosk to it in one atomic step. The kiosk notices the switch within a second or
# two and shows the new content; the previous releases stay for a rollback.
#
#   publish-content.sh SOURCE [ROOT]
#
# SOURCE  the new content (a folder rsync or Syncthing filled)
# ROOT    where releases live (default /srv/kiosk): ROOT/releases/<time>/ and the link
#         ROOT/content -> releases/<time>, which kiosk.service shows.
# KIOSK   the kiosk command (default: kiosk on the PATH, /usr/bin/kiosk from the Debian package;
#         else /opt/kiosk/app/.venv/bin/kiosk); KEEP releases to keep (5)
# CHECK_TIMEOUT  seconds a check may take (default 120: 37,000 stories take ~20 s); a check
#         that takes longer is stopped, and the folder is not published
#
# A SOURCE that holds what the release on screen holds (the same files, names and contents) is
# not published again: a daily timer on an unchanged Syncthing folder made a new, identical
# release each morning, and after five of them the KEEP kept for a rollback were all the same.
set -eu

SOURCE=${1:?usage: publish-content.sh SOURCE [ROOT]}
ROOT=${2:-/srv/kiosk}
KIOSK=${KIOSK:-$(command -v kiosk || echo /opt/kiosk/app/.venv/bin/kiosk)}
KEEP=${KEEP:-5}
CHECK_TIMEOUT=${CHECK_TIMEOUT:-120}

# `kiosk check`, never for longer than CHECK_TIMEOUT (then SIGTERM, and SIGKILL 10 s later):
# whatever a folder holds, a publish ends. 124 or 137: it was stopped. The content alone (not
# the centre's own folder, which no publish touches):
# a mistake in this computer's /etc/kiosk/kiosk.yaml must not hold up head office's content.
# Run as root (the Debian package's /srv/kiosk is root's), the check itself runs as the user
# kiosk: it parses files that came from elsewhere and needs no more rights than the kiosk has.
check() {
    status=0
    as_kiosk=""
    if [ "$(id -u)" -eq 0 ] && id kiosk >/dev/null 2>&1; then
        as_kiosk="runuser -u kiosk -- env XDG_CACHE_HOME=/var/cache/kiosk"
    fi
    # shellcheck disable=SC2086
    timeout --kill-after=10 "$CHECK_TIMEOUT" $as_kiosk \
        env KIOSK_MACHINE_SETTINGS= KIOSK_USER_SETTINGS= KIOSK_CENTRE_CONTENT= "$KIOSK" check "$1" || status=$?
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        echo "publish-content: checking $1 took more than $CHECK_TIMEOUT s and was stopped" >&2
    fi
    return "$status"
}

# What a folder holds, as one digest: the names and contents of its files, not their times or
# modes (rsync and Syncthing keep neither alike), dot names left out as the copy leaves them.
content_hash() {
    (cd "$1" && find . -name '.*' ! -name . -prune -o -type f -print0 | LC_ALL=C sort -z |
        xargs -0r sha256sum --) | sha256sum | cut -d' ' -f1
}
HASH_FILE=.content-sha256  # in each release (a dot name: the kiosk does not read it)
hash=$(content_hash "$SOURCE")
if [ -f "$ROOT/content/$HASH_FILE" ] && [ "$(cat "$ROOT/content/$HASH_FILE")" = "$hash" ]; then
    echo "publish-content: $SOURCE holds what $ROOT/content shows ($(readlink "$ROOT/content")): nothing to publish"
    exit 0
fi

# The gate: a folder with errors is never published (warnings are allowed).
if ! check "$SOURCE" >"$ROOT/last-check.txt" 2>&1; then
    echo "publish-content: $SOURCE has errors, nothing published; see $ROOT/last-check.txt" >&2
    exit 1
fi

stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$ROOT/releases"
# A copy of our own: Syncthing or the next rsync may change SOURCE while the kiosk shows it.
# Unchanged files are hard links to the current release, so a release costs only what changed.
# Readable by all, writable by its owner only, whatever modes SOURCE had (the kiosk reads it).
if [ -d "$ROOT/content/" ]; then
    rsync -a --delete --exclude '.*' --chmod=D755,F644 \
        --link-dest="$(readlink -f "$ROOT/content")" "$SOURCE/" "$ROOT/releases/.$stamp/"
else
    rsync -a --delete --exclude '.*' --chmod=D755,F644 "$SOURCE/" "$ROOT/releases/.$stamp/"
fi
echo "$hash" >"$ROOT/releases/.$stamp/$HASH_FILE"
mv "$ROOT/releases/.$stamp" "$ROOT/releases/$stamp"

# Check the copy too (a disk that filled up during the copy is caught here).
check "$ROOT/releases/$stamp" >/dev/null 2>&1 || {
    echo "publish-content: the copy in $ROOT/releases/$stamp fails the check; not switched" >&2
    rm -rf "$ROOT/releases/$stamp"
    exit 1
}

# The atomic switch: a new link under a temporary name, renamed over the old one.
ln -sfn "releases/$stamp" "$ROOT/content.new"
mv -T "$ROOT/content.new" "$ROOT/content"
echo "publish-content: the kiosk now shows $ROOT/releases/$stamp"

# Keep the newest KEEP releases.
ls -1d "$ROOT"/releases/[0-9]* 2>/dev/null | sort | head -n "-$KEEP" | while read -r old; do
    rm -rf "$old"
done
