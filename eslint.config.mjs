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
  // The session reference (lib/session) is what readers copy into their apps: it never imports the
  // lab, the HTTP helpers, the view helpers or the app. The lab watches it through
  // lib/session/observer.ts instead. tests/unit/boundaries.test.ts proves this rule bites.
  {
    files: ['lib/session/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/lib/lab', '@/lib/lab/*', '@/lib/http/*', '@/lib/view/*', '@/app/*', '@/components/*', '../*'],
              message: 'lib/session is the copyable reference: it must not import the lab or the app. Expose a hook in lib/session/observer.ts instead.',
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
