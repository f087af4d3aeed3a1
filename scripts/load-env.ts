// Loads .env.local and friends the way `next start` does, for scripts that run outside Next.
import { loadEnvConfig } from '@next/env';

loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });
