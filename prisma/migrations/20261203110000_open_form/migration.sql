-- CreateTable
CREATE TABLE "open_form" (
    "platform" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "form_key" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "state" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "open_form_pkey" PRIMARY KEY ("platform","user_id")
);

-- CreateIndex
CREATE INDEX "open_form_expires_at_idx" ON "open_form"("expires_at");
