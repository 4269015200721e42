#!/bin/sh
# Backup, step 2 (restic image, after templates/backup-dump.sh): the dump and /media go off-site as one
# restic snapshot first; expired backups are removed after, so nothing that goes wrong removing them (a lock
# held by a long restore, a full store) costs the night's backup. restic writes a snapshot only after every
# pack of data it references is stored, so an interrupted upload leaves no snapshot: nothing a restore would
# take. Packs already sent are reused by the next run (media is incremental); prune removes what no snapshot
# uses. A lock another run holds is waited for up to RESTIC_LOCK_WAIT (restic --retry-lock, restic 0.16 and
# later; unset: not waited for). A failed removal is reported after the backup is stored: a nightly run
# then exits 3 (the Job shows failed, the backup is there); a restore point's run only warns, since the
# upgrade waiting on it needs the restore point, which is stored.
#
# BACKUP_ROOT holds database.dump and media/ (the /media volume, mounted read-only there).
# RESTIC_REPOSITORY and its credentials come from the environment; BACKUP_TARGET names it for messages.
# BACKUP_KIND nightly, or restore-point with BACKUP_VERSION (the admin-site version about to be replaced).
#
# Retention, by the time in each snapshot's at: tag (UTC): a nightly backup expires RETENTION_DAYS after it
# was taken; a restore point only RETENTION_DAYS after the next restore point was taken (the next upgrade),
# so the newest restore point never expires and the way back across an upgrade is kept for the window.
set -eu

root="${BACKUP_ROOT:?BACKUP_ROOT must be set}"
target="${BACKUP_TARGET:?BACKUP_TARGET must be set}"
retention_days="${RETENTION_DAYS:?RETENTION_DAYS must be set}"
kind="${BACKUP_KIND:-nightly}"
now="${BACKUP_NOW:-$(date -u +%s)}"
stamp="$(date -u -d "@$now" +%Y%m%dT%H%M%SZ)"
cutoff="$(date -u -d "@$((now - retention_days * 86400))" +%Y%m%dT%H%M%SZ)"

fail() { echo "backup: $*" >&2; exit 1; }

case "$kind" in
    nightly) name="nightly-$stamp" ;;
    restore-point) name="pre-upgrade-${BACKUP_VERSION:?BACKUP_VERSION must be set for a restore point}-$stamp" ;;
    *) fail "BACKUP_KIND is '$kind': use nightly or restore-point." ;;
esac
[ -f "$root/database.dump" ] || fail "$root/database.dump is missing: the dump step did not complete."

# The target first: unreachable or unauthorised fails here, loudly and by name. init never overwrites a
# repository (it refuses where one exists), so a first backup makes the repository and no later one can.
# restic retries a failing backend for minutes: TARGET_CHECK_SECONDS bounds each attempt.
check="${TARGET_CHECK_SECONDS:-300}"
if ! timeout "$check" restic cat config >/dev/null 2>"$root/restic.err"; then
    timeout "$check" restic init >/dev/null 2>>"$root/restic.err" \
        || fail "the backup target $target cannot be reached or refuses this tenant: $(tr '\n' ' ' < "$root/restic.err")"
    echo "backup: made the repository at $target"
fi
# A run killed mid-upload leaves its lock behind; restic removes it once stale (its process gone, or 30 minutes old).
restic unlock
wait=
if [ -n "${RESTIC_LOCK_WAIT:-}" ]; then
    wait="--retry-lock=$RESTIC_LOCK_WAIT"
fi

cd "$root"
set -- --tag "$kind" --tag "at:$stamp" --tag "name:$name"
[ "$kind" = nightly ] || set -- "$@" --tag "version:$BACKUP_VERSION"
# lost+found, root's own on an ext4 volume, is unreadable here and no upload; a restore's folders (the one
# under way, the data it replaced) are no part of the tenant's /media.
# shellcheck disable=SC2086 # $wait is one flag or none
restic $wait backup --host tenant --time "$(date -u -d "@$now" "+%Y-%m-%d %H:%M:%S")" --exclude media/lost+found \
    --exclude 'media/.restore-*' --exclude 'media/.before-restore-*' "$@" database.dump media
echo "backup: $name stored at $target"

# shellcheck disable=SC2086
expired="$(restic $wait snapshots --json | jq -r --arg cutoff "$cutoff" '
    def at: [.tags[]? | select(startswith("at:")) | .[3:]] | first;
    ([.[] | select(.tags | index("restore-point")) | {id, at: at}] | sort_by(.at)) as $points
    | ([.[] | select(.tags | index("nightly")) | select(at < $cutoff) | .id]
       + [range(0; ($points | length) - 1) as $i | select($points[$i + 1].at < $cutoff) | $points[$i].id])
    | .[]')" || expired=unreadable
if [ -n "$expired" ]; then
    # shellcheck disable=SC2086 # one snapshot id a word
    if [ "$expired" != unreadable ] && restic $wait forget --prune $expired; then
        echo "backup: removed $(echo "$expired" | wc -l) expired snapshot(s) (nightly older than $retention_days days, restore points superseded more than $retention_days days ago)"
    else
        echo "backup: $name is stored, but removing the expired backups failed (restic's words above): they stay, and the next run tries again. A lock held longer than ${RESTIC_LOCK_WAIT:-no wait}: 'restic list locks' names its holder." >&2
        if [ "$kind" = nightly ]; then
            exit 3
        fi
    fi
fi
