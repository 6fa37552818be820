-- CreateEnum
CREATE TYPE "AppealState" AS ENUM ('pending', 'upheld', 'reduced', 'withdrawn');

-- CreateEnum
CREATE TYPE "ExtensionState" AS ENUM ('pending', 'approved', 'refused');

-- CreateTable
CREATE TABLE "appeal" (
    "id" SERIAL NOT NULL,
    "finding_id" UUID NOT NULL,
    "filed_by_id" INTEGER NOT NULL,
    "reasons" TEXT NOT NULL,
    "evidence_links" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "state" "AppealState" NOT NULL DEFAULT 'pending',
    "ruling" TEXT,
    "ruled_by_id" INTEGER,
    "ruled_at" TIMESTAMPTZ(3),
    "ruled_from" JSONB,
    "filed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "appeal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "extension_request" (
    "id" SERIAL NOT NULL,
    "finding_id" UUID NOT NULL,
    "requested_by_id" INTEGER NOT NULL,
    "current_deadline" DATE NOT NULL,
    "requested_deadline" DATE NOT NULL,
    "reason" TEXT NOT NULL,
    "state" "ExtensionState" NOT NULL DEFAULT 'pending',
    "decided_by_id" INTEGER,
    "decided_at" TIMESTAMPTZ(3),
    "approved_deadline" DATE,
    "decision_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "extension_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "appeal_finding_id_key" ON "appeal"("finding_id");

-- CreateIndex
CREATE INDEX "extension_request_finding_id_idx" ON "extension_request"("finding_id");

-- AddForeignKey
ALTER TABLE "appeal" ADD CONSTRAINT "appeal_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "finding"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "extension_request" ADD CONSTRAINT "extension_request_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "finding"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
