// The demo accounts the seed creates. The login page lists those that still exist with their
// seeded password (never changed), so a new user can sign in at once.
export const DEMO_USERS = [
  { name: 'Alice Example', email: 'alice@example.com', password: 'alice-password', role: 'admin' },
  { name: 'Bob Example', email: 'bob@example.com', password: 'bob-password', role: 'user' },
] as const;

export type DemoUser = (typeof DEMO_USERS)[number];
