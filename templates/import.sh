#!/bin/bash
# Imports an existing OS2BorgerPC installation into one tenant: a pg_dump of its database (custom format
# or plain SQL) and a .tar.gz of its /media folder, which `tenant import` uploaded to its staging volume.
# Runs in the tenant's one-off import Job (bash: the postgres image's). The connection comes from the
# standard libpq variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD), never from arguments, and
# psql reports errors tersely, without the rows they concern: no secret reaches the log.
#
# Everything goes to stdout and to IMPORT_LOG on the staging volume. Lines starting with "report: " are
# read by the CLI. Exit status: 0 imported; 2 refused, nothing changed; anything else failed (a failed
# database restore is rolled back).
set -euo pipefail

staging="${IMPORT_STAGING_DIR:?IMPORT_STAGING_DIR must be set}"
dump="${IMPORT_DUMP:?IMPORT_DUMP must be set}"
archive="${IMPORT_MEDIA_ARCHIVE:?IMPORT_MEDIA_ARCHIVE must be set}"
strip="${IMPORT_MEDIA_STRIP_COMPONENTS:-0}"
replace="${IMPORT_REPLACE:-no}"
log="${IMPORT_LOG:?IMPORT_LOG must be set}"
media_dir="${MEDIA_DIR:?MEDIA_DIR must be set}"
report_tables="${IMPORT_REPORT_TABLES:-}"

# Everything the import creates belongs to the app's group (the volumes' fsGroup), which reads and writes it.
umask 0007

refuse() {
    echo "refused: $*"
    echo "nothing was changed"
    exit 2
}

sql() {
    psql --no-psqlrc --no-password --quiet --tuples-only --no-align \
        --set=ON_ERROR_STOP=1 --set=VERBOSITY=terse --set=SHOW_CONTEXT=never "$@"
}

dump_format() {
    if [ "$(head -c 5 -- "$dump")" = "PGDMP" ]; then
        echo custom
    elif [ "$(head -n 2 -- "$dump" | tr -d '\r')" = "$(printf -- '--\n-- PostgreSQL database dump')" ]; then
        echo plain
    else
        echo none
    fi
}

# Tables, views and sequences in the public schema, where Django keeps everything.
relations_sql="SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"

# With --replace: drop what the public schema holds, in the same transaction as the restore.
clear_sql="SET client_min_messages = warning;
DO \$\$
DECLARE item record;
BEGIN
    FOR item IN
        SELECT c.relname, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
            WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
        ORDER BY c.relkind IN ('r', 'p') DESC
    LOOP
        EXECUTE format('DROP %s IF EXISTS public.%I CASCADE', item.kind, item.relname);
    END LOOP;
END
\$\$;"

# The dump as SQL for this database. Left out: the old server's owners and grants (the app's login owns
# what it restores), the public schema's comment (only its owner may set it) and transaction_timeout
# (pg_dump 17 writes it, older servers reject it; 0 is its default). Carriage returns go: a dump taken
# through `docker compose exec` with a terminal has CRLF line ends. COPY data passes unchanged.
portable_sql() {
    awk '
        { sub(/\r$/, "") }
        in_copy { print; if ($0 == "\\.") in_copy = 0; next }
        /^COPY .* FROM stdin;$/ { in_copy = 1; print; next }
        /^ALTER [A-Z ]+ .* OWNER TO .*;$/ { next }
        /^ALTER DEFAULT PRIVILEGES / { next }
        /^(GRANT|REVOKE) / { next }
        /^COMMENT ON SCHEMA public IS / { next }
        /^SET transaction_timeout = / { next }
        { print }
    '
}

dump_sql() {
    if [ "$format" = custom ]; then
        pg_restore --no-owner --no-privileges --file=- -- "$dump"
    else
        cat -- "$dump"
    fi
}

# One transaction; COMMIT is sent only once the whole dump has been read, so a dump that breaks off
# midway leaves the database as it was (the server rolls back an open transaction when psql exits).
restore() {
    {
        echo "BEGIN;"
        if [ "$replace" = yes ]; then
            printf '%s\n' "$clear_sql"
        fi
        # Not set -e: this runs as a condition, where bash ignores it.
        dump_sql | portable_sql || exit 1
        echo "COMMIT;"
    } | sql --file=- >/dev/null
}

main() {
    trap 'rm -f -- "$dump" "$archive"; rmdir -- "$staging" 2>/dev/null || true' EXIT
    echo "import into database $PGDATABASE on $PGHOST:${PGPORT:-5432} as $PGUSER, /media at $media_dir (replace: $replace)"

    [ -f "$dump" ] || refuse "the dump $dump is missing"
    format="$(dump_format)"
    [ "$format" != none ] || refuse "$(basename -- "$dump") is not a PostgreSQL dump (neither pg_dump's custom format nor plain SQL)"
    if [ "$format" = plain ] && ! tail -c 4096 -- "$dump" | tr -d '\r' | grep -x -- '-- PostgreSQL database dump complete' >/dev/null; then
        refuse "$(basename -- "$dump") is incomplete: it does not end with pg_dump's closing line"
    fi
    if [ "$format" = custom ]; then
        pg_restore --list -- "$dump" >/dev/null || refuse "$(basename -- "$dump") cannot be read by this pg_restore ($(pg_restore --version))"
    fi
    echo "dump: $(basename -- "$dump"), $format format, $(wc -c <"$dump") bytes"

    [ -f "$archive" ] || refuse "the media archive $archive is missing"
    tar -tzf "$archive" >/dev/null || refuse "$(basename -- "$archive") is not a readable .tar.gz archive"
    echo "media archive: $(basename -- "$archive"), $(wc -c <"$archive") bytes"

    relations="$(sql --command "$relations_sql")" || { echo "failed: cannot reach the database"; exit 1; }
    if [ "$relations" -gt 0 ] && [ "$replace" != yes ]; then
        refuse "the database is not empty: its public schema holds $relations tables, views or sequences (an admin site that has started once has created its schema). Import with --replace to replace it; a backup is taken first"
    fi

    if ! restore; then
        echo "failed: the database restore stopped at the error above and was rolled back; the database is as it was"
        exit 1
    fi
    echo "database restored"

    # lost+found, root's own on an ext4 volume, is neither media nor ours to touch.
    if [ "$replace" = yes ]; then
        find "$media_dir" -mindepth 1 -maxdepth 1 ! -name lost+found -exec rm -rf -- {} +
        echo "previous /media contents removed (the backup taken before the import holds them)"
    fi
    tar -xzf "$archive" -C "$media_dir" --strip-components="$strip" --exclude=lost+found --no-same-owner --no-same-permissions
    echo "media extracted"

    for table in $report_tables; do
        case "$table" in *[!a-z0-9_]*) continue ;; esac
        if [ "$(sql --command "SELECT to_regclass('public.$table') IS NOT NULL")" = t ]; then
            echo "report: table $table $(sql --command "SELECT count(*) FROM public.$table")"
        else
            echo "report: table $table absent"
        fi
    done
    echo "report: media-files $(find "$media_dir" -path "$media_dir/lost+found" -prune -o -type f -print | wc -l)"
    echo "imported"
}

mkdir -p -- "$(dirname -- "$log")"
status=0
main 2>&1 | tee -a -- "$log" || status=$?
exit "$status"
