// Request headers the proxy passes to the app. Kept apart from lib/dal.ts, which the proxy must not import.
export const PATHNAME_HEADER = 'x-pathname';
