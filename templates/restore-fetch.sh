#!/bin/sh
# Restore, step 1 (restic image): fetch one backup from the off-site repository into RESTORE_ROOT, a new
# folder beside the data: database.dump for step 2 (templates/restore-database.sh) and media/ for step 3
# (templates/restore-media.sh). RESTORE_POINT is a backup's name as 'tenant backups' lists it, or 'latest'
# (the newest complete backup). RESTORE_PARTS=media fetches /media only (the database comes from elsewhere).
# MEDIA_DIR is the tenant's /media: without RESTORE_KEEP_AS (a restore into a fresh tenant) it must be
# empty. Refuses, changing nothing, a point that does not exist and a target that is not empty.
set -eu

root="${RESTORE_ROOT:?RESTORE_ROOT must be set}"
target="${BACKUP_TARGET:?BACKUP_TARGET must be set}"
point="${RESTORE_POINT:?RESTORE_POINT must be set}"
parts="${RESTORE_PARTS:-all}"

fail() { echo "restore: $*" >&2; exit 1; }
# What a folder holds, besides lost+found (root's own on ext4) and the kit's own restore folders.
holds() { [ -n "$(find "$1" -mindepth 1 -maxdepth 1 ! -name lost+found ! -name '.restore-*' ! -name '.before-restore-*')" ]; }

case "$parts" in
    all) set -- --include /database.dump --include /media ;;
    media) set -- --include /media ;;
    *) fail "RESTORE_PARTS is '$parts': use all or media." ;;
esac

snapshots="$(restic snapshots --json)" || fail "the backup target $target cannot be read."
if [ "$point" = latest ]; then
    id="$(printf '%s' "$snapshots" | jq -r '[.[] | select(.tags | index("nightly") or index("restore-point"))] | sort_by(.time) | last | .id // empty')"
else
    id="$(printf '%s' "$snapshots" | jq -r --arg name "name:$point" '[.[] | select(.tags | index($name))] | first | .id // empty')"
fi
[ -n "$id" ] || fail "there is no backup '$point' at $target ('tenant backups <slug>' lists them): nothing restored."

if [ -n "${MEDIA_DIR:-}" ] && [ -z "${RESTORE_KEEP_AS:-}" ] && holds "$MEDIA_DIR"; then
    fail "the tenant's /media is not empty: a restore into another tenant goes only into a fresh one ('tenant new'). Nothing restored."
fi
mkdir -p "$root/media"
if holds "$root/media"; then
    fail "the target /media is not empty: a restore goes only into an empty one (restore into a new tenant with --into). Nothing restored."
fi

restic restore "$id" --target "$root" "$@"
echo "restore: fetched $point (snapshot $id) from $target"
