// Applies pending migrations to DATABASE_URL (see lib/db/migrate.ts).
import './load-env';
import { migrate } from '@/lib/db/migrate';
import { getEnv } from '@/lib/env';

migrate(process.env.DATABASE_URL ?? getEnv().DATABASE_URL)
  .then((applied) => console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date'))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
