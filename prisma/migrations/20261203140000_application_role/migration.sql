-- Least privilege for the bot and the worker. Migrations (and the seed) run as the database
-- owner; the bot and the worker connect as a login role that is a member of "kaoping_app" (see
-- README "Deployment"). The group role may read and write the operational tables, but on
-- "audit_log" only INSERT and SELECT: no UPDATE, DELETE or TRUNCATE, and — not being the owner —
-- it cannot disable or drop the append-only triggers. It never touches "_prisma_migrations".
--
-- Roles belong to the whole PostgreSQL cluster, so the role is created only when missing (and a
-- concurrent migration of another database creating it first is not an error).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kaoping_app') THEN
        BEGIN
            CREATE ROLE "kaoping_app" NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$;

DO $$
DECLARE
    s TEXT := quote_ident(current_schema());
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %s TO "kaoping_app"', s);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO "kaoping_app"', s);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %s TO "kaoping_app"', s);
    -- tables and sequences of later migrations (created by the same owner) get the same grants
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %s GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "kaoping_app"', s);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %s GRANT USAGE, SELECT ON SEQUENCES TO "kaoping_app"', s);
END
$$;

REVOKE ALL ON TABLE "audit_log" FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE "audit_log" FROM "kaoping_app";
REVOKE ALL ON TABLE "_prisma_migrations" FROM "kaoping_app";
