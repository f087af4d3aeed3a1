// Demo users. Safe to run again: existing users are left as they are.
import '../scripts/load-env';
import { DEFAULT_DATABASE_URL } from '@/lib/db/adapter';
import { createPrismaClient } from '@/lib/db/client';
import { DEMO_USERS } from '@/lib/demo-users';
import { randomId } from '@/lib/session/01-settings';
import { hashPassword } from '@/lib/session/accounts';

export async function seed(url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL) {
  const db = createPrismaClient(url);
  try {
    for (const user of DEMO_USERS) {
      const exists = await db.user.findUnique({ where: { email: user.email }, select: { id: true } });
      if (exists) continue;
      await db.user.create({
        data: { id: randomId(), name: user.name, email: user.email, role: user.role, passwordHash: await hashPassword(user.password) },
      });
      console.log(`seeded ${user.email}`);
    }
  } finally {
    await db.$disconnect();
  }
}

if (process.argv[1]?.endsWith('seed.ts')) {
  seed().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
