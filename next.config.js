// Next.js configuration. Native database drivers stay outside the server bundle; every response
// carries the static security headers (a page's Content-Security-Policy, which needs a
// per-request nonce, is set by proxy.ts; the API's is static).
const STATIC_SECURITY_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // For browsers that predate the policy's frame-ancestors.
  { key: 'X-Frame-Options', value: 'DENY' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // proxy.ts sees the router's own headers (Next-Router-Prefetch among them), so a prefetch never
  // rotates a refresh token; it then drops the router's _rsc parameter from the paths it hands on.
  skipProxyUrlNormalize: true,
  serverExternalPackages: ['better-sqlite3', '@node-rs/argon2', 'pg'],
  async headers() {
    return [
      { source: '/:path*', headers: STATIC_SECURITY_HEADERS },
      // A route handler's JSON needs no script, style or frame: the strictest policy (pages get
      // theirs, with a nonce, from proxy.ts).
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

module.exports = nextConfig;
