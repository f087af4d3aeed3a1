-- DropColumn
ALTER TABLE "RefreshToken" DROP COLUMN "rotatedAt";
