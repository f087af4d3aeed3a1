// Next.js configuration. Native database drivers stay outside the server bundle.
/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  serverExternalPackages: ['better-sqlite3', '@node-rs/argon2', 'pg'],
};

module.exports = nextConfig;
