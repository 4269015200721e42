#!/bin/sh
# Nightly backup of one tenant: a pg_dump of its database and an archive of /media, written to the
# backup volume, then every backup older than the retention removed. Runs in the tenant's backup
# CronJob; the connection comes from the standard libpq variables (PGHOST, PGPORT, PGDATABASE,
# PGUSER, PGPASSWORD), never from arguments, so no secret shows in a process list or log.
set -eu

backup_dir="${BACKUP_DIR:-/backups}"
media_dir="${MEDIA_DIR:-/media}"
retention_days="${RETENTION_DAYS:?RETENTION_DAYS must be set}"
now="${BACKUP_NOW:-$(date -u +%s)}"
stamp="$(date -u -d "@$now" +%Y%m%dT%H%M%SZ)"

mkdir -p "$backup_dir"

# Write under a temporary name and rename when complete: a half-written file is never taken for a backup.
# A failed run removes its half-written file; retention only sees complete backups and would keep it forever.
trap 'rm -f -- "$backup_dir/db-$stamp.dump.partial" "$backup_dir/media-$stamp.tar.gz.partial"' EXIT
pg_dump --format=custom --no-password --file="$backup_dir/db-$stamp.dump.partial"
mv "$backup_dir/db-$stamp.dump.partial" "$backup_dir/db-$stamp.dump"
echo "database dump: db-$stamp.dump ($(wc -c < "$backup_dir/db-$stamp.dump") bytes)"

if [ -d "$media_dir" ]; then
    # GNU tar exits 1 when a file changed while it was read (an upload in progress): the archive is
    # still good, and failing the whole backup over it would lose the night's dump status.
    # lost+found, root's own on an ext4 volume, is unreadable here and no upload.
    tar -C "$media_dir" --exclude=./lost+found -czf "$backup_dir/media-$stamp.tar.gz.partial" . || [ $? -eq 1 ]
    mv "$backup_dir/media-$stamp.tar.gz.partial" "$backup_dir/media-$stamp.tar.gz"
    echo "media archive: media-$stamp.tar.gz"
fi

# Retention by the time in the file name, not the file's mtime (copies and restores change mtimes).
cutoff="$(date -u -d "@$((now - retention_days * 86400))" +%Y%m%dT%H%M%SZ)"
for file in "$backup_dir"/db-*.dump "$backup_dir"/media-*.tar.gz; do
    [ -e "$file" ] || continue
    name="$(basename "$file")"
    taken="${name#*-}"
    taken="${taken%%.*}"
    if [ "$taken" \< "$cutoff" ]; then
        rm -f -- "$file"
        echo "removed $name (older than $retention_days days)"
    fi
done
