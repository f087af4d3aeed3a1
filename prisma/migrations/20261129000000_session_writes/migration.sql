-- A password change stamps the user, so no session created before it can act again.
ALTER TABLE "User" ADD COLUMN "passwordChangedAt" DATETIME;

-- A browser's login and every re-issue of it (mode switch, password change) share one device id,
-- so the devices page can group a browser's replaced tokens under its live session.
ALTER TABLE "Session" ADD COLUMN "deviceId" TEXT NOT NULL DEFAULT '';

-- When the user last proved who they are (typed a password) for this session. A mode switch
-- carries it over, so a re-issued session is never "newer" than a password change it raced.
ALTER TABLE "Session" ADD COLUMN "authenticatedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Session_userId_deviceId_idx" ON "Session"("userId", "deviceId");
