import Link from 'next/link';

export default function HomePage() {
  return (
    <article className="prose flex max-w-3xl flex-col gap-5">
      <h1 className="text-3xl font-bold">Stateless or stateful JWT sessions?</h1>
      <p>This app runs both designs side by side. Log in, flip the mode switch in the header, and watch what changes.</p>
      <section className="grid gap-4 sm:grid-cols-2">
        <div className="rounded-lg border border-amber-200 bg-amber-50 p-4">
          <h2 className="mb-2 text-lg font-semibold">Stateless</h2>
          <p>
            Your name, role and expiry live inside the signed token. The server checks the signature and trusts what it reads, without asking a database. Fast
            and simple, but a token cannot be taken back before it expires.
          </p>
        </div>
        <div className="rounded-lg border border-emerald-200 bg-emerald-50 p-4">
          <h2 className="mb-2 text-lg font-semibold">Stateful</h2>
          <p>
            The token carries only a random session id. On every request the server checks the signature and then looks the session up in its table. One query
            more per request, but signing a device out takes effect at once.
          </p>
        </div>
      </section>
      <p className="flex flex-wrap gap-4 font-medium">
        <Link href="/login">Log in</Link>
        <Link href="/signup">Sign up</Link>
        <Link href="/compare">Compare the two, measured on this server</Link>
      </p>
    </article>
  );
}
