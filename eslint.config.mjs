import next from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...next,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  // The session reference (lib/session) is what readers copy into their apps. Of this repository it
  // may import only itself, the database client, the environment and the process-state helper: an
  // allow-list, so nothing new can creep in. The lab watches it through lib/session/observer.ts.
  // tests/unit/boundaries.test.ts proves this rule bites.
  {
    files: ['lib/session/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(@/(?!(lib/session(/.*)?|lib/db/client|lib/env|lib/process-state)$)|\\.\\./)',
              message:
                'lib/session is the copyable reference: it may import only itself, @/lib/db/client, @/lib/env and @/lib/process-state. Expose a hook (lib/session/observer.ts) instead.',
            },
          ],
        },
      ],
    },
  },
  // Playwright fixtures call their argument `use`, which is not React's hook.
  { files: ['e2e/**'], rules: { 'react-hooks/rules-of-hooks': 'off' } },
  { ignores: ['.next/**', 'lib/generated/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
];

export default config;
