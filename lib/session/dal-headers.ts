// Request headers the proxy passes to the app. Kept apart from dal.ts, which the proxy must not import.
export const PATHNAME_HEADER = 'x-pathname';
