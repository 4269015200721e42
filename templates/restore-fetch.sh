#!/bin/sh
# Restore, step 1 (restic image): fetch one backup from the off-site repository into RESTORE_ROOT, a new
# folder beside the data: database.dump for step 2 (templates/restore-database.sh) and media/ for step 3
# (templates/restore-media.sh). RESTORE_POINT is a backup's name as 'tenant backups' lists it, or 'latest'
# (the newest complete backup). RESTORE_PARTS=media fetches /media only (the database comes from elsewhere);
# RESTORE_PARTS=database the database only (tenant restore --no-media: /media stays as it is).
# MEDIA_DIR is the tenant's /media: it must be empty without RESTORE_KEEP_AS, and with RESTORE_INTO_FRESH=yes
# (a restore into another tenant, which must be one not in use). Refuses, changing nothing, a point that does
# not exist, a target that is not empty, and a volume without room for the parts fetched (RESTORE_GROW_HINT, where
# set, says where to grow it). RESTIC_READ_ONLY=yes (another tenant's repository, in a drill) reads without writing
# restic's lock into it: the drill may only read there.
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
    database) set -- --include /database.dump ;;
    *) fail "RESTORE_PARTS is '$parts': use all, media or database." ;;
esac

lock=
[ "${RESTIC_READ_ONLY:-no}" = yes ] && lock=--no-lock
# shellcheck disable=SC2086 # $lock is one flag or none
snapshots="$(restic $lock snapshots --json)" || fail "the backup target $target cannot be read."
if [ "$point" = latest ]; then
    id="$(printf '%s' "$snapshots" | jq -r '[.[] | select(.tags | index("nightly") or index("restore-point"))] | sort_by(.time) | last | .id // empty')"
else
    id="$(printf '%s' "$snapshots" | jq -r --arg name "name:$point" '[.[] | select(.tags | index($name))] | first | .id // empty')"
fi
[ -n "$id" ] || fail "there is no backup '$point' at $target ('tenant backups <slug>' lists them): nothing restored."

if [ -n "${MEDIA_DIR:-}" ] && { [ -z "${RESTORE_KEEP_AS:-}" ] || [ "${RESTORE_INTO_FRESH:-no}" = yes ]; } && holds "$MEDIA_DIR"; then
    fail "the tenant's /media is not empty: a restore into another tenant goes only into a fresh one ('tenant new'). Nothing restored."
fi
mkdir -p "$root"
if [ "$parts" != database ]; then
    mkdir -p "$root/media"
    if holds "$root/media"; then
        fail "the target /media is not empty: a restore goes only into an empty one (restore into a new tenant with --into). Nothing restored."
    fi
fi

# What is fetched goes beside the data it replaces: the volume needs room for both. Only the parts fetched count
# (--no-media: the dump alone), summed from the snapshot's files; the load's plain SQL is counted by its own step.
case "$parts" in
    all) wanted='.path == "/database.dump" or (.path | startswith("/media/"))' ;;
    media) wanted='.path | startswith("/media/")' ;;
    database) wanted='.path == "/database.dump"' ;;
esac
# shellcheck disable=SC2086
need="$(restic $lock ls --json "$id" | jq -s "[.[] | select(.struct_type == \"node\" and .type == \"file\") | select($wanted) | .size] | add // 0")" \
    || fail "the files of backup '$point' cannot be listed: nothing restored."
free=$(( $(df -Pk "$root" | awk 'NR == 2 { print $4 }') * 1024 ))
if [ "$need" -ge "$free" ]; then
    grow=$(((need - free + 1073741823) / 1073741824))
    fail "the backup's parts to restore ($parts) take $need bytes, the volume of $root (/media) has $free bytes free: grow /media by at least $grow GiB${RESTORE_GROW_HINT:+ (${RESTORE_GROW_HINT})}, or make room. Nothing restored."
fi

# shellcheck disable=SC2086
restic $lock restore "$id" --target "$root" "$@"
echo "restore: fetched $point (snapshot $id) from $target"
