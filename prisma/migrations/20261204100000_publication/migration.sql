-- Month review and publication (shared/spec/lifecycle.md "Months: close → draft → publish").
-- A period is a month ('YYYY-MM') or a year's results ('YYYY'). Each publication is a frozen,
-- numbered version of what the office announced; reopening marks the latest one reopened (it
-- stays retrievable) and the next publication is version + 1 with what changed and why.

-- CreateTable
CREATE TABLE "publication" (
    "id" SERIAL NOT NULL,
    "rulebook_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "as_of" DATE NOT NULL,
    "ledger_version" BIGINT NOT NULL,
    "content" JSONB NOT NULL,
    "changes" JSONB NOT NULL,
    "reason" TEXT,
    "published_by_id" INTEGER,
    "published_by" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reopened_at" TIMESTAMPTZ(3),
    "reopened_by_id" INTEGER,
    "reopen_reason" TEXT,

    CONSTRAINT "publication_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tie_break" (
    "id" SERIAL NOT NULL,
    "rulebook_id" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "group_id" TEXT NOT NULL,
    "tied" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "advanced" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "method" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "decided_by_id" INTEGER,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tie_break_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "publication_rulebook_id_period_version_key" ON "publication"("rulebook_id", "period", "version");

-- CreateIndex
CREATE INDEX "publication_rulebook_id_year_idx" ON "publication"("rulebook_id", "year");

-- CreateIndex
CREATE UNIQUE INDEX "tie_break_rulebook_id_period_group_id_key" ON "tie_break"("rulebook_id", "period", "group_id");
