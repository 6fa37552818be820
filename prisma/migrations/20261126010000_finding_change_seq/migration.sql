-- AlterTable
ALTER TABLE "finding" ADD COLUMN     "change_seq" BIGINT NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "finding_rulebook_id_year_change_seq_idx" ON "finding"("rulebook_id", "year", "change_seq");
