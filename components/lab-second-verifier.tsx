'use client';
// The second verifier's buttons and its answer. The server action reads the token from the
// cookies and asks the verifier; this shows the verdict, the key it named, and what keys the
// verifier knows. Nothing of the token itself reaches the browser.
import { useActionState } from 'react';
import { useFormStatus } from 'react-dom';
import { checkWithSecondVerifier, type VerifierCheck } from '@/app/(public)/compare/actions';
import { PRIMARY_BUTTON } from './button-styles';

const SENT: Record<VerifierCheck['sent'], string> = {
  exchanged: 'A token exchanged for the verifier',
  session: 'Your session token itself',
  stateless: 'A throwaway stateless token',
};

/** Why the verifier refused, in a sentence, for the reasons a learner meets here. */
const REFUSALS: Record<string, string> = {
  algorithm: ' It accepts EdDSA only: checking an HS256 token would need the secret that signs them.',
  type: ' It accepts only tokens typed for a service (service+jwt): a session cookie that could be replayed elsewhere never passes.',
  audience: ' The token was made for another audience.',
};

function ChoiceButton({ value, children }: { value: VerifierCheck['sent']; children: React.ReactNode }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" name="token" value={value} aria-disabled={pending} onClick={(event) => pending && event.preventDefault()} className={PRIMARY_BUTTON}>
      {children}
    </button>
  );
}

function Verdict({ check }: { check: VerifierCheck }) {
  const { verdict, status } = check;
  const word = !verdict.reached ? 'unreachable' : verdict.ok ? 'accepted' : 'refused';
  return (
    <div data-testid="verifier-result" className="flex flex-col gap-1 rounded-lg border border-slate-200 bg-white p-3 text-sm">
      <p>
        {SENT[check.sent]} ({check.alg}
        {check.typ ? `, typ ${check.typ}` : ''}
        {check.kid ? `, kid ${check.kid}` : ''}):{' '}
        <strong data-testid="verifier-verdict" className={word === 'accepted' ? 'text-emerald-700' : 'text-red-700'}>
          {word}
        </strong>
      </p>
      {verdict.reached && verdict.ok ? (
        <p>
          Verified with key <code data-testid="verifier-kid">{verdict.kid}</code> for {verdict.claims.name ?? verdict.claims.sub} ({verdict.claims.role}), valid
          until {new Date(verdict.claims.exp * 1000).toISOString().replace('T', ' ').slice(0, 19)} UTC.
        </p>
      ) : null}
      {verdict.reached && !verdict.ok ? (
        <p>
          Reason <code data-testid="verifier-reason">{verdict.reason}</code> (HTTP {verdict.status}){verdict.message ? `: ${verdict.message}` : ''}.
          {REFUSALS[verdict.reason] ?? ''}
        </p>
      ) : null}
      {!verdict.reached ? <p data-testid="verifier-unreachable">{verdict.message}</p> : null}
      {status.reached ? (
        <p data-testid="verifier-status" className="text-slate-600">
          The verifier fetches keys from <code className="break-all">{status.jwksUrl}</code> and now knows {status.knownKids.length}:{' '}
          <span data-testid="verifier-known-kids" className="break-all font-mono text-xs">
            {status.knownKids.join(', ') || 'none yet'}
          </span>
          {status.coolingDown ? ' (fetched moments ago: it fetches again only once its cooldown has passed)' : ''}.
        </p>
      ) : verdict.reached ? (
        <p className="text-slate-600">{status.message}</p>
      ) : null}
    </div>
  );
}

export function LabSecondVerifier({ canRun }: { canRun: boolean }) {
  const [state, action] = useActionState(checkWithSecondVerifier, undefined);
  if (!canRun) return <p className="text-sm">Log in to send your own token to the second verifier.</p>;
  return (
    <form action={action} className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2">
        <ChoiceButton value="exchanged">Exchange my session for a verifier token</ChoiceButton>
        <ChoiceButton value="session">Send my session token itself</ChoiceButton>
        <ChoiceButton value="stateless">Try a stateless token</ChoiceButton>
      </div>
      <div aria-live="polite" className="flex flex-col gap-2">
        {state?.check ? <Verdict check={state.check} /> : null}
        {state?.message ? (
          <p role="alert" className="text-sm text-red-700">
            {state.message}
          </p>
        ) : null}
      </div>
    </form>
  );
}
