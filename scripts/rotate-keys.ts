// `npm run keys:rotate`: rotates hybrid mode's Ed25519 signing keys in the database every instance
// shares (lib/session/signing-keys.ts). The next key starts signing, the current one keeps being
// published until the last token it signed has expired, and a new next key is published. Running
// instances pick the new key up by themselves; nobody is signed out.
import './load-env';
import { getEnv } from '@/lib/env';
import { listPublishedKeys, rotateSigningKeys } from '@/lib/session/08-hybrid-keys';

async function main() {
  const result = await rotateSigningKeys();
  if (!result.ok) {
    console.error(
      result.reason === 'too-soon'
        ? `Not yet: the next key must be published for ${getEnv().SIGNING_KEY_PUBLISH_LEAD_SECONDS} s before it signs (verifiers cache the key set). Try again in ${result.waitSeconds} s.`
        : 'Another rotation is under way; nothing changed.',
    );
    process.exitCode = 1;
    return;
  }
  console.log(`signing with ${result.activated} (retired ${result.retired || 'none'}; next ${result.next})`);
  for (const key of await listPublishedKeys()) console.log(`  published ${key.kid}  ${key.stage}`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  // The database pool would keep the process alive.
  .finally(() => process.exit());
