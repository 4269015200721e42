#!/bin/sh
# Restore, step 2 (postgres image, after templates/restore-fetch.sh): load RESTORE_ROOT/database.dump into
# the target database, in one transaction, as its owner. Refuses a database that already holds tables.
# The connection comes from the standard libpq variables, never from arguments.
set -eu

root="${RESTORE_ROOT:?RESTORE_ROOT must be set}"
fail() { echo "restore: $*" >&2; exit 1; }

[ -f "$root/database.dump" ] || fail "$root/database.dump is missing: the fetch step did not complete."
tables="$(psql --no-psqlrc --no-align --tuples-only --quiet --no-password \
    --command "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
[ "$tables" -eq 0 ] || fail "the database $PGDATABASE already holds $tables tables: a restore goes only into an empty one. Nothing changed."

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --no-password --dbname="$PGDATABASE" "$root/database.dump"
echo "restore: database $PGDATABASE loaded"
