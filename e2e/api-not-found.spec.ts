// An API path nobody serves answers as the API does: JSON with a 404, for any method.
import { expect, test } from './fixtures';

for (const method of ['GET', 'POST', 'DELETE'] as const) {
  test(`${method} /api/<unknown> answers a JSON 404`, async ({ request, baseURL }) => {
    const response = await request.fetch('/api/no-such-route/at-all', { method, headers: { origin: baseURL! } });
    expect(response.status()).toBe(404);
    expect(response.headers()['content-type']).toContain('application/json');
    expect(await response.json()).toEqual({ error: 'Not found' });
  });
}

test('a real API route still answers for itself', async ({ request }) => {
  const response = await request.get('/api/session');
  expect(response.status()).toBe(401);
  expect(response.headers()['content-type']).toContain('application/json');
});
