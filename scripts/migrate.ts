// Applies pending migrations to DATABASE_URL (see lib/db/migrate.ts).
import './load-env';
import { DEFAULT_DATABASE_URL } from '@/lib/db/adapter';
import { migrate } from '@/lib/db/migrate';

migrate(process.env.DATABASE_URL || DEFAULT_DATABASE_URL)
  .then((applied) => console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date'))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
