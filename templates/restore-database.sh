#!/bin/sh
# Restore, step 2 (postgres image, after templates/restore-fetch.sh): load RESTORE_ROOT/database.dump into
# the tenant's database as its owner, in one transaction: all of it, or nothing changed.
#
# Without RESTORE_KEEP_AS (a restore into a fresh tenant) the database must hold no tables. With it, the
# current data stays as it is, only moved aside: the schema public is renamed RESTORE_KEEP_AS and the dump
# loaded into a new public, in the same transaction, so a failed load leaves public as it was.
# With RESTORE_INTO_FRESH=yes (a restore into another tenant), that tenant must not be in use: no PC has
# registered with its admin site (system_pc is empty). With DATABASE_FREE_BYTES (the database volume's free
# bytes), a load that does not fit beside the current data and its WAL is refused before anything changes; so is
# a plain SQL that does not fit beside /media. RESTORE_GROW_HINT, where set, says where to grow a volume.
# The connection comes from the standard libpq variables, never from arguments.
set -eu

root="${RESTORE_ROOT:?RESTORE_ROOT must be set}"
keep="${RESTORE_KEEP_AS:-}"
fail() { echo "restore: $*" >&2; exit 1; }
query() { psql --no-psqlrc --no-align --tuples-only --quiet --no-password --command "$1"; }

[ -f "$root/database.dump" ] || fail "$root/database.dump is missing: the fetch step did not complete."
if [ -z "$keep" ]; then
    tables="$(query "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
    [ "$tables" -eq 0 ] || fail "the database $PGDATABASE already holds $tables tables: a restore goes only into an empty one. Nothing changed."
    pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --no-password --dbname="$PGDATABASE" "$root/database.dump"
    echo "restore: database $PGDATABASE loaded"
    exit 0
fi

case "$keep" in
    *[!a-z0-9_]* | [!a-z]*) fail "RESTORE_KEEP_AS is '$keep': a schema name of lowercase letters, digits and _." ;;
esac
if [ "${RESTORE_INTO_FRESH:-no}" = yes ] && [ "$(query "SELECT to_regclass('public.system_pc') IS NOT NULL")" = t ]; then
    pcs="$(query "SELECT count(*) FROM public.system_pc")"
    [ "$pcs" -eq 0 ] || fail "the database $PGDATABASE is in use ($pcs PCs registered): a restore into another tenant goes only into a fresh one. Nothing changed."
fi
[ "$(query "SELECT count(*) FROM pg_namespace WHERE nspname = '$keep'")" -eq 0 ] \
    || fail "the database $PGDATABASE already has a schema $keep. Nothing changed."
# The whole load is read before anything changes: a dump that breaks off fails here, not halfway through. It is
# read twice: first only measured, so that the plain SQL is written beside /media only where it fits there
# (LoadSpace in the kit: the SQL + MEDIA_HEADROOM_BYTES, against the volume's free bytes).
status="$(mktemp)"
sql="$( { pg_restore --no-owner --no-privileges --exit-on-error --file=- "$root/database.dump"; echo $? > "$status"; } | wc -c)"
read_status="$(cat "$status")"; rm -f "$status"
[ "$read_status" -eq 0 ] || fail "the dump could not be read. Nothing changed."
hint="${RESTORE_GROW_HINT:+ (${RESTORE_GROW_HINT})}"
media_free=$(( $(df -Pk "$root" | awk 'NR == 2 { print $4 }') * 1024 ))
media_need=$((sql + ${MEDIA_HEADROOM_BYTES:-0}))
if [ "$media_need" -gt "$media_free" ]; then
    grow=$(((media_need - media_free + 1073741823) / 1073741824))
    fail "the dump's plain SQL takes $sql bytes, written beside /media for the load; its volume has $media_free bytes free: grow /media by at least $grow GiB$hint, or restore into a new tenant with --into. Nothing changed."
fi
# The load writes a second copy beside the kept schema, and as much again as WAL on the same volume: it must fit
# (LoadSpace in the kit: LOAD_NEED_FACTOR x the SQL + LOAD_HEADROOM_BYTES, against DATABASE_FREE_BYTES the CLI read).
if [ -n "${DATABASE_FREE_BYTES:-}" ]; then
    need=$((sql * ${LOAD_NEED_FACTOR:?} + ${LOAD_HEADROOM_BYTES:?}))
    if [ "$need" -gt "$DATABASE_FREE_BYTES" ]; then
        grow=$(((need - DATABASE_FREE_BYTES + 1073741823) / 1073741824))
        fail "loading $sql bytes of SQL beside the current data needs $need bytes free on the database volume (the data and its WAL), which has $DATABASE_FREE_BYTES: grow the database storage by at least $grow GiB$hint, or restore into a new tenant with --into. Nothing changed."
    fi
fi
pg_restore --no-owner --no-privileges --exit-on-error --file="$root/database.sql" "$root/database.dump" \
    || { rm -f "$root/database.sql"; fail "the dump could not be read. Nothing changed."; }
psql --no-psqlrc --quiet --no-password --single-transaction --set ON_ERROR_STOP=1 --output=/dev/null \
    --command "ALTER SCHEMA public RENAME TO $keep" --command "CREATE SCHEMA public" --file "$root/database.sql" \
    || fail "loading the dump failed and was rolled back: the database $PGDATABASE is as it was."
# Loaded: the dump is no longer needed. The folder goes with it when nothing else is in it (--no-media);
# with /media, restore-media.sh moves the fetched files and removes it.
rm -f "$root/database.sql" "$root/database.dump"
rmdir "$root" 2>/dev/null || :
echo "restore: database $PGDATABASE loaded; its previous data is kept as schema $keep"
