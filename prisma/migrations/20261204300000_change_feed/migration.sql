-- The change feed (prisma/change-feed.ts): every process learns of committed changes by LISTEN
-- instead of asking on every request. Triggers, not application code, send the notifications, so
-- every writer — the bot, the worker, a migration, a script — is covered. NOTIFY is delivered at
-- commit, in commit order, and only to sessions that were listening: a listener that (re)connects
-- reads the current state once and then follows the notifications.

-- "kaoping_ledger": a year's ledger version moved (payload: {"r": rulebook, "y": year, "v": version}).
CREATE FUNCTION "kaoping_notify_ledger"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('kaoping_ledger',
        json_build_object('r', NEW.rulebook_id, 'y', NEW.year, 'v', NEW.version::text)::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER "ledger_version_notify"
    AFTER INSERT OR UPDATE OF "version" ON "ledger_version"
    FOR EACH ROW EXECUTE FUNCTION "kaoping_notify_ledger"();

-- "kaoping_directory": members, their identities or channel bindings changed (payload: the table).
-- "kaoping_published": month states, snapshots, publications or tie-breaks changed (payload: the table).
CREATE FUNCTION "kaoping_notify_table"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER "member_notify" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "member"
    FOR EACH STATEMENT EXECUTE FUNCTION "kaoping_notify_table"('kaoping_directory');
CREATE TRIGGER "member_identity_notify" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "member_identity"
    FOR EACH STATEMENT EXECUTE FUNCTION "kaoping_notify_table"('kaoping_directory');
CREATE TRIGGER "channel_binding_notify" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "channel_binding"
    FOR EACH STATEMENT EXECUTE FUNCTION "kaoping_notify_table"('kaoping_directory');
CREATE TRIGGER "assessment_month_notify" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "assessment_month"
    FOR EACH STATEMENT EXECUTE FUNCTION "kaoping_notify_table"('kaoping_published');
CREATE TRIGGER "standing_snapshot_notify" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "standing_snapshot"
    FOR EACH STATEMENT EXECUTE FUNCTION "kaoping_notify_table"('kaoping_published');
CREATE TRIGGER "publication_notify" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "publication"
    FOR EACH STATEMENT EXECUTE FUNCTION "kaoping_notify_table"('kaoping_published');
CREATE TRIGGER "tie_break_notify" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tie_break"
    FOR EACH STATEMENT EXECUTE FUNCTION "kaoping_notify_table"('kaoping_published');
