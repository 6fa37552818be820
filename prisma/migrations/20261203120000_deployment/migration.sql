-- CreateTable
CREATE TABLE "deployment" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "start_date" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_pkey" PRIMARY KEY ("id")
);
