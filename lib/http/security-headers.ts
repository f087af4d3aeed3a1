// The Content-Security-Policy of every page (proxy.ts sets it; next.config.js adds the static
// security headers). The policy is strict: scripts run only with this
// response's nonce (and what they load, 'strict-dynamic'), nothing may frame the app, and forms
// post only to this origin. Styles allow inline attributes, which React renders for charts.
export function contentSecurityPolicy(nonce: string) {
  const dev = process.env.NODE_ENV === 'development';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
