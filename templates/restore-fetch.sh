#!/bin/sh
# Restore, step 1 (restic image): fetch one backup from the off-site repository into RESTORE_ROOT:
# database.dump for step 2 (templates/restore-database.sh) and media/ (the target /media volume, mounted
# there). RESTORE_POINT is a backup's name as 'tenant backups' lists it, or 'latest' (the newest complete
# backup). Refuses, changing nothing, a point that does not exist and a /media that is not empty.
set -eu

root="${RESTORE_ROOT:?RESTORE_ROOT must be set}"
target="${BACKUP_TARGET:?BACKUP_TARGET must be set}"
point="${RESTORE_POINT:?RESTORE_POINT must be set}"

fail() { echo "restore: $*" >&2; exit 1; }

snapshots="$(restic snapshots --json)" || fail "the backup target $target cannot be read."
if [ "$point" = latest ]; then
    id="$(printf '%s' "$snapshots" | jq -r '[.[] | select(.tags | index("nightly") or index("restore-point"))] | sort_by(.time) | last | .id // empty')"
else
    id="$(printf '%s' "$snapshots" | jq -r --arg name "name:$point" '[.[] | select(.tags | index($name))] | first | .id // empty')"
fi
[ -n "$id" ] || fail "there is no backup '$point' at $target ('tenant backups <slug>' lists them): nothing restored."

mkdir -p "$root/media"
if [ -n "$(ls -A "$root/media" | grep -v '^lost+found$' || true)" ]; then
    fail "the target /media is not empty: a restore goes only into an empty one (restore into a new tenant with --into). Nothing restored."
fi

restic restore "$id" --target "$root" --include /database.dump --include /media
echo "restore: fetched $point (snapshot $id) from $target"
