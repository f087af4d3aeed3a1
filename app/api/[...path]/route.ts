// Any /api path that no route handler answers: a JSON 404, as every other API route answers, never
// the HTML page a browser gets.
import { NextResponse } from 'next/server';

const notFound = () => NextResponse.json({ error: 'Not found' }, { status: 404, headers: { 'Cache-Control': 'no-store' } });

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
