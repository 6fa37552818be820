/*
  Warnings:

  - You are about to drop the column `external_id` on the `member` table. All the data in the column will be lost.
  - You are about to drop the column `platform` on the `member` table. All the data in the column will be lost.

*/
-- Generated as `prisma migrate dev --create-only --name member_identity` writes it, then edited as
-- Prisma's "customizing migrations" guide does for a column that moves to a new table: the new
-- table is created first and every member's (platform, external_id) is copied into it before the
-- columns are dropped, so no member loses the identity it is known by. The notification ledger's
-- recipient keys (user/<platform>/<external id>) are built from the same values, so they do not
-- change. Existing members stay one row each: that a Slack user and a DingTalk user are the same
-- person is news only an organiser can bring (`/kaoping member add @user <platform>:<id>`).

-- CreateTable
CREATE TABLE "member_identity" (
    "id" SERIAL NOT NULL,
    "member_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "member_identity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "member_identity_platform_external_id_key" ON "member_identity"("platform", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "member_identity_member_id_platform_key" ON "member_identity"("member_id", "platform");

-- AddForeignKey
ALTER TABLE "member_identity" ADD CONSTRAINT "member_identity_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CopyData (hand-written): one identity per existing member, in member order
INSERT INTO "member_identity" ("member_id", "platform", "external_id", "created_at")
SELECT "id", "platform", "external_id", "created_at" FROM "member" ORDER BY "id";

-- DropIndex
DROP INDEX "member_platform_external_id_key";

-- AlterTable
ALTER TABLE "member" DROP COLUMN "external_id",
DROP COLUMN "platform";
