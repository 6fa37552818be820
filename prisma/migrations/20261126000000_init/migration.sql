-- CreateEnum
CREATE TYPE "Role" AS ENUM ('organiser', 'inspector', 'unit_contact');

-- CreateEnum
CREATE TYPE "FindingStatus" AS ENUM ('filed', 'submitted', 'verified', 'withdrawn');

-- CreateEnum
CREATE TYPE "RectificationEventKind" AS ENUM ('submitted', 'verified', 'rejected');

-- CreateEnum
CREATE TYPE "MonthState" AS ENUM ('open', 'closed');

-- CreateEnum
CREATE TYPE "NotificationState" AS ENUM ('claimed', 'sent', 'failed', 'cancelled');

-- CreateTable
CREATE TABLE "unit" (
    "id" SERIAL NOT NULL,
    "rulebook_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "group" TEXT NOT NULL,

    CONSTRAINT "unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "unit_alias" (
    "id" SERIAL NOT NULL,
    "rulebook_id" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "unit_id" INTEGER NOT NULL,

    CONSTRAINT "unit_alias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "member" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "display_name" TEXT,
    "role" "Role" NOT NULL,
    "unit_id" INTEGER,
    "locale" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_binding" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_binding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assessment_month" (
    "rulebook_id" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "state" "MonthState" NOT NULL DEFAULT 'open',
    "closed_at" TIMESTAMPTZ(3),
    "closed_by" INTEGER,

    CONSTRAINT "assessment_month_pkey" PRIMARY KEY ("rulebook_id","month")
);

-- CreateTable
CREATE TABLE "ledger_version" (
    "rulebook_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,
    "computed_version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "ledger_version_pkey" PRIMARY KEY ("rulebook_id","year")
);

-- CreateTable
CREATE TABLE "finding" (
    "id" UUID NOT NULL,
    "seq" SERIAL NOT NULL,
    "rulebook_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "clause_id" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,
    "value" DECIMAL(7,3),
    "level" TEXT,
    "source" TEXT NOT NULL DEFAULT 'routine',
    "deadline" DATE,
    "deadline_is_default" BOOLEAN NOT NULL DEFAULT true,
    "status" "FindingStatus" NOT NULL DEFAULT 'filed',
    "rectified_on" DATE,
    "evidence_text" TEXT NOT NULL DEFAULT '',
    "evidence_links" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "filed_by_id" INTEGER NOT NULL,
    "filed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "channel" TEXT NOT NULL DEFAULT 'console',
    "idempotency_key" TEXT NOT NULL,
    "notice_ref" TEXT,
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdrawn_by_id" INTEGER,
    "withdraw_reason" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rectification_event" (
    "id" SERIAL NOT NULL,
    "finding_id" UUID NOT NULL,
    "kind" "RectificationEventKind" NOT NULL,
    "actor_id" INTEGER NOT NULL,
    "submitted_on" DATE,
    "evidence_text" TEXT,
    "evidence_links" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "reason" TEXT,
    "idempotency_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rectification_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" INTEGER,
    "actor_label" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification" (
    "id" BIGSERIAL NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "state" "NotificationState" NOT NULL DEFAULT 'claimed',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "message_ref" TEXT,

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "standing_snapshot" (
    "id" SERIAL NOT NULL,
    "rulebook_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "as_of" DATE NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,
    "base" DOUBLE PRECISION NOT NULL,
    "sections" JSONB NOT NULL,
    "rank" INTEGER NOT NULL,
    "advanced" BOOLEAN NOT NULL,
    "flags" JSONB NOT NULL,
    "version" BIGINT NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "standing_snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "unit_rulebook_id_name_key" ON "unit"("rulebook_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "unit_alias_rulebook_id_alias_key" ON "unit_alias"("rulebook_id", "alias");

-- CreateIndex
CREATE UNIQUE INDEX "member_platform_external_id_key" ON "member"("platform", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "channel_binding_platform_scope_key" ON "channel_binding"("platform", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "finding_seq_key" ON "finding"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "finding_idempotency_key_key" ON "finding"("idempotency_key");

-- CreateIndex
CREATE INDEX "finding_rulebook_id_year_unit_id_idx" ON "finding"("rulebook_id", "year", "unit_id");

-- CreateIndex
CREATE INDEX "finding_status_deadline_idx" ON "finding"("status", "deadline");

-- CreateIndex
CREATE UNIQUE INDEX "rectification_event_idempotency_key_key" ON "rectification_event"("idempotency_key");

-- CreateIndex
CREATE INDEX "rectification_event_finding_id_idx" ON "rectification_event"("finding_id");

-- CreateIndex
CREATE INDEX "audit_log_entity_entity_id_idx" ON "audit_log"("entity", "entity_id");

-- CreateIndex
CREATE UNIQUE INDEX "notification_subject_type_subject_id_kind_stage_recipient_key" ON "notification"("subject_type", "subject_id", "kind", "stage", "recipient");

-- CreateIndex
CREATE UNIQUE INDEX "standing_snapshot_rulebook_id_year_label_unit_id_key" ON "standing_snapshot"("rulebook_id", "year", "label", "unit_id");

-- AddForeignKey
ALTER TABLE "unit_alias" ADD CONSTRAINT "unit_alias_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "member" ADD CONSTRAINT "member_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding" ADD CONSTRAINT "finding_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rectification_event" ADD CONSTRAINT "rectification_event_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "finding"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "standing_snapshot" ADD CONSTRAINT "standing_snapshot_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AuditLog is append-only. Prisma's schema cannot express triggers (and its diff ignores them),
-- so this part is hand-written: rows may be inserted, never changed or removed.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'P0001',
              HINT = 'Record a correction as a new audit_log row instead.';
END;
$$;

-- CreateTrigger
CREATE TRIGGER "audit_log_no_update_delete"
    BEFORE UPDATE OR DELETE ON "audit_log"
    FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();

-- CreateTrigger
CREATE TRIGGER "audit_log_no_truncate"
    BEFORE TRUNCATE ON "audit_log"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
