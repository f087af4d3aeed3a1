// The plain-text answer the proxy gives a request it refuses before Next.js sees it: never cached,
// never more than a sentence.
import { NextResponse } from 'next/server';

export function plainRefusal(status: 400 | 403 | 413, message: string) {
  return new NextResponse(`${message}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}
