-- A password change stamps the user, so no session created before it can act again.
ALTER TABLE "User" ADD COLUMN "passwordChangedAt" DATETIME;

-- A browser's login and every re-issue of it (mode switch, password change) share one device id,
-- so the devices page can group a browser's replaced tokens under its live session.
ALTER TABLE "Session" ADD COLUMN "deviceId" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "Session_userId_deviceId_idx" ON "Session"("userId", "deviceId");
