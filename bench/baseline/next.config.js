// A minimal Next.js app of the same version as the app: the benchmark's baseline.
module.exports = { poweredByHeader: false };
