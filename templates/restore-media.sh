#!/bin/sh
# Restore, step 3 (after templates/restore-database.sh succeeded): put the fetched media (RESTORE_ROOT/media,
# on the /media volume) in place as MEDIA_DIR's contents. With RESTORE_KEEP_AS, what /media held is moved
# aside first, into MEDIA_DIR/.before-restore-<RESTORE_KEEP_AS> (kept; the media server does not serve
# dot-folders and the backup leaves it out); without, /media must be empty. Renames on one volume only: no
# file is copied or overwritten.
set -eu

root="${RESTORE_ROOT:?RESTORE_ROOT must be set}"
media="${MEDIA_DIR:?MEDIA_DIR must be set}"
keep="${RESTORE_KEEP_AS:-}"
fail() { echo "restore: $*" >&2; exit 1; }
# The entries of a folder, besides lost+found and the kit's own restore folders.
entries() { dir="$1"; shift; find "$dir" -mindepth 1 -maxdepth 1 ! -name lost+found ! -name '.restore-*' ! -name '.before-restore-*' "$@"; }

[ -d "$root/media" ] || fail "$root/media is missing: the fetch step did not complete."
if [ -n "$keep" ]; then
    aside="$media/.before-restore-$keep"
    [ ! -e "$aside" ] || fail "$aside exists already. Nothing moved."
    mkdir "$aside"
    entries "$media" -exec mv --no-clobber --target-directory="$aside" -- {} + \
        || fail "moving the current /media aside into $aside stopped; what moved is there, the rest in place."
elif [ -n "$(entries "$media")" ]; then
    fail "$media is not empty: a restore into another tenant goes only into a fresh one. Nothing moved."
fi
find "$root/media" -mindepth 1 -maxdepth 1 -exec mv --no-clobber --target-directory="$media" -- {} + \
    || fail "moving the restored files from $root/media into $media stopped; the rest is still in $root/media."
[ -z "$(find "$root/media" -mindepth 1 -maxdepth 1)" ] \
    || fail "$media already held some of the restored names; they are left in $root/media, nothing overwritten."
rm -rf "$root"
echo "restore: /media restored${keep:+; its previous files are kept in $aside}"
