-- CreateTable
CREATE TABLE "BenchmarkRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "database" TEXT NOT NULL,
    "machine" TEXT NOT NULL,
    "result" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "BenchmarkRun_kind_createdAt_idx" ON "BenchmarkRun"("kind", "createdAt");

