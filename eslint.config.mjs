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
  // The session code (lib/session) is what readers copy into their apps. Of this repository it may
  // import only itself and the database client (which a copier replaces with theirs): an
  // allow-list, so nothing new can creep in. The lab watches it through the tracer of 11-dal.ts,
  // and the speed-ups plug in through its setters. tests/unit/boundaries.test.ts proves this bites.
  ...[
    { files: ['lib/session/*.ts'], outside: '\\.\\./' },
    { files: ['lib/session/hardening/**'], outside: '\\.\\./\\.\\./' },
  ].map(({ files, outside }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(@/(?!lib/db/client$)|${outside})`,
              message:
                'lib/session is the copyable session code: it may import only itself and @/lib/db/client. Let the lab trace it (traceSessions) or plug in beside it (setTokenVerifier, setSessionRowReader) instead.',
            },
          ],
        },
      ],
    },
  })),
  // Playwright fixtures call their argument `use`, which is not React's hook.
  { files: ['e2e/**'], rules: { 'react-hooks/rules-of-hooks': 'off' } },
  { ignores: ['**/.next/**', 'lib/generated/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
];

export default config;
