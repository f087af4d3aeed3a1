// The attack at scale over HTTP, for `npm run bench:scale`: failed logins posted to the login form
// as a browser without JavaScript posts it (the page's own hidden fields name the server action),
// each from an address of its own behind one trusted proxy (X-Forwarded-For, with TRUST_PROXY=1)
// and for an email address of its own, while the owner of an account logs in again and again from
// the browser it signed up with (the trusted-device cookie). What the attackers were answered, and
// what the owner's whole login (argon2 included) took and was answered, against a quiet moment.
import { underAttack } from '@/lib/lab/under-attack';

/** The hidden fields of the form on `path` that has a field `marker`, as the page renders them: the server action's reference and key, `next`. */
async function formFields(base: string, path: string, marker: string) {
  const html = await (await fetch(`${base}${path}`)).text();
  const form = [...html.matchAll(/<form[\s\S]*?<\/form>/g)].map((match) => match[0]).find((candidate) => candidate.includes(`name="${marker}"`));
  if (!form) throw new Error(`no form with ${marker} on ${path}`);
  const decode = (value: string) =>
    value
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return [...form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)].map(([, name, value]) => [name, decode(value ?? '')] as const);
}

type Post = { status: number; ms: number; setCookies: string[] };

async function post(
  base: string,
  path: string,
  fields: (readonly [string, string])[],
  values: Record<string, string>,
  headers: Record<string, string>,
): Promise<Post> {
  const body = new FormData();
  for (const [name, value] of fields) body.append(name, value);
  for (const [name, value] of Object.entries(values)) body.append(name, value);
  const started = performance.now();
  const response = await fetch(`${base}${path}`, { method: 'POST', body, headers: { origin: base, ...headers }, redirect: 'manual' });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started, setCookies: response.headers.getSetCookie() };
}

const addressOf = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
const p = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.max(0, Math.ceil(values.length * q) - 1))] ?? NaN;
const tally = (statuses: number[]) => Object.fromEntries([...new Set(statuses)].sort().map((status) => [status, statuses.filter((s) => s === status).length]));

/** Between the owner's logins: a person, not a second attacker. */
const OWNER_PAUSE_MS = 100;

/** `attempts` failed logins at `perSecond`, each sent when it is due whatever the server answered before (lib/lab/under-attack.ts). */
export async function floodLoginsOverHttp(base: string, { attempts, perSecond }: { attempts: number; perSecond: number }) {
  const [loginFields, signupFields] = [await formFields(base, '/login', 'email'), await formFields(base, '/signup', 'name')];
  const owner = { name: 'Owner', email: `owner-${Date.now()}@example.test`, password: 'correct-horse-battery-staple' };
  // The owner signs up from one browser: its device cookie makes that browser a trusted one for the account.
  const signedUp = await post(base, '/signup', signupFields, owner, { 'x-forwarded-for': '198.51.100.1' });
  const device = signedUp.setCookies.map((cookie) => cookie.split(';')[0]).find((pair) => /^(__Host-)?device=./.test(pair));
  if (signedUp.status !== 303 || !device) throw new Error(`the owner's sign-up was answered ${signedUp.status}, without a device cookie`);
  let ownerLogins = 0;
  const ownerLogin = () => {
    // From one of 1,024 addresses (a phone moving between networks), within the per-address allowance.
    const k = ownerLogins++ % 1024;
    return post(
      base,
      '/login',
      loginFields,
      { email: owner.email, password: owner.password },
      { cookie: device, 'x-forwarded-for': `198.51.${100 + (k >> 8)}.${k & 255}` },
    );
  };
  const quiet: Post[] = [];
  for (let i = 0; i < 5; i++) await ownerLogin(); // warm-up
  for (let i = 0; i < 20; i++) quiet.push(await ownerLogin());

  const attackerStatuses: number[] = [];
  const during: Post[] = [];
  const { seconds, attemptsPerSecond } = await underAttack({
    attempts,
    perSecond,
    attempt: (i) =>
      post(base, '/login', loginFields, { email: `victim-${i}@example.test`, password: 'guess' }, { 'x-forwarded-for': addressOf(i) }).then(
        (answer) => void attackerStatuses.push(answer.status),
        () => void attackerStatuses.push(0),
      ),
    owner: async () => void during.push(await ownerLogin()),
    ownerPauseMs: OWNER_PAUSE_MS,
  });
  const succeeded = (answers: Post[]) => answers.filter((answer) => answer.status === 303);
  const summary = (answers: Post[]) => ({
    logins: answers.length,
    signedIn: succeeded(answers).length,
    statuses: tally(answers.map((answer) => answer.status)),
    p50Ms: p(
      succeeded(answers).map((answer) => answer.ms),
      0.5,
    ),
    p95Ms: p(
      succeeded(answers).map((answer) => answer.ms),
      0.95,
    ),
  });
  return {
    attempts,
    perSecond,
    seconds,
    attemptsPerSecond,
    attackers: tally(attackerStatuses),
    owner: { quiet: summary(quiet), during: summary(during) },
  };
}
