#!/bin/sh
# Backup, step 1 (postgres image, the backup pod's init container): a pg_dump of the tenant's database into
# the pod's scratch folder BACKUP_ROOT, which step 2 (templates/backup.sh) uploads off-site with /media.
# First checks the folder has room: the dump is written to <name>.partial and renamed when complete, so a
# full or interrupted dump never looks like one. The connection comes from the standard libpq variables
# (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD), never from arguments.
set -eu

root="${BACKUP_ROOT:?BACKUP_ROOT must be set}"
limit="${SCRATCH_LIMIT_BYTES:?SCRATCH_LIMIT_BYTES must be set}"
# A point-in-time restore without /media dumps into a folder no fetch made.
mkdir -p "$root"

# The database's size on disk bounds its custom-format (compressed) dump from above.
need="$(psql --no-psqlrc --no-align --tuples-only --quiet --no-password --command 'SELECT pg_database_size(current_database())')"
free_kib="$(df -Pk "$root" | awk 'NR == 2 { print $4 }')"
free=$((free_kib * 1024))
# An emptyDir's sizeLimit is enforced by eviction, not by df: check both.
[ "$free" -lt "$limit" ] || free="$limit"
if [ "$need" -gt "$free" ]; then
    echo "backup: the scratch folder $root has $free bytes free, the database takes $need bytes: nothing dumped. Raise the tier's database storage (the scratch limit follows it)." >&2
    exit 1
fi

trap 'rm -f -- "$root/database.dump.partial"' EXIT
# The data a restore replaced and kept (schemas before_restore_*) is not the tenant's data: it stays out.
pg_dump --format=custom --no-password --exclude-schema='before_restore_*' --file="$root/database.dump.partial"
mv -- "$root/database.dump.partial" "$root/database.dump"
echo "backup: database dumped ($(wc -c < "$root/database.dump") bytes; $need bytes on disk)"
