#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d).
# Creates the login role the bot and the worker use. It is a member of "kaoping_app", whose
# grants the migrations define (prisma/migrations/20261203140000_application_role): read and write
# the operational tables, only INSERT and SELECT on audit_log, no DDL. Migrations and the seed run
# as the owner (POSTGRES_USER).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set app_password="$KAOPING_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE kaoping_app NOLOGIN;
CREATE ROLE kaoping_service LOGIN PASSWORD :'app_password' IN ROLE kaoping_app;
SQL
