// Demo users. Safe to run again: existing users are left as they are.
import '../scripts/load-env';
import { createPrismaClient } from '@/lib/db/client';
import { DEMO_USERS } from '@/lib/demo-users';
import { getEnv } from '@/lib/env';
import { hashPassword } from '@/lib/session/passwords';
import { randomId } from '@/lib/session/ids';

export async function seed(url = getEnv().DATABASE_URL) {
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
