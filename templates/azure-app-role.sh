#!/bin/sh
# Azure tenants: makes the admin site's own database role and hands it the app's database. Runs as a Job on
# `pulumi up`, signed in as the server's Microsoft Entra administrator with a short-lived access token (a
# workload identity), so the server administrator's password never reaches a pod. The role logs in with the
# app's own password (from the app's Secret); it is no superuser and creates no role and no database.
# Idempotent: every run leaves the same role, attributes, password and ownership.
# Environment: PGHOST, PGUSER (the Entra administrator's name), PGSSLMODE and PGSSLROOTCERT (verify-full), ACCESS_TOKEN_FILE, APP_DB_USER, APP_DB_NAME,
# APP_DB_PASSWORD.
set -eu
PGPASSWORD=$(cat "$ACCESS_TOKEN_FILE")
export PGPASSWORD
# Names and the password travel as psql variables read from the environment (\getenv, psql 15+): never on a
# command line, never spliced into SQL text (:'x' quotes a literal, :"x" an identifier).
psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --dbname postgres <<'SQL'
\getenv app_user APP_DB_USER
\getenv app_db APP_DB_NAME
\getenv app_password APP_DB_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'app_user')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \gexec
ALTER ROLE :"app_user" WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
-- An administrator that is no superuser cannot take SUPERUSER, REPLICATION or BYPASSRLS away (nor give them):
-- a role that has any of them, or is an administrator, is refused rather than handed the database.
SELECT format('DO $refuse$ BEGIN RAISE EXCEPTION %L; END $refuse$',
              format('role %s has administrator rights; the admin site must not log in as it', rolname))
  FROM pg_roles r
 WHERE rolname = :'app_user'
   AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls
        OR EXISTS (SELECT FROM pg_roles g WHERE g.rolname = 'azure_pg_admin' AND pg_has_role(r.oid, g.oid, 'MEMBER'))) \gexec
-- Handing a database to a role takes membership in it (PostgreSQL 16: the right to SET ROLE to it).
SELECT format('GRANT %I TO CURRENT_USER', :'app_user')
 WHERE NOT pg_has_role(current_user, :'app_user', 'MEMBER') \gexec
ALTER DATABASE :"app_db" OWNER TO :"app_user";
REVOKE ALL ON DATABASE :"app_db" FROM PUBLIC;
SQL
