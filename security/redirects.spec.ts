// Open redirects through `next`: after a sign-in (and from /session/clear, which follows `next`
// for a valid session), only a path on this origin is followed. Everything else becomes /dashboard.
import { DEMO, expect, sessionCookie, test } from '../e2e/fixtures';
import { LoginPage } from '../e2e/pages/login-page';
import { cookieHeader } from './support';

const HOSTILE = [
  'https://evil.example/',
  'http:evil.example',
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  '%2F%2Fevil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '/\t/evil.example',
  '/\n/evil.example',
  '\t//evil.example',
  ' //evil.example',
  'evil.example?.example.com',
  '/\\/\\evil.example',
];

test('every hostile next sends a signed-in browser to /dashboard', async ({ persona, request }) => {
  const page = await persona.signedInPage('stateful');
  const cookie = cookieHeader((await sessionCookie(page.context()))!.value);
  const results: { next: string; location: string | undefined }[] = [];
  for (const next of HOSTILE) {
    const response = await request.get(`/session/clear?${new URLSearchParams({ next })}`, { headers: { cookie }, maxRedirects: 0 });
    expect(response.status()).toBe(303);
    results.push({ next, location: response.headers()['location'] });
  }
  expect(results).toEqual(HOSTILE.map((next) => ({ next, location: '/dashboard' })));
});

test('percent-encoded slashes stay a path on this origin', async ({ persona, request, baseURL }) => {
  const page = await persona.signedInPage('stateful');
  const cookie = cookieHeader((await sessionCookie(page.context()))!.value);
  for (const next of ['/%2F%2Fevil.example', '/%5Cevil.example', '/%5C/evil.example', '/%2F/evil.example', '/..%2F..%2Fevil.example']) {
    const response = await request.get(`/session/clear?${new URLSearchParams({ next })}`, { headers: { cookie }, maxRedirects: 0 });
    const location = response.headers()['location'];
    expect(location, next).toBe(next);
    expect(new URL(location, baseURL).origin).toBe(new URL(baseURL!).origin);
  }
});

for (const next of ['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
  test(`logging in with next=${JSON.stringify(next)} lands on this origin's dashboard`, async ({ page, baseURL }) => {
    await new LoginPage(page).goto(`?${new URLSearchParams({ next })}`);
    await new LoginPage(page).login(DEMO.bob.email, DEMO.bob.password);
    await expect(page).toHaveURL(`${baseURL}/dashboard`);
  });
}
