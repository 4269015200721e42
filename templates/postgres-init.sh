#!/bin/sh
# Runs once, when the in-cluster PostgreSQL initialises an empty data directory: creates the admin
# site's login (not a superuser) and its database, owned by it. Passwords come from the environment.
set -eu
psql -v ON_ERROR_STOP=1 --no-password --username "$POSTGRES_USER" --dbname postgres \
    --set=app_user="$APP_DB_USER" --set=app_db="$APP_DB_NAME" --set=app_password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE :"app_user" LOGIN PASSWORD :'app_password';
CREATE DATABASE :"app_db" OWNER :"app_user";
REVOKE ALL ON DATABASE :"app_db" FROM PUBLIC;
SQL
